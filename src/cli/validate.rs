//! `poa-match validate`: read a pair of input files (and a ledger, if given) and say whether they are good.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use poa_match::error::Result;
use poa_match::io::LedgerFile;
use poa_match::io::rates::{RatesFile, rates_used};
use poa_match::model::{AwardStatus, Requester, group_thousands};

use super::{InputArgs, counted};

/// Arguments of `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    input: InputArgs,
    /// A ledger of awards (ledger.csv, docs/spec.md §9) to check as well.
    #[arg(long, value_name = "FILE")]
    ledger: Option<PathBuf>,
}

pub fn run(args: ValidateArgs) -> anyhow::Result<ExitCode> {
    let reference = args.input.reference.load()?;
    let (loaded, ledger) = super::with_ledger::load_batch_with_ledger(&args.input, &reference, args.ledger.as_deref())?;
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
    if loaded.bundled {
        writeln!(out, "{}", super::bundled_sample_line())?;
    }
    writeln!(
        out,
        "{}: {} from {} and {}, {} USD requested",
        loaded.needs_info.path,
        counted(batch.needs.len(), "need"),
        counted(states.len(), "State"),
        counted(orgs.len(), "regional organisation"),
        group_thousands(requested)
    )?;
    writeln!(
        out,
        "{}: {} from {}, {} USD in envelopes",
        loaded.offers_info.path,
        counted(batch.offers.len(), "offer"),
        counted(donors.len(), "donor"),
        group_thousands(offered)
    )?;
    if let Some(ledger) = &ledger {
        write_ledger_summary(&mut out, ledger)?;
    }
    if let Some(rates) = &loaded.rates {
        write_rates_summary(&mut out, rates)?;
    }
    writeln!(out, "ok: no errors")?;
    Ok(ExitCode::SUCCESS)
}

/// One line on the rates file, and one per rate that converted rows: a rate with a slipped digit shows here
/// before it shows in the outputs.
fn write_rates_summary(out: &mut impl Write, rates: &RatesFile) -> Result<(), std::io::Error> {
    let used = rates_used(&rates.rates);
    writeln!(out, "{}: {}, {} used", rates.info.path, counted(rates.rates.all().len(), "rate"), used.len())?;
    for rate in used {
        writeln!(
            out,
            "  {} at {} USD ({}, {}): {} converted, rounded down to whole dollars",
            rate.currency,
            rate.usd_per_unit,
            rate.date,
            rate.source,
            counted(rate.rows as usize, "row")
        )?;
    }
    Ok(())
}

/// One line on the ledger: its awards and rounds, and the money at each stage that binds later rounds.
fn write_ledger_summary(out: &mut impl Write, ledger: &LedgerFile) -> Result<(), std::io::Error> {
    let awards = &ledger.ledger.awards;
    let rounds: BTreeSet<&str> = awards.iter().map(|a| a.round.as_str()).collect();
    let sum = |statuses: &[AwardStatus]| -> i128 {
        awards.iter().filter(|a| statuses.contains(&a.status)).map(|a| i128::from(a.amount.get())).sum()
    };
    writeln!(
        out,
        "{}: {} from {}, {} USD committed or disbursed, {} USD pledged",
        ledger.label,
        counted(awards.len(), "award"),
        counted(rounds.len(), "round"),
        group_thousands(sum(&[AwardStatus::Committed, AwardStatus::Disbursed])),
        group_thousands(sum(&[AwardStatus::Pledged]))
    )
}
