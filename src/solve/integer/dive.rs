//! Dives: broken rules settled a few at a time, re-solving after each round ([`Search::dive`] on the flow
//! relaxation, from the root), or one nearest-to-settled rule at a time on the exact relaxation
//! ([`Search::lp_dive`], every so many nodes of the tree).

use crate::error::Result;

use super::super::objective_of;
use super::allocation::Allocation;

use super::node::{Decision, NodeOutcome};
use super::node_lp::LP_ROUNDS;
use super::rules::Violation;
use super::search::Search;

/// How near to settled (in millionths, see [`fraction`](super::rules::fraction)) a broken rule of the fractional
/// optimum must be for [`Search::lp_dive`] to settle it in the same step as the nearest one.
pub(super) const LP_DIVE_NEAR: i64 = 10_000;

/// What one round of a dive decides, before it is tried.
struct DiveRound {
    /// The rule with the most money at stake among those mostly settled "on" (its funded amount, its "on" and
    /// "off" sides): only it goes "on" this round.
    on: Option<(i64, Decision, Decision)>,
    /// The "off" sides of the rules barely funded.
    off: Vec<Decision>,
    /// The largest awards an offer over max_awards keeps, switched on.
    keep: Vec<Decision>,
    /// The smallest award of each offer over max_awards, switched off (the cautious step's way to settle it).
    dropped: Vec<Decision>,
}

impl<'a> Search<'a> {
    /// Diving heuristic: from a node's flow, rounds broken rules a few at a time (a need mostly funded is switched
    /// on, one barely funded off; the larger side of a co-finance conflict is kept; the smallest awards of an offer
    /// over max_awards are dropped), re-solving after each round, until nothing is broken. Switching a need on can
    /// make the node infeasible; then that decision is turned round. Finally, needs that were switched off are
    /// tried on again one by one, in case money is left for them. With `mends`, a cautious step that the dive's own
    /// earlier "on" decisions make infeasible turns those off and goes on instead of giving up (see
    /// [`Policy::mending_dives`](super::policy::Policy::mending_dives)).
    pub(super) fn dive(
        &self,
        decisions: &[Decision],
        mut amounts: Vec<i64>,
        mends: bool,
    ) -> Result<Option<Allocation>> {
        let dive_start = decisions.len();
        let mut decisions = decisions.to_vec();
        let mut value = objective_of(self.graph, &amounts);
        for _ in 0..10_000 {
            // A dive that cannot finish in time gives nothing; the search reports what it has.
            if self.out_of_budget() {
                return Ok(None);
            }
            let violations = self.violations(&decisions, &amounts);
            if violations.is_empty() {
                break;
            }
            let DiveRound { on: round_on, off: round_off, keep: round_keep, dropped } =
                self.dive_round(violations, &amounts, &decisions);
            let mut trial = decisions.clone();
            trial.extend(round_off.iter().copied());
            trial.extend(round_keep.iter().copied());
            if let Some((_, on, _)) = round_on {
                trial.push(on);
            }
            match self.solve_node(&trial)? {
                NodeOutcome::Solved { amounts: a, value: v } => {
                    decisions = trial;
                    amounts = a;
                    value = v;
                }
                NodeOutcome::Infeasible => {
                    // Back to the cautious step: every "on" of this round turned round or left out.
                    decisions.extend(round_off);
                    decisions.extend(dropped);
                    if let Some((_, _, off)) = round_on {
                        decisions.push(off);
                    }
                    // Earlier "on" decisions can rely on edges this round closes: those are turned off too.
                    let mended = if mends {
                        self.solve_turning_off(&self.plain, &mut decisions, dive_start, "dive")?
                    } else if let NodeOutcome::Solved { amounts, .. } = self.solve_node(&decisions)? {
                        Some(amounts)
                    } else {
                        None
                    };
                    let Some(a) = mended else {
                        return Ok(None);
                    };
                    value = objective_of(self.graph, &a);
                    amounts = a;
                }
            }
        }
        if !self.violations(&decisions, &amounts).is_empty() {
            return Ok(None);
        }
        // Improvement: give switched-off needs a second chance, most valuable first.
        let mut offs: Vec<u32> =
            decisions.iter().filter_map(|d| if let Decision::NeedOff(n) = d { Some(*n) } else { None }).collect();
        offs.sort_by_key(|&n| std::cmp::Reverse((self.batch.needs[n as usize].amount, std::cmp::Reverse(n))));
        for n in offs {
            if self.out_of_budget() {
                break;
            }
            let mut trial: Vec<Decision> = decisions.iter().copied().filter(|d| *d != Decision::NeedOff(n)).collect();
            trial.push(Decision::NeedOn(n));
            if let NodeOutcome::Solved { amounts: a, value: v } = self.solve_node(&trial)?
                && v > value
                && self.violations(&trial, &a).is_empty()
            {
                decisions = trial;
                amounts = a;
                value = v;
            }
        }
        Ok(Some(Allocation { value, amounts }))
    }

