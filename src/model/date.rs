//! Calendar dates as days since 1970-01-01, parsed strictly from `YYYY-MM-DD`.

use std::fmt;

/// A proleptic Gregorian calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    days: i32,
}

impl Date {
    /// Parses `YYYY-MM-DD` (years 1900–2200), checking the day against the month and leap years.
    pub fn parse(text: &str) -> Result<Date, String> {
        let b = text.as_bytes();
        let well_formed = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !well_formed {
            return Err("expected a date as YYYY-MM-DD".to_string());
        }
        let num = |r: std::ops::Range<usize>| text[r].parse::<i32>().unwrap_or(0);
        let (y, m, d) = (num(0..4), num(5..7), num(8..10));
        if !(1900..=2200).contains(&y) {
            return Err("year must be between 1900 and 2200".to_string());
        }
        if !(1..=12).contains(&m) {
            return Err("month must be 01–12".to_string());
        }
        if d < 1 || d > days_in_month(y, m) {
            return Err(format!("day {d} does not exist in {y}-{m:02}"));
        }
        Ok(Date::from_ymd(y, m, d))
    }

    /// Builds a date from a valid year, month and day.
    pub fn from_ymd(y: i32, m: i32, d: i32) -> Date {
        // Days from civil (H. Hinnant's algorithm), shifted so March is the first month.
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Date { days: era * 146_097 + doe - 719_468 }
    }

    /// The year, month and day.
    pub fn ymd(self) -> (i32, i32, i32) {
        let z = self.days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i32::from(m <= 2);
        (y, m, d)
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i32 {
        self.days
    }

    /// The date `n` days later.
    pub fn add_days(self, n: i32) -> Date {
        Date { days: self.days + n }
    }
}

fn days_in_month(y: i32, m: i32) -> i32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_day_of_two_centuries() {
        let mut date = Date::parse("1900-01-01").unwrap();
        let end = Date::parse("2100-12-31").unwrap();
        while date <= end {
            assert_eq!(Date::parse(&date.to_string()), Ok(date));
            date = date.add_days(1);
        }
    }

    #[test]
    fn rejects_impossible_dates() {
        for bad in ["2013-02-29", "2013-13-01", "2013-00-10", "2013-4-1", "13-04-01", "2013/04/01", "2100-02-29"] {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
        assert!(Date::parse("2012-02-29").is_ok());
        assert!(Date::parse("2000-02-29").is_ok());
        assert_eq!(Date::parse("1970-01-01").unwrap().days(), 0);
    }
}
