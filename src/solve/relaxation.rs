//! The flow relaxation: the allocation problem without integer rules, as a min-cost flow.
//!
//! Nodes: one per need (supply = its amount), one per offer, and a sink (demand = total requested). Arcs: each
//! eligible edge `need → offer` (capacity = the edge's upper limit, cost = −value), each `offer → sink`
//! (capacity = envelope) and each need's bypass `need → sink` (cost 0, capacity above anything the need can
//! send) for the dollars left unfunded. Every value is positive, so the min-cost flow maximises Σ value · dollars;
//! its cost is minus the relaxation's optimum.

use crate::error::{Error, Result};
use crate::graph::Graph;
use crate::model::Batch;

use super::{Solution, Status, objective_of};
use mcf::{FlowError, Network};

/// Node index of offer `o` in the network.
pub fn offer_node(batch: &Batch, o: usize) -> usize {
    batch.needs.len() + o
}

/// Node index of the sink.
pub fn sink_node(batch: &Batch) -> usize {
    batch.needs.len() + batch.offers.len()
}

/// Arc index of need `n`'s bypass arc (edges come first, then offers' sink arcs, then bypasses).
pub fn bypass_arc(batch: &Batch, graph: &Graph, n: usize) -> usize {
    graph.edges.len() + batch.offers.len() + n
}

/// The relaxation network. Arc `e < edges` is graph edge `e`.
pub fn network(batch: &Batch, graph: &Graph) -> Network {
    let sink = sink_node(batch);
    let mut net = Network::with_nodes(sink + 1);
    for e in &graph.edges {
        net.add_arc(e.need as usize, offer_node(batch, e.offer as usize), e.upper, -e.value);
    }
    for (o, offer) in batch.offers.iter().enumerate() {
        net.add_arc(offer_node(batch, o), sink, offer.envelope.get(), 0);
    }
    let total: i64 = batch.needs.iter().map(|n| n.amount.get()).sum();
    for (n, need) in batch.needs.iter().enumerate() {
        net.supply[n] = need.amount.get();
        // Any capacity of at least the amount is the same constraint (the need supplies only its amount). One
        // above the total keeps every bypass below capacity in the simplex's star start, which measured faster
        // than hanging unfunded needs from the artificial root (BENCHMARKS.md).
        net.add_arc(n, sink, total + 1, 0);
    }
    net.supply[sink] = -total;
    net
}

/// Converts a flow solver failure into the library's error.
pub fn flow_error(e: FlowError) -> Error {
    match e {
        FlowError::TooLarge(why) => Error::usage(format!("the batch is too large to solve exactly: {why}")),
        FlowError::Infeasible | FlowError::Malformed(_) => {
            Error::internal(format!("the relaxation network is broken: {e}"))
        }
    }
}

/// Solves the relaxation exactly.
pub fn solve(batch: &Batch, graph: &Graph) -> Result<Solution> {
    let net = network(batch, graph);
    let flow = mcf::solve(&net).map_err(flow_error)?;
    let amounts = flow.flow[..graph.edges.len()].to_vec();
    let objective = objective_of(graph, &amounts);
    if objective != -flow.cost {
        return Err(Error::internal(format!("relaxation objective {objective} differs from flow cost {}", flow.cost)));
    }
    Ok(Solution {
        amounts,
        objective,
        bound: objective,
        relaxation: objective,
        status: Status::Optimal,
        nodes: 0,
        work: 0,
    })
}
