//! The output ledger: the input ledger's bytes unchanged, then one row per new award (docs/spec.md §9).
//!
//! The input is copied byte for byte rather than written again from the parsed awards, so that what a secretariat
//! typed (its quoting, its extra columns, its notes) survives every round, and so that the input ledger is always
//! a prefix of the output one.

use std::io::{self, Write};

use super::LEDGER_COLUMNS;
use crate::model::Award;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Writes `original` unchanged, then one row per award of `new_awards`.
///
/// `original` must be the bytes the run read (see [`super::LedgerFile`]), not the file read again, which may have
/// changed since. A line end is added when `original` does not end with one; new rows end the way the original's
/// header does (LF, CR LF or CR). Each new row has the original header's columns in its order: a column of the
/// dictionary that the original lacks is left out, and a column the dictionary does not know (read with
/// `--allow-extra-columns`) is left blank. Amounts are plain digits and dates `YYYY-MM-DD`; a field that holds a
/// comma, a quote or a line break is quoted by RFC 4180.
///
/// An original without a header row (empty, or nothing but a byte-order mark and blank lines, which no read
/// accepts) is replaced by a header with every column of the dictionary but `currency`.
pub fn write_ledger(original: &[u8], new_awards: &[Award], out: &mut (impl Write + ?Sized)) -> io::Result<()> {
    let line_end = line_end(original);
    let names = match header_names(original) {
        Some(names) => {
            out.write_all(original)?;
            if !original.ends_with(b"\n") && !original.ends_with(b"\r") {
                out.write_all(line_end)?;
            }
            names
        }
        None => {
            // Every row written here is in dollars (a workbook ledger's awards were converted as they were read),
            // so the optional `currency` column would say nothing.
            let names: Vec<String> =
                LEDGER_COLUMNS.iter().map(|c| c.name).filter(|&n| n != "currency").map(str::to_string).collect();
            out.write_all(names.join(",").as_bytes())?;
            out.write_all(line_end)?;
            names
        }
    };
    let mut row = String::new();
    for award in new_awards {
        row.clear();
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                row.push(',');
            }
            push_field(&mut row, &field(award, name));
        }
        // A row of one blank field would be a blank line, which readers skip.
        if row.is_empty() {
            row.push_str("\"\"");
        }
        out.write_all(row.as_bytes())?;
        out.write_all(line_end)?;
    }
    Ok(())
}

/// The value of column `name` for `award`; blank for a column the dictionary does not know.
fn field(award: &Award, name: &str) -> String {
    match name {
        "award_id" => award.id.to_string(),
        "round" => award.round.to_string(),
        "need_id" => award.need.to_string(),
        "offer_id" => award.offer.to_string(),
        "amount_usd" => award.amount.to_string(),
        // A round's awards are in dollars, whatever currency earlier rows were written in.
        "currency" => "USD".to_string(),
        "status" => award.status.to_string(),
        "status_date" => award.status_date.map(|d| d.to_string()).unwrap_or_default(),
        "note" => award.note.clone(),
        _ => String::new(),
    }
}

fn push_field(row: &mut String, value: &str) {
    if value.contains([',', '"', '\n', '\r']) {
        row.push('"');
        row.push_str(&value.replace('"', "\"\""));
        row.push('"');
    } else {
        row.push_str(value);
    }
}

/// The column names of the original's header row, trimmed as the reader trims them; `None` if it has no row.
fn header_names(original: &[u8]) -> Option<Vec<String>> {
    let body = original.strip_prefix(BOM).unwrap_or(original);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(body);
    let mut record = csv::ByteRecord::new();
    match reader.read_byte_record(&mut record) {
        Ok(true) => Some(record.iter().map(|f| String::from_utf8_lossy(f).trim().to_string()).collect()),
        // A header that is not even CSV was refused when the run read it; copy the bytes and write every column.
        Ok(false) | Err(_) => None,
    }
}

/// The line end of the original's first line (LF when it has none).
fn line_end(original: &[u8]) -> &'static [u8] {
    match original.iter().position(|&b| b == b'\n' || b == b'\r') {
        Some(at) if original[at] == b'\r' && original.get(at + 1) == Some(&b'\n') => b"\r\n",
        Some(at) if original[at] == b'\r' => b"\r",
        _ => b"\n",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{ReadOptions, read_ledger};
    use crate::model::{AwardId, AwardStatus, Date, NeedId, OfferId, RoundLabel, Usd};

    fn award(id: &str, note: &str) -> Award {
        Award {
            id: AwardId(id.to_string()),
            round: RoundLabel("2014".to_string()),
            need: NeedId("NER-01".to_string()),
            offer: OfferId("DEU-2013".to_string()),
            amount: Usd(120_000),
            status: AwardStatus::Proposed,
            status_date: Some(Date::parse("2014-02-01").unwrap()),
            note: note.to_string(),
            line: 0,
        }
    }

    fn written(original: &[u8], new: &[Award]) -> String {
        let mut out = Vec::new();
        write_ledger(original, new, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn appends_in_the_original_column_order() {
        let original = "note,award_id,round,need_id,offer_id,amount_usd,status\n,A-1,2013,BFA-01,X,5,committed";
        let text = written(original.as_bytes(), &[award("A-2", "phase \"2\", north")]);
        assert_eq!(text, format!("{original}\n\"phase \"\"2\"\", north\",A-2,2014,NER-01,DEU-2013,120000,proposed\n"));
    }

    #[test]
    fn keeps_the_original_bytes_and_line_ends() {
        let original = "\u{feff}award_id,round,need_id,offer_id,amount_usd,status,status_date,memo\r\n";
        let text = written(original.as_bytes(), &[award("A-2", "")]);
        assert_eq!(text, format!("{original}A-2,2014,NER-01,DEU-2013,120000,proposed,2014-02-01,\r\n"));
        let options = ReadOptions { allow_extra_columns: true, ..ReadOptions::default() };
        let back = read_ledger("ledger.csv", text.as_bytes(), options).unwrap();
        assert_eq!(back.awards[0].id.as_str(), "A-2");
    }

    #[test]
    fn an_empty_original_gets_the_header() {
        for original in ["", "\u{feff}", "\n\n"] {
            let text = written(original.as_bytes(), &[award("A-1", "")]);
            assert_eq!(
                text,
                "award_id,round,need_id,offer_id,amount_usd,status,status_date,note\n\
                 A-1,2014,NER-01,DEU-2013,120000,proposed,2014-02-01,\n"
            );
        }
    }

    #[test]
    fn a_single_blank_column_stays_a_row() {
        let text = written(b"memo\n", &[award("A-1", "")]);
        assert_eq!(text, "memo\n\"\"\n");
    }
}
