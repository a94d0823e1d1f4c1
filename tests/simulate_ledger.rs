//! `poa-match simulate --ledger` (docs/spec.md §7): the sample's 2013 ledger over the sample's needs with the 2013
//! offers (locks on the batch's own offers) and the 2014 offers (most locks from offers outside the batch).
//!
//! - Every draw keeps every lock: a need never gets less than the ledger locks on it, whatever share of each pledge
//!   arrives (library, draw by draw); a need locked whole is funded in every draw (the binary's need_odds.csv).
//! - Certain pledges reproduce `match --ledger`.
//! - Pledged awards: unlocked by default, certain with `--lock pledged` or `pledged_awards = "certain"`, and with
//!   `"drawn"` locked exactly in the draws where their offer's pledge arrives.
//! - The same bytes on one and two threads, and from merged shards.
//! - The record: the ledger with its SHA-256 and `--lock` in simulate.json, the ledger on the page.
//! - Errors: a bad `pledged_awards`, a scenario that cuts below the locks (named), a ledger that breaks the
//!   batch's totals (once, at the ledger's row), ledger and batch errors in one list, `--lock` without a ledger.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{TestDir, assert_same_outputs, csv_rows};
use poa_match::catalog::Reference;
use poa_match::io::{ReadOptions, read_batch, read_ledger_file};
use poa_match::model::LockLevel;
use poa_match::simulate::{self, StudyOptions, draw};
use serde_json::Value;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample");

fn sample(name: &str) -> String {
    format!("{SAMPLE}/{name}")
}

/// The need of the sample whose only money is a pledged award (from USA-2013, all it asks for): no offer of 2013
/// can otherwise fund it.
const PLEDGED_NEED: &str = "SOM-01";
const PLEDGED_USD: i64 = 300_000;

/// Dollars per need of the sample ledger's awards with one of `statuses`, read from the CSV apart from the
/// library's reader.
fn ledger_by_need(statuses: &[&str]) -> BTreeMap<String, i64> {
    let text = std::fs::read_to_string(sample("ledger.csv")).unwrap();
    let mut out = BTreeMap::new();
    for row in csv_rows(&text).iter().filter(|r| statuses.contains(&r["status"].as_str())) {
        *out.entry(row["need_id"].clone()).or_insert(0) += row["amount_usd"].parse::<i64>().unwrap();
    }
    out
}

/// Runs `simulate` on the sample's needs and `offers`, over the sample ledger, with `extra` arguments.
fn simulate(dir: &TestDir, offers: &str, scenarios: &str, out: &str, extra: &[&str]) -> common::Run {
    let (needs, offers, ledger) = (sample("needs.csv"), sample(offers), sample("ledger.csv"));
    let mut args = vec!["simulate", "--needs", &needs, "--offers", &offers, "--ledger", &ledger];
    args.extend_from_slice(&["--scenarios", scenarios, "--out", out]);
    args.extend_from_slice(extra);
    dir.run(&args)
}

/// need_odds.csv's row of `need` in `scenario`.
fn odds(dir: &TestDir, out: &str, scenario: &str, need: &str) -> BTreeMap<String, String> {
    let rows = csv_rows(&dir.read(&format!("{out}/need_odds.csv")));
    let row = rows.into_iter().find(|r| r["scenario"] == scenario && r["need_id"] == need);
    row.unwrap_or_else(|| panic!("no row of {need} in {scenario}")).into_iter().collect()
}

fn options(lock: LockLevel) -> StudyOptions {
    StudyOptions {
        method: poa_match::Method::Optimal,
        node_limit: 20_000,
        work_limit: poa_match::solve::WorkLimit::DRAW_DEFAULT.units(),
        weights: Default::default(),
        lang: poa_match::Lang::En,
        format: poa_match::io::outputs::TableFormat::Csv,
        excel: false,
        lock: Some(lock),
    }
}

