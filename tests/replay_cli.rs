//! `poa-match replay OUTDIR` end to end, through the real binary: the decision record of docs/spec.md §10.
//!
//! - run.json records every input (reference tables and the weights file only when given) and every option;
//! - replay confirms the sample's outputs, as bundled and as files on disk, after inputs were moved and given
//!   with their flags, and in JSON and Chinese with the network exported;
//! - it fails, with exit code 4 and a message that names the culprit, when an input file changed (both SHA-256
//!   and a hint), when an input is missing, when an option given differs from the record (the flag, both values
//!   and run.json's key), when a published output was edited (the file and its line), and when the weights
//!   changed (each weight that differs);
//! - a malformed or missing run.json is one clear error, never a panic.

mod common;

use std::path::Path;

use common::{Run, TestDir};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The exit code of a replay that finds a difference.
const NOT_REPRODUCED: i32 = 4;

fn sample(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn run_json(dir: &TestDir, out: &str) -> Value {
    serde_json::from_str(&dir.read(&format!("{out}/run.json"))).expect("run.json is JSON")
}

/// A test folder holding the sample as files under `in/`, matched into `out` with `args`.
fn matched_sample(args: &[&str]) -> TestDir {
    let dir = TestDir::new();
    dir.write("in/needs.csv", sample("sample/needs.csv"));
    dir.write("in/offers.csv", sample("sample/offers.csv"));
    let mut all = vec!["match", "--needs", "in/needs.csv", "--offers", "in/offers.csv", "--out", "out"];
    all.extend_from_slice(args);
    dir.run(&all).assert_success();
    dir
}

/// Asserts a replay that confirms every output.
#[track_caller]
fn assert_reproduced(run: &Run) {
    run.assert_success().assert_stdout_contains("all identical");
}

/// Asserts a replay that found a difference, and returns its stderr.
#[track_caller]
fn assert_not_reproduced(run: &Run) -> String {
    run.assert_code(NOT_REPRODUCED).assert_no_panic();
    run.stderr()
}

#[test]
fn a_plain_runs_record_lists_its_two_inputs_and_every_option() {
    let dir = TestDir::new();
    dir.run(&["match", "--out", "out"]).assert_success();
    let run = run_json(&dir, "out");
    let inputs: Vec<&String> = run["inputs"].as_object().unwrap().keys().collect();
    assert_eq!(inputs, ["needs", "offers"], "no reference table or weights file was given");
    let text = dir.read("out/run.json");
    assert!(text.find("\"needs\": {").unwrap() < text.find("\"offers\": {").unwrap(), "{text}");
    let options = &run["options"];
    assert_eq!(options["method"], "optimal");
    assert_eq!((options["lang"].as_str(), options["format"].as_str()), (Some("en"), Some("csv")));
    assert_eq!((options["excel"].as_bool(), options["allow_extra_columns"].as_bool()), (Some(false), Some(false)));
    let limits = &options["limits"];
    assert_eq!(limits["node_limit"], 1_000_000);
    assert_eq!(limits["gap_limit"].as_f64(), Some(0.0));
    assert_eq!(limits["work_limit"], poa_match::solve::WorkLimit::DEFAULT.units());
    assert!(limits["time_limit"].is_null(), "no time limit unless asked: {limits}");
    assert_eq!(options["export_network"], false);
    assert!(options.get("threads").is_none(), "threads never change a result");

    let text = dir.read("out/run.json");
    assert!(!text.contains(&dir.path().display().to_string()), "no absolute path that match was not given");
}

#[test]
fn replay_confirms_the_bundled_samples_outputs() {
    let dir = TestDir::new();
    dir.run(&["match", "--out", "out"]).assert_success();
    let replay = dir.run(&["replay", "out"]);
    assert_reproduced(&replay);
    replay.assert_stdout_contains("6 files compared with out").assert_stdout_contains("needs, offers");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "the re-run's folder is not left in the test's");
}

