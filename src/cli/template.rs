//! `poa-match template`: blank needs, offers and ledger workbooks to fill in, with drop-down lists and the column
//! dictionary (docs/spec.md §8).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{Lang, ReferenceArgs};

/// Arguments of `template`.
#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// Directory to write needs.xlsx, offers.xlsx and ledger.xlsx into (created if missing; a template already
    /// there is not overwritten).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Language of the dictionary sheet and of the titles and names in the drop-down lists.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    lang: Lang,
    #[command(flatten)]
    reference: ReferenceArgs,
}

pub fn run(args: TemplateArgs) -> anyhow::Result<ExitCode> {
    let reference = args.reference.load()?;
    let written = poa_match::template::write(&args.out, &reference, args.lang.lang())?;
    let names: Vec<String> =
        written.iter().filter_map(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
    println!("written to {}: {}", args.out.display(), names.join(", "));
    Ok(ExitCode::SUCCESS)
}
