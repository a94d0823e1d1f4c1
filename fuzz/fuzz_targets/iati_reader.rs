//! `import-iati` on arbitrary bytes: never a panic; either a data error located at `LABEL:LINE:COLUMN`, or an
//! offers.csv that the offers reader accepts in full (unique ids, envelopes in range) and an iati_import.csv with
//! one row, a status and a reason per activity read; the same answer however the bytes arrive.

#![no_main]

#[path = "common.rs"]
mod common;

use std::collections::HashSet;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use poa_match::catalog::Reference;
use poa_match::iati::{DacPurpose, ImportSummary, Input, Options, Output, import};
use poa_match::io::{ReadOptions, read_offers};
use poa_match::model::{Date, MAX_AMOUNT_USD};

const LABEL: &str = "fuzz/activities.xml";

fuzz_target!(|data: &[u8]| {
    let reference = Reference::embedded();
    // The input's length picks the options, so that the corpus covers both sector lists and both ways of
    // counting budgets.
    let options = Options {
        sectors: if data.len() % 2 == 0 { vec![DacPurpose(15240)] } else { vec![DacPurpose(15240), DacPurpose(15250)] },
        as_of: (data.len() % 3 == 0).then(|| Date::from_ymd(2014, 1, 1)),
    };
    let run = |input: &mut dyn std::io::Read| -> Result<(Vec<u8>, Vec<u8>, ImportSummary), poa_match::Error> {
        let (mut offers, mut log) = (Vec::new(), Vec::new());
        let summary = import(
            vec![Input { label: LABEL.to_string(), reader: Box::new(input) }],
            &options,
            reference,
            Output { path: Path::new("offers.csv"), writer: &mut offers },
            Output { path: Path::new("iati_import.csv"), writer: &mut log },
            20,
        )?;
        Ok((offers, log, summary))
    };
    match common::read_both_ways(data, run) {
        Ok((offers_csv, log_csv, summary)) => {
            let offers = read_offers("offers.csv", &offers_csv[..], reference, ReadOptions::default())
                .unwrap_or_else(|e| panic!("the import wrote an offers.csv that does not validate: {e}"));
            assert_eq!(offers.len() as u64, summary.offers);
            let mut ids = HashSet::new();
            let mut total = 0i128;
            for o in &offers {
                assert!(ids.insert(o.id.as_str()), "duplicate id {}", o.id);
                assert!(o.envelope.get() > 0 && o.envelope.get() <= MAX_AMOUNT_USD);
                total += i128::from(o.envelope.get());
            }
            assert_eq!(total, summary.envelope);
            let mut log = csv::Reader::from_reader(&log_csv[..]);
            let mut rows = 0u64;
            for record in log.records() {
                let record = record.expect("iati_import.csv is CSV");
                let (status, reason) = (&record[3], &record[4]);
                assert!(matches!(status, "taken" | "skipped") && !reason.is_empty(), "{record:?}");
                rows += 1;
            }
            assert_eq!(rows, summary.activities);
            let skipped: u64 = summary.skipped.values().sum();
            assert_eq!(summary.taken + skipped, summary.activities);
        }
        Err(e) => common::check_error(LABEL, &e),
    }
});
