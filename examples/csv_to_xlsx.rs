//! Writes a CSV table as a one-sheet workbook, cells typed as a spreadsheet user's would be (whole numbers as
//! numbers, `YYYY-MM-DD` as date cells, `true`/`false` as booleans, the rest as text): the xlsx side of the reading
//! benchmark in BENCHMARKS.md ("Workbook inputs"), and a way to try workbook inputs on any batch.
//!
//! ```text
//! cargo run --release --example csv_to_xlsx -- /tmp/gen100k/needs.csv /tmp/gen100k/needs.xlsx [SHEET]
//! ```
//!
//! Text goes into the shared-strings table, as Excel writes it. The typing rules are those of the tests' workbooks
//! (`tests/common/workbook.rs`, included here).

#[path = "../tests/common/workbook.rs"]
mod workbook;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: csv_to_xlsx IN.csv OUT.xlsx [SHEET]";
    let (input, output) = (args.next().ok_or(usage)?, args.next().ok_or(usage)?);
    let sheet_name = args.next().unwrap_or_else(|| "needs".to_string());
    let text = std::fs::read_to_string(&input)?;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(&sheet_name)?;
    workbook::fill_sheet(sheet, &text, (0, 0));
    book.save(&output)?;
    println!("{input} -> {output} (sheet {sheet_name:?}, {} rows)", text.lines().count());
    Ok(())
}
