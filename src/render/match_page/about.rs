//! About this run: the input files with their SHA-256, and what the search used and found.

use crate::report::Word;

use super::super::builder::Html;
use super::super::parts::{facts_list, inputs_table, money, wide_fact};
use super::MatchPage;

pub(super) fn about(page: &MatchPage<'_>) -> Html {
    let (run, lang) = (page.run, page.lang);
    let word = |w: Word| w.text(lang);
    let mut h = Html::new();
    let i = &run.inputs;
    let tables = [&i.commitments, &i.countries, &i.regions, &i.donors, &i.rates];
    inputs_table(&mut h, [&i.needs, &i.offers].into_iter().chain(tables.into_iter().flatten()), lang);
    // Each rate that converted rows, so that a reader can trace an envelope back to the amount pledged.
    let labels: Vec<String> = i.rates_used.iter().map(|r| format!("1 {} = USD", r.currency)).collect();
    let rates: Vec<(&str, String)> = labels
        .iter()
        .zip(&i.rates_used)
        .map(|(label, r)| (label.as_str(), format!("{} ({}, {}; × {})", r.usd_per_unit, r.date, r.source, r.rows)))
        .collect();
    if !rates.is_empty() {
        facts_list(&mut h, &rates);
    }
    let w = &run.weights;
    let facts = [
        (word(Word::Relaxation), money(run.relaxation)),
        (word(Word::EligiblePairs), money(run.edges as i128)),
        (word(Word::SearchNodes), money(i128::from(run.nodes))),
        (word(Word::IntegerRules), word(if run.integer_rules { Word::Yes } else { Word::No }).to_string()),
    ];
    facts_list(&mut h, &facts);
    // A formula, not a figure: a box of its own across the list, where it wraps.
    let formula = format!(
        "{} × w(priority) + fit; w = {:?}; fit: {} / {} / {} / +{}",
        w.priority_scale, w.priority, w.fit_shared_code, w.fit_related_code, w.fit_theme, w.fit_explicit_geography
    );
    wide_fact(&mut h, "dollar-value", word(Word::DollarValue), &formula);
    h.element("p", &[("class", "note")], word(Word::MatchAboutNote));
    h
}
