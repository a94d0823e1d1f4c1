//! A workbook's cell as the text the cell parsers ([`super::fields`]) read, so that a table reads the same from a
//! sheet as from CSV: numbers as digits, dates as `YYYY-MM-DD`, booleans as `true`/`false`. What has no such text
//! (an error value, a time of day, a duration) is an error that names it.

use calamine::{Data, ExcelDateTime, ExcelDateTimeType};

use super::ColumnKind;

/// Numbers are exact integers in an `f64` up to 2^53; amounts stop far below.
const EXACT_INTEGER: f64 = 9_007_199_254_740_992.0;

/// The first serial past Excel's last day, 9999-12-31.
const PAST_LAST_SERIAL: f64 = 2_958_466.0;

/// Years a plain number in a date column may give: a year typed alone (`2013`, serial day 2013 of 1905) or a
/// `yyyymmdd` number would otherwise turn into a date nobody meant. The dates of this tool's tables (pledges,
/// windows, statuses) all fall well inside.
const SERIAL_YEARS: std::ops::RangeInclusive<u16> = 1990..=2200;

/// The text of `value` in a column of `kind`; `is_1904` says which day a plain number counts from in a date column
/// (the workbook's date system).
pub(super) fn text(value: Data, kind: ColumnKind, is_1904: bool) -> Result<String, String> {
    match value {
        Data::Empty => Ok(String::new()),
        Data::String(text) => Ok(text),
        Data::Bool(b) => Ok(b.to_string()),
        Data::Int(n) if kind == ColumnKind::Date => serial_date(n as f64, is_1904),
        Data::Int(n) => Ok(n.to_string()),
        Data::Float(x) if kind == ColumnKind::Date => serial_date(x, is_1904),
        Data::Float(x) => Ok(number(x)),
        Data::DateTime(when) if when.is_duration() => {
            Err(format!("holds a duration ({}), not a value this table takes", number(when.as_f64())))
        }
        Data::DateTime(when) => date(when),
        Data::DateTimeIso(iso) => iso_date(&iso),
        Data::DurationIso(iso) => Err(format!("holds a duration ({iso:?}), not a value this table takes")),
        Data::Error(error) => Err(format!(
            "holds the error value {error}, not a value (hint: correct the cell or clear it; a formula that fails \
             gives such a value)"
        )),
    }
}

/// A number as digits: a whole number without a decimal point (`1000000.0` is `1000000`), any other in the
/// shortest form that reads back as the same number (`1234.5`), which the parsers then refuse where they want a
/// whole number.
fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < EXACT_INTEGER { format!("{}", x as i64) } else { format!("{x}") }
}

/// A plain number in a date column, read as an Excel date serial.
fn serial_date(serial: f64, is_1904: bool) -> Result<String, String> {
    let refused = || {
        format!(
            "the number {} is not a date (hint: type the date as YYYY-MM-DD or format the cell as a date; a plain \
             number is read as an Excel date serial only for a day from {} to {})",
            number(serial),
            SERIAL_YEARS.start(),
            SERIAL_YEARS.end()
        )
    };
    if !(1.0..PAST_LAST_SERIAL).contains(&serial) {
        return Err(refused());
    }
    let when = ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, is_1904);
    if !SERIAL_YEARS.contains(&when.to_ymd_hms_milli().0) {
        return Err(refused());
    }
    date(when)
}

/// A date cell as `YYYY-MM-DD`; a time of day other than midnight is refused, since the tables hold whole days and
/// dropping the time could move a deadline.
fn date(when: ExcelDateTime) -> Result<String, String> {
    let (year, month, day, hour, minute, second, milli) = when.to_ymd_hms_milli();
    let day_text = format!("{year:04}-{month:02}-{day:02}");
    if (hour, minute, second, milli) != (0, 0, 0, 0) {
        return Err(with_time(&format!("{day_text} {hour:02}:{minute:02}:{second:02}")));
    }
    Ok(day_text)
}

