//! Parsers for single CSV cells. Each returns the value or a message that says what was expected; the caller
//! attaches the location. User text is echoed through [`shown`]: `{:?}`-escaped, so control characters cannot reach
//! a terminal, and cut short, so a huge cell cannot flood it.

use std::fmt;

use crate::model::{Currency, Date, MAX_AMOUNT_USD, MAX_RATE_DECIMALS, MAX_RATE_WHOLE, Usd, UsdPerUnit};

/// How many characters of a cell an error message quotes; the rest is summarised by its length, so that one huge
/// cell (or a hundred of them) cannot turn the error list into megabytes of output.
pub const SHOWN_CHARS: usize = 60;

/// A cell's text as error messages quote it: `{:?}`-escaped (so control characters cannot reach a terminal) and
/// cut after [`SHOWN_CHARS`] characters, with the full length said.
pub fn shown(text: &str) -> Shown<'_> {
    Shown(text)
}

/// See [`shown`].
#[derive(Clone, Copy)]
pub struct Shown<'a>(&'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.char_indices().nth(SHOWN_CHARS) {
            None => write!(f, "{:?}", self.0),
            Some((cut, _)) => {
                write!(f, "{:?}... ({} bytes in all)", &self.0[..cut], self.0.len())
            }
        }
    }
}

/// Whole US dollars: ASCII digits only, greater than zero, at most [`MAX_AMOUNT_USD`].
pub fn usd(text: &str) -> Result<Usd, String> {
    let expected =
        || format!("expected whole US dollars (digits only, no separators or decimals), found {}", shown(text));
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        if let Some(rest) = text.strip_prefix('-')
            && !rest.is_empty()
            && rest.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(format!("must be greater than zero, found {}", shown(text)));
        }
        return Err(expected());
    }
    let significant = text.trim_start_matches('0');
    if significant.is_empty() {
        return Err(format!("must be greater than zero, found {}", shown(text)));
    }
    match significant.parse::<i64>() {
        Ok(v) if v <= MAX_AMOUNT_USD => Ok(Usd(v)),
        _ => Err(format!("amount {} exceeds the largest supported amount, {MAX_AMOUNT_USD}", shown(text))),
    }
}

/// Whole units of a currency other than the dollar, as an amount column holds them in a row whose `currency` is
/// not USD: digits only, above zero. The bound is the converted amount's ([`MAX_AMOUNT_USD`], checked after
/// conversion), so this one only keeps the number exact.
pub fn units(text: &str, currency: Currency) -> Result<u64, String> {
    let positive = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    if !positive {
        if text.strip_prefix('-').is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())) {
            return Err(format!("must be greater than zero, found {}", shown(text)));
        }
        return Err(format!(
            "expected whole {currency} (digits only, no separators or decimals; the row's currency is {currency}), \
             found {}",
            shown(text)
        ));
    }
    match text.trim_start_matches('0') {
        "" => Err(format!("must be greater than zero, found {}", shown(text))),
        digits => digits.parse::<u64>().map_err(|_| format!("amount {} is too large to hold exactly", shown(text))),
    }
}

/// An ISO 4217 currency code, in any letter case; a blank cell is USD (the caller's default). A slip gets the code
/// it most likely stands for: a name or symbol (`euro`, `¥`... when unambiguous) or the closest code (`EUE`).
pub fn currency(text: &str) -> Result<Currency, String> {
    let upper = text.to_uppercase();
    if let Some(currency) = Currency::from_code(&upper) {
        return Ok(currency);
    }
    let message = format!("expected an ISO 4217 currency code such as EUR or JPY, found {}", shown(text));
    let meant = Currency::named(&upper)
        .map(|c| c.to_string())
        .or_else(|| super::suggest::closest(&upper, Currency::codes().iter().copied()).map(str::to_string));
    Err(match meant {
        Some(code) => format!("{message} (did you mean {code}?)"),
        None => message,
    })
}

