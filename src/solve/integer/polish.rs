//! Improving an allocation without a re-solve (award swaps, `swap.rs`, and greedy filling), and the final polish of
//! the search's result (a re-solve within its awards).

use crate::error::Result;

use super::super::greedy;
use super::super::swap::swap_awards_in;
use super::allocation::Allocation;
use super::search::{Search, Shared};

/// How many passes of award swaps [`Search::improve`] makes at most.
pub(super) const SWAP_PASSES: usize = 4;

impl Shared<'_> {
    /// See [`Search::improve`].
    pub(super) fn improve(&self, found: Allocation) -> Allocation {
        let swapped = swap_awards_in(self.batch, self.graph, found.amounts.clone(), SWAP_PASSES, &self.layout.swaps);
        let filled = Allocation::of(self.graph, self.fill(swapped));
        if filled.value > found.value { filled } else { found }
    }

    /// See [`Search::fill`].
    pub(super) fn fill(&self, amounts: Vec<i64>) -> Vec<i64> {
        greedy::fill_in(self.batch, self.graph, amounts, &self.layout.by_value, &self.layout.edge_order)
    }
}

impl<'a> Search<'a> {
    /// A feasible allocation made better without a re-solve: award swaps
    /// ([`swap_awards_in`]), then the money they freed spent with the greedy rule.
    /// Returns the allocation unchanged when that gains nothing.
    pub(super) fn improve(&self, found: Allocation) -> Allocation {
        self.shared().improve(found)
    }

    /// The greedy rule on top of `amounts`, most valuable needs first ([`greedy::fill`]).
    pub(super) fn fill(&self, amounts: Vec<i64>) -> Vec<i64> {
        self.shared().fill(amounts)
    }

    /// Polishes the search's result: swaps awards ([`Search::improve`]), then solves again with every award it
    /// makes fixed on (its floor or first dollar forced) and every other award fixed off, and keeps the result
    /// when it is worth at least as much. Within a fixed set of awards the search's tie-break against "must" arcs
    /// no longer applies, so an award is not left one dollar short of its limit while another need of equal value
    /// takes that dollar (as happened on the sample); and an allocation a heuristic built gets the best flow its
    /// awards allow (on large batches this narrows the root's gap several times over). Polishing each heuristic's
    /// result as it comes instead made the sample's draws slower and changed nothing on large batches. When a
    /// re-solve would go past the budget it keeps the swapped allocation as is.
    pub(super) fn polish(&self, incumbent: Allocation) -> Result<Allocation> {
        let improved = self.improve(incumbent);
        if self.room_for_solves(1)
            && let polished = self.reoptimise(&improved.amounts)?
            && self.violations(&[], &polished).is_empty()
        {
            let polished = Allocation::of(self.graph, polished);
            if polished.value >= improved.value {
                return Ok(polished);
            }
        }
        Ok(improved)
    }
}
