//! The lists: what to follow up, the awards whose need or offer is not in the batch, and what the follow-up read.

use crate::model::Date;
use crate::report::Word;
use crate::track::TrackWord;
use crate::track::words::{award_status_name, followup_kind_name, unmatched_kind_name};

use super::super::builder::Html;
use super::super::parts::{
    MAX_TABLE_ROWS, close_table, facts_list, header_row, inputs_table, name_cell, num_cell, open_table, truncated_note,
};
use super::TrackPage;

fn date_text(d: Option<Date>) -> String {
    d.map_or_else(String::new, |d| d.to_string())
}

pub(super) fn followups(page: &TrackPage<'_>) -> Html {
    let (t, lang) = (page.track, page.lang);
    let tw = |w: TrackWord| w.text(lang);
    let mut h = Html::new();
    if t.followups.is_empty() {
        h.element("p", &[("class", "note")], tw(TrackWord::NoFollowUps));
        return h;
    }
    h.element("p", &[("class", "note")], tw(TrackWord::FollowUpNote)).raw("\n");
    open_table(&mut h, "followup-table", "sortable", lang, true);
    header_row(
        &mut h,
        &[
            (tw(TrackWord::Kind), false),
            (tw(TrackWord::Award), false),
            (Word::Need.text(lang), false),
            (Word::Offer.text(lang), false),
            (Word::Donor.text(lang), false),
            (tw(TrackWord::Status), false),
            (Word::AmountUsd.text(lang), true),
            (tw(TrackWord::Date), false),
            (tw(TrackWord::DaysCol), true),
        ],
    );
    let shown = t.followups.len().min(MAX_TABLE_ROWS);
    for f in &t.followups[..shown] {
        h.open("tr", &[("data-kind", f.kind.as_str()), ("data-award", &f.award_id), ("data-need", &f.need_id)]);
        h.open("td", &[("data-sort", f.kind.as_str())]).text(followup_kind_name(f.kind, lang)).close("td");
        h.element("td", &[("class", "id")], &f.award_id);
        h.element("td", &[("class", "id")], &f.need_id);
        h.element("td", &[("class", "id")], &f.offer_id);
        // An award whose offer is not in the batch has no donor to name.
        if f.donor.is_empty() {
            h.raw("<td></td>");
        } else {
            name_cell(&mut h, page.donor_name(&f.donor), &f.donor);
        }
        h.element("td", &[], f.status.map_or("", |s| award_status_name(s, lang)));
        num_cell(&mut h, f.amount);
        h.element("td", &[("class", "id")], &date_text(f.date));
        match f.days {
            Some(days) => num_cell(&mut h, i128::from(days)),
            None => {
                h.raw("<td class=\"num\"></td>");
            }
        }
        h.raw("</tr>\n");
    }
    close_table(&mut h);
    truncated_note(&mut h, shown, t.followups.len(), "track_followup.csv", lang);
    h
}

pub(super) fn unmatched(page: &TrackPage<'_>) -> Html {
    let (t, lang) = (page.track, page.lang);
    let tw = |w: TrackWord| w.text(lang);
    let mut h = Html::new();
    if t.unmatched.is_empty() {
        h.element("p", &[("class", "note")], tw(TrackWord::NoUnmatched));
        return h;
    }
    h.element("p", &[("class", "note")], tw(TrackWord::UnmatchedNote)).raw("\n");
    open_table(&mut h, "unmatched-table", "sortable", lang, true);
    header_row(
        &mut h,
        &[
            (tw(TrackWord::Award), false),
            (tw(TrackWord::Missing), false),
            (tw(TrackWord::Round), false),
            (Word::Need.text(lang), false),
            (Word::Offer.text(lang), false),
            (Word::AmountUsd.text(lang), true),
            (tw(TrackWord::Status), false),
            (tw(TrackWord::Date), false),
            (tw(TrackWord::LedgerLine), true),
        ],
    );
    let shown = t.unmatched.len().min(MAX_TABLE_ROWS);
    for u in &t.unmatched[..shown] {
        h.open("tr", &[("data-award", &u.award_id), ("data-missing", u.kind.as_str())]);
        h.element("td", &[("class", "id")], &u.award_id);
        h.open("td", &[("data-sort", u.kind.as_str())]).text(unmatched_kind_name(u.kind, lang)).close("td");
        h.element("td", &[], &u.round);
        h.element("td", &[("class", "id")], &u.need_id);
        h.element("td", &[("class", "id")], &u.offer_id);
        num_cell(&mut h, i128::from(u.amount));
        h.element("td", &[], award_status_name(u.status, lang));
        h.element("td", &[("class", "id")], &date_text(u.status_date));
        num_cell(&mut h, i128::from(u.line));
        h.raw("</tr>\n");
    }
    close_table(&mut h);
    truncated_note(&mut h, shown, t.unmatched.len(), "track_unmatched.csv", lang);
    h
}

pub(super) fn about(page: &TrackPage<'_>) -> Html {
    let (info, lang) = (page.info, page.lang);
    let tw = |w: TrackWord| w.text(lang);
    let mut h = Html::new();
    let inputs = &info.inputs;
    let tables = [&inputs.commitments, &inputs.countries, &inputs.regions, &inputs.donors, &inputs.rates];
    inputs_table(
        &mut h,
        [&inputs.ledger, &inputs.needs, &inputs.offers].into_iter().chain(tables.into_iter().flatten()),
        lang,
    );
    let facts = [
        (tw(TrackWord::AsOf), info.options.as_of.clone()),
        (tw(TrackWord::StaleAfter), format!("{} {}", info.options.stale_days, tw(TrackWord::Days))),
    ];
    facts_list(&mut h, &facts);
    h.element("p", &[("class", "note")], tw(TrackWord::AboutNote));
    h
}
