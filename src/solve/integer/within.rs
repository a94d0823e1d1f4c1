//! The best allocation within the awards of a feasible one: which needs are funded and which awards are made stay
//! as they are, and only the amounts move.
//!
//! With the awards fixed, every integer rule becomes a bound on a flow: a funded need with a rule gets at least
//! what its rule demands, an award at least its offer's floor, an award of an offer that cannot co-finance is its
//! need's only source, and every edge of an offer with integer rules that makes no award carries nothing.
//! max_awards holds by itself (no new award can appear). An award without a floor may fall to nothing: that
//! breaks no rule (fewer awards, a need's other sources closed all the same), and without a bound of one dollar
//! every bound of the network is a multiple of the batch's granule, so the optimal vertex the simplex returns is
//! too (no award one dollar short of its limit while another need of equal value takes that dollar). So the
//! problem is a min-cost flow with lower bounds, on a network much smaller than the search's: only the awards,
//! the edges of offers without integer rules into needs that may still take money, and no award chains (with at
//! most `k` awards they bind nothing). Solving it from scratch takes a fraction of a re-solve of the search network
//! with every award fixed by penalties, which is how the heuristics' repair and the final polish did it before (on
//! the Monte Carlo draws of large batches that re-solve was a large share of a draw).

use crate::error::{Error, Result};
use crate::graph::Graph;
use crate::model::Batch;

use super::super::relaxation::{RequesterNodes, flow_error, offer_node, sink_node};
use super::Layout;
use mcf::{FlowError, Network};

