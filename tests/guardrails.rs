//! The fairness guardrails of docs/spec.md §10 (`max_requester_share`, `flag_bonus`), against independent methods.
//!
//! - Brute force: on tiny random batches whose needs come from three requesters (two of them flagged LDC, LLDC or
//!   SIDS), every integer allocation is enumerated and kept when it passes the tests' own rule checker and a
//!   requester cap computed here from the batch (floor of the total envelopes times the share, per requester
//!   code). `Method::Optimal` must reach that optimum, with and without integer rules, the greedy baseline and a
//!   Monte Carlo draw's search must keep the cap, and the cap must bind in a good share of the cases.
//! - The edges' values carry `flag_bonus` exactly for flagged States.
//! - On the sample with `max_requester_share = 0.1`, through the binary, no requester receives more than 10 % of
//!   the total envelopes, and without the key some does.

mod common;

use std::collections::HashMap;

use common::batch::{Shape, check_allocation, random_batch, reference, value_of};
use common::{TestDir, csv_rows};
use poa_match::graph::{self, Graph};
use poa_match::model::{Batch, Requester};
use poa_match::objective::{RequesterShare, Weights};
use poa_match::solve::{self, DrawShare, Limits, Method, Status};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Most allocations one case may enumerate.
const LEAF_BUDGET: u64 = 200_000;

/// The cap of `percent` % on `batch`, per requester code, computed from the batch alone.
fn caps(batch: &Batch, percent: i64) -> i128 {
    let total: i128 = batch.offers.iter().map(|o| i128::from(o.envelope.get())).sum();
    total * i128::from(percent) / 100
}

/// Whether `amounts` give no requester more than `cap`.
fn within_cap(batch: &Batch, graph: &Graph, amounts: &[i64], cap: i128) -> Result<(), String> {
    let mut received: HashMap<&str, i128> = HashMap::new();
    for (e, &x) in graph.edges.iter().zip(amounts) {
        *received.entry(batch.needs[e.need as usize].requester_code.as_str()).or_default() += i128::from(x);
    }
    match received.iter().find(|&(_, &got)| got > cap) {
        Some((code, got)) => Err(format!("{code} receives {got}, above the cap {cap}")),
        None => Ok(()),
    }
}

/// Exhaustive search: the best value under every rule and the cap, and the best under the linear constraints
/// and the cap (the flow relaxation with the requester nodes).
struct Brute<'a> {
    batch: &'a Batch,
    graph: &'a Graph,
    cap: i128,
    x: Vec<i64>,
    leaves: u64,
    best: i128,
    best_linear: i128,
}

impl Brute<'_> {
    fn dfs(&mut self, k: usize) -> bool {
        if k == self.graph.edges.len() {
            self.leaves += 1;
            if self.leaves > LEAF_BUDGET {
                return false;
            }
            let v = value_of(self.graph, &self.x);
            // best ≤ best_linear: a value at most best changes neither.
            if v > self.best {
                let capped = within_cap(self.batch, self.graph, &self.x, self.cap).is_ok();
                let linear = capped && linear_ok(self.batch, self.graph, &self.x);
                if linear {
                    self.best_linear = self.best_linear.max(v);
                    if v > self.best && check_allocation(self.batch, self.graph, &self.x).is_ok() {
                        self.best = v;
                    }
                }
            }
            return true;
        }
        for v in 0..=self.graph.edges[k].upper {
            self.x[k] = v;
            if !self.dfs(k + 1) {
                return false;
            }
        }
        self.x[k] = 0;
        true
    }
}

/// Needs' amounts and offers' envelopes hold (the edges' limits hold by the enumeration).
fn linear_ok(batch: &Batch, graph: &Graph, x: &[i64]) -> bool {
    let mut got = vec![0i64; batch.needs.len()];
    let mut gave = vec![0i64; batch.offers.len()];
    for (e, &v) in graph.edges.iter().zip(x) {
        got[e.need as usize] += v;
        gave[e.offer as usize] += v;
    }
    got.iter().zip(&batch.needs).all(|(&g, n)| g <= n.amount.get())
        && gave.iter().zip(&batch.offers).all(|(&g, o)| g <= o.envelope.get())
}

#[derive(Debug, Default)]
struct Campaign {
    compared: usize,
    skipped: usize,
    cap_binds: usize,
}

