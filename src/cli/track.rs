//! `poa-match track`: the follow-up of a ledger of awards against a batch, as of a date given on the command line
//! (docs/spec.md §9). Reads the ledger and the batch, computes, writes the five tables, track.html and track.json
//! into `--out`, and prints a short summary.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use poa_match::io::atomic::Committed;
use poa_match::model::{Date, group_thousands};
use poa_match::run::folder::FolderKind;
use poa_match::run::track::{TrackOutput, write};
use poa_match::track::record::{TrackInfo, TrackInputs, TrackRunOptions, TrackTotals};
use poa_match::track::{DEFAULT_STALE_DAYS, Track, TrackOptions, track};

use super::InputArgs;
use super::match_cmd::OutputStyleArgs;

/// Arguments of `track`.
#[derive(Debug, Args)]
pub struct TrackArgs {
    /// ledger.csv: one row per award with its current status (docs/spec.md §9).
    #[arg(long, value_name = "FILE")]
    ledger: PathBuf,
    #[command(flatten)]
    input: InputArgs,
    /// The date of the follow-up, YYYY-MM-DD: every age is counted to it (never to today's date, so the same
    /// inputs give the same outputs).
    #[arg(long, value_name = "DATE", value_parser = poa_match::records::fields::date)]
    as_of: Date,
    /// Follow up a proposal not pledged this many days after its status date.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_STALE_DAYS,
          value_parser = clap::value_parser!(u32).range(0..=36_600))]
    stale_days: u32,
    /// Directory for the outputs (created if missing).
    #[arg(long, value_name = "DIR", default_value = "out/track")]
    out: PathBuf,
    #[command(flatten)]
    style: OutputStyleArgs,
}

pub fn run(args: TrackArgs) -> anyhow::Result<ExitCode> {
    let (reference, tables) = args.input.reference.load_recorded()?;
    let (loaded, ledger) =
        super::with_ledger::load_batch_with_ledger(&args.input, &reference, Some(args.ledger.as_path()))?;
    let ledger = ledger.expect("a ledger was named");
    poa_match::run::folder::check(&args.out, &FolderKind::Track.files(&args.out, args.style.output().format))?;
    let loaded_bundled = loaded.bundled;
    let track = track(&loaded.batch, &ledger.ledger, TrackOptions { as_of: args.as_of, stale_days: args.stale_days });
    let rates_used = poa_match::io::rates::rates_used(loaded.rates());
    let info = TrackInfo {
        version: env!("CARGO_PKG_VERSION"),
        inputs: TrackInputs {
            ledger: ledger.info(),
            needs: loaded.needs_info,
            offers: loaded.offers_info,
            commitments: tables.commitments,
            countries: tables.countries,
            regions: tables.regions,
            donors: tables.donors,
            rates: loaded.rates.as_ref().map(|file| file.info.clone()),
            rates_used,
        },
        options: TrackRunOptions {
            as_of: args.as_of.to_string(),
            stale_days: args.stale_days,
            lang: args.style.lang.lang(),
            format: args.style.format.into(),
            excel: args.style.excel,
            allow_extra_columns: args.input.allow_extra_columns,
            sheet: args.input.sheet.clone(),
        },
        totals: TrackTotals::of(&track),
    };
    let files = write(&TrackOutput {
        dir: &args.out,
        tables: args.style.output(),
        track: &track,
        info: &info,
        batch: &loaded.batch,
        reference: &reference,
    })?;
    if loaded_bundled {
        writeln!(std::io::stdout().lock(), "{}", super::bundled_sample_line())?;
    }
    print_summary(&track, &info, &args.out, &files)?;
    Ok(ExitCode::SUCCESS)
}

fn print_summary(track: &Track, info: &TrackInfo, out_dir: &std::path::Path, files: &Committed) -> anyhow::Result<()> {
    let t = &info.totals;
    let usd = group_thousands;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "as of {}: {} needs ({} met, {} partly, {} open); {} of {} USD requested still open",
        info.options.as_of,
        t.needs,
        t.needs_met,
        t.needs_partly,
        t.needs_open,
        usd(t.open_usd),
        usd(t.requested_usd)
    )?;
    let s = &track.ledger_totals;
    writeln!(
        out,
        "ledger: {} awards; {} USD pledged, {} committed, {} disbursed, {} proposed",
        s.awards,
        usd(s.pledged),
        usd(s.committed),
        usd(s.disbursed),
        usd(s.proposed)
    )?;
    let kinds: Vec<String> = track.followup_counts().iter().map(|(k, n)| format!("{n} {}", k.as_str())).collect();
    writeln!(out, "to follow up: {}", kinds.join(", "))?;
    writeln!(
        out,
        "awards outside the batch: {} by their need, {} by their offer; {} offers over-committed",
        t.awards_need_not_in_batch, t.awards_offer_not_in_batch, t.offers_over_committed
    )?;
    super::written::print(&mut out, out_dir, files)?;
    Ok(())
}
