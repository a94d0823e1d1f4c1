//! What a match run tells people: one row per allocation, the status of every need and offer with reasons, and
//! totals by commitment, theme, M49 region and donor. Pure data here; `io::outputs` writes the tables and
//! [`html`] renders the page for people (report.html) with the charts of [`svg`].

pub mod html;
pub mod svg;

use std::collections::BTreeMap;

use crate::catalog::Reference;
use crate::graph::{self, Graph, OfferIndex};
use crate::model::{Batch, FundingMode, Kind, Need, Requester};
use crate::solve::Solution;

/// One allocation (a row of matches.csv).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchRow {
    /// Need id.
    pub need_id: String,
    /// Offer id.
    pub offer_id: String,
    /// Donor code.
    pub donor: String,
    /// Requester code (alpha-3 for States).
    pub requester: String,
    /// The shared (or related) commitment, else the need's primary.
    pub commitment: String,
    /// The first kind both sides name (the need's first kind when the offer gives any).
    pub kind: Kind,
    /// Dollars.
    pub amount_usd: i64,
    /// Fit score.
    pub fit: i64,
    /// Contribution to the objective: dollars × value per dollar.
    pub value: i128,
    /// Value per dollar on this edge.
    pub value_per_usd: i64,
}

/// How much of a need is funded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeedState {
    /// Fully funded.
    Funded,
    /// Funded in part.
    Partial,
    /// Not funded.
    Unfunded,
}

impl NeedState {
    /// The output spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            NeedState::Funded => "funded",
            NeedState::Partial => "partial",
            NeedState::Unfunded => "unfunded",
        }
    }
}

/// One need's outcome (a row of needs_status.csv).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedStatus {
    /// Need id.
    pub need_id: String,
    /// Requester code.
    pub requester: String,
    /// Priority 1–3.
    pub priority: u8,
    /// Amount requested.
    pub requested_usd: i64,
    /// Amount allocated.
    pub allocated_usd: i64,
    /// Funded, partial or unfunded.
    pub status: NeedState,
    /// Why it is not fully funded (empty when funded).
    pub reason: String,
    /// Number of eligible offers.
    pub eligible_offers: usize,
    /// Number of offers that fund it.
    pub funders: usize,
}

impl NeedStatus {
    /// allocated / requested.
    pub fn coverage(&self) -> f64 {
        ratio(self.allocated_usd.into(), self.requested_usd.into())
    }
}

/// One offer's outcome (a row of offers_status.csv).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferStatus {
    /// Offer id.
    pub offer_id: String,
    /// Donor code.
    pub donor: String,
    /// Envelope.
    pub envelope_usd: i64,
    /// Allocated from it.
    pub allocated_usd: i64,
    /// Left over.
    pub remaining_usd: i64,
    /// Number of needs it funds.
    pub awards: usize,
    /// Number of needs eligible for it.
    pub eligible_needs: usize,
}

/// One line of summary.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryRow {
    /// `total`, `commitment`, `theme`, `region` or `donor`.
    pub dimension: &'static str,
    /// The code (commitment code, theme, M49 code, donor code; `all` for the total).
    pub key: String,
    /// A name for people.
    pub label: String,
    /// Needs counted.
    pub needs: usize,
    /// Requested (for donors: their envelopes).
    pub requested_usd: i128,
    /// Allocated (for donors: what they give).
    pub allocated_usd: i128,
}

impl SummaryRow {
    /// allocated / requested.
    pub fn coverage(&self) -> f64 {
        ratio(self.allocated_usd, self.requested_usd)
    }
}

/// Everything a match run reports.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchReport {
    /// Allocations, in need then offer file order.
    pub matches: Vec<MatchRow>,
    /// Every need in file order.
    pub needs: Vec<NeedStatus>,
    /// Every offer in file order.
    pub offers: Vec<OfferStatus>,
    /// Totals.
    pub summary: Vec<SummaryRow>,
}

