//! Independent oracles for the flow layer (SPEC §5 "solve it exactly", §8 `--export-network`).
//!
//! - An independent min-cost flow written here: successive shortest paths with SPFA (queue-based Bellman-Ford) on
//!   the residual graph, super source and sink, i128 costs; negative-cost arcs are saturated first so that the
//!   residual graph starts without negative cycles. It is compared with `network_simplex::solve` on random small
//!   networks (self-loops, parallel arcs, zero capacities, negative cycles, infeasible supplies, large numbers).
//! - The binary's `--export-network` file, parsed by the test's own DIMACS reader and solved by that oracle, has
//!   minimum cost −`relaxation` of run.json, on batches of 300 needs × 30 offers from `poa_match::generate` and
//!   from this test's own generator.
//! - petgraph's Dinic max flow on the relaxation network: with the bypass arcs everything is routed; without them
//!   and with every dollar worth the same, the relaxation allocates exactly the maximum flow.

mod common;

use std::collections::VecDeque;

use common::TestDir;
use common::batch::{Shape, needs_csv, offers_csv, random_batch, reference};
use petgraph::graph::{Graph as PetGraph, NodeIndex};
use poa_match::graph;
use poa_match::io::{ReadOptions, read_needs, read_offers};
use poa_match::model::Batch;
use poa_match::objective::Weights;
use poa_match::solve::network::Network;
use poa_match::solve::network_simplex::{self, FlowError};
use poa_match::solve::relaxation;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

// ---------------------------------------------------------------------------------------------------------------
// The oracle: successive shortest paths.
// ---------------------------------------------------------------------------------------------------------------

/// A residual graph: arc `2k` and its reverse `2k + 1`.
struct Residual {
    head: Vec<usize>,
    cap: Vec<i128>,
    cost: Vec<i128>,
    out: Vec<Vec<usize>>,
}

impl Residual {
    fn new(nodes: usize) -> Residual {
        Residual { head: Vec::new(), cap: Vec::new(), cost: Vec::new(), out: vec![Vec::new(); nodes] }
    }

    /// Adds `u → v` with `cap` and `cost`, carrying `flow` already.
    fn add(&mut self, u: usize, v: usize, cap: i128, cost: i128, flow: i128) {
        self.out[u].push(self.head.len());
        self.head.push(v);
        self.cap.push(cap - flow);
        self.cost.push(cost);
        self.out[v].push(self.head.len());
        self.head.push(u);
        self.cap.push(flow);
        self.cost.push(-cost);
    }

    /// Shortest paths from `s` by SPFA; `None` if `t` is unreachable. Returns (distance to t, arc into each node).
    fn shortest(&self, s: usize, t: usize) -> Option<(i128, Vec<usize>)> {
        let n = self.out.len();
        let mut dist = vec![i128::MAX; n];
        let mut via = vec![usize::MAX; n];
        let mut queued = vec![false; n];
        let mut relaxations = vec![0usize; n];
        let mut queue = VecDeque::from([s]);
        dist[s] = 0;
        queued[s] = true;
        while let Some(u) = queue.pop_front() {
            queued[u] = false;
            for &a in &self.out[u] {
                let v = self.head[a];
                if self.cap[a] > 0 && dist[u] + self.cost[a] < dist[v] {
                    dist[v] = dist[u] + self.cost[a];
                    via[v] = a;
                    relaxations[v] += 1;
                    assert!(relaxations[v] <= n + 1, "negative cycle in the residual graph (an oracle bug)");
                    if !queued[v] {
                        queued[v] = true;
                        queue.push_back(v);
                    }
                }
            }
        }
        (dist[t] != i128::MAX).then_some((dist[t], via))
    }
}

