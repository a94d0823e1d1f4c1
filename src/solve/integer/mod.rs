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

mod layout;
mod master;
mod neighbourhood;
mod window;
mod within;

use std::collections::BinaryHeap;
use std::time::Instant;

use crate::error::{Error, Result};
use crate::graph::Graph;
use crate::model::Batch;

pub use layout::Layout;

use super::relaxation::flow_error;
use super::swap::swap_awards_in;
use super::{Limits, Solution, Status, greedy, objective_of};
use master::Master;
use mcf::{FlowError, WarmSimplex};
use neighbourhood::{HELPER_EDGES, NEIGHBOURHOOD_SHARE, Neighbourhoods, WIDE_NEIGHBOURHOOD_SHARE};

/// One branching decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Decision {
    NeedOff(u32),
    NeedOn(u32),
    EdgeOff(u32),
    EdgeOn(u32),
    /// The edge is on and its need takes nothing from any other offer.
    Exclusive(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fix {
    Free,
    Off,
    On,
}

/// The decisions of a node expanded into per-edge states and the needs switched on.
struct Fixing {
    edge: Vec<Fix>,
    /// The edges that are not free, each once, in the order they were fixed. A re-solve penalises these and the
    /// needs switched on only: walking every edge and need for them was 17 % of a 1 000 × 100 search's profile.
    fixed_edges: Vec<u32>,
    /// The needs switched on, each once.
    needs_on: Vec<u32>,
}

impl Fixing {
    /// No decision: every edge free, no need switched on.
    fn free(edges: usize) -> Fixing {
        Fixing { edge: vec![Fix::Free; edges], fixed_edges: Vec::new(), needs_on: Vec::new() }
    }

    /// Fixes edge `e` to `fix`; false if it is already fixed the other way.
    fn set_edge(&mut self, e: usize, fix: Fix) -> bool {
        match self.edge[e] {
            Fix::Free => {
                self.edge[e] = fix;
                self.fixed_edges.push(e as u32);
                true
            }
            held => held == fix,
        }
    }
}

/// An open search node: its parent's bound and the decisions that define it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Node {
    bound: i128,
    seq: u64,
    decisions: Vec<Decision>,
    /// The node's relaxation (value, amounts) when strong branching already solved it.
    solved: Option<(i128, Vec<i64>)>,
    /// How many rules its flow breaks (its parent's count until it is solved).
    broken: usize,
}

impl Ord for Node {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // Highest bound first; among equals the one whose flow breaks fewest rules, then the newest (a BinaryHeap
        // pops the greatest).
        self.bound.cmp(&other.bound).then_with(|| other.broken.cmp(&self.broken)).then_with(|| self.seq.cmp(&other.seq))
    }
}

impl PartialOrd for Node {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// What a node's Lagrangian relaxation says.
enum LagrangeBound {
    /// No multipliers that prove anything (yet).
    Untuned,
    /// The node has no feasible flow.
    Infeasible,
    /// The bound, and the charged flow that gives it.
    Bound(i128, Vec<i64>),
}

/// What a node's relaxation says.
enum NodeOutcome {
    Infeasible,
    Solved { amounts: Vec<i64>, value: i128 },
}

/// How many broken rules strong branching tries at a node: each costs two warm re-solves, which pays on small
/// searches (on the bundled sample's Monte Carlo draws it cuts the mean solve several times over, by
/// ending plateaus where one all-or-nothing need after another takes the same leftover dollars) but not where one
/// re-solve takes milliseconds: 500 × 50 (7 500 edges) needed 15.5 s instead of 2.9 s for 2 000 nodes, with
/// the same bound.
fn strong_branching_candidates(edges: usize) -> usize {
    if edges <= 5_000 { 8 } else { 0 }
}

/// Whether a search solves each node's linear relaxation with the max_awards rows exactly
/// ([`Search::node_lp`]) and strong-branches on it: searches of at most [`EXACT_RELAXATION_EDGES`] eligible
/// pairs, outside Monte Carlo draws. A node then costs some tens of re-solves instead of two, which pays where
/// the max_awards rows hold the bound: 150 × 15 seeds 3 and 8 were proved in 0.5 s each, where 20 000 nodes
/// left 0.077 % and 0.31 %. Draws keep the lighter Lagrangian bound: the sample's are mostly proved before the
/// multipliers are tuned.
fn exact_relaxation(edges: usize, draw: bool, up_to: usize) -> bool {
    !draw && edges <= up_to
}

/// The largest search that solves its nodes' relaxations exactly. Twice the strong-branching range of the plain
/// search: 500 × 50 seed 3 (6 989 pairs) went from 0.026 % to 0.0056 % in 10 s with it.
const EXACT_RELAXATION_EDGES: usize = 10_000;

/// At most this many flows priced per node by the column generation of [`Search::node_lp`]. On the generated
/// batches it converges in 5 to 20; a round cut short still gives a valid (weaker) bound.
const LP_ROUNDS: usize = 40;

/// Strong branching on exact relaxations (as SCIP's reliability branching does it): every broken rule of the
/// fractional optimum whose losses are known (tried [`EXACT_RELIABLE`] times) is scored from them at no cost;
/// of the others, up to [`EXACT_CANDIDATES`] are tried by solving both children (two column generations each),
/// in the order of [`Search::most_fractional_first`], until [`EXACT_LOOKAHEAD`] tries in a row bring no better
/// score. On 24 generated batches (150 × 15 and 300 × 30, seeds 1–12) 4, 8 and 16 tries proved the same 20
/// within 10 s each, 8 with the smallest open gaps; what decides there is mostly when the heuristics find the
/// optimum.
const EXACT_CANDIDATES: usize = 8;
const EXACT_RELIABLE: u32 = 2;
const EXACT_LOOKAHEAD: usize = 4;

/// The Lagrangian charge of an edge is at most this many times its value per dollar (see
/// [`Lagrange::set_multipliers`]): beyond that the edge is shut anyway unless a decision forces money through
/// it. With 2, such forced edges were charged less than the multipliers said, the column generation's master
/// and the exact bound disagreed, and it stopped up to 2.4 M short of the linear relaxation (84 nodes of 150 ×
/// 15 seed 11 in 10 s); with 16 none did. The cost is a coarser scale on huge searches (see
/// [`Search::tune_lagrange`]).
const CHARGE_CAP: i64 = 16;

/// How near to settled (in millionths, see [`fraction`]) a broken rule of the fractional optimum must be for
/// [`Search::lp_dive`] to settle it in the same step as the nearest one.
const LP_DIVE_NEAR: i64 = 10_000;

/// After this many nodes without a lower best open bound a match searches neighbourhoods of its incumbent
/// (`neighbourhood.rs`), for at most [`NEIGHBOURHOOD_WORK`] times the re-solves the tree has spent so far; a count of
/// nodes and re-solves, not of time, so that a search that ends proved gives the same allocation on any machine. Only
/// searches without the exact relaxation (over [`EXACT_RELAXATION_EDGES`] pairs) do this: there the bound is the plain
/// or Lagrangian flow's and seldom moves (before wide strong branching, on none of twelve generated 1 000 × 100 batches
/// and six 2 000 × 200 did it ever leave the root's; with it, it mostly moves in the first few nodes), and the tree's
/// nodes seldom find allocations. Where the relaxation is exact the tree moves the bound and its dives find
/// allocations; taking half its work there cost 500 × 50 seed 3 three times the time and left 300 × 30 seed 3 unproved
/// at 60 s. A thousand nodes, the first figure, took 2 000 × 200 until 45 s: a tenth of it and four times the work
/// proved 1 000 × 100 seeds 4, 8 and 9 and 2 000 × 200 seed 3 sooner, and left less open on four of the six open ones.
const STALL_NODES: u64 = 100;

/// The neighbourhoods' share of a large search's work: this many re-solves for each of the tree's (see
/// [`STALL_NODES`]).
const NEIGHBOURHOOD_WORK: u64 = 4;

/// The neighbourhoods also run whenever the tree has spent this many re-solves since they last ran (the root's
/// excepted), whether its bound moves or not: wide strong branching moves the bound often, by little, at tens to
/// hundreds of re-solves a node, and with a stall counted in nodes alone the first phase waited for 100 such
/// nodes.
const PHASE_EVERY_SOLVES: u64 = 2_000;

/// Every this many nodes an exact search dives on its relaxation ([`Search::lp_dive`]).
const LP_DIVE_EVERY: u64 = 64;

/// A strong-branching rule's two children (each its bound and, where solved, its flow; `None` when it cannot beat
/// the incumbent) and what each loses from the node's bound.
type Trial = ([Option<(i128, Option<Vec<i64>>)>; 2], [i128; 2]);

/// How strong branching bounds a child.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChildBound {
    /// Its plain flow's value.
    Plain,
    /// The lower of that and its exact linear relaxation.
    Exact,
    /// The lower of its plain flow's value and its Lagrangian bound at the multipliers as they stand.
    Lagrangian,
}

/// A node's linear relaxation with the max_awards rows, as [`Search::node_lp`] finds it.
struct Relaxed {
    /// The best Lagrangian bound found: exact, from a flow.
    bound: i128,
    /// The relaxation's optimum, a convex combination of flows, rounded to dollars: what to branch on.
    fractional: Vec<i64>,
    /// The flow at the multipliers that give `bound`.
    charged: Vec<i64>,
}

/// A broken integer rule in a node's flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Violation {
    /// The need gets something but less than its rule demands.
    Need(u32),
    /// The edge carries something below the offer's floor.
    Floor(u32),
    /// The edge of a non-co-financing offer shares its need with other offers.
    Cofinance(u32),
    /// The offer funds too many needs; the edge is its smallest award that is not fixed on.
    MaxAwards(u32),
}

#[derive(Clone)]
struct Search<'a> {
    batch: &'a Batch,
    graph: &'a Graph,
    /// The search network and its indices.
    layout: Layout,
    /// When the search must stop (the time limit).
    pub(super) deadline: Instant,
    /// Every amount of the batch is a multiple of this, and so is the optimum (see [`granule`]).
    granule: i128,
    /// The search network with the values as costs: the node's relaxation.
    plain: Costed,
    /// What strong branching has seen each broken rule's two children lose (summed, and how often), so that a
    /// rule tried once is estimated instead of re-solved (pseudo-costs, "reliability branching").
    losses: std::cell::RefCell<std::collections::HashMap<Violation, ([i128; 2], u32)>>,
    /// The same network with the award penalties of [`Lagrange`], once they are tuned at the root.
    lagrange: Option<Lagrange>,
    /// The largest search (in edges) that solves its nodes' relaxations exactly: [`EXACT_RELAXATION_EDGES`]
    /// (tests lower it to search small batches the way large ones are searched).
    exact_up_to: usize,
}

/// A warm simplex on the search network, with the costs it has without any decision.
#[derive(Clone)]
struct Costed {
    base_cost: Vec<i64>,
    /// The penalty: more than the cost of any simple path.
    big_m: i64,
    simplex: std::cell::RefCell<WarmSimplex>,
    /// The Lagrangian charge per dollar of each edge, in scaled units, already in `base_cost` (empty: none). An
    /// edge a node switches on is an award whatever it carries, so there it is lifted, and the bound charges its
    /// offer's whole Λ instead ([`Lagrange::bound`]).
    charge: Vec<i64>,
    /// The arcs whose cost the current node changed, to restore before the next node.
    penalised: std::cell::RefCell<Penalised>,
    /// Re-solves so far (for the trace).
    solves: std::cell::Cell<u64>,
    /// The longest re-solve so far, to judge whether another fits before the deadline.
    slowest: std::cell::Cell<std::time::Duration>,
}

/// The arcs a node's decisions penalise, listed, and stamped: those penalised by the node being set up are the
/// ones whose stamp equals `stamp`, so telling them from the last node's costs no pass over every arc.
#[derive(Clone)]
struct Penalised {
    arcs: Vec<usize>,
    stamp: u64,
    of_arc: Vec<u64>,
}

impl Penalised {
    fn new(arcs: usize) -> Penalised {
        Penalised { arcs: Vec::new(), stamp: 0, of_arc: vec![0; arcs] }
    }
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
struct Lagrange {
    costed: Costed,
    /// Costs are values times `scale`, so that charges have fractional resolution.
    scale: i64,
    /// Σ_o Λ_o · k_o, in scaled units.
    credit: i128,
    /// Λ of each offer as the charges now stand (0 for offers without max_awards), in scaled units.
    lambda_of_offer: Vec<i64>,
    /// Λ of each max_awards offer (in offer order, those with edges), in scaled units.
    multipliers: Vec<i64>,
    /// Whether the charges give a better bound than the plain flow (else they only guide the plunge).
    proves: bool,
    /// The multipliers that guide plunges: the best ones, or the last subgradient iterate when they prove nothing.
    guide: Vec<i64>,
    /// The max_awards offers with edges, in the order of the multipliers.
    offers: Vec<usize>,
    /// The root's bound under `multipliers`, so that tuning again keeps them unless it finds better ones.
    root_bound: Option<i128>,
}

/// Solves the allocation with integer rules; `relaxation` is the flow relaxation's optimum (reported as is, and
/// a bound the search never exceeds).
pub fn solve(batch: &Batch, graph: &Graph, relaxation: i128, limits: Limits) -> Result<Solution> {
    let started = Instant::now();
    let search = Search::new(batch, graph, started + limits.time_limit)?;
    Ok(run(search, Some(relaxation), limits, started, Kind::Match, None)?.solution)
}

/// What a search is for; see [`run`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A match: the whole solver.
    Match,
    /// A Monte Carlo draw: a lighter root, no exact relaxation, no neighbourhoods.
    Draw,
    /// A window of a match's incumbent (`window.rs`): the whole solver but no neighbourhoods of its own (the
    /// match's are searching it), all its time for the tree, and no node started after this many re-solves.
    Window(u64),
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
    let Finished { solution, layout, .. } = run(search, None, limits, started, Kind::Draw, None)?;
    if keep {
        share.layout = Some(layout);
    }
    Ok(solution)
}

