//! `poa-match commitments` against docs/spec.md §2 and data/README.md: the 48 codes, their grammar, the Chinese titles
//! quoted verbatim from the seed, the theme filter and the three output formats.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use common::{Run, TestDir};

/// The rows docs/spec.md §2 asks for, in document order: Declaration 10, 11, 12 bis; Annex II 2(a)–(i), 3(a)–(f),
/// 4(a)–(e), 5(a)–(f); Annex III 2(a)–(f), 3(a), 3(a) bis, 3(b)–(h); Annex IV 4–7.
const EXPECTED_CODES: [&str; 48] = [
    "DECL-10",
    "DECL-11",
    "DECL-12-bis",
    "POA-N-2a",
    "POA-N-2b",
    "POA-N-2c",
    "POA-N-2d",
    "POA-N-2e",
    "POA-N-2f",
    "POA-N-2g",
    "POA-N-2h",
    "POA-N-2i",
    "POA-R-3a",
    "POA-R-3b",
    "POA-R-3c",
    "POA-R-3d",
    "POA-R-3e",
    "POA-R-3f",
    "POA-G-4a",
    "POA-G-4b",
    "POA-G-4c",
    "POA-G-4d",
    "POA-G-4e",
    "POA-C-5a",
    "POA-C-5b",
    "POA-C-5c",
    "POA-C-5d",
    "POA-C-5e",
    "POA-C-5f",
    "ITI-2a",
    "ITI-2b",
    "ITI-2c",
    "ITI-2d",
    "ITI-2e",
    "ITI-2f",
    "ITI-3a",
    "ITI-3a-bis",
    "ITI-3b",
    "ITI-3c",
    "ITI-3d",
    "ITI-3e",
    "ITI-3f",
    "ITI-3g",
    "ITI-3h",
    "MTG-4",
    "MTG-5",
    "MTG-6",
    "MTG-7",
];

/// The theme vocabulary of docs/spec.md §2.
const THEMES: [&str; 14] = [
    "marking",
    "record_keeping",
    "tracing",
    "stockpile_management",
    "destruction_disposal",
    "border_control",
    "legislation_regulation",
    "brokering",
    "national_coordination_nap",
    "ddr_embargoes",
    "gender",
    "international_cooperation",
    "reporting",
    "meeting_participation",
];

/// `^(DECL|POA-[NRGC]|ITI|MTG)-\d+[a-z]?(-bis)?$`, by hand (`\d` read as ASCII digits).
fn code_matches_grammar(code: &str) -> bool {
    let rest = if let Some(r) = code.strip_prefix("DECL-") {
        r
    } else if let Some(r) = code.strip_prefix("ITI-") {
        r
    } else if let Some(r) = code.strip_prefix("MTG-") {
        r
    } else if let Some(r) = code.strip_prefix("POA-") {
        match r.as_bytes() {
            [b'N' | b'R' | b'G' | b'C', b'-', ..] => &r[2..],
            _ => return false,
        }
    } else {
        return false;
    };
    let rest = rest.strip_suffix("-bis").unwrap_or(rest);
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return false;
    }
    match rest.as_bytes()[digits..] {
        [] => true,
        [letter] => letter.is_ascii_lowercase(),
        _ => false,
    }
}

#[test]
fn grammar_checker_itself() {
    for good in ["POA-N-2g", "ITI-3a-bis", "MTG-7", "DECL-12-bis", "DECL-10", "POA-C-5f", "ITI-12z"] {
        assert!(code_matches_grammar(good), "{good} should match");
    }
    for bad in [
        "",
        "POA-2g",
        "POA-X-2g",
        "POA-N2g",
        "POA-N-g",
        "POA-N-2G",
        "POA-N-2gg",
        "ITI-3a-bis-bis",
        "ITI-3abis",
        "ITI-3a-",
        "MTG-",
        "MTG-7 ",
        " MTG-7",
        "mtg-7",
        "DECL-١٢",
        "ITI--3a",
        "DECL-12-BIS",
    ] {
        assert!(!code_matches_grammar(bad), "{bad:?} should not match");
    }
}

/// Runs `poa-match commitments` with `args` and checks it succeeded quietly.
fn commitments(args: &[&str]) -> Run {
    let dir = TestDir::new();
    let mut all = vec!["commitments"];
    all.extend_from_slice(args);
    let run = dir.run(&all);
    run.assert_success().assert_no_panic();
    run
}

