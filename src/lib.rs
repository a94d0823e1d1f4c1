//! # poa-match
//!
//! Matches assistance **needs** (requests from States and regional organisations) with assistance **offers**
//! (donor envelopes, trust-fund calls) under the UN Programme of Action on small arms and light weapons (PoA) and
//! the International Tracing Instrument (ITI), exactly: the allocation of most value under every donor's rules,
//! with a proven bound on what any allocation could reach. The contract is `docs/spec.md`; the solver's design is
//! `docs/solver.md`.
//!
//! ## Overview
//!
//! A run reads a batch, builds the graph of eligible pairs, solves and writes:
//!
//! - [`Reference`]: the commitment catalogue, country table and M49 areas (embedded, or read from files);
//! - [`read_batch`] (and [`io::read_needs`], [`io::read_offers`]): needs.csv and offers.csv into a [`Batch`],
//!   every bad cell reported with file, line, column and field ([`Error`]);
//! - [`build_graph`]: the eligible (need, offer) pairs with the value of a dollar on each, under [`Weights`];
//! - [`solve()`]: an allocation by a [`Method`] within [`Limits`], as a [`Solution`] with its [`Status`], bound
//!   and gap; every solution is checked against all the rules before it is returned;
//! - [`solve_batch`] and [`write_outputs`]: the `match` command's pipeline, from a [`SolveConfig`] and an
//!   [`OutputConfig`] to the tables, report.html and run.json, written whole or not at all.
//!
//! Data flows one way through the modules, and none reads from a later one: [`model`] → [`catalog`] (reference
//! data, read with [`records`]) → [`io`] (inputs) → [`objective`] and [`graph`] → [`solve`](mod@solve) (allocation; the
//! min-cost flow itself is the `mcf` crate) → [`report`] (typed rows, the run record, table schemas and words
//! in each [`Lang`]) → [`render`] (pages) → [`run`] (the pipelines and the files). [`scenario`] and [`simulate`]
//! draw planners' funding scenarios and solve each draw; [`generate`] writes seeded synthetic batches (and
//! ledgers). [`track`], beside [`report`], follows up a ledger of awards against a batch as of a given date.
//! [`iati`] turns donors' IATI activity files into candidate offers. [`template`] writes blank input workbooks
//! from the column dictionaries and the reference tables.
//!
//! ## Example: the bundled sample
//!
//! ```
//! use poa_match::{Method, Limits, Reference, ReadOptions, Status, Weights, build_graph, read_batch, solve};
//!
//! let reference = Reference::embedded();
//! let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
//! let batch =
//!     read_batch(&sample.join("needs.csv"), &sample.join("offers.csv"), reference, ReadOptions::default()).unwrap();
//!
//! let graph = build_graph(&batch, reference, &Weights::default());
//! let solution = solve(&batch, &graph, Method::Optimal, Limits::default()).unwrap();
//! assert_eq!(solution.status, Status::Optimal);
//! assert_eq!(solution.objective, solution.bound);
//! println!("{} needs, {} eligible pairs, value {}", batch.needs.len(), graph.edges.len(), solution.objective);
//! ```
//!
//! `examples/` has more: a DIMACS file solved with the min-cost flow alone, a search's timings, the readers'
//! memory.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod catalog;
pub mod error;
pub mod generate;
pub mod graph;
pub mod iati;
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
pub mod template;
pub mod track;

pub use catalog::Reference;
pub use error::{Error, ErrorKind, Location, Result};
pub use graph::{Graph, build as build_graph};
pub use io::{ReadOptions, read_batch};
pub use lang::Lang;
pub use model::{Batch, Need, Offer, Usd};
pub use objective::Weights;
pub use run::{MatchOutcome, OutputConfig, SolveConfig, solve_batch, write_outputs};
pub use solve::{GapLimit, Limits, Method, Solution, Status, solve};
