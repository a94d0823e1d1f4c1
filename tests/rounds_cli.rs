//! `poa-match match --ledger` end to end (docs/spec.md §9): a round on the bundled sample's 2014 offers over the
//! sample's 2013 ledger, checked against the ledger itself (every locked award is where the ledger put it, new
//! money keeps every envelope and need amount, the output ledger is the input plus this round's proposals), a
//! declined pair, pledges locked on request, proposals that bind nothing, a ledger that breaks a total, replay,
//! and the same bytes on any thread count.

mod common;

use std::collections::{BTreeMap, HashMap};

use common::{TestDir, assert_same_outputs, csv_rows};
use poa_match::model::LockLevel;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample");

fn sample(name: &str) -> String {
    format!("{SAMPLE}/{name}")
}

/// The arguments of a round on the sample's needs and `offers` (a file of data/sample) over `ledger`.
fn round_args<'a>(offers: &'a str, ledger: &'a str, out: &'a str) -> Vec<String> {
    ["match", "--needs", &sample("needs.csv"), "--offers", offers, "--ledger", ledger, "--out", out]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

fn run(dir: &TestDir, args: &[String]) -> common::Run {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    dir.run(&args)
}

type Rows = Vec<HashMap<String, String>>;

fn usd(row: &HashMap<String, String>, column: &str) -> i64 {
    row[column].parse().unwrap_or_else(|_| panic!("{column} = {:?} is not whole dollars", row[column]))
}

/// Sums of `amount_usd` by key over the rows that pass `keep`.
fn sums(
    rows: &Rows,
    key: impl Fn(&HashMap<String, String>) -> String,
    keep: impl Fn(&HashMap<String, String>) -> bool,
) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    for row in rows.iter().filter(|r| keep(r)) {
        *out.entry(key(row)).or_insert(0) += usd(row, "amount_usd");
    }
    out
}

fn locked(row: &HashMap<String, String>, level: LockLevel) -> bool {
    let status = poa_match::model::AwardStatus::parse(&row["status"]).expect("a status");
    status.is_locked(level)
}

