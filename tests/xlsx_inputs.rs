//! Workbook inputs (docs/spec.md §11.3): the sample written as .xlsx and .ods matches as the CSV sample does, byte
//! for byte, and every bad cell is named by `FILE:SHEET!CELL` in one line, without a panic.

mod common;

use common::TestDir;
use common::workbook::{fill_sheet, ods, patch_first_sheet, xlsx};
use rust_xlsxwriter::{Formula, Workbook};

fn sample(name: &str) -> String {
    let path = format!("{}/data/sample/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

/// Runs `args` in `dir` and returns the bytes of `OUT/matches.csv`, after checking the run succeeded.
fn matches_of(dir: &TestDir, args: &[&str], out: &str) -> Vec<u8> {
    let mut all = args.to_vec();
    all.extend(["--out", out, "--quiet"]);
    dir.run(&all).assert_success();
    std::fs::read(dir.path().join(out).join("matches.csv")).expect("matches.csv is written")
}

/// The sample's CSV files in `dir`, to run the CSV side of each comparison on.
fn with_csv_sample(dir: &TestDir) {
    for name in ["needs.csv", "offers.csv", "offers_2014.csv", "ledger.csv"] {
        dir.write(name, sample(name));
    }
}

#[test]
fn the_sample_as_xlsx_gives_the_same_matches_byte_for_byte() {
    let dir = TestDir::new();
    with_csv_sample(&dir);
    dir.write("needs.xlsx", xlsx(&[("needs", &sample("needs.csv"))]));
    dir.write("offers.xlsx", xlsx(&[("Sheet1", &sample("offers.csv"))]));
    let from_csv = matches_of(&dir, &["match", "--needs", "needs.csv", "--offers", "offers.csv"], "csv");
    let from_xlsx = matches_of(&dir, &["match", "--needs", "needs.xlsx", "--offers", "offers.xlsx"], "xlsx");
    assert!(from_csv.len() > 100, "the sample makes matches");
    assert_eq!(String::from_utf8_lossy(&from_xlsx), String::from_utf8_lossy(&from_csv));

    // One workbook holding both tables serves as both inputs: each takes the sheet named after it.
    let both = xlsx(&[("Offers", &sample("offers.csv")), ("needs", &sample("needs.csv"))]);
    dir.write("batch.xlsx", both);
    let from_one = matches_of(&dir, &["match", "--needs", "batch.xlsx", "--offers", "batch.xlsx"], "one");
    assert_eq!(from_one, from_csv);

    // The run made from workbooks replays: run.json hashes their bytes.
    dir.run(&["replay", "xlsx", "--quiet"]).assert_success().assert_stdout_contains("all identical");
    let record = dir.read("xlsx/run.json");
    assert!(record.contains("needs.xlsx"), "{record}");
}

#[test]
fn the_sample_as_ods_gives_the_same_matches_byte_for_byte() {
    let dir = TestDir::new();
    with_csv_sample(&dir);
    dir.write("batch.ods", ods(&[("needs", &sample("needs.csv")), ("offers", &sample("offers.csv"))]));
    let from_csv = matches_of(&dir, &["match", "--needs", "needs.csv", "--offers", "offers.csv"], "csv");
    let from_ods = matches_of(&dir, &["match", "--needs", "batch.ods", "--offers", "batch.ods"], "ods");
    assert_eq!(String::from_utf8_lossy(&from_ods), String::from_utf8_lossy(&from_csv));
}

#[test]
fn a_round_on_a_workbook_ledger_gives_the_same_matches_and_ledger() {
    let dir = TestDir::new();
    with_csv_sample(&dir);
    dir.write("ledger.xlsx", xlsx(&[("ledger", &sample("ledger.csv"))]));
    dir.write("offers_2014.xlsx", xlsx(&[("offers", &sample("offers_2014.csv"))]));
    let round = ["match", "--needs", "needs.csv", "--round", "2014", "--proposed-on", "2014-03-20"];
    let csv_args = [&round[..], &["--offers", "offers_2014.csv", "--ledger", "ledger.csv"]].concat();
    let xlsx_args = [&round[..], &["--offers", "offers_2014.xlsx", "--ledger", "ledger.xlsx"]].concat();
    let from_csv = matches_of(&dir, &csv_args, "csv");
    let from_xlsx = matches_of(&dir, &xlsx_args, "xlsx");
    assert_eq!(String::from_utf8_lossy(&from_xlsx), String::from_utf8_lossy(&from_csv));
    // A workbook's bytes cannot head a CSV ledger: its awards are written out as rows, the same rows as the CSV's.
    assert_eq!(dir.read("xlsx/ledger.csv"), dir.read("csv/ledger.csv"));
    dir.run(&["replay", "xlsx", "--quiet"]).assert_success();
}

/// The sample's needs as a workbook with one cell changed by `edit` (0-based row and column of the sheet).
fn needs_with(edit: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("needs").unwrap();
    fill_sheet(sheet, &sample("needs.csv"), (0, 0));
    edit(sheet);
    book.save_to_buffer().unwrap()
}

/// Validates `needs` (as `name`) with the CSV sample's offers; the run must fail with data errors (exit code 3)
/// and no panic. Its standard error.
fn refused(name: &str, needs: Vec<u8>, extra: &[&str]) -> String {
    let dir = TestDir::new();
    with_csv_sample(&dir);
    dir.write(name, needs);
    let mut args = vec!["validate", "--needs", name, "--offers", "offers.csv"];
    args.extend(extra);
    let run = dir.run(&args);
    run.assert_no_panic().assert_code(3);
    run.stderr()
}

/// Column G is amount_usd and K start_earliest in the sample's header; sheet row 3 is its second need.
#[test]
fn bad_cells_are_named_by_sheet_and_cell() {
    let text = refused("needs.xlsx", needs_with(|s| drop(s.write_string(2, 6, "lots"))), &[]);
    assert!(
        text.contains("needs.xlsx:needs!G3: field 'amount_usd': expected whole US dollars (digits only, no separators or decimals), found \"lots\"\n"),
        "{text}"
    );
    let cents = refused("needs.xlsx", needs_with(|s| drop(s.write_number(2, 6, 1234.5))), &[]);
    assert!(cents.contains("needs.xlsx:needs!G3: field 'amount_usd': expected whole US dollars"), "{cents}");
    assert!(cents.contains("found \"1234.5\""), "{cents}");
    let date = refused("needs.xlsx", needs_with(|s| drop(s.write_string(3, 10, "07/03/2013"))), &[]);
    assert!(date.contains("needs.xlsx:needs!K4: field 'start_earliest': "), "{date}");
    assert!(date.contains("\"07/03/2013\""), "{date}");
    let formula = refused("needs.xlsx", needs_with(|s| drop(s.write_formula(1, 6, Formula::new("=1000*185")))), &[]);
    assert!(
        formula.contains("needs.xlsx:needs!G2: field 'amount_usd': holds a formula (=1000*185); inputs must be values (hint: copy the column and paste values)\n"),
        "{formula}"
    );
}

#[test]
fn an_error_value_is_named() {
    let marked = needs_with(|s| drop(s.write_number(4, 6, 987654321.0)));
    let with_error =
        patch_first_sheet(&marked, "<c r=\"G5\"><v>987654321</v></c>", "<c r=\"G5\" t=\"e\"><v>#N/A</v></c>");
    let text = refused("needs.xlsx", with_error, &[]);
    assert!(
        text.contains("needs.xlsx:needs!G5: field 'amount_usd': holds the error value #N/A, not a value"),
        "{text}"
    );
}

/// A cell reference of more digits than any row number made calamine overflow (found by the xlsx_reader fuzz
/// target): the file is refused as damaged, in one line, and nothing panics.
#[test]
fn a_damaged_cell_reference_is_refused_not_a_panic() {
    let marked = needs_with(|s| drop(s.write_number(4, 6, 987654321.0)));
    let damaged = patch_first_sheet(&marked, "<c r=\"G5\">", &format!("<c r=\"G{}\">", "8".repeat(40)));
    let text = refused("needs.xlsx", damaged, &[]);
    assert!(text.contains("needs.xlsx: cannot read the sheet \"needs\": the workbook is damaged"), "{text}");
    assert!(!text.contains("panicked"), "{text}");
}

#[test]
fn a_table_that_starts_inside_the_sheet_reports_real_cells() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("My needs").unwrap();
    // The header at B3: amount_usd, the 7th column, is H; the first need is on row 4.
    fill_sheet(sheet, &sample("needs.csv"), (2, 1));
    sheet.write_string(3, 7, "a lot").unwrap();
    sheet.write_string(40, 0, "a note left of the table").unwrap();
    let text = refused("needs.xlsx", book.save_to_buffer().unwrap(), &[]);
    assert!(text.contains("needs.xlsx:'My needs'!H4: field 'amount_usd': expected whole US dollars"), "{text}");
    assert!(
        text.contains(
            "needs.xlsx:'My needs'!A41: the cell lies outside the table: the header in row 3 names columns B to R"
        ),
        "{text}"
    );
    assert_eq!(text.matches("needs.xlsx:").count(), 2, "{text}");
}

#[test]
fn files_that_are_no_workbook_or_hold_no_table_are_refused_in_one_line() {
    let text = refused("needs.xlsx", b"need_id,requester\n".to_vec(), &[]);
    assert!(text.contains("needs.xlsx: cannot read the file as an Excel workbook (.xlsx) ("), "{text}");
    assert!(text.contains("(hint: the file is text: if it is CSV, name it .csv)\n"), "{text}");
    let truncated = xlsx(&[("needs", &sample("needs.csv"))]);
    let text = refused("needs.xlsx", truncated[..truncated.len() / 2].to_vec(), &[]);
    assert!(text.contains("needs.xlsx: cannot read the file as an Excel workbook (.xlsx) ("), "{text}");
    let text = refused("needs.ods", xlsx(&[("needs", "need_id\n")]), &[]);
    assert!(text.contains("needs.ods: cannot read the file as an OpenDocument spreadsheet (.ods)"), "{text}");

    let empty = Workbook::new().save_to_buffer().unwrap();
    let text = refused("needs.xlsx", empty, &[]);
    assert!(
        text.contains(
            "needs.xlsx:Sheet1!A1: the sheet is empty; expected a header row with the columns need_id, requester,"
        ),
        "{text}"
    );

    // A workbook saved under a CSV name is recognised, not read as garbled text.
    let text = refused("needs.csv", xlsx(&[("needs", &sample("needs.csv"))]), &[]);
    assert!(text.contains("needs.csv:1:1: the file is a workbook, not CSV text"), "{text}");
}

#[test]
fn an_unknown_sheet_is_a_usage_error_listing_the_sheets() {
    let dir = TestDir::new();
    dir.write("batch.xlsx", xlsx(&[("needs", &sample("needs.csv")), ("Offers 2013", &sample("offers.csv"))]));
    let args = ["validate", "--needs", "batch.xlsx", "--offers", "batch.xlsx", "--sheet", "offers"];
    let run = dir.run(&args);
    run.assert_no_panic().assert_code(2);
    run.assert_stderr_contains(
        "--sheet \"offers\": batch.xlsx has no sheet of that name; its sheets are \"needs\", \"Offers 2013\"",
    );
    // Given by name, in any case, the sheet is read for every workbook input.
    let single = xlsx(&[("Sheet1", "x\n"), ("Offers 2013", &sample("offers.csv"))]);
    dir.write("offers.xlsx", single);
    dir.write("needs.xlsx", xlsx(&[("offers 2013", &sample("needs.csv"))]));
    let args = ["validate", "--needs", "needs.xlsx", "--offers", "offers.xlsx", "--sheet", "OFFERS 2013"];
    dir.run(&args).assert_success();
}

#[test]
fn a_scenarios_added_offers_and_a_donor_table_may_be_workbooks() {
    let dir = TestDir::new();
    // A few draws are enough to compare: what is read is the same in each.
    let few_draws = sample("scenarios.toml").replace("\ndraws = 1000\n", "\ndraws = 20\n");
    let scenarios = few_draws.replace("scenario_offers.csv", "scenario_offers.xlsx");
    assert!(few_draws.contains("draws = 20") && scenarios != few_draws, "the sample adds offers from a file");
    dir.write("scenarios.toml", scenarios);
    dir.write("scenario_offers.xlsx", xlsx(&[("offers", &sample("scenario_offers.csv"))]));
    dir.write("csv/scenarios.toml", few_draws);
    dir.write("csv/scenario_offers.csv", sample("scenario_offers.csv"));
    let simulate = |scenarios: &str, out: &str| {
        dir.run(&["simulate", "--scenarios", scenarios, "--out", out]).assert_success();
        dir.read(&format!("{out}/scenarios.csv"))
    };
    let from_xlsx = simulate("scenarios.toml", "sim-xlsx");
    assert_eq!(from_xlsx, simulate("csv/scenarios.toml", "sim-csv"));

    let donors = format!("{}BAD,,名,fund\n", sample("../donors.csv"));
    dir.write("donors.xlsx", xlsx(&[("Sheet1", "x\n"), ("Donors", &donors)]));
    let run = dir.run(&["validate", "--donors-file", "donors.xlsx"]);
    run.assert_no_panic().assert_code(3);
    let rows = sample("../donors.csv").lines().count() + 1;
    run.assert_stderr_contains(&format!("donors.xlsx:Donors!B{rows}: field 'name_en': an English name is required"));
}
