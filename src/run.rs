//! The `match` job end to end: build the graph, solve, check, report and write, with timings. Reading is the
//! caller's (the binary reads the bundled sample or the files named), so that the library never guesses paths.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::catalog::Reference;
use crate::error::Result;
use crate::graph::{self, Graph};
use crate::io::atomic;
use crate::io::outputs::{self, OutputOptions};
use crate::model::Batch;
use crate::objective::Weights;
use crate::report::{self, MatchReport, NeedState, html};
use crate::solve::{self, Limits, Method, Solution, relaxation};

/// An input file as run.json records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputInfo {
    /// The path (or `... (bundled)`).
    pub path: String,
    /// Data rows read.
    pub rows: usize,
    /// SHA-256 of the bytes read, lower-case hex.
    pub sha256: String,
}

/// What the match job is asked to do.
#[derive(Debug, Clone)]
pub struct MatchConfig {
    /// Allocation method.
    pub method: Method,
    /// Search limits for integer rules.
    pub limits: Limits,
    /// Objective weights.
    pub weights: Weights,
    /// Output directory.
    pub out_dir: PathBuf,
    /// Output format options.
    pub output: OutputOptions,
    /// Language of labels (`en` or `zh`).
    pub lang: String,
    /// Where to write the flow network in DIMACS format, if anywhere.
    pub export_network: Option<PathBuf>,
}

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

/// The result of a match job.
#[derive(Debug, Clone)]
pub struct MatchOutcome {
    /// The eligibility graph.
    pub graph: Graph,
    /// The allocation and its certificate.
    pub solution: Solution,
    /// The report tables.
    pub report: MatchReport,
    /// run.json's content.
    pub run: RunInfo,
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
}

/// The content of run.json.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunInfo {
    /// poa-match version.
    pub version: &'static str,
    /// The inputs.
    pub inputs: RunInputs,
    /// `optimal` or `greedy`.
    pub method: &'static str,
    /// `optimal`, `node_limit`, `time_limit`, `gap_limit` or `heuristic`.
    pub status: &'static str,
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
    /// The objective's weights.
    pub weights: Weights,
    /// Seconds per stage (these vary between runs; every other field is a function of the inputs).
    pub timings: Timings,
}

/// The inputs of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunInputs {
    /// needs.csv.
    pub needs: InputInfo,
    /// offers.csv.
    pub offers: InputInfo,
}

/// Solves a batch and builds the report, without writing anything; the search reports its progress to `observer`.
pub fn solve_batch(
    batch: &Batch,
    reference: &Reference,
    config: &MatchConfig,
    inputs: RunInputs,
    read_s: f64,
    observer: Option<&dyn solve::progress::Observer>,
) -> Result<MatchOutcome> {
    let t = Instant::now();
    // One offer index serves the graph and, later, the reasons in the report.
    let index = graph::OfferIndex::new(batch, reference);
    let graph = graph::build_with_index(batch, reference, &config.weights, &index);
    let build_s = t.elapsed().as_secs_f64();

    let t = Instant::now();
    // The time limit is the run's. Reading and building have taken their share, and the report and the writing
    // after the solve take about as long again (100 000 × 10 000: 1.3 s before, 1.2 s after), so both come off
    // the search's share.
    let spent = std::time::Duration::from_secs_f64(2.0 * (read_s + build_s));
    let limits = solve::Limits { time_limit: config.limits.time_limit.saturating_sub(spent), ..config.limits };
    let solution = solve::solve_observed(batch, &graph, config.method, limits, observer)?;
    let solve_s = t.elapsed().as_secs_f64();

    let report = report::build(batch, reference, &index, &graph, &solution, &config.lang);
    let mut counts = NeedCounts { total: report.needs.len(), ..NeedCounts::default() };
    for n in &report.needs {
        match n.status {
            NeedState::Funded => counts.funded += 1,
            NeedState::Partial => counts.partial += 1,
            NeedState::Unfunded => counts.unfunded += 1,
        }
    }
    let run = RunInfo {
        version: env!("CARGO_PKG_VERSION"),
        inputs,
        method: config.method.as_str(),
        status: solution.status.as_str(),
        objective: solution.objective,
        bound: solution.bound,
        relaxation: solution.relaxation,
        gap: (solution.gap() * 1e9).round() / 1e9,
        edges: graph.edges.len(),
        nodes: solution.nodes,
        integer_rules: solve::has_integer_rules(batch),
        requested_usd: batch.needs.iter().map(|n| i128::from(n.amount.get())).sum(),
        offered_usd: batch.offers.iter().map(|o| i128::from(o.envelope.get())).sum(),
        allocated_usd: solution.amounts.iter().map(|&x| i128::from(x)).sum(),
        needs: counts,
        weights: config.weights,
        timings: Timings { read_s, build_s, solve_s, write_s: 0.0 },
    };
    Ok(MatchOutcome { graph, solution, report, run })
}

/// Writes every output of a solved batch into the configured directory (the tables, report.html and run.json;
/// and the DIMACS network if asked), all staged and renamed together.
pub fn write_outputs(
    batch: &Batch,
    reference: &Reference,
    outcome: &mut MatchOutcome,
    config: &MatchConfig,
) -> Result<()> {
    let t = Instant::now();
    let mut staged = atomic::Staged::in_dir(&config.out_dir)?;
    if let Some(path) = &config.export_network {
        stage_network(&mut staged, batch, &outcome.graph, path, outcome.solution.relaxation)?;
    }
    for table in outputs::match_tables(&outcome.report) {
        outputs::write_table(&mut staged, &config.out_dir, &table, config.output)?;
    }
    // The page shows no timing, so it is rendered from the run as solved and stays byte-identical across runs.
    let page = html::render_match_page(&html::MatchPage {
        report: &outcome.report,
        run: &outcome.run,
        batch,
        reference,
        lang: &config.lang,
    });
    staged.stage(&config.out_dir.join("report.html"), |out| out.write_all(page.as_bytes()))?;
    outcome.run.timings.write_s = t.elapsed().as_secs_f64();
    outputs::write_json(&mut staged, &config.out_dir.join("run.json"), &outcome.run)?;
    staged.commit()
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
    let comment = format!(
        "poa-match {} flow relaxation: {} needs (nodes 1..{}), {} offers, sink {}\n\
         arcs: {} eligible edges (cost = -value per dollar), {} offer->sink, {} need->sink bypasses\n\
         minimum cost = -relaxation = {}",
        env!("CARGO_PKG_VERSION"),
        batch.needs.len(),
        batch.needs.len(),
        batch.offers.len(),
        net.node_count(),
        graph.edges.len(),
        batch.offers.len(),
        batch.needs.len(),
        -relaxation_value
    );
    staged.stage(path, |out| net.write_dimacs(out, &comment))
}
