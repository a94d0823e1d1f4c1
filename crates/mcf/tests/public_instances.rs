//! Public instances with published optima, solved in `cargo test`: OR-Library's assignment problem `assign100`
//! and networkx's `netgen-2`. Where each file comes from, its hash and its optimum are in `tests/data/README.md`.
//! Each optimum is also checked by its certificate (bounds, conservation, reduced costs), so a wrong flow that
//! happened to cost the published figure would still fail.

use std::io::BufReader;
use std::path::PathBuf;

use mcf::{FlowSolution, Network, solve};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

/// An OR-Library assignment file (`n`, then the n×n costs row by row, in any layout of whitespace) as a network:
/// one source of supply 1 per row, one sink of demand 1 per column, an arc of capacity 1 for each pair.
fn orlib_assignment(text: &str) -> Network {
    let numbers: Vec<i64> = text.split_ascii_whitespace().map(|w| w.parse().expect("an integer")).collect();
    let n = numbers[0] as usize;
    assert_eq!(numbers.len(), 1 + n * n, "an n×n cost matrix after n");
    let mut net = Network::with_nodes(2 * n);
    for i in 0..n {
        net.supply[i] = 1;
        net.supply[n + i] = -1;
        for j in 0..n {
            net.add_arc(i, n + j, 1, numbers[1 + i * n + j]);
        }
    }
    net
}

/// Bounds, conservation and complementary slackness: what makes `sol` optimal whatever its cost.
fn assert_certified(net: &Network, sol: &FlowSolution) {
    let mut balance: Vec<i128> = net.supply.iter().map(|&s| i128::from(s)).collect();
    for e in 0..net.arc_count() {
        let (f, low, cap) = (sol.flow[e], net.lower[e], net.capacity[e]);
        assert!((low..=cap).contains(&f), "arc {e}: flow {f} outside {low}..={cap}");
        let (u, v) = (net.from[e] as usize, net.to[e] as usize);
        balance[u] -= i128::from(f);
        balance[v] += i128::from(f);
        let reduced = net.cost[e] + sol.potential[u] - sol.potential[v];
        assert!(!(reduced < 0 && f < cap || reduced > 0 && f > low), "arc {e}: reduced cost {reduced}, flow {f}");
    }
    assert!(balance.iter().all(|&b| b == 0), "the flow does not meet the supplies");
    assert_eq!(sol.cost, net.cost_of(&sol.flow));
}

#[test]
fn orlib_assign100_reaches_its_published_optimum() {
    let net = orlib_assignment(&std::fs::read_to_string(data("assign100.txt")).unwrap());
    assert_eq!((net.node_count(), net.arc_count()), (200, 10_000));
    let sol = solve(&net).unwrap();
    assert_certified(&net, &sol);
    assert_eq!(sol.cost, 305);
    // An assignment: every row sends its one unit along exactly one arc.
    assert_eq!(sol.flow.iter().filter(|&&f| f == 1).count(), 100);
}

#[test]
fn networkx_netgen_2_reaches_its_published_optimum() {
    let file = std::fs::File::open(data("netgen-2.dimacs")).unwrap();
    let net = Network::read_dimacs(BufReader::new(file)).unwrap();
    assert_eq!((net.node_count(), net.arc_count()), (400, 1_416));
    let sol = solve(&net).unwrap();
    assert_certified(&net, &sol);
    assert_eq!(sol.cost, 6_749_969_302);
}

#[test]
fn the_fixtures_round_trip_through_the_dimacs_writer() {
    // The writer and reader agree on the public files too: the solver sees the same network from either form.
    let assignment = orlib_assignment(&std::fs::read_to_string(data("assign100.txt")).unwrap());
    let mut text = Vec::new();
    assignment.write_dimacs(&mut text, "OR-Library assign100").unwrap();
    assert_eq!(Network::read_dimacs(&text[..]).unwrap(), assignment);
}
