//! Independent oracles for the flow layer (docs/spec.md §5 "solve it exactly", §8 `--export-network`). The solver
//! itself is checked against the same oracles on random networks in its own crate (`crates/mcf/tests`); here they check
//! what the application builds and exports.
//!
//! - The binary's `--export-network` file, parsed by the oracle's own DIMACS reader and solved by its successive
//!   shortest paths (`crates/mcf/tests/oracle`), has minimum cost −`relaxation` of run.json, on batches of 300
//!   needs × 30 offers from `poa_match::generate` and from this test's own generator.
//! - petgraph's Dinic max flow on the relaxation network: with the bypass arcs everything is routed; without them
//!   and with every dollar worth the same, the relaxation allocates exactly the maximum flow.

mod common;
#[path = "../crates/mcf/tests/oracle/mod.rs"]
mod oracle;

use common::batch::{Shape, needs_csv, offers_csv, random_batch, reference};
use common::{TestDir, csv_rows};
use mcf::Network;
use oracle::{min_cost, parse_dimacs};
use petgraph::graph::{Graph as PetGraph, NodeIndex};
use poa_match::graph;
use poa_match::io::{ReadOptions, read_needs, read_offers};
use poa_match::model::Batch;
use poa_match::objective::Weights;
use poa_match::solve::relaxation;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

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

/// With `max_requester_share` the exported network has a node per capped requester and rewarded arcs into it; its
/// comment says so, and the minimum cost it states is what the oracle finds in the file (it is not −relaxation).
#[test]
fn exported_network_with_requester_caps_states_its_true_minimum_cost() {
    let dir = TestDir::new();
    let root = env!("CARGO_MANIFEST_DIR");
    dir.write("w.toml", "max_requester_share = 0.05\n");
    #[rustfmt::skip]
    dir.run(&[
        "match", "--needs", &format!("{root}/data/sample/needs.csv"), "--offers", &format!("{root}/data/sample/offers.csv"),
        "--weights", "w.toml", "--out", "out", "--export-network", "net.dimacs",
    ])
    .assert_success();
    let text = dir.read("net.dimacs");
    let net = parse_dimacs(&text);
    let stated = |prefix: &str| -> String {
        text.lines().find(|l| l.starts_with(prefix)).unwrap_or_else(|| panic!("no {prefix:?} line in\n{text}")).into()
    };
    let cost_line = stated("c minimum cost = -relaxation - ");
    let cost: i128 = cost_line.rsplit("= ").next().unwrap().parse().unwrap();
    assert_eq!(min_cost(&net).expect("feasible"), cost, "{cost_line}");
    let caps_line = stated("c max_requester_share: ");
    let requesters: usize = caps_line["c max_requester_share: ".len()..].split(' ').next().unwrap().parse().unwrap();
    let info = run_json(&dir, "out");
    let rows = |file: &str| csv_rows(&std::fs::read_to_string(format!("{root}/data/sample/{file}")).unwrap()).len();
    let (needs, offers) = (rows("needs.csv"), rows("offers.csv"));
    assert!(requesters > 0, "the sample's largest requesters ask above 5 %: {caps_line}");
    assert_eq!(net.node_count(), needs + offers + 1 + requesters, "{caps_line}");
    assert!(cost < -int(&info, "relaxation"), "the rewards lower the cost below −relaxation");
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
    flag_bonus: 0,
    max_requester_share: None,
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
    let flow = mcf::solve(&net).expect("relaxation solves");
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
