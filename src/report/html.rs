//! report.html: one self-contained page for people (SPEC §6), a pure function of the report, run.json's content,
//! the batch, the reference tables and the language.
//!
//! - **Self-contained**: inline CSS, inline SVG charts ([`super::svg`]) and a few lines of inline script; no
//!   font, image, style sheet or script is loaded from anywhere, and a Content-Security-Policy (`default-src
//!   'none'`, with the hashes of the page's own style and script) makes the browser refuse any request the page
//!   might still try.
//! - **Escaped**: markup is written through [`Html`], whose only way to add unescaped text takes a `&'static str`
//!   (markup written in this crate); every string from an input file (ids, titles, notes, donor codes) goes
//!   through [`Html::text`] or an attribute value, both escaped.
//! - **Deterministic**: no clock, no path of the output folder and no timing from run.json appears, and every list
//!   is in a fixed order, so the same inputs give the same bytes on any number of threads.
//! - **Works without script**: every figure and table is in the HTML; the script only adds sorting by column and a
//!   filter box to the tables.
//! - **Languages**: `en` and `zh` label everything (headings, columns, statuses, reasons, themes, kinds); titles
//!   of commitments come from the catalogue's `title_en`/`title_zh`, names of countries and regions from the
//!   reference tables.
//!
//! A page is a list of [`Section`]s in a frame ([`render_page`]); `match` builds its sections with
//! [`match_sections`]. A later `simulate` report adds its own sections (say, allocation quantiles per scenario)
//! and renders them with the same frame, styles and script.

mod simulate;

pub use simulate::{SimulatePage, render_simulate_page};

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::svg::{self, Segment};
use super::{MatchReport, NeedState, SummaryRow, ratio};
use crate::catalog::Reference;
use crate::io::outputs::fixed4;
use crate::model::{Batch, Kind, Need, Requester, Theme, group_thousands};
use crate::run::RunInfo;

/// Tables longer than this show their first rows only, with a note that the CSV output has them all (a page of
/// 100 000 rows helps nobody and takes a browser a long time to lay out).
pub const MAX_TABLE_ROWS: usize = 5_000;

/// HTML being written: escaped text, and markup that this crate wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Html {
    buf: String,
}

/// Appends `text` to `buf` with `&`, `<`, `>`, `"` and `'` escaped (safe in text and in quoted attribute values);
/// NUL, which HTML does not allow, becomes U+FFFD.
pub fn push_escaped(buf: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => buf.push_str("&amp;"),
            '<' => buf.push_str("&lt;"),
            '>' => buf.push_str("&gt;"),
            '"' => buf.push_str("&quot;"),
            '\'' => buf.push_str("&#39;"),
            '\0' => buf.push('\u{FFFD}'),
            c => buf.push(c),
        }
    }
}

/// `text` escaped for HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

impl Html {
    /// Empty.
    pub fn new() -> Html {
        Html::default()
    }

    /// Appends markup written in this crate (a literal: input text cannot get here).
    pub fn raw(&mut self, markup: &'static str) -> &mut Html {
        self.buf.push_str(markup);
        self
    }

    /// Appends text, escaped.
    pub fn text(&mut self, text: &str) -> &mut Html {
        push_escaped(&mut self.buf, text);
        self
    }

    /// Opens element `tag` with attributes (values escaped, always double-quoted).
    pub fn open(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) -> &mut Html {
        self.buf.push('<');
        self.buf.push_str(tag);
        for (name, value) in attrs {
            self.buf.push(' ');
            self.buf.push_str(name);
            self.buf.push_str("=\"");
            push_escaped(&mut self.buf, value);
            self.buf.push('"');
        }
        self.buf.push('>');
        self
    }

    /// Closes element `tag`.
    pub fn close(&mut self, tag: &'static str) -> &mut Html {
        self.buf.push_str("</");
        self.buf.push_str(tag);
        self.buf.push('>');
        self
    }

    /// An element holding text only.
    pub fn element(&mut self, tag: &'static str, attrs: &[(&'static str, &str)], text: &str) -> &mut Html {
        self.open(tag, attrs).text(text).close(tag)
    }

    /// Appends other HTML.
    pub fn append(&mut self, other: &Html) -> &mut Html {
        self.buf.push_str(&other.buf);
        self
    }

    /// The HTML written so far.
    pub fn as_str(&self) -> &str {
        &self.buf
    }

    /// The HTML written.
    pub fn into_string(self) -> String {
        self.buf
    }
}

/// One titled part of a page, with an anchor in the page's table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Element id (`headline`, `by-commitment`, ...): the anchor and a handle for tests.
    pub id: &'static str,
    /// Heading, in the page's language.
    pub heading: String,
    /// Content.
    pub body: Html,
}

/// What frames a page: language, title, a lead paragraph and a footer line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageFrame<'a> {
    /// `en` or `zh`.
    pub lang: &'a str,
    /// The `<title>` and the top heading.
    pub title: &'a str,
    /// One paragraph under the heading.
    pub lead: &'a str,
    /// Facts under the lead (method, status, inputs), one short line each.
    pub facts: &'a [String],
    /// Last line of the page.
    pub footer: &'a str,
}

/// Everything the match report page is made of.
#[derive(Debug, Clone, Copy)]
pub struct MatchPage<'a> {
    /// The report tables.
    pub report: &'a MatchReport,
    /// run.json's content (timings are not shown).
    pub run: &'a RunInfo,
    /// The batch (titles, requesters, commitments).
    pub batch: &'a Batch,
    /// Reference tables (commitment titles, country and region names).
    pub reference: &'a Reference,
    /// `en` or `zh`.
    pub lang: &'a str,
}

