//! Currencies: the ISO 4217 code a row's amounts are written in, the exact rate that turns them into dollars, and
//! the one conversion rule (docs/spec.md §11.4).
//!
//! A row in another currency is converted once, as it is read, to whole US dollars rounded down:
//! `usd = floor(amount × usd_per_unit)`, computed exactly on integers. Rounding down keeps every "at most" between
//! amounts of one currency (a floor below its cap, awards within their envelope, since
//! `floor(a) + floor(b) <= floor(a + b)`), so a consistent file stays consistent, and it never counts a fraction
//! of a dollar that is not there.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use super::iso4217::{CODES, NAMES};
use super::{Date, MAX_AMOUNT_USD, Usd};

/// An active ISO 4217 currency code, upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency([u8; 3]);

impl Currency {
    /// US dollars: the currency of needs, of the outputs and of every row that names none.
    pub const USD: Currency = Currency(*b"USD");

    /// The currency of an active code, written in capitals (`EUR`); `None` for any other text.
    pub fn from_code(code: &str) -> Option<Currency> {
        CODES.binary_search(&code).ok().map(|_| {
            let b = code.as_bytes();
            Currency([b[0], b[1], b[2]])
        })
    }

    /// The currency a name or symbol in capitals stands for (`EURO`, `YEN`, `€`), if it stands for one only.
    pub fn named(word: &str) -> Option<Currency> {
        NAMES.iter().find(|(name, _)| *name == word).and_then(|(_, code)| Currency::from_code(code))
    }

    /// Every active code, sorted.
    pub fn codes() -> &'static [&'static str] {
        CODES
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        // Only codes of the list, all ASCII, are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How many decimals a rate may have: finer than any published rate, small enough that every product stays exact.
pub const MAX_RATE_DECIMALS: u32 = 12;

/// The largest whole part of a rate: a unit of the dearest currency (or a troy ounce of gold) is worth far less.
pub const MAX_RATE_WHOLE: u64 = 1_000_000;

/// US dollars per unit of a currency, exactly: `mantissa / 10^scale`. Read from its decimal text without ever
/// passing through a floating-point number (`records::fields::usd_per_unit`), so `0.0067` is exactly 67
/// ten-thousandths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsdPerUnit {
    mantissa: u64,
    scale: u32,
}

impl UsdPerUnit {
    /// One dollar per unit: the rate of USD itself.
    pub const ONE: UsdPerUnit = UsdPerUnit { mantissa: 1, scale: 0 };

    /// `mantissa / 10^scale`, if it is above zero, has at most [`MAX_RATE_DECIMALS`] decimals and a whole part of
    /// at most [`MAX_RATE_WHOLE`].
    pub fn from_parts(mantissa: u64, scale: u32) -> Option<UsdPerUnit> {
        let ok = mantissa > 0
            && scale <= MAX_RATE_DECIMALS
            && u128::from(mantissa) <= u128::from(MAX_RATE_WHOLE) * 10u128.pow(scale);
        ok.then_some(UsdPerUnit { mantissa, scale })
    }

    /// Whether the rate is exactly one dollar per unit (`1`, `1.0`, `1.000`).
    pub fn is_one(self) -> bool {
        u128::from(self.mantissa) == 10u128.pow(self.scale)
    }

    /// `floor(units × self)` in whole dollars, exact; an error when that is not in 1..=[`MAX_AMOUNT_USD`] (the
    /// amount is worth less than a dollar, or more than one field may hold).
    pub fn to_usd(self, units: u64) -> Result<Usd, Converted> {
        // u64 × u64 always fits in u128.
        let dollars = u128::from(units) * u128::from(self.mantissa) / 10u128.pow(self.scale);
        match i64::try_from(dollars) {
            Ok(0) => Err(Converted::BelowOneDollar),
            Ok(d) if d <= MAX_AMOUNT_USD => Ok(Usd(d)),
            _ => Err(Converted::TooLarge(dollars)),
        }
    }
}

/// Why an amount has no dollar value a field may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Converted {
    /// Worth less than one dollar, which rounds down to zero.
    BelowOneDollar,
    /// Worth more than the largest amount of a field (the whole dollars it is worth).
    TooLarge(u128),
}

impl fmt::Display for UsdPerUnit {
    /// The exact decimal, with the decimals as written (`1.0842`, `0.00670`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = 10u64.pow(self.scale);
        let whole = self.mantissa / unit;
        if self.scale == 0 {
            write!(f, "{whole}")
        } else {
            write!(f, "{whole}.{:0width$}", self.mantissa % unit, width = self.scale as usize)
        }
    }
}

/// One currency's rate, as a row of the rates file gives it.
#[derive(Debug)]
pub struct Rate {
    /// The currency.
    pub currency: Currency,
    /// Its value in dollars.
    pub usd_per_unit: UsdPerUnit,
    /// The day the rate is of (`None` only for USD, whose rate is 1 by definition).
    pub date: Option<Date>,
    /// Where the rate comes from (blank only for USD).
    pub source: String,
    /// The line of the rates file.
    pub line: u64,
    /// How many rows were converted with it, in every file read with it.
    converted: AtomicU64,
}

impl Rate {
    /// A rate read from `line`, not yet used.
    pub fn new(currency: Currency, usd_per_unit: UsdPerUnit, date: Option<Date>, source: String, line: u64) -> Rate {
        Rate { currency, usd_per_unit, date, source, line, converted: AtomicU64::new(0) }
    }

