//! The search network of the branch and bound: its shape, built once per batch shape, and its capacities,
//! computed from the batch and graph.
//!
//! A Monte Carlo draw changes envelopes, and with them edge limits, but never which arcs exist or what they
//! cost. So the network is built once per scenario ([`Layout::new`]) and each draw only recomputes capacities
//! ([`Layout::set_capacities`]); on large batches the build was a sizeable share of a draw's root.
//!
//! With `max_requester_share` (docs/spec.md §10) every requester gets a node between its needs' bypasses and the
//! sink, as in the flow relaxation (`relaxation.rs`): it demands what its requester asks beyond its cap, so at
//! least that much stays unfunded. Every requester gets one, whether its cap binds or not, because a draw's
//! envelopes, hence its caps, may differ while the network's shape may not; a node whose cap cannot bind
//! demands nothing.

use std::collections::BinaryHeap;
use std::ops::Range;

use crate::error::{Error, Result};
use crate::graph::Graph;
use crate::model::Batch;

use super::super::greedy::{self, EdgeOrder};
use super::super::relaxation::{flow_error, offer_node, sink_node};
use super::super::swap::SwapIndex;
use mcf::{Network, WarmSimplex, star_candidates};

/// What an arc of the search network stands for, which says its capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The free part of an edge: its limit less its "must" part.
    EdgeFree(u32),
    /// The "must" part of an edge of an offer with integer rules: the offer's floor (one dollar without one),
    /// at most the edge's limit. An "on" decision forces it full.
    EdgeMust(u32),
    /// An offer into the sink: its envelope and, with max_awards k, at most its k largest limits.
    OfferSink(u32),
    /// An award-chain arc of an offer: at most the k largest limits among its edges from position `from` of
    /// its chain order on (see [`award_chains`]).
    Chain { offer: u32, from: u32 },
    /// Always closed: it lets the simplex start from its star basis.
    Closed,
    /// A need's bypass into the sink for what it may leave unfunded beyond its "must" part.
    Bypass(u32),
    /// The "must" part of a need's bypass: what an "on" decision forbids to leave unfunded.
    NeedMust(u32),
    /// A requester's node into the sink: what its needs leave unfunded beyond what its cap demands.
    RequesterSink,
}

/// The search network of one batch shape, with the indices the search looks things up by.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The network; its costs are the values (scaled, with the tie-break against "must" arcs).
    pub(super) net: Network,
    roles: Vec<Role>,
    /// Per max_awards offer, its edges by limit, largest first, as the award chains were built (empty for other
    /// offers).
    chain_order: Vec<Vec<u32>>,
    /// Each offer's edges, in edge order.
    pub(super) edges_of_offer: Vec<Vec<u32>>,
    /// Each need's edges.
    pub(super) edge_of_need: Vec<Range<usize>>,
    /// For edges of offers with integer rules: the arc that carries the amount an "on" decision forces.
    pub(super) edge_must: Vec<Option<usize>>,
    /// For needs with integer rules: the bypass arc for the dollars that an "on" decision forbids to leave
    /// unfunded.
    pub(super) need_must: Vec<Option<usize>>,
    /// Needs by the value of their best edge, highest first (need index on ties): the order in which the greedy
    /// fill of the heuristics spends money.
    pub(super) by_value: Vec<usize>,
    /// Every edge by value, highest first (edge index on ties): networks built in this order give the simplex's
    /// star start its candidates already sorted.
    pub(super) edges_by_value: Vec<u32>,
    /// Needs in the greedy baseline's order (priority, then need_id): its allocation is the search's first.
    pub(super) priority: Vec<usize>,
    /// Each need's edges in the order the greedy rule tries them.
    pub(super) edge_order: EdgeOrder,
    /// What award swaps look up.
    pub(super) swaps: SwapIndex,
    /// The penalty of a decision: more than the cost of any simple path.
    pub(super) big_m: i64,
    /// The largest cost magnitude without penalties.
    pub(super) max_cost: i64,
    /// The shape it was built for: needs, offers, edges.
    shape: (usize, usize, usize),
    /// The arcs the simplex's star start tries to place whole, sorted once (they depend only on supplies and
    /// costs, which no draw changes).
    star_candidates: Vec<u32>,
    /// Each requester's node, with `max_requester_share` (empty without).
    requester_nodes: Vec<usize>,
}