/// The page's style sheet (no web font: the system's fonts, with CJK families named for Chinese).
const STYLE: &str = r#"
:root{color-scheme:light;--ink:#1f2933;--muted:#52606d;--line:#d9e2ec;--head:#f0f4f8;--track:#e4e7eb;--fill:#2f6fb0;--left:#b9d3ec;--funded:#2e7d32;--partial:#b26a00;--unfunded:#c62828}
*{box-sizing:border-box}
body{margin:0;background:#f5f7fa;color:var(--ink);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif}
header,main,footer{max-width:1200px;margin:0 auto;padding:0 24px}
header{padding-top:20px}
h1{font-size:1.6rem;margin:0 0 .3rem}
h2{font-size:1.2rem;margin:0 0 .6rem}
.lead{margin:.2rem 0 .5rem;color:var(--muted);max-width:60rem}
.facts{display:flex;flex-wrap:wrap;gap:.2rem 1.2rem;list-style:none;margin:0;padding:0;color:var(--muted);font-size:.9rem}
nav ul{display:flex;flex-wrap:wrap;gap:.2rem 1.2rem;list-style:none;margin:.8rem 0 0;padding:0;font-size:.9rem}
a{color:#1d5a96}
section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:14px 18px;margin:14px 0}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:10px;margin:0 0 10px}
.kpi{border:1px solid var(--line);border-radius:6px;padding:8px 12px}
.kpi dt{font-size:.8rem;color:var(--muted)}
.kpi dd{margin:0;font-size:1.3rem;font-weight:600;font-variant-numeric:tabular-nums;white-space:nowrap}
.kpi.word dd{font-size:1.05rem;white-space:normal;padding-top:.2rem}
.kpi dd small{font-size:.75rem;font-weight:400;color:var(--muted);margin-left:.25rem}
.kpi.funded dd{color:var(--funded)}.kpi.partial dd{color:var(--partial)}.kpi.unfunded dd{color:var(--unfunded)}
.needsbar{margin:2px 0 4px}
.note{color:var(--muted);font-size:.9rem;margin:.4rem 0}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.88rem}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--head);font-weight:600}
th.num,td.num{text-align:right;font-variant-numeric:tabular-nums}
td.num,table:not(.fixed) th.num{white-space:nowrap}
td.id{white-space:nowrap}
table.fixed{table-layout:fixed}
table.fixed td{overflow-wrap:anywhere}
table.fixed td.id{white-space:normal}
.w7{width:7%}.w8{width:8%}.w10{width:10%}.w11{width:11%}.w12{width:12%}.w14{width:14%}.w15{width:15%}.w19{width:19%}.w21{width:21%}.w25{width:25%}.w29{width:29%}
td.chart{vertical-align:middle}
table.chart{table-layout:fixed}
table.chart col.c-label{width:36%}table.chart col.c-n{width:7%}table.chart col.c-usd{width:14%}table.chart col.c-bar{width:29%}
table.chart th{overflow-wrap:normal}
.barcell{display:flex;align-items:center;gap:8px}
.barcell .pct{min-width:3.6em;text-align:right;font-variant-numeric:tabular-nums}
svg.bar{display:block;flex:1;width:100%;height:16px;min-width:120px}
svg.swatch{display:inline-block;width:.8em;height:.8em;margin-right:.3em;vertical-align:-.05em}
.track{fill:var(--track)}.fill,.used{fill:var(--fill)}.left{fill:var(--left)}
.funded{fill:var(--funded)}.partial{fill:var(--partial)}.unfunded{fill:var(--unfunded)}
.grid{stroke:#fff;stroke-width:1}
.legend{display:flex;flex-wrap:wrap;gap:.2rem 1.2rem;font-size:.85rem;color:var(--muted);margin:.3rem 0 .8rem}
.badge{display:inline-block;padding:0 7px;border-radius:9px;font-size:.8rem;color:#fff;white-space:nowrap}
.badge.funded{background:var(--funded)}.badge.partial{background:var(--partial)}.badge.unfunded{background:var(--unfunded)}
code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"Noto Sans Mono",monospace;font-size:.85em}
.sub{display:block;color:var(--muted);font-size:.8rem}
.filter{display:block;margin:0 0 8px;padding:4px 8px;width:18rem;max-width:100%;border:1px solid var(--line);border-radius:4px;font:inherit}
th.sort{cursor:pointer;user-select:none}
th[aria-sort=ascending]::after{content:" \25B2"}th[aria-sort=descending]::after{content:" \25BC"}
footer{padding-bottom:24px;color:var(--muted);font-size:.85rem}
@media print{body{background:#fff}section{border:none;padding:0}.filter,nav{display:none}}
"#;

/// The page's script: sorting by a column heading (click or Enter) and a filter box above each table that asks
/// for one. It reads labels from data attributes, so it is the same text in every language (and one CSP hash).
const SCRIPT: &str = r#"
(function () {
  'use strict';
  function key(cell) {
    var v = cell ? cell.getAttribute('data-sort') : '';
    if (v === null) { v = cell.textContent.trim(); }
    var n = Number(v);
    return v !== '' && !isNaN(n) ? n : v.toLowerCase();
  }
  function compare(x, y) {
    if (typeof x === 'number' && typeof y === 'number') { return x - y; }
    if (typeof x === 'number') { return -1; }
    if (typeof y === 'number') { return 1; }
    return x.localeCompare(y);
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var heads = table.querySelectorAll('thead th');
    Array.prototype.forEach.call(heads, function (th, col) {
      th.tabIndex = 0;
      th.classList.add('sort');
      function sort() {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var c = compare(key(a.cells[col]), key(b.cells[col]));
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); }
      });
    });
    var label = table.getAttribute('data-filter');
    if (!label) { return; }
    var input = document.createElement('input');
    input.type = 'search';
    input.className = 'filter';
    input.placeholder = label;
    input.setAttribute('aria-label', label);
    input.addEventListener('input', function () {
      var q = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(body.rows, function (r) {
        r.hidden = q !== '' && r.textContent.toLowerCase().indexOf(q) < 0;
      });
    });
    var holder = table.parentNode.classList.contains('scroll') ? table.parentNode : table;
    holder.parentNode.insertBefore(input, holder);
  });
})();
"#;

/// Standard base64 (with padding) of `bytes`, for CSP hashes.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A CSP source expression for an inline element's content.
fn csp_hash(content: &str) -> String {
    format!("'sha256-{}'", base64(&Sha256::digest(content.as_bytes())))
}

/// The HTML `lang` value for a language code.
fn html_lang(lang: &str) -> &'static str {
    if is_zh(lang) { "zh-Hans" } else { "en" }
}

fn is_zh(lang: &str) -> bool {
    lang == "zh"
}

/// A whole page: doctype, head (charset, CSP, style), header with a table of contents, the sections, the footer
/// and the script.
pub fn render_page(frame: &PageFrame<'_>, sections: &[Section]) -> String {
    let l = Labels::of(frame.lang);
    let csp = format!(
        "default-src 'none'; style-src {}; script-src {}; img-src 'none'; base-uri 'none'; form-action 'none'",
        csp_hash(STYLE),
        csp_hash(SCRIPT)
    );
    let mut h = Html::new();
    h.raw("<!DOCTYPE html>\n");
    h.open("html", &[("lang", html_lang(frame.lang))]).raw("\n<head>\n");
    h.raw("<meta charset=\"utf-8\">\n");
    h.open("meta", &[("http-equiv", "Content-Security-Policy"), ("content", &csp)]).raw("\n");
    h.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.raw("<meta name=\"generator\" content=\"poa-match\">\n");
    h.element("title", &[], frame.title).raw("\n");
    h.raw("<style>").raw(STYLE).raw("</style>\n</head>\n<body>\n<header>\n");
    h.element("h1", &[], frame.title).raw("\n");
    h.element("p", &[("class", "lead")], frame.lead).raw("\n");
    if !frame.facts.is_empty() {
        h.raw("<ul class=\"facts\">");
        for fact in frame.facts {
            h.element("li", &[], fact);
        }
        h.raw("</ul>\n");
    }
    h.open("nav", &[("aria-label", l.contents)]).raw("<ul>");
    for s in sections {
        h.raw("<li>").open("a", &[("href", &format!("#{}", s.id))]).text(&s.heading).raw("</a></li>");
    }
    h.raw("</ul></nav>\n</header>\n<main>\n");
    for s in sections {
        h.open("section", &[("id", s.id)]).raw("\n");
        h.element("h2", &[], &s.heading).raw("\n");
        h.append(&s.body);
        h.raw("\n</section>\n");
    }
    h.raw("</main>\n<footer>");
    h.element("p", &[], frame.footer);
    h.raw("</footer>\n<script>").raw(SCRIPT).raw("</script>\n</body>\n</html>\n");
    h.into_string()
}

