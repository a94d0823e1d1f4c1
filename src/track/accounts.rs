//! What the ledger holds against each need, offer and donor of the batch, and the awards it cannot place.
//!
//! An award counts on each side of its pair that the batch has: against its need when the need is in the batch,
//! against its offer (and the offer's donor) when the offer is. An award with a side missing is also listed in
//! [`Unmatched`], so that a mistyped id shows rather than disappearing into a total.

use std::collections::{BTreeMap, HashMap};

use crate::model::{Award, AwardStatus, Batch, Date, Ledger};

use super::sums::StatusSums;

/// How far a need has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NeedState {
    /// Nothing open: pledged, committed and disbursed money cover the request.
    Met,
    /// Some money secured, some still open.
    Partly,
    /// No money secured.
    Open,
}

impl NeedState {
    /// Every state, in the order the page shows them.
    pub const ALL: [NeedState; 3] = [NeedState::Met, NeedState::Partly, NeedState::Open];

    /// The spelling in track_needs.csv.
    pub fn as_str(self) -> &'static str {
        match self {
            NeedState::Met => "met",
            NeedState::Partly => "partly",
            NeedState::Open => "open",
        }
    }
}

/// A need of the batch and what the ledger holds for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedAccount {
    /// `need_id`.
    pub need_id: String,
    /// The requester's code.
    pub requester: String,
    /// 1 (highest) to 3.
    pub priority: u8,
    /// The latest date the activity was to start.
    pub start_latest: Option<Date>,
    /// The amount requested.
    pub requested: i128,
    /// Awards for it, by status.
    pub sums: StatusSums,
}

impl NeedAccount {
    /// What is still open: the request less the money secured, never below 0.
    pub fn open(&self) -> i128 {
        (self.requested - self.sums.secured()).max(0)
    }

    /// Met, partly met or open.
    pub fn state(&self) -> NeedState {
        if self.open() == 0 {
            NeedState::Met
        } else if self.sums.secured() > 0 {
            NeedState::Partly
        } else {
            NeedState::Open
        }
    }
}

/// An offer of the batch and what the ledger holds against its envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferAccount {
    /// `offer_id`.
    pub offer_id: String,
    /// The donor's code.
    pub donor: String,
    /// The envelope.
    pub envelope: i128,
    /// Awards from it, by status.
    pub sums: StatusSums,
}

impl OfferAccount {
    /// The envelope less the money secured; below 0 when the ledger holds more than the envelope.
    pub fn left(&self) -> i128 {
        self.envelope - self.sums.secured()
    }
}

/// A donor (the offers of the batch that share a `donor` code) and what the ledger holds against its envelopes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DonorAccount {
    /// The donor's code.
    pub donor: String,
    /// Its offers in the batch.
    pub offers: usize,
    /// The sum of their envelopes.
    pub envelope: i128,
    /// Awards from them, by status.
    pub sums: StatusSums,
    /// Its offers whose ledger holds more than their envelope.
    pub offers_over: usize,
}

impl DonorAccount {
    /// The envelopes less the money secured; below 0 when the ledger holds more than they hold together.
    pub fn left(&self) -> i128 {
        self.envelope - self.sums.secured()
    }
}

/// Which side of an award the batch lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnmatchedKind {
    /// Its need is not in the batch (it counts against its offer only).
    NeedNotInBatch,
    /// Its offer is not in the batch (it counts for its need only: an offer of an earlier round, or a typo).
    OfferNotInBatch,
    /// Neither is: it counts nowhere.
    NeitherInBatch,
}

impl UnmatchedKind {
    /// The spelling in track_unmatched.csv.
    pub fn as_str(self) -> &'static str {
        match self {
            UnmatchedKind::NeedNotInBatch => "need_not_in_batch",
            UnmatchedKind::OfferNotInBatch => "offer_not_in_batch",
            UnmatchedKind::NeitherInBatch => "neither_in_batch",
        }
    }

    /// Whether the need is missing.
    pub fn need_missing(self) -> bool {
        matches!(self, UnmatchedKind::NeedNotInBatch | UnmatchedKind::NeitherInBatch)
    }

    /// Whether the offer is missing.
    pub fn offer_missing(self) -> bool {
        matches!(self, UnmatchedKind::OfferNotInBatch | UnmatchedKind::NeitherInBatch)
    }
}

