//! The rates file of `--rates` (docs/spec.md §11.4), and the amounts of a row written in another currency than the
//! dollar, turned into dollars as the row is read.
//!
//! The file has the columns `currency, usd_per_unit, date, source`, one row per currency; it is read through the
//! same table reader as every input, so its errors have the same one-line form. Each amount of a row whose
//! `currency` is not USD is converted here and nowhere else, with `UsdPerUnit::to_usd` (rounded down), so the
//! model, the graph and the solver only ever see whole dollars.

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::cells::{Cells, req};
use super::hashing::HashingReader;
use super::provenance::InputInfo;
use crate::error::{Error, Result};
use crate::model::{Converted, Currency, MAX_AMOUNT_USD, Rate, Rates, Usd};
use crate::records::{ColumnSpec, ErrorSink, TableSpec, fields, read_table};

/// The columns of the rates file.
pub const RATE_COLUMNS: &[ColumnSpec] = &[req("currency"), req("usd_per_unit"), req("date"), req("source")];

/// A rates file as a run keeps it: the rates, and what run.json records of the file.
#[derive(Debug)]
pub struct RatesFile {
    /// The rates, one per currency.
    pub rates: Rates,
    /// The file's path, rows and SHA-256.
    pub info: InputInfo,
}

/// One rate a run used, as run.json records it: the exact decimal as text, so that the record says what the
/// conversion multiplied by, digit for digit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateUsed {
    /// ISO 4217 code.
    pub currency: String,
    /// US dollars per unit, exactly as the conversion used it.
    pub usd_per_unit: String,
    /// The day the rate is of.
    pub date: String,
    /// Where the rate comes from.
    pub source: String,
    /// Rows converted with it, in every file the run read (offers, ledger, a scenario's added offers).
    pub rows: u64,
}

/// The rates that converted at least one row, in the file's order.
pub fn rates_used(rates: &Rates) -> Vec<RateUsed> {
    rates
        .all()
        .iter()
        .filter(|r| r.rows_converted() > 0)
        .map(|r| RateUsed {
            currency: r.currency.to_string(),
            usd_per_unit: r.usd_per_unit.to_string(),
            date: r.date.map(|d| d.to_string()).unwrap_or_default(),
            source: r.source.clone(),
            rows: r.rows_converted(),
        })
        .collect()
}

/// Reads the rates file at `path`; its data errors are returned together.
pub fn read_rates_file(path: &Path, error_limit: usize) -> Result<RatesFile> {
    if path.is_dir() {
        return Err(Error::io(path, std::io::Error::other("is a directory, expected a CSV file")));
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hashing = HashingReader::new(std::io::BufReader::new(file));
    let label = path.display().to_string();
    let rates = read_rates(&label, &mut hashing, error_limit)?;
    let info = InputInfo { path: label, rows: rates.all().len(), sha256: hashing.hex_digest() };
    Ok(RatesFile { rates, info })
}

/// Reads rates from any reader; `label` names the source in messages.
pub fn read_rates(label: &str, input: impl Read, error_limit: usize) -> Result<Rates> {
    let spec = TableSpec { columns: RATE_COLUMNS, allow_extra_columns: false };
    let mut sink = ErrorSink::new(error_limit);
    let mut rates: Vec<Rate> = Vec::new();
    read_table(label, input, spec, &mut sink, |row, sink| {
        let errors_before = sink.count();
        let mut c = Cells { row, sink };
        let currency = c.required_with("currency", fields::currency);
        if let Some(first) = currency.and_then(|cur| rates.iter().find(|r| r.currency == cur)) {
            let currency = first.currency;
            c.error(
                "currency",
                format!(
                    "a second rate for {currency} (the first is on line {}; hint: keep one row per currency, the rate \
                     of the day the amounts are valued at)",
                    first.line
                ),
            );
        }
        let usd_per_unit = c.required_with("usd_per_unit", fields::usd_per_unit);
        let is_usd = currency == Some(Currency::USD);
        if let Some(rate) = usd_per_unit.filter(|r| is_usd && !r.is_one()) {
            c.error("usd_per_unit", format!("the rate of USD is 1 by definition, found {rate}"));
        }
        // A rate's date and source say which rate it is; the dollar's rate needs neither.
        let date = if is_usd { c.optional("date", fields::date) } else { c.required_with("date", fields::date) };
        let source = if is_usd { c.row.get("source") } else { c.required("source") };
        if c.sink.count() == errors_before
            && let (Some(currency), Some(usd_per_unit)) = (currency, usd_per_unit)
        {
            let source = source.unwrap_or("").to_string();
            rates.push(Rate::new(currency, usd_per_unit, date, source, row.line));
        }
    })?;
    sink.into_result()?;
    Ok(Rates::new(rates))
}

/// The currency of one row being read, with the rate its amounts convert at (none for USD).
pub(super) struct RowCurrency<'r> {
    currency: Currency,
    rate: Option<&'r Rate>,
}

