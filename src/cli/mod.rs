//! Command-line parsing (clap derive; doc comments are the help text) and dispatch to one file per subcommand.

mod commitments;
mod explain;
mod explain_from;
mod generate;
mod import_iati;
mod job;
mod match_cmd;
mod match_summary;
mod replay;
mod shard_files;
mod simulate;
mod status;
mod template;
mod track;
mod validate;
mod with_ledger;
mod written;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use poa_match::catalog::{EMBEDDED_DONORS, EMBEDDED_DONORS_PATH, Reference, ReferenceSources};
use poa_match::io::ReadOptions;
use poa_match::io::provenance::{InputInfo, sha256_hex};
use poa_match::io::rates::RatesFile;
use poa_match::model::{NO_RATES, Rates};

/// Matches PoA/ITI assistance needs with donor offers, exactly, and explains every decision.
#[derive(Debug, Parser)]
#[command(name = "poa-match", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print no status line while searching (by default `match`, `explain` and `replay` show one on stderr:
    /// redrawn on a terminal, a line every few seconds otherwise).
    #[arg(long, short, global = true)]
    quiet: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Allocate offers to needs and write the reports (the bundled sample when no input is given).
    Match(match_cmd::MatchArgs),
    /// Run a published match again from its run.json and confirm the same outputs, or say which input, option or
    /// file differs (docs/spec.md §10).
    Replay(replay::ReplayArgs),
    /// Show why a need got what it got, offer by offer: of a published run with --from OUTDIR, else solved again.
    Explain(explain::ExplainArgs),
    /// Simulate funding scenarios: many draws of which pledges arrive, each re-allocated (docs/spec.md §7).
    Simulate(simulate::SimulateArgs),
    /// Combine the shard files of `simulate --shard I/N` into the outputs of one run.
    Merge(simulate::MergeArgs),
    /// Follow up a ledger of awards as of a date: what became of each need and each envelope, and what to chase
    /// (docs/spec.md §9).
    Track(track::TrackArgs),
    /// Check a pair of input files and print a short summary, or every data error (exit code 3).
    Validate(validate::ValidateArgs),
    /// List the commitment catalogue.
    Commitments(commitments::CommitmentsArgs),
    /// Write a synthetic, seeded batch (needs.csv and offers.csv) calibrated to the published figures.
    Generate(generate::GenerateArgs),
    /// Turn donors' IATI activity files into candidate offers.csv rows, and say why each activity is taken or not.
    ImportIati(import_iati::ImportIatiArgs),
    /// Write blank needs, offers and ledger workbooks to fill in, with drop-down lists and the column dictionary.
    Template(template::TemplateArgs),
}

/// Input files and reference-data overrides shared by the subcommands that read a batch.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// needs.csv, given with --offers (without either: the bundled sample).
    #[arg(long, value_name = "FILE")]
    pub needs: Option<PathBuf>,
    /// offers.csv, given with --needs (without either: the bundled sample).
    #[arg(long, value_name = "FILE")]
    pub offers: Option<PathBuf>,
    /// Ignore unknown columns instead of reporting them as errors.
    #[arg(long)]
    pub allow_extra_columns: bool,
    /// Exchange rates for rows whose `currency` is not USD: a table with the columns currency, usd_per_unit, date,
    /// source, one row per currency (docs/spec.md §11.4). Amounts convert to whole dollars, rounded down.
    #[arg(long, value_name = "FILE")]
    pub rates: Option<PathBuf>,
    /// The sheet to read from every workbook input (.xlsx, .ods, ...); without it, the sheet named after the table
    /// (needs, offers, ledger) in any case, else the first sheet.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Most data errors to list before only counting them.
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_errors: u32,
    #[command(flatten)]
    pub reference: ReferenceArgs,
}

