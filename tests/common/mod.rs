//! Helpers shared by the integration tests: a temporary directory per test, files written into it, the real
//! `poa-match` binary run inside it, and assertions that print the whole run when they fail.
//!
//! Each test binary uses only part of this module.
#![allow(dead_code)]

pub mod batch;
pub mod html;
pub mod workbook;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The binary under test, built by cargo for the integration tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_poa-match");

/// A temporary directory that lives as long as the test; files are written into it and the binary runs in it, so
/// tests can pass relative paths and see them echoed back unchanged.
pub struct TestDir {
    dir: tempfile::TempDir,
}

impl TestDir {
    /// A fresh, empty directory.
    pub fn new() -> TestDir {
        TestDir {
            dir: tempfile::Builder::new().prefix("poa-match-test-").tempdir().expect("create a temporary directory"),
        }
    }

    /// The directory's absolute path.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `contents` to `name` (relative to the directory; parent folders are created) and returns the full
    /// path.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        write_file(self.path(), name, contents)
    }

    /// Creates a sub-directory (and its parents) and returns its full path.
    pub fn mkdir(&self, name: &str) -> PathBuf {
        let path = self.path().join(name);
        std::fs::create_dir_all(&path).unwrap_or_else(|e| panic!("create {}: {e}", path.display()));
        path
    }

    /// Copies files of the bundled sample (data/sample) into the directory under their own names.
    pub fn copy_sample(&self, names: &[&str]) {
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
        for name in names {
            std::fs::copy(sample.join(name), self.path().join(name))
                .unwrap_or_else(|e| panic!("copy the sample's {name}: {e}"));
        }
    }

    /// Reads a file below the directory as text.
    pub fn read(&self, name: &str) -> String {
        let path = self.path().join(name);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    /// Runs the binary with `args`, in this directory.
    pub fn run(&self, args: &[&str]) -> Run {
        run(args, self.path())
    }
}

impl Default for TestDir {
    fn default() -> TestDir {
        TestDir::new()
    }
}

/// Writes `contents` to `dir/name`, creating parent folders, and returns the full path.
pub fn write_file(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("create {}: {e}", parent.display()));
    }
    std::fs::write(&path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    path
}

/// One finished run of the binary: what was run, where, and what came out.
pub struct Run {
    /// The arguments after the program name.
    pub args: Vec<String>,
    /// The working directory.
    pub dir: PathBuf,
    /// Exit status, stdout and stderr.
    pub output: Output,
}

/// Runs the real `poa-match` binary with `args` in `dir`, stdin closed, and waits for it.
pub fn run(args: &[&str], dir: &Path) -> Run {
    run_with_env(args, dir, &[])
}

impl Run {
    /// The exit code; `None` if a signal ended the process.
    pub fn code(&self) -> Option<i32> {
        self.output.status.code()
    }

    /// Standard output, lossily decoded.
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    /// Standard error, lossily decoded.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// The command line as one might type it.
    pub fn command_line(&self) -> String {
        let mut line = String::from("poa-match");
        for a in &self.args {
            if a.is_empty() || a.contains(|c: char| c.is_whitespace() || c == '\'' || c == '"') {
                write!(line, " '{}'", a.replace('\'', r"'\''")).unwrap();
            } else {
                write!(line, " {a}").unwrap();
            }
        }
        line
    }

    /// Everything about the run, for a failure message.
    pub fn report(&self) -> String {
        format!(
            "command: {}\n    cwd: {}\n status: {}\n--- stdout ---\n{}\n--- stderr ---\n{}\n--------------",
            self.command_line(),
            self.dir.display(),
            self.output.status,
            self.stdout(),
            self.stderr()
        )
    }

    /// Panics with `what` and the whole run unless `ok`.
    #[track_caller]
    pub fn check(&self, ok: bool, what: &str) -> &Run {
        if !ok {
            panic!("{what}\n{}", self.report());
        }
        self
    }

    /// Asserts the exit code.
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Run {
        self.check(self.code() == Some(code), &format!("expected exit code {code}, got {:?}", self.code()))
    }

    /// Asserts exit code 0 and an empty stderr.
    #[track_caller]
    pub fn assert_success(&self) -> &Run {
        self.assert_code(0);
        self.check(self.output.stderr.is_empty(), "expected an empty stderr")
    }

    /// Asserts that stdout contains `needle`.
    #[track_caller]
    pub fn assert_stdout_contains(&self, needle: &str) -> &Run {
        self.check(self.stdout().contains(needle), &format!("expected stdout to contain {needle:?}"))
    }

