//! The scenarios file of `simulate` from arbitrary bytes: never a panic; a parse either fails with data errors
//! located in the file, or gives a study that applies to the bundled sample (or fails with located errors), whose
//! first draws solve, pass the invariant checks and render every output in memory. One input in three runs over
//! the bundled ledger, whose locks its scenarios may break (located errors too).

#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use poa_match::ErrorKind;
use poa_match::catalog::Reference;
use poa_match::io::ledger::read_ledger;
use poa_match::io::provenance::InputInfo;
use poa_match::io::{ReadOptions, read_needs, read_offers};
use poa_match::model::{Batch, LockLevel};
use poa_match::simulate::{self, Frame, ShardSpec, StudyInputs, StudyOptions};

const LABEL: &str = "fuzz/scenarios.toml";
const NEEDS: &str = include_str!("../../data/sample/needs.csv");
const OFFERS: &str = include_str!("../../data/sample/offers.csv");
const LEDGER: &str = include_str!("../../data/sample/ledger.csv");

fuzz_target!(|data: &[u8]| {
    // The command refuses bytes that are not UTF-8 before parsing (tested in tests/simulate_cli.rs).
    let Ok(text) = std::str::from_utf8(data) else { return };
    let study = match poa_match::scenario::parse(LABEL, text) {
        Ok(study) => study,
        Err(e) => return common::check_error(LABEL, &e),
    };
    let reference = Reference::embedded();
    let options = ReadOptions::default();
    let batch = Batch {
        needs: read_needs("needs.csv", NEEDS.as_bytes(), reference, options.clone()).expect("the sample reads"),
        offers: read_offers("offers.csv", OFFERS.as_bytes(), reference, options.clone()).expect("the sample reads"),
    };
    let study_options = StudyOptions {
        method: poa_match::Method::Optimal,
        node_limit: 20,
        work_limit: poa_match::solve::WorkLimit::DRAW_DEFAULT.units(),
        weights: Default::default(),
        lang: if data.len() % 2 == 0 { poa_match::Lang::En } else { poa_match::Lang::Zh },
        format: poa_match::io::outputs::TableFormat::Csv,
        excel: false,
        lock: None,
    };
    let ledger =
        (data.len() % 3 == 0).then(|| read_ledger("ledger.csv", LEDGER.as_bytes(), options.clone()).expect("it reads"));
    let study_options = StudyOptions {
        lock: ledger.as_ref().map(|_| if data.len() % 2 == 0 { LockLevel::Committed } else { LockLevel::Pledged }),
        ..study_options
    };
    // add_offers names a file next to the scenarios file: there is none, so that is an I/O error.
    let dir = std::path::Path::new("/nonexistent-poa-match-fuzz");
    let mut prepared = match simulate::prepare(&study, &batch, reference, dir, options, &study_options, ledger.as_ref())
    {
        Ok(p) => p,
        Err(e) => {
            match e.kind() {
                ErrorKind::InvalidData { errors, .. } => assert!(!errors.is_empty()),
                ErrorKind::Io { .. } => {}
                other => panic!("applying scenarios gave {other:?}"),
            }
            return;
        }
    };
    // A couple of draws per scenario: the file may ask for millions.
    for p in &mut prepared {
        p.frame.draws = p.frame.draws.min(2);
    }
    let tallies = simulate::run_draws(&prepared, study.seed, &study_options, ShardSpec::WHOLE, &|_| {})
        .expect("draws solve and pass the invariant checks");
    let info = |path: &str| InputInfo { path: path.into(), rows: 0, sha256: String::new() };
    let frame = Frame {
        version: "fuzz".into(),
        inputs: StudyInputs {
            needs: info("needs.csv"),
            offers: info("offers.csv"),
            scenarios: info(LABEL),
            ledger: ledger.as_ref().map(|_| info("ledger.csv")),
            rates: None,
            rates_used: Vec::new(),
        },
        seed: study.seed,
        options: study_options,
        scenarios: prepared.iter().map(|p| p.frame.clone()).collect(),
    };
    let summaries: Vec<_> =
        frame.scenarios.iter().zip(&tallies).map(|(s, t)| simulate::outputs::summarise(s, t)).collect();
    for (s, t) in frame.scenarios.iter().zip(&tallies) {
        assert_eq!(t.draws.len() as u32, s.draws);
        for d in &t.draws {
            assert!(d.allocated_usd >= 0 && d.allocated_usd <= s.requested_usd);
            assert_eq!(d.by_commitment.iter().sum::<i128>(), d.allocated_usd);
            assert_eq!(d.by_region.iter().sum::<i128>(), d.allocated_usd);
        }
    }
    for table in simulate::tables::tables(&frame, &summaries, &tallies) {
        poa_match::io::outputs::render_table(&mut Vec::new(), &table, frame.options.output()).expect("tables render");
    }
    let page = poa_match::render::render_simulate_page(&poa_match::render::SimulatePage {
        frame: &frame,
        summaries: &summaries,
        tallies: &tallies,
    });
    assert!(page.starts_with("<!DOCTYPE html>"));
});
