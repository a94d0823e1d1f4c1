//! Workbooks (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`) as tables: one sheet's cells, row by row, become the rows
//! a CSV file would give, with every position a cell address (`needs.xlsx:needs!G7`).
//!
//! The table is the sheet's used range: its first row holding anything is the header, and the header's first and
//! last names bound the columns. Rows of empty cells are skipped; a cell outside the header's columns, a formula
//! and a value no parser can read (an error value, a time of day) are errors at their cell. Formulas are refused
//! rather than read by their cached result: the result is whatever the program that last saved the file computed,
//! and files written by libraries carry none.
//!
//! The bytes are read whole (a zip archive is read from its end); an `.xlsx` sheet is then streamed cell by cell,
//! so a large sheet is never held as a grid. The other formats are read by calamine as a grid.

use std::io::{Cursor, Read};

use calamine::{Data, Ods, Reader, Xls, Xlsb, Xlsx};

use super::guard::{guarded, ours};

use super::sheet::{SheetCell, Table};
use super::{ErrorSink, Place, Row, SheetChoice, TableSpec};
use crate::error::{Error, Location, Result};

/// The workbook formats read, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML: `.xlsx`, `.xlsm`.
    Xlsx,
    /// Excel binary workbook: `.xlsb`.
    Xlsb,
    /// Excel 97-2003: `.xls`.
    Xls,
    /// OpenDocument spreadsheet: `.ods`.
    Ods,
}

impl Format {
    /// The format a file name's extension (any letter case) names, if it names a workbook.
    pub fn of_path(path: &str) -> Option<Format> {
        let extension = std::path::Path::new(path).extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "xlsx" | "xlsm" => Some(Format::Xlsx),
            "xlsb" => Some(Format::Xlsb),
            "xls" => Some(Format::Xls),
            "ods" => Some(Format::Ods),
            _ => None,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Format::Xlsx => "an Excel workbook (.xlsx)",
            Format::Xlsb => "an Excel binary workbook (.xlsb)",
            Format::Xls => "an Excel 97-2003 workbook (.xls)",
            Format::Ods => "an OpenDocument spreadsheet (.ods)",
        }
    }
}

/// Reads the table of one sheet of the workbook in `input`, calling `on_row` for each good data row.
pub(super) fn read_table<R: Read>(
    path: &str,
    format: Format,
    mut input: R,
    spec: TableSpec,
    choice: SheetChoice<'_>,
    sink: &mut ErrorSink,
    on_row: impl FnMut(&Row<'_>, &mut ErrorSink),
) -> Result<()> {
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes).map_err(|e| Error::io(path, e))?;
    let mut book = match guarded(|| open(format, Cursor::new(&bytes[..]))).and_then(|opened| opened) {
        Ok(book) => book,
        Err(why) => {
            sink.push(Location::whole_file(path), not_a_workbook(format, &bytes, &why));
            return Ok(());
        }
    };
    let names = book.sheet_names();
    let Some(sheet) = choose(&names, choice, path)? else {
        sink.push(Location::whole_file(path), "the workbook has no sheet");
        return Ok(());
    };
    let place = Place { path, sheet: Some(sheet.clone()), first_column: 0 };
    let mut table = Table::new(place, spec, book.is_1904(), on_row);
    let read = guarded(|| book.cells(&sheet, &mut |cell| ours(|| table.push(cell, sink)))).and_then(|read| read);
    if let Err(why) = read {
        sink.push(Location::whole_file(path), format!("cannot read the sheet {sheet:?}: {}", one_line(&why)));
        return Ok(());
    }
    table.finish(sink);
    Ok(())
}

/// The sheet to read, by `choice`; `None` if the workbook has none. A sheet given by name that the workbook lacks
/// is a usage error that lists the sheets it has.
fn choose(names: &[String], choice: SheetChoice<'_>, path: &str) -> Result<Option<String>> {
    let named = |wanted: &str| {
        names.iter().find(|n| n.as_str() == wanted).or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(wanted)))
    };
    match choice {
        SheetChoice::First => Ok(names.first().cloned()),
        SheetChoice::Table(table) => Ok(named(table).or(names.first()).cloned()),
        SheetChoice::Given(wanted) => match named(wanted) {
            Some(name) => Ok(Some(name.clone())),
            None => {
                let list: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
                Err(Error::usage(format!(
                    "--sheet {wanted:?}: {path} has no sheet of that name; its sheets are {}",
                    if list.is_empty() { "none".to_string() } else { list.join(", ") }
                )))
            }
        },
    }
}

/// The message for bytes that the reader of `format` cannot open, with the likely cause when the bytes show one.
fn not_a_workbook(format: Format, bytes: &[u8], why: &str) -> String {
    let zip = bytes.starts_with(b"PK\x03\x04");
    let ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    let hint = if bytes.is_empty() {
        "the file is empty".to_string()
    } else if !zip && !ole && std::str::from_utf8(&bytes[..bytes.len().min(4096)]).is_ok() {
        "the file is text: if it is CSV, name it .csv".to_string()
    } else if ole && format != Format::Xls {
        "the file looks like an Excel 97-2003 workbook: name it .xls".to_string()
    } else if zip && format == Format::Xls {
        "the file looks like a zip-based workbook: name it .xlsx or .ods".to_string()
    } else {
        "the file may be damaged or in another format: open it in a spreadsheet and save it again".to_string()
    };
    format!("cannot read the file as {} ({}) (hint: {hint})", format.describe(), one_line(why))
}

