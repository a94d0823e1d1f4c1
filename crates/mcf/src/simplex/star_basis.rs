//! Installing a [`StarStart`] in place of the artificial basis: it is checked to be a tree around the hub and
//! strongly feasible, and only then are the flows, arc states, tree links and potentials rebuilt from it.

use super::{LOWER, NONE, Simplex, StarStart, TREE, TreeNode, UPPER};
use crate::Network;

impl Simplex {
    /// Replaces the artificial basis by a star around `hub` with the `saturated` arcs at capacity; returns
    /// whether it did (the start must be strongly feasible: arcs toward the hub below capacity, arcs away from
    /// it carrying flow).
    pub(super) fn start_from_star(&mut self, net: &Network, start: &StarStart) -> bool {
        let (hub, star_arc, saturated) = (start.hub, &start.star_arc, &start.saturated);
        let n = self.node_count;
        let m = net.arc_count();
        if hub >= n || star_arc.len() != n {
            return false;
        }
        let mut balance: Vec<i64> = net.supply.clone();
        let mut is_saturated = vec![false; m];
        for &e in saturated {
            if e >= m || is_saturated[e] {
                return false;
            }
            is_saturated[e] = true;
            balance[net.from[e] as usize] -= net.capacity[e];
            balance[net.to[e] as usize] += net.capacity[e];
        }
        // Parents, and an order in which every node comes after its parent (none if the arcs do not form a tree
        // around the hub).
        let mut parent = vec![NONE; n];
        for u in (0..n).filter(|&u| u != hub) {
            let a = star_arc[u] as usize;
            if a >= m || is_saturated[a] {
                return false;
            }
            let (from, to) = (net.from[a] as usize, net.to[a] as usize);
            parent[u] = if from == u && to != u {
                to as u32
            } else if to == u && from != u {
                from as u32
            } else {
                return false;
            };
        }
        let mut children: Vec<Vec<u32>> = vec![Vec::new(); n];
        for u in (0..n).filter(|&u| u != hub) {
            children[parent[u] as usize].push(u as u32);
        }
        let mut order = vec![hub as u32];
        let mut i = 0;
        while i < order.len() {
            order.extend_from_slice(&children[order[i] as usize]);
            i += 1;
        }
        if order.len() != n {
            return false;
        }
        // Flows on the parent arcs, leaves first: each carries what its subtree has left over.
        let mut star_flow = vec![0i64; n];
        let mut at_capacity = vec![false; n];
        for &u in order.iter().rev() {
            let u = u as usize;
            if u == hub {
                continue;
            }
            let a = star_arc[u] as usize;
            let cap = net.capacity[a];
            let ok = if net.from[a] as usize == u {
                star_flow[u] = balance[u];
                // At capacity, the arc starts outside the tree (at its upper bound) and the node hangs from the
                // root by its artificial arc, which carries nothing.
                at_capacity[u] = balance[u] == cap;
                (0..=cap).contains(&balance[u])
            } else {
                star_flow[u] = -balance[u];
                star_flow[u] > 0 && star_flow[u] <= cap
            };
            if !ok {
                return false;
            }
            balance[parent[u] as usize] += balance[u];
        }
        // The start is valid: rebuild flows, states and the tree.
        let root = n;
        for (e, &full) in is_saturated.iter().enumerate() {
            self.flow[e] = if full { net.capacity[e] } else { 0 };
            self.state[e] = if net.capacity[e] == 0 {
                TREE
            } else if full {
                UPPER
            } else {
                LOWER
            };
        }
        for u in 0..n {
            // Artificial arcs stay out of the basis and out of pricing; only the hub's joins it to the root.
            self.flow[m + u] = 0;
            self.state[m + u] = TREE;
        }
        for node in &mut self.nodes {
            *node = TreeNode::leaf(root);
        }
        self.nodes[root].parent = NONE;
        self.nodes[root].size = (n + 1) as u32;
        let hang_from_root = |s: &mut Simplex, u: usize| {
            let art = m + u;
            s.from[art] = u as u32;
            s.to[art] = root as u32;
            s.cost[art] = 0;
            s.nodes[u].parent = root as u32;
            s.nodes[u].pred = art as u32;
            s.nodes[u].up = true;
        };
        hang_from_root(self, hub);
        for &u in &order[1..] {
            let u = u as usize;
            let a = star_arc[u] as usize;
            self.flow[a] = star_flow[u];
            if at_capacity[u] {
                // (An arc without capacity stays out of pricing, as everywhere.)
                self.state[a] = if net.capacity[a] == 0 { TREE } else { UPPER };
                hang_from_root(self, u);
                continue;
            }
            self.state[a] = TREE;
            self.nodes[u].parent = parent[u];
            self.nodes[u].pred = a as u32;
            self.nodes[u].up = net.from[a] as usize == u;
        }
        // Subtree sizes, leaves first, then the child lists and the potentials.
        for &u in order.iter().rev() {
            let u = u as usize;
            let p = self.nodes[u].parent as usize;
            if p != root {
                self.nodes[p].size += self.nodes[u].size;
            }
        }
        for &u in &order {
            let u = u as usize;
            let p = self.nodes[u].parent as usize;
            self.attach(u, p);
        }
        self.recompute_potentials();
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simplex::hub_start::hub_start;
    use crate::simplex::tests::check_optimality;
    use crate::solve;

    /// Solves `net` with [`solve`] (which takes the hub start where it can) and from the artificial start alone,
    /// checks both reach the same optimal cost, and says whether the hub start was really taken.
    fn same_optimum_from_both_starts(net: &Network) -> bool {
        let with_hub = solve(net).unwrap();
        check_optimality(net, &with_hub);
        let mut plain = Simplex::new(net, 0).unwrap();
        plain.optimise().unwrap();
        assert!(plain.is_feasible());
        assert_eq!(with_hub.cost, net.cost_of(&plain.flow[..net.arc_count()]));
        hub_start(net).is_some_and(|start| Simplex::new(net, 0).unwrap().start_from_star(net, &start))
    }

    /// Two-level networks (supply nodes, transit nodes, one hub with all demand, direct arcs from each supply
    /// node to the hub): the hub start and the artificial start reach the same optimum, and the hub start is
    /// really taken.
    #[test]
    fn hub_start_reaches_the_same_optimum_as_the_artificial_start() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let mut started_from_hub = 0;
        for _ in 0..300 {
            let (sources, transits) = (rng.gen_range(1..8), rng.gen_range(1..5));
            let hub = sources + transits;
            let mut net = Network::with_nodes(hub + 1);
            let mut total = 0;
            for n in 0..sources {
                for o in 0..transits {
                    if rng.gen_bool(0.6) {
                        net.add_arc(n, sources + o, rng.gen_range(0..9), -rng.gen_range(1..40));
                    }
                }
            }
            for o in 0..transits {
                net.add_arc(sources + o, hub, rng.gen_range(0..15), 0);
            }
            for n in 0..sources {
                net.supply[n] = rng.gen_range(0..10);
                total += net.supply[n];
            }
            for n in 0..sources {
                // Either a direct arc that can hold the whole supply and more, or one exactly at the supply.
                let cap = if rng.gen_bool(0.5) { total + 1 } else { net.supply[n] };
                net.add_arc(n, hub, cap, 0);
            }
            net.supply[hub] = -total;
            started_from_hub += usize::from(same_optimum_from_both_starts(&net) && total > 0);
        }
        assert!(started_from_hub > 200, "{started_from_hub}");
    }

