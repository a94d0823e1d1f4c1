//! Allocation around a ledger's locks (docs/spec.md §9): the new money is the allocation of the residual batch
//! (`graph::residual`), solved by the same methods, and the result is locked plus new money on every edge.
//!
//! The residual batch's allocation is checked as every allocation is; then [`verify_totals`] checks the totals
//! (locked plus new) against the original batch's rules, with the one exception the contract makes: a rule that
//! the locks break on their own stays broken, and new money must not break it further.

use crate::error::{Error, Result};
use crate::graph::Graph;
use crate::graph::locks::Locks;
use crate::graph::residual::Residual;
use crate::model::{Batch, FundingMode};

use super::progress::Observer;
use super::{DrawShare, Limits, Method, Solution, solve_draw, solve_observed};

/// The best allocation of `batch` that keeps every lock of `locks`, as totals on `graph`'s edges (locks
/// included; locked pairs without an edge and locks from offers outside the batch are in `locks` only). Its
/// objective, bound and relaxation count the locked money on the graph's edges too.
pub fn solve_with_locks(
    batch: &Batch,
    graph: &Graph,
    locks: &Locks,
    method: Method,
    limits: Limits,
    observer: Option<&dyn Observer>,
) -> Result<Solution> {
    let residual = Residual::of(batch, graph, locks);
    let new = solve_observed(&residual.batch, &residual.graph, method, limits, observer)?;
    with_locks(batch, graph, locks, new)
}

/// [`solve_with_locks`] for a Monte Carlo draw (docs/spec.md §7): `batch` and `graph` carry the draw's envelopes
/// and limits, and the residual's search network comes from `share`. A share must have been built on the residual
/// of the same `locks`, since the locks shape the residual's rules (an amount locked whole, a minimum met, awards
/// already made); an empty share builds a network for this draw alone.
pub fn solve_draw_with_locks(
    batch: &Batch,
    graph: &Graph,
    locks: &Locks,
    method: Method,
    limits: Limits,
    share: &mut DrawShare,
) -> Result<Solution> {
    let residual = Residual::of(batch, graph, locks);
    let new = solve_draw(&residual.batch, &residual.graph, method, limits, share)?;
    with_locks(batch, graph, locks, new)
}

/// The allocation of `new` money on the residual of `locks`, checked and with the locks added back.
fn with_locks(batch: &Batch, graph: &Graph, locks: &Locks, new: Solution) -> Result<Solution> {
    let locked_value: i128 =
        graph.edges.iter().zip(&locks.on_edge).map(|(e, &x)| i128::from(x) * i128::from(e.value)).sum();
    verify_totals(batch, graph, locks, &new.amounts)?;
    let amounts = new.amounts.iter().zip(&locks.on_edge).map(|(&x, &l)| x + l).collect();
    Ok(Solution {
        amounts,
        objective: new.objective + locked_value,
        bound: new.bound + locked_value,
        relaxation: new.relaxation + locked_value,
        ..new
    })
}

/// Checks locked plus `new` money (per edge of `graph`) against every rule of docs/spec.md §5 on the original
/// `batch`, written apart from the residual's construction so that a slip there shows here. A rule the locks
/// alone break must get no new money that makes it worse.
pub fn verify_totals(batch: &Batch, graph: &Graph, locks: &Locks, new: &[i64]) -> Result<()> {
    let fail = |what: String| Err(Error::internal(format!("with the ledger's locks: {what}")));
    let mut need_total: Vec<i128> = locks.of_need.iter().map(|&x| i128::from(x)).collect();
    let mut need_new = vec![0i128; batch.needs.len()];
    let mut offer_total: Vec<i128> = locks.of_offer.iter().map(|&x| i128::from(x)).collect();
    let mut new_awards = vec![0u32; batch.offers.len()];
    for (e, edge) in graph.edges.iter().enumerate() {
        let (x, locked) = (new[e], locks.on_edge[e]);
        if x < 0 {
            return fail(format!("edge {}→{} gets {x} new", edge.need, edge.offer));
        }
        if x == 0 {
            continue;
        }
        let offer = &batch.offers[edge.offer as usize];
        if locks.declined[e] {
            return fail(format!("declined pair {}→{} gets new money", edge.need, offer.id));
        }
        if offer.cap_per_need.is_some_and(|c| x + locked > c.get()) {
            return fail(format!("offer {} gives {} to one need, above its cap", offer.id, x + locked));
        }
        if locked == 0 {
            new_awards[edge.offer as usize] += 1;
            if offer.floor_per_need.is_some_and(|f| x < f.get()) {
                return fail(format!("offer {} makes a new award of {x}, below its floor", offer.id));
            }
        }
        need_total[edge.need as usize] += i128::from(x);
        need_new[edge.need as usize] += i128::from(x);
        offer_total[edge.offer as usize] += i128::from(x);
    }
    for (n, need) in batch.needs.iter().enumerate() {
        let (total, added) = (need_total[n], need_new[n]);
        if total > i128::from(need.amount.get()) {
            return fail(format!("need {} gets {total}, more than its amount", need.id));
        }
        let all_or_nothing = need.funding_mode == FundingMode::AllOrNothing;
        if added > 0 && all_or_nothing && total != i128::from(need.amount.get()) {
            return fail(format!("all-or-nothing need {} gets new money and ends at {total}", need.id));
        }
        if added > 0 && need.min_award.is_some_and(|m| total < i128::from(m.get())) {
            return fail(format!("need {} gets new money and ends at {total}, below its min_award", need.id));
        }
    }
    for (o, offer) in batch.offers.iter().enumerate() {
        if offer_total[o] > i128::from(offer.envelope.get()) {
            return fail(format!("offer {} gives {}, more than its envelope", offer.id, offer_total[o]));
        }
        let awards = locks.awards_of_offer[o] + new_awards[o];
        if new_awards[o] > 0 && offer.max_awards.is_some_and(|k| awards > k) {
            return fail(format!("offer {} makes {awards} awards, above max_awards", offer.id));
        }
    }
    // New money must not join a need with another funder where either cannot co-finance.
    let alone = |o: u32| !batch.offers[o as usize].allow_cofinance;
    for (e, edge) in graph.edges.iter().enumerate() {
        if new[e] == 0 {
            continue;
        }
        let n = edge.need as usize;
        let funded_new = graph.edges_of(n).iter().zip(&new[graph.need_start[n]..]).filter(|&(_, &x)| x > 0);
        let mut others: Vec<Option<u32>> = funded_new.map(|(f, _)| Some(f.offer)).collect();
        others.extend(locks.lockers.get(&edge.need).into_iter().flatten().copied());
        others.retain(|&p| p != Some(edge.offer));
        if !others.is_empty() && (alone(edge.offer) || others.iter().flatten().any(|&p| alone(p))) {
            let offer = &batch.offers[edge.offer as usize];
            return fail(format!(
                "offer {} and another fund need {} where one cannot co-finance",
                offer.id, batch.needs[n].id
            ));
        }
    }
    if let Some(caps) = &graph.caps {
        let mut received = vec![0i128; caps.requesters()];
        let mut added = vec![0i128; caps.requesters()];
        for n in 0..batch.needs.len() {
            let r = caps.requester_of[n] as usize;
            received[r] += need_total[n];
            added[r] += need_new[n];
        }
        for r in 0..caps.requesters() {
            if added[r] > 0 && received[r] > i128::from(caps.limit[r]) {
                return fail(format!("a requester receives {}, above its cap of {}", received[r], caps.limit[r]));
            }
        }
    }
    Ok(())
}
