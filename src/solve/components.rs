//! The independent parts of a batch: the connected components of its eligibility graph.
//!
//! Every rule of docs/spec.md §5 concerns one need with its edges or one offer with its edges, so needs and offers that
//! no chain of eligible pairs joins share no constraint, and the optimum of the batch is the sum of the optima of
//! its parts. Solving the parts one by one is what makes that sum cheap to prove: in one search over the whole
//! batch, a small part's integrality gap has to be closed again below every open node of the large part (a small
//! generated batch with a part of one offer and a few needs beside the main one stayed unproved that way; SCIP's
//! presolve finds the same parts and solves the small ones first).

use petgraph::unionfind::UnionFind;

use crate::graph::{Edge, Graph};
use crate::model::{Batch, Offer};

/// One part of a batch: a batch and graph of its own, and where its edges sit in the whole graph.
#[derive(Debug, Clone)]
pub struct Part {
    /// The part's needs and offers, in the whole batch's order.
    pub batch: Batch,
    /// The part's edges with need and offer indices into `batch`, in the whole graph's order.
    pub graph: Graph,
    /// For each edge of `graph`, its index in the whole graph.
    pub edges: Vec<usize>,
}

/// Splits a batch into the connected components of its graph that have at least one edge (a need without an
/// eligible offer, or an offer without an eligible need, gets nothing and belongs to none), in the order of their
/// first need; `None` when there are fewer than two, so that a connected batch is not copied for nothing.
pub fn split(batch: &Batch, graph: &Graph) -> Option<Vec<Part>> {
    let needs = batch.needs.len();
    // Members are the needs, then the offers (offset by `needs`).
    let mut sets = UnionFind::<usize>::new(needs + batch.offers.len());
    for e in &graph.edges {
        sets.union(e.need as usize, needs + e.offer as usize);
    }
    // A requester's cap is a constraint over all its needs: those with edges stay in one part wherever the cap
    // can bind (docs/spec.md §10).
    if let Some(caps) = &graph.caps {
        let asked = caps.asked(batch.needs.iter().map(|n| n.amount.get()));
        let mut first: Vec<Option<usize>> = vec![None; caps.requesters()];
        for n in (0..needs).filter(|&n| !graph.edges_of(n).is_empty()) {
            let r = caps.requester_of[n] as usize;
            if caps.binds(r, asked[r]) {
                sets.union(*first[r].get_or_insert(n), n);
            }
        }
    }
    let root = sets.into_labeling();
    // Parts numbered in the order their first edge (hence their first need) appears.
    let mut part_of_root: Vec<Option<usize>> = vec![None; root.len()];
    let mut count = 0;
    for e in &graph.edges {
        part_of_root[root[e.need as usize]].get_or_insert_with(|| {
            count += 1;
            count - 1
        });
    }
    if count < 2 {
        return None;
    }
    // Each part's needs and offers in batch order.
    let mut members: Vec<(Vec<usize>, Vec<usize>)> = vec![(Vec::new(), Vec::new()); count];
    for (member, &r) in root.iter().enumerate() {
        let Some(p) = part_of_root[r] else { continue };
        if member < needs { members[p].0.push(member) } else { members[p].1.push(member - needs) }
    }
    // A part holds every offer of its needs' edges, so no edge is left out.
    let parts = members
        .iter()
        .map(|(part_needs, part_offers)| {
            Part::select(batch, graph, part_needs, part_offers, |o| batch.offers[o].clone(), |edge| edge.upper)
        })
        .collect();
    Some(parts)
}

