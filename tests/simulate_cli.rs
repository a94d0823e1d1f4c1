//! `poa-match simulate` and `merge` through the real binary (docs/spec.md §7).
//!
//! - The bundled sample with data/sample/scenarios.toml runs and writes every output.
//! - `--shard 1/3`, `2/3`, `3/3` merged give the same outputs as one run; merge refuses incomplete or mixed sets.
//! - A scenario with every factor 1 and certain pledges reproduces `match` in every draw; the per-draw solve path
//!   itself (checked through the library, without the shortcut for certain pledges) reaches and proves match's
//!   optimum with one allocation draw after draw.
//! - report.html shows the figures of scenarios.csv and need_odds.csv, escapes scenario names, speaks Chinese.
//! - Bad scenarios files are data errors with file, line, column and key (exit 3).

mod common;

use std::path::{Path, PathBuf};

use common::{SMALL_STUDY, TestDir, assert_same_outputs, csv_rows, snapshot};
use scraper::{Html, Selector};
use serde_json::Value;

fn simulate(dir: &TestDir, out: &str, extra: &[&str]) {
    let mut args = vec!["simulate", "--scenarios", "study.toml", "--node-limit", "150", "--out", out];
    args.extend_from_slice(extra);
    dir.run(&args).assert_success();
}

#[test]
fn the_sample_study_runs_and_writes_every_output() {
    let dir = TestDir::new();
    let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample/scenarios.toml");
    // Few draws (the file asks for 1000 per scenario): the point here is that the documented file works.
    let text = std::fs::read_to_string(&scenarios).unwrap().replace("draws = 1000", "draws = 3");
    dir.write("scenarios.toml", text);
    std::fs::copy(scenarios.with_file_name("scenario_offers.csv"), dir.path().join("scenario_offers.csv")).unwrap();
    let run = dir.run(&["simulate", "--scenarios", "scenarios.toml", "--node-limit", "100", "--out", "sim"]);
    run.assert_success().assert_stdout_contains("5 scenarios, 15 draws");
    let files: Vec<PathBuf> = snapshot(&dir.path().join("sim")).into_iter().map(|(n, _)| n).collect();
    let expected =
        ["by_commitment.csv", "by_region.csv", "need_odds.csv", "report.html", "scenarios.csv", "simulate.json"];
    assert_eq!(files, expected.iter().map(PathBuf::from).collect::<Vec<_>>());
    let scenarios = csv_rows(&dir.read("sim/scenarios.csv"));
    let names: Vec<&str> = scenarios.iter().map(|r| r["scenario"].as_str()).collect();
    assert_eq!(names, ["baseline", "donors_plus_20", "usa_pledge_at_risk", "stockpile_demand_up", "unscar_closes"]);
    // The added offer is counted and its file hashed.
    let json: Value = serde_json::from_str(&dir.read("sim/simulate.json")).unwrap();
    let closes = &json["scenarios"][4];
    assert_eq!(closes["offers"], 13);
    assert_eq!(closes["added_offers"]["rows"], 1);
    assert_eq!(json["draws_total"], 15);
    assert_eq!(json["seed"], 2026);
    for key in ["needs", "offers", "scenarios"] {
        assert_eq!(json["inputs"][key]["sha256"].as_str().unwrap().len(), 64);
    }
    for key in ["read_s", "prepare_s", "draws_s", "write_s", "draws_per_second"] {
        assert!(json["timings"][key].is_number(), "{key}");
    }
    // Demand for stockpile management grew: more is requested than in the baseline.
    let requested = |i: usize| scenarios[i]["requested_usd"].parse::<i64>().unwrap();
    assert!(requested(3) > requested(0));
}