    /// One round of [`Search::dive`] on a flow (`amounts`) that breaks `violations` under `decisions`.
    fn dive_round(&self, violations: Vec<Violation>, amounts: &[i64], decisions: &[Decision]) -> DiveRound {
        let totals = self.need_totals(amounts);
        let mut round_on: Option<(i64, Decision, Decision)> = None;
        let mut round_off: Vec<Decision> = Vec::new();
        // An offer over max_awards keeps its k largest awards (switched on, which switches its other edges
        // off): one round settles it, where dropping the smallest award lets the money move to another.
        let mut round_keep: Vec<Decision> = Vec::new();
        for v in &violations {
            let Violation::MaxAwards(e) = *v else { continue };
            let o = self.graph.edges[e as usize].offer as usize;
            let Some(k) = self.batch.offers[o].max_awards else { continue };
            let largest = self.awards_largest_first(o, amounts);
            round_keep.extend(largest.into_iter().take(k as usize).map(Decision::EdgeOn));
        }
        round_keep.retain(|d| !decisions.contains(d));
        let mut dropped: Vec<Decision> = Vec::new();
        for v in violations {
            if let Violation::MaxAwards(e) = v {
                dropped.push(Decision::EdgeOff(e));
                continue;
            }
            let (on, off, funded, needed) = match v {
                Violation::Need(n) => {
                    (Decision::NeedOn(n), Decision::NeedOff(n), totals[n as usize], self.must_get(n as usize))
                }
                Violation::Floor(e) => {
                    let floor = self.layout.net.capacity[self.layout.edge_must[e as usize].unwrap_or(0)];
                    (Decision::EdgeOn(e), Decision::EdgeOff(e), amounts[e as usize], floor)
                }
                Violation::Cofinance(e) => {
                    let n = self.graph.edges[e as usize].need as usize;
                    (Decision::Exclusive(e), Decision::EdgeOff(e), amounts[e as usize], totals[n] - amounts[e as usize])
                }
                Violation::MaxAwards(_) => continue,
            };
            if funded * 2 >= needed {
                // Candidates for "on": only the one with most money at stake goes this round.
                if round_on.as_ref().is_none_or(|(f, _, _)| funded > *f) {
                    round_on = Some((funded, on, off));
                }
            } else {
                round_off.push(off);
            }
        }
        DiveRound { on: round_on, off: round_off, keep: round_keep, dropped }
    }

    /// Diving on the exact relaxation ([`Search::node_lp`]), as LP-based solvers dive in the tree: from a node,
    /// settles the broken rule of the relaxation's fractional optimum that is nearest to settled, on its nearer
    /// side (and with it every rule within [`LP_DIVE_NEAR`] of settled), solves the relaxation again, and repeats
    /// until a flow breaks no rule. A side that leaves no feasible flow is turned round once; a relaxation that
    /// cannot beat `incumbent` ends the dive. The flows it ends on are repaired ([`Search::repair`]) into an
    /// allocation.
    pub(super) fn lp_dive(&mut self, decisions: &[Decision], incumbent: i128) -> Result<Option<Allocation>> {
        let mut decisions = decisions.to_vec();
        let mut last: Option<Vec<i64>> = None;
        for _ in 0..self.graph.edges.len() + self.batch.needs.len() {
            if self.out_of_budget() {
                return Ok(None);
            }
            let Some(lp) = self.node_lp(&decisions, incumbent, LP_ROUNDS)? else { break };
            if self.rounded(lp.bound) <= incumbent {
                break;
            }
            if self.violations(&decisions, &lp.charged).is_empty() {
                return self.repair(lp.charged);
            }
            let broken = self.violations(&decisions, &lp.fractional);
            if broken.is_empty() {
                return self.repair(self.fits_or(lp.fractional, lp.charged));
            }
            let totals = self.need_totals(&lp.fractional);
            // Each rule, how far the flow is from settling it, and its sides (the nearer first).
            let mut ranked: Vec<(i64, Violation, [Decision; 2])> = broken
                .iter()
                .map(|&v| {
                    (self.violation_fraction(v, &lp.fractional, &totals), v, self.plunge_order(v, &lp.fractional))
                })
                .collect();
            ranked.sort_by_key(|&(f, v, _)| (f, !matches!(v, Violation::MaxAwards(_))));
            let nearest = ranked[0].0;
            let sides: Vec<[Decision; 2]> =
                ranked.iter().filter(|(f, _, _)| *f <= nearest.max(LP_DIVE_NEAR)).map(|&(_, _, s)| s).collect();
            last = Some(self.fits_or(lp.fractional, lp.charged));
            let mut trial = decisions.clone();
            trial.extend(sides.iter().map(|s| s[0]));
            if matches!(self.solve_node(&trial)?, NodeOutcome::Solved { .. }) {
                decisions = trial;
                continue;
            }
            // Only the nearest rule, the other way round.
            decisions.push(sides[0][1]);
            if !matches!(self.solve_node(&decisions)?, NodeOutcome::Solved { .. }) {
                break;
            }
        }
        match last {
            Some(flow) => self.repair(flow),
            None => Ok(None),
        }
    }

