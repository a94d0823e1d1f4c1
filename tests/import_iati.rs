//! `poa-match import-iati` (docs/spec.md §11): IATI activity files written for the project in IATI's published
//! structure become an offers.csv that validates and matches, and an iati_import.csv that gives every activity read
//! a status and a reason. Hostile XML (entity expansion, external entities, files that are not well-formed, other
//! encodings and versions) stops with one located error and writes nothing; missing and malformed fields skip their
//! activity with the line; a large file streams in bounded memory.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::TestDir;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/iati").join(name)
}

fn sample_needs() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample/needs.csv").display().to_string()
}

/// A copy of fixture `name` in `dir`, so that messages name it as the user would: by its relative path.
fn copy_fixture(dir: &TestDir, name: &str) {
    dir.write(name, std::fs::read(fixture(name)).unwrap());
}

/// The rows of a CSV file as maps from column name to cell.
fn csv_rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    reader.records().map(|r| header.iter().cloned().zip(r.unwrap().iter().map(str::to_string)).collect()).collect()
}

/// iati_import.csv as (identifier, status, reason, envelope) in file order.
fn log(dir: &TestDir, out: &str) -> Vec<(String, String, String, i64)> {
    csv_rows(&dir.read(&format!("{out}/iati_import.csv")))
        .into_iter()
        .map(|r| {
            (r["iati_identifier"].clone(), r["status"].clone(), r["reason"].clone(), r["envelope_usd"].parse().unwrap())
        })
        .collect()
}

fn reason_of<'l>(log: &'l [(String, String, String, i64)], id: &str) -> (&'l str, &'l str, i64) {
    let row = log.iter().find(|r| r.0 == id).unwrap_or_else(|| panic!("{id} is not in the log"));
    (row.1.as_str(), row.2.as_str(), row.3)
}

#[test]
fn the_fixture_gives_offers_that_validate_and_match() {
    let dir = TestDir::new();
    copy_fixture(&dir, "donors.xml");
    dir.run(&["import-iati", "donors.xml", "--out", "imported"]).assert_success().assert_stdout_contains(
        "read 24 activities from 1 file(s): 7 taken as 10 offers (1,710,000 USD; 400,000 EUR), 17 skipped",
    );

    // The activity in euros is an offer in euros: a match converts it with the rates given.
    let needs = sample_needs();
    dir.write("rates.csv", "currency,usd_per_unit,date,source\nEUR,1.3,2013-01-02,ECB reference rate\n");
    let with_rates = ["--needs", &needs, "--offers", "imported/offers.csv", "--rates", "rates.csv"];
    dir.run(&[&["validate"], &with_rates[..]].concat())
        .assert_success()
        .assert_stdout_contains("10 offers from 7 donors, 2,230,000 USD in envelopes");
    dir.run(&[&["match"], &with_rates[..], &["--out", "round", "--quiet"]].concat()).assert_success();
    let matches = csv_rows(&dir.read("round/matches.csv"));
    assert!(matches.iter().any(|m| m["offer_id"] == "XM-DAC-41114-SALW-RA:KEN"), "the pooled programme funds Kenya");
    assert!(matches.iter().any(|m| m["offer_id"] == "GB-GOV-1-300101"));

    // Every row traces back to its activity: offer_id is the identifier (with the recipient when split), and the
    // notes name the identifier, the file and the line.
    let offers = csv_rows(&dir.read("imported/offers.csv"));
    let ids: Vec<&str> = offers.iter().map(|o| o["offer_id"].as_str()).collect();
    assert_eq!(
        ids,
        [
            "GB-GOV-1-300101",
            "XM-DAC-41114-SALW-RA:KEN",
            "XM-DAC-41114-SALW-RA:UGA",
            "XM-DAC-41114-SALW-RA:M49-14",
            "DE-1-2013-SALW-NE",
            "XI-IATI-EC_FPI-2013-SALW",
            "JP-1-SALW-PIPE",
            "FI-3-SALW-13",
            "AU-5-SALW-PAC:PNG",
            "AU-5-SALW-PAC:SLB",
        ]
    );
    for o in &offers {
        let activity = o["offer_id"].split(':').next().unwrap();
        assert!(o["notes"].starts_with(&format!("From IATI activity {activity} (donors.xml, line ")), "{}", o["notes"]);
        assert_eq!(o["commitments"], "");
        assert_eq!(o["themes"], "");
    }
    let first = &offers[0];
    assert_eq!(
        (first["donor"].as_str(), first["donor_type"].as_str(), first["envelope_usd"].as_str()),
        ("GBR", "state", "400000"),
        "the revised 2014 budget replaces the original; 120,000 and 30,000 were spent"
    );
    assert_eq!((first["countries_include"].as_str(), first["window_start"].as_str()), ("UGA", "2013-01-15"));
    assert_eq!(first["window_end"], "2014-12-31");
    assert_eq!(offers[3]["regions_m49"], "14");
    assert_eq!(offers[4]["envelope_usd"], "150000", "60 % in 15240, half of it to Niger");
    assert_eq!(offers[6]["countries_include"], "", "no recipient: open to every requester");
    let euros = &offers[5];
    assert_eq!((euros["envelope_usd"].as_str(), euros["currency"].as_str()), ("400000", "EUR"), "as reported");
    assert!(offers.iter().filter(|o| o["offer_id"] != euros["offer_id"]).all(|o| o["currency"].is_empty()));
    assert_eq!(offers[8]["title"], "太平洋地区小武器和轻武器管控");
    assert_eq!((offers[8]["envelope_usd"].as_str(), offers[9]["envelope_usd"].as_str()), ("72000", "48000"));
}

