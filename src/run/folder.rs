//! A run owns its output folder (docs/spec.md §6): the files an earlier run of poa-match left there and this run
//! does not write go when this run's files are renamed into place, in the same step (see
//! [`crate::io::atomic::Staged::retire`]), so that a folder never shows one run's report beside another run's
//! tables.
//!
//! Only files poa-match itself writes are ever removed: names of a kind of run (a match, a study, a follow-up)
//! found beside that kind's record (run.json, simulate.json, track.json), and DIMACS files that poa-match wrote
//! (their first line says so). A run takes over a kind's files when it writes one of them: a match that rewrites
//! run.json, or a study that rewrites a match's report.html. A folder without such a record is left alone, and so
//! is every other file. An earlier round's ledger.csv is never removed, since people keep its statuses up to date
//! (docs/spec.md §9): a run that would leave it beside outputs of another run is refused.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::io::outputs::TableFormat;

/// The kinds of run that write an output folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FolderKind {
    /// `match` (and `replay --keep`).
    Match,
    /// `simulate` without `--shard`, and `merge`.
    Study,
    /// `track`.
    Track,
}

/// The output ledger of a round: written by poa-match, then kept by people, so never removed.
pub const LEDGER: &str = "ledger.csv";

/// How the first line of a DIMACS file that poa-match wrote begins (see [`super::stage_network`]).
const NETWORK_MARK: &[u8] = b"c poa-match ";

impl FolderKind {
    /// Every kind.
    pub const ALL: [FolderKind; 3] = [FolderKind::Match, FolderKind::Study, FolderKind::Track];

    /// The record that marks a folder as holding this kind's outputs.
    pub fn record(self) -> &'static str {
        match self {
            FolderKind::Match => "run.json",
            FolderKind::Study => "simulate.json",
            FolderKind::Track => "track.json",
        }
    }

    fn tables(self) -> &'static [&'static str] {
        match self {
            FolderKind::Match => &crate::report::schema::TABLES,
            FolderKind::Study => &crate::simulate::tables::TABLES,
            FolderKind::Track => &crate::track::tables::TABLES,
        }
    }

    fn workbook(self) -> &'static str {
        match self {
            FolderKind::Match => crate::report::schema::WORKBOOK,
            FolderKind::Study => crate::simulate::tables::WORKBOOK,
            FolderKind::Track => crate::track::tables::WORKBOOK,
        }
    }

    /// The names of the files that hold this kind's tables in `format` (a file per table, or one workbook).
    pub fn table_files(self, format: TableFormat) -> Vec<String> {
        format.file_names(self.workbook(), self.tables())
    }

    fn page(self) -> &'static str {
        match self {
            FolderKind::Match | FolderKind::Study => "report.html",
            FolderKind::Track => "track.html",
        }
    }

    /// The files a run of this kind writes into `dir` with tables in `format`, in the order it writes them (a
    /// match's ledger and network aside).
    pub fn files(self, dir: &Path, format: TableFormat) -> Vec<PathBuf> {
        let tables = self.table_files(format).into_iter();
        tables.chain([self.page().to_string(), self.record().to_string()]).map(|name| dir.join(name)).collect()
    }

    /// Every name a run of this kind may write into its folder, in any format (not the ledger, which a run never
    /// removes).
    fn names(self) -> Vec<String> {
        let tables = TableFormat::ALL.into_iter().flat_map(|f| self.table_files(f));
        tables.chain([self.page().to_string(), self.record().to_string()]).collect()
    }
}

/// A record of a poa-match run: a JSON object with the version, inputs and options that every record starts with.
fn read_record(path: &Path) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(path).ok()?;
    let record: serde_json::Value = serde_json::from_str(&text).ok()?;
    let ok = record["version"].is_string() && record["inputs"].is_object() && record["options"].is_object();
    ok.then_some(record)
}

/// The name of `path` if it lies directly in the folder whose canonical path is `dir`.
fn name_in(dir: &Path, path: &Path) -> Option<OsString> {
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    (parent.canonicalize().ok()? == dir).then(|| path.file_name().map(OsString::from)).flatten()
}

/// Whether `path` is a regular file (not a link, not a folder).
fn is_file(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

/// The DIMACS files directly in `dir` that poa-match wrote.
fn own_networks(dir: &Path) -> Result<Vec<OsString>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "dimacs") || !is_file(&path) {
            continue;
        }
        let mut head = [0u8; NETWORK_MARK.len()];
        let marked =
            std::fs::File::open(&path).and_then(|mut f| f.read_exact(&mut head)).is_ok() && head == NETWORK_MARK;
        if marked {
            found.push(entry.file_name());
        }
    }
    Ok(found)
}

