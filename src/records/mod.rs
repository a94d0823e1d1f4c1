//! Records: reading one CSV table with exact positions, and parsing its cells ([`fields`]). The reference tables
//! and every input go through here, so this sits below both.
//!
//! Every input of the engine (needs, offers, the catalogue files) goes through [`read_table`]: it checks the header
//! against a [`TableSpec`] (names in any case), accepts a UTF-8 byte-order mark and CRLF line ends, skips rows of
//! empty cells, refuses UTF-16 and `;`- or tab-separated files in one error (`sniff`), suggests the closest known
//! name for an unknown column ([`suggest`]), reports invalid UTF-8 and ragged rows with their line and column, and
//! hands each row to the caller as a [`Row`] whose fields can be fetched by column name. Problems go to an [`ErrorSink`] so that one run reports every bad cell (up to a limit), not just
//! the first.

pub mod fields;
pub mod labelled;
mod sniff;
pub mod suggest;

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
        self.columns.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
    }

    /// The spec column that a header name stands for: names compare without regard to ASCII case or surrounding
    /// spaces, since spreadsheet users write `Need_ID` as readily as `need_id`.
    fn position(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name.eq_ignore_ascii_case(name.trim()))
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

    /// The 1-based column of `name` in the header, or one past the end if the file lacks it.
    pub fn column(&self, name: &str) -> usize {
        self.header.positions[self.spec_index(name)].map_or(self.header.width() + 1, |p| p + 1)
    }

    /// The location of column `name` in this row (column = header position, or one past the end if absent).
    pub fn location(&self, name: &str) -> Location {
        Location {
            path: self.path.to_string(),
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

/// One raw record: its fields as bytes, where it starts, and whether its quotes balance.
struct RawRecord {
    /// 1-based physical line of the record's first byte.
    line: u64,
    /// Number of `"` bytes in the record's text; odd means a quoted field that never closes.
    quotes: usize,
    /// Output buffers handed to `csv_core`, kept at their size from one record to the next (only the first
    /// `fields` ends and the bytes they cover belong to the current record).
    data: Vec<u8>,
    ends: Vec<usize>,
    /// Number of fields of the current record.
    fields: usize,
}

impl RawRecord {
    fn len(&self) -> usize {
        self.fields
    }

    fn field(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.data[start..self.ends[i]]
    }
}

/// Streams records out of CSV bytes with exact physical line numbers.
///
/// The csv crate's record positions point at the end of the previous record (before a CRLF's line feed and any
/// blank lines), so this reader drives `csv_core` itself and counts line ends in the bytes each record consumes.
/// A line end is what ends a record for `csv_core`: CR LF, LF, or a CR alone (old Mac files, or files that mix
/// the three).
struct RecordReader<R> {
    input: R,
    core: csv_core::Reader,
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    eof: bool,
    /// Absolute offset of `buf[start]` in the input.
    offset: u64,
    /// Line of `buf[start]`.
    line: u64,
    /// Whether the last byte consumed was a carriage return (so a line feed right after it ends no further line).
    after_cr: bool,
}

impl<R: Read> RecordReader<R> {
    fn new(input: R) -> RecordReader<R> {
        RecordReader {
            input,
            core: csv_core::Reader::new(),
            buf: vec![0; 1 << 16].into_boxed_slice(),
            start: 0,
            end: 0,
            eof: false,
            offset: 0,
            line: 1,
            after_cr: false,
        }
    }

    /// Reads the next record into `rec`; `false` at the end of the input.
    fn next(&mut self, rec: &mut RawRecord) -> std::io::Result<bool> {
        rec.quotes = 0;
        rec.fields = 0;
        let mut first_content: Option<u64> = None;
        let mut out_len = 0;
        let mut ends_len = 0;
        // The buffers keep their size between records: zeroing them for every record made each record after one
        // huge cell (or one very wide row) cost as much as that cell.
        if rec.data.is_empty() {
            rec.data.resize(1024, 0);
        }
        if rec.ends.is_empty() {
            rec.ends.resize(32, 0);
        }
        loop {
            if self.start == self.end && !self.eof {
                self.start = 0;
                self.end = loop {
                    match self.input.read(&mut self.buf) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                };
                self.eof = self.end == 0;
            }
            let input = &self.buf[self.start..self.end];
            let (result, nin, nout, nend) =
                self.core.read_record(input, &mut rec.data[out_len..], &mut rec.ends[ends_len..]);
            for (k, &b) in input[..nin].iter().enumerate() {
                let at = self.offset + k as u64;
                // A byte-order mark (which csv_core drops) is not content either.
                let content = b != b'\n' && b != b'\r' && !(at < 3 && [0xEF, 0xBB, 0xBF][at as usize] == b);
                if content && first_content.is_none() {
                    first_content = Some(self.line);
                }
                // Like csv_core, take CR LF, LF and a lone CR each as one line end.
                self.line += u64::from(b == b'\r' || (b == b'\n' && !self.after_cr));
                self.after_cr = b == b'\r';
                rec.quotes += usize::from(b == b'"');
            }
            self.start += nin;
            self.offset += nin as u64;
            out_len += nout;
            ends_len += nend;
            match result {
                csv_core::ReadRecordResult::InputEmpty if self.eof && nin == 0 => return Ok(false),
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::OutputFull => {
                    let grown = rec.data.len() * 2;
                    rec.data.resize(grown, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    let grown = rec.ends.len() * 2;
                    rec.ends.resize(grown, 0);
                }
                csv_core::ReadRecordResult::Record => {
                    rec.fields = ends_len;
                    rec.line = first_content.unwrap_or(self.line);
                    return Ok(true);
                }
                csv_core::ReadRecordResult::End => return Ok(false),
            }
        }
    }
}

/// Reads a whole table, calling `on_row` for each well-formed data row. Structural problems (header, UTF-8,
/// ragged rows, unclosed quotes) are recorded in `sink`; rows with such problems are not passed on. I/O failures
/// are returned.
pub fn read_table<R: Read>(
    path: &str,
    input: R,
    spec: TableSpec,
    sink: &mut ErrorSink,
    mut on_row: impl FnMut(&Row<'_>, &mut ErrorSink),
) -> Result<()> {
    // The first bytes tell a UTF-16 file (Excel's "Unicode text") apart before any of it is read as CSV; they are
    // then read again, in front of the rest.
    let mut input = input;
    let prefix = read_prefix(&mut input, 256).map_err(|e| Error::io(path, e))?;
    if let Some(message) = sniff::utf16(&prefix) {
        sink.push(Location { path: path.to_string(), line: 1, column: 1, field: None }, message);
        return Ok(());
    }
    let mut reader = RecordReader::new(std::io::Cursor::new(prefix).chain(input));
    let mut record = RawRecord { line: 0, quotes: 0, data: Vec::new(), ends: Vec::new(), fields: 0 };
    let io_error = |e: std::io::Error| Error::io(path, e);
    let file_location = |line: u64, column: usize, field: Option<&str>| Location {
        path: path.to_string(),
        line,
        column,
        field: field.map(str::to_string),
    };

    if !reader.next(&mut record).map_err(io_error)? {
        sink.push(
            file_location(1, 1, None),
            format!("the file is empty; expected a header row with the columns {}", spec.expected_names()),
        );
        return Ok(());
    }
    let Some(header) = parse_header(&record, spec, sink, &file_location) else {
        return Ok(());
    };

    // Only the first invalid UTF-8 of a file says which encoding it probably has: the rest would repeat it.
    let mut encoding_hinted = false;
    while reader.next(&mut record).map_err(io_error)? {
        let line = record.line;
        let width = record.len();
        // A row of empty cells is what a spreadsheet exports for rows it once touched (`,,,,,`): it holds no record,
        // like a blank line.
        if record.quotes == 0 && (0..width).all(|i| record.field(i).iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        if record.quotes % 2 == 1 {
            let column = width.min(header.width());
            let field = header.names.get(column.saturating_sub(1)).map(String::as_str);
            sink.push(
                file_location(line, column.max(1), field),
                "a quoted field is never closed (or a quote stands inside an unquoted field)",
            );
            continue;
        }
        if width != header.width() {
            let (column, message) = if width < header.width() {
                (width + 1, format!("the row has {width} fields but the header has {}", header.width()))
            } else {
                (header.width() + 1, format!("the row has {width} fields but the header has only {}", header.width()))
            };
            let field = header.names.get(column - 1).map(String::as_str);
            sink.push(file_location(line, column, field), message);
            continue;
        }
        let mut fields: Vec<&str> = Vec::with_capacity(width);
        for i in 0..width {
            match std::str::from_utf8(record.field(i)) {
                Ok(text) => fields.push(text),
                Err(e) => {
                    let hint = if encoding_hinted { String::new() } else { format!(" {}", sniff::not_utf8_hint()) };
                    encoding_hinted = true;
                    sink.push(
                        file_location(line, i + 1, Some(&header.names[i])),
                        format!("invalid UTF-8 at byte {} of the field{hint}", e.valid_up_to() + 1),
                    );
                }
            }
        }
        if fields.len() == width {
            on_row(&Row { fields, header: &header, path, line }, sink);
        }
    }
    Ok(())
}

/// Reads up to `n` bytes (fewer only at the end of the input).
fn read_prefix(input: &mut impl Read, n: usize) -> std::io::Result<Vec<u8>> {
    let mut prefix = Vec::with_capacity(n);
    input.take(n as u64).read_to_end(&mut prefix)?;
    Ok(prefix)
}

fn parse_header(
    record: &RawRecord,
    spec: TableSpec,
    sink: &mut ErrorSink,
    file_location: &dyn Fn(u64, usize, Option<&str>) -> Location,
) -> Option<Header> {
    let line = record.line;
    let errors_before = sink.count();
    if record.quotes % 2 == 1 {
        sink.push(file_location(line, record.len().max(1), None), "a quoted column name is never closed");
        return None;
    }
    // A header of one or a few names that hold `;` or tabs between known column names is a file written with
    // another delimiter: one error says so, instead of one per garbled name.
    let texts: Vec<&str> = (0..record.len()).filter_map(|i| std::str::from_utf8(record.field(i)).ok()).collect();
    if let Some(delimiter) = sniff::other_delimiter(texts, |piece| spec.position(piece).is_some()) {
        sink.push(file_location(line, 1, None), sniff::delimiter_message(delimiter));
        return None;
    }
    let mut names = Vec::with_capacity(record.len());
    let mut positions = vec![None; spec.columns.len()];
    // Keyed by the lower-case name, so that `kinds` and `Kinds` are one column named twice.
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    let mut encoding_hinted = false;
    // The full list of columns is given once per header, not once per unknown column.
    let mut listed = false;
    for i in 0..record.len() {
        let name = match std::str::from_utf8(record.field(i)) {
            Ok(name) => name.trim().to_string(),
            Err(e) => {
                let hint = if encoding_hinted { String::new() } else { format!(" {}", sniff::not_utf8_hint()) };
                encoding_hinted = true;
                sink.push(
                    file_location(line, i + 1, None),
                    format!("invalid UTF-8 at byte {} of the column name{hint}", e.valid_up_to() + 1),
                );
                names.push(String::new());
                continue;
            }
        };
        names.push(name.clone());
        let key = name.to_ascii_lowercase();
        if let Some(&first) = first_seen.get(&key) {
            sink.push(
                file_location(line, i + 1, Some(&name)),
                format!("the column appears twice in the header (first at column {})", first + 1),
            );
            continue;
        }
        first_seen.insert(key, i);
        match spec.position(&name) {
            Some(k) => positions[k] = Some(i),
            None if spec.allow_extra_columns => {}
            None if name.is_empty() => sink.push(file_location(line, i + 1, None), "empty column name in the header"),
            None => {
                let hint = match suggest::closest(&name, spec.columns.iter().map(|c| c.name)) {
                    Some(known) => format!("did you mean '{known}'? or pass --allow-extra-columns to ignore it"),
                    None if !listed => {
                        listed = true;
                        format!("the columns are: {}; pass --allow-extra-columns to ignore it", spec.expected_names())
                    }
                    None => "pass --allow-extra-columns to ignore it".to_string(),
                };
                sink.push(file_location(line, i + 1, Some(&name)), format!("unknown column (hint: {hint})"));
            }
        }
    }
    for (k, col) in spec.columns.iter().enumerate() {
        if col.required && positions[k].is_none() {
            sink.push(file_location(line, 1, Some(col.name)), "required column is missing from the header");
        }
    }
    (sink.count() == errors_before).then_some(Header { positions, names, spec })
}
