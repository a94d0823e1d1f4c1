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
    let tables = [&i.commitments, &i.countries, &i.regions, &i.donors];
    inputs_table(&mut h, [&i.needs, &i.offers].into_iter().chain(tables.into_iter().flatten()), lang);
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
