//! The report of an allocation: rows built from the batch, the graph and the solution.

use std::collections::BTreeMap;

use crate::catalog::Reference;
use crate::graph::locks::Locks;
use crate::graph::{self, Edge, Graph, OfferIndex};
use crate::lang::Lang;
use crate::model::{Batch, FundingMode, Kind, Requester};
use crate::solve::Solution;

use super::dimensions::{Dimension, need_region};
use super::rows::{LedgerTotals, MatchReport, MatchRow, NeedState, NeedStatus, OfferStatus, Origin, SummaryRow};
use super::shortfall::{self, Shortfall};
use super::why::{self, HoldCounts, OfferTotals};
use super::words::Word;

/// An allocation as the report reads it: the amounts on the graph's edges (locked money included), what they take
/// from each offer, and in a round the ledger's locks.
#[derive(Debug, Clone, Copy)]
pub struct Allocation<'a> {
    /// Dollars on each edge of the graph.
    pub amounts: &'a [i64],
    /// What they take from each offer ([`OfferTotals::with_locks`]).
    pub totals: &'a OfferTotals,
    /// The ledger's locks, in a round.
    pub locks: Option<&'a Locks>,
}

/// Every need's outcome, in file order, from the allocation's `amounts` (one per edge of `graph`); `index` is the
/// offer index the graph was built with (it names the rule that kept every offer from a need with none eligible).
pub fn need_statuses(
    batch: &Batch,
    reference: &Reference,
    index: &OfferIndex,
    graph: &Graph,
    amounts: &[i64],
    locks: Option<&Locks>,
) -> Vec<NeedStatus> {
    let totals = OfferTotals::with_locks(batch, graph, amounts, locks);
    let allocation = Allocation { amounts, totals: &totals, locks };
    (0..batch.needs.len()).map(|n| need_status(batch, reference, index, graph, &allocation, n)).collect()
}

/// The state of a need that asked for `requested` and got `allocated`.
pub fn need_state(requested: i64, allocated: i64) -> NeedState {
    if allocated == requested {
        NeedState::Funded
    } else if allocated > 0 {
        NeedState::Partial
    } else {
        NeedState::Unfunded
    }
}

/// Builds the report of an allocation around the needs' outcomes ([`need_statuses`]); `locks` are the ledger's
/// (the solution's amounts include them on the graph's edges); `lang` is the language of the summary's names.
pub fn build(
    batch: &Batch,
    reference: &Reference,
    graph: &Graph,
    solution: &Solution,
    needs: Vec<NeedStatus>,
    locks: Option<&Locks>,
    lang: Lang,
) -> MatchReport {
    let totals = OfferTotals::with_locks(batch, graph, &solution.amounts, locks);
    let mut matches = Vec::new();
    for (e, (edge, &total)) in graph.edges.iter().zip(&solution.amounts).enumerate() {
        let locked = locks.map_or(0, |l| l.on_edge[e]);
        for (amount, origin) in [(locked, Origin::Locked), (total - locked, Origin::New)] {
            if amount > 0 {
                matches.push(match_row(batch, reference, edge, amount, origin));
            }
        }
    }
    if let Some(locks) = locks {
        for lock in &locks.off_graph {
            let offer = &batch.offers[lock.offer as usize];
            matches.push(locked_row(batch, reference, lock.need, offer.id.as_str(), &offer.donor, lock.amount));
        }
        for lock in &locks.outside {
            matches.push(locked_row(batch, reference, lock.need, lock.offer.as_str(), "", lock.amount));
        }
        // Need by need in file order, offers of the batch in file order before offers outside it, locked first.
        let need_of: std::collections::HashMap<&str, usize> =
            batch.needs.iter().enumerate().map(|(n, need)| (need.id.as_str(), n)).collect();
        let offer_of: std::collections::HashMap<&str, usize> =
            batch.offers.iter().enumerate().map(|(o, offer)| (offer.id.as_str(), o)).collect();
        matches.sort_by_cached_key(|m| {
            let offer = offer_of.get(m.offer_id.as_str()).copied().unwrap_or(usize::MAX);
            (need_of[m.need_id.as_str()], offer, m.offer_id.clone(), m.origin)
        });
    }
    let offers = batch
        .offers
        .iter()
        .enumerate()
        .map(|(o, offer)| OfferStatus {
            offer_id: offer.id.to_string(),
            donor: offer.donor.clone(),
            envelope_usd: offer.envelope.get(),
            allocated_usd: totals.given[o],
            locked_usd: locks.map_or(0, |l| l.of_offer[o]),
            remaining_usd: offer.envelope.get() - totals.given[o],
            awards: totals.awards[o],
            eligible_needs: totals.eligible[o],
        })
        .collect();
    let summary = summarise(batch, reference, &needs, &totals.given, lang);
    let allocated: i128 = needs.iter().map(|n| i128::from(n.allocated_usd)).sum();
    let ledger = locks.map(|locks| LedgerTotals::of(locks, &solution.amounts, allocated));
    MatchReport { matches, needs, offers, summary, ledger }
}

