//! What a study reports: each scenario's summary, the four tables (scenarios.csv, by_commitment.csv,
//! by_region.csv, need_odds.csv) and simulate.json's record, all computed from the frame and the tallies (so a
//! merged study writes what one run writes); and the shard file. The page is rendered by
//! [`crate::render::simulate_page`], and [`crate::run::study`] writes everything together.

use std::path::Path;

use serde::Serialize;

use crate::error::Result;
use crate::io::atomic;

use super::stats::Spread;
use super::{Frame, ScenarioFrame, Tally, Timings};

/// A scenario's results summarised for the tables and the page.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioSummary {
    /// Dollars allocated per draw.
    pub allocated: Spread,
    /// Needs fully funded per draw.
    pub funded: Spread,
    /// Dollars allocated per draw, by commitment group.
    pub by_commitment: Vec<Spread>,
    /// Dollars allocated per draw, by region group.
    pub by_region: Vec<Spread>,
    /// Draws whose allocation was not proved optimal.
    pub not_proved: u32,
    /// The largest gap of any draw.
    pub worst_gap: f64,
}

/// Summarises a scenario's tally.
pub fn summarise(frame: &ScenarioFrame, tally: &Tally) -> ScenarioSummary {
    let column = |f: &dyn Fn(&super::DrawRecord) -> i128| Spread::of(&tally.draws.iter().map(f).collect::<Vec<_>>());
    ScenarioSummary {
        allocated: column(&|d| d.allocated_usd),
        funded: column(&|d| i128::from(d.funded)),
        by_commitment: (0..frame.commitments.len()).map(|g| column(&|d| d.by_commitment[g])).collect(),
        by_region: (0..frame.regions.len()).map(|g| column(&|d| d.by_region[g])).collect(),
        not_proved: tally.draws.iter().filter(|d| !d.proved).count() as u32,
        worst_gap: tally.draws.iter().map(|d| d.gap).fold(0.0, f64::max),
    }
}

/// simulate.json: what was run, on what, and how long it took.
#[derive(Debug, Serialize)]
pub struct SimulateInfo<'a> {
    /// poa-match version.
    pub version: &'a str,
    /// Inputs with their SHA-256.
    pub inputs: &'a super::StudyInputs,
    /// The study seed.
    pub seed: u64,
    /// Solving and output options.
    pub options: &'a super::StudyOptions,
    /// Each scenario's shape and draws.
    pub scenarios: Vec<ScenarioInfo<'a>>,
    /// Draws in all.
    pub draws_total: u64,
    /// Seconds per stage (they vary between runs; every other field is a function of the inputs).
    pub timings: TimingsInfo,
}

impl<'a> SimulateInfo<'a> {
    /// The record of a study whose stages took `timings`.
    pub fn new(frame: &'a Frame, summaries: &[ScenarioSummary], timings: Timings) -> SimulateInfo<'a> {
        let draws_total: u64 = frame.scenarios.iter().map(|s| u64::from(s.draws)).sum();
        SimulateInfo {
            version: &frame.version,
            inputs: &frame.inputs,
            seed: frame.seed,
            options: &frame.options,
            scenarios: frame
                .scenarios
                .iter()
                .zip(summaries)
                .map(|(s, sum)| ScenarioInfo {
                    name: &s.name,
                    description: &s.description,
                    draws: s.draws,
                    offers: s.offers,
                    edges: s.edges,
                    added_offers: &s.added_offers,
                    draws_not_proved: sum.not_proved,
                    ledger: &s.ledger,
                })
                .collect(),
            draws_total,
            timings: TimingsInfo {
                stages: timings,
                draws_per_second: if timings.draws_s > 0.0 { draws_total as f64 / timings.draws_s } else { 0.0 },
            },
        }
    }
}

/// A scenario in simulate.json.
#[derive(Debug, Serialize)]
pub struct ScenarioInfo<'a> {
    /// Name.
    pub name: &'a str,
    /// Description.
    pub description: &'a str,
    /// Draws.
    pub draws: u32,
    /// Offers after changes.
    pub offers: usize,
    /// Eligible pairs.
    pub edges: usize,
    /// The added offers file.
    pub added_offers: &'a Option<crate::io::provenance::InputInfo>,
    /// Draws not proved optimal.
    pub draws_not_proved: u32,
    /// With a ledger: what the draws lock.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ledger: &'a Option<super::locks::ScenarioLedger>,
}

/// Timings with the draw rate.
#[derive(Debug, Serialize)]
pub struct TimingsInfo {
    /// Stage seconds.
    #[serde(flatten)]
    pub stages: Timings,
    /// Draws per second of `draws_s`.
    pub draws_per_second: f64,
}

/// Writes a shard file `shard-I-of-N.json` into `dir`.
pub fn write_shard(dir: &Path, shard: &super::Shard) -> Result<std::path::PathBuf> {
    let path = dir.join(format!("shard-{}-of-{}.json", shard.shard.index, shard.shard.count));
    let mut staged = atomic::Staged::in_dir(dir)?;
    staged.stage(&path, |out| serde_json::to_writer(&mut *out, shard).map_err(std::io::Error::other))?;
    staged.commit()?;
    Ok(path)
}