/// The minimum cost of a flow meeting `net`'s supplies within its capacities; `None` when there is none.
fn min_cost(net: &Network) -> Option<i128> {
    let n = net.node_count();
    if net.supply.iter().map(|&s| i128::from(s)).sum::<i128>() != 0 {
        return None;
    }
    let (s, t) = (n, n + 1);
    let mut g = Residual::new(n + 2);
    let mut excess: Vec<i128> = net.supply.iter().map(|&x| i128::from(x)).collect();
    let mut cost = 0i128;
    for e in 0..net.arc_count() {
        let (u, v) = (net.from[e] as usize, net.to[e] as usize);
        let (cap, c) = (i128::from(net.capacity[e]), i128::from(net.cost[e]));
        // Saturate every negative arc: its residual is then only the reverse, at cost −c > 0.
        let flow = if c < 0 { cap } else { 0 };
        cost += flow * c;
        excess[u] -= flow;
        excess[v] += flow;
        g.add(u, v, cap, c, flow);
    }
    let mut to_route = 0i128;
    for (u, &x) in excess.iter().enumerate() {
        if x > 0 {
            g.add(s, u, x, 0, 0);
            to_route += x;
        } else if x < 0 {
            g.add(u, t, -x, 0, 0);
        }
    }
    while to_route > 0 {
        let (d, via) = g.shortest(s, t)?;
        let mut push = to_route;
        let mut v = t;
        while v != s {
            let a = via[v];
            push = push.min(g.cap[a]);
            v = g.head[a ^ 1];
        }
        let mut v = t;
        while v != s {
            let a = via[v];
            g.cap[a] -= push;
            g.cap[a ^ 1] += push;
            v = g.head[a ^ 1];
        }
        cost += push * d;
        to_route -= push;
    }
    Some(cost)
}

/// A DIMACS min-cost-flow reader written for this test: `c` comments, one `p min NODES ARCS`, `n ID SUPPLY` and
/// `a FROM TO LOW CAP COST` lines, nodes numbered from 1. Lower bounds must be 0.
fn parse_dimacs(text: &str) -> Network {
    let mut net: Option<Network> = None;
    let mut declared_arcs = 0;
    for (i, line) in text.lines().enumerate() {
        let w: Vec<&str> = line.split_whitespace().collect();
        let num = |k: usize| -> i64 {
            w.get(k)
                .and_then(|x| x.parse().ok())
                .unwrap_or_else(|| panic!("line {}: no number in field {k}: {line:?}", i + 1))
        };
        match w.first().copied() {
            None | Some("c") => {}
            Some("p") => {
                assert_eq!(w.get(1), Some(&"min"), "line {}: {line:?}", i + 1);
                assert!(net.is_none(), "two 'p' lines");
                net = Some(Network::with_nodes(num(2) as usize));
                declared_arcs = num(3) as usize;
            }
            Some("n") => {
                let net = net.as_mut().expect("'n' before 'p'");
                net.supply[num(1) as usize - 1] = num(2);
            }
            Some("a") => {
                let net = net.as_mut().expect("'a' before 'p'");
                assert_eq!(num(3), 0, "line {}: a lower bound", i + 1);
                net.add_arc(num(1) as usize - 1, num(2) as usize - 1, num(4), num(5));
            }
            Some(other) => panic!("line {}: unknown line type {other:?}", i + 1),
        }
    }
    let net = net.expect("no 'p min' line");
    assert_eq!(net.arc_count(), declared_arcs, "arc count differs from the 'p' line");
    net
}

// ---------------------------------------------------------------------------------------------------------------
// Random networks: the oracle against network simplex.
// ---------------------------------------------------------------------------------------------------------------

/// Checks a network simplex solution: bounds, conservation, its cost, and the potentials' optimality certificate.
fn check_flow(net: &Network, sol: &network_simplex::FlowSolution) -> Result<(), String> {
    let mut balance: Vec<i128> = net.supply.iter().map(|&s| i128::from(s)).collect();
    for e in 0..net.arc_count() {
        let (f, c) = (sol.flow[e], net.capacity[e]);
        if !(0..=c).contains(&f) {
            return Err(format!("arc {e}: flow {f} outside 0..={c}"));
        }
        balance[net.from[e] as usize] -= i128::from(f);
        balance[net.to[e] as usize] += i128::from(f);
        let rc = i128::from(net.cost[e]) + i128::from(sol.potential[net.from[e] as usize])
            - i128::from(sol.potential[net.to[e] as usize]);
        if (rc < 0 && f < c) || (rc > 0 && f > 0) {
            return Err(format!("arc {e}: reduced cost {rc} with flow {f} of {c}"));
        }
    }
    if balance.iter().any(|&b| b != 0) {
        return Err(format!("flow does not balance: {balance:?}"));
    }
    if sol.cost != net.cost_of(&sol.flow) {
        return Err(format!("reported cost {} is not the flow's {}", sol.cost, net.cost_of(&sol.flow)));
    }
    Ok(())
}