/// Which nested sets of an offer's edges get an award-chain node (see [`award_chains`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChainSets {
    /// One per distinct limit: the tightest bound, for `match`.
    Every,
    /// Only sets at most half the size of the last one kept: a few per offer instead of one per distinct limit.
    /// Each set kept is still a valid bound; the network stays near the plain relaxation's size, and its
    /// simplex trees shallow. On large batches the full chains add many nodes in long paths, while every draw's
    /// root bound is the same without them, and draws take markedly less time with halving; the sample's draws
    /// need the same nodes in less time.
    Halving,
}

impl Layout {
    /// Builds the search network of `batch` and `graph`, with their capacities, and every award-chain set.
    pub fn new(batch: &Batch, graph: &Graph) -> Result<Layout> {
        Layout::build(batch, graph, ChainSets::Every)
    }

    /// [`Layout::new`] for Monte Carlo draws: award-chain sets that halve in size ([`ChainSets::Halving`]).
    pub fn for_draws(batch: &Batch, graph: &Graph) -> Result<Layout> {
        Layout::build(batch, graph, ChainSets::Halving)
    }

    fn build(batch: &Batch, graph: &Graph, sets: ChainSets) -> Result<Layout> {
        let mut edges_of_offer = vec![Vec::new(); batch.offers.len()];
        for (e, edge) in graph.edges.iter().enumerate() {
            edges_of_offer[edge.offer as usize].push(e as u32);
        }
        let edge_of_need: Vec<_> =
            (0..batch.needs.len()).map(|n| graph.need_start[n]..graph.need_start[n + 1]).collect();

        // Arcs: edges (their free part), offers to the sink, the award chains, each need's free bypass, then the
        // "must" parts. Capacities come last, from `set_capacities`.
        let sink = sink_node(batch);
        let mut net = Network::with_nodes(sink + 1);
        let mut roles = Vec::new();
        let (entry, chain_arcs, chain_order) = award_chains(batch, graph, &edges_of_offer, sets, &mut net);
        let requester_nodes: Vec<usize> = (0..graph.caps.as_ref().map_or(0, |caps| caps.requesters()))
            .map(|_| {
                net.supply.push(0);
                net.node_count() - 1
            })
            .collect();
        // Where a need's bypasses lead: its requester's node, or the sink.
        let unfunded_to =
            |n: usize| graph.caps.as_ref().map_or(sink, |caps| requester_nodes[caps.requester_of[n] as usize]);
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
        let mut add = |net: &mut Network, from: usize, to: usize, cost: i64, role: Role| {
            roles.push(role);
            net.add_arc(from, to, 0, cost)
        };
        for (e, edge) in graph.edges.iter().enumerate() {
            add(&mut net, edge.need as usize, entry[e], -scale * edge.value, Role::EdgeFree(e as u32));
        }
        for o in 0..batch.offers.len() {
            add(&mut net, offer_node(batch, o), sink, 0, Role::OfferSink(o as u32));
        }
        for (from, to, offer, at) in chain_arcs {
            add(&mut net, from, to, 0, Role::Chain { offer, from: at });
            // A closed arc into the sink lets the simplex start from its star basis.
            add(&mut net, from, sink, 0, Role::Closed);
        }
        let mut need_must = vec![None; batch.needs.len()];
        for (n, need) in batch.needs.iter().enumerate() {
            add(&mut net, n, unfunded_to(n), 0, Role::Bypass(n as u32));
            if need.has_integer_rules() && need.must_get() > 0 {
                need_must[n] = Some(add(&mut net, n, unfunded_to(n), 0, Role::NeedMust(n as u32)));
            }
        }
        for &node in &requester_nodes {
            add(&mut net, node, sink, 0, Role::RequesterSink);
        }
        let mut edge_must = vec![None; graph.edges.len()];
        for (e, edge) in graph.edges.iter().enumerate() {
            if batch.offers[edge.offer as usize].has_integer_rules() {
                let cost = -scale * edge.value + tie;
                edge_must[e] = Some(add(&mut net, edge.need as usize, entry[e], cost, Role::EdgeMust(e as u32)));
            }
        }
        let max_cost = scale * max_value + tie;
        let big_m = big_m(net.node_count(), max_cost)?;
        let best_value = |n: usize| graph.edges[edge_of_need[n].clone()].iter().map(|e| e.value).max().unwrap_or(0);
        let mut by_value: Vec<usize> = (0..batch.needs.len()).collect();
        by_value.sort_by_key(|&n| (std::cmp::Reverse(best_value(n)), n));
        let mut edges_by_value: Vec<u32> = (0..graph.edges.len() as u32).collect();
        edges_by_value.sort_by_key(|&e| (std::cmp::Reverse(graph.edges[e as usize].value), e));
        let mut layout = Layout {
            net,
            edges_by_value,
            roles,
            chain_order,
            edges_of_offer,
            edge_of_need,
            edge_must,
            need_must,
            by_value,
            priority: greedy::priority_order(batch),
            edge_order: EdgeOrder::new(batch, graph),
            swaps: SwapIndex::new(batch, graph),
            big_m,
            max_cost,
            shape: (batch.needs.len(), batch.offers.len(), graph.edges.len()),
            star_candidates: Vec::new(),
            requester_nodes,
        };
        layout.set_capacities(batch, graph)?;
        layout.star_candidates = star_candidates(&layout.net);
        Ok(layout)
    }