#[test]
fn every_activity_read_has_a_status_and_a_reason() {
    let dir = TestDir::new();
    copy_fixture(&dir, "donors.xml");
    dir.run(&["import-iati", "donors.xml", "--out", "out"]).assert_success();
    let log = log(&dir, "out");
    let in_file = std::fs::read_to_string(fixture("donors.xml")).unwrap().matches("<iati-activity ").count();
    assert_eq!(log.len(), in_file, "one row per activity read");
    for (id, status, reason, _) in &log {
        assert!(
            (status == "taken" && ["in_full", "in_part"].contains(&reason.as_str()))
                || (status == "skipped" && !reason.is_empty()),
            "{id}: {status} {reason}"
        );
    }
    for (id, status, reason) in [
        ("GB-GOV-1-300101", "taken", "in_full"),
        ("XM-DAC-41114-SALW-RA", "taken", "in_full"),
        ("DE-1-2013-SALW-NE", "taken", "in_part"),
        ("SE-0-SALW-2012-07", "skipped", "cancelled"),
        ("NL-1-SALW-09", "skipped", "closed"),
        ("GB-GOV-1-200222", "skipped", "other_sectors"),
        ("AU-5-SALW-DAC3", "skipped", "sector_vocabulary"),
        ("CA-3-SALW-11", "skipped", "no_money_left"),
        ("XI-IATI-EC_FPI-2013-SALW", "taken", "in_full"),
        ("FR-6-SALW-MIXED", "skipped", "currency"),
        ("", "skipped", "malformed"),
        ("IE-1-SALW-COMMA", "skipped", "malformed"),
        ("DK-1-SALW-SAHARA", "skipped", "no_usable_recipient"),
        ("JP-1-SALW-PIPE", "taken", "in_full"),
        ("FR-6-SALW-SUSP", "skipped", "suspended"),
        ("NO-1-MINE-KH", "skipped", "other_sectors"),
        ("CH-4-SALW-NB", "skipped", "no_budget"),
        ("US-GOV-1-SALW-TX", "skipped", "sectors_on_transactions"),
        ("AT-2-NOSECTOR", "skipped", "no_sector"),
        ("BE-10-SALW-XK", "skipped", "no_usable_recipient"),
        ("ES-1-SALW-DATE", "skipped", "malformed"),
    ] {
        let (s, r, _) = reason_of(&log, id);
        assert_eq!((s, r), (status, reason), "{id}");
    }
    let duplicate = log.iter().filter(|r| r.0 == "GB-GOV-1-300101").nth(1).unwrap();
    assert_eq!(duplicate.2, "duplicate_identifier");
    let text = dir.read("out/iati_import.csv");
    assert!(
        text.contains("line 159: budget/value: expected a decimal number such as 125000.50, found \"\"1,000.00\"\"")
    );
    assert!(text.contains("DAC 3-digit 152, which includes 15240 but cannot say it"));
}

