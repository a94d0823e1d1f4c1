//! report.html of `simulate` (and `merge`): the spread of outcomes per scenario as p5–p95 bands with the median,
//! the same by commitment and by M49 region, and the odds that each need is funded. Built only from the study's
//! frame and tallies (so a merged study renders the same page), with the frame, styles and script of the match
//! page and its escaping rules.

use crate::io::outputs::fixed4;
use crate::lang::Lang;
use crate::report::Word;
use crate::report::schema::Column;
use crate::report::words::method_name;
use crate::simulate::outputs::ScenarioSummary;
use crate::simulate::stats::{Spread, mean};
use crate::simulate::{Frame, Group, Tally, tables};

use crate::catalog::display_name;

use super::builder::Html;
use super::page::{PageFrame, Section, render_page};
use super::parts::{
    MAX_TABLE_ROWS, close_table, facts_list, file_name, inputs_table, labelled, money, name_cell, num_cell,
    open_fixed_table, percent, truncated_note,
};
use super::svg;

/// Everything the simulate page is made of.
#[derive(Debug, Clone, Copy)]
pub struct SimulatePage<'a> {
    /// The study.
    pub frame: &'a Frame,
    /// Each scenario's summary, in frame order.
    pub summaries: &'a [ScenarioSummary],
    /// Each scenario's tally, in frame order.
    pub tallies: &'a [Tally],
}

/// The report page of a study.
pub fn render_simulate_page(page: &SimulatePage<'_>) -> String {
    let frame = page.frame;
    let lang = page.lang();
    let draws: u64 = frame.scenarios.iter().map(|s| u64::from(s.draws)).sum();
    let facts = vec![
        labelled(lang, Word::Method.text(lang), method_name(frame.options.method, lang)),
        labelled(lang, Word::Draws.text(lang), money(i128::from(draws))),
        labelled(lang, Word::Seed.text(lang), frame.seed),
        labelled(lang, Word::NeedsFile.text(lang), file_name(&frame.inputs.needs.path, lang)),
        labelled(lang, Word::OffersFile.text(lang), file_name(&frame.inputs.offers.path, lang)),
        format!("poa-match {}", frame.version),
    ];
    let sections = vec![
        Section::new("scenarios", Word::Scenarios, lang, scenarios(page)),
        Section::new("by-commitment", Word::ByCommitment, lang, groups(page, true)),
        Section::new("by-region", Word::ByRegion, lang, groups(page, false)),
        Section::new("need-odds", Word::NeedOdds, lang, need_odds(page)),
        Section::new("about", Word::AboutStudy, lang, about(page)),
    ];
    let frame = PageFrame {
        lang,
        title: Word::StudyTitle.text(lang),
        lead: Word::StudyLead.text(lang),
        facts: &facts,
        footer: Word::StudyFooter.text(lang),
    };
    render_page(&frame, &sections)
}

impl SimulatePage<'_> {
    /// The study's language.
    fn lang(&self) -> Lang {
        self.frame.options.lang
    }
}

/// The headings of a table's columns that the page shows (those with a heading, in file order), each with
/// whether it is numeric.
fn headings<R>(columns: &[Column<R>], lang: Lang, numeric: &[bool]) -> Vec<(&'static str, bool)> {
    let shown: Vec<&'static str> = columns.iter().filter_map(|c| c.heading).map(|w| w.text(lang)).collect();
    debug_assert_eq!(shown.len(), numeric.len(), "one numeric flag per shown column");
    shown.into_iter().zip(numeric.iter().copied()).collect()
}

/// A cell with the p5–p95 coverage band, the median tick and the median's percentage.
fn spread_cell(h: &mut Html, spread: &Spread, total: i128, name: &str) {
    let [_, p5, p50, p95] = spread.ratio_to(total);
    let label = format!("{name}: p5 {} · p50 {} · p95 {}", percent(p5), percent(p50), percent(p95));
    h.open("td", &[("class", "chart"), ("data-sort", &fixed4(p50))]).raw("<div class=\"barcell\">");
    svg::range_bar(h, p5, p50, p95, &label);
    h.element("span", &[("class", "pct")], &percent(p50));
    h.raw("</div></td>");
}

