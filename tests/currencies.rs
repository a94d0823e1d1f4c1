//! Offers and ledger rows in other currencies than the dollar, end to end through the real binary (docs/spec.md
//! §11.4):
//! - an offers file with EUR and JPY offers and a rates file gives the same matches as the same offers converted by
//!   hand into dollars (rounded down), and run.json records the rates file and each rate used;
//! - a missing rate, an unknown code, a second rate for one currency and each kind of bad rate give one exact
//!   one-line error;
//! - a replay of a run with rates passes, and fails naming the rates file once it changed;
//! - a ledger in EUR against an EUR offer keeps its locks within the envelope, and the round's new rows say USD.

mod common;

use std::path::Path;

use common::TestDir;
use serde_json::Value;

fn sample(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The sample's offers with a `currency` column, some rows changed: `(offer_id, envelope, cap, currency)`.
fn offers_with(changes: &[(&str, &str, &str, &str)]) -> String {
    let text = sample("offers.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (envelope, cap) = (column("envelope_usd"), column("cap_per_need_usd"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut names: Vec<&str> = header.iter().collect();
    names.push("currency");
    writer.write_record(&names).unwrap();
    for record in reader.records() {
        let mut fields: Vec<String> = record.unwrap().iter().map(str::to_string).collect();
        let mut currency = String::new();
        if let Some((_, e, c, cur)) = changes.iter().find(|(id, ..)| *id == fields[0]) {
            fields[envelope] = e.to_string();
            fields[cap] = c.to_string();
            currency = cur.to_string();
        }
        fields.push(currency);
        writer.write_record(&fields).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

const RATES: &str = "currency,usd_per_unit,date,source\n\
                     EUR,1.25,2013-01-02,ECB reference rate\n\
                     JPY,0.0067,2013-01-02,Bank of Japan\n\
                     GBP,1.6,2013-01-02,not used by any row\n";

/// Offers in EUR and JPY, and the same offers converted by hand: 400 000 EUR at 1.25 is 500 000 USD, and
/// 44 776 119 JPY at 0.0067 is 299 999.9973 USD, rounded down to 299 999.
fn foreign_and_by_hand() -> (String, String) {
    let foreign = offers_with(&[
        ("DEU-2013", "400000", "240000", "EUR"),
        ("EU-2013", "400000", "240000", "eur"),
        ("JPN-2013", "44776119", "37313433", "JPY"),
    ]);
    let by_hand = offers_with(&[
        ("DEU-2013", "500000", "300000", ""),
        ("EU-2013", "500000", "300000", ""),
        ("JPN-2013", "299999", "250000", ""),
    ]);
    (foreign, by_hand)
}

fn run_json(dir: &TestDir, out: &str) -> Value {
    serde_json::from_str(&dir.read(&format!("{out}/run.json"))).expect("run.json is JSON")
}

#[test]
fn offers_in_eur_and_jpy_match_as_the_same_offers_converted_by_hand() {
    let dir = TestDir::new();
    let (foreign, by_hand) = foreign_and_by_hand();
    dir.write("needs.csv", sample("needs.csv"));
    dir.write("foreign.csv", foreign);
    dir.write("by_hand.csv", by_hand);
    dir.write("rates.csv", RATES);
    dir.run(&["match", "--needs", "needs.csv", "--offers", "foreign.csv", "--rates", "rates.csv", "--out", "a"])
        .assert_success();
    dir.run(&["match", "--needs", "needs.csv", "--offers", "by_hand.csv", "--out", "b"]).assert_success();
    for table in ["matches.csv", "needs_status.csv", "offers_status.csv"] {
        assert_eq!(dir.read(&format!("a/{table}")), dir.read(&format!("b/{table}")), "{table}");
    }
    let run = run_json(&dir, "a");
    assert_eq!(run["offered_usd"], run_json(&dir, "b")["offered_usd"]);
    let rates = &run["inputs"]["rates"];
    assert_eq!((rates["path"].as_str(), rates["rows"].as_u64()), (Some("rates.csv"), Some(3)));
    assert_eq!(rates["sha256"].as_str().map(str::len), Some(64));
    let used = &run["inputs"]["rates_used"];
    let expected = serde_json::json!([
        {"currency": "EUR", "usd_per_unit": "1.25", "date": "2013-01-02", "source": "ECB reference rate", "rows": 2},
        {"currency": "JPY", "usd_per_unit": "0.0067", "date": "2013-01-02", "source": "Bank of Japan", "rows": 1},
    ]);
    assert_eq!(used, &expected, "GBP converted nothing and is not listed");
    assert!(run_json(&dir, "b")["inputs"].get("rates_used").is_none());
    // The page lists the rates file with the inputs, and each rate used.
    let page = dir.read("a/report.html");
    assert!(page.contains(">rates.csv<"), "the rates file among the inputs");
    assert!(page.contains("<dt>1 JPY = USD</dt><dd>0.0067 (2013-01-02, Bank of Japan; × 1)</dd>"), "{page}");
    assert!(!dir.read("b/report.html").contains(" = USD</dt>"));
    // validate says which rates converted how many rows.
    dir.run(&["validate", "--needs", "needs.csv", "--offers", "foreign.csv", "--rates", "rates.csv"])
        .assert_success()
        .assert_stdout_contains("rates.csv: 3 rates, 2 used\n")
        .assert_stdout_contains("  EUR at 1.25 USD (2013-01-02, ECB reference rate): 2 rows converted, rounded down")
        .assert_stdout_contains("  JPY at 0.0067 USD (2013-01-02, Bank of Japan): 1 row converted");
}

/// The one error line of a run that must fail with invalid data.
fn only_error(dir: &TestDir, args: &[&str]) -> String {
    let run = dir.run(args);
    run.assert_code(3).assert_no_panic();
    let stderr = run.stderr();
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 2, "a header and one error:\n{stderr}");
    assert_eq!(lines[0], "error: invalid input data (1 error):");
    lines[1].to_string()
}

#[test]
fn each_currency_slip_is_one_exact_error() {
    let dir = TestDir::new();
    let (foreign, _) = foreign_and_by_hand();
    dir.write("needs.csv", sample("needs.csv"));
    dir.write("one.csv", offers_with(&[("DEU-2013", "400000", "240000", "EUR")]));
    dir.write("foreign.csv", &foreign);
    dir.write("euro.csv", offers_with(&[("DEU-2013", "400000", "240000", "EURO")]));
    let validate = |offers: &str, rates: Option<&str>| {
        let mut args = vec!["validate", "--needs", "needs.csv", "--offers", offers];
        if let Some(rates) = rates {
            args.extend(["--rates", rates]);
        }
        only_error(&dir, &args)
    };
    // DEU-2013 is on line 5; the currency column is the 24th.
    assert_eq!(
        validate("one.csv", None),
        "one.csv:5:24: field 'currency': no rate for EUR: amounts in EUR need one (hint: give --rates FILE with a \
         row \"EUR,<usd per EUR>,<date>,<source>\")"
    );
    dir.write("jpy_only.csv", "currency,usd_per_unit,date,source\nJPY,0.0067,2013-01-02,BoJ\n");
    assert_eq!(
        validate("one.csv", Some("jpy_only.csv")),
        "one.csv:5:24: field 'currency': no rate for EUR (hint: add a row \"EUR,<usd per EUR>,<date>,<source>\" to \
         the file given with --rates)"
    );
    assert_eq!(
        validate("euro.csv", Some("jpy_only.csv")),
        "euro.csv:5:24: field 'currency': expected an ISO 4217 currency code such as EUR or JPY, found \"EURO\" (did \
         you mean EUR?)"
    );

    dir.write("twice.csv", format!("{RATES}eur,1.3,2013-02-01,ECB\n"));
    assert_eq!(
        validate("foreign.csv", Some("twice.csv")),
        "twice.csv:5:1: field 'currency': a second rate for EUR (the first is on line 2; hint: keep one row per \
         currency, the rate of the day the amounts are valued at)"
    );
    for (rate, message) in [
        ("0", "must be greater than zero, found \"0\""),
        ("-1.1", "must be greater than zero, found \"-1.1\""),
        ("one", "expected a positive decimal number such as 1.0842, found \"one\""),
        ("1.0000000000001", "has 13 decimals; at most 12 are kept exactly (round it to 12), found \"1.0000000000001\""),
    ] {
        dir.write("bad.csv", RATES.replace("EUR,1.25,", &format!("EUR,{rate},")));
        assert_eq!(validate("foreign.csv", Some("bad.csv")), format!("bad.csv:2:2: field 'usd_per_unit': {message}"));
    }
    dir.write("usd.csv", format!("{RATES}USD,1.01,,\n"));
    assert_eq!(
        validate("foreign.csv", Some("usd.csv")),
        "usd.csv:5:2: field 'usd_per_unit': the rate of USD is 1 by definition, found 1.01"
    );
    // A rate of USD of 1, without date or source, is accepted.
    dir.write("usd_one.csv", format!("{RATES}usd,1.000,,\n"));
    dir.run(&["validate", "--needs", "needs.csv", "--offers", "foreign.csv", "--rates", "usd_one.csv"])
        .assert_success();
}

#[test]
fn an_amount_worth_less_than_a_dollar_or_too_much_is_refused() {
    let dir = TestDir::new();
    dir.write("needs.csv", sample("needs.csv"));
    dir.write("rates.csv", RATES);
    dir.write("tiny.csv", offers_with(&[("JPN-2013", "149", "", "JPY")]));
    let tiny = only_error(&dir, &["validate", "--needs", "needs.csv", "--offers", "tiny.csv", "--rates", "rates.csv"]);
    assert_eq!(
        tiny,
        "tiny.csv:12:4: field 'envelope_usd': 149 JPY is worth less than one US dollar at 0.0067 USD per JPY \
         (amounts convert to whole dollars, rounded down)"
    );
    dir.write("huge.csv", offers_with(&[("DEU-2013", "900000000000", "", "EUR")]));
    let huge = only_error(&dir, &["validate", "--needs", "needs.csv", "--offers", "huge.csv", "--rates", "rates.csv"]);
    assert_eq!(
        huge,
        "huge.csv:5:4: field 'envelope_usd': 900000000000 EUR is 1125000000000 US dollars at 1.25 USD per EUR, more \
         than the largest supported amount, 1000000000000"
    );
}

#[test]
fn replay_of_a_run_with_rates_passes_and_names_a_changed_rates_file() {
    let dir = TestDir::new();
    let (foreign, _) = foreign_and_by_hand();
    dir.write("needs.csv", sample("needs.csv"));
    dir.write("offers.csv", foreign);
    dir.write("rates.csv", RATES);
    dir.run(&["match", "--needs", "needs.csv", "--offers", "offers.csv", "--rates", "rates.csv", "--out", "out"])
        .assert_success();
    dir.run(&["replay", "out"]).assert_success().assert_stdout_contains("all identical");
    // explain --from reads the rates the record names, too.
    dir.run(&["explain", "--from", "out", "--need", "BFA-02"]).assert_success();

    dir.write("rates.csv", RATES.replace("1.25", "1.26"));
    let replay = dir.run(&["replay", "out"]);
    replay.assert_code(4).assert_no_panic();
    let stderr = replay.stderr();
    assert_eq!(stderr.lines().count(), 1, "one line:\n{stderr}");
    assert!(stderr.starts_with("error: rates changed: rates.csv has SHA-256 "), "{stderr}");
}

#[test]
fn a_ledger_in_eur_against_an_eur_offer_keeps_its_locks_within_the_envelope() {
    let dir = TestDir::new();
    dir.write("needs.csv", sample("needs.csv"));
    // 400 000 EUR at 1.0842 is 433 680 USD. The two awards add up to the whole envelope in EUR; each rounded
    // down (144 559 + 289 120 = 433 679) they stay within it, where rounding up would exceed it by one dollar.
    dir.write("offers.csv", offers_with(&[("DEU-2013", "400000", "", "EUR")]));
    dir.write("rates.csv", "currency,usd_per_unit,date,source\nEUR,1.0842,2013-01-02,ECB\n");
    dir.write(
        "ledger.csv",
        "award_id,round,need_id,offer_id,amount_usd,currency,status,status_date,note\n\
         A-1,2013,BFA-02,DEU-2013,133333,EUR,committed,2013-06-14,\n\
         A-2,2013,NER-01,DEU-2013,266667,eur,committed,2013-06-14,\n",
    );
    let run = dir.run(&[
        "match",
        "--needs",
        "needs.csv",
        "--offers",
        "offers.csv",
        "--rates",
        "rates.csv",
        "--ledger",
        "ledger.csv",
        "--out",
        "round",
    ]);
    run.assert_success();
    let record = run_json(&dir, "round");
    assert_eq!(record["inputs"]["rates_used"][0]["rows"], 3, "one offer and two ledger rows");
    let offers = dir.read("round/offers_status.csv");
    let deu = offers.lines().find(|l| l.starts_with("DEU-2013,")).expect("DEU-2013 in offers_status.csv");
    assert!(deu.contains(",433680,"), "the envelope in dollars: {deu}");
    // The round's new rows are in dollars, and say so in the ledger's currency column.
    let ledger = dir.read("round/ledger.csv");
    let new_rows: Vec<&str> = ledger.lines().skip(3).collect();
    assert!(!new_rows.is_empty(), "the round proposed awards:\n{ledger}");
    for row in new_rows {
        assert_eq!(row.split(',').nth(5), Some("USD"), "{row}");
    }
    // The output ledger reads back with the same rates.
    dir.run(&[
        "validate",
        "--needs",
        "needs.csv",
        "--offers",
        "offers.csv",
        "--rates",
        "rates.csv",
        "--ledger",
        "round/ledger.csv",
    ])
    .assert_success();
}

#[test]
fn a_scenarios_added_offers_in_jpy_are_converted_with_the_rates_of_the_run() {
    let dir = TestDir::new();
    dir.write("needs.csv", sample("needs.csv"));
    dir.write("offers.csv", sample("offers.csv"));
    let added = sample("scenario_offers.csv");
    let (header, row) = added.split_once('\n').unwrap();
    dir.write("added.csv", format!("{header},currency\n{},JPY\n", row.trim_end().replacen("400000", "60000000", 1)));
    dir.write("scenarios.toml", "draws = 3\n[[scenario]]\nname = \"yen\"\nadd_offers = \"added.csv\"\n");
    let args = ["simulate", "--needs", "needs.csv", "--offers", "offers.csv", "--scenarios", "scenarios.toml"];
    let refused = dir.run(&[&args[..], &["--out", "refused"]].concat());
    refused
        .assert_code(3)
        .assert_no_panic()
        .assert_stderr_contains("added.csv:2:24: field 'currency': no rate for JPY");
    dir.write("rates.csv", RATES);
    dir.run(&[&args[..], &["--rates", "rates.csv", "--node-limit", "100", "--out", "sim"]].concat()).assert_success();
    let record: Value = serde_json::from_str(&dir.read("sim/simulate.json")).unwrap();
    let used = &record["inputs"]["rates_used"];
    assert_eq!((used[0]["currency"].as_str(), used[0]["rows"].as_u64()), (Some("JPY"), Some(1)), "{record}");
}