/// Dollars per unit of a currency, exactly: a positive decimal, digits with at most one `.` and at most
/// [`MAX_RATE_DECIMALS`] digits after it, never read through a float.
pub fn usd_per_unit(text: &str) -> Result<UsdPerUnit, String> {
    let expected = || format!("expected a positive decimal number such as 1.0842, found {}", shown(text));
    if text.starts_with('-') && text.len() > 1 {
        return Err(format!("must be greater than zero, found {}", shown(text)));
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || (text.contains('.') && fraction.is_empty()) {
        let pointed = text.replacen(',', ".", 1);
        if text.matches(',').count() == 1 && !text.contains('.') && usd_per_unit(&pointed).is_ok() {
            return Err(format!("{} (write the decimal mark as a point: {pointed})", expected()));
        }
        return Err(expected());
    }
    if fraction.len() > MAX_RATE_DECIMALS as usize {
        return Err(format!(
            "has {} decimals; at most {MAX_RATE_DECIMALS} are kept exactly (round it to {MAX_RATE_DECIMALS}), found {}",
            fraction.len(),
            shown(text)
        ));
    }
    let scale = fraction.len() as u32;
    let whole_value = match whole.trim_start_matches('0') {
        "" => Some(0),
        w => w.parse::<u64>().ok().filter(|&w| w <= MAX_RATE_WHOLE),
    };
    let Some(whole_value) = whole_value else {
        return Err(format!("is more than {MAX_RATE_WHOLE} dollars per unit, found {}", shown(text)));
    };
    // At most 10^6 · 10^12 + (10^12 − 1): well inside u64.
    let fraction_value: u64 = if fraction.is_empty() { 0 } else { fraction.parse().unwrap_or(0) };
    let mantissa = whole_value * 10u64.pow(scale) + fraction_value;
    UsdPerUnit::from_parts(mantissa, scale).ok_or_else(|| {
        if mantissa == 0 {
            format!("must be greater than zero, found {}", shown(text))
        } else {
            format!("is more than {MAX_RATE_WHOLE} dollars per unit, found {}", shown(text))
        }
    })
}

/// A whole number within `lo..=hi`.
pub fn int_in_range(text: &str, lo: i64, hi: i64) -> Result<i64, String> {
    // Digits only: `str::parse` would also take a sign.
    let value =
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) { text.parse::<i64>().ok() } else { None };
    match value {
        Some(v) if (lo..=hi).contains(&v) => Ok(v),
        _ => Err(format!("expected a whole number from {lo} to {hi}, found {}", shown(text))),
    }
}

/// `true` or `false`, and the spellings spreadsheets and people use for them: `yes`/`no` and `1`/`0`, each in any
/// letter case (Excel writes `TRUE`/`FALSE`). data/README.md documents exactly this list; `y`, `n`, `on`, `off` are
/// refused, since one letter is too easily a slip.
pub fn boolean(text: &str) -> Result<bool, String> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Ok(true),
        "false" | "no" | "0" => Ok(false),
        _ => Err(format!("expected true or false (also yes/no or 1/0, in any letter case), found {}", shown(text))),
    }
}

/// A `YYYY-MM-DD` date.
pub fn date(text: &str) -> Result<Date, String> {
    Date::parse(text).map_err(|why| format!("{why}, found {}", shown(text)))
}

/// The non-blank items of a `;`-list, trimmed.
pub fn list(text: &str) -> impl Iterator<Item = &str> {
    text.split(';').map(str::trim).filter(|s| !s.is_empty())
}

/// One value of a closed vocabulary.
pub fn enum_value<T>(text: &str, parse: fn(&str) -> Option<T>, expected: fn() -> String) -> Result<T, String> {
    parse(text).ok_or_else(|| format!("expected one of {}, found {}", expected(), shown(text)))
}

/// An identifier: printable, no leading or trailing spaces, at most 100 characters.
pub fn identifier(text: &str) -> Result<&str, String> {
    if text.chars().count() > 100 {
        return Err("an id may have at most 100 characters".to_string());
    }
    if text.chars().any(char::is_control) {
        return Err(format!("an id may not contain control characters, found {}", shown(text)));
    }
    Ok(text)
}