/// Pledges that often arrive in part or not at all, so that many draws realise an envelope below its locks.
const SCARCE: &str = r#"
draws = 30
seed = 11
[realisation]
probability = 0.6
share = [0.1, 1.0]
[[scenario]]
name = "as --lock says"
[[scenario]]
name = "pledges certain"
pledged_awards = "certain"
[[scenario]]
name = "pledges drawn"
pledged_awards = "drawn"
"#;

#[test]
fn every_draw_keeps_every_lock() {
    let reference = Reference::embedded();
    let ledger = read_ledger_file(Path::new(&sample("ledger.csv")), ReadOptions::default()).unwrap();
    let committed = ledger_by_need(&["committed", "disbursed"]);
    let with_pledged = ledger_by_need(&["committed", "disbursed", "pledged"]);
    let study = poa_match::scenario::parse("scarce.toml", SCARCE).unwrap();
    let options = options(LockLevel::Committed);
    for offers in ["offers.csv", "offers_2014.csv"] {
        let batch =
            read_batch(Path::new(&sample("needs.csv")), Path::new(&sample(offers)), reference, Default::default())
                .unwrap();
        let dir = Path::new(SAMPLE);
        let prepared =
            simulate::prepare(&study, &batch, reference, dir, ReadOptions::default(), &options, Some(&ledger)).unwrap();
        let mut envelope_below_locks = 0;
        let mut drawn_pledge_failed = 0;
        for (s, p) in prepared.iter().enumerate() {
            assert!(p.certain.is_none(), "{offers}: pledges are uncertain, so every draw solves");
            let locks = p.locks.as_ref().expect("placed");
            let floor = if s == 1 { &with_pledged } else { &committed };
            let share = p.draw_share().unwrap();
            let mut scratch = draw::Scratch::new(p, &share);
            let mut envelopes = vec![poa_match::model::Usd(0); p.batch.offers.len()];
            for i in 0..p.frame.draws {
                draw::realise(p, study.seed, s, i, &mut envelopes);
                envelope_below_locks +=
                    envelopes.iter().zip(&locks.all.of_offer).filter(|&(e, &l)| e.get() < l).count();
                let outcome = draw::run(p, study.seed, s, i, &mut scratch, options.method, options.limits()).unwrap();
                for (row, &got) in p.frame.needs.iter().zip(&outcome.need_amounts) {
                    let locked = floor.get(&row.need_id).copied().unwrap_or(0);
                    let (id, scenario) = (&row.need_id, &p.frame.name);
                    assert!(
                        got >= locked,
                        "{offers}, {scenario}, draw {i}: {id} gets {got}, below its {locked} locked"
                    );
                    assert!(
                        got <= row.requested_usd,
                        "{offers}, {scenario}, draw {i}: {id} gets {got}, above its amount"
                    );
                }
                let pledged = p.frame.needs.iter().position(|r| r.need_id == PLEDGED_NEED).unwrap();
                drawn_pledge_failed += usize::from(s == 2 && outcome.need_amounts[pledged] < PLEDGED_USD);
            }
        }
        // Otherwise the floors above would prove little.
        assert!(envelope_below_locks > 0, "{offers}: no draw realised an envelope below its locks");
        assert!(drawn_pledge_failed > 0, "{offers}: the drawn pledge to {PLEDGED_NEED} arrived in every draw");
    }
}