/// What [`run`] returns: the solution, the search's layout for reuse, and the re-solves the search took.
struct Finished {
    solution: Solution,
    layout: Layout,
    solves: u64,
}

/// The branch and bound of [`solve`] on a prepared search.
/// Without `relaxation` (a draw), the search's root bound stands in for it in the result. The search starts from
/// the greedy allocation, or from `start` where that is better.
fn run(
    mut search: Search<'_>,
    relaxation: Option<i128>,
    limits: Limits,
    started: Instant,
    kind: Kind,
    start: Option<(i128, Vec<i64>)>,
) -> Result<Finished> {
    let draw = kind == Kind::Draw;
    let (batch, graph) = (search.batch, search.graph);
    trace!(
        "search network: {} nodes, {} arcs, ready at {:?}",
        search.layout.net.node_count(),
        search.layout.net.arc_count(),
        started.elapsed()
    );

    let layout = &search.layout;
    let greedy_amounts =
        greedy::fill_in(batch, graph, vec![0; graph.edges.len()], &layout.priority, &layout.edge_order);
    let greedy_value = objective_of(graph, &greedy_amounts);
    let mut incumbent = (greedy_value, greedy_amounts);
    if let Some(start) = start
        && start.0 > incumbent.0
    {
        incumbent = start;
    }
    let mut nodes = 0u64;

    let mut open = BinaryHeap::new();
    open.push(Node {
        bound: relaxation.unwrap_or(i128::MAX),
        seq: 0,
        decisions: search.root_decisions(),
        solved: None,
        broken: 0,
    });
    let mut seq = 1u64;
    let mut stopped = None;
    let mut root = None;
    let mut root_value = None;
    // A match tunes the Lagrangian bound at the root: on large searches the plunges along it are what brings
    // 2 000 × 200 from 1.7 % to 0.7 %, and on small ones the exact relaxation and its strong branching need it
    // (until then the search branches on the plain flow, whose ties hide what the max_awards rows hold up: 300 ×
    // 30 seed 4 was proved in 1.9 s this way, and not in 20 000 nodes from node 64).
    let lagrangian_after = if draw { DRAW_LAGRANGIAN_AT } else { 1 };
    let exact = exact_relaxation(graph.edges.len(), draw, search.exact_up_to);
    // A match too large for the exact relaxation strong-branches on every broken rule of its plain and charged
    // flows, with the children's Lagrangian bounds ("wide" strong branching, see `Search::strong_branch`).
    let wide = !exact && kind == Kind::Match;
    // A match keeps the last share of its time for neighbourhoods around the incumbent (`neighbourhood.rs`); a
    // draw has no time limit.
    let tree_limit = match kind {
        Kind::Match => {
            limits.time_limit.mul_f64(1.0 - if exact { NEIGHBOURHOOD_SHARE } else { WIDE_NEIGHBOURHOOD_SHARE })
        }
        Kind::Draw | Kind::Window(_) => limits.time_limit,
    };
    // A match also searches neighbourhoods during the tree where its best open bound stalls, for at most
    // `NEIGHBOURHOOD_WORK` times the re-solves the tree has spent (see `STALL_NODES`), and in the time left after
    // it; a draw or a window never does.
    let mut neighbourhoods = (kind == Kind::Match).then(|| Neighbourhoods::new(search.root_decisions()));
    // The best open bound, and the node count when it last moved or the neighbourhoods last ran.
    let mut stalled = (i128::MAX, 0u64);
    // The tree's re-solves when the neighbourhoods last ran.
    let mut phase_at = 0u64;
    // Only the match's own search reports its progress: windows and draws are searches within it.
    let watched = kind == Kind::Match && super::progress::is_watched();
    // What the neighbourhoods aim for below a bound: the bound itself, or what the gap limit accepts (a match only).
    let target = |bound: i128| if kind == Kind::Match { limits.gap_limit.target(bound) } else { bound };
    let report = |incumbent: i128, bound: i128, nodes: u64| {
        if watched {
            super::progress::incumbent(incumbent);
            super::progress::bound(bound.min(relaxation.unwrap_or(i128::MAX)), nodes);
        }
    };
    // After a heuristic at a node of bound `node_bound` whose flow is worth `value`: reports the incumbent, and
    // gives the node's bound if the incumbent is within the gap limit of it (short of it: else the tree ends).
    let heuristics_done = |search: &Search<'_>, incumbent: i128, node_bound: i128, value: i128| {
        if watched {
            super::progress::incumbent(incumbent);
        }
        let bound = node_bound.min(search.rounded(value));
        (incumbent < bound && incumbent >= target(bound)).then_some(bound)
    };

    while let Some(node) = open.pop() {
        if node.bound <= incumbent.0 {
            // Best-first: every other open node is no better either.
            open.clear();
            break;
        }
        report(incumbent.0, node.bound, nodes);
        if incumbent.0 >= target(node.bound) {
            stopped = Some((Status::GapLimit, node.bound));
            open.push(node);
            break;
        }
        if nodes >= limits.node_limit || matches!(kind, Kind::Window(most) if search.solves() >= most) {
            stopped = Some((Status::NodeLimit, node.bound));
            open.push(node);
            break;
        }
        // A node whose re-solve cannot finish in time is not started (on 100 000 needs one takes seconds).
        if started.elapsed() + search.plain.slowest.get() >= tree_limit {
            stopped = Some((Status::TimeLimit, node.bound));
            open.push(node);
            break;
        }
        if let Some(neighbourhoods) = neighbourhoods.as_mut()
            && nodes > 0
        {
            let top = search.rounded(node.bound);
            let tree_solves = search.solves() - neighbourhoods.in_place + neighbourhoods.tree_on_helper;
            let moved = top < stalled.0;
            if moved {
                trace!("best open bound {top} at node {nodes}, {:?}", started.elapsed());
                stalled = (top, nodes);
            }
            if nodes == 1 {
                // The root's heuristics and strong branching are not a stall.
                phase_at = tree_solves;
            }
            if !exact && ((!moved && nodes - stalled.1 >= STALL_NODES) || tree_solves - phase_at >= PHASE_EVERY_SOLVES)
            {
                phase_at = tree_solves;
                let allowed = tree_solves.saturating_mul(NEIGHBOURHOOD_WORK);
                if neighbourhoods.solves < allowed {
                    neighbourhoods.explore(&mut search, target(top), &mut incumbent, Some(allowed))?;
                    trace!("neighbourhoods at node {nodes}: incumbent {} at {:?}", incumbent.0, started.elapsed());
                }
                stalled.1 = nodes;
                if top <= incumbent.0 {
                    open.clear();
                    break;
                }
            }
        }
        nodes += 1;
        let (value, amounts) = match node.solved {
            Some(solved) => solved,
            None => match search.solve_node(&node.decisions)? {
                NodeOutcome::Solved { amounts, value } => (value, amounts),
                NodeOutcome::Infeasible => continue,
            },
        };
        if nodes == 1 {
            root_value = Some(value);
            if let Some(neighbourhoods) = neighbourhoods.as_mut() {
                neighbourhoods.guide = Some(amounts.clone());
            }
        }
        if value <= incumbent.0 {
            continue;
        }
        let broken = search.violations(&node.decisions, &amounts);
        let Some(violation) = search.first_violation(&broken, &amounts) else {
            incumbent = (value, amounts);
            continue;
        };
        if nodes == 1 {
            trace!("root solved: value {value} at {:?}", started.elapsed());
            let reached =
                search.root_heuristics(&node.decisions, value, &amounts, broken.len(), draw, &mut incumbent)?;
            root = (!reached).then(|| (node.decisions.clone(), value));
            trace!(
                "root heuristics done: incumbent {} after {} re-solves, at {:?}",
                incumbent.0,
                search.plain.solves.get(),
                started.elapsed()
            );
            // The root's heuristics may already be within the gap limit; the Lagrangian plunges and the tree
            // would only narrow it.
            if let Some(bound) = heuristics_done(&search, incumbent.0, node.bound, value) {
                stopped = Some((Status::GapLimit, bound));
                break;
            }
        }
        if nodes >= lagrangian_after
            && let Some((decisions, root_value)) = root.take()
        {
            search.lagrangian_heuristics(&decisions, root_value, &mut incumbent, wide)?;
            trace!(
                "Lagrangian heuristics done at node {nodes}: incumbent {} after {} + {} re-solves, at {:?}",
                incumbent.0,
                search.plain.solves.get(),
                search.lagrange.as_ref().map_or(0, |l| l.costed.solves.get()),
                started.elapsed()
            );
            if let Some(bound) = heuristics_done(&search, incumbent.0, node.bound, value) {
                stopped = Some((Status::GapLimit, bound));
                break;
            }
        }
        // The node's bound: its plain flow's value, and below it, on small searches once the multipliers are
        // tuned, the linear relaxation with the max_awards rows (solved exactly, see `node_lp`), else the
        // Lagrangian bound at the multipliers as they stand. `charged` is the flow at the multipliers that give
        // the bound (where that bound is the lower one), `fractional` what to branch on: the relaxation's
        // optimum rounded to dollars with the rules it breaks, when it breaks one.
        let (bound, charged, fractional) = if exact && search.lagrange.is_some() {
            match search.node_lp(&node.decisions, incumbent.0, LP_ROUNDS)? {
                None => continue,
                Some(lp) if lp.bound < value => {
                    let broken = search.violations(&node.decisions, &lp.fractional);
                    (lp.bound, Some(lp.charged), (!broken.is_empty()).then_some((lp.fractional, broken)))
                }
                Some(lp) => (lp.bound.min(value), None, None),
            }
        } else {
            match search.lagrange_bound(&node.decisions)? {
                LagrangeBound::Untuned => (value, None, None),
                LagrangeBound::Infeasible => continue,
                LagrangeBound::Bound(b, charged) => (value.min(b), (b < value).then_some(charged), None),
            }
        };
        if exact && search.lagrange.is_some() && nodes % LP_DIVE_EVERY == 0 {
            let found = search.lp_dive(&node.decisions, incumbent.0)?.map(|found| search.improve(found));
            trace!("lp dive at node {nodes}: {:?}", found.as_ref().map(|f| f.0));
            if let Some(found) = found
                && found.0 > incumbent.0
            {
                incumbent = found;
            }
        }
        if nodes > 1 && nodes % REPAIR_EVERY == 0 {
            // The charged flow too, where it binds: it concentrates each max_awards offer on needs it can fill.
            let flows = std::iter::once(&amounts).chain(charged.as_ref());
            for flow in flows {
                if let Some(found) = search.repair(flow.clone())?.map(|found| search.improve(found))
                    && found.0 > incumbent.0
                {
                    trace!("node repair at node {nodes}: {}", found.0);
                    incumbent = found;
                }
            }
        }
        let bound = search.rounded(bound);
        if bound <= incumbent.0 {
            continue;
        }
        // Where the Lagrangian bound is the lower one, the plain flow's broken rules are not what holds the bound
        // up: branching on them leaves the charged flow, and the bound, as they are. The charged flow's broken
        // rules (or the fractional optimum's) are branched on instead; a charged flow that breaks none is an
        // allocation.
        let charged_broken = charged.as_ref().map(|flow| search.violations(&node.decisions, flow));
        if let (Some(flow), Some(broken)) = (&charged, &charged_broken)
            && broken.is_empty()
        {
            let found = search.improve((objective_of(graph, flow), flow.clone()));
            if found.0 > incumbent.0 {
                trace!("charged flow at node {nodes}: {}", found.0);
                incumbent = found;
            }
        }
        let branch_on: Option<(&[i64], &[Violation])> = match (&fractional, &charged, &charged_broken) {
            (Some((x, x_broken)), _, _) => Some((x, x_broken)),
            (None, Some(flow), Some(broken)) => Some((flow, broken)),
            _ => None,
        };
        // Strong branching on small searches: try the first few broken rules (or recall what they lost before),
        // keep the one whose children lose most, and give each child it solved its own optimum as bound (children
        // that cannot beat the incumbent are dropped). Where the linear relaxation is solved exactly, the
        // children's bounds are theirs too.
        let first_charged = branch_on.as_ref().and_then(|(flow, broken)| search.first_violation(broken, flow));
        // A rule branched on without strong branching: both children keep the node's value until solved.
        let unsolved = |rule: Violation| (rule, [Some((value, None)), Some((value, None))]);
        let (violation, children) = match (branch_on, first_charged) {
            _ if wide => {
                let candidates = search.edge_rules_first(&broken, charged_broken.as_deref().unwrap_or(&[]), &amounts);
                let (before, at) = (search.solves(), Instant::now());
                // Half the rules are solved on the neighbourhoods' helper (a copy of the search), on the second
                // core; its re-solves count as the tree's.
                let mut helper = neighbourhoods.as_mut().and_then(|n| n.helper_for(&search));
                let helper_before = helper.as_ref().map_or(0, |helper| helper.solves());
                let chosen = search.strong_branch(
                    &node.decisions,
                    &amounts,
                    &candidates,
                    bound,
                    incumbent.0,
                    usize::MAX,
                    ChildBound::Lagrangian,
                    helper.as_deref_mut(),
                )?;
                let on_helper = helper.map_or(0, |helper| helper.solves() - helper_before);
                if let Some(neighbourhoods) = neighbourhoods.as_mut() {
                    neighbourhoods.tree_on_helper += on_helper;
                }
                trace!(
                    "wide strong branching at node {nodes}: {} rules, {} re-solves, {:?}; {:?}",
                    candidates.len(),
                    search.solves() - before + on_helper,
                    at.elapsed(),
                    chosen.as_ref().map(|(v, c)| (*v, c.clone().map(|c| c.map(|c| c.0))))
                );
                chosen.unwrap_or_else(|| unsolved(first_charged.unwrap_or(violation)))
            }
            (Some((flow, broken)), Some(first)) => {
                // Without the exact relaxation the children would keep the charged bound: no strong branching.
                let limit = if exact { EXACT_CANDIDATES } else { 0 };
                let candidates = if exact {
                    search.most_fractional_first(&search.with_every_award(&node.decisions, broken, flow), flow)
                } else {
                    Vec::new()
                };
                search
                    .strong_branch(
                        &node.decisions,
                        flow,
                        &candidates,
                        bound,
                        incumbent.0,
                        limit,
                        ChildBound::Exact,
                        None,
                    )?
                    .unwrap_or_else(|| unsolved(first))
            }
            _ => {
                let candidates = search.by_funded_total(&broken, &amounts);
                let limit = strong_branching_candidates(graph.edges.len());
                search
                    .strong_branch(
                        &node.decisions,
                        &amounts,
                        &candidates,
                        value,
                        incumbent.0,
                        limit,
                        ChildBound::Plain,
                        None,
                    )?
                    .unwrap_or_else(|| unsolved(violation))
            }
        };
        for (child, outcome) in search.branch(violation, &amounts).into_iter().zip(children) {
            let Some((child_value, child_amounts)) = outcome else { continue };
            let child_bound = bound.min(search.rounded(child_value));
            if child_bound <= incumbent.0 {
                continue;
            }
            let mut decisions = node.decisions.clone();
            decisions.push(child);
            let child_broken = child_amounts.as_ref().map_or(broken.len(), |a| search.violations(&decisions, a).len());
            let solved = child_amounts.map(|a| (child_value, a));
            open.push(Node { bound: child_bound, seq, decisions, solved, broken: child_broken });
            seq += 1;
        }
    }

    trace!(
        "search done: {nodes} nodes, {} + {} re-solves, at {:?}",
        search.plain.solves.get(),
        search.lagrange.as_ref().map_or(0, |l| l.costed.solves.get()),
        started.elapsed()
    );
    if let Some((Status::TimeLimit, top)) = stopped
        && let Some(neighbourhoods) = neighbourhoods.as_mut()
    {
        let top = search.rounded(top);
        neighbourhoods.explore(&mut search, target(top), &mut incumbent, None)?;
        trace!("final neighbourhoods done: incumbent {} at {:?}", incumbent.0, started.elapsed());
    }
    let (status, bound) = match stopped {
        // Stopped with the best open bound reached (by the neighbourhoods): proved after all; or within the gap
        // limit (the final neighbourhoods may have got there).
        Some((_, top)) if search.rounded(top) > incumbent.0 && incumbent.0 >= target(top) => (Status::GapLimit, top),
        Some((status, top)) if search.rounded(top) > incumbent.0 => (status, top),
        _ => (Status::Optimal, incumbent.0),
    };
    // The greedy allocation (an incumbent is only ever replaced by a better one) is left as it is, so that the
    // result does not depend on whether the root was solved before it won; any other is polished.
    if incumbent.0 > greedy_value {
        incumbent = search.polish(incumbent)?;
    }
    let relaxation = match relaxation.or(root_value) {
        Some(r) => r,
        // Stopped before the root was solved.
        None => super::relaxation::solve(batch, graph)?.objective,
    };
    let (objective, amounts) = incumbent;
    let solves = search.solves();
    let Search { layout, .. } = search;
    let solution = Solution { amounts, objective, bound: bound.min(relaxation), relaxation, status, nodes };
    report(solution.objective, solution.bound, nodes);
    Ok(Finished { solution, layout, solves })
}

