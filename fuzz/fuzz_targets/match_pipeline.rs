//! The whole `match` job on arbitrary bytes: the input is split at its first 0xFF byte into needs.csv and
//! offers.csv (0xFF never occurs in UTF-8, so a real pair of files joined by it is a valid input). Both are read;
//! if both are valid, the graph is built, the batch is solved exactly (with a small node limit) and greedily, and
//! every output is rendered in memory: the four tables as CSV and JSON, report.html, run.json and the DIMACS
//! network. Never a panic, never an internal error (a failed invariant check), and the outputs agree.

#![no_main]

#[path = "common.rs"]
mod common;

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use poa_match::io::outputs::{self, OutputOptions, TableFormat};
use poa_match::io::provenance::InputInfo;
use poa_match::io::{read_needs, read_offers};
use poa_match::render::{self, MatchPage};
use poa_match::report::{RunInputs, schema};
use poa_match::solve::relaxation;
use poa_match::{
    Batch, Lang, Limits, MatchOutcome, Method, ReadOptions, Reference, SolveConfig, Weights, run, solve_batch,
};

fn info(path: &str, rows: usize) -> InputInfo {
    InputInfo { path: path.to_string(), rows, sha256: String::new() }
}

fn solve(batch: &Batch, reference: &Reference, method: Method) -> MatchOutcome {
    let limits = Limits { time_limit: Some(Duration::from_secs(20)), node_limit: 40, ..Limits::default() };
    let config = SolveConfig { method, limits, weights: Weights::default() };
    let inputs =
        RunInputs { needs: info("needs.csv", batch.needs.len()), offers: info("offers.csv", batch.offers.len()) };
    match solve_batch(batch, reference, &config, inputs, None, 0.0, None) {
        Ok(outcome) => outcome,
        Err(e) => panic!("{} failed on a valid batch: {e}", method.as_str()),
    }
}

/// Renders every output in memory and checks that they agree with each other.
fn render(batch: &Batch, reference: &Reference, outcome: &MatchOutcome) {
    let report = &run::report(batch, reference, outcome, Lang::En);
    assert_eq!(report.needs.len(), batch.needs.len());
    assert_eq!(report.offers.len(), batch.offers.len());
    let matched: i128 = report.matches.iter().map(|m| i128::from(m.amount_usd)).sum();
    assert_eq!(matched, outcome.run.allocated_usd);
    assert!(outcome.run.allocated_usd <= outcome.run.requested_usd);
    assert!(outcome.run.allocated_usd <= outcome.run.offered_usd);
    for lang in [Lang::En, Lang::Zh] {
        let page = render::render_match_page(&MatchPage { report, run: &outcome.run, batch, reference, lang });
        assert!(page.starts_with("<!DOCTYPE html>") || page.starts_with("<!doctype html>"));
        assert!(!page.contains('\0'));
    }
    for format in [TableFormat::Csv, TableFormat::Json] {
        for excel_bom in [false, true] {
            for table in schema::match_tables(report) {
                let mut bytes = Vec::new();
                outputs::render_table(&mut bytes, &table, OutputOptions { format, excel_bom }).unwrap();
                assert!(std::str::from_utf8(&bytes).is_ok());
            }
        }
    }
    serde_json::to_vec_pretty(&outcome.run).unwrap();
    let mut dimacs = Vec::new();
    relaxation::network(batch, &outcome.graph).write_dimacs(&mut dimacs, "fuzz").unwrap();
}

fuzz_target!(|data: &[u8]| {
    let (needs_bytes, offers_bytes) = match data.iter().position(|&b| b == 0xFF) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let reference = Reference::embedded();
    let options = ReadOptions { allow_extra_columns: false, error_limit: 20, sheet: None };
    let needs = read_needs("needs.csv", needs_bytes, reference, options.clone());
    let offers = read_offers("offers.csv", offers_bytes, reference, options.clone());
    let (needs, offers) = match (needs, offers) {
        (Ok(n), Ok(o)) => (n, o),
        (n, o) => {
            for e in [n.err(), o.err()].into_iter().flatten() {
                assert_eq!(e.exit_code(), 3, "{e}");
            }
            return;
        }
    };
    let batch = Batch { needs, offers };
    let optimal = solve(&batch, reference, Method::Optimal);
    let greedy = solve(&batch, reference, Method::Greedy);
    assert_eq!(optimal.graph, greedy.graph);
    assert_eq!(optimal.solution.relaxation, greedy.solution.relaxation);
    // The optimum's proven bound holds for every allocation, the greedy one included.
    assert!(greedy.solution.objective <= optimal.solution.bound);
    render(&batch, reference, &optimal);
    render(&batch, reference, &greedy);
});
