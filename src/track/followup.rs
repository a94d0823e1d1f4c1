//! The follow-up list: awards and needs that someone should ask about, each with the date it refers to and the
//! days from that date to the as-of date.

use std::cmp::Reverse;

use crate::model::{AwardStatus, Date, Ledger};

use super::accounts::Accounts;
use super::{TrackOptions, UNDISBURSED_DAYS};

/// Why a row is on the follow-up list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FollowUpKind {
    /// A proposal still not pledged `--stale-days` or more after its status date.
    StaleProposal,
    /// A commitment still not disbursed a year or more after its status date.
    UndisbursedCommitment,
    /// A need of the batch with money still open after its `start_latest`.
    OpenPastStart,
    /// A proposal or commitment without a status date, which therefore cannot be aged.
    Undated,
    /// An award whose status date is after the as-of date: the ledger or the date given is likely wrong.
    DatedAfterAsOf,
}

impl FollowUpKind {
    /// Every kind, in the order the list and the page show them.
    pub const ALL: [FollowUpKind; 5] = [
        FollowUpKind::StaleProposal,
        FollowUpKind::UndisbursedCommitment,
        FollowUpKind::OpenPastStart,
        FollowUpKind::Undated,
        FollowUpKind::DatedAfterAsOf,
    ];

    /// The spelling in track_followup.csv.
    pub fn as_str(self) -> &'static str {
        match self {
            FollowUpKind::StaleProposal => "stale_proposal",
            FollowUpKind::UndisbursedCommitment => "undisbursed_commitment",
            FollowUpKind::OpenPastStart => "open_past_start",
            FollowUpKind::Undated => "undated",
            FollowUpKind::DatedAfterAsOf => "dated_after_as_of",
        }
    }
}

/// One row of the follow-up list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    /// Why it is listed.
    pub kind: FollowUpKind,
    /// The award (empty for a need's row).
    pub award_id: String,
    /// The need.
    pub need_id: String,
    /// The offer (empty for a need's row).
    pub offer_id: String,
    /// The offer's donor, when the offer is in the batch.
    pub donor: String,
    /// The award's status (none for a need's row).
    pub status: Option<AwardStatus>,
    /// The award's amount, or what a need still has open.
    pub amount: i128,
    /// The date it refers to: the award's status date, or the need's `start_latest`.
    pub date: Option<Date>,
    /// Days from `date` to the as-of date (negative for a date after it).
    pub days: Option<i64>,
}

/// Days from `date` to `as_of`.
fn days_between(date: Date, as_of: Date) -> i64 {
    i64::from(as_of.days()) - i64::from(date.days())
}

/// What the award of `status` dated `date` needs following up for, if anything.
pub(super) fn award_kind(status: AwardStatus, date: Option<Date>, options: TrackOptions) -> Option<FollowUpKind> {
    let threshold = match status {
        AwardStatus::Proposed => (i64::from(options.stale_days), FollowUpKind::StaleProposal),
        AwardStatus::Committed => (UNDISBURSED_DAYS, FollowUpKind::UndisbursedCommitment),
        _ => {
            return date.filter(|&d| d > options.as_of).map(|_| FollowUpKind::DatedAfterAsOf);
        }
    };
    match date {
        None => Some(FollowUpKind::Undated),
        Some(d) if d > options.as_of => Some(FollowUpKind::DatedAfterAsOf),
        Some(d) => (days_between(d, options.as_of) >= threshold.0).then_some(threshold.1),
    }
}

/// The follow-up list of `ledger` and the needs of `accounts`, by kind, the oldest first within a kind, then by
/// award and need id.
pub fn followups(ledger: &Ledger, accounts: &Accounts, options: TrackOptions) -> Vec<FollowUp> {
    let mut list = Vec::new();
    for award in &ledger.awards {
        let Some(kind) = award_kind(award.status, award.status_date, options) else { continue };
        list.push(FollowUp {
            kind,
            award_id: award.id.as_str().to_string(),
            need_id: award.need.as_str().to_string(),
            offer_id: award.offer.as_str().to_string(),
            donor: accounts.donor_of.get(award.offer.as_str()).cloned().unwrap_or_default(),
            status: Some(award.status),
            amount: i128::from(award.amount.get()),
            date: award.status_date,
            days: award.status_date.map(|d| days_between(d, options.as_of)),
        });
    }
    for need in &accounts.needs {
        let Some(start_latest) = need.start_latest else { continue };
        if start_latest < options.as_of && need.open() > 0 {
            list.push(FollowUp {
                kind: FollowUpKind::OpenPastStart,
                award_id: String::new(),
                need_id: need.need_id.clone(),
                offer_id: String::new(),
                donor: String::new(),
                status: None,
                amount: need.open(),
                date: Some(start_latest),
                days: Some(days_between(start_latest, options.as_of)),
            });
        }
    }
    list.sort_by(|a, b| {
        (a.kind, Reverse(a.days), &a.award_id, &a.need_id).cmp(&(b.kind, Reverse(b.days), &b.award_id, &b.need_id))
    });
    list
}
