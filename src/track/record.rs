//! track.json: what a follow-up read (each input's path, rows and SHA-256, as run.json records them), the options
//! it ran with, and its totals. Every field is a function of the inputs and options: there is no timing and no
//! clock, so two runs on the same inputs write the same bytes.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::io::outputs::TableFormat;
use crate::io::provenance::InputInfo;
use crate::io::rates::RateUsed;
use crate::lang::Lang;

use super::Track;

/// The inputs of a follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackInputs {
    /// ledger.csv.
    pub ledger: InputInfo,
    /// needs.csv.
    pub needs: InputInfo,
    /// offers.csv.
    pub offers: InputInfo,
    /// `--commitments-file`, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commitments: Option<InputInfo>,
    /// `--countries-file`, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub countries: Option<InputInfo>,
    /// `--regions-file`, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regions: Option<InputInfo>,
    /// `--donors-file`, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub donors: Option<InputInfo>,
    /// `--rates`, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rates: Option<InputInfo>,
    /// The rates that converted rows, with the rows each converted (docs/spec.md §11.4).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rates_used: Vec<RateUsed>,
}

/// The options that shape a follow-up's outputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackRunOptions {
    /// `--as-of`, as `YYYY-MM-DD`.
    pub as_of: String,
    /// `--stale-days`.
    pub stale_days: u32,
    /// `--lang`.
    pub lang: Lang,
    /// `--format`.
    pub format: TableFormat,
    /// `--excel`.
    pub excel: bool,
    /// `--allow-extra-columns`.
    pub allow_extra_columns: bool,
    /// `--sheet` (left out when not given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
}

/// The totals of a follow-up, as the page's headline shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackTotals {
    /// Needs in the batch.
    pub needs: usize,
    /// Needs with nothing open.
    pub needs_met: usize,
    /// Needs with some money secured and some open.
    pub needs_partly: usize,
    /// Needs with no money secured.
    pub needs_open: usize,
    /// What the batch's needs request.
    pub requested_usd: i128,
    /// What they still have open.
    pub open_usd: i128,
    /// The batch's envelopes.
    pub envelope_usd: i128,
    /// Awards in the ledger.
    pub awards: usize,
    /// Dollars in the ledger, by status.
    pub ledger_usd: BTreeMap<&'static str, i128>,
    /// Follow-ups, by kind.
    pub followups: BTreeMap<&'static str, usize>,
    /// Awards whose need is not in the batch.
    pub awards_need_not_in_batch: usize,
    /// Awards whose offer is not in the batch.
    pub awards_offer_not_in_batch: usize,
    /// Offers whose ledger holds more than their envelope.
    pub offers_over_committed: usize,
}

/// track.json.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackInfo {
    /// The poa-match version.
    pub version: &'static str,
    /// What was read.
    pub inputs: TrackInputs,
    /// How.
    pub options: TrackRunOptions,
    /// What came out.
    pub totals: TrackTotals,
}

impl TrackTotals {
    /// The totals of `track`.
    pub fn of(track: &Track) -> TrackTotals {
        let [needs_met, needs_partly, needs_open] = track.need_counts();
        let (requested_usd, open_usd) = track.requested_and_open();
        let (awards_need_not_in_batch, awards_offer_not_in_batch) = track.unmatched_counts();
        let s = &track.ledger_totals;
        let ledger_usd = BTreeMap::from([
            ("proposed", s.proposed),
            ("pledged", s.pledged),
            ("committed", s.committed),
            ("disbursed", s.disbursed),
            ("declined", s.declined),
            ("cancelled", s.cancelled),
        ]);
        TrackTotals {
            needs: track.needs.len(),
            needs_met,
            needs_partly,
            needs_open,
            requested_usd,
            open_usd,
            envelope_usd: track.offers.iter().map(|o| o.envelope).sum(),
            awards: s.awards,
            ledger_usd,
            followups: track.followup_counts().into_iter().map(|(k, n)| (k.as_str(), n)).collect(),
            awards_need_not_in_batch,
            awards_offer_not_in_batch,
            offers_over_committed: track.offers_over(),
        }
    }
}