#[test]
fn sectors_and_the_as_of_date_change_what_is_taken() {
    let dir = TestDir::new();
    copy_fixture(&dir, "donors.xml");
    dir.run(&["import-iati", "donors.xml", "--out", "mines", "--sectors", "15240,15250"]).assert_success();
    assert_eq!(reason_of(&log(&dir, "mines"), "NO-1-MINE-KH"), ("taken", "in_full", 175_000));

    dir.run(&["import-iati", "donors.xml", "--out", "later", "--as-of", "2014-01-01"]).assert_success();
    let later = log(&dir, "later");
    // 2013's budget is over; the 2014 expenditure (in February) has not happened yet on 1 January.
    assert_eq!(reason_of(&later, "GB-GOV-1-300101"), ("taken", "in_full", 250_000));
    assert_eq!(reason_of(&later, "XM-DAC-41114-SALW-RA"), ("taken", "in_full", 800_000));
    assert_eq!(reason_of(&later, "FI-3-SALW-13"), ("skipped", "no_money_left", 0));
    assert_eq!(reason_of(&later, "AU-5-SALW-PAC"), ("skipped", "no_money_left", 0));

    let bad = dir.run(&["import-iati", "donors.xml", "--out", "bad", "--sectors", "152"]);
    bad.assert_code(2).assert_stderr_contains("five-digit OECD DAC purpose code");
    dir.run(&["import-iati", "donors.xml", "--out", "bad", "--as-of", "2014-02-30"]).assert_code(2);
    assert!(!dir.path().join("bad").exists());
}

#[test]
fn the_same_files_give_the_same_bytes() {
    let dir = TestDir::new();
    copy_fixture(&dir, "donors.xml");
    copy_fixture(&dir, "sparse.xml");
    for out in ["one", "two"] {
        dir.run(&["import-iati", "donors.xml", "sparse.xml", "--out", out]).assert_success();
    }
    for file in ["offers.csv", "iati_import.csv"] {
        assert_eq!(dir.read(&format!("one/{file}")), dir.read(&format!("two/{file}")), "{file}");
    }
}

#[test]
fn missing_and_malformed_fields_skip_their_activity_with_the_line() {
    let dir = TestDir::new();
    copy_fixture(&dir, "sparse.xml");
    dir.run(&["import-iati", "sparse.xml", "--out", "out"]).assert_success().assert_no_panic();
    let rows = csv_rows(&dir.read("out/iati_import.csv"));
    assert_eq!(rows.len(), 25);
    for row in &rows {
        assert_eq!(row["status"], "skipped", "{row:?}");
        if row["reason"] == "malformed" {
            assert!(row["detail"].starts_with("line "), "{row:?}");
        }
    }
    let detail = |id: &str| rows.iter().find(|r| r["iati_identifier"] == id).map(|r| r["detail"].clone()).unwrap();
    assert_eq!(detail("XX-BUDGET-EMPTY-VALUE"), "line 63: budget/value: is blank; expected an amount");
    assert!(detail("XX-NO-DONOR").contains("reporting-org/@ref is missing"));
    assert!(detail("XX-ABOVE-TRILLION").contains("above the 1000000000000 USD an offer may hold"));
    assert!(rows.iter().any(|r| r["iati_identifier"] == "XX-CONTROL\\u{7}CHARACTER"), "control characters escaped");
    // The offers file is the header alone, and still a valid (empty) offers file.
    assert_eq!(dir.read("out/offers.csv").lines().count(), 1);
}

#[test]
fn hostile_xml_stops_with_one_located_error_and_writes_nothing() {
    for (name, location, words) in [
        ("billion_laughs.xml", "billion_laughs.xml:2:1: ", "DOCTYPE"),
        ("external_entity.xml", "external_entity.xml:2:1: ", "reads no DTD and expands no entity"),
        ("undefined_entity.xml", "undefined_entity.xml:6:", "the entity &\"nbsp\"; is not defined"),
        ("not_well_formed.xml", "not_well_formed.xml:12:", "not well-formed"),
        ("truncated.xml", "truncated.xml:9:1: ", "ends inside <value>, opened on line 8"),
        ("version1.xml", "version1.xml:2:1: ", "reads version 2.0x"),
        ("latin1.xml", "latin1.xml:1:1: ", "only UTF-8 is read"),
    ] {
        let dir = TestDir::new();
        copy_fixture(&dir, name);
        let run = dir.run(&["import-iati", name, "--out", "out"]);
        run.assert_code(3).assert_no_panic().assert_stdout_empty();
        let stderr = run.stderr();
        let error = stderr.lines().nth(1).unwrap_or_default();
        run.check(error.starts_with(location) && error.contains(words), &format!("{name}: {location} ... {words}"));
        run.check(stderr.lines().count() == 2, "one error line after the heading");
        run.check(!dir.path().join("out").exists(), "nothing written");
    }
}

