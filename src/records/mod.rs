//! Records: reading one table (a CSV file or a workbook's sheet) with exact positions, and parsing its cells
//! ([`fields`]). The reference tables and every input go through here, so this sits below both.
//!
//! Every input of the engine (needs, offers, the ledger, the catalogue files) goes through [`read_table`] (or
//! [`read_table_from`], which also takes the sheet to read): it checks the header against a [`TableSpec`] (names
//! in any case), suggests the closest known name for an unknown column ([`suggest`]), skips rows of empty cells,
//! and hands each row to the caller as a [`Row`] whose fields can be fetched by column name, as text. The file's
//! name chooses the format: a workbook extension (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`) is read by
//! [`workbook`], anything else as CSV by `csv`. Problems go to an [`ErrorSink`] so that one run reports every bad
//! cell (up to a limit), not just the first.

mod cell;
mod csv;
pub mod fields;
mod guard;
pub mod labelled;
mod sheet;
mod sniff;
pub mod suggest;
pub mod workbook;

use std::collections::HashMap;
use std::io::Read;

use crate::error::{DataError, Error, Location, Result};

/// How many data errors a run keeps before it only counts them.
pub const DEFAULT_ERROR_LIMIT: usize = 100;

/// Collects data errors up to a limit.
#[derive(Debug)]
pub struct ErrorSink {
    errors: Vec<DataError>,
    more: usize,
    limit: usize,
}

impl ErrorSink {
    /// A sink that keeps at most `limit` errors.
    pub fn new(limit: usize) -> ErrorSink {
        ErrorSink { errors: Vec::new(), more: 0, limit: limit.max(1) }
    }

    /// Records one error.
    pub fn push(&mut self, location: Location, message: impl Into<String>) {
        if self.errors.len() < self.limit {
            self.errors.push(DataError { location, message: message.into() });
        } else {
            self.more += 1;
        }
    }

    /// Whether no error was recorded.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty() && self.more == 0
    }

    /// Total errors seen.
    pub fn count(&self) -> usize {
        self.errors.len() + self.more
    }

    /// Whether the sink is full, so further work only counts.
    pub fn is_full(&self) -> bool {
        self.errors.len() >= self.limit
    }

    /// `Ok(())` if empty, else the collected errors as one [`Error`].
    pub fn into_result(self) -> Result<()> {
        if self.is_empty() { Ok(()) } else { Err(Error::invalid_data(self.errors, self.more)) }
    }

    /// Merges another sink's errors after this one's.
    pub fn append(&mut self, other: ErrorSink) {
        for e in other.errors {
            self.push(e.location, e.message);
        }
        self.more += other.more;
    }
}

/// What a column holds, where a workbook's cell needs it to become the text the cell parsers read: a plain number
/// in a date column is an Excel date serial. Every other cell reads the same whatever its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Anything read from its text: codes, amounts, counts, flags, free text.
    Text,
    /// A `YYYY-MM-DD` date.
    Date,
}

/// One column that a table may have.
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    /// Header name.
    pub name: &'static str,
    /// Whether the header must have it.
    pub required: bool,
    /// What its cells hold.
    pub kind: ColumnKind,
}

impl ColumnSpec {
    /// A column the header must have.
    pub const fn required(name: &'static str) -> ColumnSpec {
        ColumnSpec { name, required: true, kind: ColumnKind::Text }
    }

    /// A column the header may have.
    pub const fn optional(name: &'static str) -> ColumnSpec {
        ColumnSpec { name, required: false, kind: ColumnKind::Text }
    }

    /// The same column, holding dates.
    pub const fn dates(self) -> ColumnSpec {
        ColumnSpec { kind: ColumnKind::Date, ..self }
    }
}

/// The columns a table accepts.
#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    /// All known columns.
    pub columns: &'static [ColumnSpec],
    /// Whether unknown columns are ignored (else they are errors).
    pub allow_extra_columns: bool,
}

impl TableSpec {
    fn expected_names(&self) -> String {
        self.columns.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
    }

    /// The spec column that a header name stands for: names compare without regard to ASCII case or surrounding
    /// spaces, since spreadsheet users write `Need_ID` as readily as `need_id`.
    fn position(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name.eq_ignore_ascii_case(name.trim()))
    }
}