fn campaign(integer_rules: bool, cases: usize, seed: u64) -> Campaign {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let shape = Shape { needs: (2, 4), offers: (1, 3), ..Shape::tiny(integer_rules) };
    let mut c = Campaign::default();
    while c.compared < cases {
        let batch = random_batch(&mut rng, &shape);
        if integer_rules != solve::has_integer_rules(&batch) {
            continue;
        }
        let percent = rng.gen_range(10..=60);
        let flag_bonus = [0, 3, 15][rng.gen_range(0..3)];
        let weights = Weights {
            max_requester_share: RequesterShare::from_fraction(percent as f64 / 100.0),
            flag_bonus,
            ..Weights::default()
        };
        let graph = graph::build(&batch, reference(), &weights);
        let cap = caps(&batch, percent);
        let mut brute = Brute {
            batch: &batch,
            graph: &graph,
            cap,
            x: vec![0; graph.edges.len()],
            leaves: 0,
            best: 0,
            best_linear: 0,
        };
        if !brute.dfs(0) {
            c.skipped += 1;
            continue;
        }
        let show = || {
            format!(
                "share {percent} %, bonus {flag_bonus}, cap {cap}\n{}\n{}",
                common::batch::needs_csv(&batch),
                common::batch::offers_csv(&batch)
            )
        };
        let optimal = solve::solve(&batch, &graph, Method::Optimal, Limits::default())
            .unwrap_or_else(|e| panic!("optimal failed: {e}\n{}", show()));
        assert_eq!(optimal.status, Status::Optimal, "{}", show());
        assert_eq!(optimal.objective, brute.best, "optimum {:?}\n{}", optimal.amounts, show());
        assert_eq!(optimal.relaxation, brute.best_linear, "relaxation\n{}", show());
        within_cap(&batch, &graph, &optimal.amounts, cap).unwrap_or_else(|e| panic!("{e}\n{}", show()));
        let greedy = solve::solve(&batch, &graph, Method::Greedy, Limits::default())
            .unwrap_or_else(|e| panic!("greedy failed: {e}\n{}", show()));
        within_cap(&batch, &graph, &greedy.amounts, cap).unwrap_or_else(|e| panic!("greedy: {e}\n{}", show()));
        check_allocation(&batch, &graph, &greedy.amounts).unwrap_or_else(|e| panic!("greedy: {e}\n{}", show()));
        assert!(greedy.objective <= optimal.objective, "{}", show());
        let draw = solve::solve_draw(&batch, &graph, Method::Optimal, Limits::default(), &mut DrawShare::default())
            .unwrap_or_else(|e| panic!("draw failed: {e}\n{}", show()));
        assert_eq!((draw.objective, draw.status), (optimal.objective, optimal.status), "draw\n{}", show());
        // Without the cap: the optimum can only be higher; count the cases where the cap is what binds.
        let free_graph = graph::build(&batch, reference(), &Weights { max_requester_share: None, ..weights });
        let free = solve::solve(&batch, &free_graph, Method::Optimal, Limits::default()).unwrap();
        assert!(free.objective >= optimal.objective, "{}", show());
        c.cap_binds += usize::from(free.objective > optimal.objective);
        c.compared += 1;
    }
    eprintln!("integer rules {integer_rules}: {c:?}");
    c
}

#[test]
fn the_capped_optimum_equals_brute_force_without_integer_rules() {
    let c = campaign(false, 300, 0xFA1E_0001);
    assert!(c.skipped * 5 < c.compared && c.cap_binds > 60, "{c:?}");
}

#[test]
fn the_capped_optimum_equals_brute_force_with_integer_rules() {
    let c = campaign(true, 300, 0xFA1E_0002);
    assert!(c.skipped * 5 < c.compared && c.cap_binds > 40, "{c:?}");
}

/// `flag_bonus` is added once to every edge of a flagged State's need, and never to an organisation's.
#[test]
fn the_flag_bonus_goes_to_flagged_states_only() {
    let mut rng = ChaCha8Rng::seed_from_u64(0xFA1E_0003);
    let bonus = Weights { flag_bonus: 7, ..Weights::default() };
    let (mut flagged, mut plain) = (0, 0);
    for _ in 0..200 {
        let batch = random_batch(&mut rng, &Shape::geo());
        let with = graph::build(&batch, reference(), &bonus);
        let without = graph::build(&batch, reference(), &Weights::default());
        assert_eq!(with.edges.len(), without.edges.len());
        for (a, b) in with.edges.iter().zip(&without.edges) {
            let is_flagged = match &batch.needs[a.need as usize].requester {
                Requester::State(c) => {
                    let country = reference().country(*c);
                    country.ldc || country.lldc || country.sids
                }
                Requester::RegionalOrg(_) => false,
            };
            assert_eq!(a.value, b.value + if is_flagged { 7 } else { 0 });
            if is_flagged { flagged += 1 } else { plain += 1 }
        }
    }
    assert!(flagged > 50 && plain > 50, "{flagged} {plain}");
}