impl Lagrange {
    /// Charges every edge of the max_awards offers `offers` Λ_o / u_e per dollar (rounded down, and never more
    /// than [`CHARGE_CAP`] times its value), with `whole[i]` the multiplier Λ of `offers[i]` in scaled units.
    fn set_multipliers(&mut self, search: &Search<'_>, offers: &[usize], whole: &[i64]) {
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
    fn bound(&self, graph: &Graph, amounts: &[i64], fixing: &Fixing) -> i128 {
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

/// The greatest common divisor of every amount, min_award, envelope, cap and floor of the batch (1 when there is
/// none). Some optimal allocation gives every edge a multiple of it, so, values being whole numbers, the optimum is
/// a multiple of it too, and any bound may be rounded down to one. Why: take an optimal allocation and the set S
/// of edges it funds. The allocations that fund only edges of S, each at least its floor, and give each need of S
/// between what its rule demands and its amount, all keep every rule (fewer awards, fewer co-funders); they form
/// a flow polytope whose bounds are all multiples of the divisor, so it has an optimal vertex made of multiples.
fn granule(batch: &Batch) -> i128 {
    fn gcd(a: i64, b: i64) -> i64 {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    let mut g = 0;
    for need in &batch.needs {
        g = gcd(g, need.amount.get());
        if let Some(m) = need.min_award {
            g = gcd(g, m.get());
        }
    }
    for offer in &batch.offers {
        g = gcd(g, offer.envelope.get());
        for x in [offer.cap_per_need, offer.floor_per_need].into_iter().flatten() {
            g = gcd(g, x.get());
        }
    }
    i128::from(g.max(1))
}

/// What a search reads and never changes: the batch, its graph and the search network. It is plain data (a
/// [`Search`] keeps its simplexes in cells), so windows are searched from it side by side on other threads.
#[derive(Clone, Copy)]
struct Shared<'s> {
    batch: &'s Batch,
    graph: &'s Graph,
    layout: &'s Layout,
}

impl Shared<'_> {
    /// See [`Search::improve`].
    fn improve(&self, (value, amounts): (i128, Vec<i64>)) -> (i128, Vec<i64>) {
        let swapped = swap_awards_in(self.batch, self.graph, amounts.clone(), SWAP_PASSES, &self.layout.swaps);
        let filled = self.fill(swapped);
        let filled_value = objective_of(self.graph, &filled);
        if filled_value > value { (filled_value, filled) } else { (value, amounts) }
    }

    /// See [`Search::fill`].
    fn fill(&self, amounts: Vec<i64>) -> Vec<i64> {
        greedy::fill_in(self.batch, self.graph, amounts, &self.layout.by_value, &self.layout.edge_order)
    }
}

impl<'a> Search<'a> {
    fn new(batch: &'a Batch, graph: &'a Graph, deadline: Instant) -> Result<Search<'a>> {
        let layout = Layout::new(batch, graph)?;
        let simplex = layout.simplex()?;
        Ok(Search::with_simplex(batch, graph, deadline, layout, simplex))
    }

    /// A search on a layout built for `batch` and `graph` (or a batch of the same shape, with its capacities
    /// set for this one), and a simplex on the layout's network with its costs.
    fn with_simplex(
        batch: &'a Batch,
        graph: &'a Graph,
        deadline: Instant,
        layout: Layout,
        simplex: WarmSimplex,
    ) -> Search<'a> {
        let plain = Costed {
            base_cost: layout.net.cost.clone(),
            charge: Vec::new(),
            big_m: layout.big_m,
            simplex: std::cell::RefCell::new(simplex),
            penalised: std::cell::RefCell::new(Penalised::new(layout.net.arc_count())),
            solves: std::cell::Cell::new(0),
            slowest: std::cell::Cell::new(std::time::Duration::ZERO),
        };
        Search {
            batch,
            graph,
            layout,
            deadline,
            granule: granule(batch),
            plain,
            losses: std::cell::RefCell::new(std::collections::HashMap::new()),
            lagrange: None,
            exact_up_to: EXACT_RELAXATION_EDGES,
        }
    }

    /// The root's first heuristics, bulk rounding then a dive, each kept when it beats `incumbent` (`broken`: how
    /// many rules the root's flow breaks, which says how long a dive takes). Returns
    /// whether the incumbent reached the root's bound (the search is then over).
    fn root_heuristics(
        &mut self,
        root: &[Decision],
        value: i128,
        amounts: &[i64],
        broken: usize,
        draw: bool,
        incumbent: &mut (i128, Vec<i64>),
    ) -> Result<bool> {
        let reached = self.rounded(value);
        if draw {
            return Ok(self.keep_better(self.repair(amounts.to_vec())?, "root repair", incumbent, reached));
        }
        let started = Instant::now();
        let solves = self.plain.solves.get();
        if self.keep_better(self.round_in_bulk(&self.plain, root, amounts.to_vec())?, "rounding", incumbent, reached) {
            return Ok(true);
        }
        // A dive settles about one broken rule per re-solve: where that cannot finish before the deadline (100 000
        // needs: 36 869 broken rules at a second or more per re-solve), its time is left to the search and the
        // final polish instead.
        let per_solve = started.elapsed() / u32::try_from((self.plain.solves.get() - solves).max(1)).unwrap_or(1);
        let broken = u32::try_from(broken).unwrap_or(u32::MAX);
        if Instant::now() + per_solve.saturating_mul(broken) > self.deadline {
            trace!("dive: skipped ({broken} broken rules at {per_solve:?} per re-solve)");
            return Ok(false);
        }
        Ok(self.keep_better(self.dive(root, amounts.to_vec())?, "dive", incumbent, reached))
    }

    /// The heuristics that need the Lagrangian multipliers, from the root's decisions (`value` is the root's
    /// bound): tunes them (which the bound needs anyway), then bulk rounding along the charged flows and, when
    /// more than a thousandth is still open, plunges along them with the guiding charges and stronger ones (two
    /// at a time with `side_by_side`). Run at the root of a match and at node [`DRAW_LAGRANGIAN_AT`] of a draw.
    fn lagrangian_heuristics(
        &mut self,
        root: &[Decision],
        value: i128,
        incumbent: &mut (i128, Vec<i64>),
        side_by_side: bool,
    ) -> Result<()> {
        let reached = self.rounded(value);
        self.tune_lagrange(root, value, incumbent.0, 150)?;
        let before = incumbent.0;
        if self.lagrange.is_some() {
            self.recharge(Some(1.0));
            let l = self.lagrange.as_ref().expect("checked");
            let fixing = self.fixing(root).ok_or_else(|| Error::internal("the root's decisions disagree"))?;
            if let Some(charged) = self.solve_fixed(&l.costed, &fixing)?
                && self.keep_better(
                    self.round_in_bulk(&l.costed, root, charged)?,
                    "charged rounding",
                    incumbent,
                    reached,
                )
            {
                self.recharge(None);
                return Ok(());
            }
        }
        if (value - incumbent.0) * 1000 > value {
            // With `side_by_side` (a match beyond the exact relaxation's range: draws keep the cores for other
            // draws, and on 300 × 30 seed 5 paired plunges led to a proof at 48 s instead of 8 s) and up to
            // `HELPER_EDGES`, two plunges at a time, the second on a copy of the search: each takes thousands of
            // re-solves (2 000 × 200 spent 13 s of its minute on four of them, one after another, 2.0–6.2 s each).
            let mut lane = (side_by_side && self.graph.edges.len() <= HELPER_EDGES).then(|| self.clone());
            let at_once = if lane.is_some() { 2 } else { 1 };
            for factors in [1.0, 2.0, 4.0, 8.0].chunks(at_once) {
                let found = match (factors, lane.as_mut()) {
                    (&[first, second], Some(lane)) => {
                        let me = &mut *self;
                        let (found, beside) = rayon::join(
                            move || {
                                me.recharge(Some(first));
                                me.plunge(root, true)
                            },
                            move || {
                                lane.recharge(Some(second));
                                lane.plunge(root, true)
                            },
                        );
                        vec![found?, beside?]
                    }
                    _ => {
                        let mut found = Vec::new();
                        for &factor in factors {
                            self.recharge(Some(factor));
                            found.push(self.plunge(root, true)?);
                        }
                        found
                    }
                };
                let mut reached_it = false;
                for found in found {
                    reached_it |= self.keep_better(found, "plunge", incumbent, reached);
                }
                if reached_it {
                    break;
                }
            }
        }
        self.recharge(None);
        if incumbent.0 > before && incumbent.0 < reached {
            // A better target steers the subgradient steps better.
            self.tune_lagrange(root, value, incumbent.0, 150)?;
        }
        Ok(())
    }

    /// Takes a heuristic's allocation (`what` names it in the trace), improved by [`Search::improve`], as the
    /// incumbent when it is better; returns whether the incumbent now reaches `reached`, the bound.
    fn keep_better(
        &self,
        found: Option<(i128, Vec<i64>)>,
        what: &str,
        incumbent: &mut (i128, Vec<i64>),
        reached: i128,
    ) -> bool {
        let found = found.map(|f| self.improve(f));
        trace!("{what}: {:?}", found.as_ref().map(|f| f.0));
        if let Some(found) = found
            && found.0 > incumbent.0
        {
            *incumbent = found;
        }
        incumbent.0 >= reached
    }

    /// A feasible allocation made better without a re-solve: award swaps
    /// ([`swap_awards_in`](super::swap::swap_awards_in)), then the money they freed spent with the greedy rule.
    /// Returns the allocation unchanged when that gains nothing.
    fn improve(&self, found: (i128, Vec<i64>)) -> (i128, Vec<i64>) {
        self.shared().improve(found)
    }

