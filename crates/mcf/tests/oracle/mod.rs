//! Independent oracles for min-cost flow, written apart from the solver so that they share none of its code:
//!
//! - [`min_cost`]: successive shortest paths with SPFA (queue-based Bellman-Ford) on the residual graph, with a
//!   super source and sink and `i128` costs; every arc starts at its lower bound, negative-cost arcs at their
//!   capacity, so that the residual graph starts without negative cycles;
//! - [`parse_dimacs`]: a DIMACS min-cost-flow reader of its own, which panics on anything but a well-formed file
//!   (one `p` line, the declared arc count, lower bounds within capacities).
//!
//! The crate's tests use them against `mcf::solve`; the workspace root's tests include this file too (by path),
//! to check a network that an application exported.

use std::collections::VecDeque;

use mcf::Network;

/// A residual graph: arc `2k` and its reverse `2k + 1`.
struct Residual {
    head: Vec<usize>,
    cap: Vec<i128>,
    cost: Vec<i128>,
    out: Vec<Vec<usize>>,
}

impl Residual {
    fn new(nodes: usize) -> Residual {
        Residual { head: Vec::new(), cap: Vec::new(), cost: Vec::new(), out: vec![Vec::new(); nodes] }
    }

    /// Adds `u → v` with bounds `lower..=cap` and `cost`, carrying `flow` already.
    fn add(&mut self, u: usize, v: usize, (lower, cap): (i128, i128), cost: i128, flow: i128) {
        self.out[u].push(self.head.len());
        self.head.push(v);
        self.cap.push(cap - flow);
        self.cost.push(cost);
        self.out[v].push(self.head.len());
        self.head.push(u);
        self.cap.push(flow - lower);
        self.cost.push(-cost);
    }

    /// Shortest paths from `s` by SPFA; `None` if `t` is unreachable. Returns (distance to t, arc into each node).
    fn shortest(&self, s: usize, t: usize) -> Option<(i128, Vec<usize>)> {
        let n = self.out.len();
        let mut dist = vec![i128::MAX; n];
        let mut via = vec![usize::MAX; n];
        let mut queued = vec![false; n];
        let mut relaxations = vec![0usize; n];
        let mut queue = VecDeque::from([s]);
        dist[s] = 0;
        queued[s] = true;
        while let Some(u) = queue.pop_front() {
            queued[u] = false;
            for &a in &self.out[u] {
                let v = self.head[a];
                if self.cap[a] > 0 && dist[u] + self.cost[a] < dist[v] {
                    dist[v] = dist[u] + self.cost[a];
                    via[v] = a;
                    relaxations[v] += 1;
                    assert!(relaxations[v] <= n + 1, "negative cycle in the residual graph (an oracle bug)");
                    if !queued[v] {
                        queued[v] = true;
                        queue.push_back(v);
                    }
                }
            }
        }
        (dist[t] != i128::MAX).then_some((dist[t], via))
    }
}

/// The minimum cost of a flow meeting `net`'s supplies within its arcs' bounds; `None` when there is none.
pub fn min_cost(net: &Network) -> Option<i128> {
    let n = net.node_count();
    if net.supply.iter().map(|&s| i128::from(s)).sum::<i128>() != 0 {
        return None;
    }
    let (s, t) = (n, n + 1);
    let mut g = Residual::new(n + 2);
    let mut excess: Vec<i128> = net.supply.iter().map(|&x| i128::from(x)).collect();
    let mut cost = 0i128;
    for e in 0..net.arc_count() {
        let (u, v) = (net.from[e] as usize, net.to[e] as usize);
        let (lower, cap, c) = (i128::from(net.lower[e]), i128::from(net.capacity[e]), i128::from(net.cost[e]));
        // Saturate every negative arc: its residual is then only the reverse, at cost −c > 0. Every other arc
        // starts at its lower bound, its residual only the forward arc, at cost c ≥ 0.
        let flow = if c < 0 { cap } else { lower };
        cost += flow * c;
        excess[u] -= flow;
        excess[v] += flow;
        g.add(u, v, (lower, cap), c, flow);
    }
    let mut to_route = 0i128;
    for (u, &x) in excess.iter().enumerate() {
        if x > 0 {
            g.add(s, u, (0, x), 0, 0);
            to_route += x;
        } else if x < 0 {
            g.add(u, t, (0, -x), 0, 0);
        }
    }
    while to_route > 0 {
        let (d, via) = g.shortest(s, t)?;
        let mut push = to_route;
        let mut v = t;
        while v != s {
            let a = via[v];
            push = push.min(g.cap[a]);
            v = g.head[a ^ 1];
        }
        let mut v = t;
        while v != s {
            let a = via[v];
            g.cap[a] -= push;
            g.cap[a ^ 1] += push;
            v = g.head[a ^ 1];
        }
        cost += push * d;
        to_route -= push;
    }
    Some(cost)
}

/// A DIMACS min-cost-flow reader written for this test: `c` comments, one `p min NODES ARCS`, `n ID SUPPLY` and
/// `a FROM TO LOW CAP COST` lines, nodes numbered from 1, with `0 ≤ LOW ≤ CAP`.
pub fn parse_dimacs(text: &str) -> Network {
    let mut net: Option<Network> = None;
    let mut declared_arcs = 0;
    for (i, line) in text.lines().enumerate() {
        let w: Vec<&str> = line.split_whitespace().collect();
        let num = |k: usize| -> i64 {
            w.get(k)
                .and_then(|x| x.parse().ok())
                .unwrap_or_else(|| panic!("line {}: no number in field {k}: {line:?}", i + 1))
        };
        match w.first().copied() {
            None | Some("c") => {}
            Some("p") => {
                assert_eq!(w.get(1), Some(&"min"), "line {}: {line:?}", i + 1);
                assert!(net.is_none(), "two 'p' lines");
                net = Some(Network::with_nodes(num(2) as usize));
                declared_arcs = num(3) as usize;
            }
            Some("n") => {
                let net = net.as_mut().expect("'n' before 'p'");
                assert_eq!(w.len(), 3, "line {}: {line:?}", i + 1);
                net.supply[num(1) as usize - 1] = num(2);
            }
            Some("a") => {
                let net = net.as_mut().expect("'a' before 'p'");
                assert_eq!(w.len(), 6, "line {}: {line:?}", i + 1);
                assert!((0..=num(4)).contains(&num(3)), "line {}: lower bound outside 0..=capacity", i + 1);
                net.add_bounded_arc(num(1) as usize - 1, num(2) as usize - 1, num(3), num(4), num(5));
            }
            Some(other) => panic!("line {}: unknown line type {other:?}", i + 1),
        }
    }
    let net = net.expect("no 'p min' line");
    assert_eq!(net.arc_count(), declared_arcs, "arc count differs from the 'p' line");
    net
}
