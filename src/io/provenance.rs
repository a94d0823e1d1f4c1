//! Where an input came from, as run.json, simulate.json and the report pages record it: its path (or the bundled
//! sample's label), the rows read and the SHA-256 of its bytes. Built by whoever reads the file (the binary, a
//! scenario's added offers); read by the run record and the pages, which sit above.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// An input file as the run record keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputInfo {
    /// The path (or `... (bundled)`).
    pub path: String,
    /// Data rows read.
    pub rows: usize,
    /// SHA-256 of the bytes read, lower-case hex.
    pub sha256: String,
}

/// A file read whole rather than as a table (the weights file), as the run record keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileInfo {
    /// The path as given.
    pub path: String,
    /// SHA-256 of the bytes read, lower-case hex.
    pub sha256: String,
}

impl FileInfo {
    /// The record of `bytes` read from `path`.
    pub fn of_bytes(path: &str, bytes: &[u8]) -> FileInfo {
        FileInfo { path: path.to_string(), sha256: sha256_hex(bytes) }
    }
}

/// The lower-case hex SHA-256 of `bytes` (for a file read whole rather than through
/// [`super::hashing::HashingReader`]).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of a digest.
pub(crate) fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_as_hex() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