    /// Networks with transit chains: arcs from supply nodes enter chain nodes that lead to a first-level transit
    /// node through chain arcs (and have an arc without capacity into the hub), and each supply node's direct arc
    /// to the hub is split in two parallel arcs. The tree start goes through
    /// the chains, is really taken, and reaches the artificial start's optimum.
    #[test]
    fn tree_start_through_chains_reaches_the_same_optimum() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(12);
        let mut started = 0;
        for _ in 0..300 {
            let (sources, transits) = (rng.gen_range(1..8), rng.gen_range(1..4));
            let hub = sources + transits;
            let mut net = Network::with_nodes(hub + 1);
            // Up to three chain nodes per transit node, each leading to the previous one (the first to the transit
            // node itself).
            let mut entries: Vec<usize> = Vec::new();
            for o in 0..transits {
                let mut towards = sources + o;
                entries.push(towards);
                for _ in 0..rng.gen_range(0..3) {
                    let chain = net.node_count();
                    net.supply.push(0);
                    net.add_arc(chain, towards, rng.gen_range(1..12), 0);
                    net.add_arc(chain, hub, 0, 0);
                    entries.push(chain);
                    towards = chain;
                }
            }
            for o in 0..transits {
                net.add_arc(sources + o, hub, rng.gen_range(0..15), 0);
            }
            let mut total = 0;
            for n in 0..sources {
                for &to in &entries {
                    if rng.gen_bool(0.4) {
                        net.add_arc(n, to, rng.gen_range(0..9), -rng.gen_range(1..40));
                    }
                }
                net.supply[n] = rng.gen_range(0..10);
                total += net.supply[n];
            }
            for n in 0..sources {
                let second = rng.gen_range(0..=net.supply[n]);
                net.add_arc(n, hub, net.supply[n] - second, 0);
                net.add_arc(n, hub, second, 0);
            }
            net.supply[hub] = -total;
            started += usize::from(same_optimum_from_both_starts(&net) && total > 0);
        }
        assert!(started > 200, "{started}");
    }
}
