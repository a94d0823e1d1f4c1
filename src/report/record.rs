//! The run record: what run.json says of a match run (inputs, options, method, how the search ended, the
//! certificate, totals and timings). Built by the pipeline ([`crate::run`]) after the solve; read by the page,
//! which shows the inputs, the method, the outcome and the weights, and by `replay`, which reads back the part
//! that says how to run the match again ([`RecordedRun`], the decision record of docs/spec.md §10).

use std::path::Path;

use serde::{Deserialize, Serialize, Serializer};

use super::options::RunOptions;
use super::rows::LedgerTotals;
use crate::error::{DataError, Error, Location, Result};
use crate::io::provenance::{FileInfo, InputInfo};
use crate::io::rates::RateUsed;
use crate::objective::Weights;
use crate::solve::{Method, Status};

/// Seconds spent in each stage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Timings {
    /// Reading and validating inputs.
    pub read_s: f64,
    /// Building the eligibility graph.
    pub build_s: f64,
    /// Solving.
    pub solve_s: f64,
    /// Writing outputs.
    pub write_s: f64,
}

/// Counts of needs by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct NeedCounts {
    /// All needs.
    pub total: usize,
    /// Fully funded.
    pub funded: usize,
    /// Funded in part.
    pub partial: usize,
    /// Not funded.
    pub unfunded: usize,
    /// With a ledger: locked money breaks a rule of theirs that this round did not complete.
    #[serde(skip_serializing_if = "is_zero")]
    pub locked_incomplete: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The batch of a run: the two files every run reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunInputs {
    /// needs.csv.
    pub needs: InputInfo,
    /// offers.csv.
    pub offers: InputInfo,
}

/// Every input of a run as run.json records it (`inputs`): the batch, and the reference tables and weights file
/// when the run was given any. An entry that was not used is left out of the file, so a plain run's record holds
/// `needs` and `offers` only, and a reader takes an absent entry for the embedded table or the default weights.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedInputs {
    /// needs.csv.
    pub needs: InputInfo,
    /// offers.csv.
    pub offers: InputInfo,
    /// `--commitments-file`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitments: Option<InputInfo>,
    /// `--countries-file`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub countries: Option<InputInfo>,
    /// `--regions-file`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regions: Option<InputInfo>,
    /// `--donors-file`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub donors: Option<InputInfo>,
    /// `--weights`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights_file: Option<FileInfo>,
    /// `--ledger`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ledger: Option<InputInfo>,
    /// `--rates`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rates: Option<InputInfo>,
    /// The rates that converted rows of the inputs, each with the rows it converted (docs/spec.md §11.4).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rates_used: Vec<RateUsed>,
}

impl From<RunInputs> for RecordedInputs {
    fn from(batch: RunInputs) -> RecordedInputs {
        RecordedInputs {
            needs: batch.needs,
            offers: batch.offers,
            commitments: None,
            countries: None,
            regions: None,
            donors: None,
            weights_file: None,
            ledger: None,
            rates: None,
            rates_used: Vec::new(),
        }
    }
}

/// The content of run.json.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunInfo {
    /// poa-match version.
    pub version: &'static str,
    /// The inputs.
    pub inputs: RecordedInputs,
    /// The options that shaped the outputs.
    pub options: RunOptions,
    /// The allocation method (`optimal` or `greedy` in the file).
    #[serde(serialize_with = "method_code")]
    pub method: Method,
    /// How the solve ended (`optimal`, `node_limit`, `work_limit`, `time_limit`, `gap_limit` or `heuristic` in the
    /// file).
    #[serde(serialize_with = "status_code")]
    pub status: Status,
    /// Σ dollars × value of the allocation.
    pub objective: i128,
    /// Proven upper bound on the optimum.
    pub bound: i128,
    /// Optimum of the flow relaxation.
    pub relaxation: i128,
    /// (bound − objective) / bound.
    pub gap: f64,
    /// Eligible (need, offer) pairs.
    pub edges: usize,
    /// Branch-and-bound nodes.
    pub nodes: u64,
    /// The exact search's work in work units (see `poa-match match --work-limit`; 0 without integer rules).
    pub work: u64,
    /// Whether any integer rule applies.
    pub integer_rules: bool,
    /// Total requested.
    pub requested_usd: i128,
    /// Total in envelopes.
    pub offered_usd: i128,
    /// Total allocated.
    pub allocated_usd: i128,
    /// Needs by outcome.
    pub needs: NeedCounts,
    /// With a ledger: what it locked (on the batch's needs, of offers outside the batch, on needs outside it) and
    /// what this round allocated anew (left out of the file without a ledger).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ledger: Option<LedgerTotals>,
    /// The objective's weights.
    pub weights: Weights,
    /// Seconds per stage (these vary between runs; every other field is a function of the inputs).
    pub timings: Timings,
}

