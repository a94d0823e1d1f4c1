//! Reading one row's cells for the input readers (needs, offers, the ledger, the rates file): each helper records an
//! error at its cell and returns `None` on bad input, so that a row with errors is still read to its end and one
//! run lists every bad cell. The column lists' constructors live here too.

use crate::model::Date;
use crate::records::{ColumnSpec, ErrorSink, Row};

pub(crate) const fn req(name: &'static str) -> ColumnSpec {
    ColumnSpec::required(name)
}

pub(crate) const fn opt(name: &'static str) -> ColumnSpec {
    ColumnSpec::optional(name)
}

/// Cell-level helpers shared by the readers of needs, offers and the ledger: each records an error and returns `None` on
/// bad input.
pub(crate) struct Cells<'r, 'a> {
    pub(crate) row: &'r Row<'a>,
    pub(crate) sink: &'r mut ErrorSink,
}

impl<'a> Cells<'_, 'a> {
    pub(crate) fn error(&mut self, name: &str, message: impl Into<String>) {
        self.row.error(self.sink, name, message);
    }

    pub(crate) fn required(&mut self, name: &str) -> Option<&'a str> {
        let value = self.row.get(name);
        if value.is_none() {
            self.error(name, "is required but blank");
        }
        value
    }

    pub(crate) fn parse<T>(
        &mut self,
        name: &str,
        text: Option<&str>,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        match parse(text?) {
            Ok(v) => Some(v),
            Err(why) => {
                self.error(name, why);
                None
            }
        }
    }

    pub(crate) fn required_with<T>(&mut self, name: &str, parse: impl FnOnce(&str) -> Result<T, String>) -> Option<T> {
        let text = self.required(name);
        self.parse(name, text, parse)
    }

    pub(crate) fn optional<T>(&mut self, name: &str, parse: impl FnOnce(&str) -> Result<T, String>) -> Option<T> {
        let text = self.row.get(name);
        self.parse(name, text, parse)
    }

    /// Checks that `later` does not come before `earlier`, reporting at `later_name`.
    pub(crate) fn not_before(
        &mut self,
        earlier: Option<Date>,
        later: Option<Date>,
        earlier_name: &str,
        later_name: &str,
    ) {
        if let (Some(earlier), Some(later)) = (earlier, later)
            && later < earlier
        {
            self.error(later_name, format!("{later} is before {earlier_name} {earlier}"));
        }
    }

    /// Checks that `low` does not exceed `high`, reporting at `low_name`.
    pub(crate) fn not_above<T: PartialOrd + std::fmt::Display>(
        &mut self,
        low: Option<T>,
        high: Option<T>,
        low_name: &str,
        high_name: &str,
    ) {
        if let (Some(low), Some(high)) = (low, high)
            && low > high
        {
            self.error(low_name, format!("{low} is above {high_name} {high}"));
        }
    }
}
