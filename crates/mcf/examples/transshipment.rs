//! Generates a NETGEN-style transshipment network ([`mcf::generate::Transshipment::netgen`]), or with `--grid`
//! a square or long grid ([`mcf::generate::Grid`]), and times the feasibility check and the solve on it;
//! optionally writes it in DIMACS form, to time another build or another solver on the same network.
//!
//! ```sh
//! cargo run --release -p mcf --example transshipment -- NODES [--grid square|long] [--seed S] [--infeasible] \
//!     [--no-solve] [--write FILE]
//! ```

use std::time::Instant;

use mcf::generate::{Grid, Transshipment};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: transshipment NODES [--grid square|long] [--seed S] [--infeasible] [--no-solve] [--write FILE]";
    let nodes: usize = args.first().ok_or(usage)?.parse()?;
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|k| args.get(k + 1));
    let seed: u64 = value("--seed").map_or(Ok(1), |s| s.parse())?;
    let infeasible = args.iter().any(|a| a == "--infeasible");
    let (net, name) = match value("--grid").map(String::as_str) {
        None => {
            let mut shape = Transshipment::netgen(nodes);
            shape.feasible = !infeasible;
            (shape.generate(seed), format!("Transshipment::netgen({nodes})"))
        }
        Some(kind) => {
            if infeasible {
                return Err("grids are feasible by construction: --infeasible is for transshipment networks".into());
            }
            let shape = match kind {
                "square" => Grid::square(nodes),
                "long" => Grid::long(nodes),
                _ => return Err(usage.into()),
            };
            (shape.generate(seed), format!("Grid::{kind}({nodes}), {} x {}", shape.rows, shape.columns))
        }
    };
    println!("{name} seed {seed}: nodes {} arcs {}", net.node_count(), net.arc_count());
    if let Some(path) = value("--write") {
        let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
        net.write_dimacs(&mut out, &format!("{name} seed {seed}"))?;
    }
    let started = Instant::now();
    let checked = mcf::check_feasible(&net);
    println!(
        "check_s {:.3} {}",
        started.elapsed().as_secs_f64(),
        checked.as_ref().map_or_else(|e| e.to_string(), |()| "feasible".into())
    );
    if !args.iter().any(|a| a == "--no-solve") {
        let started = Instant::now();
        match mcf::solve(&net) {
            Ok(sol) => {
                println!("solve_s {:.3} min_cost {} pivots {}", started.elapsed().as_secs_f64(), sol.cost, sol.pivots)
            }
            Err(e) => println!("solve_s {:.3} {e}", started.elapsed().as_secs_f64()),
        }
    }
    Ok(())
}
