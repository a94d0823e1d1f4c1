//! The first hour of the three users (issue 29), through the real binary: what a donor, a secretariat officer and a
//! planner meet when they first run poa-match on their own files.
//!
//! - One input file without the other is a usage error for every command that reads a batch; the bundled sample
//!   runs only when neither is given, and the summary says so.
//! - `match`'s summary leads with the money and the needs, then names report.html; the solver's figures are one
//!   line; it lists the files it wrote.
//! - A run owns its output folder: what an earlier run of poa-match left there and this run does not write goes
//!   (the other format's tables, a network file), and nothing else does; an earlier round's ledger.csv, which
//!   people edit, is never removed but refused.
//! - `merge DIR` takes the shard files in a folder.
//! - `explain` on a large batch lists the eligible offers in full and counts the others by rule, in aligned columns
//!   whatever the lengths and scripts of the ids.

mod common;

use std::path::Path;

use common::{SMALL_STUDY, TestDir, csv_rows, snapshot};
use unicode_width::UnicodeWidthStr;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample");

fn sample(name: &str) -> String {
    format!("{SAMPLE}/{name}")
}

/// The names of the files directly in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

// ---- 1. Both inputs or neither ----

/// Each command that reads a batch, with what else it needs, and the folder it would write (if any).
fn batch_commands(dir: &TestDir) -> Vec<(Vec<&'static str>, Option<&'static str>)> {
    dir.write("study.toml", SMALL_STUDY);
    vec![
        (vec!["match", "--out", "out"], Some("out")),
        (vec!["validate"], None),
        (vec!["explain", "--need", "BFA-02"], None),
        (vec!["simulate", "--scenarios", "study.toml", "--out", "sim"], Some("sim")),
        (
            vec![
                "track",
                "--ledger",
                concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample/ledger.csv"),
                "--as-of",
                "2014-12-31",
                "--out",
                "t",
            ],
            Some("t"),
        ),
    ]
}

#[test]
fn one_input_without_the_other_is_a_usage_error_for_every_batch_command() {
    let dir = TestDir::new();
    let (needs, offers) = (sample("needs.csv"), sample("offers.csv"));
    for (command, out) in batch_commands(&dir) {
        for (given, missing) in [(["--needs", needs.as_str()], "--offers"), (["--offers", offers.as_str()], "--needs")]
        {
            let args: Vec<&str> = command.iter().copied().chain(given).collect();
            let run = dir.run(&args);
            run.assert_code(2).assert_no_panic().assert_stdout_empty();
            let stderr = run.stderr();
            run.check(stderr.trim_end().lines().count() == 1, "expected one line on stderr");
            run.assert_stderr_contains(missing).assert_stderr_contains("hint");
            run.assert_stderr_contains("bundled sample");
            if let Some(out) = out {
                run.check(!dir.path().join(out).exists(), "the refused run wrote its folder");
            }
        }
    }
}

#[test]
fn the_bundled_sample_runs_only_when_neither_input_is_given_and_the_summary_says_so() {
    let dir = TestDir::new();
    for (command, _) in batch_commands(&dir) {
        let run = dir.run(&command);
        run.assert_success().assert_stdout_contains("the bundled sample");
    }
    // Both files given: no word of the sample.
    let run = dir.run(&["match", "--needs", &sample("needs.csv"), "--offers", &sample("offers.csv"), "--out", "o2"]);
    run.assert_success();
    run.check(!run.stdout().contains("bundled"), "the summary speaks of the bundled sample for files given");
}

#[test]
fn explain_from_still_takes_one_moved_input_alone() {
    let dir = TestDir::new();
    dir.run(&["match", "--out", "out"]).assert_success();
    // The run read the bundled needs; the same bytes kept elsewhere are given alone, as a moved file.
    std::fs::copy(sample("needs.csv"), dir.path().join("kept-needs.csv")).unwrap();
    dir.run(&["explain", "--from", "out", "--need", "BFA-02", "--needs", "kept-needs.csv"])
        .assert_success()
        .assert_stdout_contains("Need BFA-02");
}

