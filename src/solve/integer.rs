//! Branch and bound over the flow relaxation for the integer rules of SPEC §5.
//!
//! A search node is the relaxation with some decisions fixed: a need switched off (it gets nothing) or on (it
//! gets at least what its rule demands: all of an all-or-nothing amount, or its min_award), an edge switched off
//! or on (it carries at least the offer's floor, or one dollar), or an edge made exclusive (on, and every other
//! edge of its need off, for offers that cannot co-finance). Each such node is again a min-cost flow once lower
//! bounds are shifted into the supplies, so its optimum is an exact upper bound for every allocation below it.
//!
//! Nodes are explored best bound first (ties in creation order, so the search is deterministic). A node whose
//! flow breaks no integer rule is a feasible allocation; otherwise it branches on one broken rule. The greedy
//! allocation and a repair heuristic (switch off everything broken, re-solve, repeat) give the first incumbents.
//! The search stops when no open node can beat the incumbent (gap 0), or at the node or time limit, and then
//! reports the best open bound.

use std::collections::BinaryHeap;
use std::time::Instant;

use crate::error::{Error, Result};
use crate::graph::Graph;
use crate::model::{Batch, FundingMode};

use super::network::Network;
use super::network_simplex::{self, FlowError};
use super::relaxation::{self, bypass_arc, flow_error, offer_node};
use super::{Limits, Solution, Status, greedy, objective_of};

/// One branching decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// The decisions of a node expanded into per-need and per-edge states.
struct Fixing {
    need: Vec<Fix>,
    edge: Vec<Fix>,
}

/// An open search node: its parent's bound and the decisions that define it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Node {
    bound: i128,
    seq: u64,
    decisions: Vec<Decision>,
}

impl Ord for Node {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // Highest bound first; among equals the oldest node.
        self.bound.cmp(&other.bound).then_with(|| other.seq.cmp(&self.seq))
    }
}

impl PartialOrd for Node {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// What a node's relaxation says.
enum NodeOutcome {
    Infeasible,
    Solved { amounts: Vec<i64>, value: i128 },
}

/// A broken integer rule in a node's flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

struct Search<'a> {
    batch: &'a Batch,
    graph: &'a Graph,
    base: Network,
    edge_of_need: Vec<std::ops::Range<usize>>,
    edges_of_offer: Vec<Vec<u32>>,
}

/// Solves the allocation with integer rules. `relaxation` is the flow relaxation's solution.
pub fn solve(batch: &Batch, graph: &Graph, relaxation: &Solution, limits: Limits) -> Result<Solution> {
    let started = Instant::now();
    let search = Search::new(batch, graph);

    let greedy_amounts = greedy::allocate(batch, graph);
    let mut incumbent = (objective_of(graph, &greedy_amounts), greedy_amounts);
    let mut nodes = 0u64;

    let mut open = BinaryHeap::new();
    open.push(Node {
        bound: relaxation.objective,
        seq: 0,
        decisions: Vec::new(),
    });
    let mut seq = 1u64;
    let mut stopped = None;
    let mut root_repair_done = false;

    while let Some(node) = open.pop() {
        if node.bound <= incumbent.0 {
            // Best-first: every other open node is no better either.
            open.clear();
            break;
        }
        if nodes >= limits.node_limit {
            stopped = Some((Status::NodeLimit, node.bound));
            open.push(node);
            break;
        }
        if started.elapsed() >= limits.time_limit {
            stopped = Some((Status::TimeLimit, node.bound));
            open.push(node);
            break;
        }
        nodes += 1;
        let NodeOutcome::Solved { amounts, value } = search.solve_node(&node.decisions)? else {
            continue;
        };
        if value <= incumbent.0 {
            continue;
        }
        let Some(violation) = search.first_violation(&node.decisions, &amounts) else {
            incumbent = (value, amounts);
            continue;
        };
        if !root_repair_done || nodes % 64 == 0 {
            root_repair_done = true;
            if let Some((v, a)) = search.repair(&node.decisions, amounts.clone())?
                && v > incumbent.0
            {
                incumbent = (v, a);
            }
        }
        for child in search.branch(violation, &amounts) {
            let mut decisions = node.decisions.clone();
            decisions.push(child);
            open.push(Node {
                bound: value,
                seq,
                decisions,
            });
            seq += 1;
        }
    }

    let (status, bound) = match stopped {
        None => (Status::Optimal, incumbent.0),
        Some((status, top)) => (status, top.max(incumbent.0)),
    };
    let (objective, amounts) = incumbent;
    Ok(Solution {
        amounts,
        objective,
        bound: bound.min(relaxation.objective),
        relaxation: relaxation.objective,
        status,
        nodes,
    })
}

