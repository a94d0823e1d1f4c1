//! `poa-match replay OUTDIR`: runs a published match again from its run.json and confirms that every output comes
//! out byte for byte the same, or says which input, option or file differs (docs/spec.md §10).
//!
//! The shape, for a secretariat officer holding a published folder and its input files:
//! - `replay OUTDIR` checks the run as recorded. Inputs are found at their recorded paths, read as `match` read
//!   them (relative to the working directory), or the bundled sample; a file moved elsewhere is given with its
//!   usual flag (`--needs FILE`) and must still have the recorded SHA-256.
//! - An input that is missing or changed ends the replay before anything runs, one line per input.
//! - The match options (`--gap-limit 0.5%`, `--method greedy`, ...) may be given as a change to try: each that
//!   differs from the record is named, then the match runs with it and the outputs are compared as usual (they
//!   cannot all agree: run.json records the options).
//!
//! Exit codes: 0 when every output is identical; 4 when an input, an option or an output differs; otherwise
//! those of docs/spec.md §8 (a malformed run.json is invalid data, 3).

mod locate;
mod report;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use poa_match::model::RoundLabel;
use poa_match::report::{RecordedRun, RunOptions};
use poa_match::run::replay::{self, Change, FileComparison};
use poa_match::solve::GapLimit;

use super::Lang;
use super::job::{MatchJob, RoundJob};
use super::match_cmd::{FormatArg, MethodArg, parse_gap, parse_seconds, parse_work};

/// Help headings of the flags that say where a moved input is, and of the options to try.
const MOVED: &str = "Inputs found elsewhere";
const TRY: &str = "Options to try instead of the recorded ones";

/// Exit code of a replay that finds a difference (docs/spec.md §8).
const NOT_REPRODUCED: u8 = 4;

/// Arguments of `replay`.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The output folder of a match (it holds run.json).
    #[arg(value_name = "OUTDIR")]
    out_dir: PathBuf,
    /// needs.csv, if it is no longer at its recorded path (it must have the recorded SHA-256).
    #[arg(long, value_name = "FILE", help_heading = MOVED)]
    needs: Option<PathBuf>,
    /// offers.csv, if it is no longer at its recorded path.
    #[arg(long, value_name = "FILE", help_heading = MOVED)]
    offers: Option<PathBuf>,
    /// The commitment catalogue the run was given, if no longer at its recorded path.
    #[arg(long, value_name = "FILE", help_heading = MOVED)]
    commitments_file: Option<PathBuf>,
    /// The country table the run was given, if no longer at its recorded path.
    #[arg(long, value_name = "FILE", help_heading = MOVED)]
    countries_file: Option<PathBuf>,
    /// The M49 area table the run was given, if no longer at its recorded path.
    #[arg(long, value_name = "FILE", help_heading = MOVED)]
    regions_file: Option<PathBuf>,
    /// The donor table the run was given, if no longer at its recorded path.
    #[arg(long, value_name = "FILE", help_heading = MOVED)]
    donors_file: Option<PathBuf>,
    /// The weights file the run was given, if no longer at its recorded path.
    #[arg(long, value_name = "FILE", help_heading = MOVED)]
    weights: Option<PathBuf>,
    /// The ledger of the round the run was, if no longer at its recorded path.
    #[arg(long, value_name = "FILE", help_heading = MOVED)]
    ledger: Option<PathBuf>,
    /// The rates file the run was given, if no longer at its recorded path.
    #[arg(long, value_name = "FILE", help_heading = MOVED)]
    rates: Option<PathBuf>,
    /// Allocation method to try instead of the recorded one.
    #[arg(long, value_enum, help_heading = TRY)]
    method: Option<MethodArg>,
    /// Work limit (work units) to try instead of the recorded one.
    #[arg(long, value_name = "UNITS", value_parser = parse_work, help_heading = TRY)]
    work_limit: Option<u64>,
    /// Time limit (seconds) to try instead of the recorded one.
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds, help_heading = TRY)]
    time_limit: Option<f64>,
    /// Node limit to try instead of the recorded one.
    #[arg(long, value_name = "N", help_heading = TRY)]
    node_limit: Option<u64>,
    /// Gap limit (0.0001 or 0.01%) to try instead of the recorded one.
    #[arg(long, value_name = "GAP", value_parser = parse_gap, help_heading = TRY)]
    gap_limit: Option<GapLimit>,
    /// Language of the outputs to try instead of the recorded one.
    #[arg(long, value_enum, help_heading = TRY)]
    lang: Option<Lang>,
    /// Table format to try instead of the recorded one.
    #[arg(long, value_enum, help_heading = TRY)]
    format: Option<FormatArg>,
    /// Byte-order mark on CSV files (`--excel` or `--excel=false`) instead of the recorded choice.
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true",
          help_heading = TRY)]
    excel: Option<bool>,
    /// Ignore unknown input columns (`--allow-extra-columns` or `=false`) instead of the recorded choice.
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true",
          help_heading = TRY)]
    allow_extra_columns: Option<bool>,
    /// The published flow network to compare, from `match --export-network` (default: the one .dimacs file in
    /// OUTDIR); given for a run that exported none, a change to try.
    #[arg(long, value_name = "FILE", help_heading = TRY)]
    export_network: Option<PathBuf>,
    /// Worker threads (default: `RAYON_NUM_THREADS`, else one per core). Results do not depend on it, so run.json
    /// does not record it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    threads: Option<u32>,
    /// Write the re-run's outputs into DIR (a new or empty folder) and keep them, to look at a difference
    /// (default: a temporary folder, removed at the end).
    #[arg(long, value_name = "DIR")]
    keep: Option<PathBuf>,
}

