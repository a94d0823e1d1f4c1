//! Branch and bound over the flow relaxation for the integer rules of SPEC §5.
//!
//! A search node is the relaxation with some decisions fixed: a need switched off (it gets nothing) or on (it
//! gets at least what its rule demands: all of an all-or-nothing amount, or its min_award), an edge switched off
//! or on (it carries at least the offer's floor, or one dollar), or an edge made exclusive (on, and every other
//! edge of its need off, for offers that cannot co-finance). Each such node is again a min-cost flow, so its
//! optimum is an exact upper bound for every allocation below it.
//!
//! Every decision is expressed as a cost on a fixed network, never as a change of capacity or supply: an arc that
//! must carry nothing costs `+M`, an amount that must flow sits on a separate arc that pays `−M`, where `M`
//! exceeds the cost of any path. A flow that meets the supplies therefore stays feasible from node to node, and
//! one [`WarmSimplex`] re-optimises from the previous optimal basis instead of starting over. A node is
//! infeasible exactly when its optimum still pays a penalty (the standard big-M argument: any cheaper violation
//! would be a residual cycle of fewer than `nodes` arcs gaining more than `M`).
//!
//! The relaxation is stronger than the plain flow in three ways, each a proven upper bound:
//! - award chains (`award_chains` in `layout.rs`): an offer that funds at most `k` needs gives any set of its
//!   edges at most the sum of that set's `k` largest limits; nested sets of that kind are extra arcs of the
//!   network;
//! - a Lagrangian bound ([`Lagrange`]) for the same rule, Σ x / u ≤ k per offer, tuned at the root and then
//!   solved at every node beside the plain one (the lower of the two counts, and where it is the Lagrangian one
//!   the search branches on the charged flow's broken rules, which are what hold it up); on generated batches it
//!   is what closes the last gap between the flow bound and the optimum (300 × 30 seed 2 is proved at the root);
//! - on searches up to [`EXACT_RELAXATION_EDGES`] pairs, once the multipliers are tuned, the node's linear
//!   relaxation with the max_awards rows solved exactly ([`Search::node_lp`]): column generation over flows, the
//!   multipliers re-optimised at every node by a small master problem (`master.rs`), so that the bound moves with
//!   every branch as in an LP-based search; the search branches on that relaxation's fractional optimum and
//!   strong-branches on its children's relaxations ([`exact_relaxation`]);
//! - rounding down to the batch's [`granule`] (the optimum is a multiple of the gcd of all amounts).
//!
//! Costs are the values scaled by the node count plus a tie-break of one against "must" arcs, so that among
//! equal-value flows the one with the fewest stray single dollars wins (they were rules to branch on at no
//! change of bound: the sample went from 239 nodes to 17).
//!
//! Nodes are explored best bound first; among equal bounds the one whose flow breaks the fewest rules, then the newest,
//! so the search is deterministic and, on a plateau of equal bounds, heads for the flows nearest to a feasible
//! allocation (on the sample's Monte Carlo draws, where the bound is usually the optimum and the search has to find an
//! allocation that reaches it, that cut the nodes by two fifths and the worst draw from 8 629 nodes to 775). A node
//! whose flow breaks no integer rule is a feasible allocation; otherwise it branches on one broken rule. On small
//! searches that rule is picked by strong branching: both children of a few candidates are solved (and kept, so a child
//! is not solved twice), and a rule tried once is later scored by what its children lost then (pseudo-costs). Matches
//! beyond the exact relaxation's range strong-branch "wide": every rule broken by the node's plain or charged flow that
//! was not tried before, each child bounded by the lower of its plain and Lagrangian bounds. There the rules whose two
//! children both lose are a few among hundreds (on 1 000 × 100 seed 10, one co-finance rule of 175 at the root: both
//! children at least 5 M below the root's bound, the whole gap), and branching where most value is at stake never met
//! them. Incumbents come from the greedy allocation and from the heuristics: [`Search::root_heuristics`] at the root,
//! bulk rounding (every broken rule settled at once, re-solve, repeat, then a repair that takes away what still breaks
//! a rule, spends the money freed with the greedy rule and re-solves within the structure found; the only heuristic
//! that finishes on 100 000 needs) and a dive (broken rules a few at a time); then [`Search::lagrangian_heuristics`],
//! plunges along the Lagrangian flows (one rule at a time, taking the side that loses least), at the root (a Monte
//! Carlo draw's search waits until node [`DRAW_LAGRANGIAN_AT`]); and in the tree, a repair of every eighth node's flow
//! ([`REPAIR_EVERY`]) and, where the relaxation is solved exactly, a dive on it every [`LP_DIVE_EVERY`] nodes
//! ([`Search::lp_dive`]: 300 × 30 seed 5, whose bound was the optimum, found it only that way). A large match whose
//! best open bound stalls for [`STALL_NODES`] nodes, or whose tree has spent [`PHASE_EVERY_SOLVES`] re-solves since
//! they last ran, also searches neighbourhoods around the incumbent (`neighbourhood.rs`: only the structure around one
//! offer left free, a small search on the rest), for at most [`NEIGHBOURHOOD_WORK`] times the re-solves the tree has
//! spent. The search stops when no open node can beat the incumbent (gap 0), or at the node limit, or at
//! [`NEIGHBOURHOOD_SHARE`] (or [`WIDE_NEIGHBOURHOOD_SHARE`]) short of the time limit; then it reports the best open
//! bound, and a match spends the time left on neighbourhoods, which is proved optimal after all if they reach that
//! bound. With `POA_MATCH_TRACE` set, it prints its progress to stderr.
//!
//! A large match uses the second core as well: wide strong branching solves every other untried rule on a
//! helper, a copy of the search with simplexes of its own (`Neighbourhoods::helper_for`), the neighbourhoods
//! search windows two at a time and every other neighbourhood in place on that helper, and the root's Lagrangian
//! plunges run two at a time (on searches up to `HELPER_EDGES` eligible pairs: each copy costs memory). Which side
//! solves what is fixed by the order of the rules and neighbourhoods, never by the number of threads, so a search
//! stopped by its node limit ends alike on one thread and on two (1 000 × 100 seed 6 at `--node-limit 40`: the
//! same `matches.csv`, in 27.6 s instead of 38.3 s).
//!
//! The search network itself (its arcs, costs and capacities) is [`Layout`], in `layout.rs`. A Monte Carlo draw
//! ([`solve_draw`]) takes its scenario's layout with the draw's capacities ([`DrawShare`]) and a lighter root: the
//! repaired root flow is its first allocation and the Lagrangian heuristics wait for node [`DRAW_LAGRANGIAN_AT`].

