//! Why a need got less than it asked for, offer by offer (docs/spec.md §10): for each eligible offer, the fact or
//! rule that kept more of its money from the need (a [`Hold`]), worked out from the batch, the graph and the
//! amounts alone. needs_status.csv (`offers_why`), report.html and `explain --from` (which rebuilds the graph
//! and reads the amounts back from matches.csv) all call [`holds`], so they cannot say different things.

use std::fmt;

use crate::graph::Graph;
use crate::graph::locks::Locks;
use crate::model::{Batch, FundingMode};

/// What kept an eligible offer from giving a need more than it gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hold {
    /// It gives this need the most it gives one need (its cap per need, or its whole envelope).
    CapPerNeed,
    /// Its envelope is spent, on other needs.
    EnvelopeSpent,
    /// It has made its most awards, all to other needs.
    MaxAwards,
    /// Another offer funds this need, and that offer funds only needs it funds alone.
    FundedAlone,
    /// It funds only needs it funds alone, and other offers fund this one.
    NoCofinance,
    /// Its smallest grant is more than it has left, or more than the need still lacks.
    Floor,
    /// The need is all-or-nothing and the money left cannot fund it whole.
    WholeNotReached,
    /// The need's minimum award cannot be put together from the money left.
    MinAwardNotReached,
    /// The need's requester has received what the guardrail `max_requester_share` lets one requester receive
    /// (docs/spec.md §10).
    RequesterShare,
    /// It has money left and no rule holds it back: this allocation did not use it (a search stopped by a limit,
    /// or the greedy baseline).
    LeftUnused,
    /// The ledger says its donor declined this need (docs/spec.md §9): it gives it no new money.
    Declined,
    /// Its award to this need is locked by the ledger, and an offer with a smallest grant or a most number of
    /// awards does not add to a locked award (docs/spec.md §9).
    LockedAward,
}

impl Hold {
    /// Every hold, in the order they are checked and listed.
    pub const ALL: [Hold; 12] = [
        Hold::Declined,
        Hold::LockedAward,
        Hold::CapPerNeed,
        Hold::EnvelopeSpent,
        Hold::MaxAwards,
        Hold::FundedAlone,
        Hold::NoCofinance,
        Hold::Floor,
        Hold::WholeNotReached,
        Hold::MinAwardNotReached,
        Hold::RequesterShare,
        Hold::LeftUnused,
    ];

    /// The code used in needs_status.csv and `explain --format json`.
    pub fn code(self) -> &'static str {
        match self {
            Hold::CapPerNeed => "cap_per_need",
            Hold::EnvelopeSpent => "envelope_spent",
            Hold::MaxAwards => "max_awards",
            Hold::FundedAlone => "funded_alone",
            Hold::NoCofinance => "no_cofinance",
            Hold::Floor => "floor",
            Hold::WholeNotReached => "all_or_nothing",
            Hold::RequesterShare => "requester_share",
            Hold::MinAwardNotReached => "min_award",
            Hold::LeftUnused => "left_unused",
            Hold::Declined => "declined",
            Hold::LockedAward => "locked_award",
        }
    }

    /// The hold a code names.
    pub fn from_code(code: &str) -> Option<Hold> {
        Hold::ALL.into_iter().find(|h| h.code() == code)
    }
}

/// How many eligible offers each hold kept from a need: the `offers_why` column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HoldCounts([u32; Hold::ALL.len()]);

impl HoldCounts {
    /// Counts the holds of a list.
    pub fn of(holds: &[Hold]) -> HoldCounts {
        let mut counts = HoldCounts::default();
        for &h in holds {
            counts.0[h as usize] += 1;
        }
        counts
    }

    /// Each hold that applies with its count, in [`Hold::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (Hold, u32)> + '_ {
        Hold::ALL.into_iter().map(|h| (h, self.0[h as usize])).filter(|&(_, c)| c > 0)
    }

    /// Whether no hold is counted (a funded need, or one without eligible offers).
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|&c| c == 0)
    }
}

