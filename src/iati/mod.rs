//! `import-iati`: donors' IATI activity files (XML, version 2.0x) into candidate offers (docs/spec.md §11).
//!
//! - [`reader`] streams a file's XML events into one typed [`Activity`](activity::Activity) at a time, in bounded
//!   memory, refusing DTDs and entities;
//! - [`select`] decides each activity: taken, with its money left split by recipient, or skipped with a typed
//!   [`SkipReason`];
//! - [`donor`] names the donor of a taken activity; [`offers`] turns it into offers.csv rows;
//! - [`import`] runs them over the files in order and writes offers.csv (through
//!   [`OffersWriter`]) and iati_import.csv as it goes: one log row per
//!   activity read, so nothing but the identifiers of the offers taken grows with the files.
//!
//! This module sits above `io` (it writes offers.csv with io's writer) and below the command line.

pub mod activity;
pub mod codes;
pub mod donor;
pub mod offers;
pub mod reader;
pub mod select;
mod state;
mod xml_error;

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::path::Path;

pub use codes::DacPurpose;
pub use select::{Decision, Options, Skip, SkipReason};

use crate::catalog::Reference;
use crate::error::{Error, Location, Result};
use crate::io::outputs::safe_cell;
use crate::io::write_inputs::OffersWriter;
use crate::records::ErrorSink;
use offers::{Source, offers_of};
use reader::{ReadError, read_activities};

/// The columns of iati_import.csv, in order.
pub const LOG_COLUMNS: &[&str] =
    &["file", "line", "iati_identifier", "status", "reason", "donor", "offers", "envelope_usd", "currency", "detail"];

/// One IATI file to read.
pub struct Input<'a> {
    /// The file as the user named it (in messages, iati_import.csv and the offers' notes).
    pub label: String,
    /// Its bytes.
    pub reader: Box<dyn Read + 'a>,
}

/// An output being written: where it goes (for messages) and the writer.
pub struct Output<'w> {
    /// The file it becomes.
    pub path: &'w Path,
    /// Its content.
    pub writer: &'w mut dyn Write,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Files read.
    pub files: usize,
    /// Activities read.
    pub activities: u64,
    /// Activities taken.
    pub taken: u64,
    /// Rows written to offers.csv.
    pub offers: u64,
    /// The envelopes of the rows in dollars.
    pub envelope: i128,
    /// The envelopes of the rows in other currencies, by currency (whole units of each).
    pub envelopes_in: std::collections::BTreeMap<crate::model::Currency, i128>,
    /// Activities skipped, by reason.
    pub skipped: BTreeMap<SkipReason, u64>,
}

/// Where an offer id was first taken.
struct Taken<'l> {
    file: &'l str,
    line: u64,
}

/// Reads every file in order and writes offers.csv and iati_import.csv. A file that is not IATI activity XML
/// (not well-formed, a DTD, another encoding, a version 1 file) is a data error located at its line; every such
/// file is reported (up to `error_limit`), and the outputs are then incomplete: the caller must not keep them.
pub fn import(
    inputs: Vec<Input<'_>>,
    options: &Options,
    reference: &Reference,
    offers_out: Output<'_>,
    log_out: Output<'_>,
    error_limit: usize,
) -> Result<ImportSummary> {
    let offers_path = offers_out.path;
    let log_path = log_out.path;
    let mut offers = OffersWriter::new(offers_out.writer, reference).map_err(|e| Error::io(offers_path, e))?;
    let mut log = csv::Writer::from_writer(log_out.writer);
    let log_error = |e: csv::Error| Error::io(log_path, std::io::Error::other(e.to_string()));
    log.write_record(LOG_COLUMNS).map_err(log_error)?;

    let labels: Vec<String> = inputs.iter().map(|i| i.label.clone()).collect();
    let mut taken_ids: HashMap<String, Taken<'_>> = HashMap::new();
    let mut summary = ImportSummary { files: inputs.len(), ..ImportSummary::default() };
    let mut sink = ErrorSink::new(error_limit);
    for (input, label) in inputs.into_iter().zip(&labels) {
        let read = read_activities(input.reader, |activity| {
            summary.activities += 1;
            let source = Source { file: label, line: activity.line };
            let mut decision = select::decide(&activity, options, reference);
            let mut rows = Vec::new();
            if let Decision::Taken(taken) = &decision {
                rows = offers_of(taken, source, reference);
                if let Some((id, first)) = rows.iter().find_map(|o| taken_ids.get(o.id.as_str()).map(|t| (&o.id, t))) {
                    decision = Decision::Skipped(Skip {
                        reason: SkipReason::DuplicateIdentifier,
                        detail: format!("offer_id {id} was already taken from {} line {}", first.file, first.line),
                    });
                    rows.clear();
                }
            }
            let envelope: i128 = rows.iter().map(|o| i128::from(o.envelope.get())).sum();
            let currency = match &decision {
                Decision::Taken(t) => t.currency,
                Decision::Skipped(_) => crate::model::Currency::USD,
            };
            let (status, reason, donor, detail) = match &decision {
                Decision::Taken(t) => ("taken", t.how.as_str(), t.donor.code.as_str(), t.detail.as_str()),
                Decision::Skipped(Skip { reason, detail }) => ("skipped", reason.as_str(), "", detail.as_str()),
            };
            match &decision {
                Decision::Taken(_) => summary.taken += 1,
                Decision::Skipped(skip) => *summary.skipped.entry(skip.reason).or_default() += 1,
            }
            for offer in &rows {
                offers.write_in(offer, currency).map_err(|e| Error::io(offers_path, e))?;
                taken_ids.insert(offer.id.0.clone(), Taken { file: label, line: activity.line });
            }
            summary.offers += rows.len() as u64;
            if currency == crate::model::Currency::USD {
                summary.envelope += envelope;
            } else {
                *summary.envelopes_in.entry(currency).or_default() += envelope;
            }
            let identifier = activity.identifier.as_ref().map_or("", |(id, _)| id.as_str());
            log.write_record([
                &*safe_cell(&printable(label)),
                &activity.line.to_string(),
                &safe_cell(&printable(identifier)),
                status,
                reason,
                donor,
                &rows.len().to_string(),
                &envelope.to_string(),
                if rows.is_empty() { "" } else { currency.as_str() },
                &safe_cell(&printable(detail)),
            ])
            .map_err(log_error)
        });
        match read {
            Ok(()) => {}
            Err(ReadError::Xml(e)) => sink.push(
                Location { path: label.clone(), sheet: None, line: e.line, column: e.column as usize, field: None },
                e.message,
            ),
            Err(ReadError::Io(e)) => return Err(Error::io(label, e)),
            Err(ReadError::Stopped(e)) => return Err(e),
        }
    }
    sink.into_result()?;
    if summary.envelope > i128::from(i64::MAX) / 64 {
        return Err(Error::usage(format!(
            "the offers taken add up to {} USD, more than the engine can total exactly: import fewer files at once",
            summary.envelope
        )));
    }
    offers.finish().map_err(|e| Error::io(offers_path, e))?;
    log.flush().map_err(|e| Error::io(log_path, e))?;
    Ok(summary)
}

/// Text from a file with its control characters escaped (`\u{7}`), so a log cell shows what is there and stays
/// on one line.
fn printable(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars().map(|c| if c.is_control() { c.escape_unicode().to_string() } else { c.to_string() }).collect()
}
