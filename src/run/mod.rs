//! The pipelines end to end: `match` ([`solve_request`] then [`write_outputs`]), a study's outputs
//! ([`study::write`]), a follow-up's ([`track::write`]) and the checks of `replay` ([`replay`]). Reading is the
//! caller's (the binary reads the bundled sample or the files named), so that the library never guesses paths.
//!
//! A match starts from a [`RunRequest`]: its inputs, options and weights as run.json records them. Two
//! configurations are derived from it: how to solve ([`SolveConfig`]: method, limits, weights) and what to write
//! ([`OutputConfig`]: folder, table format, language, the network export). `explain` solves with the first only
//! ([`solve_batch`]). This is the top layer: it reads every
//! other (the graph, the solver, the report rows, the pages, the writers) and nothing reads it.

pub mod folder;
pub mod replay;
pub mod study;
pub mod track;

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::catalog::Reference;
use crate::error::Result;
use crate::graph::locks::Locks;
use crate::graph::{self, Graph};
use crate::io::LedgerFile;
use crate::io::atomic;
use crate::io::outputs::{self, OutputOptions};
use crate::lang::Lang;
use crate::model::{Batch, Ledger, LockLevel, RoundLabel};
use crate::objective::Weights;
use crate::render::{self, MatchPage};
use crate::report::{
    self, LedgerTotals, MatchReport, NeedCounts, NeedState, NeedStatus, RecordedInputs, RoundOptions, RunInfo,
    RunInputs, RunOptions, Timings, schema,
};
use crate::solve::{self, Limits, Method, Solution, relaxation};

/// How to solve a batch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SolveConfig {
    /// Allocation method.
    pub method: Method,
    /// Search limits for integer rules.
    pub limits: Limits,
    /// Objective weights.
    pub weights: Weights,
}

/// What to write, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputConfig {
    /// Output directory.
    pub out_dir: PathBuf,
    /// Table format options.
    pub tables: OutputOptions,
    /// Language of labels and names.
    pub lang: Lang,
    /// Where to write the flow network in DIMACS format, if anywhere.
    pub export_network: Option<PathBuf>,
}

impl OutputConfig {
    /// The files a match writes with this configuration (`round`: it writes the output ledger too), in the order
    /// it writes them.
    pub fn files(&self, round: bool) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = self.export_network.iter().cloned().collect();
        let mut own = folder::FolderKind::Match.files(&self.out_dir, self.tables.format);
        if round {
            let tables = folder::FolderKind::Match.table_files(self.tables.format).len();
            own.insert(tables, self.out_dir.join(folder::LEDGER));
        }
        files.extend(own);
        files
    }

    /// Checks, before anything is solved, that writing these files may take over the output folder: refused when
    /// it holds an earlier round's ledger that the run would not rewrite ([`folder::stale_outputs`]).
    pub fn check_folder(&self, round: bool) -> Result<()> {
        folder::check(&self.out_dir, &self.files(round))
    }
}

/// A match's outputs as written: run.json's content and the files written and removed.
#[derive(Debug, Clone)]
pub struct WrittenRun {
    /// run.json's content, as written.
    pub run: RunInfo,
    /// The files written (in order) and those of an earlier run removed.
    pub files: atomic::Committed,
}

/// A match as the user asked for it, as run.json records it (docs/spec.md §10): every input, every option and
/// the weights in full. [`RunRequest::solve_config`] and [`RunRequest::output_config`] are derived from it, so
/// what is solved and written is what is recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRequest {
    /// The inputs, with their SHA-256.
    pub inputs: RecordedInputs,
    /// The options.
    pub options: RunOptions,
    /// The objective's weights.
    pub weights: Weights,
}

impl RunRequest {
    /// How to solve.
    pub fn solve_config(&self) -> SolveConfig {
        SolveConfig { method: self.options.method, limits: self.options.limits.limits(), weights: self.weights }
    }

    /// What to write into `out_dir`; the network, if the options export it, goes to `network` (the recorded path
    /// for a match; elsewhere for a replay).
    pub fn output_config(&self, out_dir: PathBuf, network: Option<PathBuf>) -> OutputConfig {
        OutputConfig { out_dir, tables: self.options.tables(), lang: self.options.lang, export_network: network }
    }
}