fn random_network(rng: &mut ChaCha8Rng, big: bool) -> Network {
    let n = rng.gen_range(1..=10);
    let mut net = Network::with_nodes(n);
    let (cap_max, cost_max, supply_max) =
        if big { (1_000_000_000i64, 1_000_000_000i64, 1_000_000_000i64) } else { (20, 10, 15) };
    for _ in 0..rng.gen_range(0..=3 * n + 4) {
        // Self-loops, parallel arcs and zero capacities are all allowed.
        let (a, b) = (rng.gen_range(0..n), rng.gen_range(0..n));
        net.add_arc(a, b, rng.gen_range(0..=cap_max), rng.gen_range(-cost_max..=cost_max));
    }
    for _ in 0..rng.gen_range(0..=3) {
        let (a, b) = (rng.gen_range(0..n), rng.gen_range(0..n));
        let s = rng.gen_range(0..=supply_max);
        net.supply[a] += s;
        net.supply[b] -= s;
    }
    if rng.gen_bool(0.05) {
        // Unbalanced supplies: infeasible by definition.
        net.supply[0] += 1;
    }
    net
}

#[test]
fn successive_shortest_paths_agree_with_network_simplex() {
    let mut rng = ChaCha8Rng::seed_from_u64(0xF10);
    let (mut optimal, mut infeasible) = (0, 0);
    for case in 0..3000 {
        let net = random_network(&mut rng, case % 3 == 2);
        let mut text = Vec::new();
        net.write_dimacs(&mut text, "case").unwrap();
        let text = String::from_utf8(text).unwrap();
        let oracle = min_cost(&net);
        match (network_simplex::solve(&net), oracle) {
            (Ok(sol), Some(cost)) => {
                assert_eq!(sol.cost, cost, "case {case}: simplex cost differs from the oracle's\n{text}");
                check_flow(&net, &sol).unwrap_or_else(|e| panic!("case {case}: {e}\n{text}"));
                optimal += 1;
            }
            (Err(FlowError::Infeasible), None) => infeasible += 1,
            (got, want) => panic!("case {case}: simplex {got:?}, oracle {want:?}\n{text}"),
        }
        // The library's own DIMACS writer and this test's reader agree.
        assert_eq!(parse_dimacs(&text), net, "case {case}");
    }
    eprintln!("3000 networks: {optimal} optimal, {infeasible} infeasible");
    assert!(optimal > 1000 && infeasible > 300, "{optimal} optimal, {infeasible} infeasible");
}

/// Hand-checked networks, including a negative cycle that an optimum must saturate.
#[test]
fn oracle_on_hand_made_networks() {
    let mut net = Network::with_nodes(3);
    net.add_arc(0, 1, 4, -2);
    net.add_arc(1, 2, 3, -1);
    net.add_arc(2, 0, 5, 1);
    // The cycle 0→1→2→0 costs −2 per unit and carries 3 units.
    assert_eq!(min_cost(&net), Some(-6));
    assert_eq!(network_simplex::solve(&net).unwrap().cost, -6);
    net.supply = vec![2, 0, -2];
    // 2 units 0→1→2 (−3 each), plus the cycle on the remaining room: 1 more unit round (−2).
    assert_eq!(min_cost(&net), Some(-8));
    assert_eq!(network_simplex::solve(&net).unwrap().cost, -8);
    net.supply = vec![4, 0, -4];
    assert_eq!(min_cost(&net), None);
    assert_eq!(network_simplex::solve(&net), Err(FlowError::Infeasible));
}

// ---------------------------------------------------------------------------------------------------------------
// The binary's exported network.
// ---------------------------------------------------------------------------------------------------------------

fn run_json(dir: &TestDir, out: &str) -> serde_json::Value {
    serde_json::from_str(&dir.read(&format!("{out}/run.json"))).expect("run.json parses")
}

fn int(v: &serde_json::Value, key: &str) -> i128 {
    v[key].as_i64().map(i128::from).unwrap_or_else(|| panic!("run.json {key} is not an integer: {}", v[key]))
}