/// The row of `amount` dollars on edge `e`.
fn match_row(batch: &Batch, reference: &Reference, e: &Edge, amount: i64, origin: Origin) -> MatchRow {
    let need = &batch.needs[e.need as usize];
    let offer = &batch.offers[e.offer as usize];
    let kind = if offer.kinds.is_empty() {
        need.kinds.iter().next()
    } else {
        need.kinds.iter().find(|&k| offer.kinds.contains(k))
    };
    MatchRow {
        need_id: need.id.to_string(),
        offer_id: offer.id.to_string(),
        donor: offer.donor.clone(),
        requester: need.requester_code.clone(),
        commitment: reference.commitment(e.commitment(batch)).code.clone(),
        kind: kind.unwrap_or(Kind::Financial),
        amount_usd: amount,
        fit: e.fit,
        value: i128::from(amount) * i128::from(e.value),
        value_per_usd: e.value,
        origin,
    }
}

/// The row of a locked award on a pair without an edge (the rules no longer allow it, or its offer is not in the
/// batch): it has no value in this round's objective, and carries the need's primary commitment and first kind.
fn locked_row(batch: &Batch, reference: &Reference, n: u32, offer_id: &str, donor: &str, amount: i64) -> MatchRow {
    let need = &batch.needs[n as usize];
    MatchRow {
        need_id: need.id.to_string(),
        offer_id: offer_id.to_string(),
        donor: donor.to_string(),
        requester: need.requester_code.clone(),
        commitment: reference.commitment(need.commitments[0]).code.clone(),
        kind: need.kinds.iter().next().unwrap_or(Kind::Financial),
        amount_usd: amount,
        fit: 0,
        value: 0,
        value_per_usd: 0,
        origin: Origin::Locked,
    }
}

/// One need's outcome and, when it is short, why: the need as a whole ([`Shortfall`]) and offer by offer
/// ([`why::holds`]) under `allocation`.
pub fn need_status(
    batch: &Batch,
    reference: &Reference,
    index: &OfferIndex,
    graph: &Graph,
    allocation: &Allocation<'_>,
    n: usize,
) -> NeedStatus {
    let Allocation { amounts, totals, locks } = *allocation;
    let need = &batch.needs[n];
    let range = graph.need_start[n]..graph.need_start[n + 1];
    let off_graph = locks.map_or(0, |l| l.of_need_off_graph(graph, n));
    let allocated: i64 = amounts[range.clone()].iter().sum::<i64>() + off_graph;
    let locked = locks.map_or(0, |l| l.of_need[n]);
    let funders =
        amounts[range.clone()].iter().filter(|&&x| x > 0).count() + locks.map_or(0, |l| l.pairs_off_edges[n] as usize);
    let broken = match need.funding_mode {
        FundingMode::AllOrNothing => allocated != need.amount.get(),
        FundingMode::Partial => need.min_award.is_some_and(|m| allocated < m.get()),
    };
    let status =
        if locked > 0 && broken { NeedState::LockedIncomplete } else { need_state(need.amount.get(), allocated) };
    let reason = match status {
        NeedState::Funded => None,
        _ if range.is_empty() => Some(Shortfall::NoEligibleOffer(graph::dominant_reason(batch, reference, index, n))),
        _ => Some(shortfall::classify(batch, graph, amounts, n, totals, locks, allocated)),
    };
    NeedStatus {
        need_id: need.id.to_string(),
        requester: need.requester_code.clone(),
        priority: need.priority,
        requested_usd: need.amount.get(),
        allocated_usd: allocated,
        locked_usd: locked,
        status,
        reason,
        offers_why: HoldCounts::of(&why::holds(batch, graph, amounts, totals, locks, n)),
        eligible_offers: range.len(),
        funders,
    }
}

/// The summary's totals (per need: requested, allocated) in their dimensions.
#[derive(Default)]
struct Totals {
    label: String,
    needs: usize,
    requested: i128,
    allocated: i128,
}

