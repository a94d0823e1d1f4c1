//! Award swaps: a local improvement for allocations that keep every integer rule.
//!
//! Where the values per dollar are flat, the flow relaxation is indifferent to which needs an offer funds, and an
//! offer with max_awards often ends with its k awards spent on small needs and money left that no further award
//! may take, where the optimum funds k larger needs with all of its money. A swap gives up one award of such an
//! offer and funds instead a need that nobody funds yet, with as much as the award's money and the offer's
//! leftover allow. It is taken when the value gained exceeds the value lost, including the rest of the old need's
//! money when taking the award away leaves that need below its own rule. No re-solve is needed; the caller spends
//! what the swaps freed with the greedy rule and may re-optimise the awards. A need funded instead takes no more
//! than its requester's cap leaves (docs/spec.md §10), counting what the swap frees for the same requester.

use crate::graph::Graph;
use crate::model::Batch;

use super::greedy::RequesterRoom;

/// An edge as a swap reads it: (edge, need, value, the least it may give the need). Its limit is read from the
/// graph, which a Monte Carlo draw changes.
type Candidate = (usize, usize, i64, i64);

/// What swaps look up, laid out once per batch shape (it depends on values, floors and needs' rules, not on
/// envelopes or limits): each offer's edges in edge order, and the same most valuable first. Built in every call
/// (three per Monte Carlo draw), it was a measurable share of a large batch's draws' instructions (callgrind).
#[derive(Debug, Clone)]
pub struct SwapIndex {
    /// What each need must get if it gets anything.
    must: Vec<i64>,
    /// Each offer's edges, in edge order: the awards a swap may give up.
    by_offer: Vec<Vec<Candidate>>,
    /// The same, most valuable first (edge order on ties): a scan for the edge to fund instead can stop where
    /// even the whole budget at that value gains too little.
    by_value: Vec<Vec<Candidate>>,
}

impl SwapIndex {
    /// The index for `batch` and `graph`.
    pub fn new(batch: &Batch, graph: &Graph) -> SwapIndex {
        let must: Vec<i64> = batch.needs.iter().map(|n| n.must_get()).collect();
        let mut by_offer: Vec<Vec<Candidate>> = vec![Vec::new(); batch.offers.len()];
        for (e, edge) in graph.edges.iter().enumerate() {
            let (n, o) = (edge.need as usize, edge.offer as usize);
            // The award given up met the floor and an eligible need's amount does too (docs/spec.md §4), so the floor
            // only matters against caps below it.
            let least = must[n].max(batch.offers[o].floor_per_need.map_or(0, |f| f.get()));
            by_offer[o].push((e, n, edge.value, least));
        }
        let mut by_value = by_offer.clone();
        for list in &mut by_value {
            list.sort_by_key(|&(f, _, value, _)| (std::cmp::Reverse(value), f));
        }
        SwapIndex { must, by_offer, by_value }
    }
}

/// [`swap_awards_in`] with an index built for the call.
#[cfg(test)]
pub fn swap_awards(batch: &Batch, graph: &Graph, amounts: Vec<i64>, passes: usize) -> Vec<i64> {
    swap_awards_in(batch, graph, amounts, passes, &SwapIndex::new(batch, graph))
}