/// The report page of a match run.
pub fn render_match_page(page: &MatchPage<'_>) -> String {
    let l = Labels::of(page.lang);
    let run = page.run;
    let facts = vec![
        labelled(l, l.method, method_name(run.method, l)),
        labelled(l, l.status, status_name(run.status, l)),
        labelled(l, l.needs_file, input_fact(&run.inputs.needs.path, run.inputs.needs.rows, l)),
        labelled(l, l.offers_file, input_fact(&run.inputs.offers.path, run.inputs.offers.rows, l)),
        format!("poa-match {}", run.version),
    ];
    let sections = match_sections(page);
    render_page(
        &PageFrame { lang: page.lang, title: l.title, lead: l.lead, facts: &facts, footer: l.footer },
        &sections,
    )
}

/// The sections of the match report: headline figures, coverage by commitment, theme and region, donors'
/// envelopes, needs not fully funded, matches, and what the run used.
pub fn match_sections(page: &MatchPage<'_>) -> Vec<Section> {
    let l = Labels::of(page.lang);
    vec![
        Section { id: "headline", heading: l.headline.into(), body: headline(page, l) },
        Section {
            id: "by-commitment",
            heading: l.by_commitment.into(),
            body: coverage_chart(page, "commitment", l.commitment, l),
        },
        Section { id: "by-theme", heading: l.by_theme.into(), body: coverage_chart(page, "theme", l.theme, l) },
        Section { id: "by-region", heading: l.by_region.into(), body: coverage_chart(page, "region", l.region, l) },
        Section { id: "donors", heading: l.donors.into(), body: donors(page, l) },
        Section { id: "needs", heading: l.needs_short.into(), body: needs_short(page, l) },
        Section { id: "matches", heading: l.matches.into(), body: matches(page, l) },
        Section { id: "about", heading: l.about.into(), body: about(page, l) },
    ]
}

/// The last component of an input path (the page names files, not folders of someone's machine), with the
/// bundled sample's marker in the page's language.
fn file_name(path: &str, l: &Labels) -> String {
    let (path, bundled) = match path.strip_suffix(" (bundled)") {
        Some(p) => (p, true),
        None => (path, false),
    };
    let name = Path::new(path).file_name().map_or_else(|| path.to_string(), |f| f.to_string_lossy().into_owned());
    if bundled { format!("{name} {}", l.bundled) } else { name }
}

/// An input file and its row count, as the header lists them.
fn input_fact(path: &str, rows: usize, l: &Labels) -> String {
    let name = file_name(path, l);
    let rows = money(rows as i128);
    if l.zh { format!("{name}，{rows} 行") } else { format!("{name} ({rows} rows)") }
}

/// `label: value`, with the colon of the page's language.
fn labelled(l: &Labels, label: &str, value: impl std::fmt::Display) -> String {
    if l.zh { format!("{label}：{value}") } else { format!("{label}: {value}") }
}

fn money(v: i128) -> String {
    group_thousands(v)
}

fn percent(share: f64) -> String {
    format!("{:.1}%", 100.0 * svg::clamp_share(share))
}

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

