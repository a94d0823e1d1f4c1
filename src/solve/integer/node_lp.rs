//! The exact linear relaxation of a node with the max_awards rows, by column generation over flows.
//!
//! Each round prices a flow at the current Lagrangian multipliers (`lagrange.rs`), adds it as a column of a small
//! master problem (`master.rs`), and takes the master's duals as the next multipliers, until the master's optimum
//! meets the best Lagrangian bound. The bound itself always comes from a flow, so it is exact whatever the master
//! does; the master's optimum (a convex combination of flows) is what the search branches on and dives along.

use crate::error::Result;

use super::super::objective_of;
use super::lagrange::Lagrange;
use super::master::Master;
use super::node::{Decision, Fix, Fixing};
use super::search::Search;

/// Whether a search solves each node's linear relaxation with the max_awards rows exactly
/// ([`Search::node_lp`]) and strong-branches on it: searches of at most [`EXACT_RELAXATION_EDGES`] eligible
/// pairs, outside Monte Carlo draws. A node then costs some tens of re-solves instead of two, which pays where
/// the max_awards rows hold the bound: small generated batches that the Lagrangian bound left open at the node
/// limit are proved quickly with it. Draws keep the lighter Lagrangian bound: the sample's are mostly proved before
/// the multipliers are tuned.
pub(super) fn exact_relaxation(edges: usize, draw: bool, up_to: usize) -> bool {
    !draw && edges <= up_to
}

/// The largest search that solves its nodes' relaxations exactly. Twice the strong-branching range of the plain
/// search: mid-sized batches beyond that range still closed most of their remaining gap with it.
pub(super) const EXACT_RELAXATION_EDGES: usize = 10_000;

/// At most this many flows priced per node by the column generation of [`Search::node_lp`]. On the generated
/// batches it usually converges well before that (docs/solver.md §3.2); a round cut short still gives a valid
/// (weaker) bound.
pub(super) const LP_ROUNDS: usize = 40;

/// A node's linear relaxation with the max_awards rows, as [`Search::node_lp`] finds it.
pub(super) struct Relaxed {
    /// The best Lagrangian bound found: exact, from a flow.
    pub(super) bound: i128,
    /// The relaxation's optimum, a convex combination of flows, rounded to dollars: what to branch on.
    pub(super) fractional: Vec<i64>,
    /// The flow at the multipliers that give `bound`.
    pub(super) charged: Vec<i64>,
}

impl<'a> Search<'a> {
    /// The node's linear relaxation with the max_awards rows, solved by column generation: a flow priced at the
    /// Lagrangian multipliers, the multipliers re-optimised over the flows found so far by the [`Master`] (its
    /// duals), and again, until the master's optimum meets the best Lagrangian bound (within a granule), the
    /// bound cannot beat `incumbent`, the multipliers stop moving, or after `rounds` flows. Starts from the
    /// charges as they stand and leaves the best multipliers set, which is where the next node (usually a
    /// child) starts. `None` if the node has no feasible flow or no multipliers were tuned.
    ///
    /// Why: with multipliers tuned once at the root, the Lagrangian subproblem of a child has many optimal flows,
    /// and branching on one of them moves neither the flow nor the bound (on small generated batches the bound
    /// could stay at the root's for the whole search). The linear relaxation's optimum moves with every branch, as
    /// in an LP-based search.
    pub(super) fn node_lp(
        &mut self,
        decisions: &[Decision],
        incumbent: i128,
        rounds: usize,
    ) -> Result<Option<Relaxed>> {
        let Some(fixing) = self.fixing(decisions) else { return Ok(None) };
        let Some(mut l) = self.lagrange.take() else { return Ok(None) };
        let offers = std::mem::take(&mut l.offers);
        let outcome = self.column_generation(&mut l, &offers, &fixing, incumbent, rounds);
        l.offers = offers;
        self.lagrange = Some(l);
        outcome
    }