/// Which sheet of a workbook holds the table (a CSV file has one table and ignores this).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetChoice<'a> {
    /// The first sheet.
    First,
    /// The sheet with this name in any letter case, if the workbook has one, else the first: so one workbook with
    /// sheets `needs` and `offers` serves as both inputs.
    Table(&'a str),
    /// This sheet (`--sheet`), which must exist: naming one that does not is a usage error listing the sheets.
    Given(&'a str),
}

/// Where a table sits: the file, and for a workbook the sheet and the column of the header's first cell.
#[derive(Debug, Clone)]
pub(crate) struct Place<'a> {
    path: &'a str,
    sheet: Option<String>,
    /// 0-based column of the table's first column in its sheet (0 for CSV).
    first_column: usize,
}

impl Place<'_> {
    /// The location of the 1-based field `field_number` of the table on `line`.
    fn at(&self, line: u64, field_number: usize, field: Option<&str>) -> Location {
        Location {
            path: self.path.to_string(),
            sheet: self.sheet.clone(),
            line,
            column: self.first_column + field_number,
            field: field.map(str::to_string),
        }
    }
}

/// The header as read: where each known column sits.
#[derive(Debug)]
pub struct Header {
    /// Position (0-based) of each spec column, in spec order; `None` if absent.
    positions: Vec<Option<usize>>,
    /// All header names in file order.
    names: Vec<String>,
    spec: TableSpec,
    /// The sheet, for a workbook.
    sheet: Option<String>,
    /// 0-based column of the header's first cell in its sheet (0 for CSV).
    first_column: usize,
}

impl Header {
    /// Number of fields in the header.
    pub fn width(&self) -> usize {
        self.names.len()
    }

    /// The kind of the 0-based header position `i`: its spec column's, or text for a column the spec lacks.
    fn kind(&self, i: usize) -> ColumnKind {
        self.positions.iter().position(|&p| p == Some(i)).map_or(ColumnKind::Text, |k| self.spec.columns[k].kind)
    }
}

/// One data row with the context needed to report errors about it.
pub struct Row<'a> {
    fields: Vec<&'a str>,
    header: &'a Header,
    path: &'a str,
    /// 1-based physical line where the record starts.
    pub line: u64,
}

impl<'a> Row<'a> {
    fn spec_index(&self, name: &str) -> usize {
        self.header
            .spec
            .columns
            .iter()
            .position(|c| c.name == name)
            .unwrap_or_else(|| panic!("column {name:?} is not in the table spec (a bug in the caller)"))
    }

    /// The raw field of column `name`, untrimmed; `None` if the column is absent from the file.
    pub fn raw(&self, name: &str) -> Option<&'a str> {
        self.header.positions[self.spec_index(name)].map(|p| self.fields[p])
    }

    /// The field of column `name` with surrounding whitespace removed; `None` if absent or blank.
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.raw(name).map(str::trim).filter(|s| !s.is_empty())
    }

    /// The sheet the row is on, for a workbook.
    pub fn sheet(&self) -> Option<&str> {
        self.header.sheet.as_deref()
    }

    /// The 1-based column of `name` in the header, or one past the end if the file lacks it; in a workbook, the
    /// sheet's column number.
    pub fn column(&self, name: &str) -> usize {
        let field = self.header.positions[self.spec_index(name)].map_or(self.header.width() + 1, |p| p + 1);
        self.header.first_column + field
    }

    /// The location of column `name` in this row (column = header position, or one past the end if absent).
    pub fn location(&self, name: &str) -> Location {
        Location {
            path: self.path.to_string(),
            sheet: self.header.sheet.clone(),
            line: self.line,
            column: self.column(name),
            field: Some(name.to_string()),
        }
    }

    /// Records an error about column `name` of this row.
    pub fn error(&self, sink: &mut ErrorSink, name: &str, message: impl Into<String>) {
        sink.push(self.location(name), message);
    }
}

