//! `poa-match track` end to end (docs/spec.md §9): a small hand-made batch and ledger whose figures were computed by
//! hand, each follow-up kind, awards whose ids the batch lacks, byte-identical outputs across runs, a bad date and a
//! bad ledger refused, and the page in Chinese.

mod common;

use std::collections::HashMap;

use common::{NEEDS_HEADER, OFFERS_HEADER, TestDir, csv_rows, need_record, offer_record};

/// Three needs (N1 open past its latest start, N2 met, N3 partly), three offers of two donors (O2 over-committed).
fn write_batch(dir: &TestDir) {
    let needs = [
        need_record(&[("need_id", "N3"), ("amount_usd", "80000"), ("start_latest", "2014-06-30")]),
        need_record(&[("need_id", "N1"), ("start_latest", "2014-01-31"), ("title", "Marking machines")]),
        need_record(&[("need_id", "N2"), ("amount_usd", "50000")]),
    ];
    dir.write("needs.csv", format!("{NEEDS_HEADER}\n{}\n", needs.join("\n")));
    let offers = [
        offer_record(&[("offer_id", "O3"), ("donor", "JPN"), ("envelope_usd", "40000")]),
        offer_record(&[("offer_id", "O1"), ("donor", "EU"), ("envelope_usd", "120000")]),
        offer_record(&[("offer_id", "O2"), ("donor", "EU"), ("envelope_usd", "30000")]),
    ];
    dir.write("offers.csv", format!("{OFFERS_HEADER}\n{}\n", offers.join("\n")));
}

/// Eleven awards: A7 a stale proposal, A1 an undisbursed commitment, A8 undated, A11 dated after 2014-03-01, A9 of
/// a need not in the batch, A10 of an offer not in the batch.
const LEDGER: &str = "\
award_id,round,need_id,offer_id,amount_usd,status,status_date,note
A1,2013,N1,O1,60000,committed,2013-02-01,
A2,2013,N1,O3,20000,pledged,2013-05-01,
A3,2013,N1,O2,30000,proposed,2013-12-15,recent: not stale yet
A4,2013,N2,O1,50000,disbursed,2013-06-01,
A5,2013,N2,O2,10000,declined,2013-07-01,
A6,2013,N3,O2,40000,pledged,2013-08-01,more than O2 holds
A7,2013,N3,O3,15000,proposed,2013-10-01,
A8,2013,N3,O3,5000,proposed,,
A9,2013,NX,O1,7000,committed,2014-01-01,mistyped need
A10,2013,N1,OX,3000,cancelled,,offer of an earlier call
A11,2014,N2,O3,1000,cancelled,2014-04-01,
";

fn example_dir() -> TestDir {
    let dir = TestDir::new();
    write_batch(&dir);
    dir.write("ledger.csv", LEDGER);
    dir
}

const TRACK: &[&str] =
    &["track", "--ledger", "ledger.csv", "--needs", "needs.csv", "--offers", "offers.csv", "--as-of", "2014-03-01"];

