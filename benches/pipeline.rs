//! The stages of `poa-match match` at three sizes, on batches from the seeded generator:
//! reading needs.csv and offers.csv, building the eligibility graph, and solving the flow relaxation
//! (a `--partial-only` batch, so the solve is one min-cost flow). Sizes are in the bench names
//! (`needs x offers`); run with `cargo bench --bench pipeline`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use poa_match::catalog::Reference;
use poa_match::generate::{GenerateConfig, generate};
use poa_match::graph;
use poa_match::io::write_inputs::{write_needs_csv, write_offers_csv};
use poa_match::io::{ReadOptions, read_needs, read_offers};
use poa_match::model::Batch;
use poa_match::objective::Weights;
use poa_match::solve::relaxation;

const SIZES: [(usize, usize); 3] = [(1_000, 100), (5_000, 500), (20_000, 2_000)];

fn batch(needs: usize, offers: usize) -> Batch {
    generate(&GenerateConfig { needs, offers, seed: 1, partial_only: true }, Reference::embedded())
}

fn reading(c: &mut Criterion) {
    let reference = Reference::embedded();
    let mut group = c.benchmark_group("read");
    group.sample_size(10);
    for (n, m) in SIZES {
        let b = batch(n, m);
        let mut needs = Vec::new();
        let mut offers = Vec::new();
        write_needs_csv(&b.needs, reference, &mut needs).expect("in-memory write");
        write_offers_csv(&b.offers, reference, &mut offers).expect("in-memory write");
        group.throughput(Throughput::Bytes((needs.len() + offers.len()) as u64));
        group.bench_with_input(BenchmarkId::from_parameter(format!("{n}x{m}")), &(needs, offers), |bench, (nb, ob)| {
            bench.iter(|| {
                let options = ReadOptions::default();
                let needs = read_needs("needs.csv", &nb[..], reference, options).expect("generated needs are valid");
                let offers =
                    read_offers("offers.csv", &ob[..], reference, options).expect("generated offers are valid");
                (needs.len(), offers.len())
            })
        });
    }
    group.finish();
}

fn building(c: &mut Criterion) {
    let reference = Reference::embedded();
    let mut group = c.benchmark_group("build_graph");
    group.sample_size(10);
    for (n, m) in SIZES {
        let b = batch(n, m);
        let edges = graph::build(&b, reference, &Weights::default()).edges.len();
        group.throughput(Throughput::Elements(edges as u64));
        group.bench_with_input(BenchmarkId::from_parameter(format!("{n}x{m}")), &b, |bench, b| {
            bench.iter(|| graph::build(b, reference, &Weights::default()).edges.len())
        });
    }
    group.finish();
}

fn solving(c: &mut Criterion) {
    let reference = Reference::embedded();
    let mut group = c.benchmark_group("solve_relaxation");
    group.sample_size(10);
    for (n, m) in SIZES {
        let b = batch(n, m);
        let g = graph::build(&b, reference, &Weights::default());
        group.throughput(Throughput::Elements(g.edges.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(format!("{n}x{m}")), &(b, g), |bench, (b, g)| {
            bench.iter(|| relaxation::solve(b, g).expect("the relaxation is always feasible").objective)
        });
    }
    group.finish();
}

criterion_group!(benches, reading, building, solving);
criterion_main!(benches);
