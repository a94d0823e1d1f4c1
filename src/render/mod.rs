//! report.html: one self-contained page for people (docs/spec.md §6), for `match` ([`match_page`]), for
//! `simulate` / `merge` ([`simulate_page`]) and, as track.html, for `track` ([`track_page`]), each a pure function
//! of report rows, the run record, the reference tables and the language. This layer reads [`crate::report`]
//! (rows, run record, table columns, words), [`crate::simulate`] (a study's frame and tallies) and
//! [`crate::track`] (a follow-up), and writes no file: [`crate::run`] stages the pages with the other outputs.
//!
//! - **Self-contained**: inline CSS and script ([`assets`], files compiled in), inline SVG charts ([`svg`]); no
//!   font, image, style sheet or script is loaded from anywhere, and a Content-Security-Policy ([`csp`]) makes
//!   the browser refuse any request the page might still try.
//! - **Escaped**: markup is written through [`Html`] ([`builder`]), whose only way to add unescaped text takes a
//!   `&'static str`; every string from an input file goes through escaped text or attribute values.
//! - **Deterministic**: no clock, no path of the output folder and no timing appears, and every list is in a
//!   fixed order, so the same inputs give the same bytes on any number of threads.
//! - **Works without script**: every figure and table is in the HTML; the script only adds sorting by column and
//!   a filter box to the tables.
//! - **Languages**: every label comes from the translation table ([`crate::report::words`]); titles of
//!   commitments and names of countries and regions from the reference tables.
//!
//! A page is a list of [`Section`]s in a frame ([`page::render_page`]); shared pieces (numbers, table openings,
//! name cells, the inputs table) are in [`parts`].

pub mod assets;
pub mod builder;
pub mod csp;
pub mod match_page;
pub mod page;
pub mod parts;
pub mod simulate_page;
pub mod svg;
pub mod track_page;

pub use builder::{Html, escape};
pub use match_page::{MatchPage, render_match_page};
pub use page::{PageFrame, Section, render_page};
pub use parts::MAX_TABLE_ROWS;
pub use simulate_page::{SimulatePage, render_simulate_page};
pub use track_page::{TrackPage, render_track_page};
