//! Monte Carlo funding scenarios (docs/spec.md §7): `poa-match simulate` and `poa-match merge`.
//!
//! For each scenario of a [`Study`], [`prepare`] applies its changes to the baseline batch and builds the
//! eligibility graph once. Each draw ([`draw`]) then realises the pledges (does each arrive, and how much of it),
//! tightens the graph's edge limits to the realised envelopes, re-solves and records totals. Draws run in parallel
//! on a rayon pool; draw `i` of scenario `s` uses a random stream seeded from (seed, s, i) and nothing else, so the
//! results are the same on any number of threads.
//!
//! A run keeps every draw's totals ([`DrawRecord`]) and, per need, integer sums ([`Tally`]). Both merge exactly:
//! a shard (`--shard I/N`) runs a contiguous slice of each scenario's draws and saves its records and sums with
//! the [`Frame`] that describes the study; [`merge`] checks that the shards belong to one study and cover it once,
//! and the outputs are computed from the merged records by the same code as a single run's.

pub mod draw;
pub mod locks;
pub mod outputs;
mod shard;
pub mod stats;
pub mod tables;

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::catalog::Reference;
use crate::error::{DataError, Error, Result};
use crate::graph::residual::Residual;
use crate::graph::{self, Graph};
use crate::io::ReadOptions;
use crate::io::outputs::{OutputOptions, TableFormat};
use crate::io::provenance::InputInfo;
use crate::lang::Lang;
use crate::model::{Batch, Ledger, LockLevel};
use crate::objective::Weights;
use crate::report::{Word, need_region};
use crate::scenario::{self, Pledge, Study};
use crate::solve::{self, Limits, Method, WorkLimit};

use locks::{PledgedRule, ScenarioLedger, ScenarioLocks};
pub use shard::{SHARD_KIND, Shard, ShardSpec, Timings, check_shard, merge};

/// Draws handed to the pool at a time: bounds the memory of per-need results waiting to be summed.
const DRAW_CHUNK: u32 = 512;

/// The per-draw work limit of shards written before it was recorded.
fn draw_work_default() -> u64 {
    WorkLimit::DRAW_DEFAULT.units()
}

/// How a study is solved and written; recorded in every shard so that `merge` writes what the run would have.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudyOptions {
    /// The allocation method of every draw.
    pub method: Method,
    /// Branch-and-bound node limit per draw (draws have no time limit, so results are reproducible).
    pub node_limit: u64,
    /// Work limit per draw, in work units (deterministic, like the node limit).
    #[serde(default = "draw_work_default")]
    pub work_limit: u64,
    /// The objective's weights.
    pub weights: Weights,
    /// Language of labels.
    pub lang: Lang,
    /// CSV or JSON tables.
    pub format: TableFormat,
    /// Whether CSV files start with a UTF-8 byte-order mark.
    pub excel: bool,
    /// With a ledger, `--lock`: which of its awards are locked in every draw (left out of the record without one).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "locks::lock_text",
        deserialize_with = "locks::lock_of_text"
    )]
    pub lock: Option<LockLevel>,
}

impl StudyOptions {
    /// The solver limits of one draw.
    pub fn limits(&self) -> Limits {
        // No time limit, which would make results depend on the machine.
        let work_limit = WorkLimit::new(self.work_limit).unwrap_or(WorkLimit::UNLIMITED);
        Limits { work_limit, time_limit: None, node_limit: self.node_limit, ..Limits::default() }
    }

    /// How the tables are written.
    pub fn output(&self) -> OutputOptions {
        OutputOptions { format: self.format, excel_bom: self.excel }
    }
}

/// The input files of a study.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudyInputs {
    /// needs.csv.
    pub needs: InputInfo,
    /// offers.csv.
    pub offers: InputInfo,
    /// The scenarios file.
    pub scenarios: InputInfo,
    /// The ledger of earlier awards, with `--ledger` (left out of the record without one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ledger: Option<InputInfo>,
    /// The rates file, with `--rates`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rates: Option<InputInfo>,
    /// The rates that converted rows (of the batch, the ledger and the scenarios' added offers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rates_used: Vec<crate::io::rates::RateUsed>,
}

