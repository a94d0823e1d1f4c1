//! Reading one CSV table with exact positions.
//!
//! Every input of the engine (needs, offers, the catalogue files) goes through [`read_table`]: it checks the header
//! against a [`TableSpec`], accepts a UTF-8 byte-order mark and CRLF line ends, reports invalid UTF-8 and ragged
//! rows with their line and column, and hands each row to the caller as a [`Row`] whose fields can be fetched by
//! column name. Problems go to an [`ErrorSink`] so that one run reports every bad cell (up to a limit), not just
//! the first.

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
        ErrorSink {
            errors: Vec::new(),
            more: 0,
            limit: limit.max(1),
        }
    }

    /// Records one error.
    pub fn push(&mut self, location: Location, message: impl Into<String>) {
        if self.errors.len() < self.limit {
            self.errors.push(DataError {
                location,
                message: message.into(),
            });
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
        if self.is_empty() {
            Ok(())
        } else {
            Err(Error::invalid_data(self.errors, self.more))
        }
    }

    /// Merges another sink's errors after this one's.
    pub fn append(&mut self, other: ErrorSink) {
        for e in other.errors {
            self.push(e.location, e.message);
        }
        self.more += other.more;
    }
}

/// One column that a table may have.
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    /// Header name.
    pub name: &'static str,
    /// Whether the header must have it.
    pub required: bool,
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
        self.columns
            .iter()
            .map(|c| c.name)
            .collect::<Vec<_>>()
            .join(", ")
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
}

impl Header {
    /// Number of fields in the header.
    pub fn width(&self) -> usize {
        self.names.len()
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
            .unwrap_or_else(|| {
                panic!("column {name:?} is not in the table spec (a bug in the caller)")
            })
    }

    /// The raw field of column `name`, untrimmed; `None` if the column is absent from the file.
    pub fn raw(&self, name: &str) -> Option<&'a str> {
        self.header.positions[self.spec_index(name)].map(|p| self.fields[p])
    }

    /// The field of column `name` with surrounding whitespace removed; `None` if absent or blank.
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.raw(name).map(str::trim).filter(|s| !s.is_empty())
    }

    /// The location of column `name` in this row (column = header position, or one past the end if absent).
    pub fn location(&self, name: &str) -> Location {
        let column =
            self.header.positions[self.spec_index(name)].map_or(self.header.width() + 1, |p| p + 1);
        Location {
            path: self.path.to_string(),
            line: self.line,
            column,
            field: Some(name.to_string()),
        }
    }

    /// Records an error about column `name` of this row.
    pub fn error(&self, sink: &mut ErrorSink, name: &str, message: impl Into<String>) {
        sink.push(self.location(name), message);
    }
}

/// Reads a whole table, calling `on_row` for each well-formed data row. Structural problems (header, UTF-8,
/// ragged rows) are recorded in `sink`; rows with such problems are not passed on. I/O failures are returned.
pub fn read_table<R: Read>(
    path: &str,
    input: R,
    spec: TableSpec,
    sink: &mut ErrorSink,
    mut on_row: impl FnMut(&Row<'_>, &mut ErrorSink),
) -> Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut record = csv::ByteRecord::new();
    let io_error = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::io(path, io),
        other => Error::io(path, std::io::Error::other(format!("{other:?}"))),
    };

    let file_location = |line: u64, column: usize, field: Option<&str>| Location {
        path: path.to_string(),
        line,
        column,
        field: field.map(str::to_string),
    };

    if !reader.read_byte_record(&mut record).map_err(io_error)? {
        sink.push(
            file_location(1, 1, None),
            format!(
                "the file is empty; expected a header row with the columns {}",
                spec.expected_names()
            ),
        );
        return Ok(());
    }
    let header_line = record.position().map_or(1, |p| p.line());
    let Some(header) = parse_header(&record, header_line, spec, sink, &file_location) else {
        return Ok(());
    };

    while reader.read_byte_record(&mut record).map_err(io_error)? {
        let line = record.position().map_or(0, |p| p.line());
        let width = record.len();
        if width != header.width() {
            let (column, message) = if width < header.width() {
                (
                    width + 1,
                    format!(
                        "the row has {width} fields but the header has {}",
                        header.width()
                    ),
                )
            } else {
                (
                    header.width() + 1,
                    format!(
                        "the row has {width} fields but the header has only {}",
                        header.width()
                    ),
                )
            };
            let field = header.names.get(column - 1).map(String::as_str);
            sink.push(file_location(line, column, field), message);
            continue;
        }
        let mut fields: Vec<&str> = Vec::with_capacity(width);
        let mut utf8_ok = true;
        for (i, bytes) in record.iter().enumerate() {
            match std::str::from_utf8(bytes) {
                Ok(text) => fields.push(text),
                Err(e) => {
                    utf8_ok = false;
                    sink.push(
                        file_location(line, i + 1, Some(&header.names[i])),
                        format!("invalid UTF-8 at byte {} of the field", e.valid_up_to() + 1),
                    );
                    fields.push("");
                }
            }
        }
        if !utf8_ok {
            continue;
        }
        on_row(
            &Row {
                fields,
                header: &header,
                path,
                line,
            },
            sink,
        );
    }
    Ok(())
}

fn parse_header(
    record: &csv::ByteRecord,
    line: u64,
    spec: TableSpec,
    sink: &mut ErrorSink,
    file_location: &dyn Fn(u64, usize, Option<&str>) -> Location,
) -> Option<Header> {
    let errors_before = sink.count();
    let mut names = Vec::with_capacity(record.len());
    for (i, bytes) in record.iter().enumerate() {
        // A UTF-8 byte-order mark may precede the first column name.
        let bytes = if i == 0 {
            bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
        } else {
            bytes
        };
        match std::str::from_utf8(bytes) {
            Ok(name) => names.push(name.trim().to_string()),
            Err(e) => {
                sink.push(
                    file_location(line, i + 1, None),
                    format!(
                        "invalid UTF-8 at byte {} of the column name",
                        e.valid_up_to() + 1
                    ),
                );
                names.push(String::new());
            }
        }
    }
    let mut positions = vec![None; spec.columns.len()];
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, name) in names.iter().enumerate() {
        if let Some(first) = seen.insert(name.as_str(), i) {
            sink.push(
                file_location(line, i + 1, Some(name)),
                format!(
                    "the column appears twice in the header (first at column {})",
                    first + 1
                ),
            );
            continue;
        }
        match spec.columns.iter().position(|c| c.name == name) {
            Some(k) => positions[k] = Some(i),
            None if spec.allow_extra_columns => {}
            None if name.is_empty() => sink.push(
                file_location(line, i + 1, None),
                "empty column name in the header".to_string(),
            ),
            None => sink.push(
                file_location(line, i + 1, Some(name)),
                format!(
                    "unknown column (expected one of: {}; pass --allow-extra-columns to ignore it)",
                    spec.expected_names()
                ),
            ),
        }
    }
    for (k, col) in spec.columns.iter().enumerate() {
        if col.required && positions[k].is_none() {
            sink.push(
                file_location(line, 1, Some(col.name)),
                "required column is missing from the header",
            );
        }
    }
    (sink.count() == errors_before).then_some(Header {
        positions,
        names,
        spec,
    })
}
