//! ledger.csv from arbitrary bytes: never a panic, only awards that keep the column dictionary's rules, or data
//! errors located at a cell; the same answer however the bytes arrive; and a ledger that reads keeps its awards
//! when the writer appends a round's awards after it.

#![no_main]

#[path = "common.rs"]
mod common;

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use poa_match::io::{ReadOptions, read_ledger, write_ledger};
use poa_match::model::{Award, AwardId, AwardStatus, MAX_AMOUNT_USD, NeedId, OfferId, RoundLabel, Usd};

const LABEL: &str = "fuzz/ledger.csv";

fuzz_target!(|data: &[u8]| {
    for allow_extra_columns in [false, true] {
        let options = ReadOptions { allow_extra_columns, error_limit: 20, ..ReadOptions::default() };
        // Reading a few bytes at a time is slow under the sanitizer: once per input is enough.
        let result = if allow_extra_columns {
            read_ledger(LABEL, data, options.clone())
        } else {
            common::read_both_ways(data, |input| read_ledger(LABEL, input, options.clone()))
        };
        match result {
            Ok(ledger) => {
                let mut ids = HashSet::new();
                for a in &ledger.awards {
                    assert!(ids.insert(a.id.as_str()), "duplicate id {}", a.id);
                    assert!(a.amount.get() > 0 && a.amount.get() <= MAX_AMOUNT_USD);
                    assert!(!a.id.as_str().is_empty() && !a.round.as_str().is_empty());
                    assert!(!a.need.as_str().is_empty() && !a.offer.as_str().is_empty());
                }
                let new = Award {
                    id: AwardId("fuzz, \"new\"".to_string()),
                    round: RoundLabel("next".to_string()),
                    need: NeedId("N".to_string()),
                    offer: OfferId("O".to_string()),
                    amount: Usd(1),
                    status: AwardStatus::Proposed,
                    status_date: None,
                    note: "line\nbreak".to_string(),
                    line: 0,
                };
                let mut out = Vec::new();
                write_ledger(data, std::slice::from_ref(&new), &mut out).expect("writing to memory");
                assert!(out.starts_with(data), "the input ledger is not kept byte for byte");
                match read_ledger(LABEL, &out[..], options.clone()) {
                    Ok(back) => {
                        assert_eq!(back.awards[..ledger.awards.len()], ledger.awards[..]);
                        assert_eq!(back.awards.len(), ledger.awards.len() + 1);
                        assert_eq!(back.awards[ledger.awards.len()].id, new.id);
                    }
                    // The new award's id may already be in the ledger; nothing else may break the written file.
                    Err(e) => assert!(ids.contains(new.id.as_str()), "the written ledger does not read: {e}"),
                }
            }
            Err(e) => common::check_error(LABEL, &e),
        }
    }
});
