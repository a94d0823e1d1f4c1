//! Whether any flow meets the supplies within the capacities, decided before the simplex runs, in the time of a
//! maximum flow rather than of a whole simplex run; and when none does, the cut that proves it.
//!
//! A flow exists exactly when a maximum flow from a super source (an arc to each supply node, of its supply) to a
//! super sink (an arc from each demand node, of its demand) sends every supply. When it falls short, the nodes
//! still reachable from the super source in its residual graph are the source side `S` of a minimum cut, and
//! Gale's and Hoffman's condition fails on `S`: the supply `S` must get rid of is more than its arcs out can carry
//! ([`Infeasibility`] says it in the network's own terms).
//!
//! A greedy pass comes first: every arc from a supply node straight into a demand node takes what both ends still
//! have. On networks where each supply has its own way to a demand (the bipartite networks of an assignment or a
//! transportation problem with a bypass arc, say) it sends everything, and the check ends without building the
//! residual graph; otherwise the maximum flow starts from what the pass sent.

mod certificate;
mod maxflow;

pub use certificate::Infeasibility;
use maxflow::{Arc, Residual};

/// A maximum flow that falls short, in the terms of the network it was computed on (no lower bounds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cut {
    /// Whether each node is on the source side of the minimum cut.
    pub(crate) source_side: Vec<bool>,
    /// The total supply to send.
    pub(crate) supply: i128,
    /// The maximum flow: what can be sent, and the cut's capacity.
    pub(crate) max_flow: i128,
}

/// The cut that shows no flow meets `supply` within the capacities `cap` of arcs `from → to` (lower bounds 0,
/// supplies balanced); `None` when a flow does.
pub(crate) fn check(supply: &[i64], from: &[u32], to: &[u32], cap: &[i64]) -> Option<Cut> {
    let n = supply.len();
    let total: i128 = supply.iter().filter(|&&s| s > 0).map(|&s| i128::from(s)).sum();
    // What each node still has to send (> 0) or to receive (< 0), and the greedy pass's flow on each arc it used.
    let mut left = supply.to_vec();
    let mut sent = 0i128;
    let mut greedy: Vec<(u32, i64)> = Vec::new();
    for e in 0..from.len() {
        let (u, v) = (from[e] as usize, to[e] as usize);
        if left[u] > 0 && left[v] < 0 && cap[e] > 0 {
            let x = left[u].min(-left[v]).min(cap[e]);
            left[u] -= x;
            left[v] += x;
            sent += i128::from(x);
            greedy.push((e as u32, x));
        }
    }
    if sent == total {
        return None;
    }
    let (s, t) = (n as u32, n as u32 + 1);
    let (left, greedy) = (&left, &greedy);
    let arcs = || {
        let mut used = greedy.iter().peekable();
        let real = (0..from.len()).filter_map(move |e| {
            let flow = match used.peek() {
                Some(&&(g, x)) if g as usize == e => {
                    used.next();
                    x
                }
                _ => 0,
            };
            // Self-loops and arcs without room never carry an augmenting path.
            (from[e] != to[e] && cap[e] > 0).then(|| Arc { from: from[e], to: to[e], room: cap[e] - flow, flow })
        });
        let ends = (0..n).filter_map(move |u| {
            let (x, rest) = (supply[u], left[u]);
            if x > 0 {
                Some(Arc { from: s, to: u as u32, room: rest, flow: x - rest })
            } else if x < 0 {
                Some(Arc { from: u as u32, to: t, room: -rest, flow: rest - x })
            } else {
                None
            }
        });
        real.chain(ends)
    };
    let mut residual = Residual::new(n + 2, arcs);
    let (more, mut reached) = residual.max_flow(s as usize, t as usize);
    reached.truncate(n);
    let max_flow = sent + more;
    (max_flow < total).then_some(Cut { source_side: reached, supply: total, max_flow })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Arcs as `(from, to, cap)`.
    fn check_arcs(supply: &[i64], arcs: &[(u32, u32, i64)]) -> Option<Cut> {
        let from: Vec<u32> = arcs.iter().map(|a| a.0).collect();
        let to: Vec<u32> = arcs.iter().map(|a| a.1).collect();
        let cap: Vec<i64> = arcs.iter().map(|a| a.2).collect();
        check(supply, &from, &to, &cap)
    }

    #[test]
    fn the_greedy_pass_alone_settles_direct_arcs() {
        assert_eq!(check_arcs(&[3, 2, -5], &[(0, 2, 3), (1, 2, 9)]), None);
        assert_eq!(check_arcs(&[0, 0], &[]), None);
    }

    #[test]
    fn a_bottleneck_behind_the_supplies_is_the_cut() {
        // Nodes 0 and 1 send 4 + 4 through node 2, whose only way on to the demand 3 carries 5.
        let cut = check_arcs(&[4, 4, 0, -8], &[(0, 2, 9), (1, 2, 9), (2, 3, 5), (0, 1, 1)]).unwrap();
        assert_eq!((cut.supply, cut.max_flow), (8, 5));
        assert_eq!(cut.source_side, vec![true, true, true, false]);
    }

    #[test]
    fn the_maximum_flow_goes_on_from_the_greedy_flow() {
        // The greedy pass sends 0 → 2 first, which must be undone to send 1's supply: 1 → 2 is 1's only way out.
        let arcs = [(0, 2, 5), (0, 3, 5), (1, 2, 5)];
        assert_eq!(check_arcs(&[5, 5, -5, -5], &arcs), None);
        let cut = check_arcs(&[5, 6, -6, -5], &arcs).unwrap();
        assert_eq!((cut.max_flow, cut.source_side), (10, vec![false, true, false, false]));
    }
}
