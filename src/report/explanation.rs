//! One need's outcome explained offer by offer, as `explain` prints it (docs/spec.md §10): for each eligible
//! offer what it gave, what it has left, the needs that took its money at their value per dollar against this
//! need's, and its [`Hold`]; for each other offer the rules that shut it out. Built from the batch, the graph and
//! the amounts, like the published tables, and serialised as `explain --format json` writes it.

use serde::Serialize;

use crate::catalog::Reference;
use crate::graph::locks::Locks;
use crate::graph::{self, Graph, Reason};
use crate::model::{Batch, FundingMode};
use crate::objective::ScopeMatch;

use super::rows::NeedStatus;
use super::shortfall::Shortfall;
use super::why::{self, Hold, HoldCounts, OfferTotals};

/// A need's outcome with every offer's part in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NeedExplanation {
    /// Need id.
    pub need_id: String,
    /// Requester code.
    pub requester: String,
    /// Priority 1–3.
    pub priority: u8,
    /// `partial` or `all_or_nothing`.
    pub funding_mode: &'static str,
    /// The smallest useful total, if the need sets one.
    pub min_award_usd: Option<i64>,
    /// Amount requested.
    pub requested_usd: i64,
    /// Amount allocated.
    pub allocated_usd: i64,
    /// `funded`, `partial` or `unfunded`, as in needs_status.csv.
    pub status: &'static str,
    /// Why it is not fully funded, written as needs_status.csv's reason code (empty when funded).
    #[serde(serialize_with = "shortfall_code")]
    pub reason: Option<Shortfall>,
    /// The `offers_why` cell of needs_status.csv.
    #[serde(serialize_with = "as_text")]
    pub offers_why: HoldCounts,
    /// What the eligible offers have left that this need could still take (each up to its room for the need).
    pub money_left_usd: i128,
    /// With a ledger: the part of `allocated_usd` its awards lock (left out of the JSON without a ledger).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locked: Option<LockedPart>,
    /// Every offer, in file order.
    pub offers: Vec<OfferPart>,
}

/// What a round's ledger locks in a need (docs/spec.md §9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LockedPart {
    /// Locked dollars, from any offer.
    pub locked_usd: i64,
    /// Locked awards of offers not in the batch, by offer id: they count against the need only.
    pub outside: Vec<OutsideAward>,
}

/// Locked money of an offer outside the batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutsideAward {
    /// The offer's id, as the ledger gives it.
    pub offer_id: String,
    /// Locked dollars.
    pub amount_usd: i64,
}

/// One offer's part in a need's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfferPart {
    /// Offer id.
    pub offer_id: String,
    /// Donor code.
    pub donor: String,
    /// Whether every eligibility rule holds.
    pub eligible: bool,
    /// The rules that fail, written as their codes (empty when eligible).
    #[serde(serialize_with = "rule_codes")]
    pub failed_rules: Vec<Reason>,
    /// How the offer's scope covers the need: `shares CODE`, `related to CODE` or `theme` (eligible offers).
    pub scope: Option<String>,
    /// Fit score (eligible offers).
    pub fit: Option<i64>,
    /// Value of one dollar of this offer on this need (eligible offers).
    pub value_per_usd: Option<i64>,
    /// What it gives this need, locked money included.
    pub amount_usd: i64,
    /// Of which locked by the ledger (left out of the JSON when 0).
    #[serde(skip_serializing_if = "crate::objective::is_zero")]
    pub locked_usd: i64,
    /// Its envelope.
    pub envelope_usd: i64,
    /// What it gives in all.
    pub given_usd: i64,
    /// What it has left.
    pub left_usd: i64,
    /// Needs it funds.
    pub awards: usize,
    /// Its most awards, if it sets a limit.
    pub max_awards: Option<u32>,
    /// Its cap per need, if any.
    pub cap_per_need_usd: Option<i64>,
    /// Its smallest grant, if any.
    pub floor_per_need_usd: Option<i64>,
    /// Whether it co-finances.
    pub allow_cofinance: bool,
    /// What kept it from giving this need more (eligible offers of a need not fully funded).
    #[serde(serialize_with = "hold_code")]
    pub hold: Option<Hold>,
    /// The other needs that took its money, by value per dollar (highest first), then amount.
    pub taken_by: Vec<Taker>,
}

/// Another need that an offer funds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Taker {
    /// Need id.
    pub need_id: String,
    /// Priority 1–3.
    pub priority: u8,
    /// What the offer gives it.
    pub amount_usd: i64,
    /// Value of one dollar of the offer on that need.
    pub value_per_usd: i64,
}

fn shortfall_code<S: serde::Serializer>(reason: &Option<Shortfall>, out: S) -> Result<S::Ok, S::Error> {
    out.serialize_str(&reason.map(Shortfall::code).unwrap_or_default())
}

fn as_text<S: serde::Serializer>(counts: &HoldCounts, out: S) -> Result<S::Ok, S::Error> {
    out.collect_str(counts)
}

fn rule_codes<S: serde::Serializer>(rules: &[Reason], out: S) -> Result<S::Ok, S::Error> {
    out.collect_seq(rules.iter().map(|r| r.code()))
}

