//! `--format xlsx` through the real binary (docs/spec.md §6): the workbook of `match`, `simulate` and `track`
//! read back with calamine holds, sheet by sheet and in the spec's order, the rows of the CSV files the same run
//! writes (numbers equal, text equal); the header is bold and frozen, amounts and ratios carry their formats; a
//! text that looks like a formula stays text (figures past 2^53 are checked in `io::workbook`'s unit tests, since
//! inputs cannot reach them); the bytes do not depend on the run or the thread count; replay
//! re-renders the workbook and finds it identical.

mod common;

use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{OFFERS_HEADER, SMALL_STUDY, TestDir, csv_row, good_needs, good_offers};

/// The rows (header first) of a CSV file.
fn csv_table(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_path(path).unwrap();
    reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

/// The CSV form of a text cell: the CSV writer puts `'` before a text a spreadsheet would run as a formula; the
/// workbook stores the text itself.
fn csv_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() }
}

/// Asserts that sheet `name` of the workbook holds exactly the rows of `csv`.
fn assert_sheet_matches_csv(workbook: &mut Xlsx<std::io::BufReader<std::fs::File>>, name: &str, csv: &Path) {
    let range = workbook.worksheet_range(name).unwrap_or_else(|e| panic!("sheet {name}: {e}"));
    let expected = csv_table(csv);
    let rows: Vec<&[Data]> = range.rows().collect();
    assert_eq!(rows.len(), expected.len(), "sheet {name}: rows");
    assert!(!expected.is_empty());
    for (r, (row, want)) in rows.iter().zip(&expected).enumerate() {
        assert_eq!(row.len(), want.len(), "sheet {name} row {}", r + 1);
        for (c, (cell, want)) in row.iter().zip(want).enumerate() {
            let at = format!("sheet {name} row {} column {}", r + 1, c + 1);
            match cell {
                Data::String(s) => assert_eq!(&csv_text(s), want, "{at}: text"),
                Data::Float(x) => {
                    let parsed: f64 = want.parse().unwrap_or_else(|_| panic!("{at}: {want:?} is not a number"));
                    assert_eq!(*x, parsed, "{at}: number");
                }
                Data::Int(x) => assert_eq!(x.to_string(), *want, "{at}: number"),
                Data::Empty => assert_eq!(want, "", "{at}: blank"),
                other => panic!("{at}: unexpected cell {other:?}"),
            }
        }
    }
}

/// Checks a workbook against the CSV tables of a run of the same inputs: sheets in order, rows equal.
fn assert_workbook_matches(workbook: &Path, csv_dir: &Path, sheets: &[&str]) {
    let mut book: Xlsx<_> = open_workbook(workbook).unwrap();
    assert_eq!(book.sheet_names(), sheets, "sheets in the order of docs/spec.md");
    for name in sheets {
        assert_sheet_matches_csv(&mut book, name, &csv_dir.join(format!("{name}.csv")));
        let formulas = book.worksheet_formula(name).unwrap();
        assert!(formulas.cells().all(|(_, _, f)| f.is_empty()), "sheet {name} holds a formula");
    }
}

/// The text of one part of the workbook's zip.
fn part(workbook: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(workbook).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
    text
}

/// A batch whose ids look like formulas to a spreadsheet, one with the largest amount an input may hold.
fn formula_like_batch(dir: &TestDir) {
    let needs = good_needs().replace("BFA-01", "=SUM(A1)");
    let extra = csv_row(
        OFFERS_HEADER,
        &[("offer_id", "-1+2"), ("donor", "JPN"), ("donor_type", "state"), ("envelope_usd", "1000000000000")],
    );
    dir.write("needs.csv", needs);
    dir.write("offers.csv", format!("{}{extra}\n", good_offers()));
}