/// A code of an organisation (regional organisation, fund): upper-case letters, digits and `_`, starting with a
/// letter, at most 40 characters.
pub fn org_code(text: &str) -> Result<&str, String> {
    let ok = text.len() <= 40
        && text.starts_with(|c: char| c.is_ascii_uppercase())
        && text.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(text)
    } else {
        Err(format!(
            "expected an organisation code (upper-case letters, digits and '_', starting with a letter), found {}",
            shown(text)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dollars() {
        assert_eq!(usd("150000"), Ok(Usd(150_000)));
        assert_eq!(usd("007"), Ok(Usd(7)));
        for bad in ["", "12,5", "12.5", "1e5", " 5", "+5", "$5", "5 000"] {
            assert!(usd(bad).unwrap_err().contains("whole US dollars"), "{bad}");
        }
        assert!(usd("0").unwrap_err().contains("greater than zero"));
        assert!(usd("-5").unwrap_err().contains("greater than zero"));
        assert!(usd("1000000000001").unwrap_err().contains("largest"));
        assert!(usd("99999999999999999999999").unwrap_err().contains("largest"));
        assert_eq!(usd("1000000000000"), Ok(Usd(MAX_AMOUNT_USD)));
    }

    #[test]
    fn parses_currencies_with_a_suggestion() {
        assert_eq!(currency("eur").map(|c| c.to_string()), Ok("EUR".to_string()));
        assert_eq!(currency("JPY").map(|c| c.to_string()), Ok("JPY".to_string()));
        assert!(currency("EURO").unwrap_err().ends_with("found \"EURO\" (did you mean EUR?)"));
        assert!(currency("yen").unwrap_err().ends_with("(did you mean JPY?)"));
        assert!(currency("€").unwrap_err().ends_with("(did you mean EUR?)"));
        assert!(currency("JYP").unwrap_err().contains("did you mean"));
        let far = currency("bitcoin").unwrap_err();
        assert!(far.contains("ISO 4217") && !far.contains("did you mean"), "{far}");
    }

    #[test]
    fn parses_rates_exactly() {
        let rate = |t: &str| usd_per_unit(t).unwrap_or_else(|e| panic!("{t}: {e}"));
        assert_eq!(rate("1.0842"), UsdPerUnit::from_parts(10842, 4).unwrap());
        assert_eq!(rate("0.0067"), UsdPerUnit::from_parts(67, 4).unwrap());
        assert_eq!(rate("007.50").to_string(), "7.50");
        assert_eq!(rate("0.000000000001").to_string(), "0.000000000001");
        assert_eq!(rate("1000000").to_string(), "1000000");
        let error = |t: &str| usd_per_unit(t).unwrap_err();
        for zero in ["0", "0.000", "-1.2"] {
            assert!(error(zero).starts_with("must be greater than zero"), "{zero}");
        }
        for text in ["", "-", "abc", "1.2.3", "1e3", ".5", "5.", "+1", " 1", "1,084.2", "NaN", "inf"] {
            assert!(error(text).starts_with("expected a positive decimal"), "{text:?}: {}", error(text));
        }
        assert!(error("1,0842").ends_with("(write the decimal mark as a point: 1.0842)"));
        assert!(error("0.0000000000001").starts_with("has 13 decimals; at most 12"));
        assert!(error("1000000.5").contains("more than 1000000 dollars per unit"));
        assert!(error("99999999999999999999999").contains("more than"));
    }

    #[test]
    fn parses_units_of_a_currency() {
        let eur = currency("EUR").unwrap();
        assert_eq!(units("0150", eur), Ok(150));
        assert_eq!(units("18446744073709551615", eur), Ok(u64::MAX));
        assert!(units("12.5", eur).unwrap_err().contains("whole EUR"));
        assert!(units("0", eur).unwrap_err().contains("greater than zero"));
        assert!(units("-3", eur).unwrap_err().contains("greater than zero"));
        assert!(units("18446744073709551616", eur).unwrap_err().contains("too large"));
    }

    #[test]
    fn parses_ranges_and_booleans() {
        assert_eq!(int_in_range("3", 1, 3), Ok(3));
        assert_eq!(int_in_range("0", 0, 3), Ok(0));
        assert!(int_in_range("4", 1, 3).is_err());
        assert!(int_in_range("-1", 1, 3).is_err());
        assert!(int_in_range("99999999999999999999", 1, 3).is_err());
        assert_eq!(boolean("TRUE"), Ok(true));
        assert!(boolean("maybe").is_err());
    }

    #[test]
    fn quotes_long_cells_cut_short() {
        assert_eq!(shown("a\0b").to_string(), r#""a\0b""#);
        let long = "é".repeat(1000);
        let text = shown(&long).to_string();
        assert_eq!(text, format!("{:?}... (2000 bytes in all)", "é".repeat(SHOWN_CHARS)));
        assert!(usd(&"9".repeat(10_000)).unwrap_err().len() < 200);
    }

    #[test]
    fn splits_lists() {
        assert_eq!(list(" a ; b;;c ").collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(list("").count(), 0);
    }
}