pub fn run(args: ReplayArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    super::worker_pool(args.threads)?.install(|| replay_on_pool(args, quiet))
}

fn replay_on_pool(args: ReplayArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    let record = RecordedRun::read(&args.out_dir)?;
    let workspace = Workspace::new(args.keep.as_deref())?;
    let this_version = env!("CARGO_PKG_VERSION");
    if record.version != this_version {
        eprintln!(
            "note: run.json was written by poa-match {}, this is {this_version}: outputs may differ for that alone",
            record.version
        );
    }
    let (options, changes) = options_to_try(&args, &record.options);
    let located = match locate::locate_inputs(&args, &record, &options) {
        Ok(located) => located,
        Err(problems) => {
            for problem in problems {
                eprintln!("error: {problem}");
            }
            return Ok(ExitCode::from(NOT_REPRODUCED));
        }
    };
    let names: Vec<&str> = located.checked.iter().map(String::as_str).collect();
    println!("inputs as recorded: {} (SHA-256 checked)", names.join(", "));
    for change in &changes {
        eprintln!("option {}: recorded {}, given {}", change.name, change.recorded, change.given);
    }

    let published_network = if options.export_network {
        args.export_network.clone().or_else(|| only_network_in(&args.out_dir))
    } else {
        None
    };
    let network_name = options.export_network.then(|| {
        let name = published_network.as_deref().and_then(Path::file_name);
        name.map_or_else(|| "network.dimacs".to_string(), |n| n.to_string_lossy().into_owned())
    });
    let method = options.method;
    let round = options.rounds.as_ref().zip(located.ledger).map(|(round, ledger)| RoundJob {
        ledger,
        round: Some(RoundLabel(round.round.clone())),
        lock: round.lock,
        proposed_on: round.proposed_on,
    });
    let job = MatchJob {
        round,
        input: &located.input,
        options,
        weights: located.weights,
        weights_file: located.weights_file,
        out_dir: workspace.dir.clone(),
        network: network_name.as_ref().map(|name| workspace.dir.join(name)),
        recorded_paths: Some(&record.inputs),
        quiet,
    };
    super::job::run(job)?;
    println!("re-ran the match (method {}) into {}", method.as_str(), workspace.describe());

    let mut comparison = replay::compare_dirs(&args.out_dir, &workspace.dir, network_name.as_deref())?;
    if let Some(name) = &network_name {
        match published_network {
            Some(published) => {
                let verdict = replay::compare_file(&published, &workspace.dir.join(name), false)?;
                comparison.files.push(FileComparison { published, verdict });
            }
            None => eprintln!(
                "note: the run exported its flow network, but {} holds no one .dimacs file: not compared (give it \
                 with --export-network FILE)",
                args.out_dir.display()
            ),
        }
    }
    if !comparison.not_compared.is_empty() {
        println!("not written by this run, so not compared: {}", comparison.not_compared.join(", "));
    }
    if comparison.identical() && changes.is_empty() {
        println!(
            "{} files compared with {}: all identical (run.json without its timings)",
            comparison.files.len(),
            args.out_dir.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    report::report_differences(&comparison, &changes, &record, this_version);
    Ok(ExitCode::from(NOT_REPRODUCED))
}

/// The recorded options with those given on the command line in their place, and what that changes.
fn options_to_try(args: &ReplayArgs, recorded: &RunOptions) -> (RunOptions, Vec<Change>) {
    let mut options = recorded.clone();
    if let Some(method) = args.method {
        options.method = method.into();
    }
    if let Some(units) = args.work_limit {
        options.limits.work_limit = units;
    }
    if let Some(seconds) = args.time_limit {
        options.limits.time_limit = Some(seconds);
    }
    if let Some(nodes) = args.node_limit {
        options.limits.node_limit = nodes;
    }
    if let Some(gap) = args.gap_limit {
        options.limits.gap_limit = gap;
    }
    if let Some(lang) = args.lang {
        options.lang = lang.lang();
    }
    if let Some(format) = args.format {
        options.format = format.into();
    }
    if let Some(excel) = args.excel {
        options.excel = excel;
    }
    if let Some(allow) = args.allow_extra_columns {
        options.allow_extra_columns = allow;
    }
    if args.export_network.is_some() {
        options.export_network = true;
    }
    let changes = replay::option_changes(recorded, &options);
    (options, changes)
}

/// The one DIMACS file (`.dimacs`) directly in `dir`, if there is exactly one.
fn only_network_in(dir: &Path) -> Option<PathBuf> {
    let mut found = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "dimacs"));
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// The folder the re-run writes into: a new temporary one, removed when the replay ends, or the one `--keep`
/// names.
struct Workspace {
    dir: PathBuf,
    remove: bool,
}

impl Workspace {
    fn new(keep: Option<&Path>) -> anyhow::Result<Workspace> {
        if let Some(dir) = keep {
            let empty = match std::fs::read_dir(dir) {
                Ok(mut entries) => entries.next().is_none(),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
                Err(e) => return Err(poa_match::Error::io(dir, e).into()),
            };
            if !empty {
                return Err(poa_match::Error::usage(format!(
                    "--keep {}: not an empty folder (replay writes the re-run's outputs there and overwrites nothing)",
                    dir.display()
                ))
                .into());
            }
            return Ok(Workspace { dir: dir.to_path_buf(), remove: false });
        }
        let base = std::env::temp_dir();
        for attempt in 0..1000u32 {
            let dir = base.join(format!("poa-match-replay-{}-{attempt}", std::process::id()));
            match std::fs::create_dir(&dir) {
                Ok(()) => return Ok(Workspace { dir, remove: true }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(poa_match::Error::io(&dir, e).into()),
            }
        }
        Err(poa_match::Error::io(&base, std::io::Error::other("no new folder could be made for the re-run")).into())
    }

    fn describe(&self) -> String {
        if self.remove { "a temporary folder".to_string() } else { self.dir.display().to_string() }
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        if self.remove {
            // Best effort: a folder left in the system's temporary directory harms nothing.
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}