#[test]
fn shards_merge_into_the_single_run() {
    let dir = TestDir::new();
    dir.write("study.toml", SMALL_STUDY);
    simulate(&dir, "whole", &[]);
    for shard in ["1/3", "2/3", "3/3"] {
        let run = dir.run(&[
            "simulate",
            "--scenarios",
            "study.toml",
            "--node-limit",
            "150",
            "--threads",
            "1",
            "--shard",
            shard,
            "--out",
            "shards",
        ]);
        run.assert_success().assert_stdout_contains("written to");
    }
    // Any order of the shard files.
    let merge = dir.run(&[
        "merge",
        "shards/shard-3-of-3.json",
        "shards/shard-1-of-3.json",
        "shards/shard-2-of-3.json",
        "--out",
        "merged",
    ]);
    merge.assert_success().assert_stdout_contains("merged 3 shards");
    assert_same_outputs(&dir.path().join("whole"), &dir.path().join("merged"));

    // Missing, repeated and foreign shards are refused, and nothing is written.
    let run = dir.run(&["merge", "shards/shard-1-of-3.json", "shards/shard-2-of-3.json", "--out", "bad1"]);
    run.assert_code(2).assert_stderr_contains("shards missing: 3/3");
    let run = dir.run(&["merge", "shards/shard-1-of-3.json", "shards/shard-1-of-3.json", "--out", "bad2"]);
    run.assert_code(2).assert_stderr_contains("are both shard 1/3");
    dir.write("other.toml", SMALL_STUDY.replace("seed = 99", "seed = 98"));
    dir.run(&["simulate", "--scenarios", "other.toml", "--node-limit", "150", "--shard", "3/3", "--out", "other"])
        .assert_success();
    let run = dir.run(&[
        "merge",
        "shards/shard-1-of-3.json",
        "shards/shard-2-of-3.json",
        "other/shard-3-of-3.json",
        "--out",
        "bad3",
    ]);
    run.assert_code(2).assert_stderr_contains("different studies");
    dir.write("junk.json", "{\"kind\": 3}\n");
    dir.run(&["merge", "junk.json", "--out", "bad4"]).assert_code(3).assert_stderr_contains("junk.json:1:");
    for bad in ["bad1", "bad2", "bad3", "bad4"] {
        assert!(!dir.path().join(bad).join("scenarios.csv").exists(), "{bad} has outputs");
    }
}

#[test]
fn certain_pledges_reproduce_match_in_every_draw() {
    let dir = TestDir::new();
    dir.write(
        "same.toml",
        "draws = 5\n[[scenario]]\nname = \"as is\"\nenvelope_factor.donor.USA = 1\ndemand_factor.region.Africa = 1\n\
         [scenario.realisation]\nprobability = 1\nshare = 1\n",
    );
    dir.run(&["simulate", "--scenarios", "same.toml", "--out", "sim"]).assert_success();
    dir.run(&["match", "--out", "match"]).assert_success();
    let status = csv_rows(&dir.read("match/needs_status.csv"));
    let odds = csv_rows(&dir.read("sim/need_odds.csv"));
    assert_eq!(status.len(), odds.len());
    for (s, o) in status.iter().zip(&odds) {
        assert_eq!(s["need_id"], o["need_id"]);
        let allocated: i64 = s["allocated_usd"].parse().unwrap();
        assert_eq!(o["allocated_mean_usd"], format!("{allocated}.00"), "{}", s["need_id"]);
        let funded = if s["status"] == "funded" { "1.0000" } else { "0.0000" };
        assert_eq!(o["funded_share"], funded, "{}", s["need_id"]);
    }
    let run: Value = serde_json::from_str(&dir.read("match/run.json")).unwrap();
    let row = &csv_rows(&dir.read("sim/scenarios.csv"))[0];
    let allocated = run["allocated_usd"].as_i64().unwrap().to_string();
    for key in ["allocated_p5_usd", "allocated_p50_usd", "allocated_p95_usd"] {
        assert_eq!(row[key], allocated, "{key}");
    }
    assert_eq!(row["funded_p50"], run["needs"]["funded"].as_i64().unwrap().to_string());
    assert_eq!(row["draws_not_proved"], "0");
}

