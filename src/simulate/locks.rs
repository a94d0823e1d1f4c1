//! A ledger of earlier awards in a study (`simulate --ledger`, docs/spec.md §7): what each scenario locks in every
//! draw, which pledged awards its draws decide on, and the locks of one draw.
//!
//! Committed and disbursed awards (pledged ones too with `--lock pledged`) are locked in every draw of every
//! scenario. A scenario's `pledged_awards` key says otherwise for pledged awards: `certain` locks them in every
//! draw, `drawn` locks each in the draws where its pledge arrives. A drawn award whose offer is in the scenario's
//! batch arrives exactly when that offer's pledge does (the same number of the draw's stream decides both, since a
//! donor whose pledge fails does not keep the pledged part of it); one whose offer is outside the batch gets a
//! number of its own, taken after the offers' so that the offers' numbers stay what they are without a ledger.
//!
//! Locks are placed on each scenario's batch, since a scenario changes envelopes, amounts and offers. A scenario
//! that leaves an envelope or a need's amount below what is locked on it is a data error naming the scenario:
//! locked money is already given, and a study that took it back would answer another question. In a draw, an
//! offer keeps at least what is locked on it, whatever share of its pledge arrives.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::catalog::Reference;
use crate::error::{DataError, Error, ErrorKind, Result};
use crate::graph::locks::{Locks, Tally};
use crate::graph::{self, Graph};
use crate::model::{AwardStatus, Batch, Ledger, LockLevel, PledgedAwards};
use crate::objective::Weights;
use crate::scenario::{Scenario, Study};

/// What the draws of a scenario do with the ledger's pledged awards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PledgedRule {
    /// They bind nothing (the default, with `--lock committed`).
    Unlocked,
    /// Locked in every draw.
    Certain,
    /// Each locked in the draws where its pledge arrives.
    Drawn,
}

impl PledgedRule {
    /// The rule of a scenario whose `pledged_awards` is `key` (or unset) in a study run with `--lock lock`.
    pub fn of(key: Option<PledgedAwards>, lock: LockLevel) -> PledgedRule {
        match (key, lock) {
            (Some(PledgedAwards::Certain), _) | (None, LockLevel::Pledged) => PledgedRule::Certain,
            (Some(PledgedAwards::Drawn), _) => PledgedRule::Drawn,
            (None, LockLevel::Committed) => PledgedRule::Unlocked,
        }
    }

    /// The lock level that places every award a draw under this rule may lock.
    pub fn level(self) -> LockLevel {
        match self {
            PledgedRule::Unlocked => LockLevel::Committed,
            PledgedRule::Certain | PledgedRule::Drawn => LockLevel::Pledged,
        }
    }
}

/// The ledger in a scenario's record (simulate.json and shards).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioLedger {
    /// What the draws do with pledged awards.
    pub pledged_awards: PledgedRule,
    /// Awards locked in every draw, of needs in the scenario's batch.
    pub locked: Tally,
    /// Pledged awards locked only in the draws where their pledge arrives.
    pub drawn: Tally,
    /// Of the two, the awards whose offer is not in the scenario's batch (they count against their need only).
    pub outside_offer: Tally,
    /// Awards a draw would lock whose need is not in the batch (they count nowhere).
    pub unknown_need: Tally,
}

/// A pledged award that each draw locks or not.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DrawnAward {
    /// Index of the award in the ledger.
    pub award: usize,
    /// Its offer in the scenario's batch, whose pledge it arrives with; none for an offer outside the batch.
    pub offer: Option<u32>,
    /// The probability that it arrives: its donor's pledge rule in the scenario.
    pub probability: f64,
}

/// A ledger placed on one scenario.
#[derive(Debug, Clone)]
pub struct ScenarioLocks {
    /// The ledger, shared by the scenarios.
    pub ledger: Arc<Ledger>,
    /// Every award a draw of the scenario may lock, placed on its batch: those locked in every draw and every
    /// drawn pledge. A draw in which every drawn pledge arrives locks exactly these.
    pub all: Locks,
    /// The pledged awards each draw decides on, in ledger order.
    pub drawn: Vec<DrawnAward>,
    /// What the record says.
    pub record: ScenarioLedger,
}

