//! `poa-match replay OUTDIR`: the decision record of docs/spec.md §10 put to the test. A replay reads the
//! record of a published run (run.json, [`crate::report::RecordedRun`]), checks that every input still has
//! the recorded SHA-256 ([`inputs`]), names every option or weight a user asks to change ([`changes`]), runs the
//! match again into a folder of its own and compares every output with the published one ([`compare`]).
//!
//! The reading of the batch and the run itself are the binary's (it holds the bundled sample and the status
//! line); this module holds the checks, so that each can be tested alone.

pub mod changes;
pub mod compare;
mod difference;
pub mod inputs;
mod workbook;

pub use changes::{Change, option_changes, weight_changes};
pub use compare::{Comparison, Difference, FileComparison, Verdict, compare_dirs, compare_file};
pub use inputs::{Expected, Source, check_input};
