//! `track`, the follow-up a secretariat runs a year after a round (docs/spec.md §9): what became of each request
//! and each envelope, read from the ledger of awards against the batch, on a date given as an argument (never the
//! clock), so the result depends on the inputs only.
//!
//! - [`sums`]: money per award status, the one sum every table is made of;
//! - [`accounts`]: per need, per offer and per donor, what the ledger holds against it;
//! - [`followup`]: the list of things to chase (stale proposals, undisbursed commitments, needs open past their
//!   latest start, awards that cannot be aged);
//! - [`tables`]: the five tables (track_needs, track_offers, track_donors, track_followup, track_unmatched);
//! - [`record`]: track.json, what was read and with which options;
//! - [`words`]: every label the track page shows, in each language.
//!
//! This module sits beside [`crate::report`]: it reads the model and writes no file. The page is in
//! `render::track_page`, and `run::track` writes everything together.

pub mod accounts;
pub mod followup;
pub mod record;
pub mod sums;
pub mod tables;
pub mod words;

use crate::model::{Batch, Date, Ledger};

pub use accounts::{DonorAccount, NeedAccount, NeedState, OfferAccount, Unmatched, UnmatchedKind};
pub use followup::{FollowUp, FollowUpKind};
pub use sums::StatusSums;
pub use words::TrackWord;

/// Proposals not pledged after this many days are followed up, unless `--stale-days` says otherwise.
pub const DEFAULT_STALE_DAYS: u32 = 90;

/// Commitments not disbursed after this many days (a year, as the 1540 Committee follows up) are followed up.
pub const UNDISBURSED_DAYS: i64 = 365;

/// What a follow-up is computed against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackOptions {
    /// The date the follow-up is made on: every age is counted to it.
    pub as_of: Date,
    /// Days after which a proposal not pledged is followed up.
    pub stale_days: u32,
}

/// Everything `track` reports: the accounts, the follow-up list and the awards whose ids the batch lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Track {
    /// The options it was computed with.
    pub options: TrackOptions,
    /// One per need of the batch, in need id order.
    pub needs: Vec<NeedAccount>,
    /// One per offer of the batch, in offer id order.
    pub offers: Vec<OfferAccount>,
    /// One per donor code of the batch, in code order.
    pub donors: Vec<DonorAccount>,
    /// What to chase, by kind, the oldest first.
    pub followups: Vec<FollowUp>,
    /// Awards whose need or offer is not in the batch, in award id order.
    pub unmatched: Vec<Unmatched>,
    /// Every award of the ledger, by status.
    pub ledger_totals: StatusSums,
}

/// Follows up `ledger` against `batch` as of `options.as_of`.
pub fn track(batch: &Batch, ledger: &Ledger, options: TrackOptions) -> Track {
    let accounts = accounts::Accounts::build(batch, ledger);
    let followups = followup::followups(ledger, &accounts, options);
    let mut ledger_totals = StatusSums::default();
    for award in &ledger.awards {
        ledger_totals.add(award.status, award.amount);
    }
    Track {
        options,
        needs: accounts.needs,
        offers: accounts.offers,
        donors: accounts.donors,
        followups,
        unmatched: accounts.unmatched,
        ledger_totals,
    }
}

impl Track {
    /// Needs fully met, partly met and open, in that order.
    pub fn need_counts(&self) -> [usize; 3] {
        let count = |state| self.needs.iter().filter(|n| n.state() == state).count();
        [count(NeedState::Met), count(NeedState::Partly), count(NeedState::Open)]
    }

    /// Follow-ups of each kind, in [`FollowUpKind::ALL`] order.
    pub fn followup_counts(&self) -> Vec<(FollowUpKind, usize)> {
        FollowUpKind::ALL.iter().map(|&k| (k, self.followups.iter().filter(|f| f.kind == k).count())).collect()
    }

    /// Awards whose need is not in the batch, and awards whose offer is not in the batch (an award may be both).
    pub fn unmatched_counts(&self) -> (usize, usize) {
        let need = self.unmatched.iter().filter(|u| u.kind.need_missing()).count();
        let offer = self.unmatched.iter().filter(|u| u.kind.offer_missing()).count();
        (need, offer)
    }

    /// Offers whose ledger holds more than their envelope.
    pub fn offers_over(&self) -> usize {
        self.offers.iter().filter(|o| o.left() < 0).count()
    }

    /// Total requested by the batch's needs and still open.
    pub fn requested_and_open(&self) -> (i128, i128) {
        self.needs.iter().fold((0, 0), |(r, o), n| (r + n.requested, o + n.open()))
    }
}

#[cfg(test)]
mod tests;
