//! The IATI values the import reads, typed: codes of the standard's code lists (version 2.0x), exact decimal
//! amounts and percentages, currencies and dates. Each parser returns the value or a message that says what was
//! expected; the reader attaches the line and the element.

use std::fmt;

use crate::model::Date;
use crate::records::fields::shown;

/// Lifecycle of an activity (IATI code list ActivityStatus).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityStatus {
    /// 1: being scoped or planned.
    Pipeline,
    /// 2: being carried out.
    Implementation,
    /// 3: physical work done or last payment made, open only for financial sign-off or evaluation.
    Finalisation,
    /// 4: closed.
    Closed,
    /// 5: cancelled.
    Cancelled,
    /// 6: temporarily suspended.
    Suspended,
}

impl ActivityStatus {
    /// Parses the numeric code.
    pub fn parse(text: &str) -> Result<ActivityStatus, String> {
        match text.trim() {
            "1" => Ok(ActivityStatus::Pipeline),
            "2" => Ok(ActivityStatus::Implementation),
            "3" => Ok(ActivityStatus::Finalisation),
            "4" => Ok(ActivityStatus::Closed),
            "5" => Ok(ActivityStatus::Cancelled),
            "6" => Ok(ActivityStatus::Suspended),
            _ => Err(format!("expected an activity status code from 1 to 6, found {}", shown(text))),
        }
    }

    /// The code and its name, for people.
    pub fn words(self) -> &'static str {
        match self {
            ActivityStatus::Pipeline => "1 (pipeline)",
            ActivityStatus::Implementation => "2 (implementation)",
            ActivityStatus::Finalisation => "3 (finalisation)",
            ActivityStatus::Closed => "4 (closed)",
            ActivityStatus::Cancelled => "5 (cancelled)",
            ActivityStatus::Suspended => "6 (suspended)",
        }
    }
}

/// Which date of an activity (IATI code list ActivityDateType).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateType {
    /// 1.
    PlannedStart,
    /// 2.
    ActualStart,
    /// 3.
    PlannedEnd,
    /// 4.
    ActualEnd,
}

impl DateType {
    /// Parses the numeric code.
    pub fn parse(text: &str) -> Result<DateType, String> {
        match text.trim() {
            "1" => Ok(DateType::PlannedStart),
            "2" => Ok(DateType::ActualStart),
            "3" => Ok(DateType::PlannedEnd),
            "4" => Ok(DateType::ActualEnd),
            _ => Err(format!("expected an activity date type from 1 to 4, found {}", shown(text))),
        }
    }
}

/// Whether a budget is the first one set for its period or a revision (IATI code list BudgetType).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetKind {
    /// 1, and the default when the attribute is absent.
    Original,
    /// 2: replaces the original budget of the same period.
    Revised,
}

impl BudgetKind {
    /// Parses the numeric code.
    pub fn parse(text: &str) -> Result<BudgetKind, String> {
        match text.trim() {
            "1" => Ok(BudgetKind::Original),
            "2" => Ok(BudgetKind::Revised),
            _ => Err(format!("expected a budget type of 1 (original) or 2 (revised), found {}", shown(text))),
        }
    }
}

/// What a transaction is, as far as the envelope goes (IATI code list TransactionType).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransactionKind {
    /// 3 (disbursement) or 4 (expenditure): money that has left the budget.
    Spent,
    /// Any other code on the list (incoming funds, commitments, repayments, ...): it does not reduce what is left.
    Other,
}

impl TransactionKind {
    /// Parses the numeric code (1 to 13 in version 2.03).
    pub fn parse(text: &str) -> Result<TransactionKind, String> {
        match text.trim() {
            "3" | "4" => Ok(TransactionKind::Spent),
            t if t.parse::<u8>().is_ok_and(|c| (1..=13).contains(&c)) => Ok(TransactionKind::Other),
            _ => Err(format!("expected a transaction type code from 1 to 13, found {}", shown(text))),
        }
    }
}

/// The role of a participating organisation (IATI code list OrganisationRole).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgRole {
    /// 1: provides the money.
    Funding,
    /// 2, 3 or 4 (accountable, extending, implementing), or a code this import does not know.
    Other,
}

impl OrgRole {
    /// Reads the code; only "funding" matters to the import, so every other value is `Other`.
    pub fn parse(text: &str) -> OrgRole {
        if text.trim() == "1" { OrgRole::Funding } else { OrgRole::Other }
    }
}

/// The code list a sector code comes from (IATI code list SectorVocabulary).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SectorVocabulary {
    /// 1, and the default: OECD DAC CRS purpose codes, five digits (15240 is "Reintegration and SALW control").
    Dac5,
    /// 2: the three-digit DAC categories (152 is "Conflict, peace and security"): too coarse to say 15240.
    Dac3,
    /// Any other vocabulary (the UN functions of government, SDG goals, the reporting organisation's own, ...),
    /// as written.
    Other(String),
}

