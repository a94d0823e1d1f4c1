//! The one suite for the promise of docs/spec.md §5 and §7: the same inputs and options give the same bytes, on
//! any number of worker threads, across runs, and whatever folder the outputs go to. Every output file is
//! compared byte for byte (run.json and simulate.json without their `timings`, the only field allowed to vary),
//! and the DIMACS export too.
//!
//! Searches with integer rules are stopped by the work limit (the default stop, docs/spec.md §10) or the node
//! limit, both deterministic; only a run given a `--time-limit` may legitimately differ.

mod common;

use common::batch::{Shape, needs_csv, offers_csv, random_batch};
use common::{SMALL_STUDY, TestDir, assert_same_outputs};
use rand::SeedableRng;
use serde_json::Value;

/// Thread counts that each case runs on; the last repeats a count to compare two runs on the same one.
const THREADS: [(&str, &str); 4] = [("t1", "1"), ("t2", "2"), ("t8", "8"), ("t2-again", "2")];

/// Runs `match` with `args` into `<tag>/` (plus a DIMACS export `<tag>.dimacs`) on every count of [`THREADS`]
/// and asserts that everything written is the same. Returns run.json of the first run.
fn match_is_the_same_on_every_thread_count(dir: &TestDir, args: &[&str]) -> Value {
    for (tag, threads) in THREADS {
        let network = format!("{tag}.dimacs");
        let mut all = vec!["match", "--out", tag, "--export-network", &network];
        all.extend_from_slice(args);
        dir.run_env(&all, &[("RAYON_NUM_THREADS", threads)]).assert_success();
    }
    let expected = if args.contains(&"--ledger") { 7 } else { 6 };
    assert_eq!(
        common::snapshot(&dir.path().join("t1")).len(),
        expected,
        "the tables, report.html, run.json (ledger.csv)"
    );
    let first_network = dir.read("t1.dimacs");
    for (tag, _) in &THREADS[1..] {
        assert_same_outputs(&dir.path().join("t1"), &dir.path().join(tag));
        assert!(dir.read(&format!("{tag}.dimacs")) == first_network, "{tag}.dimacs differs from t1.dimacs");
    }
    serde_json::from_str(&dir.read("t1/run.json")).unwrap()
}

#[test]
fn match_on_the_sample() {
    let dir = TestDir::new();
    let run = match_is_the_same_on_every_thread_count(&dir, &[]);
    assert_eq!(run["status"], "optimal");
}

#[test]
fn match_on_a_generated_batch_with_integer_rules() {
    let dir = TestDir::new();
    dir.run(&["generate", "--needs", "300", "--offers", "30", "--seed", "7", "--out", "batch"]).assert_success();
    let args = ["--needs", "batch/needs.csv", "--offers", "batch/offers.csv", "--node-limit", "8"];
    let run = match_is_the_same_on_every_thread_count(&dir, &args);
    assert_eq!(run["integer_rules"], true, "the batch should carry integer rules");
    assert!(run["edges"].as_u64().unwrap() > 1_000, "edges: {}", run["edges"]);
    assert_eq!(run["status"], "node_limit", "the node limit should stop this search");
}

/// The default stop: a budget of work, which ends the search at the same step on every thread count.
#[test]
fn match_stopped_by_its_work_limit() {
    let dir = TestDir::new();
    dir.run(&["generate", "--needs", "300", "--offers", "30", "--seed", "7", "--out", "batch"]).assert_success();
    let args = ["--needs", "batch/needs.csv", "--offers", "batch/offers.csv", "--work-limit", "3"];
    let run = match_is_the_same_on_every_thread_count(&dir, &args);
    assert_eq!(run["status"], "work_limit", "the work limit should stop this search");
    assert!(run["work"].as_u64().unwrap() >= 2, "work: {}", run["work"]);
}

/// A random batch with every kind of integer rule and a deeper search, where the search has more room to depend
/// on threads.
#[test]
fn match_on_a_random_batch_with_a_deeper_search() {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0xDE7);
    let batch = random_batch(&mut rng, &Shape::large(120, 12, true));
    let dir = TestDir::new();
    dir.write("needs.csv", needs_csv(&batch));
    dir.write("offers.csv", offers_csv(&batch));
    let args = ["--needs", "needs.csv", "--offers", "offers.csv", "--node-limit", "150"];
    let run = match_is_the_same_on_every_thread_count(&dir, &args);
    assert_eq!(run["integer_rules"], true);
}