/// A solved batch: the graph, the allocation, every need's outcome and the run record.
#[derive(Debug, Clone)]
pub struct MatchOutcome {
    /// The eligibility graph.
    pub graph: Graph,
    /// The allocation and its certificate.
    pub solution: Solution,
    /// Every need's outcome, in file order.
    pub needs: Vec<NeedStatus>,
    /// run.json's content.
    pub run: RunInfo,
    /// With a ledger: its awards placed on the batch (the solution's amounts include the locked ones).
    pub locks: Option<Locks>,
}

/// Solves a batch (in a `round`, around a ledger's locks at a lock level) and records the run, without writing
/// anything; the search reports its progress to `observer`. The record's options are the solving ones, the output
/// choices left at their defaults (for `explain`, which writes no record; `match` records its run with
/// [`solve_request`]).
pub fn solve_batch(
    batch: &Batch,
    reference: &Reference,
    config: &SolveConfig,
    inputs: RunInputs,
    round: Option<(&Ledger, LockLevel)>,
    read_s: f64,
    observer: Option<&dyn solve::progress::Observer>,
) -> Result<MatchOutcome> {
    let mut options = RunOptions::solving(config.method, &config.limits);
    options.rounds = round.map(|(ledger, lock)| RoundOptions { round: ledger.next_round().0, lock, proposed_on: None });
    let ledger = round.map(|(ledger, _)| ledger);
    solve_recorded(batch, reference, config, inputs.into(), options, ledger, read_s, observer)
}

/// Solves the batch of a request and records the run with the request's inputs and options, without writing
/// anything; the search reports its progress to `observer`. With a `ledger` (the request's options then say
/// which awards it locks), the allocation keeps its locks (docs/spec.md §9).
pub fn solve_request(
    batch: &Batch,
    reference: &Reference,
    request: RunRequest,
    ledger: Option<&Ledger>,
    read_s: f64,
    observer: Option<&dyn solve::progress::Observer>,
) -> Result<MatchOutcome> {
    let config = request.solve_config();
    solve_recorded(batch, reference, &config, request.inputs, request.options, ledger, read_s, observer)
}

#[allow(clippy::too_many_arguments)]
fn solve_recorded(
    batch: &Batch,
    reference: &Reference,
    config: &SolveConfig,
    inputs: RecordedInputs,
    options: RunOptions,
    ledger: Option<&Ledger>,
    read_s: f64,
    observer: Option<&dyn solve::progress::Observer>,
) -> Result<MatchOutcome> {
    let t = Instant::now();
    // One offer index serves the graph and, later, the reasons of the needs' outcomes.
    let index = graph::OfferIndex::new(batch, reference);
    let graph = graph::build_with_index(batch, reference, &config.weights, &index);
    let lock = options.rounds.as_ref().map_or(LockLevel::Committed, |r| r.lock);
    let locks = ledger.map(|ledger| Locks::place(batch, &graph, ledger, lock)).transpose()?;
    let build_s = t.elapsed().as_secs_f64();

    let t = Instant::now();
    // The time limit is the run's. Reading and building have taken their share, and the report and the writing
    // after the solve take about as long again, so both come off the search's share.
    let spent = std::time::Duration::from_secs_f64(2.0 * (read_s + build_s));
    let time_limit = config.limits.time_limit.map(|limit| limit.saturating_sub(spent));
    let limits = solve::Limits { time_limit, ..config.limits };
    let solution = match &locks {
        Some(locks) => solve::locked::solve_with_locks(batch, &graph, locks, config.method, limits, observer)?,
        None => solve::solve_observed(batch, &graph, config.method, limits, observer)?,
    };
    let solve_s = t.elapsed().as_secs_f64();

    let needs = report::need_statuses(batch, reference, &index, &graph, &solution.amounts, locks.as_ref());
    let mut counts = NeedCounts { total: needs.len(), ..NeedCounts::default() };
    for n in &needs {
        match n.status {
            NeedState::Funded => counts.funded += 1,
            NeedState::Partial => counts.partial += 1,
            NeedState::Unfunded => counts.unfunded += 1,
            NeedState::LockedIncomplete => counts.locked_incomplete += 1,
        }
    }
    let allocated_usd: i128 = needs.iter().map(|n| i128::from(n.allocated_usd)).sum();
    let run = RunInfo {
        version: env!("CARGO_PKG_VERSION"),
        inputs,
        options,
        method: config.method,
        status: solution.status,
        objective: solution.objective,
        bound: solution.bound,
        relaxation: solution.relaxation,
        gap: (solution.gap() * 1e9).round() / 1e9,
        edges: graph.edges.len(),
        nodes: solution.nodes,
        work: solve::WorkLimit::units_of(solution.work),
        integer_rules: solve::has_integer_rules(batch),
        requested_usd: batch.needs.iter().map(|n| i128::from(n.amount.get())).sum(),
        offered_usd: batch.offers.iter().map(|o| i128::from(o.envelope.get())).sum(),
        allocated_usd,
        needs: counts,
        ledger: locks.as_ref().map(|locks| LedgerTotals::of(locks, &solution.amounts, allocated_usd)),
        weights: config.weights,
        timings: Timings { read_s, build_s, solve_s, write_s: 0.0 },
    };
    Ok(MatchOutcome { graph, solution, needs, run, locks })
}

