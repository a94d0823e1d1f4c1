//! The search's state ([`Search`]): the batch, its search network, the warm simplexes, and what the search has
//! learnt on the way (pseudo-costs, Lagrangian multipliers). Each technique adds its methods to `Search` in its
//! own file; this one holds the state, its construction and the few measures every technique uses (re-solves so
//! far, the granule bounds are rounded to).
//!
//! A `Search` owns its simplexes (in cells, so that bounding a node needs no `&mut`), so it is searched on one
//! thread; what windows need from it is [`Shared`], plain data that threads can share. A helper is a copy of the
//! search with simplexes of its own ([`Search::helper`]).

use crate::error::Result;
use crate::graph::Graph;
use crate::model::Batch;

use super::super::progress::Observer;
use super::budget::{Budget, Cost};
use super::lagrange::Lagrange;
use super::layout::Layout;
use super::resolve::{Costed, Penalised};
use super::rules::Violation;
use mcf::WarmSimplex;

#[derive(Clone)]
pub(super) struct Search<'a> {
    pub(super) batch: &'a Batch,
    pub(super) graph: &'a Graph,
    /// The search network and its indices.
    pub(super) layout: Layout,
    /// How far the search may go: its work limit on [`Search::work`], and its deadline if it has a time limit.
    pub(super) budget: Budget,
    /// Work done for this search off its own simplexes: on a helper or a window (counted there while it ran, see
    /// [`Search::absorb`]) and on the small networks of `within.rs`.
    pub(super) borrowed: std::cell::Cell<u64>,
    /// Every amount of the batch is a multiple of this, and so is the optimum (see [`granule`]).
    pub(super) granule: i128,
    /// The search network with the values as costs: the node's relaxation.
    pub(super) plain: Costed,
    /// What strong branching has seen each broken rule's two children lose (summed, and how often), so that a
    /// rule tried once is estimated instead of re-solved (pseudo-costs, "reliability branching").
    pub(super) losses: std::cell::RefCell<std::collections::HashMap<Violation, ([i128; 2], u32)>>,
    /// The same network with the award penalties of [`Lagrange`], once they are tuned at the root.
    pub(super) lagrange: Option<Lagrange>,
    /// Where the search reports its progress: the match's own search only (see [`Search::observed_by`]).
    pub(super) observer: Option<&'a dyn Observer>,
}

/// Where a search and its helper's counters stood when they began to work side by side (see
/// [`Search::catch_up`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct SideBySide {
    at: u64,
}

/// What a search reads and never changes: the batch, its graph and the search network. It is plain data (a
/// [`Search`] keeps its simplexes in cells), so windows are searched from it side by side on other threads.
#[derive(Clone, Copy)]
pub(super) struct Shared<'s> {
    pub(super) batch: &'s Batch,
    pub(super) graph: &'s Graph,
    pub(super) layout: &'s Layout,
}

