//! The artificial start: the solver's arrays built from a [`Network`], with every node hung from the root by an
//! artificial arc. This basis always exists and is strongly feasible, so every solve can begin here; the hub start
//! ([`super::star_basis`]) may replace it afterwards.

use super::{FlowError, LOWER, NONE, Simplex, TREE, TreeNode};
use crate::Network;

impl Simplex {
    /// The solver for `net` on the artificial basis; `extra_max_cost` bounds any cost set later (warm re-solves),
    /// so that the artificial cost stays above every path's cost. `net` must be valid and without lower bounds
    /// ([`crate::prepare`]); networks it cannot solve exactly are refused.
    pub(super) fn new(net: &Network, extra_max_cost: i64) -> Result<Simplex, FlowError> {
        debug_assert!(!net.has_lower_bounds());
        let n = net.node_count();
        let m = net.arc_count();
        let total_supply: i128 = net.supply.iter().filter(|&&s| s > 0).map(|&s| i128::from(s)).sum();
        let limit = i128::from(i64::MAX / 8);
        if total_supply >= limit {
            return Err(FlowError::TooLarge(format!("total supply {total_supply} is too large")));
        }
        let max_cost = net.cost.iter().map(|c| i128::from(c.unsigned_abs())).max().unwrap_or(0);
        let max_cost = max_cost.max(i128::from(extra_max_cost.unsigned_abs()));
        let art_cost = (n as i128 + 1) * (max_cost + 1);
        // Potentials are sums of at most `n` arc costs plus two artificial costs: bounded by 3·M.
        if art_cost >= limit / 3 {
            return Err(FlowError::TooLarge(format!("costs up to {max_cost} on {n} nodes are too large")));
        }
        let art_cost = art_cost as i64;
        let infinite = total_supply as i64 + 1;

        let root = n;
        let arcs = m + n;
        let mut s = Simplex {
            node_count: n,
            from: Vec::with_capacity(arcs),
            to: Vec::with_capacity(arcs),
            cap: Vec::with_capacity(arcs),
            cost: Vec::with_capacity(arcs),
            flow: vec![0; arcs],
            state: vec![LOWER; arcs],
            nodes: vec![TreeNode::leaf(root); n + 1],
            pi: vec![0; n + 1],
            // A tenth of √arcs: on the transportation networks it was measured on, the pivot count hardly depends
            // on the block, so smaller blocks mean less pricing per pivot. At least 64: on small networks re-solved
            // many times (branch and bound), tiny blocks cost more in extra pivots than they save in pricing.
            block: ((arcs as f64).sqrt() as usize / 10).max(64),
            next_arc: 0,
            stack: Vec::new(),
            stem: Vec::new(),
            operations: 0,
        };
        // An arc without capacity can never carry flow: it is left out of pricing for good (state 0, like a tree
        // arc; it never enters, so nothing else reads its state).
        for (state, &cap) in s.state.iter_mut().zip(&net.capacity) {
            if cap == 0 {
                *state = TREE;
            }
        }
        s.from.extend_from_slice(&net.from);
        s.to.extend_from_slice(&net.to);
        s.cap.extend_from_slice(&net.capacity);
        s.cost.extend_from_slice(&net.cost);
        for u in 0..n {
            let a = m + u;
            let supply = net.supply[u];
            if supply >= 0 {
                s.from.push(u as u32);
                s.to.push(root as u32);
                s.cost.push(0);
                s.flow[a] = supply;
                s.nodes[u].up = true;
            } else {
                s.from.push(root as u32);
                s.to.push(u as u32);
                s.cost.push(art_cost);
                s.flow[a] = -supply;
                s.pi[u] = art_cost;
            }
            s.cap.push(infinite);
            s.state[a] = TREE;
            s.nodes[u].pred = a as u32;
        }
        s.nodes[root].parent = NONE;
        s.nodes[root].size = (n + 1) as u32;
        for u in (0..n).rev() {
            s.attach(u, root);
        }
        Ok(s)
    }
}