    /// `rounded` (a convex combination of flows rounded to dollars) when it keeps every limit (edges, needs'
    /// amounts, envelopes), else `exact`, a flow: rounding can put a dollar more on a need or an offer than it
    /// holds, and the repair only takes money away where an integer rule is broken.
    pub(super) fn fits_or(&self, rounded: Vec<i64>, exact: Vec<i64>) -> Vec<i64> {
        let edges_fit = rounded.iter().zip(&self.graph.edges).all(|(&x, e)| (0..=e.upper).contains(&x));
        let needs_fit =
            || self.need_totals(&rounded).iter().zip(&self.batch.needs).all(|(&t, need)| t <= need.amount.get());
        let offers_fit = || {
            self.layout.edges_of_offer.iter().zip(&self.batch.offers).all(|(edges, offer)| {
                edges.iter().map(|&e| i128::from(rounded[e as usize])).sum::<i128>() <= i128::from(offer.envelope.get())
            })
        };
        let requesters_fit = || super::super::greedy::RequesterRoom::new(self.graph, &rounded).fits();
        if edges_fit && needs_fit() && offers_fit() && requesters_fit() { rounded } else { exact }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::integer::branching::strong_branching_candidates;
    use crate::solve::{Solution, Status, greedy};

    /// The root dive of a large search (beyond strong branching) finishes with an allocation that keeps every
    /// integer rule. Before its cautious steps turned off the earlier "on" decisions they contradict, it gave up
    /// on this batch, as on larger generated ones.
    #[test]
    fn the_dive_of_a_large_search_finishes_feasible() {
        let (batch, graph) = crate::solve::generated(500, 50, 1);
        assert_eq!(strong_branching_candidates(graph.edges.len()), 0, "a large search: {} edges", graph.edges.len());
        let search = Search::new(&batch, &graph, super::super::budget::Budget::unlimited()).unwrap();
        let root = search.root_decisions();
        let NodeOutcome::Solved { amounts, value } = search.solve_node(&root).unwrap() else {
            panic!("the root is feasible")
        };
        assert!(!search.violations(&root, &amounts).is_empty(), "the root flow breaks rules, so the dive has work");
        let Allocation { value: found, amounts: dived } =
            search.dive(&root, amounts, true).unwrap().expect("the dive finishes");
        assert!(search.violations(&[], &dived).is_empty(), "the dive's allocation keeps every rule");
        assert_eq!(found, objective_of(&graph, &dived));
        assert!(found <= value, "no allocation beats the root's bound");
        let greedy = greedy::allocate(&batch, &graph);
        assert!(found > objective_of(&graph, &greedy), "the dive beats the greedy allocation");
    }

    /// The dive on the exact relaxation ends on an allocation that keeps every rule (the invariant checks of
    /// `check.rs` pass), is worth no more than the root's relaxation, and is at least as good as the greedy
    /// allocation on generated batches where the max_awards rows bind.
    #[test]
    fn the_lp_dive_finishes_feasible() {
        let mut dived = 0;
        for seed in 1..=4 {
            let (batch, graph) = crate::solve::generated(150, 15, seed);
            let mut search = Search::new(&batch, &graph, super::super::budget::Budget::unlimited()).unwrap();
            let root = search.root_decisions();
            let NodeOutcome::Solved { value, .. } = search.solve_node(&root).unwrap() else { panic!("feasible root") };
            let greedy = objective_of(&graph, &greedy::allocate(&batch, &graph));
            search.tune_lagrange(&root, value, greedy, 150).unwrap();
            if search.lagrange.is_none() {
                continue;
            }
            let bound = search.node_lp(&root, i128::MIN, LP_ROUNDS).unwrap().expect("the root has a relaxation").bound;
            let Allocation { value: found, amounts } =
                search.lp_dive(&root, i128::MIN).unwrap().expect("the dive finishes");
            let solution = Solution {
                objective: found,
                bound,
                relaxation: value,
                status: Status::Heuristic,
                nodes: 0,
                work: 0,
                amounts,
            };
            crate::solve::check::verify(&batch, &graph, &solution).unwrap();
            // A rounded flow one dollar over an edge's limit is not repaired: the exact flow is.
            let mut over = solution.amounts.clone();
            let e = (0..graph.edges.len()).find(|&e| over[e] == graph.edges[e].upper).unwrap_or(0);
            over[e] = graph.edges[e].upper + 1;
            assert_eq!(search.fits_or(over, solution.amounts.clone()), solution.amounts);
            assert_eq!(search.fits_or(solution.amounts.clone(), Vec::new()), solution.amounts);
            assert!(found <= bound, "seed {seed}: the dive's {found} beats the relaxation's {bound}");
            assert!(found >= greedy, "seed {seed}: the dive's {found} is below greedy's {greedy}");
            dived += 1;
        }
        assert!(dived >= 2, "too few batches with max_awards rows: {dived}");
    }
}
