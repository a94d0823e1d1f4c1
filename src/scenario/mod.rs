//! Planners' scenarios (docs/spec.md §7): a TOML file of named changes to the baseline batch, each with pledge
//! realisation rules for Monte Carlo draws.
//!
//! [`file`](mod@file) parses and checks the file on its own (types, ranges, unknown keys); [`apply`](mod@apply) turns
//! one scenario into a batch, checking every donor, offer, theme and area it names. The draws themselves are
//! [`crate::simulate`]'s.

pub mod apply;
pub mod file;

pub use apply::{ScenarioBatch, apply};
pub use file::{Placed, Pledge, Realisation, Scenario, Share, Study, parse};
