//! `poa-match template` through the real binary (docs/spec.md §8): the three workbooks have the dictionaries'
//! exact headers, a dictionary sheet, a hidden lists sheet and drop-downs that read it; a needs, an offers and a
//! ledger workbook filled only with entries of those lists (plus free text, amounts and dates) validate and
//! match, in English and in Chinese; a label that is not its code's own is refused naming both.
//!
//! The filled workbooks are read as they are; their CSV copies (made here through calamine) let a test edit a
//! cell as text, and show that a workbook and its CSV copy match alike.

mod common;

use std::collections::HashMap;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{NEEDS_HEADER, OFFERS_HEADER, TestDir, csv_rows};

const LEDGER_HEADER: &str = "award_id,round,need_id,offer_id,amount_usd,currency,status,status_date,note";

/// A sheet as rows of text (numbers as they would be typed).
fn sheet_rows(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let range = book.worksheet_range(sheet).unwrap_or_else(|e| panic!("{}!{sheet}: {e}", path.display()));
    let text = |cell: &Data| match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(x) if x.fract() == 0.0 => format!("{x:.0}"),
        other => other.to_string(),
    };
    range.rows().map(|row| row.iter().map(text).collect()).collect()
}

/// The lists sheet of a template: each list's entries by its heading.
fn lists(path: &Path) -> HashMap<String, Vec<String>> {
    let rows = sheet_rows(path, "lists");
    let mut lists = HashMap::new();
    for (col, name) in rows[0].iter().enumerate() {
        let entries = rows[1..].iter().filter_map(|r| r.get(col)).filter(|e| !e.is_empty()).cloned().collect();
        lists.insert(name.clone(), entries);
    }
    lists
}

/// The entry of `list` that starts with `code` (a labelled entry) or is `code` (a spelt value).
fn pick(lists: &HashMap<String, Vec<String>>, list: &str, code: &str) -> String {
    let entries = &lists[list];
    entries
        .iter()
        .find(|e| *e == code || e.starts_with(&format!("{code} — ")))
        .unwrap_or_else(|| panic!("{code} is not in the list {list}: {entries:?}"))
        .clone()
}

/// A filled workbook: the template's header and `rows` (column, value), written with rust_xlsxwriter as a person
/// filling the template in a spreadsheet would leave it.
fn fill(template: &Path, sheet: &str, rows: &[Vec<(&str, String)>], out: &Path) {
    let header = sheet_rows(template, sheet).remove(0);
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).unwrap();
    for (c, name) in header.iter().enumerate() {
        ws.write_string(0, c as u16, name).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (name, value) in row {
            let c = header.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name} is not in the template"));
            // Amounts are typed as numbers, as a spreadsheet stores them.
            match value.parse::<f64>() {
                Ok(x) if name.ends_with("_usd") => ws.write_number(r as u32 + 1, c as u16, x).unwrap(),
                _ => ws.write_string(r as u32 + 1, c as u16, value).unwrap(),
            };
        }
    }
    book.save(out).unwrap();
}

/// The first sheet of a workbook as CSV (what the lead's xlsx reader will make unnecessary).
fn to_csv(workbook: &Path, sheet: &str, csv: &Path) {
    let mut writer = csv::Writer::from_path(csv).unwrap();
    for row in sheet_rows(workbook, sheet) {
        writer.write_record(&row).unwrap();
    }
    writer.flush().unwrap();
}

fn write_templates(dir: &TestDir, out: &str, lang: &str) {
    dir.run(&["template", "--out", out, "--lang", lang])
        .assert_success()
        .assert_stdout_contains("needs.xlsx, offers.xlsx, ledger.xlsx");
}

