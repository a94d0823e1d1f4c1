//! `poa-match validate`: read a pair of input files and say whether they are good.

use std::collections::BTreeSet;
use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use poa_match::model::{Requester, group_thousands};

use super::InputArgs;

/// Arguments of `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    input: InputArgs,
}

pub fn run(args: ValidateArgs) -> anyhow::Result<ExitCode> {
    let reference = args.input.reference.load()?;
    let loaded = super::load_batch(&args.input, &reference)?;
    let batch = &loaded.batch;
    let states: BTreeSet<&str> = batch
        .needs
        .iter()
        .filter(|n| matches!(n.requester, Requester::State(_)))
        .map(|n| n.requester_code.as_str())
        .collect();
    let orgs: BTreeSet<&str> = batch
        .needs
        .iter()
        .filter(|n| matches!(n.requester, Requester::RegionalOrg(_)))
        .map(|n| n.requester_code.as_str())
        .collect();
    let donors: BTreeSet<&str> = batch.offers.iter().map(|o| o.donor.as_str()).collect();
    let requested: i128 = batch.needs.iter().map(|n| i128::from(n.amount.get())).sum();
    let offered: i128 = batch.offers.iter().map(|o| i128::from(o.envelope.get())).sum();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{}: {} needs from {} States and {} regional organisations, {} USD requested",
        loaded.needs_info.path,
        batch.needs.len(),
        states.len(),
        orgs.len(),
        group_thousands(requested)
    )?;
    writeln!(
        out,
        "{}: {} offers from {} donors, {} USD in envelopes",
        loaded.offers_info.path,
        batch.offers.len(),
        donors.len(),
        group_thousands(offered)
    )?;
    writeln!(out, "ok: no errors")?;
    Ok(ExitCode::SUCCESS)
}
