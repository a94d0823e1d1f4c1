//! The solver against independent oracles on random networks (self-loops, parallel arcs, zero capacities, zero
//! and negative costs, negative cycles, lower bounds, infeasible and unbalanced supplies, numbers up to 10⁹):
//! successive shortest paths for the minimum cost, reduced costs for optimality, and petgraph's Dinic for maximum
//! flows and for the value of every infeasibility certificate's cut.

mod oracle;

use mcf::generate::{Grid, Transshipment};
use mcf::{FlowError, FlowSolution, Infeasibility, Network};
use oracle::{min_cost, parse_dimacs};
use petgraph::graph::{Graph, NodeIndex};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Checks a solution: bounds, conservation, its cost, and the potentials' optimality certificate (an arc with a
/// negative reduced cost is at its capacity, one with a positive reduced cost at its lower bound).
fn check_flow(net: &Network, sol: &FlowSolution) -> Result<(), String> {
    let mut balance: Vec<i128> = net.supply.iter().map(|&s| i128::from(s)).collect();
    for e in 0..net.arc_count() {
        let (f, low, cap) = (sol.flow[e], net.lower[e], net.capacity[e]);
        if !(low..=cap).contains(&f) {
            return Err(format!("arc {e}: flow {f} outside {low}..={cap}"));
        }
        balance[net.from[e] as usize] -= i128::from(f);
        balance[net.to[e] as usize] += i128::from(f);
        let rc = i128::from(net.cost[e]) + i128::from(sol.potential[net.from[e] as usize])
            - i128::from(sol.potential[net.to[e] as usize]);
        if (rc < 0 && f < cap) || (rc > 0 && f > low) {
            return Err(format!("arc {e}: reduced cost {rc} with flow {f} in {low}..={cap}"));
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

/// A maximum flow from the supplies to the demands of `net` with its lower bounds moved into the supplies, by
/// petgraph's Dinic; and those supplies.
fn max_flow(net: &Network) -> (i128, Vec<i128>) {
    let n = net.node_count();
    let mut b: Vec<i128> = net.supply.iter().map(|&s| i128::from(s)).collect();
    let mut g: Graph<(), u64> = Graph::new();
    let nodes: Vec<NodeIndex> = (0..n + 2).map(|_| g.add_node(())).collect();
    for e in 0..net.arc_count() {
        let (u, v, low) = (net.from[e] as usize, net.to[e] as usize, net.lower[e]);
        b[u] -= i128::from(low);
        b[v] += i128::from(low);
        g.add_edge(nodes[u], nodes[v], (net.capacity[e] - low) as u64);
    }
    for (u, &x) in b.iter().enumerate() {
        if x > 0 {
            g.add_edge(nodes[n], nodes[u], x as u64);
        } else if x < 0 {
            g.add_edge(nodes[u], nodes[n + 1], (-x) as u64);
        }
    }
    (i128::from(petgraph::algo::dinics(&g, nodes[n], nodes[n + 1]).0), b)
}

/// Checks that `why` is a real cut of `net`: its capacity in the network with lower bounds moved into the
/// supplies equals a maximum flow computed apart, the supply less that flow is the shortfall, and its figures and
/// node lists are those of its source side.
fn check_certificate(net: &Network, why: &Infeasibility) -> Result<(), String> {
    let n = net.node_count();
    if why.source_side.windows(2).any(|w| w[0] >= w[1]) || why.source_side.iter().any(|&u| u as usize >= n) {
        return Err(format!("source side not sorted node ids: {:?}", why.source_side));
    }
    let inside: Vec<bool> = (0..n).map(|u| why.contains(u)).collect();
    let (flow, b) = max_flow(net);
    let supply: i128 = b.iter().filter(|&&x| x > 0).sum();
    let mut cut = 0i128;
    for (u, &x) in b.iter().enumerate() {
        cut += if inside[u] { (-x).max(0) } else { x.max(0) };
    }
    let (mut side_supply, mut forced_in, mut out_capacity) = (0i128, 0i128, 0i128);
    for e in 0..net.arc_count() {
        let (u, v) = (net.from[e] as usize, net.to[e] as usize);
        if inside[u] && !inside[v] {
            cut += i128::from(net.capacity[e] - net.lower[e]);
            out_capacity += i128::from(net.capacity[e]);
        } else if !inside[u] && inside[v] {
            forced_in += i128::from(net.lower[e]);
        }
    }
    for u in (0..n).filter(|&u| inside[u]) {
        side_supply += i128::from(net.supply[u]);
    }
    let want = (supply, flow, cut, side_supply, forced_in, out_capacity);
    let got = (why.supply, why.max_flow, why.max_flow, why.side_supply, why.forced_in, why.out_capacity);
    if want != got {
        return Err(format!("(supply, max flow, cut, side supply, forced in, out capacity): {got:?}, want {want:?}"));
    }
    if why.shortfall() <= 0 || why.shortfall() != side_supply + forced_in - out_capacity {
        return Err(format!("shortfall {} does not follow from the cut", why.shortfall()));
    }
    let nodes = |side: bool, sign: i64| -> Vec<u32> {
        (0..n).filter(|&u| inside[u] == side && net.supply[u].signum() == sign).map(|u| u as u32).collect()
    };
    let lists = [&why.source_side_supplies, &why.source_side_demands, &why.sink_side_supplies, &why.sink_side_demands];
    if lists != [&nodes(true, 1), &nodes(true, -1), &nodes(false, 1), &nodes(false, -1)] {
        return Err("the supply and demand nodes of each side are wrong".into());
    }
    if why.to_string().contains('\n') {
        return Err("the certificate takes more than one line".into());
    }
    Ok(())
}

fn random_network(rng: &mut ChaCha8Rng, big: bool) -> Network {
    let n = rng.gen_range(1..=10);
    let mut net = Network::with_nodes(n);
    let (cap_max, cost_max, supply_max) =
        if big { (1_000_000_000i64, 1_000_000_000i64, 1_000_000_000i64) } else { (20, 10, 15) };
    for _ in 0..rng.gen_range(0..=3 * n + 4) {
        // Self-loops, parallel arcs, zero capacities and zero costs are all allowed.
        let (a, b) = (rng.gen_range(0..n), rng.gen_range(0..n));
        let cap = rng.gen_range(0..=cap_max);
        let cost = if rng.gen_bool(0.1) { 0 } else { rng.gen_range(-cost_max..=cost_max) };
        let lower = if rng.gen_bool(0.2) { rng.gen_range(0..=cap / 2) } else { 0 };
        net.add_bounded_arc(a, b, lower, cap, cost);
    }
    for _ in 0..rng.gen_range(0..=3) {
        let (a, b) = (rng.gen_range(0..n), rng.gen_range(0..n));
        let s = rng.gen_range(0..=supply_max);
        net.supply[a] += s;
        net.supply[b] -= s;
    }
    if rng.gen_bool(0.05) {
        net.supply[0] += 1;
    }
    net
}

#[test]
fn successive_shortest_paths_agree_with_network_simplex() {
    let mut rng = ChaCha8Rng::seed_from_u64(0xF10);
    let (mut optimal, mut infeasible, mut unbalanced, mut bounded) = (0, 0, 0, 0);
    for case in 0..3000 {
        let net = random_network(&mut rng, case % 3 == 2);
        let mut text = Vec::new();
        net.write_dimacs(&mut text, "case").unwrap();
        let text = String::from_utf8(text).unwrap();
        let balance: i64 = net.supply.iter().sum();
        match (mcf::solve(&net), min_cost(&net)) {
            (Ok(sol), Some(cost)) => {
                assert_eq!(sol.cost, cost, "case {case}: simplex cost differs from the oracle's\n{text}");
                check_flow(&net, &sol).unwrap_or_else(|e| panic!("case {case}: {e}\n{text}"));
                optimal += 1;
                bounded += usize::from(net.has_lower_bounds());
            }
            (Err(FlowError::Infeasible(why)), None) => {
                check_certificate(&net, &why).unwrap_or_else(|e| panic!("case {case}: {e}\n{why}\n{text}"));
                infeasible += 1;
            }
            (Err(FlowError::Unbalanced { supply, demand }), None) => {
                assert_eq!(supply - demand, i128::from(balance), "case {case}");
                unbalanced += 1;
            }
            (got, want) => panic!("case {case}: simplex {got:?}, oracle {want:?}\n{text}"),
        }
        if balance == 0 {
            // The library's own DIMACS writer and the oracle's reader agree.
            assert_eq!(parse_dimacs(&text), net, "case {case}");
        }
    }
    eprintln!(
        "3000 networks: {optimal} optimal ({bounded} with lower bounds), {infeasible} infeasible, {unbalanced} unbalanced"
    );
    assert!(optimal > 1000 && bounded > 300 && infeasible > 300 && unbalanced > 50);
}

/// Hand-checked networks, including a negative cycle that an optimum must saturate and an arc whose lower bound
/// forces flow round a cycle.
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
    assert!(matches!(mcf::solve(&net), Err(FlowError::Infeasible(_))));

    // 2 → 0 must carry 4 at cost 10 each, and the 4 units go back round 0 → 1 → 2.
    let mut net = Network::with_nodes(3);
    net.add_arc(0, 1, 9, 1);
    net.add_arc(1, 2, 9, 1);
    net.add_bounded_arc(2, 0, 4, 6, 10);
    assert_eq!(min_cost(&net), Some(48));
    let sol = mcf::solve(&net).unwrap();
    assert_eq!((sol.cost, sol.flow.clone()), (48, vec![4, 4, 4]));
    check_flow(&net, &sol).unwrap();
    // With room for only 3 on 1 → 2, the cycle cannot close: nodes 0 and 1 take in 4 and can send out 3.
    net.capacity[1] = 3;
    let Err(FlowError::Infeasible(why)) = mcf::solve(&net) else { panic!() };
    check_certificate(&net, &why).unwrap();
    assert_eq!((why.source_side.clone(), why.forced_in, why.out_capacity, why.shortfall()), (vec![0, 1], 4, 3, 1));
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

/// Generated transshipment networks: the feasible ones solve to the oracle's optimum, the infeasible ones give a
/// certificate that is a real cut.
#[test]
fn generated_transshipment_networks() {
    for seed in 0..6 {
        let mut shape = Transshipment::netgen(60);
        let net = shape.generate(seed);
        let sol = mcf::solve(&net).unwrap();
        assert_eq!(Some(sol.cost), min_cost(&net), "seed {seed}");
        check_flow(&net, &sol).unwrap();
        shape.feasible = false;
        let net = shape.generate(seed);
        let Err(FlowError::Infeasible(why)) = mcf::solve(&net) else { panic!("seed {seed}: feasible") };
        check_certificate(&net, &why).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    }
    let mut shape = Transshipment::netgen(4_096);
    shape.feasible = false;
    let net = shape.generate(1);
    let Err(FlowError::Infeasible(why)) = mcf::solve(&net) else { panic!("feasible") };
    check_certificate(&net, &why).unwrap();
}

#[test]
fn generated_grids() {
    // Square and long grids, small enough for the oracle: the simplex's optimum is the oracle's, and certified.
    for seed in 0..6 {
        for shape in [Grid::square(64), Grid::long(96)] {
            let net = shape.generate(seed);
            let sol = mcf::solve(&net).unwrap();
            assert_eq!(Some(sol.cost), min_cost(&net), "{shape:?} seed {seed}");
            check_flow(&net, &sol).unwrap();
        }
    }
}