impl fmt::Display for HoldCounts {
    /// `envelope_spent:3;max_awards:1`, empty when nothing is counted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (hold, count)) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(";")?;
            }
            write!(f, "{}:{count}", hold.code())?;
        }
        Ok(())
    }
}

/// What the allocation takes from each offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferTotals {
    /// Dollars given.
    pub given: Vec<i64>,
    /// Needs funded.
    pub awards: Vec<usize>,
    /// Needs eligible.
    pub eligible: Vec<usize>,
    /// What each requester's cap (`max_requester_share`) leaves it, by the graph's requester numbers (empty
    /// without caps).
    pub requester_left: Vec<i64>,
}

impl OfferTotals {
    /// Totals of `amounts`, one per edge of `graph`.
    pub fn of(batch: &Batch, graph: &Graph, amounts: &[i64]) -> OfferTotals {
        let offers = batch.offers.len();
        let mut t = OfferTotals {
            given: vec![0; offers],
            awards: vec![0; offers],
            eligible: vec![0; offers],
            requester_left: graph.caps.as_ref().map_or(Vec::new(), |caps| caps.limit.clone()),
        };
        for (e, &x) in graph.edges.iter().zip(amounts) {
            let o = e.offer as usize;
            if let Some(caps) = &graph.caps {
                t.requester_left[caps.requester_of[e.need as usize] as usize] -= x;
            }
            t.eligible[o] += 1;
            if x != 0 {
                t.given[o] += x;
                t.awards[o] += 1;
            }
        }
        t
    }

    /// Totals of `amounts` (one per edge of `graph`, locked money included) and, with a ledger, of its locked
    /// awards on pairs without an edge: they too spend envelopes, count as awards and take from requesters' caps.
    pub fn with_locks(batch: &Batch, graph: &Graph, amounts: &[i64], locks: Option<&Locks>) -> OfferTotals {
        let mut t = OfferTotals::of(batch, graph, amounts);
        let Some(locks) = locks else { return t };
        for lock in &locks.off_graph {
            t.given[lock.offer as usize] += lock.amount;
            t.awards[lock.offer as usize] += 1;
        }
        if let Some(caps) = &graph.caps {
            let off_graph = locks.off_graph.iter().map(|l| (l.need, l.amount));
            for (n, amount) in off_graph.chain(locks.outside.iter().map(|l| (l.need, l.amount))) {
                t.requester_left[caps.requester_of[n as usize] as usize] -= amount;
            }
        }
        t
    }

    /// What offer `o` has left.
    pub fn left(&self, batch: &Batch, o: usize) -> i64 {
        batch.offers[o].envelope.get() - self.given[o]
    }
}

