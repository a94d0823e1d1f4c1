//! `poa-match generate` end to end: the real binary, in temporary directories.

use std::path::Path;
use std::process::{Command, Output};

fn poa_match(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_poa-match")).args(args).output().expect("the binary runs")
}

fn show(args: &[&str], output: &Output) -> String {
    format!(
        "poa-match {}\nstatus: {}\nstdout:\n{}\nstderr:\n{}",
        args.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn run_ok(args: &[&str]) -> String {
    let output = poa_match(args);
    assert!(output.status.success(), "{}", show(args, &output));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn generate_into(dir: &Path, extra: &[&str]) -> String {
    let out = dir.to_str().expect("a UTF-8 temporary path");
    let mut args = vec!["generate", "--needs", "2000", "--offers", "200", "--seed", "7", "--out", out];
    args.extend_from_slice(extra);
    run_ok(&args)
}

#[test]
fn same_seed_gives_byte_identical_files_that_validate() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b/nested");
    let summary = generate_into(&a, &[]);
    assert!(summary.contains("wrote 2000 needs"), "{summary}");
    assert!(summary.contains("200 offers"), "{summary}");
    generate_into(&b, &[]);
    for file in ["needs.csv", "offers.csv"] {
        let left = std::fs::read(a.join(file)).unwrap();
        let right = std::fs::read(b.join(file)).unwrap();
        assert!(left == right, "{file} differs between two runs with the same seed");
    }
    // Nothing but the two files is left behind.
    let mut names: Vec<String> =
        std::fs::read_dir(&a).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["needs.csv", "offers.csv"]);

    let needs = a.join("needs.csv");
    let offers = a.join("offers.csv");
    let args = ["validate", "--needs", needs.to_str().unwrap(), "--offers", offers.to_str().unwrap()];
    let report = run_ok(&args);
    assert!(report.contains("2000 needs"), "{report}");
    assert!(report.contains("ok: no errors"), "{report}");
}

#[test]
fn another_seed_and_partial_only_change_the_files_and_still_validate() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().join("base");
    let other = tmp.path().join("other");
    let partial = tmp.path().join("partial");
    generate_into(&base, &[]);
    let out = other.to_str().unwrap();
    run_ok(&["generate", "--needs", "2000", "--offers", "200", "--seed", "8", "--out", out]);
    generate_into(&partial, &["--partial-only"]);
    let read = |dir: &Path, file: &str| std::fs::read(dir.join(file)).unwrap();
    assert_ne!(read(&base, "needs.csv"), read(&other, "needs.csv"));
    let partial_needs = String::from_utf8(read(&partial, "needs.csv")).unwrap();
    assert!(!partial_needs.contains("all_or_nothing"));
    for dir in [&other, &partial] {
        let needs = dir.join("needs.csv");
        let offers = dir.join("offers.csv");
        run_ok(&["validate", "--needs", needs.to_str().unwrap(), "--offers", offers.to_str().unwrap()]);
    }
}

#[test]
fn bad_sizes_are_usage_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("x");
    for args in [
        vec!["generate", "--needs", "0", "--out", out.to_str().unwrap()],
        vec!["generate", "--offers", "-3", "--out", out.to_str().unwrap()],
        vec!["generate", "--needs", "10"],
    ] {
        let output = poa_match(&args);
        assert_eq!(output.status.code(), Some(2), "{}", show(&args, &output));
    }
    assert!(!out.exists());
}

#[test]
fn an_output_path_that_is_a_file_is_an_io_error() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("plain");
    std::fs::write(&file, "not a directory").unwrap();
    let args = ["generate", "--out", file.to_str().unwrap()];
    let output = poa_match(&args);
    assert_eq!(output.status.code(), Some(1), "{}", show(&args, &output));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not a directory"));
}
