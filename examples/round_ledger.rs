//! Writes a generated batch and the ledger of an earlier round over it (needs.csv, offers.csv, ledger.csv): the
//! awards of `match`'s allocation with default options, a year on, about half of the money committed or disbursed.
//! Add `greedy` after the seed for the greedy allocation instead, which takes no search. For timing
//! `poa-match match --ledger` against a plain match of the same batch (BENCHMARKS.md):
//!
//! ```sh
//! cargo run --release --example round_ledger -- /tmp/round-2000 2000 200 1
//! target/release/poa-match match --needs /tmp/round-2000/needs.csv --offers /tmp/round-2000/offers.csv \
//!     --ledger /tmp/round-2000/ledger.csv --out /tmp/round-2000/out
//! ```

use std::path::PathBuf;

use poa_match::catalog::Reference;
use poa_match::generate::{GenerateConfig, generate, round_ledger};
use poa_match::graph;
use poa_match::io::atomic::{create_out_dir, write_file};
use poa_match::io::write_inputs::{write_needs_csv, write_offers_csv};
use poa_match::io::write_ledger;
use poa_match::objective::Weights;
use poa_match::solve::{self, Limits, Method};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first().map(PathBuf::from) else {
        return Err("usage: round_ledger DIR [NEEDS [OFFERS [SEED [greedy]]]]".into());
    };
    let number = |i: usize, default: u64| -> Result<u64, Box<dyn std::error::Error>> {
        Ok(args.get(i).map(|a| a.parse::<u64>()).transpose()?.unwrap_or(default))
    };
    let (needs, offers, seed) = (number(1, 2_000)?, number(2, 200)?, number(3, 1)?);
    let reference = Reference::embedded();
    let config = GenerateConfig { needs: needs as usize, offers: offers as usize, seed, partial_only: false };
    let batch = generate(&config, reference);
    let graph = graph::build(&batch, reference, &Weights::default());
    let method = if args.get(4).is_some_and(|a| a == "greedy") { Method::Greedy } else { Method::Optimal };
    let solution = solve::solve(&batch, &graph, method, Limits::default())?;
    let allocation: Vec<(u32, u32, i64)> =
        graph.edges.iter().zip(&solution.amounts).map(|(e, &amount)| (e.need, e.offer, amount)).collect();
    let ledger = round_ledger(&batch, &allocation, seed);
    create_out_dir(&dir)?;
    write_file(&dir.join("needs.csv"), |w| write_needs_csv(&batch.needs, reference, w))?;
    write_file(&dir.join("offers.csv"), |w| write_offers_csv(&batch.offers, reference, w))?;
    write_file(&dir.join("ledger.csv"), |mut w| write_ledger(b"", &ledger.awards, &mut w))?;
    println!(
        "wrote {} needs, {} offers and {} awards of round 1 to {}",
        batch.needs.len(),
        batch.offers.len(),
        ledger.awards.len(),
        dir.display()
    );
    Ok(())
}