/// What a reader said, cut short and on one line, as an error quotes it.
fn one_line(why: &str) -> String {
    let mut shown: String = why.chars().take(200).map(|c| if c.is_control() { ' ' } else { c }).collect();
    if shown.len() < why.len() {
        shown.push_str("...");
    }
    shown
}

/// An open workbook of any format read.
enum Book<'b> {
    Xlsx(Xlsx<Cursor<&'b [u8]>>),
    Xlsb(Xlsb<Cursor<&'b [u8]>>),
    Xls(Xls<Cursor<&'b [u8]>>),
    Ods(Ods<Cursor<&'b [u8]>>),
}

fn open(format: Format, bytes: Cursor<&[u8]>) -> std::result::Result<Book<'_>, String> {
    let why = |e: &dyn std::fmt::Display| e.to_string();
    Ok(match format {
        Format::Xlsx => Book::Xlsx(Xlsx::new(bytes).map_err(|e| why(&e))?),
        Format::Xlsb => Book::Xlsb(Xlsb::new(bytes).map_err(|e| why(&e))?),
        Format::Xls => Book::Xls(Xls::new(bytes).map_err(|e| why(&e))?),
        Format::Ods => Book::Ods(Ods::new(bytes).map_err(|e| why(&e))?),
    })
}

impl Book<'_> {
    fn sheet_names(&self) -> Vec<String> {
        match self {
            Book::Xlsx(book) => book.sheet_names(),
            Book::Xlsb(book) => book.sheet_names(),
            Book::Xls(book) => book.sheet_names(),
            Book::Ods(book) => book.sheet_names(),
        }
    }

    /// Whether plain numbers count days from 1904 (old Mac workbooks); calamine's date cells know it already.
    fn is_1904(&self) -> bool {
        matches!(self, Book::Xlsx(book) if book.has_1904_epoch())
    }

    /// Calls `each` for every cell of sheet `name` that holds a value or a formula, row by row (and within a row,
    /// column by column) from the top.
    fn cells(&mut self, name: &str, each: &mut dyn FnMut(SheetCell)) -> std::result::Result<(), String> {
        let why = |e: &dyn std::fmt::Display| e.to_string();
        match self {
            Book::Xlsx(book) => {
                let mut reader = book.worksheet_cells_reader(name).map_err(|e| why(&e))?;
                while let Some(cell) = reader.next_cell_with_formula().map_err(|e| why(&e))? {
                    let (row, column) = cell.pos;
                    let value = Data::from(cell.value);
                    let formula = cell.formula.filter(|f| !f.is_empty());
                    if value != Data::Empty || formula.is_some() {
                        each(SheetCell { row, column, value, formula });
                    }
                }
                Ok(())
            }
            Book::Xlsb(book) => grid(book.worksheet_range(name), book.worksheet_formula(name), each),
            Book::Xls(book) => grid(book.worksheet_range(name), book.worksheet_formula(name), each),
            Book::Ods(book) => grid(book.worksheet_range(name), book.worksheet_formula(name), each),
        }
    }
}

/// The cells of a sheet read as a grid of values and a grid of formulas, merged in row order.
fn grid<E: std::fmt::Display>(
    values: std::result::Result<calamine::Range<Data>, E>,
    formulas: std::result::Result<calamine::Range<String>, E>,
    each: &mut dyn FnMut(SheetCell),
) -> std::result::Result<(), String> {
    let values = values.map_err(|e| e.to_string())?;
    let formulas = formulas.map_err(|e| e.to_string())?;
    let absolute = |start: Option<(u32, u32)>, (r, c): (usize, usize)| {
        let (top, left) = start.unwrap_or_default();
        (top + r as u32, left + c as u32)
    };
    // Both grids are walked row by row; a formula joins the value at its position, or stands alone (a formula whose
    // result was never stored).
    let mut formulas = formulas
        .used_cells()
        .filter(|(_, _, f)| !f.is_empty())
        .map(|(r, c, f)| (absolute(formulas.start(), (r, c)), f.clone()))
        .peekable();
    for (r, c, value) in values.used_cells() {
        let at = absolute(values.start(), (r, c));
        while let Some(((row, column), formula)) = formulas.next_if(|(place, _)| *place < at) {
            each(SheetCell { row, column, value: Data::Empty, formula: Some(formula) });
        }
        let formula = formulas.next_if(|(place, _)| *place == at).map(|(_, f)| f);
        each(SheetCell { row: at.0, column: at.1, value: value.clone(), formula });
    }
    for ((row, column), formula) in formulas {
        each(SheetCell { row, column, value: Data::Empty, formula: Some(formula) });
    }
    Ok(())
}
