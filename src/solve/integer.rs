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
//! Nodes are explored best bound first (ties in creation order, so the search is deterministic). A node whose
//! flow breaks no integer rule is a feasible allocation; otherwise it branches on one broken rule. The greedy
//! allocation and a diving heuristic (round broken rules a few at a time, re-solve, repeat) give incumbents.
//! The search stops when no open node can beat the incumbent (gap 0), or at the node or time limit, and then
//! reports the best open bound.

use std::collections::BinaryHeap;
use std::time::Instant;

use crate::error::{Error, Result};
use crate::graph::Graph;
use crate::model::{Batch, FundingMode};

use super::network::Network;
use super::network_simplex::{FlowError, WarmSimplex};
use super::relaxation::{flow_error, offer_node, sink_node};
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
        self.bound.cmp(&other.bound).then_with(|| self.seq.cmp(&other.seq))
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
    edge_of_need: Vec<std::ops::Range<usize>>,
    edges_of_offer: Vec<Vec<u32>>,
    /// For edges of offers with integer rules: the arc that carries the amount an "on" decision forces.
    edge_must: Vec<Option<usize>>,
    /// For needs with integer rules: the bypass arc for the dollars that an "on" decision forbids to leave unfunded.
    need_must: Vec<Option<usize>>,
    /// The penalty: more than the cost of any simple path.
    big_m: i64,
    /// When the search must stop (the time limit).
    pub(super) deadline: Instant,
    /// Cost and capacity of every arc of the search network without any decision.
    base_cost: Vec<i64>,
    capacity: Vec<i64>,
    simplex: std::cell::RefCell<WarmSimplex>,
    /// Arcs whose cost the current node changed, to restore before the next node.
    touched: std::cell::RefCell<Vec<usize>>,
}

