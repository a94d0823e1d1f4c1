//! The columns of match's four tables, each defined once: its name in matches.csv / matches.json (and the
//! others), the words of its heading where the page shows it, and how a row fills it. The CSV and JSON writers
//! ([`crate::io::outputs`]) write [`Table`]s built from these lists; the page takes its headings from the same
//! columns, so a column renamed or relabelled here changes everywhere.

use crate::io::outputs::{Cell, Table, int, text};
use crate::lang::Lang;

use super::rows::{MatchReport, MatchRow, NeedStatus, OfferStatus, SummaryRow};
use super::words::Word;

/// One column of an output table over rows of type `R`.
pub struct Column<R> {
    /// The name in the file's header (CSV) or the key of each object (JSON).
    pub name: &'static str,
    /// The heading on the page, for columns the page shows.
    pub heading: Option<Word>,
    /// The cell of a row.
    pub cell: fn(&R) -> Cell,
}

impl<R> Column<R> {
    /// The heading in `lang` (the file's name for a column the page does not label).
    pub fn label(&self, lang: Lang) -> &'static str {
        self.heading.map_or(self.name, |w| w.text(lang))
    }
}

/// A table named `name` (the file stem) of `rows` under `columns`.
pub fn table<'c, R: 'c>(name: &'static str, columns: impl IntoIterator<Item = &'c Column<R>>, rows: &[R]) -> Table {
    let columns: Vec<&Column<R>> = columns.into_iter().collect();
    Table {
        name,
        header: columns.iter().map(|c| c.name).collect(),
        rows: rows.iter().map(|r| columns.iter().map(|c| (c.cell)(r)).collect()).collect(),
    }
}

/// The stem of the workbook that holds the four tables with `--format xlsx` (match.xlsx).
pub const WORKBOOK: &str = "match";

/// The file stems of the four tables of a match run, in the order they are written.
pub const TABLES: [&str; 4] = ["matches", "needs_status", "offers_status", "summary"];

/// The four tables of a match run: matches, needs_status, offers_status and summary. A round run with a ledger
/// adds a last column to the first three (docs/spec.md §9): matches' `origin`, and the needs' and offers'
/// `locked_usd`; without one, the files are as they always were.
pub fn match_tables(report: &MatchReport) -> Vec<Table> {
    let with_ledger = report.ledger.is_some();
    let [matches_name, needs_name, offers_name, summary_name] = TABLES;
    vec![
        table(matches_name, matches::COLUMNS.iter().chain(with_ledger.then_some(&matches::ORIGIN)), &report.matches),
        table(
            needs_name,
            needs_status::COLUMNS.iter().chain(with_ledger.then_some(&needs_status::LOCKED_USD)),
            &report.needs,
        ),
        table(
            offers_name,
            offers_status::COLUMNS.iter().chain(with_ledger.then_some(&offers_status::LOCKED_USD)),
            &report.offers,
        ),
        table(summary_name, &summary::COLUMNS, &report.summary),
    ]
}

/// matches.csv: one row per allocation.
pub mod matches {
    use super::*;

    /// `need_id`.
    pub const NEED_ID: Column<MatchRow> =
        Column { name: "need_id", heading: Some(Word::Need), cell: |m| text(&m.need_id) };
    /// `offer_id`.
    pub const OFFER_ID: Column<MatchRow> =
        Column { name: "offer_id", heading: Some(Word::Offer), cell: |m| text(&m.offer_id) };
    /// `donor`.
    pub const DONOR: Column<MatchRow> = Column { name: "donor", heading: Some(Word::Donor), cell: |m| text(&m.donor) };
    /// `requester`.
    pub const REQUESTER: Column<MatchRow> =
        Column { name: "requester", heading: Some(Word::Requester), cell: |m| text(&m.requester) };
    /// `commitment`.
    pub const COMMITMENT: Column<MatchRow> =
        Column { name: "commitment", heading: Some(Word::Commitment), cell: |m| text(&m.commitment) };
    /// `kind`.
    pub const KIND: Column<MatchRow> =
        Column { name: "kind", heading: Some(Word::Kind), cell: |m| text(m.kind.as_str()) };
    /// `amount_usd`.
    pub const AMOUNT_USD: Column<MatchRow> =
        Column { name: "amount_usd", heading: Some(Word::AmountUsd), cell: |m| int(m.amount_usd) };
    /// `fit`.
    pub const FIT: Column<MatchRow> = Column { name: "fit", heading: Some(Word::Fit), cell: |m| int(m.fit) };
    /// `value`.
    pub const VALUE: Column<MatchRow> = Column { name: "value", heading: None, cell: |m| int(m.value) };
    /// `value_per_usd`.
    pub const VALUE_PER_USD: Column<MatchRow> =
        Column { name: "value_per_usd", heading: None, cell: |m| int(m.value_per_usd) };