#[test]
fn replay_confirms_a_run_with_every_input_and_the_timings_do_not_count() {
    let dir = matched_sample(&[]);
    // Reference tables and a weights file, all given: each is recorded and checked.
    for table in ["commitments", "countries", "regions"] {
        dir.write(&format!("ref/{table}.csv"), sample(&format!("{table}.csv")));
    }
    dir.write("w.toml", "fit_theme = 2\n");
    let args = [
        "match",
        "--needs",
        "in/needs.csv",
        "--offers",
        "in/offers.csv",
        "--out",
        "full",
        "--weights",
        "w.toml",
        "--commitments-file",
        "ref/commitments.csv",
        "--countries-file",
        "ref/countries.csv",
        "--regions-file",
        "ref/regions.csv",
        "--node-limit",
        "5000",
        "--gap-limit",
        "0.01%",
    ];
    dir.run(&args).assert_success();
    let run = run_json(&dir, "full");
    let keys = ["needs", "offers", "commitments", "countries", "regions", "weights_file"];
    let text = dir.read("full/run.json");
    let at: Vec<usize> = keys.iter().map(|k| text.find(&format!("\n    \"{k}\": {{")).expect(k)).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "the batch first, as before: {text}");
    assert_eq!(run["inputs"]["weights_file"]["path"], "w.toml");
    assert_eq!(run["inputs"]["weights_file"]["sha256"], sha256(b"fit_theme = 2\n"));
    assert_eq!(run["inputs"]["countries"]["sha256"], sha256(&sample("countries.csv")));
    assert_eq!(run["options"]["limits"]["gap_limit"].as_f64(), Some(0.0001));
    assert_eq!(run["weights"]["fit_theme"], 2);
    assert_reproduced(&dir.run(&["replay", "full"]));

    // Timings vary between runs, so they are left out of the comparison: other numbers there do not matter.
    let timings_at = text.find("\"timings\"").expect("run.json has timings");
    let slower = format!("{}{}", &text[..timings_at], text[timings_at..].replace("\"read_s\": ", "\"read_s\": 1234"));
    assert_ne!(slower, text);
    dir.write("full/run.json", slower);
    assert_reproduced(&dir.run(&["replay", "full"]));
}

#[test]
fn replay_fails_naming_an_input_file_that_changed() {
    let dir = matched_sample(&[]);
    let recorded = run_json(&dir, "out")["inputs"]["offers"]["sha256"].as_str().unwrap().to_string();
    let mut offers = sample("sample/offers.csv");
    let last_digit = offers.iter().rposition(u8::is_ascii_digit).unwrap();
    offers[last_digit] = if offers[last_digit] == b'9' { b'8' } else { offers[last_digit] + 1 };
    dir.write("in/offers.csv", &offers);

    let replay = dir.run(&["replay", "out"]);
    let stderr = assert_not_reproduced(&replay);
    assert_eq!(stderr.lines().count(), 1, "one line:\n{stderr}");
    assert!(stderr.starts_with("error: offers changed: in/offers.csv has SHA-256 "), "{stderr}");
    assert!(stderr.contains(&sha256(&offers)) && stderr.contains(&recorded), "both SHA-256: {stderr}");
    assert!(stderr.contains("hint: "), "{stderr}");
    assert!(!replay.stdout().contains("re-ran"), "nothing runs on a changed input");
}

#[test]
fn a_moved_input_is_reported_missing_then_found_with_its_flag() {
    let dir = matched_sample(&[]);
    std::fs::rename(dir.path().join("in"), dir.path().join("moved")).unwrap();
    let stderr = assert_not_reproduced(&dir.run(&["replay", "out"]));
    assert!(stderr.contains("needs not found: in/needs.csv (relative to "), "{stderr}");
    assert!(stderr.contains("--needs FILE") && stderr.contains("--offers FILE"), "{stderr}");
    assert_eq!(stderr.lines().count(), 2, "one line per input:\n{stderr}");

    // The same bytes elsewhere reproduce the run; run.json keeps the paths match was given.
    let replay = dir.run(&["replay", "out", "--needs", "moved/needs.csv", "--offers", "moved/offers.csv"]);
    assert_reproduced(&replay);
    // A file with other bytes under the flag is a changed input.
    let stderr = assert_not_reproduced(&dir.run(&["replay", "out", "--needs", "moved/offers.csv"]));
    assert!(stderr.starts_with("error: needs changed: moved/offers.csv has SHA-256"), "{stderr}");
}

