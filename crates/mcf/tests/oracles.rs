//! The solver against independent oracles on random networks (self-loops, parallel arcs, zero capacities,
//! negative cycles, infeasible supplies, numbers up to 10⁹): successive shortest paths for the minimum cost,
//! petgraph's Dinic for maximum flows, and a DIMACS reader of the tests' own for the writer.

mod oracle;

use mcf::{FlowError, FlowSolution, Network};
use oracle::{min_cost, parse_dimacs};
use petgraph::graph::{Graph, NodeIndex};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Checks a network simplex solution: bounds, conservation, its cost, and the potentials' optimality certificate.
fn check_flow(net: &Network, sol: &FlowSolution) -> Result<(), String> {
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
        match (mcf::solve(&net), oracle) {
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
    assert_eq!(mcf::solve(&net).unwrap().cost, -6);
    net.supply = vec![2, 0, -2];
    // 2 units 0→1→2 (−3 each), plus the cycle on the remaining room: 1 more unit round (−2).
    assert_eq!(min_cost(&net), Some(-8));
    assert_eq!(mcf::solve(&net).unwrap().cost, -8);
    net.supply = vec![4, 0, -4];
    assert_eq!(min_cost(&net), None);
    assert_eq!(mcf::solve(&net), Err(FlowError::Infeasible));
}

/// A maximum flow is a min-cost flow: with every arc free and a return arc `t → s` at cost −1, the optimum sends
/// round as much as can pass from `s` to `t`. petgraph's Dinic computes the same number on its own.
#[test]
fn maximum_flows_agree_with_petgraph_dinic() {
    let mut rng = ChaCha8Rng::seed_from_u64(0xD1C);
    let mut positive = 0;
    for case in 0..500 {
        let n = rng.gen_range(2..=12);
        let mut net = Network::with_nodes(n);
        let mut g: Graph<(), u64> = Graph::new();
        let nodes: Vec<NodeIndex> = (0..n).map(|_| g.add_node(())).collect();
        for _ in 0..rng.gen_range(0..=4 * n) {
            let (a, b) = (rng.gen_range(0..n), rng.gen_range(0..n));
            let cap = rng.gen_range(0..=30);
            net.add_arc(a, b, cap, 0);
            g.add_edge(nodes[a], nodes[b], cap as u64);
        }
        let (s, t) = (0, n - 1);
        let total: i64 = net.capacity.iter().sum();
        net.add_arc(t, s, total, -1);
        let max_flow = petgraph::algo::dinics(&g, nodes[s], nodes[t]).0;
        let sol = mcf::solve(&net).expect("a circulation problem is always feasible");
        assert_eq!(-sol.cost, i128::from(max_flow), "case {case}");
        check_flow(&net, &sol).unwrap_or_else(|e| panic!("case {case}: {e}"));
        positive += usize::from(max_flow > 0);
    }
    assert!(positive > 200, "{positive}");
}

/// Any network of non-negative capacities and any comment survive a trip through the writer and the reader.
fn arbitrary_network() -> impl Strategy<Value = Network> {
    (1usize..8).prop_flat_map(|n| {
        let arc = (0..n, 0..n, 0i64..=i64::MAX, any::<i64>());
        (proptest::collection::vec(any::<i64>(), n), proptest::collection::vec(arc, 0..20)).prop_map(
            move |(supply, arcs)| {
                let mut net = Network::with_nodes(n);
                net.supply = supply;
                for (a, b, cap, cost) in arcs {
                    net.add_arc(a, b, cap, cost);
                }
                net
            },
        )
    })
}

proptest! {
    #[test]
    fn dimacs_round_trips(net in arbitrary_network(), comment in "[ -~\\n]{0,40}") {
        let mut text = Vec::new();
        net.write_dimacs(&mut text, &comment).unwrap();
        prop_assert_eq!(&Network::read_dimacs(&text[..]).unwrap(), &net);
        prop_assert_eq!(&parse_dimacs(std::str::from_utf8(&text).unwrap()), &net);
    }
}
