//! The desk officer's baseline (docs/spec.md §5): needs in order of priority, then need_id; each takes what it can from
//! its eligible offers in descending fit (offer_id on ties). Integer rules are respected: a need whose
//! all-or-nothing amount or min_award cannot be met is skipped, an offer gives nothing below its floor or beyond
//! max_awards, and an offer that cannot co-finance only funds a need alone. With `max_requester_share`
//! (docs/spec.md §10) a need takes no more than its requester's cap leaves.

use crate::graph::Graph;
use crate::model::Batch;

/// Greedy amounts per edge, in graph order.
pub fn allocate(batch: &Batch, graph: &Graph) -> Vec<i64> {
    fill(batch, graph, vec![0; graph.edges.len()], &priority_order(batch))
}

/// The needs in the order the desk officer takes them: priority, then need_id.
pub fn priority_order(batch: &Batch) -> Vec<usize> {
    let mut order: Vec<usize> = (0..batch.needs.len()).collect();
    order.sort_by(|&a, &b| {
        let (na, nb) = (&batch.needs[a], &batch.needs[b]);
        na.priority.cmp(&nb.priority).then_with(|| na.id.cmp(&nb.id))
    });
    order
}

/// Each need's edges in the order the greedy rule tries them: best fit first, offer id on ties. It depends only
/// on the graph and the offers' ids, not on amounts or envelopes, so the exact search computes it once per batch
/// shape and reuses it in every fill (several per Monte Carlo draw).
#[derive(Debug, Clone)]
pub struct EdgeOrder {
    /// Edge indices, each need's within its own range of the graph.
    edges: Vec<u32>,
}

impl EdgeOrder {
    /// The order for `batch` and `graph`.
    pub fn new(batch: &Batch, graph: &Graph) -> EdgeOrder {
        // Offers ranked by id once, so that ordering each need's edges compares numbers, not strings.
        let mut by_id: Vec<usize> = (0..batch.offers.len()).collect();
        by_id.sort_by(|&a, &b| batch.offers[a].id.cmp(&batch.offers[b].id));
        let mut id_rank = vec![0u32; batch.offers.len()];
        for (rank, &o) in by_id.iter().enumerate() {
            id_rank[o] = rank as u32;
        }
        let mut edges: Vec<u32> = (0..graph.edges.len() as u32).collect();
        for n in 0..batch.needs.len() {
            edges[graph.need_start[n]..graph.need_start[n + 1]].sort_by_key(|&e| {
                let edge = &graph.edges[e as usize];
                (std::cmp::Reverse(edge.fit), id_rank[edge.offer as usize])
            });
        }
        EdgeOrder { edges }
    }
}

/// The greedy rule applied on top of an allocation that keeps every rule: needs in `order` take what the
/// offers have left, a need without money under its own rule, a need that already has some by topping it up
/// (from offers that may co-finance, and only where its funders may). The result keeps every rule too. From
/// nothing, in priority order, it is [`allocate`]; the exact search uses it to spend what its repairs freed.
pub fn fill(batch: &Batch, graph: &Graph, amounts: Vec<i64>, order: &[usize]) -> Vec<i64> {
    fill_in(batch, graph, amounts, order, &EdgeOrder::new(batch, graph))
}

/// [`fill`] with each need's edge order computed beforehand.
pub fn fill_in(
    batch: &Batch,
    graph: &Graph,
    mut amounts: Vec<i64>,
    order: &[usize],
    edge_order: &EdgeOrder,
) -> Vec<i64> {
    let mut remaining: Vec<i64> = batch.offers.iter().map(|o| o.envelope.get()).collect();
    let mut awards = vec![0u32; batch.offers.len()];
    for (edge, &x) in graph.edges.iter().zip(&amounts) {
        if x > 0 {
            remaining[edge.offer as usize] -= x;
            awards[edge.offer as usize] += 1;
        }
    }
    let mut room = RequesterRoom::new(graph, &amounts);

    let mut plan: Vec<(usize, i64)> = Vec::new();
    for &n in order {
        let need = &batch.needs[n];
        let start = graph.need_start[n];
        let range = start..graph.need_start[n + 1];
        let funded: i64 = amounts[range.clone()].iter().sum();
        let mut left = (need.amount.get() - funded).min(room.of(n));
        let alone_already =
            range.clone().any(|e| amounts[e] > 0 && !batch.offers[graph.edges[e].offer as usize].allow_cofinance);
        if left <= 0 || alone_already {
            continue;
        }
        let edges = &edge_order.edges[range];
        // A need with money has met its rule already.
        let must_get = if funded > 0 { 0 } else { need.must_get() };

        // Plan on the side, commit only if the need's own rule is met.
        plan.clear();
        let mut alone = false;
        for &e in edges {
            let e = e as usize;
            if left == 0 || alone {
                break;
            }
            let edge = &graph.edges[e];
            let o = edge.offer as usize;
            let offer = &batch.offers[o];
            let new_award = amounts[e] == 0;
            if new_award && offer.max_awards.is_some_and(|k| awards[o] >= k) {
                continue;
            }
            let give = left.min(edge.upper - amounts[e]).min(remaining[o]);
            if give <= 0 || (new_award && offer.floor_per_need.is_some_and(|f| give < f.get())) {
                continue;
            }
            if !offer.allow_cofinance {
                // Alone means it must cover the need's requirement by itself, with nobody before it.
                if funded > 0 || !plan.is_empty() || give < must_get {
                    continue;
                }
                alone = true;
            }
            plan.push((e, give));
            left -= give;
        }
        let total: i64 = plan.iter().map(|&(_, g)| g).sum();
        if total == 0 || total < must_get {
            continue;
        }
        for &(e, give) in &plan {
            let o = graph.edges[e].offer as usize;
            if amounts[e] == 0 {
                awards[o] += 1;
            }
            amounts[e] += give;
            remaining[o] -= give;
        }
        room.take(n, total);
    }
    amounts
}

