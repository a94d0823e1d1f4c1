//! What a replay that found a difference prints: the first differing file on the error line, each file's first
//! difference with the text on both sides, and a hint at the likely cause.

use std::path::Path;

use poa_match::report::RecordedRun;
use poa_match::run::replay::{Change, Comparison, FileComparison, Verdict};

/// Prints what differs, the first file on the error line, then each file's first difference and a hint.
pub fn report_differences(comparison: &Comparison, changes: &[Change], record: &RecordedRun, this_version: &str) {
    let differing: Vec<&FileComparison> = comparison.differing().collect();
    match differing.split_first() {
        None => eprintln!(
            "error: the outputs are identical, but the options given differ from the record, so this is not the \
             recorded run"
        ),
        Some((first, rest)) => {
            let more = if rest.is_empty() {
                String::new()
            } else {
                let names: Vec<String> = rest.iter().map(|f| short_name(&f.published)).collect();
                format!(" ({} more differ: {})", rest.len(), names.join(", "))
            };
            eprintln!("error: {}{more}", what_differs(first));
            for file in &differing {
                if let Verdict::Differs(d) = &file.verdict {
                    let shown =
                        |side: &Option<String>| side.as_ref().map_or("(end of file)".into(), |t| format!("{t:?}"));
                    let at = match &d.key {
                        Some(key) => format!("{} line {} ({key})", file.published.display(), d.line),
                        None => format!("{} line {}", file.published.display(), d.line),
                    };
                    eprintln!("  {at}: published {}", shown(&d.published));
                    eprintln!("  {at}: re-run    {}", shown(&d.rerun));
                }
            }
            if differing.iter().all(|f| short_name(&f.published) == "run.json") {
                eprintln!("  (the tables and report.html are identical)");
            }
        }
    }
    let hint = if !changes.is_empty() {
        let names: Vec<&str> = changes.iter().map(|c| c.name.as_str()).collect();
        format!(
            "the options given differ from the record ({}); replay without them checks the run as recorded",
            names.join(", ")
        )
    } else if record.version != this_version {
        format!("the record was written by poa-match {}; replay with that version", record.version)
    } else if record.status == "time_limit" {
        "the recorded search stopped at its time limit, so where it stopped depended on the machine and its load; \
         a search proved optimal or stopped by --node-limit or --gap-limit is reproducible"
            .to_string()
    } else {
        "the published files were changed after the run (or this machine computes differently: please report it)"
            .to_string()
    };
    eprintln!("hint: {hint}");
}

/// One line on a file's first difference.
fn what_differs(file: &FileComparison) -> String {
    match &file.verdict {
        Verdict::Missing => format!("{} is missing (the re-run writes it)", file.published.display()),
        Verdict::Differs(d) => {
            let key = d.key.as_ref().map_or(String::new(), |k| format!(" ({k})"));
            format!("{} differs from the re-run at line {}, column {}{key}", file.published.display(), d.line, d.column)
        }
        Verdict::Identical => format!("{} is identical", file.published.display()),
    }
}

fn short_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}
