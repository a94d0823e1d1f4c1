//! The accounts: donors with every offer under them, and every need (those with money still open first, the
//! largest amount first, so that a long list starts where the work is).

use std::collections::HashMap;

use crate::model::Need;
use crate::report::Word;
use crate::track::words::need_state_name;
use crate::track::{NeedAccount, NeedState, StatusSums, TrackWord};

use super::super::builder::Html;
use super::super::parts::{
    MAX_TABLE_ROWS, close_table, header_row, money, name_cell, num_cell, open_table, truncated_note,
};
use super::TrackPage;

/// The money columns every account table shows, after its own: pledged, committed, disbursed.
fn secured_headings(page: &TrackPage<'_>) -> [(&'static str, bool); 3] {
    let tw = |w: TrackWord| w.text(page.lang);
    [(tw(TrackWord::PledgedUsd), true), (tw(TrackWord::CommittedUsd), true), (tw(TrackWord::DisbursedUsd), true)]
}

fn secured_cells(h: &mut Html, s: &StatusSums) {
    num_cell(h, s.pledged);
    num_cell(h, s.committed);
    num_cell(h, s.disbursed);
}

/// What is left of an envelope, with a badge when the ledger holds more than it.
fn left_cell(h: &mut Html, page: &TrackPage<'_>, left: i128) {
    if left >= 0 {
        num_cell(h, left);
        return;
    }
    h.open("td", &[("class", "num"), ("data-sort", &left.to_string())]).text(&money(left));
    h.open("span", &[("class", "sub")]);
    h.element("span", &[("class", "badge unfunded")], TrackWord::OverBadge.text(page.lang));
    h.raw("</span></td>");
}

pub(super) fn donors(page: &TrackPage<'_>) -> Html {
    let (t, lang) = (page.track, page.lang);
    let tw = |w: TrackWord| w.text(lang);
    let mut h = Html::new();
    open_table(&mut h, "donors-table", "sortable", lang, false);
    let mut headings = vec![(Word::Donor.text(lang), false), (Word::OffersCount.text(lang), true)];
    headings.push((Word::EnvelopeUsd.text(lang), true));
    headings.extend(secured_headings(page));
    headings.extend([(tw(TrackWord::LeftUsd), true), (tw(TrackWord::ProposedUsd), true)]);
    header_row(&mut h, &headings);
    for d in &t.donors {
        h.open("tr", &[("data-donor", &d.donor), ("data-left", &d.left().to_string())]);
        name_cell(&mut h, page.donor_name(&d.donor), &d.donor);
        num_cell(&mut h, d.offers as i128);
        num_cell(&mut h, d.envelope);
        secured_cells(&mut h, &d.sums);
        left_cell(&mut h, page, d.left());
        num_cell(&mut h, d.sums.proposed);
        h.raw("</tr>\n");
    }
    close_table(&mut h);
    if t.offers_over() > 0 {
        h.element("p", &[("class", "note")], tw(TrackWord::OverNote)).raw("\n");
    }

    h.element("h3", &[], Word::OffersHeading.text(lang)).raw("\n");
    open_table(&mut h, "offers-table", "sortable", lang, true);
    let mut headings = vec![(Word::Offer.text(lang), false), (Word::Donor.text(lang), false)];
    headings.push((Word::EnvelopeUsd.text(lang), true));
    headings.extend(secured_headings(page));
    headings.extend([(tw(TrackWord::LeftUsd), true), (tw(TrackWord::ProposedUsd), true)]);
    header_row(&mut h, &headings);
    let shown = t.offers.len().min(MAX_TABLE_ROWS);
    for o in &t.offers[..shown] {
        h.open("tr", &[("data-offer", &o.offer_id), ("data-left", &o.left().to_string())]);
        h.element("td", &[("class", "id")], &o.offer_id);
        name_cell(&mut h, page.donor_name(&o.donor), &o.donor);
        num_cell(&mut h, o.envelope);
        secured_cells(&mut h, &o.sums);
        left_cell(&mut h, page, o.left());
        num_cell(&mut h, o.sums.proposed);
        h.raw("</tr>\n");
    }
    close_table(&mut h);
    truncated_note(&mut h, shown, t.offers.len(), "track_offers.csv", lang);
    h
}

fn badge_class(state: NeedState) -> &'static str {
    match state {
        NeedState::Met => "badge funded",
        NeedState::Partly => "badge partial",
        NeedState::Open => "badge unfunded",
    }
}

pub(super) fn needs(page: &TrackPage<'_>) -> Html {
    let (t, lang) = (page.track, page.lang);
    let tw = |w: TrackWord| w.text(lang);
    let by_id: HashMap<&str, &Need> = page.batch.needs.iter().map(|n| (n.id.as_str(), n)).collect();
    // Open money first, the most first; ties (and the needs fully met) in id order, as track_needs.csv has them.
    let mut order: Vec<&NeedAccount> = t.needs.iter().collect();
    order.sort_by_key(|n| std::cmp::Reverse(n.open()));
    let mut h = Html::new();
    h.element("p", &[("class", "note")], tw(TrackWord::NeedsNote)).raw("\n");
    open_table(&mut h, "needs-table", "sortable", lang, true);
    let mut headings = vec![
        (Word::Need.text(lang), false),
        (Word::TitleCol.text(lang), false),
        (Word::Requester.text(lang), false),
        (Word::Priority.text(lang), true),
        (tw(TrackWord::StartLatest), false),
        (Word::RequestedUsd.text(lang), true),
    ];
    headings.extend(secured_headings(page));
    headings.extend([
        (tw(TrackWord::OpenUsd), true),
        (tw(TrackWord::State), false),
        (tw(TrackWord::ProposedUsd), true),
    ]);
    header_row(&mut h, &headings);
    let shown = order.len().min(MAX_TABLE_ROWS);
    for n in &order[..shown] {
        let need = by_id.get(n.need_id.as_str()).copied();
        let state = n.state();
        h.open(
            "tr",
            &[("data-need", &n.need_id), ("data-state", state.as_str()), ("data-open", &n.open().to_string())],
        );
        h.element("td", &[("class", "id")], &n.need_id);
        h.element("td", &[], need.map_or("", |n| n.title.as_str()));
        name_cell(&mut h, page.requester_name(need, &n.requester), &n.requester);
        h.element("td", &[("class", "num")], &n.priority.to_string());
        h.element("td", &[("class", "id")], &n.start_latest.map_or_else(String::new, |d| d.to_string()));
        num_cell(&mut h, n.requested);
        secured_cells(&mut h, &n.sums);
        num_cell(&mut h, n.open());
        h.open("td", &[("data-sort", state.as_str())]);
        h.element("span", &[("class", badge_class(state))], need_state_name(state, lang)).close("td");
        num_cell(&mut h, n.sums.proposed);
        h.raw("</tr>\n");
    }
    close_table(&mut h);
    truncated_note(&mut h, shown, order.len(), "track_needs.csv", lang);
    h
}
