use poa_match::catalog::Reference;
use poa_match::io::{ReadOptions, read_batch};
use poa_match::objective::Weights;
use poa_match::simulate::{self, StudyOptions, draw};
use std::path::Path;
fn main() {
    let r = Reference::embedded();
    let b =
        read_batch(Path::new("data/sample/needs.csv"), Path::new("data/sample/offers.csv"), r, ReadOptions::default())
            .unwrap();
    let text = std::fs::read_to_string("data/sample/scenarios.toml").unwrap();
    let study = poa_match::scenario::parse("s", &text).unwrap();
    let opts = StudyOptions {
        method: "optimal".into(),
        node_limit: 20000,
        weights: Weights::default(),
        lang: "en".into(),
        format: "csv".into(),
        excel: false,
    };
    let prep = simulate::prepare(&study, &b, r, Path::new("data/sample"), ReadOptions::default(), &opts).unwrap();
    let mode = std::env::args().nth(1).unwrap_or_default();
    let mut p = prep[0].clone();
    for n in p.batch.needs.iter_mut() {
        if mode.contains("noaon") {
            n.funding_mode = poa_match::model::FundingMode::Partial;
        }
        if mode.contains("nomin") {
            n.min_award = None;
        }
    }
    for o in p.batch.offers.iter_mut() {
        if mode.contains("nomax") {
            o.max_awards = None;
        }
        if mode.contains("nofloor") {
            o.floor_per_need = None;
        }
        if mode.contains("cofin") {
            o.allow_cofinance = true;
        }
    }
    let p = &p;
    let mut env = vec![poa_match::model::Usd(0); p.batch.offers.len()];
    let mut times = vec![];
    for i in 0..200u32 {
        draw::realise(p, study.seed, 0, i, &mut env);
        let mut b2 = p.batch.clone();
        for (o, e) in b2.offers.iter_mut().zip(&env) {
            o.envelope = *e;
        }
        let g = poa_match::graph::build(&b2, r, &Weights::default());
        let t = std::time::Instant::now();
        let s = poa_match::solve::solve(&b2, &g, poa_match::solve::Method::Optimal, opts.limits()).unwrap();
        times.push((t.elapsed().as_secs_f64() * 1000.0, s.nodes, i));
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = times.len();
    println!("median {:?} p90 {:?} max {:?}", times[n / 2], times[n * 9 / 10], times[n - 1]);
    let total: f64 = times.iter().map(|t| t.0).sum();
    println!("total ms {total:.0}, mean {:.2}", total / n as f64);
    for t in &times[n - 8..] {
        println!("{t:?}");
    }
}
