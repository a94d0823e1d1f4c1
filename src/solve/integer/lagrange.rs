//! The Lagrangian bound for max_awards offers ([`Lagrange`]): its multipliers, their tuning at the root, and the
//! bound at a node.
//!
//! The multipliers are tuned once at the root by subgradient steps ([`Search::tune_lagrange`]); every node is then
//! solved under the charged costs too, on a second warm simplex, and the lower of the two bounds counts. The
//! charged flows also guide plunges (`plunge.rs`), and the exact relaxation (`node_lp.rs`) re-optimises the
//! multipliers at every node.

use crate::error::Result;
use crate::graph::Graph;

use super::budget::Cost;
use super::layout;
use super::node::{Decision, Fix, Fixing};
use super::resolve::{Costed, Penalised};
use super::search::Search;
use crate::solve::relaxation::flow_error;
use mcf::Network;
use mcf::WarmSimplex;

/// The Lagrangian charge of an edge is at most this many times its value per dollar (see
/// [`Lagrange::set_multipliers`]): beyond that the edge is shut anyway unless a decision forces money through
/// it. With 2, such forced edges were charged less than the multipliers said, the column generation's master
/// and the exact bound disagreed, and it stopped short of the linear relaxation at many nodes of small generated
/// batches; with 16 none did. The cost is a coarser scale on huge searches (see [`Search::tune_lagrange`]).
pub(super) const CHARGE_CAP: i64 = 16;

/// What a node's Lagrangian relaxation says.
pub(super) enum LagrangeBound {
    /// No multipliers that prove anything (yet).
    Untuned,
    /// The node has no feasible flow.
    Infeasible,
    /// The bound, and the charged flow that gives it.
    Bound(i128, Vec<i64>),
}

/// A second bound for max_awards offers, by Lagrangian relaxation.
///
/// An offer that funds at most `k` needs, each edge `e` at most its limit `u_e`, satisfies Σ x_e / u_e ≤ k (each
/// funded edge contributes at most 1). Moving that inequality into the objective with a multiplier Λ_o ≥ 0 per
/// offer charges every dollar on edge `e` Λ_o / u_e and credits Λ_o · k: for every Λ ≥ 0 the best flow under the
/// charged costs, plus the credits, is an upper bound on every allocation of the node (a charge rounded down keeps
/// that true). Unlike the award chains it sees an offer spread thinly over needs that each take only part of
/// their limit from it. The multipliers are tuned once at the root by subgradient steps; every node then solves
/// its decisions under both costs, on two warm simplexes, and keeps the lower bound.
#[derive(Clone)]
pub(super) struct Lagrange {
    pub(super) costed: Costed,
    /// Costs are values times `scale`, so that charges have fractional resolution.
    pub(super) scale: i64,
    /// Σ_o Λ_o · k_o, in scaled units.
    pub(super) credit: i128,
    /// Λ of each offer as the charges now stand (0 for offers without max_awards), in scaled units.
    pub(super) lambda_of_offer: Vec<i64>,
    /// Λ of each max_awards offer (in offer order, those with edges), in scaled units.
    pub(super) multipliers: Vec<i64>,
    /// Whether the charges give a better bound than the plain flow (else they only guide the plunge).
    pub(super) proves: bool,
    /// The multipliers that guide plunges: the best ones, or the last subgradient iterate when they prove nothing.
    pub(super) guide: Vec<i64>,
    /// The max_awards offers with edges, in the order of the multipliers.
    pub(super) offers: Vec<usize>,
    /// The root's bound under `multipliers`, so that tuning again keeps them unless it finds better ones.
    pub(super) root_bound: Option<i128>,
}

/// The search network costed for the Lagrangian bound, before any charge (see `Search::charged_network`).
struct ChargedNetwork {
    net: Network,
    /// Costs are values times this.
    scale: i64,
    /// The penalty of a decision: more than the cost of any simple path.
    big_m: i64,
    /// The largest cost a charge can give an edge.
    max_cost: i64,
}