// ---- 2. The summary of match ----

#[test]
fn match_summary_leads_with_the_money_then_names_the_report_and_the_files() {
    let dir = TestDir::new();
    let run = dir.run(&["match", "--needs", &sample("needs.csv"), "--offers", &sample("offers.csv"), "--out", "o"]);
    run.assert_success();
    let text = run.stdout();
    let lines: Vec<&str> = text.lines().collect();
    let at = |prefix: &str| {
        lines.iter().position(|l| l.starts_with(prefix)).unwrap_or_else(|| panic!("no line {prefix:?} in\n{text}"))
    };
    assert_eq!(at("allocated "), 0, "{text}");
    assert!(lines[0].contains("5,124,500") && lines[0].contains("51.9 %"), "{text}");
    assert!(lines[1].contains("16 funded, 16 partial, 35 unfunded"), "{text}");
    let report = at("report: ");
    assert_eq!(lines[report], format!("report: {}", Path::new("o").join("report.html").display()), "{text}");
    // The solver's words are one line, after what a person asked.
    let solver: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].contains("objective")).collect();
    assert_eq!(solver.len(), 1, "{text}");
    let solver_line = lines[solver[0]];
    for word in ["bound", "gap", "optimal", "205 eligible pairs"] {
        assert!(solver_line.contains(word), "{word} not in {solver_line:?}");
    }
    assert!(solver[0] > report, "{text}");
    // The last line lists the files written, each of which is in the folder.
    let last = lines.last().unwrap();
    assert!(last.starts_with("written to o: "), "{text}");
    for name in names(&dir.path().join("o")) {
        assert!(last.contains(&name), "{name} not listed in {last:?}");
    }
}

#[test]
fn a_round_summary_puts_locked_and_new_money_beside_the_allocation() {
    let dir = TestDir::new();
    let args = [
        "match",
        "--needs",
        &sample("needs.csv"),
        "--offers",
        &sample("offers_2014.csv"),
        "--ledger",
        &sample("ledger.csv"),
        "--round",
        "2014",
        "--out",
        "r",
    ];
    let run = dir.run(&args.map(|s| s as &str));
    run.assert_success();
    let text = run.stdout();
    let lines: Vec<&str> = text.lines().collect();
    let at =
        |prefix: &str| lines.iter().position(|l| l.starts_with(prefix)).unwrap_or_else(|| panic!("{prefix}\n{text}"));
    let (allocated, locked, round, report) = (at("allocated "), at("locked: "), at("round 2014: "), at("report: "));
    assert!(allocated < locked && locked < round && round < report, "{text}");
    assert!(lines.last().unwrap().contains("ledger.csv"), "{text}");
}

// ---- 3. A run owns its output folder ----

#[test]
fn a_run_removes_the_tables_an_earlier_run_of_another_format_left_and_nothing_else() {
    let dir = TestDir::new();
    dir.run(&["match", "--format", "json", "--out", "out"]).assert_success();
    dir.write("out/notes.txt", "my notes");
    dir.write("out/matches.xlsx", "my spreadsheet");
    let run = dir.run(&["match", "--out", "out"]);
    run.assert_success();
    assert_eq!(
        names(&dir.path().join("out")),
        strings(&[
            "matches.csv",
            "matches.xlsx",
            "needs_status.csv",
            "notes.txt",
            "offers_status.csv",
            "report.html",
            "run.json",
            "summary.csv"
        ])
    );
    let text = run.stdout();
    let removed = text.lines().find(|l| l.starts_with("removed ")).unwrap_or_else(|| panic!("{text}"));
    for name in ["matches.json", "needs_status.json", "offers_status.json", "summary.json"] {
        assert!(removed.contains(name), "{removed}");
    }
    // And back: the CSV tables go.
    dir.run(&["match", "--format", "json", "--out", "out"]).assert_success();
    assert!(names(&dir.path().join("out")).iter().all(|n| !n.ends_with(".csv")));
}