impl ScenarioLocks {
    /// Places `ledger` on scenario `s` of `study` (its `batch` and `graph`; `base` is the study's batch, which
    /// knows the donors of offers the scenario removed) under `rule`. Locked totals above what the scenario leaves
    /// are data errors at the scenario's name.
    #[allow(clippy::too_many_arguments)]
    pub fn place(
        study: &Study,
        s: usize,
        base: &Batch,
        batch: &Batch,
        graph: &Graph,
        ledger: &Arc<Ledger>,
        rule: PledgedRule,
    ) -> Result<ScenarioLocks> {
        let scenario = &study.scenarios[s];
        let all = Locks::place(batch, graph, ledger, rule.level()).map_err(|e| cut_below_locks(e, scenario, ledger))?;
        let mut drawn = Vec::new();
        let mut drawn_tally = Tally::default();
        if rule == PledgedRule::Drawn {
            let needs: HashSet<&str> = batch.needs.iter().map(|n| n.id.as_str()).collect();
            let offers: HashMap<&str, usize> =
                batch.offers.iter().enumerate().map(|(o, offer)| (offer.id.as_str(), o)).collect();
            let base_donors: HashMap<&str, &str> =
                base.offers.iter().map(|o| (o.id.as_str(), o.donor.as_str())).collect();
            for (i, award) in ledger.awards.iter().enumerate() {
                if award.status != AwardStatus::Pledged || !needs.contains(award.need.as_str()) {
                    continue;
                }
                let offer = offers.get(award.offer.as_str()).copied();
                let donor = offer
                    .map(|o| batch.offers[o].donor.as_str())
                    .or_else(|| base_donors.get(award.offer.as_str()).copied());
                let pledge = match donor {
                    Some(donor) => study.pledge(s, donor),
                    None => study.default_pledge(s),
                };
                drawn.push(DrawnAward { award: i, offer: offer.map(|o| o as u32), probability: pledge.probability });
                drawn_tally.awards += 1;
                drawn_tally.usd += i128::from(award.amount.get());
            }
        }
        let locked = Tally { awards: all.locked.awards - drawn_tally.awards, usd: all.locked.usd - drawn_tally.usd };
        let record = ScenarioLedger {
            pledged_awards: rule,
            locked,
            drawn: drawn_tally,
            outside_offer: all.outside_offer,
            unknown_need: all.unknown_need,
        };
        Ok(ScenarioLocks { ledger: Arc::clone(ledger), all, drawn, record })
    }

    /// Whether every draw locks the same awards (no pledge to draw, or only pledges that always arrive).
    pub fn fixed(&self) -> bool {
        self.drawn.iter().all(|d| d.probability >= 1.0)
    }

    /// The locks of a draw in which drawn pledge `k` arrives when `arrived[k]`, placed on the scenario's `batch`
    /// and `graph`; `None` when every drawn pledge arrives, so the draw locks [`ScenarioLocks::all`].
    pub fn of_draw(&self, batch: &Batch, graph: &Graph, arrived: &[bool]) -> Result<Option<Locks>> {
        if arrived.iter().all(|&a| a) {
            return Ok(None);
        }
        // `drawn` is in ledger order, so an award's place in it is found by its index.
        let pledged = |i: usize| self.drawn.binary_search_by_key(&i, |d| d.award).is_ok_and(|k| arrived[k]);
        // A subset of `all`, whose totals were checked: no total can break here.
        Locks::place_where(batch, graph, &self.ledger, LockLevel::Pledged, pledged).map(Some)
    }
}

/// Checks the ledger against the study's own batch, as `match` checks it, at the level the scenarios' `rules` need
/// at most: a total it breaks there is the ledger's error (or the batch's), reported once at the ledger's row
/// rather than by every scenario.
pub fn check_baseline(
    base: &Batch,
    reference: &Reference,
    weights: &Weights,
    ledger: &Ledger,
    rules: &[PledgedRule],
) -> Result<()> {
    let pledged = rules.iter().any(|r| r.level() == LockLevel::Pledged);
    let level = if pledged { LockLevel::Pledged } else { LockLevel::Committed };
    Locks::place(base, &graph::build(base, reference, weights), ledger, level).map(|_| ())
}

/// `--lock` in the record, by its word.
pub(super) fn lock_text<S: Serializer>(lock: &Option<LockLevel>, out: S) -> std::result::Result<S::Ok, S::Error> {
    match lock {
        Some(lock) => out.serialize_str(lock.as_str()),
        None => out.serialize_none(),
    }
}

/// `--lock` read back from a shard.
pub(super) fn lock_of_text<'de, D: Deserializer<'de>>(input: D) -> std::result::Result<Option<LockLevel>, D::Error> {
    let text = String::deserialize(input)?;
    LockLevel::parse(&text)
        .map(Some)
        .ok_or_else(|| serde::de::Error::custom(format!("lock must be one of {}, found {text}", LockLevel::expected())))
}

/// The ledger's errors about locked totals, as errors of the scenario whose changes left too little.
fn cut_below_locks(error: Error, scenario: &Scenario, ledger: &Ledger) -> Error {
    let ErrorKind::InvalidData { errors, more } = error.kind() else { return error };
    let errors = errors
        .iter()
        .map(|e| DataError {
            location: scenario.name.location.clone(),
            message: format!(
                "scenario {:?} leaves less than the ledger locks ({}: {}); locked money stays where it is, so \
                 raise the factor or leave this need or offer out of the change",
                scenario.name.value, ledger.label, e.message
            ),
        })
        .collect();
    Error::invalid_data(errors, *more)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scenario_key_comes_before_the_lock_level() {
        use LockLevel::{Committed, Pledged};
        assert_eq!(PledgedRule::of(None, Committed), PledgedRule::Unlocked);
        assert_eq!(PledgedRule::of(None, Pledged), PledgedRule::Certain);
        assert_eq!(PledgedRule::of(Some(PledgedAwards::Certain), Committed), PledgedRule::Certain);
        assert_eq!(PledgedRule::of(Some(PledgedAwards::Drawn), Pledged), PledgedRule::Drawn);
        assert_eq!(PledgedRule::Unlocked.level(), Committed);
        assert_eq!(PledgedRule::Drawn.level(), Pledged);
    }
}
