//! ledger.csv (docs/spec.md §9, data/README.md "ledger.csv"): every rule of the column dictionary broken once, with
//! the exact one-line message and its position (file, line, column, field); a valid ledger read, written with new
//! awards after it and read back; `validate --ledger`; and arbitrary bytes, which never panic the reader.

mod common;

use common::{TestDir, csv_row, write_good_pair};
use poa_match::error::ErrorKind;
use poa_match::io::{LEDGER_COLUMNS, ReadOptions, read_ledger, read_ledger_file, write_ledger};
use poa_match::model::{Award, AwardId, AwardStatus, Date, NeedId, OfferId, RoundLabel, Usd};
use proptest::prelude::*;

const LEDGER: &str = "data/ledger.csv";
const HEADER: &str = "award_id,round,need_id,offer_id,amount_usd,status,status_date,note";
const STATUSES: &str = "proposed, pledged, committed, disbursed, declined, cancelled";

/// A valid ledger: the header and three awards on lines 2–4, so a row appended to it starts on line 5.
fn good_ledger() -> String {
    [
        HEADER,
        "A-1,2013,BFA-01,UNSCAR-2013,185000,committed,2013-05-02,",
        "A-2,2013,NER-01,DEU-2013,150000,pledged,,\"first half, \"\"north\"\"\"",
        "A-3,2014-call-2,ECOWAS-01,EU-2013,90000,declined,2014-03-31,",
    ]
    .map(|line| format!("{line}\n"))
    .concat()
}

/// A ledger row (no line end): a valid base (`X-1`, round 2014, BFA-01, UNSCAR-2013, 1000, proposed) with `values`.
fn award(values: &[(&str, &str)]) -> String {
    let mut all = vec![
        ("award_id", "X-1"),
        ("round", "2014"),
        ("need_id", "BFA-01"),
        ("offer_id", "UNSCAR-2013"),
        ("amount_usd", "1000"),
        ("status", "proposed"),
    ];
    all.extend_from_slice(values);
    csv_row(HEADER, &all)
}

/// [`good_ledger`] with `rows` appended, each ended by LF.
fn ledger_plus(rows: &[String]) -> String {
    good_ledger() + &rows.iter().map(|r| format!("{r}\n")).collect::<String>()
}

/// The data errors of reading `text`, each as the one line the binary prints.
fn errors_with(text: &[u8], options: ReadOptions) -> Vec<String> {
    match read_ledger(LEDGER, text, options) {
        Ok(ledger) => panic!("expected errors, read {} awards", ledger.awards.len()),
        Err(e) => match e.kind() {
            ErrorKind::InvalidData { errors, .. } => errors.iter().map(ToString::to_string).collect(),
            other => panic!("not a data error: {other:?}"),
        },
    }
}

fn errors(text: &str) -> Vec<String> {
    errors_with(text.as_bytes(), ReadOptions::default())
}

/// Asserts that `text` has exactly one error, the line `expected`.
#[track_caller]
fn assert_one_error(text: &str, expected: &str) {
    assert_eq!(errors(text), [expected]);
}

// ---- the file and its header ----

#[test]
fn an_empty_file_asks_for_the_header() {
    let expected = "data/ledger.csv:1:1: the file is empty; expected a header row with the columns award_id, round, \
                    need_id, offer_id, amount_usd, status, status_date, note";
    assert_one_error("", expected);
    assert_one_error("\u{feff}\n\r\n", expected);
}

#[test]
fn a_header_alone_is_an_empty_ledger() {
    for text in [format!("{HEADER}\n"), HEADER.to_string(), "award_id,round,need_id,offer_id,amount_usd,status".into()]
    {
        let ledger = read_ledger(LEDGER, text.as_bytes(), ReadOptions::default()).unwrap();
        assert_eq!((ledger.awards, ledger.label.as_str()), (Vec::new(), LEDGER));
    }
}

#[test]
fn a_missing_required_column_is_named() {
    assert_one_error(
        "award_id,round,need_id,offer_id,amount_usd,note\nA-1,1,N,O,5,\n",
        "data/ledger.csv:1:1: field 'status': required column is missing from the header",
    );
}

