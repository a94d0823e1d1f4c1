//! A study's outputs written together: its four tables, report.html and simulate.json, staged and renamed as
//! one (the same for a single run and for merged shards, since all are computed from the frame and tallies).

use std::path::Path;
use std::time::Instant;

use crate::error::Result;
use crate::io::atomic;
use crate::io::outputs;
use crate::render::{SimulatePage, render_simulate_page};
use crate::simulate::outputs::{ScenarioSummary, SimulateInfo, summarise};
use crate::simulate::tables::{WORKBOOK, tables};
use crate::simulate::{Frame, Tally, Timings};

/// A study's outputs as written.
#[derive(Debug, Clone)]
pub struct WrittenStudy {
    /// The timings, with the write time.
    pub timings: Timings,
    /// Each scenario's summary (for a caller that prints them).
    pub summaries: Vec<ScenarioSummary>,
    /// The files written (in order) and those of an earlier run removed.
    pub files: atomic::Committed,
}

/// Writes every output of a study into `dir`, removing in the same step what an earlier run left there that this
/// one does not write ([`super::folder`]).
pub fn write(dir: &Path, frame: &Frame, tallies: &[Tally], timings: Timings) -> Result<WrittenStudy> {
    let started = Instant::now();
    let summaries: Vec<ScenarioSummary> = frame.scenarios.iter().zip(tallies).map(|(s, t)| summarise(s, t)).collect();
    let mut staged = atomic::Staged::in_dir(dir)?;
    let options = frame.options.output();
    outputs::write_tables(&mut staged, dir, WORKBOOK, &tables(frame, &summaries, tallies), options)?;
    let page = render_simulate_page(&SimulatePage { frame, summaries: &summaries, tallies });
    staged.stage(&dir.join("report.html"), |out| out.write_all(page.as_bytes()))?;
    let mut timings = timings;
    timings.write_s = started.elapsed().as_secs_f64();
    outputs::write_json(&mut staged, &dir.join("simulate.json"), &SimulateInfo::new(frame, &summaries, timings))?;
    super::retire_stale(&mut staged, dir)?;
    let files = staged.commit()?;
    Ok(WrittenStudy { timings, summaries, files })
}