    /// What each need gets in `amounts`, summed over its edges.
    pub(super) fn need_totals(&self, amounts: &[i64]) -> Vec<i64> {
        self.edge_of_need.iter().map(|r| amounts[r.clone()].iter().sum()).collect()
    }

    /// A simplex on the network, ready for decisions' penalties (costs up to `big_m` beyond the plain ones).
    pub(super) fn simplex(&self) -> Result<WarmSimplex> {
        WarmSimplex::with_candidates(&self.net, self.big_m + self.max_cost, &self.star_candidates).map_err(flow_error)
    }

    /// Recomputes every capacity and supply from `batch` and `graph`, which must have the shape the layout was
    /// built for and the same rules; only amounts, envelopes, caps and limits may differ. Award-chain arcs keep
    /// the sets they were built for (nested sets of edges, by the limits at the build): each is still a valid
    /// relaxation with its capacity recomputed, and where the new limits keep the build's order, as a pledge
    /// that shrinks an envelope does, it is the same chain a new build would make.
    pub fn set_capacities(&mut self, batch: &Batch, graph: &Graph) -> Result<()> {
        if self.shape != (batch.needs.len(), batch.offers.len(), graph.edges.len()) {
            return Err(Error::internal("a search layout was reused for a batch of another shape"));
        }
        // The sum of the k largest limits of each suffix of each chain order, from the end backwards.
        let suffix_best: Vec<Vec<i64>> = batch
            .offers
            .iter()
            .zip(&self.chain_order)
            .map(|(offer, order)| match offer.max_awards {
                Some(k) if !order.is_empty() => largest_of_suffixes(order, k as usize, graph),
                _ => Vec::new(),
            })
            .collect();
        let must_part = |e: usize| -> i64 {
            let edge = &graph.edges[e];
            let offer = &batch.offers[edge.offer as usize];
            if offer.has_integer_rules() { offer.floor_per_need.map_or(1, |f| f.get()).min(edge.upper) } else { 0 }
        };
        // An edge whose limit is below its offer's floor can carry nothing (a cap below the floor, or a Monte
        // Carlo draw's envelope): closed. Left open, its flow broke the floor however the search decided (an
        // "on" decision forces only what the limit allows), and a plunge took the same decision forever.
        let closed = |e: usize| {
            let edge = &graph.edges[e];
            batch.offers[edge.offer as usize].floor_per_need.is_some_and(|f| edge.upper < f.get())
        };
        let need_must = |n: usize| {
            let need = &batch.needs[n];
            if need.has_integer_rules() { need.must_get() } else { 0 }
        };
        let total_asked: i64 = batch.needs.iter().map(|n| n.amount.get()).sum();
        for (cap, role) in self.net.capacity.iter_mut().zip(&self.roles) {
            *cap = match *role {
                Role::EdgeFree(e) if closed(e as usize) => 0,
                Role::EdgeMust(e) if closed(e as usize) => 0,
                Role::EdgeFree(e) => graph.edges[e as usize].upper - must_part(e as usize),
                Role::EdgeMust(e) => must_part(e as usize),
                Role::OfferSink(o) => {
                    let envelope = batch.offers[o as usize].envelope.get();
                    suffix_best[o as usize].first().map_or(envelope, |&best| envelope.min(best))
                }
                Role::Chain { offer, from } => suffix_best[offer as usize][from as usize],
                Role::Closed => 0,
                Role::Bypass(n) => batch.needs[n as usize].amount.get() - need_must(n as usize),
                Role::NeedMust(n) => need_must(n as usize),
                // Above anything its needs can send.
                Role::RequesterSink => total_asked + 1,
            };
        }
        let mut total = 0;
        for (n, need) in batch.needs.iter().enumerate() {
            self.net.supply[n] = need.amount.get();
            total += need.amount.get();
        }
        self.net.supply[sink_node(batch)] = -total;
        if let Some(caps) = &graph.caps {
            let asked = caps.asked(batch.needs.iter().map(|n| n.amount.get()));
            for (r, &node) in self.requester_nodes.iter().enumerate() {
                let demand = (asked[r] - caps.limit[r]).max(0);
                self.net.supply[node] = -demand;
                self.net.supply[sink_node(batch)] += demand;
            }
        }
        Ok(())
    }
}

