//! The first step of a replay (docs/spec.md §10): each input the record names, found and hashed again. A file
//! that is missing or whose bytes changed ends the replay with one line that names the input, both SHA-256 and
//! what to do, since outputs can only be checked against the very bytes the run read.

use std::path::{Path, PathBuf};

use crate::io::provenance::sha256_hex;

/// Where a replay finds an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source<'a> {
    /// Compiled into this binary (the bundled sample).
    Bundled(&'a [u8]),
    /// A file: `given` on replay's command line, or else the recorded path, read as match read it (relative to
    /// the working directory).
    File {
        /// The file.
        path: PathBuf,
        /// Whether the replay's command line named it.
        given: bool,
    },
}

/// An input as the record has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected<'a> {
    /// The input's key in run.json (`needs`, `weights_file`).
    pub name: &'a str,
    /// The flag that gives it on the command line (`--needs`).
    pub flag: &'a str,
    /// The recorded SHA-256.
    pub sha256: &'a str,
    /// The version that wrote the record.
    pub version: &'a str,
}

/// Checks an input's bytes against the record: `None` when they agree, else the problem in one line.
pub fn check_input(expected: &Expected<'_>, source: &Source<'_>) -> Option<String> {
    let Expected { name, flag, sha256: recorded, version } = *expected;
    match source {
        Source::Bundled(bytes) => {
            let current = sha256_hex(bytes);
            (current != recorded).then(|| {
                format!(
                    "{name}: the sample bundled in this poa-match has SHA-256 {current}, run.json records {recorded} \
                     (hint: replay with poa-match {version}, which wrote the record, or give the file with {flag} FILE)"
                )
            })
        }
        Source::File { path, given } => match std::fs::read(path) {
            Ok(bytes) => {
                let current = sha256_hex(&bytes);
                (current != recorded).then(|| {
                    format!(
                        "{name} changed: {} has SHA-256 {current}, run.json records {recorded} (hint: replay checks \
                         the outputs against the file the run read; restore that file, or run match again for a \
                         new record)",
                        path.display()
                    )
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(not_found(expected, path, *given)),
            Err(e) => Some(format!("{name}: {}: {e}", path.display())),
        },
    }
}

fn not_found(expected: &Expected<'_>, path: &Path, given: bool) -> String {
    let Expected { name, flag, sha256, .. } = *expected;
    if given {
        return format!("{name}: {} not found (given with {flag})", path.display());
    }
    let relative_to = match std::env::current_dir() {
        Ok(dir) if path.is_relative() => format!(" (relative to {})", dir.display()),
        _ => String::new(),
    };
    format!(
        "{name} not found: {}{relative_to}; run.json records SHA-256 {sha256} (hint: run replay in the folder match \
         ran in, or give the file with {flag} FILE)",
        path.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ABC: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    fn expected(sha256: &str) -> Expected<'_> {
        Expected { name: "offers", flag: "--offers", sha256, version: "0.0.1" }
    }

    #[test]
    fn bundled_bytes_are_checked_against_the_record() {
        assert_eq!(check_input(&expected(ABC), &Source::Bundled(b"abc")), None);
        let problem = check_input(&expected(ABC), &Source::Bundled(b"abd")).unwrap();
        assert!(problem.contains(ABC) && problem.contains("poa-match 0.0.1") && !problem.contains('\n'), "{problem}");
    }

    #[test]
    fn a_missing_file_says_where_it_was_looked_for_and_what_to_do() {
        let path = PathBuf::from("no/such/offers.csv");
        let problem = check_input(&expected(ABC), &Source::File { path: path.clone(), given: false }).unwrap();
        assert!(problem.starts_with("offers not found: no/such/offers.csv (relative to "), "{problem}");
        assert!(problem.contains(ABC) && problem.contains("--offers FILE"), "{problem}");
        let given = check_input(&expected(ABC), &Source::File { path, given: true }).unwrap();
        assert!(given.contains("given with --offers"), "{given}");
    }
}