/// Applies the best swap of each offer with money left, offer by offer, for at most `passes` passes or until a
/// pass finds none. `amounts` must keep every rule of docs/spec.md §5; the result does too and is worth at least as
/// much. The index is built once per batch by the caller, as the search re-uses it.
pub fn swap_awards_in(
    batch: &Batch,
    graph: &Graph,
    mut amounts: Vec<i64>,
    passes: usize,
    index: &SwapIndex,
) -> Vec<i64> {
    let must = &index.must;
    let need_edges = |n: usize| graph.need_start[n]..graph.need_start[n + 1];
    let mut totals: Vec<i64> = (0..batch.needs.len()).map(|n| amounts[need_edges(n)].iter().sum()).collect();
    let mut spent = vec![0i64; batch.offers.len()];
    for (edge, &x) in graph.edges.iter().zip(&amounts) {
        spent[edge.offer as usize] += x;
    }
    let mut room = RequesterRoom::new(graph, &amounts);
    for _ in 0..passes {
        let mut swapped = false;
        for (o, offer) in batch.offers.iter().enumerate() {
            let left = offer.envelope.get() - spent[o];
            // (gain, award given up, edge funded instead, its amount, whether the old need loses everything)
            let mut best: Option<(i128, usize, usize, i64, bool)> = None;
            for &(a, na, value, _) in &index.by_offer[o] {
                let x = amounts[a];
                if x == 0 {
                    continue;
                }
                let after = totals[na] - x;
                let strips = after > 0 && after < must[na];
                let mut loss = i128::from(value) * i128::from(x);
                if strips {
                    loss += need_edges(na)
                        .filter(|&k| k != a)
                        .map(|k| i128::from(graph.edges[k].value) * i128::from(amounts[k]))
                        .sum::<i128>();
                }
                let budget = x + left;
                for &(f, nf, value, least) in &index.by_value[o] {
                    let most = i128::from(value) * i128::from(budget) - loss;
                    if most <= 0 || best.is_some_and(|(g, ..)| most < g) {
                        break;
                    }
                    if totals[nf] != 0 {
                        continue;
                    }
                    // What the swap frees for the requester of the need funded instead, if it is also the old one's.
                    let freed = if !room.same_requester(na, nf) {
                        0
                    } else if strips {
                        totals[na]
                    } else {
                        x
                    };
                    let take = graph.edges[f].upper.min(budget).min(room.of(nf).saturating_add(freed));
                    if take < least {
                        continue;
                    }
                    let gain = i128::from(value) * i128::from(take) - loss;
                    // Ties go to the first award, then the first edge, in edge order.
                    let better = match best {
                        None => gain > 0,
                        Some((g, best_a, best_f, ..)) => gain > g || (gain == g && a == best_a && f < best_f),
                    };
                    if better {
                        best = Some((gain, a, f, take, strips));
                    }
                }
            }
            let Some((_, a, f, take, strips)) = best else { continue };
            let na = graph.edges[a].need as usize;
            let taken_away: Vec<usize> = if strips { need_edges(na).collect() } else { vec![a] };
            for k in taken_away {
                spent[graph.edges[k].offer as usize] -= amounts[k];
                totals[na] -= amounts[k];
                room.take(na, -amounts[k]);
                amounts[k] = 0;
            }
            let nf = graph.edges[f].need as usize;
            amounts[f] = take;
            totals[nf] = take;
            spent[o] += take;
            room.take(nf, take);
            swapped = true;
        }
        if !swapped {
            break;
        }
    }
    amounts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Reference;
    use crate::graph;
    use crate::model::{Kind, Need, NeedId, Offer, OfferId, Requester, Usd};
    use crate::objective::Weights;
    use crate::solve::check::keeps_every_rule;
    use crate::solve::{for_generated_batches, greedy, objective_of};

    /// Swaps keep every rule and never lose value, from greedy allocations of generated batches, and they do swap
    /// in some of them (else this tests nothing).
    #[test]
    fn swaps_keep_every_rule_and_never_lose_value() {
        let mut swapped = 0;
        for_generated_batches(0x5EED_00F2, 60, |case, batch, graph, order| {
            let before = greedy::fill(batch, graph, vec![0; graph.edges.len()], order);
            let after = swap_awards(batch, graph, before.clone(), 4);
            keeps_every_rule(batch, graph, &after).unwrap_or_else(|e| panic!("case {case}: {e}"));
            let (v0, v1) = (objective_of(graph, &before), objective_of(graph, &after));
            assert!(v1 >= v0, "case {case}: {v1} < {v0}");
            swapped += usize::from(v1 > v0);
        });
        assert!(swapped > 15, "{swapped}");
    }

    fn need(id: &str, amount: i64) -> Need {
        let reference = Reference::embedded();
        let mut need = Need::plain(
            NeedId(id.to_string()),
            Requester::State(reference.country_by_code("KEN").unwrap()),
            "KEN".to_string(),
            vec![reference.commitment_by_code("ITI-2a").unwrap()],
            [Kind::Equipment].into_iter().collect(),
            Usd(amount),
        );
        need.priority = 1;
        need
    }

    fn offer(id: &str, envelope: i64) -> Offer {
        let mut offer = Offer::unrestricted(OfferId(id.to_string()), "EU".to_string(), Usd(envelope));
        offer.commitments = vec![Reference::embedded().commitment_by_code("ITI-2a").unwrap()];
        offer
    }

    fn edge(batch: &Batch, graph: &Graph, n: &str, o: &str) -> usize {
        graph
            .edges
            .iter()
            .position(|e| {
                batch.needs[e.need as usize].id.as_str() == n && batch.offers[e.offer as usize].id.as_str() == o
            })
            .unwrap()
    }

    /// The case swaps are for: an offer with one award spent on a small need while a larger one of the same value
    /// goes without; and the old need's other money counted when taking the award away leaves it below its
    /// minimum.
    #[test]
    fn swaps_by_hand() {
        let reference = Reference::embedded();
        let mut o = offer("O", 100);
        o.max_awards = Some(1);
        let batch = Batch { needs: vec![need("A", 30), need("B", 90)], offers: vec![o.clone()] };
        let graph = graph::build(&batch, reference, &Weights::default());
        let mut start = vec![0; graph.edges.len()];
        start[edge(&batch, &graph, "A", "O")] = 30;
        let after = swap_awards(&batch, &graph, start, 4);
        keeps_every_rule(&batch, &graph, &after).unwrap();
        assert_eq!((after[edge(&batch, &graph, "A", "O")], after[edge(&batch, &graph, "B", "O")]), (0, 90));

        // A gets 30 from O and 20 from P under a min_award of 40: giving O's award to B leaves A with 20, below
        // its minimum, so A loses P's 20 too; the swap still pays (90 against 50) and P's money is free again.
        let mut small = need("A", 50);
        small.min_award = Some(Usd(40));
        let mut p = offer("P", 20);
        p.max_awards = None;
        let batch = Batch { needs: vec![small, need("B", 90)], offers: vec![o, p] };
        let graph = graph::build(&batch, reference, &Weights::default());
        let mut start = vec![0; graph.edges.len()];
        start[edge(&batch, &graph, "A", "O")] = 30;
        start[edge(&batch, &graph, "A", "P")] = 20;
        keeps_every_rule(&batch, &graph, &start).unwrap();
        let after = swap_awards(&batch, &graph, start, 4);
        keeps_every_rule(&batch, &graph, &after).unwrap();
        let got = |n, o| after[edge(&batch, &graph, n, o)];
        assert_eq!((got("A", "O"), got("A", "P"), got("B", "O")), (0, 0, 90));
    }
}