fn summarise(batch: &Batch, reference: &Reference, needs: &[NeedStatus], given: &[i64], lang: Lang) -> Vec<SummaryRow> {
    // Each need counts once per dimension: under its primary commitment, that commitment's first theme and the
    // requester's M49 region.
    let mut groups: BTreeMap<(Dimension, String), Totals> = BTreeMap::new();
    let mut add = |dimension: Dimension, key: String, label: &str, requested: i64, allocated: i64| {
        let g =
            groups.entry((dimension, key)).or_insert_with(|| Totals { label: label.to_string(), ..Totals::default() });
        g.needs += 1;
        g.requested += i128::from(requested);
        g.allocated += i128::from(allocated);
    };
    // summary.csv has always labelled the total, the unknown region and the themes in English (themes by their
    // key) whatever the language; kept so that outputs stay the same (a known gap, to fix on its own).
    let (all_needs, unknown) = (Word::AllNeeds.text(Lang::En), Word::Unknown.text(Lang::En));
    for (need, status) in batch.needs.iter().zip(needs) {
        let (req, alloc) = (status.requested_usd, status.allocated_usd);
        add(Dimension::Total, "all".into(), all_needs, req, alloc);
        let primary = reference.commitment(need.commitments[0]);
        add(Dimension::Commitment, primary.code.clone(), primary.title(lang.code()), req, alloc);
        if let Some(theme) = primary.themes.first() {
            add(Dimension::Theme, theme.as_str().to_string(), theme.as_str(), req, alloc);
        }
        match need_region(need, reference).and_then(|r| reference.area(r)) {
            Some(area) => add(Dimension::Region, area.m49.to_string(), area.name(lang.code()), req, alloc),
            None => add(Dimension::Region, "unknown".to_string(), unknown, req, alloc),
        }
    }
    let mut rows: Vec<SummaryRow> = groups
        .into_iter()
        .map(|((dimension, key), t)| SummaryRow {
            dimension,
            key,
            label: t.label,
            needs: t.needs,
            requested_usd: t.requested,
            allocated_usd: t.allocated,
        })
        .collect();
    let mut donors: BTreeMap<String, (i128, i128)> = BTreeMap::new();
    for (o, offer) in batch.offers.iter().enumerate() {
        let d = donors.entry(offer.donor.clone()).or_default();
        d.0 += i128::from(offer.envelope.get());
        d.1 += i128::from(given[o]);
    }
    for (donor, (envelope, alloc)) in donors {
        // A State by the country table's name (summary.csv is data, docs/spec.md §6); a fund by the donor table's.
        let label = match reference.country_by_code(&donor) {
            Some(c) => reference.country(c).name(lang.code()).to_string(),
            None => reference.donor_name(&donor, lang.code()).unwrap_or(&donor).to_string(),
        };
        rows.push(SummaryRow {
            dimension: Dimension::Donor,
            key: donor,
            label,
            needs: 0,
            requested_usd: envelope,
            allocated_usd: alloc,
        });
    }
    rows.extend(fairness_rows(batch, reference, needs, lang));
    // Numeric keys (M49 codes) in numeric order, the rest alphabetically.
    let key_order = |k: &str| (k.parse::<u32>().unwrap_or(u32::MAX), k.to_string());
    rows.sort_by(|a, b| a.dimension.cmp(&b.dimension).then_with(|| key_order(&a.key).cmp(&key_order(&b.key))));
    rows
}

/// The rows of docs/spec.md §10: coverage by LDC, LLDC and SIDS group (every group, even empty) and the
/// concentration of the allocation on requesters.
fn fairness_rows(batch: &Batch, reference: &Reference, needs: &[NeedStatus], lang: Lang) -> Vec<SummaryRow> {
    let groups = [("LDC", Word::GroupLdc), ("LLDC", Word::GroupLldc), ("SIDS", Word::GroupSids)];
    let mut rows: Vec<SummaryRow> = groups
        .iter()
        .map(|&(key, word)| SummaryRow {
            dimension: Dimension::Group,
            key: key.to_string(),
            label: word.text(lang).to_string(),
            needs: 0,
            requested_usd: 0,
            allocated_usd: 0,
        })
        .collect();
    let mut by_requester: BTreeMap<&str, i128> = BTreeMap::new();
    for (need, status) in batch.needs.iter().zip(needs) {
        *by_requester.entry(need.requester_code.as_str()).or_default() += i128::from(status.allocated_usd);
        let Requester::State(c) = need.requester else { continue };
        let country = reference.country(c);
        for (row, member) in rows.iter_mut().zip([country.ldc, country.lldc, country.sids]) {
            if member {
                row.needs += 1;
                row.requested_usd += i128::from(status.requested_usd);
                row.allocated_usd += i128::from(status.allocated_usd);
            }
        }
    }
    let mut received: Vec<i128> = by_requester.into_values().filter(|&a| a > 0).collect();
    received.sort_unstable_by(|a, b| b.cmp(a));
    let total: i128 = received.iter().sum();
    let top = &received[..received.len().min(5)];
    rows.push(SummaryRow {
        dimension: Dimension::Concentration,
        key: "top5".to_string(),
        label: Word::TopFiveShare.text(lang).to_string(),
        needs: top.len(),
        requested_usd: total,
        allocated_usd: top.iter().sum(),
    });
    rows.push(SummaryRow {
        dimension: Dimension::Concentration,
        key: "herfindahl".to_string(),
        label: Word::Herfindahl.text(lang).to_string(),
        needs: received.len(),
        requested_usd: total * total,
        allocated_usd: received.iter().map(|a| a * a).sum(),
    });
    rows
}
