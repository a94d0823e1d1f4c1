//! `poa-match match`: the main job. Reads a batch (the bundled sample by default), allocates, writes reports.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use poa_match::io::outputs::{OutputOptions, TableFormat};
use poa_match::io::provenance::FileInfo;
use poa_match::model::{Date, LockLevel, RoundLabel};
use poa_match::objective::Weights;
use poa_match::report::{RecordedLimits, RunOptions};
use poa_match::run::SolveConfig;
use poa_match::solve::{GapLimit, Method, WorkLimit};

use super::job::MatchJob;
use super::{InputArgs, Lang};

/// Allocation methods on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MethodArg {
    /// Exact optimum (min-cost flow; branch and bound when integer rules apply).
    Optimal,
    /// Needs by priority then id, each to offers by descending fit: the manual baseline.
    Greedy,
}

impl From<MethodArg> for Method {
    fn from(m: MethodArg) -> Method {
        match m {
            MethodArg::Optimal => Method::Optimal,
            MethodArg::Greedy => Method::Greedy,
        }
    }
}

/// Table formats on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// CSV files.
    Csv,
    /// JSON files.
    Json,
    /// One Excel workbook with a sheet per table (match.xlsx, simulate.xlsx, track.xlsx).
    Xlsx,
}

/// How outputs are written, shared by `match` and `simulate`.
#[derive(Debug, Args)]
pub struct OutputStyleArgs {
    /// Write tables as CSV files, JSON files or one Excel workbook.
    #[arg(long, value_enum, default_value_t = FormatArg::Csv)]
    pub format: FormatArg,
    /// Start CSV files with a UTF-8 byte-order mark so spreadsheet programs read Chinese text correctly.
    #[arg(long)]
    pub excel: bool,
    /// Language of labels and titles in the outputs.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
}

impl From<FormatArg> for TableFormat {
    fn from(format: FormatArg) -> TableFormat {
        match format {
            FormatArg::Csv => TableFormat::Csv,
            FormatArg::Json => TableFormat::Json,
            FormatArg::Xlsx => TableFormat::Xlsx,
        }
    }
}

impl OutputStyleArgs {
    /// The table options these flags ask for.
    pub fn output(&self) -> OutputOptions {
        OutputOptions { format: self.format.into(), excel_bom: self.excel }
    }
}

/// Options shared by `match` and `explain`: how to solve.
#[derive(Debug, Args)]
pub struct SolveArgs {
    /// Allocation method.
    #[arg(long, value_enum, default_value_t = MethodArg::Optimal)]
    pub method: MethodArg,
    /// A TOML file overriding the objective's weights (see README).
    #[arg(long, value_name = "FILE")]
    pub weights: Option<PathBuf>,
    /// With integer rules, stop the exact search after this much work, in work units of a million elementary
    /// steps of its network simplexes, and report the gap (status `work_limit`). Deterministic: the same inputs
    /// and options give the same allocation on any machine, under any load, on any number of threads. The
    /// default costs about a minute on a two-core machine for a batch of 2 000 needs and 200 offers; the tree
    /// search stops a fifth short of it (a tenth on searches over 10 000 eligible pairs) and spends the rest on
    /// neighbourhoods around the best allocation.
    #[arg(long, value_name = "UNITS", default_value_t = WorkLimit::DEFAULT.units(), value_parser = parse_work)]
    pub work_limit: u64,
    /// With integer rules, also stop the exact search so that the whole run (reading, building and writing
    /// included) takes about this many seconds (status `time_limit`). Off by default: a run stopped by the clock
    /// may give another allocation on another machine or under another load.
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub time_limit: Option<f64>,
    /// With integer rules, stop the exact search after this many nodes (deterministic; per independent part of
    /// the batch). The default is high enough that the work limit is what stops a search in practice.
    #[arg(long, value_name = "N", default_value_t = 1_000_000)]
    pub node_limit: u64,
    /// With integer rules, stop the exact search once its allocation is proven within this relative gap of the
    /// optimum, as a fraction (0.0001) or a percentage (0.01%); status `gap_limit` in run.json. The default, 0,
    /// asks for a proof of optimality.
    #[arg(long, value_name = "GAP", default_value = "0", value_parser = parse_gap)]
    pub gap_limit: GapLimit,
    /// Worker threads (default: `RAYON_NUM_THREADS`, else one per core). The exact search of a batch over 10 000
    /// eligible pairs uses two. The result does not depend on it (unless a time limit stops the search).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub threads: Option<u32>,
}

/// A work limit in whole work units (thousands separators allowed).
pub fn parse_work(text: &str) -> Result<u64, String> {
    let digits: String = text.chars().filter(|c| !matches!(c, '_' | ',')).collect();
    match digits.parse::<u64>() {
        Ok(units) if units > 0 && WorkLimit::new(units).is_some() => Ok(units),
        _ => Err(format!("expected a positive whole number of work units (e.g. 9000), found {text:?}")),
    }
}

pub fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 && s < 1e7 => Ok(s),
        _ => Err(format!("expected a positive number of seconds, found {text:?}")),
    }
}

/// A gap as a fraction or, with a trailing `%`, a percentage, at least 0 and below 100 %.
pub fn parse_gap(text: &str) -> Result<GapLimit, String> {
    let (number, scale) = match text.trim().strip_suffix('%') {
        Some(percent) => (percent.trim(), 100.0),
        None => (text.trim(), 1.0),
    };
    number
        .parse::<f64>()
        .ok()
        .and_then(|value| GapLimit::from_fraction(value / scale))
        .ok_or_else(|| format!("expected a gap from 0 to below 1 (or 0% to below 100%), found {text:?}"))
}