/// The per-draw path (realise, tighten the graph, re-solve) without the shortcut for certain pledges: with
/// nothing changed it must reach match's optimum and prove it, draw after draw on one scratch copy, with the same
/// allocation each time. (A draw's search starts differently from match's, so among allocations of equal value it
/// may pick another; the shortcut is what makes such a study reproduce match's allocation exactly.)
#[test]
fn the_draw_path_itself_reaches_matchs_optimum() {
    use poa_match::catalog::Reference;
    use poa_match::io::{ReadOptions, read_batch};
    use poa_match::simulate::{self, StudyOptions, draw};
    let reference = Reference::embedded();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let batch = read_batch(
        &root.join("data/sample/needs.csv"),
        &root.join("data/sample/offers.csv"),
        reference,
        ReadOptions::default(),
    )
    .unwrap();
    let study = poa_match::scenario::parse("s.toml", "draws = 3\n[[scenario]]\nname = \"as is\"\n").unwrap();
    let options = StudyOptions {
        method: poa_match::Method::Optimal,
        node_limit: 20_000,
        work_limit: poa_match::solve::WorkLimit::DRAW_DEFAULT.units(),
        weights: Default::default(),
        lang: poa_match::Lang::En,
        format: poa_match::io::outputs::TableFormat::Csv,
        excel: false,
        lock: None,
    };
    let mut prepared =
        simulate::prepare(&study, &batch, reference, root, ReadOptions::default(), &options, None).unwrap();
    let p = &mut prepared[0];
    p.certain.take().expect("certain pledges are solved once");
    let graph = poa_match::graph::build(&batch, reference, &Default::default());
    let solution =
        poa_match::solve::solve(&batch, &graph, poa_match::solve::Method::Optimal, Default::default()).unwrap();
    let share = poa_match::solve::DrawShare::new(&p.batch, &p.graph).unwrap();
    let mut scratch = draw::Scratch::new(p, &share);
    let mut first: Option<draw::DrawOutcome> = None;
    for i in 0..3 {
        let outcome = draw::run(p, study.seed, 0, i, &mut scratch, options.method, options.limits()).unwrap();
        assert_eq!(outcome.record.objective, solution.objective, "draw {i}");
        assert!(outcome.record.proved, "draw {i}");
        let total: i64 = outcome.need_amounts.iter().sum();
        assert_eq!(i128::from(total), outcome.record.allocated_usd);
        match &first {
            None => first = Some(outcome),
            Some(f) => {
                assert_eq!(outcome.need_amounts, f.need_amounts, "draw {i}");
                assert_eq!(outcome.record.by_commitment, f.record.by_commitment, "draw {i}");
            }
        }
    }
}

#[test]
fn the_page_shows_the_tables_figures_and_escapes_names() {
    let dir = TestDir::new();
    dir.write("study.toml", SMALL_STUDY);
    simulate(&dir, "sim", &[]);
    let page = Html::parse_document(&dir.read("sim/report.html"));
    let rows_sel = Selector::parse("#scenario-table tbody tr").unwrap();
    let scenarios = csv_rows(&dir.read("sim/scenarios.csv"));
    let shown: Vec<_> = page.select(&rows_sel).collect();
    assert_eq!(shown.len(), scenarios.len());
    for (tr, row) in shown.iter().zip(&scenarios) {
        let attr = |k: &str| tr.value().attr(k).unwrap().to_string();
        assert_eq!(attr("data-scenario"), row["scenario"]);
        assert_eq!(attr("data-mean"), row["allocated_mean_usd"]);
        assert_eq!(attr("data-p5"), row["allocated_p5_usd"]);
        assert_eq!(attr("data-p50"), row["allocated_p50_usd"]);
        assert_eq!(attr("data-p95"), row["allocated_p95_usd"]);
    }
    // The scenario name with markup is text, not elements.
    assert!(page.select(&Selector::parse("main b").unwrap()).next().is_none());
    assert!(shown[1].text().collect::<String>().contains("<b>more</b> & less"));
    // Each need's odds agree with need_odds.csv.
    let odds = csv_rows(&dir.read("sim/need_odds.csv"));
    let odds_rows: Vec<_> = page.select(&Selector::parse("#odds-table tbody tr").unwrap()).collect();
    assert_eq!(odds_rows.len(), odds.len());
    for (tr, row) in odds_rows.iter().zip(&odds) {
        assert_eq!(tr.value().attr("data-need").unwrap(), row["need_id"]);
        assert_eq!(tr.value().attr("data-funded-share").unwrap(), row["funded_share"]);
    }
    // By commitment and by region: one row per line of the CSV, same p50.
    for (table, file) in [("#commitment-table", "by_commitment.csv"), ("#region-table", "by_region.csv")] {
        let rows = csv_rows(&dir.read(&format!("sim/{file}")));
        let shown: Vec<_> = page.select(&Selector::parse(&format!("{table} tbody tr")).unwrap()).collect();
        assert_eq!(shown.len(), rows.len(), "{file}");
        let key = if file == "by_region.csv" { "region" } else { "commitment" };
        for tr in &shown {
            let attr = |k: &str| tr.value().attr(k).unwrap();
            let row = rows.iter().find(|r| r["scenario"] == attr("data-scenario") && r[key] == attr("data-key"));
            let row = row.unwrap_or_else(|| panic!("{file} lacks {} {}", attr("data-scenario"), attr("data-key")));
            assert_eq!(attr("data-p50"), row["allocated_p50_usd"], "{file}");
            assert_eq!(attr("data-mean"), row["allocated_mean_usd"], "{file}");
        }
    }
    // No request leaves the page.
    let html = dir.read("sim/report.html");
    assert!(!html.contains("http://") && !html.contains("https://"));

    simulate(&dir, "zh", &["--lang", "zh"]);
    let zh = dir.read("zh/report.html");
    assert!(zh.contains("<html lang=\"zh-Hans\">") && zh.contains("资金情景报告") && zh.contains("非洲"), "zh labels");
    let reference = poa_match::catalog::Reference::embedded();
    let title = reference.commitment(reference.commitment_by_code("ITI-2a").unwrap()).title("zh");
    assert!(zh.contains(title), "Chinese commitment titles");
}

