//! One Monte Carlo draw: realise each pledge, tighten the graph's edge limits to the realised envelopes, re-solve,
//! and record the totals. With a ledger, the draw also decides which drawn pledged awards arrive, keeps every
//! offer's envelope at least what the draw locks on it, and allocates around the locks ([`super::locks`]).
//!
//! A draw depends only on (seed, scenario, draw index) and the prepared scenario: its random stream is a ChaCha8
//! generator seeded from those three numbers, and the worker's scratch copy of the batch and graph is completely
//! overwritten before the solve. So the draws can run on any thread, in any order, with the same result.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::Result;
use crate::graph::Graph;
use crate::graph::locks::Locks;
use crate::model::{Batch, Usd};
use crate::solve::{self, Limits, Method, Status};

use super::{DrawRecord, Prepared};

/// A worker's copy of a scenario's batch and graph, rewritten by every draw.
#[derive(Debug, Clone)]
pub struct Scratch {
    batch: Batch,
    graph: Graph,
    envelopes: Vec<Usd>,
    /// Whether each offer's pledge arrived.
    arrived: Vec<bool>,
    /// Whether each drawn pledged award of the ledger arrived.
    awards: Vec<bool>,
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
            arrived: Vec::new(),
            awards: Vec::new(),
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
    let mut arrived = vec![false; envelopes.len()];
    realise_offers(prepared, &mut draw_rng(seed, scenario, draw), envelopes, &mut arrived);
}

/// The random stream of draw `draw` of scenario `scenario`.
fn draw_rng(seed: u64, scenario: usize, draw: u32) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(draw_seed(seed, scenario, draw))
}

/// [`realise`] on a stream, saying also whether each pledge arrived.
fn realise_offers(prepared: &Prepared, rng: &mut ChaCha8Rng, envelopes: &mut [Usd], arrived: &mut [bool]) {
    let offers = prepared.batch.offers.iter().zip(&prepared.pledges);
    for ((slot, came), (offer, pledge)) in envelopes.iter_mut().zip(arrived.iter_mut()).zip(offers) {
        let arrives: f64 = rng.r#gen();
        let share: f64 = rng.r#gen();
        *came = arrives < pledge.probability;
        *slot = if *came {
            // share ≤ 1, so the product never exceeds the envelope; the round is exact below 2^53.
            Usd((offer.envelope.get() as f64 * pledge.share.at(share)).round() as i64)
        } else {
            Usd::ZERO
        };
    }
}

/// Whether each drawn pledged award of the ledger arrives in a draw whose offers' pledges arrived as `arrived`
/// says: with its offer's pledge, or, for an offer outside the batch, by a number of its own from `rng`, taken
/// after the offers' (one per such award, used or not).
fn realise_awards(prepared: &Prepared, rng: &mut ChaCha8Rng, arrived: &[bool], awards: &mut Vec<bool>) {
    awards.clear();
    let Some(locks) = &prepared.locks else { return };
    for award in &locks.drawn {
        let came = match award.offer {
            Some(o) => arrived[o as usize],
            None => rng.r#gen::<f64>() < award.probability,
        };
        awards.push(came);
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
    let offers = prepared.batch.offers.len();
    scratch.envelopes.resize(offers, Usd::ZERO);
    scratch.arrived.resize(offers, false);
    let mut rng = draw_rng(seed, scenario, draw);
    realise_offers(prepared, &mut rng, &mut scratch.envelopes, &mut scratch.arrived);
    realise_awards(prepared, &mut rng, &scratch.arrived, &mut scratch.awards);
    // The draw's own locks when some drawn pledge fails; else the scenario's, whose residual the share was built on.
    let own = match &prepared.locks {
        Some(l) => l.of_draw(&prepared.batch, &prepared.graph, &scratch.awards)?,
        None => None,
    };
    let locks: Option<&Locks> = own.as_ref().or(prepared.locks.as_ref().map(|l| &l.all));
    for (o, (offer, &envelope)) in scratch.batch.offers.iter_mut().zip(&scratch.envelopes).enumerate() {
        // Locked money is already given: the offer keeps at least that much, whatever share of its pledge arrives.
        let locked = locks.map_or(0, |l| l.of_offer[o]);
        offer.envelope = envelope.max(Usd(locked));
    }
    for edge in &mut scratch.graph.edges {
        let need = &scratch.batch.needs[edge.need as usize];
        let offer = &scratch.batch.offers[edge.offer as usize];
        edge.upper = need.amount.min(offer.per_need_limit()).get();
    }
    if let Some(caps) = &mut scratch.graph.caps {
        caps.reset_limits(&scratch.batch);
    }
    let (batch, graph) = (&scratch.batch, &scratch.graph);
    let solution = match (locks, own.is_some()) {
        (None, _) => solve::solve_draw(batch, graph, method, limits, &mut scratch.share)?,
        (Some(locks), false) => {
            solve::locked::solve_draw_with_locks(batch, graph, locks, method, limits, &mut scratch.share)?
        }
        // Other locks give the residual other rules than the share's: this draw builds its own network.
        (Some(locks), true) => {
            let mut alone = solve::DrawShare::default();
            solve::locked::solve_draw_with_locks(batch, graph, locks, method, limits, &mut alone)?
        }
    };
    Ok(summarise(prepared, graph, &solution, locks, draw))
}

/// The totals of a solved draw; with `locks`, a need's money includes what is locked on it off the graph's edges
/// (from offers outside the batch, or on pairs the rules no longer allow).
pub fn summarise(
    prepared: &Prepared,
    graph: &Graph,
    solution: &solve::Solution,
    locks: Option<&Locks>,
    draw: u32,
) -> DrawOutcome {
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
        let off_graph = locks.map_or(0, |l| l.of_need_off_graph(graph, n));
        let allocated: i64 = solution.amounts[range].iter().sum::<i64>() + off_graph;
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