/// The greatest common divisor of every amount, min_award, envelope, cap and floor of the batch (1 when there is
/// none). Some optimal allocation gives every edge a multiple of it, so, values being whole numbers, the optimum is
/// a multiple of it too, and any bound may be rounded down to one. Why: take an optimal allocation and the set S
/// of edges it funds. The allocations that fund only edges of S, each at least its floor, and give each need of S
/// between what its rule demands and its amount, all keep every rule (fewer awards, fewer co-funders); they form
/// a flow polytope whose bounds are all multiples of the divisor, so it has an optimal vertex made of multiples.
pub(super) fn granule(batch: &Batch) -> i128 {
    pub(super) fn gcd(a: i64, b: i64) -> i64 {
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

impl<'a> Search<'a> {
    /// The search, reporting its progress to `observer`.
    pub(super) fn observed_by(self, observer: Option<&'a dyn Observer>) -> Search<'a> {
        Search { observer, ..self }
    }

    /// A copy of the search on simplexes of its own, to take part of its work on another thread (wide strong
    /// branching, neighbourhoods, plunges). It reports nothing: what it finds comes back to the search.
    pub(super) fn helper(&self) -> Search<'a> {
        Search { observer: None, ..self.clone() }
    }

    pub(super) fn new(batch: &'a Batch, graph: &'a Graph, budget: Budget) -> Result<Search<'a>> {
        let layout = Layout::new(batch, graph)?;
        let simplex = layout.simplex()?;
        Ok(Search::with_simplex(batch, graph, budget, layout, simplex))
    }

    /// A search on a layout built for `batch` and `graph` (or a batch of the same shape, with its capacities
    /// set for this one), and a simplex on the layout's network with its costs.
    pub(super) fn with_simplex(
        batch: &'a Batch,
        graph: &'a Graph,
        budget: Budget,
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
            overhead: std::cell::Cell::new(0),
            slowest: std::cell::Cell::new(Cost::default()),
        };
        Search {
            batch,
            graph,
            layout,
            budget,
            borrowed: std::cell::Cell::new(0),
            granule: granule(batch),
            plain,
            losses: std::cell::RefCell::new(std::collections::HashMap::new()),
            lagrange: None,
            observer: None,
        }
    }

    /// What this search reads and never changes.
    pub(super) fn shared(&self) -> Shared<'_> {
        Shared { batch: self.batch, graph: self.graph, layout: &self.layout }
    }

    /// Whether `other` bounds every node as this search does: the same Lagrangian charges (tuned at the root).
    pub(super) fn bounds_alike(&self, other: &Search<'_>) -> bool {
        fn charges<'s>(search: &'s Search<'_>) -> Option<(i128, &'s [i64], &'s [i64], bool)> {
            search.lagrange.as_ref().map(|l| (l.credit, &l.costed.base_cost[..], &l.lambda_of_offer[..], l.proves))
        }
        charges(self) == charges(other)
    }

    /// Re-solves so far, of both simplexes: the search's work in a measure that does not depend on the machine.
    pub(super) fn solves(&self) -> u64 {
        self.plain.solves.get() + self.lagrange.as_ref().map_or(0, |l| l.costed.solves.get())
    }

    /// The search's work so far in elementary steps (see [`super::budget`]): its simplexes' steps, a pass over the
    /// pairs for each re-solve, and what was done for it elsewhere. It depends only on what the search did, never on
    /// the machine or the thread.
    pub(super) fn work(&self) -> u64 {
        self.plain.work() + self.lagrange.as_ref().map_or(0, |l| l.costed.work()) + self.borrowed.get()
    }

    /// Counts `work` done for this search elsewhere.
    pub(super) fn borrow_work(&self, work: u64) {
        self.borrowed.set(self.borrowed.get() + work);
    }

    /// Brings this helper's work counter level with `search`'s (whose copy it is), so that its budget checks
    /// count what the search did since the copy was made. Returns where both counters stand, for
    /// [`Search::absorb`] once the two have worked side by side.
    pub(super) fn catch_up(&self, search: &Search<'_>) -> SideBySide {
        let behind = search.work().saturating_sub(self.work());
        self.borrow_work(behind);
        SideBySide { at: self.work() }
    }

    /// Counts the work of a stretch in which this search and `helper` (a copy of it, see [`Search::helper`]) worked
    /// side by side from `start`: the longer side's, as the stretch lasts as long as its longer side on two cores.
    /// So a budget of work is a budget of the time the search takes on the two cores it is made for.
    pub(super) fn absorb(&self, helper: &Search<'_>, start: SideBySide) {
        let mine = self.work().saturating_sub(start.at);
        let theirs = helper.work().saturating_sub(start.at);
        self.borrow_work(theirs.saturating_sub(mine));
    }

    /// Whether the search has used its budget up.
    pub(super) fn out_of_budget(&self) -> bool {
        self.budget.spent(self.work())
    }

    /// Whether `times` more re-solves, each as costly as the costliest so far, still fit in the budget.
    pub(super) fn room_for_solves(&self, times: u32) -> bool {
        self.budget.fits(self.work(), self.plain.slowest.get().times(times))
    }

    /// `value` rounded down to the granule: no allocation is worth anything between (see [`granule`]).
    pub(super) fn rounded(&self, value: i128) -> i128 {
        value.div_euclid(self.granule) * self.granule
    }
}
