//! Hostile inputs against the real binary (issue #7, docs/spec.md §3, §6, §8): cells of 10 MB, 1 000 columns, NUL
//! bytes, invalid UTF-8 in every column, mixed line ends, an unterminated quote, amounts at `i64::MAX` and beyond,
//! 100 000 duplicate ids, input paths that are directories or missing, and output folders that cannot be written.
//!
//! Each case checks the whole contract: the exit code docs/spec.md §8 gives (3 for bad data, 1 for I/O failures), a
//! data error located as `PATH:LINE:COLUMN: field 'NAME': ...`, a bounded error report, no panic, and, for `match`, a
//! working directory left exactly as it was: no output folder, no output file, no temporary file. Where the input
//! is odd but valid, the run must succeed with the right result.
//!
//! The big cases stay fast because the reader is linear: each is one pass over a few megabytes.

mod common;

use common::{
    NEEDS_HEADER, OFFERS_HEADER, Run, TestDir, good_needs, good_offers, need_record as need, offer_record as offer,
    snapshot, write_good_pair,
};

const NEEDS: &str = "data/needs.csv";
const OFFERS: &str = "data/offers.csv";

/// An error report stays small whatever the size of the cells: at most 100 errors (the default limit) of a few
/// hundred bytes each.
const SMALL_STDERR: usize = 64 * 1024;

/// The good file with `row` appended as bytes (it starts on line 5).
fn plus(good: String, row: &[u8]) -> Vec<u8> {
    let mut bytes = good.into_bytes();
    bytes.extend_from_slice(row);
    bytes.push(b'\n');
    bytes
}

/// 1-based header position of a needs column.
fn ncol(name: &str) -> usize {
    NEEDS_HEADER.split(',').position(|c| c == name).unwrap() + 1
}

/// 1-based header position of an offers column.
fn ocol(name: &str) -> usize {
    OFFERS_HEADER.split(',').position(|c| c == name).unwrap() + 1
}

/// Runs `match` on the pair in `data/` with `--out out` and checks that it failed with `code` and left the
/// directory exactly as it was.
#[track_caller]
fn match_fails(dir: &TestDir, code: i32, extra: &[&str]) -> Run {
    let before = snapshot(dir.path());
    let mut args = vec!["match", "--needs", NEEDS, "--offers", OFFERS, "--out", "out"];
    args.extend_from_slice(extra);
    let run = dir.run(&args);
    run.assert_code(code).assert_no_panic().assert_stdout_empty();
    run.check(!dir.path().join("out").exists(), "the failed run created the output folder");
    let after = snapshot(dir.path());
    let changed: Vec<String> = after
        .iter()
        .filter(|f| !before.contains(f))
        .map(|(p, _)| p.display().to_string())
        .chain(before.iter().filter(|f| !after.contains(f)).map(|(p, _)| format!("(removed) {}", p.display())))
        .collect();
    run.check(changed.is_empty(), &format!("the failed run changed the directory: {changed:?}"));
    run
}

/// Writes the pair (the other file good) and runs [`match_fails`] expecting bad data (exit 3).
#[track_caller]
fn data_error(needs: Option<Vec<u8>>, offers: Option<Vec<u8>>, extra: &[&str]) -> (TestDir, Run) {
    let dir = TestDir::new();
    write_good_pair(&dir);
    if let Some(n) = needs {
        dir.write(NEEDS, n);
    }
    if let Some(o) = offers {
        dir.write(OFFERS, o);
    }
    let run = match_fails(&dir, 3, extra);
    run.check(run.stderr().starts_with("error: invalid input data ("), "stderr does not start with the summary");
    (dir, run)
}

/// Asserts a stderr line that starts with `PATH:LINE:COLUMN: field 'FIELD': ` and holds every fragment.
#[track_caller]
fn assert_at(run: &Run, path: &str, (line, column): (u64, usize), field: Option<&str>, fragments: &[&str]) {
    let prefix = match field {
        Some(f) => format!("{path}:{line}:{column}: field '{f}': "),
        None => format!("{path}:{line}:{column}: "),
    };
    let stderr = run.stderr();
    let ok = stderr.lines().any(|l| l.starts_with(&prefix) && fragments.iter().all(|f| l.contains(f)));
    run.check(ok, &format!("no stderr line starts with {prefix:?} and contains all of {fragments:?}"));
}