/// Replacements for the embedded reference tables.
#[derive(Debug, Args)]
pub struct ReferenceArgs {
    /// A commitment catalogue to use instead of the embedded one (same columns as data/commitments.csv).
    #[arg(long, value_name = "FILE")]
    pub commitments_file: Option<PathBuf>,
    /// A country table to use instead of the embedded one (same columns as data/countries.csv).
    #[arg(long, value_name = "FILE")]
    pub countries_file: Option<PathBuf>,
    /// An M49 area table to use instead of the embedded one (same columns as data/regions.csv).
    #[arg(long, value_name = "FILE")]
    pub regions_file: Option<PathBuf>,
    /// Donors' names for the pages, instead of the embedded ones (same columns as data/donors.csv).
    #[arg(long, value_name = "FILE")]
    pub donors_file: Option<PathBuf>,
}

/// What run.json records of the reference tables given instead of the embedded ones (`None`: embedded).
#[derive(Debug, Clone, Default)]
pub struct ReferenceFiles {
    /// `--commitments-file`.
    pub commitments: Option<InputInfo>,
    /// `--countries-file`.
    pub countries: Option<InputInfo>,
    /// `--regions-file`.
    pub regions: Option<InputInfo>,
    /// `--donors-file`.
    pub donors: Option<InputInfo>,
}

impl ReferenceArgs {
    /// The embedded tables, or the files given.
    pub fn load(&self) -> anyhow::Result<Reference> {
        Ok(self.load_recorded()?.0)
    }

    /// The embedded tables, or the files given, with the record of each file given.
    pub fn load_recorded(&self) -> anyhow::Result<(Reference, ReferenceFiles)> {
        let embedded = ReferenceSources::embedded();
        let read =
            |path: &Option<PathBuf>, default: (&'static str, &'static str)| -> anyhow::Result<(String, String)> {
                match path {
                    None => Ok((default.0.to_string(), default.1.to_string())),
                    Some(p) => {
                        let text = std::fs::read_to_string(p).map_err(|e| poa_match::Error::io(p, e))?;
                        Ok((p.display().to_string(), text))
                    }
                }
            };
        let commitments = read(&self.commitments_file, embedded.commitments)?;
        let countries = read(&self.countries_file, embedded.countries)?;
        let regions = read(&self.regions_file, embedded.regions)?;
        // The donor table may be a workbook, so it is read as bytes.
        let donors = match &self.donors_file {
            None => (EMBEDDED_DONORS_PATH.to_string(), EMBEDDED_DONORS.as_bytes().to_vec()),
            Some(p) => (p.display().to_string(), std::fs::read(p).map_err(|e| poa_match::Error::io(p, e))?),
        };
        let reference = Reference::load(ReferenceSources {
            commitments: (&commitments.0, &commitments.1),
            countries: (&countries.0, &countries.1),
            regions: (&regions.0, &regions.1),
        })?
        .with_donors(&donors.0, &donors.1)?;
        let record = |given: &Option<PathBuf>, (path, bytes): (String, Vec<u8>), rows: usize| {
            given.as_ref().map(|_| InputInfo { path, rows, sha256: sha256_hex(&bytes) })
        };
        let bytes = |(path, text): (String, String)| (path, text.into_bytes());
        let files = ReferenceFiles {
            commitments: record(&self.commitments_file, bytes(commitments), reference.commitments().len()),
            countries: record(&self.countries_file, bytes(countries), reference.countries().len()),
            regions: record(&self.regions_file, bytes(regions), reference.areas().len()),
            donors: record(&self.donors_file, donors, reference.donors().len()),
        };
        Ok((reference, files))
    }
}

/// Where a batch is read from: the two files named, or the bundled sample when neither is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchSource<'a> {
    /// The sample compiled into the binary.
    Bundled,
    /// needs.csv and offers.csv as named.
    Files { needs: &'a std::path::Path, offers: &'a std::path::Path },
}

