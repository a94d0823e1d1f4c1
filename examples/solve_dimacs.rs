//! Solves a DIMACS min-cost-flow file (such as `poa-match match --export-network FILE` writes) with the
//! network simplex of the `mcf` crate and prints the optimum, the pivots and the time: the engine's side of a
//! comparison with any other min-cost-flow solver on the same network.
//!
//! ```sh
//! cargo run --release --example solve_dimacs -- net.dimacs
//! ```

use std::io::BufReader;
use std::time::Instant;

use mcf::Network;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: solve_dimacs FILE")?;
    let started = Instant::now();
    let net = Network::read_dimacs(BufReader::new(std::fs::File::open(&path)?))?;
    let read_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let solution = mcf::solve(&net).map_err(|e| e.to_string())?;
    let solve_s = started.elapsed().as_secs_f64();
    println!(
        "nodes {} arcs {} min_cost {} pivots {} read_s {read_s:.3} solve_s {solve_s:.3}",
        net.node_count(),
        net.arc_count(),
        solution.cost,
        solution.pivots
    );
    Ok(())
}
