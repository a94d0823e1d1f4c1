//! The hub start: a first basis found on the network alone, for networks where one node has all the demand. Supply
//! nodes hang from that hub directly, transit nodes directly or through a chain of other transit nodes, and some
//! arcs out of supply nodes start at capacity. [`super::star_basis`] installs it.

use crate::Network;

/// A first basis shaped as a tree around one hub node, with some arcs starting at capacity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StarStart {
    /// The node every other node hangs from, directly or through transit nodes.
    pub hub: usize,
    /// For each node, the arc that joins it to its parent: the hub, or for a transit node another transit node
    /// nearer the hub (ignored for the hub).
    pub star_arc: Vec<u32>,
    /// Arcs that start at their capacity.
    pub saturated: Vec<usize>,
}

/// A good first basis for two-level networks such as transportation problems with a common sink: one hub with all
/// the demand, supply nodes with an arc into the hub, and transit nodes (supply zero) that reach the hub directly
/// or through a chain of transit nodes. Arcs from supply nodes to transit nodes are placed whole,
/// cheapest first, wherever the supply node still has all of the arc's capacity to send and every arc on the
/// transit node's way to the hub more than that room left. Starting there saves most of the pivots that the
/// artificial start needs to reach a similar flow. `None` when the network has another shape.
pub fn hub_start(net: &Network) -> Option<StarStart> {
    hub_start_with(net, &star_candidates(net))
}

/// The node with all the demand, if exactly one node has demand.
pub(super) fn hub_of(net: &Network) -> Option<usize> {
    let mut hubs = (0..net.node_count()).filter(|&u| net.supply[u] < 0);
    let hub = hubs.next()?;
    if hubs.next().is_some() {
        return None;
    }
    Some(hub)
}

/// The arcs [`hub_start`] tries to place whole, in the order it tries them: from supply nodes to transit nodes,
/// cheapest first. They depend only on the network's supplies and costs, so a caller that solves one network
/// under many capacities (random draws of the capacities, say) sorts them once and passes them to
/// [`hub_start_with`].
pub fn star_candidates(net: &Network) -> Vec<u32> {
    let Some(hub) = hub_of(net) else { return Vec::new() };
    let mut candidates: Vec<u32> = (0..net.arc_count() as u32)
        .filter(|&e| {
            let (from, to) = (net.from[e as usize] as usize, net.to[e as usize] as usize);
            from != hub && to != hub && net.supply[to] == 0 && net.supply[from] > 0 && net.cost[e as usize] < 0
        })
        .collect();
    candidates.sort_by_key(|&e| (net.cost[e as usize], e));
    candidates
}

/// [`hub_start`] with its candidates computed beforehand ([`star_candidates`] of a network with the same
/// supplies and costs).
pub fn hub_start_with(net: &Network, candidates: &[u32]) -> Option<StarStart> {
    let n = net.node_count();
    let hub = hub_of(net)?;
    // Parent arcs: a supply node's widest arc into the hub; a transit node's widest arc into the hub or into
    // another transit node.
    let mut star_arc = vec![u32::MAX; n];
    for e in 0..net.arc_count() {
        let (from, to) = (net.from[e] as usize, net.to[e] as usize);
        let fits = to == hub || (net.supply[from] == 0 && net.supply[to] == 0);
        if from != hub && from != to && fits {
            let best = star_arc[from];
            if best == u32::MAX || net.capacity[e] > net.capacity[best as usize] {
                star_arc[from] = e as u32;
            }
        }
    }
    if (0..n).any(|u| u != hub && star_arc[u] == u32::MAX) {
        return None;
    }
    let parent = |u: usize| net.to[star_arc[u] as usize] as usize;
    // Transit chains must end at the hub (no cycle): a node's depth is at most the number of nodes.
    let mut depth = vec![u32::MAX; n];
    depth[hub] = 0;
    let mut path = Vec::new();
    for u in 0..n {
        let mut v = u;
        while depth[v] == u32::MAX {
            if path.len() > n {
                return None;
            }
            path.push(v);
            v = parent(v);
        }
        while let Some(w) = path.pop() {
            depth[w] = depth[v] + 1;
            v = w;
        }
    }
    let mut left: Vec<i64> = net.supply.clone();
    // What each parent arc can still take.
    let mut room: Vec<i64> = (0..n).map(|u| if u == hub { 0 } else { net.capacity[star_arc[u] as usize] }).collect();
    let mut saturated = Vec::new();
    for &e in candidates {
        let e = e as usize;
        let (from, to, cap) = (net.from[e] as usize, net.to[e] as usize, net.capacity[e]);
        if cap == 0 || cap > left[from] {
            continue;
        }
        let mut v = to;
        let mut fits = true;
        while v != hub {
            fits &= cap < room[v];
            v = parent(v);
        }
        if fits {
            left[from] -= cap;
            let mut v = to;
            while v != hub {
                room[v] -= cap;
                v = parent(v);
            }
            saturated.push(e);
        }
    }
    // A node may have parallel arcs into the hub (a caller may split one way to the hub into parts priced or
    // bounded apart): whatever the parent arc cannot carry goes on the others, placed whole.
    for e in 0..net.arc_count() {
        let (from, to) = (net.from[e] as usize, net.to[e] as usize);
        if to == hub && from != hub && star_arc[from] as usize != e {
            let cap = net.capacity[e];
            if cap > 0 && left[from] - cap >= 0 && left[from] > net.capacity[star_arc[from] as usize] {
                left[from] -= cap;
                saturated.push(e);
            }
        }
    }
    Some(StarStart { hub, star_arc, saturated })
}
