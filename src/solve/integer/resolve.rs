//! Re-solving the search network under a node's decisions, on a warm simplex.
//!
//! A [`Costed`] is a warm simplex with the costs it has without any decision (the plain values, or the values
//! under Lagrangian charges, see `lagrange.rs`). A node's fixing becomes penalties on those costs: a forbidden
//! arc costs the big-M penalty, a forced amount sits on its "must" arc, which earns it. Only the arcs the last
//! node penalised and this one does not are set back, so consecutive nodes, which share most decisions, cost few
//! cost changes. A node is infeasible exactly when its optimum still pays a penalty.

use std::time::Instant;

use crate::error::{Error, Result};

use super::super::objective_of;
use super::budget::Cost;
use super::node::{Decision, Fix, Fixing, NodeOutcome};
use super::search::Search;
use crate::solve::relaxation::flow_error;
use mcf::{FlowError, WarmSimplex};

/// A warm simplex on the search network, with the costs it has without any decision.
#[derive(Clone)]
pub(super) struct Costed {
    pub(super) base_cost: Vec<i64>,
    /// The penalty: more than the cost of any simple path.
    pub(super) big_m: i64,
    pub(super) simplex: std::cell::RefCell<WarmSimplex>,
    /// The Lagrangian charge per dollar of each edge, in scaled units, already in `base_cost` (empty: none). An
    /// edge a node switches on is an award whatever it carries, so there it is lifted, and the bound charges its
    /// offer's whole Λ instead ([`Lagrange::bound`](super::lagrange::Lagrange::bound)).
    pub(super) charge: Vec<i64>,
    /// The arcs whose cost the current node changed, to restore before the next node.
    pub(super) penalised: std::cell::RefCell<Penalised>,
    /// Re-solves so far (for the trace).
    pub(super) solves: std::cell::Cell<u64>,
    /// Work of the re-solves beyond the simplex's own steps: reading each flow back is a pass over the pairs.
    pub(super) overhead: std::cell::Cell<u64>,
    /// The costliest re-solve so far, to judge whether another fits in the budget.
    pub(super) slowest: std::cell::Cell<Cost>,
}

impl Costed {
    /// Elementary steps of every re-solve on this network so far (see [`super::budget`]).
    pub(super) fn work(&self) -> u64 {
        self.simplex.borrow().operations() + self.overhead.get()
    }
}

/// The arcs a node's decisions penalise, listed, and stamped: those penalised by the node being set up are the
/// ones whose stamp equals `stamp`, so telling them from the last node's costs no pass over every arc.
#[derive(Clone)]
pub(super) struct Penalised {
    pub(super) arcs: Vec<usize>,
    pub(super) stamp: u64,
    pub(super) of_arc: Vec<u64>,
}

impl Penalised {
    pub(super) fn new(arcs: usize) -> Penalised {
        Penalised { arcs: Vec::new(), stamp: 0, of_arc: vec![0; arcs] }
    }
}

impl<'a> Search<'a> {
    pub(super) fn solve_node(&self, decisions: &[Decision]) -> Result<NodeOutcome> {
        let Some(fixing) = self.fixing(decisions) else {
            return Ok(NodeOutcome::Infeasible);
        };
        let Some(amounts) = self.solve_fixed(&self.plain, &fixing)? else {
            return Ok(NodeOutcome::Infeasible);
        };
        let value = objective_of(self.graph, &amounts);
        Ok(NodeOutcome::Solved { amounts, value })
    }

    /// Solves the search network under `costed`'s costs with a node's decisions; `None` if infeasible.
    pub(super) fn solve_fixed(&self, costed: &Costed, fixing: &Fixing) -> Result<Option<Vec<i64>>> {
        Ok(self.solve_soft(costed, fixing)?.filter(|(_, broken)| broken.is_empty()).map(|(amounts, _)| amounts))
    }

    /// Solves the search network under `costed`'s costs with a node's decisions, and returns the amounts with
    /// the arcs whose decision the flow breaks (a forbidden arc that carries money, a forced one that is not
    /// full): the node is feasible exactly when there are none. `None` only if even the bypasses cannot carry
    /// the supplies (which the search network rules out).
    pub(super) fn solve_soft(&self, costed: &Costed, fixing: &Fixing) -> Result<Option<(Vec<i64>, Vec<usize>)>> {
        let big_m = costed.big_m;
        costed.solves.set(costed.solves.get() + 1);
        let mut simplex = costed.simplex.borrow_mut();
        let mut penalised = costed.penalised.borrow_mut();
        let Penalised { arcs: touched, stamp, of_arc } = &mut *penalised;
        // This node's penalties, then the arcs the last node penalised and this one does not back to their costs
        // without decisions. Consecutive nodes share most of their decisions (a neighbourhood fixes thousands),
        // and a cost changed on a tree arc shifts the potentials of a subtree: setting each such cost back and
        // then again was a large share of a large search's profile; setting back only what this node leaves
        // unpenalised removed most of that, with the same results. `set_cost` skips a cost that does not change.
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
        let (started, before) = (Instant::now(), simplex.operations());
        let outcome = simplex.optimise();
        let read_back = self.graph.edges.len() as u64;
        costed.overhead.set(costed.overhead.get() + read_back);
        let cost = Cost { work: simplex.operations() - before + read_back, time: started.elapsed() };
        costed.slowest.set(costed.slowest.get().max(cost));
        match outcome {
            Err(FlowError::Infeasible(_)) => return Ok(None),
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
}
