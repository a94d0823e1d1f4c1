//! `explain --from OUTDIR`: a published run loaded back without solving (docs/spec.md §10). run.json names the
//! inputs and their SHA-256; each is read again (the bundled sample from the binary), checked against its hash,
//! and the eligibility graph is rebuilt with run.json's weights; the allocation is matches.csv's.

use std::path::{Path, PathBuf};

use poa_match::catalog::{Reference, ReferenceSources};
use poa_match::graph::locks::Locks;
use poa_match::graph::{self, Graph, OfferIndex};
use poa_match::io::outputs::TableFormat;
use poa_match::io::provenance::{InputInfo, sha256_hex};
use poa_match::io::published::PublishedTable;
use poa_match::model::Batch;
use poa_match::records::ErrorSink;
use poa_match::report::RecordedRun;
use poa_match::report::{readback, schema};

use super::{InputArgs, SAMPLE_NEEDS, SAMPLE_OFFERS};

/// A published run loaded back: the batch, the reference tables, the graph and the amounts on its edges.
pub struct Published {
    /// run.json's content (what explain needs of it).
    pub run: RecordedRun,
    /// The batch as the run read it.
    pub batch: Batch,
    /// The reference tables the run used.
    pub reference: Reference,
    /// The offer index the graph was built with.
    pub index: OfferIndex,
    /// The eligibility graph, rebuilt.
    pub graph: Graph,
    /// matches.csv's amounts, one per edge.
    pub amounts: Vec<i64>,
    /// needs_status.csv, when the run wrote it.
    pub needs_status: Option<PublishedTable>,
    /// A round's ledger placed on the batch again, when the run had one.
    pub locks: Option<Locks>,
}

/// Labels run.json gives inputs that came from inside the binary.
fn is_built_in(label: &str) -> bool {
    label.ends_with("(bundled)") || label.ends_with("(embedded)")
}

/// The bytes of one recorded input, checked against its SHA-256. `given` is a path from the command line that
/// replaces the recorded one (the file moved); `built_in` is the text a bundled input has in this binary.
fn input_bytes(
    info: &InputInfo,
    what: &str,
    flag: &str,
    given: Option<&PathBuf>,
    built_in: &str,
) -> anyhow::Result<Vec<u8>> {
    let (label, bytes) = match given {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| poa_match::Error::io(path, e))?;
            (path.display().to_string(), bytes)
        }
        None if is_built_in(&info.path) => (info.path.clone(), built_in.as_bytes().to_vec()),
        None => {
            let bytes = std::fs::read(&info.path).map_err(|e| {
                poa_match::Error::usage(format!(
                    "{}: cannot read the {what} file that run.json names: {e} (hint: run explain from the folder \
                     match ran in, or give {flag} FILE)",
                    info.path
                ))
            })?;
            (info.path.clone(), bytes)
        }
    };
    let current = sha256_hex(&bytes);
    if current != info.sha256 {
        return Err(poa_match::Error::usage(format!(
            "{label}: SHA-256 {current} differs from {} recorded in run.json: the {what} file changed since the run \
             (hint: explain with the file as it was, or run match again)",
            info.sha256
        ))
        .into());
    }
    Ok(bytes)
}

/// One reference table: the flag's file, else the run's recorded override, else the embedded table.
fn reference_text(
    given: Option<&PathBuf>,
    recorded: Option<&InputInfo>,
    what: &str,
    flag: &str,
    embedded: (&'static str, &'static str),
) -> anyhow::Result<(String, String)> {
    let text = match recorded {
        Some(info) => String::from_utf8(input_bytes(info, what, flag, given, embedded.1)?)
            .map_err(|_| poa_match::Error::usage(format!("{}: the {what} file is not UTF-8 text", info.path)))?,
        None => match given {
            Some(path) => std::fs::read_to_string(path).map_err(|e| poa_match::Error::io(path, e))?,
            None => return Ok((embedded.0.to_string(), embedded.1.to_string())),
        },
    };
    let label =
        given.map_or_else(|| recorded.map_or(embedded.0.to_string(), |i| i.path.clone()), |p| p.display().to_string());
    Ok((label, text))
}