/// The CSV output as one map per row, keyed by column name.
fn csv_rows(run: &Run) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(run.output.stdout.as_slice());
    let headers = reader.headers().unwrap_or_else(|e| panic!("CSV header: {e}\n{}", run.report())).clone();
    for column in ["code", "match_role", "themes", "title"] {
        run.check(headers.iter().any(|h| h == column), &format!("the CSV has no column {column:?}"));
    }
    reader
        .records()
        .map(|r| {
            let r = r.unwrap_or_else(|e| panic!("CSV record: {e}\n{}", run.report()));
            headers.iter().zip(r.iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect()
        })
        .collect()
}

/// Removes every whitespace character (Unicode White_Space, which includes U+3000).
fn strip_whitespace(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}').collect()
}

/// The seed, which lives next to the project (`../shared/seeds/...` from the crate root). Its absence is a test
/// failure, not a skip: CI has it at the same relative path.
fn seed() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds/000_0ea6c02fcf21948f.txt");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the seed document {} cannot be read ({e}); the catalogue test needs it at \
             ../shared/seeds/000_0ea6c02fcf21948f.txt relative to the crate root (CARGO_MANIFEST_DIR)",
            path.display()
        )
    })
}

#[test]
fn zh_csv_codes_follow_the_grammar_and_titles_are_verbatim_from_the_seed() {
    let seed = strip_whitespace(&seed());
    assert!(
        seed.chars().count() > 1000,
        "the seed looks truncated ({} characters without whitespace)",
        seed.chars().count()
    );
    let run = commitments(&["--lang", "zh", "--format", "csv"]);
    let rows = csv_rows(&run);
    run.check(!rows.is_empty(), "the catalogue is empty");
    let mut problems = Vec::new();
    for row in &rows {
        let code = &row["code"];
        let title = &row["title"];
        if !code_matches_grammar(code) {
            problems.push(format!("code {code:?} does not match the grammar"));
        }
        let chars = title.chars().count();
        if !(10..=60).contains(&chars) {
            problems.push(format!("{code}: title_zh has {chars} characters, expected 10–60: {title:?}"));
        }
        if !title.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
            problems.push(format!("{code}: title {title:?} is not Chinese"));
        }
        let stripped = strip_whitespace(title);
        if stripped.is_empty() || !seed.contains(&stripped) {
            problems.push(format!("{code}: title {title:?} does not occur verbatim in the seed"));
        }
    }
    run.check(problems.is_empty(), &format!("catalogue problems:\n{}", problems.join("\n")));
}

#[test]
fn catalogue_has_exactly_the_paragraphs_of_spec_section_2_in_document_order() {
    let run = commitments(&["--format", "csv"]);
    let codes: Vec<String> = csv_rows(&run).into_iter().map(|r| r["code"].clone()).collect();
    let got: BTreeSet<&str> = codes.iter().map(String::as_str).collect();
    let want: BTreeSet<&str> = EXPECTED_CODES.iter().copied().collect();
    assert_eq!(want.len(), 48);
    let missing: Vec<&&str> = want.difference(&got).collect();
    let extra: Vec<&&str> = got.difference(&want).collect();
    run.check(
        missing.is_empty() && extra.is_empty() && codes.len() == 48,
        &format!("missing {missing:?}, unexpected {extra:?}, {} rows (duplicates?)", codes.len()),
    );
    run.check(codes == EXPECTED_CODES, &format!("rows are not in document order: {codes:?}"));
}

#[test]
fn roles_and_themes_follow_the_dictionary() {
    let run = commitments(&["--format", "csv"]);
    let rows = csv_rows(&run);
    let role = |code: &str| -> String {
        rows.iter()
            .find(|r| r["code"] == code)
            .map(|r| r["match_role"].clone())
            .unwrap_or_else(|| panic!("no row {code}"))
    };
    // data/README.md, "Roles in brief".
    for (want, codes) in [
        ("provider", &["POA-C-5a", "POA-C-5d", "POA-C-5e", "POA-C-5f", "ITI-3b", "MTG-4"][..]),
        ("channel", &["POA-C-5c", "ITI-3g", "ITI-3h", "MTG-6"][..]),
        ("process", &["DECL-11", "DECL-12-bis", "ITI-3f", "MTG-5"][..]),
        ("target", &["DECL-10", "MTG-7", "POA-N-2g", "ITI-2a"][..]),
    ] {
        for code in codes {
            assert_eq!(role(code), want, "match_role of {code}");
        }
    }
    let non_target = rows.iter().filter(|r| r["match_role"] != "target").count();
    assert_eq!(non_target, 14, "6 provider + 4 channel + 4 process rows");
    for r in &rows {
        let themes: Vec<&str> = r["themes"].split(';').collect();
        assert!(
            (1..=3).contains(&themes.len()) && themes.iter().all(|t| THEMES.contains(t)),
            "{}: themes {:?} are not 1–3 values of the vocabulary",
            r["code"],
            r["themes"]
        );
    }
}

