//! One Monte Carlo draw: realise each pledge, tighten the graph's edge limits to the realised envelopes, re-solve,
//! and record the totals.
//!
//! A draw depends only on (seed, scenario, draw index) and the prepared scenario: its random stream is a ChaCha8
//! generator seeded from those three numbers, and the worker's scratch copy of the batch and graph is completely
//! overwritten before the solve. So the draws can run on any thread, in any order, with the same result.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::Result;
use crate::graph::Graph;
use crate::model::{Batch, Usd};
use crate::solve::{self, Limits, Method, Status};

use super::{DrawRecord, Prepared};

/// A worker's copy of a scenario's batch and graph, rewritten by every draw.
#[derive(Debug, Clone)]
pub struct Scratch {
    batch: Batch,
    graph: Graph,
    envelopes: Vec<Usd>,
    /// What the draws' searches share: the search network.
    share: solve::DrawShare,
}

impl Scratch {
    /// A scratch copy of a prepared scenario, with a copy of what its draws' searches share (made once per
    /// scenario by [`solve::DrawShare::new`]).
    pub fn new(prepared: &Prepared, share: &solve::DrawShare) -> Scratch {
        Scratch {
            batch: prepared.batch.clone(),
            graph: prepared.graph.clone(),
            envelopes: Vec::new(),
            share: share.clone(),
        }
    }
}

/// What one draw gives: its record and what each need received.
#[derive(Debug, Clone, PartialEq)]
pub struct DrawOutcome {
    /// Totals of the draw.
    pub record: DrawRecord,
    /// Dollars allocated to each need, in batch order.
    pub need_amounts: Vec<i64>,
}

/// The seed of draw `draw` of scenario `scenario`: the study seed and both indices mixed through SplitMix64 steps,
/// so that neighbouring draws get unrelated streams.
pub fn draw_seed(seed: u64, scenario: usize, draw: u32) -> u64 {
    let mut h = splitmix(seed);
    h = splitmix(h ^ scenario as u64);
    splitmix(h ^ u64::from(draw))
}

fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The envelope each offer realises in a draw. Two uniform numbers per offer, used or not, so that one donor's
/// rule never shifts another donor's stream.
pub fn realise(prepared: &Prepared, seed: u64, scenario: usize, draw: u32, envelopes: &mut [Usd]) {
    let mut rng = ChaCha8Rng::seed_from_u64(draw_seed(seed, scenario, draw));
    for ((slot, offer), pledge) in envelopes.iter_mut().zip(&prepared.batch.offers).zip(&prepared.pledges) {
        let arrives: f64 = rng.r#gen();
        let share: f64 = rng.r#gen();
        *slot = if arrives < pledge.probability {
            // share ≤ 1, so the product never exceeds the envelope; the round is exact below 2^53.
            Usd((offer.envelope.get() as f64 * pledge.share.at(share)).round() as i64)
        } else {
            Usd::ZERO
        };
    }
}

/// Runs draw `draw` of scenario `scenario`.
pub fn run(
    prepared: &Prepared,
    seed: u64,
    scenario: usize,
    draw: u32,
    scratch: &mut Scratch,
    method: Method,
    limits: Limits,
) -> Result<DrawOutcome> {
    if let Some(baseline) = &prepared.certain {
        // Every pledge is certain: each draw is the scenario's own batch, solved once in `prepare`.
        let mut outcome = baseline.clone();
        outcome.record.draw = draw;
        return Ok(outcome);
    }
    scratch.envelopes.resize(prepared.batch.offers.len(), Usd::ZERO);
    realise(prepared, seed, scenario, draw, &mut scratch.envelopes);
    for (offer, &envelope) in scratch.batch.offers.iter_mut().zip(&scratch.envelopes) {
        offer.envelope = envelope;
    }
    for edge in &mut scratch.graph.edges {
        let need = &scratch.batch.needs[edge.need as usize];
        let offer = &scratch.batch.offers[edge.offer as usize];
        edge.upper = need.amount.min(offer.per_need_limit()).get();
    }
    if let Some(caps) = &mut scratch.graph.caps {
        caps.reset_limits(&scratch.batch);
    }
    let solution = solve::solve_draw(&scratch.batch, &scratch.graph, method, limits, &mut scratch.share)?;
    Ok(summarise(prepared, &scratch.graph, &solution, draw))
}

/// The totals of a solved draw.
pub fn summarise(prepared: &Prepared, graph: &Graph, solution: &solve::Solution, draw: u32) -> DrawOutcome {
    let frame = &prepared.frame;
    let mut record = DrawRecord {
        draw,
        allocated_usd: 0,
        objective: solution.objective,
        funded: 0,
        partial: 0,
        proved: matches!(solution.status, Status::Optimal),
        gap: (solution.gap() * 1e9).round() / 1e9,
        by_commitment: vec![0; frame.commitments.len()],
        by_region: vec![0; frame.regions.len()],
    };
    let mut need_amounts = vec![0i64; frame.needs.len()];
    for (n, row) in frame.needs.iter().enumerate() {
        let range = graph.need_start[n]..graph.need_start[n + 1];
        let allocated: i64 = solution.amounts[range].iter().sum();
        need_amounts[n] = allocated;
        if allocated > 0 {
            if allocated == row.requested_usd {
                record.funded += 1;
            } else {
                record.partial += 1;
            }
        }
        record.allocated_usd += i128::from(allocated);
        record.by_commitment[row.commitment as usize] += i128::from(allocated);
        record.by_region[row.region as usize] += i128::from(allocated);
    }
    DrawOutcome { record, need_amounts }
}