/// Fills a needs and an offers workbook from the templates in `t` with entries of their lists only, converts
/// them to CSV, and returns the lists used.
fn fill_batch(dir: &TestDir, t: &str) -> HashMap<String, Vec<String>> {
    let needs_template = dir.path().join(t).join("needs.xlsx");
    let offers_template = dir.path().join(t).join("offers.xlsx");
    let need_lists = lists(&needs_template);
    let offer_lists = lists(&offers_template);
    let l = &need_lists;
    let needs = vec![
        vec![
            ("need_id", "KEN-01".to_string()),
            ("requester", pick(l, "countries", "KEN")),
            ("requester_type", pick(l, "requester_types", "state")),
            ("region", pick(l, "m49_areas", "14")),
            ("commitments", pick(l, "need_commitments", "ITI-2a")),
            ("kinds", pick(l, "kinds", "equipment")),
            ("amount_usd", "150000".to_string()),
            ("funding_mode", pick(l, "funding_modes", "all_or_nothing")),
            ("implementer_type", pick(l, "implementer_types", "un_agency")),
            ("start_earliest", "2013-03-01".to_string()),
            ("title", "=Marking machines, 两台".to_string()),
        ],
        vec![
            ("need_id", "ECOWAS-01".to_string()),
            ("requester", "ECOWAS".to_string()),
            ("requester_type", pick(l, "requester_types", "regional_org")),
            ("region", pick(l, "m49_areas", "11")),
            ("commitments", format!("{};{}", pick(l, "need_commitments", "POA-R-3b"), "ITI-2a")),
            ("kinds", "training;equipment".to_string()),
            ("amount_usd", "90000".to_string()),
        ],
    ];
    let l = &offer_lists;
    let offers = vec![vec![
        ("offer_id", "DEU-2013".to_string()),
        ("donor", pick(l, "countries", "DEU")),
        ("donor_type", pick(l, "donor_types", "state")),
        ("envelope_usd", "400000".to_string()),
        ("commitments", pick(l, "offer_commitments", "ITI-2a")),
        ("kinds", pick(l, "kinds", "equipment")),
        ("regions_m49", pick(l, "m49_areas", "2")),
        ("countries_exclude", pick(l, "countries", "SOM")),
        ("allow_cofinance", pick(l, "booleans", "true")),
        ("requires_national_report", pick(l, "booleans", "false")),
        ("themes", pick(l, "themes", "marking")),
    ]];
    fill(&needs_template, "needs", &needs, &dir.path().join("filled_needs.xlsx"));
    fill(&offers_template, "offers", &offers, &dir.path().join("filled_offers.xlsx"));
    to_csv(&dir.path().join("filled_needs.xlsx"), "needs", &dir.path().join("needs.csv"));
    to_csv(&dir.path().join("filled_offers.xlsx"), "offers", &dir.path().join("offers.csv"));
    need_lists
}