/// `a / b` as a float, 0 when `b` is 0.
pub fn ratio(a: i128, b: i128) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Builds the report of an allocation; `index` is the offer index the graph was built with.
pub fn build(
    batch: &Batch,
    reference: &Reference,
    index: &OfferIndex,
    graph: &Graph,
    solution: &Solution,
    lang: &str,
) -> MatchReport {
    let mut given = vec![0i64; batch.offers.len()];
    let mut awards = vec![0usize; batch.offers.len()];
    let mut eligible = vec![0usize; batch.offers.len()];
    let mut matches = Vec::new();
    for (e, &x) in graph.edges.iter().zip(&solution.amounts) {
        eligible[e.offer as usize] += 1;
        if x == 0 {
            continue;
        }
        let need = &batch.needs[e.need as usize];
        let offer = &batch.offers[e.offer as usize];
        given[e.offer as usize] += x;
        awards[e.offer as usize] += 1;
        let kind = if offer.kinds.is_empty() {
            need.kinds.iter().next()
        } else {
            need.kinds.iter().find(|&k| offer.kinds.contains(k))
        };
        matches.push(MatchRow {
            need_id: need.id.to_string(),
            offer_id: offer.id.to_string(),
            donor: offer.donor.clone(),
            requester: need.requester_code.clone(),
            commitment: reference.commitment(e.commitment(batch)).code.clone(),
            kind: kind.unwrap_or(Kind::Financial),
            amount_usd: x,
            fit: e.fit,
            value: i128::from(x) * i128::from(e.value),
            value_per_usd: e.value,
        });
    }

    let needs: Vec<NeedStatus> = batch
        .needs
        .iter()
        .enumerate()
        .map(|(n, need)| {
            let range = graph.need_start[n]..graph.need_start[n + 1];
            let allocated: i64 = solution.amounts[range.clone()].iter().sum();
            let funders = solution.amounts[range.clone()].iter().filter(|&&x| x > 0).count();
            let status = if allocated == need.amount.get() {
                NeedState::Funded
            } else if allocated > 0 {
                NeedState::Partial
            } else {
                NeedState::Unfunded
            };
            let reason = match status {
                NeedState::Funded => String::new(),
                _ if range.is_empty() => {
                    format!("no_eligible_offer:{}", graph::dominant_reason(batch, reference, index, n).code())
                }
                _ => shortfall_reason(batch, graph, solution, n, &given, &awards, allocated).to_string(),
            };
            NeedStatus {
                need_id: need.id.to_string(),
                requester: need.requester_code.clone(),
                priority: need.priority,
                requested_usd: need.amount.get(),
                allocated_usd: allocated,
                status,
                reason,
                eligible_offers: range.len(),
                funders,
            }
        })
        .collect();

    let offers = batch
        .offers
        .iter()
        .enumerate()
        .map(|(o, offer)| OfferStatus {
            offer_id: offer.id.to_string(),
            donor: offer.donor.clone(),
            envelope_usd: offer.envelope.get(),
            allocated_usd: given[o],
            remaining_usd: offer.envelope.get() - given[o],
            awards: awards[o],
            eligible_needs: eligible[o],
        })
        .collect();

    let summary = summarise(batch, reference, &needs, &given, lang);
    MatchReport { matches, needs, offers, summary }
}

/// Why a need with eligible offers is not fully funded.
fn shortfall_reason(
    batch: &Batch,
    graph: &Graph,
    solution: &Solution,
    n: usize,
    given: &[i64],
    awards: &[usize],
    allocated: i64,
) -> &'static str {
    let need = &batch.needs[n];
    let range = graph.need_start[n]..graph.need_start[n + 1];
    if allocated == 0 && need.funding_mode == FundingMode::AllOrNothing {
        return "all_or_nothing_not_met";
    }
    if allocated == 0 && need.min_award.is_some() {
        return "below_min_award";
    }
    let edges = &graph.edges[range.clone()];
    let amounts = &solution.amounts[range];
    let open: Vec<usize> =
        edges.iter().zip(amounts).filter(|(e, x)| **x < e.upper).map(|(e, _)| e.offer as usize).collect();
    if open.is_empty() {
        return "caps_reached";
    }
    if open.iter().all(|&o| given[o] >= batch.offers[o].envelope.get()) {
        return "envelopes_exhausted";
    }
    if open.iter().all(|&o| {
        given[o] >= batch.offers[o].envelope.get()
            || batch.offers[o].max_awards.is_some_and(|k| awards[o] >= k as usize)
    }) {
        return "max_awards_reached";
    }
    "outranked"
}