#[track_caller]
fn assert_small_stderr(run: &Run) {
    let n = run.output.stderr.len();
    if n > SMALL_STDERR {
        panic!("stderr has {n} bytes; the start:\n{}", String::from_utf8_lossy(&run.output.stderr[..2000]));
    }
}

/// Runs `match` on the pair in `data/` into `out` and expects success.
#[track_caller]
fn match_ok(dir: &TestDir, extra: &[&str]) -> Run {
    let mut args = vec!["match", "--needs", NEEDS, "--offers", OFFERS, "--out", "out"];
    args.extend_from_slice(extra);
    let run = dir.run(&args);
    run.assert_success();
    run
}

const TEN_MB: usize = 10 << 20;

// ---------------------------------------------------------------------------------------------------------------
// Huge fields.
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn ten_megabyte_cell_of_digits_is_one_short_error() {
    let digits = "9".repeat(TEN_MB);
    let (_, run) = data_error(Some(plus(good_needs(), need(&[("amount_usd", &digits)]).as_bytes())), None, &[]);
    assert_at(&run, NEEDS, (5, ncol("amount_usd")), Some("amount_usd"), &["largest supported amount", "bytes in all"]);
    assert_small_stderr(&run);
}

#[test]
fn ten_megabyte_cells_in_many_rows_keep_the_report_small() {
    // Three rows, each with a 10 MB bad cell in a different column (a quoted one spanning lines among them).
    let big = "x".repeat(TEN_MB);
    let multiline = format!("{}\n{}", &big[..TEN_MB / 2], &big[TEN_MB / 2..]);
    let rows = [
        need(&[("need_id", "X-01"), ("priority", &big)]),
        need(&[("need_id", "X-02"), ("kinds", &multiline)]),
        need(&[("need_id", &big)]),
    ];
    let mut text = good_needs();
    for r in &rows {
        text.push_str(r);
        text.push('\n');
    }
    let (_, run) = data_error(Some(text.into_bytes()), None, &[]);
    assert_at(&run, NEEDS, (5, ncol("priority")), Some("priority"), &["whole number from 1 to 3", "bytes in all"]);
    assert_at(&run, NEEDS, (6, ncol("kinds")), Some("kinds"), &["expected one of", "bytes in all"]);
    // The multi-line cell moves the third record one physical line down.
    assert_at(&run, NEEDS, (8, ncol("need_id")), Some("need_id"), &["at most 100 characters"]);
    assert_small_stderr(&run);
}

#[test]
fn ten_megabyte_column_name_is_one_short_error() {
    let name = "n".repeat(TEN_MB);
    let text = format!("need_id,requester,commitments,kinds,amount_usd,{name}\nX-01,BFA,ITI-2a,equipment,100,5\n");
    let (_, run) = data_error(Some(text.into_bytes()), None, &[]);
    let short = "n".repeat(60);
    assert_at(&run, NEEDS, (1, 6), Some(&format!("{short}...")), &["unknown column"]);
    assert_small_stderr(&run);
}

#[test]
fn ten_megabyte_free_text_is_valid_and_matched() {
    let dir = TestDir::new();
    write_good_pair(&dir);
    let title = "t".repeat(TEN_MB);
    let notes = "n\"ote,\n".repeat(TEN_MB / 8);
    dir.write(
        NEEDS,
        plus(good_needs(), need(&[("need_id", "BIG-01"), ("title", &title), ("notes", &notes)]).as_bytes()),
    );
    dir.run(&["validate", "--needs", NEEDS, "--offers", OFFERS]).assert_success().assert_stdout_contains("4 needs");
    match_ok(&dir, &[]);
    let status = dir.read("out/needs_status.csv");
    assert!(status.lines().any(|l| l.starts_with("BIG-01,100000,")), "{status}");
}