/// The acceptance check of docs/spec.md §10 on the sample: with `max_requester_share = 0.1` no requester receives
/// more than 10 % of the total envelopes. No requester of the sample gets that much even without the key, so the
/// same is checked at 5 %, which does bind (the largest requester gets more without it).
#[test]
fn on_the_sample_no_requester_exceeds_its_share() {
    let dir = TestDir::new();
    let root = env!("CARGO_MANIFEST_DIR");
    let (needs, offers) = (format!("{root}/data/sample/needs.csv"), format!("{root}/data/sample/offers.csv"));
    let envelopes: i64 = csv_rows(&std::fs::read_to_string(&offers).unwrap())
        .iter()
        .map(|row| row["envelope_usd"].parse::<i64>().unwrap())
        .sum();
    let largest = |out: &str, share: Option<&str>| -> i64 {
        let mut args = vec!["match", "--needs", &needs, "--offers", &offers, "--out", out];
        let weights = share.map(|s| dir.write(&format!("{out}.toml"), format!("max_requester_share = {s}\n")));
        if let Some(path) = &weights {
            args.extend(["--weights", path.to_str().unwrap()]);
        }
        dir.run(&args).assert_success();
        let mut by_requester: HashMap<String, i64> = HashMap::new();
        for row in csv_rows(&dir.read(&format!("{out}/needs_status.csv"))) {
            *by_requester.entry(row["requester"].clone()).or_default() += row["allocated_usd"].parse::<i64>().unwrap();
        }
        by_requester.into_values().max().unwrap()
    };
    let tenth = largest("tenth", Some("0.1"));
    assert!(tenth * 10 <= envelopes, "{tenth} of {envelopes}");
    let twentieth = largest("twentieth", Some("0.05"));
    assert!(twentieth * 20 <= envelopes, "{twentieth} of {envelopes}");
    let free = largest("free", None);
    assert!(free * 20 > envelopes, "without the cap the largest requester gets {free} of {envelopes}");
}

/// A scenario may set weights of its own (docs/spec.md §10): with certain pledges, a scenario with
/// `max_requester_share` allocates what `match` allocates with the same key in its weights file, and a scenario
/// without one what `match` allocates without; a wrong key in the table is refused with its place.
#[test]
fn a_scenario_compares_guardrails_in_one_study() {
    let dir = TestDir::new();
    dir.write(
        "study.toml",
        "draws = 3\n[realisation]\nprobability = 1\nshare = 1\n[[scenario]]\nname = \"as is\"\n\
         [[scenario]]\nname = \"capped\"\n[scenario.weights]\nmax_requester_share = 0.05\nflag_bonus = 2\n",
    );
    dir.write("w.toml", "max_requester_share = 0.05\nflag_bonus = 2\n");
    dir.run(&["simulate", "--scenarios", "study.toml", "--out", "sim"]).assert_success();
    dir.run(&["match", "--out", "free"]).assert_success();
    dir.run(&["match", "--weights", "w.toml", "--out", "capped"]).assert_success();
    // Each scenario's allocation per need (certain pledges: every draw the same) is match's with its weights.
    let odds = csv_rows(&dir.read("sim/need_odds.csv"));
    for (scenario, out) in [("as is", "free"), ("capped", "capped")] {
        let status = csv_rows(&dir.read(&format!("{out}/needs_status.csv")));
        let mine: Vec<_> = odds.iter().filter(|row| row["scenario"] == scenario).collect();
        assert_eq!(mine.len(), status.len());
        for (o, s) in mine.iter().zip(&status) {
            assert_eq!(o["allocated_mean_usd"], format!("{}.00", s["allocated_usd"]), "{scenario} {}", s["need_id"]);
        }
    }
    assert_ne!(dir.read("free/needs_status.csv"), dir.read("capped/needs_status.csv"), "the cap binds at 5 %");

    dir.write("bad.toml", "draws = 3\n[[scenario]]\nname = \"x\"\n[scenario.weights]\nfit_colour = 1\n");
    let run = dir.run(&["simulate", "--scenarios", "bad.toml", "--out", "bad"]);
    run.assert_code(3).assert_stderr_contains("bad.toml:4:").assert_stderr_contains("fit_colour");
}