/// Everything about a study that does not depend on the draws: inputs, options and each scenario's shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    /// poa-match version that ran the study.
    pub version: String,
    /// The inputs, with their SHA-256.
    pub inputs: StudyInputs,
    /// The study seed.
    pub seed: u64,
    /// Solving and output options.
    pub options: StudyOptions,
    /// The scenarios, in file order.
    pub scenarios: Vec<ScenarioFrame>,
}

/// A group of needs that results are broken down by (a commitment or an M49 region).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// Commitment code or M49 code (`unknown` when the region is not known).
    pub key: String,
    /// Title or name in the chosen language.
    pub label: String,
    /// Needs in the group.
    pub needs: usize,
    /// Their requested total.
    pub requested_usd: i128,
}

/// A need as the outputs list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedRow {
    /// need_id.
    pub need_id: String,
    /// Requester code.
    pub requester: String,
    /// The requester's name in the study's language (the code for a regional organisation).
    pub requester_name: String,
    /// Priority 1–3.
    pub priority: u8,
    /// Requested amount in this scenario (after demand factors).
    pub requested_usd: i64,
    /// Index of its group in [`ScenarioFrame::commitments`].
    pub commitment: u32,
    /// Index of its group in [`ScenarioFrame::regions`].
    pub region: u32,
}

/// One scenario's shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioFrame {
    /// Name.
    pub name: String,
    /// Description from the file.
    pub description: String,
    /// Draws.
    pub draws: u32,
    /// Offers after removals and additions.
    pub offers: usize,
    /// Eligible pairs in the scenario's graph.
    pub edges: usize,
    /// Requested total after demand factors.
    pub requested_usd: i128,
    /// Envelopes after factors, before realisation.
    pub offered_usd: i128,
    /// Expected envelopes after realisation (Σ probability × mean share × envelope), rounded to dollars.
    pub expected_usd: i128,
    /// The added offers file, if any.
    pub added_offers: Option<InputInfo>,
    /// Commitment groups (each need under its primary commitment), in catalogue order.
    pub commitments: Vec<Group>,
    /// M49 region groups, by code (unknown last).
    pub regions: Vec<Group>,
    /// The needs, in batch order.
    pub needs: Vec<NeedRow>,
    /// With a ledger: what the scenario's draws lock (left out of the record without one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ledger: Option<ScenarioLedger>,
}

/// The totals of one draw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrawRecord {
    /// Draw index within its scenario.
    pub draw: u32,
    /// Dollars allocated.
    pub allocated_usd: i128,
    /// The objective reached.
    pub objective: i128,
    /// Needs fully funded.
    pub funded: u32,
    /// Needs funded in part.
    pub partial: u32,
    /// Whether the allocation was proved optimal (false for greedy, or at the node limit).
    pub proved: bool,
    /// The solve's gap.
    pub gap: f64,
    /// Dollars per commitment group.
    pub by_commitment: Vec<i128>,
    /// Dollars per region group.
    pub by_region: Vec<i128>,
}

/// A scenario's results over a set of draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    /// Each draw's totals, by draw index.
    pub draws: Vec<DrawRecord>,
    /// Per need: draws in which it was fully funded.
    pub need_funded: Vec<u32>,
    /// Per need: draws in which it received something.
    pub need_reached: Vec<u32>,
    /// Per need: dollars received, summed over draws.
    pub need_allocated: Vec<i128>,
}

impl Tally {
    fn empty(needs: usize) -> Tally {
        Tally {
            draws: Vec::new(),
            need_funded: vec![0; needs],
            need_reached: vec![0; needs],
            need_allocated: vec![0; needs],
        }
    }