/// With the 2013 offers, the pledge to SOM-01 comes from USA-2013, an offer of the batch: a drawn award arrives
/// exactly in the draws where its offer's pledge arrives, and it is the need's only money.
#[test]
fn a_drawn_pledge_arrives_with_its_offers_pledge() {
    let reference = Reference::embedded();
    let ledger = read_ledger_file(Path::new(&sample("ledger.csv")), ReadOptions::default()).unwrap();
    let text = "draws = 40\nseed = 3\n[realisation.donor.USA]\nprobability = 0.5\nshare = [0.5, 1.0]\n\
                [[scenario]]\nname = \"unlocked\"\n[[scenario]]\nname = \"drawn\"\npledged_awards = \"drawn\"\n";
    let study = poa_match::scenario::parse("usa.toml", text).unwrap();
    let options = options(LockLevel::Committed);
    let batch =
        read_batch(Path::new(&sample("needs.csv")), Path::new(&sample("offers.csv")), reference, Default::default())
            .unwrap();
    let dir = Path::new(SAMPLE);
    let prepared =
        simulate::prepare(&study, &batch, reference, dir, ReadOptions::default(), &options, Some(&ledger)).unwrap();
    let usa = prepared[1].batch.offers.iter().position(|o| o.id.as_str() == "USA-2013").unwrap();
    let need = prepared[1].frame.needs.iter().position(|r| r.need_id == PLEDGED_NEED).unwrap();
    let (mut arrived, mut failed) = (0, 0);
    for (s, p) in prepared.iter().enumerate() {
        let share = p.draw_share().unwrap();
        let mut scratch = draw::Scratch::new(p, &share);
        let mut envelopes = vec![poa_match::model::Usd(0); p.batch.offers.len()];
        for i in 0..p.frame.draws {
            let outcome = draw::run(p, study.seed, s, i, &mut scratch, options.method, options.limits()).unwrap();
            let got = outcome.need_amounts[need];
            if s == 0 {
                assert_eq!(got, 0, "draw {i}: without its pledge {PLEDGED_NEED} gets nothing (the premise)");
                continue;
            }
            draw::realise(p, study.seed, s, i, &mut envelopes);
            // A pledge that arrives brings a share of its envelope above nothing, so a positive envelope means it
            // arrived.
            if envelopes[usa].get() > 0 {
                arrived += 1;
                assert_eq!(got, PLEDGED_USD, "draw {i}: USA's pledge arrived, and so does the award");
            } else {
                failed += 1;
                assert_eq!(got, 0, "draw {i}: USA's pledge failed, and so does the award");
            }
        }
    }
    assert!(arrived > 0 && failed > 0, "{arrived} draws with the pledge, {failed} without");
}

#[test]
fn a_need_locked_whole_is_funded_in_every_draw() {
    let dir = TestDir::new();
    dir.write("scarce.toml", SCARCE);
    let committed = ledger_by_need(&["committed", "disbursed"]);
    let needs = csv_rows(&std::fs::read_to_string(sample("needs.csv")).unwrap());
    let requested: BTreeMap<&str, i64> =
        needs.iter().map(|n| (n["need_id"].as_str(), n["amount_usd"].parse().unwrap())).collect();
    let whole: Vec<&String> =
        committed.iter().filter(|&(id, x)| requested.get(id.as_str()) == Some(x)).map(|(id, _)| id).collect();
    assert!(whole.len() >= 3, "the sample locks some needs whole: {whole:?}");
    for offers in ["offers.csv", "offers_2014.csv"] {
        simulate(&dir, offers, "scarce.toml", offers, &[]).assert_success().assert_stdout_contains("ledger: ");
        for row in csv_rows(&dir.read(&format!("{offers}/need_odds.csv"))) {
            let Some(&locked) = committed.get(&row["need_id"]) else { continue };
            let what = format!("{offers}, {}, {}", row["scenario"], row["need_id"]);
            assert_eq!(row["reached_share"], "1.0000", "{what}: locked money reaches it in every draw");
            assert!(row["allocated_mean_usd"].parse::<f64>().unwrap() >= locked as f64, "{what}");
            if requested.get(row["need_id"].as_str()) == Some(&locked) {
                assert_eq!(row["funded_share"], "1.0000", "{what}: locked whole");
            }
        }
    }
}