#[test]
fn a_match_workbook_holds_the_csv_rows_and_its_formats() {
    let dir = TestDir::new();
    dir.run(&["match", "--out", "csv"]).assert_success();
    dir.run(&["match", "--out", "xlsx", "--format", "xlsx"])
        .assert_success()
        .assert_stdout_contains("match.xlsx, report.html, run.json");
    let workbook = dir.path().join("xlsx/match.xlsx");
    assert_workbook_matches(
        &workbook,
        &dir.path().join("csv"),
        &["matches", "needs_status", "offers_status", "summary"],
    );
    // Only the workbook, the page and the record: no CSV beside them.
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("xlsx"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["match.xlsx", "report.html", "run.json"]);
    let run: serde_json::Value = serde_json::from_str(&dir.read("xlsx/run.json")).unwrap();
    assert_eq!(run["options"]["format"], "xlsx");

    let styles = part(&workbook, "xl/styles.xml");
    for format in ["#,##0", "0.00%"] {
        assert!(styles.contains(&format!("formatCode=\"{format}\"")), "{format} missing from {styles}");
    }
    assert!(styles.contains("<b/>"), "no bold font: {styles}");
    let sheet = part(&workbook, "xl/worksheets/sheet2.xml");
    assert!(sheet.contains(r#"ySplit="1""#) && sheet.contains(r#"state="frozen""#), "header not frozen: {sheet}");
    assert!(sheet.contains("customWidth=\"1\""), "no widths: {sheet}");
}

#[test]
fn text_that_looks_like_a_formula_stays_text() {
    let dir = TestDir::new();
    formula_like_batch(&dir);
    for (out, format) in [("csv", "csv"), ("xlsx", "xlsx")] {
        let args = ["match", "--needs", "needs.csv", "--offers", "offers.csv", "--out", out, "--format", format];
        dir.run(&args).assert_success();
    }
    let workbook = dir.path().join("xlsx/match.xlsx");
    assert_workbook_matches(
        &workbook,
        &dir.path().join("csv"),
        &["matches", "needs_status", "offers_status", "summary"],
    );
    let mut book: Xlsx<_> = open_workbook(&workbook).unwrap();
    let needs = book.worksheet_range("needs_status").unwrap();
    assert_eq!(needs.get_value((1, 0)), Some(&Data::String("=SUM(A1)".into())));
    let offers = book.worksheet_range("offers_status").unwrap();
    let row = offers.rows().find(|r| r[0] == Data::String("-1+2".into())).expect("the offer -1+2");
    assert_eq!(row[1], Data::Float(1e12), "the largest amount an input may hold is a number");
}

#[test]
fn the_same_inputs_give_the_same_workbook_bytes_on_any_thread_count() {
    let dir = TestDir::new();
    dir.run(&["match", "--out", "a", "--format", "xlsx", "--threads", "1"]).assert_success();
    dir.run(&["match", "--out", "b", "--format", "xlsx", "--threads", "8"]).assert_success();
    let a = std::fs::read(dir.path().join("a/match.xlsx")).unwrap();
    let b = std::fs::read(dir.path().join("b/match.xlsx")).unwrap();
    assert!(a == b, "match.xlsx differs between 1 and 8 threads");
    // No clock in the document: its creation time is fixed, and every zip entry carries the DOS epoch.
    let core = part(&dir.path().join("a/match.xlsx"), "docProps/core.xml");
    assert!(core.contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2001-07-20T00:00:00Z"), "{core}");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(dir.path().join("a/match.xlsx")).unwrap()).unwrap();
    for i in 0..zip.len() {
        let entry = zip.by_index(i).unwrap();
        let stamp = entry.last_modified().unwrap();
        let when = (stamp.year(), stamp.month(), stamp.day(), stamp.hour(), stamp.minute(), stamp.second());
        assert_eq!(when, (1980, 1, 1, 0, 0, 0), "{} carries a clock time", entry.name().unwrap());
    }
}

#[test]
fn replay_rerenders_the_workbook_and_a_csv_run_takes_it_away() {
    let dir = TestDir::new();
    dir.run(&["match", "--out", "out", "--format", "xlsx"]).assert_success();
    dir.run(&["replay", "out"]).assert_success().assert_stdout_contains("3 files compared");
    // A changed byte is found.
    let path = dir.path().join("out/match.xlsx");
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 30;
    bytes[last] ^= 1;
    std::fs::write(&path, bytes).unwrap();
    let replay = dir.run(&["replay", "out"]);
    assert_ne!(replay.code(), Some(0), "{}", replay.report());
    replay.assert_no_panic();
    // A CSV run into the folder removes the workbook an earlier run left there.
    dir.run(&["match", "--out", "out"]).assert_success().assert_stdout_contains("match.xlsx");
    assert!(!path.exists());
    assert!(dir.path().join("out/matches.csv").exists());
}

#[test]
fn a_study_workbook_holds_the_csv_rows() {
    let dir = TestDir::new();
    dir.write("study.toml", SMALL_STUDY);
    for (out, format) in [("csv", "csv"), ("xlsx", "xlsx")] {
        let args = ["simulate", "--scenarios", "study.toml", "--node-limit", "150", "--out", out, "--format", format];
        dir.run(&args).assert_success();
    }
    let workbook = dir.path().join("xlsx/simulate.xlsx");
    assert_workbook_matches(
        &workbook,
        &dir.path().join("csv"),
        &["scenarios", "by_commitment", "by_region", "need_odds"],
    );
    let args = ["simulate", "--scenarios", "study.toml", "--node-limit", "150", "--out", "one", "--format", "xlsx"];
    dir.run(&[&args[..], &["--threads", "1"]].concat()).assert_success();
    let one = std::fs::read(dir.path().join("one/simulate.xlsx")).unwrap();
    assert!(one == std::fs::read(&workbook).unwrap(), "simulate.xlsx differs between thread counts");
    let styles = part(&workbook, "xl/styles.xml");
    assert!(styles.contains("formatCode=\"0.00\""), "means with two decimals: {styles}");
    assert!(styles.contains("formatCode=\"#,##0.00\""), "money means: {styles}");
}

#[test]
fn a_follow_up_workbook_holds_the_csv_rows() {
    let dir = TestDir::new();
    dir.copy_sample(&["needs.csv", "offers.csv", "ledger.csv"]);
    for (out, format) in [("csv", "csv"), ("xlsx", "xlsx")] {
        let args = [
            "track",
            "--ledger",
            "ledger.csv",
            "--needs",
            "needs.csv",
            "--offers",
            "offers.csv",
            "--as-of",
            "2014-03-01",
            "--out",
            out,
            "--format",
            format,
        ];
        dir.run(&args).assert_success();
    }
    let sheets = ["track_needs", "track_offers", "track_donors", "track_followup", "track_unmatched"];
    assert_workbook_matches(&dir.path().join("xlsx/track.xlsx"), &dir.path().join("csv"), &sheets);
}

#[test]
fn explain_from_reads_a_published_workbook_as_it_reads_the_csv_files() {
    let dir = TestDir::new();
    dir.run(&["match", "--out", "csv"]).assert_success();
    dir.run(&["match", "--out", "xlsx", "--format", "xlsx"]).assert_success();
    for need in ["BFA-02", "KEN-01", "SRB-02"] {
        let from_csv = dir.run(&["explain", "--from", "csv", "--need", need]);
        let from_xlsx = dir.run(&["explain", "--from", "xlsx", "--need", need]);
        from_csv.assert_success();
        from_xlsx.assert_success();
        let told = from_xlsx.stdout().replacen("Published run in xlsx ", "Published run in csv ", 1);
        assert_eq!(told, from_csv.stdout(), "{need}");
    }
    // A workbook whose figures disagree with the inputs is caught, at its sheet's row.
    let path = dir.path().join("xlsx/match.xlsx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        if entry.name().unwrap() == "xl/worksheets/sheet2.xml" {
            // needs_status, first row: the allocated amount of BFA-01 (0) becomes 1.
            text = text.replacen(r#"<c r="C2" s="2"><v>0</v>"#, r#"<c r="C2" s="2"><v>1</v>"#, 1);
        }
        out.start_file(entry.name().unwrap().to_string(), zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut out, text.as_bytes()).unwrap();
    }
    std::fs::write(&path, out.finish().unwrap().into_inner()).unwrap();
    let run = dir.run(&["explain", "--from", "xlsx", "--need", "BFA-01"]);
    run.assert_code(3).assert_stderr_contains("match.xlsx:2:3: field 'allocated_usd'");
}

#[test]
fn a_round_keeps_its_ledger_as_csv_beside_the_workbook() {
    let dir = TestDir::new();
    dir.copy_sample(&["needs.csv", "offers_2014.csv", "ledger.csv"]);
    for (out, format) in [("csv", "csv"), ("xlsx", "xlsx")] {
        let args = [
            "match",
            "--needs",
            "needs.csv",
            "--offers",
            "offers_2014.csv",
            "--ledger",
            "ledger.csv",
            "--round",
            "2014",
            "--proposed-on",
            "2014-03-01",
            "--out",
            out,
            "--format",
            format,
        ];
        dir.run(&args).assert_success();
    }
    dir.run(&["replay", "xlsx"]).assert_success().assert_stdout_contains("4 files compared");
    assert_eq!(dir.read("xlsx/ledger.csv"), dir.read("csv/ledger.csv"), "the next round's input stays CSV");
    let sheets = ["matches", "needs_status", "offers_status", "summary"];
    assert_workbook_matches(&dir.path().join("xlsx/match.xlsx"), &dir.path().join("csv"), &sheets);
    let header = csv_table(&dir.path().join("csv/matches.csv")).remove(0);
    assert_eq!(header.last().map(String::as_str), Some("origin"), "a round's own column is in the sheet too");
}