/// Checks a round's outputs in `dir/out` against the ledger it read and the batch: locked money where the ledger
/// put it, totals within every need's amount and offer's envelope, the output ledger the input plus proposals.
fn check_round(dir: &TestDir, out: &str, ledger_text: &str, offers_text: &str, level: LockLevel, round: &str) {
    let ledger = csv_rows(ledger_text);
    let matches = csv_rows(&dir.read(&format!("{out}/matches.csv")));
    let needs = csv_rows(&dir.read(&format!("{out}/needs_status.csv")));
    let offers = csv_rows(&dir.read(&format!("{out}/offers_status.csv")));
    let batch_offers: HashMap<String, i64> =
        csv_rows(offers_text).iter().map(|o| (o["offer_id"].clone(), usd(o, "envelope_usd"))).collect();

    // Locked money by need and by offer, as the ledger says and as the outputs say.
    let locked_by_need = sums(&ledger, |r| r["need_id"].clone(), |r| locked(r, level));
    let locked_by_offer =
        sums(&ledger, |r| r["offer_id"].clone(), |r| locked(r, level) && batch_offers.contains_key(&r["offer_id"]));
    let locked_pairs = sums(&ledger, |r| format!("{}|{}", r["need_id"], r["offer_id"]), |r| locked(r, level));
    let matched_pairs = sums(&matches, |r| format!("{}|{}", r["need_id"], r["offer_id"]), |r| r["origin"] == "locked");
    assert_eq!(matched_pairs, locked_pairs, "every locked award, and nothing else, is a locked row of matches.csv");
    for need in &needs {
        let id = &need["need_id"];
        assert_eq!(usd(need, "locked_usd"), locked_by_need.get(id).copied().unwrap_or(0), "locked_usd of need {id}");
        let all: i64 = matches.iter().filter(|m| &m["need_id"] == id).map(|m| usd(m, "amount_usd")).sum();
        assert_eq!(usd(need, "allocated_usd"), all, "allocated_usd of need {id} is its rows' total");
        assert!(all <= usd(need, "requested_usd"), "need {id} gets {all}, above its amount");
    }
    for offer in &offers {
        let id = &offer["offer_id"];
        assert_eq!(usd(offer, "locked_usd"), locked_by_offer.get(id).copied().unwrap_or(0), "locked_usd of {id}");
        let all: i64 = matches.iter().filter(|m| &m["offer_id"] == id).map(|m| usd(m, "amount_usd")).sum();
        assert_eq!(usd(offer, "allocated_usd"), all, "allocated_usd of offer {id} is its rows' total");
        assert!(all <= batch_offers[id], "offer {id} gives {all}, above its envelope");
    }
    // A declined pair of the batch gets no new money.
    for declined in ledger.iter().filter(|r| r["status"] == "declined") {
        let new = matches.iter().any(|m| {
            m["need_id"] == declined["need_id"] && m["offer_id"] == declined["offer_id"] && m["origin"] == "new"
        });
        assert!(!new, "the declined pair {} / {} got new money", declined["need_id"], declined["offer_id"]);
    }

    // The output ledger: the input's bytes, then one proposed award per new row, with fresh ids.
    let written = dir.read(&format!("{out}/ledger.csv"));
    assert!(written.starts_with(ledger_text), "the output ledger starts with the input unchanged");
    let proposals = csv_rows(&written);
    let proposals = &proposals[ledger.len()..];
    let new_rows: Vec<_> = matches.iter().filter(|m| m["origin"] == "new").collect();
    assert_eq!(proposals.len(), new_rows.len(), "one proposal per new row");
    for (p, m) in proposals.iter().zip(&new_rows) {
        assert_eq!(
            (&p["need_id"], &p["offer_id"], &p["amount_usd"]),
            (&m["need_id"], &m["offer_id"], &m["amount_usd"])
        );
        assert_eq!((p["status"].as_str(), p["round"].as_str()), ("proposed", round));
    }
    let mut ids: Vec<String> = csv_rows(&written).into_iter().map(|r| r["award_id"].clone()).collect();
    let total = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), total, "award ids stay unique");
}