    /// How many rows were converted with this rate so far.
    pub fn rows_converted(&self) -> u64 {
        self.converted.load(Ordering::Relaxed)
    }
}

/// The rates a run was given, one per currency; empty when it was given none. Readers count the rows each rate
/// converts (a count, so the order in which parallel readers add to it does not change it), for the run record.
#[derive(Debug, Default)]
pub struct Rates {
    rates: Vec<Rate>,
}

/// No rates at all: what a run without `--rates` reads with.
pub static NO_RATES: Rates = Rates { rates: Vec::new() };

impl Rates {
    /// A table of `rates`, one per currency (the reader refuses a second row of one currency).
    pub fn new(rates: Vec<Rate>) -> Rates {
        Rates { rates }
    }

    /// The rate of `currency`, if the table has one.
    pub fn get(&self, currency: Currency) -> Option<&Rate> {
        self.rates.iter().find(|r| r.currency == currency)
    }

    /// Every rate, in the file's order.
    pub fn all(&self) -> &[Rate] {
        &self.rates
    }

    /// Whether the table holds no rate.
    pub fn is_empty(&self) -> bool {
        self.rates.is_empty()
    }

    /// Counts one row converted with `rate` (a rate of this table).
    pub fn note_converted(&self, rate: &Rate) {
        rate.converted.fetch_add(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(mantissa: u64, scale: u32) -> UsdPerUnit {
        UsdPerUnit::from_parts(mantissa, scale).unwrap()
    }

    #[test]
    fn codes_are_looked_up_exactly() {
        assert_eq!(Currency::from_code("EUR").map(|c| c.to_string()).as_deref(), Some("EUR"));
        assert_eq!(Currency::from_code("eur"), None);
        assert_eq!(Currency::named("YEN").map(|c| c.to_string()).as_deref(), Some("JPY"));
        for withdrawn in ["HRK", "BGN", "XXX", "XTS", "DEM"] {
            assert_eq!(Currency::from_code(withdrawn), None, "{withdrawn}");
        }
    }

    #[test]
    fn rates_keep_their_decimals_and_bounds() {
        assert_eq!(rate(750, 2).to_string(), "7.50");
        assert_eq!(rate(1, 12).to_string(), "0.000000000001");
        assert_eq!(rate(67, 4).to_string(), "0.0067");
        assert_eq!(rate(1_000_000, 0).to_string(), "1000000");
        assert!(rate(1, 0).is_one() && rate(1000, 3).is_one() && !rate(10001, 4).is_one());
        assert_eq!(UsdPerUnit::from_parts(0, 3), None);
        assert_eq!(UsdPerUnit::from_parts(1, 13), None);
        assert_eq!(UsdPerUnit::from_parts(1_000_001, 0), None);
        assert!(UsdPerUnit::from_parts(MAX_RATE_WHOLE * 10u64.pow(12), 12).is_some());
    }

    #[test]
    fn converts_exactly_rounding_down() {
        assert_eq!(rate(10842, 4).to_usd(1_000_000), Ok(Usd(1_084_200)));
        assert_eq!(rate(67, 4).to_usd(150_000_000), Ok(Usd(1_005_000)));
        // 0.1 has no exact binary form; here ten units of 0.1 are exactly one dollar.
        assert_eq!(rate(1, 1).to_usd(10), Ok(Usd(1)));
        assert_eq!(rate(19999, 4).to_usd(1), Ok(Usd(1)));
        assert_eq!(rate(67, 4).to_usd(149), Err(Converted::BelowOneDollar));
        assert_eq!(rate(1, 0).to_usd(MAX_AMOUNT_USD as u64), Ok(Usd(MAX_AMOUNT_USD)));
        assert!(matches!(rate(15, 1).to_usd(MAX_AMOUNT_USD as u64), Err(Converted::TooLarge(_))));
        assert!(matches!(rate(1_000_000, 0).to_usd(u64::MAX), Err(Converted::TooLarge(_))));
    }

    /// A small deterministic generator, so that the properties are checked on many values without a dependency.
    fn values(seed: u64, n: usize) -> impl Iterator<Item = u64> {
        let mut x = seed;
        (0..n).map(move |_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        })
    }

    #[test]
    fn conversion_is_monotone_and_subadditive() {
        let dollars = |r: UsdPerUnit, u: u64| match r.to_usd(u) {
            Ok(usd) => usd.get() as u128,
            Err(Converted::BelowOneDollar) => 0,
            Err(Converted::TooLarge(d)) => d,
        };
        for (k, seed) in values(7, 40).enumerate() {
            let scale = (k % 13) as u32;
            let r = rate(seed % (MAX_RATE_WHOLE * 10u64.pow(scale)) + 1, scale);
            let exact = |u: u64| u128::from(u) * u128::from(r.mantissa);
            let unit = 10u128.pow(scale);
            for (a, b) in values(seed, 50).zip(values(seed ^ 1, 50)) {
                let (a, b) = (a % 10_000_000_000, b % 10_000_000_000);
                // Rounded down: never above the exact value, and less than a dollar below it.
                assert!(dollars(r, a) * unit <= exact(a) && exact(a) < (dollars(r, a) + 1) * unit);
                // Monotone, and the parts never add up to more than the whole.
                assert!(dollars(r, a.min(b)) <= dollars(r, a.max(b)));
                assert!(dollars(r, a) + dollars(r, b) <= dollars(r, a + b));
            }
        }
    }
}
