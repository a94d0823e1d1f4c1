//! Writers for the tables of docs/spec.md §6 in CSV, JSON or one Excel workbook: a [`Table`] is a header and rows
//! of typed [`Cell`]s, built by the layer that knows the rows (the match tables' columns are in `report::schema`,
//! the study's in `simulate::tables`). Each file is written whole or not at all (see [`super::atomic`]).
//! In CSV, text cells that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, carriage return first)
//! are prefixed with an apostrophe; the workbook stores every text cell as a string, which no spreadsheet
//! evaluates, so it needs no prefix ([`super::workbook`]).

use std::io::Write;
use std::path::Path;

use serde::Serialize;

pub use super::table::{Cell, Table, fixed2, fixed4, int, safe_cell, text};
use super::{atomic, workbook};
use crate::error::Result;

/// How tables are written (`csv`, `json` or `xlsx` in a run's record).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TableFormat {
    /// CSV with a header row.
    Csv,
    /// JSON arrays of objects.
    Json,
    /// One Excel workbook with a sheet per table.
    Xlsx,
}

impl TableFormat {
    /// Every format.
    pub const ALL: [TableFormat; 3] = [TableFormat::Csv, TableFormat::Json, TableFormat::Xlsx];

    /// The file name of `stem` in this format (`matches.csv`, `matches.json`, `match.xlsx`).
    pub fn file_name(self, stem: &str) -> String {
        match self {
            TableFormat::Csv => format!("{stem}.csv"),
            TableFormat::Json => format!("{stem}.json"),
            TableFormat::Xlsx => format!("{stem}.xlsx"),
        }
    }

    /// The files that hold the tables `stems` in this format, in the order they are written: a file per table,
    /// or for xlsx the one workbook named `workbook`.
    pub fn file_names(self, workbook: &str, stems: &[&str]) -> Vec<String> {
        match self {
            TableFormat::Csv | TableFormat::Json => stems.iter().map(|stem| self.file_name(stem)).collect(),
            TableFormat::Xlsx => vec![self.file_name(workbook)],
        }
    }
}

/// Output options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputOptions {
    /// CSV, JSON or xlsx tables.
    pub format: TableFormat,
    /// Start CSV files with a UTF-8 byte-order mark, so spreadsheet programs read Chinese text correctly.
    pub excel_bom: bool,
}

impl Default for OutputOptions {
    fn default() -> OutputOptions {
        OutputOptions { format: TableFormat::Csv, excel_bom: false }
    }
}

/// The file name of a table in the chosen format (`matches.csv`, `matches.json`, ...).
pub fn table_file_name(table: &Table, options: OutputOptions) -> String {
    options.format.file_name(table.name)
}

/// Writes a table in the chosen format to `out` (what [`write_tables`] stages for CSV and JSON; a workbook of
/// this one table for xlsx).
pub fn render_table(out: &mut dyn Write, table: &Table, options: OutputOptions) -> std::io::Result<()> {
    match options.format {
        TableFormat::Xlsx => {
            let bytes = workbook::render_workbook(std::slice::from_ref(table))?;
            out.write_all(&bytes)
        }
        TableFormat::Csv => {
            if options.excel_bom {
                out.write_all(b"\xEF\xBB\xBF")?;
            }
            let mut w = csv::Writer::from_writer(out);
            w.write_record(&table.header)?;
            for row in &table.rows {
                w.write_record(row.iter().map(|c| c.csv().into_owned()))?;
            }
            w.flush()
        }
        TableFormat::Json => {
            let rows: Vec<serde_json::Map<String, serde_json::Value>> = table
                .rows
                .iter()
                .map(|row| table.header.iter().map(|h| h.to_string()).zip(row.iter().map(Cell::json)).collect())
                .collect();
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            out.write_all(b"\n")
        }
    }
}

/// Stages a table into `dir` in the chosen format.
pub fn write_table(staged: &mut atomic::Staged, dir: &Path, table: &Table, options: OutputOptions) -> Result<()> {
    staged.stage(&dir.join(table_file_name(table, options)), |out| render_table(out, table, options))
}

/// Stages a run's tables into `dir`: a file each in CSV or JSON, or in xlsx one workbook `workbook`.xlsx with a
/// sheet each, in the order given.
pub fn write_tables(
    staged: &mut atomic::Staged,
    dir: &Path,
    workbook: &str,
    tables: &[Table],
    options: OutputOptions,
) -> Result<()> {
    match options.format {
        TableFormat::Csv | TableFormat::Json => {
            tables.iter().try_for_each(|table| write_table(staged, dir, table, options))
        }
        TableFormat::Xlsx => staged.stage(&dir.join(options.format.file_name(workbook)), |out| {
            let bytes = workbook::render_workbook(tables)?;
            out.write_all(&bytes)
        }),
    }
}

/// Stages any serialisable value as pretty JSON.
pub fn write_json<T: Serialize>(staged: &mut atomic::Staged, path: &Path, value: &T) -> Result<()> {
    staged.stage(path, |out| {
        serde_json::to_writer_pretty(&mut *out, value)?;
        out.write_all(b"\n")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_formulas() {
        assert_eq!(safe_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(safe_cell("-2"), "'-2");
        assert_eq!(safe_cell("@x"), "'@x");
        assert_eq!(safe_cell("+1"), "'+1");
        assert_eq!(safe_cell("KEN-01"), "KEN-01");
    }
}