    /// Asserts that stderr contains `needle`.
    #[track_caller]
    pub fn assert_stderr_contains(&self, needle: &str) -> &Run {
        self.check(self.stderr().contains(needle), &format!("expected stderr to contain {needle:?}"))
    }

    /// Asserts that stdout is empty.
    #[track_caller]
    pub fn assert_stdout_empty(&self) -> &Run {
        self.check(self.output.stdout.is_empty(), "expected an empty stdout")
    }

    /// Asserts that the process did not panic (docs/spec.md §8: a panic is always a bug) and was not killed by a
    /// signal.
    #[track_caller]
    pub fn assert_no_panic(&self) -> &Run {
        let stderr = self.stderr();
        self.check(
            self.code().is_some() && !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
            "the process panicked or was killed",
        )
    }
}

/// Header of [`good_needs`]: every column of the needs dictionary, in dictionary order.
pub const NEEDS_HEADER: &str = "need_id,requester,requester_type,region,commitments,kinds,amount_usd,funding_mode,min_award_usd,priority,start_earliest,start_latest,duration_months,implementer_type,source_report,title,notes";

/// Header of [`good_offers`]: every column of the offers dictionary, in dictionary order.
pub const OFFERS_HEADER: &str = "offer_id,donor,donor_type,envelope_usd,cap_per_need_usd,floor_per_need_usd,max_awards,commitments,themes,kinds,regions_m49,countries_include,countries_exclude,recipient_flags,implementer_types,requires_national_report,allow_cofinance,window_start,window_end,duration_min_months,duration_max_months,title,notes";

/// A small valid needs.csv: the header and three records on lines 2–4 (LF endings, final newline), so a record
/// appended to it starts on line 5. Tests mutate it.
pub fn good_needs() -> String {
    [
        NEEDS_HEADER,
        "BFA-01,BFA,state,11,ITI-2a;ITI-2b,equipment;training,185000,all_or_nothing,,1,2013-03-01,2013-09-30,12,un_agency,NR-2012,Marking machines and operator training,Two dot-peen machines; Ouagadougou and Bobo-Dioulasso.",
        "NER-01,NE,,,POA-N-2g;POA-R-3b,technical;equipment,310000,partial,150000,2,2013-04-01,2013-12-31,24,ngo,NR-2012,\"Armouries, phase 1\",\"Border posts first; the \"\"north\"\" later\"",
        "ECOWAS-01,ECOWAS,regional_org,11,POA-R-3b,training,90000,,,3,,,,regional_org,,Regional border training,",
    ]
    .map(|line| format!("{line}\n"))
    .concat()
}

/// A small valid offers.csv: the header and three records on lines 2–4 (LF endings, final newline), so a record
/// appended to it starts on line 5. Tests mutate it.
pub fn good_offers() -> String {
    [
        OFFERS_HEADER,
        "UNSCAR-2013,UNSCAR,fund,600000,200000,50000,3,,marking;stockpile_management,financial;technical;training,,,,,un_agency;ngo,true,true,2013-01-01,2013-12-31,12,24,\"UNSCAR, first call\",",
        "DEU-2013,DEU,state,500000,300000,,,POA-N-2g;ITI-3b,,equipment;technical,2,,SOM,LDC;LLDC,,false,false,,,,,Germany: stockpile security,",
        "EU-2013,EU,regional_org,400000,,,,POA-R-3b,,,11,BF;NER,,,,,,2013-01-01,,,36,EU border programme,",
    ]
    .map(|line| format!("{line}\n"))
    .concat()
}

/// Number of records in [`good_needs`].
pub const GOOD_NEEDS_ROWS: usize = 3;
/// Number of records in [`good_offers`].
pub const GOOD_OFFERS_ROWS: usize = 3;

/// Writes the good pair to `data/needs.csv` and `data/offers.csv` in `dir`.
pub fn write_good_pair(dir: &TestDir) {
    dir.write("data/needs.csv", good_needs());
    dir.write("data/offers.csv", good_offers());
}

/// Quotes one CSV field by RFC 4180 when it needs it.
pub fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// One CSV record (no line end) for `header`: every column blank except `values`, given as (column, value).
/// Panics on a column that the header does not have.
pub fn csv_row(header: &str, values: &[(&str, &str)]) -> String {
    let columns: Vec<&str> = header.split(',').collect();
    for (name, _) in values {
        assert!(columns.contains(name), "column {name:?} is not in the header {header:?}");
    }
    columns
        .iter()
        .map(|col| values.iter().rev().find(|(name, _)| name == col).map_or(String::new(), |(_, v)| csv_field(v)))
        .collect::<Vec<_>>()
        .join(",")
}

/// Replaces every LF line end (also those inside quoted fields) with CRLF.
pub fn to_crlf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', "\r\n")
}

