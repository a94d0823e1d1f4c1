//! The output tables as values: a [`Table`] is a header and rows of typed [`Cell`]s, with the fixed number formats
//! every writer shares. The CSV and JSON writers (`outputs`) and the workbook writer (`workbook`) both read it.

use std::borrow::Cow;

/// The first characters that make a spreadsheet program read a text cell as a formula.
pub const FORMULA_LEADS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Neutralises a text cell that a spreadsheet program would evaluate as a formula.
pub fn safe_cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_LEADS) { Cow::Owned(format!("'{text}")) } else { Cow::Borrowed(text) }
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
    pub(super) fn csv(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(s) => safe_cell(s),
            Cell::Int(v) => Cow::Owned(v.to_string()),
            Cell::Ratio(r) => Cow::Owned(fixed4(*r)),
            Cell::Mean(m) => Cow::Owned(fixed2(*m)),
        }
    }

    pub(super) fn json(&self) -> serde_json::Value {
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