impl Lagrange {
    /// Untuned multipliers (all zero) on a warm simplex of `charged`, for a search of `edges` edges and `offers`
    /// offers, `tuned` of them with max_awards and edges.
    fn new(charged: ChargedNetwork, edges: usize, offers: usize, tuned: usize) -> Result<Lagrange> {
        let ChargedNetwork { net, scale, big_m, max_cost } = charged;
        let simplex = WarmSimplex::new(&net, big_m + max_cost).map_err(flow_error)?;
        let arcs = net.arc_count();
        Ok(Lagrange {
            costed: Costed {
                base_cost: net.cost,
                charge: vec![0; edges],
                big_m,
                simplex: std::cell::RefCell::new(simplex),
                penalised: std::cell::RefCell::new(Penalised::new(arcs)),
                solves: std::cell::Cell::new(0),
                overhead: std::cell::Cell::new(0),
                slowest: std::cell::Cell::new(Cost::default()),
            },
            scale,
            credit: 0,
            lambda_of_offer: vec![0; offers],
            multipliers: vec![0; tuned],
            proves: false,
            guide: Vec::new(),
            offers: Vec::new(),
            root_bound: None,
        })
    }

    /// Charges every edge of the max_awards offers `offers` Λ_o / u_e per dollar (rounded down, and never more
    /// than [`CHARGE_CAP`] times its value), with `whole[i]` the multiplier Λ of `offers[i]` in scaled units.
    pub(super) fn set_multipliers(&mut self, search: &Search<'_>, offers: &[usize], whole: &[i64]) {
        let mut simplex = self.costed.simplex.borrow_mut();
        self.credit = 0;
        for (&o, &lam) in offers.iter().zip(whole) {
            self.lambda_of_offer[o] = lam;
            self.credit += i128::from(lam) * i128::from(search.batch.offers[o].max_awards.unwrap_or(0));
            for &e in &search.layout.edges_of_offer[o] {
                let edge = &search.graph.edges[e as usize];
                // Beyond its value the edge is shut anyway (its cost is positive) unless a decision forces money
                // through it; the cap keeps costs within what the simplex was prepared for.
                let charge = (lam / edge.upper.max(1)).min(CHARGE_CAP * self.scale * edge.value);
                self.costed.charge[e as usize] = charge;
                let cost = -self.scale * edge.value + charge;
                for arc in std::iter::once(e as usize).chain(search.layout.edge_must[e as usize]) {
                    self.costed.base_cost[arc] = cost;
                    simplex.set_cost(arc, cost);
                }
            }
        }
    }

    /// The bound from a flow that is optimal under the charged costs with a node's `fixing`. An edge switched on
    /// counts as a whole award: with `ON_o` the offer's edges switched on, Σ x / u ≤ k becomes Σ x / u over its
    /// other edges ≤ k − |ON_o|, so each such edge costs Λ_o once instead of Λ_o / u_e per dollar (never less,
    /// as it carries at most u_e).
    pub(super) fn bound(&self, graph: &Graph, amounts: &[i64], fixing: &Fixing) -> i128 {
        let scale = i128::from(self.scale);
        let mut total = self.credit;
        for (e, (edge, &x)) in graph.edges.iter().zip(amounts).enumerate() {
            let mut gain = scale * i128::from(edge.value);
            if fixing.edge[e] == Fix::On {
                total -= i128::from(self.lambda_of_offer[edge.offer as usize]);
            } else {
                gain -= i128::from(self.costed.charge[e]);
            }
            total += i128::from(x) * gain;
        }
        total.div_euclid(scale)
    }
}

