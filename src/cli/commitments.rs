//! `poa-match commitments`: list the commitment catalogue.

use std::io::Write;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use poa_match::model::Theme;

use super::{Lang, ReferenceArgs};

/// Output formats of `commitments`.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// Aligned columns for a terminal.
    Table,
    /// CSV with a header row.
    Csv,
    /// A JSON array of objects.
    Json,
}

/// Arguments of `commitments`.
#[derive(Debug, Args)]
pub struct CommitmentsArgs {
    /// Language of the titles.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    lang: Lang,
    /// Only commitments with this theme.
    #[arg(long, value_name = "THEME", value_parser = parse_theme)]
    theme: Option<Theme>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    #[command(flatten)]
    reference: ReferenceArgs,
}

fn parse_theme(text: &str) -> Result<Theme, String> {
    Theme::parse(text).ok_or_else(|| format!("unknown theme {text:?}; expected one of {}", Theme::expected()))
}

pub fn run(args: CommitmentsArgs) -> anyhow::Result<ExitCode> {
    let reference = args.reference.load()?;
    let lang = args.lang.code();
    let rows: Vec<_> =
        reference.commitments().iter().filter(|c| args.theme.is_none_or(|t| c.themes.contains(&t))).collect();
    let themes = |c: &poa_match::catalog::Commitment| c.themes.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(";");
    let related = |c: &poa_match::catalog::Commitment| {
        c.related.iter().map(|&r| reference.commitment(r).code.as_str()).collect::<Vec<_>>().join(";")
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Table => {
            let width = rows.iter().map(|c| c.code.len()).max().unwrap_or(4);
            for c in &rows {
                writeln!(out, "{:<width$}  {:<8}  {}  [{}]", c.code, c.match_role.as_str(), c.title(lang), themes(c))?;
            }
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "code",
                "instrument",
                "paragraph",
                "level",
                "match_role",
                "themes",
                "related_codes",
                "title",
            ])?;
            for c in &rows {
                w.write_record([
                    c.code.as_str(),
                    &c.instrument,
                    &c.paragraph,
                    c.level.as_str(),
                    c.match_role.as_str(),
                    &themes(c),
                    &related(c),
                    c.title(lang),
                ])?;
            }
            w.flush()?;
        }
        Format::Json => {
            let list: Vec<serde_json::Value> = rows
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "code": c.code,
                        "instrument": c.instrument,
                        "paragraph": c.paragraph,
                        "level": c.level.as_str(),
                        "match_role": c.match_role.as_str(),
                        "themes": c.themes.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
                        "related_codes": c.related.iter().map(|&r| reference.commitment(r).code.clone()).collect::<Vec<_>>(),
                        "title_en": c.title_en,
                        "title_zh": c.title_zh,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &list)?;
            writeln!(out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