#[test]
fn an_unknown_column_is_an_error_unless_allowed() {
    let text = "award_id,round,need_id,offer_id,amount_usd,currency,status\nA-1,1,N,O,5,EUR,pledged\n";
    assert_one_error(
        text,
        "data/ledger.csv:1:6: field 'currency': unknown column (hint: the columns are: award_id, round, need_id, \
         offer_id, amount_usd, status, status_date, note; pass --allow-extra-columns to ignore it)",
    );
    let options = ReadOptions { allow_extra_columns: true, ..ReadOptions::default() };
    let ledger = read_ledger(LEDGER, text.as_bytes(), options).unwrap();
    assert_eq!(ledger.awards[0].status, AwardStatus::Pledged);
}

#[test]
fn a_ragged_row_is_located() {
    assert_one_error(
        &ledger_plus(&["X-1,2014,BFA-01".to_string()]),
        "data/ledger.csv:5:4: field 'offer_id': the row has 3 fields but the header has 8",
    );
}

// ---- ids ----

#[test]
fn a_duplicate_award_id_names_the_first_line() {
    assert_one_error(
        &ledger_plus(&[award(&[("award_id", "A-2")])]),
        "data/ledger.csv:5:1: field 'award_id': duplicate award_id \"A-2\" (first on line 3)",
    );
}

#[test]
fn a_duplicate_after_a_multi_line_note_names_the_line_its_record_starts_on() {
    let text = ledger_plus(&[award(&[("note", "a\nb\nc")]), award(&[])]);
    assert_one_error(&text, "data/ledger.csv:8:1: field 'award_id': duplicate award_id \"X-1\" (first on line 5)");
}

#[test]
fn every_required_field_left_blank_is_reported() {
    for (column, name) in ["award_id", "round", "need_id", "offer_id", "amount_usd", "status"].iter().enumerate() {
        assert_one_error(
            &ledger_plus(&[award(&[(name, " ")])]),
            &format!("data/ledger.csv:5:{}: field '{name}': is required but blank", column + 1),
        );
    }
}

#[test]
fn ids_and_rounds_follow_the_rules_of_need_id() {
    for (column, name) in [(1, "award_id"), (2, "round"), (3, "need_id"), (4, "offer_id")] {
        assert_one_error(
            &ledger_plus(&[award(&[(name, "X\u{7}1")])]),
            &format!(
                "data/ledger.csv:5:{column}: field '{name}': an id may not contain control characters, found \"X\\u{{7}}1\""
            ),
        );
        assert_one_error(
            &ledger_plus(&[award(&[(name, &"N".repeat(101))])]),
            &format!("data/ledger.csv:5:{column}: field '{name}': an id may have at most 100 characters"),
        );
    }
}

// ---- amounts ----

#[test]
fn an_amount_must_be_whole_dollars_above_zero() {
    let whole = "expected whole US dollars (digits only, no separators or decimals)";
    for (value, message) in [
        ("0", "must be greater than zero, found \"0\"".to_string()),
        ("-5", "must be greater than zero, found \"-5\"".to_string()),
        ("12.5", format!("{whole}, found \"12.5\"")),
        ("12,500", format!("{whole}, found \"12,500\"")),
        ("1e5", format!("{whole}, found \"1e5\"")),
        ("1000000000001", "amount \"1000000000001\" exceeds the largest supported amount, 1000000000000".to_string()),
    ] {
        assert_one_error(
            &ledger_plus(&[award(&[("amount_usd", value)])]),
            &format!("data/ledger.csv:5:5: field 'amount_usd': {message}"),
        );
    }
    let ledger = read_ledger(
        LEDGER,
        ledger_plus(&[award(&[("amount_usd", "1000000000000")])]).as_bytes(),
        ReadOptions::default(),
    );
    assert_eq!(ledger.unwrap().awards[3].amount, Usd(1_000_000_000_000));
}

// ---- statuses and dates ----

#[test]
fn a_bad_status_lists_the_spellings() {
    assert_one_error(
        &ledger_plus(&[award(&[("status", "open")])]),
        &format!("data/ledger.csv:5:6: field 'status': expected one of {STATUSES}, found \"open\""),
    );
}

#[test]
fn a_status_in_the_wrong_case_gets_a_hint() {
    for (typed, hint) in [
        ("Committed", "(write statuses in lower case: committed)"),
        ("PLEDGED", "(write statuses in lower case: pledged)"),
        ("canceled", "(spelled with a double l: cancelled)"),
        ("paid", "(did you mean disbursed?)"),
    ] {
        assert_one_error(
            &ledger_plus(&[award(&[("status", typed)])]),
            &format!("data/ledger.csv:5:6: field 'status': expected one of {STATUSES}, found \"{typed}\" {hint}"),
        );
    }
}