impl<'a> Search<'a> {
    /// Tunes the multipliers of [`Lagrange`] at the root by subgradient steps (Polyak's step towards `target`,
    /// the incumbent's value, halved when four steps bring no better bound), and keeps the best. Nothing is kept
    /// when no max_awards offer exists or the bound is no better than `plain`, the root's flow bound.
    pub(super) fn tune_lagrange(&mut self, root: &[Decision], plain: i128, target: i128, rounds: usize) -> Result<()> {
        let offers: Vec<usize> = (0..self.batch.offers.len())
            .filter(|&o| self.batch.offers[o].max_awards.is_some() && !self.layout.edges_of_offer[o].is_empty())
            .collect();
        let Some(fixing) = self.fixing(root) else { return Ok(()) };
        // A second simplex that cannot solve twice within the budget would only cost memory and overrun it (its
        // first solve starts cold: on the largest batches that ran far past the limit).
        if offers.is_empty() || !self.room_for_solves(2) {
            return Ok(());
        }
        let charged = self.charged_network()?;
        let scale = charged.scale;
        // A second call goes on from the multipliers (and the warm basis) of the first, and keeps them unless it
        // finds a better bound (a call that aims at a new incumbent can end with weaker ones).
        let mut best: Option<(i128, Vec<i64>)> = None;
        let (mut l, start) = match self.lagrange.take() {
            Some(l) => {
                let start = l.multipliers.iter().map(|&x| x as f64).collect();
                if l.proves {
                    best = l.root_bound.map(|b| (b, l.multipliers.clone()));
                }
                (l, start)
            }
            None => {
                let l = Lagrange::new(charged, self.graph.edges.len(), self.batch.offers.len(), offers.len())?;
                (l, vec![0f64; offers.len()])
            }
        };
        let mut lambda: Vec<f64> = start;
        let lambda_cap = self.multiplier_caps(scale, &offers);
        let (mut theta, mut stall) = (1.0f64, 0);
        for _ in 0..rounds {
            // (`l` is out of the search while it is tuned: its work is added here.)
            if self.budget.spent(self.work() + l.costed.work()) {
                break;
            }
            let whole: Vec<i64> = lambda.iter().map(|&x| x.floor() as i64).collect();
            l.set_multipliers(self, &offers, &whole);
            let Some(amounts) = self.solve_fixed(&l.costed, &fixing)? else {
                self.borrow_work(l.costed.work());
                return Ok(());
            };
            let b = l.bound(self.graph, &amounts, &fixing);
            if best.as_ref().is_none_or(|(v, _)| b < *v) {
                best = Some((b, whole));
                stall = 0;
            } else {
                stall += 1;
                if stall >= 4 {
                    // Smaller steps, from the best multipliers so far.
                    theta /= 2.0;
                    stall = 0;
                    if let Some((_, w)) = &best {
                        lambda = w.iter().map(|&x| x as f64).collect();
                    }
                }
            }
            // Subgradient: each offer's fractional awards Σ x/u minus k.
            let g: Vec<f64> = offers
                .iter()
                .map(|&o| {
                    let k = f64::from(self.batch.offers[o].max_awards.unwrap_or(0));
                    let used: f64 = self.layout.edges_of_offer[o]
                        .iter()
                        .map(|&e| amounts[e as usize] as f64 / self.graph.edges[e as usize].upper.max(1) as f64)
                        .sum();
                    used - k
                })
                .collect();
            let norm: f64 =
                g.iter().zip(&lambda).filter(|(gi, li)| **gi > 0.0 || **li > 0.0).map(|(gi, _)| gi * gi).sum();
            if norm < 1e-12 || b <= target || theta < 1e-4 {
                break;
            }
            // The incumbent can be far below the optimum; aim at most a thousandth below the best bound.
            let best_bound = best.as_ref().map_or(b, |(v, _)| *v);
            let aim = target.max(best_bound - best_bound / 1000);
            let step = theta * (b - aim).max(1) as f64 * scale as f64 / norm;
            for ((li, gi), cap) in lambda.iter_mut().zip(&g).zip(&lambda_cap) {
                *li = (*li + step * gi).clamp(0.0, *cap);
            }
        }
        let Some((b, whole)) = best else {
            self.borrow_work(l.costed.work());
            return Ok(());
        };
        l.multipliers.clone_from(&whole);
        l.root_bound = Some(b);
        l.proves = b < plain;
        // Without a better bound the last multipliers still lean on offers that spread too thinly: plunging
        // along their flows is a different, often better, heuristic than the plain dive.
        l.guide = if l.proves { whole } else { lambda.iter().map(|&x| x.floor() as i64).collect() };
        let guide = l.guide.clone();
        l.set_multipliers(self, &offers, &guide);
        l.offers = offers;
        self.lagrange = Some(l);
        Ok(())
    }

