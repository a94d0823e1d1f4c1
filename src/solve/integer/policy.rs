//! The search's policy: every decision that depends on what a search is for (a match, a Monte Carlo draw, a
//! window of a match) or on its size, taken once before the tree starts, so that the tree and the heuristics read
//! named decisions instead of testing the kind of search over and over.

use super::super::{GapLimit, Limits};
use super::branching::strong_branching_candidates;
use super::node_lp::{EXACT_RELAXATION_EDGES, exact_relaxation};

/// The share of a match's budget kept for the neighbourhoods: the tree stops at the rest. With a fifth, a
/// small batch whose tree reaches the optimum's bound but not the allocation is proved by the final
/// neighbourhoods, and large ones ended with smaller gaps (before the phases during the tree); the batches of the
/// generated suite that the tree proves on its own finish well within the four fifths it keeps (BENCHMARKS.md).
pub(super) const NEIGHBOURHOOD_SHARE: f64 = 0.2;

/// The same share where the neighbourhoods also run during the tree (searches beyond the exact relaxation's
/// range): there the phases have searched around the incumbent already, and the tree needs the time. A large
/// batch whose tree needs more than four fifths of the time to prove it is proved this way, and no large generated
/// batch ended worse.
pub(super) const WIDE_NEIGHBOURHOOD_SHARE: f64 = 0.1;

/// Every this many nodes the search repairs the node's flow into an allocation
/// ([`super::search::Search::repair`]). Best-first nodes rarely break no rule, so the tree itself seldom finds
/// allocations; a repair costs about two re-solves since the solve within the awards has its own small network.
/// It replaced a dive every 64 nodes: on small generated batches it finds optima SCIP proves where the dives did
/// not, and the sample's draws need markedly fewer nodes (repairing more often needed fewer nodes still, but more
/// time).
pub(super) const REPAIR_EVERY: u64 = 8;

/// The largest window, in edges, that is solved as a batch: up to this size the search solves each node's
/// relaxation exactly ([`EXACT_RELAXATION_EDGES`]), and larger ones are searched in place. Searches of this size or
/// less search no windows at all.
pub(super) const WINDOW_EDGES: usize = EXACT_RELAXATION_EDGES;

/// What a search is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A match: the whole solver.
    Match,
    /// A Monte Carlo draw: a lighter root, no exact relaxation, no neighbourhoods.
    Draw,
    /// A window of a match's incumbent (`window.rs`): the whole solver but no neighbourhoods of its own (the
    /// match's are searching it), all its time for the tree, and no node started after this many re-solves.
    Window(u64),
}

/// How the tree picks the rule a node branches on (see `branching.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Branching {
    /// Every broken rule of the node's plain and charged flows not tried before, each child bounded by the lower
    /// of its plain and Lagrangian bounds: a match beyond the exact relaxation's range, where the few rules whose
    /// two children both lose hide among hundreds.
    Wide,
    /// On the fractional optimum of the exact relaxation where the node has one, strong branching with exact
    /// child bounds; elsewhere as [`Branching::Plain`] with `plain_candidates`.
    Exact {
        /// How many rules of the plain flow strong branching tries.
        plain_candidates: usize,
    },
    /// The first `candidates` rules of the plain flow tried by strong branching (none where the node has a
    /// charged flow to branch on: its children would keep the charged bound).
    Plain {
        /// How many rules of the plain flow strong branching tries.
        candidates: usize,
    },
}

/// Which heuristics run at the root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RootHeuristics {
    /// Bulk rounding, then a dive.
    Full,
    /// Only a repair of the root's flow: a draw is one of thousands.
    RepairOnly,
}

/// When the neighbourhoods of the incumbent are searched (`neighbourhood.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NeighbourhoodSearch {
    /// Never: a draw, or a window (the match's neighbourhoods are searching it).
    Never,
    /// In the time the tree leaves.
    AfterTree,
    /// Also in phases during the tree, when its best open bound stalls (a match beyond the exact relaxation's
    /// range, whose bound seldom moves and whose tree seldom finds allocations).
    DuringAndAfterTree,
}