#[test]
fn a_bad_status_date_is_reported_like_other_dates() {
    for (value, message) in [
        ("2013-02-29", "day 29 does not exist in 2013-02"),
        ("2013-13-01", "month must be 01–12"),
        ("13/01/2013", "expected a date as YYYY-MM-DD"),
    ] {
        assert_one_error(
            &ledger_plus(&[award(&[("status_date", value)])]),
            &format!("data/ledger.csv:5:7: field 'status_date': {message}, found \"{value}\""),
        );
    }
}

// ---- many errors ----

#[test]
fn every_bad_cell_of_a_row_is_reported_in_column_order() {
    let row = award(&[("award_id", "A-1"), ("amount_usd", "0"), ("status", "Disbursed"), ("status_date", "2013-1-1")]);
    assert_eq!(
        errors(&ledger_plus(&[row])),
        [
            "data/ledger.csv:5:1: field 'award_id': duplicate award_id \"A-1\" (first on line 2)".to_string(),
            "data/ledger.csv:5:5: field 'amount_usd': must be greater than zero, found \"0\"".to_string(),
            format!(
                "data/ledger.csv:5:6: field 'status': expected one of {STATUSES}, found \"Disbursed\" (write statuses \
                 in lower case: disbursed)"
            ),
            "data/ledger.csv:5:7: field 'status_date': expected a date as YYYY-MM-DD, found \"2013-1-1\"".to_string(),
        ]
    );
}

#[test]
fn the_error_limit_keeps_the_first_and_counts_the_rest() {
    let rows: Vec<String> = (0..5).map(|i| award(&[("award_id", &format!("X-{i}")), ("amount_usd", "0")])).collect();
    let options = ReadOptions { error_limit: 2, ..ReadOptions::default() };
    let err = read_ledger(LEDGER, ledger_plus(&rows).as_bytes(), options).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid input data (5 errors):\n\
         data/ledger.csv:5:5: field 'amount_usd': must be greater than zero, found \"0\"\n\
         data/ledger.csv:6:5: field 'amount_usd': must be greater than zero, found \"0\"\n\
         ... and 3 more\n"
    );
    assert_eq!(err.exit_code(), 3);
}

// ---- a valid ledger, with a byte-order mark, CRLF, quoting and any column order ----

#[test]
fn a_valid_ledger_is_read_whatever_its_form() {
    let expected = read_ledger(LEDGER, good_ledger().as_bytes(), ReadOptions::default()).unwrap();
    assert_eq!(expected.awards.len(), 3);
    let a = &expected.awards[1];
    assert_eq!(
        (a.id.as_str(), a.round.as_str(), a.need.as_str(), a.offer.as_str()),
        ("A-2", "2013", "NER-01", "DEU-2013")
    );
    assert_eq!((a.amount, a.status, a.status_date, a.line), (Usd(150_000), AwardStatus::Pledged, None, 3));
    assert_eq!(a.note, "first half, \"north\"");
    assert_eq!(expected.awards[2].status_date, Some(Date::parse("2014-03-31").unwrap()));

    let crlf = format!("\u{feff}{}", good_ledger().replace('\n', "\r\n"));
    assert_eq!(expected.amount_column, 5, "messages about locked totals point at amount_usd");
    assert_eq!(read_ledger(LEDGER, crlf.as_bytes(), ReadOptions::default()).unwrap(), expected);
    let order = ["note", "status", "amount_usd", "award_id", "offer_id", "need_id", "round", "status_date"];
    let reordered = common::reorder_columns(&good_ledger(), &order);
    let read = read_ledger(LEDGER, reordered.as_bytes(), ReadOptions::default()).unwrap();
    assert_eq!((&read.awards, read.amount_column), (&expected.awards, 3));
}

// ---- the output ledger: the input unchanged, then the new awards ----

fn new_award(id: &str, note: &str) -> Award {
    Award {
        id: AwardId(id.to_string()),
        round: RoundLabel("2015".to_string()),
        need: NeedId("NER-01".to_string()),
        offer: OfferId("UNSCAR-2013".to_string()),
        amount: Usd(75_000),
        status: AwardStatus::Proposed,
        status_date: Some(Date::parse("2015-01-15").unwrap()),
        note: note.to_string(),
        line: 0,
    }
}