/// Regression test: the reader zeroed its whole output buffer before each record, so after one 10 MB cell every
/// later record cost 10 MB of writes (20 000 short rows after it took 24 s in a release build; 2 million would
/// have taken most of an hour). The same held for the field-end buffer after one very wide row.
#[test]
fn rows_after_a_huge_cell_or_a_wide_row_are_read_at_full_speed() {
    let dir = TestDir::new();
    write_good_pair(&dir);
    let rows = 50_000;
    let mut text = String::with_capacity(TEN_MB + rows * 40);
    text.push_str("need_id,requester,commitments,kinds,amount_usd,title\n");
    text.push_str(&format!("BIG,BFA,ITI-2a,equipment,100,{}\n", "t".repeat(TEN_MB)));
    // One row of 200 000 fields (a ragged-row error), then the short rows. The row holds one value: a row of
    // nothing but empty cells is skipped like a blank line.
    text.push('x');
    text.push_str(&",".repeat(200_000));
    text.push('\n');
    for i in 0..rows {
        text.push_str(&format!("N{i},BFA,ITI-2a,equipment,100,x\n"));
    }
    dir.write(NEEDS, text);
    let started = std::time::Instant::now();
    let run = dir.run(&["validate", "--needs", NEEDS, "--offers", OFFERS]);
    let took = started.elapsed();
    run.assert_code(3).assert_no_panic();
    assert_at(&run, NEEDS, (3, 7), None, &["the row has 200001 fields but the header has only 6"]);
    run.assert_stderr_contains("invalid input data (1 error)");
    // Linear work takes a few seconds even unoptimised; the old behaviour took many minutes here.
    assert!(took.as_secs() < 60, "took {took:?}");
}

// ---------------------------------------------------------------------------------------------------------------
// 1 000 columns.
// ---------------------------------------------------------------------------------------------------------------

/// The good needs file widened to 1 000 columns: the 17 of the dictionary, then `x18` .. `x1000`.
fn thousand_columns() -> String {
    let mut out = String::new();
    for (i, line) in good_needs().lines().enumerate() {
        out.push_str(line);
        for c in 18..=1000 {
            if i == 0 {
                out.push_str(&format!(",x{c}"));
            } else {
                out.push_str(&format!(",{c}"));
            }
        }
        out.push('\n');
    }
    out
}

#[test]
fn thousand_columns_are_each_an_unknown_column() {
    let (_, run) = data_error(Some(thousand_columns().into_bytes()), None, &[]);
    assert_at(&run, NEEDS, (1, 18), Some("x18"), &["unknown column", "--allow-extra-columns"]);
    run.assert_stderr_contains("error: invalid input data (983 errors):").assert_stderr_contains("... and 883 more");
    assert_small_stderr(&run);
}

#[test]
fn thousand_columns_with_allow_extra_columns_match_like_the_plain_file() {
    let dir = TestDir::new();
    write_good_pair(&dir);
    dir.run(&["match", "--needs", NEEDS, "--offers", OFFERS, "--out", "plain"]).assert_success();
    dir.write(NEEDS, thousand_columns());
    match_ok(&dir, &["--allow-extra-columns"]);
    for table in ["matches.csv", "needs_status.csv", "offers_status.csv", "summary.csv"] {
        assert_eq!(dir.read(&format!("out/{table}")), dir.read(&format!("plain/{table}")), "{table}");
    }
}

#[test]
fn a_thousand_fields_under_a_short_header_is_a_ragged_row() {
    let row = format!("{},{}", need(&[]), vec!["1"; 1000 - 17].join(","));
    let (_, run) = data_error(Some(plus(good_needs(), row.as_bytes())), None, &[]);
    assert_at(&run, NEEDS, (5, 18), None, &["the row has 1000 fields but the header has only 17"]);
}