#[test]
fn files_in_a_folder_that_holds_no_record_of_a_run_are_left_alone() {
    let dir = TestDir::new();
    dir.write("out/matches.json", "[]\n");
    dir.write("out/summary.json", "[]\n");
    dir.run(&["match", "--out", "out"]).assert_success();
    assert_eq!(dir.read("out/matches.json"), "[]\n");
    assert_eq!(dir.read("out/summary.json"), "[]\n");
}

#[test]
fn an_earlier_runs_network_file_goes_and_a_foreign_one_stays() {
    let dir = TestDir::new();
    dir.run(&["match", "--out", "out", "--export-network", "out/net.dimacs"]).assert_success();
    dir.write("out/mine.dimacs", "c my own network\np min 1 0\n");
    let run = dir.run(&["match", "--out", "out"]);
    run.assert_success().assert_stdout_contains("net.dimacs");
    let left = names(&dir.path().join("out"));
    assert!(!left.contains(&"net.dimacs".to_string()), "{left:?}");
    assert!(left.contains(&"mine.dimacs".to_string()), "{left:?}");
}

#[test]
fn an_earlier_rounds_ledger_is_never_removed_the_run_is_refused() {
    let dir = TestDir::new();
    dir.write("ledger.csv", "award_id,round,need_id,offer_id,amount_usd,status,status_date,note\n");
    dir.run(&["match", "--ledger", "ledger.csv", "--round", "2013", "--out", "r"]).assert_success();
    let before = snapshot(dir.path());
    let run = dir.run(&["match", "--out", "r", "--format", "json"]);
    run.assert_code(2).assert_no_panic().assert_stdout_empty().assert_stderr_contains("ledger.csv");
    run.check(run.stderr().trim_end().lines().count() == 1, "expected one line on stderr");
    assert_eq!(snapshot(dir.path()), before, "the refused run changed files");
}

#[test]
fn a_failed_run_removes_nothing() {
    let dir = TestDir::new();
    dir.run(&["match", "--format", "json", "--out", "out"]).assert_success();
    // summary.csv cannot be written (a directory has its name): the run fails while writing, after staging.
    std::fs::create_dir(dir.path().join("out/summary.csv")).unwrap();
    let before = snapshot(dir.path());
    dir.run(&["match", "--out", "out"]).assert_code(1).assert_no_panic();
    assert_eq!(snapshot(dir.path()), before, "the failed run changed files");
}

#[test]
fn simulate_and_track_folders_drop_the_other_formats_tables() {
    let dir = TestDir::new();
    dir.write("study.toml", SMALL_STUDY);
    let study = ["simulate", "--scenarios", "study.toml", "--node-limit", "150", "--out", "sim"];
    dir.run(&[&study[..], &["--format", "json"]].concat()).assert_success();
    let run = dir.run(&study);
    run.assert_success().assert_stdout_contains("scenarios.json");
    assert_eq!(
        names(&dir.path().join("sim")),
        strings(&[
            "by_commitment.csv",
            "by_region.csv",
            "need_odds.csv",
            "report.html",
            "scenarios.csv",
            "simulate.json"
        ])
    );

    let ledger = sample("ledger.csv");
    let track = ["track", "--ledger", ledger.as_str(), "--as-of", "2014-12-31", "--out", "t"];
    dir.run(&[&track[..], &["--format", "json"]].concat()).assert_success();
    dir.run(&track).assert_success().assert_stdout_contains("track_needs.json");
    assert!(names(&dir.path().join("t")).iter().all(|n| !n.starts_with("track_") || n.ends_with(".csv")));
}

// ---- 4. merge takes a folder ----

#[test]
fn merge_takes_a_folder_of_shard_files() {
    let dir = TestDir::new();
    dir.write("study.toml", SMALL_STUDY);
    let study = ["simulate", "--scenarios", "study.toml", "--node-limit", "150", "--threads", "1"];
    dir.run(&[&study[..], &["--out", "whole"]].concat()).assert_success();
    for shard in ["2/2", "1/2"] {
        dir.run(&[&study[..], &["--shard", shard, "--out", "shards"]].concat()).assert_success();
    }
    dir.write("shards/notes.txt", "not a shard");
    dir.run(&["merge", "shards", "--out", "merged"]).assert_success().assert_stdout_contains("merged 2 shards");
    common::assert_same_outputs(&dir.path().join("whole"), &dir.path().join("merged"));

    dir.mkdir("empty");
    let run = dir.run(&["merge", "empty", "--out", "none"]);
    run.assert_code(2).assert_no_panic().assert_stderr_contains("no shard files");
    assert!(!dir.path().join("none").exists());
}

