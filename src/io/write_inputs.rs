//! needs.csv and offers.csv written from the typed model, in the format the readers take (docs/spec.md §3,
//! data/README.md).
//!
//! Every column of the dictionary is written, in dictionary order; an absent value is a blank cell. States are
//! written by alpha-3 code and commitments by their code, so reading the output back gives the same needs and
//! offers (ids, values, and even the physical line of each record). The writers stream row by row: memory does
//! not grow with the file.

use std::fmt::Write as _;
use std::io::Write;

use super::inputs::{NEED_COLUMNS, OFFER_COLUMNS};
use crate::catalog::Reference;
use crate::model::{CommitmentIdx, CountryIdx, Currency, FundingMode, Need, Offer, Requester};

/// A csv writer with a scratch buffer for formatted cells.
struct Rows<W: Write> {
    csv: csv::Writer<W>,
    cell: String,
}

fn io_error(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

impl<W: Write> Rows<W> {
    fn new(out: W, header: impl Iterator<Item = &'static str>) -> std::io::Result<Rows<W>> {
        let mut csv = csv::WriterBuilder::new().from_writer(out);
        csv.write_record(header).map_err(io_error)?;
        Ok(Rows { csv, cell: String::new() })
    }

    fn text(&mut self, value: &str) -> std::io::Result<()> {
        self.csv.write_field(value).map_err(io_error)
    }

    /// A cell from a `Display` value, or blank.
    fn opt<T: std::fmt::Display>(&mut self, value: Option<T>) -> std::io::Result<()> {
        self.cell.clear();
        if let Some(v) = value {
            // Writing to a String cannot fail.
            let _ = write!(self.cell, "{v}");
        }
        self.csv.write_field(&self.cell).map_err(io_error)
    }

    fn value<T: std::fmt::Display>(&mut self, value: T) -> std::io::Result<()> {
        self.opt(Some(value))
    }

    /// A `;`-list cell.
    fn list<'s>(&mut self, items: impl Iterator<Item = &'s str>) -> std::io::Result<()> {
        self.cell.clear();
        for (i, item) in items.enumerate() {
            if i > 0 {
                self.cell.push(';');
            }
            self.cell.push_str(item);
        }
        self.csv.write_field(&self.cell).map_err(io_error)
    }

    /// A `;`-list cell of numbers.
    fn numbers(&mut self, items: &[u16]) -> std::io::Result<()> {
        self.cell.clear();
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.cell.push(';');
            }
            let _ = write!(self.cell, "{item}");
        }
        self.csv.write_field(&self.cell).map_err(io_error)
    }

    fn end_row(&mut self) -> std::io::Result<()> {
        self.csv.write_record(None::<&[u8]>).map_err(io_error)
    }

    fn finish(mut self) -> std::io::Result<()> {
        self.csv.flush()
    }
}

fn code(reference: &Reference, c: CommitmentIdx) -> &str {
    reference.commitment(c).code.as_str()
}

fn alpha3(reference: &Reference, c: CountryIdx) -> &str {
    reference.country(c).alpha3.as_str()
}

fn bool_text(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// Writes needs in the needs.csv format: a header with every column of the dictionary, then one row per need.
pub fn write_needs_csv(needs: &[Need], reference: &Reference, out: impl Write) -> std::io::Result<()> {
    let mut rows = Rows::new(out, NEED_COLUMNS.iter().map(|c| c.name))?;
    for n in needs {
        rows.text(n.id.as_str())?;
        rows.text(&n.requester_code)?;
        rows.text(match n.requester {
            Requester::State(_) => "state",
            Requester::RegionalOrg(_) => "regional_org",
        })?;
        rows.opt(n.region)?;
        rows.list(n.commitments.iter().map(|&c| code(reference, c)))?;
        rows.value(n.kinds)?;
        rows.value(n.amount)?;
        rows.text(match n.funding_mode {
            FundingMode::Partial => "partial",
            FundingMode::AllOrNothing => "all_or_nothing",
        })?;
        rows.opt(n.min_award)?;
        rows.value(n.priority)?;
        rows.opt(n.start_earliest)?;
        rows.opt(n.start_latest)?;
        rows.opt(n.duration_months)?;
        rows.opt(n.implementer_type)?;
        rows.text(n.source_report.as_deref().unwrap_or(""))?;
        rows.text(&n.title)?;
        rows.text(&n.notes)?;
        rows.end_row()?;
    }
    rows.finish()
}

/// Writes offers in the offers.csv format: a header with every column of the dictionary, then one row per offer.
pub fn write_offers_csv(offers: &[Offer], reference: &Reference, out: impl Write) -> std::io::Result<()> {
    let mut writer = OffersWriter::new(out, reference)?;
    for o in offers {
        writer.write(o)?;
    }
    writer.finish()
}

/// offers.csv written one offer at a time, for a caller that produces offers as it reads (`import-iati`): the
/// header on creation, then one row per [`OffersWriter::write`].
pub struct OffersWriter<'r, W: Write> {
    rows: Rows<W>,
    reference: &'r Reference,
}

