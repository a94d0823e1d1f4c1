//! The columns of a study's four tables (scenarios.csv, by_commitment.csv, by_region.csv, need_odds.csv), each
//! defined once with [`Column`]: its name in the file, its heading on the page where the page shows it, and how
//! a row fills it. The CSV and JSON writers write the [`Table`]s built here; the simulate page takes its headings
//! from the same columns.

use crate::io::outputs::{Cell, Table, int, text};
use crate::report::Word;
use crate::report::schema::{Column, table};

use super::outputs::ScenarioSummary;
use super::stats::{Spread, mean};
use super::{Frame, Group, NeedRow, ScenarioFrame, Tally};

/// A scenario with its summary: a row of scenarios.csv.
pub struct ScenarioRow<'a> {
    /// The scenario.
    pub scenario: &'a ScenarioFrame,
    /// Its results.
    pub summary: &'a ScenarioSummary,
}

/// A group of needs in one scenario with its spread: a row of by_commitment.csv or by_region.csv.
pub struct GroupRow<'a> {
    /// The scenario.
    pub scenario: &'a ScenarioFrame,
    /// The group.
    pub group: &'a Group,
    /// Dollars allocated to it per draw.
    pub spread: &'a Spread,
}

/// A need in one scenario with its tallies: a row of need_odds.csv.
pub struct NeedOddsRow<'a> {
    /// The scenario.
    pub scenario: &'a ScenarioFrame,
    /// The scenario's tallies.
    pub tally: &'a Tally,
    /// The need's index in the scenario.
    pub need: usize,
}

impl NeedOddsRow<'_> {
    fn row(&self) -> &NeedRow {
        &self.scenario.needs[self.need]
    }

    /// Share of draws in which the need is fully funded.
    pub fn funded_share(&self) -> f64 {
        mean(i128::from(self.tally.need_funded[self.need]), u64::from(self.scenario.draws))
    }

    /// Share of draws in which the need gets anything.
    pub fn reached_share(&self) -> f64 {
        mean(i128::from(self.tally.need_reached[self.need]), u64::from(self.scenario.draws))
    }

    /// Mean dollars per draw.
    pub fn allocated_mean(&self) -> f64 {
        mean(self.tally.need_allocated[self.need], u64::from(self.scenario.draws))
    }
}

/// A row with a spread of dollars allocated over draws, and the total that coverage is measured against.
pub trait SpreadRow {
    /// (dollars allocated per draw, the requested total).
    fn spread(&self) -> (&Spread, i128);
}

impl SpreadRow for ScenarioRow<'_> {
    fn spread(&self) -> (&Spread, i128) {
        (&self.summary.allocated, self.scenario.requested_usd)
    }
}

impl SpreadRow for GroupRow<'_> {
    fn spread(&self) -> (&Spread, i128) {
        (self.spread, self.group.requested_usd)
    }
}

/// Coverage (`index` 0 mean, 1 p5, 2 p50, 3 p95) of a spread row.
fn coverage<R: SpreadRow>(r: &R, index: usize) -> Cell {
    let (spread, total) = r.spread();
    Cell::Ratio(spread.ratio_to(total)[index])
}

/// The eight columns of a spread: dollars allocated (mean, p5, p50, p95) and coverage (the same).
pub fn spread_columns<R: SpreadRow>() -> [Column<R>; 8] {
    [
        // The page shows the median dollars beside the median coverage (the mean under it, labelled), so that
        // the figures of a row are one statistic.
        Column { name: "allocated_mean_usd", heading: None, cell: |r| Cell::Mean(r.spread().0.mean) },
        Column { name: "allocated_p5_usd", heading: None, cell: |r| int(r.spread().0.p5) },
        Column { name: "allocated_p50_usd", heading: Some(Word::AllocatedMedian), cell: |r| int(r.spread().0.p50) },
        Column { name: "allocated_p95_usd", heading: None, cell: |r| int(r.spread().0.p95) },
        Column { name: "coverage_mean", heading: None, cell: |r| coverage(r, 0) },
        Column { name: "coverage_p5", heading: None, cell: |r| coverage(r, 1) },
        Column { name: "coverage_p50", heading: Some(Word::CoverageSpread), cell: |r| coverage(r, 2) },
        Column { name: "coverage_p95", heading: None, cell: |r| coverage(r, 3) },
    ]
}