fn hold_code<S: serde::Serializer>(hold: &Option<Hold>, out: S) -> Result<S::Ok, S::Error> {
    match hold {
        Some(h) => out.serialize_str(h.code()),
        None => out.serialize_none(),
    }
}

/// Explains need `n`'s outcome `status` under the allocation `amounts` (one per edge of `graph`, locked money
/// included) and, in a round, the ledger's `locks`.
pub fn explain(
    batch: &Batch,
    reference: &Reference,
    graph: &Graph,
    amounts: &[i64],
    locks: Option<&Locks>,
    status: &NeedStatus,
    n: usize,
) -> NeedExplanation {
    let need = &batch.needs[n];
    let totals = OfferTotals::with_locks(batch, graph, amounts, locks);
    let range = graph.need_start[n]..graph.need_start[n + 1];
    let first = range.start;
    let own_edges = &graph.edges[range.clone()];
    let own_amounts = &amounts[range];
    let holds = why::holds(batch, graph, amounts, &totals, locks, n);
    // Locked money on pairs the rules no longer allow, by offer.
    let off_graph = |o: u32| {
        locks.map_or(0, |l| l.off_graph.iter().filter(|x| x.need as usize == n && x.offer == o).map(|x| x.amount).sum())
    };
    let mut takers = takers_of(batch, graph, amounts, n);
    let offers = graph::explain_need(batch, reference, n)
        .into_iter()
        .map(|verdict| {
            let o = verdict.offer as usize;
            let offer = &batch.offers[o];
            let k = own_edges.iter().position(|e| e.offer == verdict.offer);
            let edge = k.map(|k| own_edges[k]);
            let scope = verdict.scope.map(|s| match s {
                ScopeMatch::Shared(c) => format!("shares {}", reference.commitment(c).code),
                ScopeMatch::Related(c) => format!("related to {}", reference.commitment(c).code),
                ScopeMatch::Theme => "theme".to_string(),
            });
            OfferPart {
                offer_id: offer.id.to_string(),
                donor: offer.donor.clone(),
                eligible: verdict.scope.is_some(),
                failed_rules: verdict.failures,
                scope,
                fit: edge.map(|e| e.fit),
                value_per_usd: edge.map(|e| e.value),
                amount_usd: k.map_or(0, |k| own_amounts[k]) + off_graph(verdict.offer),
                locked_usd: locks.map_or(0, |l| k.map_or(0, |k| l.on_edge[first + k])) + off_graph(verdict.offer),
                envelope_usd: offer.envelope.get(),
                given_usd: totals.given[o],
                left_usd: totals.left(batch, o),
                awards: totals.awards[o],
                max_awards: offer.max_awards,
                cap_per_need_usd: offer.cap_per_need.map(|c| c.get()),
                floor_per_need_usd: offer.floor_per_need.map(|f| f.get()),
                allow_cofinance: offer.allow_cofinance,
                hold: k.and_then(|k| holds.get(k).copied()),
                taken_by: std::mem::take(&mut takers[o]),
            }
        })
        .collect();
    NeedExplanation {
        need_id: need.id.to_string(),
        requester: need.requester_code.clone(),
        priority: need.priority,
        funding_mode: match need.funding_mode {
            FundingMode::Partial => "partial",
            FundingMode::AllOrNothing => "all_or_nothing",
        },
        min_award_usd: need.min_award.map(|m| m.get()),
        requested_usd: status.requested_usd,
        allocated_usd: status.allocated_usd,
        status: status.status.as_str(),
        reason: status.reason,
        offers_why: status.offers_why,
        money_left_usd: why::money_left_for(batch, graph, amounts, &totals, locks, n),
        locked: locks.map(|l| LockedPart {
            locked_usd: l.of_need[n],
            outside: l
                .outside
                .iter()
                .filter(|x| x.need as usize == n)
                .map(|x| OutsideAward { offer_id: x.offer.to_string(), amount_usd: x.amount })
                .collect(),
        }),
        offers,
    }
}

/// For each offer eligible for need `n`, the other needs it funds, best value per dollar first.
fn takers_of(batch: &Batch, graph: &Graph, amounts: &[i64], n: usize) -> Vec<Vec<Taker>> {
    let mut takers: Vec<Vec<Taker>> = vec![Vec::new(); batch.offers.len()];
    let mut wanted = vec![false; batch.offers.len()];
    for e in graph.edges_of(n) {
        wanted[e.offer as usize] = true;
    }
    for (e, &x) in graph.edges.iter().zip(amounts) {
        if x > 0 && e.need as usize != n && wanted[e.offer as usize] {
            let other = &batch.needs[e.need as usize];
            takers[e.offer as usize].push(Taker {
                need_id: other.id.to_string(),
                priority: other.priority,
                amount_usd: x,
                value_per_usd: e.value,
            });
        }
    }
    for list in &mut takers {
        list.sort_by(|a, b| {
            b.value_per_usd.cmp(&a.value_per_usd).then(b.amount_usd.cmp(&a.amount_usd)).then(a.need_id.cmp(&b.need_id))
        });
    }
    takers
}
