//! The bipartite eligibility graph of docs/spec.md §4.
//!
//! [`build`] connects a need to an offer when every rule in [`rules`] holds. It does not compare every need with
//! every offer: an [`index::OfferIndex`] files each offer under its scope keys (commitment codes, related codes or
//! themes) crossed with its geography keys (countries, M49 areas, or "anywhere"), each entry carrying the offer's
//! kinds, so a need only meets the offers filed under its own keys that give a kind it asks for, and the work
//! grows with the number of candidate pairs, not with needs × offers.
//! Edges come out sorted by need, then offer, whatever the number of threads.

pub mod guard;
mod index;
pub mod locks;
pub mod residual;
pub mod rules;

pub use guard::RequesterCaps;
pub use index::OfferIndex;
pub use rules::{NeedFacts, Reason};

use crate::objective::ScopeMatch;

use rayon::prelude::*;

use crate::catalog::Reference;
use crate::model::{Batch, CommitmentIdx, Need, Requester};
use crate::objective::Weights;

/// One eligible (need, offer) pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    /// Index of the need in the batch.
    pub need: u32,
    /// Index of the offer in the batch.
    pub offer: u32,
    /// How the offer's scope covers the need.
    pub scope: ScopeMatch,
    /// Fit score (docs/spec.md §5).
    pub fit: i64,
    /// Value of one dollar on this edge.
    pub value: i64,
    /// Most this edge can carry: the need's amount, the offer's cap and envelope.
    pub upper: i64,
}

impl Edge {
    /// The commitment reported for this pairing: the shared (or related) one, else the need's primary.
    pub fn commitment(&self, batch: &Batch) -> CommitmentIdx {
        match self.scope {
            ScopeMatch::Shared(c) | ScopeMatch::Related(c) => c,
            ScopeMatch::Theme => batch.needs[self.need as usize].commitments[0],
        }
    }
}

/// The eligibility graph: edges grouped by need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graph {
    /// Every edge, sorted by (need, offer).
    pub edges: Vec<Edge>,
    /// `edges[need_start[n]..need_start[n + 1]]` are the edges of need `n`.
    pub need_start: Vec<usize>,
    /// The requesters' caps when the weights set `max_requester_share` (docs/spec.md §10).
    pub caps: Option<RequesterCaps>,
}

impl Graph {
    /// The edges of need `n`.
    pub fn edges_of(&self, n: usize) -> &[Edge] {
        &self.edges[self.need_start[n]..self.need_start[n + 1]]
    }

    /// Number of needs the graph was built for.
    pub fn need_count(&self) -> usize {
        self.need_start.len() - 1
    }
}

/// Builds the eligibility graph of a batch.
pub fn build(batch: &Batch, reference: &Reference, weights: &Weights) -> Graph {
    let index = OfferIndex::new(batch, reference);
    build_with_index(batch, reference, weights, &index)
}

/// Builds the graph with an index built earlier (scenarios reuse one index for many draws).
pub fn build_with_index(batch: &Batch, reference: &Reference, weights: &Weights, index: &OfferIndex) -> Graph {
    let per_need: Vec<Vec<Edge>> = batch
        .needs
        .par_iter()
        .enumerate()
        .map_init(Vec::new, |candidates, (n, need)| {
            index.candidates(need, reference, candidates);
            let facts = NeedFacts::of(need, reference);
            let flagged = is_flagged(need, reference);
            candidates
                .iter()
                .filter_map(|&o| {
                    let offer = &batch.offers[o as usize];
                    let scope = rules::check(need, &facts, offer, reference).ok()?;
                    let fit = weights.fit(scope, rules::targets_explicitly(need, offer, reference));
                    let upper = need.amount.min(offer.per_need_limit()).get();
                    let value = weights.value_for(need.priority, fit, flagged);
                    Some(Edge { need: n as u32, offer: o, scope, fit, value, upper })
                })
                .collect()
        })
        .collect();
    let mut need_start = Vec::with_capacity(batch.needs.len() + 1);
    let mut edges = Vec::with_capacity(per_need.iter().map(Vec::len).sum());
    need_start.push(0);
    for list in per_need {
        edges.extend(list);
        need_start.push(edges.len());
    }
    Graph { edges, need_start, caps: caps_of(batch, weights) }
}

/// The requesters' caps that `weights` set on `batch`, if any.
fn caps_of(batch: &Batch, weights: &Weights) -> Option<RequesterCaps> {
    weights.max_requester_share.map(|share| RequesterCaps::new(batch, share))
}

