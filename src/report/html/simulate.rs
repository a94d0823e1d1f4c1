//! report.html of `simulate` (and `merge`): the spread of outcomes per scenario as p5–p95 bands with the median,
//! the same by commitment and by M49 region, and the odds that each need is funded. Built only from the study's
//! frame and tallies (so a merged study renders the same page), with the frame, styles and script of the match
//! page and its escaping rules.

use super::super::svg;
use super::{
    Html, PageFrame, Section, close_table, facts_list, file_name, inputs_table, labelled, money, num_cell,
    open_fixed_table, percent,
};
use crate::io::outputs::fixed4;
use crate::simulate::outputs::ScenarioSummary;
use crate::simulate::stats::{Spread, mean};
use crate::simulate::{Frame, Group, Tally};

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

/// The labels of the simulate page in one language.
struct SimLabels {
    title: &'static str,
    lead: &'static str,
    footer: &'static str,
    scenarios: &'static str,
    by_commitment: &'static str,
    by_region: &'static str,
    need_odds: &'static str,
    about: &'static str,
    scenario: &'static str,
    draws: &'static str,
    requested_usd: &'static str,
    offered_usd: &'static str,
    expected_usd: &'static str,
    allocated_mean: &'static str,
    coverage_spread: &'static str,
    funded_spread: &'static str,
    not_proved: &'static str,
    commitment: &'static str,
    region: &'static str,
    needs_count: &'static str,
    need: &'static str,
    requester: &'static str,
    priority: &'static str,
    funded_share: &'static str,
    reached_share: &'static str,
    spread_note: &'static str,
    odds_note: &'static str,
    method: &'static str,
    seed: &'static str,
    node_limit: &'static str,
    file: &'static str,
    rows_col: &'static str,
    about_note: &'static str,
    unknown: &'static str,
}

const EN: SimLabels = SimLabels {
    title: "PoA/ITI funding scenarios report",
    lead: "What the assistance matching could look like if funding changes: each scenario was drawn many times \
           (which pledges arrive, and how much of them), and each draw was allocated again. The bars show the \
           range from the 5th to the 95th percentile of the draws, with a tick at the median.",
    footer: "Written by poa-match simulate. Figures are in US dollars; coverage is allocated over requested.",
    scenarios: "Scenarios",
    by_commitment: "By commitment",
    by_region: "By M49 region",
    need_odds: "Odds that each need is funded",
    about: "About this study",
    scenario: "Scenario",
    draws: "Draws",
    requested_usd: "Requested (USD)",
    offered_usd: "Pledged (USD)",
    expected_usd: "Expected to arrive (USD)",
    allocated_mean: "Allocated, mean (USD)",
    coverage_spread: "Coverage p5–p95 (median)",
    funded_spread: "Needs funded p5 / p50 / p95",
    not_proved: "Draws not proved optimal",
    commitment: "Commitment",
    region: "Region",
    needs_count: "Needs",
    need: "Need",
    requester: "Requester",
    priority: "Priority",
    funded_share: "Fully funded in",
    reached_share: "Funded at all in",
    spread_note: "Each need counts under its primary commitment and its requester's M49 region.",
    odds_note: "The share of draws in which the need is fully funded (the bar), and in which it gets anything.",
    method: "Method",
    seed: "Seed",
    node_limit: "Node limit per draw",
    file: "File",
    rows_col: "Rows",
    about_note: "Draw i of scenario s uses a random stream seeded from (seed, s, i) only: the same inputs, seed and \
                 options give the same figures on any number of threads or machines.",
    unknown: "Unknown",
};

const ZH: SimLabels = SimLabels {
    title: "《行动纲领》/《国际追查文书》资金情景报告",
    lead: "资金变化时援助匹配可能的结果：每个情景抽样多次（哪些认捐到位、到位多少），每次抽样重新分配。\
           条形显示各次抽样第 5 至第 95 百分位的范围，刻度为中位数。",
    footer: "由 poa-match simulate 生成。金额单位为美元；覆盖率为已分配除以申请额。",
    scenarios: "情景",
    by_commitment: "按承诺",
    by_region: "按 M49 区域",
    need_odds: "各项需求获得资助的概率",
    about: "关于本研究",
    scenario: "情景",
    draws: "抽样次数",
    requested_usd: "申请额（美元）",
    offered_usd: "认捐额（美元）",
    expected_usd: "预期到位（美元）",
    allocated_mean: "已分配均值（美元）",
    coverage_spread: "覆盖率 p5–p95（中位数）",
    funded_spread: "全额资助需求数 p5 / p50 / p95",
    not_proved: "未证明最优的抽样",
    commitment: "承诺",
    region: "区域",
    needs_count: "需求数",
    need: "需求",
    requester: "申请方",
    priority: "优先级",
    funded_share: "全额资助比例",
    reached_share: "获得资助比例",
    spread_note: "每项需求计入其首要承诺及申请方所在的 M49 区域。",
    odds_note: "需求在各次抽样中获得全额资助的比例（条形）以及获得任何资助的比例。",
    method: "方法",
    seed: "随机种子",
    node_limit: "每次抽样的节点上限",
    file: "文件",
    rows_col: "行数",
    about_note: "情景 s 的第 i 次抽样只使用由（种子, s, i）确定的随机流：相同的输入、种子和选项在任何线程数或机器上给出相同的数字。",
    unknown: "未知",
};

