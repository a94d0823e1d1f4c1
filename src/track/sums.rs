//! Money per award status: what a need, an offer, a donor or the whole ledger holds in each status.

use crate::model::{AwardStatus, Usd};

/// Dollars in awards of each status, summed in `i128` so that no ledger can overflow them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusSums {
    /// Put forward, binding nothing yet.
    pub proposed: i128,
    /// Promised by the donor.
    pub pledged: i128,
    /// Signed.
    pub committed: i128,
    /// Paid out.
    pub disbursed: i128,
    /// Declined by the donor.
    pub declined: i128,
    /// Withdrawn.
    pub cancelled: i128,
    /// Awards counted, in any status.
    pub awards: usize,
}

impl StatusSums {
    /// Counts an award of `amount` in `status`.
    pub fn add(&mut self, status: AwardStatus, amount: Usd) {
        let amount = i128::from(amount.get());
        let slot = match status {
            AwardStatus::Proposed => &mut self.proposed,
            AwardStatus::Pledged => &mut self.pledged,
            AwardStatus::Committed => &mut self.committed,
            AwardStatus::Disbursed => &mut self.disbursed,
            AwardStatus::Declined => &mut self.declined,
            AwardStatus::Cancelled => &mut self.cancelled,
        };
        *slot += amount;
        self.awards += 1;
    }

    /// Adds another set of sums (a donor's offers).
    pub fn merge(&mut self, other: &StatusSums) {
        self.proposed += other.proposed;
        self.pledged += other.pledged;
        self.committed += other.committed;
        self.disbursed += other.disbursed;
        self.declined += other.declined;
        self.cancelled += other.cancelled;
        self.awards += other.awards;
    }

    /// Money the donor has said it will give: pledged, committed and disbursed. A proposal binds nobody, and a
    /// declined or cancelled award is no money at all.
    pub fn secured(&self) -> i128 {
        self.pledged + self.committed + self.disbursed
    }
}