    /// [`Search::node_lp`] with the multipliers taken out of the search (`lagrange`, `offers`).
    pub(super) fn column_generation(
        &self,
        l: &mut Lagrange,
        offers: &[usize],
        fixing: &Fixing,
        incumbent: i128,
        rounds: usize,
    ) -> Result<Option<Relaxed>> {
        // One side row per max_awards offer: Σ x / u over its edges not switched on ≤ k less those switched on.
        let free_edges: Vec<Vec<u32>> = offers
            .iter()
            .map(|&o| {
                self.layout.edges_of_offer[o].iter().copied().filter(|&e| fixing.edge[e as usize] != Fix::On).collect()
            })
            .collect();
        let limits: Vec<f64> = offers
            .iter()
            .zip(&free_edges)
            .map(|(&o, free)| {
                let on = self.layout.edges_of_offer[o].len() - free.len();
                (i64::from(self.batch.offers[o].max_awards.unwrap_or(0)) - on as i64).max(0) as f64
            })
            .collect();
        let uses = |amounts: &[i64]| -> Vec<f64> {
            free_edges
                .iter()
                .map(|free| {
                    free.iter()
                        .map(|&e| amounts[e as usize] as f64 / self.graph.edges[e as usize].upper.max(1) as f64)
                        .sum()
                })
                .collect()
        };
        let cap = self.multiplier_caps(l.scale, offers);
        let mut whole: Vec<i64> = offers.iter().map(|&o| l.lambda_of_offer[o]).collect();
        // The best bound, its multipliers and its flow.
        let mut best: Option<(i128, Vec<i64>, Vec<i64>)> = None;
        let mut master: Option<Master> = None;
        let mut flows: Vec<Vec<i64>> = Vec::new();
        let mut weights = None;
        for round in 0..rounds {
            if round > 0 {
                l.set_multipliers(self, offers, &whole);
            }
            let Some(amounts) = self.solve_fixed(&l.costed, fixing)? else { return Ok(None) };
            let b = l.bound(self.graph, &amounts, fixing);
            if best.as_ref().is_none_or(|(v, _, _)| b < *v) {
                best = Some((b, whole.clone(), amounts.clone()));
            }
            let best_bound = best.as_ref().map_or(b, |(v, _, _)| *v);
            if self.rounded(best_bound) <= incumbent {
                break;
            }
            let value = objective_of(self.graph, &amounts) as f64;
            // The artificial column's penalty only has to exceed what any flow is worth.
            let m = master.get_or_insert_with(|| Master::new(&limits, 16.0 * (value.abs() + 1.0)));
            m.add(value, &uses(&amounts));
            flows.push(amounts);
            let solution = m.solve();
            if solution.feasible {
                weights = Some(solution.weights);
                if (best_bound as f64) - solution.objective < (self.granule as f64).max(1.0) {
                    break;
                }
            }
            let next: Vec<i64> = solution
                .duals
                .iter()
                .zip(&cap)
                .map(|(&y, &c)| (y * l.scale as f64).clamp(0.0, c).floor() as i64)
                .collect();
            if next == whole {
                break;
            }
            whole = next;
        }
        let Some((bound, multipliers, charged)) = best else { return Ok(None) };
        l.set_multipliers(self, offers, &multipliers);
        let fractional = match weights {
            Some(weights) => {
                let mut x = vec![0f64; self.graph.edges.len()];
                for (w, flow) in weights.iter().zip(&flows).filter(|(w, _)| **w > 0.0) {
                    for (xe, &fe) in x.iter_mut().zip(flow) {
                        *xe += w * fe as f64;
                    }
                }
                x.iter().map(|v| v.round() as i64).collect()
            }
            None => charged.clone(),
        };
        Ok(Some(Relaxed { bound, fractional, charged }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::node::NodeOutcome;
    use super::super::solve;
    use crate::solve::{Limits, Status};

    /// The exact relaxation of a node never falls below an allocation that keeps the node's decisions: on
    /// generated batches proved optimal, every set of decisions taken from the optimal allocation itself (each
    /// edge on or off as it funds, each need with a rule on or off) keeps a bound at least the optimum, at the
    /// root and after the column generation has moved the multipliers node after node. It fails when the bound
    /// charges an edge switched on twice its offer's multiplier instead of once. (A wrong side-row limit in the
    /// master cannot make it fail: the master only proposes multipliers, and every bound is computed from a flow.)
    #[test]
    fn the_exact_relaxation_never_cuts_off_the_optimum() {
        let mut checked = 0;
        for seed in 1..=6 {
            let (batch, graph) = crate::solve::generated(60, 8, seed);
            let relaxation = crate::solve::relaxation::solve(&batch, &graph).unwrap().objective;
            let optimal = solve(&batch, &graph, relaxation, Limits::default(), None).unwrap();
            if optimal.status != Status::Optimal {
                continue;
            }
            let mut search = Search::new(&batch, &graph, super::super::budget::Budget::unlimited()).unwrap();
            let root = search.root_decisions();
            let NodeOutcome::Solved { value, .. } = search.solve_node(&root).unwrap() else { panic!("feasible root") };
            search.tune_lagrange(&root, value, optimal.objective, 150).unwrap();
            if search.lagrange.is_none() {
                // No max_awards offer with edges: no side rows to relax.
                continue;
            }
            let relaxed = search.node_lp(&root, i128::MIN, LP_ROUNDS).unwrap().expect("the root has a relaxation");
            assert!(relaxed.bound >= optimal.objective, "seed {seed}: root {} < {}", relaxed.bound, optimal.objective);
            // Decisions the optimal allocation keeps, in a fixed shuffled order, taken in growing prefixes.
            let totals = search.need_totals(&optimal.amounts);
            // Only edges with integer rules can be switched on (they have a "must" arc).
            let mut kept: Vec<Decision> = (0..graph.edges.len())
                .filter_map(|e| match (optimal.amounts[e] > 0, search.layout.edge_must[e].is_some()) {
                    (true, true) => Some(Decision::EdgeOn(e as u32)),
                    (true, false) => None,
                    (false, _) => Some(Decision::EdgeOff(e as u32)),
                })
                .chain(
                    (0..batch.needs.len())
                        .filter(|&n| batch.needs[n].has_integer_rules())
                        .map(|n| if totals[n] > 0 { Decision::NeedOn(n as u32) } else { Decision::NeedOff(n as u32) }),
                )
                .collect();
            let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
            for i in (1..kept.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                kept.swap(i, (state % (i as u64 + 1)) as usize);
            }
            for size in [1, 2, 4, 8, 16, 32, 64, kept.len()] {
                let decisions: Vec<Decision> = root.iter().chain(&kept[..size.min(kept.len())]).copied().collect();
                let relaxed =
                    search.node_lp(&decisions, i128::MIN, LP_ROUNDS).unwrap().expect("the optimum keeps them");
                assert!(
                    relaxed.bound >= optimal.objective,
                    "seed {seed}, {size} decisions: bound {} below the optimum {}",
                    relaxed.bound,
                    optimal.objective
                );
                checked += 1;
            }
        }
        assert!(checked >= 16, "too few batches were proved optimal to check: {checked} node bounds");
    }
}