    fn add(&mut self, outcome: draw::DrawOutcome, frame: &ScenarioFrame) {
        for ((n, &x), row) in outcome.need_amounts.iter().enumerate().zip(&frame.needs) {
            self.need_allocated[n] += i128::from(x);
            self.need_reached[n] += u32::from(x > 0);
            self.need_funded[n] += u32::from(x == row.requested_usd);
        }
        self.draws.push(outcome.record);
    }

    /// Adds another tally of the same scenario (disjoint draws); records stay sorted by draw.
    fn absorb(&mut self, other: Tally) {
        for (a, b) in self.need_funded.iter_mut().zip(other.need_funded) {
            *a += b;
        }
        for (a, b) in self.need_reached.iter_mut().zip(other.need_reached) {
            *a += b;
        }
        for (a, b) in self.need_allocated.iter_mut().zip(other.need_allocated) {
            *a += b;
        }
        self.draws.extend(other.draws);
        self.draws.sort_by_key(|d| d.draw);
    }
}

/// A scenario ready for draws: its batch, graph and pledge rules.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The scenario's shape for the outputs.
    pub frame: ScenarioFrame,
    /// The scenario's batch (envelopes before realisation).
    pub batch: Batch,
    /// Its eligibility graph, built once.
    pub graph: Graph,
    /// The pledge rule of each offer.
    pub pledges: Vec<Pledge>,
    /// With a ledger: its awards placed on the scenario's batch.
    pub locks: Option<ScenarioLocks>,
    /// When every pledge is certain, every draw is the same: the outcome solved once.
    pub certain: Option<draw::DrawOutcome>,
}

impl Prepared {
    /// What the searches of this scenario's draws share: the search network of its batch with every pledge
    /// arriving whole and, with a ledger, every lock a draw may hold.
    pub fn draw_share(&self) -> Result<solve::DrawShare> {
        match &self.locks {
            None => solve::DrawShare::new(&self.batch, &self.graph),
            Some(locks) => {
                let residual = Residual::of(&self.batch, &self.graph, &locks.all);
                solve::DrawShare::new(&residual.batch, &residual.graph)
            }
        }
    }
}

/// Applies every scenario of `study` to `base` and builds its graph; with a `ledger`, places its awards on each
/// scenario (docs/spec.md §7) at the options' lock level. `dir` is the scenarios file's folder.
pub fn prepare(
    study: &Study,
    base: &Batch,
    reference: &Reference,
    dir: &Path,
    read: ReadOptions,
    options: &StudyOptions,
    ledger: Option<&Ledger>,
) -> Result<Vec<Prepared>> {
    let method = options.method;
    let lock = options.lock.unwrap_or(LockLevel::Committed);
    let rules: Vec<PledgedRule> = study.scenarios.iter().map(|s| PledgedRule::of(s.pledged_awards, lock)).collect();
    let ledger = ledger.map(|l| Arc::new(l.clone()));
    if let Some(ledger) = &ledger {
        locks::check_baseline(base, reference, &options.weights, ledger, &rules)?;
    }
    let mut prepared = Vec::with_capacity(study.scenarios.len());
    let mut errors = Vec::new();
    for (s, scenario) in study.scenarios.iter().enumerate() {
        let changed = match scenario::apply(scenario, base, reference, dir, read) {
            Ok(c) => c,
            Err(e) => match e.kind() {
                crate::error::ErrorKind::InvalidData { errors: found, .. } => {
                    errors.extend(found.iter().cloned());
                    continue;
                }
                _ => return Err(e),
            },
        };
        let batch = changed.batch;
        // A scenario's own weights (docs/spec.md §10) replace the study's where it sets them.
        let weights = match &scenario.weights {
            None => options.weights,
            Some(table) => match options.weights.with_overrides(&table.value) {
                Ok(w) => w,
                Err(message) => {
                    errors.push(DataError { location: table.location.clone(), message });
                    continue;
                }
            },
        };
        let graph = graph::build(&batch, reference, &weights);
        let locks = match &ledger {
            None => None,
            Some(ledger) => match ScenarioLocks::place(study, s, base, &batch, &graph, ledger, rules[s]) {
                Ok(locks) => Some(locks),
                Err(e) => match e.kind() {
                    crate::error::ErrorKind::InvalidData { errors: found, .. } => {
                        errors.extend(found.iter().cloned());
                        continue;
                    }
                    _ => return Err(e),
                },
            },
        };
        let pledges: Vec<Pledge> = batch.offers.iter().map(|o| study.pledge(s, &o.donor)).collect();
        let mut frame = scenario_frame(scenario, &batch, &graph, &pledges, changed.added, reference, options.lang);
        frame.ledger = locks.as_ref().map(|l| l.record.clone());
        let mut p = Prepared { frame, batch, graph, pledges, locks, certain: None };
        if p.pledges.iter().all(Pledge::is_certain) && p.locks.as_ref().is_none_or(ScenarioLocks::fixed) {
            let limits = options.limits();
            let (solution, locks) = match &p.locks {
                None => (solve::solve(&p.batch, &p.graph, method, limits)?, None),
                Some(l) => {
                    let solution = solve::locked::solve_with_locks(&p.batch, &p.graph, &l.all, method, limits, None)?;
                    (solution, Some(&l.all))
                }
            };
            p.certain = Some(draw::summarise(&p, &p.graph, &solution, locks, 0));
        }
        prepared.push(p);
    }
    errors.extend(unknown_realisation_donors(study, &prepared));
    if errors.is_empty() { Ok(prepared) } else { Err(Error::invalid_data(errors, 0)) }
}