/// The M49 region (Africa, Americas, Asia, Europe, Oceania) a need is counted under: the requester's, or for a
/// regional organisation the region containing its area.
pub fn need_region(need: &Need, reference: &Reference) -> Option<u16> {
    match &need.requester {
        Requester::State(c) => reference.country(*c).region_code,
        Requester::RegionalOrg(_) => need.region.and_then(|r| {
            reference
                .areas()
                .iter()
                .find(|a| a.m49 != 1 && a.kind == crate::catalog::AreaKind::Region && reference.area_within(r, a.m49))
                .map(|a| a.m49)
        }),
    }
}

fn summarise(batch: &Batch, reference: &Reference, needs: &[NeedStatus], given: &[i64], lang: &str) -> Vec<SummaryRow> {
    // Each need counts once per dimension: under its primary commitment, that commitment's first theme and the
    // requester's M49 region.
    type Key = (&'static str, String);
    let mut groups: BTreeMap<Key, (String, usize, i128, i128)> = BTreeMap::new();
    let mut add = |dimension: &'static str, key: String, label: String, requested: i64, allocated: i64| {
        let g = groups.entry((dimension, key)).or_insert((label, 0, 0, 0));
        g.1 += 1;
        g.2 += i128::from(requested);
        g.3 += i128::from(allocated);
    };
    for (need, status) in batch.needs.iter().zip(needs) {
        let (req, alloc) = (status.requested_usd, status.allocated_usd);
        add("total", "all".into(), "All needs".into(), req, alloc);
        let primary = reference.commitment(need.commitments[0]);
        add("commitment", primary.code.clone(), primary.title(lang).to_string(), req, alloc);
        if let Some(theme) = primary.themes.first() {
            add("theme", theme.as_str().to_string(), theme.as_str().to_string(), req, alloc);
        }
        let region = need_region(need, reference);
        let (key, label) = match region.and_then(|r| reference.area(r)) {
            Some(area) => (area.m49.to_string(), area.name(lang).to_string()),
            None => ("unknown".to_string(), "Unknown".to_string()),
        };
        add("region", key, label, req, alloc);
    }
    let mut donors: BTreeMap<String, (usize, i128, i128)> = BTreeMap::new();
    for (o, offer) in batch.offers.iter().enumerate() {
        let d = donors.entry(offer.donor.clone()).or_default();
        d.0 += 1;
        d.1 += i128::from(offer.envelope.get());
        d.2 += i128::from(given[o]);
    }
    let order = |d: &str| ["total", "commitment", "theme", "region", "donor"].iter().position(|x| *x == d).unwrap_or(9);
    let mut rows: Vec<SummaryRow> = groups
        .into_iter()
        .map(|((dimension, key), (label, n, req, alloc))| SummaryRow {
            dimension,
            key,
            label,
            needs: n,
            requested_usd: req,
            allocated_usd: alloc,
        })
        .collect();
    for (donor, (_, envelope, alloc)) in donors {
        let label =
            reference.country_by_code(&donor).map_or(donor.clone(), |c| reference.country(c).name(lang).to_string());
        rows.push(SummaryRow {
            dimension: "donor",
            key: donor,
            label,
            needs: 0,
            requested_usd: envelope,
            allocated_usd: alloc,
        });
    }
    // Numeric keys (M49 codes) in numeric order, the rest alphabetically.
    let key_order = |k: &str| (k.parse::<u32>().unwrap_or(u32::MAX), k.to_string());
    rows.sort_by(|a, b| {
        order(a.dimension).cmp(&order(b.dimension)).then_with(|| key_order(&a.key).cmp(&key_order(&b.key)))
    });
    rows
}
