//! The matches table: every allocation with names for requesters and donors and the commitment's title.

use std::collections::HashMap;

use crate::model::Need;
use crate::report::schema::matches as col;
use crate::report::words::kind_name;
use crate::report::{Origin, Word};

use super::super::builder::Html;
use super::super::parts::{MAX_TABLE_ROWS, close_table, header_row, name_cell, num_cell, open_table, truncated_note};
use super::MatchPage;

pub(super) fn matches(page: &MatchPage<'_>) -> Html {
    let lang = page.lang;
    let by_id: HashMap<&str, &Need> = page.batch.needs.iter().map(|n| (n.id.as_str(), n)).collect();
    let all = &page.report.matches;
    let mut h = Html::new();
    if all.is_empty() {
        h.element("p", &[("class", "note")], Word::NoMatches.text(lang));
        return h;
    }
    open_table(&mut h, "matches-table", "sortable", lang, true);
    let shown_columns = [col::NEED_ID, col::REQUESTER, col::OFFER_ID, col::DONOR, col::COMMITMENT, col::KIND];
    let mut headers: Vec<(&str, bool)> = shown_columns.iter().map(|c| (c.label(lang), false)).collect();
    headers.extend([(col::AMOUNT_USD.label(lang), true), (col::FIT.label(lang), true)]);
    // A round with a ledger tells locked money from new.
    let with_origin = page.report.ledger.is_some();
    if with_origin {
        headers.push((col::ORIGIN.label(lang), false));
    }
    header_row(&mut h, &headers);
    let shown = all.len().min(MAX_TABLE_ROWS);
    for m in &all[..shown] {
        let need = by_id.get(m.need_id.as_str()).copied();
        h.open("tr", &[("data-need", &m.need_id), ("data-offer", &m.offer_id), ("data-origin", m.origin.as_str())]);
        match need {
            Some(n) => h.element("td", &[("class", "id"), ("title", &n.title)], &m.need_id),
            None => h.element("td", &[("class", "id")], &m.need_id),
        };
        name_cell(&mut h, page.requester_name(need, &m.requester), &m.requester);
        h.element("td", &[("class", "id")], &m.offer_id);
        name_cell(&mut h, page.donor_name(&m.donor), &m.donor);
        page.commitment_cell(&mut h, &m.commitment);
        h.element("td", &[("data-sort", m.kind.as_str())], kind_name(m.kind, lang));
        num_cell(&mut h, m.amount_usd.into());
        h.element("td", &[("class", "num")], &m.fit.to_string());
        if with_origin {
            let (class, word) = match m.origin {
                Origin::Locked => ("badge locked", Word::OriginLocked),
                Origin::New => ("badge new", Word::OriginNew),
            };
            h.open("td", &[("data-sort", m.origin.as_str())]);
            h.element("span", &[("class", class)], word.text(lang)).close("td");
        }
        h.raw("</tr>\n");
    }
    close_table(&mut h);
    truncated_note(&mut h, shown, all.len(), "matches.csv", lang);
    h
}
