//! The run record: what run.json says of a match run (inputs, method, how the search ended, the certificate,
//! totals and timings). Built by the pipeline ([`crate::run`]) after the solve; read by the page, which shows
//! everything but the timings.

use serde::{Serialize, Serializer};

use crate::io::provenance::InputInfo;
use crate::objective::Weights;
use crate::solve::{Method, Status};

/// Seconds spent in each stage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Timings {
    /// Reading and validating inputs.
    pub read_s: f64,
    /// Building the eligibility graph.
    pub build_s: f64,
    /// Solving.
    pub solve_s: f64,
    /// Writing outputs.
    pub write_s: f64,
}

/// Counts of needs by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct NeedCounts {
    /// All needs.
    pub total: usize,
    /// Fully funded.
    pub funded: usize,
    /// Funded in part.
    pub partial: usize,
    /// Not funded.
    pub unfunded: usize,
}

/// The inputs of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunInputs {
    /// needs.csv.
    pub needs: InputInfo,
    /// offers.csv.
    pub offers: InputInfo,
}

/// The content of run.json.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunInfo {
    /// poa-match version.
    pub version: &'static str,
    /// The inputs.
    pub inputs: RunInputs,
    /// The allocation method (`optimal` or `greedy` in the file).
    #[serde(serialize_with = "method_code")]
    pub method: Method,
    /// How the solve ended (`optimal`, `node_limit`, `work_limit`, `time_limit`, `gap_limit` or `heuristic` in the
    /// file).
    #[serde(serialize_with = "status_code")]
    pub status: Status,
    /// Σ dollars × value of the allocation.
    pub objective: i128,
    /// Proven upper bound on the optimum.
    pub bound: i128,
    /// Optimum of the flow relaxation.
    pub relaxation: i128,
    /// (bound − objective) / bound.
    pub gap: f64,
    /// Eligible (need, offer) pairs.
    pub edges: usize,
    /// Branch-and-bound nodes.
    pub nodes: u64,
    /// The exact search's work in work units (see `poa-match match --work-limit`; 0 without integer rules).
    pub work: u64,
    /// Whether any integer rule applies.
    pub integer_rules: bool,
    /// Total requested.
    pub requested_usd: i128,
    /// Total in envelopes.
    pub offered_usd: i128,
    /// Total allocated.
    pub allocated_usd: i128,
    /// Needs by outcome.
    pub needs: NeedCounts,
    /// The objective's weights.
    pub weights: Weights,
    /// Seconds per stage (these vary between runs; every other field is a function of the inputs).
    pub timings: Timings,
}

fn method_code<S: Serializer>(method: &Method, out: S) -> Result<S::Ok, S::Error> {
    out.serialize_str(method.as_str())
}

fn status_code<S: Serializer>(status: &Status, out: S) -> Result<S::Ok, S::Error> {
    out.serialize_str(status.as_str())
}
