//! Shards of a study (`simulate --shard I/N`) and their merge: which slice of the draws a shard runs, the shard
//! file, and the checks that the shards of a merge come from one study and cover it once.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

use super::{Frame, Tally};

/// Which slice of the draws a run takes: shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardSpec {
    /// 1-based shard number.
    pub index: u32,
    /// Number of shards.
    pub count: u32,
}

impl ShardSpec {
    /// The whole study.
    pub const WHOLE: ShardSpec = ShardSpec { index: 1, count: 1 };

    /// Parses `I/N` with 1 ≤ I ≤ N.
    pub fn parse(text: &str) -> std::result::Result<ShardSpec, String> {
        let bad = || format!("expected I/N with 1 <= I <= N, such as 2/3; found {text:?}");
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let index: u32 = i.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || index > count { Err(bad()) } else { Ok(ShardSpec { index, count }) }
    }

    /// The draws of a scenario with `draws` draws that this shard runs: a contiguous slice.
    pub fn slice(&self, draws: u32) -> Range<u32> {
        let at = |k: u32| (u64::from(draws) * u64::from(k) / u64::from(self.count)) as u32;
        at(self.index - 1)..at(self.index)
    }
}

/// A shard file's content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shard {
    /// Always `poa-match simulate shard`, so that other JSON is refused clearly.
    pub kind: String,
    /// Which shard this is.
    pub shard: ShardSpec,
    /// The study.
    pub frame: Frame,
    /// Per scenario, this shard's draws.
    pub tallies: Vec<Tally>,
    /// Seconds this shard spent.
    pub timings: Timings,
}

/// The `kind` of a shard file.
pub const SHARD_KIND: &str = "poa-match simulate shard";

/// Seconds spent in each stage of a study.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    /// Reading inputs and the scenarios file.
    pub read_s: f64,
    /// Applying scenarios and building graphs.
    pub prepare_s: f64,
    /// Running the draws.
    pub draws_s: f64,
    /// Writing outputs.
    pub write_s: f64,
}

/// Combines shard files into the frame and tallies of the whole study. The shards must come from one study (same
/// frame) and be exactly shards 1..N of N, each once, in any order.
pub fn merge(shards: Vec<(String, Shard)>) -> Result<(Frame, Vec<Tally>, Timings)> {
    let Some((first_path, first)) = shards.first() else {
        return Err(Error::usage("merge needs at least one shard file"));
    };
    let count = first.shard.count;
    let mut seen = vec![None::<&str>; count as usize];
    for (path, shard) in &shards {
        if shard.frame != first.frame {
            return Err(Error::usage(format!(
                "{path} and {first_path} come from different studies (inputs, options or scenarios differ)"
            )));
        }
        if shard.shard.count != count {
            return Err(Error::usage(format!(
                "{path} is a shard of {} but {first_path} is a shard of {count}",
                shard.shard.count
            )));
        }
        let slot = &mut seen[(shard.shard.index - 1) as usize];
        if let Some(other) = slot {
            return Err(Error::usage(format!("{path} and {other} are both shard {}/{count}", shard.shard.index)));
        }
        *slot = Some(path);
    }
    let missing: Vec<String> =
        seen.iter().enumerate().filter(|(_, s)| s.is_none()).map(|(i, _)| format!("{}/{count}", i + 1)).collect();
    if !missing.is_empty() {
        return Err(Error::usage(format!("shards missing: {}", missing.join(", "))));
    }
    let frame = first.frame.clone();
    let mut timings = Timings::default();
    let mut tallies: Vec<Tally> = frame.scenarios.iter().map(|s| Tally::empty(s.needs.len())).collect();
    for (_, shard) in shards {
        timings.read_s += shard.timings.read_s;
        timings.prepare_s += shard.timings.prepare_s;
        timings.draws_s += shard.timings.draws_s;
        for (total, part) in tallies.iter_mut().zip(shard.tallies) {
            total.absorb(part);
        }
    }
    for (tally, scenario) in tallies.iter().zip(&frame.scenarios) {
        let expected = (0..scenario.draws).collect::<Vec<_>>();
        if tally.draws.iter().map(|d| d.draw).ne(expected.iter().copied()) {
            return Err(Error::usage(format!(
                "the shards do not hold each draw of scenario {:?} exactly once",
                scenario.name
            )));
        }
    }
    Ok((frame, tallies, timings))
}

/// Checks a shard read from a file for the shape the rest of the code relies on.
pub fn check_shard(path: &str, shard: &Shard) -> Result<()> {
    let bad = |what: String| Err(Error::usage(format!("{path} is not a usable shard file: {what}")));
    if shard.kind != SHARD_KIND {
        return bad(format!("kind is {:?}, expected {SHARD_KIND:?}", shard.kind));
    }
    if shard.shard.index == 0 || shard.shard.index > shard.shard.count {
        return bad(format!("shard {}/{} is out of range", shard.shard.index, shard.shard.count));
    }
    if shard.tallies.len() != shard.frame.scenarios.len() {
        return bad("tallies and scenarios differ in number".into());
    }
    for (t, s) in shard.tallies.iter().zip(&shard.frame.scenarios) {
        let n = s.needs.len();
        if t.need_funded.len() != n || t.need_reached.len() != n || t.need_allocated.len() != n {
            return bad(format!("scenario {:?}: per-need sums do not match its needs", s.name));
        }
        for d in &t.draws {
            if d.draw >= s.draws || d.by_commitment.len() != s.commitments.len() || d.by_region.len() != s.regions.len()
            {
                return bad(format!("scenario {:?}: draw {} does not fit the scenario", s.name, d.draw));
            }
        }
        if s.needs.iter().any(|r| r.commitment as usize >= s.commitments.len() || r.region as usize >= s.regions.len())
        {
            return bad(format!("scenario {:?}: a need points outside the groups", s.name));
        }
    }
    Ok(())
}
