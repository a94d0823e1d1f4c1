//! The inputs of a replay: each one the record names, found (at its recorded path, under the flag that gives it
//! elsewhere, or in the bundled sample) and its SHA-256 checked, with one line per problem.

use std::path::{Path, PathBuf};

use poa_match::io::provenance::{FileInfo, InputInfo};
use poa_match::objective::Weights;
use poa_match::report::{RecordedRun, RunOptions};
use poa_match::run::replay::{self, Expected, Source};

use super::super::match_cmd::read_weights;
use super::super::{InputArgs, ReferenceArgs, SAMPLE_NEEDS, SAMPLE_NEEDS_LABEL, SAMPLE_OFFERS, SAMPLE_OFFERS_LABEL};
use super::ReplayArgs;

/// The inputs of a replay, found and checked against the record.
pub struct Located {
    /// Where to read them.
    pub input: InputArgs,
    /// The recorded weights in full.
    pub weights: Weights,
    /// The weights file's record, when the run had one.
    pub weights_file: Option<FileInfo>,
    /// The ledger of a round, when the run had one.
    pub ledger: Option<PathBuf>,
    /// The inputs checked, by their names in run.json.
    pub checked: Vec<String>,
}

/// What the checks of the inputs found.
struct Checks<'a> {
    version: &'a str,
    problems: Vec<String>,
    checked: Vec<String>,
}

impl Checks<'_> {
    fn check(&mut self, name: &str, flag: &str, sha256: &str, source: &Source<'_>) -> bool {
        let expected = Expected { name, flag, sha256, version: self.version };
        match replay::check_input(&expected, source) {
            Some(problem) => {
                self.problems.push(problem);
                false
            }
            None => {
                self.checked.push(name.to_string());
                true
            }
        }
    }

    /// Checks needs.csv or offers.csv (`bundled`: the sample's label and text); where to read it.
    fn batch_file(
        &mut self,
        (name, flag): (&str, &str),
        info: &InputInfo,
        given: &Option<PathBuf>,
        bundled: (&str, &str),
    ) -> Option<PathBuf> {
        let (path, given) = match given {
            Some(path) => (path.clone(), true),
            None if info.path == bundled.0 => {
                self.check(name, flag, &info.sha256, &Source::Bundled(bundled.1.as_bytes()));
                return None;
            }
            None => (PathBuf::from(&info.path), false),
        };
        self.check(name, flag, &info.sha256, &Source::File { path: path.clone(), given });
        Some(path)
    }

    /// Checks an input the run may have been given (a reference table, the ledger); where to read it (`None`: the
    /// run had none, and `default` says what it used instead).
    fn optional(
        &mut self,
        (name, flag, default): (&str, &str, &str),
        info: &Option<InputInfo>,
        given: &Option<PathBuf>,
    ) -> Option<PathBuf> {
        match (info, given) {
            (None, None) => None,
            (None, Some(path)) => {
                self.problems.push(unrecorded(name, flag, path, default, ""));
                None
            }
            (Some(info), given) => {
                let path = given.clone().unwrap_or_else(|| PathBuf::from(&info.path));
                self.check(name, flag, &info.sha256, &Source::File { path: path.clone(), given: given.is_some() });
                Some(path)
            }
        }
    }

    /// Checks the weights file the run may have been given, naming the weights that differ if it changed.
    fn weights_file(&mut self, record: &RecordedRun, given: &Option<PathBuf>) {
        const NAME: (&str, &str) = ("weights_file", "--weights");
        match (&record.inputs.weights_file, given) {
            (None, None) => {}
            (None, Some(path)) => {
                let differ = weights_that_differ(path, &record.weights);
                self.problems.push(unrecorded(NAME.0, NAME.1, path, "the default weights", &differ));
            }
            (Some(info), given) => {
                let path = given.clone().unwrap_or_else(|| PathBuf::from(&info.path));
                let source = Source::File { path: path.clone(), given: given.is_some() };
                if !self.check(NAME.0, NAME.1, &info.sha256, &source)
                    && let Some(problem) = self.problems.last_mut()
                {
                    problem.push_str(&weights_that_differ(&path, &record.weights));
                }
            }
        }
    }
}

/// Finds every recorded input and checks its SHA-256; the problems, one line each, if any is missing or changed.
pub fn locate_inputs(args: &ReplayArgs, record: &RecordedRun, options: &RunOptions) -> Result<Located, Vec<String>> {
    let recorded = &record.inputs;
    let mut checks = Checks { version: &record.version, problems: Vec::new(), checked: Vec::new() };
    let needs =
        checks.batch_file(("needs", "--needs"), &recorded.needs, &args.needs, (SAMPLE_NEEDS_LABEL, SAMPLE_NEEDS));
    let offers =
        checks.batch_file(("offers", "--offers"), &recorded.offers, &args.offers, (SAMPLE_OFFERS_LABEL, SAMPLE_OFFERS));
    let reference = ReferenceArgs {
        commitments_file: checks.optional(
            ("commitments", "--commitments-file", EMBEDDED),
            &recorded.commitments,
            &args.commitments_file,
        ),
        countries_file: checks.optional(
            ("countries", "--countries-file", EMBEDDED),
            &recorded.countries,
            &args.countries_file,
        ),
        regions_file: checks.optional(("regions", "--regions-file", EMBEDDED), &recorded.regions, &args.regions_file),
        donors_file: checks.optional(("donors", "--donors-file", EMBEDDED), &recorded.donors, &args.donors_file),
    };
    let ledger = checks.optional(("ledger", "--ledger", "no ledger"), &recorded.ledger, &args.ledger);
    let rates = checks.optional(("rates", "--rates", "no rates file"), &recorded.rates, &args.rates);
    checks.weights_file(record, &args.weights);
    if !checks.problems.is_empty() {
        return Err(checks.problems);
    }
    let input = InputArgs {
        needs,
        offers,
        allow_extra_columns: options.allow_extra_columns,
        rates,
        sheet: options.sheet.clone(),
        max_errors: 100,
        reference,
    };
    // The recorded weights in full: the file, when there was one, has just been checked to be the same bytes.
    Ok(Located {
        input,
        weights: record.weights,
        weights_file: recorded.weights_file.clone(),
        ledger,
        checked: checks.checked,
    })
}

/// What a run without a reference table of its own used.
const EMBEDDED: &str = "the embedded table";

/// The problem of an input given on the command line that the recorded run did not have.
fn unrecorded(name: &str, flag: &str, path: &Path, default: &str, detail: &str) -> String {
    format!(
        "{name}: the run used {default}, but {flag} {} was given{detail} (hint: leave out {flag} to check the run \
         as recorded)",
        path.display()
    )
}

/// " (weights that differ: key recorded A, given B; ...)" for a weights file that can be read, else nothing.
fn weights_that_differ(path: &Path, recorded: &Weights) -> String {
    let Ok((given, _)) = read_weights(path) else {
        return String::new();
    };
    let changes = replay::weight_changes(recorded, &given);
    if changes.is_empty() {
        return " (the same weights, written differently)".to_string();
    }
    let listed: Vec<String> =
        changes.iter().map(|c| format!("{} recorded {}, given {}", c.name, c.recorded, c.given)).collect();
    format!(" (weights that differ: {})", listed.join("; "))
}