/// An award with its need or its offer (or both) absent from the batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmatched {
    /// Which side is missing.
    pub kind: UnmatchedKind,
    /// `award_id`.
    pub award_id: String,
    /// `round`.
    pub round: String,
    /// `need_id` as the ledger has it.
    pub need_id: String,
    /// `offer_id` as the ledger has it.
    pub offer_id: String,
    /// `amount_usd`.
    pub amount: i64,
    /// `status`.
    pub status: AwardStatus,
    /// `status_date`.
    pub status_date: Option<Date>,
    /// The ledger line it starts on.
    pub line: u64,
}

impl Unmatched {
    fn of(award: &Award, kind: UnmatchedKind) -> Unmatched {
        Unmatched {
            kind,
            award_id: award.id.as_str().to_string(),
            round: award.round.as_str().to_string(),
            need_id: award.need.as_str().to_string(),
            offer_id: award.offer.as_str().to_string(),
            amount: award.amount.get(),
            status: award.status,
            status_date: award.status_date,
            line: award.line,
        }
    }
}

/// The accounts of a batch against a ledger, each list in id order, with the lookups the follow-up list uses.
#[derive(Debug, Clone, Default)]
pub struct Accounts {
    /// Per need, in need id order.
    pub needs: Vec<NeedAccount>,
    /// Per offer, in offer id order.
    pub offers: Vec<OfferAccount>,
    /// Per donor, in code order.
    pub donors: Vec<DonorAccount>,
    /// Awards with a side missing, in award id order.
    pub unmatched: Vec<Unmatched>,
    /// Offer id → the offer's donor code.
    pub donor_of: HashMap<String, String>,
}

impl Accounts {
    /// Every award of `ledger` counted against `batch`.
    pub fn build(batch: &Batch, ledger: &Ledger) -> Accounts {
        let mut needs: Vec<NeedAccount> = batch
            .needs
            .iter()
            .map(|n| NeedAccount {
                need_id: n.id.as_str().to_string(),
                requester: n.requester_code.clone(),
                priority: n.priority,
                start_latest: n.start_latest,
                requested: i128::from(n.amount.get()),
                sums: StatusSums::default(),
            })
            .collect();
        needs.sort_by(|a, b| a.need_id.cmp(&b.need_id));
        let mut offers: Vec<OfferAccount> = batch
            .offers
            .iter()
            .map(|o| OfferAccount {
                offer_id: o.id.as_str().to_string(),
                donor: o.donor.clone(),
                envelope: i128::from(o.envelope.get()),
                sums: StatusSums::default(),
            })
            .collect();
        offers.sort_by(|a, b| a.offer_id.cmp(&b.offer_id));

        let need_at: HashMap<String, usize> = needs.iter().enumerate().map(|(i, n)| (n.need_id.clone(), i)).collect();
        let offer_at: HashMap<String, usize> =
            offers.iter().enumerate().map(|(i, o)| (o.offer_id.clone(), i)).collect();
        let mut unmatched = Vec::new();
        for award in &ledger.awards {
            let need = need_at.get(award.need.as_str()).copied();
            let offer = offer_at.get(award.offer.as_str()).copied();
            if let Some(i) = need {
                needs[i].sums.add(award.status, award.amount);
            }
            if let Some(i) = offer {
                offers[i].sums.add(award.status, award.amount);
            }
            let kind = match (need, offer) {
                (Some(_), Some(_)) => continue,
                (None, Some(_)) => UnmatchedKind::NeedNotInBatch,
                (Some(_), None) => UnmatchedKind::OfferNotInBatch,
                (None, None) => UnmatchedKind::NeitherInBatch,
            };
            unmatched.push(Unmatched::of(award, kind));
        }
        unmatched.sort_by(|a, b| (&a.award_id, a.line).cmp(&(&b.award_id, b.line)));

        let mut by_donor: BTreeMap<&str, DonorAccount> = BTreeMap::new();
        for o in &offers {
            let d = by_donor.entry(o.donor.as_str()).or_insert_with(|| DonorAccount {
                donor: o.donor.clone(),
                offers: 0,
                envelope: 0,
                sums: StatusSums::default(),
                offers_over: 0,
            });
            d.offers += 1;
            d.envelope += o.envelope;
            d.sums.merge(&o.sums);
            d.offers_over += usize::from(o.left() < 0);
        }
        let donors = by_donor.into_values().collect();
        let donor_of = offers.iter().map(|o| (o.offer_id.clone(), o.donor.clone())).collect();
        Accounts { needs, offers, donors, unmatched, donor_of }
    }
}
