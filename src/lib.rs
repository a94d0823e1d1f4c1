//! # poa-match
//!
//! Matches assistance **needs** (requests from States and regional organisations) with assistance **offers**
//! (donor envelopes, trust-fund calls) under the UN Programme of Action on small arms and light weapons (PoA) and
//! the International Tracing Instrument (ITI).
//!
//! The pipeline, one module per stage:
//! - [`catalog`]: the embedded commitment catalogue, country table and M49 areas;
//! - [`io`]: needs.csv and offers.csv read into the typed [`model`], with every bad cell reported by position;
//! - [`graph`]: the eligibility rules and the indexed bipartite graph of eligible (need, offer) pairs;
//! - [`objective`]: the value of a dollar on each edge;
//! - [`scenario`] and [`simulate`]: planners' funding scenarios, drawn many times and re-solved in parallel;
//! - [`report`]: what a run tells people as typed rows, the run record, the columns of every table and the one
//!   translation table ([`lang`] names the languages);
//! - [`render`]: report.html for `match` and `simulate`, with its charts, styles and script;
//! - [`run`]: the pipelines end to end, from a solve configuration and an output configuration to the files;
//! - [`generate`]: seeded synthetic batches calibrated to the published figures, from sample size to benchmark size;
//!
//! ```
//! use poa_match::catalog::Reference;
//! use poa_match::io::{ReadOptions, read_needs};
//!
//! let csv = "need_id,requester,commitments,kinds,amount_usd\nN1,KE,ITI-2a,equipment,120000\n";
//! let needs = read_needs("needs.csv", csv.as_bytes(), Reference::embedded(), ReadOptions::default()).unwrap();
//! assert_eq!(needs[0].requester_code, "KEN");
//! ```

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod catalog;
pub mod error;
pub mod generate;
pub mod graph;
pub mod io;
pub mod lang;
pub mod model;
pub mod objective;
pub mod records;
pub mod render;
pub mod report;
pub mod run;
pub mod scenario;
pub mod simulate;
pub mod solve;

pub use error::{Error, ErrorKind, Location, Result};
