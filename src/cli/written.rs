//! The last lines of a summary: where the outputs went, file by file, and what an earlier run had left there that
//! this run removed (docs/spec.md §6), so that nobody has to list the folder to know what belongs to the run.

use std::io::Write;
use std::path::Path;

use poa_match::io::atomic::Committed;

/// A file's name when it lies directly in `dir`, else its whole path (a network exported elsewhere).
fn shown(dir: &Path, path: &Path) -> String {
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if parent == dir => name.to_string_lossy().into_owned(),
        _ => path.display().to_string(),
    }
}

/// `written to DIR: a, b, c`, then, if the run removed files, `removed from DIR ...: x, y`.
pub fn print(out: &mut impl Write, dir: &Path, files: &Committed) -> std::io::Result<()> {
    let list = |paths: &[std::path::PathBuf]| paths.iter().map(|p| shown(dir, p)).collect::<Vec<_>>().join(", ");
    writeln!(out, "written to {}: {}", dir.display(), list(&files.written))?;
    if !files.removed.is_empty() {
        writeln!(
            out,
            "removed from {} (left by an earlier run, not written by this one): {}",
            dir.display(),
            list(&files.removed)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn names_files_in_the_folder_and_paths_elsewhere() {
        let dir = Path::new("out");
        let files = Committed {
            written: vec![PathBuf::from("net/a.dimacs"), dir.join("matches.csv"), dir.join("run.json")],
            removed: vec![dir.join("matches.json")],
        };
        let mut text = Vec::new();
        print(&mut text, dir, &files).unwrap();
        assert_eq!(
            String::from_utf8(text).unwrap(),
            "written to out: net/a.dimacs, matches.csv, run.json\n\
             removed from out (left by an earlier run, not written by this one): matches.json\n"
        );
    }
}
