//! Repair: a flow that breaks rules made into an allocation by taking away the money that breaks them, spending
//! what that frees with the greedy rule, and re-solving within the awards that are left (`within.rs`).

use crate::error::{Error, Result};

use super::allocation::Allocation;

use super::rules::Violation;
use super::search::Search;
use super::within;

impl<'a> Search<'a> {
    /// A feasible allocation near a flow that breaks rules: [`Search::strip`] what breaks them, spend what that
    /// frees with the greedy rule (most valuable needs first), swap awards ([`Search::improve`]), re-solve with
    /// the structure that is left ([`Search::reoptimise`]), then spend what is still free with the greedy rule.
    pub(super) fn repair(&self, amounts: Vec<i64>) -> Result<Option<Allocation>> {
        let filled = self.fill(self.strip(amounts));
        // Swaps first, so that the re-solve works on the better set of awards (a slightly smaller gap on the
        // largest batches).
        let filled = self.improve(Allocation::of(self.graph, filled)).amounts;
        let better = self.reoptimise(&filled)?;
        let filled = self.fill(better);
        if !self.violations(&[], &filled).is_empty() {
            return Err(Error::internal("the repair heuristic broke an integer rule"));
        }
        Ok(Some(Allocation::of(self.graph, filled)))
    }

    /// The best allocation that funds exactly the needs and awards that the feasible allocation `amounts` funds
    /// (among those with integer rules; others stay free), solved on its own small network
    /// ([`within::best_within`]). It keeps every rule and is worth at least as much as `amounts`.
    pub(super) fn reoptimise(&self, amounts: &[i64]) -> Result<Vec<i64>> {
        let (best, work) = within::best_within(self.batch, self.graph, &self.layout, amounts)?;
        self.borrow_work(work);
        Ok(best)
    }

    /// Makes a flow keep every integer rule by taking money away: a need below what its rule demands, an award
    /// below the floor, an award that shares its need against the offer's rule and an offer's smallest awards
    /// beyond max_awards lose their money, until nothing is broken. Never adds money, so no envelope or cap can
    /// break; the result is a feasible allocation.
    pub(super) fn strip(&self, mut amounts: Vec<i64>) -> Vec<i64> {
        loop {
            let violations = self.violations(&[], &amounts);
            if violations.is_empty() {
                return amounts;
            }
            for v in violations {
                match v {
                    Violation::Need(n) => amounts[self.layout.edge_of_need[n as usize].clone()].fill(0),
                    Violation::Floor(e) | Violation::Cofinance(e) | Violation::MaxAwards(e) => amounts[e as usize] = 0,
                }
            }
        }
    }

    /// The edges of offer `o` that carry money in `amounts`, largest award first (edge index on ties).
    pub(super) fn awards_largest_first(&self, o: usize, amounts: &[i64]) -> Vec<u32> {
        let mut funded: Vec<u32> =
            self.layout.edges_of_offer[o].iter().copied().filter(|&e| amounts[e as usize] > 0).collect();
        funded.sort_by_key(|&e| (std::cmp::Reverse(amounts[e as usize]), e));
        funded
    }
}
