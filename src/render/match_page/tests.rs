use super::*;
use crate::io::provenance::InputInfo;
use crate::model::Kind;
use crate::render::parts::MAX_TABLE_ROWS;
use crate::report::{MatchRow, NeedCounts, Origin, RunInputs, RunOptions, Timings};
use crate::solve::{Limits, Method, Status};

/// A run record for pages built in tests.
fn run_info() -> RunInfo {
    let input = |path: &str| InputInfo { path: path.into(), rows: 0, sha256: "0".repeat(64) };
    RunInfo {
        version: "test",
        inputs: RunInputs { needs: input("/home/someone/secret/needs.csv"), offers: input("offers.csv") }.into(),
        options: RunOptions::solving(Method::Optimal, &Limits::default()),
        method: Method::Optimal,
        status: Status::Optimal,
        objective: 0,
        bound: 0,
        relaxation: 0,
        gap: 0.0,
        edges: 0,
        nodes: 0,
        work: 0,
        integer_rules: false,
        requested_usd: 0,
        offered_usd: 0,
        allocated_usd: 0,
        needs: NeedCounts::default(),
        ledger: None,
        weights: crate::objective::Weights::default(),
        timings: Timings { read_s: 1.25, build_s: 2.5, solve_s: 3.75, write_s: 0.0 },
    }
}

#[test]
fn long_tables_are_cut_with_a_note_and_paths_and_timings_stay_out() {
    let row = |i: usize| MatchRow {
        need_id: format!("N{i}"),
        offer_id: "O1".into(),
        donor: "EU".into(),
        requester: "KEN".into(),
        commitment: "ITI-2a".into(),
        kind: Kind::Equipment,
        amount_usd: 1,
        fit: 4,
        value: 34,
        value_per_usd: 34,
        origin: Origin::New,
    };
    let report = MatchReport {
        matches: (0..MAX_TABLE_ROWS + 3).map(row).collect(),
        needs: Vec::new(),
        offers: Vec::new(),
        summary: Vec::new(),
        ledger: None,
    };
    let run = run_info();
    let page = MatchPage {
        report: &report,
        run: &run,
        batch: &Batch::default(),
        reference: Reference::embedded(),
        lang: Lang::En,
    };
    let html = render_match_page(&page);
    assert_eq!(html.matches("<tr data-need=").count(), MAX_TABLE_ROWS);
    assert!(html.contains(&format!("Showing the first {MAX_TABLE_ROWS} of {} rows; matches.csv", MAX_TABLE_ROWS + 3)));
    assert!(html.contains("Every need is fully funded."), "no needs, none short");
    assert!(!html.contains("/home/someone") && html.contains("needs.csv"), "file names only");
    for timing in ["1.25", "2.5", "3.75"] {
        assert!(!html.contains(timing), "timing {timing} in the page");
    }
}