impl<'r, W: Write> OffersWriter<'r, W> {
    /// Writes the header.
    pub fn new(out: W, reference: &'r Reference) -> std::io::Result<OffersWriter<'r, W>> {
        Ok(OffersWriter { rows: Rows::new(out, OFFER_COLUMNS.iter().map(|c| c.name))?, reference })
    }

    /// Writes one offer's row, in dollars (its `currency` cell blank).
    pub fn write(&mut self, o: &Offer) -> std::io::Result<()> {
        self.write_in(o, Currency::USD)
    }

    /// Writes one offer's row as its source states it, before any conversion: the amounts of `o` are whole units
    /// of `currency`, which the `currency` cell names (blank for USD). `import-iati` writes an activity in the
    /// currency it reports, and the rates file of the match that reads the row converts it (docs/spec.md §11.4).
    pub fn write_in(&mut self, o: &Offer, currency: Currency) -> std::io::Result<()> {
        let (rows, reference) = (&mut self.rows, self.reference);
        rows.text(o.id.as_str())?;
        rows.text(&o.donor)?;
        rows.opt(o.donor_type)?;
        rows.value(o.envelope)?;
        rows.opt(o.cap_per_need)?;
        rows.opt(o.floor_per_need)?;
        rows.opt((currency != Currency::USD).then_some(currency))?;
        rows.opt(o.max_awards)?;
        rows.list(o.commitments.iter().map(|&c| code(reference, c)))?;
        rows.value(o.themes)?;
        rows.value(o.kinds)?;
        rows.numbers(&o.regions_m49)?;
        rows.list(o.countries_include.iter().map(|&c| alpha3(reference, c)))?;
        rows.list(o.countries_exclude.iter().map(|&c| alpha3(reference, c)))?;
        rows.list(o.recipient_flags.iter().map(|f| f.as_str()))?;
        rows.list(o.implementer_types.iter().map(|t| t.as_str()))?;
        rows.text(bool_text(o.requires_national_report))?;
        rows.text(bool_text(o.allow_cofinance))?;
        rows.opt(o.window_start)?;
        rows.opt(o.window_end)?;
        rows.opt(o.duration_min_months)?;
        rows.opt(o.duration_max_months)?;
        rows.text(&o.title)?;
        rows.text(&o.notes)?;
        rows.end_row()
    }

    /// Flushes the rows written.
    pub fn finish(self) -> std::io::Result<()> {
        self.rows.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Reference;
    use crate::io::{ReadOptions, read_needs, read_offers};

    #[test]
    fn the_sample_round_trips() {
        let reference = Reference::embedded();
        let needs = read_needs(
            "needs.csv",
            include_str!("../../data/sample/needs.csv").as_bytes(),
            reference,
            ReadOptions::default(),
        )
        .unwrap();
        let offers = read_offers(
            "offers.csv",
            include_str!("../../data/sample/offers.csv").as_bytes(),
            reference,
            ReadOptions::default(),
        )
        .unwrap();
        let mut text = Vec::new();
        write_needs_csv(&needs, reference, &mut text).unwrap();
        let again = read_needs("needs.csv", &text[..], reference, ReadOptions::default()).unwrap();
        assert_eq!(again, needs);
        let mut text = Vec::new();
        write_offers_csv(&offers, reference, &mut text).unwrap();
        let again = read_offers("offers.csv", &text[..], reference, ReadOptions::default()).unwrap();
        assert_eq!(again, offers);
        let text = String::from_utf8(text).unwrap();
        assert!(text.starts_with("offer_id,donor,donor_type,envelope_usd,"));
        assert!(!text.contains('\r'));
    }
}