/// The hold of each eligible offer of need `n`, in the graph's edge order; empty when the need is fully funded.
/// The first of the checks below that applies wins, so each offer gets one hold: first the offer's own limits and
/// rules, then, for the offers free of them, whether the money they have left could meet the need's rules.
///
/// With a ledger (`locks`), a declined pair is held by [`Hold::Declined`] and a locked award that its offer's rules
/// keep from growing by [`Hold::LockedAward`], before anything else; locked money on pairs without an edge counts
/// in what the need has.
pub fn holds(
    batch: &Batch,
    graph: &Graph,
    amounts: &[i64],
    totals: &OfferTotals,
    locks: Option<&Locks>,
    n: usize,
) -> Vec<Hold> {
    let need = &batch.needs[n];
    let range = graph.need_start[n]..graph.need_start[n + 1];
    let first = range.start;
    let edges = &graph.edges[range.clone()];
    let xs = &amounts[range];
    let allocated: i64 = xs.iter().sum::<i64>() + locks.map_or(0, |l| l.of_need_off_graph(graph, n));
    if allocated >= need.amount.get() {
        return Vec::new();
    }
    let lacking = need.amount.get() - allocated;
    let alone_funders: Vec<u32> = edges
        .iter()
        .zip(xs)
        .filter(|&(e, &x)| x > 0 && !batch.offers[e.offer as usize].allow_cofinance)
        .map(|(e, _)| e.offer)
        .collect();
    let own: Vec<Option<Hold>> = edges
        .iter()
        .zip(xs)
        .enumerate()
        .map(|(k, (e, &x))| {
            let o = e.offer as usize;
            let offer = &batch.offers[o];
            let left = totals.left(batch, o);
            if let Some(hold) = locks.and_then(|l| ledger_hold(l, batch, graph, first + k)) {
                Some(hold)
            } else if x >= e.upper {
                Some(Hold::CapPerNeed)
            } else if left <= 0 {
                Some(Hold::EnvelopeSpent)
            } else if x == 0 && offer.max_awards.is_some_and(|k| totals.awards[o] >= k as usize) {
                Some(Hold::MaxAwards)
            } else if alone_funders.iter().any(|&a| a != e.offer) {
                Some(Hold::FundedAlone)
            } else if x == 0 && allocated > 0 && !offer.allow_cofinance {
                Some(Hold::NoCofinance)
            } else if x == 0 && offer.floor_per_need.is_some_and(|f| f.get() > left.min(lacking)) {
                Some(Hold::Floor)
            } else {
                None
            }
        })
        .collect();
    // What the offers free of their own limits could still add, each up to its room for this need.
    let open: i64 = edges
        .iter()
        .zip(xs)
        .zip(&own)
        .filter(|(_, hold)| hold.is_none())
        .map(|((e, &x), _)| totals.left(batch, e.offer as usize).clamp(0, e.upper - x))
        .fold(0i64, i64::saturating_add);
    let capped = graph.caps.as_ref().is_some_and(|caps| {
        let next = if allocated == 0 { need.must_get().max(1) } else { 1 };
        totals.requester_left[caps.requester_of[n] as usize] < next
    });
    let need_rule = if capped {
        Hold::RequesterShare
    } else if allocated == 0 && need.funding_mode == FundingMode::AllOrNothing && open < need.amount.get() {
        Hold::WholeNotReached
    } else if allocated == 0 && need.min_award.is_some_and(|m| open < m.get()) {
        Hold::MinAwardNotReached
    } else {
        Hold::LeftUnused
    };
    own.into_iter().map(|hold| hold.unwrap_or(need_rule)).collect()
}

/// What the ledger holds edge `e` to: a declined pair gets no new money, and a locked award of an offer with a
/// smallest grant or a most number of awards does not grow (the rule of graph::residual).
pub fn ledger_hold(locks: &Locks, batch: &Batch, graph: &Graph, e: usize) -> Option<Hold> {
    let offer = &batch.offers[graph.edges[e].offer as usize];
    if locks.declined[e] {
        Some(Hold::Declined)
    } else if locks.on_edge[e] > 0 && (offer.floor_per_need.is_some() || offer.max_awards.is_some()) {
        Some(Hold::LockedAward)
    } else {
        None
    }
}

