//! What reading a workbook's sheet costs, part by part, for BENCHMARKS.md ("Workbook inputs"): opening the archive
//! (and its shared strings), walking the sheet's cells with and without their formulas, and the whole read of
//! needs that `validate` does. Each is the best of a few runs, so other work on the machine counts less.
//!
//! ```text
//! cargo run --release --example xlsx_read_cost -- /tmp/xb/needs.xlsx
//! ```

use std::io::Cursor;
use std::time::{Duration, Instant};

use calamine::{Reader, Xlsx};
use poa_match::catalog::Reference;
use poa_match::io::{ReadOptions, read_needs};

const RUNS: usize = 3;

/// The shortest of `RUNS` timings of `work`, and what its last run returned.
fn best<T>(mut work: impl FnMut() -> T) -> (Duration, T) {
    let mut fastest = Duration::MAX;
    let mut last = None;
    for _ in 0..RUNS {
        let started = Instant::now();
        last = Some(work());
        fastest = fastest.min(started.elapsed());
    }
    (fastest, last.expect("at least one run"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: xlsx_read_cost NEEDS.xlsx")?;
    let bytes = std::fs::read(&path)?;
    let sheet = {
        let book: Xlsx<_> = Xlsx::new(Cursor::new(&bytes[..]))?;
        book.sheet_names().first().cloned().ok_or("the workbook has no sheet")?
    };
    let (open, _) = best(|| Xlsx::new(Cursor::new(&bytes[..])).map(|_| ()));
    let (values, cells) = best(|| -> Result<usize, calamine::XlsxError> {
        let mut book = Xlsx::new(Cursor::new(&bytes[..]))?;
        let mut reader = book.worksheet_cells_reader(&sheet)?;
        let mut n = 0;
        while reader.next_cell()?.is_some() {
            n += 1;
        }
        Ok(n)
    });
    let (with_formulas, _) = best(|| -> Result<usize, calamine::XlsxError> {
        let mut book = Xlsx::new(Cursor::new(&bytes[..]))?;
        let mut reader = book.worksheet_cells_reader(&sheet)?;
        let mut n = 0;
        while let Some(cell) = reader.next_cell_with_formula()? {
            n += usize::from(cell.formula.is_none());
        }
        Ok(n)
    });
    let (formulas_alone, _) = best(|| -> Result<usize, calamine::XlsxError> {
        let mut book = Xlsx::new(Cursor::new(&bytes[..]))?;
        Ok(book.worksheet_formula(&sheet)?.get_size().0)
    });
    let reference = Reference::embedded();
    let (needs, read) = best(|| read_needs(&path, &bytes[..], reference, ReadOptions::default()));
    let cells = cells?;
    println!("{path}: {} bytes, sheet {sheet:?}, {cells} cells, {} needs", bytes.len(), read?.len());
    let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1e3);
    println!("open the archive and its shared strings: {}", ms(open));
    println!("open, then every cell's value:           {}", ms(values));
    println!("open, then every cell's value and formula: {}", ms(with_formulas));
    println!("open, then the formulas alone (a second pass): {}", ms(formulas_alone));
    println!("read_needs (all of it, checks included):  {}", ms(needs));
    Ok(())
}