#[test]
fn templates_have_the_dictionaries_columns_lists_and_dictionary() {
    let dir = TestDir::new();
    write_templates(&dir, "t", "en");
    // The offers template has every column of the dictionary, currency among them (the shared test header, used to
    // write USD-only files, has none).
    let offers_header = OFFERS_HEADER.replace("floor_per_need_usd,", "floor_per_need_usd,currency,");
    for (name, header) in [("needs", NEEDS_HEADER), ("offers", offers_header.as_str()), ("ledger", LEDGER_HEADER)] {
        let path = dir.path().join(format!("t/{name}.xlsx"));
        let book: Xlsx<_> = open_workbook(&path).unwrap();
        assert_eq!(book.sheet_names(), [name, "dictionary", "lists"]);
        let rows = sheet_rows(&path, name);
        assert_eq!(rows, [header.split(',').map(str::to_string).collect::<Vec<_>>()], "{name}: the header only");
        // The dictionary lists every column, in order, with whether it is required.
        let dictionary = sheet_rows(&path, "dictionary");
        assert_eq!(dictionary[0][..4], ["column", "required", "meaning", "allowed values"]);
        let described: Vec<&str> = dictionary[1..].iter().take(rows[0].len()).map(|r| r[0].as_str()).collect();
        assert_eq!(described, rows[0]);
        assert!(dictionary.iter().any(|r| r[0].contains(" — ")), "{name}: the label form is explained");
        let zip_text = |part: &str| {
            let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
            let mut text = String::new();
            std::io::Read::read_to_string(&mut zip.by_name(part).unwrap(), &mut text).unwrap();
            text
        };
        assert!(zip_text("xl/workbook.xml").contains(r#"<sheet name="lists" sheetId="3" state="hidden""#));
        let sheet = zip_text("xl/worksheets/sheet1.xml");
        assert!(sheet.contains(r#"state="frozen""#), "{name}: header frozen");
        assert!(sheet.contains("<formula1>lists!$"), "{name}: drop-downs read the lists sheet");
        assert!(sheet.contains(&format!("promptTitle=\"{}\"", rows[0][0])), "{name}: input messages");
    }
    let needs = std::fs::read_to_string(dir.path().join("t/needs.xlsx")).is_err();
    assert!(needs, "a workbook is binary");
    let offers = dir.path().join("t/offers.xlsx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&offers).unwrap()).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut sheet).unwrap();
    // `;`-lists may be typed: their validation only informs; a closed value is checked strictly.
    let validation = |column: &str| {
        let at = sheet.find(&format!("promptTitle=\"{column}\"")).unwrap();
        let start = sheet[..at].rfind("<dataValidation ").unwrap();
        sheet[start..at].to_string()
    };
    assert!(validation("countries_include").contains(r#"errorStyle="information""#));
    assert!(validation("kinds").contains(r#"errorStyle="information""#));
    assert!(validation("donor").contains(r#"errorStyle="warning""#));
    assert!(validation("donor_type").contains(r#"type="list""#) && !validation("donor_type").contains("errorStyle"));
}

#[test]
fn templates_are_the_same_bytes_each_time_and_are_not_overwritten() {
    let dir = TestDir::new();
    write_templates(&dir, "a", "zh");
    write_templates(&dir, "b", "zh");
    for name in ["needs.xlsx", "offers.xlsx", "ledger.xlsx"] {
        let a = std::fs::read(dir.path().join("a").join(name)).unwrap();
        assert!(a == std::fs::read(dir.path().join("b").join(name)).unwrap(), "{name} differs");
    }
    let before = std::fs::read(dir.path().join("a/needs.xlsx")).unwrap();
    dir.run(&["template", "--out", "a"]).assert_code(2).assert_stderr_contains("does not overwrite");
    assert_eq!(std::fs::read(dir.path().join("a/needs.xlsx")).unwrap(), before);
}

#[test]
fn a_batch_filled_from_the_lists_validates_and_matches() {
    let dir = TestDir::new();
    write_templates(&dir, "t", "en");
    fill_batch(&dir, "t");
    // The filled workbooks are read as they are, and read as their CSV copies are.
    dir.run(&["validate", "--needs", "filled_needs.xlsx", "--offers", "filled_offers.xlsx"]).assert_success();
    dir.run(&["match", "--needs", "filled_needs.xlsx", "--offers", "filled_offers.xlsx", "--out", "out"])
        .assert_success();
    dir.run(&["match", "--needs", "needs.csv", "--offers", "offers.csv", "--out", "csv"]).assert_success();
    assert_eq!(dir.read("out/matches.csv"), dir.read("csv/matches.csv"));
    let matches = csv_rows(&dir.read("out/matches.csv"));
    let funded: Vec<(&str, &str)> = matches.iter().map(|m| (m["need_id"].as_str(), m["requester"].as_str())).collect();
    assert!(funded.contains(&("KEN-01", "KEN")), "{funded:?}");
    assert!(matches.iter().all(|m| m["donor"] == "DEU"));
}

#[test]
fn a_chinese_template_fills_with_chinese_names() {
    let dir = TestDir::new();
    write_templates(&dir, "t", "zh");
    let lists = fill_batch(&dir, "t");
    assert!(lists["countries"].contains(&"KEN — 肯尼亚".to_string()));
    let dictionary = sheet_rows(&dir.path().join("t/needs.xlsx"), "dictionary");
    assert_eq!(dictionary[0][..2], ["列", "必填"]);
    assert!(dir.read("needs.csv").contains("KEN — 肯尼亚"));
    dir.run(&["validate", "--needs", "filled_needs.xlsx", "--offers", "filled_offers.xlsx"]).assert_success();
}

#[test]
fn a_label_that_is_not_the_codes_own_is_refused_naming_both() {
    let dir = TestDir::new();
    write_templates(&dir, "t", "en");
    fill_batch(&dir, "t");
    let needs = dir.read("needs.csv");
    dir.write("needs.csv", needs.replacen("KEN — Kenya", "KEN — Uganda", 1));
    let run = dir.run(&["validate", "--needs", "needs.csv", "--offers", "offers.csv"]);
    run.assert_code(3)
        .assert_stderr_contains("field 'requester': \"KEN\" is labelled \"Uganda\" but its own label is \"Kenya\"");
    let offers = dir.read("offers.csv");
    let wrong = offers.replacen("ITI-2a — ", "ITI-2b — ", 1);
    assert_ne!(wrong, offers);
    dir.write("offers.csv", wrong);
    dir.write("needs.csv", needs);
    let run = dir.run(&["validate", "--needs", "needs.csv", "--offers", "offers.csv"]);
    run.assert_code(3).assert_stderr_contains("field 'commitments': \"ITI-2b\" is labelled");
}

#[test]
fn a_ledger_filled_from_its_template_validates() {
    let dir = TestDir::new();
    write_templates(&dir, "t", "en");
    let template = dir.path().join("t/ledger.xlsx");
    let lists = lists(&template);
    let rows = vec![vec![
        ("award_id", "2013-0001".to_string()),
        ("round", "2013".to_string()),
        ("need_id", "BFA-02".to_string()),
        ("offer_id", "UNSCAR-2013".to_string()),
        ("amount_usd", "200000".to_string()),
        ("status", pick(&lists, "statuses", "committed")),
        ("status_date", "2013-06-14".to_string()),
    ]];
    fill(&template, "ledger", &rows, &dir.path().join("filled_ledger.xlsx"));
    dir.run(&["validate", "--ledger", "filled_ledger.xlsx"]).assert_success();
}

#[test]
fn every_entry_of_every_list_is_read_back() {
    for lang in ["en", "zh"] {
        let dir = TestDir::new();
        write_templates(&dir, "t", lang);
        let needs_lists = lists(&dir.path().join("t/needs.xlsx"));
        let offers_lists = lists(&dir.path().join("t/offers.xlsx"));
        let countries = &needs_lists["countries"];
        let commitments = &needs_lists["need_commitments"];
        let needs: Vec<Vec<(&str, String)>> = countries
            .iter()
            .enumerate()
            .map(|(i, country)| {
                vec![
                    ("need_id", format!("N{i}")),
                    ("requester", country.clone()),
                    ("commitments", commitments[i % commitments.len()].clone()),
                    ("kinds", needs_lists["kinds"][i % needs_lists["kinds"].len()].clone()),
                    ("amount_usd", "1000".to_string()),
                ]
            })
            .collect();
        let areas = &offers_lists["m49_areas"];
        let offer_commitments = &offers_lists["offer_commitments"];
        let rows = areas.len().max(offer_commitments.len());
        let offers: Vec<Vec<(&str, String)>> = (0..rows)
            .map(|i| {
                vec![
                    ("offer_id", format!("O{i}")),
                    ("donor", offers_lists["countries"][i].clone()),
                    ("envelope_usd", "5000".to_string()),
                    ("commitments", offer_commitments[i % offer_commitments.len()].clone()),
                    ("regions_m49", areas[i % areas.len()].clone()),
                    ("countries_exclude", countries[(i + 1) % countries.len()].clone()),
                ]
            })
            .collect();
        fill(&dir.path().join("t/needs.xlsx"), "needs", &needs, &dir.path().join("n.xlsx"));
        fill(&dir.path().join("t/offers.xlsx"), "offers", &offers, &dir.path().join("o.xlsx"));
        dir.run(&["validate", "--needs", "n.xlsx", "--offers", "o.xlsx"]).assert_success();
    }
}
