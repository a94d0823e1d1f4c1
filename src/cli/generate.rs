//! `poa-match generate`: write a synthetic, seeded batch (needs.csv and offers.csv) calibrated to DOMAIN.md.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use poa_match::generate::{GenerateConfig, generate};
use poa_match::io::atomic::{create_out_dir, write_file};
use poa_match::io::write_inputs::{write_needs_csv, write_offers_csv};
use poa_match::model::group_thousands;

use super::ReferenceArgs;

/// Arguments of `generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Number of needs to write.
    #[arg(long, value_name = "N", default_value_t = 60,
          value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    needs: u32,
    /// Number of offers to write. Up to 15 offers give a batch shaped like the bundled sample; larger batches
    /// get narrower offers, about 20 eligible offers per need.
    #[arg(long, value_name = "M", default_value_t = 13,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    offers: u32,
    /// Seed: the same seed, sizes and flags give byte-identical files on any machine.
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// Directory to write needs.csv and offers.csv into (created if missing; existing files are replaced).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// No integer rules: every need partial without a minimum award, no offer floors, award limits or
    /// cofinancing bans (the allocation is then a pure min-cost flow).
    #[arg(long)]
    partial_only: bool,
    #[command(flatten)]
    reference: ReferenceArgs,
}

pub fn run(args: GenerateArgs) -> anyhow::Result<ExitCode> {
    let reference = args.reference.load()?;
    let config = GenerateConfig {
        needs: args.needs as usize,
        offers: args.offers as usize,
        seed: args.seed,
        partial_only: args.partial_only,
    };
    let batch = generate(&config, &reference);
    if batch.needs.is_empty() {
        return Err(poa_match::Error::usage(
            "the reference tables have no `target` commitment or no country in an M49 region, so no need can be generated",
        )
        .into());
    }
    create_out_dir(&args.out)?;
    let needs_path = args.out.join("needs.csv");
    let offers_path = args.out.join("offers.csv");
    write_file(&needs_path, |w| write_needs_csv(&batch.needs, &reference, w))?;
    write_file(&offers_path, |w| write_offers_csv(&batch.offers, &reference, w))?;
    let demand: i128 = batch.needs.iter().map(|n| i128::from(n.amount.get())).sum();
    let supply: i128 = batch.offers.iter().map(|o| i128::from(o.envelope.get())).sum();
    writeln!(
        std::io::stdout().lock(),
        "wrote {} needs ({} USD requested) to {} and {} offers ({} USD in envelopes, {:.2} of demand) to {} (seed {})",
        batch.needs.len(),
        group_thousands(demand),
        needs_path.display(),
        batch.offers.len(),
        group_thousands(supply),
        supply as f64 / (demand.max(1)) as f64,
        offers_path.display(),
        config.seed
    )?;
    Ok(ExitCode::SUCCESS)
}