/// Donors named in the study-wide realisation rules that no scenario has (a typo would change nothing).
fn unknown_realisation_donors(study: &Study, prepared: &[Prepared]) -> Vec<DataError> {
    if prepared.len() != study.scenarios.len() {
        // Some scenario failed to apply: its errors come first, and indices no longer line up.
        return Vec::new();
    }
    let known = |donor: &str| prepared.iter().any(|p| p.batch.offers.iter().any(|o| o.donor == donor));
    let mut errors = Vec::new();
    for (scenario, p) in study.scenarios.iter().zip(prepared) {
        for (donor, _) in &scenario.realisation.donors {
            if !p.batch.offers.iter().any(|o| o.donor == donor.value) {
                errors.push(DataError {
                    location: donor.location.clone(),
                    message: format!("unknown donor {:?}: no offer of this donor in the scenario's batch", donor.value),
                });
            }
        }
    }
    for (donor, _) in &study.realisation.donors {
        if !known(&donor.value) {
            errors.push(DataError {
                location: donor.location.clone(),
                message: format!("unknown donor {:?}: no offer of this donor in any scenario", donor.value),
            });
        }
    }
    errors
}

fn scenario_frame(
    scenario: &scenario::Scenario,
    batch: &Batch,
    graph: &Graph,
    pledges: &[Pledge],
    added: Option<InputInfo>,
    reference: &Reference,
    lang: Lang,
) -> ScenarioFrame {
    let lang_code = lang.code();
    // Groups: each need under its primary commitment (catalogue order) and its M49 region (by code).
    let mut commitment_of = vec![u32::MAX; reference.commitments().len()];
    let mut commitments: Vec<Group> = Vec::new();
    let mut order: Vec<usize> = (0..batch.needs.len()).collect();
    order.sort_by_key(|&n| batch.needs[n].commitments[0].0);
    for &n in &order {
        let c = batch.needs[n].commitments[0];
        if commitment_of[c.0 as usize] == u32::MAX {
            commitment_of[c.0 as usize] = commitments.len() as u32;
            let entry = reference.commitment(c);
            commitments.push(Group {
                key: entry.code.clone(),
                label: entry.title(lang_code).to_string(),
                needs: 0,
                requested_usd: 0,
            });
        }
    }
    let region_codes: Vec<Option<u16>> = batch.needs.iter().map(|n| need_region(n, reference)).collect();
    let mut codes: Vec<Option<u16>> = region_codes.clone();
    // Known codes in numeric order, unknown last.
    codes.sort_by_key(|c| c.map_or(u32::MAX, u32::from));
    codes.dedup();
    let regions_groups: Vec<Group> = codes
        .iter()
        .map(|c| {
            let (key, label) = match c.and_then(|c| reference.area(c)) {
                Some(a) => (a.m49.to_string(), a.name(lang_code).to_string()),
                None => ("unknown".to_string(), Word::Unknown.text(lang).to_string()),
            };
            Group { key, label, needs: 0, requested_usd: 0 }
        })
        .collect();
    let mut regions = regions_groups;
    let needs: Vec<NeedRow> = batch
        .needs
        .iter()
        .zip(&region_codes)
        .map(|(need, code)| {
            let commitment = commitment_of[need.commitments[0].0 as usize];
            let region = codes.iter().position(|c| c == code).unwrap_or(0) as u32;
            commitments[commitment as usize].needs += 1;
            commitments[commitment as usize].requested_usd += i128::from(need.amount.get());
            regions[region as usize].needs += 1;
            regions[region as usize].requested_usd += i128::from(need.amount.get());
            NeedRow {
                need_id: need.id.to_string(),
                requester: need.requester_code.clone(),
                requester_name: match &need.requester {
                    crate::model::Requester::State(c) => reference.country(*c).name(lang_code).to_string(),
                    crate::model::Requester::RegionalOrg(_) => need.requester_code.clone(),
                },
                priority: need.priority,
                requested_usd: need.amount.get(),
                commitment,
                region,
            }
        })
        .collect();
    let expected: f64 =
        batch.offers.iter().zip(pledges).map(|(o, p)| o.envelope.get() as f64 * p.probability * p.share.at(0.5)).sum();
    ScenarioFrame {
        name: scenario.name.value.clone(),
        description: scenario.description.clone(),
        draws: scenario.draws,
        offers: batch.offers.len(),
        edges: graph.edges.len(),
        requested_usd: batch.needs.iter().map(|n| i128::from(n.amount.get())).sum(),
        offered_usd: batch.offers.iter().map(|o| i128::from(o.envelope.get())).sum(),
        expected_usd: expected.round() as i128,
        added_offers: added,
        commitments,
        regions,
        needs,
        ledger: None,
    }
}

