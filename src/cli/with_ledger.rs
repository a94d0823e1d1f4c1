//! Reading a batch together with a ledger of awards (`match --ledger`, `validate --ledger`, `track`): the data
//! errors of the three files come as one list under one limit, so a user fixes every bad cell in one pass.

use std::path::Path;

use poa_match::catalog::Reference;
use poa_match::error::ErrorKind;
use poa_match::io::LedgerFile;
use poa_match::io::ledger::load_ledger_file;
use poa_match::model::NO_RATES;
use poa_match::records::ErrorSink;

use super::{InputArgs, LoadedBatch, load_batch};

/// Reads the batch the flags name and, when `ledger` is given, that ledger. The ledger is read first, so that its
/// data errors can follow the batch's in one report.
pub fn load_batch_with_ledger(
    args: &InputArgs,
    reference: &Reference,
    ledger: Option<&Path>,
) -> anyhow::Result<(LoadedBatch, Option<LedgerFile>)> {
    // A batch given by half is refused before anything is read.
    args.source()?;
    let started = std::time::Instant::now();
    let rates = args.load_rates()?;
    let options = args.read_options(rates.as_ref().map_or(&NO_RATES, |file| &file.rates));
    let mut ledger_errors = ErrorSink::new(options.error_limit);
    let ledger = ledger.map(|path| load_ledger_file(path, options, &mut ledger_errors)).transpose()?;
    let ledger_s = started.elapsed().as_secs_f64();
    let error_limit = options.error_limit;
    let mut loaded = match load_batch(args, reference, rates) {
        Ok(loaded) => loaded,
        Err(e) => return Err(with_ledger_errors(e, ledger_errors, error_limit)),
    };
    ledger_errors.into_result()?;
    loaded.read_s += ledger_s;
    Ok((loaded, ledger))
}

/// The batch's data errors followed by the ledger's, as one list under the one limit. Any other error of the batch
/// is returned as it is.
fn with_ledger_errors(batch: anyhow::Error, ledger: ErrorSink, limit: usize) -> anyhow::Error {
    let Err(ledger) = ledger.into_result() else { return batch };
    let (Some(batch_kind), ErrorKind::InvalidData { errors: more_errors, more: more_count }) =
        (batch.downcast_ref::<poa_match::Error>().map(poa_match::Error::kind), ledger.kind())
    else {
        return batch;
    };
    let ErrorKind::InvalidData { errors, more } = batch_kind else { return batch };
    let mut all: Vec<_> = errors.iter().chain(more_errors).cloned().collect();
    let left_out = all.len().saturating_sub(limit);
    all.truncate(limit);
    poa_match::Error::invalid_data(all, more + more_count + left_out).into()
}
