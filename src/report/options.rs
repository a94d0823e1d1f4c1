//! The options of a match run as run.json records them, part of the decision record of docs/spec.md §10: every
//! choice on the command line that shapes the outputs, as the user gave it, so that `replay` can run the same
//! match again and name each option that differs from the record.
//!
//! The thread count is left out on purpose: it never changes a result (docs/spec.md §10), and recording it would
//! make the records of two runs of one match differ. So are the places outputs go (`--out`, the network file's
//! path): the same inputs and options give the same bytes whatever folder they are written to. `--max-errors` is left out too: it only shortens the list of
//! data errors of a run that fails, and a failed run writes no record.

use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::io::outputs::{OutputOptions, TableFormat};
use crate::lang::Lang;
use crate::model::{Date, LockLevel};
use crate::solve::{GapLimit, Limits, Method, WorkLimit};

/// The options of a match run (`options` in run.json).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunOptions {
    /// `--method`.
    pub method: Method,
    /// The search limits.
    pub limits: RecordedLimits,
    /// `--lang`.
    pub lang: Lang,
    /// `--format`.
    pub format: TableFormat,
    /// `--excel`.
    pub excel: bool,
    /// Whether `--export-network` wrote the flow network (where it went is not recorded: see the module's note).
    pub export_network: bool,
    /// `--allow-extra-columns`: whether the inputs were read with unknown columns ignored.
    pub allow_extra_columns: bool,
    /// `--sheet`: the sheet read from every workbook input (left out of the file when not given, so that the record of
    /// a run on CSV files is unchanged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// With `--ledger`: the round and what it locks (left out of the file without a ledger).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounds: Option<RoundOptions>,
}

/// A round's options (`options.rounds` in run.json, docs/spec.md §9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundOptions {
    /// `--round`: the label this round's awards get (given, or worked out from the ledger).
    pub round: String,
    /// `--lock`.
    #[serde(serialize_with = "lock_code", deserialize_with = "lock_of_code")]
    pub lock: LockLevel,
    /// `--proposed-on`: the `status_date` of this round's proposed awards (blank in the output ledger without one).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "date_text",
        deserialize_with = "date_of_text"
    )]
    pub proposed_on: Option<Date>,
}

fn date_text<S: Serializer>(date: &Option<Date>, out: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => out.serialize_str(&date.to_string()),
        None => out.serialize_none(),
    }
}

fn date_of_text<'de, D: Deserializer<'de>>(input: D) -> Result<Option<Date>, D::Error> {
    let text = String::deserialize(input)?;
    Date::parse(&text).map(Some).map_err(|why| serde::de::Error::custom(format!("{why}, found {text}")))
}

fn lock_code<S: Serializer>(lock: &LockLevel, out: S) -> Result<S::Ok, S::Error> {
    out.serialize_str(lock.as_str())
}

fn lock_of_code<'de, D: Deserializer<'de>>(input: D) -> Result<LockLevel, D::Error> {
    let code = String::deserialize(input)?;
    LockLevel::parse(&code)
        .ok_or_else(|| serde::de::Error::custom(format!("lock must be one of {}, found {code}", LockLevel::expected())))
}

impl RunOptions {
    /// The options of a run that only solves (`explain`): the solving choices, every output choice at its default.
    pub fn solving(method: Method, limits: &Limits) -> RunOptions {
        RunOptions {
            method,
            limits: RecordedLimits::from_limits(limits),
            lang: Lang::default(),
            format: TableFormat::Csv,
            excel: false,
            export_network: false,
            allow_extra_columns: false,
            sheet: None,
            rounds: None,
        }
    }

    /// How the tables are written.
    pub fn tables(&self) -> OutputOptions {
        OutputOptions { format: self.format, excel_bom: self.excel }
    }
}

/// The limits of the exact search as given (`options.limits` in run.json). A struct of its own, written as an
/// object, so that a new kind of limit is one more field.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedLimits {
    /// `--work-limit`, in work units.
    pub work_limit: u64,
    /// `--time-limit` in seconds, as given (`null`: none, the default): the solver's share of it is worked out
    /// when the run starts.
    pub time_limit: Option<f64>,
    /// `--node-limit`.
    pub node_limit: u64,
    /// `--gap-limit`, as a fraction (the limit the search used, to a billionth).
    #[serde(serialize_with = "gap_as_fraction", deserialize_with = "gap_from_fraction")]
    pub gap_limit: GapLimit,
}