impl<'r> RowCurrency<'r> {
    /// Reads the row's `currency` cell (blank or absent: USD) and finds its rate. An unknown code, or one the
    /// rates lack, is an error at that cell; `None` then, and the row's amounts are not read.
    pub(super) fn read(c: &mut Cells<'_, '_>, rates: &'r Rates) -> Option<RowCurrency<'r>> {
        let currency = match c.row.get("currency") {
            None => Currency::USD,
            Some(_) => c.optional("currency", fields::currency)?,
        };
        if currency == Currency::USD {
            return Some(RowCurrency { currency, rate: None });
        }
        match rates.get(currency) {
            Some(rate) => Some(RowCurrency { currency, rate: Some(rate) }),
            None => {
                let row = format!("\"{currency},<usd per {currency}>,<date>,<source>\"");
                let message = if rates.is_empty() {
                    format!(
                        "no rate for {currency}: amounts in {currency} need one (hint: give --rates FILE with a row {row})"
                    )
                } else {
                    format!("no rate for {currency} (hint: add a row {row} to the file given with --rates)")
                };
                c.error("currency", message);
                None
            }
        }
    }

    /// The amount in column `name` in whole dollars; `required`: a blank cell is an error. In another currency
    /// the cell holds whole units of it, converted here (rounded down).
    pub(super) fn amount(&self, c: &mut Cells<'_, '_>, name: &str, required: bool) -> Option<Usd> {
        let text = if required { c.required(name) } else { c.row.get(name) };
        let Some(rate) = self.rate else {
            return c.parse(name, text, fields::usd);
        };
        let currency = self.currency;
        let units = c.parse(name, text, |t| fields::units(t, currency))?;
        let per_unit = rate.usd_per_unit;
        match per_unit.to_usd(units) {
            Ok(usd) => Some(usd),
            Err(Converted::BelowOneDollar) => {
                c.error(
                    name,
                    format!(
                        "{units} {currency} is worth less than one US dollar at {per_unit} USD per {currency} \
                         (amounts convert to whole dollars, rounded down)"
                    ),
                );
                None
            }
            Err(Converted::TooLarge(usd)) => {
                c.error(
                    name,
                    format!(
                        "{units} {currency} is {usd} US dollars at {per_unit} USD per {currency}, more than the \
                         largest supported amount, {MAX_AMOUNT_USD}"
                    ),
                );
                None
            }
        }
    }

    /// Counts the row as converted, once it is accepted (a USD row converts nothing).
    pub(super) fn note_accepted(&self, rates: &Rates) {
        if let Some(rate) = self.rate {
            rates.note_converted(rate);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    const HEADER: &str = "currency,usd_per_unit,date,source\n";

    fn errors(rows: &str) -> Vec<String> {
        match read_rates("rates.csv", format!("{HEADER}{rows}").as_bytes(), 20).unwrap_err().kind() {
            ErrorKind::InvalidData { errors, .. } => errors.iter().map(ToString::to_string).collect(),
            other => panic!("not a data error: {other:?}"),
        }
    }

    #[test]
    fn reads_one_rate_per_currency_in_file_order() {
        let text = format!("{HEADER}jpy,0.0067,2013-01-02,BoJ\nEUR,1.0842,2013-01-02,ECB\nUSD,1.0,,\n");
        let rates = read_rates("rates.csv", text.as_bytes(), 20).unwrap();
        let read: Vec<(String, String, u64)> =
            rates.all().iter().map(|r| (r.currency.to_string(), r.usd_per_unit.to_string(), r.line)).collect();
        let expected = [("JPY", "0.0067", 2), ("EUR", "1.0842", 3), ("USD", "1.0", 4)];
        assert_eq!(read, expected.map(|(c, r, l)| (c.to_string(), r.to_string(), l)));
        assert!(rates_used(&rates).is_empty(), "nothing converted yet");
        let eur = rates.get(Currency::from_code("EUR").unwrap()).unwrap();
        rates.note_converted(eur);
        rates.note_converted(eur);
        let used = rates_used(&rates);
        assert_eq!((used.len(), used[0].currency.as_str(), used[0].rows), (1, "EUR", 2));
    }

    #[test]
    fn every_bad_row_is_one_error_at_its_cell() {
        assert_eq!(
            errors("EUR,1.1,2013-01-02,ECB\nGBP,1.6,2013-01-02,BoE\nEur,1.2,2013-02-01,ECB\n"),
            ["rates.csv:4:1: field 'currency': a second rate for EUR (the first is on line 2; hint: keep one row per \
              currency, the rate of the day the amounts are valued at)"]
        );
        assert_eq!(
            errors("EUR,1.1,,\n"),
            [
                "rates.csv:2:3: field 'date': is required but blank",
                "rates.csv:2:4: field 'source': is required but blank"
            ]
        );
        assert_eq!(
            errors("USD,2,,\n"),
            ["rates.csv:2:2: field 'usd_per_unit': the rate of USD is 1 by definition, found 2"]
        );
        assert_eq!(
            errors("EURO,1.1,2013-01-02,ECB\n"),
            ["rates.csv:2:1: field 'currency': expected an ISO 4217 currency code such as EUR or JPY, found \"EURO\" \
              (did you mean EUR?)"]
        );
    }
}
