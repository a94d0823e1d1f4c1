//! A scenario's changes applied to the baseline batch: offers removed and added, envelopes and demand scaled.
//! Every name the scenario mentions must exist (a misspelt donor would otherwise change nothing, silently).

use std::path::Path;

use crate::catalog::Reference;
use crate::error::{DataError, Error, Result};
use crate::io::ReadOptions;
use crate::io::hashing::HashingReader;
use crate::io::provenance::InputInfo;
use crate::model::{Batch, MAX_AMOUNT_USD, Need, Requester, Theme, Usd};
use crate::records::ErrorSink;

use super::file::{Placed, Scenario};

/// A scenario's batch, with what was read to build it.
#[derive(Debug, Clone)]
pub struct ScenarioBatch {
    /// The changed batch: needs in baseline order, offers in baseline order then added ones.
    pub batch: Batch,
    /// The added offers file, if any.
    pub added: Option<InputInfo>,
}

/// Applies `scenario` to `base`. `dir` is the folder of the scenarios file (add_offers paths are relative to it).
pub fn apply(
    scenario: &Scenario,
    base: &Batch,
    reference: &Reference,
    dir: &Path,
    options: ReadOptions,
) -> Result<ScenarioBatch> {
    let mut errors = Vec::new();
    let mut offers = base.offers.clone();

    for id in &scenario.remove_offers {
        match offers.iter().position(|o| o.id.as_str() == id.value) {
            Some(i) => {
                offers.remove(i);
            }
            None => errors.push(unknown(id, "offer id", "no offer with this id in the batch")),
        }
    }

    let mut added = None;
    if let Some(file) = &scenario.add_offers {
        let path = dir.join(&file.value);
        let handle = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
        let mut hashing = HashingReader::new(std::io::BufReader::new(handle));
        let mut sink = ErrorSink::new(options.error_limit);
        let label = path.display().to_string();
        let new = crate::io::read_offers_from(&label, &mut hashing, reference, options, &mut sink)?;
        sink.into_result()?;
        for offer in &new {
            if offers.iter().any(|o| o.id == offer.id) {
                errors.push(DataError {
                    location: file.location.clone(),
                    message: format!(
                        "offer id {:?} on line {} of {label} is already in the batch; added offers need new ids",
                        offer.id.as_str(),
                        offer.line
                    ),
                });
            }
        }
        added = Some(InputInfo { path: label, rows: new.len(), sha256: hashing.hex_digest() });
        offers.extend(new);
    }

    let mut factor = vec![1.0f64; offers.len()];
    for (donor, f) in &scenario.donor_factors {
        let mut found = false;
        for (o, offer) in offers.iter().enumerate() {
            if offer.donor == donor.value {
                factor[o] *= f;
                found = true;
            }
        }
        if !found {
            errors.push(unknown(donor, "donor", "no offer of this donor in the scenario's batch"));
        }
    }
    for (id, f) in &scenario.offer_factors {
        match offers.iter().position(|o| o.id.as_str() == id.value) {
            Some(o) => factor[o] *= f,
            None => errors.push(unknown(id, "offer id", "no offer with this id in the scenario's batch")),
        }
    }
    for (offer, f) in offers.iter_mut().zip(&factor) {
        match scaled(offer.envelope, *f, 0) {
            Some(v) => offer.envelope = v,
            None => errors.push(DataError {
                location: scenario.name.location.clone(),
                message: format!("the envelope factors make offer {:?} exceed {MAX_AMOUNT_USD} USD", offer.id.as_str()),
            }),
        }
    }

    let mut needs = base.needs.clone();
    let mut demand = vec![1.0f64; needs.len()];
    for (key, f) in &scenario.region_factors {
        let Some(area) = area_code(reference, &key.value) else {
            errors.push(unknown(key, "M49 area", "expected an M49 code or an area name such as 2 or Africa"));
            continue;
        };
        for (n, need) in needs.iter().enumerate() {
            if need_in_area(need, reference, area) {
                demand[n] *= f;
            }
        }
    }
    for (key, f) in &scenario.theme_factors {
        let Some(theme) = Theme::parse(&key.value) else {
            errors.push(unknown(key, "theme", &format!("expected one of {}", Theme::expected())));
            continue;
        };
        for (n, need) in needs.iter().enumerate() {
            if need.commitments.iter().any(|&c| reference.commitment(c).theme_set().contains(theme)) {
                demand[n] *= f;
            }
        }
    }
    for (need, f) in needs.iter_mut().zip(&demand) {
        // A need keeps at least one dollar: needs.csv requires a positive amount.
        match scaled(need.amount, *f, 1) {
            Some(v) => {
                need.amount = v;
                need.min_award = need.min_award.map(|m| m.min(v));
            }
            None => errors.push(DataError {
                location: scenario.name.location.clone(),
                message: format!("the demand factors make need {:?} exceed {MAX_AMOUNT_USD} USD", need.id.as_str()),
            }),
        }
    }

    if errors.is_empty() {
        Ok(ScenarioBatch { batch: Batch { needs, offers }, added })
    } else {
        Err(Error::invalid_data(errors, 0))
    }
}

/// `amount × factor` rounded to whole dollars (half away from zero), at least `least`; `None` above the limit.
fn scaled(amount: Usd, factor: f64, least: i64) -> Option<Usd> {
    if factor == 1.0 {
        return Some(amount);
    }
    let v = (amount.get() as f64 * factor).round();
    (v <= MAX_AMOUNT_USD as f64).then(|| Usd((v as i64).max(least)))
}

fn unknown(key: &Placed<String>, what: &str, hint: &str) -> DataError {
    DataError { location: key.location.clone(), message: format!("unknown {what} {:?}: {hint}", key.value) }
}

/// An M49 area by code (`2`, `002`) or by English or Chinese name (case-insensitive).
pub fn area_code(reference: &Reference, key: &str) -> Option<u16> {
    if let Ok(code) = key.parse::<u16>() {
        return reference.area(code).map(|a| a.m49);
    }
    // The same lookup as needs' and offers' area columns, so a name means the same area everywhere.
    reference.area_by_name(key).map(|a| a.m49)
}

/// Whether a need's requester lies in M49 area `m49` (a regional organisation: when its region lies within it).
pub fn need_in_area(need: &Need, reference: &Reference, m49: u16) -> bool {
    match &need.requester {
        Requester::State(c) => reference.country(*c).in_area(m49),
        Requester::RegionalOrg(_) => need.region.is_some_and(|r| reference.area_within(r, m49)),
    }
}
