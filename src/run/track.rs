//! A follow-up's outputs written together: its five tables, track.html and track.json, staged and renamed as one,
//! so a failed run leaves none of them (docs/spec.md §6, §9).

use std::path::Path;

use crate::catalog::Reference;
use crate::error::Result;
use crate::io::atomic;
use crate::io::outputs::{self, OutputOptions};
use crate::model::Batch;
use crate::render::{TrackPage, render_track_page};
use crate::track::Track;
use crate::track::record::TrackInfo;
use crate::track::tables::{WORKBOOK, tables};

/// Everything a follow-up writes, and where.
#[derive(Debug, Clone, Copy)]
pub struct TrackOutput<'a> {
    /// The output folder (created if missing).
    pub dir: &'a Path,
    /// The tables' format.
    pub tables: OutputOptions,
    /// The follow-up.
    pub track: &'a Track,
    /// track.json's content (its options carry the page's language).
    pub info: &'a TrackInfo,
    /// The batch (titles and requesters for the page).
    pub batch: &'a Batch,
    /// Reference tables (names for the page).
    pub reference: &'a Reference,
}

/// Writes every output of a follow-up into `output.dir`, whole or not at all, removing in the same step what an
/// earlier run left there that this one does not write ([`super::folder`]); returns the files written and removed.
pub fn write(output: &TrackOutput<'_>) -> Result<atomic::Committed> {
    let dir = output.dir;
    let mut staged = atomic::Staged::in_dir(dir)?;
    outputs::write_tables(&mut staged, dir, WORKBOOK, &tables(output.track), output.tables)?;
    let page = render_track_page(&TrackPage {
        track: output.track,
        info: output.info,
        batch: output.batch,
        reference: output.reference,
        lang: output.info.options.lang,
    });
    staged.stage(&dir.join("track.html"), |out| out.write_all(page.as_bytes()))?;
    outputs::write_json(&mut staged, &dir.join("track.json"), output.info)?;
    super::retire_stale(&mut staged, dir)?;
    staged.commit()
}