impl InputArgs {
    /// Where the batch comes from. One file without the other is a usage error: a batch of the user's needs
    /// against the sample's offers (or the reverse) looks like a result and is none.
    pub fn source(&self) -> anyhow::Result<BatchSource<'_>> {
        match (&self.needs, &self.offers) {
            (None, None) => Ok(BatchSource::Bundled),
            (Some(needs), Some(offers)) => Ok(BatchSource::Files { needs, offers }),
            (Some(_), None) => Err(half_batch("--needs", "--offers")),
            (None, Some(_)) => Err(half_batch("--offers", "--needs")),
        }
    }

    /// The reading options these flags ask for, converting with `rates`.
    pub fn read_options<'r>(&'r self, rates: &'r Rates) -> ReadOptions<'r> {
        ReadOptions {
            allow_extra_columns: self.allow_extra_columns,
            error_limit: self.max_errors as usize,
            rates,
            sheet: self.sheet.as_deref(),
        }
    }

    /// The rates file of `--rates`, read; `None` without the flag. Its errors come alone: with a bad rates file,
    /// every row in its currencies would be an error too.
    pub fn load_rates(&self) -> anyhow::Result<Option<RatesFile>> {
        let Some(path) = &self.rates else { return Ok(None) };
        Ok(Some(poa_match::io::rates::read_rates_file(path, self.max_errors as usize)?))
    }
}

/// Parses the command line and runs the chosen subcommand.
pub fn run() -> anyhow::Result<ExitCode> {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout with exit 0, usage errors to stderr with exit 2.
            e.print()?;
            return Ok(ExitCode::from(if e.use_stderr() { 2 } else { 0 }));
        }
    };
    match cli.command {
        Command::Match(args) => match_cmd::run(args, cli.quiet),
        Command::Replay(args) => replay::run(args, cli.quiet),
        Command::Explain(args) => explain::run(args, cli.quiet),
        Command::Simulate(args) => simulate::run(args),
        Command::Merge(args) => simulate::merge(args),
        Command::Track(args) => track::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Commitments(args) => commitments::run(args),
        Command::Generate(args) => generate::run(args),
        Command::ImportIati(args) => import_iati::run(args),
        Command::Template(args) => template::run(args),
    }
}

/// `n` things for a summary line: "1 offer", "3 offers".
pub(crate) fn counted(n: usize, thing: &str) -> String {
    if n == 1 { format!("1 {thing}") } else { format!("{n} {thing}s") }
}

/// Languages of titles and labels, as the command line spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// English.
    En,
    /// Chinese.
    Zh,
}

impl Lang {
    /// The library's language.
    pub fn lang(self) -> poa_match::lang::Lang {
        match self {
            Lang::En => poa_match::lang::Lang::En,
            Lang::Zh => poa_match::lang::Lang::Zh,
        }
    }

    /// The code of the language (`en`, `zh`).
    pub fn code(self) -> &'static str {
        self.lang().code()
    }
}

/// The bundled sample, compiled in so that `poa-match match` works from any directory.
pub(crate) const SAMPLE_NEEDS: &str = include_str!("../../data/sample/needs.csv");
pub(crate) const SAMPLE_OFFERS: &str = include_str!("../../data/sample/offers.csv");
/// How run.json names the bundled sample's files (`replay` reads the bundled text for them).
const SAMPLE_NEEDS_LABEL: &str = "data/sample/needs.csv (bundled)";
const SAMPLE_OFFERS_LABEL: &str = "data/sample/offers.csv (bundled)";

/// The usage error of a batch given by half.
fn half_batch(given: &str, missing: &str) -> anyhow::Error {
    poa_match::Error::usage(format!(
        "{given} given without {missing}: a batch is a needs file and an offers file (hint: add {missing} FILE, or \
         give neither to run on the bundled sample)"
    ))
    .into()
}

/// The summary line of a run on the bundled sample, so that nobody takes its figures for their own batch's.
pub fn bundled_sample_line() -> String {
    bundled_sample_line_in(poa_match::lang::Lang::En)
}

/// [`bundled_sample_line`] in a language (for `explain --lang`, whose whole text is in it).
pub fn bundled_sample_line_in(lang: poa_match::lang::Lang) -> String {
    let needs = SAMPLE_NEEDS_LABEL.trim_end_matches(" (bundled)");
    let offers = SAMPLE_OFFERS_LABEL.trim_end_matches(" (bundled)");
    match lang {
        poa_match::lang::Lang::En => {
            format!("the bundled sample: {needs} and {offers} (give --needs FILE and --offers FILE to run on your own)")
        }
        poa_match::lang::Lang::Zh => {
            format!("内置样例：{needs} 和 {offers}（使用自己的数据请给出 --needs FILE 和 --offers FILE）")
        }
    }
}