    /// The greedy rule on top of `amounts`, most valuable needs first ([`greedy::fill`]).
    fn fill(&self, amounts: Vec<i64>) -> Vec<i64> {
        self.shared().fill(amounts)
    }

    /// Whether `other` bounds every node as this search does: the same Lagrangian charges (tuned at the root).
    fn bounds_alike(&self, other: &Search<'_>) -> bool {
        fn charges<'s>(search: &'s Search<'_>) -> Option<(i128, &'s [i64], &'s [i64], bool)> {
            search.lagrange.as_ref().map(|l| (l.credit, &l.costed.base_cost[..], &l.lambda_of_offer[..], l.proves))
        }
        charges(self) == charges(other)
    }

    /// What this search reads and never changes.
    fn shared(&self) -> Shared<'_> {
        Shared { batch: self.batch, graph: self.graph, layout: &self.layout }
    }

    /// Polishes the search's result: swaps awards ([`Search::improve`]), then solves again with every award it
    /// makes fixed on (its floor or first dollar forced) and every other award fixed off, and keeps the result
    /// when it is worth at least as much. Within a
    /// fixed set of awards the search's tie-break against "must" arcs no longer applies, so an award is not left
    /// one dollar short of its limit while another need of equal value takes that dollar (119 999 of 120 000 on
    /// the sample); and an allocation a heuristic built gets the best flow its awards allow (2 000 × 200 at the
    /// root: 0.68 % → 0.14 %). Polishing each heuristic's result as it comes instead cost the sample's draws a
    /// tenth and changed nothing at 2 000 × 200. When a re-solve would end past the deadline it keeps the swapped
    /// allocation as is.
    fn polish(&self, incumbent: (i128, Vec<i64>)) -> Result<(i128, Vec<i64>)> {
        let (value, amounts) = self.improve(incumbent);
        if Instant::now() + self.plain.slowest.get() < self.deadline
            && let polished = self.reoptimise(&amounts)?
            && self.violations(&[], &polished).is_empty()
        {
            let polished_value = objective_of(self.graph, &polished);
            if polished_value >= value {
                return Ok((polished_value, polished));
            }
        }
        Ok((value, amounts))
    }

    /// Tunes the multipliers of [`Lagrange`] at the root by subgradient steps (Polyak's step towards `target`,
    /// the incumbent's value, halved when four steps bring no better bound), and keeps the best. Nothing is kept
    /// when no max_awards offer exists or the bound is no better than `plain`, the root's flow bound.
    fn tune_lagrange(&mut self, root: &[Decision], plain: i128, target: i128, rounds: usize) -> Result<()> {
        let offers: Vec<usize> = (0..self.batch.offers.len())
            .filter(|&o| self.batch.offers[o].max_awards.is_some() && !self.layout.edges_of_offer[o].is_empty())
            .collect();
        let Some(fixing) = self.fixing(root) else { return Ok(()) };
        // A second simplex that cannot solve twice before the deadline would only cost memory and overrun the
        // time limit (its first solve starts cold: 100 000 × 10 000 went 24 s past a 30 s limit).
        if offers.is_empty() || Instant::now() + 2 * self.plain.slowest.get() >= self.deadline {
            return Ok(());
        }
        // Charges are rounded down to 1/scale of a value unit per dollar, which over millions of dollars weakens
        // the bound by thousands: the scale is as fine as 64-bit costs allow (the same margin as the plain costs).
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
                let simplex = WarmSimplex::new(&net, big_m + max_cost).map_err(flow_error)?;
                let arcs = net.arc_count();
                let l = Lagrange {
                    costed: Costed {
                        base_cost: net.cost,
                        charge: vec![0; self.graph.edges.len()],
                        big_m,
                        simplex: std::cell::RefCell::new(simplex),
                        penalised: std::cell::RefCell::new(Penalised::new(arcs)),
                        solves: std::cell::Cell::new(0),
                        slowest: std::cell::Cell::new(std::time::Duration::ZERO),
                    },
                    scale,
                    credit: 0,
                    lambda_of_offer: vec![0; self.batch.offers.len()],
                    multipliers: vec![0; offers.len()],
                    proves: false,
                    guide: Vec::new(),
                    offers: Vec::new(),
                    root_bound: None,
                };
                (l, vec![0f64; offers.len()])
            }
        };
        let mut lambda: Vec<f64> = start;
        let lambda_cap = self.multiplier_caps(scale, &offers);
        let (mut theta, mut stall) = (1.0f64, 0);
        for _ in 0..rounds {
            if Instant::now() >= self.deadline {
                break;
            }
            let whole: Vec<i64> = lambda.iter().map(|&x| x.floor() as i64).collect();
            l.set_multipliers(self, &offers, &whole);
            let Some(amounts) = self.solve_fixed(&l.costed, &fixing)? else { return Ok(()) };
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
        let Some((b, whole)) = best else { return Ok(()) };
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

    /// Per offer of `offers`, the multiplier (in units of `scale`) at which every one of its edges is charged at
    /// least [`CHARGE_CAP`] times the largest value: beyond it a multiplier changes nothing (see
    /// `set_multipliers`).
    fn multiplier_caps(&self, scale: i64, offers: &[usize]) -> Vec<f64> {
        let max_value = self.graph.edges.iter().map(|e| e.value).max().unwrap_or(0);
        offers
            .iter()
            .map(|&o| {
                let most = self.layout.edges_of_offer[o].iter().map(|&e| self.graph.edges[e as usize].upper).max();
                (CHARGE_CAP * scale * max_value) as f64 * most.unwrap_or(0) as f64
            })
            .collect()
    }

    /// The node's linear relaxation with the max_awards rows, solved by column generation: a flow priced at the
    /// Lagrangian multipliers, the multipliers re-optimised over the flows found so far by the [`Master`] (its
    /// duals), and again, until the master's optimum meets the best Lagrangian bound (within a granule), the
    /// bound cannot beat `incumbent`, the multipliers stop moving, or after `rounds` flows. Starts from the
    /// charges as they stand and leaves the best multipliers set, which is where the next node (usually a
    /// child) starts. `None` if the node has no feasible flow or no multipliers were tuned.
    ///
    /// Why: with multipliers tuned once at the root, the Lagrangian subproblem of a child has many optimal flows,
    /// and branching on one of them moves neither the flow nor the bound (150 × 15 seed 8 kept its root bound
    /// over 20 000 nodes). The linear relaxation's optimum moves with every branch, as in an LP-based search.
    fn node_lp(&mut self, decisions: &[Decision], incumbent: i128, rounds: usize) -> Result<Option<Relaxed>> {
        let Some(fixing) = self.fixing(decisions) else { return Ok(None) };
        let Some(mut l) = self.lagrange.take() else { return Ok(None) };
        let offers = std::mem::take(&mut l.offers);
        let outcome = self.column_generation(&mut l, &offers, &fixing, incumbent, rounds);
        l.offers = offers;
        self.lagrange = Some(l);
        outcome
    }

    /// [`Search::node_lp`] with the multipliers taken out of the search (`lagrange`, `offers`).
    fn column_generation(
        &self,
        l: &mut Lagrange,
        offers: &[usize],
        fixing: &Fixing,
        incumbent: i128,
        rounds: usize,
    ) -> Result<Option<Relaxed>> {
        // One side row per max_awards offer: Σ x / u over its edges not switched on ≤ k less those switched on.
        let free_edges: Vec<Vec<u32>> = offers
            .iter()
            .map(|&o| {
                self.layout.edges_of_offer[o].iter().copied().filter(|&e| fixing.edge[e as usize] != Fix::On).collect()
            })
            .collect();
        let limits: Vec<f64> = offers
            .iter()
            .zip(&free_edges)
            .map(|(&o, free)| {
                let on = self.layout.edges_of_offer[o].len() - free.len();
                (i64::from(self.batch.offers[o].max_awards.unwrap_or(0)) - on as i64).max(0) as f64
            })
            .collect();
        let uses = |amounts: &[i64]| -> Vec<f64> {
            free_edges
                .iter()
                .map(|free| {
                    free.iter()
                        .map(|&e| amounts[e as usize] as f64 / self.graph.edges[e as usize].upper.max(1) as f64)
                        .sum()
                })
                .collect()
        };
        let cap = self.multiplier_caps(l.scale, offers);
        let mut whole: Vec<i64> = offers.iter().map(|&o| l.lambda_of_offer[o]).collect();
        // The best bound, its multipliers and its flow.
        let mut best: Option<(i128, Vec<i64>, Vec<i64>)> = None;
        let mut master: Option<Master> = None;
        let mut flows: Vec<Vec<i64>> = Vec::new();
        let mut weights = None;
        for round in 0..rounds {
            if round > 0 {
                l.set_multipliers(self, offers, &whole);
            }
            let Some(amounts) = self.solve_fixed(&l.costed, fixing)? else { return Ok(None) };
            let b = l.bound(self.graph, &amounts, fixing);
            if best.as_ref().is_none_or(|(v, _, _)| b < *v) {
                best = Some((b, whole.clone(), amounts.clone()));
            }
            let best_bound = best.as_ref().map_or(b, |(v, _, _)| *v);
            if self.rounded(best_bound) <= incumbent {
                break;
            }
            let value = objective_of(self.graph, &amounts) as f64;
            // The artificial column's penalty only has to exceed what any flow is worth.
            let m = master.get_or_insert_with(|| Master::new(&limits, 16.0 * (value.abs() + 1.0)));
            m.add(value, &uses(&amounts));
            flows.push(amounts);
            let solution = m.solve();
            if solution.feasible {
                weights = Some(solution.weights);
                if (best_bound as f64) - solution.objective < (self.granule as f64).max(1.0) {
                    break;
                }
            }
            let next: Vec<i64> = solution
                .duals
                .iter()
                .zip(&cap)
                .map(|(&y, &c)| (y * l.scale as f64).clamp(0.0, c).floor() as i64)
                .collect();
            if next == whole {
                break;
            }
            whole = next;
        }
        let Some((bound, multipliers, charged)) = best else { return Ok(None) };
        l.set_multipliers(self, offers, &multipliers);
        let fractional = match weights {
            Some(weights) => {
                let mut x = vec![0f64; self.graph.edges.len()];
                for (w, flow) in weights.iter().zip(&flows).filter(|(w, _)| **w > 0.0) {
                    for (xe, &fe) in x.iter_mut().zip(flow) {
                        *xe += w * fe as f64;
                    }
                }
                x.iter().map(|v| v.round() as i64).collect()
            }
            None => charged.clone(),
        };
        Ok(Some(Relaxed { bound, fractional, charged }))
    }

    /// Sets the Lagrangian charges to the guiding multipliers times `factor` (for plunges), or back to the
    /// proving ones when `factor` is `None`.
    fn recharge(&mut self, factor: Option<f64>) {
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

    /// Needs that can never get what their rule demands (their edges together cannot carry it) are off from
    /// the start.
    fn root_decisions(&self) -> Vec<Decision> {
        (0..self.batch.needs.len())
            .filter(|&n| {
                let reach: i64 = self.graph.edges[self.layout.edge_of_need[n].clone()].iter().map(|e| e.upper).sum();
                self.batch.needs[n].has_integer_rules() && reach > 0 && reach < self.must_get(n)
            })
            .map(|n| Decision::NeedOff(n as u32))
            .collect()
    }

    /// Re-solves so far, of both simplexes: the search's work in a measure that does not depend on the machine.
    fn solves(&self) -> u64 {
        self.plain.solves.get() + self.lagrange.as_ref().map_or(0, |l| l.costed.solves.get())
    }

    /// `value` rounded down to the granule: no allocation is worth anything between (see [`granule`]).
    fn rounded(&self, value: i128) -> i128 {
        value.div_euclid(self.granule) * self.granule
    }

    fn must_get(&self, n: usize) -> i64 {
        self.batch.needs[n].must_get()
    }

    /// Expands decisions into states and propagates their consequences; `None` if they contradict each other.
    fn fixing(&self, decisions: &[Decision]) -> Option<Fixing> {
        let mut f = Fixing::free(self.graph.edges.len());
        // Each need's last decision, which holds (one switched off and then on is on, with its edges off).
        let mut need = vec![Fix::Free; self.batch.needs.len()];
        for &d in decisions {
            let ok = match d {
                Decision::NeedOff(n) => {
                    need[n as usize] = Fix::Off;
                    self.layout.edge_of_need[n as usize].clone().all(|e| f.set_edge(e, Fix::Off))
                }
                Decision::NeedOn(n) => {
                    need[n as usize] = Fix::On;
                    true
                }
                Decision::EdgeOff(e) => f.set_edge(e as usize, Fix::Off),
                Decision::EdgeOn(e) => f.set_edge(e as usize, Fix::On),
                Decision::Exclusive(e) => {
                    let n = self.graph.edges[e as usize].need as usize;
                    f.set_edge(e as usize, Fix::On)
                        && self.layout.edge_of_need[n]
                            .clone()
                            .filter(|&k| k != e as usize)
                            .all(|k| f.set_edge(k, Fix::Off))
                }
            };
            if !ok {
                return None;
            }
        }
        f.needs_on = decisions
            .iter()
            .filter_map(|d| match *d {
                Decision::NeedOn(n) if need[n as usize] == Fix::On => Some(n),
                _ => None,
            })
            .collect();
        f.needs_on.sort_unstable();
        f.needs_on.dedup();
        // An edge on for a non-co-financing offer excludes its need's other edges; an offer with max_awards edges
        // on has no room for more. (Only edges fixed by the decisions are on: the propagation sets edges off.)
        let on: Vec<usize> = f.fixed_edges.iter().map(|&e| e as usize).filter(|&e| f.edge[e] == Fix::On).collect();
        let mut awards = vec![0usize; self.batch.offers.len()];
        for &e in &on {
            let offer = self.graph.edges[e].offer as usize;
            awards[offer] += 1;
            if !self.batch.offers[offer].allow_cofinance {
                let n = self.graph.edges[e].need as usize;
                if !self.layout.edge_of_need[n].clone().filter(|&k| k != e).all(|k| f.set_edge(k, Fix::Off)) {
                    return None;
                }
            }
        }
        for (o, &count) in awards.iter().enumerate() {
            let Some(k) = self.batch.offers[o].max_awards else { continue };
            if count > k as usize {
                return None;
            }
            if count == k as usize {
                for &e in &self.layout.edges_of_offer[o] {
                    f.set_edge(e as usize, Fix::Off);
                }
            }
        }
        Some(f)
    }

    fn solve_node(&self, decisions: &[Decision]) -> Result<NodeOutcome> {
        let Some(fixing) = self.fixing(decisions) else {
            return Ok(NodeOutcome::Infeasible);
        };
        let Some(amounts) = self.solve_fixed(&self.plain, &fixing)? else {
            return Ok(NodeOutcome::Infeasible);
        };
        let value = objective_of(self.graph, &amounts);
        Ok(NodeOutcome::Solved { amounts, value })
    }

    /// The Lagrangian bound of a node (see [`Lagrange`]) and the charged flow that gives it.
    fn lagrange_bound(&self, decisions: &[Decision]) -> Result<LagrangeBound> {
        let Some(l) = self.lagrange.as_ref().filter(|l| l.proves) else { return Ok(LagrangeBound::Untuned) };
        let Some(fixing) = self.fixing(decisions) else { return Ok(LagrangeBound::Infeasible) };
        let Some(amounts) = self.solve_fixed(&l.costed, &fixing)? else { return Ok(LagrangeBound::Infeasible) };
        Ok(LagrangeBound::Bound(l.bound(self.graph, &amounts, &fixing), amounts))
    }

    /// Solves the search network under `costed`'s costs with a node's decisions; `None` if infeasible.
    fn solve_fixed(&self, costed: &Costed, fixing: &Fixing) -> Result<Option<Vec<i64>>> {
        Ok(self.solve_soft(costed, fixing)?.filter(|(_, broken)| broken.is_empty()).map(|(amounts, _)| amounts))
    }

    /// Solves the search network under `costed`'s costs with a node's decisions, and returns the amounts with
    /// the arcs whose decision the flow breaks (a forbidden arc that carries money, a forced one that is not
    /// full): the node is feasible exactly when there are none. `None` only if even the bypasses cannot carry
    /// the supplies (which the search network rules out).
    fn solve_soft(&self, costed: &Costed, fixing: &Fixing) -> Result<Option<(Vec<i64>, Vec<usize>)>> {
        let big_m = costed.big_m;
        costed.solves.set(costed.solves.get() + 1);
        let mut simplex = costed.simplex.borrow_mut();
        let mut penalised = costed.penalised.borrow_mut();
        let Penalised { arcs: touched, stamp, of_arc } = &mut *penalised;
        // This node's penalties, then the arcs the last node penalised and this one does not back to their costs
        // without decisions. Consecutive nodes share most of their decisions (a neighbourhood fixes thousands),
        // and a cost changed on a tree arc shifts the potentials of a subtree: setting each such cost back and
        // then again was 14 % of a 2 000 × 200 search's profile (4 % now, and 3 % less time in all; the results
        // are the same). `set_cost` skips a cost that does not change.
        *stamp += 1;
        let stamp = *stamp;
        let previous = std::mem::take(touched);
        let mut penalise = |simplex: &mut WarmSimplex, arc: usize, cost: i64| {
            simplex.set_cost(arc, cost);
            of_arc[arc] = stamp;
            touched.push(arc);
        };
        let mut forced: Vec<usize> = Vec::new();
        let mut forbidden: Vec<usize> = Vec::new();
        for &e in &fixing.fixed_edges {
            let e = e as usize;
            match fixing.edge[e] {
                Fix::Free => {}
                Fix::Off => {
                    penalise(&mut simplex, e, big_m);
                    forbidden.push(e);
                    if let Some(m) = self.layout.edge_must[e] {
                        penalise(&mut simplex, m, big_m);
                        forbidden.push(m);
                    }
                }
                Fix::On => {
                    let Some(m) = self.layout.edge_must[e] else {
                        return Err(Error::internal("an edge without integer rules was fixed on"));
                    };
                    let charge = costed.charge.get(e).copied().unwrap_or(0);
                    if charge != 0 {
                        penalise(&mut simplex, e, costed.base_cost[e] - charge);
                    }
                    penalise(&mut simplex, m, costed.base_cost[m] - charge - big_m);
                    forced.push(m);
                }
            }
        }
        for &n in &fixing.needs_on {
            let Some(m) = self.layout.need_must[n as usize] else {
                return Err(Error::internal("a need without integer rules was fixed on"));
            };
            penalise(&mut simplex, m, big_m);
            forbidden.push(m);
        }
        for arc in previous {
            if of_arc[arc] != stamp {
                simplex.set_cost(arc, costed.base_cost[arc]);
            }
        }
        let started = Instant::now();
        let outcome = simplex.optimise();
        costed.slowest.set(costed.slowest.get().max(started.elapsed()));
        match outcome {
            Err(FlowError::Infeasible) => return Ok(None),
            Err(e) => return Err(flow_error(e)),
            Ok(_) => {}
        }
        let mut broken: Vec<usize> = forbidden.into_iter().filter(|&a| simplex.flow(a) != 0).collect();
        broken.extend(forced.into_iter().filter(|&a| simplex.flow(a) != self.layout.net.capacity[a]));
        let amounts = (0..self.graph.edges.len())
            .map(|e| simplex.flow(e) + self.layout.edge_must[e].map_or(0, |m| simplex.flow(m)))
            .collect();
        Ok(Some((amounts, broken)))
    }

    fn need_totals(&self, amounts: &[i64]) -> Vec<i64> {
        self.layout.need_totals(amounts)
    }

    /// Every broken rule, need rules first, in index order.
    fn violations(&self, decisions: &[Decision], amounts: &[i64]) -> Vec<Violation> {
        let mut out = Vec::new();
        let totals = self.need_totals(amounts);
        for (n, &t) in totals.iter().enumerate() {
            if t > 0 && t < self.must_get(n) {
                out.push(Violation::Need(n as u32));
            }
        }
        for (e, edge) in self.graph.edges.iter().enumerate() {
            let x = amounts[e];
            if x == 0 {
                continue;
            }
            let offer = &self.batch.offers[edge.offer as usize];
            if offer.floor_per_need.is_some_and(|f| x < f.get()) {
                out.push(Violation::Floor(e as u32));
            }
            if !offer.allow_cofinance && totals[edge.need as usize] > x {
                out.push(Violation::Cofinance(e as u32));
            }
        }
        // Edges fixed on, sorted for look-up (decisions can number thousands on large batches); gathered only
        // when an offer funds too many needs.
        let mut fixed_on: Option<Vec<u32>> = None;
        for (o, offer) in self.batch.offers.iter().enumerate() {
            let Some(k) = offer.max_awards else { continue };
            let funded = || self.layout.edges_of_offer[o].iter().copied().filter(|&e| amounts[e as usize] > 0);
            if funded().count() <= k as usize {
                continue;
            }
            let on = fixed_on.get_or_insert_with(|| {
                let mut on: Vec<u32> = decisions
                    .iter()
                    .filter_map(|d| match d {
                        Decision::EdgeOn(e) | Decision::Exclusive(e) => Some(*e),
                        _ => None,
                    })
                    .collect();
                on.sort_unstable();
                on
            });
            if let Some(e) = funded().filter(|e| on.binary_search(e).is_err()).min_by_key(|&e| (amounts[e as usize], e))
            {
                out.push(Violation::MaxAwards(e));
            }
        }
        out
    }

    /// Strong branching: of the first `limit` `candidates`, the one whose two children lose the most from `top`,
    /// the node's bound (the product of the losses, a child that is infeasible or cannot beat `incumbent`
    /// counting as losing everything). A child's bound is its plain flow's value, or with [`ChildBound::Exact`]
    /// the lower of that and its linear relaxation ([`Search::node_lp`]). A rule tried often enough before
    /// (once; [`EXACT_RELIABLE`] times for exact bounds) is scored by the mean of what its children lost then
    /// (see `losses`); the others are tried by solving both children, and a rule with a child that drops out is
    /// taken at once (branching on it leaves one child). Returns the rule and, for each child, `None` when it
    /// drops out, else its bound and, when its plain flow was solved here, that flow. `None` when `limit` is 0 or
    /// there is no candidate.
    ///
    /// With a `helper` (a copy of this search on simplexes of its own, see `Neighbourhoods::helper_for`), wide
    /// strong branching solves the untried rules two at a time, the second on the helper. What it finds does not
    /// depend on the number of threads: each side's simplex only ever sees its own share of the rules.
    #[allow(clippy::type_complexity, clippy::too_many_arguments)]
    fn strong_branch(
        &mut self,
        decisions: &[Decision],
        amounts: &[i64],
        candidates: &[Violation],
        top: i128,
        incumbent: i128,
        limit: usize,
        how: ChildBound,
        mut helper: Option<&mut Search<'a>>,
    ) -> Result<Option<(Violation, [Option<(i128, Option<Vec<i64>>)>; 2])>> {
        let reliable = match how {
            ChildBound::Plain | ChildBound::Lagrangian => 1,
            ChildBound::Exact => EXACT_RELIABLE,
        };
        // Wide strong branching tries every rule it has not tried before: the rules that move the bound are a few
        // among hundreds, in no order that finds them sooner.
        let lookahead = if how == ChildBound::Lagrangian { usize::MAX } else { EXACT_LOOKAHEAD };
        // Everything a child can lose: down to the incumbent (beyond, it drops out).
        let most = (top - incumbent).max(0) + 1;
        let mut best: Option<(i128, Violation, [Option<(i128, Option<Vec<i64>>)>; 2])> = None;
        // Plain: the first `limit` candidates, each estimated or solved. Exact: every candidate whose losses are
        // known is estimated (that costs nothing), and up to `limit` others are solved, until
        // EXACT_LOOKAHEAD solved ones in a row bring no better score.
        let pool = match how {
            ChildBound::Plain => &candidates[..limit.min(candidates.len())],
            ChildBound::Exact | ChildBound::Lagrangian => candidates,
        };
        let (mut solved, mut since_better) = (0, 0);
        if how != ChildBound::Lagrangian {
            helper = None;
        }
        // With a helper: which rules are solved rather than estimated (each rule comes once, so this holds until
        // its turn). Without one, nothing is looked ahead (draws strong-branch at every node).
        let untried: Vec<bool> = match helper {
            Some(_) => {
                let losses = self.losses.borrow();
                pool.iter().map(|v| losses.get(v).is_none_or(|&(_, count)| count < reliable)).collect()
            }
            None => Vec::new(),
        };
        // The children of the next untried rule, solved on the helper beside the current one.
        let mut ahead: Option<(usize, Result<Trial>)> = None;
        for (i, &v) in pool.iter().enumerate() {
            // Wide strong branching at the root of 2 000 × 200 takes a second or two: never past the deadline.
            if Instant::now() + 2 * self.plain.slowest.get() >= self.deadline {
                break;
            }
            let seen = self.losses.borrow().get(&v).copied();
            let known = seen.filter(|&(_, count)| count >= reliable);
            if how != ChildBound::Plain && known.is_none() {
                if solved >= limit || since_better >= lookahead {
                    continue;
                }
                solved += 1;
                since_better += 1;
            }
            let (children, lost) = match known {
                Some((sum, count)) => {
                    // Estimated: the children keep the parent's bound until they are solved. (Exact losses are
                    // capped at what this node could lose, as when they are measured.)
                    let mean = sum.map(|s| match how {
                        ChildBound::Plain => s / i128::from(count),
                        ChildBound::Exact | ChildBound::Lagrangian => (s / i128::from(count)).min(most),
                    });
                    ([Some((top, None)), Some((top, None))], mean)
                }
                None => {
                    let next = untried.iter().skip(i + 1).position(|&u| u).map(|k| i + 1 + k);
                    // (`next` is `None` without a helper: `untried` is empty.)
                    let (children, lost) = match (ahead.take(), next, helper.as_deref_mut()) {
                        (Some((j, trial)), _, _) if j == i => trial?,
                        (_, Some(j), Some(lane)) => {
                            let me = &mut *self;
                            let (trial, beside) = rayon::join(
                                move || me.try_rule(decisions, amounts, v, top, incumbent, how),
                                move || lane.try_rule(decisions, amounts, pool[j], top, incumbent, how),
                            );
                            ahead = Some((j, beside));
                            trial?
                        }
                        _ => self.try_rule(decisions, amounts, v, top, incumbent, how)?,
                    };
                    let mut table = self.losses.borrow_mut();
                    let entry = table.entry(v).or_insert(([0, 0], 0));
                    entry.0[0] += lost[0];
                    entry.0[1] += lost[1];
                    entry.1 += 1;
                    (children, lost)
                }
            };
            let one_sided = children.iter().any(Option::is_none);
            // Losses are at least 1 so that a child that loses nothing does not hide its sibling's loss.
            let score = (lost[0] + 1).saturating_mul(lost[1] + 1);
            if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                best = Some((score, v, children));
                since_better = 0;
            }
            if one_sided {
                break;
            }
        }
        Ok(best.map(|(_, v, c)| (v, c)))
    }

    /// Both children of rule `v` below `decisions`, solved as [`Search::strong_branch`] solves them: each child's
    /// bound and flow (`None` when it cannot beat `incumbent`), and what each loses from `top`.
    fn try_rule(
        &mut self,
        decisions: &[Decision],
        amounts: &[i64],
        v: Violation,
        top: i128,
        incumbent: i128,
        how: ChildBound,
    ) -> Result<Trial> {
        // Everything a child can lose: down to the incumbent (beyond, it drops out).
        let most = (top - incumbent).max(0) + 1;
        let mut children: [Option<(i128, Option<Vec<i64>>)>; 2] = [None, None];
        let mut lost = [most; 2];
        for ((slot, loss), child) in children.iter_mut().zip(&mut lost).zip(self.branch(v, amounts)) {
            let mut trial = decisions.to_vec();
            trial.push(child);
            if let Some((child_bound, flow)) = self.child_bound(&trial, incumbent, how)? {
                *loss = (top - child_bound).clamp(0, most);
                *slot = Some((child_bound, flow));
            }
        }
        Ok((children, lost))
    }

    /// A strong-branching child's bound (see [`Search::strong_branch`]) and, for plain bounds, its flow; `None`
    /// when it cannot beat `incumbent`.
    #[allow(clippy::type_complexity)]
    fn child_bound(
        &mut self,
        decisions: &[Decision],
        incumbent: i128,
        how: ChildBound,
    ) -> Result<Option<(i128, Option<Vec<i64>>)>> {
        let NodeOutcome::Solved { value, amounts } = self.solve_node(decisions)? else { return Ok(None) };
        let (bound, flow) = match how {
            ChildBound::Plain => (value, Some(amounts)),
            ChildBound::Exact => match self.node_lp(decisions, incumbent, LP_ROUNDS)? {
                Some(relaxed) => (value.min(relaxed.bound), None),
                None => return Ok(None),
            },
            // The plain flow is kept only where its value is the bound: a solved child's value is its flow's.
            ChildBound::Lagrangian => match self.lagrange_bound(decisions)? {
                LagrangeBound::Untuned => (value, Some(amounts)),
                LagrangeBound::Infeasible => return Ok(None),
                LagrangeBound::Bound(b, _) if b < value => (b, None),
                LagrangeBound::Bound(..) => (value, Some(amounts)),
            },
        };
        Ok((self.rounded(bound) > incumbent).then_some((bound, flow)))
    }

    /// The rules broken by either flow, each once, in the order wide strong branching tries them: edge rules
    /// (co-finance, floors, max_awards) first, then need rules, each group the most fractional first.
    fn edge_rules_first(&self, plain: &[Violation], charged: &[Violation], amounts: &[i64]) -> Vec<Violation> {
        let mut seen = std::collections::HashSet::new();
        let mut candidates: Vec<Violation> = plain.iter().chain(charged).copied().filter(|&v| seen.insert(v)).collect();
        let totals = self.need_totals(amounts);
        candidates.sort_by_key(|&v| {
            (matches!(v, Violation::Need(_)), std::cmp::Reverse(self.violation_fraction(v, amounts, &totals)))
        });
        candidates
    }

    /// The broken rules in the order plain strong branching tries them: need rules by funded total (largest
    /// first), then the others as found.
    fn by_funded_total(&self, broken: &[Violation], amounts: &[i64]) -> Vec<Violation> {
        let mut candidates = broken.to_vec();
        let totals = self.need_totals(amounts);
        candidates.sort_by_key(|v| match v {
            Violation::Need(n) => (0, std::cmp::Reverse(totals[*n as usize]), *n),
            _ => (1, std::cmp::Reverse(0), 0),
        });
        candidates
    }

    /// `broken` with, for every offer over its max_awards, each of its other funded awards that `decisions` do not
    /// fix on as a rule to branch on too (on, or off). In the linear relaxation every such award is fractional
    /// (it counts x / u of an award), and [`Search::violations`] names only the offer's smallest one, which is
    /// seldom the one whose two branches both move the bound: SCIP's strong branching, which tries every
    /// fractional award, lowered 300 × 30 seed 4's bound within four nodes where ours stayed for 20 000.
    fn with_every_award(&self, decisions: &[Decision], broken: &[Violation], flow: &[i64]) -> Vec<Violation> {
        let mut candidates = broken.to_vec();
        for &v in broken {
            let Violation::MaxAwards(e) = v else { continue };
            let o = self.graph.edges[e as usize].offer as usize;
            candidates.extend(
                self.layout.edges_of_offer[o]
                    .iter()
                    .copied()
                    .filter(|&f| {
                        f != e
                            && flow[f as usize] > 0
                            && !decisions.contains(&Decision::EdgeOn(f))
                            && !decisions.contains(&Decision::Exclusive(f))
                    })
                    .map(Violation::MaxAwards),
            );
        }
        candidates
    }

    /// The rules `broken` by a fractional flow in the order exact strong branching tries them: the max_awards rules
    /// first (their side rows are what the relaxation adds; branching on an all-or-nothing need first mostly
    /// lets another need of equal value take its place, and the bound stays: 150 × 15 seed 4 was proved in 200
    /// nodes this way, and not in 20 000 by fractionality alone), each group the most fractional first.
    fn most_fractional_first(&self, broken: &[Violation], flow: &[i64]) -> Vec<Violation> {
        let totals = self.need_totals(flow);
        let mut candidates = broken.to_vec();
        candidates.sort_by_key(|&v| {
            (!matches!(v, Violation::MaxAwards(_)), std::cmp::Reverse(self.violation_fraction(v, flow, &totals)))
        });
        candidates
    }

    /// How far the flow is from settling broken rule `v` either way (see [`fraction`]): a need's total against
    /// its must, an edge's amount against the offer's floor, against its need's total (co-finance), or against
    /// the edge's limit (max_awards: Σ x / u is what the relaxation counts).
    fn violation_fraction(&self, v: Violation, amounts: &[i64], totals: &[i64]) -> i64 {
        match v {
            Violation::Need(n) => fraction(totals[n as usize], self.must_get(n as usize)),
            Violation::Floor(e) => {
                let floor = self.batch.offers[self.graph.edges[e as usize].offer as usize]
                    .floor_per_need
                    .map_or(1, |f| f.get());
                fraction(amounts[e as usize], floor)
            }
            Violation::Cofinance(e) => {
                fraction(amounts[e as usize], totals[self.graph.edges[e as usize].need as usize])
            }
            Violation::MaxAwards(e) => fraction(amounts[e as usize], self.graph.edges[e as usize].upper.max(1)),
        }
    }

    fn first_violation(&self, all: &[Violation], amounts: &[i64]) -> Option<Violation> {
        // Branch where the most value is at stake: the need-rule violation with the largest funded total.
        let totals = self.need_totals(amounts);
        let need_violation = all
            .iter()
            .filter_map(|v| if let Violation::Need(n) = v { Some(*n) } else { None })
            .max_by_key(|&n| (totals[n as usize], std::cmp::Reverse(n)));
        need_violation.map(Violation::Need).or_else(|| all.first().copied())
    }

    fn branch(&self, violation: Violation, amounts: &[i64]) -> Vec<Decision> {
        match violation {
            Violation::Need(n) => vec![Decision::NeedOn(n), Decision::NeedOff(n)],
            Violation::Floor(e) | Violation::MaxAwards(e) => {
                vec![Decision::EdgeOn(e), Decision::EdgeOff(e)]
            }
            Violation::Cofinance(e) => {
                let _ = amounts;
                vec![Decision::Exclusive(e), Decision::EdgeOff(e)]
            }
        }
    }

    /// Plunging heuristic: from a node's flow, settles one broken rule at a time, taking the first side of the
    /// branch that loses no value, else the better side, and re-solving after each decision. When the bound is
    /// the optimum (as on most generated batches), an optimal allocation lies among the relaxation's equal-value
    /// optima, and a plunge that keeps the value stays among them.
    ///
    /// With `charged`, the plunge follows the flows under the Lagrangian charges of [`Lagrange`] instead, and
    /// scores them by their Lagrangian bound: those flows already concentrate each max_awards offer on needs
    /// it can fill.
    fn plunge(&self, decisions: &[Decision], charged: bool) -> Result<Option<(i128, Vec<i64>)>> {
        let lagrange = if charged { self.lagrange.as_ref() } else { None };
        if charged && lagrange.is_none() {
            return Ok(None);
        }
        let solve = |decisions: &[Decision]| -> Result<NodeOutcome> {
            let Some(l) = lagrange else { return self.solve_node(decisions) };
            let Some(fixing) = self.fixing(decisions) else { return Ok(NodeOutcome::Infeasible) };
            Ok(match self.solve_fixed(&l.costed, &fixing)? {
                None => NodeOutcome::Infeasible,
                Some(amounts) => NodeOutcome::Solved { value: l.bound(self.graph, &amounts, &fixing), amounts },
            })
        };
        let mut decisions = decisions.to_vec();
        let NodeOutcome::Solved { mut amounts, mut value } = solve(&decisions)? else { return Ok(None) };
        loop {
            if Instant::now() >= self.deadline {
                return Ok(None);
            }
            let Some(violation) = self.first_violation(&self.violations(&decisions, &amounts), &amounts) else {
                return Ok(Some((objective_of(self.graph, &amounts), amounts)));
            };
            let mut best: Option<(i128, Decision, Vec<i64>)> = None;
            let mut children = self.plunge_order(violation, &amounts).to_vec();

            if let Violation::MaxAwards(e) = violation {
                // Which award to drop matters more than whether: try each one the offer makes, smallest first.
                let o = self.graph.edges[e as usize].offer as usize;
                let mut funded: Vec<u32> = self.layout.edges_of_offer[o]
                    .iter()
                    .copied()
                    .filter(|&f| amounts[f as usize] > 0 && !decisions.contains(&Decision::EdgeOn(f)))
                    .collect();
                funded.sort_by_key(|&f| (amounts[f as usize], f));
                children = funded.into_iter().map(Decision::EdgeOff).collect();
            }
            for child in children {
                if decisions.contains(&child) {
                    // Taken before and the rule is still broken: it cannot help again.
                    continue;
                }
                decisions.push(child);
                let outcome = solve(&decisions)?;
                decisions.pop();
                if let NodeOutcome::Solved { amounts: a, value: v } = outcome
                    && best.as_ref().is_none_or(|(b, _, _)| v > *b)
                {
                    let keeps = v == value;
                    best = Some((v, child, a));
                    if keeps {
                        break;
                    }
                }
            }
            let Some((v, child, a)) = best else { return Ok(None) };
            decisions.push(child);
            value = v;
            amounts = a;
        }
    }

    /// The sides of a branch in the order a plunge tries them: the side closer to the current flow first.
    fn plunge_order(&self, violation: Violation, amounts: &[i64]) -> [Decision; 2] {
        let [on, off] = match self.branch(violation, amounts)[..] {
            [a, b] => [a, b],
            _ => unreachable!("every branch has two sides"),
        };
        let on_first = match violation {
            Violation::Need(n) => {
                let total: i64 = amounts[self.layout.edge_of_need[n as usize].clone()].iter().sum();
                total * 2 >= self.must_get(n as usize)
            }
            Violation::Floor(e) => {
                amounts[e as usize] * 2 >= self.layout.net.capacity[self.layout.edge_must[e as usize].unwrap_or(0)]
            }
            Violation::Cofinance(e) => {
                let n = self.graph.edges[e as usize].need as usize;
                let total: i64 = amounts[self.layout.edge_of_need[n].clone()].iter().sum();
                amounts[e as usize] * 2 >= total
            }
            Violation::MaxAwards(_) => false,
        };
        if on_first { [on, off] } else { [off, on] }
    }

    /// Rounding heuristic for large searches: from a node's flow, settles every broken rule at once, each on the
    /// side closer to the flow (as [`Search::plunge_order`] picks it; an offer over max_awards keeps its largest
    /// awards), re-solves, and repeats until nothing is broken. A round's "on" decisions can together ask more than
    /// the offers hold; the re-solve then says which of them its flow could not keep (see [`Search::solve_soft`]),
    /// and those are turned off before one more solve. So a round costs one or two re-solves, where
    /// [`Search::dive`] settles one "on" per round and [`Search::plunge`] one rule per step: on 100 000 needs,
    /// where a re-solve takes a second, only this one finishes in time.
    fn round_in_bulk(
        &self,
        costed: &Costed,
        decisions: &[Decision],
        mut amounts: Vec<i64>,
    ) -> Result<Option<(i128, Vec<i64>)>> {
        let mut decisions = decisions.to_vec();
        let mut round_started = Instant::now();
        for _ in 0..64 {
            // Leave time for the repair, which costs about one round.
            let round_took = round_started.elapsed();
            round_started = Instant::now();
            if round_started + 2 * round_took >= self.deadline {
                break;
            }
            let violations = self.violations(&decisions, &amounts);
            trace!("rounding: {} broken rules, value {}", violations.len(), objective_of(self.graph, &amounts));
            if violations.is_empty() {
                return Ok(Some((objective_of(self.graph, &amounts), amounts)));
            }
            if violations.len() <= BULK_TAIL {
                // The last few are stray dollars, often moved from one need to the next among flows of equal value
                // for many rounds: taking them away ends it and costs little.
                return self.repair(amounts);
            }
            let round_start = decisions.len();
            let mut seen: std::collections::HashSet<Decision> = decisions.iter().copied().collect();
            for v in violations {
                let chosen: Vec<Decision> = match v {
                    Violation::MaxAwards(e) => {
                        let o = self.graph.edges[e as usize].offer as usize;
                        let k = self.batch.offers[o].max_awards.unwrap_or(0) as usize;
                        self.awards_largest_first(o, &amounts).into_iter().skip(k).map(Decision::EdgeOff).collect()
                    }
                    _ => vec![self.plunge_order(v, &amounts)[0]],
                };
                for d in chosen {
                    if seen.insert(d) {
                        decisions.push(d);
                    }
                }
            }
            // Contradicting decisions (two exclusive offers on one need, say) lose their "on" sides.
            if self.fixing(&decisions).is_none() {
                turn_off(&mut decisions[round_start..]);
                self.off_wins(&mut decisions);
            }
            match self.solve_turning_off(costed, &mut decisions, round_start, "rounding")? {
                Some(a) => amounts = a,
                None => return Ok(None),
            }
        }
        self.repair(amounts)
    }

    /// Solves a node's decisions under `costed`; while the flow breaks some of them (their "on" sides together
    /// ask more than the offers hold, or an earlier "on" relied on edges a later decision closed), turns off the
    /// ones it breaks, or every "on" from `round_start` on when that does not explain it, and solves again, at
    /// most four times. Returns the flow, or `None` when the decisions stay contradictory.
    fn solve_turning_off(
        &self,
        costed: &Costed,
        decisions: &mut [Decision],
        round_start: usize,
        what: &str,
    ) -> Result<Option<Vec<i64>>> {
        for _ in 0..5 {
            self.off_wins(decisions);
            let Some(fixing) = self.fixing(decisions) else {
                trace!("{what}: contradictory decisions");
                return Ok(None);
            };
            let Some((amounts, broken)) = self.solve_soft(costed, &fixing)? else { return Ok(None) };
            if broken.is_empty() {
                return Ok(Some(amounts));
            }
            let broken: std::collections::HashSet<usize> = broken.into_iter().collect();
            let mut explained = 0;
            for d in decisions.iter_mut() {
                let arc = match *d {
                    Decision::NeedOn(n) => self.layout.need_must[n as usize],
                    Decision::EdgeOn(e) | Decision::Exclusive(e) => self.layout.edge_must[e as usize],
                    _ => None,
                };
                if arc.is_some_and(|a| broken.contains(&a)) {
                    explained += 1;
                    turn_off(std::slice::from_mut(d));
                }
            }
            trace!("{what}: {} broken decisions, {explained} explained", broken.len());
            if explained < broken.len() {
                turn_off(&mut decisions[round_start..]);
            }
        }
        Ok(None)
    }

    /// A feasible allocation near a flow that breaks rules: [`Search::strip`] what breaks them, spend what that
    /// frees with the greedy rule (most valuable needs first), swap awards ([`Search::improve`]), re-solve with
    /// the structure that is left ([`Search::reoptimise`]), then spend what is still free with the greedy rule.
    fn repair(&self, amounts: Vec<i64>) -> Result<Option<(i128, Vec<i64>)>> {
        let filled = self.fill(self.strip(amounts));
        // Swaps first, so that the re-solve works on the better set of awards (100 000 × 10 000: 1.06 % → 1.01 %).
        let (_, filled) = self.improve((objective_of(self.graph, &filled), filled));
        let better = self.reoptimise(&filled)?;
        let filled = self.fill(better);
        if !self.violations(&[], &filled).is_empty() {
            return Err(Error::internal("the repair heuristic broke an integer rule"));
        }
        Ok(Some((objective_of(self.graph, &filled), filled)))
    }

    /// The best allocation that funds exactly the needs and awards that the feasible allocation `amounts` funds
    /// (among those with integer rules; others stay free), solved on its own small network
    /// ([`within::best_within`]). It keeps every rule and is worth at least as much as `amounts`.
    fn reoptimise(&self, amounts: &[i64]) -> Result<Vec<i64>> {
        within::best_within(self.batch, self.graph, &self.layout, amounts)
    }

    /// Makes a flow keep every integer rule by taking money away: a need below what its rule demands, an award
    /// below the floor, an award that shares its need against the offer's rule and an offer's smallest awards
    /// beyond max_awards lose their money, until nothing is broken. Never adds money, so no envelope or cap can
    /// break; the result is a feasible allocation.
    fn strip(&self, mut amounts: Vec<i64>) -> Vec<i64> {
        loop {
            let violations = self.violations(&[], &amounts);
            if violations.is_empty() {
                return amounts;
            }
            for v in violations {
                match v {
                    Violation::Need(n) => amounts[self.layout.edge_of_need[n as usize].clone()].fill(0),
                    Violation::Floor(e) | Violation::Cofinance(e) | Violation::MaxAwards(e) => amounts[e as usize] = 0,
                }
            }
        }
    }

    /// The edges of offer `o` that carry money in `amounts`, largest award first (edge index on ties).
    fn awards_largest_first(&self, o: usize, amounts: &[i64]) -> Vec<u32> {
        let mut funded: Vec<u32> =
            self.layout.edges_of_offer[o].iter().copied().filter(|&e| amounts[e as usize] > 0).collect();
        funded.sort_by_key(|&e| (std::cmp::Reverse(amounts[e as usize]), e));
        funded
    }

    /// Where an "off" decision and an "on" decision concern the same edge, or an edge of a need switched off,
    /// the "on" one is turned off too, so that the decisions agree.
    fn off_wins(&self, decisions: &mut [Decision]) {
        let mut closed = std::collections::HashSet::new();
        for d in decisions.iter() {
            match *d {
                Decision::EdgeOff(e) => {
                    closed.insert(e as usize);
                }
                Decision::NeedOff(n) => closed.extend(self.layout.edge_of_need[n as usize].clone()),
                _ => {}
            }
        }
        for d in decisions.iter_mut() {
            if let Decision::EdgeOn(e) | Decision::Exclusive(e) = *d
                && closed.contains(&(e as usize))
            {
                *d = Decision::EdgeOff(e);
            }
        }
    }

    /// Diving heuristic: from a node's flow, rounds broken rules a few at a time (a need mostly funded is switched
    /// on, one barely funded off; the larger side of a co-finance conflict is kept; the smallest awards of an offer
    /// over max_awards are dropped), re-solving after each round, until nothing is broken. Switching a need on can
    /// make the node infeasible; then that decision is turned round. Finally, needs that were switched off are
    /// tried on again one by one, in case money is left for them.
    fn dive(&self, decisions: &[Decision], mut amounts: Vec<i64>) -> Result<Option<(i128, Vec<i64>)>> {
        let dive_start = decisions.len();
        // Whether a cautious step that the dive's own earlier "on" decisions make infeasible turns those off and
        // goes on, instead of giving up. Without it the dive of a large search almost never finished (2 000 × 200
        // at the root: none; with it 0.46 % from the bound, where bulk rounding ends at 1.4 %). On small searches
        // a finished dive costs more re-solves (one per need it switched off, tried again) than the tree search
        // needs to find the same allocation: the sample's draws took 40 % longer. So only large searches mend.
        let mends = strong_branching_candidates(self.graph.edges.len()) == 0;
        let mut decisions = decisions.to_vec();
        let mut value = objective_of(self.graph, &amounts);
        for _ in 0..10_000 {
            // A dive that cannot finish in time gives nothing; the search reports what it has.
            if Instant::now() >= self.deadline {
                return Ok(None);
            }
            let violations = self.violations(&decisions, &amounts);
            if violations.is_empty() {
                break;
            }
            let totals = self.need_totals(&amounts);
            let mut round_on: Option<(i64, Decision, Decision)> = None;
            let mut round_off: Vec<Decision> = Vec::new();
            // An offer over max_awards keeps its k largest awards (switched on, which switches its other edges
            // off): one round settles it, where dropping the smallest award lets the money move to another.
            let mut round_keep: Vec<Decision> = Vec::new();
            for v in &violations {
                let Violation::MaxAwards(e) = *v else { continue };
                let o = self.graph.edges[e as usize].offer as usize;
                let Some(k) = self.batch.offers[o].max_awards else { continue };
                let largest = self.awards_largest_first(o, &amounts);
                round_keep.extend(largest.into_iter().take(k as usize).map(Decision::EdgeOn));
            }
            round_keep.retain(|d| !decisions.contains(d));
            let mut dropped: Vec<Decision> = Vec::new();
            for v in violations {
                if let Violation::MaxAwards(e) = v {
                    dropped.push(Decision::EdgeOff(e));
                    continue;
                }
                let (on, off, funded, needed) = match v {
                    Violation::Need(n) => {
                        (Decision::NeedOn(n), Decision::NeedOff(n), totals[n as usize], self.must_get(n as usize))
                    }
                    Violation::Floor(e) => {
                        let floor = self.layout.net.capacity[self.layout.edge_must[e as usize].unwrap_or(0)];
                        (Decision::EdgeOn(e), Decision::EdgeOff(e), amounts[e as usize], floor)
                    }
                    Violation::Cofinance(e) => {
                        let n = self.graph.edges[e as usize].need as usize;
                        (
                            Decision::Exclusive(e),
                            Decision::EdgeOff(e),
                            amounts[e as usize],
                            totals[n] - amounts[e as usize],
                        )
                    }
                    Violation::MaxAwards(_) => continue,
                };
                if funded * 2 >= needed {
                    // Candidates for "on": only the one with most money at stake goes this round.
                    if round_on.as_ref().is_none_or(|(f, _, _)| funded > *f) {
                        round_on = Some((funded, on, off));
                    }
                } else {
                    round_off.push(off);
                }
            }
            let mut trial = decisions.clone();
            trial.extend(round_off.iter().copied());
            trial.extend(round_keep.iter().copied());
            if let Some((_, on, _)) = round_on {
                trial.push(on);
            }
            match self.solve_node(&trial)? {
                NodeOutcome::Solved { amounts: a, value: v } => {
                    decisions = trial;
                    amounts = a;
                    value = v;
                }
                NodeOutcome::Infeasible => {
                    // Back to the cautious step: every "on" of this round turned round or left out.
                    decisions.extend(round_off);
                    decisions.extend(dropped);
                    if let Some((_, _, off)) = round_on {
                        decisions.push(off);
                    }
                    // Earlier "on" decisions can rely on edges this round closes: those are turned off too.
                    let mended = if mends {
                        self.solve_turning_off(&self.plain, &mut decisions, dive_start, "dive")?
                    } else if let NodeOutcome::Solved { amounts, .. } = self.solve_node(&decisions)? {
                        Some(amounts)
                    } else {
                        None
                    };
                    let Some(a) = mended else {
                        return Ok(None);
                    };
                    value = objective_of(self.graph, &a);
                    amounts = a;
                }
            }
        }
        if !self.violations(&decisions, &amounts).is_empty() {
            return Ok(None);
        }
        // Improvement: give switched-off needs a second chance, most valuable first.
        let mut offs: Vec<u32> =
            decisions.iter().filter_map(|d| if let Decision::NeedOff(n) = d { Some(*n) } else { None }).collect();
        offs.sort_by_key(|&n| std::cmp::Reverse((self.batch.needs[n as usize].amount, std::cmp::Reverse(n))));
        for n in offs {
            if Instant::now() >= self.deadline {
                break;
            }
            let mut trial: Vec<Decision> = decisions.iter().copied().filter(|d| *d != Decision::NeedOff(n)).collect();
            trial.push(Decision::NeedOn(n));
            if let NodeOutcome::Solved { amounts: a, value: v } = self.solve_node(&trial)?
                && v > value
                && self.violations(&trial, &a).is_empty()
            {
                decisions = trial;
                amounts = a;
                value = v;
            }
        }
        Ok(Some((value, amounts)))
    }

    /// Diving on the exact relaxation ([`Search::node_lp`]), as LP-based solvers dive in the tree: from a node,
    /// settles the broken rule of the relaxation's fractional optimum that is nearest to settled, on its nearer
    /// side (and with it every rule within [`LP_DIVE_NEAR`] of settled), solves the relaxation again, and repeats
    /// until a flow breaks no rule. A side that leaves no feasible flow is turned round once; a relaxation that
    /// cannot beat `incumbent` ends the dive. The flows it ends on are repaired ([`Search::repair`]) into an
    /// allocation.
    fn lp_dive(&mut self, decisions: &[Decision], incumbent: i128) -> Result<Option<(i128, Vec<i64>)>> {
        let mut decisions = decisions.to_vec();
        let mut last: Option<Vec<i64>> = None;
        for _ in 0..self.graph.edges.len() + self.batch.needs.len() {
            if Instant::now() >= self.deadline {
                return Ok(None);
            }
            let Some(lp) = self.node_lp(&decisions, incumbent, LP_ROUNDS)? else { break };
            if self.rounded(lp.bound) <= incumbent {
                break;
            }
            if self.violations(&decisions, &lp.charged).is_empty() {
                return self.repair(lp.charged);
            }
            let broken = self.violations(&decisions, &lp.fractional);
            if broken.is_empty() {
                return self.repair(self.fits_or(lp.fractional, lp.charged));
            }
            let totals = self.need_totals(&lp.fractional);
            // Each rule, how far the flow is from settling it, and its sides (the nearer first).
            let mut ranked: Vec<(i64, Violation, [Decision; 2])> = broken
                .iter()
                .map(|&v| {
                    (self.violation_fraction(v, &lp.fractional, &totals), v, self.plunge_order(v, &lp.fractional))
                })
                .collect();
            ranked.sort_by_key(|&(f, v, _)| (f, !matches!(v, Violation::MaxAwards(_))));
            let nearest = ranked[0].0;
            let sides: Vec<[Decision; 2]> =
                ranked.iter().filter(|(f, _, _)| *f <= nearest.max(LP_DIVE_NEAR)).map(|&(_, _, s)| s).collect();
            last = Some(self.fits_or(lp.fractional, lp.charged));
            let mut trial = decisions.clone();
            trial.extend(sides.iter().map(|s| s[0]));
            if matches!(self.solve_node(&trial)?, NodeOutcome::Solved { .. }) {
                decisions = trial;
                continue;
            }
            // Only the nearest rule, the other way round.
            decisions.push(sides[0][1]);
            if !matches!(self.solve_node(&decisions)?, NodeOutcome::Solved { .. }) {
                break;
            }
        }
        match last {
            Some(flow) => self.repair(flow),
            None => Ok(None),
        }
    }

    /// `rounded` (a convex combination of flows rounded to dollars) when it keeps every limit (edges, needs'
    /// amounts, envelopes), else `exact`, a flow: rounding can put a dollar more on a need or an offer than it
    /// holds, and the repair only takes money away where an integer rule is broken.
    fn fits_or(&self, rounded: Vec<i64>, exact: Vec<i64>) -> Vec<i64> {
        let edges_fit = rounded.iter().zip(&self.graph.edges).all(|(&x, e)| (0..=e.upper).contains(&x));
        let needs_fit =
            || self.need_totals(&rounded).iter().zip(&self.batch.needs).all(|(&t, need)| t <= need.amount.get());
        let offers_fit = || {
            self.layout.edges_of_offer.iter().zip(&self.batch.offers).all(|(edges, offer)| {
                edges.iter().map(|&e| i128::from(rounded[e as usize])).sum::<i128>() <= i128::from(offer.envelope.get())
            })
        };
        if edges_fit && needs_fit() && offers_fit() { rounded } else { exact }
    }
}