#[test]
fn every_unreadable_file_is_listed_and_a_good_one_does_not_save_the_run() {
    let dir = TestDir::new();
    for name in ["donors.xml", "truncated.xml", "version1.xml"] {
        copy_fixture(&dir, name);
    }
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let run = dir.run(&["import-iati", "donors.xml", "truncated.xml", "version1.xml", "--out", "out"]);
    run.assert_code(3).assert_stderr_contains("invalid input data (2 errors)");
    run.assert_stderr_contains("truncated.xml:9:1:").assert_stderr_contains("version1.xml:2:1:");
    assert_eq!(std::fs::read_dir(dir.path().join("out")).unwrap().count(), 0, "no output, not even a temporary one");
    dir.run(&["import-iati", "missing.xml", "--out", "out"]).assert_code(1).assert_stderr_contains("missing.xml");
}

/// Writes an IATI file of `activities` activities, each with a description of about `description` bytes; one
/// activity in four is in 15240 with money left, the others in another sector.
fn write_large_file(path: &Path, activities: usize, description: usize) -> u64 {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities version=\"2.03\">").unwrap();
    let words = "Marking, record-keeping and tracing of small arms and light weapons. ".repeat(description / 68 + 1);
    for i in 0..activities {
        let sector = if i % 4 == 0 { "15240" } else { "12220" };
        write!(
            out,
            " <iati-activity default-currency=\"USD\">\n  <iati-identifier>XX-BIG-{i}</iati-identifier>\n  \
             <reporting-org ref=\"XX-BIG\" type=\"90\"/>\n  <title><narrative>Activity {i}</narrative></title>\n  \
             <description><narrative>{words}</narrative></description>\n  <activity-status code=\"2\"/>\n  \
             <recipient-country code=\"UG\" percentage=\"60\"/><recipient-country code=\"KE\" percentage=\"40\"/>\n  \
             <sector code=\"{sector}\"/>\n  <budget><period-start iso-date=\"2013-01-01\"/><period-end \
             iso-date=\"2013-12-31\"/><value>{}</value></budget>\n  <transaction><transaction-type code=\"3\"/>\
             <transaction-date iso-date=\"2013-03-01\"/><value>1000</value></transaction>\n </iati-activity>\n",
            10_000 + i
        )
        .unwrap();
    }
    writeln!(out, "</iati-activities>").unwrap();
    out.into_inner().unwrap().sync_all().unwrap();
    std::fs::metadata(path).unwrap().len()
}

/// Runs `import-iati` on `file` and returns the highest resident memory seen (kB, from /proc), or `None` where
/// /proc is not there.
fn import_watching_memory(dir: &TestDir, file: &Path) -> Option<u64> {
    let mut child = Command::new(common::BIN)
        .args(["import-iati", &file.display().to_string(), "--out", "out"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = None;
    loop {
        // VmHWM is the process's own high-water mark, so a read after the peak still sees it.
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(kb) = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))
        {
            let kb: u64 = kb.trim().trim_end_matches("kB").trim().parse().unwrap();
            peak = Some(peak.unwrap_or(0).max(kb));
        }
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "import-iati failed: {status}");
            return peak;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn check_large_import(dir: &TestDir, activities: usize) {
    let log = csv_rows(&dir.read("out/iati_import.csv"));
    assert_eq!(log.len(), activities);
    let taken = log.iter().filter(|r| r["status"] == "taken").count();
    assert_eq!(taken, activities.div_ceil(4));
    assert_eq!(dir.read("out/offers.csv").lines().count(), 1 + 2 * taken, "two rows per taken activity");
}

#[test]
fn a_large_file_streams_in_bounded_memory() {
    let dir = TestDir::new();
    let activities = 4_000;
    let file = dir.path().join("large.xml");
    let bytes = write_large_file(&file, activities, 12_000);
    assert!(bytes > 48 << 20, "{bytes} bytes");
    let peak = import_watching_memory(&dir, &file);
    check_large_import(&dir, activities);
    if let Some(kb) = peak {
        assert!(kb < 40 << 10, "peak resident memory {kb} kB for a {bytes}-byte file");
    }
}

/// The 1 GB case of issue 28: `cargo test --test import_iati -- --ignored` (it writes 1 GB to the
/// temporary folder).
#[test]
#[ignore]
fn a_one_gigabyte_file_streams_in_bounded_memory() {
    let dir = TestDir::new();
    let activities = 80_000;
    let file = dir.path().join("one-gigabyte.xml");
    let bytes = write_large_file(&file, activities, 12_800);
    assert!(bytes > 1 << 30, "{bytes} bytes");
    let peak = import_watching_memory(&dir, &file);
    check_large_import(&dir, activities);
    if let Some(kb) = peak {
        eprintln!("peak resident memory {kb} kB for a {bytes}-byte file");
        assert!(kb < 64 << 10, "peak resident memory {kb} kB for a {bytes}-byte file");
    }
}