/// Rewrites a CSV text with its columns in `order` (given as header names), using the csv crate.
pub fn reorder_columns(text: &str, order: &[&str]) -> String {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let headers = reader.headers().expect("header").clone();
    let index: Vec<usize> = order
        .iter()
        .map(|name| headers.iter().position(|h| h == *name).unwrap_or_else(|| panic!("no column {name:?}")))
        .collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(order).unwrap();
    for record in reader.records() {
        let record = record.expect("record");
        writer.write_record(index.iter().map(|&i| &record[i])).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

/// Runs the real `poa-match` binary like [`run`], with extra environment variables set.
pub fn run_with_env(args: &[&str], dir: &Path, env: &[(&str, &str)]) -> Run {
    // `--quiet`: a search that runs a few seconds (a debug build, a loaded machine) prints a status line to a
    // stderr that is not a terminal, and the tests read stderr for what the command reports, not for that line.
    let output = Command::new(BIN)
        .arg("--quiet")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .env("NO_COLOR", "1")
        .env_remove("RUST_LOG")
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("could not start {BIN}: {e}"));
    Run { args: args.iter().map(|a| a.to_string()).collect(), dir: dir.to_path_buf(), output }
}

impl TestDir {
    /// Runs the binary with `args` and extra environment variables, in this directory.
    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        run_with_env(args, self.path(), env)
    }
}

/// Every file below `dir` (relative paths, sorted) with its bytes.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let bytes = std::fs::read(&path).unwrap_or_default();
                out.push((path.strip_prefix(root).unwrap().to_path_buf(), bytes));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Every file below `dir` (as [`snapshot`]) with the `timings` field taken out of the JSON files that carry it
/// (run.json, simulate.json): the only field that may differ between runs of the same inputs.
pub fn outputs_without_timings(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    snapshot(dir)
        .into_iter()
        .map(|(name, bytes)| {
            if name.as_os_str() == "run.json" || name.as_os_str() == "simulate.json" {
                let mut v: serde_json::Value = serde_json::from_slice(&bytes).expect("the run's JSON");
                assert!(v.as_object_mut().unwrap().remove("timings").is_some(), "{} has no timings", name.display());
                (name, serde_json::to_vec_pretty(&v).unwrap())
            } else {
                (name, bytes)
            }
        })
        .collect()
}

/// A CSV file as rows of named fields.
pub fn csv_rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().expect("a header").iter().map(str::to_string).collect();
    reader
        .records()
        .map(|r| header.iter().cloned().zip(r.expect("a record").iter().map(str::to_string)).collect())
        .collect()
}

/// A needs record (no line end): a valid base (`X-01`, BFA, ITI-2a, equipment, 100000) with `values` applied.
pub fn need_record(values: &[(&str, &str)]) -> String {
    let mut all = vec![
        ("need_id", "X-01"),
        ("requester", "BFA"),
        ("commitments", "ITI-2a"),
        ("kinds", "equipment"),
        ("amount_usd", "100000"),
    ];
    all.extend_from_slice(values);
    csv_row(NEEDS_HEADER, &all)
}

/// An offers record (no line end): a valid base (`X-01`, NLD, 100000) with `values` applied.
pub fn offer_record(values: &[(&str, &str)]) -> String {
    let mut all = vec![("offer_id", "X-01"), ("donor", "NLD"), ("envelope_usd", "100000")];
    all.extend_from_slice(values);
    csv_row(OFFERS_HEADER, &all)
}

/// A small study on the bundled sample: random pledges, a demand change, a removed offer, few draws and a node
/// limit so that it runs in seconds in a debug build.
pub const SMALL_STUDY: &str = r#"
draws = 12
seed = 99
[realisation]
probability = 0.8
share = [0.6, 1.0]
[[scenario]]
name = "baseline"
[[scenario]]
name = "<b>more</b> & less"
draws = 7
envelope_factor.donor = { USA = 1.5 }
demand_factor.theme.marking = 1.3
remove_offers = ["UNSCAR-2013"]
[scenario.realisation.donor.DEU]
probability = 0.3
"#;

/// Asserts that two output folders hold the same files with the same bytes (run.json and simulate.json without
/// their timings).
pub fn assert_same_outputs(a: &Path, b: &Path) {
    let (x, y) = (outputs_without_timings(a), outputs_without_timings(b));
    let names = |v: &[(PathBuf, Vec<u8>)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&x), names(&y));
    for ((name, p), (_, q)) in x.iter().zip(&y) {
        assert!(p == q, "{} differs between {} and {}", name.display(), a.display(), b.display());
    }
}