/// At which node a Monte Carlo draw's search runs its Lagrangian heuristics (tuning and plunges), whatever its
/// size: a draw is one of thousands, and on 2 000 × 200 the root's tuning and plunges took two hundred times what
/// the rest of the root took.
pub const DRAW_LAGRANGIAN_AT: u64 = 64;

/// Every this many nodes the search repairs the node's flow into an allocation ([`Search::repair`]). Best-first
/// nodes rarely break no rule, so the tree itself seldom finds allocations; a repair costs about two re-solves
/// since the solve within the awards has its own small network. It replaced a dive every 64 nodes: on the
/// generated 150 × 15 batches it finds the optimum SCIP proves where the dives did not (seeds 1 and 8), and the
/// sample's draws need 36 092 → 22 318 nodes (one in 8 tried: 4 needed fewer nodes but more time).
pub(super) const REPAIR_EVERY: u64 = 8;

/// How many passes of award swaps [`Search::improve`] makes at most.
const SWAP_PASSES: usize = 4;

/// How many broken rules [`Search::round_in_bulk`] leaves to [`Search::strip`].
const BULK_TAIL: usize = 32;

/// min(a / b, 1 − a / b) in millionths (0 when b is not positive): how far a flow of `a` is from both ends of
/// a rule that asks 0 or at least `b` (most-infeasible branching tries the largest first).
fn fraction(a: i64, b: i64) -> i64 {
    if b <= 0 {
        return 0;
    }
    let (a, b) = (i128::from(a.clamp(0, b)), i128::from(b));
    (a.min(b - a) * 1_000_000 / b) as i64
}

