//! Reads a DIMACS min-cost-flow file and times the feasibility check alone and the whole solve (which makes the
//! same check first) on it.
//!
//! ```sh
//! cargo run --release -p mcf --example dimacs -- FILE
//! ```

use std::io::BufReader;
use std::time::Instant;

use mcf::Network;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: dimacs FILE")?;
    let started = Instant::now();
    let net = Network::read_dimacs(BufReader::new(std::fs::File::open(&path)?))?;
    let read_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let checked = mcf::check_feasible(&net);
    let check_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let solved = mcf::solve(&net);
    let solve_s = started.elapsed().as_secs_f64();
    print!(
        "nodes {} arcs {} read_s {read_s:.3} check_s {check_s:.3} solve_s {solve_s:.3} ",
        net.node_count(),
        net.arc_count()
    );
    match (checked, solved) {
        (_, Ok(sol)) => println!("min_cost {} pivots {}", sol.cost, sol.pivots),
        (_, Err(e)) => println!("{e}"),
    }
    Ok(())
}