/// A round over the ledger of an earlier allocation, with integer rules and a search stopped by its work limit: the
/// residual batch is searched like any other, and the output ledger is the same bytes too.
#[test]
fn match_with_a_ledger_stopped_by_its_work_limit() {
    let dir = TestDir::new();
    dir.run(&["generate", "--needs", "300", "--offers", "30", "--seed", "7", "--out", "batch"]).assert_success();
    let reference = poa_match::Reference::embedded();
    let options = poa_match::ReadOptions::default();
    let (needs, offers) = (dir.path().join("batch/needs.csv"), dir.path().join("batch/offers.csv"));
    let batch = poa_match::read_batch(&needs, &offers, reference, options).unwrap();
    // The earlier round: greedy's allocation, about half of its money committed or disbursed since.
    let graph = poa_match::graph::build(&batch, reference, &poa_match::Weights::default());
    let greedy =
        poa_match::solve::solve(&batch, &graph, poa_match::Method::Greedy, poa_match::Limits::default()).unwrap();
    let allocation: Vec<(u32, u32, i64)> =
        graph.edges.iter().zip(&greedy.amounts).map(|(e, &x)| (e.need, e.offer, x)).collect();
    let ledger = poa_match::generate::round_ledger(&batch, &allocation, 7);
    let mut text = Vec::new();
    poa_match::io::write_ledger(b"", &ledger.awards, &mut text).unwrap();
    dir.write("ledger.csv", text);
    let args =
        ["--needs", "batch/needs.csv", "--offers", "batch/offers.csv", "--ledger", "ledger.csv", "--work-limit", "3"];
    let run = match_is_the_same_on_every_thread_count(&dir, &args);
    assert_eq!(run["integer_rules"], true);
    assert!(run["ledger"]["locked"]["awards"].as_u64().unwrap() > 20, "{}", run["ledger"]);
}

/// `--threads` sets the worker threads and wins over `RAYON_NUM_THREADS`; zero threads is a usage error.
#[test]
fn the_threads_option_changes_no_output() {
    let dir = TestDir::new();
    dir.run_env(&["match", "--out", "one", "--threads", "1"], &[("RAYON_NUM_THREADS", "2")]).assert_success();
    dir.run_env(&["match", "--out", "two", "--threads", "2"], &[("RAYON_NUM_THREADS", "1")]).assert_success();
    assert_same_outputs(&dir.path().join("one"), &dir.path().join("two"));
    let zero = dir.run(&["match", "--out", "zero", "--threads", "0"]);
    assert_eq!(zero.code(), Some(2), "clap's usage error");
    assert!(zero.stderr().contains("--threads"), "{}", zero.stderr());
    assert!(!dir.path().join("zero").exists());
}

/// The page does not depend on where it is written, nor on the table format beside it, in either language.
#[test]
fn the_page_is_the_same_in_any_folder_and_beside_any_format() {
    let dir = TestDir::new();
    for lang in ["en", "zh"] {
        let mut pages = Vec::new();
        for (out, threads) in [("a", "1"), ("b", "2"), ("nested/c", "2")] {
            let out = format!("{lang}-{out}");
            dir.run_env(&["match", "--lang", lang, "--out", &out], &[("RAYON_NUM_THREADS", threads)]).assert_success();
            pages.push(std::fs::read(dir.path().join(&out).join("report.html")).unwrap());
        }
        assert!(pages.windows(2).all(|w| w[0] == w[1]), "{lang}: report.html differs between runs");
    }
    dir.run(&["match", "--format", "json", "--out", "json"]).assert_success();
    assert_eq!(dir.read("json/report.html"), dir.read("en-a/report.html"));
}

/// Draw i of scenario s is seeded from (seed, s, i) alone and draws are reduced in index order, so a study is the
/// same bytes on any number of threads.
#[test]
fn simulate_on_any_thread_count() {
    let dir = TestDir::new();
    dir.write("study.toml", SMALL_STUDY);
    for (out, threads) in [("t1", "1"), ("t2", "2"), ("t8", "8"), ("t2-again", "2")] {
        let args = ["simulate", "--scenarios", "study.toml", "--node-limit", "150", "--threads", threads, "--out", out];
        dir.run(&args).assert_success();
    }
    for other in ["t2", "t8", "t2-again"] {
        assert_same_outputs(&dir.path().join("t1"), &dir.path().join(other));
    }
    // The draws really differ from one another, or the comparison would prove little.
    let rows = common::csv_rows(&dir.read("t1/scenarios.csv"));
    assert!(rows.iter().all(|r| r["allocated_p5_usd"] != r["allocated_p95_usd"]), "{rows:?}");
}

/// The same with a ledger (docs/spec.md §7): locks placed per scenario, pledged awards drawn from each draw's own
/// stream after the offers', so a study over a ledger is the same bytes on any number of threads too.
#[test]
fn simulate_with_a_ledger_on_any_thread_count() {
    let dir = TestDir::new();
    let study = format!("{SMALL_STUDY}[[scenario]]\nname = \"pledges drawn\"\npledged_awards = \"drawn\"\n");
    dir.write("study.toml", study);
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample");
    let ledger = format!("{sample}/ledger.csv");
    for (out, threads) in THREADS {
        let args = ["simulate", "--scenarios", "study.toml", "--ledger", &ledger, "--node-limit", "150", "--out", out];
        dir.run_env(&args, &[("RAYON_NUM_THREADS", threads)]).assert_success();
    }
    for (other, _) in &THREADS[1..] {
        assert_same_outputs(&dir.path().join("t1"), &dir.path().join(other));
    }
    let json: Value = serde_json::from_str(&dir.read("t1/simulate.json")).unwrap();
    assert_eq!(json["scenarios"][2]["ledger"]["pledged_awards"], "drawn");
    assert_eq!(json["scenarios"][2]["ledger"]["drawn"]["awards"], 2);
}