// ---- 8. explain on a large batch ----

/// A generated batch of 2 000 needs and 200 offers in which some offers have long donor codes and ids in Chinese,
/// matched greedily (fast) into `out/`; returns the need with the most eligible offers among those not funded.
fn large_batch(dir: &TestDir) -> String {
    dir.run(&["generate", "--needs", "2000", "--offers", "200", "--seed", "3", "--out", "gen"]).assert_success();
    let text = dir.read("gen/offers.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (id, donor, donor_type) = (column("offer_id"), column("donor"), column("donor_type"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).unwrap();
    for (i, record) in reader.records().enumerate() {
        let mut fields: Vec<String> = record.unwrap().iter().map(str::to_string).collect();
        if i % 3 == 0 {
            fields[donor] = "WESTERN_BALKANS_SALW_CONTROL_TRUST_FUND".into();
            fields[donor_type] = "fund".into();
        }
        if i % 5 == 0 {
            fields[id] = format!("援助-{}", fields[id]);
        }
        writer.write_record(&fields).unwrap();
    }
    dir.write("gen/offers.csv", writer.into_inner().unwrap());
    dir.run(&["match", "--needs", "gen/needs.csv", "--offers", "gen/offers.csv", "--method", "greedy", "--out", "out"])
        .assert_success();
    let needs = csv_rows(&dir.read("out/needs_status.csv"));
    let count = |n: &std::collections::HashMap<String, String>| n["eligible_offers"].parse::<usize>().unwrap();
    needs.iter().filter(|n| n["status"] != "funded").max_by_key(|n| count(n)).unwrap()["need_id"].clone()
}

/// The display column where each of `words` starts on `line` (CJK characters take two columns).
fn columns_of(line: &str, at: &[usize]) -> Vec<usize> {
    at.iter().map(|&byte| line[..byte].width()).collect()
}

/// Checks that every row of a table lines up under its header: each header word's left edge (text columns) or
/// right edge (amounts) is where the rows' cells start or end.
fn assert_table_aligned(header: &str, rows: &[&str]) {
    for (name, left) in [("Offer", true), ("Donor", true), ("Value/$", false), ("Envelope", false), ("Left", false)] {
        let at = header.find(name).unwrap_or_else(|| panic!("{name} in {header}"));
        let edge = if left { columns_of(header, &[at])[0] } else { columns_of(header, &[at + name.len()])[0] };
        for row in rows {
            // The display column `edge` must be a cell's edge: a space on one side, text on the other.
            let cells: Vec<(usize, usize)> = row
                .char_indices()
                .scan(0usize, |col, (_, c)| {
                    let start = *col;
                    *col += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                    Some((start, if c == ' ' { 0 } else { 1 }))
                })
                .collect();
            let ink = |col: usize| cells.iter().find(|(s, _)| *s == col).map_or(0, |(_, k)| *k);
            let ok = if left { ink(edge) == 1 && ink(edge - 1) == 0 } else { ink(edge - 1) == 1 && ink(edge) == 0 };
            assert!(ok, "{name} misaligned at column {edge}:\n{header}\n{row}");
        }
    }
}

#[test]
fn explain_on_a_large_batch_lists_eligible_offers_and_counts_the_rest_by_rule() {
    let dir = TestDir::new();
    let need = large_batch(&dir);
    let run = dir.run(&["explain", "--from", "out", "--need", &need]);
    run.assert_success();
    let text = run.stdout();
    let doc: serde_json::Value =
        serde_json::from_str(&dir.run(&["explain", "--from", "out", "--need", &need, "--json"]).stdout()).unwrap();
    let offers = doc["offers"].as_array().unwrap();
    let ineligible: Vec<&str> =
        offers.iter().filter(|o| o["eligible"] == false).map(|o| o["offer_id"].as_str().unwrap()).collect();
    let eligible: Vec<&str> =
        offers.iter().filter(|o| o["eligible"] == true).map(|o| o["offer_id"].as_str().unwrap()).collect();
    assert!(ineligible.len() > 100 && eligible.len() >= 3, "{} / {}", ineligible.len(), eligible.len());

    // By default: no ineligible offer on a line of its own, a count per rule, and how to see them all.
    let first_word = |l: &str| l.split_whitespace().next().map(str::to_string);
    let listed = text.lines().filter(|l| first_word(l).is_some_and(|w| ineligible.contains(&w.as_str()))).count();
    assert_eq!(listed, 0, "{text}");
    for e in &eligible {
        assert_eq!(text.lines().filter(|l| first_word(l).as_deref() == Some(*e)).count(), 1, "{e} in\n{text}");
    }
    assert!(text.contains(&format!("Offers not eligible ({})", ineligible.len())), "{text}");
    assert!(text.contains("--all"), "{text}");
    let mut per_rule = std::collections::BTreeMap::new();
    for o in offers.iter().filter(|o| o["eligible"] == false) {
        for rule in o["failed_rules"].as_array().unwrap() {
            *per_rule.entry(rule.as_str().unwrap().to_string()).or_insert(0usize) += 1;
        }
    }
    for (rule, count) in &per_rule {
        let line = text
            .lines()
            .find(|l| first_word(l).as_deref() == Some(rule.as_str()))
            .unwrap_or_else(|| panic!("no line for rule {rule} in\n{text}"));
        assert!(line.split_whitespace().nth(1) == Some(&count.to_string()), "{rule}: {count} offers, {line}");
    }
    assert!(text.lines().count() < 40 + 12 * eligible.len(), "{} lines", text.lines().count());

    // The eligible offers' table lines up whatever the ids' lengths and scripts.
    let lines: Vec<&str> = text.lines().collect();
    let header = lines.iter().position(|l| l.trim_start().starts_with("Offer ")).expect("the table's header");
    let rows: Vec<&str> = lines[header + 1..]
        .iter()
        .take_while(|l| !l.is_empty())
        .filter(|l| first_word(l).is_some_and(|w| eligible.contains(&w.as_str())))
        .copied()
        .collect();
    assert_eq!(rows.len(), eligible.len(), "{text}");
    assert_table_aligned(lines[header], &rows);
    // The needs that took an offer's money: one column for their priorities down the whole list.
    let takers: std::collections::BTreeSet<usize> =
        lines[header..].iter().filter_map(|l| l.find(" priority ").map(|at| columns_of(l, &[at])[0])).collect();
    assert_eq!(takers.len(), 1, "takers' columns at {takers:?}:\n{text}");

    // --all: every offer on a line of its own, the rules in one column.
    let all = dir.run(&["explain", "--from", "out", "--need", &need, "--all"]);
    all.assert_success();
    let all_text = all.stdout();
    let rule_lines: Vec<&str> =
        all_text.lines().filter(|l| first_word(l).is_some_and(|w| ineligible.contains(&w.as_str()))).collect();
    assert_eq!(rule_lines.len(), ineligible.len(), "{all_text}");
    let rule_columns: std::collections::BTreeSet<usize> = rule_lines
        .iter()
        .map(|l| {
            let at = l.find(|c: char| c.is_ascii_lowercase()).unwrap();
            columns_of(l, &[at])[0]
        })
        .collect();
    assert_eq!(rule_columns.len(), 1, "rules start at columns {rule_columns:?}:\n{all_text}");
    let verbose = dir.run(&["explain", "--from", "out", "--need", &need, "--verbose"]);
    assert_eq!(verbose.stdout(), all_text);
    // --eligible-only still leaves them out.
    let only = dir.run(&["explain", "--from", "out", "--need", &need, "--eligible-only"]);
    only.assert_success();
    assert!(!only.stdout().contains("Offers not eligible"), "{}", only.stdout());
}