/// Writes a batch (as the given needs.csv / offers.csv texts), runs `match --export-network`, solves the exported
/// network with the oracle and checks it against run.json and against the library's own relaxation network.
fn exported_network_case(needs_text: &str, offers_text: &str, integer_rules: bool) {
    let dir = TestDir::new();
    dir.write("needs.csv", needs_text);
    dir.write("offers.csv", offers_text);
    let run = dir.run(&[
        "match",
        "--needs",
        "needs.csv",
        "--offers",
        "offers.csv",
        "--out",
        "out",
        "--export-network",
        "net.dimacs",
        "--node-limit",
        "30",
    ]);
    run.assert_success();
    let info = run_json(&dir, "out");
    let text = dir.read("net.dimacs");
    let net = parse_dimacs(&text);
    let r = reference();
    let needs = read_needs("needs.csv", needs_text.as_bytes(), r, ReadOptions::default()).unwrap();
    let offers = read_offers("offers.csv", offers_text.as_bytes(), r, ReadOptions::default()).unwrap();
    let batch = Batch { needs, offers };
    let (n, o) = (batch.needs.len(), batch.offers.len());
    let edges = info["edges"].as_u64().unwrap() as usize;
    assert_eq!(net.node_count(), n + o + 1);
    assert_eq!(net.arc_count(), edges + o + n);
    assert!(edges > 3 * n, "only {edges} eligible pairs: the batch is too sparse to test much");
    eprintln!(
        "{n} × {o}: {edges} edges, status {}, nodes {}, objective {}, relaxation {}",
        info["status"], info["nodes"], info["objective"], info["relaxation"]
    );
    let cost = min_cost(&net).expect("the relaxation network is feasible");
    let relaxation = int(&info, "relaxation");
    assert_eq!(cost, -relaxation, "oracle minimum cost vs run.json relaxation");
    assert!(text.contains(&format!("minimum cost = -relaxation = {cost}\n")));
    let (objective, bound) = (int(&info, "objective"), int(&info, "bound"));
    assert!(objective <= bound && bound <= relaxation, "{objective} ≤ {bound} ≤ {relaxation}");
    assert_eq!(info["integer_rules"], integer_rules);
    if !integer_rules {
        assert_eq!((objective, info["status"].as_str()), (relaxation, Some("optimal")));
    }
    // The exported network is the library's relaxation network of the batch as read from the CSV files.
    let g = graph::build(&batch, r, &Weights::default());
    assert_eq!(relaxation::network(&batch, &g), net);
}

/// The library's writer for a generated batch.
fn library_csv(batch: &Batch) -> (String, String) {
    use poa_match::io::write_inputs::{write_needs_csv, write_offers_csv};
    let (mut needs, mut offers) = (Vec::new(), Vec::new());
    write_needs_csv(&batch.needs, reference(), &mut needs).unwrap();
    write_offers_csv(&batch.offers, reference(), &mut offers).unwrap();
    (String::from_utf8(needs).unwrap(), String::from_utf8(offers).unwrap())
}

#[test]
fn exported_network_of_a_generated_batch_has_minimum_cost_minus_the_relaxation() {
    use poa_match::generate::{GenerateConfig, generate};
    for (seed, partial_only) in [(2013, true), (2014, false)] {
        let config = GenerateConfig { needs: 300, offers: 30, seed, partial_only };
        let batch = generate(&config, reference());
        let (needs, offers) = library_csv(&batch);
        exported_network_case(&needs, &offers, !partial_only);
    }
}

