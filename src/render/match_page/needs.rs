//! Needs not fully funded: each with its title, requester, commitment, priority, amounts, status and the reason
//! in words (what kept each eligible offer from giving more, counted, and the reason's code under it).

use std::collections::HashMap;

use crate::model::Need;
use crate::report::schema::needs_status as col;
use crate::report::words::{need_state_name, offers_why_text, shortfall_text};
use crate::report::{NeedState, Word};

use super::super::builder::Html;
use super::super::parts::{
    MAX_TABLE_ROWS, close_table, money, name_cell, num_cell, open_fixed_table, percent, truncated_note,
};
use super::MatchPage;

pub(super) fn needs_short(page: &MatchPage<'_>) -> Html {
    let lang = page.lang;
    let by_id: HashMap<&str, &Need> = page.batch.needs.iter().map(|n| (n.id.as_str(), n)).collect();
    let short: Vec<_> = page.report.needs.iter().filter(|n| n.status != NeedState::Funded).collect();
    let mut h = Html::new();
    if short.is_empty() {
        h.element("p", &[("class", "note")], Word::AllFunded.text(lang));
        return h;
    }
    h.element("p", &[("class", "note")], Word::NeedsNote.text(lang)).raw("\n");
    open_fixed_table(
        &mut h,
        "needs-table",
        lang,
        true,
        &["w8", "w19", "w12", "w11", "w7", "w10", "w10", "w8", "w15"],
        &[
            (col::NEED_ID.label(lang), false),
            (Word::TitleCol.text(lang), false),
            (col::REQUESTER.label(lang), false),
            (Word::Commitment.text(lang), false),
            (col::PRIORITY.label(lang), true),
            (col::REQUESTED_USD.label(lang), true),
            (col::ALLOCATED_USD.label(lang), true),
            (col::STATUS.label(lang), false),
            (col::REASON.label(lang), false),
        ],
    );
    let shown = short.len().min(MAX_TABLE_ROWS);
    for n in &short[..shown] {
        let need = by_id.get(n.need_id.as_str()).copied();
        let reason = n.reason_code();
        h.open(
            "tr",
            &[
                ("data-need", &n.need_id),
                ("data-status", n.status.as_str()),
                ("data-reason", &reason),
                ("data-allocated", &n.allocated_usd.to_string()),
            ],
        );
        h.element("td", &[("class", "id")], &n.need_id);
        match need {
            Some(need) if !need.notes.is_empty() => {
                h.element("td", &[("class", "title"), ("title", &need.notes)], &need.title);
            }
            _ => {
                h.element("td", &[("class", "title")], need.map_or("", |n| n.title.as_str()));
            }
        }
        name_cell(&mut h, page.requester_name(need, &n.requester), &n.requester);
        match need.and_then(|n| n.commitments.first()) {
            Some(&c) => page.commitment_cell(&mut h, &page.reference.commitment(c).code),
            None => {
                h.raw("<td></td>");
            }
        }
        h.element("td", &[("class", "num")], &n.priority.to_string());
        num_cell(&mut h, n.requested_usd.into());
        // Allocated, with the coverage under it.
        h.open("td", &[("class", "num"), ("data-sort", &n.allocated_usd.to_string())]);
        h.text(&money(n.allocated_usd.into()));
        h.element("span", &[("class", "sub")], &percent(n.coverage()));
        if n.locked_usd > 0 {
            let locked = format!("{} {}", Word::OfWhichLocked.text(lang), money(n.locked_usd.into()));
            h.element("span", &[("class", "sub locked")], &locked);
        }
        h.close("td");
        h.open("td", &[("data-sort", n.status.as_str())]);
        h.element("span", &[("class", badge_class(n.status))], need_state_name(n.status, lang));
        h.close("td");
        h.open("td", &[("data-sort", &reason)]).text(&shortfall_text(n.reason, lang));
        // Offer by offer, in counts: the same holds as needs_status.csv's offers_why and `explain --from`.
        let offers_why = offers_why_text(&n.offers_why, lang);
        if !offers_why.is_empty() {
            h.element("span", &[("class", "sub why")], &offers_why);
        }
        h.open("span", &[("class", "sub")]).element("code", &[], &reason).raw("</span></td></tr>\n");
    }
    close_table(&mut h);
    truncated_note(&mut h, shown, short.len(), "needs_status.csv", lang);
    h
}

fn badge_class(s: NeedState) -> &'static str {
    match s {
        NeedState::Funded => "badge funded",
        NeedState::Partial => "badge partial",
        NeedState::Unfunded => "badge unfunded",
        NeedState::LockedIncomplete => "badge partial",
    }
}
