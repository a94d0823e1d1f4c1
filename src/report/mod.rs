//! What a run tells people, as typed data: the rows of a match run's report ([`rows`], built by [`build`]), the
//! reasons for shortfalls ([`shortfall`], and offer by offer [`why`]), one need's outcome offer by offer for
//! `explain` ([`explanation`], laid out by [`explain_text`]), the dimensions totals are broken down by
//! ([`dimensions`]), the run record of run.json ([`record`], its options in [`options`]) and a published
//! allocation read back onto the graph ([`readback`]), the columns of every match table ([`schema`]) and the
//! translation table of every word shown to people ([`words`]).
//!
//! This layer sits between the allocation and the outputs: it reads the batch, the reference tables, the graph
//! and the solution, and knows nothing of HTML or files. The CSV and JSON writers ([`crate::io::outputs`]) write
//! the tables of [`schema`]; the pages ([`crate::render`]) render the rows; [`crate::run`] ties them together.

pub mod awards;
mod build;
pub mod dimensions;
pub mod explain_text;
pub mod explanation;
pub mod options;
pub mod readback;
pub mod record;
pub mod rows;
pub mod schema;
pub mod shortfall;
pub mod why;
pub mod words;

pub use build::{Allocation, build, need_state, need_status, need_statuses};
pub use dimensions::{Dimension, need_region};
pub use options::{RecordedLimits, RoundOptions, RunOptions};
pub use record::{NeedCounts, RecordedInputs, RecordedRun, RunInfo, RunInputs, Timings};
pub use rows::{LedgerTotals, MatchReport, MatchRow, NeedState, NeedStatus, OfferStatus, Origin, SummaryRow, ratio};
pub use shortfall::Shortfall;
pub use why::{Hold, HoldCounts, OfferTotals};
pub use words::Word;
