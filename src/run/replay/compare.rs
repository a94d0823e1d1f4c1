//! The last step of a replay (docs/spec.md §10): the outputs written again, compared with the published ones
//! byte for byte. run.json is compared without its timings, the one part of the record that varies between runs
//! of one match; every other byte of every file must agree.
//!
//! A difference is placed at its line and column, with the text on both sides, and for run.json the key it lies
//! under (`options.limits.gap_limit`), so that a reader sees at once what changed without a diff tool.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

use super::difference::excerpt;
pub use super::difference::{Difference, byte_difference};

/// The record file, compared without its timings.
const RECORD: &str = "run.json";
/// The record's top-level key that holds the seconds per stage.
const TIMINGS_KEY: &str = "\"timings\": {";

/// How one output compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Byte for byte the same (run.json: but for its timings).
    Identical,
    /// Not the same; the first difference.
    Differs(Difference),
    /// The re-run wrote it, the published folder does not have it.
    Missing,
}

/// One output file compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileComparison {
    /// The published file.
    pub published: PathBuf,
    /// How it compares.
    pub verdict: Verdict,
}

/// Every output of a re-run compared with the published folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// The re-run's outputs in name order, each with its verdict.
    pub files: Vec<FileComparison>,
    /// Files of the published folder that the re-run does not write (left alone: another run's outputs, notes).
    pub not_compared: Vec<String>,
}

impl Comparison {
    /// Whether every output is identical.
    pub fn identical(&self) -> bool {
        self.files.iter().all(|f| f.verdict == Verdict::Identical)
    }

    /// The outputs that are not identical, in name order.
    pub fn differing(&self) -> impl Iterator<Item = &FileComparison> {
        self.files.iter().filter(|f| f.verdict != Verdict::Identical)
    }
}

/// Compares every file the re-run wrote into `rerun_dir` with the file of that name in `published_dir`, but for
/// the file named `skip` on either side (the exported network, compared where it was published).
pub fn compare_dirs(published_dir: &Path, rerun_dir: &Path, skip: Option<&str>) -> Result<Comparison> {
    let wanted = |name: &String| Some(name.as_str()) != skip;
    let rerun_names: Vec<String> = file_names(rerun_dir)?.into_iter().filter(wanted).collect();
    let mut files = Vec::with_capacity(rerun_names.len());
    for name in &rerun_names {
        let published = published_dir.join(name);
        let verdict = compare_file(&published, &rerun_dir.join(name), name == RECORD)?;
        files.push(FileComparison { published, verdict });
    }
    let not_compared =
        file_names(published_dir)?.into_iter().filter(|n| wanted(n) && !rerun_names.contains(n)).collect();
    Ok(Comparison { files, not_compared })
}

/// Compares one published file with the re-run's; `record` compares them as run.json (timings left out).
pub fn compare_file(published: &Path, rerun: &Path, record: bool) -> Result<Verdict> {
    let rerun_bytes = std::fs::read(rerun).map_err(|e| Error::io(rerun, e))?;
    let published_bytes = match std::fs::read(published) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Verdict::Missing),
        Err(e) => return Err(Error::io(published, e)),
    };
    let workbook = rerun.extension().is_some_and(|e| e == "xlsx");
    let difference = if record {
        record_difference(&String::from_utf8_lossy(&published_bytes), &String::from_utf8_lossy(&rerun_bytes))
    } else if workbook && published_bytes != rerun_bytes {
        super::workbook::workbook_difference(&published_bytes, &rerun_bytes)
            .or_else(|| byte_difference(&published_bytes, &rerun_bytes))
    } else {
        byte_difference(&published_bytes, &rerun_bytes)
    };
    Ok(difference.map_or(Verdict::Identical, Verdict::Differs))
}