fn labels(lang: &str) -> &'static SimLabels {
    if lang == "zh" { &ZH } else { &EN }
}

/// The report page of a study.
pub fn render_simulate_page(page: &SimulatePage<'_>) -> String {
    let frame = page.frame;
    let lang = frame.options.lang.as_str();
    let l = labels(lang);
    let base = super::Labels::of(lang);
    let draws: u64 = frame.scenarios.iter().map(|s| u64::from(s.draws)).sum();
    let facts = vec![
        labelled(base, l.method, super::method_name(&frame.options.method, base)),
        labelled(base, l.draws, money(i128::from(draws))),
        labelled(base, l.seed, frame.seed),
        labelled(base, base.needs_file, file_name(&frame.inputs.needs.path, base)),
        labelled(base, base.offers_file, file_name(&frame.inputs.offers.path, base)),
        format!("poa-match {}", frame.version),
    ];
    let sections = vec![
        Section { id: "scenarios", heading: l.scenarios.into(), body: scenarios(page, l) },
        Section { id: "by-commitment", heading: l.by_commitment.into(), body: groups(page, l, true) },
        Section { id: "by-region", heading: l.by_region.into(), body: groups(page, l, false) },
        Section { id: "need-odds", heading: l.need_odds.into(), body: need_odds(page, l) },
        Section { id: "about", heading: l.about.into(), body: about(page, l) },
    ];
    super::render_page(&PageFrame { lang, title: l.title, lead: l.lead, facts: &facts, footer: l.footer }, &sections)
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

fn spread_attrs(spread: &Spread) -> [(&'static str, String); 4] {
    [
        ("data-mean", format!("{:.2}", spread.mean)),
        ("data-p5", spread.p5.to_string()),
        ("data-p50", spread.p50.to_string()),
        ("data-p95", spread.p95.to_string()),
    ]
}

fn scenarios(page: &SimulatePage<'_>, l: &SimLabels) -> Html {
    let base = super::Labels::of(&page.frame.options.lang);
    let mut h = Html::new();
    open_fixed_table(
        &mut h,
        "scenario-table",
        base,
        false,
        &["w19", "w7", "w10", "w10", "w10", "w10", "w19", "w8", "w7"],
        &[
            (l.scenario, false),
            (l.draws, true),
            (l.requested_usd, true),
            (l.offered_usd, true),
            (l.expected_usd, true),
            (l.allocated_mean, true),
            (l.coverage_spread, false),
            (l.funded_spread, true),
            (l.not_proved, true),
        ],
    );
    for (s, sum) in page.frame.scenarios.iter().zip(page.summaries) {
        let attrs = spread_attrs(&sum.allocated);
        let mut all: Vec<(&'static str, &str)> = vec![("data-scenario", &s.name)];
        all.extend(attrs.iter().map(|(k, v)| (*k, v.as_str())));
        h.open("tr", &all);
        h.open("td", &[("data-sort", &s.name)]).text(&s.name);
        if !s.description.is_empty() {
            h.open("span", &[("class", "sub")]).text(&s.description).close("span");
        }
        h.close("td");
        num_cell(&mut h, i128::from(s.draws));
        num_cell(&mut h, s.requested_usd);
        num_cell(&mut h, s.offered_usd);
        num_cell(&mut h, s.expected_usd);
        h.element(
            "td",
            &[("class", "num"), ("data-sort", &format!("{:.2}", sum.allocated.mean))],
            &money(sum.allocated.mean.round() as i128),
        );
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

fn groups(page: &SimulatePage<'_>, l: &SimLabels, by_commitment: bool) -> Html {
    let base = super::Labels::of(&page.frame.options.lang);
    let mut h = Html::new();
    let id = if by_commitment { "commitment-table" } else { "region-table" };
    open_fixed_table(
        &mut h,
        id,
        base,
        true,
        &["w15", "w29", "w7", "w12", "w12", "w25"],
        &[
            (l.scenario, false),
            (if by_commitment { l.commitment } else { l.region }, false),
            (l.needs_count, true),
            (l.requested_usd, true),
            (l.allocated_mean, true),
            (l.coverage_spread, false),
        ],
    );
    // Group by group, scenarios in file order within it, so that scenarios sit next to each other. Every scenario
    // has the same needs, hence the same groups.
    let groups_of = |i: usize| -> (&[Group], &[Spread]) {
        let (s, sum) = (&page.frame.scenarios[i], &page.summaries[i]);
        if by_commitment { (&s.commitments, &sum.by_commitment) } else { (&s.regions, &sum.by_region) }
    };
    let count = if page.frame.scenarios.is_empty() { 0 } else { groups_of(0).0.len() };
    for g in 0..count {
        for (i, s) in page.frame.scenarios.iter().enumerate() {
            let (list, spreads) = groups_of(i);
            let (Some(g), Some(spread)) = (list.get(g), spreads.get(g)) else { continue };
            let attrs = spread_attrs(spread);
            let mut all: Vec<(&'static str, &str)> = vec![("data-scenario", &s.name), ("data-key", &g.key)];
            all.extend(attrs.iter().map(|(k, v)| (*k, v.as_str())));
            h.open("tr", &all);
            h.element("td", &[], &s.name);
            let label = if g.key == "unknown" { l.unknown } else { g.label.as_str() };
            if by_commitment {
                h.open("td", &[("data-sort", &g.key)]).element("code", &[], &g.key).raw(" ").text(label).close("td");
            } else {
                h.element("td", &[], label);
            }
            num_cell(&mut h, g.needs as i128);
            num_cell(&mut h, g.requested_usd);
            h.element(
                "td",
                &[("class", "num"), ("data-sort", &format!("{:.2}", spread.mean))],
                &money(spread.mean.round() as i128),
            );
            spread_cell(&mut h, spread, g.requested_usd, label);
            h.raw("</tr>\n");
        }
    }
    close_table(&mut h);
    h.element("p", &[("class", "note")], l.spread_note);
    h
}

fn need_odds(page: &SimulatePage<'_>, l: &SimLabels) -> Html {
    let base = super::Labels::of(&page.frame.options.lang);
    let mut h = Html::new();
    h.element("p", &[("class", "note")], l.odds_note);
    open_fixed_table(
        &mut h,
        "odds-table",
        base,
        true,
        &["w12", "w10", "w15", "w7", "w12", "w12", "w21", "w11"],
        &[
            (l.scenario, false),
            (l.need, false),
            (l.requester, false),
            (l.priority, true),
            (l.requested_usd, true),
            (l.allocated_mean, true),
            (l.funded_share, false),
            (l.reached_share, true),
        ],
    );
    let total: usize = page.frame.scenarios.iter().map(|s| s.needs.len()).sum();
    let mut shown = 0;
    'all: for (s, tally) in page.frame.scenarios.iter().zip(page.tallies) {
        let draws = u64::from(s.draws);
        for (n, need) in s.needs.iter().enumerate() {
            if shown == super::MAX_TABLE_ROWS {
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
            h.element("td", &[], &s.name);
            h.element("td", &[("class", "id")], &need.need_id);
            super::name_cell(&mut h, &need.requester_name, &need.requester);
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
    super::truncated_note(&mut h, shown, total, "need_odds.csv", base);
    h
}

fn about(page: &SimulatePage<'_>, l: &SimLabels) -> Html {
    let frame = page.frame;
    let base = super::Labels::of(&frame.options.lang);
    let mut h = Html::new();
    let added = frame.scenarios.iter().filter_map(|s| s.added_offers.as_ref());
    let inputs = [&frame.inputs.needs, &frame.inputs.offers, &frame.inputs.scenarios].into_iter().chain(added);
    inputs_table(&mut h, inputs, (l.file, l.rows_col), base);
    let facts = [
        (l.method, super::method_name(&frame.options.method, base).to_string()),
        (l.seed, frame.seed.to_string()),
        (l.node_limit, money(i128::from(frame.options.node_limit))),
    ];
    facts_list(&mut h, &facts);
    h.element("p", &[("class", "note")], l.about_note);
    h
}
