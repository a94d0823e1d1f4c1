//! What `match` prints when it is done, for the person who ran it: first what they asked (the money allocated
//! and its share of the requests, the needs funded, partly funded and not), a round's locked and new money, then
//! where the report is; the solver's figures on one line for those who want them; and last the files written.

use std::io::Write;
use std::path::Path;

use poa_match::model::{LockLevel, group_thousands};
use poa_match::report::RunInfo;

use super::job::Done;

/// Prints the summary of a match run written into `out_dir`.
pub fn print(out: &mut impl Write, done: &Done, out_dir: &Path) -> std::io::Result<()> {
    let r = &done.run;
    if done.bundled {
        writeln!(out, "{}", super::bundled_sample_line())?;
    }
    writeln!(
        out,
        "allocated {} of {} USD requested ({})",
        group_thousands(r.allocated_usd),
        group_thousands(r.requested_usd),
        percent(r.allocated_usd, r.requested_usd),
    )?;
    let needs = &r.needs;
    let mut counts = format!("{} funded, {} partial, {} unfunded", needs.funded, needs.partial, needs.unfunded);
    if needs.locked_incomplete > 0 {
        counts.push_str(&format!(", {} locked_incomplete", needs.locked_incomplete));
    }
    writeln!(out, "needs: {counts} (of {})", needs.total)?;
    round_lines(out, r, out_dir)?;
    writeln!(out, "report: {}", out_dir.join("report.html").display())?;
    writeln!(
        out,
        "solver: method {}, status {}: objective {}, bound {}, gap {:.4} %; {} of {} and {}",
        r.method.as_str(),
        r.status.as_str(),
        group_thousands(r.objective),
        group_thousands(r.bound),
        100.0 * r.gap,
        super::counted(r.edges, "eligible pair"),
        super::counted(needs.total, "need"),
        super::counted(done.offers, "offer"),
    )?;
    super::written::print(out, out_dir, &done.files)
}

/// `part` as a percentage of `whole`, one decimal.
fn percent(part: i128, whole: i128) -> String {
    let share = if whole > 0 { 100.0 * part as f64 / whole as f64 } else { 0.0 };
    format!("{share:.1} %")
}

/// A round's lines (`--ledger`): the money its ledger locks, and the new awards added to the output ledger.
fn round_lines(out: &mut impl Write, r: &RunInfo, out_dir: &Path) -> std::io::Result<()> {
    let (Some(round), Some(ledger)) = (&r.options.rounds, &r.ledger) else { return Ok(()) };
    let locked = match round.lock {
        LockLevel::Committed => "committed or disbursed",
        LockLevel::Pledged => "pledged, committed or disbursed",
    };
    writeln!(
        out,
        "locked: {} USD in {} awards of the ledger ({locked})",
        group_thousands(ledger.locked.usd),
        ledger.locked.awards,
    )?;
    let outside = ledger.outside_offer;
    if outside.awards > 0 {
        writeln!(
            out,
            "  {} USD of it in {} awards of offers not in this batch (they count against their needs only)",
            group_thousands(outside.usd),
            outside.awards
        )?;
    }
    writeln!(
        out,
        "round {}: {} USD new in {} awards, added as proposed to {}",
        round.round,
        group_thousands(ledger.new_usd),
        ledger.new_awards,
        out_dir.join("ledger.csv").display()
    )?;
    let unknown = ledger.unknown_need;
    if unknown.awards > 0 {
        writeln!(
            out,
            "note: {} locked awards ({} USD) are for needs not in this batch and count nowhere \
             (`poa-match track` lists them; a mistyped need_id?)",
            unknown.awards,
            group_thousands(unknown.usd)
        )?;
    }
    Ok(())
}
