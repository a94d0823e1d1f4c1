//! What a study reports: each scenario's summary, the four tables (scenarios.csv, by_commitment.csv,
//! by_region.csv, need_odds.csv) and simulate.json's record, all computed from the frame and the tallies (so a
//! merged study writes what one run writes); and the shard file. The page is rendered by
//! [`crate::render::simulate_page`], and [`crate::run::study`] writes everything together.

use std::path::Path;

use serde::Serialize;

use crate::error::Result;
use crate::io::atomic;
use crate::io::outputs::{Cell, Table, int, text};

use super::stats::{Spread, mean};
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

fn spread_cells(s: &Spread, total: i128) -> Vec<Cell> {
    let [cm, c5, c50, c95] = s.ratio_to(total);
    vec![
        Cell::Mean(s.mean),
        int(s.p5),
        int(s.p50),
        int(s.p95),
        Cell::Ratio(cm),
        Cell::Ratio(c5),
        Cell::Ratio(c50),
        Cell::Ratio(c95),
    ]
}

const SPREAD_HEADER: [&str; 8] = [
    "allocated_mean_usd",
    "allocated_p5_usd",
    "allocated_p50_usd",
    "allocated_p95_usd",
    "coverage_mean",
    "coverage_p5",
    "coverage_p50",
    "coverage_p95",
];

/// The four tables of a study.
pub fn tables(frame: &Frame, summaries: &[ScenarioSummary], tallies: &[Tally]) -> Vec<Table> {
    let mut header = vec!["scenario", "draws", "offers", "edges", "requested_usd", "offered_usd", "expected_usd"];
    header.extend(SPREAD_HEADER);
    header.extend(["funded_mean", "funded_p5", "funded_p50", "funded_p95", "draws_not_proved", "worst_gap"]);
    let scenarios = Table {
        name: "scenarios",
        header,
        rows: frame
            .scenarios
            .iter()
            .zip(summaries)
            .map(|(s, sum)| {
                let mut row = vec![
                    text(&s.name),
                    int(s.draws),
                    int(s.offers as i64),
                    int(s.edges as i64),
                    int(s.requested_usd),
                    int(s.offered_usd),
                    int(s.expected_usd),
                ];
                row.extend(spread_cells(&sum.allocated, s.requested_usd));
                row.extend([
                    Cell::Mean(sum.funded.mean),
                    int(sum.funded.p5),
                    int(sum.funded.p50),
                    int(sum.funded.p95),
                    int(sum.not_proved),
                    Cell::Ratio(sum.worst_gap),
                ]);
                row
            })
            .collect(),
    };

    let group_table = |name: &'static str, key: &'static str, label: &'static str, pick: GroupPick| {
        let mut header = vec!["scenario", key, label, "needs", "requested_usd"];
        header.extend(SPREAD_HEADER);
        let mut rows = Vec::new();
        for (s, sum) in frame.scenarios.iter().zip(summaries) {
            let (groups, spreads) = pick(s, sum);
            for (g, spread) in groups.iter().zip(spreads) {
                let mut row =
                    vec![text(&s.name), text(&g.key), text(&g.label), int(g.needs as i64), int(g.requested_usd)];
                row.extend(spread_cells(spread, g.requested_usd));
                rows.push(row);
            }
        }
        Table { name, header, rows }
    };
    let by_commitment =
        group_table("by_commitment", "commitment", "title", |s, sum| (&s.commitments, &sum.by_commitment));
    let by_region = group_table("by_region", "region", "name", |s, sum| (&s.regions, &sum.by_region));

    let mut rows = Vec::new();
    for (s, tally) in frame.scenarios.iter().zip(tallies) {
        let draws = u64::from(s.draws);
        for (n, need) in s.needs.iter().enumerate() {
            let allocated = mean(tally.need_allocated[n], draws);
            rows.push(vec![
                text(&s.name),
                text(&need.need_id),
                text(&need.requester),
                int(need.priority),
                int(need.requested_usd),
                Cell::Ratio(mean(i128::from(tally.need_funded[n]), draws)),
                Cell::Ratio(mean(i128::from(tally.need_reached[n]), draws)),
                Cell::Mean(allocated),
                Cell::Ratio(allocated / need.requested_usd as f64),
            ]);
        }
    }
    let need_odds = Table {
        name: "need_odds",
        header: vec![
            "scenario",
            "need_id",
            "requester",
            "priority",
            "requested_usd",
            "funded_share",
            "reached_share",
            "allocated_mean_usd",
            "coverage_mean",
        ],
        rows,
    };
    vec![scenarios, by_commitment, by_region, need_odds]
}

type GroupPick = for<'a> fn(&'a ScenarioFrame, &'a ScenarioSummary) -> (&'a Vec<super::Group>, &'a Vec<Spread>);

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
