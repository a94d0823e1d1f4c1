//! `poa-match explain --from OUTDIR` end to end, through the real binary (docs/spec.md §10).
//!
//! - For every need of a generated batch, `explain --from` says what needs_status.csv says (status, amount,
//!   reason, offers_why), and its amounts per offer are matches.csv's.
//! - An input changed after the run is refused with both hashes; an unknown need is a usage error.
//! - The text carries thousands separators; `--eligible-only` and `--json` / `--format json`.
//! - Without --from, explain says it solved again.
//! - `--lang zh` gives the same figures in Chinese, no English sentence left, the tables straight by display width.

mod common;

use std::collections::HashMap;

use common::{TestDir, csv_rows};
use serde_json::Value;

fn json(run: &common::Run) -> Value {
    serde_json::from_str(&run.stdout()).unwrap_or_else(|e| panic!("explain prints JSON: {e}\n{}", run.report()))
}

#[test]
fn explain_from_agrees_with_needs_status_for_every_need_of_a_generated_batch() {
    let dir = TestDir::new();
    dir.run(&["generate", "--needs", "120", "--offers", "14", "--seed", "3", "--out", "gen"]).assert_success();
    dir.run(&[
        "match",
        "--needs",
        "gen/needs.csv",
        "--offers",
        "gen/offers.csv",
        "--node-limit",
        "2000",
        "--out",
        "out",
    ])
    .assert_success();
    let status = csv_rows(&dir.read("out/needs_status.csv"));
    let mut matched: HashMap<(String, String), i64> = HashMap::new();
    for row in csv_rows(&dir.read("out/matches.csv")) {
        matched.insert((row["need_id"].clone(), row["offer_id"].clone()), row["amount_usd"].parse().unwrap());
    }
    assert_eq!(status.len(), 120);
    let mut short_with_offers = 0;
    for row in &status {
        let id = row["need_id"].as_str();
        let run = dir.run(&["explain", "--from", "out", "--need", id, "--format", "json"]);
        run.assert_success();
        let doc = json(&run);
        assert_eq!(doc["status"], row["status"].as_str(), "{id}");
        assert_eq!(doc["allocated_usd"].to_string(), row["allocated_usd"], "{id}");
        assert_eq!(doc["reason"], row["reason"].as_str(), "{id}");
        assert_eq!(doc["offers_why"], row["offers_why"].as_str(), "{id}");
        assert_eq!(doc["source"]["published"], "out");
        let offers = doc["offers"].as_array().unwrap();
        let eligible: Vec<&Value> = offers.iter().filter(|o| o["eligible"] == true).collect();
        assert_eq!(eligible.len().to_string(), row["eligible_offers"], "{id}");
        let mut sum = 0;
        let mut holds = 0;
        for o in offers {
            let amount = o["amount_usd"].as_i64().unwrap();
            let published = matched.get(&(id.to_string(), o["offer_id"].as_str().unwrap().to_string()));
            assert_eq!(amount, published.copied().unwrap_or(0), "{id} {}", o["offer_id"]);
            sum += amount;
            holds += usize::from(!o["hold"].is_null());
        }
        assert_eq!(sum.to_string(), row["allocated_usd"], "{id}");
        // Every eligible offer of a need not fully funded says what kept it; none does for a funded need.
        if row["status"] == "funded" {
            assert_eq!(holds, 0, "{id}");
        } else {
            assert_eq!(holds, eligible.len(), "{id}");
            short_with_offers += usize::from(!eligible.is_empty());
        }
    }
    assert!(short_with_offers > 5, "the batch should have needs short of money with eligible offers");
}

#[test]
fn an_input_changed_after_the_run_is_refused_with_both_hashes() {
    let dir = TestDir::new();
    dir.write("needs.csv", include_str!("../data/sample/needs.csv"));
    dir.write("offers.csv", include_str!("../data/sample/offers.csv"));
    dir.run(&["match", "--needs", "needs.csv", "--offers", "offers.csv", "--out", "out"]).assert_success();
    let recorded: Value = serde_json::from_str(&dir.read("out/run.json")).unwrap();
    dir.run(&["explain", "--from", "out", "--need", "BFA-02"]).assert_success();

    dir.write("offers.csv", include_str!("../data/sample/offers.csv").replacen("600000", "600001", 1));
    let run = dir.run(&["explain", "--from", "out", "--need", "BFA-02"]);
    run.assert_code(2).assert_no_panic().assert_stdout_empty();
    let recorded_hash = recorded["inputs"]["offers"]["sha256"].as_str().unwrap();
    run.assert_stderr_contains("offers.csv").assert_stderr_contains(recorded_hash).assert_stderr_contains("hint");
    assert_eq!(run.stderr().lines().count(), 1, "{}", run.report());
    // The current hash is named too: the one 64-digit hex word that is not the recorded one.
    let other = run.stderr().split(' ').filter(|w| w.len() == 64 && *w != recorded_hash).count();
    assert_eq!(other, 1, "{}", run.report());
}

