//! The flow relaxation: the allocation problem without integer rules, as a min-cost flow.
//!
//! Nodes: one per need (supply = its amount), one per offer, and a sink (demand = total requested). Arcs: each
//! eligible edge `need → offer` (capacity = the edge's upper limit, cost = −value), each `offer → sink`
//! (capacity = envelope) and each need's bypass `need → sink` (cost 0, capacity above anything the need can
//! send) for the dollars left unfunded. Every value is positive, so the min-cost flow maximises Σ value · dollars;
//! its cost is minus the relaxation's optimum.
//!
//! With `max_requester_share` (docs/spec.md §10), each requester that asks for more than its cap gets a node
//! between its needs and the sink: each of its needs has an arc into it beside the bypass, paying a reward above
//! any value per dollar, and the node has an arc into the sink of capacity (asked − cap) (see
//! [`RequesterNodes::add_rewarded`]). Every optimum fills that arc, so at least asked − cap stays unfunded and the
//! requester receives at most its cap: still a min-cost flow, and exact, with the sink the only demand node. A
//! requester asking no more than its cap gets no node (the cap cannot bind). The search's networks (`within.rs`,
//! `integer/layout.rs`) give the node a demand of (asked − cap) instead.

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
    let guard = RequesterNodes::add(batch, graph, &mut net);
    for (n, need) in batch.needs.iter().enumerate() {
        net.supply[n] = need.amount.get();
        // Any capacity of at least the amount is the same constraint (the need supplies only its amount). One
        // above the total keeps every bypass below capacity in the simplex's star start, which measured faster
        // than hanging unfunded needs from the artificial root (BENCHMARKS.md).
        net.add_arc(n, sink, total + 1, 0);
    }
    net.supply[sink] = -total;
    let worth: Vec<i64> = (0..batch.needs.len())
        .map(|n| graph.edges[graph.need_start[n]..graph.need_start[n + 1]].iter().map(|e| e.value).max().unwrap_or(0))
        .collect();
    guard.add_rewarded(&mut net, sink, reward(graph), &worth);
    net
}

/// The comment that heads the relaxation network's DIMACS file: what each node and arc stands for (1-based, as the
/// file numbers them) and the minimum cost a solver of the file should find, given the relaxation's optimum.
pub fn network_comment(batch: &Batch, graph: &Graph, net: &Network, relaxation_value: i128) -> String {
    let (needs, offers) = (batch.needs.len(), batch.offers.len());
    let sink = sink_node(batch) + 1;
    let mut text = format!(
        "poa-match {} flow relaxation: {needs} needs (nodes 1..{needs}), {offers} offers (nodes {}..{}), sink {sink}\n\
         arcs: {} eligible edges (cost = -value per dollar), {offers} offer->sink, {needs} need->sink bypasses\n",
        env!("CARGO_PKG_VERSION"),
        needs + 1,
        needs + offers,
        graph.edges.len(),
    );
    let requesters = net.node_count() - sink;
    if requesters == 0 {
        text.push_str(&format!("minimum cost = -relaxation = {}", -relaxation_value));
        return text;
    }
    let forced = RequesterNodes::add(batch, graph, &mut Network::with_nodes(0)).forced();
    let rewarded = net.arc_count() - graph.edges.len() - offers - needs - requesters;
    let reward = reward(graph);
    text.push_str(&format!(
        "max_requester_share: {requesters} requesters asking above their cap (nodes {}..{}), {rewarded} \
         need->requester arcs (cost -{reward} per dollar), {requesters} requester->sink arcs (capacity = asked - cap, \
         {forced} in all)\n\
         minimum cost = -relaxation - {reward} x {forced} = {}",
        sink + 1,
        net.node_count(),
        -relaxation_value - i128::from(reward) * i128::from(forced),
    ));
    text
}

/// The reward per dollar of a requester's forced-unfunded arc: above any edge's value, so that every optimum
/// leaves at least (asked − cap) of each capped requester unfunded.
fn reward(graph: &Graph) -> i64 {
    graph.edges.iter().map(|e| e.value).max().unwrap_or(0) + 1
}