// ---------------------------------------------------------------------------------------------------------------
// NUL bytes.
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn nul_bytes_in_checked_cells_are_data_errors() {
    let rows = [
        need(&[("need_id", "X\0-01")]),
        need(&[("need_id", "X-02"), ("amount_usd", "100\u{0}000")]),
        need(&[("need_id", "X-03"), ("requester", "B\0FA")]),
        need(&[("need_id", "X-04"), ("kinds", "equipment;\0")]),
        need(&[("need_id", "X-05"), ("start_earliest", "2013-01-0\0")]),
    ];
    let mut text = good_needs();
    for r in &rows {
        text.push_str(r);
        text.push('\n');
    }
    let (_, run) = data_error(Some(text.into_bytes()), None, &[]);
    assert_at(&run, NEEDS, (5, 1), Some("need_id"), &["control characters", r#""X\0-01""#]);
    assert_at(&run, NEEDS, (6, ncol("amount_usd")), Some("amount_usd"), &["whole US dollars", r#""100\0000""#]);
    assert_at(&run, NEEDS, (7, ncol("requester")), Some("requester"), &["unknown country code", r#""B\0FA""#]);
    assert_at(&run, NEEDS, (8, ncol("kinds")), Some("kinds"), &["expected one of", r#""\0""#]);
    assert_at(&run, NEEDS, (9, ncol("start_earliest")), Some("start_earliest"), &["YYYY-MM-DD"]);
    // The terminal never receives a raw NUL.
    run.check(!run.output.stderr.contains(&0), "stderr holds a NUL byte");
}

#[test]
fn nul_bytes_in_free_text_are_kept_out_of_the_report() {
    let dir = TestDir::new();
    write_good_pair(&dir);
    dir.write(NEEDS, plus(good_needs(), need(&[("need_id", "NUL-01"), ("title", "a\0b"), ("notes", "\0")]).as_bytes()));
    match_ok(&dir, &[]);
    let page = std::fs::read(dir.path().join("out/report.html")).unwrap();
    assert!(!page.contains(&0), "report.html holds a NUL byte");
    assert!(dir.read("out/report.html").contains("a\u{FFFD}b"), "the NUL is shown as U+FFFD");
}

#[test]
fn nul_bytes_in_the_header_and_a_file_of_nul_bytes_are_data_errors() {
    let (_, run) = data_error(Some(b"need_id,requester,commitments,kinds,amount_usd,ti\0tle\n".to_vec()), None, &[]);
    assert_at(&run, NEEDS, (1, 6), Some("ti\\0tle"), &["unknown column"]);

    let (_, run) = data_error(Some(vec![0; 1 << 20]), None, &[]);
    assert_at(&run, NEEDS, (1, 1), Some("need_id"), &["required column is missing"]);
    assert_small_stderr(&run);
    run.check(!run.output.stderr.contains(&0), "stderr holds a NUL byte");
}

// ---------------------------------------------------------------------------------------------------------------
// Invalid UTF-8 in every column.
// ---------------------------------------------------------------------------------------------------------------

/// A record of `width` fields, each holding an invalid UTF-8 sequence at its third byte.
fn invalid_utf8_row(width: usize) -> Vec<u8> {
    let mut row = Vec::new();
    for i in 0..width {
        if i > 0 {
            row.push(b',');
        }
        row.extend_from_slice(b"ab\xff\xfe");
    }
    row
}

#[test]
fn invalid_utf8_in_every_needs_column_is_reported_per_column() {
    let width = NEEDS_HEADER.split(',').count();
    let (_, run) = data_error(Some(plus(good_needs(), &invalid_utf8_row(width))), None, &[]);
    for (i, name) in NEEDS_HEADER.split(',').enumerate() {
        assert_at(&run, NEEDS, (5, i + 1), Some(name), &["invalid UTF-8 at byte 3 of the field"]);
    }
    run.assert_stderr_contains(&format!("invalid input data ({width} errors)"));
}

#[test]
fn invalid_utf8_in_every_offers_column_is_reported_per_column() {
    let width = OFFERS_HEADER.split(',').count();
    let (_, run) = data_error(None, Some(plus(good_offers(), &invalid_utf8_row(width))), &[]);
    for (i, name) in OFFERS_HEADER.split(',').enumerate() {
        assert_at(&run, OFFERS, (5, i + 1), Some(name), &["invalid UTF-8 at byte 3 of the field"]);
    }
    run.assert_stderr_contains(&format!("invalid input data ({width} errors)"));
}

// ---------------------------------------------------------------------------------------------------------------
// Mixed line ends.
// ---------------------------------------------------------------------------------------------------------------

/// The good needs file with its four line ends replaced by CR LF, LF, a lone CR and LF CR LF (a blank line).
fn mixed_line_ends() -> String {
    let good = good_needs();
    let rows: Vec<&str> = good.lines().collect();
    assert_eq!(rows.len(), 4);
    format!("{}\r\n{}\n{}\r{}\n\r\n", rows[0], rows[1], rows[2], rows[3])
}

#[test]
fn mixed_line_ends_are_read_as_line_ends() {
    let dir = TestDir::new();
    write_good_pair(&dir);
    dir.write(NEEDS, mixed_line_ends());
    dir.run(&["validate", "--needs", NEEDS, "--offers", OFFERS])
        .assert_success()
        .assert_stdout_contains("data/needs.csv: 3 needs");
}

/// Regression test: a lone CR ends a record for the CSV parser, but the reader counted only line feeds, so every
/// error after a lone CR was reported one line too high.
#[test]
fn errors_after_mixed_line_ends_name_the_physical_line() {
    // Line 1 the header (ends CR LF), 2 (LF), 3 (CR), 4 (LF), 5 blank (CR LF), then the bad record on line 6.
    let text = format!("{}{}\r", mixed_line_ends(), need(&[("need_id", "X-09"), ("amount_usd", "0")]));
    let (_, run) = data_error(Some(text.into_bytes()), None, &[]);
    assert_at(&run, NEEDS, (6, ncol("amount_usd")), Some("amount_usd"), &["greater than zero"]);

    // A lone CR inside a quoted field is a line break of the file too.
    let text = format!(
        "{NEEDS_HEADER}\r{}\r{}\n",
        need(&[("need_id", "X-01"), ("title", "one\rtwo\r\nthree")]),
        need(&[("need_id", "X-02"), ("amount_usd", "0")])
    );
    let (_, run) = data_error(Some(text.into_bytes()), None, &[]);
    assert_at(&run, NEEDS, (5, ncol("amount_usd")), Some("amount_usd"), &["greater than zero"]);
}

// ---------------------------------------------------------------------------------------------------------------
// Unterminated quote.
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn unterminated_quote_fails_without_output() {
    // The quote opens in the title of line 5 and swallows the rest of the file.
    let text = format!("{}X-09,BFA,,,ITI-2a,equipment,100,,,,,,,,,\"never closed,\nX-10,BFA\n", good_needs());
    let (_, run) = data_error(Some(text.into_bytes()), None, &[]);
    assert_at(&run, NEEDS, (5, ncol("title")), Some("title"), &["never closed"]);

    // A quote as the very last byte of the file.
    let text = format!("{}X-09,BFA,,,ITI-2a,equipment,100,,,,,,,,,,\"", good_needs());
    let (_, run) = data_error(Some(text.into_bytes()), None, &[]);
    assert_at(&run, NEEDS, (5, ncol("notes")), Some("notes"), &["never closed"]);
}

// ---------------------------------------------------------------------------------------------------------------
// Amounts at i64::MAX and beyond.
// ---------------------------------------------------------------------------------------------------------------

const HUGE_AMOUNTS: &[&str] = &[
    "1000000000001",                                 // MAX_AMOUNT_USD + 1
    "9223372036854775807",                           // i64::MAX
    "9223372036854775808",                           // i64::MAX + 1
    "18446744073709551615",                          // u64::MAX
    "18446744073709551616",                          // u64::MAX + 1
    "0000000000000000000000009223372036854775807",   // leading zeros
    "340282366920938463463374607431768211456000000", // beyond u128
];

#[test]
fn amounts_at_i64_max_and_beyond_are_data_errors_in_every_money_column() {
    for &amount in HUGE_AMOUNTS {
        let (_, run) = data_error(
            Some(plus(
                good_needs(),
                format!(
                    "{}\n{}",
                    need(&[("need_id", "X-01"), ("amount_usd", amount)]),
                    need(&[("need_id", "X-02"), ("min_award_usd", amount)])
                )
                .as_bytes(),
            )),
            Some(plus(
                good_offers(),
                format!(
                    "{}\n{}\n{}",
                    offer(&[("offer_id", "X-01"), ("envelope_usd", amount)]),
                    offer(&[("offer_id", "X-02"), ("cap_per_need_usd", amount)]),
                    offer(&[("offer_id", "X-03"), ("floor_per_need_usd", amount)])
                )
                .as_bytes(),
            )),
            &[],
        );
        let msg = ["exceeds the largest supported amount, 1000000000000", amount];
        assert_at(&run, NEEDS, (5, ncol("amount_usd")), Some("amount_usd"), &msg);
        assert_at(&run, NEEDS, (6, ncol("min_award_usd")), Some("min_award_usd"), &msg);
        assert_at(&run, OFFERS, (5, ocol("envelope_usd")), Some("envelope_usd"), &msg);
        assert_at(&run, OFFERS, (6, ocol("cap_per_need_usd")), Some("cap_per_need_usd"), &msg);
        assert_at(&run, OFFERS, (7, ocol("floor_per_need_usd")), Some("floor_per_need_usd"), &msg);
    }
    // Negative and signed extremes are refused too.
    let (_, run) =
        data_error(Some(plus(good_needs(), need(&[("amount_usd", "-9223372036854775808")]).as_bytes())), None, &[]);
    assert_at(&run, NEEDS, (5, ncol("amount_usd")), Some("amount_usd"), &["greater than zero"]);
}

#[test]
fn the_largest_amounts_give_an_exact_result() {
    let dir = TestDir::new();
    let max = "1000000000000";
    dir.write(NEEDS, format!("{NEEDS_HEADER}\n{}\n", need(&[("amount_usd", max), ("priority", "1")])));
    dir.write(OFFERS, format!("{OFFERS_HEADER}\n{}\n", offer(&[("envelope_usd", max), ("cap_per_need_usd", max)])));
    match_ok(&dir, &[]);
    let matches = dir.read("out/matches.csv");
    assert!(matches.lines().nth(1).is_some_and(|l| l.contains(",1000000000000,")), "{matches}");
    let run: serde_json::Value = serde_json::from_str(&dir.read("out/run.json")).unwrap();
    assert_eq!(run["allocated_usd"].as_i64(), Some(1_000_000_000_000));
    assert_eq!(run["requested_usd"].as_i64(), Some(1_000_000_000_000));
}

/// Column sums that the engine cannot total exactly are refused, at the column of the file's last row (this
/// location used to say column 1).
#[test]
fn a_column_total_beyond_what_the_engine_can_sum_is_a_data_error() {
    // i64::MAX / 64 is about 1.44e17: 144 200 needs of 1e12 go beyond it.
    let rows = 144_200;
    let mut text = String::with_capacity(rows * 40);
    text.push_str("need_id,requester,commitments,kinds,amount_usd\n");
    for i in 0..rows {
        text.push_str(&format!("N{i},BFA,ITI-2a,equipment,1000000000000\n"));
    }
    let (_, run) = data_error(Some(text.into_bytes()), None, &[]);
    assert_at(&run, NEEDS, (rows as u64 + 1, 5), Some("amount_usd"), &["adds up to 144200000000000000"]);
}

// ---------------------------------------------------------------------------------------------------------------
// 100 000 duplicate ids.
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn hundred_thousand_duplicate_ids_are_counted_and_the_first_hundred_listed() {
    let rows = 100_001;
    let mut text = String::with_capacity(rows * 40);
    text.push_str("need_id,requester,commitments,kinds,amount_usd\n");
    for _ in 0..rows {
        text.push_str("DUP,BFA,ITI-2a,equipment,1000\n");
    }
    let started = std::time::Instant::now();
    let (_, run) = data_error(Some(text.into_bytes()), None, &[]);
    let took = started.elapsed();
    assert_at(&run, NEEDS, (3, 1), Some("need_id"), &[r#"duplicate need_id "DUP" (first on line 2)"#]);
    assert_at(&run, NEEDS, (102, 1), Some("need_id"), &["duplicate need_id"]);
    run.assert_stderr_contains("invalid input data (100000 errors):").assert_stderr_contains("... and 99900 more");
    assert_small_stderr(&run);
    // Linear work: even an unoptimised build reads this in well under a minute.
    assert!(took.as_secs() < 60, "took {took:?}");
}

#[test]
fn hundred_thousand_duplicate_offer_ids_too() {
    let rows = 100_001;
    let mut text = String::with_capacity(rows * 20);
    text.push_str("offer_id,donor,envelope_usd\n");
    for _ in 0..rows {
        text.push_str("DUP,NLD,1000\n");
    }
    let (_, run) = data_error(None, Some(text.into_bytes()), &[]);
    assert_at(&run, OFFERS, (3, 1), Some("offer_id"), &[r#"duplicate offer_id "DUP" (first on line 2)"#]);
    run.assert_stderr_contains("invalid input data (100000 errors):");
    assert_small_stderr(&run);
}

// ---------------------------------------------------------------------------------------------------------------
// Files that cannot be read.
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn an_input_that_is_a_directory_is_an_io_failure_without_output() {
    for which in [NEEDS, OFFERS] {
        let dir = TestDir::new();
        write_good_pair(&dir);
        std::fs::remove_file(dir.path().join(which)).unwrap();
        dir.mkdir(which);
        let run = match_fails(&dir, 1, &[]);
        run.assert_stderr_contains(&format!("error: {which}: is a directory"));
        dir.run(&["validate", "--needs", NEEDS, "--offers", OFFERS])
            .assert_code(1)
            .assert_no_panic()
            .assert_stderr_contains(&format!("error: {which}: is a directory"));
    }
}

#[test]
fn a_missing_input_is_an_io_failure_without_output() {
    for which in [NEEDS, OFFERS] {
        let dir = TestDir::new();
        write_good_pair(&dir);
        std::fs::remove_file(dir.path().join(which)).unwrap();
        let run = match_fails(&dir, 1, &[]);
        run.assert_stderr_contains(&format!("error: {which}: No such file or directory"));
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Outputs that cannot be written.
// ---------------------------------------------------------------------------------------------------------------

/// Runs `match --out OUT` on the good pair and checks exit 1, a message naming OUT, and no change on disk.
#[track_caller]
fn out_fails(dir: &TestDir, out: &str) -> Run {
    let before = snapshot(dir.path());
    let run = dir.run(&["match", "--needs", NEEDS, "--offers", OFFERS, "--out", out]);
    run.assert_code(1).assert_no_panic().assert_stdout_empty().assert_stderr_contains(out);
    run.check(snapshot(dir.path()) == before, "the failed run changed the directory");
    run
}

#[test]
fn an_out_that_is_an_existing_file_fails_without_writing() {
    let dir = TestDir::new();
    write_good_pair(&dir);
    dir.write("taken", "a file\n");
    out_fails(&dir, "taken").assert_stderr_contains("not a directory");
    // A path through a file cannot be created either.
    out_fails(&dir, "taken/out");
}

#[cfg(unix)]
#[test]
fn an_unwritable_out_fails_without_writing() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TestDir::new();
    write_good_pair(&dir);
    let locked = dir.mkdir("locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    // The superuser writes through permissions; then only the other cases below apply.
    let probe = locked.join("probe");
    let permissions_hold = std::fs::write(&probe, "").is_err();
    let _ = std::fs::remove_file(&probe);
    if permissions_hold {
        out_fails(&dir, "locked").assert_stderr_contains("Permission denied");
        out_fails(&dir, "locked/out").assert_stderr_contains("Permission denied");
    } else {
        eprintln!("running as the superuser: read-only folder case skipped");
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();

    // Places nobody can create a folder in.
    #[cfg(target_os = "linux")]
    {
        let run = dir.run(&["match", "--needs", NEEDS, "--offers", OFFERS, "--out", "/proc/self/poa-match-out"]);
        run.assert_code(1).assert_no_panic().assert_stdout_empty().assert_stderr_contains("/proc/self/poa-match-out");
    }
    out_fails(&dir, "data/needs.csv/out");
}

/// A failure after some outputs were staged (here the DIMACS export into a missing folder) removes the output
/// folder the run created and every temporary file.
#[test]
fn a_failure_after_staging_leaves_no_temporary_file() {
    let dir = TestDir::new();
    write_good_pair(&dir);
    let run = match_fails(&dir, 1, &["--export-network", "missing/net.dimacs"]);
    run.assert_stderr_contains("missing/net.dimacs");
    // With an existing output folder, its content is kept as it was.
    dir.write("out/keep.txt", "earlier");
    let before = snapshot(dir.path());
    let run = dir.run(&[
        "match",
        "--needs",
        NEEDS,
        "--offers",
        OFFERS,
        "--out",
        "out",
        "--export-network",
        "missing/net.dimacs",
    ]);
    run.assert_code(1).assert_no_panic();
    assert_eq!(snapshot(dir.path()), before);
}
