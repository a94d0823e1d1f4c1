//! A sheet's cells, fed in row order, as a table: the first row holding anything is the header, each later row a
//! record handed on as text, exactly as a CSV file's would be.

use calamine::Data;

use super::{ColumnKind, ErrorSink, Header, HeaderName, Place, Row, TableSpec, cell, parse_header};
use crate::error::{Location, column_letters};

/// One cell as a sheet gives it: 0-based row and column, value (or cached result) and formula, if any.
pub(super) struct SheetCell {
    pub(super) row: u32,
    pub(super) column: u32,
    pub(super) value: Data,
    pub(super) formula: Option<String>,
}

/// The table being read: cells gather into the current row, which is read when the next row starts.
pub(super) struct Table<'p, F> {
    place: Place<'p>,
    spec: TableSpec,
    is_1904: bool,
    on_row: F,
    /// The header, once read; `None` before, and for good when it had errors (see `header_failed`).
    header: Option<Header>,
    header_failed: bool,
    /// The 1-based sheet row of the header.
    header_row: u64,
    /// The 0-based row of the cells in `cells`.
    row: u32,
    cells: Vec<SheetCell>,
}

impl<'p, F: FnMut(&Row<'_>, &mut ErrorSink)> Table<'p, F> {
    pub(super) fn new(place: Place<'p>, spec: TableSpec, is_1904: bool, on_row: F) -> Table<'p, F> {
        Table {
            place,
            spec,
            is_1904,
            on_row,
            header: None,
            header_failed: false,
            header_row: 0,
            row: 0,
            cells: Vec::new(),
        }
    }

    /// Takes the next cell of the sheet.
    pub(super) fn push(&mut self, cell: SheetCell, sink: &mut ErrorSink) {
        if cell.row != self.row && !self.cells.is_empty() {
            self.end_row(sink);
        }
        self.row = cell.row;
        self.cells.push(cell);
    }

    /// Reads the last row; a sheet with nothing in it is an error, like an empty CSV file.
    pub(super) fn finish(mut self, sink: &mut ErrorSink) {
        if !self.cells.is_empty() {
            self.end_row(sink);
        }
        if self.header.is_none() && !self.header_failed {
            sink.push(
                self.cell_location(1, 1, None),
                format!("the sheet is empty; expected a header row with the columns {}", self.spec.expected_names()),
            );
        }
    }

    /// The location of the sheet's cell at 1-based `line` and `column`.
    fn cell_location(&self, line: u64, column: usize, field: Option<&str>) -> Location {
        Location {
            path: self.place.path.to_string(),
            sheet: self.place.sheet.clone(),
            line,
            column,
            field: field.map(str::to_string),
        }
    }

    fn end_row(&mut self, sink: &mut ErrorSink) {
        let cells = std::mem::take(&mut self.cells);
        let line = u64::from(self.row) + 1;
        if self.header_failed {
            return;
        }
        match &self.header {
            None => self.read_header(cells, line, sink),
            Some(_) => self.read_record(cells, line, sink),
        }
    }

    fn read_header(&mut self, cells: Vec<SheetCell>, line: u64, sink: &mut ErrorSink) {
        let errors_before = sink.count();
        self.header_row = line;
        // A damaged file may hold a row's cells out of order: the leftmost is the first.
        let first = cells.iter().map(|c| c.column).min().unwrap_or(0);
        let mut names: Vec<String> = Vec::new();
        for c in cells {
            let column = c.column as usize + 1;
            if let Some(formula) = &c.formula {
                sink.push(self.cell_location(line, column, None), formula_message(formula));
                continue;
            }
            if c.column >= SHEET_COLUMNS {
                sink.push(self.cell_location(line, column, None), beyond_the_sheet());
                continue;
            }
            let at = (c.column - first) as usize;
            if names.len() <= at {
                names.resize(at + 1, String::new());
            }
            match cell::text(c.value, ColumnKind::Text, self.is_1904) {
                Ok(text) => names[at] = text,
                Err(why) => sink.push(self.cell_location(line, column, None), why),
            }
        }
        self.place.first_column = first as usize;
        if sink.count() != errors_before {
            self.header_failed = true;
            return;
        }
        let texts: Vec<HeaderName<'_>> = names.iter().map(|n| Ok(n.as_str())).collect();
        self.header = parse_header(&texts, line, self.spec, &self.place, sink);
        self.header_failed = self.header.is_none();
    }

    fn read_record(&mut self, cells: Vec<SheetCell>, line: u64, sink: &mut ErrorSink) {
        let Some(header) = &self.header else { return };
        let errors_before = sink.count();
        let first = header.first_column;
        let mut fields = vec![String::new(); header.width()];
        for c in cells {
            let column = c.column as usize + 1;
            let inside = (c.column as usize).checked_sub(first).filter(|&i| i < header.width());
            let Some(i) = inside else {
                let message = format!(
                    "the cell lies outside the table: the header in row {} names columns {} to {} (hint: give its \
                     column a name in the header, or clear the cell)",
                    self.header_row,
                    column_letters(first + 1),
                    column_letters(first + header.width())
                );
                sink.push(self.cell_location(line, column, None), message);
                continue;
            };
            let name = Some(header.names[i].as_str());
            if let Some(formula) = &c.formula {
                sink.push(self.cell_location(line, column, name), formula_message(formula));
                continue;
            }
            match cell::text(c.value, header.kind(i), self.is_1904) {
                Ok(text) => fields[i] = text,
                Err(why) => sink.push(self.cell_location(line, column, name), why),
            }
        }
        // A row of blank cells holds no record, as in CSV; a row with a bad cell is not read further.
        if sink.count() != errors_before || fields.iter().all(|f| f.trim().is_empty()) {
            return;
        }
        let fields = fields.iter().map(String::as_str).collect();
        (self.on_row)(&Row { fields, header, path: self.place.path, line }, sink);
    }
}

