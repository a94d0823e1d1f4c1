//! One IATI activity as the reader hands it on: only the elements the import uses, each value typed, each bad
//! value kept as a [`FieldError`] with its line, so that the selection can say why an activity is not taken
//! without the reader having to decide which fields matter.

use std::fmt;

use super::codes::{
    ActivityStatus, BudgetKind, Currency, DateType, Decimal, OrgRole, RegionVocabulary, SectorVocabulary,
};
use crate::model::Date;

/// A value the reader could not use: which element or attribute, on which line, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// 1-based line of the element.
    pub line: u64,
    /// The element or attribute, as a path below `iati-activity` (`budget/value`, `sector/@percentage`).
    pub field: &'static str,
    /// What was wrong and what was expected.
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}: {}", self.line, self.field, self.message)
    }
}

/// A value, or why it could not be read.
pub type Field<T> = Result<T, FieldError>;

/// An organisation named in the activity.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Org {
    /// `@ref`: its IATI organisation identifier (`GB-GOV-1`, `XM-DAC-41114`), trimmed; `None` when blank.
    pub reference: Option<String>,
    /// `@type`: its IATI organisation type code (10 government, 40 multilateral, ...), as written.
    pub org_type: Option<String>,
    /// 1-based line of the element.
    pub line: u64,
}

/// A participating organisation with its role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    /// The organisation.
    pub org: Org,
    /// What it does in the activity.
    pub role: OrgRole,
}

/// A share of the activity for a recipient country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryShare {
    /// `@code`: ISO 3166-1 alpha-2, upper case.
    pub code: String,
    /// `@percentage`, if given.
    pub percentage: Option<Decimal>,
    /// 1-based line.
    pub line: u64,
}

/// A share of the activity for a recipient region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionShare {
    /// `@vocabulary`.
    pub vocabulary: RegionVocabulary,
    /// `@code`, trimmed.
    pub code: String,
    /// `@percentage`, if given.
    pub percentage: Option<Decimal>,
    /// 1-based line.
    pub line: u64,
}

/// A sector of the activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sector {
    /// `@vocabulary`.
    pub vocabulary: SectorVocabulary,
    /// `@code`, trimmed.
    pub code: String,
    /// `@percentage`, if given.
    pub percentage: Option<Decimal>,
    /// 1-based line.
    pub line: u64,
}

/// An amount of money with the currency it was reported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money {
    /// The amount.
    pub amount: Decimal,
    /// `value/@currency`; `None` means the activity's `@default-currency`.
    pub currency: Option<Currency>,
}

/// One budget of a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    /// Original or revised.
    pub kind: BudgetKind,
    /// `period-start/@iso-date`.
    pub start: Date,
    /// `period-end/@iso-date`, not before the start.
    pub end: Date,
    /// `value`, never negative.
    pub value: Money,
    /// 1-based line of `<budget>`.
    pub line: u64,
}

/// A disbursement or an expenditure: money that has left the activity's budget. Other transactions are not kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spending {
    /// `transaction-date/@iso-date`, else `value/@value-date`.
    pub date: Date,
    /// `value` (negative for a reversal).
    pub value: Money,
    /// 1-based line of `<transaction>`.
    pub line: u64,
}

/// An activity date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActivityDate {
    /// Which date.
    pub kind: DateType,
    /// `@iso-date`.
    pub date: Date,
}

/// What the reader kept of one `<iati-activity>`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Activity {
    /// 1-based line of `<iati-activity>`.
    pub line: u64,
    /// `iati-identifier`, trimmed, with the line of the element; `None` when absent or blank.
    pub identifier: Option<(String, u64)>,
    /// `@default-currency`.
    pub default_currency: Option<Field<Currency>>,
    /// `reporting-org`.
    pub reporting_org: Option<Org>,
    /// `participating-org` elements.
    pub participants: Vec<Participant>,
    /// The first narrative of `title`, with runs of white space made one space and cut at [`TITLE_CHARS`].
    pub title: String,
    /// `activity-status/@code`.
    pub status: Option<Field<ActivityStatus>>,
    /// `activity-date` elements.
    pub dates: Vec<Field<ActivityDate>>,
    /// `recipient-country` elements.
    pub countries: Vec<Field<CountryShare>>,
    /// `recipient-region` elements.
    pub regions: Vec<Field<RegionShare>>,
    /// Activity-level `sector` elements.
    pub sectors: Vec<Field<Sector>>,
    /// `transaction/sector` elements (IATI lets a publisher give sectors per transaction instead).
    pub transaction_sectors: Vec<Field<Sector>>,
    /// `budget` elements.
    pub budgets: Vec<Field<Budget>>,
    /// Transactions of type 3 (disbursement) and 4 (expenditure), and transactions whose type is unreadable.
    pub spending: Vec<Field<Spending>>,
    /// The line where the activity passed [`MAX_ELEMENTS`] kept elements; after it nothing more was kept.
    pub overflow: Option<u64>,
}

/// The most characters of a title kept for offers.csv.
pub const TITLE_CHARS: usize = 200;

/// The most elements kept for one activity (dates, recipients, sectors, budgets, transactions). Real activities
/// have a few hundred at most; the limit keeps one hostile activity from filling memory.
pub const MAX_ELEMENTS: usize = 100_000;

impl Activity {
    /// How many elements are kept.
    pub fn kept(&self) -> usize {
        self.participants.len()
            + self.dates.len()
            + self.countries.len()
            + self.regions.len()
            + self.sectors.len()
            + self.transaction_sectors.len()
            + self.budgets.len()
            + self.spending.len()
    }
}
