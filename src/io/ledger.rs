//! ledger.csv into the typed model, and back out (docs/spec.md §9; column dictionary in data/README.md).
//!
//! The ledger is read like needs.csv and offers.csv: the same table reader, the same strictness about columns,
//! the same cell parsers and the same one-line messages with file, line, column and field. A row with errors is
//! still parsed to the end so that one run lists every bad cell (up to the error limit).
//!
//! A run that takes a ledger also writes one: the input ledger unchanged, then the round's new awards. "Unchanged"
//! means the very bytes the run read and hashed, not the file as it is on disk when the outputs are written (it may
//! have been edited meanwhile), so [`load_ledger_file`] reads the file once and keeps its bytes in a [`LedgerFile`]
//! for [`write_ledger`].

mod write;

use std::io::Read;
use std::path::Path;

use super::cells::{Cells, opt, req};
use super::inputs::{IdRegistry, ReadOptions, check_duplicate, check_total};
use super::provenance::{InputInfo, sha256_hex};
use super::rates::RowCurrency;
use crate::error::{Error, Location, Result};
use crate::model::{Award, AwardId, AwardStatus, Ledger, NeedId, OfferId, RoundLabel};
use crate::records::{ColumnSpec, ErrorSink, TableSpec, fields, read_table_from, workbook};

pub use write::write_ledger;

/// The columns of ledger.csv in dictionary order.
pub const LEDGER_COLUMNS: &[ColumnSpec] = &[
    req("award_id"),
    req("round"),
    req("need_id"),
    req("offer_id"),
    req("amount_usd"),
    opt("currency"),
    req("status"),
    opt("status_date").dates(),
    opt("note"),
];

/// A ledger file as a run keeps it: the bytes it read, once, and the awards they hold.
///
/// The same bytes feed the SHA-256 of the run record ([`LedgerFile::info`]), the awards the run locks, and the
/// copy at the head of the output ledger ([`LedgerFile::write_with`]), so the three cannot disagree even when the
/// file changes on disk during the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerFile {
    /// The file as the user named it (the label of messages and of the run record).
    pub label: String,
    /// Every byte read.
    pub bytes: Vec<u8>,
    /// The awards those bytes hold.
    pub ledger: Ledger,
}

impl LedgerFile {
    /// What the run record keeps of the file: its label, the awards read and the SHA-256 of the bytes.
    pub fn info(&self) -> InputInfo {
        InputInfo { path: self.label.clone(), rows: self.ledger.awards.len(), sha256: sha256_hex(&self.bytes) }
    }

    /// Writes the output ledger: these bytes unchanged, then `new_awards` (see [`write_ledger`]). A workbook's
    /// bytes are no CSV, so a ledger read from one is written as CSV rows of its awards (every dictionary column,
    /// in dictionary order), then the new ones.
    pub fn write_with(&self, new_awards: &[Award], out: &mut (impl std::io::Write + ?Sized)) -> std::io::Result<()> {
        if workbook::Format::of_path(&self.label).is_some() {
            let every: Vec<Award> = self.ledger.awards.iter().chain(new_awards).cloned().collect();
            return write_ledger(&[], &every, out);
        }
        write_ledger(&self.bytes, new_awards, out)
    }
}