/// A penalty above the cost of any simple path in a network of `node_count` nodes whose costs are at most
/// `max_cost` in magnitude (a simple path has fewer than `node_count` arcs): a flow that pays it once costs more
/// than any flow that does not (the big-M argument of the search's decisions).
pub(super) fn big_m(node_count: usize, max_cost: i64) -> Result<i64> {
    i64::try_from((node_count as i128 + 1) * (i128::from(max_cost) + 1))
        .map_err(|_| Error::usage("the batch is too large for an exact search"))
}

/// For each position `i` of `order` (and one past its end), the sum of the `k` largest limits among
/// `order[i..]`.
fn largest_of_suffixes(order: &[u32], k: usize, graph: &Graph) -> Vec<i64> {
    let mut sums = vec![0; order.len() + 1];
    // The k largest so far, smallest on top.
    let mut kept: BinaryHeap<std::cmp::Reverse<i64>> = BinaryHeap::with_capacity(k + 1);
    let mut sum = 0;
    for i in (0..order.len()).rev() {
        let upper = graph.edges[order[i] as usize].upper;
        kept.push(std::cmp::Reverse(upper));
        sum += upper;
        if kept.len() > k {
            sum -= kept.pop().map_or(0, |r| r.0);
        }
        sums[i] = sum;
    }
    sums
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
/// (each edge's own limit already says it). `sets` says which of the nested sets get a node; the edges of a set
/// without one enter the node of the next larger set kept, which is still a valid bound.
///
/// Adds the chain nodes to `net` and returns, for each edge, the node it enters; the chain arcs
/// `(from, to, offer, position)` to add after the edges, the arc's set being the offer's edges from `position`
/// of its order on; and each offer's order (largest limit first).
#[allow(clippy::type_complexity)]
fn award_chains(
    batch: &Batch,
    graph: &Graph,
    edges_of_offer: &[Vec<u32>],
    sets: ChainSets,
    net: &mut Network,
) -> (Vec<usize>, Vec<(usize, usize, u32, u32)>, Vec<Vec<u32>>) {
    let mut entry: Vec<usize> = graph.edges.iter().map(|e| offer_node(batch, e.offer as usize)).collect();
    let mut arcs = Vec::new();
    let mut orders = vec![Vec::new(); batch.offers.len()];
    for (o, offer) in batch.offers.iter().enumerate() {
        let Some(k) = offer.max_awards else { continue };
        let k = k as usize;
        let mut edges = edges_of_offer[o].clone();
        // Largest limit first; the set of limits ≤ w is then a suffix.
        edges.sort_unstable_by_key(|&e| (std::cmp::Reverse(graph.edges[e as usize].upper), e));
        let upper = |i: usize| graph.edges[edges[i] as usize].upper;
        let mut node = offer_node(batch, o);
        // The size of the last set that got a node.
        let mut last = edges.len();
        let mut i = 0;
        while i < edges.len() {
            // Edges i..j share one limit; the suffix from i is the set of limits ≤ upper(i).
            let mut j = i;
            while j < edges.len() && upper(j) == upper(i) {
                j += 1;
            }
            let size = edges.len() - i;
            let wanted = match sets {
                ChainSets::Every => true,
                ChainSets::Halving => 2 * size <= last,
            };
            if i > 0 && size > k && wanted {
                last = size;
                let child = net.node_count();
                net.supply.push(0);
                arcs.push((child, node, o as u32, i as u32));
                node = child;
            }
            for &e in &edges[i..j] {
                entry[e as usize] = node;
            }
            i = j;
        }
        orders[o] = edges;
    }
    (entry, arcs, orders)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Usd;

    fn batch_and_graph() -> (Batch, Graph) {
        let (batch, graph) = crate::solve::generated(150, 15, 3);
        (batch, graph)
    }

    /// A layout given another draw's capacities and then its own batch's again has the capacities it was built
    /// with; and a layout built for a batch of another shape refuses it.
    #[test]
    fn capacities_follow_the_batch_they_are_set_for() {
        let (batch, graph) = batch_and_graph();
        let mut layout = Layout::new(&batch, &graph).unwrap();
        let built = layout.net.capacity.clone();
        let mut shrunk = batch.clone();
        for offer in &mut shrunk.offers {
            offer.envelope = Usd(offer.envelope.get() * 3 / 5);
        }
        let mut shrunk_graph = graph.clone();
        for edge in &mut shrunk_graph.edges {
            edge.upper =
                shrunk.needs[edge.need as usize].amount.min(shrunk.offers[edge.offer as usize].per_need_limit()).get();
        }
        layout.set_capacities(&shrunk, &shrunk_graph).unwrap();
        assert_ne!(layout.net.capacity, built, "smaller envelopes change some capacity");
        assert!(layout.net.capacity.iter().zip(&built).all(|(now, then)| now <= then), "no capacity grows");
        layout.set_capacities(&batch, &graph).unwrap();
        assert_eq!(layout.net.capacity, built);
        let mut fewer = batch.clone();
        fewer.needs.pop();
        assert!(layout.set_capacities(&fewer, &graph).is_err());
    }

    /// The value of the search network's optimal flow with no decision: its root bound.
    fn root_value(layout: &Layout, graph: &Graph) -> i128 {
        let flow = mcf::solve(&layout.net).unwrap().flow;
        let mut value = 0;
        for (a, role) in layout.roles.iter().enumerate() {
            if let Role::EdgeFree(e) | Role::EdgeMust(e) = *role {
                value += i128::from(flow[a]) * i128::from(graph.edges[e as usize].value);
            }
        }
        value
    }

    /// Halving chains make a smaller network whose root bound lies between the full chains' and the plain
    /// relaxation's.
    #[test]
    fn halving_chains_are_fewer_and_bound_between_full_chains_and_none() {
        let (batch, graph) = batch_and_graph();
        let every = Layout::new(&batch, &graph).unwrap();
        let halving = Layout::for_draws(&batch, &graph).unwrap();
        let chain_nodes = |l: &Layout| l.net.node_count() - (sink_node(&batch) + 1);
        assert!(chain_nodes(&every) > chain_nodes(&halving), "{} {}", chain_nodes(&every), chain_nodes(&halving));
        assert!(chain_nodes(&halving) > 0, "a max_awards offer with many edges keeps some sets");
        let plain = crate::solve::relaxation::solve(&batch, &graph).unwrap().objective;
        let (full, halved) = (root_value(&every, &graph), root_value(&halving, &graph));
        assert!(full <= halved && halved <= plain, "{full} {halved} {plain}");
    }

    /// An edge whose limit falls below its offer's floor is closed (both its free and its "must" arc), so that no
    /// flow can break the floor on it; the offer's other edges keep theirs.
    #[test]
    fn edges_below_the_floor_are_closed() {
        let (mut batch, mut graph) = batch_and_graph();
        let (o, floor) = batch
            .offers
            .iter()
            .enumerate()
            .find_map(|(o, offer)| offer.floor_per_need.map(|f| (o, f.get())))
            .expect("the generator gives some offers a floor");
        // A draw in which this offer's envelope lands just below its floor.
        batch.offers[o].envelope = Usd(floor - 1);
        for edge in &mut graph.edges {
            edge.upper =
                batch.needs[edge.need as usize].amount.min(batch.offers[edge.offer as usize].per_need_limit()).get();
        }
        let layout = Layout::new(&batch, &graph).unwrap();
        let mut closed = 0;
        for (a, role) in layout.roles.iter().enumerate() {
            if let Role::EdgeFree(e) | Role::EdgeMust(e) = *role {
                let edge = &graph.edges[e as usize];
                if edge.offer as usize == o {
                    assert_eq!(layout.net.capacity[a], 0, "arc {a} of edge {e}");
                    closed += 1;
                }
            }
        }
        assert!(closed > 0, "the offer has edges");
        let open = layout.roles.iter().enumerate().any(|(a, role)| {
            matches!(*role, Role::EdgeFree(e) if graph.edges[e as usize].offer as usize != o && layout.net.capacity[a] > 0)
        });
        assert!(open, "other offers' edges stay open");
    }
}