/// An ISO 8601 date cell (as OpenDocument stores them): its date part, when any time part is midnight.
fn iso_date(iso: &str) -> Result<String, String> {
    let (day, time) = iso.split_once('T').unwrap_or((iso, ""));
    let midnight = time.trim_end_matches('Z').chars().all(|c| matches!(c, '0' | ':' | '.'));
    if !midnight {
        return Err(with_time(&format!("{iso:?}")));
    }
    Ok(day.to_string())
}

/// The error of a date cell that holds a time of day, shown as `shown`.
fn with_time(shown: &str) -> String {
    format!("holds a date with a time of day ({shown}); the tables take whole days (hint: give the date alone)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::CellErrorType;

    fn read(value: Data, kind: ColumnKind) -> Result<String, String> {
        text(value, kind, false)
    }

    fn excel_date(serial: f64) -> Data {
        Data::DateTime(ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, false))
    }

    #[test]
    fn numbers_read_as_digits() {
        assert_eq!(read(Data::Float(1_000_000.0), ColumnKind::Text).unwrap(), "1000000");
        assert_eq!(read(Data::Float(-0.0), ColumnKind::Text).unwrap(), "0");
        assert_eq!(read(Data::Float(1234.5), ColumnKind::Text).unwrap(), "1234.5");
        assert_eq!(read(Data::Int(42), ColumnKind::Text).unwrap(), "42");
        assert_eq!(read(Data::Float(1e16), ColumnKind::Text).unwrap(), "10000000000000000");
        assert_eq!(read(Data::Bool(true), ColumnKind::Text).unwrap(), "true");
        assert_eq!(read(Data::String(" KEN ".into()), ColumnKind::Text).unwrap(), " KEN ");
    }

    #[test]
    fn dates_read_as_iso_days() {
        // 41458 is 2013-07-03 in Excel's 1900 date system, 1462 days later in the 1904 one.
        assert_eq!(read(excel_date(41458.0), ColumnKind::Text).unwrap(), "2013-07-03");
        assert_eq!(read(Data::Float(41458.0), ColumnKind::Date).unwrap(), "2013-07-03");
        assert_eq!(read(Data::Int(41458), ColumnKind::Date).unwrap(), "2013-07-03");
        assert_eq!(text(Data::Int(41458), ColumnKind::Date, true).unwrap(), "2017-07-04");
        assert_eq!(read(Data::DateTimeIso("2013-07-03".into()), ColumnKind::Date).unwrap(), "2013-07-03");
        assert_eq!(read(Data::DateTimeIso("2013-07-03T00:00:00".into()), ColumnKind::Date).unwrap(), "2013-07-03");
        let noon = read(excel_date(41458.5), ColumnKind::Date).unwrap_err();
        assert!(noon.contains("2013-07-03 12:00:00"), "{noon}");
        assert!(read(Data::DateTimeIso("2013-07-03T09:30:00".into()), ColumnKind::Date).is_err());
        assert!(read(Data::Float(41458.25), ColumnKind::Date).unwrap_err().contains("time of day"));
    }

    #[test]
    fn numbers_that_are_no_plausible_date_are_refused() {
        for bad in [2013.0, 20_130_703.0, 0.0, -5.0, f64::NAN] {
            let why = read(Data::Float(bad), ColumnKind::Date).unwrap_err();
            assert!(why.contains("is not a date"), "{bad}: {why}");
        }
        // A year or a yyyymmdd number in a text column stays a number.
        assert_eq!(read(Data::Float(2013.0), ColumnKind::Text).unwrap(), "2013");
    }

    #[test]
    fn error_values_and_durations_are_named() {
        let na = read(Data::Error(CellErrorType::NA), ColumnKind::Text).unwrap_err();
        assert!(na.contains("#N/A"), "{na}");
        let div = read(Data::Error(CellErrorType::Div0), ColumnKind::Date).unwrap_err();
        assert!(div.contains("#DIV/0!"), "{div}");
        let duration = Data::DateTime(ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false));
        assert!(read(duration, ColumnKind::Text).unwrap_err().contains("duration"));
        assert!(read(Data::DurationIso("PT36H".into()), ColumnKind::Text).unwrap_err().contains("duration"));
    }
}