#[test]
fn an_unknown_need_is_a_usage_error() {
    let dir = TestDir::new();
    dir.run(&["match", "--out", "out"]).assert_success();
    let run = dir.run(&["explain", "--from", "out", "--need", "NO-SUCH-NEED"]);
    run.assert_code(2).assert_no_panic().assert_stdout_empty();
    run.assert_stderr_contains("NO-SUCH-NEED");
}

#[test]
fn text_output_groups_thousands_and_filters_ineligible_offers() {
    let dir = TestDir::new();
    dir.run(&["match", "--out", "out"]).assert_success();
    let run = dir.run(&["explain", "--from", "out", "--need", "BFA-02"]);
    run.assert_success();
    let text = run.stdout();
    assert!(text.contains("Requested 240,000 USD, allocated 200,000 USD: partial"), "{text}");
    assert!(text.contains("Offers not eligible"), "{text}");
    // Every amount in the offers table is grouped: no run of four digits outside an id.
    let table: Vec<&str> = text.lines().skip_while(|l| !l.starts_with("Eligible offers (")).skip(2).collect();
    for line in table.iter().take_while(|l| !l.is_empty()) {
        for word in line.split_whitespace().filter(|w| w.chars().all(|c| c.is_ascii_digit() || c == ',')) {
            assert!(
                word.split(',').skip(1).all(|g| g.len() == 3) && word.split(',').next().unwrap().len() <= 3,
                "{line}"
            );
        }
    }
    let only = dir.run(&["explain", "--from", "out", "--need", "BFA-02", "--eligible-only"]);
    only.assert_success();
    assert!(!only.stdout().contains("Offers not eligible"), "{}", only.stdout());
    let doc = json(&dir.run(&["explain", "--from", "out", "--need", "BFA-02", "--json", "--eligible-only"]));
    assert!(doc["offers"].as_array().unwrap().iter().all(|o| o["eligible"] == true), "{doc}");
    let full = json(&dir.run(&["explain", "--from", "out", "--need", "BFA-02", "--format", "json"]));
    assert_eq!(full, json(&dir.run(&["explain", "--from", "out", "--need", "BFA-02", "--json"])));
}

#[test]
fn without_from_explain_says_it_solved_again_and_points_at_out() {
    let dir = TestDir::new();
    let run = dir.run(&["explain", "--need", "BFA-02"]);
    run.assert_success().assert_stdout_contains("Solved again");
    dir.run(&["match", "--out", "out"]).assert_success();
    dir.run(&["explain", "--need", "BFA-02"]).assert_success().assert_stdout_contains("--from out");
    let doc = json(&dir.run(&["explain", "--need", "BFA-02", "--format", "json"]));
    assert_eq!(doc["source"]["solved_again"], true);
}

#[test]
fn in_chinese_the_same_figures_read_in_chinese_and_the_tables_stay_straight() {
    use unicode_width::UnicodeWidthStr;
    let dir = TestDir::new();
    dir.run(&["match", "--out", "out"]).assert_success();
    let explain = |lang: &str| {
        let run = dir.run(&["explain", "--from", "out", "--need", "NER-01", "--lang", lang]);
        run.assert_success();
        run.stdout()
    };
    let (en, zh) = (explain("en"), explain("zh"));
    assert!(en.contains("Requested 310,000 USD, allocated 200,000 USD: partial"), "{en}");
    assert!(zh.contains("申请 310,000 美元，已分配 200,000 美元：部分资助"), "{zh}");
    for english in ["Requested", "Eligible offers", "Why:", "its money went to", "priority", " USD", "Offers not"] {
        assert!(!zh.contains(english), "{english:?} left in the Chinese text:\n{zh}");
    }
    // The same ids, codes and amounts in the same order: only the words differ.
    let figures = |text: &str| -> Vec<String> {
        text.split(|c: char| !(c.is_ascii_alphanumeric() || "-_,".contains(c)))
            .map(|w| w.trim_end_matches(','))
            .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(figures(&en), figures(&zh));
    // In the table of eligible offers every line's last column starts at the same display column.
    let table: Vec<&str> = zh.lines().skip_while(|l| !l.starts_with("符合条件的提议（")).skip(1).collect();
    let rows: Vec<&str> =
        table.iter().copied().take_while(|l| !l.is_empty()).filter(|l| !l.starts_with("    ")).collect();
    assert!(rows.len() > 2, "{zh}");
    let last_column = |line: &str| {
        let at = line.rfind(|c: char| c.is_ascii_digit()).map_or(0, |i| i + 1);
        let at = if line.ends_with("为何未给更多") { line.len() - "为何未给更多".len() } else { at };
        line[..at].trim_end().width()
    };
    let widths: Vec<usize> = rows.iter().map(|l| last_column(l)).collect();
    assert!(widths.windows(2).all(|w| w[0] == w[1]), "{widths:?}\n{zh}");
}