    /// `origin`, with a ledger only: `locked` (an award of the ledger) or `new` (this round's).
    pub const ORIGIN: Column<MatchRow> =
        Column { name: "origin", heading: Some(Word::Origin), cell: |m| text(m.origin.as_str()) };

    /// The file's columns, in order (a round with a ledger adds [`ORIGIN`]).
    pub const COLUMNS: [Column<MatchRow>; 10] =
        [NEED_ID, OFFER_ID, DONOR, REQUESTER, COMMITMENT, KIND, AMOUNT_USD, FIT, VALUE, VALUE_PER_USD];
}

/// needs_status.csv: every need's outcome.
pub mod needs_status {
    use super::*;

    /// `need_id`.
    pub const NEED_ID: Column<NeedStatus> =
        Column { name: "need_id", heading: Some(Word::Need), cell: |n| text(&n.need_id) };
    /// `requested_usd`.
    pub const REQUESTED_USD: Column<NeedStatus> =
        Column { name: "requested_usd", heading: Some(Word::RequestedUsd), cell: |n| int(n.requested_usd) };
    /// `allocated_usd`.
    pub const ALLOCATED_USD: Column<NeedStatus> =
        Column { name: "allocated_usd", heading: Some(Word::AllocatedUsd), cell: |n| int(n.allocated_usd) };
    /// `coverage`.
    pub const COVERAGE: Column<NeedStatus> =
        Column { name: "coverage", heading: Some(Word::Coverage), cell: |n| Cell::Ratio(n.coverage()) };
    /// `status`.
    pub const STATUS: Column<NeedStatus> =
        Column { name: "status", heading: Some(Word::NeedStatus), cell: |n| text(n.status.as_str()) };
    /// `reason`.
    pub const REASON: Column<NeedStatus> =
        Column { name: "reason", heading: Some(Word::Reason), cell: |n| text(n.reason_code()) };
    /// `requester`.
    pub const REQUESTER: Column<NeedStatus> =
        Column { name: "requester", heading: Some(Word::Requester), cell: |n| text(&n.requester) };
    /// `priority`.
    pub const PRIORITY: Column<NeedStatus> =
        Column { name: "priority", heading: Some(Word::Priority), cell: |n| int(n.priority) };
    /// `eligible_offers`.
    pub const ELIGIBLE_OFFERS: Column<NeedStatus> =
        Column { name: "eligible_offers", heading: None, cell: |n| int(n.eligible_offers as i64) };
    /// `funders`.
    pub const FUNDERS: Column<NeedStatus> = Column { name: "funders", heading: None, cell: |n| int(n.funders as i64) };
    /// `offers_why`: what kept the eligible offers from giving more, counted (`envelope_spent:3;max_awards:1`).
    pub const OFFERS_WHY: Column<NeedStatus> =
        Column { name: "offers_why", heading: None, cell: |n| text(n.offers_why.to_string()) };

    /// `locked_usd`, with a ledger only: the part of `allocated_usd` the ledger's awards lock.
    pub const LOCKED_USD: Column<NeedStatus> =
        Column { name: "locked_usd", heading: None, cell: |n| int(n.locked_usd) };