impl SectorVocabulary {
    /// Reads the attribute (absent means DAC five-digit).
    pub fn parse(text: Option<&str>) -> SectorVocabulary {
        match text.map(str::trim) {
            None | Some("1") => SectorVocabulary::Dac5,
            Some("2") => SectorVocabulary::Dac3,
            Some(other) => SectorVocabulary::Other(other.to_string()),
        }
    }
}

/// The code list a region code comes from (IATI code list RegionVocabulary).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionVocabulary {
    /// 1, and the default: the OECD DAC's regions, which group countries differently from M49.
    Dac,
    /// 2: UN M49 areas, which offers.csv uses.
    M49,
    /// Any other vocabulary, as written.
    Other(String),
}

impl RegionVocabulary {
    /// Reads the attribute (absent means the DAC's regions).
    pub fn parse(text: Option<&str>) -> RegionVocabulary {
        match text.map(str::trim) {
            None | Some("1") => RegionVocabulary::Dac,
            Some("2") => RegionVocabulary::M49,
            Some(other) => RegionVocabulary::Other(other.to_string()),
        }
    }
}

/// A five-digit OECD DAC purpose code, such as 15240.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DacPurpose(pub u32);

impl DacPurpose {
    /// Parses exactly five digits.
    pub fn parse(text: &str) -> Result<DacPurpose, String> {
        let t = text.trim();
        if t.len() == 5 && t.bytes().all(|b| b.is_ascii_digit()) && !t.starts_with('0') {
            Ok(DacPurpose(t.bytes().fold(0, |code, b| code * 10 + u32::from(b - b'0'))))
        } else {
            Err(format!("expected a five-digit OECD DAC purpose code such as 15240, found {}", shown(text)))
        }
    }

    /// Its three-digit DAC category (15240 → 152).
    pub fn category(self) -> u32 {
        self.0 / 100
    }
}

impl fmt::Display for DacPurpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// An ISO 4217 currency code, upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency([u8; 3]);

impl Currency {
    /// US dollars, the currency of offers.csv.
    pub const USD: Currency = Currency(*b"USD");

    /// Parses three letters (any case).
    pub fn parse(text: &str) -> Result<Currency, String> {
        let b = text.trim().as_bytes();
        if b.len() == 3 && b.iter().all(u8::is_ascii_alphabetic) {
            Ok(Currency([b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase(), b[2].to_ascii_uppercase()]))
        } else {
            Err(format!("expected a three-letter ISO 4217 currency code, found {}", shown(text)))
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only ASCII letters are ever stored.
        f.write_str(std::str::from_utf8(&self.0).unwrap_or("???"))
    }
}

/// An exact decimal number, kept in millionths: amounts and percentages in IATI are `xsd:decimal`, and the
/// envelope is only rounded once, to whole dollars, at the very end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Decimal(i128);

/// Millionths per unit.
const SCALE: i128 = 1_000_000;

/// The most whole digits an amount may have: 10^15 is far above any real budget (offers.csv stops at 10^12), and
/// keeps every product of an amount and two percentages exact in `i128`.
const MAX_WHOLE_DIGITS: usize = 15;

impl Decimal {
    /// Zero.
    pub const ZERO: Decimal = Decimal(0);
    /// One hundred (a whole percentage).
    pub const HUNDRED: Decimal = Decimal(100 * SCALE);

    /// Parses an `xsd:decimal`: an optional sign, digits, an optional point and more digits; no exponent, no
    /// separators. Digits past the sixth decimal place are dropped (they are below a millionth of a unit).
    pub fn parse(text: &str) -> Result<Decimal, String> {
        let t = text.trim();
        let expected = || format!("expected a decimal number such as 125000.50, found {}", shown(text));
        let (negative, digits) = match t.as_bytes().first() {
            Some(b'-') => (true, &t[1..]),
            Some(b'+') => (false, &t[1..]),
            _ => (false, t),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction) {
            return Err(expected());
        }
        let whole = whole.trim_start_matches('0');
        if whole.len() > MAX_WHOLE_DIGITS {
            return Err(format!("{} is too large (more than {MAX_WHOLE_DIGITS} digits before the point)", shown(text)));
        }
        let mut value: i128 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| expected())? };
        value *= SCALE;
        let mut unit = SCALE / 10;
        for b in fraction.bytes().take(6) {
            value += i128::from(b - b'0') * unit;
            unit /= 10;
        }
        Ok(Decimal(if negative { -value } else { value }))
    }

    /// Parses a percentage: a decimal from 0 to 100.
    pub fn parse_percentage(text: &str) -> Result<Decimal, String> {
        let value = Decimal::parse(text)?;
        if value < Decimal::ZERO || value > Decimal::HUNDRED {
            return Err(format!("expected a percentage from 0 to 100, found {}", shown(text)));
        }
        Ok(value)
    }

    /// The value in millionths.
    pub fn millionths(self) -> i128 {
        self.0
    }

    /// A value from millionths.
    pub fn from_millionths(m: i128) -> Decimal {
        Decimal(m)
    }

    /// Whether the value is below zero.
    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// The sum, or `None` past `i128`.
    pub fn checked_add(self, other: Decimal) -> Option<Decimal> {
        self.0.checked_add(other.0).map(Decimal)
    }

    /// The value rounded down to a whole number.
    pub fn floor(self) -> i128 {
        self.0.div_euclid(SCALE)
    }
}

