//! Bulk rounding: every broken rule settled at once, re-solved, repeated; the one heuristic that finishes where a
//! re-solve takes seconds. Also the re-solve that turns off the "on" decisions a flow could not keep
//! ([`Search::solve_turning_off`]), which dives share.

use std::time::Instant;

use super::budget::Cost;

use crate::error::Result;

use super::super::objective_of;
use super::allocation::Allocation;
use super::node::{Decision, turn_off};
use super::resolve::Costed;
use super::rules::Violation;
use super::search::Search;

/// How many broken rules [`Search::round_in_bulk`] leaves to [`Search::strip`].
pub(super) const BULK_TAIL: usize = 32;

impl<'a> Search<'a> {
    /// Rounding heuristic for large searches: from a node's flow, settles every broken rule at once, each on the
    /// side closer to the flow (as [`Search::plunge_order`] picks it; an offer over max_awards keeps its largest
    /// awards), re-solves, and repeats until nothing is broken. A round's "on" decisions can together ask more than
    /// the offers hold; the re-solve then says which of them its flow could not keep (see [`Search::solve_soft`]),
    /// and those are turned off before one more solve. So a round costs one or two re-solves, where
    /// [`Search::dive`] settles one "on" per round and [`Search::plunge`] one rule per step: on the largest batches,
    /// where each re-solve is slow, only this one finishes in time.
    pub(super) fn round_in_bulk(
        &self,
        costed: &Costed,
        decisions: &[Decision],
        mut amounts: Vec<i64>,
    ) -> Result<Option<Allocation>> {
        let mut decisions = decisions.to_vec();
        let mut round_started = (Instant::now(), self.work());
        for _ in 0..64 {
            // Leave room for the repair, which costs about one round.
            let (now, work) = (Instant::now(), self.work());
            let round = Cost { work: work - round_started.1, time: now - round_started.0 };
            round_started = (now, work);
            if !self.budget.fits(work, round.times(2)) {
                break;
            }
            let violations = self.violations(&decisions, &amounts);
            trace!("rounding: {} broken rules, value {}", violations.len(), objective_of(self.graph, &amounts));
            if violations.is_empty() {
                return Ok(Some(Allocation::of(self.graph, amounts)));
            }
            if violations.len() <= BULK_TAIL {
                // The last few are stray dollars, often moved from one need to the next among flows of equal value
                // for many rounds: taking them away ends it and costs little.
                return self.repair(amounts);
            }
            let round_start = decisions.len();
            let mut seen: std::collections::HashSet<Decision> = decisions.iter().copied().collect();
            for v in violations {
                let chosen: Vec<Decision> = match v {
                    Violation::MaxAwards(e) => {
                        let o = self.graph.edges[e as usize].offer as usize;
                        let k = self.batch.offers[o].max_awards.unwrap_or(0) as usize;
                        self.awards_largest_first(o, &amounts).into_iter().skip(k).map(Decision::EdgeOff).collect()
                    }
                    _ => vec![self.plunge_order(v, &amounts)[0]],
                };
                for d in chosen {
                    if seen.insert(d) {
                        decisions.push(d);
                    }
                }
            }
            // Contradicting decisions (two exclusive offers on one need, say) lose their "on" sides.
            if self.fixing(&decisions).is_none() {
                turn_off(&mut decisions[round_start..]);
                self.off_wins(&mut decisions);
            }
            match self.solve_turning_off(costed, &mut decisions, round_start, "rounding")? {
                Some(a) => amounts = a,
                None => return Ok(None),
            }
        }
        self.repair(amounts)
    }

    /// Solves a node's decisions under `costed`; while the flow breaks some of them (their "on" sides together
    /// ask more than the offers hold, or an earlier "on" relied on edges a later decision closed), turns off the
    /// ones it breaks, or every "on" from `round_start` on when that does not explain it, and solves again, at
    /// most four times. Returns the flow, or `None` when the decisions stay contradictory.
    pub(super) fn solve_turning_off(
        &self,
        costed: &Costed,
        decisions: &mut [Decision],
        round_start: usize,
        what: &str,
    ) -> Result<Option<Vec<i64>>> {
        for _ in 0..5 {
            self.off_wins(decisions);
            let Some(fixing) = self.fixing(decisions) else {
                trace!("{what}: contradictory decisions");
                return Ok(None);
            };
            let Some((amounts, broken)) = self.solve_soft(costed, &fixing)? else { return Ok(None) };
            if broken.is_empty() {
                return Ok(Some(amounts));
            }
            let broken: std::collections::HashSet<usize> = broken.into_iter().collect();
            let mut explained = 0;
            for d in decisions.iter_mut() {
                let arc = match *d {
                    Decision::NeedOn(n) => self.layout.need_must[n as usize],
                    Decision::EdgeOn(e) | Decision::Exclusive(e) => self.layout.edge_must[e as usize],
                    _ => None,
                };
                if arc.is_some_and(|a| broken.contains(&a)) {
                    explained += 1;
                    turn_off(std::slice::from_mut(d));
                }
            }
            trace!("{what}: {} broken decisions, {explained} explained", broken.len());
            if explained < broken.len() {
                turn_off(&mut decisions[round_start..]);
            }
        }
        Ok(None)
    }
}