/// The same with this test's own generator and CSV writer: every geographic rule, organisations, Antarctica.
#[test]
fn exported_network_of_a_test_batch_has_minimum_cost_minus_the_relaxation() {
    for (seed, integer_rules) in [(0xD1AC5, false), (0xD1AC6, true)] {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let batch = random_batch(&mut rng, &Shape::large(300, 30, integer_rules));
        exported_network_case(&needs_csv(&batch), &offers_csv(&batch), integer_rules);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Maximum flow with petgraph's Dinic.
// ---------------------------------------------------------------------------------------------------------------

/// The relaxation network as a petgraph graph with a super source feeding each need its amount; returns the max
/// flow from the super source to the sink.
fn dinic_max_flow(batch: &Batch, net: &Network, with_bypasses: bool, bypass_from: usize) -> u64 {
    let mut g: PetGraph<(), u64> = PetGraph::new();
    let nodes: Vec<NodeIndex> = (0..net.node_count()).map(|_| g.add_node(())).collect();
    let source = g.add_node(());
    for e in 0..net.arc_count() {
        if !with_bypasses && e >= bypass_from {
            continue;
        }
        g.add_edge(nodes[net.from[e] as usize], nodes[net.to[e] as usize], net.capacity[e] as u64);
    }
    for (n, need) in batch.needs.iter().enumerate() {
        g.add_edge(source, nodes[n], need.amount.get() as u64);
    }
    let sink = nodes[relaxation::sink_node(batch)];
    petgraph::algo::dinics(&g, source, sink).0
}

/// Every dollar is worth the same: equal priority weights, equal fits, no geography bonus.
const UNIFORM: Weights = Weights {
    priority_scale: 10,
    priority: [1, 1, 1],
    fit_shared_code: 3,
    fit_related_code: 3,
    fit_theme: 3,
    fit_explicit_geography: 0,
};

fn dinic_case(batch: &Batch) -> (i64, i64) {
    let r = reference();
    // Bypass arcs come last: edges, then offer → sink, then one bypass per need.
    let total: i64 = batch.needs.iter().map(|n| n.amount.get()).sum();

    let g = graph::build(batch, r, &Weights::default());
    let net = relaxation::network(batch, &g);
    let bypass_from = g.edges.len() + batch.offers.len();
    assert_eq!(relaxation::bypass_arc(batch, &g, 0), bypass_from);
    // (i) With the bypasses everything reaches the sink, and the relaxation routes all of it.
    assert_eq!(dinic_max_flow(batch, &net, true, bypass_from), total as u64);
    let flow = network_simplex::solve(&net).expect("relaxation solves");
    let sink = relaxation::sink_node(batch) as u32;
    let into_sink: i64 = (0..net.arc_count()).filter(|&e| net.to[e] == sink).map(|e| flow.flow[e]).sum();
    assert_eq!(into_sink, total);
    // Without them, the maximum fundable total bounds what any relaxation allocates...
    let max_fundable = dinic_max_flow(batch, &net, false, bypass_from) as i64;
    let weighted: i64 = relaxation::solve(batch, &g).unwrap().amounts.iter().sum();
    assert!(weighted <= max_fundable, "{weighted} > {max_fundable}");

    // (ii) ...and with every dollar worth the same, the relaxation allocates exactly that much.
    let g = graph::build(batch, r, &UNIFORM);
    assert!(g.edges.windows(2).all(|w| w[0].value == w[1].value));
    let net = relaxation::network(batch, &g);
    let uniform = relaxation::solve(batch, &g).unwrap();
    let allocated: i64 = uniform.amounts.iter().sum();
    assert_eq!(allocated, dinic_max_flow(batch, &net, false, bypass_from) as i64);
    (allocated, weighted)
}

#[test]
fn dinic_max_flow_matches_the_relaxation() {
    let mut rng = ChaCha8Rng::seed_from_u64(0xD1);
    let mut below = 0;
    for case in 0..120 {
        let shape = if case % 10 == 0 {
            Shape::large(60, 12, true)
        } else {
            Shape { needs: (1, 25), offers: (1, 8), ..Shape::geo() }
        };
        let batch = random_batch(&mut rng, &shape);
        let (uniform, weighted) = dinic_case(&batch);
        below += usize::from(weighted < uniform);
    }
    // The sample batch too.
    let r = reference();
    let needs = read_needs(
        "needs.csv",
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample/needs.csv")).unwrap().as_slice(),
        r,
        ReadOptions::default(),
    )
    .unwrap();
    let offers = read_offers(
        "offers.csv",
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample/offers.csv")).unwrap().as_slice(),
        r,
        ReadOptions::default(),
    )
    .unwrap();
    let (uniform, weighted) = dinic_case(&Batch { needs, offers });
    assert!(weighted <= uniform);
    eprintln!("weighted relaxation below the maximum fundable total in {below} of 120 batches");
}