/// The names of the regular files directly in `dir`, sorted.
fn file_names(dir: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        if entry.file_type().map_err(|e| Error::io(entry.path(), e))?.is_file() {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    Ok(names)
}

/// The first difference of two run.json texts, their `timings` objects left out; lines are the published file's.
pub fn record_difference(published: &str, rerun: &str) -> Option<Difference> {
    let kept_published = without_timings(published);
    let kept_rerun = without_timings(rerun);
    let at = kept_published.iter().zip(&kept_rerun).position(|(a, b)| a.1 != b.1);
    let at = match at {
        Some(at) => at,
        None if kept_published.len() == kept_rerun.len() => return None,
        None => kept_published.len().min(kept_rerun.len()),
    };
    let published_line = kept_published.get(at).map(|l| l.1);
    let rerun_line = kept_rerun.get(at).map(|l| l.1);
    let column = match (published_line, rerun_line) {
        (Some(a), Some(b)) => a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count() + 1,
        _ => 1,
    };
    let line = kept_published.get(at).map_or_else(|| published.lines().count() + 1, |l| l.0 + 1);
    let key = match kept_published.get(at) {
        Some(&(index, _)) => key_path(&published.lines().collect::<Vec<_>>(), index),
        None => kept_rerun.get(at).and_then(|&(index, _)| key_path(&rerun.lines().collect::<Vec<_>>(), index)),
    };
    Some(Difference {
        line,
        column,
        published: published_line.map(|l| excerpt(l, column)),
        rerun: rerun_line.map(|l| excerpt(l, column)),
        key,
    })
}

/// The lines of a pretty-printed run.json with their 0-based numbers, the top-level `timings` object left out.
fn without_timings(text: &str) -> Vec<(usize, &str)> {
    let mut kept = Vec::new();
    let mut inside = false;
    for (index, line) in text.lines().enumerate() {
        let top_level = line.starts_with("  ") && !line.starts_with("   ");
        if !inside && top_level && line[2..].starts_with(TIMINGS_KEY) {
            inside = !line.trim_end().ends_with('}') && !line.trim_end().ends_with("},");
            continue;
        }
        if inside {
            inside = !(top_level && line[2..].starts_with('}'));
            continue;
        }
        kept.push((index, line));
    }
    kept
}

/// The dotted key that line `index` of a pretty-printed JSON text lies under (`options.limits.gap_limit`), found
/// from the indentation of the lines that open its objects.
fn key_path(lines: &[&str], index: usize) -> Option<String> {
    let mut open: Vec<(usize, Option<&str>)> = Vec::new();
    for (i, line) in lines.iter().enumerate().take(index + 1) {
        let indent = line.len() - line.trim_start().len();
        while open.last().is_some_and(|&(at, _)| at >= indent) {
            open.pop();
        }
        let key = line.trim_start().strip_prefix('"').and_then(|rest| rest.split_once("\": ")).map(|(k, _)| k);
        if i == index {
            let path: Vec<&str> = open.iter().filter_map(|&(_, k)| k).chain(key).collect();
            return (!path.is_empty()).then(|| path.join("."));
        }
        let trimmed = line.trim_end();
        if trimmed.ends_with('{') || trimmed.ends_with('[') {
            open.push((indent, key));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::difference::EXCERPT;
    use super::*;

    const RECORD_TEXT: &str = "{\n  \"version\": \"0.1.0\",\n  \"options\": {\n    \"method\": \"optimal\",\n    \
                               \"limits\": {\n      \"node_limit\": 5,\n      \"gap_limit\": 0.0\n    },\n    \
                               \"lang\": \"en\"\n  },\n  \"timings\": {\n    \"read_s\": 0.5\n  }\n}\n";

    #[test]
    fn bytes_differ_at_their_line_and_column() {
        let d = byte_difference(b"a,b\n1,2\n3,4\n", b"a,b\n1,2\n3,5\n").unwrap();
        assert_eq!((d.line, d.column), (3, 3));
        assert_eq!((d.published.as_deref(), d.rerun.as_deref()), (Some("3,4"), Some("3,5")));
        let short = byte_difference(b"a\nb\n", b"a\nb\nc\n").unwrap();
        assert_eq!((short.line, short.published, short.rerun.as_deref()), (3, None, Some("c")));
        assert_eq!(byte_difference(b"same", b"same"), None);
    }

    #[test]
    fn the_records_timings_are_left_out_and_a_difference_names_its_key() {
        let slower = RECORD_TEXT.replace("0.5", "7.25");
        assert_eq!(record_difference(RECORD_TEXT, &slower), None, "timings alone do not count");
        let d =
            record_difference(RECORD_TEXT, &RECORD_TEXT.replace("\"gap_limit\": 0.0", "\"gap_limit\": 0.01")).unwrap();
        assert_eq!((d.line, d.key.as_deref()), (7, Some("options.limits.gap_limit")));
        let d = record_difference(RECORD_TEXT, &RECORD_TEXT.replace("\"en\"", "\"zh\"")).unwrap();
        assert_eq!((d.line, d.key.as_deref()), (9, Some("options.lang")));
        let d = record_difference(RECORD_TEXT, &RECORD_TEXT.replace("0.1.0", "0.2.0")).unwrap();
        assert_eq!(d.key.as_deref(), Some("version"));
    }

    #[test]
    fn a_long_line_is_cut_around_the_difference() {
        let line = "x".repeat(500) + "A" + &"y".repeat(500);
        let other = "x".repeat(500) + "B" + &"y".repeat(500);
        let d = byte_difference(line.as_bytes(), other.as_bytes()).unwrap();
        assert_eq!(d.column, 501);
        let shown = d.published.unwrap();
        assert!(shown.contains('A') && shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(shown.chars().count() <= EXCERPT + 2);
    }
}
