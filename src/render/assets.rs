//! The page's style sheet and script, kept as files beside this module and compiled in, so the page loads
//! nothing from anywhere.
//!
//! - `assets/style.css`: no web font (the system's, with CJK families named for Chinese);
//! - `assets/script.js`: sorting by a column heading (click or Enter) and a filter box above each table that
//!   asks for one. It reads its labels from data attributes, so it is the same text in every language (and one
//!   CSP hash).

/// The style sheet, inlined in every page.
pub const STYLE: &str = include_str!("assets/style.css");

/// The script, inlined at the end of every page.
pub const SCRIPT: &str = include_str!("assets/script.js");