fn headline(page: &MatchPage<'_>, l: &Labels) -> Html {
    let run = page.run;
    let mut h = Html::new();
    let coverage = ratio(run.allocated_usd, run.requested_usd);
    // Three rows: money, needs, and the solver's certificate.
    h.raw("<dl class=\"kpis\">\n");
    for (name, label, v) in [
        ("requested", l.requested, run.requested_usd),
        ("offered", l.offered, run.offered_usd),
        ("allocated", l.allocated, run.allocated_usd),
    ] {
        kpi(&mut h, name, "kpi", label, &v.to_string(), &money(v), l.usd);
    }
    kpi(&mut h, "coverage", "kpi", l.coverage, &fixed4(coverage), &percent(coverage), "");
    h.raw("</dl>\n<dl class=\"kpis\">\n");
    let counts = &run.needs;
    for (name, class, label, n) in [
        ("needs-total", "kpi", l.needs_total, counts.total),
        ("needs-funded", "kpi funded", l.funded, counts.funded),
        ("needs-partial", "kpi partial", l.partial, counts.partial),
        ("needs-unfunded", "kpi unfunded", l.unfunded, counts.unfunded),
    ] {
        kpi(&mut h, name, class, label, &n.to_string(), &money(n as i128), "");
    }
    h.raw("</dl>\n");
    // The needs by outcome as one stacked bar.
    let total = counts.total.max(1) as f64;
    let titles = [
        labelled(l, l.funded, counts.funded),
        labelled(l, l.partial, counts.partial),
        labelled(l, l.unfunded, counts.unfunded),
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
    for (name, label, v) in [("objective", l.objective, run.objective), ("bound", l.bound, run.bound)] {
        kpi(&mut h, name, "kpi", label, &v.to_string(), &money(v), "");
    }
    kpi(&mut h, "gap", "kpi", l.gap, &run.gap.to_string(), &format!("{:.4}%", 100.0 * run.gap), "");
    kpi(&mut h, "method", "kpi word", l.method, run.method, method_name(run.method, l), "");
    kpi(&mut h, "status", "kpi word", l.status, run.status, status_name(run.status, l), "");
    h.raw("</dl>\n");
    h.element("p", &[("class", "note")], l.objective_note).raw("\n");
    h
}

/// The header cell of a table column: `num` columns are right-aligned.
fn th(h: &mut Html, label: &str, num: bool) {
    h.element("th", if num { &[("class", "num")] } else { &[] }, label);
}

/// A numeric cell: grouped digits shown, the plain number to sort by.
fn num_cell(h: &mut Html, v: i128) {
    h.element("td", &[("class", "num"), ("data-sort", &v.to_string())], &money(v));
}

/// A sortable table's opening tags (`class` is `sortable` plus any other), with a filter box (added by the
/// script) when `filter`.
fn open_table(h: &mut Html, id: &str, class: &'static str, l: &Labels, filter: bool) {
    h.raw("<div class=\"scroll\">");
    if filter {
        h.open("table", &[("class", class), ("id", id), ("data-filter", l.filter)]);
    } else {
        h.open("table", &[("class", class), ("id", id)]);
    }
}

/// A sortable table with fixed column widths (`w7`, `w19`, ... classes, one per column) and its header row;
/// `headers` are (label, numeric) pairs.
fn open_fixed_table(
    h: &mut Html,
    id: &str,
    l: &Labels,
    filter: bool,
    widths: &[&'static str],
    headers: &[(&str, bool)],
) {
    open_table(h, id, "sortable fixed", l, filter);
    h.raw("<colgroup>");
    for w in widths {
        h.raw("<col class=\"").raw(w).raw("\">");
    }
    h.raw("</colgroup><thead><tr>");
    for (label, num) in headers {
        th(h, label, *num);
    }
    h.raw("</tr></thead><tbody>\n");
}

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

fn close_table(h: &mut Html) {
    h.raw("</tbody></table></div>\n");
}

/// A note under a table cut at [`MAX_TABLE_ROWS`].
fn truncated_note(h: &mut Html, shown: usize, total: usize, file: &str, l: &Labels) {
    if shown < total {
        let text = if l.zh {
            format!("仅显示前 {shown} 行（共 {total} 行）；完整列表见 {file}。")
        } else {
            format!("Showing the first {shown} of {total} rows; {file} has them all.")
        };
        h.element("p", &[("class", "note")], &text).raw("\n");
    }
}

/// A coverage bar chart of one summary dimension: a row per key with its needs, requested, allocated and a bar.
fn coverage_chart(page: &MatchPage<'_>, dimension: &'static str, first: &str, l: &Labels) -> Html {
    let rows: Vec<&SummaryRow> = page.report.summary.iter().filter(|r| r.dimension == dimension).collect();
    let mut h = Html::new();
    open_chart(&mut h, &format!("chart-{dimension}"));
    h.raw("<thead><tr>");
    th(&mut h, first, false);
    th(&mut h, l.needs_count, true);
    th(&mut h, l.requested_usd, true);
    th(&mut h, l.allocated_usd, true);
    th(&mut h, l.coverage, false);
    h.raw("</tr></thead><tbody>\n");
    for r in rows {
        let coverage = r.coverage();
        h.open(
            "tr",
            &[
                ("data-dimension", dimension),
                ("data-key", &r.key),
                ("data-requested", &r.requested_usd.to_string()),
                ("data-allocated", &r.allocated_usd.to_string()),
                ("data-coverage", &fixed4(coverage)),
            ],
        );
        let label = match dimension {
            "commitment" => {
                let title = page
                    .reference
                    .commitment_by_code(&r.key)
                    .map_or(r.label.as_str(), |c| page.reference.commitment(c).title(page.lang));
                h.open("td", &[("class", "label"), ("data-sort", &r.key)]);
                h.element("code", &[], &r.key).raw(" ").text(title).close("td");
                format!("{} {title}", r.key)
            }
            "theme" => {
                let name = theme_name(&r.key, l);
                h.open("td", &[("class", "label")]).text(name).close("td");
                name.to_string()
            }
            _ => {
                let name = match (r.key.as_str(), r.key.parse::<u16>().ok().and_then(|m| page.reference.area(m))) {
                    (_, Some(area)) => area.name(page.lang),
                    ("unknown", None) => l.unknown,
                    _ => r.label.as_str(),
                };
                h.open("td", &[("class", "label")]).text(name).close("td");
                name.to_string()
            }
        };
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

/// A donor's name: the country's name for a State's code, else the code as written.
fn donor_name<'a>(page: &MatchPage<'a>, donor: &'a str) -> &'a str {
    page.reference.country_by_code(donor).map_or(donor, |c| page.reference.country(c).name(page.lang))
}

/// A requester's name: the country's name for a State, the organisation's code otherwise.
fn requester_name<'a>(page: &MatchPage<'a>, need: Option<&'a Need>, code: &'a str) -> &'a str {
    match need.map(|n| &n.requester) {
        Some(Requester::State(c)) => page.reference.country(*c).name(page.lang),
        _ => code,
    }
}

/// A name with its code under it (when they differ).
fn name_cell(h: &mut Html, name: &str, code: &str) {
    h.open("td", &[("data-sort", name)]).text(name);
    if name != code {
        h.open("span", &[("class", "sub")]).open("code", &[]).text(code).raw("</code></span>");
    }
    h.close("td");
}

fn donors(page: &MatchPage<'_>, l: &Labels) -> Html {
    // (offers, envelope, allocated) by donor code, in code order like summary.csv.
    let mut by_donor: BTreeMap<&str, (usize, i128, i128)> = BTreeMap::new();
    for o in &page.report.offers {
        let d = by_donor.entry(o.donor.as_str()).or_default();
        d.0 += 1;
        d.1 += i128::from(o.envelope_usd);
        d.2 += i128::from(o.allocated_usd);
    }
    let largest = by_donor.values().map(|d| d.1).max().unwrap_or(0);
    let mut h = Html::new();
    h.raw("<div class=\"legend\"><span>");
    svg::swatch(&mut h, "used");
    h.text(l.used).raw("</span><span>");
    svg::swatch(&mut h, "left");
    h.text(l.left).raw("</span><span>").text(l.donor_scale).raw("</span></div>\n");
    h.raw("<div class=\"scroll\">");
    h.open("table", &[("class", "sortable chart"), ("id", "chart-donor")]);
    h.raw(
        "<colgroup><col class=\"w21\"><col class=\"w8\"><col class=\"w14\"><col class=\"w14\"><col class=\"w12\">\
         <col class=\"c-bar\"></colgroup>",
    );
    h.raw("<thead><tr>");
    th(&mut h, l.donor, false);
    th(&mut h, l.offers_count, true);
    th(&mut h, l.envelope_usd, true);
    th(&mut h, l.used, true);
    th(&mut h, l.left, true);
    th(&mut h, l.envelope_bar, false);
    h.raw("</tr></thead><tbody>\n");
    for (donor, (offers, envelope, allocated)) in &by_donor {
        let left = envelope - allocated;
        h.open(
            "tr",
            &[
                ("data-dimension", "donor"),
                ("data-key", donor),
                ("data-envelope", &envelope.to_string()),
                ("data-allocated", &allocated.to_string()),
                ("data-remaining", &left.to_string()),
            ],
        );
        let name = donor_name(page, donor);
        name_cell(&mut h, name, donor);
        h.element("td", &[("class", "num")], &offers.to_string());
        num_cell(&mut h, *envelope);
        num_cell(&mut h, *allocated);
        num_cell(&mut h, left);
        let titles = [labelled(l, l.used, money(*allocated)), labelled(l, l.left, money(left))];
        let segments = [
            Segment { share: ratio(*allocated, largest), class: "used", title: &titles[0] },
            Segment { share: ratio(left, largest), class: "left", title: &titles[1] },
        ];
        h.open("td", &[("class", "chart"), ("data-sort", &fixed4(ratio(*allocated, *envelope)))]);
        h.raw("<div class=\"barcell\">");
        svg::stacked_bar(&mut h, &segments, &format!("{name}: {}, {}", titles[0], titles[1]), false);
        h.element("span", &[("class", "pct")], &percent(ratio(*allocated, *envelope)));
        h.raw("</div></td></tr>\n");
    }
    close_table(&mut h);

    // Every offer.
    h.element("h3", &[], l.offers_heading).raw("\n");
    let titles: HashMap<&str, &str> = page.batch.offers.iter().map(|o| (o.id.as_str(), o.title.as_str())).collect();
    open_table(&mut h, "offers", "sortable", l, true);
    h.raw("<thead><tr>");
    th(&mut h, l.offer, false);
    th(&mut h, l.title_col, false);
    th(&mut h, l.donor, false);
    th(&mut h, l.envelope_usd, true);
    th(&mut h, l.allocated_usd, true);
    th(&mut h, l.remaining_usd, true);
    th(&mut h, l.awards, true);
    th(&mut h, l.eligible_needs, true);
    h.raw("</tr></thead><tbody>\n");
    let shown = page.report.offers.len().min(MAX_TABLE_ROWS);
    for o in &page.report.offers[..shown] {
        h.open("tr", &[("data-offer", &o.offer_id)]);
        h.element("td", &[("class", "id")], &o.offer_id);
        h.element("td", &[], titles.get(o.offer_id.as_str()).copied().unwrap_or(""));
        name_cell(&mut h, donor_name(page, &o.donor), &o.donor);
        num_cell(&mut h, o.envelope_usd.into());
        num_cell(&mut h, o.allocated_usd.into());
        num_cell(&mut h, o.remaining_usd.into());
        h.element("td", &[("class", "num")], &o.awards.to_string());
        h.element("td", &[("class", "num")], &o.eligible_needs.to_string());
        h.raw("</tr>\n");
    }
    close_table(&mut h);
    truncated_note(&mut h, shown, page.report.offers.len(), "offers_status.csv", l);
    h
}

/// A commitment code with its title as a tooltip.
fn commitment_cell(h: &mut Html, page: &MatchPage<'_>, code: &str) {
    let title = page.reference.commitment_by_code(code).map_or("", |c| page.reference.commitment(c).title(page.lang));
    h.open("td", &[("class", "id"), ("data-sort", code)]);
    h.element("code", &[("title", title)], code);
    h.close("td");
}

fn needs_short(page: &MatchPage<'_>, l: &Labels) -> Html {
    let by_id: HashMap<&str, &Need> = page.batch.needs.iter().map(|n| (n.id.as_str(), n)).collect();
    let short: Vec<_> = page.report.needs.iter().filter(|n| n.status != NeedState::Funded).collect();
    let mut h = Html::new();
    if short.is_empty() {
        h.element("p", &[("class", "note")], l.all_funded);
        return h;
    }
    h.element("p", &[("class", "note")], l.needs_note).raw("\n");
    open_fixed_table(
        &mut h,
        "needs-table",
        l,
        true,
        &["w8", "w19", "w12", "w11", "w7", "w10", "w10", "w8", "w15"],
        &[
            (l.need, false),
            (l.title_col, false),
            (l.requester, false),
            (l.commitment, false),
            (l.priority, true),
            (l.requested_usd, true),
            (l.allocated_usd, true),
            (l.need_status, false),
            (l.reason, false),
        ],
    );
    let shown = short.len().min(MAX_TABLE_ROWS);
    for n in &short[..shown] {
        let need = by_id.get(n.need_id.as_str()).copied();
        h.open(
            "tr",
            &[
                ("data-need", &n.need_id),
                ("data-status", n.status.as_str()),
                ("data-reason", &n.reason),
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
        name_cell(&mut h, requester_name(page, need, &n.requester), &n.requester);
        match need.and_then(|n| n.commitments.first()) {
            Some(&c) => commitment_cell(&mut h, page, &page.reference.commitment(c).code),
            None => {
                h.raw("<td></td>");
            }
        }
        h.element("td", &[("class", "num")], &n.priority.to_string());
        num_cell(&mut h, n.requested_usd.into());
        // Allocated, with the coverage under it.
        h.open("td", &[("class", "num"), ("data-sort", &n.allocated_usd.to_string())]);
        h.text(&money(n.allocated_usd.into()));
        h.element("span", &[("class", "sub")], &percent(n.coverage())).close("td");
        h.open("td", &[("data-sort", n.status.as_str())]);
        h.element("span", &[("class", status_class(n.status))], status_name(n.status.as_str(), l));
        h.close("td");
        h.open("td", &[("data-sort", &n.reason)]).text(&reason_text(&n.reason, l));
        h.open("span", &[("class", "sub")]).element("code", &[], &n.reason).raw("</span></td></tr>\n");
    }
    close_table(&mut h);
    truncated_note(&mut h, shown, short.len(), "needs_status.csv", l);
    h
}

fn status_class(s: NeedState) -> &'static str {
    match s {
        NeedState::Funded => "badge funded",
        NeedState::Partial => "badge partial",
        NeedState::Unfunded => "badge unfunded",
    }
}

fn matches(page: &MatchPage<'_>, l: &Labels) -> Html {
    let by_id: HashMap<&str, &Need> = page.batch.needs.iter().map(|n| (n.id.as_str(), n)).collect();
    let all = &page.report.matches;
    let mut h = Html::new();
    if all.is_empty() {
        h.element("p", &[("class", "note")], l.no_matches);
        return h;
    }
    open_table(&mut h, "matches-table", "sortable", l, true);
    h.raw("<thead><tr>");
    th(&mut h, l.need, false);
    th(&mut h, l.requester, false);
    th(&mut h, l.offer, false);
    th(&mut h, l.donor, false);
    th(&mut h, l.commitment, false);
    th(&mut h, l.kind, false);
    th(&mut h, l.amount_usd, true);
    th(&mut h, l.fit, true);
    h.raw("</tr></thead><tbody>\n");
    let shown = all.len().min(MAX_TABLE_ROWS);
    for m in &all[..shown] {
        let need = by_id.get(m.need_id.as_str()).copied();
        h.open("tr", &[("data-need", &m.need_id), ("data-offer", &m.offer_id)]);
        match need {
            Some(n) => h.element("td", &[("class", "id"), ("title", &n.title)], &m.need_id),
            None => h.element("td", &[("class", "id")], &m.need_id),
        };
        name_cell(&mut h, requester_name(page, need, &m.requester), &m.requester);
        h.element("td", &[("class", "id")], &m.offer_id);
        name_cell(&mut h, donor_name(page, &m.donor), &m.donor);
        commitment_cell(&mut h, page, &m.commitment);
        h.element("td", &[("data-sort", m.kind.as_str())], kind_name(m.kind, l));
        num_cell(&mut h, m.amount_usd.into());
        h.element("td", &[("class", "num")], &m.fit.to_string());
        h.raw("</tr>\n");
    }
    close_table(&mut h);
    truncated_note(&mut h, shown, all.len(), "matches.csv", l);
    h
}

fn about(page: &MatchPage<'_>, l: &Labels) -> Html {
    let run = page.run;
    let mut h = Html::new();
    inputs_table(&mut h, [&run.inputs.needs, &run.inputs.offers], (l.file, l.rows_col), l);
    let w = &run.weights;
    let facts = [
        (l.relaxation, money(run.relaxation)),
        (l.edges, money(run.edges as i128)),
        (l.nodes, money(i128::from(run.nodes))),
        (l.integer_rules, if run.integer_rules { l.yes } else { l.no }.to_string()),
        (
            l.weights,
            format!(
                "{} × w(priority) + fit; w = {:?}; fit: {} / {} / {} / +{}",
                w.priority_scale,
                w.priority,
                w.fit_shared_code,
                w.fit_related_code,
                w.fit_theme,
                w.fit_explicit_geography
            ),
        ),
    ];
    facts_list(&mut h, &facts);
    h.element("p", &[("class", "note")], l.about_note);
    h
}

/// The "About this run" table of input files: name, rows and SHA-256, under the column titles `(file, rows)`.
fn inputs_table<'a>(
    h: &mut Html,
    inputs: impl IntoIterator<Item = &'a crate::run::InputInfo>,
    (file, rows): (&str, &str),
    l: &Labels,
) {
    h.raw("<div class=\"scroll\"><table id=\"inputs\"><thead><tr>");
    th(h, file, false);
    th(h, rows, true);
    th(h, "SHA-256", false);
    h.raw("</tr></thead><tbody>\n");
    for info in inputs {
        h.raw("<tr>").element("td", &[], &file_name(&info.path, l));
        h.element("td", &[("class", "num")], &money(info.rows as i128));
        h.raw("<td>").element("code", &[], &info.sha256).raw("</td></tr>\n");
    }
    h.raw("</tbody></table></div>\n");
}

/// Labelled facts as a list of figure boxes.
fn facts_list(h: &mut Html, facts: &[(&str, String)]) {
    h.raw("<dl class=\"kpis\">\n");
    for (label, value) in facts {
        h.raw("<div class=\"kpi\">").element("dt", &[], label).element("dd", &[], value).raw("</div>\n");
    }
    h.raw("</dl>\n");
}

// -------------------------------------------------------------------------------------------------------------
// Words.
// -------------------------------------------------------------------------------------------------------------

/// Every label of the page in one language.
#[derive(Debug)]
struct Labels {
    zh: bool,
    title: &'static str,
    lead: &'static str,
    footer: &'static str,
    contents: &'static str,
    headline: &'static str,
    by_commitment: &'static str,
    by_theme: &'static str,
    by_region: &'static str,
    donors: &'static str,
    needs_short: &'static str,
    matches: &'static str,
    about: &'static str,
    requested: &'static str,
    offered: &'static str,
    allocated: &'static str,
    coverage: &'static str,
    needs_total: &'static str,
    funded: &'static str,
    partial: &'static str,
    unfunded: &'static str,
    objective: &'static str,
    bound: &'static str,
    gap: &'static str,
    method: &'static str,
    status: &'static str,
    need_status: &'static str,
    usd: &'static str,
    objective_note: &'static str,
    commitment: &'static str,
    theme: &'static str,
    region: &'static str,
    needs_count: &'static str,
    requested_usd: &'static str,
    allocated_usd: &'static str,
    remaining_usd: &'static str,
    envelope_usd: &'static str,
    amount_usd: &'static str,
    donor: &'static str,
    offers_count: &'static str,
    used: &'static str,
    left: &'static str,
    envelope_bar: &'static str,
    donor_scale: &'static str,
    offers_heading: &'static str,
    offer: &'static str,
    title_col: &'static str,
    awards: &'static str,
    eligible_needs: &'static str,
    need: &'static str,
    requester: &'static str,
    priority: &'static str,
    reason: &'static str,
    kind: &'static str,
    fit: &'static str,
    filter: &'static str,
    all_funded: &'static str,
    needs_note: &'static str,
    no_matches: &'static str,
    unknown: &'static str,
    file: &'static str,
    rows_col: &'static str,
    needs_file: &'static str,
    offers_file: &'static str,
    relaxation: &'static str,
    edges: &'static str,
    nodes: &'static str,
    integer_rules: &'static str,
    weights: &'static str,
    yes: &'static str,
    no: &'static str,
    about_note: &'static str,
    bundled: &'static str,
}

const EN: Labels = Labels {
    zh: false,
    title: "PoA/ITI assistance matching report",
    lead: "Requests for assistance under the UN Programme of Action on small arms and light weapons and the \
           International Tracing Instrument, matched with donor offers.",
    footer: "Written by poa-match. The figures are those of summary.csv, needs_status.csv, offers_status.csv, \
             matches.csv and run.json in the same folder.",
    contents: "Contents",
    headline: "Headline figures",
    by_commitment: "Coverage by commitment",
    by_theme: "Coverage by theme",
    by_region: "Coverage by region (M49)",
    donors: "Donor envelopes: used and left",
    needs_short: "Needs not fully funded",
    matches: "Matches",
    about: "About this run",
    requested: "Requested",
    offered: "In envelopes",
    allocated: "Allocated",
    coverage: "Coverage",
    needs_total: "Needs",
    funded: "Funded",
    partial: "Partly funded",
    unfunded: "Unfunded",
    objective: "Objective",
    bound: "Proven bound",
    gap: "Gap",
    method: "Method",
    status: "Status",
    need_status: "Status",
    usd: "USD",
    objective_note: "Money goes first to the highest-priority needs and, among needs of equal priority, to the \
                     offers that fit them best. The objective is the sum of dollars times their value; the bound \
                     is a proven upper limit on it, and the gap is how far the allocation may be from the best.",
    commitment: "Commitment",
    theme: "Theme",
    region: "Region",
    needs_count: "Needs",
    requested_usd: "Requested (USD)",
    allocated_usd: "Allocated (USD)",
    remaining_usd: "Left (USD)",
    envelope_usd: "Envelope (USD)",
    amount_usd: "Amount (USD)",
    donor: "Donor",
    offers_count: "Offers",
    used: "Used",
    left: "Left",
    envelope_bar: "Envelope used",
    donor_scale: "Bars are drawn to the scale of the largest envelope.",
    offers_heading: "Offers",
    offer: "Offer",
    title_col: "Title",
    awards: "Awards",
    eligible_needs: "Eligible needs",
    need: "Need",
    requester: "Requester",
    priority: "Priority",
    reason: "Reason",
    kind: "Kind",
    fit: "Fit",
    filter: "Filter rows…",
    all_funded: "Every need is fully funded.",
    needs_note: "Needs that got less than they asked for, with the reason. Priority 1 is the highest.",
    no_matches: "No offer funds any need.",
    unknown: "Unknown",
    file: "File",
    rows_col: "Rows",
    needs_file: "Needs",
    offers_file: "Offers",
    relaxation: "Flow relaxation (no integer rules)",
    edges: "Eligible need–offer pairs",
    nodes: "Search nodes",
    integer_rules: "Integer rules",
    weights: "Value of a dollar",
    yes: "yes",
    no: "no",
    about_note: "The same inputs and options give the same page, byte for byte.",
    bundled: "(bundled sample)",
};

const ZH: Labels = Labels {
    zh: true,
    title: "《行动纲领》和《国际追查文书》援助匹配报告",
    lead: "根据联合国《小武器和轻武器行动纲领》和《国际追查文书》提出的援助请求与捐助方提议的匹配结果。",
    footer: "由 poa-match 生成。各项数字与同一文件夹中的 summary.csv、needs_status.csv、offers_status.csv、\
             matches.csv 和 run.json 一致。",
    contents: "目录",
    headline: "主要数字",
    by_commitment: "按承诺分列的资助覆盖率",
    by_theme: "按主题分列的资助覆盖率",
    by_region: "按区域（M49）分列的资助覆盖率",
    donors: "捐助方资金：已用与剩余",
    needs_short: "未获全额资助的需求",
    matches: "匹配结果",
    about: "关于本次运行",
    requested: "申请总额",
    offered: "可用资金",
    allocated: "已分配",
    coverage: "覆盖率",
    needs_total: "需求数",
    funded: "全额资助",
    partial: "部分资助",
    unfunded: "未获资助",
    objective: "目标函数值",
    bound: "已证明上界",
    gap: "差距",
    method: "方法",
    status: "求解状态",
    need_status: "状态",
    usd: "美元",
    objective_note: "资金首先分配给优先级最高的需求；优先级相同时，分配给最契合的提议。目标函数值是每美元价值之和；\
                     上界是经证明的最大可能值，差距表示本分配与最优分配之间可能的距离。",
    commitment: "承诺",
    theme: "主题",
    region: "区域",
    needs_count: "需求数",
    requested_usd: "申请额（美元）",
    allocated_usd: "已分配（美元）",
    remaining_usd: "剩余（美元）",
    envelope_usd: "资金总额（美元）",
    amount_usd: "金额（美元）",
    donor: "捐助方",
    offers_count: "提议数",
    used: "已用",
    left: "剩余",
    envelope_bar: "资金使用情况",
    donor_scale: "条形长度按最大一笔资金的比例绘制。",
    offers_heading: "提议",
    offer: "提议",
    title_col: "标题",
    awards: "资助项目数",
    eligible_needs: "符合条件的需求",
    need: "需求",
    requester: "申请方",
    priority: "优先级",
    reason: "原因",
    kind: "援助类型",
    fit: "契合度",
    filter: "筛选行…",
    all_funded: "所有需求均已获全额资助。",
    needs_note: "所获资金少于申请额的需求及其原因。优先级 1 为最高。",
    no_matches: "没有任何提议资助需求。",
    unknown: "未知",
    file: "文件",
    rows_col: "行数",
    needs_file: "需求",
    offers_file: "提议",
    relaxation: "流松弛最优值（不含整数规则）",
    edges: "合格的需求—提议对",
    nodes: "搜索节点数",
    integer_rules: "整数规则",
    weights: "每美元的价值",
    yes: "是",
    no: "否",
    about_note: "相同的输入和选项生成逐字节相同的页面。",
    bundled: "（内置样例）",
};

impl Labels {
    fn of(lang: &str) -> &'static Labels {
        if is_zh(lang) { &ZH } else { &EN }
    }
}

fn method_name(method: &str, l: &Labels) -> &'static str {
    match (method, l.zh) {
        ("optimal", false) => "optimal (exact)",
        ("optimal", true) => "最优（精确）",
        ("greedy", false) => "greedy (desk officer's baseline)",
        ("greedy", true) => "贪心（人工基准）",
        (_, false) => "other",
        (_, true) => "其他",
    }
}

