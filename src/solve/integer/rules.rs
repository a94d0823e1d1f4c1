//! The integer rules a flow breaks ([`Violation`]), and how far a flow is from settling each.
//!
//! A flow that breaks none is an allocation. The tree branches on a broken rule (`branching.rs`), the heuristics
//! settle them (`rounding.rs`, `dive.rs`, `plunge.rs`) or take away the money that breaks them (`repair.rs`).

use super::node::Decision;
use super::search::Search;

/// A broken integer rule in a node's flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Violation {
    /// The need gets something but less than its rule demands.
    Need(u32),
    /// The edge carries something below the offer's floor.
    Floor(u32),
    /// The edge of a non-co-financing offer shares its need with other offers.
    Cofinance(u32),
    /// The offer funds too many needs; the edge is its smallest award that is not fixed on.
    MaxAwards(u32),
}

/// min(a / b, 1 − a / b) in millionths (0 when b is not positive): how far a flow of `a` is from both ends of
/// a rule that asks 0 or at least `b` (most-infeasible branching tries the largest first).
pub(super) fn fraction(a: i64, b: i64) -> i64 {
    if b <= 0 {
        return 0;
    }
    let (a, b) = (i128::from(a.clamp(0, b)), i128::from(b));
    (a.min(b - a) * 1_000_000 / b) as i64
}

impl<'a> Search<'a> {
    pub(super) fn must_get(&self, n: usize) -> i64 {
        self.batch.needs[n].must_get()
    }

    pub(super) fn need_totals(&self, amounts: &[i64]) -> Vec<i64> {
        self.layout.need_totals(amounts)
    }

    /// Every broken rule, need rules first, in index order.
    pub(super) fn violations(&self, decisions: &[Decision], amounts: &[i64]) -> Vec<Violation> {
        let mut out = Vec::new();
        let totals = self.need_totals(amounts);
        for (n, &t) in totals.iter().enumerate() {
            if t > 0 && t < self.must_get(n) {
                out.push(Violation::Need(n as u32));
            }
        }
        for (e, edge) in self.graph.edges.iter().enumerate() {
            let x = amounts[e];
            if x == 0 {
                continue;
            }
            let offer = &self.batch.offers[edge.offer as usize];
            if offer.floor_per_need.is_some_and(|f| x < f.get()) {
                out.push(Violation::Floor(e as u32));
            }
            if !offer.allow_cofinance && totals[edge.need as usize] > x {
                out.push(Violation::Cofinance(e as u32));
            }
        }
        // Edges fixed on, sorted for look-up (decisions can number thousands on large batches); gathered only
        // when an offer funds too many needs.
        let mut fixed_on: Option<Vec<u32>> = None;
        for (o, offer) in self.batch.offers.iter().enumerate() {
            let Some(k) = offer.max_awards else { continue };
            let funded = || self.layout.edges_of_offer[o].iter().copied().filter(|&e| amounts[e as usize] > 0);
            if funded().count() <= k as usize {
                continue;
            }
            let on = fixed_on.get_or_insert_with(|| {
                let mut on: Vec<u32> = decisions
                    .iter()
                    .filter_map(|d| match d {
                        Decision::EdgeOn(e) | Decision::Exclusive(e) => Some(*e),
                        _ => None,
                    })
                    .collect();
                on.sort_unstable();
                on
            });
            if let Some(e) = funded().filter(|e| on.binary_search(e).is_err()).min_by_key(|&e| (amounts[e as usize], e))
            {
                out.push(Violation::MaxAwards(e));
            }
        }
        out
    }

    /// How far the flow is from settling broken rule `v` either way (see [`fraction`]): a need's total against
    /// its must, an edge's amount against the offer's floor, against its need's total (co-finance), or against
    /// the edge's limit (max_awards: Σ x / u is what the relaxation counts).
    pub(super) fn violation_fraction(&self, v: Violation, amounts: &[i64], totals: &[i64]) -> i64 {
        match v {
            Violation::Need(n) => fraction(totals[n as usize], self.must_get(n as usize)),
            Violation::Floor(e) => {
                let floor = self.batch.offers[self.graph.edges[e as usize].offer as usize]
                    .floor_per_need
                    .map_or(1, |f| f.get());
                fraction(amounts[e as usize], floor)
            }
            Violation::Cofinance(e) => {
                fraction(amounts[e as usize], totals[self.graph.edges[e as usize].need as usize])
            }
            Violation::MaxAwards(e) => fraction(amounts[e as usize], self.graph.edges[e as usize].upper.max(1)),
        }
    }
}