impl SolveArgs {
    /// The solve configuration these flags ask for (the weights file loaded and checked).
    pub fn config(&self) -> anyhow::Result<SolveConfig> {
        let (weights, _) = self.weights_with_file()?;
        Ok(SolveConfig { method: self.method.into(), limits: self.recorded_limits().limits(), weights })
    }

    /// The limits as given, as run.json records them.
    pub fn recorded_limits(&self) -> RecordedLimits {
        RecordedLimits {
            work_limit: self.work_limit,
            time_limit: self.time_limit,
            node_limit: self.node_limit,
            gap_limit: self.gap_limit,
        }
    }

    /// The weights (the file's, checked, or the defaults) and, when a file was given, its record.
    pub fn weights_with_file(&self) -> anyhow::Result<(Weights, Option<FileInfo>)> {
        match &self.weights {
            Some(path) => {
                let (weights, file) = read_weights(path)?;
                Ok((weights, Some(file)))
            }
            None => Ok((Weights::default(), None)),
        }
    }
}

/// Reads and checks a weights file, with the record of its bytes.
pub fn read_weights(path: &std::path::Path) -> anyhow::Result<(Weights, FileInfo)> {
    let bytes = std::fs::read(path).map_err(|e| poa_match::Error::io(path, e))?;
    let label = path.display().to_string();
    let file = FileInfo::of_bytes(&label, &bytes);
    // Refused as `Weights::load` refuses it: the same words as reading the file as text.
    let text = String::from_utf8(bytes).map_err(|_| {
        poa_match::Error::io(
            path,
            std::io::Error::new(std::io::ErrorKind::InvalidData, "stream did not contain valid UTF-8"),
        )
    })?;
    Ok((Weights::parse(&label, &text)?, file))
}

/// Which awards a round locks, on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LockArg {
    /// Committed and disbursed awards.
    Committed,
    /// Pledged awards too.
    Pledged,
}

impl From<LockArg> for LockLevel {
    fn from(lock: LockArg) -> LockLevel {
        match lock {
            LockArg::Committed => LockLevel::Committed,
            LockArg::Pledged => LockLevel::Pledged,
        }
    }
}

/// A matching round over a ledger of earlier awards (docs/spec.md §9).
#[derive(Debug, Args)]
pub struct RoundArgs {
    /// ledger.csv: the awards of earlier rounds and where each stands. Committed and disbursed money stays where it
    /// is; this round allocates around it, and `ledger.csv` in the output folder adds its awards as proposed.
    #[arg(long, value_name = "FILE")]
    pub ledger: Option<PathBuf>,
    /// The label of this round's awards (default: one above the ledger's highest round that is a whole number).
    #[arg(long, value_name = "LABEL", requires = "ledger", value_parser = parse_round)]
    pub round: Option<RoundLabel>,
    /// Which awards of the ledger are fixed: committed (with disbursed; the default) or pledged too.
    #[arg(long, value_enum, requires = "ledger")]
    pub lock: Option<LockArg>,
    /// The status date (YYYY-MM-DD) of this round's proposed awards in the output ledger; blank without it.
    #[arg(long, value_name = "DATE", requires = "ledger", value_parser = poa_match::records::fields::date)]
    pub proposed_on: Option<Date>,
}

/// A round label: letters, digits, `-`, `_` and `.`, at most 40 characters, since it starts every new award's id
/// (`2014-0001`). A ledger's own rows may hold any id.
fn parse_round(text: &str) -> Result<RoundLabel, String> {
    let ok = !text.is_empty()
        && text.len() <= 40
        && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(RoundLabel(text.to_string()))
    } else {
        Err(format!("expected a label of letters, digits, '-', '_' and '.' (e.g. 2014 or 2014-call-2), found {text:?}"))
    }
}

impl RoundArgs {
    /// The round these flags ask for, if a ledger was given.
    pub fn round(&self) -> Option<super::job::RoundJob> {
        let ledger = self.ledger.clone()?;
        Some(super::job::RoundJob {
            ledger,
            round: self.round.clone(),
            lock: self.lock.map_or(LockLevel::Committed, LockLevel::from),
            proposed_on: self.proposed_on,
        })
    }
}

/// Arguments of `match`.
#[derive(Debug, Args)]
pub struct MatchArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    round: RoundArgs,
    #[command(flatten)]
    solve: SolveArgs,
    /// Directory for the outputs (created if missing).
    #[arg(long, value_name = "DIR", default_value = "out")]
    out: PathBuf,
    #[command(flatten)]
    style: OutputStyleArgs,
    /// Also write the flow network in DIMACS min-cost-flow format to FILE.
    #[arg(long, value_name = "FILE")]
    export_network: Option<PathBuf>,
}

pub fn run(args: MatchArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    super::worker_pool(args.solve.threads)?.install(|| match_on_pool(args, quiet))
}

fn match_on_pool(args: MatchArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    args.input.source()?;
    let (weights, weights_file) = args.solve.weights_with_file()?;
    let options = RunOptions {
        method: args.solve.method.into(),
        limits: args.solve.recorded_limits(),
        lang: args.style.lang.lang(),
        format: args.style.format.into(),
        excel: args.style.excel,
        export_network: args.export_network.is_some(),
        allow_extra_columns: args.input.allow_extra_columns,
        sheet: args.input.sheet.clone(),
        rounds: None,
    };
    let job = MatchJob {
        round: args.round.round(),
        input: &args.input,
        options,
        weights,
        weights_file,
        out_dir: args.out.clone(),
        network: args.export_network.clone(),
        recorded_paths: None,
        quiet,
    };
    let done = super::job::run(job)?;
    let mut out = std::io::stdout().lock();
    super::match_summary::print(&mut out, &done, &args.out)?;
    Ok(ExitCode::SUCCESS)
}