fn status_name(status: &str, l: &Labels) -> &'static str {
    match (status, l.zh) {
        ("optimal", false) => "optimal",
        ("optimal", true) => "最优",
        ("node_limit", false) => "stopped at the node limit",
        ("node_limit", true) => "达到节点上限",
        ("time_limit", false) => "stopped at the time limit",
        ("time_limit", true) => "达到时间上限",
        ("gap_limit", false) => "within the gap limit",
        ("gap_limit", true) => "达到间隙上限",
        ("heuristic", false) => "heuristic",
        ("heuristic", true) => "启发式",
        ("funded", false) => "funded",
        ("funded", true) => "全额资助",
        ("partial", false) => "partial",
        ("partial", true) => "部分资助",
        ("unfunded", false) => "unfunded",
        ("unfunded", true) => "未获资助",
        (_, false) => "other",
        (_, true) => "其他",
    }
}

fn theme_name(key: &str, l: &Labels) -> &'static str {
    let Some(theme) = Theme::parse(key) else { return l.unknown };
    let (en, zh) = match theme {
        Theme::Marking => ("Marking", "标识"),
        Theme::RecordKeeping => ("Record-keeping", "记录保存"),
        Theme::Tracing => ("Tracing", "追查"),
        Theme::StockpileManagement => ("Stockpile management", "库存管理"),
        Theme::DestructionDisposal => ("Destruction and disposal", "销毁与处置"),
        Theme::BorderControl => ("Border control", "边境管制"),
        Theme::LegislationRegulation => ("Legislation and regulation", "立法与规章"),
        Theme::Brokering => ("Brokering", "中间商活动"),
        Theme::NationalCoordinationNap => ("National coordination and action plans", "国家协调与行动计划"),
        Theme::DdrEmbargoes => ("DDR and arms embargoes", "复员方案与武器禁运"),
        Theme::Gender => ("Gender", "性别平等"),
        Theme::InternationalCooperation => ("International cooperation", "国际合作"),
        Theme::Reporting => ("Reporting", "报告"),
        Theme::MeetingParticipation => ("Meeting participation", "参加会议"),
    };
    if l.zh { zh } else { en }
}