impl Part {
    /// The part of `batch` made of `needs` and `offers` (each in batch order) and every edge between them, each
    /// offer as `offer_of` gives it (by its index in `batch`) and each edge's limit as `upper_of` gives it. The
    /// edges keep the whole graph's (need, offer) order, since both lists keep the batch's.
    pub fn select(
        batch: &Batch,
        graph: &Graph,
        needs: &[usize],
        offers: &[usize],
        offer_of: impl Fn(usize) -> Offer,
        upper_of: impl Fn(&Edge) -> i64,
    ) -> Part {
        let mut offer_index = vec![u32::MAX; batch.offers.len()];
        for (i, &o) in offers.iter().enumerate() {
            offer_index[o] = i as u32;
        }
        let mut part = Part {
            batch: Batch {
                needs: needs.iter().map(|&n| batch.needs[n].clone()).collect(),
                offers: offers.iter().map(|&o| offer_of(o)).collect(),
            },
            graph: Graph {
                edges: Vec::new(),
                need_start: vec![0; needs.len() + 1],
                caps: graph.caps.as_ref().map(|caps| caps.select(needs, |_| 0)),
            },
            edges: Vec::new(),
        };
        for (i, &n) in needs.iter().enumerate() {
            let start = graph.need_start[n];
            for (e, edge) in graph.edges_of(n).iter().enumerate() {
                let offer = offer_index[edge.offer as usize];
                if offer == u32::MAX {
                    continue;
                }
                part.graph.edges.push(Edge { need: i as u32, offer, upper: upper_of(edge), ..*edge });
                part.edges.push(start + e);
            }
            part.graph.need_start[i + 1] = part.graph.edges.len();
        }
        part
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parts cover every edge exactly once, each edge keeps its need, offer, value and limit, the parts'
    /// graphs are sorted and indexed like any graph, and no need or offer is in two parts.
    #[test]
    fn the_parts_partition_the_graph() {
        let mut split_batches = 0;
        for seed in 1..=12 {
            let (batch, graph) = crate::solve::generated(300, 30, seed);
            let Some(parts) = split(&batch, &graph) else { continue };
            split_batches += 1;
            let mut seen = vec![0u32; graph.edges.len()];
            let (mut need_ids, mut offer_ids) = (std::collections::HashSet::new(), std::collections::HashSet::new());
            for part in &parts {
                assert_eq!(part.graph.need_count(), part.batch.needs.len());
                for (n, need) in part.batch.needs.iter().enumerate() {
                    assert!(need_ids.insert(need.id.clone()), "need {} in two parts", need.id);
                    assert!(!part.graph.edges_of(n).is_empty(), "need {} has no edge in its part", need.id);
                }
                for offer in &part.batch.offers {
                    assert!(offer_ids.insert(offer.id.clone()), "offer {} in two parts", offer.id);
                }
                for (i, (e, &whole)) in part.graph.edges.iter().zip(&part.edges).enumerate() {
                    seen[whole] += 1;
                    let original = &graph.edges[whole];
                    assert_eq!(part.batch.needs[e.need as usize].id, batch.needs[original.need as usize].id);
                    assert_eq!(part.batch.offers[e.offer as usize].id, batch.offers[original.offer as usize].id);
                    assert_eq!((e.value, e.upper, e.fit), (original.value, original.upper, original.fit));
                    if i > 0 {
                        let before = &part.graph.edges[i - 1];
                        assert!((before.need, before.offer) < (e.need, e.offer), "part edges out of order");
                    }
                }
            }
            assert!(parts.len() > 1, "seed {seed}: a split into one part");
            assert!(seen.iter().all(|&s| s == 1), "seed {seed}: an edge in no part or in two");
        }
        assert!(split_batches > 0, "no generated batch has more than one part: the test checks nothing");
    }

    /// With a requester cap that binds, a requester's needs stay in one part, each part keeps its requesters'
    /// caps, and solving by parts gives the optimum of one search over the whole batch.
    #[test]
    fn a_capped_requesters_needs_stay_in_one_part() {
        use crate::solve::{Limits, Method, Status, integer, relaxation, solve};
        let weights = crate::objective::Weights {
            max_requester_share: crate::objective::RequesterShare::from_fraction(0.02),
            ..crate::objective::Weights::default()
        };
        let (mut split_batches, mut compared) = (0, 0);
        for seed in 1..=30 {
            let (batch, _) = crate::solve::generated(60, 8, seed);
            let graph = crate::graph::build(&batch, crate::catalog::Reference::embedded(), &weights);
            let Some(parts) = split(&batch, &graph) else { continue };
            split_batches += 1;
            let caps = graph.caps.as_ref().unwrap();
            let asked = caps.asked(batch.needs.iter().map(|n| n.amount.get()));
            let mut part_of_requester = std::collections::HashMap::new();
            for (p, part) in parts.iter().enumerate() {
                let part_caps = part.graph.caps.as_ref().expect("a part keeps the caps");
                for (i, need) in part.batch.needs.iter().enumerate() {
                    let whole = batch.needs.iter().position(|n| n.id == need.id).unwrap();
                    let r = caps.requester_of[whole] as usize;
                    assert_eq!(part_caps.limit[part_caps.requester_of[i] as usize], caps.limit[r]);
                    if caps.binds(r, asked[r]) {
                        assert_eq!(*part_of_requester.entry(r).or_insert(p), p, "seed {seed}: requester split");
                    }
                }
            }
            let by_parts = solve(&batch, &graph, Method::Optimal, Limits::default()).unwrap();
            let relaxed = relaxation::solve(&batch, &graph).unwrap().objective;
            let whole = integer::solve(&batch, &graph, relaxed, Limits::default(), None).unwrap();
            if by_parts.status == Status::Optimal && whole.status == Status::Optimal {
                assert_eq!(by_parts.objective, whole.objective, "seed {seed}");
                compared += 1;
            }
        }
        assert!(split_batches >= 3 && compared >= 3, "{split_batches} {compared}");
    }

    /// Solving the parts one by one gives the optimum of one search over the whole batch, and the merged
    /// allocation passes every invariant check, on the small generated batches that fall apart.
    #[test]
    fn the_parts_add_up_to_the_whole_optimum() {
        use crate::solve::{Limits, Method, Status, integer, relaxation, solve};
        let mut compared = 0;
        for seed in 1..=40 {
            let (batch, graph) = crate::solve::generated(60, 8, seed);
            let Some(parts) = split(&batch, &graph) else { continue };
            if !parts.iter().any(|p| crate::solve::has_integer_rules(&p.batch)) {
                continue;
            }
            let by_parts = solve(&batch, &graph, Method::Optimal, Limits::default()).unwrap();
            let relaxed = relaxation::solve(&batch, &graph).unwrap().objective;
            let whole = integer::solve(&batch, &graph, relaxed, Limits::default(), None).unwrap();
            if by_parts.status != Status::Optimal || whole.status != Status::Optimal {
                continue;
            }
            assert_eq!(by_parts.objective, whole.objective, "seed {seed}: parts and whole disagree");
            assert_eq!(by_parts.relaxation, relaxed, "seed {seed}: the relaxation is the whole batch's");
            assert_eq!(by_parts.bound, by_parts.objective, "seed {seed}: the parts' bounds add up to the optimum");
            compared += 1;
        }
        assert!(compared >= 3, "too few generated batches fall apart: {compared}");
    }
}
