//! `poa-match explain --need ID`: every offer, whether it is eligible, which rules fail, and what it gave.

use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use poa_match::graph;
use poa_match::objective::ScopeMatch;
use poa_match::report::RunInputs;
use poa_match::run;

use super::InputArgs;
use super::match_cmd::SolveArgs;

/// Arguments of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The need to explain.
    #[arg(long, value_name = "ID")]
    need: String,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    solve: SolveArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    super::worker_pool(args.solve.threads)?.install(|| explain_on_pool(args))
}

fn explain_on_pool(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let solve = args.solve.config()?;
    let reference = args.input.reference.load()?;
    let loaded = super::load_batch(&args.input, &reference)?;
    let batch = &loaded.batch;
    let Some(n) = batch.needs.iter().position(|need| need.id.as_str() == args.need) else {
        return Err(poa_match::Error::usage(format!(
            "no need with need_id {:?} in {}",
            args.need, loaded.needs_info.path
        ))
        .into());
    };
    let inputs = RunInputs { needs: loaded.needs_info.clone(), offers: loaded.offers_info.clone() };
    let outcome = super::status::while_searching(|observer| {
        run::solve_batch(batch, &reference, &solve, inputs, loaded.read_s, observer)
    })?;
    let need = &batch.needs[n];
    let status = &outcome.needs[n];
    let reason = status.reason_code();
    let verdicts = graph::explain_need(batch, &reference, n);
    let edges = outcome.graph.edges_of(n);
    let start = outcome.graph.need_start[n];
    let given = |o: u32| edges.iter().position(|e| e.offer == o).map_or(0, |k| outcome.solution.amounts[start + k]);

    let mut out = std::io::stdout().lock();
    if args.json {
        let offers: Vec<serde_json::Value> = verdicts
            .iter()
            .map(|v| {
                let offer = &batch.offers[v.offer as usize];
                serde_json::json!({
                    "offer_id": offer.id.as_str(),
                    "donor": offer.donor,
                    "eligible": v.scope.is_some(),
                    "failed_rules": v.failures.iter().map(|r| r.code()).collect::<Vec<_>>(),
                    "fit": edges.iter().find(|e| e.offer == v.offer).map(|e| e.fit),
                    "amount_usd": given(v.offer),
                })
            })
            .collect();
        let doc = serde_json::json!({
            "need_id": need.id.as_str(),
            "requester": need.requester_code,
            "requested_usd": status.requested_usd,
            "allocated_usd": status.allocated_usd,
            "status": status.status.as_str(),
            "reason": reason,
            "method": outcome.run.method.as_str(),
            "offers": offers,
        });
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }

    writeln!(
        out,
        "need {} ({}), priority {}, {} USD requested: {} USD allocated, {}{}",
        need.id,
        need.requester_code,
        need.priority,
        need.amount,
        status.allocated_usd,
        status.status.as_str(),
        if reason.is_empty() { String::new() } else { format!(" ({reason})") }
    )?;
    let id_width = batch.offers.iter().map(|o| o.id.as_str().chars().count()).max().unwrap_or(8);
    for v in &verdicts {
        let offer = &batch.offers[v.offer as usize];
        let verdict = match v.scope {
            Some(scope) => {
                let fit = edges.iter().find(|e| e.offer == v.offer).map_or(0, |e| e.fit);
                let how = match scope {
                    ScopeMatch::Shared(c) => format!("shares {}", reference.commitment(c).code),
                    ScopeMatch::Related(c) => {
                        format!("related to {}", reference.commitment(c).code)
                    }
                    ScopeMatch::Theme => "by theme".to_string(),
                };
                format!("eligible ({how}, fit {fit}): gave {} USD", given(v.offer))
            }
            None => {
                let rules: Vec<String> =
                    v.failures.iter().map(|r| format!("{} ({})", r.code(), r.describe())).collect();
                format!("not eligible: {}", rules.join("; "))
            }
        };
        writeln!(out, "  {:<id_width$}  {:<8}  {verdict}", offer.id.as_str(), offer.donor)?;
    }
    Ok(ExitCode::SUCCESS)
}
