//! The coverage charts: one row per commitment, theme or M49 region of summary.csv, with its needs, requested,
//! allocated and a bar.

use crate::io::outputs::fixed4;
use crate::model::Theme;
use crate::report::schema::summary;
use crate::report::words::theme_name;
use crate::report::{Dimension, SummaryRow, Word};

use super::super::builder::Html;
use super::super::parts::{close_table, header_row, money, num_cell, percent};
use super::super::svg;
use super::MatchPage;

/// A chart table: five columns of fixed widths (label, count, two amounts, bar), the same in every chart so
/// that the bars line up from one chart to the next.
fn open_chart(h: &mut Html, id: &str) {
    h.raw("<div class=\"scroll\">");
    h.open("table", &[("class", "sortable chart"), ("id", id)]);
    h.raw(
        "<colgroup><col class=\"c-label\"><col class=\"c-n\"><col class=\"c-usd\"><col class=\"c-usd\">\
         <col class=\"c-bar\"></colgroup>",
    );
}

/// The chart of one summary dimension (commitment, theme or region).
pub(super) fn chart(page: &MatchPage<'_>, dimension: Dimension) -> Html {
    let lang = page.lang;
    let first = match dimension {
        Dimension::Commitment => Word::Commitment,
        Dimension::Theme => Word::Theme,
        Dimension::Group => Word::Group,
        _ => Word::Region,
    };
    let rows = page_order(page, dimension);
    let mut h = Html::new();
    open_chart(&mut h, &format!("chart-{dimension}"));
    header_row(
        &mut h,
        &[
            (first.text(lang), false),
            (summary::NEEDS.label(lang), true),
            (summary::REQUESTED_USD.label(lang), true),
            (summary::ALLOCATED_USD.label(lang), true),
            (summary::COVERAGE.label(lang), false),
        ],
    );
    for r in rows {
        let coverage = r.coverage();
        h.open(
            "tr",
            &[
                ("data-dimension", dimension.as_str()),
                ("data-key", &r.key),
                ("data-requested", &r.requested_usd.to_string()),
                ("data-allocated", &r.allocated_usd.to_string()),
                ("data-coverage", &fixed4(coverage)),
            ],
        );
        let label = label_cell(&mut h, page, dimension, r);
        h.element("td", &[("class", "num"), ("data-sort", &r.needs.to_string())], &money(r.needs as i128));
        num_cell(&mut h, r.requested_usd);
        num_cell(&mut h, r.allocated_usd);
        h.open("td", &[("class", "chart"), ("data-sort", &fixed4(coverage))]).raw("<div class=\"barcell\">");
        svg::bar(&mut h, coverage, &format!("{label}: {}", percent(coverage)));
        h.element("span", &[("class", "pct")], &percent(coverage));
        h.raw("</div></td></tr>\n");
    }
    close_table(&mut h);
    h
}

/// The rows of one dimension in the order a reader looks for them (summary.csv keeps its own, by key):
/// commitments in the catalogue's order, which is the outcome document's; regions from the most requested down
/// (M49 codes carry no meaning for a reader); themes in the vocabulary's order; groups as summary.csv has them.
fn page_order<'r>(page: &MatchPage<'r>, dimension: Dimension) -> Vec<&'r SummaryRow> {
    let mut rows: Vec<&SummaryRow> = page.report.summary.iter().filter(|r| r.dimension == dimension).collect();
    match dimension {
        // A code the catalogue does not know (none should reach here) goes last; the sort is stable.
        Dimension::Commitment => {
            rows.sort_by_key(|r| page.reference.commitment_by_code(&r.key).map_or(u16::MAX, |c| c.0))
        }
        Dimension::Region => rows.sort_by_key(|r| (r.key == "unknown", std::cmp::Reverse(r.requested_usd))),
        // The vocabulary's order (marking, record keeping, tracing, ...) reads the same in every language, where
        // summary.csv's order by key is English spelling.
        Dimension::Theme => rows.sort_by_key(|r| Theme::parse(&r.key).map_or(usize::MAX, |t| t as usize)),
        _ => {}
    }
    rows
}

/// The section of docs/spec.md §10: the concentration of the allocation on requesters (summary.csv's
/// `concentration` rows), then the coverage of the LDC, LLDC and SIDS groups as a chart.
pub(super) fn fairness(page: &MatchPage<'_>) -> Html {
    let lang = page.lang;
    let mut h = Html::new();
    for r in page.report.summary.iter().filter(|r| r.dimension == Dimension::Concentration) {
        let figure = if r.key == "top5" { percent(r.coverage()) } else { fixed4(r.coverage()) };
        let word = if r.key == "top5" { Word::TopFiveShare } else { Word::Herfindahl };
        h.open("p", &[("data-concentration", &r.key), ("data-value", &fixed4(r.coverage()))]);
        h.text(word.text(lang)).text(": ").element("strong", &[], &figure).close("p");
    }
    h.append(&chart(page, Dimension::Group));
    h
}

/// The first cell of a chart row (the key's name in the page's language); returns the name for the bar's label.
fn label_cell(h: &mut Html, page: &MatchPage<'_>, dimension: Dimension, r: &SummaryRow) -> String {
    let lang = page.lang;
    match dimension {
        Dimension::Commitment => {
            let title = page
                .reference
                .commitment_by_code(&r.key)
                .map_or(r.label.as_str(), |c| page.reference.commitment(c).title(lang.code()));
            h.open("td", &[("class", "label"), ("data-sort", &r.key)]);
            h.element("code", &[], &r.key).raw(" ").text(title).close("td");
            format!("{} {title}", r.key)
        }
        Dimension::Theme => {
            let name = Theme::parse(&r.key).map_or(Word::Unknown.text(lang), |t| theme_name(t, lang));
            h.open("td", &[("class", "label")]).text(name).close("td");
            name.to_string()
        }
        _ => {
            let name = match (r.key.as_str(), r.key.parse::<u16>().ok().and_then(|m| page.reference.area(m))) {
                (_, Some(area)) => area.name(lang.code()),
                ("unknown", None) => Word::Unknown.text(lang),
                _ => r.label.as_str(),
            };
            h.open("td", &[("class", "label")]).text(name).close("td");
            name.to_string()
        }
    }
}