#[test]
fn a_round_keeps_every_locked_award_and_proposes_the_rest() {
    let dir = TestDir::new();
    let (offers, ledger) = (sample("offers_2014.csv"), sample("ledger.csv"));
    let mut args = round_args(&offers, &ledger, "out");
    args.extend(["--proposed-on".to_string(), "2014-03-20".to_string()]);
    let done = run(&dir, &args);
    done.assert_success()
        .assert_stdout_contains("round 2014: ")
        .assert_stdout_contains("locked: 4,429,500 USD in 34 awards");
    let ledger_text = std::fs::read_to_string(&ledger).unwrap();
    let offers_text = std::fs::read_to_string(&offers).unwrap();
    check_round(&dir, "out", &ledger_text, &offers_text, LockLevel::Committed, "2014");

    let matches = dir.read("out/matches.csv");
    assert!(matches.lines().next().unwrap().ends_with(",origin"), "matches.csv gains origin");
    assert!(dir.read("out/needs_status.csv").lines().next().unwrap().ends_with(",locked_usd"));
    assert!(dir.read("out/offers_status.csv").lines().next().unwrap().ends_with(",locked_usd"));
    // New awards are numbered in the round and dated as asked.
    let written = dir.read("out/ledger.csv");
    assert!(written.contains("\n2014-0001,2014,"), "{written}");
    assert!(written.lines().last().unwrap().contains(",proposed,2014-03-20,"), "{written}");

    let record: serde_json::Value = serde_json::from_str(&dir.read("out/run.json")).unwrap();
    assert_eq!(record["options"]["rounds"]["round"], "2014", "one above the ledger's highest round");
    assert_eq!(record["options"]["rounds"]["lock"], "committed");
    assert_eq!(record["ledger"]["locked"]["usd"], 4_429_500);
    assert_eq!(record["inputs"]["ledger"]["rows"], 40);
    // A multi-year fund's 2013 awards count against its envelope; the awards of the 2013 offers against needs only.
    let wbtf = csv_rows(&dir.read("out/offers_status.csv")).into_iter().find(|o| o["offer_id"] == "WBTF-2013").unwrap();
    assert_eq!(usd(&wbtf, "locked_usd"), 500_000);
    assert_eq!(record["ledger"]["outside_offer"]["awards"], 29);

    dir.run(&["replay", "out"]).assert_success().assert_stdout_contains("needs, offers, ledger (SHA-256 checked)");
    // The desk officer's greedy baseline with the same locks does no better.
    let mut greedy = round_args(&offers, &ledger, "greedy");
    greedy.extend(["--method", "greedy"].map(String::from));
    run(&dir, &greedy).assert_success();
    check_round(&dir, "greedy", &ledger_text, &offers_text, LockLevel::Committed, "2014");
    let greedy_record: serde_json::Value = serde_json::from_str(&dir.read("greedy/run.json")).unwrap();
    let objective = |r: &serde_json::Value| r["objective"].as_i64().expect("an objective");
    assert!(
        objective(&record) >= objective(&greedy_record),
        "optimal {} < greedy {}",
        record["objective"],
        greedy_record["objective"]
    );
    assert_eq!(greedy_record["ledger"]["locked"], record["ledger"]["locked"]);
    // The page shows locked and new money apart: in the headline, and row by row.
    let page = dir.read("out/report.html");
    assert!(page.contains(r#"id="kpi-locked" data-value="4429500""#), "the headline's locked money");
    let new_usd = record["ledger"]["new_usd"].to_string();
    assert!(page.contains(&format!(r#"id="kpi-new" data-value="{new_usd}""#)), "the headline's new money");
    assert!(
        page.contains(r#"data-key="WB_SALW_TF" data-envelope="900000" data-allocated="590000" data-locked="500000""#)
    );
    let rows = csv_rows(&matches);
    for origin in ["locked", "new"] {
        let in_file = rows.iter().filter(|m| m["origin"] == origin).count();
        let on_page = page.matches(&format!(r#"data-origin="{origin}""#)).count();
        assert_eq!(on_page, in_file, "{origin} rows on the page and in matches.csv");
    }
}

#[test]
fn a_round_is_the_same_on_any_thread_count() {
    let dir = TestDir::new();
    let (offers, ledger) = (sample("offers_2014.csv"), sample("ledger.csv"));
    for (out, threads) in [("t1", "1"), ("t2", "2"), ("t8", "8")] {
        let mut args = round_args(&offers, &ledger, out);
        args.extend(["--threads".to_string(), threads.to_string()]);
        run(&dir, &args).assert_success();
    }
    assert_same_outputs(&dir.path().join("t1"), &dir.path().join("t2"));
    assert_same_outputs(&dir.path().join("t1"), &dir.path().join("t8"));
}

#[test]
fn a_declined_pair_and_pledges_locked_on_request() {
    let dir = TestDir::new();
    // The 2013 offers again: every award's pair is in the batch, and EU declined NER-01.
    let (offers, ledger) = (sample("offers.csv"), sample("ledger.csv"));
    let ledger_text = std::fs::read_to_string(&ledger).unwrap();
    let offers_text = std::fs::read_to_string(&offers).unwrap();
    run(&dir, &round_args(&offers, &ledger, "committed")).assert_success();
    check_round(&dir, "committed", &ledger_text, &offers_text, LockLevel::Committed, "2014");
    let mut args = round_args(&offers, &ledger, "pledged");
    args.extend(["--lock", "pledged", "--round", "2013-bis"].map(String::from));
    run(&dir, &args).assert_success().assert_stdout_contains("(pledged, committed or disbursed)");
    check_round(&dir, "pledged", &ledger_text, &offers_text, LockLevel::Pledged, "2013-bis");
    assert!(dir.read("pledged/ledger.csv").contains("\n2013-bis-0001,2013-bis,"));
}

#[test]
fn proposals_of_an_earlier_round_bind_nothing() {
    let dir = TestDir::new();
    let (offers, ledger) = (sample("offers_2014.csv"), sample("ledger.csv"));
    run(&dir, &round_args(&offers, &ledger, "first")).assert_success();
    // The next run reads the first's ledger: its new awards are only proposed, so the round comes out the same.
    let next = dir.path().join("first/ledger.csv").display().to_string();
    let mut args = round_args(&offers, &next, "again");
    args.extend(["--round", "2014-call-2"].map(String::from));
    run(&dir, &args).assert_success();
    assert_eq!(dir.read("first/matches.csv"), dir.read("again/matches.csv"));
    let again = dir.read("again/ledger.csv");
    assert!(again.starts_with(&dir.read("first/ledger.csv")));
    assert!(again.contains("\n2014-call-2-0001,2014-call-2,"), "{again}");
}

#[test]
fn a_ledger_above_a_need_or_an_envelope_is_refused_with_its_lines() {
    let dir = TestDir::new();
    let mut text = std::fs::read_to_string(sample("ledger.csv")).unwrap();
    text.push_str("2013-0041,2013,BIH-02,WBTF-2013,100000,committed,2013-10-01,\n");
    text.push_str("2013-0042,2013,SRB-01,WBTF-2013,50000,disbursed,2013-10-01,\n");
    dir.write("ledger.csv", &text);
    let offers = sample("offers.csv");
    let done = run(&dir, &round_args(&offers, "ledger.csv", "out"));
    done.assert_code(3).assert_no_panic();
    let stderr = done.stderr();
    assert!(
        stderr.contains(
            "ledger.csv:42:5: field 'amount_usd': the locked award on line 42 (100,000 USD) is above need BIH-02's \
             amount_usd of 90,000"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "ledger.csv:43:5: field 'amount_usd': locked awards on lines 40, 41, 42, 43 add up to 650,000 USD, above \
             offer WBTF-2013's envelope_usd of 500,000"
        ),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists(), "nothing written");
}

#[test]
fn a_round_never_writes_over_its_own_input_ledger() {
    let dir = TestDir::new();
    dir.write("ledger.csv", "award_id,round,need_id,offer_id,amount_usd,status,status_date,note\n");
    dir.run(&["match", "--ledger", "ledger.csv", "--out", "r1"]).assert_success();
    let before = dir.read("r1/ledger.csv");
    let done = dir.run(&["match", "--ledger", "r1/ledger.csv", "--out", "r1"]);
    done.assert_code(2).assert_stderr_contains("is the ledger.csv this round would write in --out r1");
    assert_eq!(dir.read("r1/ledger.csv"), before, "the input ledger is untouched");
    dir.run(&["match", "--ledger", "r1/ledger.csv", "--out", "r2"]).assert_success();
}

#[test]
fn round_flags_need_a_ledger_and_a_good_label() {
    let dir = TestDir::new();
    dir.run(&["match", "--round", "2014"]).assert_code(2).assert_stderr_contains("--ledger");
    dir.run(&["match", "--lock", "pledged"]).assert_code(2).assert_stderr_contains("--ledger");
    let ledger = sample("ledger.csv");
    dir.run(&["match", "--ledger", &ledger, "--round", "a b"]).assert_code(2);
    dir.run(&["match", "--ledger", &ledger, "--proposed-on", "2014-02-30"]).assert_code(2);
    assert!(!dir.path().join("out").exists());
}

#[test]
fn explain_from_a_round_agrees_with_every_published_need() {
    let dir = TestDir::new();
    let (offers, ledger) = (sample("offers_2014.csv"), sample("ledger.csv"));
    run(&dir, &round_args(&offers, &ledger, "out")).assert_success();
    let needs = csv_rows(&dir.read("out/needs_status.csv"));
    for need in &needs {
        // explain --from checks its reading of the need against needs_status.csv and fails on any difference.
        let done = dir.run(&["explain", "--from", "out", "--need", &need["need_id"], "--format", "json"]);
        done.assert_success();
        let doc: serde_json::Value = serde_json::from_str(&done.stdout()).unwrap();
        assert_eq!(doc["allocated_usd"].to_string(), need["allocated_usd"], "need {}", need["need_id"]);
        assert_eq!(doc["locked"]["locked_usd"].to_string(), need["locked_usd"], "need {}", need["need_id"]);
    }
    let text = dir.run(&["explain", "--from", "out", "--need", "NER-01"]).assert_success().stdout();
    assert!(
        text.contains("Locked by the ledger: 155,000 USD, of it from offers not in this batch: NLD-2013 90,000 USD, UNSCAR-2013 65,000 USD"),
        "{text}"
    );
}

#[test]
fn explain_names_a_declined_pair() {
    let dir = TestDir::new();
    let (offers, ledger) = (sample("offers.csv"), sample("ledger.csv"));
    run(&dir, &round_args(&offers, &ledger, "out")).assert_success();
    let done = dir.run(&["explain", "--from", "out", "--need", "NER-01", "--format", "json"]).assert_success().stdout();
    let doc: serde_json::Value = serde_json::from_str(&done).unwrap();
    let eu = doc["offers"].as_array().unwrap().iter().find(|o| o["offer_id"] == "EU-2013").unwrap();
    assert_eq!((eu["hold"].as_str(), eu["amount_usd"].as_i64()), (Some("declined"), Some(0)));
    let status = csv_rows(&dir.read("out/needs_status.csv")).into_iter().find(|n| n["need_id"] == "NER-01").unwrap();
    assert!(status["offers_why"].contains("declined:1"), "{}", status["offers_why"]);
}

/// The README's walk-through of rounds, step by step, with its figures: the sample ledger is round 2013's
/// proposals with statuses a year on, so a change to the sample's optimum shows here.
#[test]
fn the_readme_round_walk_through_holds() {
    let dir = TestDir::new();
    dir.write("ledger.csv", "award_id,round,need_id,offer_id,amount_usd,status,status_date,note\n");
    dir.run(&[
        "match",
        "--ledger",
        "ledger.csv",
        "--round",
        "2013",
        "--proposed-on",
        "2013-04-15",
        "--out",
        "round-2013",
    ])
    .assert_success()
    .assert_stdout_contains("round 2013: 5,124,500 USD new in 40 awards");
    let proposed = csv_rows(&dir.read("round-2013/ledger.csv"));
    let sample_ledger = csv_rows(&std::fs::read_to_string(sample("ledger.csv")).unwrap());
    let pair = |r: &HashMap<String, String>| {
        [&r["award_id"], &r["round"], &r["need_id"], &r["offer_id"], &r["amount_usd"]].map(|s| s.to_string())
    };
    assert_eq!(
        proposed.iter().map(pair).collect::<Vec<_>>(),
        sample_ledger.iter().map(pair).collect::<Vec<_>>(),
        "data/sample/ledger.csv is round 2013's proposals, statuses aside"
    );
    assert!(proposed.iter().all(|r| r["status"] == "proposed" && r["status_date"] == "2013-04-15"));

    let (offers, ledger) = (sample("offers_2014.csv"), sample("ledger.csv"));
    let needs = sample("needs.csv");
    let args = [
        "match",
        "--needs",
        &needs,
        "--offers",
        &offers,
        "--ledger",
        &ledger,
        "--round",
        "2014",
        "--proposed-on",
        "2014-03-20",
    ];
    dir.run(&[&args[..], &["--out", "round-2014"]].concat())
        .assert_success()
        .assert_stdout_contains("locked: 4,429,500 USD in 34 awards")
        .assert_stdout_contains("round 2014: 4,410,000 USD new in 45 awards");
    dir.run(&[
        "track",
        "--ledger",
        "round-2014/ledger.csv",
        "--needs",
        &needs,
        "--offers",
        &offers,
        "--as-of",
        "2014-12-31",
        "--out",
        "t",
    ])
    .assert_success()
    .assert_stdout_contains("ledger: 85 awards");
}
