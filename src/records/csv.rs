//! CSV tables with exact positions: a UTF-8 byte-order mark and CRLF line ends are accepted, rows of empty cells
//! skipped, UTF-16 and `;`- or tab-separated files (and workbooks under a CSV name) refused in one error (`sniff`),
//! invalid UTF-8 and ragged rows reported with their line and column.

use std::io::Read;

use super::{ErrorSink, Header, HeaderName, Place, Row, TableSpec, parse_header, sniff};
use crate::error::{Error, Location, Result};

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

/// Reads a whole CSV table, calling `on_row` for each well-formed data row. Structural problems (header, UTF-8,
/// ragged rows, unclosed quotes) are recorded in `sink`; rows with such problems are not passed on. I/O failures
/// are returned.
pub(super) fn read_table<R: Read>(
    path: &str,
    input: R,
    spec: TableSpec,
    sink: &mut ErrorSink,
    mut on_row: impl FnMut(&Row<'_>, &mut ErrorSink),
) -> Result<()> {
    // The first bytes tell a UTF-16 file (Excel's "Unicode text") or a workbook apart before any of it is read as
    // CSV; they are then read again, in front of the rest.
    let mut input = input;
    let prefix = read_prefix(&mut input, 256).map_err(|e| Error::io(path, e))?;
    if let Some(message) = sniff::utf16(&prefix).or_else(|| sniff::workbook(&prefix)) {
        sink.push(Location::in_csv(path, 1, 1, None), message);
        return Ok(());
    }
    let mut reader = RecordReader::new(std::io::Cursor::new(prefix).chain(input));
    let mut record = RawRecord { line: 0, quotes: 0, data: Vec::new(), ends: Vec::new(), fields: 0 };
    let io_error = |e: std::io::Error| Error::io(path, e);
    let place = Place { path, sheet: None, first_column: 0 };

    if !reader.next(&mut record).map_err(io_error)? {
        sink.push(
            place.at(1, 1, None),
            format!("the file is empty; expected a header row with the columns {}", spec.expected_names()),
        );
        return Ok(());
    }
    let Some(header) = csv_header(&record, spec, &place, sink) else {
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
                place.at(line, column.max(1), field),
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
            sink.push(place.at(line, column, field), message);
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
                        place.at(line, i + 1, Some(&header.names[i])),
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

/// The header of a CSV file: the checks only CSV needs (an unclosed quote, another delimiter), then the common ones.
fn csv_header(record: &RawRecord, spec: TableSpec, place: &Place<'_>, sink: &mut ErrorSink) -> Option<Header> {
    let line = record.line;
    if record.quotes % 2 == 1 {
        sink.push(place.at(line, record.len().max(1), None), "a quoted column name is never closed");
        return None;
    }
    let texts: Vec<HeaderName<'_>> =
        (0..record.len()).map(|i| std::str::from_utf8(record.field(i)).map_err(|e| e.valid_up_to() + 1)).collect();
    // A header of one or a few names that hold `;` or tabs between known column names is a file written with
    // another delimiter: one error says so, instead of one per garbled name.
    let readable = texts.iter().filter_map(|t| t.ok());
    if let Some(delimiter) = sniff::other_delimiter(readable, |piece| spec.position(piece).is_some()) {
        sink.push(place.at(line, 1, None), sniff::delimiter_message(delimiter));
        return None;
    }
    parse_header(&texts, line, spec, place, sink)
}

/// Reads up to `n` bytes (fewer only at the end of the input).
fn read_prefix(input: &mut impl Read, n: usize) -> std::io::Result<Vec<u8>> {
    let mut prefix = Vec::with_capacity(n);
    input.take(n as u64).read_to_end(&mut prefix)?;
    Ok(prefix)
}