#[test]
fn replay_fails_naming_an_option_that_differs_from_the_record() {
    let dir = matched_sample(&[]);
    let replay = dir.run(&["replay", "out", "--method", "greedy"]);
    let stderr = assert_not_reproduced(&replay);
    assert!(stderr.contains("option --method: recorded optimal, given greedy"), "{stderr}");
    assert!(stderr.contains("hint: the options given differ from the record (--method)"), "{stderr}");

    // An option that leaves the allocation alone still makes another record, and the key is named.
    let replay = dir.run(&["replay", "out", "--time-limit", "90"]);
    let stderr = assert_not_reproduced(&replay);
    assert!(stderr.contains("option --time-limit: recorded none, given 90.0"), "{stderr}");
    let first = stderr.lines().find(|l| l.starts_with("error: ")).unwrap();
    assert!(
        first.contains("run.json differs from the re-run at line ") && first.ends_with("(options.limits.time_limit)"),
        "{first}"
    );
    assert!(stderr.contains("the tables and report.html are identical"), "{stderr}");

    // Giving the recorded value is no change.
    let recorded_work = poa_match::solve::WorkLimit::DEFAULT.units().to_string();
    assert_reproduced(&dir.run(&["replay", "out", "--work-limit", &recorded_work, "--excel=false", "--lang", "en"]));
}

#[test]
fn replay_fails_naming_an_edited_output_and_its_line() {
    let dir = matched_sample(&[]);
    let summary = dir.read("out/summary.csv");
    let edited = summary.replacen("All needs", "All needz", 1);
    assert_ne!(edited, summary);
    dir.write("out/summary.csv", &edited);
    let line = edited.lines().position(|l| l.contains("All needz")).unwrap() + 1;

    let stderr = assert_not_reproduced(&dir.run(&["replay", "out"]));
    let first = stderr.lines().next().unwrap();
    assert!(
        first.starts_with(&format!("error: out/summary.csv differs from the re-run at line {line}, column ")),
        "{stderr}"
    );
    assert!(stderr.contains("All needz") && stderr.contains("All needs"), "both sides shown: {stderr}");

    // A published output that is gone is named too.
    dir.write("out/summary.csv", &summary);
    std::fs::remove_file(dir.path().join("out/matches.csv")).unwrap();
    let stderr = assert_not_reproduced(&dir.run(&["replay", "out"]));
    assert!(stderr.starts_with("error: out/matches.csv is missing (the re-run writes it)"), "{stderr}");
}

#[test]
fn a_changed_weights_file_names_each_weight_that_differs() {
    let dir = TestDir::new();
    dir.write("w.toml", "fit_theme = 2\n");
    dir.run(&["match", "--out", "out", "--weights", "w.toml"]).assert_success();
    assert_reproduced(&dir.run(&["replay", "out"]));
    dir.write("w.toml", "fit_theme = 3\npriority_scale = 12\n");
    let stderr = assert_not_reproduced(&dir.run(&["replay", "out"]));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: weights_file changed: w.toml has SHA-256"), "{stderr}");
    assert!(
        stderr.contains("weights that differ: fit_theme recorded 2, given 3; priority_scale recorded 10, given 12"),
        "{stderr}"
    );

    // Weights given to a replay of a run that had none are a change of input.
    let dir = TestDir::new();
    dir.run(&["match", "--out", "out"]).assert_success();
    dir.write("w.toml", "fit_theme = 2\n");
    let stderr = assert_not_reproduced(&dir.run(&["replay", "out", "--weights", "w.toml"]));
    assert!(stderr.contains("the run used the default weights, but --weights w.toml was given"), "{stderr}");
}

#[test]
fn replay_confirms_json_chinese_outputs_and_the_exported_network() {
    let dir = matched_sample(&["--format", "json", "--lang", "zh", "--excel", "--export-network", "out/net.dimacs"]);
    let run = run_json(&dir, "out");
    assert_eq!(run["options"]["export_network"], true, "that it was exported, not where");
    let replay = dir.run(&["replay", "out", "--threads", "1"]);
    assert_reproduced(&replay);
    replay.assert_stdout_contains("7 files compared");

    let network = dir.read("out/net.dimacs");
    dir.write("out/net.dimacs", network.replacen("a ", "a  ", 1));
    let stderr = assert_not_reproduced(&dir.run(&["replay", "out"]));
    assert!(stderr.starts_with("error: out/net.dimacs differs from the re-run at line "), "{stderr}");
}

