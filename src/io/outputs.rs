//! Writers for the outputs of SPEC §6. Each file is written whole or not at all (see [`super::atomic`]).
//! Text cells that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) are
//! prefixed with an apostrophe.

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::error::Result;
use crate::report::{MatchReport, ratio};

use super::atomic;

/// How tables are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    /// CSV with a header row.
    Csv,
    /// JSON arrays of objects.
    Json,
}

/// Output options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputOptions {
    /// CSV or JSON tables.
    pub format: TableFormat,
    /// Start CSV files with a UTF-8 byte-order mark, so spreadsheet programs read Chinese text correctly.
    pub excel_bom: bool,
}

impl Default for OutputOptions {
    fn default() -> OutputOptions {
        OutputOptions { format: TableFormat::Csv, excel_bom: false }
    }
}

/// Neutralises a text cell that a spreadsheet program would evaluate as a formula.
pub fn safe_cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A ratio with four decimals, the fixed format of every coverage column.
pub fn fixed4(x: f64) -> String {
    format!("{x:.4}")
}

/// A mean with two decimals, the fixed format of every mean column.
pub fn fixed2(x: f64) -> String {
    format!("{x:.2}")
}

/// One output table: a header and rows of cells (already formatted).
pub struct Table {
    /// File stem (`matches` → matches.csv / matches.json).
    pub name: &'static str,
    /// Column names.
    pub header: Vec<&'static str>,
    /// Rows; text cells marked so JSON can keep numbers as numbers.
    pub rows: Vec<Vec<Cell>>,
}

/// A table cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text from inputs or vocabularies.
    Text(String),
    /// A whole number.
    Int(i128),
    /// A ratio written with four decimals.
    Ratio(f64),
    /// A mean written with two decimals.
    Mean(f64),
}

impl Cell {
    fn csv(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(s) => safe_cell(s),
            Cell::Int(v) => Cow::Owned(v.to_string()),
            Cell::Ratio(r) => Cow::Owned(fixed4(*r)),
            Cell::Mean(m) => Cow::Owned(fixed2(*m)),
        }
    }

    fn json(&self) -> serde_json::Value {
        match self {
            Cell::Text(s) => serde_json::Value::String(s.clone()),
            Cell::Int(v) => match i64::try_from(*v) {
                Ok(v) => serde_json::Value::from(v),
                Err(_) => serde_json::Value::String(v.to_string()),
            },
            // Parsed back from the fixed format so JSON and CSV carry the same digits.
            Cell::Ratio(r) => fixed4(*r).parse::<f64>().map_or(serde_json::Value::Null, serde_json::Value::from),
            Cell::Mean(m) => fixed2(*m).parse::<f64>().map_or(serde_json::Value::Null, serde_json::Value::from),
        }
    }
}

/// A text cell.
pub fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// A whole-number cell.
pub fn int(v: impl Into<i128>) -> Cell {
    Cell::Int(v.into())
}

/// The four tables of a match run.
pub fn match_tables(report: &MatchReport) -> Vec<Table> {
    let matches = Table {
        name: "matches",
        header: vec![
            "need_id",
            "offer_id",
            "donor",
            "requester",
            "commitment",
            "kind",
            "amount_usd",
            "fit",
            "value",
            "value_per_usd",
        ],
        rows: report
            .matches
            .iter()
            .map(|m| {
                vec![
                    text(&m.need_id),
                    text(&m.offer_id),
                    text(&m.donor),
                    text(&m.requester),
                    text(&m.commitment),
                    text(m.kind.as_str()),
                    int(m.amount_usd),
                    int(m.fit),
                    int(m.value),
                    int(m.value_per_usd),
                ]
            })
            .collect(),
    };
    let needs = Table {
        name: "needs_status",
        header: vec![
            "need_id",
            "requested_usd",
            "allocated_usd",
            "coverage",
            "status",
            "reason",
            "requester",
            "priority",
            "eligible_offers",
            "funders",
        ],
        rows: report
            .needs
            .iter()
            .map(|n| {
                vec![
                    text(&n.need_id),
                    int(n.requested_usd),
                    int(n.allocated_usd),
                    Cell::Ratio(n.coverage()),
                    text(n.status.as_str()),
                    text(&n.reason),
                    text(&n.requester),
                    int(n.priority),
                    int(n.eligible_offers as i64),
                    int(n.funders as i64),
                ]
            })
            .collect(),
    };
    let offers = Table {
        name: "offers_status",
        header: vec!["offer_id", "envelope_usd", "allocated_usd", "remaining_usd", "awards", "donor", "eligible_needs"],
        rows: report
            .offers
            .iter()
            .map(|o| {
                vec![
                    text(&o.offer_id),
                    int(o.envelope_usd),
                    int(o.allocated_usd),
                    int(o.remaining_usd),
                    int(o.awards as i64),
                    text(&o.donor),
                    int(o.eligible_needs as i64),
                ]
            })
            .collect(),
    };
    let summary = Table {
        name: "summary",
        header: vec!["dimension", "key", "label", "needs", "requested_usd", "allocated_usd", "coverage"],
        rows: report
            .summary
            .iter()
            .map(|s| {
                vec![
                    text(s.dimension),
                    text(&s.key),
                    text(&s.label),
                    int(s.needs as i64),
                    int(s.requested_usd),
                    int(s.allocated_usd),
                    Cell::Ratio(ratio(s.allocated_usd, s.requested_usd)),
                ]
            })
            .collect(),
    };
    vec![matches, needs, offers, summary]
}

/// The file name of a table in the chosen format (`matches.csv`, `matches.json`, ...).
pub fn table_file_name(table: &Table, options: OutputOptions) -> String {
    match options.format {
        TableFormat::Csv => format!("{}.csv", table.name),
        TableFormat::Json => format!("{}.json", table.name),
    }
}

/// Writes a table in the chosen format to `out` (what [`write_table`] stages; also used to render in memory).
pub fn render_table(out: &mut dyn Write, table: &Table, options: OutputOptions) -> std::io::Result<()> {
    match options.format {
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
