//! `poa-match explain --need ID`: why a need got what it got, offer by offer (docs/spec.md §10).
//!
//! With `--from OUTDIR` it explains the run published there, as published: the inputs run.json names (checked
//! against their SHA-256), the graph rebuilt with run.json's weights, the amounts of matches.csv; no solve. Without
//! it, it solves the batch again with the options given and says so, since a search stopped by a limit can land
//! on another allocation than a published one; when `out/` holds a run of the same input files it points there.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use poa_match::lang::Lang;
use poa_match::model::{Batch, LockLevel};
use poa_match::report::RecordedRun;
use poa_match::report::explain_text::{self, Ineligible, TextOptions};
use poa_match::report::explanation::{self, NeedExplanation};
use poa_match::report::words::shortfall_text;
use poa_match::report::{self, OfferTotals, RunInputs, readback};
use poa_match::run;

use super::InputArgs;
use super::explain_from;
use super::match_cmd::{LockArg, SolveArgs};

/// Output formats of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// Aligned text for people.
    Text,
    /// One JSON document.
    Json,
}

/// Arguments of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The need to explain.
    #[arg(long, value_name = "ID")]
    need: String,
    /// The folder of a match run: explain its published allocation without solving (the inputs run.json names
    /// must be unchanged; --needs and --offers say where they are now if they moved).
    #[arg(long, value_name = "OUTDIR", conflicts_with_all = ["method", "weights", "work_limit", "time_limit", "node_limit", "gap_limit"])]
    from: Option<PathBuf>,
    /// List only the offers eligible for the need.
    #[arg(long)]
    eligible_only: bool,
    /// List every offer the need is not eligible for, each with the rules it fails (by default, when there are
    /// more than a screenful, they are counted by rule).
    #[arg(long, visible_alias = "verbose", conflicts_with = "eligible_only")]
    all: bool,
    /// Text for people, or JSON.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    format: ExplainFormat,
    /// The same as `--format json`.
    #[arg(long)]
    json: bool,
    /// Language of the text (ids, codes and amounts are the same in both; JSON is always in English).
    #[arg(long, value_enum, default_value_t = super::Lang::En)]
    lang: super::Lang,
    /// A round's ledger: solving again, the round over it (docs/spec.md §9); with --from, where the ledger run.json
    /// names is now, if it moved.
    #[arg(long, value_name = "FILE")]
    ledger: Option<PathBuf>,
    /// Solving again with --ledger: which awards are fixed (committed, the default, or pledged too).
    #[arg(long, value_enum, requires = "ledger", conflicts_with = "from")]
    lock: Option<LockArg>,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    solve: SolveArgs,
}

/// Where the allocation explained came from, for the first line of the output.
enum Source {
    /// A published run, read back.
    Published { dir: PathBuf, version: String, method: String, status: String },
    /// Solved again now.
    SolvedAgain { method: &'static str, status: &'static str, published_hint: Option<PathBuf>, bundled: bool },
}

pub fn run(args: ExplainArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    super::worker_pool(args.solve.threads)?.install(|| explain_on_pool(args, quiet))
}