#[test]
fn the_written_ledger_reads_back_as_the_old_awards_then_the_new() {
    let new = [new_award("B-1", "split, \"east\"\nand west"), new_award("B-2", "")];
    let crlf_without_final_break = good_ledger().replace('\n', "\r\n").trim_end().to_string();
    let reordered =
        common::reorder_columns(&good_ledger(), &["status", "award_id", "round", "need_id", "offer_id", "amount_usd"]);
    for original in [good_ledger(), crlf_without_final_break, reordered, String::new()] {
        let mut out = Vec::new();
        write_ledger(original.as_bytes(), &new, &mut out).unwrap();
        assert!(out.starts_with(original.as_bytes()), "the original is not kept byte for byte");
        let dir = TestDir::new();
        let path = dir.write("ledger.csv", &out);
        let back = read_ledger_file(&path, ReadOptions::default()).unwrap();
        let old = if original.is_empty() {
            Vec::new()
        } else {
            read_ledger(LEDGER, original.as_bytes(), ReadOptions::default()).unwrap().awards
        };
        assert_eq!(back.awards.len(), old.len() + new.len());
        let without_line = |a: &Award| Award { line: 0, ..a.clone() };
        assert_eq!(
            back.awards[..old.len()].iter().map(without_line).collect::<Vec<_>>(),
            old.iter().map(without_line).collect::<Vec<_>>()
        );
        for (got, want) in back.awards[old.len()..].iter().zip(&new) {
            let has =
                |name: &str| original.is_empty() || original.lines().next().unwrap().split(',').any(|c| c == name);
            assert_eq!(got.id, want.id);
            assert_eq!(got.amount, want.amount);
            assert_eq!(got.status, want.status);
            assert_eq!(got.note, if has("note") { want.note.clone() } else { String::new() });
            assert_eq!(got.status_date, if has("status_date") { want.status_date } else { None });
        }
    }
}

#[test]
fn the_dictionary_is_the_one_of_the_spec() {
    let names: Vec<(&str, bool)> = LEDGER_COLUMNS.iter().map(|c| (c.name, c.required)).collect();
    assert_eq!(
        names,
        [
            ("award_id", true),
            ("round", true),
            ("need_id", true),
            ("offer_id", true),
            ("amount_usd", true),
            ("status", true),
            ("status_date", false),
            ("note", false)
        ]
    );
}

// ---- validate --ledger ----

#[test]
fn validate_checks_a_ledger() {
    let dir = TestDir::new();
    write_good_pair(&dir);
    dir.write(LEDGER, good_ledger());
    dir.run(&["validate", "--needs", "data/needs.csv", "--offers", "data/offers.csv", "--ledger", LEDGER])
        .assert_success()
        .assert_stdout_contains(
            "data/ledger.csv: 3 awards from 2 rounds, 185,000 USD committed or disbursed, 150,000 USD pledged\nok: no errors",
        );
}

#[test]
fn validate_reports_the_ledger_errors_after_those_of_the_batch() {
    let dir = TestDir::new();
    write_good_pair(&dir);
    dir.write("data/needs.csv", common::good_needs() + &common::need_record(&[("amount_usd", "0")]) + "\n");
    dir.write(LEDGER, ledger_plus(&[award(&[("status", "Committed")])]));
    let run = dir.run(&["validate", "--needs", "data/needs.csv", "--offers", "data/offers.csv", "--ledger", LEDGER]);
    run.assert_code(3).assert_no_panic().assert_stdout_empty();
    assert_eq!(
        run.stderr(),
        format!(
            "error: invalid input data (2 errors):\n\
             data/needs.csv:5:7: field 'amount_usd': must be greater than zero, found \"0\"\n\
             data/ledger.csv:5:6: field 'status': expected one of {STATUSES}, found \"Committed\" (write statuses in \
             lower case: committed)\n"
        )
    );
    // Alone, under the same limit as the batch.
    write_good_pair(&dir);
    let run = dir.run(&["validate", "--ledger", LEDGER, "--max-errors", "1"]);
    run.assert_code(3).assert_stderr_contains("data/ledger.csv:5:6: field 'status': ");
    let run = dir.run(&["validate", "--ledger", "data/none.csv"]);
    run.assert_code(1).assert_no_panic().assert_stderr_contains("data/none.csv");
}

