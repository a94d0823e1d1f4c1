//! `poa-match simulate`: Monte Carlo funding scenarios on a batch (the bundled sample by default), in parallel,
//! optionally one shard of the draws; and `poa-match merge`, which combines shard files.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use poa_match::error::{DataError, Location};
use poa_match::io::provenance::{InputInfo, sha256_hex};
use poa_match::model::{LockLevel, group_thousands};
use poa_match::objective::Weights;
use poa_match::run::folder::FolderKind;
use poa_match::simulate::outputs::ScenarioSummary;
use poa_match::simulate::{self, Frame, SHARD_KIND, Shard, ShardSpec, StudyInputs, StudyOptions, Tally, Timings};
use poa_match::solve::WorkLimit;

use super::InputArgs;
use super::match_cmd::{LockArg, MethodArg, OutputStyleArgs};

/// Arguments of `simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    #[command(flatten)]
    input: InputArgs,
    /// The scenarios file (TOML; see data/sample/scenarios.toml).
    #[arg(long, value_name = "FILE")]
    scenarios: PathBuf,
    /// ledger.csv: the awards of earlier rounds. Committed and disbursed money stays where it is in every draw of
    /// every scenario, and each draw allocates around it.
    #[arg(long, value_name = "FILE")]
    ledger: Option<PathBuf>,
    /// Which awards of the ledger are fixed: committed (with disbursed; the default) or pledged too. A scenario's
    /// `pledged_awards` key decides for its pledged awards.
    #[arg(long, value_enum, requires = "ledger")]
    lock: Option<LockArg>,
    /// Allocation method of every draw.
    #[arg(long, value_enum, default_value_t = MethodArg::Optimal)]
    method: MethodArg,
    /// A TOML file overriding the objective's weights (see README).
    #[arg(long, value_name = "FILE")]
    weights: Option<PathBuf>,
    /// With integer rules, stop each draw's exact search after this many nodes (draws have no time limit, so
    /// that results are reproducible).
    #[arg(long, value_name = "N", default_value_t = 20_000)]
    node_limit: u64,
    /// With integer rules, stop each draw's exact search after this much work, in work units of a million
    /// elementary steps (deterministic, like the node limit); each draw's gap is reported. The default keeps a
    /// study of a hundred draws of a 2 000-need batch to a few minutes on two cores.
    #[arg(long, value_name = "UNITS", default_value_t = WorkLimit::DRAW_DEFAULT.units(),
          value_parser = super::match_cmd::parse_work)]
    work_limit: u64,
    /// Worker threads (default: `RAYON_NUM_THREADS`, else one per core). Results do not depend on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    threads: Option<u32>,
    /// Run only shard I of N (a contiguous slice of each scenario's draws) and write shard-I-of-N.json for
    /// `poa-match merge`.
    #[arg(long, value_name = "I/N", value_parser = ShardSpec::parse)]
    shard: Option<ShardSpec>,
    /// Directory for the outputs (created if missing).
    #[arg(long, value_name = "DIR", default_value = "out/simulate")]
    out: PathBuf,
    #[command(flatten)]
    style: OutputStyleArgs,
}

/// Arguments of `merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard files written by `simulate --shard I/N` (all N of them, any order), or folders holding them (each
    /// read as the shard-I-of-N.json files in it).
    #[arg(required = true, value_name = "SHARD")]
    shards: Vec<PathBuf>,
    /// Directory for the outputs (created if missing).
    #[arg(long, value_name = "DIR", default_value = "out/simulate")]
    out: PathBuf,
}

/// Reads the scenarios file whole (it is small) with its SHA-256.
fn read_scenarios(path: &PathBuf) -> anyhow::Result<(String, InputInfo)> {
    if path.is_dir() {
        return Err(poa_match::Error::io(path, std::io::Error::other("is a directory, expected a TOML file")).into());
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes)).map_err(|e| poa_match::Error::io(path, e))?;
    let label = path.display().to_string();
    let sha256 = sha256_hex(&bytes);
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
            let column = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
            let error = DataError {
                location: Location { path: label, sheet: None, line, column, field: None },
                message: "the file is not valid UTF-8".into(),
            };
            return Err(poa_match::Error::invalid_data(vec![error], 0).into());
        }
    };
    let rows = text.lines().count();
    Ok((text, InputInfo { path: label, rows, sha256 }))
}

