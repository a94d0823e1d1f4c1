//! The headline: needs met, partly met and open; money requested, in envelopes, pledged, committed, disbursed and
//! still open; follow-ups by kind; awards outside the batch and envelopes over-committed.

use crate::report::Word;
use crate::track::TrackWord;
use crate::track::words::followup_kind_name;

use super::super::builder::Html;
use super::super::parts::{labelled, money};
use super::TrackPage;

/// One figure: `id="kpi-NAME"` and the exact value in `data-value`.
fn kpi(h: &mut Html, name: &str, class: &'static str, label: &str, value: i128, unit: &str) {
    let id = format!("kpi-{name}");
    h.open("div", &[("class", class), ("id", &id), ("data-value", &value.to_string())]);
    h.element("dt", &[], label);
    h.open("dd", &[]).text(&money(value));
    if !unit.is_empty() {
        h.element("small", &[], unit);
    }
    h.raw("</dd></div>\n");
}

pub(super) fn headline(page: &TrackPage<'_>) -> Html {
    let (t, lang) = (page.track, page.lang);
    let totals = &page.info.totals;
    let tw = |w: TrackWord| w.text(lang);
    let usd = Word::Usd.text(lang);
    let mut h = Html::new();
    h.element(
        "p",
        &[("class", "note"), ("id", "as-of")],
        &labelled(lang, tw(TrackWord::AsOf), &page.info.options.as_of),
    );
    h.raw("<dl class=\"kpis\">\n");
    kpi(&mut h, "needs", "kpi", Word::NeedsTotal.text(lang), totals.needs as i128, "");
    for (name, class, label, n) in [
        ("needs-met", "kpi funded", TrackWord::NeedsMet, totals.needs_met),
        ("needs-partly", "kpi partial", TrackWord::NeedsPartly, totals.needs_partly),
        ("needs-open", "kpi unfunded", TrackWord::NeedsOpen, totals.needs_open),
    ] {
        kpi(&mut h, name, class, tw(label), n as i128, "");
    }
    h.raw("</dl>\n<dl class=\"kpis\">\n");
    let s = &t.ledger_totals;
    kpi(&mut h, "requested", "kpi", Word::Requested.text(lang), totals.requested_usd, usd);
    kpi(&mut h, "envelopes", "kpi", tw(TrackWord::Envelopes), totals.envelope_usd, usd);
    for (name, label, v) in [
        ("pledged", TrackWord::Pledged, s.pledged),
        ("committed", TrackWord::Committed, s.committed),
        ("disbursed", TrackWord::Disbursed, s.disbursed),
        ("open", TrackWord::StillOpen, totals.open_usd),
    ] {
        kpi(&mut h, name, "kpi", tw(label), v, usd);
    }
    h.raw("</dl>\n<dl class=\"kpis\">\n");
    for (kind, n) in t.followup_counts() {
        let name = format!("followup-{}", kind.as_str());
        kpi(&mut h, &name, "kpi", followup_kind_name(kind, lang), n as i128, "");
    }
    kpi(
        &mut h,
        "need-not-in-batch",
        "kpi",
        tw(TrackWord::NeedNotInBatchCount),
        totals.awards_need_not_in_batch as i128,
        "",
    );
    kpi(
        &mut h,
        "offer-not-in-batch",
        "kpi",
        tw(TrackWord::OfferNotInBatchCount),
        totals.awards_offer_not_in_batch as i128,
        "",
    );
    kpi(&mut h, "offers-over", "kpi", tw(TrackWord::OffersOver), totals.offers_over_committed as i128, "");
    h.raw("</dl>\n");
    h
}