/// The dollars allocated in a row: the median, which the coverage bar beside it shows as a share (so the two
/// figures of a row are the same statistic), with the mean under it, labelled.
fn allocated_cell(h: &mut Html, spread: &Spread, lang: Lang) {
    h.open("td", &[("class", "num"), ("data-sort", &spread.p50.to_string())]).text(&money(spread.p50));
    let mean = labelled(lang, Word::Mean.text(lang), money(spread.mean.round() as i128));
    h.element("span", &[("class", "sub")], &mean).close("td");
}

/// A scenario's name, which may wrap between the words of a name like `stockpile_demand_up`.
fn scenario_cell(h: &mut Html, name: &str) {
    h.open("td", &[("data-sort", name)]).breakable_text(name);
}

fn spread_attrs(spread: &Spread) -> [(&'static str, String); 4] {
    [
        ("data-mean", format!("{:.2}", spread.mean)),
        ("data-p5", spread.p5.to_string()),
        ("data-p50", spread.p50.to_string()),
        ("data-p95", spread.p95.to_string()),
    ]
}

fn scenarios(page: &SimulatePage<'_>) -> Html {
    let lang = page.lang();
    let mut h = Html::new();
    open_fixed_table(
        &mut h,
        "scenario-table",
        lang,
        false,
        &["w19", "w7", "w10", "w10", "w10", "w10", "w19", "w8", "w7"],
        &headings(&tables::scenario_columns(), lang, &[false, true, true, true, true, true, false, true, true]),
    );
    for (s, sum) in page.frame.scenarios.iter().zip(page.summaries) {
        let attrs = spread_attrs(&sum.allocated);
        let mut all: Vec<(&'static str, &str)> = vec![("data-scenario", &s.name)];
        all.extend(attrs.iter().map(|(k, v)| (*k, v.as_str())));
        h.open("tr", &all);
        scenario_cell(&mut h, &s.name);
        if !s.description.is_empty() {
            h.open("span", &[("class", "sub")]).text(&s.description).close("span");
        }
        h.close("td");
        num_cell(&mut h, i128::from(s.draws));
        num_cell(&mut h, s.requested_usd);
        num_cell(&mut h, s.offered_usd);
        num_cell(&mut h, s.expected_usd);
        allocated_cell(&mut h, &sum.allocated, lang);
        spread_cell(&mut h, &sum.allocated, s.requested_usd, &s.name);
        let f = &sum.funded;
        h.element(
            "td",
            &[("class", "num"), ("data-sort", &f.p50.to_string())],
            &format!("{} / {} / {}", f.p5, f.p50, f.p95),
        );
        num_cell(&mut h, i128::from(sum.not_proved));
        h.raw("</tr>\n");
    }
    close_table(&mut h);
    h
}

fn groups(page: &SimulatePage<'_>, by_commitment: bool) -> Html {
    let lang = page.lang();
    let mut h = Html::new();
    let id = if by_commitment { "commitment-table" } else { "region-table" };
    open_fixed_table(
        &mut h,
        id,
        lang,
        true,
        &["w15", "w29", "w7", "w12", "w12", "w25"],
        &headings(&tables::group_columns(by_commitment), lang, &[false, false, true, true, true, false]),
    );
    // Group by group, scenarios in file order within it, so that scenarios sit next to each other. Every scenario
    // has the same needs, hence the same groups.
    let groups_of = |i: usize| -> (&[Group], &[Spread]) {
        let (s, sum) = (&page.frame.scenarios[i], &page.summaries[i]);
        if by_commitment { (&s.commitments, &sum.by_commitment) } else { (&s.regions, &sum.by_region) }
    };
    let first: &[Group] = if page.frame.scenarios.is_empty() { &[] } else { groups_of(0).0 };
    // Commitments in the catalogue's order, as the frame has them; regions from the most requested (in the first
    // scenario) down, as on the match page, since an M49 code means nothing to a reader.
    let mut order: Vec<usize> = (0..first.len()).collect();
    if !by_commitment {
        order.sort_by_key(|&g| (first[g].key == "unknown", std::cmp::Reverse(first[g].requested_usd)));
    }
    for g in order {
        for (i, s) in page.frame.scenarios.iter().enumerate() {
            let (list, spreads) = groups_of(i);
            let (Some(g), Some(spread)) = (list.get(g), spreads.get(g)) else { continue };
            let attrs = spread_attrs(spread);
            let mut all: Vec<(&'static str, &str)> = vec![("data-scenario", &s.name), ("data-key", &g.key)];
            all.extend(attrs.iter().map(|(k, v)| (*k, v.as_str())));
            h.open("tr", &all);
            scenario_cell(&mut h, &s.name);
            h.close("td");
            let label = if g.key == "unknown" { Word::Unknown.text(lang) } else { g.label.as_str() };
            if by_commitment {
                h.open("td", &[("data-sort", &g.key)]).element("code", &[], &g.key).raw(" ").text(label).close("td");
            } else {
                h.element("td", &[], label);
            }
            num_cell(&mut h, g.needs as i128);
            num_cell(&mut h, g.requested_usd);
            allocated_cell(&mut h, spread, lang);
            spread_cell(&mut h, spread, g.requested_usd, label);
            h.raw("</tr>\n");
        }
    }
    close_table(&mut h);
    h.element("p", &[("class", "note")], Word::SpreadNote.text(lang));
    h
}

fn need_odds(page: &SimulatePage<'_>) -> Html {
    let lang = page.lang();
    let mut h = Html::new();
    h.element("p", &[("class", "note")], Word::OddsNote.text(lang));
    open_fixed_table(
        &mut h,
        "odds-table",
        lang,
        true,
        &["w12", "w10", "w15", "w7", "w12", "w12", "w21", "w11"],
        &[
            (Word::Scenario.text(lang), false),
            (Word::Need.text(lang), false),
            (Word::Requester.text(lang), false),
            (Word::Priority.text(lang), true),
            (Word::RequestedUsd.text(lang), true),
            (Word::AllocatedMean.text(lang), true),
            (Word::FundedShare.text(lang), false),
            (Word::ReachedShare.text(lang), true),
        ],
    );
    let total: usize = page.frame.scenarios.iter().map(|s| s.needs.len()).sum();
    let mut shown = 0;
    'all: for (s, tally) in page.frame.scenarios.iter().zip(page.tallies) {
        let draws = u64::from(s.draws);
        for (n, need) in s.needs.iter().enumerate() {
            if shown == MAX_TABLE_ROWS {
                break 'all;
            }
            shown += 1;
            let funded = mean(i128::from(tally.need_funded[n]), draws);
            let reached = mean(i128::from(tally.need_reached[n]), draws);
            let allocated = mean(tally.need_allocated[n], draws);
            let funded_text = fixed4(funded);
            h.open(
                "tr",
                &[("data-scenario", &s.name), ("data-need", &need.need_id), ("data-funded-share", &funded_text)],
            );
            scenario_cell(&mut h, &s.name);
            h.close("td");
            h.element("td", &[("class", "id")], &need.need_id);
            name_cell(&mut h, display_name(&need.requester_name), &need.requester);
            h.element("td", &[("class", "num")], &need.priority.to_string());
            num_cell(&mut h, i128::from(need.requested_usd));
            h.element(
                "td",
                &[("class", "num"), ("data-sort", &format!("{allocated:.2}"))],
                &money(allocated.round() as i128),
            );
            h.open("td", &[("class", "chart"), ("data-sort", &funded_text)]).raw("<div class=\"barcell\">");
            svg::bar(&mut h, funded, &format!("{}: {}", need.need_id, percent(funded)));
            h.element("span", &[("class", "pct")], &percent(funded));
            h.raw("</div></td>");
            h.element("td", &[("class", "num"), ("data-sort", &fixed4(reached))], &percent(reached));
            h.raw("</tr>\n");
        }
    }
    close_table(&mut h);
    truncated_note(&mut h, shown, total, "need_odds.csv", lang);
    h
}

fn about(page: &SimulatePage<'_>) -> Html {
    let frame = page.frame;
    let lang = page.lang();
    let mut h = Html::new();
    let added = frame.scenarios.iter().filter_map(|s| s.added_offers.as_ref());
    let inputs = [&frame.inputs.needs, &frame.inputs.offers, &frame.inputs.scenarios]
        .into_iter()
        .chain(frame.inputs.ledger.as_ref())
        .chain(frame.inputs.rates.as_ref())
        .chain(added);
    inputs_table(&mut h, inputs, lang);
    let facts = [
        (Word::Method.text(lang), method_name(frame.options.method, lang).to_string()),
        (Word::Seed.text(lang), frame.seed.to_string()),
        (Word::NodeLimit.text(lang), money(i128::from(frame.options.node_limit))),
    ];
    facts_list(&mut h, &facts);
    h.element("p", &[("class", "note")], Word::StudyAboutNote.text(lang));
    h
}
