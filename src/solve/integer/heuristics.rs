//! The heuristics that run once, from the root, in their order, and how the allocations they find are kept.
//!
//! At the root ([`Search::root_heuristics`]): bulk rounding (`rounding.rs`), then a dive (`dive.rs`) where it can
//! finish in time; a draw only repairs the root's flow (`repair.rs`). Then, at the policy's node
//! ([`Search::lagrangian_heuristics`]): the Lagrangian multipliers are tuned (`lagrange.rs`), the charged flow is
//! rounded, and plunges follow the charged flows at growing charges (`plunge.rs`), two at a time on a helper in a
//! wide search. Every allocation found is improved without a re-solve (`polish.rs`) before it is compared with
//! the incumbent. The heuristics that run every so many nodes are scheduled by the tree (`tree.rs`).

use std::time::Instant;

use crate::error::{Error, Result};

use super::allocation::Allocation;
use super::budget::Cost;
use super::neighbourhood::HELPER_EDGES;
use super::node::Decision;
use super::policy::{Policy, RootHeuristics};
use super::search::Search;

impl<'a> Search<'a> {
    /// The root's first heuristics, bulk rounding then a dive, each kept when it beats `incumbent` (`broken`: how
    /// many rules the root's flow breaks, which says how long a dive takes). Returns
    /// whether the incumbent reached the root's bound (the search is then over).
    pub(super) fn root_heuristics(
        &mut self,
        root: &[Decision],
        value: i128,
        amounts: &[i64],
        broken: usize,
        policy: Policy,
        incumbent: &mut Allocation,
    ) -> Result<bool> {
        let reached = self.rounded(value);
        if policy.root_heuristics == RootHeuristics::RepairOnly {
            return Ok(self.keep_better(self.repair(amounts.to_vec())?, "root repair", incumbent, reached));
        }
        let started = (Instant::now(), self.work());
        let solves = self.plain.solves.get();
        if self.keep_better(self.round_in_bulk(&self.plain, root, amounts.to_vec())?, "rounding", incumbent, reached) {
            return Ok(true);
        }
        // A dive settles about one broken rule per re-solve: where that cannot finish within the budget (the
        // largest batches break tens of thousands of rules, and each re-solve is slow), its time is left to the
        // search and the final polish instead.
        let rounding_solves = (self.plain.solves.get() - solves).max(1);
        let per_solve = Cost {
            work: (self.work() - started.1) / rounding_solves,
            time: started.0.elapsed() / u32::try_from(rounding_solves).unwrap_or(u32::MAX),
        };
        let broken = u32::try_from(broken).unwrap_or(u32::MAX);
        if !self.budget.fits(self.work(), per_solve.times(broken)) {
            trace!("dive: skipped ({broken} broken rules at {per_solve:?} per re-solve)");
            return Ok(false);
        }
        Ok(self.keep_better(self.dive(root, amounts.to_vec(), policy.mending_dives)?, "dive", incumbent, reached))
    }

    /// The heuristics that need the Lagrangian multipliers, from the root's decisions (`value` is the root's
    /// bound): tunes them (which the bound needs anyway), then bulk rounding along the charged flows and, when
    /// more than a thousandth is still open, plunges along them with the guiding charges and stronger ones (two
    /// at a time with `side_by_side`). Run at the root of a match and at node
    /// [`DRAW_LAGRANGIAN_AT`](super::policy::DRAW_LAGRANGIAN_AT) of a draw.
    pub(super) fn lagrangian_heuristics(
        &mut self,
        root: &[Decision],
        value: i128,
        incumbent: &mut Allocation,
        side_by_side: bool,
    ) -> Result<()> {
        let reached = self.rounded(value);
        self.tune_lagrange(root, value, incumbent.value, 150)?;
        let before = incumbent.value;
        if self.lagrange.is_some() {
            self.recharge(Some(1.0));
            let l = self.lagrange.as_ref().expect("checked");
            let fixing = self.fixing(root).ok_or_else(|| Error::internal("the root's decisions disagree"))?;
            if let Some(charged) = self.solve_fixed(&l.costed, &fixing)?
                && self.keep_better(
                    self.round_in_bulk(&l.costed, root, charged)?,
                    "charged rounding",
                    incumbent,
                    reached,
                )
            {
                self.recharge(None);
                return Ok(());
            }
        }
        if (value - incumbent.value) * 1000 > value {
            // With `side_by_side` (a match beyond the exact relaxation's range: draws keep the cores for other
            // draws, and on a small batch paired plunges delayed the proof several times over) and up to
            // `HELPER_EDGES`, two plunges at a time, the second on a copy of the search: each takes thousands of
            // re-solves (on large batches four of them, one after another, took a good share of the budget).
            let mut lane = (side_by_side && self.graph.edges.len() <= HELPER_EDGES).then(|| self.helper());
            let at_once = if lane.is_some() { 2 } else { 1 };
            for factors in [1.0, 2.0, 4.0, 8.0].chunks(at_once) {
                let found = match (factors, lane.as_mut()) {
                    (&[first, second], Some(lane)) => {
                        let lane_before = lane.catch_up(self);
                        let (me, beside_me) = (&mut *self, &mut *lane);
                        let (found, beside) = rayon::join(
                            move || {
                                me.recharge(Some(first));
                                me.plunge(root, true)
                            },
                            move || {
                                beside_me.recharge(Some(second));
                                beside_me.plunge(root, true)
                            },
                        );
                        self.absorb(lane, lane_before);
                        vec![found?, beside?]
                    }
                    _ => {
                        let mut found = Vec::new();
                        for &factor in factors {
                            self.recharge(Some(factor));
                            found.push(self.plunge(root, true)?);
                        }
                        found
                    }
                };
                let mut reached_it = false;
                for found in found {
                    reached_it |= self.keep_better(found, "plunge", incumbent, reached);
                }
                if reached_it {
                    break;
                }
            }
        }
        self.recharge(None);
        if incumbent.value > before && incumbent.value < reached {
            // A better target steers the subgradient steps better.
            self.tune_lagrange(root, value, incumbent.value, 150)?;
        }
        Ok(())
    }

    /// Takes a heuristic's allocation (`what` names it in the trace), improved by [`Search::improve`], as the
    /// incumbent when it is better; returns whether the incumbent now reaches `reached`, the bound.
    pub(super) fn keep_better(
        &self,
        found: Option<Allocation>,
        what: &str,
        incumbent: &mut Allocation,
        reached: i128,
    ) -> bool {
        let found = found.map(|f| self.improve(f));
        trace!("{what}: {:?}", found.as_ref().map(|f| f.value));
        if let Some(found) = found
            && found.value > incumbent.value
        {
            *incumbent = found;
        }
        incumbent.value >= reached
    }
}