/// The money still open to need `n`: over its eligible offers, what each has left, up to what it could still
/// give this need, not counting offers whose own limits or rules hold them back (see [`holds`]).
pub fn money_left_for(
    batch: &Batch,
    graph: &Graph,
    amounts: &[i64],
    totals: &OfferTotals,
    locks: Option<&Locks>,
    n: usize,
) -> i128 {
    let range = graph.need_start[n]..graph.need_start[n + 1];
    let free = [Hold::WholeNotReached, Hold::MinAwardNotReached, Hold::LeftUnused];
    graph.edges[range.clone()]
        .iter()
        .zip(&amounts[range])
        .zip(holds(batch, graph, amounts, totals, locks, n))
        .filter(|(_, hold)| free.contains(hold))
        .map(|((e, &x), _)| i128::from(totals.left(batch, e.offer as usize).clamp(0, e.upper - x)))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Reference;
    use crate::graph;
    use crate::model::{Kind, Need, NeedId, Offer, OfferId, Requester, Usd};
    use crate::objective::Weights;

    fn need(id: &str, amount: i64) -> Need {
        let reference = Reference::embedded();
        Need::plain(
            NeedId(id.to_string()),
            Requester::State(reference.country_by_code("BFA").unwrap()),
            "BFA".to_string(),
            vec![reference.commitment_by_code("ITI-2a").unwrap()],
            [Kind::Equipment].into_iter().collect(),
            Usd(amount),
        )
    }

    fn offer(id: &str, envelope: i64, rules: impl FnOnce(&mut Offer)) -> Offer {
        let mut offer = Offer::unrestricted(OfferId(id.to_string()), "NLD".to_string(), Usd(envelope));
        rules(&mut offer);
        offer
    }

    /// Needs A (300), B (200), C (500, all or nothing); offers SPENT (100), AWARDS (one award), CAP (50 a need),
    /// FLOOR (grants from 280, so not eligible for B), SOLE (no co-financing). The allocation is set by hand:
    /// SPENT gives B 100, AWARDS gives B 10, CAP gives A 50.
    #[test]
    fn each_offer_gets_the_first_hold_that_applies() {
        let mut c = need("C", 500);
        c.funding_mode = FundingMode::AllOrNothing;
        let batch = Batch {
            needs: vec![need("A", 300), need("B", 200), c],
            offers: vec![
                offer("SPENT", 100, |_| {}),
                offer("AWARDS", 1000, |o| o.max_awards = Some(1)),
                offer("CAP", 1000, |o| o.cap_per_need = Some(Usd(50))),
                offer("FLOOR", 1000, |o| o.floor_per_need = Some(Usd(280))),
                offer("SOLE", 1000, |o| o.allow_cofinance = false),
            ],
        };
        let graph = graph::build(&batch, Reference::embedded(), &Weights::default());
        let given = [("B", "SPENT", 100), ("B", "AWARDS", 10), ("A", "CAP", 50)];
        let amounts: Vec<i64> = graph
            .edges
            .iter()
            .map(|e| {
                let (n, o) = (batch.needs[e.need as usize].id.as_str(), batch.offers[e.offer as usize].id.as_str());
                given.iter().find(|g| g.0 == n && g.1 == o).map_or(0, |g| g.2)
            })
            .collect();
        let totals = OfferTotals::of(&batch, &graph, &amounts);
        use Hold::*;
        assert_eq!(
            holds(&batch, &graph, &amounts, &totals, None, 0),
            [EnvelopeSpent, MaxAwards, CapPerNeed, Floor, NoCofinance]
        );
        assert_eq!(
            holds(&batch, &graph, &amounts, &totals, None, 1),
            [CapPerNeed, LeftUnused, LeftUnused, NoCofinance]
        );
        // C could still take 50 from CAP and its whole 500 from FLOOR or SOLE: the allocation left money unused.
        assert_eq!(
            holds(&batch, &graph, &amounts, &totals, None, 2),
            [EnvelopeSpent, MaxAwards, LeftUnused, LeftUnused, LeftUnused]
        );
        assert_eq!(money_left_for(&batch, &graph, &amounts, &totals, None, 2), 50 + 500 + 500);
        // With FLOOR and SOLE spent (their envelopes gone, on the graph as it was), 50 cannot fund C whole.
        let mut batch = batch;
        batch.offers[3].envelope = Usd(0);
        batch.offers[4].envelope = Usd(0);
        let totals = OfferTotals::of(&batch, &graph, &amounts);
        assert_eq!(
            holds(&batch, &graph, &amounts, &totals, None, 2),
            [EnvelopeSpent, MaxAwards, WholeNotReached, EnvelopeSpent, EnvelopeSpent]
        );
    }

    #[test]
    fn counts_are_written_in_a_fixed_order() {
        let counts = HoldCounts::of(&[Hold::MaxAwards, Hold::EnvelopeSpent, Hold::EnvelopeSpent]);
        assert_eq!(counts.to_string(), "envelope_spent:2;max_awards:1");
        assert_eq!(HoldCounts::default().to_string(), "");
        for h in Hold::ALL {
            assert_eq!(Hold::from_code(h.code()), Some(h));
        }
    }
}
