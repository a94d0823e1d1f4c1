//! The pages as a reader meets them (issue 29): names that read naturally, funds named, lists in a reader's order,
//! a stopped search explained, a study's rows whose figures agree, and nothing wider than the page. Through the
//! real binary, parsed with `scraper`. Whether a page scrolls sideways in a browser is measured by
//! docs/page_check.py (run by docs/screenshot.sh); these tests hold the markup and style that make it fit.

mod common;

use std::collections::HashMap;

use common::html::{attr, match_page, one, sel, select, text};
use common::{SMALL_STUDY, TestDir, csv_rows};
use poa_match::catalog::Reference;
use poa_match::model::Theme;
use scraper::{ElementRef, Html};
use serde_json::Value;

/// The first cell of each row of a chart, and the row's key.
fn chart_rows(doc: &Html, id: &str) -> Vec<(String, String)> {
    select(doc, &format!("#{id} tbody tr"))
        .into_iter()
        .map(|tr| (attr(tr, "data-key").to_string(), text(tr.select(&sel("td")).next().expect("a first cell"))))
        .collect()
}

#[test]
fn the_value_of_a_dollar_wraps_in_a_box_across_the_list() {
    let dir = TestDir::new();
    for lang in ["en", "zh"] {
        let (doc, _) = match_page(&dir, lang, &["--lang", lang]);
        let tile = one(&doc, "#about #dollar-value");
        assert_eq!(attr(tile, "class"), "kpi wide", "a box of its own, not a figure that cannot wrap");
        assert!(text(tile).contains("× w(priority) + fit"), "{}", text(tile));
        let style = text(one(&doc, "style"));
        assert!(style.contains(".kpi.wide{grid-column:1/-1}"), "across the list");
        assert!(style.contains(".kpi.wide dd{") && style.contains("white-space:normal"), "and wraps");
        // Narrow screens: tables scroll in their box rather than crushing their columns, and the page's margins
        // shrink.
        assert!(style.contains("table.fixed{table-layout:fixed;min-width:"));
        assert!(style.contains("table.chart{table-layout:fixed;min-width:"));
        assert!(style.contains("@media (max-width:600px)"));
    }
}

#[test]
fn countries_read_naturally_and_the_tables_keep_the_official_names() {
    let dir = TestDir::new();
    let (doc, page) = match_page(&dir, "out", &[]);
    assert!(!page.contains("(the)"), "an article after a name on the page");
    let donors: HashMap<String, String> = chart_rows(&doc, "chart-donor").into_iter().collect();
    assert!(donors["NLD"].starts_with("Netherlands") && !donors["NLD"].contains("(the)"), "{}", donors["NLD"]);
    assert!(donors["USA"].starts_with("United States of America") && !donors["USA"].contains("(the)"));
    let niger = select(&doc, "#needs-table tr[data-need=\"NER-01\"] td");
    assert_eq!(attr(niger[2], "data-sort"), "Niger");
    // summary.csv is data: it keeps the country table's names.
    let summary = csv_rows(&dir.read("out/summary.csv"));
    let nld = summary.iter().find(|r| r["dimension"] == "donor" && r["key"] == "NLD").expect("NLD in summary.csv");
    assert_eq!(nld["label"], "Netherlands (the)");
    // A fund has no country name: the donor table names it there too.
    let unscar = summary.iter().find(|r| r["dimension"] == "donor" && r["key"] == "UNSCAR").expect("UNSCAR row");
    assert_eq!(unscar["label"], "UN Trust Facility Supporting Cooperation on Arms Regulation");

    let (_, zh) = match_page(&dir, "zh", &["--lang", "zh"]);
    assert!(zh.contains(">荷兰<") && zh.contains(">美利坚合众国<"), "Chinese names");
}

