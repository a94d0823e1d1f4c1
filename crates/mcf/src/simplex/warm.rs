//! Warm re-solves: a solver kept between solves of one network whose arc costs change between them.

use super::hub_start::{hub_start_with, star_candidates};
use super::{FlowError, Simplex};
use crate::feasibility::{self, Infeasibility};
use crate::{Network, prepare};

/// A network simplex that keeps its basis between solves, so a series of problems that differ only in arc costs
/// (branch and bound expresses every decision as a cost) re-optimises from the last optimal tree: a cost change
/// leaves the flow feasible, so only the pivots that the change calls for are made.
#[derive(Clone)]
pub struct WarmSimplex {
    inner: Simplex,
    /// Each arc's lower bound, moved into the supplies of the network the simplex solves; empty when every lower
    /// bound is 0, which spares a copy per clone (branch and bound clones its solvers).
    lower: Vec<i64>,
}

impl WarmSimplex {
    /// Prepares `net`; `max_cost` bounds the absolute value of any cost that [`WarmSimplex::set_cost`] will set.
    pub fn new(net: &Network, max_cost: i64) -> Result<WarmSimplex, FlowError> {
        WarmSimplex::with_candidates(net, max_cost, &star_candidates(net))
    }

    /// [`WarmSimplex::new`] with the star start's candidates computed beforehand ([`star_candidates`]); on a
    /// network with lower bounds they are computed anew.
    pub fn with_candidates(net: &Network, max_cost: i64, candidates: &[u32]) -> Result<WarmSimplex, FlowError> {
        prepare::validate(net)?;
        let shifted = prepare::without_lower_bounds(net)?;
        let (work, own_candidates) = match &shifted {
            Some(work) => (work, star_candidates(work)),
            None => (net, Vec::new()),
        };
        let candidates = if shifted.is_some() { &own_candidates } else { candidates };
        let mut inner = Simplex::new(work, max_cost)?;
        if let Some(start) = hub_start_with(work, candidates) {
            inner.start_from_star(work, &start);
        }
        let lower = if shifted.is_some() { net.lower.clone() } else { Vec::new() };
        Ok(WarmSimplex { inner, lower })
    }

    /// Changes the cost of arc `e` (takes effect at the next [`WarmSimplex::optimise`]). The potentials follow
    /// at once, and only where they must: a tree arc's change shifts the subtree below it, any other arc's
    /// change moves nothing (a caller such as branch and bound changes a handful of arcs between re-solves, so a
    /// walk over the whole tree for each of them would cost more than the changes call for).
    pub fn set_cost(&mut self, e: usize, cost: i64) {
        let delta = cost - self.inner.cost[e];
        if delta != 0 {
            self.inner.cost[e] = cost;
            self.inner.tree_cost_changed(e, delta);
        }
    }

    /// The current cost of arc `e`.
    #[inline]
    pub fn cost(&self, e: usize) -> i64 {
        self.inner.cost[e]
    }

    /// Re-optimises from the current basis; [`FlowError::Infeasible`] with its cut when no flow meets the
    /// supplies (found by the simplex itself, which keeps the feasible path of warm re-solves free of checks; the
    /// cut is computed only then).
    #[inline]
    pub fn optimise(&mut self) -> Result<u64, FlowError> {
        let pivots = self.inner.optimise()?;
        if self.inner.is_feasible() { Ok(pivots) } else { Err(self.infeasibility()) }
    }

    /// The cut that proves no flow exists, rebuilt from the solver's own arrays: each node's supply is its net
    /// outflow over every arc, artificial ones included, since every basis conserves flow.
    #[cold]
    fn infeasibility(&self) -> FlowError {
        let s = &self.inner;
        let (n, m) = (s.node_count, s.real_arcs());
        let mut supply = vec![0i64; n + 1];
        for e in 0..s.from.len() {
            supply[s.from[e] as usize] += s.flow[e];
            supply[s.to[e] as usize] -= s.flow[e];
        }
        supply.truncate(n);
        let Some(cut) = feasibility::check(&supply, &s.from[..m], &s.to[..m], &s.cap[..m]) else {
            return FlowError::TooLarge(
                "artificial flow is left though a flow exists: a cost above the bound given to WarmSimplex::new?"
                    .into(),
            );
        };
        let mut net = Network {
            supply,
            from: s.from[..m].to_vec(),
            to: s.to[..m].to_vec(),
            lower: vec![0; m],
            capacity: s.cap[..m].to_vec(),
            cost: s.cost[..m].to_vec(),
        };
        for (e, &lower) in self.lower.iter().enumerate() {
            net.supply[net.from[e] as usize] += lower;
            net.supply[net.to[e] as usize] -= lower;
            net.lower[e] = lower;
            net.capacity[e] += lower;
        }
        FlowError::Infeasible(Box::new(Infeasibility::new(&net, &cut)))
    }

    /// Elementary steps taken since the solver was made (arcs priced, tree nodes walked, in every re-solve and
    /// cost change): a count of its work that does not depend on the machine, its load or the thread it runs on,
    /// so a caller can stop a series of re-solves at the same point on every run (a work limit), where a time
    /// limit would stop it wherever the clock says.
    pub fn operations(&self) -> u64 {
        self.inner.operations
    }