#[test]
fn theme_filter_keeps_exactly_the_rows_with_that_theme() {
    let all = csv_rows(&commitments(&["--format", "csv"]));
    let want: Vec<String> =
        all.iter().filter(|r| r["themes"].split(';').any(|t| t == "marking")).map(|r| r["code"].clone()).collect();
    assert!(
        want.len() >= 3 && want.iter().any(|c| c == "ITI-2a"),
        "too few marking rows in the full catalogue: {want:?}"
    );
    let run = commitments(&["--theme", "marking", "--format", "csv"]);
    let got: Vec<String> = csv_rows(&run).into_iter().map(|r| r["code"].clone()).collect();
    run.check(got == want, &format!("expected {want:?}"));

    // The default table output filters the same way.
    let table = commitments(&["--theme", "marking"]);
    let codes: Vec<String> = table
        .stdout()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    table.check(codes == want, &format!("table codes differ from {want:?}"));

    // An unknown theme is a usage error.
    let dir = TestDir::new();
    dir.run(&["commitments", "--theme", "colour"])
        .assert_code(2)
        .assert_no_panic()
        .assert_stdout_empty()
        .assert_stderr_contains("colour");
}

#[test]
fn json_output_parses_and_agrees_with_csv() {
    let run = commitments(&["--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&run.output.stdout)
        .unwrap_or_else(|e| panic!("JSON does not parse: {e}\n{}", run.report()));
    let list = value.as_array().unwrap_or_else(|| panic!("not a JSON array\n{}", run.report()));
    let zh = csv_rows(&commitments(&["--lang", "zh", "--format", "csv"]));
    let en = csv_rows(&commitments(&["--lang", "en", "--format", "csv"]));
    assert_eq!(list.len(), 48);
    for ((item, zh), en) in list.iter().zip(&zh).zip(&en) {
        let text =
            |key: &str| item[key].as_str().unwrap_or_else(|| panic!("{key} is not a string in {item}")).to_string();
        assert_eq!(text("code"), zh["code"]);
        assert_eq!(text("title_zh"), zh["title"], "title_zh of {}", zh["code"]);
        assert_eq!(text("title_en"), en["title"], "title_en of {}", en["code"]);
        assert_eq!(text("match_role"), zh["match_role"]);
        let themes: Vec<&str> = item["themes"]
            .as_array()
            .unwrap_or_else(|| panic!("themes is not an array in {item}"))
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert_eq!(themes.join(";"), zh["themes"]);
        assert!(item["related_codes"].is_array(), "related_codes in {item}");
    }
}

#[test]
fn table_is_the_default_format() {
    let default = commitments(&[]);
    let table = commitments(&["--format", "table"]);
    default.check(default.output.stdout == table.output.stdout, "output without --format differs from --format table");
    let stdout = default.stdout();
    let lines: Vec<&str> = stdout.lines().filter(|l| !l.trim().is_empty()).collect();
    default.check(
        !stdout.starts_with("code,") && !stdout.trim_start().starts_with('['),
        "the default output looks like CSV or JSON",
    );
    default.check(lines.len() == 48, "expected one line per commitment");
    for (line, code) in lines.iter().zip(EXPECTED_CODES) {
        default.check(line.split_whitespace().next() == Some(code), &format!("line {line:?} should start with {code}"));
    }
}

#[test]
fn english_titles_are_short_plain_english() {
    let run = commitments(&["--lang", "en", "--format", "csv"]);
    let zh = csv_rows(&commitments(&["--lang", "zh", "--format", "csv"]));
    for (row, zh) in csv_rows(&run).iter().zip(&zh) {
        let (code, title) = (&row["code"], &row["title"]);
        let cjk = |c: char| {
            ('\u{2e80}'..='\u{9fff}').contains(&c)
                || ('\u{3000}'..='\u{303f}').contains(&c)
                || ('\u{ff00}'..='\u{ffef}').contains(&c)
        };
        let non_ascii = title.chars().filter(|c| !c.is_ascii()).count();
        let words = title.split_whitespace().filter(|w| w.chars().any(|c| c.is_ascii_alphabetic())).count();
        assert!(
            !title.chars().any(cjk)
                && non_ascii <= 2
                && words >= 2
                && title.chars().count() <= 90
                && title.starts_with(|c: char| c.is_ascii_uppercase()),
            "{code}: {title:?} is not a short English title"
        );
        assert_ne!(title, &zh["title"], "{code}: en and zh titles are the same");
    }
}