/// Whether the need's requester earns `flag_bonus`: a State that is LDC, LLDC or SIDS (docs/spec.md §10). A
/// regional organisation carries no flag, as in the offers' `recipient_flags` rule.
pub fn is_flagged(need: &Need, reference: &Reference) -> bool {
    match &need.requester {
        Requester::State(c) => {
            let country = reference.country(*c);
            country.ldc || country.lldc || country.sids
        }
        Requester::RegionalOrg(_) => false,
    }
}

/// Why need `n` has no edge: the most frequent first-failing rule among the offers whose scope covers it
/// (ties go to the earlier rule), or `no_scope` when no offer covers it.
pub fn dominant_reason(batch: &Batch, reference: &Reference, index: &OfferIndex, n: usize) -> Reason {
    let need = &batch.needs[n];
    let facts = NeedFacts::of(need, reference);
    let mut counts = [0usize; Reason::ALL.len()];
    for o in index.in_scope(need, reference) {
        if let Err(reason) = rules::check(need, &facts, &batch.offers[o as usize], reference) {
            counts[reason as usize] += 1;
        }
    }
    let (best, count) =
        counts.iter().enumerate().skip(1).fold((0, 0), |acc, (i, &c)| if c > acc.1 { (i, c) } else { acc });
    if count == 0 { Reason::NoScope } else { Reason::ALL[best] }
}

/// One line of `explain`: an offer and the rules that fail for it (empty when eligible).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferVerdict {
    /// Index of the offer.
    pub offer: u32,
    /// The scope match when eligible.
    pub scope: Option<ScopeMatch>,
    /// Every rule that fails, in checking order.
    pub failures: Vec<Reason>,
}

/// Every offer's verdict for need `n` (all offers are compared: this is for one need at a time).
pub fn explain_need(batch: &Batch, reference: &Reference, n: usize) -> Vec<OfferVerdict> {
    let need = &batch.needs[n];
    let facts = NeedFacts::of(need, reference);
    batch
        .offers
        .iter()
        .enumerate()
        .map(|(o, offer)| {
            let scope = rules::check(need, &facts, offer, reference).ok();
            let failures =
                if scope.is_some() { Vec::new() } else { rules::all_failures(need, &facts, offer, reference) };
            OfferVerdict { offer: o as u32, scope, failures }
        })
        .collect()
}

/// Builds the graph by comparing every need with every offer: the reference that tests hold [`build`] to.
pub fn build_by_scan(batch: &Batch, reference: &Reference, weights: &Weights) -> Graph {
    let mut edges = Vec::new();
    let mut need_start = vec![0];
    for (n, need) in batch.needs.iter().enumerate() {
        let facts = NeedFacts::of(need, reference);
        let flagged = is_flagged(need, reference);
        for (o, offer) in batch.offers.iter().enumerate() {
            if let Ok(scope) = rules::check(need, &facts, offer, reference) {
                let fit = weights.fit(scope, rules::targets_explicitly(need, offer, reference));
                let upper = need.amount.min(offer.per_need_limit()).get();
                edges.push(Edge {
                    need: n as u32,
                    offer: o as u32,
                    scope,
                    fit,
                    value: weights.value_for(need.priority, fit, flagged),
                    upper,
                });
            }
        }
        need_start.push(edges.len());
    }
    Graph { edges, need_start, caps: caps_of(batch, weights) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{ReadOptions, read_needs, read_offers};

    fn sample() -> Batch {
        let r = Reference::embedded();
        let o = ReadOptions::default();
        let needs = read_needs("needs", include_str!("../../data/sample/needs.csv").as_bytes(), r, o).unwrap();
        let offers = read_offers("offers", include_str!("../../data/sample/offers.csv").as_bytes(), r, o).unwrap();
        Batch { needs, offers }
    }

    #[test]
    fn indexed_build_equals_full_scan_on_the_sample() {
        let batch = sample();
        let r = Reference::embedded();
        let w = Weights::default();
        let graph = build(&batch, r, &w);
        assert_eq!(graph, build_by_scan(&batch, r, &w));
        assert!(graph.edges.len() > 100, "{}", graph.edges.len());
        let index = OfferIndex::new(&batch, r);
        let edgeless: Vec<usize> = (0..batch.needs.len()).filter(|&n| graph.edges_of(n).is_empty()).collect();
        assert!(!edgeless.is_empty());
        for n in edgeless {
            let reason = dominant_reason(&batch, r, &index, n);
            let verdicts = explain_need(&batch, r, n);
            assert!(verdicts.iter().all(|v| v.scope.is_none()));
            if reason != Reason::NoScope {
                assert!(verdicts.iter().any(|v| v.failures.first() == Some(&reason)));
            }
        }
    }
}