/// How many columns a sheet has (A to XFD): a damaged file may name a cell past them, and the header would then
/// need a name for each column up to it.
const SHEET_COLUMNS: u32 = 16_384;

fn beyond_the_sheet() -> String {
    format!("the cell lies beyond the last column a sheet has ({})", column_letters(SHEET_COLUMNS as usize))
}

/// The error for a cell that holds a formula: its text, cut short and on one line.
fn formula_message(formula: &str) -> String {
    let formula = formula.strip_prefix('=').unwrap_or(formula);
    let mut shown: String = formula.chars().take(60).map(|c| if c.is_control() { ' ' } else { c }).collect();
    if shown.len() < formula.len() {
        shown.push_str("...");
    }
    format!("holds a formula (={shown}); inputs must be values (hint: copy the column and paste values)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::ColumnSpec;

    const COLUMNS: &[ColumnSpec] = &[ColumnSpec::required("id"), ColumnSpec::optional("when").dates()];

    fn text(row: u32, column: u32, value: &str) -> SheetCell {
        SheetCell { row, column, value: Data::String(value.into()), formula: None }
    }

    /// The rows read from `cells` as `id|when`, and the errors.
    fn read(cells: Vec<SheetCell>) -> (Vec<String>, Vec<String>) {
        let mut rows = Vec::new();
        let mut sink = ErrorSink::new(100);
        let place = Place { path: "t.xlsx", sheet: Some("s".into()), first_column: 0 };
        let spec = TableSpec { columns: COLUMNS, allow_extra_columns: false };
        let mut table = Table::new(place, spec, false, |row: &Row<'_>, _: &mut ErrorSink| {
            rows.push(format!("{}|{}", row.raw("id").unwrap_or("-"), row.raw("when").unwrap_or("-")));
        });
        for cell in cells {
            table.push(cell, &mut sink);
        }
        table.finish(&mut sink);
        let errors = match sink.into_result() {
            Ok(()) => Vec::new(),
            Err(e) => e.to_string().lines().skip(1).map(str::to_string).collect(),
        };
        (rows, errors)
    }

    #[test]
    fn cells_out_of_order_in_a_damaged_file_are_placed_by_their_column() {
        let serial = SheetCell { row: 2, column: 2, value: Data::Float(41458.0), formula: None };
        let cells = vec![text(1, 2, "when"), text(1, 1, "id"), serial, text(2, 1, "N1")];
        let (rows, errors) = read(cells);
        assert_eq!(errors, Vec::<String>::new());
        assert_eq!(rows, ["N1|2013-07-03"]);
    }

    #[test]
    fn a_cell_past_the_last_column_is_an_error_not_a_huge_header() {
        let (rows, errors) = read(vec![text(0, 0, "id"), text(0, u32::MAX - 1, "when")]);
        assert!(rows.is_empty());
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("t.xlsx:s!"), "{errors:?}");
        assert!(errors[0].contains("beyond the last column a sheet has (XFD)"), "{errors:?}");
    }

    #[test]
    fn cells_outside_the_header_and_formulas_are_errors_at_their_cell() {
        let formula = SheetCell { row: 1, column: 0, value: Data::Float(2.0), formula: Some("1+1".into()) };
        let cells = vec![text(0, 0, "id"), text(0, 1, "when"), formula, text(2, 0, "N2"), text(2, 3, "note")];
        let (rows, errors) = read(cells);
        assert!(rows.is_empty(), "{rows:?}");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].starts_with("t.xlsx:s!A2: field 'id': holds a formula (=1+1)"), "{errors:?}");
        assert!(errors[1].starts_with("t.xlsx:s!D3: the cell lies outside the table"), "{errors:?}");
    }
}
