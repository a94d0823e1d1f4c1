//! A round on arbitrary ledger bytes (docs/spec.md §9): the bytes are read as ledger.csv; a ledger that reads is
//! placed on the bundled sample's needs with the 2013 offers (the ledger's pairs are the batch's) and with the
//! 2014 offers (most of its offers are outside the batch), at both lock levels, solved exactly (a small node limit)
//! and greedily, and its report built. Never a panic, never an internal error (the totals' own check after the
//! solve is one); a ledger refused is refused with located data errors; and the report keeps every lock.

#![no_main]

#[path = "common.rs"]
mod common;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use poa_match::io::provenance::InputInfo;
use poa_match::io::{read_ledger, read_needs, read_offers};
use poa_match::model::{Ledger, LockLevel};
use poa_match::report::{Origin, RunInputs};
use poa_match::{Batch, Lang, Limits, Method, ReadOptions, Reference, SolveConfig, Weights, run, solve_batch};

const LABEL: &str = "fuzz/ledger.csv";

fn batch(offers: &str) -> Batch {
    let reference = Reference::embedded();
    let options = ReadOptions::default();
    let needs =
        read_needs("needs.csv", include_str!("../../data/sample/needs.csv").as_bytes(), reference, options.clone());
    let offers = read_offers("offers.csv", offers.as_bytes(), reference, options.clone());
    Batch { needs: needs.expect("the sample's needs"), offers: offers.expect("the sample's offers") }
}

fn batches() -> &'static [Batch; 2] {
    static BATCHES: OnceLock<[Batch; 2]> = OnceLock::new();
    BATCHES.get_or_init(|| {
        [batch(include_str!("../../data/sample/offers.csv")), batch(include_str!("../../data/sample/offers_2014.csv"))]
    })
}

fn round(batch: &Batch, ledger: &Ledger, lock: LockLevel, method: Method) {
    let reference = Reference::embedded();
    let limits = Limits { node_limit: 20, ..Limits::default() };
    let config = SolveConfig { method, limits, weights: Weights::default() };
    let info = |path: &str, rows| InputInfo { path: path.to_string(), rows, sha256: String::new() };
    let inputs =
        RunInputs { needs: info("needs.csv", batch.needs.len()), offers: info("offers.csv", batch.offers.len()) };
    let outcome = match solve_batch(batch, reference, &config, inputs, Some((ledger, lock)), 0.0, None) {
        Ok(outcome) => outcome,
        Err(e) => return common::check_error(LABEL, &e),
    };
    let report = run::report(batch, reference, &outcome, Lang::En);
    let matched: i128 = report.matches.iter().map(|m| i128::from(m.amount_usd)).sum();
    assert_eq!(matched, outcome.run.allocated_usd);
    let locks = outcome.locks.as_ref().expect("a round has locks");
    let locked_rows: i128 =
        report.matches.iter().filter(|m| m.origin == Origin::Locked).map(|m| i128::from(m.amount_usd)).sum();
    assert_eq!(locked_rows, locks.locked.usd, "every lock is a locked row");
    for (status, need) in report.needs.iter().zip(&batch.needs) {
        assert!(status.allocated_usd >= status.locked_usd, "need {} lost locked money", need.id);
        assert!(status.allocated_usd <= need.amount.get().max(status.locked_usd), "need {} over its amount", need.id);
    }
    for (status, offer) in report.offers.iter().zip(&batch.offers) {
        assert!(status.allocated_usd <= offer.envelope.get(), "offer {} over its envelope", offer.id);
    }
}

fuzz_target!(|data: &[u8]| {
    let options = ReadOptions { allow_extra_columns: true, error_limit: 20, ..ReadOptions::default() };
    let ledger = match read_ledger(LABEL, data, options) {
        Ok(ledger) => ledger,
        Err(e) => return common::check_error(LABEL, &e),
    };
    for batch in batches() {
        for lock in [LockLevel::Committed, LockLevel::Pledged] {
            for method in [Method::Optimal, Method::Greedy] {
                round(batch, &ledger, lock, method);
            }
        }
    }
});
