//! The headline figures: money (requested, offered, allocated, coverage), needs by outcome with a stacked bar,
//! and the solver's certificate (objective, bound, gap, method, status).

use crate::io::outputs::fixed4;
use crate::report::words::{method_name, status_name, stop_note};
use crate::report::{LedgerTotals, Word, ratio};

use super::super::builder::Html;
use super::super::parts::{labelled, money, percent};
use super::super::svg::{self, Segment};
use super::MatchPage;

/// One figure of the headline: `id="kpi-NAME"` and the exact value in `data-value`.
fn kpi(h: &mut Html, name: &str, class: &'static str, label: &str, value: &str, shown: &str, unit: &str) {
    let id = format!("kpi-{name}");
    h.open("div", &[("class", class), ("id", &id), ("data-value", value)]);
    h.element("dt", &[], label);
    h.open("dd", &[]).text(shown);
    if !unit.is_empty() {
        h.element("small", &[], unit);
    }
    h.raw("</dd></div>\n");
}

pub(super) fn headline(page: &MatchPage<'_>) -> Html {
    let (run, lang) = (page.run, page.lang);
    let word = |w: Word| w.text(lang);
    let mut h = Html::new();
    let coverage = ratio(run.allocated_usd, run.requested_usd);
    // Three rows: money, needs, and the solver's certificate.
    h.raw("<dl class=\"kpis\">\n");
    for (name, label, v) in [
        ("requested", Word::Requested, run.requested_usd),
        ("offered", Word::Offered, run.offered_usd),
        ("allocated", Word::Allocated, run.allocated_usd),
    ] {
        kpi(&mut h, name, "kpi", word(label), &v.to_string(), &money(v), word(Word::Usd));
    }
    kpi(&mut h, "coverage", "kpi", word(Word::Coverage), &fixed4(coverage), &percent(coverage), "");
    h.raw("</dl>\n");
    if let (Some(ledger), Some(round)) = (&run.ledger, &run.options.rounds) {
        round_figures(&mut h, page, ledger, &round.round);
    }
    h.raw("<dl class=\"kpis\">\n");
    let counts = &run.needs;
    for (name, class, label, n) in [
        ("needs-total", "kpi", Word::NeedsTotal, counts.total),
        ("needs-funded", "kpi funded", Word::Funded, counts.funded),
        ("needs-partial", "kpi partial", Word::Partial, counts.partial),
        ("needs-unfunded", "kpi unfunded", Word::Unfunded, counts.unfunded),
    ] {
        kpi(&mut h, name, class, word(label), &n.to_string(), &money(n as i128), "");
    }
    if counts.locked_incomplete > 0 {
        let n = counts.locked_incomplete;
        let label = word(Word::LockedIncompleteCount);
        kpi(&mut h, "needs-locked-incomplete", "kpi partial", label, &n.to_string(), &money(n as i128), "");
    }
    h.raw("</dl>\n");
    // The needs by outcome as one stacked bar.
    let total = counts.total.max(1) as f64;
    let titles = [
        labelled(lang, word(Word::Funded), counts.funded),
        labelled(lang, word(Word::Partial), counts.partial),
        labelled(lang, word(Word::Unfunded), counts.unfunded),
    ];
    let segments = [
        Segment { share: counts.funded as f64 / total, class: "funded", title: &titles[0] },
        Segment { share: counts.partial as f64 / total, class: "partial", title: &titles[1] },
        Segment { share: counts.unfunded as f64 / total, class: "unfunded", title: &titles[2] },
    ];
    h.raw("<div class=\"needsbar\">");
    svg::stacked_bar(&mut h, &segments, &titles.join(", "), false);
    h.raw("</div>\n<div class=\"legend\">");
    for (class, title) in [("funded", &titles[0]), ("partial", &titles[1]), ("unfunded", &titles[2])] {
        h.raw("<span>");
        svg::swatch(&mut h, class);
        h.text(title).raw("</span>");
    }
    h.raw("</div>\n<dl class=\"kpis\">\n");
    for (name, label, v) in [("objective", Word::Objective, run.objective), ("bound", Word::Bound, run.bound)] {
        kpi(&mut h, name, "kpi", word(label), &v.to_string(), &money(v), "");
    }
    kpi(&mut h, "gap", "kpi", word(Word::Gap), &run.gap.to_string(), &format!("{:.4}%", 100.0 * run.gap), "");
    let (method, status) = (run.method, run.status);
    kpi(&mut h, "method", "kpi word", word(Word::Method), method.as_str(), method_name(method, lang), "");
    kpi(&mut h, "status", "kpi word", word(Word::SolveStatus), status.as_str(), status_name(status, lang), "");
    h.raw("</dl>\n");
    if let Some(note) = stop_note(status, run.gap, lang) {
        h.element("p", &[("class", "note stop"), ("id", "stop-note")], &note).raw("\n");
    }
    h.element("p", &[("class", "note")], word(Word::ObjectiveNote)).raw("\n");
    h
}

/// A round's figures: its label, the money the ledger locks (and how much of it is of offers outside the batch) and
/// the money the round adds, with a note on what locking means.
fn round_figures(h: &mut Html, page: &MatchPage<'_>, ledger: &LedgerTotals, round: &str) {
    let lang = page.lang;
    let word = |w: Word| w.text(lang);
    h.raw("<dl class=\"kpis\">\n");
    kpi(h, "round", "kpi word", word(Word::Round), round, round, "");
    for (name, label, v) in [
        ("locked", Word::LockedMoney, ledger.locked.usd),
        ("new", Word::NewMoney, ledger.new_usd),
        ("locked-outside", Word::LockedOutside, ledger.outside_offer.usd),
    ] {
        kpi(h, name, "kpi", word(label), &v.to_string(), &money(v), word(Word::Usd));
    }
    h.raw("</dl>\n");
    h.element("p", &[("class", "note")], word(Word::RoundNote)).raw("\n");
}
