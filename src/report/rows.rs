//! The typed rows of a match run's report: one per allocation, the outcome of every need and offer, and the
//! summary's totals. Pure data: the table schemas ([`super::schema`]) say how each row is written to CSV and
//! JSON, and the rendering layer how it is shown.

use crate::graph::locks::{Locks, Tally};
use crate::model::Kind;

use super::dimensions::Dimension;
use super::shortfall::Shortfall;
use super::why::HoldCounts;

/// One allocation (a row of matches.csv).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchRow {
    /// Need id.
    pub need_id: String,
    /// Offer id.
    pub offer_id: String,
    /// Donor code.
    pub donor: String,
    /// Requester code (alpha-3 for States).
    pub requester: String,
    /// The shared (or related) commitment, else the need's primary.
    pub commitment: String,
    /// The first kind both sides name (the need's first kind when the offer gives any).
    pub kind: Kind,
    /// Dollars.
    pub amount_usd: i64,
    /// Fit score.
    pub fit: i64,
    /// Contribution to the objective: dollars × value per dollar.
    pub value: i128,
    /// Value per dollar on this edge.
    pub value_per_usd: i64,
    /// Whether the money was locked by the ledger or allocated by this round.
    pub origin: Origin,
}

/// Where a match's money comes from (docs/spec.md §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    /// A locked award of the ledger: fixed before this round.
    Locked,
    /// Allocated by this round.
    New,
}

impl Origin {
    /// The output spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Locked => "locked",
            Origin::New => "new",
        }
    }
}

/// How much of a need is funded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeedState {
    /// Fully funded.
    Funded,
    /// Funded in part.
    Partial,
    /// Not funded.
    Unfunded,
    /// Locked money breaks one of its rules (all-or-nothing, min_award) and this round did not complete it.
    LockedIncomplete,
}

impl NeedState {
    /// The output spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            NeedState::Funded => "funded",
            NeedState::Partial => "partial",
            NeedState::Unfunded => "unfunded",
            NeedState::LockedIncomplete => "locked_incomplete",
        }
    }
}

/// One need's outcome (a row of needs_status.csv).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedStatus {
    /// Need id.
    pub need_id: String,
    /// Requester code.
    pub requester: String,
    /// Priority 1–3.
    pub priority: u8,
    /// Amount requested.
    pub requested_usd: i64,
    /// Amount allocated, locked money included.
    pub allocated_usd: i64,
    /// Of which locked by the ledger.
    pub locked_usd: i64,
    /// Funded, partial, unfunded or locked_incomplete.
    pub status: NeedState,
    /// Why it is not fully funded (none when funded).
    pub reason: Option<Shortfall>,
    /// What kept each eligible offer from giving more, counted (empty when funded or when none is eligible).
    pub offers_why: HoldCounts,
    /// Number of eligible offers.
    pub eligible_offers: usize,
    /// Number of offers that fund it.
    pub funders: usize,
}

impl NeedStatus {
    /// allocated / requested.
    pub fn coverage(&self) -> f64 {
        ratio(self.allocated_usd.into(), self.requested_usd.into())
    }

    /// The reason's code as needs_status.csv writes it (empty when funded).
    pub fn reason_code(&self) -> String {
        self.reason.map(Shortfall::code).unwrap_or_default()
    }
}

/// One offer's outcome (a row of offers_status.csv).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferStatus {
    /// Offer id.
    pub offer_id: String,
    /// Donor code.
    pub donor: String,
    /// Envelope.
    pub envelope_usd: i64,
    /// Allocated from it, locked money included.
    pub allocated_usd: i64,
    /// Of which locked by the ledger.
    pub locked_usd: i64,
    /// Left over.
    pub remaining_usd: i64,
    /// Number of needs it funds.
    pub awards: usize,
    /// Number of needs eligible for it.
    pub eligible_needs: usize,
}

/// One line of summary.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryRow {
    /// What the line totals by.
    pub dimension: Dimension,
    /// The code (commitment code, theme, M49 code, donor code; `all` for the total).
    pub key: String,
    /// A name for people.
    pub label: String,
    /// Needs counted.
    pub needs: usize,
    /// Requested (for donors: their envelopes).
    pub requested_usd: i128,
    /// Allocated (for donors: what they give).
    pub allocated_usd: i128,
}

impl SummaryRow {
    /// allocated / requested.
    pub fn coverage(&self) -> f64 {
        ratio(self.allocated_usd, self.requested_usd)
    }
}

/// Everything a match run reports.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchReport {
    /// Allocations, in need then offer file order.
    pub matches: Vec<MatchRow>,
    /// Every need in file order.
    pub needs: Vec<NeedStatus>,
    /// Every offer in file order.
    pub offers: Vec<OfferStatus>,
    /// Totals.
    pub summary: Vec<SummaryRow>,
    /// With a ledger: what it locked, and what it holds that the batch cannot place.
    pub ledger: Option<LedgerTotals>,
}

/// The ledger's part in a round (docs/spec.md §9), as run.json's `ledger` and the page's headline give it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct LedgerTotals {
    /// Locked awards on the batch's needs (whatever their offer), and their money.
    pub locked: Tally,
    /// Money this round allocates.
    pub new_usd: i128,
    /// This round's awards: the pairs it gives new money to (a locked pair topped up counts once).
    pub new_awards: usize,
    /// Locked awards whose offer is not in the batch (counted against their need).
    pub outside_offer: Tally,
    /// Locked awards whose need is not in the batch (counted nowhere).
    pub unknown_need: Tally,
}

impl LedgerTotals {
    /// The totals of `locks` in an allocation of `amounts` on the graph's edges (locked money included) and
    /// `allocated_usd` dollars in all.
    pub fn of(locks: &Locks, amounts: &[i64], allocated_usd: i128) -> LedgerTotals {
        LedgerTotals {
            locked: locks.locked,
            new_usd: allocated_usd - locks.locked.usd,
            new_awards: amounts.iter().zip(&locks.on_edge).filter(|(total, locked)| total > locked).count(),
            outside_offer: locks.outside_offer,
            unknown_need: locks.unknown_need,
        }
    }
}

/// `a / b` as a float, 0 when `b` is 0.
pub fn ratio(a: i128, b: i128) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}