/// Every decision that depends on the kind of search and its size, taken once when the search starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Policy {
    /// Which heuristics run at the root.
    pub(super) root_heuristics: RootHeuristics,
    /// The node at which the Lagrangian heuristics (tuning, charged rounding, plunges) run.
    pub(super) lagrangian_at: u64,
    /// Whether the root's plunges run two at a time (on a copy of the search, see `heuristics.rs`).
    pub(super) paired_plunges: bool,
    /// Whether each node's linear relaxation with the max_awards rows is solved exactly once the multipliers
    /// are tuned (`node_lp.rs`), and every [`super::tree::LP_DIVE_EVERY`] nodes dived on.
    pub(super) exact_relaxation: bool,
    /// How a node picks the rule to branch on.
    pub(super) branching: Branching,
    /// Whether a dive whose cautious step its own earlier "on" decisions make infeasible turns those off and goes
    /// on, instead of giving up (`Search::dive`): large searches only. Without it the dive of a large search almost
    /// never finished; with it the dive ends nearer the bound than bulk rounding does. On small searches a finished
    /// dive costs more re-solves (one per need it switched off, tried again) than the tree search needs to find the
    /// same allocation: the sample's draws took markedly longer.
    pub(super) mending_dives: bool,
    /// When the neighbourhoods of the incumbent are searched.
    pub(super) neighbourhoods: NeighbourhoodSearch,
    /// The share of the search's budget (work, and time under a time limit) the tree may use: a match keeps the
    /// rest for the neighbourhoods.
    pub(super) tree_share: f64,
    /// No node is started after this many re-solves (a window: its share of the match's work).
    pub(super) solve_budget: Option<u64>,
    /// The gap at which the search stops: the match's own; every other search proves optimality.
    pub(super) gap_limit: GapLimit,
}

impl Policy {
    /// The policy of a search of `kind` over `edges` eligible pairs under `limits`; a search of at most
    /// `exact_up_to` pairs solves its nodes' relaxations exactly (tests lower it to search small batches the way
    /// large ones are searched).
    pub(super) fn new(kind: Kind, edges: usize, limits: &Limits, exact_up_to: usize) -> Policy {
        let draw = kind == Kind::Draw;
        let is_match = kind == Kind::Match;
        let exact = exact_relaxation(edges, draw, exact_up_to);
        let plain_candidates = strong_branching_candidates(edges);
        let branching = if !exact && is_match {
            Branching::Wide
        } else if exact {
            Branching::Exact { plain_candidates }
        } else {
            Branching::Plain { candidates: plain_candidates }
        };
        let neighbourhoods = match kind {
            Kind::Match if exact => NeighbourhoodSearch::AfterTree,
            Kind::Match => NeighbourhoodSearch::DuringAndAfterTree,
            Kind::Draw | Kind::Window(_) => NeighbourhoodSearch::Never,
        };
        // A match keeps the last share of its budget for neighbourhoods around the incumbent.
        let tree_share = match kind {
            Kind::Match => 1.0 - if exact { NEIGHBOURHOOD_SHARE } else { WIDE_NEIGHBOURHOOD_SHARE },
            Kind::Draw | Kind::Window(_) => 1.0,
        };
        Policy {
            root_heuristics: if draw { RootHeuristics::RepairOnly } else { RootHeuristics::Full },
            // A match tunes the Lagrangian bound at the root: on large searches the plunges along it are what
            // narrows the root's gap most, and on small ones the exact relaxation and its strong branching need it
            // (until then the search branches on the plain flow, whose ties hide what the max_awards rows hold up:
            // a small batch proved quickly this way stayed open at the node limit when tuning waited for node 64).
            lagrangian_at: if draw { DRAW_LAGRANGIAN_AT } else { 1 },
            // Draws keep the cores for other draws, and on a small batch paired plunges delayed the proof several
            // times over: only wide searches pair them.
            paired_plunges: branching == Branching::Wide,
            exact_relaxation: exact,
            branching,
            mending_dives: plain_candidates == 0,
            neighbourhoods,
            tree_share,
            solve_budget: match kind {
                Kind::Window(most) => Some(most),
                Kind::Match | Kind::Draw => None,
            },
            gap_limit: if is_match { limits.gap_limit } else { GapLimit::ZERO },
        }
    }

    /// What the search aims for below a bound: the bound itself, or the least objective the gap limit accepts.
    pub(super) fn target(&self, bound: i128) -> i128 {
        self.gap_limit.target(bound)
    }
}

/// At which node a Monte Carlo draw's search runs its Lagrangian heuristics (tuning and plunges), whatever its
/// size: a draw is one of thousands, and on large batches the root's tuning and plunges took many times what the
/// rest of the root took.
pub const DRAW_LAGRANGIAN_AT: u64 = 64;
