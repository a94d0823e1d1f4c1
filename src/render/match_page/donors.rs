//! Donors' envelopes: one row per donor with what it gave and what is left (bars to the scale of the largest
//! envelope), then every offer.

use std::collections::{BTreeMap, HashMap};

use crate::io::outputs::fixed4;
use crate::report::schema::offers_status as col;
use crate::report::{Word, ratio};

use super::super::builder::Html;
use super::super::parts::{
    MAX_TABLE_ROWS, close_table, header_row, labelled, money, name_cell, num_cell, open_table, percent, truncated_note,
};
use super::super::svg::{self, Segment};
use super::MatchPage;

pub(super) fn donors(page: &MatchPage<'_>) -> Html {
    let mut h = Html::new();
    donor_chart(&mut h, page);
    offers_table(&mut h, page);
    h
}

/// The chart of donors, the largest envelope first (ties by code): the bars are drawn to its scale, and now that
/// donors show by name, summary.csv's order by code would read as no order at all.
fn donor_chart(h: &mut Html, page: &MatchPage<'_>) {
    let lang = page.lang;
    let word = |w: Word| w.text(lang);
    // In a round, the bars and a column tell the ledger's locked money from this round's.
    let round = page.report.ledger.is_some();
    // (offers, envelope, allocated, locked) by donor code.
    let mut by_donor: BTreeMap<&str, (usize, i128, i128, i128)> = BTreeMap::new();
    for o in &page.report.offers {
        let d = by_donor.entry(o.donor.as_str()).or_default();
        d.0 += 1;
        d.1 += i128::from(o.envelope_usd);
        d.2 += i128::from(o.allocated_usd);
        d.3 += i128::from(o.locked_usd);
    }
    let largest = by_donor.values().map(|d| d.1).max().unwrap_or(0);
    let mut by_donor: Vec<_> = by_donor.into_iter().collect();
    by_donor.sort_by_key(|(_, d)| std::cmp::Reverse(d.1));
    h.raw("<div class=\"legend\"><span>");
    if round {
        svg::swatch(h, "locked");
        h.text(word(Word::LockedMoney)).raw("</span><span>");
    }
    svg::swatch(h, "used");
    h.text(word(if round { Word::NewMoney } else { Word::Used })).raw("</span><span>");
    svg::swatch(h, "left");
    h.text(word(Word::Left)).raw("</span><span>").text(word(Word::DonorScale)).raw("</span></div>\n");
    h.raw("<div class=\"scroll\">");
    h.open("table", &[("class", "sortable chart"), ("id", "chart-donor")]);
    h.raw("<colgroup><col class=\"w21\"><col class=\"w8\"><col class=\"w14\"><col class=\"w14\"><col class=\"w12\">");
    if round {
        h.raw("<col class=\"w12\">");
    }
    h.raw("<col class=\"c-bar\"></colgroup>");
    let mut headers = vec![
        (word(Word::Donor), false),
        (word(Word::OffersCount), true),
        (word(Word::EnvelopeUsd), true),
        (word(Word::Used), true),
    ];
    if round {
        headers.push((word(Word::LockedUsd), true));
    }
    headers.extend([(word(Word::Left), true), (word(Word::EnvelopeBar), false)]);
    header_row(h, &headers);
    for (donor, (offers, envelope, allocated, locked)) in by_donor {
        let left = envelope - allocated;
        h.open(
            "tr",
            &[
                ("data-dimension", "donor"),
                ("data-key", donor),
                ("data-envelope", &envelope.to_string()),
                ("data-allocated", &allocated.to_string()),
                ("data-locked", &locked.to_string()),
                ("data-remaining", &left.to_string()),
            ],
        );
        let name = page.donor_name(donor);
        name_cell(h, name, donor);
        h.element("td", &[("class", "num")], &offers.to_string());
        num_cell(h, envelope);
        num_cell(h, allocated);
        if round {
            num_cell(h, locked);
        }
        num_cell(h, left);
        let new = allocated - locked;
        let titles = [
            labelled(lang, word(Word::LockedMoney), money(locked)),
            labelled(lang, word(if round { Word::NewMoney } else { Word::Used }), money(new)),
            labelled(lang, word(Word::Left), money(left)),
        ];
        let segments = [
            Segment { share: ratio(locked, largest), class: "locked", title: &titles[0] },
            Segment { share: ratio(new, largest), class: "used", title: &titles[1] },
            Segment { share: ratio(left, largest), class: "left", title: &titles[2] },
        ];
        let shown = if round { &segments[..] } else { &segments[1..] };
        let label = if round {
            format!("{name}: {}, {}, {}", titles[0], titles[1], titles[2])
        } else {
            format!("{name}: {}, {}", titles[1], titles[2])
        };
        h.open("td", &[("class", "chart"), ("data-sort", &fixed4(ratio(allocated, envelope)))]);
        h.raw("<div class=\"barcell\">");
        svg::stacked_bar(h, shown, &label, false);
        h.element("span", &[("class", "pct")], &percent(ratio(allocated, envelope)));
        h.raw("</div></td></tr>\n");
    }
    close_table(h);
}

/// Every offer (the first [`MAX_TABLE_ROWS`]), with the columns of offers_status.csv and the offer's title.
fn offers_table(h: &mut Html, page: &MatchPage<'_>) {
    let lang = page.lang;
    h.element("h3", &[], Word::OffersHeading.text(lang)).raw("\n");
    let titles: HashMap<&str, &str> = page.batch.offers.iter().map(|o| (o.id.as_str(), o.title.as_str())).collect();
    open_table(h, "offers", "sortable", lang, true);
    let round = page.report.ledger.is_some();
    let mut headers = vec![
        (col::OFFER_ID.label(lang), false),
        (Word::TitleCol.text(lang), false),
        (col::DONOR.label(lang), false),
        (col::ENVELOPE_USD.label(lang), true),
        (col::ALLOCATED_USD.label(lang), true),
    ];
    if round {
        headers.push((col::LOCKED_USD.label(lang), true));
    }
    headers.extend([
        (col::REMAINING_USD.label(lang), true),
        (col::AWARDS.label(lang), true),
        (col::ELIGIBLE_NEEDS.label(lang), true),
    ]);
    header_row(h, &headers);
    let shown = page.report.offers.len().min(MAX_TABLE_ROWS);
    for o in &page.report.offers[..shown] {
        h.open("tr", &[("data-offer", &o.offer_id)]);
        h.element("td", &[("class", "id")], &o.offer_id);
        h.element("td", &[], titles.get(o.offer_id.as_str()).copied().unwrap_or(""));
        name_cell(h, page.donor_name(&o.donor), &o.donor);
        num_cell(h, o.envelope_usd.into());
        num_cell(h, o.allocated_usd.into());
        if round {
            num_cell(h, o.locked_usd.into());
        }
        num_cell(h, o.remaining_usd.into());
        h.element("td", &[("class", "num")], &o.awards.to_string());
        h.element("td", &[("class", "num")], &o.eligible_needs.to_string());
        h.raw("</tr>\n");
    }
    close_table(h);
    truncated_note(h, shown, page.report.offers.len(), "offers_status.csv", lang);
}
