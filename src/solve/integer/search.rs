//! The search's state ([`Search`]): the batch, its search network, the warm simplexes, and what the search has
//! learnt on the way (pseudo-costs, Lagrangian multipliers). Each technique adds its methods to `Search` in its
//! own file; this one holds the state, its construction and the few measures every technique uses (re-solves so
//! far, the granule bounds are rounded to).
//!
//! A `Search` owns its simplexes (in cells, so that bounding a node needs no `&mut`), so it is searched on one
//! thread; what windows need from it is [`Shared`], plain data that threads can share. A helper is a copy of the
//! search with simplexes of its own ([`Search::helper`]).

use std::time::Instant;

use crate::error::Result;
use crate::graph::Graph;
use crate::model::Batch;

use super::super::progress::Observer;
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
    /// When the search must stop (the time limit).
    pub(super) deadline: Instant,
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

    pub(super) fn new(batch: &'a Batch, graph: &'a Graph, deadline: Instant) -> Result<Search<'a>> {
        let layout = Layout::new(batch, graph)?;
        let simplex = layout.simplex()?;
        Ok(Search::with_simplex(batch, graph, deadline, layout, simplex))
    }

    /// A search on a layout built for `batch` and `graph` (or a batch of the same shape, with its capacities
    /// set for this one), and a simplex on the layout's network with its costs.
    pub(super) fn with_simplex(
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

    /// `value` rounded down to the granule: no allocation is worth anything between (see [`granule`]).
    pub(super) fn rounded(&self, value: i128) -> i128 {
        value.div_euclid(self.granule) * self.granule
    }
}