/// Reads a ledger file whole (a ledger holds one row per award, so it stays small) and keeps its bytes; data errors
/// go to `sink`, so that they can be listed with those of the other inputs.
pub fn load_ledger_file(path: &Path, options: ReadOptions, sink: &mut ErrorSink) -> Result<LedgerFile> {
    if path.is_dir() {
        return Err(Error::io(path, std::io::Error::other("is a directory, expected a CSV file")));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let label = path.display().to_string();
    let ledger = read_ledger_from(&label, &bytes[..], options, sink)?;
    Ok(LedgerFile { label, bytes, ledger })
}

/// Reads a ledger file; every data error is returned at once.
pub fn read_ledger_file(path: &Path, options: ReadOptions) -> Result<Ledger> {
    let mut sink = ErrorSink::new(options.error_limit);
    let file = load_ledger_file(path, options, &mut sink)?;
    sink.into_result()?;
    Ok(file.ledger)
}

/// Reads a ledger from any reader; `label` names the source in messages.
pub fn read_ledger(label: &str, input: impl Read, options: ReadOptions) -> Result<Ledger> {
    let mut sink = ErrorSink::new(options.error_limit);
    let ledger = read_ledger_from(label, input, options, &mut sink)?;
    sink.into_result()?;
    Ok(ledger)
}

/// Reads a ledger from any reader into `sink`'s care: data errors go to the sink, I/O errors are returned. A file
/// with a header and no rows is a valid, empty ledger.
pub fn read_ledger_from(label: &str, input: impl Read, options: ReadOptions, sink: &mut ErrorSink) -> Result<Ledger> {
    const TOTAL_FIELD: &str = "amount_usd";
    let spec = TableSpec { columns: LEDGER_COLUMNS, allow_extra_columns: options.allow_extra_columns };
    let mut awards: Vec<Award> = Vec::new();
    let mut ids = IdRegistry::new();
    let mut total = 0i128;
    let (mut last_line, mut total_column, mut sheet) = (1, 1, None);
    read_table_from(label, input, spec, options.sheet_for("ledger"), sink, |row, sink| {
        last_line = row.line;
        total_column = row.column(TOTAL_FIELD);
        if sheet.is_none() {
            sheet = row.sheet().map(str::to_string);
        }
        let errors_before = sink.count();
        let mut c = Cells { row, sink };
        let id = c.required_with("award_id", identifier);
        let key: fn(&Award) -> (&str, u64) = |a| (a.id.as_str(), a.line);
        let duplicate = id.as_deref().is_some_and(|id| check_duplicate(&ids, &mut c, "award_id", id, &awards, key));
        let round = c.required_with("round", identifier);
        let need = c.required_with("need_id", identifier);
        let offer = c.required_with("offer_id", identifier);
        let money = RowCurrency::read(&mut c, options.rates);
        let amount = money.as_ref().and_then(|money| money.amount(&mut c, "amount_usd", true));
        let status = c.required_with("status", status);
        let status_date = c.optional("status_date", fields::date);
        if let Some(amount) = amount {
            total += i128::from(amount.get());
        }
        let accepted = c.sink.count() == errors_before;
        if let Some(id) = id.as_deref().filter(|_| !accepted && !duplicate) {
            ids.add_rejected(id, row.line);
        }
        if accepted
            && let (Some(id), Some(round), Some(need), Some(offer), Some(amount), Some(status)) =
                (id, round, need, offer, amount, status)
        {
            if let Some(money) = &money {
                money.note_accepted(options.rates);
            }
            awards.push(Award {
                id: AwardId(id),
                round: RoundLabel(round),
                need: NeedId(need),
                offer: OfferId(offer),
                amount,
                status,
                status_date,
                note: row.raw("note").unwrap_or("").to_string(),
                line: row.line,
            });
            let k = awards.len() - 1;
            ids.add_accepted(awards[k].id.as_str(), row.line, k);
        }
    })?;
    let at =
        Location { path: label.to_string(), sheet: sheet.clone(), line: last_line, column: total_column, field: None };
    check_total(at, TOTAL_FIELD, total, sink);
    Ok(Ledger { awards, label: label.to_string(), sheet, amount_column: total_column })
}

/// An id or a round label: the rules of `need_id` and `offer_id`.
fn identifier(text: &str) -> Result<String, String> {
    fields::identifier(text).map(str::to_string)
}

/// A status, with a hint for the slips a person makes when typing one by hand: a capital letter, the American
/// spelling of `cancelled`, or a word from another tracking system.
fn status(text: &str) -> Result<AwardStatus, String> {
    if let Some(status) = AwardStatus::parse(text) {
        return Ok(status);
    }
    let lower = text.to_lowercase();
    let hint = match (AwardStatus::parse(&lower), lower.as_str()) {
        (Some(status), _) => format!(" (write statuses in lower case: {status})"),
        (None, "canceled") => " (spelled with a double l: cancelled)".to_string(),
        (None, "paid") => " (did you mean disbursed?)".to_string(),
        (None, "rejected" | "refused") => " (did you mean declined?)".to_string(),
        (None, "withdrawn") => " (did you mean cancelled?)".to_string(),
        _ => String::new(),
    };
    Err(format!("expected one of {}, found {}{hint}", AwardStatus::expected(), fields::shown(text)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::model::Usd;

    const HEADER: &str = "award_id,round,need_id,offer_id,amount_usd,status,status_date,note\n";

    fn messages(text: &str) -> Vec<String> {
        match read_ledger("ledger.csv", text.as_bytes(), ReadOptions::default()).unwrap_err().kind() {
            ErrorKind::InvalidData { errors, .. } => errors.iter().map(ToString::to_string).collect(),
            other => panic!("not a data error: {other:?}"),
        }
    }

    #[test]
    fn reads_a_ledger() {
        let text = format!(
            "{HEADER}A-1,2013,BFA-01,UNSCAR-2013,185000,committed,2013-05-02,\"signed, in two parts\"\n\
             A-2,2014-call-2,NER-01,DEU-2013,007,declined,,\n"
        );
        let ledger = read_ledger("ledger.csv", text.as_bytes(), ReadOptions::default()).unwrap();
        assert_eq!(ledger.awards.len(), 2);
        let a = &ledger.awards[0];
        assert_eq!(
            (a.id.as_str(), a.round.as_str(), a.need.as_str(), a.offer.as_str()),
            ("A-1", "2013", "BFA-01", "UNSCAR-2013")
        );
        assert_eq!((a.amount, a.status, a.line), (Usd(185_000), AwardStatus::Committed, 2));
        assert_eq!(a.status_date.map(|d| d.to_string()).as_deref(), Some("2013-05-02"));
        assert_eq!(a.note, "signed, in two parts");
        let b = &ledger.awards[1];
        assert_eq!((b.amount, b.status, b.status_date, b.line), (Usd(7), AwardStatus::Declined, None, 3));
    }

    #[test]
    fn a_header_alone_is_an_empty_ledger() {
        let ledger = read_ledger("ledger.csv", HEADER.as_bytes(), ReadOptions::default()).unwrap();
        assert!(ledger.awards.is_empty());
    }

    #[test]
    fn every_bad_cell_of_a_row_is_reported() {
        let text = format!("{HEADER}A-1,,N,O,0,Committed,2013-02-30,\n");
        assert_eq!(
            messages(&text),
            [
                "ledger.csv:2:2: field 'round': is required but blank",
                "ledger.csv:2:5: field 'amount_usd': must be greater than zero, found \"0\"",
                "ledger.csv:2:6: field 'status': expected one of proposed, pledged, committed, disbursed, declined, \
                 cancelled, found \"Committed\" (write statuses in lower case: committed)",
                "ledger.csv:2:7: field 'status_date': day 30 does not exist in 2013-02, found \"2013-02-30\"",
            ]
        );
    }

    #[test]
    fn a_duplicate_names_the_first_line_even_of_a_rejected_row() {
        let text = format!("{HEADER}A-1,1,N,O,x,pledged,,\nA-1,1,N,O,5,pledged,,\nA-1,1,N,O,5,pledged,,\n");
        let got = messages(&text);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[1], "ledger.csv:3:1: field 'award_id': duplicate award_id \"A-1\" (first on line 2)");
        assert_eq!(got[2], "ledger.csv:4:1: field 'award_id': duplicate award_id \"A-1\" (first on line 2)");
    }

    #[test]
    fn hints_at_likely_slips() {
        for (typed, hint) in [
            ("canceled", "(spelled with a double l: cancelled)"),
            ("PAID", "(did you mean disbursed?)"),
            ("Rejected", "(did you mean declined?)"),
            ("withdrawn", "(did you mean cancelled?)"),
            ("DISBURSED", "(write statuses in lower case: disbursed)"),
        ] {
            assert!(status(typed).unwrap_err().ends_with(hint), "{typed}");
        }
        assert!(status("open").unwrap_err().ends_with("found \"open\""));
    }
}
