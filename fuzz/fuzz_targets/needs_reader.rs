//! needs.csv from arbitrary bytes: never a panic, only needs that keep the column dictionary's rules, or data
//! errors located at a cell; the same answer however the bytes arrive.

#![no_main]

#[path = "common.rs"]
mod common;

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use poa_match::catalog::Reference;
use poa_match::io::{ReadOptions, read_needs};
use poa_match::model::{FundingMode, MAX_AMOUNT_USD};

const LABEL: &str = "fuzz/needs.csv";

fuzz_target!(|data: &[u8]| {
    let reference = Reference::embedded();
    for allow_extra_columns in [false, true] {
        let options = ReadOptions { allow_extra_columns, error_limit: 20, ..ReadOptions::default() };
        // Reading a few bytes at a time is slow under the sanitizer: once per input is enough.
        let result = if allow_extra_columns {
            read_needs(LABEL, data, reference, options.clone())
        } else {
            common::read_both_ways(data, |input| read_needs(LABEL, input, reference, options.clone()))
        };
        match result {
            Ok(needs) => {
                let mut ids = HashSet::new();
                for n in &needs {
                    assert!(ids.insert(n.id.as_str()), "duplicate id {}", n.id);
                    let amount = n.amount.get();
                    assert!(amount > 0 && amount <= MAX_AMOUNT_USD);
                    assert!(!n.commitments.is_empty() && !n.kinds.is_empty());
                    assert!((1..=3).contains(&n.priority));
                    if let Some(min) = n.min_award {
                        assert!(min.get() > 0 && min.get() <= amount);
                        assert_eq!(n.funding_mode, FundingMode::Partial);
                    }
                }
            }
            Err(e) => common::check_error(LABEL, &e),
        }
    }
});