fn track_args(extra: &[&'static str]) -> Vec<&'static str> {
    TRACK.iter().copied().chain(extra.iter().copied()).collect()
}

/// The rows of a table, keyed by their first column.
fn by_id(dir: &TestDir, name: &str) -> HashMap<String, HashMap<String, String>> {
    let rows = csv_rows(&dir.read(name));
    let key = match name {
        "out/track/track_needs.csv" => "need_id",
        "out/track/track_offers.csv" => "offer_id",
        _ => "donor",
    };
    rows.into_iter().map(|r| (r[key].clone(), r)).collect()
}

fn assert_columns(row: &HashMap<String, String>, expected: &[(&str, &str)]) {
    for (column, value) in expected {
        assert_eq!(row[*column], *value, "column {column} of {row:?}");
    }
}

#[test]
fn totals_per_need_offer_and_donor_match_the_hand_computed_figures() {
    let dir = example_dir();
    dir.run(&track_args(&[])).assert_success().assert_stdout_contains("3 needs (1 met, 2 partly, 0 open)");
    let needs = by_id(&dir, "out/track/track_needs.csv");
    assert_columns(
        &needs["N1"],
        &[
            ("requested_usd", "100000"),
            ("proposed_usd", "30000"),
            ("pledged_usd", "20000"),
            ("committed_usd", "60000"),
            ("disbursed_usd", "0"),
            ("open_usd", "20000"),
            ("state", "partly"),
            ("awards", "4"),
            ("cancelled_usd", "3000"),
        ],
    );
    assert_columns(
        &needs["N2"],
        &[("disbursed_usd", "50000"), ("declined_usd", "10000"), ("open_usd", "0"), ("state", "met")],
    );
    assert_columns(&needs["N3"], &[("pledged_usd", "40000"), ("proposed_usd", "20000"), ("open_usd", "40000")]);
    let order: Vec<String> =
        csv_rows(&dir.read("out/track/track_needs.csv")).iter().map(|r| r["need_id"].clone()).collect();
    assert_eq!(order, ["N1", "N2", "N3"], "id order");

    let offers = by_id(&dir, "out/track/track_offers.csv");
    // O1 counts A9 (its need is not in the batch) against its envelope: 120 000 − (67 000 + 50 000).
    assert_columns(&offers["O1"], &[("committed_usd", "67000"), ("disbursed_usd", "50000"), ("left_usd", "3000")]);
    assert_columns(&offers["O2"], &[("pledged_usd", "40000"), ("left_usd", "-10000"), ("over_committed", "true")]);
    assert_columns(&offers["O3"], &[("left_usd", "20000"), ("over_committed", "false"), ("cancelled_usd", "1000")]);

    let donors = by_id(&dir, "out/track/track_donors.csv");
    assert_columns(
        &donors["EU"],
        &[("offers", "2"), ("envelope_usd", "150000"), ("left_usd", "-7000"), ("offers_over_committed", "1")],
    );
    assert_columns(&donors["JPN"], &[("envelope_usd", "40000"), ("pledged_usd", "20000"), ("left_usd", "20000")]);
}

#[test]
fn every_follow_up_kind_is_listed_with_its_date_and_age() {
    let dir = example_dir();
    dir.run(&track_args(&[])).assert_success();
    let rows: Vec<[String; 5]> = csv_rows(&dir.read("out/track/track_followup.csv"))
        .into_iter()
        .map(|r| [&r["kind"], &r["award_id"], &r["need_id"], &r["date"], &r["days"]].map(|s| s.to_string()))
        .collect();
    let expected = [
        ["stale_proposal", "A7", "N3", "2013-10-01", "151"],
        ["undisbursed_commitment", "A1", "N1", "2013-02-01", "393"],
        ["open_past_start", "", "N1", "2014-01-31", "29"],
        ["undated", "A8", "N3", "", ""],
        ["dated_after_as_of", "A11", "N2", "2014-04-01", "-31"],
    ];
    assert_eq!(rows, expected.map(|r| r.map(String::from)));
    // A shorter threshold makes A3 (76 days) stale too.
    dir.run(&track_args(&["--stale-days", "60", "--out", "short"])).assert_success();
    let stale =
        csv_rows(&dir.read("short/track_followup.csv")).iter().filter(|r| r["kind"] == "stale_proposal").count();
    assert_eq!(stale, 2);
}

#[test]
fn awards_whose_need_or_offer_is_not_in_the_batch_are_listed_and_counted() {
    let dir = example_dir();
    dir.run(&track_args(&[]))
        .assert_success()
        .assert_stdout_contains("awards outside the batch: 1 by their need, 1 by their offer");
    let rows = csv_rows(&dir.read("out/track/track_unmatched.csv"));
    let found: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|r| (r["award_id"].as_str(), r["missing"].as_str(), r["amount_usd"].as_str(), r["ledger_line"].as_str()))
        .collect();
    assert_eq!(found, [("A10", "offer_not_in_batch", "3000", "11"), ("A9", "need_not_in_batch", "7000", "10")]);
    let record: serde_json::Value = serde_json::from_str(&dir.read("out/track/track.json")).unwrap();
    assert_eq!(record["totals"]["awards_need_not_in_batch"], 1);
    assert_eq!(record["totals"]["awards_offer_not_in_batch"], 1);
    assert_eq!(record["options"]["as_of"], "2014-03-01");
    assert_eq!(record["options"]["stale_days"], 90);
    assert_eq!(record["inputs"]["ledger"]["rows"], 11);
    assert_eq!(record["inputs"]["ledger"]["sha256"].as_str().map(str::len), Some(64));
}

#[test]
fn two_runs_write_the_same_bytes() {
    let dir = example_dir();
    dir.run(&track_args(&["--out", "a"])).assert_success();
    dir.run(&track_args(&["--out", "b"])).assert_success();
    let a = common::snapshot(&dir.path().join("a"));
    let b = common::snapshot(&dir.path().join("b"));
    let names: Vec<String> = a.iter().map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(
        names,
        [
            "track.html",
            "track.json",
            "track_donors.csv",
            "track_followup.csv",
            "track_needs.csv",
            "track_offers.csv",
            "track_unmatched.csv"
        ]
    );
    assert_eq!(
        a.iter().map(|(_, bytes)| bytes).collect::<Vec<_>>(),
        b.iter().map(|(_, bytes)| bytes).collect::<Vec<_>>()
    );
}

#[test]
fn a_bad_as_of_date_is_a_usage_error() {
    let dir = example_dir();
    let mut args: Vec<&str> = TRACK.to_vec();
    *args.last_mut().unwrap() = "2014-02-30";
    dir.run(&args)
        .assert_code(2)
        .assert_no_panic()
        .assert_stderr_contains("--as-of")
        .assert_stderr_contains("day 30 does not exist");
    let missing: Vec<&str> = TRACK[..TRACK.len() - 2].to_vec();
    dir.run(&missing).assert_code(2).assert_stderr_contains("--as-of");
    assert!(!dir.path().join("out").exists(), "no output on a usage error");
}

#[test]
fn a_bad_ledger_is_a_data_error_naming_the_cell_and_writes_nothing() {
    let dir = example_dir();
    dir.write("ledger.csv", LEDGER.replace("A4,2013,N2,O1,50000,disbursed", "A4,2013,N2,O1,50000,paid"));
    let run = dir.run(&track_args(&[]));
    run.assert_code(3).assert_no_panic().assert_stderr_contains("ledger.csv:5:6: field 'status'");
    assert!(!dir.path().join("out").exists(), "no output on a data error");
}

#[test]
fn the_page_renders_in_chinese_and_tables_scroll_inside_their_box() {
    let dir = example_dir();
    dir.run(&track_args(&["--lang", "zh"])).assert_success();
    let html = dir.read("out/track/track.html");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-Hans\">"));
    for words in ["援助后续跟踪", "待跟进事项", "已全额落实", "提议未获认捐", "超额承付", "日本"]
    {
        assert!(html.contains(words), "{words} missing from the page");
    }
    assert!(html.contains("id=\"kpi-needs-partly\" data-value=\"2\""));
    assert!(html.contains("Content-Security-Policy") && !html.contains("https://") && !html.contains("http://"));
    // Every table sits in a scroll box, so the page itself never scrolls sideways at 390 px.
    assert_eq!(html.matches("<table").count(), html.matches("<div class=\"scroll\"><table").count());
    // The needs with money open come first.
    let n1 = html.find("data-need=\"N3\"").unwrap();
    assert!(n1 < html.find("data-need=\"N1\" data-state").unwrap(), "N3 has 40 000 open, N1 20 000");
}

#[test]
fn json_tables_carry_the_same_figures() {
    let dir = example_dir();
    dir.run(&track_args(&["--format", "json"])).assert_success();
    let needs: serde_json::Value = serde_json::from_str(&dir.read("out/track/track_needs.json")).unwrap();
    assert_eq!(needs[0]["need_id"], "N1");
    assert_eq!(needs[0]["open_usd"], 20000);
}