/// Solves the allocation with integer rules. `relaxation` is the flow relaxation's solution.
pub fn solve(batch: &Batch, graph: &Graph, relaxation: &Solution, limits: Limits) -> Result<Solution> {
    let started = Instant::now();
    let search = Search::new(batch, graph, started + limits.time_limit)?;

    let greedy_amounts = greedy::allocate(batch, graph);
    let mut incumbent = (objective_of(graph, &greedy_amounts), greedy_amounts);
    let mut nodes = 0u64;

    let mut open = BinaryHeap::new();
    open.push(Node { bound: relaxation.objective, seq: 0, decisions: search.root_decisions() });
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
        if nodes == 1 && std::env::var_os("BB_DEBUG").is_some() {
            search.debug_root(&amounts);
        }
        let Some(violation) = search.first_violation(&node.decisions, &amounts) else {
            incumbent = (value, amounts);
            continue;
        };
        if !root_repair_done || nodes % 64 == 0 {
            root_repair_done = true;
            if let Some((v, a)) = search.dive(&node.decisions, amounts.clone())?
                && v > incumbent.0
            {
                incumbent = (v, a);
            }
        }
        for child in search.branch(violation, &amounts) {
            let mut decisions = node.decisions.clone();
            decisions.push(child);
            open.push(Node { bound: value, seq, decisions });
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

/// The award chain of each offer with max_awards `k`, a relaxation of "at most k needs" that a flow can carry.
///
/// For any set `T` of the offer's edges, at most `k` of them carry money, each at most its upper limit, so
/// together they carry at most the sum of the `k` largest limits in `T`. The plain relaxation knows this only
/// for `T` = all edges (the offer's arc into the sink). Taking for `T` the edges whose limit is at most `w`, for
/// each distinct limit `w`, gives a chain of nested sets; nested sets are a flow: the edges of the smallest set
/// enter a chain node whose arc towards the offer carries at most that set's sum, the next set's node collects
/// that and the edges of its own limit, and so on up to the offer node. So an offer can no longer spread over
/// many small needs that together exceed what `k` of them could take. Sets of at most `k` edges need no node
/// (each edge's own limit already says it).
///
/// Adds the chain nodes to `net` and returns, for each edge, the node it enters, and the chain arcs
/// `(from, to, capacity)` to add after the edges.
fn award_chains(
    batch: &Batch,
    graph: &Graph,
    edges_of_offer: &[Vec<u32>],
    net: &mut Network,
) -> (Vec<usize>, Vec<(usize, usize, i64)>) {
    let mut entry: Vec<usize> = graph.edges.iter().map(|e| offer_node(batch, e.offer as usize)).collect();
    let mut arcs = Vec::new();
    for (o, offer) in batch.offers.iter().enumerate() {
        let Some(k) = offer.max_awards else { continue };
        let k = k as usize;
        let mut edges = edges_of_offer[o].clone();
        // Largest limit first; the set of limits ≤ w is then a suffix.
        edges.sort_unstable_by_key(|&e| (std::cmp::Reverse(graph.edges[e as usize].upper), e));
        let upper = |i: usize| graph.edges[edges[i] as usize].upper;
        let mut node = offer_node(batch, o);
        let mut i = 0;
        while i < edges.len() {
            // Edges i..j share one limit; the suffix from i is the set of limits ≤ upper(i).
            let mut j = i;
            while j < edges.len() && upper(j) == upper(i) {
                j += 1;
            }
            if i > 0 && edges.len() - i > k {
                let cap: i64 = (i..i + k).map(upper).sum();
                let child = net.node_count();
                net.supply.push(0);
                arcs.push((child, node, cap));
                node = child;
            }
            for &e in &edges[i..j] {
                entry[e as usize] = node;
            }
            i = j;
        }
    }
    (entry, arcs)
}

/// What a need with integer rules must get if it gets anything.
fn must_get(need: &crate::model::Need) -> i64 {
    match need.funding_mode {
        FundingMode::AllOrNothing => need.amount.get(),
        FundingMode::Partial => need.min_award.map_or(1, |m| m.get()),
    }
}

impl<'a> Search<'a> {
    fn new(batch: &'a Batch, graph: &'a Graph, deadline: Instant) -> Result<Search<'a>> {
        let mut edges_of_offer = vec![Vec::new(); batch.offers.len()];
        for (e, edge) in graph.edges.iter().enumerate() {
            edges_of_offer[edge.offer as usize].push(e as u32);
        }
        let edge_of_need: Vec<_> =
            (0..batch.needs.len()).map(|n| graph.need_start[n]..graph.need_start[n + 1]).collect();

        // Arcs: edges (their free part), offers to the sink, the award chains, each need's free bypass, then the
        // "must" parts.
        let sink = sink_node(batch);
        let mut net = Network::with_nodes(sink + 1);
        let (entry, chain_arcs) = award_chains(batch, graph, &edges_of_offer, &mut net);
        // Costs are values times `scale`, and a "must" arc costs one more than its free twin, so that among
        // flows of equal value the search network prefers the one with the fewest dollars on "must" arcs.
        // Without that tie-break a relaxation optimum spreads single dollars over many "must" arcs, each of them
        // a broken rule to branch on at no change of bound. A simple cycle has fewer than `nodes` arcs, so with
        // `scale` ≥ `nodes` the tie-break never outweighs one unit of value: every optimum of the scaled costs is
        // an optimum of the values. Where that would not fit in 64 bits, no tie-break (scale 1).
        let max_value = graph.edges.iter().map(|e| e.value).max().unwrap_or(0);
        let nodes = net.node_count() as i128 + 1;
        let fits = |scale: i128| nodes * nodes * (scale * i128::from(max_value) + 2) < 1 << 52;
        let (scale, tie) = if fits(nodes) { (nodes as i64, 1) } else { (1, 0) };
        let must_part = |e: usize| -> Option<i64> {
            let edge = &graph.edges[e];
            let offer = &batch.offers[edge.offer as usize];
            offer.has_integer_rules().then(|| offer.floor_per_need.map_or(1, |f| f.get()).min(edge.upper))
        };
        for (e, edge) in graph.edges.iter().enumerate() {
            let cap = edge.upper - must_part(e).unwrap_or(0);
            net.add_arc(edge.need as usize, entry[e], cap, -scale * edge.value);
        }
        for (o, offer) in batch.offers.iter().enumerate() {
            // The whole set of the offer's edges, as in the award chains below: at most its k largest limits.
            let mut limit = offer.envelope.get();
            if let Some(k) = offer.max_awards {
                let mut uppers: Vec<i64> = edges_of_offer[o].iter().map(|&e| graph.edges[e as usize].upper).collect();
                uppers.sort_unstable_by(|a, b| b.cmp(a));
                limit = limit.min(uppers.iter().take(k as usize).sum());
            }
            net.add_arc(offer_node(batch, o), sink, limit, 0);
        }
        for (from, to, cap) in chain_arcs {
            net.add_arc(from, to, cap, 0);
            // A closed arc into the sink lets the simplex start from its star basis.
            net.add_arc(from, sink, 0, 0);
        }
        let mut total = 0;
        let mut need_must = vec![None; batch.needs.len()];
        for (n, need) in batch.needs.iter().enumerate() {
            let must = if need.has_integer_rules() { must_get(need) } else { 0 };
            net.supply[n] = need.amount.get();
            total += need.amount.get();
            net.add_arc(n, sink, need.amount.get() - must, 0);
            if must > 0 {
                need_must[n] = Some(net.add_arc(n, sink, must, 0));
            }
        }
        net.supply[sink] = -total;
        let mut edge_must = vec![None; graph.edges.len()];
        for (e, edge) in graph.edges.iter().enumerate() {
            if let Some(cap) = must_part(e) {
                edge_must[e] = Some(net.add_arc(edge.need as usize, entry[e], cap, -scale * edge.value + tie));
            }
        }
        let max_cost = scale * max_value + tie;
        let big_m = i64::try_from((net.node_count() as i128 + 1) * (i128::from(max_cost) + 1))
            .map_err(|_| Error::usage("the batch is too large for an exact search"))?;
        let simplex = WarmSimplex::new(&net, big_m + max_cost).map_err(flow_error)?;
        Ok(Search {
            batch,
            graph,
            edge_of_need,
            edges_of_offer,
            edge_must,
            need_must,
            big_m,
            deadline,
            base_cost: net.cost.clone(),
            capacity: net.capacity.clone(),
            simplex: std::cell::RefCell::new(simplex),
            touched: std::cell::RefCell::new(Vec::new()),
        })
    }

    /// Needs that can never get what their rule demands (their edges together cannot carry it) are off from
    /// the start.
    fn root_decisions(&self) -> Vec<Decision> {
        (0..self.batch.needs.len())
            .filter(|&n| {
                let reach: i64 = self.graph.edges[self.edge_of_need[n].clone()].iter().map(|e| e.upper).sum();
                self.batch.needs[n].has_integer_rules() && reach > 0 && reach < self.must_get(n)
            })
            .map(|n| Decision::NeedOff(n as u32))
            .collect()
    }

    fn must_get(&self, n: usize) -> i64 {
        must_get(&self.batch.needs[n])
    }

    /// Expands decisions into states and propagates their consequences; `None` if they contradict each other.
    fn fixing(&self, decisions: &[Decision]) -> Option<Fixing> {
        let mut f =
            Fixing { need: vec![Fix::Free; self.batch.needs.len()], edge: vec![Fix::Free; self.graph.edges.len()] };
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
                    self.edge_of_need[n as usize].clone().all(|e| set_edge(&mut f.edge, e, Fix::Off))
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
                let on = self.edges_of_offer[o].iter().filter(|&&e| f.edge[e as usize] == Fix::On).count();
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
        let mut simplex = self.simplex.borrow_mut();
        let mut touched = self.touched.borrow_mut();
        // Back to the plain relaxation's costs, then this node's penalties.
        for &arc in touched.iter() {
            simplex.set_cost(arc, self.base_cost[arc]);
        }
        touched.clear();
        let mut penalise = |simplex: &mut WarmSimplex, arc: usize, cost: i64| {
            simplex.set_cost(arc, cost);
            touched.push(arc);
        };
        let mut forced: Vec<usize> = Vec::new();
        let mut forbidden: Vec<usize> = Vec::new();
        for e in 0..self.graph.edges.len() {
            match fixing.edge[e] {
                Fix::Free => {}
                Fix::Off => {
                    penalise(&mut simplex, e, self.big_m);
                    forbidden.push(e);
                    if let Some(m) = self.edge_must[e] {
                        penalise(&mut simplex, m, self.big_m);
                        forbidden.push(m);
                    }
                }
                Fix::On => {
                    let Some(m) = self.edge_must[e] else {
                        return Err(Error::internal("an edge without integer rules was fixed on"));
                    };
                    penalise(&mut simplex, m, self.base_cost[m] - self.big_m);
                    forced.push(m);
                }
            }
        }
        for (n, fix) in fixing.need.iter().enumerate() {
            if *fix == Fix::On {
                let Some(m) = self.need_must[n] else {
                    return Err(Error::internal("a need without integer rules was fixed on"));
                };
                penalise(&mut simplex, m, self.big_m);
                forbidden.push(m);
            }
        }
        match simplex.optimise() {
            Err(FlowError::Infeasible) => return Ok(NodeOutcome::Infeasible),
            Err(e) => return Err(flow_error(e)),
            Ok(_) => {}
        }
        if forbidden.iter().any(|&a| simplex.flow(a) != 0)
            || forced.iter().any(|&a| simplex.flow(a) != self.capacity[a])
        {
            return Ok(NodeOutcome::Infeasible);
        }
        let amounts: Vec<i64> = (0..self.graph.edges.len())
            .map(|e| simplex.flow(e) + self.edge_must[e].map_or(0, |m| simplex.flow(m)))
            .collect();
        let value = objective_of(self.graph, &amounts);
        Ok(NodeOutcome::Solved { amounts, value })
    }

    fn debug_root(&self, amounts: &[i64]) {
        for (o, offer) in self.batch.offers.iter().enumerate() {
            let funded: Vec<(i64, i64, i64, u32)> = self.edges_of_offer[o]
                .iter()
                .filter(|&&e| amounts[e as usize] > 0)
                .map(|&e| {
                    let ed = &self.graph.edges[e as usize];
                    (amounts[e as usize], ed.upper, ed.value, ed.need)
                })
                .collect();
            if offer.has_integer_rules() {
                eprintln!(
                    "offer {} env {} k {:?} floor {:?} cofi {} deg {} funded {:?}",
                    offer.id,
                    offer.envelope,
                    offer.max_awards,
                    offer.floor_per_need,
                    offer.allow_cofinance,
                    self.edges_of_offer[o].len(),
                    funded
                );
            }
        }
    }

    fn need_totals(&self, amounts: &[i64]) -> Vec<i64> {
        self.edge_of_need.iter().map(|r| amounts[r.clone()].iter().sum()).collect()
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
        // Edges fixed on, looked up once (decisions can number thousands on large batches).
        let mut on = vec![false; self.graph.edges.len()];
        for d in decisions {
            if let Decision::EdgeOn(k) | Decision::Exclusive(k) = d {
                on[*k as usize] = true;
            }
        }
        let fixed_on = |e: u32| on[e as usize];
        for (o, offer) in self.batch.offers.iter().enumerate() {
            let Some(k) = offer.max_awards else { continue };
            let funded: Vec<u32> =
                self.edges_of_offer[o].iter().copied().filter(|&e| amounts[e as usize] > 0).collect();
            if funded.len() > k as usize
                && let Some(&e) = funded.iter().filter(|&&e| !fixed_on(e)).min_by_key(|&&e| (amounts[e as usize], e))
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

    /// Diving heuristic: from a node's flow, rounds broken rules a few at a time (a need mostly funded is switched
    /// on, one barely funded off; the larger side of a co-finance conflict is kept; the smallest awards of an offer
    /// over max_awards are dropped), re-solving after each round, until nothing is broken. Switching a need on can
    /// make the node infeasible; then that decision is turned round. Finally, needs that were switched off are
    /// tried on again one by one, in case money is left for them.
    fn dive(&self, decisions: &[Decision], mut amounts: Vec<i64>) -> Result<Option<(i128, Vec<i64>)>> {
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
                let mut funded: Vec<u32> =
                    self.edges_of_offer[o].iter().copied().filter(|&e| amounts[e as usize] > 0).collect();
                funded.sort_by_key(|&e| (std::cmp::Reverse(amounts[e as usize]), e));
                round_keep.extend(funded.into_iter().take(k as usize).map(Decision::EdgeOn));
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
                        let floor = self.capacity[self.edge_must[e as usize].unwrap_or(0)];
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
                    match self.solve_node(&decisions)? {
                        NodeOutcome::Solved { amounts: a, value: v } => {
                            amounts = a;
                            value = v;
                        }
                        NodeOutcome::Infeasible => return Ok(None),
                    }
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
}