impl fmt::Display for Decimal {
    /// The shortest exact form: `1250`, `12.5`, `33.333333`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (whole, fraction) = (abs / SCALE as u128, abs % SCALE as u128);
        if fraction == 0 {
            write!(f, "{sign}{whole}")
        } else {
            let digits = format!("{fraction:06}");
            write!(f, "{sign}{whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

/// An IATI `iso-date`: `YYYY-MM-DD`, which may carry a time zone (`2014-01-01Z`, `2014-01-01+01:00`) or, as some
/// publishers write, a time (`2014-01-01T00:00:00`); only the calendar date is kept.
pub fn iso_date(text: &str) -> Result<Date, String> {
    let t = text.trim();
    let (day, rest) = t.split_at(t.char_indices().nth(10).map_or(t.len(), |(i, _)| i));
    let suffix_ok = rest.is_empty() || rest.starts_with(['T', 'Z', '+', '-']);
    match Date::parse(day) {
        Ok(date) if suffix_ok => Ok(date),
        Ok(_) => Err(format!("expected a date as YYYY-MM-DD, found {}", shown(text))),
        Err(why) => Err(format!("{why}, found {}", shown(text))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact() {
        assert_eq!(Decimal::parse("125000").unwrap().millionths(), 125_000_000_000);
        assert_eq!(Decimal::parse(" 0.5 ").unwrap().to_string(), "0.5");
        assert_eq!(Decimal::parse("-12.250").unwrap().to_string(), "-12.25");
        assert_eq!(Decimal::parse(".25").unwrap().to_string(), "0.25");
        assert_eq!(Decimal::parse("7.").unwrap().to_string(), "7");
        assert_eq!(Decimal::parse("1.23456789").unwrap().to_string(), "1.234567");
        assert_eq!(Decimal::parse("000000000000000000001").unwrap().to_string(), "1");
        for bad in ["", ".", "-", "1e5", "1,000", "12.5.1", "USD 5", "1 000", "0x10", "9999999999999999"] {
            assert!(Decimal::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(Decimal::parse("-0.000001").unwrap().floor(), -1);
        assert_eq!(Decimal::parse("99.999999").unwrap().floor(), 99);
    }

    #[test]
    fn percentages_stay_in_range() {
        assert!(Decimal::parse_percentage("100").is_ok());
        assert!(Decimal::parse_percentage("0").is_ok());
        assert!(Decimal::parse_percentage("100.000001").is_err());
        assert!(Decimal::parse_percentage("-1").is_err());
    }

    #[test]
    fn codes_parse() {
        assert_eq!(ActivityStatus::parse(" 5 "), Ok(ActivityStatus::Cancelled));
        assert!(ActivityStatus::parse("7").is_err());
        assert_eq!(TransactionKind::parse("4"), Ok(TransactionKind::Spent));
        assert_eq!(TransactionKind::parse("11"), Ok(TransactionKind::Other));
        assert!(TransactionKind::parse("D").is_err());
        assert_eq!(SectorVocabulary::parse(None), SectorVocabulary::Dac5);
        assert_eq!(SectorVocabulary::parse(Some("2")), SectorVocabulary::Dac3);
        assert_eq!(RegionVocabulary::parse(Some("2")), RegionVocabulary::M49);
        assert_eq!(DacPurpose::parse("15240").unwrap().category(), 152);
        assert!(DacPurpose::parse("152").is_err());
        assert_eq!(Currency::parse("usd"), Ok(Currency::USD));
        assert!(Currency::parse("US$").is_err());
    }

    #[test]
    fn iso_dates_keep_the_day() {
        for ok in ["2014-01-01", "2014-01-01Z", "2014-01-01+02:00", "2014-01-01T12:00:00", " 2014-01-01 "] {
            assert_eq!(iso_date(ok).unwrap().to_string(), "2014-01-01", "{ok}");
        }
        for bad in ["2014-1-1", "01/01/2014", "2014-02-30", "2014-01-01x", "", "２０１４-01-01"] {
            assert!(iso_date(bad).is_err(), "{bad:?}");
        }
    }
}
