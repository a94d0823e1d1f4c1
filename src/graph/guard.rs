//! The requester guardrail of docs/spec.md §10: who asks for each need, and the most each requester may receive.
//!
//! `max_requester_share` of the weights caps the total one requester receives, over all its needs and all the
//! offers, at floor(total envelopes × share) dollars, computed once for the batch. The graph carries the cap in
//! dollars, per requester, so that every solver and the rule check read it where they read edges; a part of a
//! batch (a component, a window of the exact search) keeps its requesters' caps, less what they receive outside
//! it.

use crate::model::Batch;
use crate::objective::RequesterShare;

/// The requesters of a batch's needs and the most each may receive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequesterCaps {
    /// Each need's requester, numbered in the order of their first need.
    pub requester_of: Vec<u32>,
    /// The most each requester may receive, in dollars.
    pub limit: Vec<i64>,
    /// The share the limits were computed from.
    pub share: RequesterShare,
}

impl RequesterCaps {
    /// The caps of `share` on `batch`: each requester (by its code) may receive floor(Σ envelopes × share).
    pub fn new(batch: &Batch, share: RequesterShare) -> RequesterCaps {
        let mut number: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
        let requester_of = batch
            .needs
            .iter()
            .map(|need| {
                let next = number.len() as u32;
                *number.entry(need.requester_code.as_str()).or_insert(next)
            })
            .collect();
        RequesterCaps { requester_of, limit: vec![cap_of(batch, share); number.len()], share }
    }

    /// Sets every limit again from `batch`'s envelopes: a Monte Carlo draw realises other envelopes than the
    /// batch's, and the guardrail holds against what the draw's donors give.
    pub fn reset_limits(&mut self, batch: &Batch) {
        let cap = cap_of(batch, self.share);
        self.limit.iter_mut().for_each(|l| *l = cap);
    }

    /// Number of requesters.
    pub fn requesters(&self) -> usize {
        self.limit.len()
    }

    /// What each requester asks for in total, over `amounts` per need.
    pub fn asked(&self, amounts: impl Iterator<Item = i64>) -> Vec<i64> {
        let mut asked = vec![0i64; self.requesters()];
        for (n, amount) in amounts.enumerate() {
            asked[self.requester_of[n] as usize] += amount;
        }
        asked
    }

    /// Whether requester `r`, asking `asked` in total, can be held back by its cap.
    pub fn binds(&self, r: usize, asked: i64) -> bool {
        asked > self.limit[r]
    }

    /// The caps of the needs `needs` (indices into the batch these caps were made for), renumbered in the order
    /// of their first need there, each requester's limit less what `outside` says it receives elsewhere.
    pub fn select(&self, needs: &[usize], outside: impl Fn(usize) -> i64) -> RequesterCaps {
        let mut new_number = vec![u32::MAX; self.requesters()];
        let mut limit = Vec::new();
        let requester_of = needs
            .iter()
            .map(|&n| {
                let r = self.requester_of[n] as usize;
                if new_number[r] == u32::MAX {
                    new_number[r] = limit.len() as u32;
                    limit.push((self.limit[r] - outside(r)).max(0));
                }
                new_number[r]
            })
            .collect();
        RequesterCaps { requester_of, limit, share: self.share }
    }
}

/// floor(Σ envelopes × share), in exact arithmetic.
fn cap_of(batch: &Batch, share: RequesterShare) -> i64 {
    let total: i128 = batch.offers.iter().map(|o| i128::from(o.envelope.get())).sum();
    // Envelopes add up to at most 10^12 per file (docs/spec.md §3): the cap fits in i64 with room to spare.
    i64::try_from(share.cap(total)).unwrap_or(i64::MAX)
}