/// The nodes of the requesters whose cap can bind (see the module's docs), numbered after the sink.
#[derive(Debug, Clone, Default)]
pub struct RequesterNodes {
    /// For each need, the node its bypass leads into, if its requester has one.
    node_of_need: Vec<Option<usize>>,
    /// Each node with its demand: what its requester asks beyond its cap.
    nodes: Vec<(usize, i64)>,
}

impl RequesterNodes {
    /// Adds a node (without arcs) to `net` for every requester of `graph` whose needs ask more than its cap.
    pub fn add(batch: &Batch, graph: &Graph, net: &mut Network) -> RequesterNodes {
        let Some(caps) = &graph.caps else { return RequesterNodes::default() };
        let asked = caps.asked(batch.needs.iter().map(|n| n.amount.get()));
        let mut node_of_requester = vec![None; caps.requesters()];
        let mut nodes = Vec::new();
        for r in (0..caps.requesters()).filter(|&r| caps.binds(r, asked[r])) {
            let node = net.node_count();
            net.supply.push(0);
            node_of_requester[r] = Some(node);
            nodes.push((node, asked[r] - caps.limit[r]));
        }
        let node_of_need = caps.requester_of.iter().map(|&r| node_of_requester[r as usize]).collect();
        RequesterNodes { node_of_need, nodes }
    }

    /// Where need `n`'s bypass leads: its requester's node, or `None` for the sink.
    pub fn bypass_head(&self, n: usize) -> Option<usize> {
        self.node_of_need.get(n).copied().flatten()
    }

    /// The relaxation's form of the cap, which keeps the sink the only demand node (the simplex's hub start needs
    /// that; with a demand per requester the 100 000-need batch took many times as long): each capped need gets
    /// an arc into its requester's node beside its bypass, costing −`reward` per dollar, and the node an arc into
    /// the sink of capacity (asked − cap). With the reward above every value, an optimum fills the node's arc
    /// whenever it can, and it always can (by leaving money unfunded), so the requester receives at most its cap;
    /// the flow's cost is then the allocation's −value less `reward` × Σ (asked − cap), see [`RequesterNodes::forced`].
    ///
    /// Why the reward sits on the needs' arcs, and why they come least valuable need first: the hub start places
    /// arcs out of the needs whole, cheapest first and, among equal costs, in arc order, so it fills each node's
    /// (asked − cap) with the needs whose dollars are worth least (`worth`, per need) before any edge is placed.
    /// That is where the optimum leaves money unfunded, so few pivots remain; a reward on the node's own arc left
    /// the whole choice to pivots, several times as many as the flow without caps needs.
    pub fn add_rewarded(&self, net: &mut Network, sink: usize, reward: i64, worth: &[i64]) {
        let mut capped: Vec<usize> = (0..self.node_of_need.len()).filter(|&n| self.node_of_need[n].is_some()).collect();
        capped.sort_by_key(|&n| (worth[n], n));
        for n in capped {
            if let Some(node) = self.node_of_need[n] {
                net.add_arc(n, node, net.supply[n], -reward);
            }
        }
        for &(node, demand) in &self.nodes {
            net.add_arc(node, sink, demand, 0);
        }
    }

    /// Σ (asked − cap) over the capped requesters: what the rewarded arcs carry in every optimum.
    pub fn forced(&self) -> i64 {
        self.nodes.iter().map(|&(_, d)| d).sum()
    }

    /// Sets each node's demand and adds its arc into the sink (of capacity `capacity`, above what can reach it),
    /// taking the demands from the sink's.
    pub fn add_arcs(&self, net: &mut Network, sink: usize, capacity: i64) {
        for &(node, demand) in &self.nodes {
            net.supply[node] = -demand;
            net.supply[sink] += demand;
            net.add_arc(node, sink, capacity, 0);
        }
    }
}

/// Converts a flow solver failure into the library's error.
pub fn flow_error(e: FlowError) -> Error {
    match e {
        FlowError::TooLarge(why) => Error::usage(format!("the batch is too large to solve exactly: {why}")),
        FlowError::Unbalanced { .. } | FlowError::Infeasible(_) | FlowError::Malformed(_) => {
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
    let forced = RequesterNodes::add(batch, graph, &mut Network::with_nodes(0)).forced();
    let shift = i128::from(forced) * i128::from(reward(graph));
    if objective != -flow.cost - shift {
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