    /// The flow on arc `e`, its lower bound included.
    #[inline]
    pub fn flow(&self, e: usize) -> i64 {
        self.inner.flow[e] + self.lower.get(e).copied().unwrap_or(0)
    }

    /// Number of arcs of the network.
    #[inline]
    pub fn arc_count(&self) -> usize {
        self.inner.real_arcs()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve;

    #[test]
    fn warm_re_solves_after_cost_changes_match_cold_solves() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let mut checked = 0;
        for _ in 0..200 {
            let n = rng.gen_range(3..12);
            let mut net = Network::with_nodes(n);
            for _ in 0..rng.gen_range(n..4 * n) {
                let (a, b) = (rng.gen_range(0..n), rng.gen_range(0..n));
                if a != b {
                    net.add_arc(a, b, rng.gen_range(0..20), rng.gen_range(-10..10));
                }
            }
            // A path through every node with room for everything keeps each network feasible.
            for u in 1..n {
                net.add_arc(u - 1, u, 1_000, 50);
                net.add_arc(u, u - 1, 1_000, 50);
            }
            let s = rng.gen_range(1..15);
            net.supply[0] += s;
            net.supply[n - 1] -= s;
            let mut warm = WarmSimplex::new(&net, 100).expect("valid");
            warm.optimise().expect("feasible");
            for _ in 0..10 {
                for _ in 0..rng.gen_range(1..4) {
                    let e = rng.gen_range(0..net.arc_count());
                    net.cost[e] = rng.gen_range(-100..100);
                    warm.set_cost(e, net.cost[e]);
                }
                warm.optimise().expect("feasible");
                // The potentials kept up to date equal those recomputed from the tree (up to a constant: only
                // differences are used).
                let relative = |w: &WarmSimplex| -> Vec<i64> {
                    let root = w.inner.pi[w.inner.node_count];
                    w.inner.pi.iter().map(|x| x - root).collect()
                };
                let kept = relative(&warm);
                warm.inner.recompute_potentials();
                assert_eq!(kept, relative(&warm));
                let warm_cost: i128 = (0..net.arc_count()).map(|e| i128::from(warm.flow(e) * net.cost[e])).sum();
                assert_eq!(warm_cost, solve(&net).expect("feasible").cost);
                checked += 1;
            }
        }
        assert_eq!(checked, 2_000);
    }

    /// Lower bounds: the flows include them, and an infeasible network gets the same certificate as from
    /// [`solve`], rebuilt from the solver's own arrays.
    #[test]
    fn lower_bounds_and_infeasibility_as_in_cold_solves() {
        let mut net = Network::with_nodes(3);
        net.supply = vec![4, 0, -4];
        net.add_arc(0, 2, 10, 5);
        net.add_arc(0, 1, 3, 1);
        net.add_bounded_arc(1, 2, 2, 3, 1);
        net.add_bounded_arc(2, 1, 1, 1, 7);
        let mut warm = WarmSimplex::new(&net, 100).unwrap();
        warm.optimise().unwrap();
        let cold = solve(&net).unwrap();
        assert_eq!((0..net.arc_count()).map(|e| warm.flow(e)).collect::<Vec<_>>(), cold.flow);
        // 1 → 2 carries the unit that 2 → 1 must bring back, so 0 → 1 has room for 2 only.
        assert_eq!(cold.flow, vec![2, 2, 3, 1]);
        net.supply = vec![15, 0, -15];
        let mut warm = WarmSimplex::new(&net, 100).unwrap();
        let Err(FlowError::Infeasible(why)) = warm.optimise() else { panic!("feasible") };
        assert_eq!(Err(FlowError::Infeasible(why)), solve(&net));
    }

    /// The work count is a function of the network and the calls alone: two solvers given the same changes count
    /// the same steps, a re-solve that pivots counts more, and one with nothing to do counts the pricing scan only.
    #[test]
    fn operations_count_the_same_steps_for_the_same_calls() {
        let mut net = Network::with_nodes(4);
        net.supply = vec![6, 0, 0, -6];
        for (a, b, c) in [(0, 1, -3), (0, 2, -1), (1, 3, 0), (2, 3, 0), (0, 3, 0)] {
            net.add_arc(a, b, 4, c);
        }
        let run = || {
            let mut warm = WarmSimplex::new(&net, 100).unwrap();
            let mut counts = vec![warm.operations()];
            warm.optimise().unwrap();
            counts.push(warm.operations());
            warm.optimise().unwrap();
            counts.push(warm.operations());
            warm.set_cost(1, 40);
            warm.optimise().unwrap();
            counts.push(warm.operations());
            counts
        };
        let counts = run();
        assert_eq!(counts, run());
        assert!(counts[1] > counts[0], "{counts:?}");
        assert_eq!(counts[2] - counts[1], net.arc_count() as u64, "an optimal basis costs one scan: {counts:?}");
        assert!(counts[3] > counts[2] + net.arc_count() as u64, "a change that pivots costs more: {counts:?}");
        assert_eq!(solve(&net).unwrap().operations, counts[1] - counts[0]);
    }
}