/// The files of `dir` that an earlier run of poa-match left and that a run writing `written` makes stale, sorted
/// by name: to be retired with the run's own files. An error (usage) when the run would leave an earlier round's
/// ledger.csv beside outputs that are not that round's: it is never removed, and the hint says what to do.
pub fn stale_outputs(dir: &Path, written: &[&Path]) -> Result<Vec<PathBuf>> {
    let Ok(here) = dir.canonicalize() else { return Ok(Vec::new()) };
    let written: BTreeSet<OsString> = written.iter().filter_map(|path| name_in(&here, path)).collect();
    let mut stale: BTreeSet<OsString> = BTreeSet::new();
    for kind in FolderKind::ALL {
        let names = kind.names();
        // A run takes over a kind's files only when it writes one of them; else both sets stay whole side by side.
        if !names.iter().any(|name| written.contains(&OsString::from(name))) {
            continue;
        }
        let Some(record) = read_record(&dir.join(kind.record())) else { continue };
        let left = names.into_iter().map(OsString::from).filter(|name| is_file(&dir.join(name)));
        stale.extend(left.filter(|name| !written.contains(name)));
        if kind == FolderKind::Match {
            stale.extend(own_networks(dir)?.into_iter().filter(|name| !written.contains(name)));
            let round = record["options"]["rounds"].is_object();
            let ledger = dir.join(LEDGER);
            if round && is_file(&ledger) && !written.contains(&OsString::from(LEDGER)) {
                return Err(Error::usage(format!(
                    "{}: the ledger of the earlier round in this folder, which this run would leave beside its own \
                     outputs; poa-match never removes a ledger, since it may hold your status updates (hint: move \
                     it out of {}, or write this run to another --out)",
                    ledger.display(),
                    dir.display()
                )));
            }
        }
    }
    Ok(stale.into_iter().map(|name| dir.join(name)).collect())
}

/// Checks, before a run does its work, that writing `files` may take over `dir`: the refusal of
/// [`stale_outputs`], early.
pub fn check(dir: &Path, files: &[PathBuf]) -> Result<()> {
    stale_outputs(dir, &files.iter().map(PathBuf::as_path).collect::<Vec<_>>()).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(paths: &[PathBuf]) -> Vec<String> {
        paths.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect()
    }

    const RECORD: &str = r#"{"version": "0.1.0", "inputs": {}, "options": {"rounds": null}}"#;

    #[test]
    fn only_an_earlier_runs_files_beside_its_record_are_stale() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for name in ["matches.json", "summary.json", "notes.txt", "matches.xlsx"] {
            std::fs::write(d.join(name), "x").unwrap();
        }
        std::fs::write(d.join("net.dimacs"), "c poa-match 0.1.0 flow relaxation\np min 1 0\n").unwrap();
        std::fs::write(d.join("mine.dimacs"), "c mine\n").unwrap();
        let csv = FolderKind::Match.files(d, TableFormat::Csv);
        let written: Vec<&Path> = csv.iter().map(PathBuf::as_path).collect();
        // No record: nothing is poa-match's for sure.
        assert!(stale_outputs(d, &written).unwrap().is_empty());
        std::fs::write(d.join("run.json"), RECORD).unwrap();
        assert_eq!(names(&stale_outputs(d, &written).unwrap()), ["matches.json", "net.dimacs", "summary.json"]);
        // A follow-up writes none of a match's files: it takes nothing over.
        let track = FolderKind::Track.files(d, TableFormat::Csv);
        assert!(stale_outputs(d, &track.iter().map(PathBuf::as_path).collect::<Vec<_>>()).unwrap().is_empty());
        // A study rewrites report.html: the match's files go, run.json with them.
        let study = FolderKind::Study.files(d, TableFormat::Csv);
        let stale = stale_outputs(d, &study.iter().map(PathBuf::as_path).collect::<Vec<_>>()).unwrap();
        assert_eq!(names(&stale), ["matches.json", "net.dimacs", "run.json", "summary.json"]);
    }

    #[test]
    fn a_run_in_one_format_takes_over_the_files_of_another() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for kind in FolderKind::ALL {
            for file in kind.files(d, TableFormat::Csv) {
                std::fs::write(file, "x").unwrap();
            }
            std::fs::write(d.join(kind.record()), RECORD).unwrap();
            let xlsx = kind.files(d, TableFormat::Xlsx);
            assert_eq!(xlsx.len(), 3, "one workbook, the page and the record");
            let stale = stale_outputs(d, &xlsx.iter().map(PathBuf::as_path).collect::<Vec<_>>()).unwrap();
            let csv_tables: Vec<String> = kind.table_files(TableFormat::Csv);
            assert!(csv_tables.iter().all(|name| names(&stale).contains(name)), "{kind:?}: {stale:?}");
            // And back: the workbook an xlsx run left goes when a CSV run takes the folder over.
            std::fs::write(&xlsx[0], "x").unwrap();
            let csv = kind.files(d, TableFormat::Csv);
            let stale = stale_outputs(d, &csv.iter().map(PathBuf::as_path).collect::<Vec<_>>()).unwrap();
            assert!(stale.contains(&xlsx[0]), "{kind:?}: {stale:?}");
            for entry in std::fs::read_dir(d).unwrap() {
                std::fs::remove_file(entry.unwrap().path()).unwrap();
            }
        }
    }

    #[test]
    fn an_earlier_rounds_ledger_is_refused_not_removed() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("ledger.csv"), "award_id\n").unwrap();
        std::fs::write(d.join("run.json"), RECORD).unwrap();
        let csv = FolderKind::Match.files(d, TableFormat::Csv);
        let written: Vec<&Path> = csv.iter().map(PathBuf::as_path).collect();
        // The record is of no round: the ledger is someone's file, left alone.
        assert!(stale_outputs(d, &written).unwrap().is_empty());
        std::fs::write(d.join("run.json"), RECORD.replace("null", r#"{"round": "2013"}"#)).unwrap();
        let err = stale_outputs(d, &written).unwrap_err();
        assert_eq!(err.exit_code(), 2, "{err}");
        let ledger = d.join("ledger.csv");
        let with_ledger: Vec<&Path> = written.iter().copied().chain([ledger.as_path()]).collect();
        assert!(stale_outputs(d, &with_ledger).unwrap().is_empty());
    }
}
