//! offers.csv from arbitrary bytes: never a panic, only offers that keep the column dictionary's rules, or data
//! errors located at a cell; the same answer however the bytes arrive.

#![no_main]

#[path = "common.rs"]
mod common;

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use poa_match::catalog::Reference;
use poa_match::io::{ReadOptions, read_offers};
use poa_match::model::{MAX_AMOUNT_USD, Rates};

const LABEL: &str = "fuzz/offers.csv";

static RATES: std::sync::LazyLock<Rates> = std::sync::LazyLock::new(|| {
    let text = "currency,usd_per_unit,date,source\nEUR,1.0842,2013-01-02,fuzz\nJPY,0.0067,2013-01-02,fuzz\n";
    poa_match::io::rates::read_rates("fuzz/rates.csv", text.as_bytes(), 20).expect("the fuzz rates are valid")
});

fuzz_target!(|data: &[u8]| {
    let reference = Reference::embedded();
    for allow_extra_columns in [false, true] {
        // Rows in EUR and JPY are converted (and must keep the rules checked below); other currencies lack a rate.
        let options = ReadOptions { allow_extra_columns, error_limit: 20, rates: &RATES, sheet: None };
        // Reading a few bytes at a time is slow under the sanitizer: once per input is enough.
        let result = if allow_extra_columns {
            read_offers(LABEL, data, reference, options.clone())
        } else {
            common::read_both_ways(data, |input| read_offers(LABEL, input, reference, options.clone()))
        };
        match result {
            Ok(offers) => {
                let mut ids = HashSet::new();
                for o in &offers {
                    assert!(ids.insert(o.id.as_str()), "duplicate id {}", o.id);
                    let envelope = o.envelope.get();
                    assert!(envelope > 0 && envelope <= MAX_AMOUNT_USD);
                    if let (Some(floor), Some(cap)) = (o.floor_per_need, o.cap_per_need) {
                        assert!(floor <= cap);
                    }
                    if let Some(floor) = o.floor_per_need {
                        assert!(floor.get() <= envelope);
                    }
                }
            }
            Err(e) => common::check_error(LABEL, &e),
        }
    }
});