/// The progress bar's template: `{rate}` is [`rate_text`] (indicatif's own `{per_sec}` prints four decimals).
const PROGRESS_TEMPLATE: &str = "{spinner} draws {pos}/{len} [{bar:40}] {rate}, {eta} left";

/// A progress bar on stderr when it is a terminal; none otherwise.
fn progress_bar(total: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(PROGRESS_TEMPLATE) {
        let style = style.with_key("rate", |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = w.write_str(&rate_text(state.per_sec()));
        });
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Draws per second as a person reads them: whole draws with grouped thousands, or one decimal under ten a
/// second, where a whole number would hide the rate; a dash before there is one.
fn rate_text(per_sec: f64) -> String {
    if !per_sec.is_finite() || per_sec <= 0.0 {
        "- draws/s".to_string()
    } else if per_sec < 10.0 {
        format!("{per_sec:.1} draws/s")
    } else {
        format!("{} draws/s", group_thousands(per_sec.round() as i128))
    }
}

pub fn run(args: SimulateArgs) -> anyhow::Result<ExitCode> {
    args.input.source()?;
    let started = Instant::now();
    let weights = match &args.weights {
        Some(p) => Weights::load(p)?,
        None => Weights::default(),
    };
    let reference = args.input.reference.load()?;
    let (loaded, ledger) = super::with_ledger::load_batch_with_ledger(&args.input, &reference, args.ledger.as_deref())?;
    if args.shard.is_none() {
        // Refused before the draws rather than after them: a folder this study may not take over.
        let files = FolderKind::Study.files(&args.out, args.style.output().format);
        poa_match::run::folder::check(&args.out, &files)?;
    }
    let (text, scenarios_info) = read_scenarios(&args.scenarios)?;
    let study = poa_match::scenario::parse(&scenarios_info.path, &text)?;
    let options = StudyOptions {
        method: poa_match::solve::Method::from(args.method),
        node_limit: args.node_limit,
        work_limit: args.work_limit,
        weights,
        lang: args.style.lang.lang(),
        format: args.style.output().format,
        excel: args.style.excel,
        lock: ledger.as_ref().map(|_| args.lock.map_or(LockLevel::Committed, LockLevel::from)),
    };
    let mut timings = Timings { read_s: started.elapsed().as_secs_f64(), ..Timings::default() };

    let pool = super::worker_pool(args.threads)?;
    let shard = args.shard.unwrap_or(ShardSpec::WHOLE);
    let dir = args.scenarios.parent().map(PathBuf::from).unwrap_or_default();

    let (frame, tallies) = pool.install(|| -> anyhow::Result<(Frame, Vec<Tally>)> {
        let t = Instant::now();
        let prepared = simulate::prepare(
            &study,
            &loaded.batch,
            &reference,
            &dir,
            args.input.read_options(loaded.rates()),
            &options,
            ledger.as_ref().map(|file| &file.ledger),
        )?;
        timings.prepare_s = t.elapsed().as_secs_f64();
        let frame = Frame {
            version: env!("CARGO_PKG_VERSION").to_string(),
            inputs: StudyInputs {
                needs: loaded.needs_info.clone(),
                offers: loaded.offers_info.clone(),
                scenarios: scenarios_info.clone(),
                ledger: ledger.as_ref().map(poa_match::io::LedgerFile::info),
                rates: loaded.rates.as_ref().map(|file| file.info.clone()),
                rates_used: poa_match::io::rates::rates_used(loaded.rates()),
            },
            seed: study.seed,
            options: options.clone(),
            scenarios: prepared.iter().map(|p| p.frame.clone()).collect(),
        };
        let total: u64 = prepared.iter().map(|p| u64::from(shard.slice(p.frame.draws).len() as u32)).sum();
        let bar = progress_bar(total);
        let t = Instant::now();
        let tallies = simulate::run_draws(&prepared, study.seed, &options, shard, &|n| bar.inc(n))?;
        timings.draws_s = t.elapsed().as_secs_f64();
        bar.finish_and_clear();
        Ok((frame, tallies))
    })?;

    let mut out = std::io::stdout().lock();
    if args.shard.is_some() {
        let draws: usize = tallies.iter().map(|t| t.draws.len()).sum();
        let shard_file = Shard { kind: SHARD_KIND.to_string(), shard, frame, tallies, timings };
        let path = simulate::outputs::write_shard(&args.out, &shard_file)?;
        writeln!(out, "shard {}/{}: {draws} draws written to {}", shard.index, shard.count, path.display())?;
        return Ok(ExitCode::SUCCESS);
    }
    let written = poa_match::run::study::write(&args.out, &frame, &tallies, timings)?;
    if loaded.bundled {
        writeln!(out, "{}", super::bundled_sample_line())?;
    }
    print_summary(&mut out, &frame, &written.summaries, written.timings)?;
    super::written::print(&mut out, &args.out, &written.files)?;
    Ok(ExitCode::SUCCESS)
}

/// One line per scenario on stdout.
fn print_summary(
    out: &mut impl Write,
    frame: &Frame,
    summaries: &[ScenarioSummary],
    timings: Timings,
) -> std::io::Result<()> {
    let draws: u64 = frame.scenarios.iter().map(|s| u64::from(s.draws)).sum();
    let rate = if timings.draws_s > 0.0 { draws as f64 / timings.draws_s } else { 0.0 };
    writeln!(
        out,
        "{} scenarios, {draws} draws, method {} ({rate:.1} draws/s)",
        frame.scenarios.len(),
        frame.options.method.as_str()
    )?;
    for (s, sum) in frame.scenarios.iter().zip(summaries) {
        let [mean, p5, _, p95] = sum.allocated.ratio_to(s.requested_usd);
        writeln!(
            out,
            "  {}: allocated {} USD on average ({:.1} % of {} requested; p5-p95 {:.1}-{:.1} %), needs funded p50 {}",
            s.name,
            group_thousands(sum.allocated.mean.round() as i128),
            100.0 * mean,
            group_thousands(s.requested_usd),
            100.0 * p5,
            100.0 * p95,
            sum.funded.p50
        )?;
        if let Some(ledger) = &s.ledger {
            let (locked, drawn) = (ledger.locked, ledger.drawn);
            write!(
                out,
                "    ledger: {} USD locked in {} awards in every draw",
                group_thousands(locked.usd),
                locked.awards
            )?;
            if drawn.awards > 0 {
                write!(out, ", {} USD in {} pledged awards drawn", group_thousands(drawn.usd), drawn.awards)?;
            }
            writeln!(out)?;
        }
    }
    Ok(())
}

/// Reads one shard file.
fn read_shard(path: &PathBuf) -> anyhow::Result<(String, Shard)> {
    let label = path.display().to_string();
    if path.is_dir() {
        return Err(poa_match::Error::io(path, std::io::Error::other("is a directory, expected a shard file")).into());
    }
    let file = std::fs::File::open(path).map_err(|e| poa_match::Error::io(path, e))?;
    let shard: Shard = serde_json::from_reader(std::io::BufReader::new(file)).map_err(|e| {
        let error = DataError {
            location: Location {
                path: label.clone(),
                sheet: None,
                line: e.line() as u64,
                column: e.column(),
                field: None,
            },
            message: format!("not a poa-match shard file: {e}"),
        };
        poa_match::Error::invalid_data(vec![error], 0)
    })?;
    simulate::check_shard(&label, &shard)?;
    Ok((label, shard))
}

pub fn merge(args: MergeArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let files = super::shard_files::expand(&args.shards)?;
    let shards = files.iter().map(read_shard).collect::<anyhow::Result<Vec<_>>>()?;
    let read_s = started.elapsed().as_secs_f64();
    let (frame, tallies, mut timings) = simulate::merge(shards)?;
    timings.read_s += read_s;
    let written = poa_match::run::study::write(&args.out, &frame, &tallies, timings)?;
    let mut out = std::io::stdout().lock();
    print_summary(&mut out, &frame, &written.summaries, written.timings)?;
    writeln!(out, "merged {} shards", files.len())?;
    super::written::print(&mut out, &args.out, &written.files)?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_reads_as_a_whole_number_of_draws() {
        assert_eq!(rate_text(1321.4836), "1,321 draws/s");
        assert_eq!(rate_text(10.0), "10 draws/s");
        assert_eq!(rate_text(2.345), "2.3 draws/s");
        assert_eq!(rate_text(0.0), "- draws/s");
        assert_eq!(rate_text(f64::INFINITY), "- draws/s");
        assert!(!PROGRESS_TEMPLATE.contains("{per_sec}") && PROGRESS_TEMPLATE.contains("{rate}"));
    }
}
