//! Writes a generated batch and a ledger of awards drawn over it (needs.csv, offers.csv, ledger.csv), for timing
//! `poa-match track` on a large ledger. Used for BENCHMARKS.md:
//!
//! ```text
//! cargo run --release --example track_ledger -- /tmp/track-100k 20000 2000 100000
//! /usr/bin/time -v target/release/poa-match track --ledger /tmp/track-100k/ledger.csv \
//!     --needs /tmp/track-100k/needs.csv --offers /tmp/track-100k/offers.csv --as-of 2015-01-01 \
//!     --out /tmp/track-100k/out
//! ```
//!
//! Arguments: the folder, then needs, offers and awards (defaults 20 000, 2 000, 100 000), then the seed (1).

use std::path::PathBuf;

use poa_match::catalog::Reference;
use poa_match::generate::{GenerateConfig, draw_ledger, generate};
use poa_match::io::atomic::{create_out_dir, write_file};
use poa_match::io::write_inputs::{write_needs_csv, write_offers_csv};
use poa_match::io::write_ledger;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first().map(PathBuf::from) else {
        return Err("usage: track_ledger DIR [NEEDS [OFFERS [AWARDS [SEED]]]]".into());
    };
    let number = |i: usize, default: u64| -> Result<u64, Box<dyn std::error::Error>> {
        Ok(args.get(i).map(|a| a.parse::<u64>()).transpose()?.unwrap_or(default))
    };
    let (needs, offers, awards, seed) = (number(1, 20_000)?, number(2, 2_000)?, number(3, 100_000)?, number(4, 1)?);
    let reference = Reference::embedded();
    let config = GenerateConfig { needs: needs as usize, offers: offers as usize, seed, partial_only: false };
    let batch = generate(&config, reference);
    let ledger = draw_ledger(&batch, awards as usize, seed);
    create_out_dir(&dir)?;
    write_file(&dir.join("needs.csv"), |w| write_needs_csv(&batch.needs, reference, w))?;
    write_file(&dir.join("offers.csv"), |w| write_offers_csv(&batch.offers, reference, w))?;
    write_file(&dir.join("ledger.csv"), |mut w| write_ledger(b"", &ledger.awards, &mut w))?;
    println!(
        "wrote {} needs, {} offers and {} awards to {}",
        batch.needs.len(),
        batch.offers.len(),
        ledger.awards.len(),
        dir.display()
    );
    Ok(())
}
