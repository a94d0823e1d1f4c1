//! The exact search for batches with integer rules (docs/spec.md §5): branch and bound over the flow relaxation.
//!
//! # What it does
//!
//! Without integer rules the best allocation is a min-cost flow. The integer rules (all-or-nothing needs,
//! min_award, offer floors, max_awards, offers that cannot co-finance) are what a flow cannot express, so the
//! flow's optimum is only an upper bound. The search splits the problem into nodes: each node is the flow
//! relaxation with some decisions fixed (a need switched off, or on at what its rule demands; an award switched
//! off, on, or made its need's only source). Each node is again a min-cost flow, so its optimum bounds every
//! allocation below it. A node whose flow breaks no rule is an allocation; otherwise the search branches on one
//! broken rule, one child for each way of settling it. It returns the best allocation found (the incumbent), a
//! proven upper bound, and why it stopped: proved optimal, within the gap limit, or at the work, node or time limit.
//!
//! Every decision is a cost on one fixed network, never a change of capacity or supply: an arc that must carry
//! nothing costs a penalty `M` larger than any path's value, an amount that must flow sits on a separate arc that
//! earns `M`. A flow that meets the supplies therefore stays feasible from node to node, so one warm simplex
//! re-optimises from the previous node's basis instead of starting over, and a node is infeasible exactly when
//! its optimum still pays a penalty.
//!
//! # Where each technique lives
//!
//! The search and its state:
//! - `policy.rs`: every decision that depends on the kind of search (a match, a Monte Carlo draw, a window of a
//!   match) and its size, taken once; the rest of the search reads it instead of testing the kind.
//! - `tree.rs`: the branch-and-bound loop, best bound first, and the order of the steps at each node.
//! - `search.rs`: the search's state (the batch, the network, the simplexes, what strong branching has learnt);
//!   `node.rs`: decisions and how they expand into fixed edges; `rules.rs`: the rules a flow breaks;
//!   `resolve.rs`: re-solving a node's decisions as penalties on a warm simplex; `allocation.rs`: what the search
//!   finds.
//! - `layout.rs`: the search network, with award chains (an offer that funds at most `k` needs gives any set of
//!   its edges at most the sum of that set's `k` largest limits) as extra arcs.
//!
//! Bounds, each a proven upper bound below the plain flow's value:
//! - `lagrange.rs`: the Lagrangian bound of the max_awards rows (Σ x / u ≤ k per offer moved into the costs),
//!   tuned at the root by subgradient steps and solved at every node on a second warm simplex.
//! - `node_lp.rs` and `master.rs`: on smaller searches, each node's linear relaxation with the max_awards rows
//!   solved exactly by column generation over flows, so the bound moves with every branch as in an LP-based search.
//! - rounding down to the batch's granule (`search.rs`): the optimum is a multiple of the gcd of all amounts.
//!
//! Branching, `branching.rs`: which broken rule to branch on. Strong branching solves both children of a few
//! candidates and keeps the rule whose children lose most; what a rule's children lost is remembered
//! (pseudo-costs) so that a rule tried before is estimated instead of solved again.
//!
//! Heuristics, which find allocations (best-first nodes seldom break no rule):
//! - `heuristics.rs`: the root's heuristics and the Lagrangian ones, in their order, and how their results are
//!   kept;
//! - `rounding.rs`: bulk rounding (every broken rule settled at once, re-solve, repeat); `dive.rs`: dives (a few
//!   rules at a time, on the flow or on the exact relaxation); `plunge.rs`: plunges (one rule at a time, along the
//!   plain or the Lagrangian flows);
//! - `repair.rs`: a flow made into an allocation by taking away what breaks a rule, then re-solved within the
//!   awards it keeps (`within.rs`, on a small network of its own); `polish.rs`: award swaps, greedy filling and
//!   the final polish.
//!
//! Neighbourhoods, `neighbourhood.rs` and `window.rs`: small searches around the incumbent with most of its
//! structure fixed, in place or as batches of their own (windows) searched by this same solver.
//!
//! # In what order
//!
//! 1. [`solve`] (a match), [`solve_draw`] (a Monte Carlo draw) or a window builds the search and its policy.
//! 2. The greedy allocation is the first incumbent.
//! 3. The root's flow is solved. The root's heuristics run (bulk rounding, then a dive; a draw only repairs the
//!    root's flow), then the Lagrangian ones: the multipliers are tuned, the charged flow is rounded, and plunges
//!    follow the charged flows (a draw waits for a later node: it is one of thousands).
//! 4. The tree takes the open node of the highest bound; among equal bounds the one whose flow breaks the fewest
//!    rules, then the newest, so the search is deterministic and heads for flows near an allocation. Each node is
//!    bounded (exact relaxation or Lagrangian bound), every so many nodes dived on and repaired, and branched on by
//!    the policy's branching: strong branching on the exact relaxation for smaller searches, "wide" strong
//!    branching (every broken rule of the plain and charged flows, children bounded by their Lagrangian bounds)
//!    for larger matches, plain strong branching for draws.
//! 5. A large match whose best open bound stalls searches neighbourhoods during the tree, for a share of the
//!    tree's work; every match searches them in the time the tree leaves.
//! 6. The search stops when no open node can beat the incumbent, at the gap limit, or at the work, node or time
//!    limit; the incumbent is polished.
//!
//! # Why it is built this way
//!
//! - Determinism: work is counted in nodes, re-solves and simplex steps (`budget.rs`), never in time, wherever it
//!   decides what the search does (unless the caller set a time limit);
//!   a large match uses a second core (a helper copy of the search for wide strong branching, plunges and
//!   neighbourhoods, windows side by side), but which side solves what is fixed by the order of the rules and
//!   neighbourhoods, never by the number of threads, so a search stopped by its work or node limit ends alike on
//!   one thread and on two.
//! - Progress: only the match's own search reports, to the observer it is given (`progress.rs`); windows,
//!   helpers and draws report nothing, and the results are the same observed or not.
//! - With `POA_MATCH_TRACE` set, the search prints its progress to stderr.
//!
//! A Monte Carlo draw ([`solve_draw`]) takes its scenario's search network ([`DrawShare`]) with the draw's
//! capacities, so draws do not build a network each.

mod allocation;
mod branching;
mod budget;
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
use budget::Budget;
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
    let search = Search::new(batch, graph, budget_of(&limits, started))?.observed_by(observer);
    let policy = Policy::new(Kind::Match, graph.edges.len(), &limits, EXACT_RELAXATION_EDGES);
    Ok(run(search, Some(relaxation), limits, started, policy, None)?.solution)
}

/// The budget of a search started at `started` under `limits`: its work limit, and its time limit if it has one.
fn budget_of(limits: &Limits, started: Instant) -> Budget {
    Budget::new(limits.work_limit.operations(), limits.time_limit.map(|limit| started + limit))
}

/// What the searches of one scenario's Monte Carlo draws share: the search network of the scenario's own batch
/// (every pledge arriving whole), given each draw's capacities (`Layout::set_capacities`). It is built from the
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
/// first allocation, and the Lagrangian heuristics wait until node `DRAW_LAGRANGIAN_AT` (`policy.rs`) on any batch.
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
    let search = Search::with_simplex(batch, graph, budget_of(&limits, started), layout, simplex);
    let policy = Policy::new(Kind::Draw, graph.edges.len(), &limits, EXACT_RELAXATION_EDGES);
    let Finished { solution, layout, .. } = run(search, None, limits, started, policy, None)?;
    if keep {
        share.layout = Some(layout);
    }
    Ok(solution)
}