/// Turns every "on" decision into its "off" side: a need switched off, an edge closed.
fn turn_off(decisions: &mut [Decision]) {
    for d in decisions {
        *d = match *d {
            Decision::NeedOn(n) => Decision::NeedOff(n),
            Decision::EdgeOn(e) | Decision::Exclusive(e) => Decision::EdgeOff(e),
            other => other,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The root dive of a large search (beyond strong branching) finishes with an allocation that keeps every
    /// integer rule. Before its cautious steps turned off the earlier "on" decisions they contradict, it gave up
    /// on this batch, as on 2 000 × 200.
    #[test]
    fn the_dive_of_a_large_search_finishes_feasible() {
        let (batch, graph) = crate::solve::generated(500, 50, 1);
        assert_eq!(strong_branching_candidates(graph.edges.len()), 0, "a large search: {} edges", graph.edges.len());
        let search = Search::new(&batch, &graph, Instant::now() + std::time::Duration::from_secs(3_600)).unwrap();
        let root = search.root_decisions();
        let NodeOutcome::Solved { amounts, value } = search.solve_node(&root).unwrap() else {
            panic!("the root is feasible")
        };
        assert!(!search.violations(&root, &amounts).is_empty(), "the root flow breaks rules, so the dive has work");
        let (found, dived) = search.dive(&root, amounts).unwrap().expect("the dive finishes");
        assert!(search.violations(&[], &dived).is_empty(), "the dive's allocation keeps every rule");
        assert_eq!(found, objective_of(&graph, &dived));
        assert!(found <= value, "no allocation beats the root's bound");
        let greedy = greedy::allocate(&batch, &graph);
        assert!(found > objective_of(&graph, &greedy), "the dive beats the greedy allocation");
    }

    /// The dive on the exact relaxation ends on an allocation that keeps every rule (the invariant checks of
    /// `check.rs` pass), is worth no more than the root's relaxation, and is at least as good as the greedy
    /// allocation on generated batches where the max_awards rows bind.
    #[test]
    fn the_lp_dive_finishes_feasible() {
        let mut dived = 0;
        for seed in 1..=4 {
            let (batch, graph) = crate::solve::generated(150, 15, seed);
            let mut search =
                Search::new(&batch, &graph, Instant::now() + std::time::Duration::from_secs(3_600)).unwrap();
            let root = search.root_decisions();
            let NodeOutcome::Solved { value, .. } = search.solve_node(&root).unwrap() else { panic!("feasible root") };
            let greedy = objective_of(&graph, &greedy::allocate(&batch, &graph));
            search.tune_lagrange(&root, value, greedy, 150).unwrap();
            if search.lagrange.is_none() {
                continue;
            }
            let bound = search.node_lp(&root, i128::MIN, LP_ROUNDS).unwrap().expect("the root has a relaxation").bound;
            let (found, amounts) = search.lp_dive(&root, i128::MIN).unwrap().expect("the dive finishes");
            let solution =
                Solution { objective: found, bound, relaxation: value, status: Status::Heuristic, nodes: 0, amounts };
            super::super::check::verify(&batch, &graph, &solution).unwrap();
            // A rounded flow one dollar over an edge's limit is not repaired: the exact flow is.
            let mut over = solution.amounts.clone();
            let e = (0..graph.edges.len()).find(|&e| over[e] == graph.edges[e].upper).unwrap_or(0);
            over[e] = graph.edges[e].upper + 1;
            assert_eq!(search.fits_or(over, solution.amounts.clone()), solution.amounts);
            assert_eq!(search.fits_or(solution.amounts.clone(), Vec::new()), solution.amounts);
            assert!(found <= bound, "seed {seed}: the dive's {found} beats the relaxation's {bound}");
            assert!(found >= greedy, "seed {seed}: the dive's {found} is below greedy's {greedy}");
            dived += 1;
        }
        assert!(dived >= 2, "too few batches with max_awards rows: {dived}");
    }

    /// Wide strong branching solves every other rule on the helper, and the neighbourhoods search every other
    /// neighbourhood in place there: a search stopped by its node limit ends with the same allocation, bound and
    /// node count on one thread and on two.
    #[test]
    fn a_wide_search_is_the_same_on_one_and_two_threads() {
        for seed in [2, 11] {
            let (batch, graph) = crate::solve::generated(100, 10, seed);
            let relaxation = super::super::relaxation::solve(&batch, &graph).unwrap().objective;
            let limits =
                Limits { time_limit: std::time::Duration::from_secs(600), node_limit: 60, ..Limits::default() };
            let wide_on = |threads: usize| {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
                pool.install(|| {
                    let started = Instant::now();
                    let mut search = Search::new(&batch, &graph, started + limits.time_limit).unwrap();
                    search.exact_up_to = 0;
                    let finished = run(search, Some(relaxation), limits, started, Kind::Match, None).unwrap();
                    (finished.solution, finished.solves)
                })
            };
            let (one, two) = (wide_on(1), wide_on(2));
            assert_eq!(one.0, two.0, "seed {seed}");
            assert_eq!(one.1, two.1, "seed {seed}: the search's own re-solves");
        }
    }

    /// Wide strong branching (every broken rule tried, children bounded by their Lagrangian bounds), as searches
    /// beyond the exact relaxation's range do it, proves the same optimum as the exact search on small batches,
    /// and what it returns keeps every rule. A child bound above the truth would only slow it down; one below
    /// (a charge that is not a valid bound, a rule's children that miss some allocation) cuts off the optimum and
    /// fails here.
    #[test]
    fn wide_strong_branching_proves_the_same_optimum() {
        let mut compared = 0;
        // Seed 11 is one whose children are bounded by their Lagrangian bounds below their plain flows.
        for seed in (1..=8).chain([11]) {
            let (batch, graph) = crate::solve::generated(100, 10, seed);
            let relaxation = super::super::relaxation::solve(&batch, &graph).unwrap().objective;
            let limits =
                Limits { time_limit: std::time::Duration::from_secs(30), node_limit: 50_000, ..Limits::default() };
            let exact = solve(&batch, &graph, relaxation, limits).unwrap();
            let started = Instant::now();
            let mut search = Search::new(&batch, &graph, started + limits.time_limit).unwrap();
            search.exact_up_to = 0;
            let wide = run(search, Some(relaxation), limits, started, Kind::Match, None).unwrap().solution;
            super::super::check::verify(&batch, &graph, &wide).unwrap();
            assert!(wide.bound >= exact.objective, "seed {seed}: wide bound {} below {}", wide.bound, exact.objective);
            if exact.status == Status::Optimal && wide.status == Status::Optimal {
                assert_eq!(wide.objective, exact.objective, "seed {seed}");
                compared += 1;
            }
        }
        assert!(compared >= 6, "too few batches proved both ways: {compared}");
    }

    /// The exact relaxation of a node never falls below an allocation that keeps the node's decisions: on
    /// generated batches proved optimal, every set of decisions taken from the optimal allocation itself (each
    /// edge on or off as it funds, each need with a rule on or off) keeps a bound at least the optimum, at the
    /// root and after the column generation has moved the multipliers node after node. It fails when the bound
    /// charges an edge switched on twice its offer's multiplier instead of once. (A wrong side-row limit in the
    /// master cannot make it fail: the master only proposes multipliers, and every bound is computed from a flow.)
    #[test]
    fn the_exact_relaxation_never_cuts_off_the_optimum() {
        let mut checked = 0;
        for seed in 1..=6 {
            let (batch, graph) = crate::solve::generated(60, 8, seed);
            let relaxation = super::super::relaxation::solve(&batch, &graph).unwrap().objective;
            let optimal = solve(&batch, &graph, relaxation, Limits::default()).unwrap();
            if optimal.status != Status::Optimal {
                continue;
            }
            let mut search =
                Search::new(&batch, &graph, Instant::now() + std::time::Duration::from_secs(3_600)).unwrap();
            let root = search.root_decisions();
            let NodeOutcome::Solved { value, .. } = search.solve_node(&root).unwrap() else { panic!("feasible root") };
            search.tune_lagrange(&root, value, optimal.objective, 150).unwrap();
            if search.lagrange.is_none() {
                // No max_awards offer with edges: no side rows to relax.
                continue;
            }
            let relaxed = search.node_lp(&root, i128::MIN, LP_ROUNDS).unwrap().expect("the root has a relaxation");
            assert!(relaxed.bound >= optimal.objective, "seed {seed}: root {} < {}", relaxed.bound, optimal.objective);
            // Decisions the optimal allocation keeps, in a fixed shuffled order, taken in growing prefixes.
            let totals = search.need_totals(&optimal.amounts);
            // Only edges with integer rules can be switched on (they have a "must" arc).
            let mut kept: Vec<Decision> = (0..graph.edges.len())
                .filter_map(|e| match (optimal.amounts[e] > 0, search.layout.edge_must[e].is_some()) {
                    (true, true) => Some(Decision::EdgeOn(e as u32)),
                    (true, false) => None,
                    (false, _) => Some(Decision::EdgeOff(e as u32)),
                })
                .chain(
                    (0..batch.needs.len())
                        .filter(|&n| batch.needs[n].has_integer_rules())
                        .map(|n| if totals[n] > 0 { Decision::NeedOn(n as u32) } else { Decision::NeedOff(n as u32) }),
                )
                .collect();
            let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
            for i in (1..kept.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                kept.swap(i, (state % (i as u64 + 1)) as usize);
            }
            for size in [1, 2, 4, 8, 16, 32, 64, kept.len()] {
                let decisions: Vec<Decision> = root.iter().chain(&kept[..size.min(kept.len())]).copied().collect();
                let relaxed =
                    search.node_lp(&decisions, i128::MIN, LP_ROUNDS).unwrap().expect("the optimum keeps them");
                assert!(
                    relaxed.bound >= optimal.objective,
                    "seed {seed}, {size} decisions: bound {} below the optimum {}",
                    relaxed.bound,
                    optimal.objective
                );
                checked += 1;
            }
        }
        assert!(checked >= 16, "too few batches were proved optimal to check: {checked} node bounds");
    }
}