/// The report of a solved batch, with the summary's names in `lang`.
pub fn report(batch: &Batch, reference: &Reference, outcome: &MatchOutcome, lang: Lang) -> MatchReport {
    let locks = outcome.locks.as_ref();
    report::build(batch, reference, &outcome.graph, &outcome.solution, outcome.needs.clone(), locks, lang)
}

/// Writes every output of a solved batch into the configured directory (the tables, report.html and run.json;
/// the DIMACS network if asked; with a `ledger`, the output ledger: its bytes, then this round's new awards as
/// proposed), all staged and renamed together, and removes in the same step what an earlier run left there that
/// this one does not write ([`folder`]). Returns the run record as written, with the time writing took, and the
/// files written and removed. The outcome is consumed: its needs' outcomes become the report's rows without a copy.
pub fn write_outputs(
    batch: &Batch,
    reference: &Reference,
    outcome: MatchOutcome,
    config: &OutputConfig,
    ledger: Option<&LedgerFile>,
) -> Result<WrittenRun> {
    let t = Instant::now();
    let MatchOutcome { graph, solution, needs, mut run, locks } = outcome;
    let report = report::build(batch, reference, &graph, &solution, needs, locks.as_ref(), config.lang);
    let mut staged = atomic::Staged::in_dir(&config.out_dir)?;
    if let Some(path) = &config.export_network {
        stage_network(&mut staged, batch, &graph, path, solution.relaxation)?;
    }
    outputs::write_tables(
        &mut staged,
        &config.out_dir,
        schema::WORKBOOK,
        &schema::match_tables(&report),
        config.tables,
    )?;
    if let (Some(file), Some(round)) = (ledger, &run.options.rounds) {
        let label = RoundLabel(round.round.clone());
        let awards = report::awards::new_awards(&report.matches, &label, round.proposed_on, &file.ledger);
        staged.stage(&config.out_dir.join("ledger.csv"), |out| file.write_with(&awards, out))?;
    }
    // The page shows no timing, so it is rendered from the run as solved and stays byte-identical across runs.
    let page =
        render::render_match_page(&MatchPage { report: &report, run: &run, batch, reference, lang: config.lang });
    staged.stage(&config.out_dir.join("report.html"), |out| out.write_all(page.as_bytes()))?;
    run.timings.write_s = t.elapsed().as_secs_f64();
    outputs::write_json(&mut staged, &config.out_dir.join("run.json"), &run)?;
    retire_stale(&mut staged, &config.out_dir)?;
    let files = staged.commit()?;
    Ok(WrittenRun { run, files })
}

/// Retires what an earlier run left in `dir` that the staged set does not write ([`folder::stale_outputs`]).
pub(crate) fn retire_stale(staged: &mut atomic::Staged, dir: &Path) -> Result<()> {
    let targets: Vec<&Path> = staged.targets().collect();
    for path in folder::stale_outputs(dir, &targets)? {
        staged.retire(&path);
    }
    Ok(())
}

/// Stages the relaxation's flow network in DIMACS min-cost-flow format; its minimum cost is −`relaxation`.
pub fn stage_network(
    staged: &mut atomic::Staged,
    batch: &Batch,
    graph: &Graph,
    path: &Path,
    relaxation_value: i128,
) -> Result<()> {
    let net = relaxation::network(batch, graph);
    let comment = relaxation::network_comment(batch, graph, &net, relaxation_value);
    staged.stage(path, |out| net.write_dimacs(out, &comment))
}
