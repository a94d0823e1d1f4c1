//! Pieces both pages are built from: numbers and percentages as shown, labelled facts, file names, table
//! openings and headings, numeric cells, name cells, the inputs table and the note under a cut table.

use std::path::Path;

use crate::io::provenance::InputInfo;
use crate::lang::Lang;
use crate::model::group_thousands;
use crate::report::Word;

use super::builder::Html;
use super::svg;

/// Tables longer than this show their first rows only, with a note that the CSV output has them all (a page of
/// 100 000 rows helps nobody and takes a browser a long time to lay out).
pub const MAX_TABLE_ROWS: usize = 5_000;

/// A whole number with its thousands grouped.
pub fn money(v: i128) -> String {
    group_thousands(v)
}

/// A share as a percentage with one decimal (clamped to 0–100 %).
pub fn percent(share: f64) -> String {
    format!("{:.1}%", 100.0 * svg::clamp_share(share))
}

/// `label: value`, with the colon of the page's language.
pub fn labelled(lang: Lang, label: &str, value: impl std::fmt::Display) -> String {
    match lang {
        Lang::En => format!("{label}: {value}"),
        Lang::Zh => format!("{label}：{value}"),
    }
}

/// The last component of an input path (the page names files, not folders of someone's machine), with the
/// bundled sample's marker in the page's language.
pub fn file_name(path: &str, lang: Lang) -> String {
    let (path, bundled) = match path.strip_suffix(" (bundled)") {
        Some(p) => (p, true),
        None => (path, false),
    };
    let name = Path::new(path).file_name().map_or_else(|| path.to_string(), |f| f.to_string_lossy().into_owned());
    if bundled { format!("{name} {}", Word::Bundled.text(lang)) } else { name }
}

/// An input file and its row count, as the header lists them.
pub fn input_fact(info: &InputInfo, lang: Lang) -> String {
    let name = file_name(&info.path, lang);
    let rows = money(info.rows as i128);
    match lang {
        Lang::En => format!("{name} ({rows} rows)"),
        Lang::Zh => format!("{name}，{rows} 行"),
    }
}

/// The header cell of a table column: `num` columns are right-aligned.
pub fn th(h: &mut Html, label: &str, num: bool) {
    h.element("th", if num { &[("class", "num")] } else { &[] }, label);
}

/// A numeric cell: grouped digits shown, the plain number to sort by.
pub fn num_cell(h: &mut Html, v: i128) {
    h.element("td", &[("class", "num"), ("data-sort", &v.to_string())], &money(v));
}

/// A name with its code under it (when they differ); either may wrap between the words of a code.
pub fn name_cell(h: &mut Html, name: &str, code: &str) {
    h.open("td", &[("data-sort", name)]).breakable_text(name);
    if name != code {
        h.open("span", &[("class", "sub")]).open("code", &[]).breakable_text(code).raw("</code></span>");
    }
    h.close("td");
}

/// A sortable table's opening tags (`class` is `sortable` plus any other), with a filter box (added by the
/// script) when `filter`.
pub fn open_table(h: &mut Html, id: &str, class: &'static str, lang: Lang, filter: bool) {
    h.raw("<div class=\"scroll\">");
    if filter {
        h.open("table", &[("class", class), ("id", id), ("data-filter", Word::Filter.text(lang))]);
    } else {
        h.open("table", &[("class", class), ("id", id)]);
    }
}

/// A header row of (label, numeric) columns, between the table's opening and its body.
pub fn header_row(h: &mut Html, headers: &[(&str, bool)]) {
    h.raw("<thead><tr>");
    for (label, num) in headers {
        th(h, label, *num);
    }
    h.raw("</tr></thead><tbody>\n");
}

/// A sortable table with fixed column widths (`w7`, `w19`, ... classes, one per column) and its header row;
/// `headers` are (label, numeric) pairs.
pub fn open_fixed_table(
    h: &mut Html,
    id: &str,
    lang: Lang,
    filter: bool,
    widths: &[&'static str],
    headers: &[(&str, bool)],
) {
    open_table(h, id, "sortable fixed", lang, filter);
    h.raw("<colgroup>");
    for w in widths {
        h.raw("<col class=\"").raw(w).raw("\">");
    }
    h.raw("</colgroup>");
    header_row(h, headers);
}

/// Closes what [`open_table`] opened, with the body.
pub fn close_table(h: &mut Html) {
    h.raw("</tbody></table></div>\n");
}

/// A note under a table cut at [`MAX_TABLE_ROWS`].
pub fn truncated_note(h: &mut Html, shown: usize, total: usize, file: &str, lang: Lang) {
    if shown < total {
        let text = match lang {
            Lang::En => format!("Showing the first {shown} of {total} rows; {file} has them all."),
            Lang::Zh => format!("仅显示前 {shown} 行（共 {total} 行）；完整列表见 {file}。"),
        };
        h.element("p", &[("class", "note")], &text).raw("\n");
    }
}

/// The "About" table of input files: name, rows and SHA-256.
pub fn inputs_table<'a>(h: &mut Html, inputs: impl IntoIterator<Item = &'a InputInfo>, lang: Lang) {
    h.raw("<div class=\"scroll\"><table id=\"inputs\">");
    header_row(h, &[(Word::File.text(lang), false), (Word::RowsCol.text(lang), true), ("SHA-256", false)]);
    for info in inputs {
        h.raw("<tr>").element("td", &[], &file_name(&info.path, lang));
        h.element("td", &[("class", "num")], &money(info.rows as i128));
        h.raw("<td>").element("code", &[], &info.sha256).raw("</td></tr>\n");
    }
    h.raw("</tbody></table></div>\n");
}

/// One labelled fact in a box as wide as the list, its value in running text that wraps (a formula, not a
/// figure).
pub fn wide_fact(h: &mut Html, id: &str, label: &str, value: &str) {
    h.raw("<dl class=\"kpis\">\n").open("div", &[("class", "kpi wide"), ("id", id)]);
    h.element("dt", &[], label).element("dd", &[], value).raw("</div>\n</dl>\n");
}

/// Labelled facts as a list of figure boxes.
pub fn facts_list(h: &mut Html, facts: &[(&str, String)]) {
    h.raw("<dl class=\"kpis\">\n");
    for (label, value) in facts {
        h.raw("<div class=\"kpi\">").element("dt", &[], label).element("dd", &[], value).raw("</div>\n");
    }
    h.raw("</dl>\n");
}