#[test]
fn certain_pledges_reproduce_match_with_the_ledger() {
    let dir = TestDir::new();
    dir.write("same.toml", "draws = 4\n[[scenario]]\nname = \"as is\"\n");
    for offers in ["offers.csv", "offers_2014.csv"] {
        let sim = format!("sim-{offers}");
        simulate(&dir, offers, "same.toml", &sim, &["--lock", "pledged"]).assert_success();
        let (needs, offers_path, ledger) = (sample("needs.csv"), sample(offers), sample("ledger.csv"));
        let out = format!("match-{offers}");
        let args = [
            "match",
            "--needs",
            &needs,
            "--offers",
            &offers_path,
            "--ledger",
            &ledger,
            "--lock",
            "pledged",
            "--out",
            &out,
        ];
        dir.run(&args).assert_success();
        let status = csv_rows(&dir.read(&format!("{out}/needs_status.csv")));
        let odds = csv_rows(&dir.read(&format!("{sim}/need_odds.csv")));
        assert_eq!(status.len(), odds.len());
        for (s, o) in status.iter().zip(&odds) {
            assert_eq!(s["need_id"], o["need_id"]);
            assert_eq!(o["allocated_mean_usd"], format!("{}.00", s["allocated_usd"]), "{offers}: {}", s["need_id"]);
            let funded = if s["status"] == "funded" { "1.0000" } else { "0.0000" };
            assert_eq!(o["funded_share"], funded, "{offers}: {}", s["need_id"]);
        }
    }
}

#[test]
fn pledged_awards_are_unlocked_certain_or_drawn() {
    let dir = TestDir::new();
    dir.write(
        "pledges.toml",
        "draws = 60\nseed = 21\n[realisation.donor.USA]\nprobability = 0.5\n[[scenario]]\nname = \"default\"\n\
         [[scenario]]\nname = \"certain\"\npledged_awards = \"certain\"\n[[scenario]]\nname = \"drawn\"\n\
         pledged_awards = \"drawn\"\n",
    );
    for (lock, default_rule) in [("committed", "unlocked"), ("pledged", "certain")] {
        let out = format!("lock-{lock}");
        simulate(&dir, "offers.csv", "pledges.toml", &out, &["--lock", lock]).assert_success();
        let default = odds(&dir, &out, "default", PLEDGED_NEED);
        let expected = if default_rule == "certain" { "1.0000" } else { "0.0000" };
        assert_eq!(default["funded_share"], expected, "--lock {lock}: the default for pledged awards");
        assert_eq!(odds(&dir, &out, "certain", PLEDGED_NEED)["funded_share"], "1.0000", "--lock {lock}");
        let drawn = odds(&dir, &out, "drawn", PLEDGED_NEED);
        let share: f64 = drawn["funded_share"].parse().unwrap();
        assert!((0.25..=0.75).contains(&share), "--lock {lock}: drawn with probability 0.5, funded in {share}");
        assert_eq!(drawn["reached_share"], drawn["funded_share"], "the award is the need's only money");

        let json: Value = serde_json::from_str(&dir.read(&format!("{out}/simulate.json"))).unwrap();
        assert_eq!(json["options"]["lock"], lock);
        let rule = |i: usize| json["scenarios"][i]["ledger"]["pledged_awards"].as_str().unwrap().to_string();
        assert_eq!([rule(0), rule(1), rule(2)], [default_rule, "certain", "drawn"]);
        // The sample's two pledged awards, to SOM-01 and COD-01.
        let drawn = &json["scenarios"][2]["ledger"];
        assert_eq!((drawn["drawn"]["awards"].as_u64(), drawn["drawn"]["usd"].as_i64()), (Some(2), Some(450_000)));
        let certain = &json["scenarios"][1]["ledger"]["locked"];
        let committed = &drawn["locked"];
        assert_eq!(certain["awards"].as_u64().unwrap(), committed["awards"].as_u64().unwrap() + 2);
        assert_eq!(certain["usd"].as_i64().unwrap(), committed["usd"].as_i64().unwrap() + 450_000);
    }
}