/// Runs the draws of `shard` for every prepared scenario on the current rayon pool. `progress` is called with
/// the number of draws finished since its last call.
pub fn run_draws(
    prepared: &[Prepared],
    seed: u64,
    options: &StudyOptions,
    shard: ShardSpec,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<Tally>> {
    let method = options.method;
    let limits = options.limits();
    let mut tallies = Vec::with_capacity(prepared.len());
    for (s, p) in prepared.iter().enumerate() {
        let mut tally = Tally::empty(p.frame.needs.len());
        let range = shard.slice(p.frame.draws);
        // The search network of the scenario, for its draws' exact searches (none for a shard without any).
        let share = if !range.is_empty() && p.certain.is_none() && method == Method::Optimal {
            p.draw_share()?
        } else {
            solve::DrawShare::default()
        };
        let mut start = range.start;
        while start < range.end {
            let end = range.end.min(start + DRAW_CHUNK);
            let outcomes: Vec<draw::DrawOutcome> = (start..end)
                .into_par_iter()
                .map_init(
                    || draw::Scratch::new(p, &share),
                    |scratch, i| {
                        let outcome = draw::run(p, seed, s, i, scratch, method, limits);
                        progress(1);
                        outcome
                    },
                )
                .collect::<Result<_>>()?;
            for outcome in outcomes {
                tally.add(outcome, &p.frame);
            }
            start = end;
        }
        tallies.push(tally);
    }
    Ok(tallies)
}
