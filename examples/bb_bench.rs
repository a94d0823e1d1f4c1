//! Runs the exact allocation with integer rules on a needs/offers pair and prints the nodes, objective, bound,
//! gap and solve time: the branch-and-bound figures of BENCHMARKS.md. With `--repeat N` it solves N times and
//! prints the mean time per solve (the Monte Carlo use case re-solves small batches thousands of times).
//!
//! ```sh
//! cargo run --release --example bb_bench -- data/sample/needs.csv data/sample/offers.csv --repeat 1000
//! cargo run --release --example bb_bench -- /tmp/g2k/needs.csv /tmp/g2k/offers.csv --node-limit 20000
//! ```

use std::time::{Duration, Instant};

use poa_match::catalog::Reference;
use poa_match::graph;
use poa_match::io::{ReadOptions, read_needs, read_offers};
use poa_match::model::Batch;
use poa_match::objective::Weights;
use poa_match::solve::{self, Limits, Method, WorkLimit};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [needs_path, offers_path, ..] = args.as_slice() else {
        return Err(
            "usage: bb_bench NEEDS OFFERS [--repeat N] [--node-limit N] [--work-limit UNITS] [--time-limit S]".into()
        );
    };
    let option = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1));
    let repeat: u32 = option("--repeat").map_or(Ok(1), |s| s.parse())?;
    let mut limits = Limits::default();
    if let Some(n) = option("--node-limit") {
        limits.node_limit = n.parse()?;
    }
    if let Some(units) = option("--work-limit") {
        limits.work_limit = WorkLimit::new(units.parse()?).ok_or("work limit too large")?;
    }
    if let Some(s) = option("--time-limit") {
        limits.time_limit = Some(Duration::from_secs_f64(s.parse()?));
    }
    let r = Reference::embedded();
    let needs = read_needs(needs_path, std::fs::read(needs_path)?.as_slice(), r, ReadOptions::default())?;
    let offers = read_offers(offers_path, std::fs::read(offers_path)?.as_slice(), r, ReadOptions::default())?;
    let batch = Batch { needs, offers };
    let graph = graph::build(&batch, r, &Weights::default());
    if let Some(path) = option("--dump") {
        dump(&batch, &graph, path)?;
    }
    let started = Instant::now();
    let mut s = solve::solve(&batch, &graph, Method::Optimal, limits)?;
    for _ in 1..repeat {
        s = solve::solve(&batch, &graph, Method::Optimal, limits)?;
    }
    let per_solve = started.elapsed().as_secs_f64() / f64::from(repeat.max(1));
    println!(
        "edges {} status {} nodes {} objective {} bound {} relaxation {} gap {:.4}% solve_s {per_solve:.5}",
        graph.edges.len(),
        s.status.as_str(),
        s.nodes,
        s.objective,
        s.bound,
        s.relaxation,
        s.gap() * 100.0
    );
    Ok(())
}

/// Writes the model as plain lines for an external MIP check: `N amount all_or_nothing min_award`,
/// `O envelope max_awards floor allow_cofinance` (0 for none), `E need offer value upper`.
fn dump(batch: &Batch, graph: &graph::Graph, path: &str) -> std::io::Result<()> {
    use std::fmt::Write as _;
    let mut out = String::new();
    for n in &batch.needs {
        let aon = n.funding_mode == poa_match::model::FundingMode::AllOrNothing;
        let _ = writeln!(out, "N {} {} {}", n.amount.get(), u8::from(aon), n.min_award.map_or(0, |m| m.get()));
    }
    for o in &batch.offers {
        let _ = writeln!(
            out,
            "O {} {} {} {}",
            o.envelope.get(),
            o.max_awards.unwrap_or(0),
            o.floor_per_need.map_or(0, |f| f.get()),
            u8::from(o.allow_cofinance)
        );
    }
    for e in &graph.edges {
        let _ = writeln!(out, "E {} {} {} {}", e.need, e.offer, e.value, e.upper);
    }
    std::fs::write(path, out)
}
