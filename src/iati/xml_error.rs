//! What bounds the IATI reader and how it fails: the limits that keep memory bounded and the errors a file can
//! end with. Both the event loop (`reader.rs`) and the state it drives (`state.rs`) report through these, so they
//! sit below both.

/// The most bytes one XML event (a tag with its attributes, a run of text, a comment) may take. IATI elements are
/// small; a longer one is hostile or broken, and refusing it keeps memory bounded.
pub const MAX_TOKEN_BYTES: u64 = 4 << 20;

/// The deepest nesting of elements accepted (IATI needs fewer than ten levels).
pub const MAX_DEPTH: usize = 256;

/// Why a file could not be read as IATI activity XML: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    /// 1-based line at which the problem was found.
    pub line: u64,
    /// 1-based byte position in that line.
    pub column: u64,
    /// What is wrong, as one line.
    pub message: String,
}

/// How reading a file ended early.
#[derive(Debug)]
pub enum ReadError<E> {
    /// The file is not IATI activity XML the import can read.
    Xml(XmlError),
    /// The file could not be read.
    Io(std::io::Error),
    /// The caller stopped the reading with its own error.
    Stopped(E),
}

/// A message that stays on one line and short, whatever names the file put in it.
pub(super) fn one_line(text: &str) -> String {
    let mut out: String = text.chars().take(300).map(|c| if c.is_control() { ' ' } else { c }).collect();
    if text.chars().nth(300).is_some() {
        out.push_str("...");
    }
    out
}
