//! The batch that is left to allocate once a ledger's locks are placed (docs/spec.md §9): what new money may still
//! go where, as a batch and a graph the solvers take unchanged.
//!
//! Every rule counts locked plus new money. A need asks for its amount less its locks; an all-or-nothing need with
//! locked money may only be completed (new money of exactly the rest, or none: it then stays `locked_incomplete`);
//! a minimum counts the locks. An offer gives its envelope less its locks, makes `max_awards` less the awards it
//! already has, and gives each pair at most its cap less that pair's locks. A declined pair gets nothing, and
//! neither does a pair that would break a co-finance rule together with the locks. A requester's cap counts what
//! its needs have locked.
//!
//! Not yet exact: a locked pair of an offer with a floor or `max_awards` gets no new money (a top-up would need
//! the floor and the award count per edge, which the search does not have yet).
//!
//! The residual graph keeps the original's edges in the same order, with new limits, so an allocation of new
//! money lines up with [`Locks::on_edge`] edge by edge.

use crate::model::{Batch, FundingMode, Usd};

use super::Graph;
use super::locks::Locks;

/// The batch and graph of new money.
#[derive(Debug, Clone)]
pub struct Residual {
    /// The needs and offers, with what the locks leave of their amounts, envelopes and rules.
    pub batch: Batch,
    /// The original graph's edges, with what the locks leave of their limits.
    pub graph: Graph,
}

impl Residual {
    /// What `locks` leave of `batch` and its `graph`.
    pub fn of(batch: &Batch, graph: &Graph, locks: &Locks) -> Residual {
        let mut left = batch.clone();
        for (n, need) in left.needs.iter_mut().enumerate() {
            let locked = locks.of_need[n];
            if locked == 0 {
                continue;
            }
            need.amount = Usd(need.amount.get() - locked);
            if need.amount.get() == 0 {
                need.funding_mode = FundingMode::Partial;
            }
            need.min_award = need.min_award.map(|m| m.get() - locked).filter(|&m| m > 0).map(Usd);
        }
        for (o, offer) in left.offers.iter_mut().enumerate() {
            offer.envelope = Usd(offer.envelope.get() - locks.of_offer[o]);
            offer.max_awards = offer.max_awards.map(|k| k.saturating_sub(locks.awards_of_offer[o]));
        }

        let mut graph = graph.clone();
        for (e, edge) in graph.edges.iter_mut().enumerate() {
            let (n, o) = (edge.need as usize, edge.offer as usize);
            let offer = &batch.offers[o];
            let locked = locks.on_edge[e];
            let cap = offer.cap_per_need.map_or(i64::MAX, |c| c.get() - locked);
            let mut upper = left.needs[n].amount.get().min(left.offers[o].envelope.get()).min(cap);
            let top_up_unsupported = locked > 0 && (offer.floor_per_need.is_some() || offer.max_awards.is_some());
            if locks.declined[e] || top_up_unsupported || breaks_cofinance(batch, locks, n, o) {
                upper = 0;
            }
            edge.upper = upper.max(0);
        }
        if let Some(caps) = graph.caps.as_mut() {
            let locked = caps.asked(locks.of_need.iter().copied());
            for (limit, locked) in caps.limit.iter_mut().zip(locked) {
                *limit = (*limit - locked).max(0);
            }
        }
        Residual { batch: left, graph }
    }
}

/// Whether new money from offer `o` to need `n` would break a co-finance rule with the locks: the need has locked
/// money from another offer and `o` cannot co-finance, or it has locked money from an offer that cannot.
fn breaks_cofinance(batch: &Batch, locks: &Locks, n: usize, o: usize) -> bool {
    let Some(lockers) = locks.lockers.get(&(n as u32)) else { return false };
    let others = lockers.iter().filter(|&&l| l != Some(o as u32));
    let mut others = others.peekable();
    if others.peek().is_none() {
        return false;
    }
    !batch.offers[o].allow_cofinance || others.any(|l| l.is_some_and(|p| !batch.offers[p as usize].allow_cofinance))
}