/// A batch with what run.json says of its inputs.
pub struct LoadedBatch {
    pub batch: poa_match::model::Batch,
    pub needs_info: InputInfo,
    pub offers_info: InputInfo,
    pub read_s: f64,
    /// Whether the batch is the bundled sample.
    pub bundled: bool,
    /// The rates file of `--rates`, with the rows each rate converted (in the batch and in the ledger read with it).
    pub rates: Option<RatesFile>,
}

impl LoadedBatch {
    /// The rates the batch was read with (none without `--rates`).
    pub fn rates(&self) -> &Rates {
        self.rates.as_ref().map_or(&NO_RATES, |file| &file.rates)
    }
}

/// Opens an input file (or the bundled text) behind a hashing reader.
fn open_input(
    path: Option<&std::path::Path>,
    bundled: (&'static str, &'static str),
) -> anyhow::Result<(String, Box<dyn std::io::Read>)> {
    match path {
        None => Ok((bundled.0.to_string(), Box::new(bundled.1.as_bytes()))),
        Some(p) => {
            if p.is_dir() {
                return Err(
                    poa_match::Error::io(p, std::io::Error::other("is a directory, expected a CSV file")).into()
                );
            }
            let file = std::fs::File::open(p).map_err(|e| poa_match::Error::io(p, e))?;
            Ok((p.display().to_string(), Box::new(std::io::BufReader::with_capacity(1 << 16, file))))
        }
    }
}

/// A pool of `threads` worker threads for the command's work; without a count, rayon's default: the
/// `RAYON_NUM_THREADS` environment variable, else one per core.
pub fn worker_pool(threads: Option<u32>) -> anyhow::Result<rayon::ThreadPool> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        builder = builder.num_threads(n as usize);
    }
    let pool = builder.build().map_err(|e| poa_match::Error::usage(format!("cannot start the worker threads: {e}")))?;
    Ok(pool)
}

/// Reads the batch the flags name (the bundled sample when they name none) with the `rates` read from `--rates`;
/// errors of both files come together.
pub fn load_batch(args: &InputArgs, reference: &Reference, rates: Option<RatesFile>) -> anyhow::Result<LoadedBatch> {
    use poa_match::io::hashing::HashingReader;
    use poa_match::records::ErrorSink;
    let started = std::time::Instant::now();
    let (needs_path, offers_path) = match args.source()? {
        BatchSource::Bundled => (None, None),
        BatchSource::Files { needs, offers } => (Some(needs), Some(offers)),
    };
    let options = args.read_options(rates.as_ref().map_or(&NO_RATES, |file| &file.rates));
    let mut sink = ErrorSink::new(options.error_limit);

    let (needs_label, reader) = open_input(needs_path, (SAMPLE_NEEDS_LABEL, SAMPLE_NEEDS))?;
    let mut hashing = HashingReader::new(reader);
    let needs = poa_match::io::read_needs_from(&needs_label, &mut hashing, reference, options, &mut sink)?;
    let needs_info = InputInfo { path: needs_label, rows: needs.len(), sha256: hashing.hex_digest() };

    let (offers_label, reader) = open_input(offers_path, (SAMPLE_OFFERS_LABEL, SAMPLE_OFFERS))?;
    let mut hashing = HashingReader::new(reader);
    let offers = poa_match::io::read_offers_from(&offers_label, &mut hashing, reference, options, &mut sink)?;
    let offers_info = InputInfo { path: offers_label, rows: offers.len(), sha256: hashing.hex_digest() };

    sink.into_result()?;
    Ok(LoadedBatch {
        batch: poa_match::model::Batch { needs, offers },
        needs_info,
        offers_info,
        read_s: started.elapsed().as_secs_f64(),
        bundled: needs_path.is_none(),
        rates,
    })
}