/// What each requester's cap (docs/spec.md §10) leaves it to receive, for allocations built piece by piece.
#[derive(Debug, Clone)]
pub struct RequesterRoom<'g> {
    graph: &'g Graph,
    /// Per requester, what its cap leaves; empty without caps.
    left: Vec<i64>,
}

impl<'g> RequesterRoom<'g> {
    /// The room `amounts` leaves each requester of `graph`.
    pub fn new(graph: &'g Graph, amounts: &[i64]) -> RequesterRoom<'g> {
        let left = match &graph.caps {
            None => Vec::new(),
            Some(caps) => {
                let mut left = caps.limit.clone();
                for (edge, &x) in graph.edges.iter().zip(amounts) {
                    left[caps.requester_of[edge.need as usize] as usize] -= x;
                }
                left
            }
        };
        RequesterRoom { graph, left }
    }

    /// What need `n` may still receive under its requester's cap (no limit without caps).
    pub fn of(&self, n: usize) -> i64 {
        self.requester(n).map_or(i64::MAX, |r| self.left[r].max(0))
    }

    /// Records `x` dollars more (or less, when negative) for need `n`.
    pub fn take(&mut self, n: usize, x: i64) {
        if let Some(r) = self.requester(n) {
            self.left[r] -= x;
        }
    }

    /// Whether no requester receives more than its cap.
    pub fn fits(&self) -> bool {
        self.left.iter().all(|&l| l >= 0)
    }

    /// Whether needs `a` and `b` have the same capped requester.
    pub fn same_requester(&self, a: usize, b: usize) -> bool {
        self.requester(a).is_some() && self.requester(a) == self.requester(b)
    }

    fn requester(&self, n: usize) -> Option<usize> {
        self.graph.caps.as_ref().map(|caps| caps.requester_of[n] as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::check::keeps_every_rule;
    use crate::solve::for_generated_batches;

    /// `fill`, which the exact search uses to spend what its repairs free, keeps every rule in any order, from
    /// nothing and on top of an allocation that already keeps them, and never takes money away.
    #[test]
    fn fill_keeps_every_rule_in_any_order() {
        let mut topped_up = 0;
        for_generated_batches(0x5EED_00F1, 60, |case, batch, graph, order| {
            let from_nothing = fill(batch, graph, vec![0; graph.edges.len()], order);
            keeps_every_rule(batch, graph, &from_nothing).unwrap_or_else(|e| panic!("case {case}, from nothing: {e}"));
            // On top of an allocation of half the needs (money left over), in the reverse order.
            let base = fill(batch, graph, vec![0; graph.edges.len()], &order[..order.len() / 2]);
            order.reverse();
            let filled = fill(batch, graph, base.clone(), order);
            keeps_every_rule(batch, graph, &filled).unwrap_or_else(|e| panic!("case {case}, on top: {e}"));
            assert!(filled.iter().zip(&base).all(|(f, b)| f >= b), "case {case}: fill took money away");
            topped_up += usize::from(filled != base);
        });
        // The top-up must really add money in some cases, or the second half tests nothing.
        assert!(topped_up > 30, "{topped_up}");
    }

    /// With a requester cap, `fill` and the award swaps keep it (the rule check includes it), in any order.
    #[test]
    fn fill_and_swaps_keep_the_requesters_caps() {
        let weights = crate::objective::Weights {
            max_requester_share: crate::objective::RequesterShare::from_fraction(0.05),
            ..crate::objective::Weights::default()
        };
        let mut capped = 0;
        for_generated_batches(0x5EED_FA1E, 40, |case, batch, _, order| {
            let graph = &crate::graph::build(batch, crate::catalog::Reference::embedded(), &weights);
            let filled = fill(batch, graph, vec![0; graph.edges.len()], order);
            keeps_every_rule(batch, graph, &filled).unwrap_or_else(|e| panic!("case {case}, fill: {e}"));
            let swapped = crate::solve::swap::swap_awards(batch, graph, filled.clone(), 4);
            keeps_every_rule(batch, graph, &swapped).unwrap_or_else(|e| panic!("case {case}, swaps: {e}"));
            let room = RequesterRoom::new(graph, &filled);
            capped += usize::from((0..batch.needs.len()).any(|n| room.of(n) == 0));
        });
        assert!(capped > 10, "{capped}");
    }
}