impl RecordedLimits {
    /// The record of solver limits (for a caller that holds only those).
    pub fn from_limits(limits: &Limits) -> RecordedLimits {
        RecordedLimits {
            work_limit: limits.work_limit.units(),
            time_limit: limits.time_limit.map(|limit| limit.as_secs_f64()),
            node_limit: limits.node_limit,
            gap_limit: limits.gap_limit,
        }
    }

    /// The solver limits these ask for.
    pub fn limits(&self) -> Limits {
        Limits {
            work_limit: WorkLimit::new(self.work_limit).unwrap_or(WorkLimit::UNLIMITED),
            time_limit: self.time_limit.map(Duration::from_secs_f64),
            node_limit: self.node_limit,
            gap_limit: self.gap_limit,
        }
    }
}

fn gap_as_fraction<S: Serializer>(gap: &GapLimit, out: S) -> Result<S::Ok, S::Error> {
    out.serialize_f64(gap.fraction())
}

/// The gap limit written as `fraction` (a whole number of billionths, divided): the nearest billionth, so that
/// the round trip through decimal text gives back the limit written even where `fraction × 10⁹` lands a hair
/// below the whole number.
fn gap_from_fraction<'de, D: Deserializer<'de>>(input: D) -> Result<GapLimit, D::Error> {
    let fraction = f64::deserialize(input)?;
    gap_limit_of_fraction(fraction)
        .ok_or_else(|| serde::de::Error::custom(format!("gap_limit must be from 0 to below 1, found {fraction}")))
}

/// The limit of whole billionths nearest to `fraction`; `None` outside 0 ≤ `fraction` < 1.
pub fn gap_limit_of_fraction(fraction: f64) -> Option<GapLimit> {
    if !(0.0..1.0).contains(&fraction) {
        return None;
    }
    let billionths = (fraction * 1e9).round();
    // Half a billionth above the whole number, so that `from_fraction`'s floor lands on it.
    GapLimit::from_fraction((billionths + 0.5) / 1e9).filter(|gap| gap.fraction() < 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_gap_limit_survives_its_round_trip_through_json() {
        // Whole billionths across the range, including the limits the command line's percentages give.
        let mut checked = 0;
        for billionths in (0..1_000_000_000u32).step_by(9_973).chain([1, 999_999_999, 1_000_000, 100_000]) {
            let gap = GapLimit::from_fraction(f64::from(billionths) / 1e9 + 0.5e-9).unwrap();
            let limits = RecordedLimits { work_limit: 5, time_limit: Some(0.25), node_limit: 7, gap_limit: gap };
            let text = serde_json::to_string(&limits).unwrap();
            let back: RecordedLimits = serde_json::from_str(&text).unwrap();
            assert_eq!(back, limits, "{text}");
            checked += 1;
        }
        assert!(checked > 100_000);
    }

    #[test]
    fn out_of_range_gaps_and_unknown_limits_are_refused() {
        for text in [
            r#"{"work_limit": 5, "time_limit": null, "node_limit": 1, "gap_limit": 1.0}"#,
            r#"{"work_limit": 5, "time_limit": 60.0, "node_limit": 1, "gap_limit": -0.1}"#,
            r#"{"work_limit": 5, "time_limit": null, "node_limit": 1, "gap_limit": 0.0, "pivot_limit": 3}"#,
        ] {
            assert!(serde_json::from_str::<RecordedLimits>(text).is_err(), "{text}");
        }
        let fine = r#"{"work_limit": 5, "time_limit": null, "node_limit": 1, "gap_limit": 0.0}"#;
        assert!(serde_json::from_str::<RecordedLimits>(fine).is_ok());
    }

    #[test]
    fn options_are_written_with_the_command_lines_spellings() {
        let options = RunOptions::solving(Method::Greedy, &Limits::default());
        let value = serde_json::to_value(&options).unwrap();
        assert_eq!(value["method"], "greedy");
        assert_eq!(value["lang"], "en");
        assert_eq!(value["format"], "csv");
        assert!(value["limits"]["time_limit"].is_null(), "no time limit by default");
        assert_eq!(value["limits"]["work_limit"], crate::solve::WorkLimit::DEFAULT.units());
        assert_eq!(value["export_network"], false);
        let back: RunOptions = serde_json::from_value(value).unwrap();
        assert_eq!(back, options);
    }
}
