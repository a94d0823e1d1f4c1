//! Money: whole US dollars in an `i64`. Totals that can exceed one field's range are summed in `i128`.

use std::fmt;

/// The largest amount one field may hold: one trillion dollars. Far above any real envelope, and small enough that
/// the sum of a few million such fields, and that sum times an objective weight, stay exact in `i64`/`i128`.
pub const MAX_AMOUNT_USD: i64 = 1_000_000_000_000;

/// A whole number of US dollars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Usd(pub i64);

impl Usd {
    /// Zero dollars.
    pub const ZERO: Usd = Usd(0);

    /// The amount as a plain integer.
    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for Usd {
    /// Plain digits, no separators: the form the CSV outputs use.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Formats dollars with thin thousands separators for people (`1,234,567`).
pub fn group_thousands(amount: i128) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if amount < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1,000");
        assert_eq!(group_thousands(-1234567), "-1,234,567");
    }
}