/// Reads a whole table, calling `on_row` for each well-formed data row; a workbook's first sheet. Structural
/// problems (header, encoding, ragged rows, unreadable cells) are recorded in `sink`; rows with such problems are
/// not passed on. I/O failures are returned.
pub fn read_table<R: Read>(
    path: &str,
    input: R,
    spec: TableSpec,
    sink: &mut ErrorSink,
    on_row: impl FnMut(&Row<'_>, &mut ErrorSink),
) -> Result<()> {
    read_table_from(path, input, spec, SheetChoice::First, sink, on_row)
}

/// [`read_table`] from the sheet `sheet` chooses when `path` names a workbook. An unknown sheet given by name is
/// a usage error.
pub fn read_table_from<R: Read>(
    path: &str,
    input: R,
    spec: TableSpec,
    sheet: SheetChoice<'_>,
    sink: &mut ErrorSink,
    on_row: impl FnMut(&Row<'_>, &mut ErrorSink),
) -> Result<()> {
    match workbook::Format::of_path(path) {
        Some(format) => workbook::read_table(path, format, input, spec, sheet, sink, on_row),
        None => csv::read_table(path, input, spec, sink, on_row),
    }
}

/// A header name as read: its text, or where its bytes stop being UTF-8 (the 1-based byte).
pub(crate) type HeaderName<'t> = std::result::Result<&'t str, usize>;

/// Checks a header's names against `spec`; the header, if it has no problem. `place` maps a name's position to its
/// location on `line`.
fn parse_header(
    texts: &[HeaderName<'_>],
    line: u64,
    spec: TableSpec,
    place: &Place<'_>,
    sink: &mut ErrorSink,
) -> Option<Header> {
    let errors_before = sink.count();
    let mut names = Vec::with_capacity(texts.len());
    let mut positions = vec![None; spec.columns.len()];
    // Keyed by the lower-case name, so that `kinds` and `Kinds` are one column named twice.
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    let mut encoding_hinted = false;
    // The full list of columns is given once per header, not once per unknown column.
    let mut listed = false;
    for (i, text) in texts.iter().enumerate() {
        let name = match text {
            Ok(name) => name.trim().to_string(),
            Err(byte) => {
                let hint = if encoding_hinted { String::new() } else { format!(" {}", sniff::not_utf8_hint()) };
                encoding_hinted = true;
                sink.push(
                    place.at(line, i + 1, None),
                    format!("invalid UTF-8 at byte {byte} of the column name{hint}"),
                );
                names.push(String::new());
                continue;
            }
        };
        names.push(name.clone());
        let key = name.to_ascii_lowercase();
        if let Some(&first) = first_seen.get(&key) {
            sink.push(
                place.at(line, i + 1, Some(&name)),
                format!("the column appears twice in the header (first at column {})", first_name(place, first)),
            );
            continue;
        }
        first_seen.insert(key, i);
        match spec.position(&name) {
            Some(k) => positions[k] = Some(i),
            None if spec.allow_extra_columns => {}
            None if name.is_empty() => sink.push(place.at(line, i + 1, None), "empty column name in the header"),
            None => {
                let hint = match suggest::closest(&name, spec.columns.iter().map(|c| c.name)) {
                    Some(known) => format!("did you mean '{known}'? or pass --allow-extra-columns to ignore it"),
                    None if !listed => {
                        listed = true;
                        format!("the columns are: {}; pass --allow-extra-columns to ignore it", spec.expected_names())
                    }
                    None => "pass --allow-extra-columns to ignore it".to_string(),
                };
                sink.push(place.at(line, i + 1, Some(&name)), format!("unknown column (hint: {hint})"));
            }
        }
    }
    for (k, col) in spec.columns.iter().enumerate() {
        if col.required && positions[k].is_none() {
            sink.push(place.at(line, 1, Some(col.name)), "required column is missing from the header");
        }
    }
    (sink.count() == errors_before).then(|| Header {
        positions,
        names,
        spec,
        sheet: place.sheet.clone(),
        first_column: place.first_column,
    })
}

/// How a message names the header position `i` (0-based): its number in a CSV file, its letters in a sheet.
fn first_name(place: &Place<'_>, i: usize) -> String {
    match &place.sheet {
        None => (i + 1).to_string(),
        Some(_) => crate::error::column_letters(place.first_column + i + 1),
    }
}