#[test]
fn funds_are_named_by_the_donor_table_which_a_file_can_replace() {
    let dir = TestDir::new();
    let (doc, _) = match_page(&dir, "en", &[]);
    let donors: HashMap<String, String> = chart_rows(&doc, "chart-donor").into_iter().collect();
    for (code, name) in [
        ("POA_SPONSORSHIP", "Sponsorship programme for meetings of the Programme of Action"),
        ("WB_SALW_TF", "Western Balkans SALW Control Roadmap multi-partner trust fund"),
        ("UNSCAR", "UN Trust Facility Supporting Cooperation on Arms Regulation"),
        ("EU", "European Union"),
    ] {
        assert_eq!(donors[code], format!("{name}{code}"), "the name, with the code under it");
    }
    let (doc, _) = match_page(&dir, "zh", &["--lang", "zh"]);
    let donors: HashMap<String, String> = chart_rows(&doc, "chart-donor").into_iter().collect();
    assert!(donors["UNSCAR"].starts_with("联合国支持军备管制合作信托基金"), "{}", donors["UNSCAR"]);

    // A table of one's own: its names, recorded in run.json like the other reference tables, checked by replay.
    dir.write("donors.csv", "code,name_en,name_zh,type\nUNSCAR,The Facility,设施,fund\n");
    let (doc, _) = match_page(&dir, "own", &["--donors-file", "donors.csv"]);
    let donors: HashMap<String, String> = chart_rows(&doc, "chart-donor").into_iter().collect();
    assert_eq!(donors["UNSCAR"], "The FacilityUNSCAR");
    assert_eq!(donors["WB_SALW_TF"], "WB_SALW_TF", "a code the table does not name stays a code");
    assert!(text(one(&doc, "#inputs")).contains("donors.csv"), "listed with the inputs");
    let run: Value = serde_json::from_str(&dir.read("own/run.json")).unwrap();
    assert_eq!(run["inputs"]["donors"]["path"], "donors.csv");
    assert_eq!(run["inputs"]["donors"]["rows"], 1);
    assert_eq!(run["inputs"]["donors"]["sha256"].as_str().map(str::len), Some(64));
    let plain: Value = serde_json::from_str(&dir.read("en/run.json")).unwrap();
    assert!(plain["inputs"].get("donors").is_none(), "the embedded table is not recorded");
    dir.run(&["replay", "own"]).assert_code(0);
    dir.write("donors.csv", "code,name_en,name_zh,type\nUNSCAR,Another name,,fund\n");
    dir.run(&["replay", "own"]).assert_code(4).assert_stderr_contains("donors");

    // A bad table is a data error with its place, and nothing is written.
    dir.write("bad.csv", "code,name_en,name_zh,type\nUNSCAR,,,bank\n");
    let run = dir.run(&["match", "--donors-file", "bad.csv", "--out", "bad"]);
    run.assert_code(3)
        .assert_stderr_contains("bad.csv:2:2: field 'name_en'")
        .assert_stderr_contains("bad.csv:2:4: field 'type'");
    assert!(!dir.path().join("bad").exists());
}

#[test]
fn commitments_follow_the_outcome_document_and_regions_their_size() {
    let dir = TestDir::new();
    let (doc, _) = match_page(&dir, "out", &[]);
    let reference = Reference::embedded();
    let codes: Vec<String> = chart_rows(&doc, "chart-commitment").into_iter().map(|(k, _)| k).collect();
    let position = |code: &String| reference.commitment_by_code(code).expect("a catalogue code").0;
    assert!(codes.len() > 5);
    assert!(codes.windows(2).all(|w| position(&w[0]) < position(&w[1])), "catalogue order: {codes:?}");
    assert!(codes.first().is_some_and(|c| c.starts_with("POA-")), "the PoA before the ITI: {codes:?}");

    let requested: Vec<i64> = select(&doc, "#chart-region tbody tr")
        .into_iter()
        .map(|tr| attr(tr, "data-requested").parse().unwrap())
        .collect();
    assert!(requested.len() > 2 && requested.windows(2).all(|w| w[0] >= w[1]), "largest first: {requested:?}");
    let envelopes: Vec<i64> = select(&doc, "#chart-donor tbody tr")
        .into_iter()
        .map(|tr| attr(tr, "data-envelope").parse().unwrap())
        .collect();
    assert!(envelopes.windows(2).all(|w| w[0] >= w[1]), "donors by envelope: {envelopes:?}");
}

#[test]
fn themes_keep_the_vocabulary_order_in_every_language() {
    let dir = TestDir::new();
    for lang in ["en", "zh"] {
        let (doc, _) = match_page(&dir, lang, &["--lang", lang]);
        let keys: Vec<String> = chart_rows(&doc, "chart-theme").into_iter().map(|(k, _)| k).collect();
        let position = |key: &String| Theme::ALL.iter().position(|t| t.as_str() == key).expect("a theme");
        assert!(keys.len() > 3, "{keys:?}");
        // `record_keeping` comes before `marking` by spelling: the vocabulary puts marking first.
        assert!(keys.windows(2).all(|w| position(&w[0]) < position(&w[1])), "{lang}: {keys:?}");
    }
}