#[test]
fn a_study_with_a_ledger_is_the_same_on_any_thread_count_and_from_shards() {
    let dir = TestDir::new();
    dir.write("scarce.toml", SCARCE);
    for (out, threads) in [("t1", "1"), ("t2", "2")] {
        simulate(&dir, "offers.csv", "scarce.toml", out, &["--threads", threads]).assert_success();
    }
    assert_same_outputs(&dir.path().join("t1"), &dir.path().join("t2"));
    for shard in ["1/2", "2/2"] {
        simulate(&dir, "offers.csv", "scarce.toml", "shards", &["--threads", "2", "--shard", shard]).assert_success();
    }
    let run = dir.run(&["merge", "shards/shard-2-of-2.json", "shards/shard-1-of-2.json", "--out", "merged"]);
    run.assert_success();
    assert_same_outputs(&dir.path().join("t1"), &dir.path().join("merged"));
    // The draws differ, or the comparison proves little.
    let rows = csv_rows(&dir.read("t1/scenarios.csv"));
    assert!(rows.iter().all(|r| r["allocated_p5_usd"] != r["allocated_p95_usd"]), "{rows:?}");
}

#[test]
fn the_record_names_the_ledger_and_the_lock() {
    let dir = TestDir::new();
    dir.write("scarce.toml", SCARCE.replace("draws = 30", "draws = 2"));
    simulate(&dir, "offers_2014.csv", "scarce.toml", "sim", &["--lock", "pledged"]).assert_success();
    let json: Value = serde_json::from_str(&dir.read("sim/simulate.json")).unwrap();
    let ledger = &json["inputs"]["ledger"];
    let bytes = std::fs::read(sample("ledger.csv")).unwrap();
    assert_eq!(ledger["path"], sample("ledger.csv"));
    assert_eq!(ledger["rows"], 40);
    assert_eq!(ledger["sha256"], poa_match::io::provenance::sha256_hex(&bytes));
    assert_eq!(json["options"]["lock"], "pledged");
    // With the 2014 offers most locks come from offers outside the batch.
    let record = &json["scenarios"][0]["ledger"];
    assert!(record["outside_offer"]["awards"].as_u64().unwrap() > 20, "{record}");
    assert!(dir.read("sim/report.html").contains("ledger.csv"), "the page lists the ledger among the inputs");

    // Without a ledger, the record is as it was.
    dir.run(&["simulate", "--scenarios", "scarce.toml", "--node-limit", "150", "--out", "plain"]).assert_success();
    let json: Value = serde_json::from_str(&dir.read("plain/simulate.json")).unwrap();
    assert!(json["inputs"].get("ledger").is_none() && json["options"].get("lock").is_none(), "{json}");
    assert!(json["scenarios"][0].get("ledger").is_none());
}

#[test]
fn a_bad_pledged_awards_is_a_data_error_at_its_place() {
    let dir = TestDir::new();
    let cases: &[(&str, &str)] = &[
        (
            "[[scenario]]\nname = \"a\"\npledged_awards = \"maybe\"\n",
            "bad.toml:3:18: field 'scenario[1].pledged_awards': \"maybe\" is not a rule for pledged awards; expected \
             one of certain, drawn",
        ),
        (
            "pledged_awards = \"Certain\"\n[[scenario]]\nname = \"a\"\n",
            "bad.toml:1:18: field 'pledged_awards': \"Certain\" is not a rule for pledged awards",
        ),
        ("[[scenario]]\nname = \"a\"\npledged_awards = true\n", "bad.toml:3:18:"),
    ];
    for (text, expected) in cases {
        dir.write("bad.toml", text);
        let run = simulate(&dir, "offers.csv", "bad.toml", "out", &[]);
        run.assert_code(3).assert_no_panic().assert_stderr_contains(expected);
        assert!(!dir.path().join("out").exists(), "nothing is written");
    }
}

