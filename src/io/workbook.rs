//! Output tables as one Excel workbook (`--format xlsx`, docs/spec.md §6): a sheet per [`Table`], in the order
//! the tables are given, named after the table's file stem. The header row is bold and frozen, each column is as
//! wide as its content (capped), amounts carry a thousands separator, ratios a percent format and means two
//! decimals. The numbers stored are those the CSV shows, so a reader of either sees the same figures.
//!
//! The workbook's bytes depend on the tables alone: the document's creation time is fixed ([`properties`]) and
//! the zip entries carry the writer's fixed 1980-01-01 stamp, so the same inputs give the same file.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

use super::table::{Cell, Table, fixed2, fixed4};

/// The widest a column is set, in characters, so that one long reason does not push the rest off screen.
const MAX_WIDTH: usize = 60;
/// The narrowest a column is set, in characters.
const MIN_WIDTH: usize = 6;
/// Excel stores numbers as IEEE doubles: past 2^53 not every integer has one, so such a figure is written as
/// text rather than silently rounded.
const LARGEST_EXACT: i128 = 1 << 53;

/// The rows of a sheet, the header's included.
const SHEET_ROWS: usize = 1_048_576;
/// The most characters a cell holds.
const CELL_CHARS: usize = 32_767;

/// Number formats of the output sheets.
const MONEY: &str = "#,##0";
const MONEY_MEAN: &str = "#,##0.00";
const PERCENT: &str = "0.00%";
const MEAN: &str = "0.00";

/// Document properties with a fixed creation time. The writer stamps "now" by default, which would make two
/// runs on the same inputs differ; the day the Programme of Action was adopted stands in for it.
pub fn properties() -> Result<DocProperties, XlsxError> {
    let adopted = ExcelDateTime::from_ymd(2001, 7, 20)?;
    Ok(DocProperties::new().set_creation_datetime(&adopted))
}

/// The bold format of a header row.
pub fn header_format() -> Format {
    Format::new().set_bold()
}

/// The width in characters of a column holding `texts` (East Asian characters count twice), within bounds.
pub fn column_width<'a>(texts: impl IntoIterator<Item = &'a str>) -> f64 {
    width_of(texts.into_iter().map(UnicodeWidthStr::width).max().unwrap_or(0))
}

/// The width of a column whose widest cell shows `widest` characters, within bounds.
fn width_of(widest: usize) -> f64 {
    // A little room for the drop-down arrow and the cell's margins.
    (widest + 2).clamp(MIN_WIDTH, MAX_WIDTH) as f64
}

/// Whether a column holds US dollars, by the naming rule of every output table (`*_usd`).
fn is_money(column: &str) -> bool {
    column.ends_with("_usd")
}

/// The cell formats of one column.
struct ColumnFormats {
    int: Format,
    ratio: Format,
    mean: Format,
}

impl ColumnFormats {
    fn of(column: &str) -> ColumnFormats {
        let money = is_money(column);
        ColumnFormats {
            int: if money { Format::new().set_num_format(MONEY) } else { Format::new() },
            ratio: Format::new().set_num_format(PERCENT),
            mean: Format::new().set_num_format(if money { MONEY_MEAN } else { MEAN }),
        }
    }
}

/// How many characters a cell shows, for the column widths: a figure with the separators or percent sign its
/// format adds (`money`: the column carries thousands separators).
fn shown_width(cell: &Cell, money: bool) -> usize {
    let separators = |integer_digits: usize| if money { integer_digits.saturating_sub(1) / 3 } else { 0 };
    match cell {
        Cell::Text(s) => UnicodeWidthStr::width(s.as_str()),
        Cell::Int(v) => v.to_string().len() + separators(v.unsigned_abs().to_string().len()),
        // 0.1234 shows as 12.34%.
        Cell::Ratio(r) => fixed2(r * 100.0).len() + 1,
        Cell::Mean(m) => {
            let text = fixed2(*m);
            let integer_digits = text.trim_start_matches('-').split('.').next().map_or(0, str::len);
            text.len() + separators(integer_digits)
        }
    }
}

/// Writes one cell; text always as a string, so nothing is ever read as a formula.
fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    formats: &ColumnFormats,
) -> Result<(), XlsxError> {
    // A figure the fixed format cannot parse back (not finite) is written as the text the CSV shows.
    let number = |fixed: String, format: &Format, sheet: &mut Worksheet| match fixed.parse::<f64>() {
        Ok(x) if x.is_finite() => sheet.write_number_with_format(row, col, x, format).map(|_| ()),
        _ => sheet.write_string(row, col, fixed).map(|_| ()),
    };
    match cell {
        Cell::Text(s) => sheet.write_string(row, col, s).map(|_| ()),
        Cell::Int(v) if v.abs() <= LARGEST_EXACT => {
            sheet.write_number_with_format(row, col, *v as f64, &formats.int).map(|_| ())
        }
        Cell::Int(v) => sheet.write_string(row, col, v.to_string()).map(|_| ()),
        Cell::Ratio(r) => number(fixed4(*r), &formats.ratio, sheet),
        Cell::Mean(m) => number(fixed2(*m), &formats.mean, sheet),
    }
}