#[test]
fn long_names_wrap_between_words() {
    let dir = TestDir::new();
    dir.write("study.toml", SMALL_STUDY.replace("name = \"baseline\"", "name = \"stockpile_demand_up\""));
    dir.run(&["simulate", "--scenarios", "study.toml", "--node-limit", "150", "--out", "sim"]).assert_success();
    let page = dir.read("sim/report.html");
    assert!(page.contains(">stockpile_<wbr>demand_<wbr>up"), "a break between the words of a scenario's name");
    let doc = Html::parse_document(&page);
    let name = select(&doc, "#scenario-table tbody tr td").into_iter().next().map(text);
    assert_eq!(name.as_deref(), Some("stockpile_demand_up"), "the text itself unchanged");

    let (_, page) = match_page(&dir, "out", &[]);
    assert!(page.contains("CARICOM_<wbr>IMPACS"), "an organisation's code");
    assert!(!page.contains("overflow-wrap:anywhere"), "no break inside a word that fits its column");
}

#[test]
fn a_run_stopped_by_a_limit_says_what_its_gap_means() {
    let dir = TestDir::new();
    let (doc, _) = match_page(&dir, "en", &["--work-limit", "1"]);
    let run: Value = serde_json::from_str(&dir.read("en/run.json")).unwrap();
    assert_eq!(run["status"], "work_limit", "the test needs a stopped search");
    let gap = format!("{:.4}%", 100.0 * run["gap"].as_f64().unwrap());
    let note = text(one(&doc, "#headline #stop-note"));
    assert!(note.contains(&format!("within {gap} of the best possible")), "{note}");
    assert!(note.contains("a re-run with the same files and options gives the same allocation"), "{note}");

    let (doc, _) = match_page(&dir, "zh", &["--work-limit", "1", "--lang", "zh"]);
    let note = text(one(&doc, "#stop-note"));
    assert!(note.contains(&gap) && note.contains("重新运行会得到相同的分配"), "{note}");

    let (doc, _) = match_page(&dir, "optimal", &[]);
    assert!(select(&doc, "#stop-note").is_empty(), "nothing to say of a proved optimum");
}

#[test]
fn a_study_row_shows_one_statistic_and_labels_the_other() {
    let dir = TestDir::new();
    dir.write("study.toml", SMALL_STUDY);
    for lang in ["en", "zh"] {
        dir.run(&["simulate", "--scenarios", "study.toml", "--node-limit", "150", "--lang", lang, "--out", lang])
            .assert_success();
        let doc = Html::parse_document(&dir.read(&format!("{lang}/report.html")));
        let (median, mean) = if lang == "en" { ("median", "mean: ") } else { ("中位数", "均值：") };
        for table in ["scenario-table", "commitment-table", "region-table"] {
            let heads: Vec<String> = select(&doc, &format!("#{table} thead th")).into_iter().map(text).collect();
            let allocated = heads.iter().position(|h| h.contains(median) && !h.contains("p5")).expect("a median");
            let coverage = heads.iter().position(|h| h.contains("p5–p95")).expect("the coverage band");
            let requested_word = if lang == "en" { "Requested" } else { "申请额" };
            let requested = heads.iter().position(|h| h.starts_with(requested_word)).expect("requested");
            for tr in select(&doc, &format!("#{table} tbody tr")) {
                let cells: Vec<ElementRef<'_>> = tr.select(&sel("td")).collect();
                let usd = cells[allocated];
                assert_eq!(attr(usd, "data-sort"), attr(tr, "data-p50"), "the median dollars");
                let sub = text(usd.select(&sel(".sub")).next().expect("the mean under it"));
                let mean_usd: f64 = attr(tr, "data-mean").parse().unwrap();
                let grouped = poa_match::model::group_thousands(mean_usd.round() as i128);
                assert_eq!(sub, format!("{mean}{grouped}"), "labelled");
                // The coverage shown is the same median over the row's requested dollars.
                let p50: f64 = attr(tr, "data-p50").parse().unwrap();
                let requested: f64 = attr(cells[requested], "data-sort").parse().unwrap();
                let shown = text(cells[coverage].select(&sel(".pct")).next().unwrap());
                let share = if requested > 0.0 { (p50 / requested).clamp(0.0, 1.0) } else { 0.0 };
                assert_eq!(shown, format!("{:.1}%", 100.0 * share), "{table}");
            }
        }
    }
}