mod allocation;
mod branching;
mod dive;
mod heuristics;
mod lagrange;
mod layout;
mod master;
mod neighbourhood;
mod node;
mod node_lp;
mod plunge;
mod policy;
mod polish;
mod repair;
mod resolve;
mod rounding;
mod rules;
mod search;
mod tree;
mod window;
mod within;

use std::time::Instant;

use crate::error::Result;
use crate::graph::Graph;
use crate::model::Batch;

pub use layout::Layout;

use super::progress::Observer;
use super::{Limits, Solution};
use node_lp::EXACT_RELAXATION_EDGES;
use policy::{Kind, Policy};
use search::Search;
use tree::{Finished, run};

/// Solves the allocation with integer rules; `relaxation` is the flow relaxation's optimum (reported as is, and
/// a bound the search never exceeds). The search reports its progress to `observer`; the searches within it
/// (windows, helpers) report nothing.
pub fn solve(
    batch: &Batch,
    graph: &Graph,
    relaxation: i128,
    limits: Limits,
    observer: Option<&dyn Observer>,
) -> Result<Solution> {
    let started = Instant::now();
    let search = Search::new(batch, graph, started + limits.time_limit)?.observed_by(observer);
    let policy = Policy::new(Kind::Match, graph.edges.len(), &limits, EXACT_RELAXATION_EDGES);
    Ok(run(search, Some(relaxation), limits, started, policy, None)?.solution)
}

/// What the searches of one scenario's Monte Carlo draws share: the search network of the scenario's own batch
/// (every pledge arriving whole), given each draw's capacities ([`Layout::set_capacities`]). It is built from the
/// scenario, never from a draw, so that every draw starts from the same network whichever draw came first.
#[derive(Debug, Clone, Default)]
pub struct DrawShare {
    layout: Option<Layout>,
}

impl DrawShare {
    /// The share of a scenario's draws; `batch` and `graph` are the scenario's own.
    pub fn new(batch: &Batch, graph: &Graph) -> Result<DrawShare> {
        if !super::has_integer_rules(batch) {
            return Ok(DrawShare::default());
        }
        Ok(DrawShare { layout: Some(Layout::for_draws(batch, graph)?) })
    }
}

/// [`solve`] for a Monte Carlo draw: `batch` and `graph` are the scenario's with the draw's envelopes and edge
/// limits, and the search network comes from `share` (built for the scenario; an empty share builds one for this
/// draw alone). A draw's search is lighter at the root: the root's flow repaired (`Search::repair`) is its
/// first allocation, and the Lagrangian heuristics wait until node [`DRAW_LAGRANGIAN_AT`] on any batch.
/// `relaxation` in the result is the search's root bound. Every draw starts from the same state, whatever draws
/// ran before it on the same share, so results do not depend on how draws are spread over threads.
pub fn solve_draw(batch: &Batch, graph: &Graph, limits: Limits, share: &mut DrawShare) -> Result<Solution> {
    let started = Instant::now();
    let (layout, keep) = match share.layout.take() {
        Some(mut layout) => {
            layout.set_capacities(batch, graph)?;
            (layout, true)
        }
        None => (Layout::for_draws(batch, graph)?, false),
    };
    let simplex = layout.simplex()?;
    let search = Search::with_simplex(batch, graph, started + limits.time_limit, layout, simplex);
    let policy = Policy::new(Kind::Draw, graph.edges.len(), &limits, EXACT_RELAXATION_EDGES);
    let Finished { solution, layout, .. } = run(search, None, limits, started, policy, None)?;
    if keep {
        share.layout = Some(layout);
    }
    Ok(solution)
}