/// Adds `table` as a sheet of `workbook`.
fn add_sheet(workbook: &mut Workbook, table: &Table) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(table.name)?;
    let bold = header_format();
    for (col, name) in table.header.iter().enumerate() {
        let col = sheet_column(col)?;
        sheet.write_string_with_format(0, col, *name, &bold)?;
        let formats = ColumnFormats::of(name);
        let mut widest = UnicodeWidthStr::width(*name);
        for (i, row) in table.rows.iter().enumerate() {
            let Some(cell) = row.get(usize::from(col)) else { continue };
            write_cell(sheet, sheet_row(i + 1)?, col, cell, &formats)?;
            widest = widest.max(shown_width(cell, is_money(name)));
        }
        sheet.set_column_width(col, width_of(widest))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// A sheet row index, or the writer's own error past Excel's last row.
pub fn sheet_row(index: usize) -> Result<u32, XlsxError> {
    u32::try_from(index).map_err(|_| XlsxError::RowColumnLimitError)
}

/// A sheet column index, or the writer's own error past Excel's last column.
pub fn sheet_column(index: usize) -> Result<u16, XlsxError> {
    u16::try_from(index).map_err(|_| XlsxError::RowColumnLimitError)
}

/// The workbook of `tables`, as bytes; an error that says what does not fit when a table is larger than a sheet
/// or a text longer than a cell.
pub fn render_workbook(tables: &[Table]) -> std::io::Result<Vec<u8>> {
    tables.iter().try_for_each(fits)?;
    build(tables).map_err(io_error)
}

/// Checks that `table` fits Excel's limits, which the writer would otherwise refuse in its own words.
fn fits(table: &Table) -> std::io::Result<()> {
    let too_big = |what: String| {
        std::io::Error::other(format!(
            "the sheet {} cannot be written: {what} (hint: write the tables with --format csv)",
            table.name
        ))
    };
    if table.rows.len() >= SHEET_ROWS {
        return Err(too_big(format!("{} rows, more than a sheet's {SHEET_ROWS} with its header", table.rows.len())));
    }
    for (r, row) in table.rows.iter().enumerate() {
        for (cell, column) in row.iter().zip(&table.header) {
            if let Cell::Text(text) = cell
                && text.chars().count() > CELL_CHARS
            {
                let count = text.chars().count();
                return Err(too_big(format!(
                    "row {} of column {column} holds {count} characters, more than a cell's {CELL_CHARS}",
                    r + 2
                )));
            }
        }
    }
    Ok(())
}

fn build(tables: &[Table]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties()?);
    for table in tables {
        add_sheet(&mut workbook, table)?;
    }
    workbook.save_to_buffer()
}

/// The writer's error as an I/O error, for the staging of [`super::atomic`].
pub fn io_error(e: XlsxError) -> std::io::Error {
    std::io::Error::other(format!("could not build the workbook: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_content_within_bounds() {
        assert_eq!(column_width(["id"]), MIN_WIDTH as f64);
        assert_eq!(column_width(["requested_usd", "12"]), 15.0);
        assert_eq!(column_width(["肯尼亚"]), 8.0);
        assert_eq!(column_width([&"x".repeat(500) as &str]), MAX_WIDTH as f64);
    }

    #[test]
    fn shown_figures_count_their_separators() {
        assert_eq!(shown_width(&Cell::Int(1_234_567), true), "1,234,567".len());
        assert_eq!(shown_width(&Cell::Int(1_234_567), false), "1234567".len());
        assert_eq!(shown_width(&Cell::Int(-999), true), "-999".len());
        assert_eq!(shown_width(&Cell::Ratio(0.5186), false), "51.86%".len());
        assert_eq!(shown_width(&Cell::Mean(-12345.5), true), "-12,345.50".len());
        assert_eq!(shown_width(&Cell::Text("肯尼亚".into()), false), 6);
    }

    #[test]
    fn cells_read_back_as_written() {
        use calamine::{Data, Reader, Xlsx};
        let table = Table {
            name: "summary",
            header: vec!["key", "requested_usd", "coverage", "allocated_mean_usd", "blank"],
            rows: vec![vec![
                Cell::Text("=SUM(A1)".into()),
                Cell::Int((1 << 53) + 1),
                Cell::Ratio(0.123_456),
                Cell::Mean(f64::NAN),
                Cell::Text(String::new()),
            ]],
        };
        let bytes = render_workbook(&[table]).unwrap();
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("summary").unwrap();
        let row: Vec<Data> = range.rows().nth(1).unwrap().to_vec();
        assert_eq!(row[0], Data::String("=SUM(A1)".into()));
        // A double cannot hold 2^53 + 1: it is kept as text, digit for digit.
        assert_eq!(row[1], Data::String("9007199254740993".into()));
        assert_eq!(row[2], Data::Float(0.1235), "the four decimals the CSV shows");
        assert_eq!(row[3], Data::String("NaN".into()));
        assert!(matches!(row.get(4), None | Some(Data::Empty | Data::String(_))), "{row:?}");
    }

    #[test]
    fn a_text_longer_than_a_cell_is_refused_with_its_place() {
        let table = Table {
            name: "scenarios",
            header: vec!["scenario", "draws"],
            rows: vec![
                vec![Cell::Text("x\u{1}".into()), Cell::Int(1)],
                vec![Cell::Text("w".repeat(40_000)), Cell::Int(2)],
            ],
        };
        let err = render_workbook(&[table]).unwrap_err().to_string();
        assert!(err.contains("sheet scenarios") && err.contains("row 3 of column scenario holds 40000"), "{err}");
        assert!(err.contains("--format csv"), "{err}");
    }

    #[test]
    fn the_same_tables_give_the_same_bytes() {
        let table = || Table {
            name: "summary",
            header: vec!["key", "requested_usd", "coverage"],
            rows: vec![vec![Cell::Text("=SUM(A1)".into()), Cell::Int(1 << 60), Cell::Ratio(0.5)]],
        };
        let first = render_workbook(&[table()]).unwrap();
        assert_eq!(first, render_workbook(&[table()]).unwrap());
    }
}