    /// The file's columns, in order (a round with a ledger adds [`LOCKED_USD`]).
    pub const COLUMNS: [Column<NeedStatus>; 11] = [
        NEED_ID,
        REQUESTED_USD,
        ALLOCATED_USD,
        COVERAGE,
        STATUS,
        REASON,
        REQUESTER,
        PRIORITY,
        ELIGIBLE_OFFERS,
        FUNDERS,
        OFFERS_WHY,
    ];
}

/// offers_status.csv: every offer's outcome.
pub mod offers_status {
    use super::*;

    /// `offer_id`.
    pub const OFFER_ID: Column<OfferStatus> =
        Column { name: "offer_id", heading: Some(Word::Offer), cell: |o| text(&o.offer_id) };
    /// `envelope_usd`.
    pub const ENVELOPE_USD: Column<OfferStatus> =
        Column { name: "envelope_usd", heading: Some(Word::EnvelopeUsd), cell: |o| int(o.envelope_usd) };
    /// `allocated_usd`.
    pub const ALLOCATED_USD: Column<OfferStatus> =
        Column { name: "allocated_usd", heading: Some(Word::AllocatedUsd), cell: |o| int(o.allocated_usd) };
    /// `remaining_usd`.
    pub const REMAINING_USD: Column<OfferStatus> =
        Column { name: "remaining_usd", heading: Some(Word::RemainingUsd), cell: |o| int(o.remaining_usd) };
    /// `awards`.
    pub const AWARDS: Column<OfferStatus> =
        Column { name: "awards", heading: Some(Word::Awards), cell: |o| int(o.awards as i64) };
    /// `donor`.
    pub const DONOR: Column<OfferStatus> =
        Column { name: "donor", heading: Some(Word::Donor), cell: |o| text(&o.donor) };
    /// `eligible_needs`.
    pub const ELIGIBLE_NEEDS: Column<OfferStatus> =
        Column { name: "eligible_needs", heading: Some(Word::EligibleNeeds), cell: |o| int(o.eligible_needs as i64) };

    /// `locked_usd`, with a ledger only: the part of `allocated_usd` the ledger's awards lock.
    pub const LOCKED_USD: Column<OfferStatus> =
        Column { name: "locked_usd", heading: Some(Word::LockedUsd), cell: |o| int(o.locked_usd) };

    /// The file's columns, in order (a round with a ledger adds [`LOCKED_USD`]).
    pub const COLUMNS: [Column<OfferStatus>; 7] =
        [OFFER_ID, ENVELOPE_USD, ALLOCATED_USD, REMAINING_USD, AWARDS, DONOR, ELIGIBLE_NEEDS];
}

/// summary.csv: totals by dimension.
pub mod summary {
    use super::*;

    /// `dimension`.
    pub const DIMENSION: Column<SummaryRow> =
        Column { name: "dimension", heading: None, cell: |s| text(s.dimension.as_str()) };
    /// `key`.
    pub const KEY: Column<SummaryRow> = Column { name: "key", heading: None, cell: |s| text(&s.key) };
    /// `label`.
    pub const LABEL: Column<SummaryRow> = Column { name: "label", heading: None, cell: |s| text(&s.label) };
    /// `needs`.
    pub const NEEDS: Column<SummaryRow> =
        Column { name: "needs", heading: Some(Word::NeedsCount), cell: |s| int(s.needs as i64) };
    /// `requested_usd`.
    pub const REQUESTED_USD: Column<SummaryRow> =
        Column { name: "requested_usd", heading: Some(Word::RequestedUsd), cell: |s| int(s.requested_usd) };
    /// `allocated_usd`.
    pub const ALLOCATED_USD: Column<SummaryRow> =
        Column { name: "allocated_usd", heading: Some(Word::AllocatedUsd), cell: |s| int(s.allocated_usd) };
    /// `coverage`.
    pub const COVERAGE: Column<SummaryRow> =
        Column { name: "coverage", heading: Some(Word::Coverage), cell: |s| Cell::Ratio(s.coverage()) };

    /// The file's columns, in order.
    pub const COLUMNS: [Column<SummaryRow>; 7] = [DIMENSION, KEY, LABEL, NEEDS, REQUESTED_USD, ALLOCATED_USD, COVERAGE];
}