#[test]
fn a_network_exported_elsewhere_is_compared_where_it_is_given() {
    let dir = matched_sample(&["--export-network", "net.dimacs"]);
    let replay = dir.run(&["replay", "out"]);
    replay.assert_code(0).assert_stdout_contains("6 files compared").assert_stderr_contains("not compared");
    let replay = dir.run(&["replay", "out", "--export-network", "net.dimacs"]);
    assert_reproduced(&replay);
    replay.assert_stdout_contains("7 files compared");

    // The same run written elsewhere, its network included, gives the same record.
    dir.run(&[
        "match",
        "--needs",
        "in/needs.csv",
        "--offers",
        "in/offers.csv",
        "--out",
        "o2",
        "--export-network",
        "o2/n.dimacs",
    ])
    .assert_success();
    assert_reproduced(&dir.run(&["replay", "out", "--export-network", "o2/n.dimacs"]));
    let without_timings = |out: &str| {
        let mut run = run_json(&dir, out);
        run["timings"] = Value::Null;
        run
    };
    assert_eq!(without_timings("out"), without_timings("o2"));

    // Asking for an export the run did not make is a change to try.
    let dir = matched_sample(&[]);
    let stderr = assert_not_reproduced(&dir.run(&["replay", "out", "--export-network", "x.dimacs"]));
    assert!(stderr.contains("option --export-network: recorded false, given true"), "{stderr}");
}

#[test]
fn keep_leaves_the_reruns_outputs_and_never_writes_into_a_full_folder() {
    let dir = matched_sample(&[]);
    assert_reproduced(&dir.run(&["replay", "out", "--keep", "again"]));
    assert_eq!(dir.read("again/matches.csv"), dir.read("out/matches.csv"));
    let replay = dir.run(&["replay", "out", "--keep", "out"]);
    replay.assert_code(2).assert_stderr_contains("not an empty folder");
}

#[test]
fn a_malformed_or_missing_record_is_one_clear_error() {
    let dir = matched_sample(&[]);
    let text = dir.read("out/run.json");
    dir.write("out/run.json", &text[..text.len() / 2]);
    let replay = dir.run(&["replay", "out"]);
    replay.assert_code(3).assert_no_panic();
    let stderr = replay.stderr();
    let error = stderr.lines().find(|l| l.starts_with("out/run.json:")).unwrap_or_else(|| panic!("{stderr}"));
    assert!(error.contains("not a run record poa-match can replay") && error.contains("ends early"), "{error}");

    dir.write(
        "out/run.json",
        text.replace("\"method\": \"optimal\",\n    \"limits\"", "\"method\": \"best\",\n    \"limits\""),
    );
    let replay = dir.run(&["replay", "out"]);
    replay.assert_code(3).assert_stderr_contains("unknown variant `best`");
    let stderr = replay.stderr();
    let line = text.lines().position(|l| l.contains("\"method\": \"optimal\"")).unwrap() + 1;
    assert!(stderr.contains(&format!("out/run.json:{line}:")), "the line of the bad value: {stderr}");

    dir.run(&["replay", "in"])
        .assert_code(1)
        .assert_stderr_contains("in/run.json: no run.json here; replay needs the output folder of `poa-match match`");
    dir.run(&["replay", "nowhere"]).assert_code(1).assert_stderr_contains("no such folder");
}

#[test]
fn a_record_of_another_version_is_said_so() {
    let dir = TestDir::new();
    dir.run(&["match", "--out", "out"]).assert_success();
    let text = dir.read("out/run.json");
    let this = format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(text.contains(&this));
    dir.write("out/run.json", text.replacen(&this, "\"version\": \"0.0.1\"", 1));
    let stderr = assert_not_reproduced(&dir.run(&["replay", "out"]));
    assert!(stderr.starts_with("note: run.json was written by poa-match 0.0.1, this is "), "{stderr}");
    let first = stderr.lines().find(|l| l.starts_with("error: ")).unwrap();
    assert!(
        first.starts_with("error: out/run.json differs from the re-run at line 2") && first.ends_with("(version)"),
        "{first}"
    );
    assert!(stderr.contains("hint: the record was written by poa-match 0.0.1"), "{stderr}");
}