// ---- arbitrary bytes ----

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Bytes from nowhere: no panic, and either awards that keep the dictionary's rules or errors at a cell.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        check_bytes(&bytes);
    }

    /// Bytes that look like a ledger (its header, its separators, its statuses): the reader gets past the header.
    #[test]
    fn ledger_like_bytes_never_panic(
        cells in proptest::collection::vec(
            prop_oneof![
                Just("A-1".to_string()), Just("committed".to_string()), Just("Pledged".to_string()),
                Just("2013-02-29".to_string()), Just("100".to_string()), Just("0".to_string()),
                Just("\"".to_string()), Just(",".to_string()), Just("\n".to_string()), Just("\r".to_string()),
                Just("\u{feff}".to_string()), Just(String::new()), "[ -~]{0,6}",
            ],
            0..60,
        )
    ) {
        let text = format!("{HEADER}\n{}", cells.concat());
        check_bytes(text.as_bytes());
    }

    /// Awards of any text the model allows (commas, quotes, line breaks, Chinese in notes; ids as the reader leaves
    /// them, without surrounding spaces), written after a ledger and read back unchanged.
    #[test]
    fn written_awards_read_back(
        rows in proptest::collection::vec(
            ("[A-Za-z0-9 ,\"-]{1,12}", "[0-9a-z-]{1,8}", 1i64..=poa_match::model::MAX_AMOUNT_USD,
             0usize..6, proptest::option::of(0i32..3000), "(?s)[a-z ,\"\n\r\u{4e00}-\u{4e0f}]{0,20}"),
            0..8,
        ),
        crlf in any::<bool>(),
    ) {
        let new: Vec<Award> = rows
            .iter()
            .enumerate()
            .map(|(i, (id, round, amount, status, days, note))| (i, id.trim(), round, amount, status, days, note))
            .map(|(i, id, round, amount, status, days, note)| Award {
                id: AwardId(format!("N{i}-{id}")),
                round: RoundLabel(round.clone()),
                need: NeedId(format!("need {id}").trim().to_string()),
                offer: OfferId(format!("offer,{id}").trim().to_string()),
                amount: Usd(*amount),
                status: AwardStatus::ALL[*status],
                status_date: days.map(|d| Date::parse("2010-01-01").unwrap().add_days(d)),
                note: note.clone(),
                line: 0,
            })
            .collect();
        let original = if crlf { good_ledger().replace('\n', "\r\n") } else { good_ledger() };
        let mut out = Vec::new();
        write_ledger(original.as_bytes(), &new, &mut out).unwrap();
        let back = read_ledger(LEDGER, &out[..], ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        let without_line = |a: &Award| Award { line: 0, ..a.clone() };
        prop_assert_eq!(back.awards[3..].iter().map(without_line).collect::<Vec<_>>(), new);
    }
}

fn check_bytes(bytes: &[u8]) {
    for allow_extra_columns in [false, true] {
        let options = ReadOptions { allow_extra_columns, error_limit: 20, sheet: None };
        match read_ledger(LEDGER, bytes, options.clone()) {
            Ok(ledger) => {
                let mut ids = std::collections::HashSet::new();
                for a in &ledger.awards {
                    assert!(ids.insert(a.id.clone()), "duplicate {}", a.id);
                    assert!(a.amount.get() > 0 && a.amount.get() <= poa_match::model::MAX_AMOUNT_USD);
                    assert!(!a.id.as_str().is_empty() && !a.round.as_str().is_empty());
                }
                // What a valid ledger holds survives a round of the writer.
                let mut out = Vec::new();
                write_ledger(bytes, &[new_award("Z-new", "")], &mut out).unwrap();
                assert!(out.starts_with(bytes));
                let back = read_ledger(LEDGER, &out[..], options).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(back.awards[..ledger.awards.len()], ledger.awards[..]);
                assert_eq!(back.awards.len(), ledger.awards.len() + 1);
                assert_eq!(back.awards.last().unwrap().id.as_str(), "Z-new");
            }
            Err(e) => match e.kind() {
                ErrorKind::InvalidData { errors, .. } => {
                    for e in errors {
                        let line = e.to_string();
                        assert!(line.starts_with(&format!("{LEDGER}:{}:{}: ", e.location.line, e.location.column)));
                        assert!(!line.contains(['\n', '\r']), "{line:?}");
                    }
                }
                other => panic!("not a data error: {other:?}"),
            },
        }
    }
}
