//! Criterion benches of the network simplex on seeded networks built here:
//!
//! - `solve/transport/SxT`: S sources, T transit nodes and one hub with all the demand (each source reaches a
//!   few transit nodes and the hub directly), the shape the hub start is made for;
//! - `solve/random/N`: N nodes, 8·N random arcs and several demand nodes, which start from the artificial basis;
//! - `solve/transshipment/N`, `solve/grid-square/N` and `solve/grid-long/N`: the seeded general families of
//!   [`mcf::generate`] ([`Transshipment::netgen`], [`Grid::square`], [`Grid::long`]);
//! - `warm/transport/SxT`: a [`WarmSimplex`] at its optimum, re-optimised after five arc costs change;
//! - `check/transshipment/N` and `check/infeasible/N`: the feasibility check alone ([`mcf::check_feasible`]) on a
//!   NETGEN-style network of N nodes ([`Transshipment::netgen`]), feasible and infeasible by construction.
//!
//! ```sh
//! cargo bench -p mcf --bench simplex
//! ```

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use mcf::generate::{Grid, Transshipment};
use mcf::{Network, WarmSimplex};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Sources with supply, each with arcs into up to 20 transit nodes (negative costs: gains), transit nodes with an
/// arc into the hub, and each source's direct arc into the hub at cost 0 for what it does not send on.
fn transport(sources: usize, transits: usize, seed: u64) -> Network {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let hub = sources + transits;
    let mut net = Network::with_nodes(hub + 1);
    let mut total = 0;
    for s in 0..sources {
        let supply = rng.gen_range(1..=1_000);
        net.supply[s] = supply;
        total += supply;
        for _ in 0..transits.min(20) {
            let t = sources + rng.gen_range(0..transits);
            net.add_arc(s, t, rng.gen_range(1..=supply), -rng.gen_range(1..=10_000));
        }
    }
    let per_transit = (total / transits as i64).max(1);
    for t in 0..transits {
        net.add_arc(sources + t, hub, rng.gen_range(1..=2 * per_transit), 0);
    }
    for s in 0..sources {
        net.add_arc(s, hub, net.supply[s], 0);
    }
    net.supply[hub] = -total;
    net
}

/// `nodes` nodes, 8 arcs per node between random ends, a two-way ring that keeps every supply routable, and
/// supplies moved between random pairs of nodes.
fn random(nodes: usize, seed: u64) -> Network {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut net = Network::with_nodes(nodes);
    for _ in 0..8 * nodes {
        let (a, b) = (rng.gen_range(0..nodes), rng.gen_range(0..nodes));
        net.add_arc(a, b, rng.gen_range(0..=100), rng.gen_range(-100..=1_000));
    }
    for u in 0..nodes {
        let v = (u + 1) % nodes;
        net.add_arc(u, v, 1_000_000, 5_000);
        net.add_arc(v, u, 1_000_000, 5_000);
    }
    for _ in 0..nodes / 4 {
        let (a, b) = (rng.gen_range(0..nodes), rng.gen_range(0..nodes));
        let amount = rng.gen_range(1..=100);
        net.supply[a] += amount;
        net.supply[b] -= amount;
    }
    net
}

fn bench_solve(c: &mut Criterion) {
    let mut group = c.benchmark_group("solve");
    group.sample_size(10);
    for (sources, transits) in [(1_000, 100), (4_000, 400)] {
        let net = transport(sources, transits, 1);
        group.bench_function(format!("transport/{sources}x{transits}"), |b| {
            b.iter(|| mcf::solve(&net).expect("feasible"))
        });
    }
    for nodes in [1_000, 4_000] {
        let net = random(nodes, 2);
        group.bench_function(format!("random/{nodes}"), |b| b.iter(|| mcf::solve(&net).expect("feasible")));
    }
    let families = [
        ("transshipment", Transshipment::netgen(4_096).generate(1)),
        ("grid-square", Grid::square(4_096).generate(1)),
        ("grid-long", Grid::long(4_096).generate(1)),
    ];
    for (name, net) in families {
        group.bench_function(format!("{name}/4096"), |b| b.iter(|| mcf::solve(&net).expect("feasible")));
    }
    group.finish();
}

fn bench_warm(c: &mut Criterion) {
    let mut group = c.benchmark_group("warm");
    for (sources, transits) in [(1_000, 100), (4_000, 400)] {
        let net = transport(sources, transits, 3);
        let mut warm = WarmSimplex::new(&net, 20_000).expect("valid");
        warm.optimise().expect("feasible");
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        group.bench_function(format!("transport/{sources}x{transits}"), |b| {
            b.iter_batched(
                || {
                    let changes: Vec<(usize, i64)> =
                        (0..5).map(|_| (rng.gen_range(0..net.arc_count()), -rng.gen_range(0..=20_000))).collect();
                    (warm.clone(), changes)
                },
                |(mut solver, changes)| {
                    for (arc, cost) in changes {
                        solver.set_cost(arc, cost);
                    }
                    solver.optimise().expect("feasible")
                },
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

fn bench_check(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    for feasible in [true, false] {
        let mut shape = Transshipment::netgen(65_536);
        shape.feasible = feasible;
        let net = shape.generate(1);
        let name = if feasible { "transshipment" } else { "infeasible" };
        group.bench_function(format!("{name}/65536"), |b| b.iter(|| mcf::check_feasible(&net).is_ok()));
    }
    group.finish();
}

criterion_group!(benches, bench_solve, bench_warm, bench_check);
criterion_main!(benches);