    /// The search network with every edge costed at its value times the finest scale that 64-bit costs allow,
    /// before any charge. Charges are rounded down to 1/scale of a value unit per dollar, which over millions of
    /// dollars weakens the bound by thousands: hence as fine as the costs allow (the same margin as the plain
    /// costs), with room for charges up to [`CHARGE_CAP`] times a value.
    fn charged_network(&self) -> Result<ChargedNetwork> {
        let max_value = self.graph.edges.iter().map(|e| e.value).max().unwrap_or(0);
        let nodes = self.layout.net.node_count() as i128 + 1;
        let mut scale: i64 = 1 << 24;
        while scale > 1
            && nodes * nodes * (i128::from(CHARGE_CAP) * i128::from(scale) * i128::from(max_value) + 2) >= 1 << 52
        {
            scale /= 2;
        }
        let max_cost = CHARGE_CAP * scale * max_value;
        let big_m = layout::big_m(self.layout.net.node_count(), max_cost)?;
        let mut net = self.layout.net.clone();
        for (e, edge) in self.graph.edges.iter().enumerate() {
            net.cost[e] = -scale * edge.value;
            if let Some(m) = self.layout.edge_must[e] {
                net.cost[m] = -scale * edge.value;
            }
        }
        Ok(ChargedNetwork { net, scale, big_m, max_cost })
    }

    /// Per offer of `offers`, the multiplier (in units of `scale`) at which every one of its edges is charged at
    /// least [`CHARGE_CAP`] times the largest value: beyond it a multiplier changes nothing (see
    /// `set_multipliers`).
    pub(super) fn multiplier_caps(&self, scale: i64, offers: &[usize]) -> Vec<f64> {
        let max_value = self.graph.edges.iter().map(|e| e.value).max().unwrap_or(0);
        offers
            .iter()
            .map(|&o| {
                let most = self.layout.edges_of_offer[o].iter().map(|&e| self.graph.edges[e as usize].upper).max();
                (CHARGE_CAP * scale * max_value) as f64 * most.unwrap_or(0) as f64
            })
            .collect()
    }

    /// Sets the Lagrangian charges to the guiding multipliers times `factor` (for plunges), or back to the
    /// proving ones when `factor` is `None`.
    pub(super) fn recharge(&mut self, factor: Option<f64>) {
        let Some(mut l) = self.lagrange.take() else { return };
        let whole: Vec<i64> = match factor {
            Some(f) => l.guide.iter().map(|&x| (x as f64 * f).floor() as i64).collect(),
            None if l.proves => l.multipliers.clone(),
            None => l.guide.clone(),
        };
        let offers = std::mem::take(&mut l.offers);
        l.set_multipliers(self, &offers, &whole);
        l.offers = offers;
        self.lagrange = Some(l);
    }

    /// The Lagrangian bound of a node (see [`Lagrange`]) and the charged flow that gives it.
    pub(super) fn lagrange_bound(&self, decisions: &[Decision]) -> Result<LagrangeBound> {
        let Some(l) = self.lagrange.as_ref().filter(|l| l.proves) else { return Ok(LagrangeBound::Untuned) };
        let Some(fixing) = self.fixing(decisions) else { return Ok(LagrangeBound::Infeasible) };
        let Some(amounts) = self.solve_fixed(&l.costed, &fixing)? else { return Ok(LagrangeBound::Infeasible) };
        Ok(LagrangeBound::Bound(l.bound(self.graph, &amounts, &fixing), amounts))
    }
}
