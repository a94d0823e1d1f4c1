//! SPEC §5: "the same files give byte-identical outputs on any number of threads". `match` runs on 1, 2 and 8
//! threads and twice on the same count, on the bundled sample and on a generated batch of 300 needs and 30
//! offers with integer rules (stopped by the deterministic node limit, with a time limit far out of reach). Every
//! output file is compared byte for byte, and the DIMACS export too; run.json without its `timings`, the only
//! field that may vary.

mod common;

use std::path::PathBuf;

use common::{TestDir, outputs_without_timings};
use serde_json::Value;

/// Runs `match` with `args` into `<tag>/` (plus a DIMACS export `<tag>/../<tag>.dimacs`) on 1, 2 and 8 threads
/// and twice on 2, and asserts that everything written is the same.
fn assert_same_on_every_thread_count(dir: &TestDir, args: &[&str]) {
    let runs = [("t1", "1"), ("t2", "2"), ("t8", "8"), ("t2-again", "2")];
    for (tag, threads) in runs {
        let network = format!("{tag}.dimacs");
        let mut all = vec!["match", "--out", tag, "--export-network", &network];
        all.extend_from_slice(args);
        dir.run_env(&all, &[("RAYON_NUM_THREADS", threads)]).assert_success();
    }
    let first = outputs_without_timings(&dir.path().join("t1"));
    assert_eq!(first.len(), 6, "the four tables, report.html and run.json");
    let first_network = std::fs::read(dir.path().join("t1.dimacs")).unwrap();
    for (tag, _) in &runs[1..] {
        let other = outputs_without_timings(&dir.path().join(tag));
        let names = |v: &[(PathBuf, Vec<u8>)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(names(&first), names(&other), "t1 and {tag} wrote different files");
        for ((name, a), (_, b)) in first.iter().zip(&other) {
            assert!(a == b, "{} differs between t1 and {tag}", name.display());
        }
        assert!(std::fs::read(dir.path().join(format!("{tag}.dimacs"))).unwrap() == first_network, "{tag}.dimacs");
    }
}

#[test]
fn sample_outputs_are_identical_on_1_2_and_8_threads_and_across_runs() {
    let dir = TestDir::new();
    assert_same_on_every_thread_count(&dir, &[]);
    let run: Value = serde_json::from_str(&dir.read("t1/run.json")).unwrap();
    assert_eq!(run["status"], "optimal");
}

#[test]
fn generated_batch_with_integer_rules_is_identical_on_1_2_and_8_threads_and_across_runs() {
    let dir = TestDir::new();
    dir.run(&["generate", "--needs", "300", "--offers", "30", "--seed", "7", "--out", "batch"]).assert_success();
    let args = [
        "--needs",
        "batch/needs.csv",
        "--offers",
        "batch/offers.csv",
        // Deterministic stop; the time limit (about 11 days) never comes first.
        "--node-limit",
        "8",
        "--time-limit",
        "1000000",
    ];
    assert_same_on_every_thread_count(&dir, &args);
    let run: Value = serde_json::from_str(&dir.read("t1/run.json")).unwrap();
    assert_eq!(run["integer_rules"], true, "the batch should carry integer rules");
    assert!(run["edges"].as_u64().unwrap() > 1_000, "edges: {}", run["edges"]);
    assert_ne!(run["status"], "time_limit");
}