fn kind_name(kind: Kind, l: &Labels) -> &'static str {
    let (en, zh) = match kind {
        Kind::Financial => ("financial", "资金"),
        Kind::Technical => ("technical", "技术"),
        Kind::Equipment => ("equipment", "设备"),
        Kind::Training => ("training", "培训"),
        Kind::Legal => ("legal", "法律"),
    };
    if l.zh { zh } else { en }
}

/// A reason code of needs_status.csv in words.
fn reason_text(reason: &str, l: &Labels) -> String {
    if let Some(rule) = reason.strip_prefix("no_eligible_offer:") {
        let (en, zh) = match rule {
            "no_scope" => ("no offer covers its commitments", "没有提议涵盖其承诺"),
            "kind" => ("the kind of assistance", "援助类型不符"),
            "region" => ("the region", "地区不符"),
            "country_excluded" => ("the country is excluded", "该国被排除"),
            "flags" => ("LDC / LLDC / SIDS status", "不具备最不发达国家、内陆或小岛屿发展中国家身份"),
            "implementer" => ("the implementer type", "执行方类型不符"),
            "no_report" => ("no national report cited", "未引用国家报告"),
            "window" => ("the start window", "启动时间窗口不符"),
            "duration" => ("the duration", "期限不符"),
            "over_cap" => ("above the offers' caps", "超过提议的单项上限"),
            "below_floor" => ("below the offers' floors", "低于提议的最低资助额"),
            _ => ("another rule", "其他规则"),
        };
        return if l.zh { format!("无符合条件的提议：{zh}") } else { format!("No eligible offer: {en}") };
    }
    let (en, zh) = match reason {
        "envelopes_exhausted" => ("The eligible envelopes are used up", "符合条件的资金已用完"),
        "below_min_award" => ("Its minimum award could not be met", "无法达到其最低资助额"),
        "all_or_nothing_not_met" => {
            ("All or nothing: the whole amount could not be funded", "全额或不资助：无法资助全部金额")
        }
        "caps_reached" => ("The offers' caps per need are reached", "已达到各提议的单项上限"),
        "max_awards_reached" => ("The offers have made their most awards", "各提议已达到资助项目数上限"),
        "outranked" => ("The money went to needs worth more per dollar", "资金分配给了每美元价值更高的需求"),
        "" => ("", ""),
        _ => ("Other", "其他"),
    };
    if l.zh { zh.to_string() } else { en.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_attribute_quotes() {
        assert_eq!(escape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(escape("\"><img src=x onerror=alert(1)>"), "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
        assert_eq!(escape("a & b 'c' \0"), "a &amp; b &#39;c&#39; \u{FFFD}");
        assert_eq!(escape("标识 ITI-2a"), "标识 ITI-2a");
        let mut h = Html::new();
        h.open("td", &[("title", "x\" onmouseover=\"alert(1)")]).text("<b>").close("td");
        assert_eq!(h.as_str(), "<td title=\"x&quot; onmouseover=&quot;alert(1)\">&lt;b&gt;</td>");
    }

    #[test]
    fn base64_matches_known_vectors() {
        for (input, want) in
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE=")]
        {
            assert_eq!(base64(input.as_bytes()), want, "{input:?}");
        }
        // sha256("") in base64, as CSP expects it.
        assert_eq!(csp_hash(""), "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
    }

    #[test]
    fn page_frame_is_self_contained_and_labelled() {
        let mut body = Html::new();
        body.element("p", &[], "<i>input</i>");
        let sections = [Section { id: "one", heading: "Heading & more".into(), body }];
        let facts = ["a < b".to_string()];
        let page = render_page(
            &PageFrame { lang: "zh", title: "标题", lead: "说明", facts: &facts, footer: "页脚" },
            &sections,
        );
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"zh-Hans\">\n<head>\n<meta charset=\"utf-8\">"));
        // The policy is an attribute value, so its quotes are escaped.
        assert!(page.contains("content=\"default-src &#39;none&#39;; style-src &#39;sha256-"));
        assert!(page.contains(&escape(&csp_hash(STYLE))) && page.contains(&escape(&csp_hash(SCRIPT))));
        assert!(page.contains("<a href=\"#one\">Heading &amp; more</a>"));
        assert!(page.contains("<p>&lt;i&gt;input&lt;/i&gt;</p>"));
        assert!(page.contains("<li>a &lt; b</li>"));
        assert!(!page.contains("http://") && !page.contains("https://"));
        assert!(page.ends_with("</html>\n"));
    }

    /// A run.json content for pages built in tests.
    fn run_info() -> RunInfo {
        use crate::run::{InputInfo, NeedCounts, RunInputs, Timings};
        let input = |path: &str| InputInfo { path: path.into(), rows: 0, sha256: "0".repeat(64) };
        RunInfo {
            version: "test",
            inputs: RunInputs { needs: input("/home/someone/secret/needs.csv"), offers: input("offers.csv") },
            method: "optimal",
            status: "optimal",
            objective: 0,
            bound: 0,
            relaxation: 0,
            gap: 0.0,
            edges: 0,
            nodes: 0,
            integer_rules: false,
            requested_usd: 0,
            offered_usd: 0,
            allocated_usd: 0,
            needs: NeedCounts::default(),
            weights: crate::objective::Weights::default(),
            timings: Timings { read_s: 1.25, build_s: 2.5, solve_s: 3.75, write_s: 0.0 },
        }
    }

    #[test]
    fn long_tables_are_cut_with_a_note_and_paths_and_timings_stay_out() {
        let row = |i: usize| super::super::MatchRow {
            need_id: format!("N{i}"),
            offer_id: "O1".into(),
            donor: "EU".into(),
            requester: "KEN".into(),
            commitment: "ITI-2a".into(),
            kind: Kind::Equipment,
            amount_usd: 1,
            fit: 4,
            value: 34,
            value_per_usd: 34,
        };
        let report = MatchReport {
            matches: (0..MAX_TABLE_ROWS + 3).map(row).collect(),
            needs: Vec::new(),
            offers: Vec::new(),
            summary: Vec::new(),
        };
        let run = run_info();
        let page = MatchPage {
            report: &report,
            run: &run,
            batch: &Batch::default(),
            reference: Reference::embedded(),
            lang: "en",
        };
        let html = render_match_page(&page);
        assert_eq!(html.matches("<tr data-need=").count(), MAX_TABLE_ROWS);
        assert!(
            html.contains(&format!("Showing the first {MAX_TABLE_ROWS} of {} rows; matches.csv", MAX_TABLE_ROWS + 3))
        );
        assert!(html.contains("Every need is fully funded."), "no needs, none short");
        assert!(!html.contains("/home/someone") && html.contains("needs.csv"), "file names only");
        for timing in ["1.25", "2.5", "3.75"] {
            assert!(!html.contains(timing), "timing {timing} in the page");
        }
    }

    #[test]
    fn every_reason_code_has_words_in_both_languages() {
        let codes = [
            "envelopes_exhausted",
            "below_min_award",
            "all_or_nothing_not_met",
            "caps_reached",
            "max_awards_reached",
            "outranked",
        ];
        // Every rule the engine can name, so a new rule without words fails here.
        let rules = crate::graph::Reason::ALL.map(crate::graph::Reason::code);
        for l in [&EN, &ZH] {
            for c in codes {
                let text = reason_text(c, l);
                assert!(!text.is_empty() && text != "Other" && text != "其他", "{c}");
            }
            for r in rules {
                let text = reason_text(&format!("no_eligible_offer:{r}"), l);
                assert!(!text.contains("another rule") && !text.contains("其他规则"), "{r}");
            }
        }
        for theme in Theme::ALL {
            assert_ne!(theme_name(theme.as_str(), &EN), EN.unknown, "{theme}");
            assert_ne!(theme_name(theme.as_str(), &ZH), ZH.unknown, "{theme}");
        }
    }
}
