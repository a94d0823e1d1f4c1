//! Why a need is not fully funded: a typed reason, written to needs_status.csv as a code (`outranked`,
//! `no_eligible_offer:kind`, ...) and shown on the page in words (see [`super::words::shortfall_text`]).

use std::fmt;

use crate::graph::locks::Locks;

use crate::graph::{Graph, Reason};
use crate::model::{Batch, FundingMode};

use super::why::OfferTotals;

/// The reason a need got less than it asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shortfall {
    /// No offer is eligible; the rule that excluded the most offers.
    NoEligibleOffer(Reason),
    /// An all-or-nothing need could not be funded whole.
    AllOrNothingNotMet,
    /// The need's minimum award could not be met.
    BelowMinAward,
    /// Every eligible offer gives it its cap per need already.
    CapsReached,
    /// Every eligible offer with room left for it has spent its envelope.
    EnvelopesExhausted,
    /// The eligible offers with money left have made their most awards.
    MaxAwardsReached,
    /// The requester has received what `max_requester_share` lets it (docs/spec.md §10).
    RequesterShareReached,
    /// The money went to needs worth more per dollar.
    Outranked,
}

impl Shortfall {
    /// Every reason that names no eligibility rule.
    pub const ALL_BUT_RULES: [Shortfall; 7] = [
        Shortfall::AllOrNothingNotMet,
        Shortfall::BelowMinAward,
        Shortfall::CapsReached,
        Shortfall::EnvelopesExhausted,
        Shortfall::MaxAwardsReached,
        Shortfall::RequesterShareReached,
        Shortfall::Outranked,
    ];

    /// The code written in needs_status.csv.
    pub fn code(self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Shortfall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = match self {
            Shortfall::NoEligibleOffer(rule) => return write!(f, "no_eligible_offer:{}", rule.code()),
            Shortfall::AllOrNothingNotMet => "all_or_nothing_not_met",
            Shortfall::BelowMinAward => "below_min_award",
            Shortfall::CapsReached => "caps_reached",
            Shortfall::EnvelopesExhausted => "envelopes_exhausted",
            Shortfall::MaxAwardsReached => "max_awards_reached",
            Shortfall::RequesterShareReached => "requester_share_reached",
            Shortfall::Outranked => "outranked",
        };
        f.write_str(code)
    }
}

/// Why need `n`, which has eligible offers, is not fully funded: the first of the reasons below that holds.
pub(super) fn classify(
    batch: &Batch,
    graph: &Graph,
    amounts: &[i64],
    n: usize,
    used: &OfferTotals,
    locks: Option<&Locks>,
    allocated: i64,
) -> Shortfall {
    let need = &batch.needs[n];
    let range = graph.need_start[n]..graph.need_start[n + 1];
    // The guardrail binds when the requester's cap leaves less than the need's next dollar, or than what its
    // rule asks of a first award.
    if let Some(caps) = &graph.caps {
        let left = used.requester_left[caps.requester_of[n] as usize];
        let next = if allocated == 0 { need.must_get().max(1) } else { 1 };
        if left < next {
            return Shortfall::RequesterShareReached;
        }
    }
    if allocated == 0 && need.funding_mode == FundingMode::AllOrNothing {
        return Shortfall::AllOrNothingNotMet;
    }
    if allocated == 0 && need.min_award.is_some() {
        return Shortfall::BelowMinAward;
    }
    // An edge the ledger holds (declined, or a locked award that cannot grow) is as closed as one at its cap.
    let held = |e: usize| locks.is_some_and(|l| super::why::ledger_hold(l, batch, graph, e).is_some());
    let open: Vec<usize> = range
        .filter(|&e| amounts[e] < graph.edges[e].upper && !held(e))
        .map(|e| graph.edges[e].offer as usize)
        .collect();
    if open.is_empty() {
        return Shortfall::CapsReached;
    }
    let spent = |o: usize| used.given[o] >= batch.offers[o].envelope.get();
    if open.iter().all(|&o| spent(o)) {
        return Shortfall::EnvelopesExhausted;
    }
    if open.iter().all(|&o| spent(o) || batch.offers[o].max_awards.is_some_and(|k| used.awards[o] >= k as usize)) {
        return Shortfall::MaxAwardsReached;
    }
    Shortfall::Outranked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_those_of_needs_status_csv() {
        assert_eq!(Shortfall::NoEligibleOffer(Reason::Kind).code(), "no_eligible_offer:kind");
        assert_eq!(Shortfall::Outranked.code(), "outranked");
        assert_eq!(Shortfall::AllOrNothingNotMet.code(), "all_or_nothing_not_met");
    }
}