fn explain_on_pool(args: ExplainArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    let (explanation, source) = match &args.from {
        Some(dir) => explain_published(&args, dir)?,
        None => explain_solved_again(&args, quiet)?,
    };
    let json = args.json || args.format == ExplainFormat::Json;
    let mut out = std::io::stdout().lock();
    if json {
        let mut doc = serde_json::to_value(&explanation)?;
        add_source(&mut doc, &source);
        if args.eligible_only
            && let Some(offers) = doc.get_mut("offers").and_then(|o| o.as_array_mut())
        {
            offers.retain(|o| o["eligible"] == true);
        }
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)?;
    } else {
        let lang = args.lang.lang();
        writeln!(out, "{}", source_line(&source, lang))?;
        let shortfall = shortfall_text(explanation.reason, lang);
        let ineligible = match (args.eligible_only, args.all) {
            (true, _) => Ineligible::Hidden,
            (false, true) => Ineligible::All,
            (false, false) => Ineligible::Brief,
        };
        let options = TextOptions { ineligible, lang };
        write!(out, "{}", explain_text::render(&explanation, &shortfall, options))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The need's index in the batch, or a usage error naming where it was looked for.
fn need_index(batch: &Batch, id: &str, looked_in: &str) -> anyhow::Result<usize> {
    batch.needs.iter().position(|need| need.id.as_str() == id).ok_or_else(|| {
        poa_match::Error::usage(format!(
            "no need with need_id {id:?} in {looked_in} (hint: the ids are needs_status.csv's first column)"
        ))
        .into()
    })
}

fn explain_published(args: &ExplainArgs, dir: &Path) -> anyhow::Result<(NeedExplanation, Source)> {
    let p = explain_from::load(dir, &args.input, args.ledger.as_ref())?;
    let n = need_index(&p.batch, &args.need, &p.run.inputs.needs.path)?;
    let locks = p.locks.as_ref();
    let totals = OfferTotals::with_locks(&p.batch, &p.graph, &p.amounts, locks);
    let allocation = report::Allocation { amounts: &p.amounts, totals: &totals, locks };
    let status = report::need_status(&p.batch, &p.reference, &p.index, &p.graph, &allocation, n);
    if let Some(table) = &p.needs_status {
        readback::check_published_status(table, &status)?;
    }
    let explanation = explanation::explain(&p.batch, &p.reference, &p.graph, &p.amounts, locks, &status, n);
    let source = Source::Published {
        dir: dir.to_path_buf(),
        version: p.run.version.clone(),
        method: p.run.options.method.as_str().to_string(),
        status: p.run.status.clone(),
    };
    Ok((explanation, source))
}

fn explain_solved_again(args: &ExplainArgs, quiet: bool) -> anyhow::Result<(NeedExplanation, Source)> {
    args.input.source()?;
    let solve = args.solve.config()?;
    let reference = args.input.reference.load()?;
    let (loaded, ledger) = super::with_ledger::load_batch_with_ledger(&args.input, &reference, args.ledger.as_deref())?;
    let batch = &loaded.batch;
    let lock = args.lock.map_or(LockLevel::Committed, LockLevel::from);
    let round = ledger.as_ref().map(|file| (&file.ledger, lock));
    let n = need_index(batch, &args.need, &loaded.needs_info.path)?;
    let published_hint = same_inputs_published(Path::new("out"), &loaded.needs_info.sha256, &loaded.offers_info.sha256);
    let inputs = RunInputs { needs: loaded.needs_info.clone(), offers: loaded.offers_info.clone() };
    let status = super::status::StatusLine { budget: Some(solve.limits.work_limit), quiet };
    let outcome = status.while_searching(|observer| {
        run::solve_batch(batch, &reference, &solve, inputs, round, loaded.read_s, observer)
    })?;
    let (graph, amounts, locks) = (&outcome.graph, &outcome.solution.amounts, outcome.locks.as_ref());
    let explanation = explanation::explain(batch, &reference, graph, amounts, locks, &outcome.needs[n], n);
    let source = Source::SolvedAgain {
        method: outcome.run.method.as_str(),
        status: outcome.run.status.as_str(),
        published_hint,
        bundled: loaded.bundled,
    };
    Ok((explanation, source))
}

/// `dir` when it holds a match run of input files with these hashes.
fn same_inputs_published(dir: &Path, needs_sha256: &str, offers_sha256: &str) -> Option<PathBuf> {
    let run = RecordedRun::read(dir).ok()?;
    (run.inputs.needs.sha256 == needs_sha256 && run.inputs.offers.sha256 == offers_sha256).then(|| dir.to_path_buf())
}

fn source_line(source: &Source, lang: Lang) -> String {
    match source {
        Source::Published { dir, version, method, status } => {
            let dir = dir.display();
            match lang {
                Lang::En => format!(
                    "Published run in {dir} (poa-match {version}, method {method}, search {status}); inputs match \
                     run.json's SHA-256; nothing solved again.\n"
                ),
                Lang::Zh => format!(
                    "{dir} 中已发布的运行（poa-match {version}，方法 {method}，搜索 {status}）；输入与 run.json 的 \
                     SHA-256 一致；未重新求解。\n"
                ),
            }
        }
        Source::SolvedAgain { method, status, published_hint, bundled } => {
            // The first line says where the allocation comes from; the batch it was solved on, next.
            let mut line = match lang {
                Lang::En => format!(
                    "Solved again now with the options given (method {method}, search {status}): a published run \
                     may differ; `explain --from OUTDIR` explains one as published."
                ),
                Lang::Zh => format!(
                    "已按所给选项重新求解（方法 {method}，搜索 {status}）：已发布的运行可能不同；\
                     `explain --from OUTDIR` 按发布结果解释。"
                ),
            };
            if *bundled {
                line.push('\n');
                line.push_str(&super::bundled_sample_line_in(lang));
            }
            if let Some(dir) = published_hint {
                let dir = dir.display();
                line.push('\n');
                line.push_str(&match lang {
                    Lang::En => {
                        format!("{dir} holds a run of these input files: `poa-match explain --from {dir} --need ID`.")
                    }
                    Lang::Zh => {
                        format!("{dir} 中有这些输入文件的一次运行：`poa-match explain --from {dir} --need ID`。")
                    }
                });
            }
            line + "\n"
        }
    }
}

fn add_source(doc: &mut serde_json::Value, source: &Source) {
    let (method, status, from) = match source {
        Source::Published { dir, method, status, .. } => {
            (method.clone(), status.clone(), serde_json::json!({"published": dir.display().to_string()}))
        }
        Source::SolvedAgain { method, status, .. } => {
            (method.to_string(), status.to_string(), serde_json::json!({"solved_again": true}))
        }
    };
    if let Some(map) = doc.as_object_mut() {
        map.insert("method".into(), method.into());
        map.insert("search_status".into(), status.into());
        map.insert("source".into(), from);
    }
}