#[test]
fn bad_scenarios_files_name_file_line_and_key() {
    let dir = TestDir::new();
    let cases: &[(&str, &str)] = &[
        (
            "[[scenario]]\nname = \"a\"\nenvelope_factor.donor.XXX = 2\n",
            "bad.toml:3:23: field 'scenario[1].envelope_factor.donor.XXX': unknown donor \"XXX\"",
        ),
        (
            "[[scenario]]\nname = \"a\"\nremove_offers = [\"NOPE\"]\n",
            "bad.toml:3:18: field 'scenario[1].remove_offers': unknown offer id \"NOPE\"",
        ),
        (
            "[[scenario]]\nname = \"a\"\ndemand_factor.theme.guns = 2\n",
            "bad.toml:3:21: field 'scenario[1].demand_factor.theme.guns': unknown theme \"guns\"",
        ),
        (
            "[[scenario]]\nname = \"a\"\ndemand_factor.region.Atlantis = 2\n",
            "bad.toml:3:22: field 'scenario[1].demand_factor.region.Atlantis': unknown M49 area",
        ),
        ("[[scenario]]\nname = \"a\"\ncolour = 2\n", "bad.toml:3:1: field 'colour': unknown field `colour`"),
        (
            "[realisation.donor.NOBODY]\nprobability = 0.5\n[[scenario]]\nname = \"a\"\n",
            "bad.toml:1:20: field 'realisation.donor.NOBODY': unknown donor \"NOBODY\"",
        ),
        ("draws = -1\n[[scenario]]\nname = \"a\"\n", "bad.toml:1:9: field 'draws': -1 is out of range"),
        ("[[scenario]]\nname = \"a\"\nadd_offers = \"extra.csv\"\n", "extra.csv:2:4: field 'envelope_usd':"),
        (
            "[[scenario]]\nname = \"a\"\nadd_offers = \"dup.csv\"\n",
            "bad.toml:3:14: field 'scenario[1].add_offers': offer id \"UNSCAR-2013\"",
        ),
        ("[[scenario]\n", "bad.toml:1:"),
    ];
    let header = common::OFFERS_HEADER;
    dir.write("extra.csv", format!("{header}\nX-1,EU,,lots{}\n", ",".repeat(19)));
    let sample_offers =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample/offers.csv")).unwrap();
    let unscar = sample_offers.lines().nth(1).unwrap();
    dir.write("dup.csv", format!("{}\n{unscar}\n", sample_offers.lines().next().unwrap()));
    for (text, expected) in cases {
        dir.write("bad.toml", text);
        let run = dir.run(&["simulate", "--scenarios", "bad.toml", "--out", "out"]);
        run.assert_code(3).assert_no_panic().assert_stderr_contains(expected);
        assert!(!dir.path().join("out").join("scenarios.csv").exists());
    }
    dir.write("bad.toml", b"[[scenario]]\nname = \"\xff\"\n");
    dir.run(&["simulate", "--scenarios", "bad.toml"]).assert_code(3).assert_stderr_contains("bad.toml:2:9:");
    dir.run(&["simulate", "--scenarios", "missing.toml"]).assert_code(1).assert_stderr_contains("missing.toml");
    dir.run(&["simulate", "--scenarios", "bad.toml", "--shard", "4/3"]).assert_code(2);
}