/// The best allocation that funds the needs with integer rules that `amounts` (a feasible allocation) funds, and
/// makes no award of an offer with integer rules that `amounts` does not make (an award without a floor may
/// vanish); edges of offers without integer rules stay free wherever their need may take money. Never worth less
/// than `amounts`, which is one such allocation. Also returns the work of the solve on that network (elementary
/// steps of the simplex, see `budget.rs`).
pub(super) fn best_within(batch: &Batch, graph: &Graph, layout: &Layout, amounts: &[i64]) -> Result<(Vec<i64>, u64)> {
    let totals = layout.need_totals(amounts);

    // Which edges may carry money, and what each must carry (its lower bound).
    let mut lower = vec![0i64; graph.edges.len()];
    let mut open = vec![false; graph.edges.len()];
    for (n, need) in batch.needs.iter().enumerate() {
        if need.has_integer_rules() && totals[n] == 0 {
            continue;
        }
        let edges = layout.edge_of_need[n].clone();
        let exclusive =
            edges.clone().find(|&e| amounts[e] > 0 && !batch.offers[graph.edges[e].offer as usize].allow_cofinance);
        for e in edges {
            if exclusive.is_some_and(|x| x != e) {
                continue;
            }
            let edge = &graph.edges[e];
            let offer = &batch.offers[edge.offer as usize];
            if !offer.has_integer_rules() {
                open[e] = true;
            } else if amounts[e] > 0 {
                open[e] = true;
                lower[e] = offer.floor_per_need.map_or(0, |f| f.get()).min(edge.upper);
            }
        }
    }

    // Lower bounds are sent in advance: they leave their need's supply and their offer's envelope. A need must
    // still send what its rule demands beyond them; the part of its bypass that would leave that unfunded costs
    // a penalty above any path's value, so the optimum uses it only if nothing else is feasible, and the
    // allocation `amounts` shows something is.
    let sink = sink_node(batch);
    let mut net = Network::with_nodes(sink + 1);
    // A requester's cap (docs/spec.md §10) as in the relaxation: what its needs must leave unfunded is the same
    // whatever is sent in advance, since that is money they receive.
    let guard = RequesterNodes::add(batch, graph, &mut net);
    let mut arc_of_edge = vec![usize::MAX; graph.edges.len()];
    let max_value = graph.edges.iter().map(|e| e.value).max().unwrap_or(0);
    let penalty = super::layout::big_m(net.node_count(), max_value)?;
    let mut sent = vec![0i64; batch.offers.len()];
    for (e, edge) in graph.edges.iter().enumerate() {
        if open[e] {
            arc_of_edge[e] = net.add_arc(
                edge.need as usize,
                offer_node(batch, edge.offer as usize),
                edge.upper - lower[e],
                -edge.value,
            );
            sent[edge.offer as usize] += lower[e];
        }
    }
    for (o, offer) in batch.offers.iter().enumerate() {
        net.add_arc(offer_node(batch, o), sink, offer.envelope.get() - sent[o], 0);
    }
    let mut penalised = Vec::new();
    let mut total = 0;
    for (n, need) in batch.needs.iter().enumerate() {
        let pre: i64 = layout.edge_of_need[n].clone().map(|e| lower[e]).sum();
        let supply = need.amount.get() - pre;
        let must = if need.has_integer_rules() && totals[n] > 0 { need.must_get() } else { 0 };
        // What may stay unfunded without a penalty.
        let free = need.amount.get() - must.max(pre);
        net.supply[n] = supply;
        total += supply;
        // Arcs into the sink wider than the supply, so that the simplex's star start can hang the need from one
        // below its capacity.
        let unfunded_to = guard.bypass_head(n).unwrap_or(sink);
        if free >= supply {
            net.add_arc(n, unfunded_to, supply + 1, 0);
        } else {
            net.add_arc(n, unfunded_to, free, 0);
            penalised.push(net.add_arc(n, unfunded_to, supply + 1, penalty));
        }
    }
    net.supply[sink] = -total;
    guard.add_arcs(&mut net, sink, total + 1);

    let started = std::time::Instant::now();
    // The star start's candidates, most valuable first: the layout's order, without sorting every edge's arc
    // twice per draw (a measurable share of a large batch's draw).
    let candidates: Vec<u32> = layout
        .edges_by_value
        .iter()
        .map(|&e| e as usize)
        .filter(|&e| open[e] && graph.edges[e].value > 0 && net.supply[graph.edges[e].need as usize] > 0)
        .map(|e| arc_of_edge[e] as u32)
        .collect();
    let flow = match mcf::solve_with(&net, &candidates) {
        Ok(flow) => flow,
        Err(FlowError::Infeasible(_)) => return Err(Error::internal("awards that were feasible became infeasible")),
        Err(e) => return Err(flow_error(e)),
    };
    trace!("within the awards: {} arcs, {} pivots, {:?}", net.arc_count(), flow.pivots, started.elapsed());
    if penalised.iter().any(|&a| flow.flow[a] != 0) {
        return Err(Error::internal("a feasible allocation's awards left a need short of its rule"));
    }
    let best = (0..graph.edges.len()).map(|e| if open[e] { lower[e] + flow.flow[arc_of_edge[e]] } else { 0 }).collect();
    Ok((best, flow.operations + net.arc_count() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::{Solution, Status, check, greedy, objective_of, relaxation};

    /// From the greedy allocation of generated batches: the best allocation within its awards keeps every rule,
    /// is worth at least as much (and on most batches more), funds every need with integer rules that greedy
    /// funds and no other, makes no award of an offer with integer rules that greedy does not make, and stays
    /// within the flow relaxation.
    #[test]
    fn keeps_every_rule_and_the_awards_and_never_loses_value() {
        let mut gained = 0;
        for seed in 1..=6 {
            let (batch, graph) = crate::solve::generated(150, 15, seed);
            let layout = Layout::new(&batch, &graph).unwrap();
            let start = greedy::allocate(&batch, &graph);
            let (best, _) = best_within(&batch, &graph, &layout, &start).unwrap();
            let (before, after) = (objective_of(&graph, &start), objective_of(&graph, &best));
            let relaxed = relaxation::solve(&batch, &graph).unwrap().objective;
            assert!(before <= after && after <= relaxed, "seed {seed}: {before} {after} {relaxed}");
            gained += usize::from(after > before);
            let solution = Solution {
                amounts: best.clone(),
                objective: after,
                bound: after,
                relaxation: after,
                status: Status::Optimal,
                nodes: 0,
                work: 0,
            };
            check::verify(&batch, &graph, &solution).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
            for (n, need) in batch.needs.iter().enumerate() {
                let total = |a: &[i64]| -> i64 { a[layout.edge_of_need[n].clone()].iter().sum() };
                if need.has_integer_rules() {
                    assert_eq!(total(&start) > 0, total(&best) > 0, "seed {seed}: need {n}");
                }
            }
            for (e, edge) in graph.edges.iter().enumerate() {
                if batch.offers[edge.offer as usize].has_integer_rules() && start[e] == 0 {
                    assert_eq!(best[e], 0, "seed {seed}: edge {e} is a new award");
                }
            }
        }
        assert!(gained >= 3, "the re-solve gains on most batches ({gained} of 6)");
    }
}
