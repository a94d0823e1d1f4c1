//! One match run and written: what `match` does, and what `replay` does again from a record. Both describe the
//! run as run.json will record it (inputs, options, weights: a [`RunRequest`]), so the record is the
//! configuration rather than a report about it (docs/spec.md §10).

use std::path::PathBuf;

use poa_match::io::LedgerFile;
use poa_match::io::atomic::Committed;
use poa_match::io::provenance::FileInfo;
use poa_match::model::{Date, LockLevel, RoundLabel};
use poa_match::objective::Weights;
use poa_match::report::{RecordedInputs, RoundOptions, RunInfo, RunOptions};
use poa_match::run::{self, RunRequest};

use super::InputArgs;

/// A match to run and write.
pub struct MatchJob<'a> {
    /// Where the inputs are read from.
    pub input: &'a InputArgs,
    /// The options, as recorded.
    pub options: RunOptions,
    /// The objective's weights.
    pub weights: Weights,
    /// The weights file's record, if the weights came from one.
    pub weights_file: Option<FileInfo>,
    /// The output folder.
    pub out_dir: PathBuf,
    /// Where the flow network is written, if the options export it.
    pub network: Option<PathBuf>,
    /// A replay's record of the inputs: its paths are written to run.json instead of the places the files were
    /// read from now (the same bytes, found elsewhere), so that the two records can agree.
    pub recorded_paths: Option<&'a RecordedInputs>,
    /// Print no status while searching.
    pub quiet: bool,
    /// A round over a ledger of earlier awards, if one was asked for.
    pub round: Option<RoundJob>,
}

/// A round over a ledger (docs/spec.md §9), as asked for: the label is worked out from the ledger when not given.
pub struct RoundJob {
    /// ledger.csv.
    pub ledger: PathBuf,
    /// `--round`.
    pub round: Option<RoundLabel>,
    /// `--lock`.
    pub lock: LockLevel,
    /// `--proposed-on`.
    pub proposed_on: Option<Date>,
}

/// A match run and written.
pub struct Done {
    /// run.json's content, as written.
    pub run: RunInfo,
    /// The files written, and those of an earlier run removed.
    pub files: Committed,
    /// Offers in the batch.
    pub offers: usize,
    /// Whether the batch is the bundled sample.
    pub bundled: bool,
}

/// Reads the inputs, solves (with the status line) and writes every output.
pub fn run(job: MatchJob<'_>) -> anyhow::Result<Done> {
    let (reference, tables) = job.input.reference.load_recorded()?;
    if let Some(round) = &job.round {
        refuse_writing_over(&round.ledger, &job.out_dir)?;
    }
    let ledger_path = job.round.as_ref().map(|r| r.ledger.as_path());
    let (loaded, ledger) = super::with_ledger::load_batch_with_ledger(job.input, &reference, ledger_path)?;
    let mut options = job.options;
    if let (Some(round), Some(file)) = (&job.round, &ledger) {
        let label = round.round.clone().unwrap_or_else(|| file.ledger.next_round());
        options.rounds = Some(RoundOptions { round: label.0, lock: round.lock, proposed_on: round.proposed_on });
    }
    let rates_used = poa_match::io::rates::rates_used(loaded.rates());
    let mut inputs = RecordedInputs {
        needs: loaded.needs_info,
        offers: loaded.offers_info,
        commitments: tables.commitments,
        countries: tables.countries,
        regions: tables.regions,
        donors: tables.donors,
        weights_file: job.weights_file,
        ledger: ledger.as_ref().map(LedgerFile::info),
        rates: loaded.rates.as_ref().map(|file| file.info.clone()),
        rates_used,
    };
    if let Some(recorded) = job.recorded_paths {
        use_recorded_paths(&mut inputs, recorded);
    }
    let request = RunRequest { inputs, options, weights: job.weights };
    let output = request.output_config(job.out_dir, job.network);
    // Refused before the search rather than after it: a folder this run may not take over.
    output.check_folder(request.options.rounds.is_some())?;
    let status =
        super::status::StatusLine { budget: Some(request.options.limits.limits().work_limit), quiet: job.quiet };
    let outcome = status.while_searching(|observer| {
        let locked = ledger.as_ref().map(|file| &file.ledger);
        run::solve_request(&loaded.batch, &reference, request, locked, loaded.read_s, observer)
    })?;
    let written = run::write_outputs(&loaded.batch, &reference, outcome, &output, ledger.as_ref())?;
    Ok(Done { run: written.run, files: written.files, offers: loaded.batch.offers.len(), bundled: loaded.bundled })
}

/// A round writes its ledger as `ledger.csv` in the output folder; when that is the input ledger itself, the input
/// would change under its own record (run.json's SHA-256, a replay), so the round is refused before anything runs.
fn refuse_writing_over(ledger: &std::path::Path, out_dir: &std::path::Path) -> anyhow::Result<()> {
    let output = out_dir.join("ledger.csv");
    let same = match (std::fs::canonicalize(ledger), std::fs::canonicalize(&output)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same {
        return Err(poa_match::Error::usage(format!(
            "--ledger {} is the ledger.csv this round would write in --out {} (hint: write the round to another \
             folder, e.g. --out round-NEXT, so that the input ledger stays as run.json records it)",
            ledger.display(),
            out_dir.display()
        ))
        .into());
    }
    Ok(())
}

/// Names each input by its recorded path.
fn use_recorded_paths(inputs: &mut RecordedInputs, recorded: &RecordedInputs) {
    inputs.needs.path.clone_from(&recorded.needs.path);
    inputs.offers.path.clone_from(&recorded.offers.path);
    let tables = [
        (&mut inputs.commitments, &recorded.commitments),
        (&mut inputs.countries, &recorded.countries),
        (&mut inputs.regions, &recorded.regions),
        (&mut inputs.donors, &recorded.donors),
    ];
    for (now, then) in tables {
        if let (Some(now), Some(then)) = (now, then) {
            now.path.clone_from(&then.path);
        }
    }
    if let (Some(now), Some(then)) = (&mut inputs.weights_file, &recorded.weights_file) {
        now.path.clone_from(&then.path);
    }
    if let (Some(now), Some(then)) = (&mut inputs.ledger, &recorded.ledger) {
        now.path.clone_from(&then.path);
    }
    if let (Some(now), Some(then)) = (&mut inputs.rates, &recorded.rates) {
        now.path.clone_from(&then.path);
    }
}
