//! A match run's published tables read back, for `explain --from` (docs/spec.md §10): the rows of a table (CSV,
//! JSON or a sheet of the workbook, whichever the run wrote). run.json itself is read by the run record's own reader
//! (`RecordedRun` in the report layer), which `replay` reads it with too.

use std::path::{Path, PathBuf};

use super::table::FORMULA_LEADS;
use crate::error::{DataError, Error, Location, Result};

/// One data row of a published table, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedRow {
    /// The line of a CSV file where the row starts, or the row's number in a JSON file.
    pub line: u64,
    /// The cells, in header order.
    pub cells: Vec<String>,
}

/// A table of a match run read back: `NAME.csv`, else `NAME.json`, else the sheet `NAME` of the run's workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedTable {
    /// The file read.
    pub path: PathBuf,
    /// Column names.
    pub header: Vec<String>,
    /// Data rows.
    pub rows: Vec<PublishedRow>,
}

impl PublishedTable {
    /// Reads table `name` of the run in `dir`, or `None` when the run wrote it in no form; `workbook` is the file
    /// name of the run's workbook (`match.xlsx`).
    pub fn read(dir: &Path, workbook: &str, name: &str) -> Result<Option<PublishedTable>> {
        let csv_path = dir.join(format!("{name}.csv"));
        if csv_path.is_file() {
            return read_csv(&csv_path).map(Some);
        }
        let json_path = dir.join(format!("{name}.json"));
        if json_path.is_file() {
            return read_json(&json_path).map(Some);
        }
        let workbook_path = dir.join(workbook);
        if workbook_path.is_file() {
            return read_sheet(&workbook_path, name).map(Some);
        }
        Ok(None)
    }

    /// The position of column `name`, or a data error naming the file.
    pub fn column(&self, name: &str) -> Result<usize> {
        self.header.iter().position(|h| h == name).ok_or_else(|| {
            let message = format!("has no column {name:?}; expected a table written by `poa-match match`");
            Error::invalid_data(vec![data_error(&self.path, 1, 1, None, message)], 0)
        })
    }

    /// A data error at row `row`, column `column`.
    pub fn error(&self, row: &PublishedRow, column: usize, message: String) -> Error {
        let field = self.header.get(column).cloned();
        Error::invalid_data(vec![data_error(&self.path, row.line, column + 1, field, message)], 0)
    }
}

fn data_error(path: &Path, line: u64, column: usize, field: Option<String>, message: String) -> DataError {
    DataError { location: Location { path: path.display().to_string(), sheet: None, line, column, field }, message }
}

/// The writer prefixes text a spreadsheet would read as a formula with an apostrophe; this takes it off again.
fn unprotect(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_LEADS) => rest.to_string(),
        _ => cell.to_string(),
    }
}

fn read_csv(path: &Path) -> Result<PublishedTable> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    // `--excel` starts the file with a byte-order mark.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let bad = |line: u64, e: csv::Error| {
        let message = format!("is not a CSV table as `poa-match match` writes it: {e}");
        Error::invalid_data(vec![data_error(path, line, 1, None, message)], 0)
    };
    let header: Vec<String> = reader.headers().map_err(|e| bad(1, e))?.iter().map(str::to_string).collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| bad(e.position().map_or(0, |p| p.line()), e))?;
        let line = record.position().map_or(0, |p| p.line());
        rows.push(PublishedRow { line, cells: record.iter().map(unprotect).collect() });
    }
    Ok(PublishedTable { path: path.to_path_buf(), header, rows })
}

fn read_json(path: &Path) -> Result<PublishedTable> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let objects: Vec<serde_json::Map<String, serde_json::Value>> = serde_json::from_str(&text).map_err(|e| {
        let message = format!("{e}; expected a JSON table as `poa-match match --format json` writes it");
        Error::invalid_data(vec![data_error(path, e.line() as u64, e.column(), None, message)], 0)
    })?;
    let header: Vec<String> = objects.first().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    let rows = objects
        .iter()
        .enumerate()
        .map(|(i, object)| PublishedRow {
            line: i as u64 + 1,
            cells: header
                .iter()
                .map(|h| match object.get(h) {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(serde_json::Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                })
                .collect(),
        })
        .collect();
    Ok(PublishedTable { path: path.to_path_buf(), header, rows })
}

/// A sheet of the workbook `--format xlsx` writes; its rows are numbered as the spreadsheet shows them.
fn read_sheet(path: &Path, name: &str) -> Result<PublishedTable> {
    use calamine::{Data, Reader, Xlsx};
    let bad = |message: String| {
        let message = format!("{message}; expected a workbook as `poa-match match --format xlsx` writes it");
        Error::invalid_data(vec![data_error(path, 1, 1, None, message)], 0)
    };
    let mut workbook: Xlsx<_> = calamine::open_workbook(path).map_err(|e: calamine::XlsxError| bad(e.to_string()))?;
    let range = workbook.worksheet_range(name).map_err(|e| bad(format!("sheet {name:?}: {e}")))?;
    // The writer stores whole numbers as numbers and everything else it writes as text.
    let text = |cell: &Data| match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(x) if x.fract() == 0.0 => format!("{x:.0}"),
        other => other.to_string(),
    };
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().map(|r| r.iter().map(text).collect()).unwrap_or_default();
    let rows = rows
        .enumerate()
        .map(|(i, row)| PublishedRow { line: i as u64 + 2, cells: row.iter().map(text).collect() })
        .collect();
    Ok(PublishedTable { path: path.to_path_buf(), header, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protected_cells_read_back_as_written() {
        assert_eq!(unprotect("'=HYPERLINK"), "=HYPERLINK");
        assert_eq!(unprotect("'-X"), "-X");
        assert_eq!(unprotect("'quoted"), "'quoted");
        assert_eq!(unprotect("plain"), "plain");
    }
}