/// scenarios.csv: one row per scenario.
pub fn scenario_columns<'a>() -> Vec<Column<ScenarioRow<'a>>> {
    let mut columns = vec![
        Column { name: "scenario", heading: Some(Word::Scenario), cell: |r: &ScenarioRow<'_>| text(&r.scenario.name) },
        Column { name: "draws", heading: Some(Word::Draws), cell: |r| int(r.scenario.draws) },
        Column { name: "offers", heading: None, cell: |r| int(r.scenario.offers as i64) },
        Column { name: "edges", heading: None, cell: |r| int(r.scenario.edges as i64) },
        Column { name: "requested_usd", heading: Some(Word::RequestedUsd), cell: |r| int(r.scenario.requested_usd) },
        Column { name: "offered_usd", heading: Some(Word::OfferedUsd), cell: |r| int(r.scenario.offered_usd) },
        Column { name: "expected_usd", heading: Some(Word::ExpectedUsd), cell: |r| int(r.scenario.expected_usd) },
    ];
    columns.extend(spread_columns());
    columns.extend([
        Column { name: "funded_mean", heading: None, cell: |r: &ScenarioRow<'_>| Cell::Mean(r.summary.funded.mean) },
        Column { name: "funded_p5", heading: None, cell: |r| int(r.summary.funded.p5) },
        Column { name: "funded_p50", heading: Some(Word::FundedSpread), cell: |r| int(r.summary.funded.p50) },
        Column { name: "funded_p95", heading: None, cell: |r| int(r.summary.funded.p95) },
        Column { name: "draws_not_proved", heading: Some(Word::NotProved), cell: |r| int(r.summary.not_proved) },
        Column { name: "worst_gap", heading: None, cell: |r| Cell::Ratio(r.summary.worst_gap) },
    ]);
    columns
}

/// by_commitment.csv (`key` `commitment`, `label` `title`) or by_region.csv (`region`, `name`): one row per
/// group of each scenario.
pub fn group_columns<'a>(by_commitment: bool) -> Vec<Column<GroupRow<'a>>> {
    let (key, label, heading) =
        if by_commitment { ("commitment", "title", Word::Commitment) } else { ("region", "name", Word::Region) };
    let mut columns = vec![
        Column { name: "scenario", heading: Some(Word::Scenario), cell: |r: &GroupRow<'_>| text(&r.scenario.name) },
        Column { name: key, heading: Some(heading), cell: |r| text(&r.group.key) },
        Column { name: label, heading: None, cell: |r| text(&r.group.label) },
        Column { name: "needs", heading: Some(Word::NeedsCount), cell: |r| int(r.group.needs as i64) },
        Column { name: "requested_usd", heading: Some(Word::RequestedUsd), cell: |r| int(r.group.requested_usd) },
    ];
    columns.extend(spread_columns());
    columns
}

/// need_odds.csv: one row per need of each scenario.
pub fn need_odds_columns<'a>() -> [Column<NeedOddsRow<'a>>; 9] {
    [
        Column { name: "scenario", heading: Some(Word::Scenario), cell: |r| text(&r.scenario.name) },
        Column { name: "need_id", heading: Some(Word::Need), cell: |r| text(&r.row().need_id) },
        Column { name: "requester", heading: Some(Word::Requester), cell: |r| text(&r.row().requester) },
        Column { name: "priority", heading: Some(Word::Priority), cell: |r| int(r.row().priority) },
        Column { name: "requested_usd", heading: Some(Word::RequestedUsd), cell: |r| int(r.row().requested_usd) },
        Column { name: "funded_share", heading: Some(Word::FundedShare), cell: |r| Cell::Ratio(r.funded_share()) },
        Column { name: "reached_share", heading: Some(Word::ReachedShare), cell: |r| Cell::Ratio(r.reached_share()) },
        Column {
            name: "allocated_mean_usd",
            heading: Some(Word::AllocatedMean),
            cell: |r| Cell::Mean(r.allocated_mean()),
        },
        Column {
            name: "coverage_mean",
            heading: None,
            cell: |r| Cell::Ratio(r.allocated_mean() / r.row().requested_usd as f64),
        },
    ]
}

/// The rows of by_commitment.csv or by_region.csv: group by group within each scenario, in frame order.
pub fn group_rows<'a>(frame: &'a Frame, summaries: &'a [ScenarioSummary], by_commitment: bool) -> Vec<GroupRow<'a>> {
    let mut rows = Vec::new();
    for (scenario, sum) in frame.scenarios.iter().zip(summaries) {
        let (groups, spreads) = if by_commitment {
            (&scenario.commitments, &sum.by_commitment)
        } else {
            (&scenario.regions, &sum.by_region)
        };
        rows.extend(groups.iter().zip(spreads).map(|(group, spread)| GroupRow { scenario, group, spread }));
    }
    rows
}

/// The stem of the workbook that holds the four tables with `--format xlsx` (simulate.xlsx).
pub const WORKBOOK: &str = "simulate";

/// The file stems of the four tables of a study, in the order they are written.
pub const TABLES: [&str; 4] = ["scenarios", "by_commitment", "by_region", "need_odds"];

/// The four tables of a study.
pub fn tables(frame: &Frame, summaries: &[ScenarioSummary], tallies: &[Tally]) -> Vec<Table> {
    let scenarios: Vec<ScenarioRow<'_>> =
        frame.scenarios.iter().zip(summaries).map(|(scenario, summary)| ScenarioRow { scenario, summary }).collect();
    let odds: Vec<NeedOddsRow<'_>> = frame
        .scenarios
        .iter()
        .zip(tallies)
        .flat_map(|(scenario, tally)| (0..scenario.needs.len()).map(move |need| NeedOddsRow { scenario, tally, need }))
        .collect();
    let [scenarios_name, commitment_name, region_name, odds_name] = TABLES;
    vec![
        table(scenarios_name, &scenario_columns(), &scenarios),
        table(commitment_name, &group_columns(true), &group_rows(frame, summaries, true)),
        table(region_name, &group_columns(false), &group_rows(frame, summaries, false)),
        table(odds_name, &need_odds_columns(), &odds),
    ]
}