#[test]
fn a_scenario_that_cuts_below_the_locks_is_named() {
    let dir = TestDir::new();
    let text = "draws = 2\n[[scenario]]\nname = \"baseline\"\n[[scenario]]\nname = \"cut\"\n\
                envelope_factor.offer.WBTF-2013 = 0.5\n";
    dir.write("cut.toml", text);
    let run = simulate(&dir, "offers_2014.csv", "cut.toml", "out", &[]);
    run.assert_code(3).assert_no_panic().assert_stderr_contains(&format!(
        "cut.toml:5:8: field 'scenario[2].name': scenario \"cut\" leaves less than the ledger locks ({}: locked \
         awards on lines 40, 41 add up to 500,000 USD, above offer WBTF-2013's envelope_usd of 450,000); locked \
         money stays where it is",
        sample("ledger.csv")
    ));
    assert!(!run.stderr().contains("\"baseline\""), "the baseline keeps its locks");
    assert!(!dir.path().join("out").exists());

    dir.write("demand.toml", "draws = 2\n[[scenario]]\nname = \"less\"\ndemand_factor.region.Africa = 0.5\n");
    let run = simulate(&dir, "offers_2014.csv", "demand.toml", "out", &[]);
    run.assert_code(3)
        .assert_stderr_contains("scenario \"less\" leaves less than the ledger locks")
        .assert_stderr_contains(
            "the locked award on line 2 (200,000 USD) is above need BFA-02's amount_usd of 120,000",
        );

    // Closing a fund leaves its locks where they are: they count against their needs only.
    dir.write("closes.toml", "draws = 2\n[[scenario]]\nname = \"closes\"\nremove_offers = [\"WBTF-2013\"]\n");
    simulate(&dir, "offers_2014.csv", "closes.toml", "closes", &[]).assert_success();
    for need in ["BIH-01", "SRB-01"] {
        let row = odds(&dir, "closes", "closes", need);
        assert_eq!(row["reached_share"], "1.0000", "{need}");
        assert!(row["allocated_mean_usd"].parse::<f64>().unwrap() >= 250_000.0, "{need}");
    }
}

#[test]
fn ledger_errors_come_with_the_batchs_and_a_broken_total_once() {
    let dir = TestDir::new();
    dir.write("two.toml", "draws = 2\n[[scenario]]\nname = \"a\"\n[[scenario]]\nname = \"b\"\n");
    let ledger = std::fs::read_to_string(sample("ledger.csv")).unwrap();
    // The award to BIH-01 made larger than the fund's cap and its need's amount, and with the fund's other award
    // larger than its envelope.
    let big = ledger.replace("2013-0039,2013,BIH-01,WBTF-2013,250000", "2013-0039,2013,BIH-01,WBTF-2013,950000");
    dir.write("big.csv", big);
    let (needs, offers) = (sample("needs.csv"), sample("offers_2014.csv"));
    let base = ["simulate", "--needs", &needs, "--offers", &offers, "--scenarios", "two.toml", "--out", "out"];
    let run = dir.run(&[&base[..], &["--ledger", "big.csv"][..]].concat());
    run.assert_code(3).assert_no_panic();
    run.assert_stderr_contains(
        "big.csv:41:5: field 'amount_usd': locked awards on lines 40, 41 add up to 1,200,000 USD",
    );
    assert_eq!(run.stderr().matches("big.csv:41:5:").count(), 1, "reported once, not per scenario");

    // A bad cell of the batch and one of the ledger, in one list.
    let needs_text = std::fs::read_to_string(&needs).unwrap().replacen(",185000,", ",lots,", 1);
    dir.write("needs.csv", needs_text);
    dir.write("bad.csv", ledger.replacen(",disbursed,", ",paid,", 1));
    let args =
        ["simulate", "--needs", "needs.csv", "--offers", &offers, "--ledger", "bad.csv", "--scenarios", "two.toml"];
    let run = dir.run(&args);
    run.assert_code(3).assert_stderr_contains("needs.csv:2:").assert_stderr_contains("bad.csv:4:6: field 'status'");

    let run = dir.run(&[&base[..], &["--lock", "pledged"][..]].concat());
    run.assert_code(2).assert_stderr_contains("--ledger");
}