fn method_code<S: Serializer>(method: &Method, out: S) -> Result<S::Ok, S::Error> {
    out.serialize_str(method.as_str())
}

fn status_code<S: Serializer>(status: &Status, out: S) -> Result<S::Ok, S::Error> {
    out.serialize_str(status.as_str())
}

/// What `replay` reads back from run.json: how to run the match again. Other fields of the file are the run's
/// results, which the replay compares as bytes rather than reads.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RecordedRun {
    /// The poa-match version that wrote the record.
    pub version: String,
    /// Every input, with its SHA-256.
    pub inputs: RecordedInputs,
    /// The options.
    pub options: RunOptions,
    /// How the search ended, as written (kept as text: a record may name a stop this version does not know).
    pub status: String,
    /// The objective's weights in full.
    pub weights: Weights,
}

impl RecordedRun {
    /// Reads `dir`/run.json. A missing file is an I/O error that says what replay needs; a malformed one, a data
    /// error with its line and column.
    pub fn read(dir: &Path) -> Result<RecordedRun> {
        let path = dir.join("run.json");
        let text = std::fs::read_to_string(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                let hint = if dir.is_dir() {
                    "no run.json here; replay needs the output folder of `poa-match match`, which holds one"
                } else {
                    "no such folder; replay needs the output folder of `poa-match match`"
                };
                Error::io(&path, std::io::Error::new(e.kind(), hint))
            } else {
                Error::io(&path, e)
            }
        })?;
        RecordedRun::parse(&path.display().to_string(), &text)
    }

    /// Parses the text of a run.json; `label` names it in messages.
    pub fn parse(label: &str, text: &str) -> Result<RecordedRun> {
        serde_json::from_str(text).map_err(|e| {
            // serde_json counts a column of 0 at the start of a line (where a file that ends early stops).
            let location = Location {
                path: label.to_string(),
                sheet: None,
                line: e.line() as u64,
                column: e.column().max(1),
                field: None,
            };
            // serde_json ends its message with the place, which the location already gives.
            let full = e.to_string();
            let place = format!(" at line {} column {}", e.line(), e.column());
            let what = full.strip_suffix(&place).unwrap_or(&full);
            let hint = if what.starts_with("missing field") {
                " (a run.json written before this version's decision record lacks it: run match again)"
            } else if e.is_eof() {
                " (the file ends early: is it whole?)"
            } else {
                ""
            };
            let message = format!("not a run record poa-match can replay: {what}{hint}");
            Error::invalid_data(vec![DataError { location, message }], 0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_malformed_record_is_one_error_with_its_line_and_column() {
        let err = RecordedRun::parse("out/run.json", "{\n  \"version\": \"0.1.0\",\n  \"inputs\": [1,\n").unwrap_err();
        let location = err.location().expect("a data error");
        assert_eq!((location.path.as_str(), location.line), ("out/run.json", 3));
        assert!(location.column > 1);
        assert_eq!(err.exit_code(), 3);
        let text = err.to_string();
        assert!(text.contains("out/run.json:3:") && text.contains("not a run record"), "{text}");
        assert!(!text.contains(" at line "), "the place is said once: {text}");
    }

    #[test]
    fn a_record_without_options_says_it_predates_them() {
        let err = RecordedRun::parse("run.json", r#"{"version": "0.1.0", "inputs": {}}"#).unwrap_err();
        assert!(err.to_string().contains("missing field"), "{err}");
    }
}