fn load_reference(args: &InputArgs, run: &RecordedRun) -> anyhow::Result<Reference> {
    let embedded = ReferenceSources::embedded();
    let flags = &args.reference;
    let inputs = &run.inputs;
    let commitments = reference_text(
        flags.commitments_file.as_ref(),
        inputs.commitments.as_ref(),
        "commitments",
        "--commitments-file",
        embedded.commitments,
    )?;
    let countries = reference_text(
        flags.countries_file.as_ref(),
        inputs.countries.as_ref(),
        "countries",
        "--countries-file",
        embedded.countries,
    )?;
    let regions = reference_text(
        flags.regions_file.as_ref(),
        inputs.regions.as_ref(),
        "regions",
        "--regions-file",
        embedded.regions,
    )?;
    Ok(Reference::load(ReferenceSources {
        commitments: (&commitments.0, &commitments.1),
        countries: (&countries.0, &countries.1),
        regions: (&regions.0, &regions.1),
    })?)
}

/// Loads the run published in `dir`; `ledger` is where the round's ledger is now, if it moved.
pub fn load(dir: &Path, args: &InputArgs, ledger: Option<&PathBuf>) -> anyhow::Result<Published> {
    let run = RecordedRun::read(dir)?;
    let reference = load_reference(args, &run)?;
    let needs_bytes = input_bytes(&run.inputs.needs, "needs", "--needs", args.needs.as_ref(), SAMPLE_NEEDS)?;
    let offers_bytes = input_bytes(&run.inputs.offers, "offers", "--offers", args.offers.as_ref(), SAMPLE_OFFERS)?;
    let rates = match &run.inputs.rates {
        Some(info) => {
            let bytes = input_bytes(info, "rates", "--rates", args.rates.as_ref(), "")?;
            let label = args.rates.as_ref().map_or(info.path.clone(), |p| p.display().to_string());
            poa_match::io::rates::read_rates(&label, &bytes[..], args.max_errors as usize)?
        }
        None => poa_match::model::Rates::default(),
    };
    let mut options = args.read_options(&rates);
    // The workbooks are read from the sheet the run read them from.
    options.sheet = options.sheet.or(run.options.sheet.as_deref());
    let mut sink = ErrorSink::new(options.error_limit);
    let needs_label = args.needs.as_ref().map_or(run.inputs.needs.path.clone(), |p| p.display().to_string());
    let offers_label = args.offers.as_ref().map_or(run.inputs.offers.path.clone(), |p| p.display().to_string());
    let needs = poa_match::io::read_needs_from(&needs_label, &needs_bytes[..], &reference, options, &mut sink)?;
    let offers = poa_match::io::read_offers_from(&offers_label, &offers_bytes[..], &reference, options, &mut sink)?;
    sink.into_result()?;
    let batch = Batch { needs, offers };

    let index = OfferIndex::new(&batch, &reference);
    let graph = graph::build_with_index(&batch, &reference, &run.weights, &index);
    let workbook = TableFormat::Xlsx.file_name(schema::WORKBOOK);
    let matches = PublishedTable::read(dir, &workbook, "matches")?.ok_or_else(|| {
        poa_match::Error::usage(format!(
            "{}: no matches.csv (nor matches.json, nor {workbook}): --from names the folder of a match run",
            dir.display()
        ))
    })?;
    let amounts = readback::amounts_from_matches(&batch, &graph, &matches)?;
    let needs_status = PublishedTable::read(dir, &workbook, "needs_status")?;
    let locks = match (&run.inputs.ledger, &run.options.rounds) {
        (Some(info), Some(round)) => {
            let bytes = input_bytes(info, "ledger", "--ledger", ledger, "")?;
            let label = ledger.map_or(info.path.clone(), |p| p.display().to_string());
            let mut sink = ErrorSink::new(options.error_limit);
            let awards = poa_match::io::ledger::read_ledger_from(&label, &bytes[..], options, &mut sink)?;
            sink.into_result()?;
            Some(Locks::place(&batch, &graph, &awards, round.lock)?)
        }
        _ => None,
    };
    Ok(Published { run, batch, reference, index, graph, amounts, needs_status, locks })
}