impl<'a> Search<'a> {
    fn new(batch: &'a Batch, graph: &'a Graph) -> Search<'a> {
        let mut edges_of_offer = vec![Vec::new(); batch.offers.len()];
        for (e, edge) in graph.edges.iter().enumerate() {
            edges_of_offer[edge.offer as usize].push(e as u32);
        }
        let edge_of_need = (0..batch.needs.len())
            .map(|n| graph.need_start[n]..graph.need_start[n + 1])
            .collect();
        Search {
            batch,
            graph,
            base: relaxation::network(batch, graph),
            edge_of_need,
            edges_of_offer,
        }
    }

    fn must_get(&self, n: usize) -> i64 {
        let need = &self.batch.needs[n];
        match need.funding_mode {
            FundingMode::AllOrNothing => need.amount.get(),
            FundingMode::Partial => need.min_award.map_or(1, |m| m.get()),
        }
    }

    /// The smallest amount an edge fixed on must carry.
    fn edge_floor(&self, e: usize) -> i64 {
        let offer = &self.batch.offers[self.graph.edges[e].offer as usize];
        offer.floor_per_need.map_or(1, |f| f.get())
    }

    /// Expands decisions into states and propagates their consequences; `None` if they contradict each other.
    fn fixing(&self, decisions: &[Decision]) -> Option<Fixing> {
        let mut f = Fixing {
            need: vec![Fix::Free; self.batch.needs.len()],
            edge: vec![Fix::Free; self.graph.edges.len()],
        };
        let set_edge = |edge: &mut Vec<Fix>, e: usize, fix: Fix| -> bool {
            if edge[e] != Fix::Free && edge[e] != fix {
                return false;
            }
            edge[e] = fix;
            true
        };
        for &d in decisions {
            let ok = match d {
                Decision::NeedOff(n) => {
                    f.need[n as usize] = Fix::Off;
                    self.edge_of_need[n as usize]
                        .clone()
                        .all(|e| set_edge(&mut f.edge, e, Fix::Off))
                }
                Decision::NeedOn(n) => {
                    f.need[n as usize] = Fix::On;
                    true
                }
                Decision::EdgeOff(e) => set_edge(&mut f.edge, e as usize, Fix::Off),
                Decision::EdgeOn(e) => set_edge(&mut f.edge, e as usize, Fix::On),
                Decision::Exclusive(e) => {
                    let n = self.graph.edges[e as usize].need as usize;
                    set_edge(&mut f.edge, e as usize, Fix::On)
                        && self.edge_of_need[n]
                            .clone()
                            .filter(|&k| k != e as usize)
                            .all(|k| set_edge(&mut f.edge, k, Fix::Off))
                }
            };
            if !ok {
                return None;
            }
        }
        // An edge on for a non-co-financing offer excludes its need's other edges; an offer with max_awards edges
        // on has no room for more.
        for e in 0..self.graph.edges.len() {
            if f.edge[e] == Fix::On && !self.batch.offers[self.graph.edges[e].offer as usize].allow_cofinance {
                let n = self.graph.edges[e].need as usize;
                for k in self.edge_of_need[n].clone() {
                    if k != e && !set_edge(&mut f.edge, k, Fix::Off) {
                        return None;
                    }
                }
            }
        }
        for (o, offer) in self.batch.offers.iter().enumerate() {
            if let Some(k) = offer.max_awards {
                let on = self.edges_of_offer[o]
                    .iter()
                    .filter(|&&e| f.edge[e as usize] == Fix::On)
                    .count();
                if on > k as usize {
                    return None;
                }
                if on == k as usize {
                    for &e in &self.edges_of_offer[o] {
                        if f.edge[e as usize] == Fix::Free {
                            f.edge[e as usize] = Fix::Off;
                        }
                    }
                }
            }
        }
        Some(f)
    }

    fn solve_node(&self, decisions: &[Decision]) -> Result<NodeOutcome> {
        let Some(fixing) = self.fixing(decisions) else {
            return Ok(NodeOutcome::Infeasible);
        };
        let mut net = self.base.clone();
        let mut lower = vec![0i64; self.graph.edges.len()];
        let mut constant = 0i128;
        for (e, edge) in self.graph.edges.iter().enumerate() {
            match fixing.edge[e] {
                Fix::Free => {}
                Fix::Off => net.capacity[e] = 0,
                Fix::On => {
                    let lb = self.edge_floor(e);
                    if lb > edge.upper {
                        return Ok(NodeOutcome::Infeasible);
                    }
                    lower[e] = lb;
                    net.capacity[e] = edge.upper - lb;
                    net.supply[edge.need as usize] -= lb;
                    net.supply[offer_node(self.batch, edge.offer as usize)] += lb;
                    constant += i128::from(lb) * i128::from(edge.value);
                }
            }
        }
        for (n, need) in self.batch.needs.iter().enumerate() {
            if net.supply[n] < 0 {
                return Ok(NodeOutcome::Infeasible);
            }
            if fixing.need[n] == Fix::On {
                net.capacity[bypass_arc(self.batch, self.graph, n)] = need.amount.get() - self.must_get(n);
            }
        }
        match network_simplex::solve(&net) {
            Err(FlowError::Infeasible) => Ok(NodeOutcome::Infeasible),
            Err(e) => Err(flow_error(e)),
            Ok(flow) => {
                let amounts: Vec<i64> = (0..self.graph.edges.len()).map(|e| flow.flow[e] + lower[e]).collect();
                let value = constant - flow.cost;
                if value != objective_of(self.graph, &amounts) {
                    return Err(Error::internal(
                        "branch-and-bound node value does not match its allocation",
                    ));
                }
                Ok(NodeOutcome::Solved { amounts, value })
            }
        }
    }

    fn need_totals(&self, amounts: &[i64]) -> Vec<i64> {
        self.edge_of_need
            .iter()
            .map(|r| amounts[r.clone()].iter().sum())
            .collect()
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
        let fixed_on = |e: u32| {
            decisions
                .iter()
                .any(|d| matches!(d, Decision::EdgeOn(k) | Decision::Exclusive(k) if *k == e))
        };
        for (o, offer) in self.batch.offers.iter().enumerate() {
            let Some(k) = offer.max_awards else { continue };
            let funded: Vec<u32> = self.edges_of_offer[o]
                .iter()
                .copied()
                .filter(|&e| amounts[e as usize] > 0)
                .collect();
            if funded.len() > k as usize
                && let Some(&e) = funded
                    .iter()
                    .filter(|&&e| !fixed_on(e))
                    .min_by_key(|&&e| (amounts[e as usize], e))
            {
                out.push(Violation::MaxAwards(e));
            }
        }
        out
    }

    fn first_violation(&self, decisions: &[Decision], amounts: &[i64]) -> Option<Violation> {
        // Branch where the most value is at stake: the need-rule violation with the largest funded total.
        let all = self.violations(decisions, amounts);
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

    /// From a node's flow, switches off everything that breaks a rule (keeping the larger side of a co-finance
    /// conflict and the largest awards of an offer over max_awards) and re-solves until nothing is broken.
    fn repair(&self, decisions: &[Decision], mut amounts: Vec<i64>) -> Result<Option<(i128, Vec<i64>)>> {
        let mut decisions = decisions.to_vec();
        let totals_of = |amounts: &[i64]| self.need_totals(amounts);
        for _ in 0..1000 {
            let violations = self.violations(&decisions, &amounts);
            if violations.is_empty() {
                return Ok(Some((objective_of(self.graph, &amounts), amounts)));
            }
            let totals = totals_of(&amounts);
            for v in violations {
                let d = match v {
                    Violation::Need(n) => Decision::NeedOff(n),
                    Violation::Floor(e) | Violation::MaxAwards(e) => Decision::EdgeOff(e),
                    Violation::Cofinance(e) => {
                        let x = amounts[e as usize];
                        let n = self.graph.edges[e as usize].need as usize;
                        if x * 2 >= totals[n] {
                            Decision::Exclusive(e)
                        } else {
                            Decision::EdgeOff(e)
                        }
                    }
                };
                if !decisions.contains(&d) {
                    decisions.push(d);
                }
            }
            match self.solve_node(&decisions)? {
                NodeOutcome::Infeasible => return Ok(None),
                NodeOutcome::Solved { amounts: a, .. } => amounts = a,
            }
        }
        Ok(None)
    }
}
