//! `poa-match import-iati`: donors' IATI activity files into candidate offers.csv rows, with iati_import.csv
//! saying what became of every activity (docs/spec.md §11).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use poa_match::iati::{DacPurpose, ImportSummary, Input, Options, Output, import};
use poa_match::io::atomic::Staged;
use poa_match::model::{Date, group_thousands};

use super::ReferenceArgs;

/// Arguments of `import-iati`.
#[derive(Debug, Args)]
pub struct ImportIatiArgs {
    /// IATI activity files (XML, IATI version 2.0x), read in the order given.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Directory to write offers.csv and iati_import.csv into (created if missing; existing files are replaced).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The OECD DAC purpose codes to take, comma-separated (15240 is "Reintegration and SALW control"; 15210
    /// security system reform and 15250 mine and explosive-remnant clearance are near it).
    #[arg(long, value_name = "CODES", value_delimiter = ',', default_value = "15240", value_parser = DacPurpose::parse)]
    sectors: Vec<DacPurpose>,
    /// Count only budgets whose period is not over on this date, less what was disbursed or spent in them by then
    /// (default: every budget and every disbursement).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = Date::parse)]
    as_of: Option<Date>,
    /// Most unreadable files to list before only counting them.
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    max_errors: u32,
    #[command(flatten)]
    reference: ReferenceArgs,
}

pub fn run(args: ImportIatiArgs) -> anyhow::Result<ExitCode> {
    let reference = args.reference.load()?;
    let mut inputs = Vec::with_capacity(args.files.len());
    for path in &args.files {
        if path.is_dir() {
            return Err(
                poa_match::Error::io(path, std::io::Error::other("is a directory, expected an XML file")).into()
            );
        }
        let file = std::fs::File::open(path).map_err(|e| poa_match::Error::io(path, e))?;
        inputs.push(Input { label: path.display().to_string(), reader: Box::new(file) });
    }
    let options = Options { sectors: args.sectors.clone(), as_of: args.as_of };
    let offers_path = args.out.join("offers.csv");
    let log_path = args.out.join("iati_import.csv");
    let mut staged = Staged::in_dir(&args.out)?;
    let mut summary = ImportSummary::default();
    staged.stage_pair(&offers_path, &log_path, |offers, log| {
        summary = import(
            inputs,
            &options,
            &reference,
            Output { path: &offers_path, writer: offers },
            Output { path: &log_path, writer: log },
            args.max_errors as usize,
        )?;
        Ok(())
    })?;
    staged.commit()?;

    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "read {} activities from {} file(s): {} taken as {} offers ({} USD{}), {} skipped",
        summary.activities,
        summary.files,
        summary.taken,
        summary.offers,
        group_thousands(summary.envelope),
        summary.envelopes_in.iter().map(|(c, total)| format!("; {} {c}", group_thousands(*total))).collect::<String>(),
        summary.activities - summary.taken
    )?;
    for (reason, count) in &summary.skipped {
        writeln!(out, "  {count} {}", reason.as_str())?;
    }
    writeln!(out, "wrote {} and {}", offers_path.display(), log_path.display())?;
    Ok(ExitCode::SUCCESS)
}
