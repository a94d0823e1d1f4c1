//! The objective of docs/spec.md §5: each dollar on edge (need, offer) is worth
//! `v = priority_scale · w(priority) + fit`, with `w(1)=3, w(2)=2, w(3)=1`, `priority_scale = 10` and
//! `fit = shared code 4 | related code 2 | theme 1, + 2 when the offer names the requester's country or
//! sub-region`. Because `priority_scale` exceeds the largest fit, a dollar to a higher-priority need always
//! outweighs fit. A TOML weights file (`--weights`) can change every number.
//!
//! Two keys are fairness guardrails (docs/spec.md §10): `flag_bonus`, a value per dollar added to every edge of
//! a need whose requester is a least developed country, a landlocked developing country or a small island
//! developing State (once, however many of the three groups it belongs to; regional organisations belong to
//! none), and `max_requester_share`, the most of the batch's envelopes one requester may receive
//! ([`RequesterShare`]).

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{DataError, Error, Location, Result};
use crate::model::CommitmentIdx;

/// How well an offer's scope covers a need: the basis of the fit score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ScopeMatch {
    /// The offer lists no codes: a shared theme, or an offer open to any theme.
    Theme,
    /// Only a related code (catalogue `related_codes`) is shared.
    Related(CommitmentIdx),
    /// A commitment code is shared.
    Shared(CommitmentIdx),
}

/// The weights of the objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Weights {
    /// Multiplies the priority weight.
    pub priority_scale: i64,
    /// w(1), w(2), w(3).
    pub priority: [i64; 3],
    /// Fit when a commitment code is shared.
    pub fit_shared_code: i64,
    /// Fit when only a related code is shared.
    pub fit_related_code: i64,
    /// Fit when only a theme is shared (or the offer is open to any theme).
    pub fit_theme: i64,
    /// Added when the offer names the requester's country or sub-region.
    pub fit_explicit_geography: i64,
    /// Added to every edge of a need whose requester is LDC, LLDC or SIDS (docs/spec.md §10). Left out of
    /// run.json at 0, its default, so that records without the guardrail keep their bytes.
    #[serde(skip_serializing_if = "is_zero")]
    pub flag_bonus: i64,
    /// The most of the batch's total envelopes that one requester may receive (docs/spec.md §10); none when
    /// absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_requester_share: Option<RequesterShare>,
}

pub(crate) fn is_zero(v: &i64) -> bool {
    *v == 0
}

/// A share of the batch's total envelopes, in whole billionths, above 0 and at most 1: exact, so that the cap in
/// dollars is the same on every machine. Written as a decimal fraction (`0.1`) in weights files and run.json.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RequesterShare(u32);

impl RequesterShare {
    const SCALE: u32 = 1_000_000_000;

    /// The share nearest `fraction` in whole billionths; `None` unless 0 < `fraction` ≤ 1 and it is written
    /// with at most nine decimals (so that nothing is silently rounded).
    pub fn from_fraction(fraction: f64) -> Option<RequesterShare> {
        if !(fraction > 0.0 && fraction <= 1.0) {
            return None;
        }
        let scaled = fraction * f64::from(RequesterShare::SCALE);
        let billionths = scaled.round();
        ((scaled - billionths).abs() < 1e-3 && billionths >= 1.0).then_some(RequesterShare(billionths as u32))
    }

    /// The share as a fraction.
    pub fn fraction(self) -> f64 {
        f64::from(self.0) / f64::from(RequesterShare::SCALE)
    }

    /// The most one requester may receive from `total_envelopes`: floor(total × share), in exact arithmetic.
    pub fn cap(self, total_envelopes: i128) -> i128 {
        total_envelopes * i128::from(self.0) / i128::from(RequesterShare::SCALE)
    }
}

impl Serialize for RequesterShare {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.fraction())
    }
}

impl<'de> Deserialize<'de> for RequesterShare {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let fraction = f64::deserialize(deserializer)?;
        RequesterShare::from_fraction(fraction).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "max_requester_share must be a fraction above 0 and at most 1 with at most 9 decimals, \
                 found {fraction} (hint: 0.1 lets one requester receive at most 10 % of the total envelopes)"
            ))
        })
    }
}

impl Default for Weights {
    fn default() -> Weights {
        Weights {
            priority_scale: 10,
            priority: [3, 2, 1],
            fit_shared_code: 4,
            fit_related_code: 2,
            fit_theme: 1,
            fit_explicit_geography: 2,
            flag_bonus: 0,
            max_requester_share: None,
        }
    }
}

/// The largest value per dollar a weights file may produce; keeps every cost exact in the flow solver.
pub const MAX_VALUE_PER_DOLLAR: i64 = 1_000_000;

impl Weights {
    /// The fit of an edge.
    pub fn fit(&self, scope: ScopeMatch, explicit_geography: bool) -> i64 {
        let base = match scope {
            ScopeMatch::Shared(_) => self.fit_shared_code,
            ScopeMatch::Related(_) => self.fit_related_code,
            ScopeMatch::Theme => self.fit_theme,
        };
        base + if explicit_geography { self.fit_explicit_geography } else { 0 }
    }

    /// The value of one dollar to a need of `priority` (1–3) with `fit`.
    pub fn value(&self, priority: u8, fit: i64) -> i64 {
        self.priority_scale * self.priority[usize::from(priority.clamp(1, 3)) - 1] + fit
    }

    /// [`Weights::value`], plus `flag_bonus` when the requester is LDC, LLDC or SIDS (`flagged`).
    pub fn value_for(&self, priority: u8, fit: i64, flagged: bool) -> i64 {
        self.value(priority, fit) + if flagged { self.flag_bonus } else { 0 }
    }

    /// Reads a TOML weights file; missing keys keep their defaults.
    pub fn load(path: &Path) -> Result<Weights> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Weights::parse(&path.display().to_string(), &text)
    }

    /// Parses TOML weights; `label` names the source in messages.
    pub fn parse(label: &str, text: &str) -> Result<Weights> {
        let weights: Weights = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |span| line_column(text, span.start));
            let location = Location { path: label.to_string(), sheet: None, line, column, field: None };
            Error::invalid_data(vec![DataError { location, message: e.message().to_string() }], 0)
        })?;
        weights.validate(label)?;
        Ok(weights)
    }

    /// These weights with the keys of `table` (a partial weights table, as a scenario's `[scenario.weights]`)
    /// replacing theirs; the message of the first thing wrong (an unknown key, a bad value) otherwise.
    pub fn with_overrides(&self, table: &toml::Table) -> std::result::Result<Weights, String> {
        let mut merged = toml::Table::try_from(self).map_err(|e| e.to_string())?;
        merged.extend(table.iter().map(|(k, v)| (k.clone(), v.clone())));
        let weights = Weights::deserialize(toml::Value::Table(merged)).map_err(|e| e.message().to_string())?;
        weights.validate("").map_err(|e| match e.kind() {
            crate::error::ErrorKind::InvalidData { errors, .. } => errors.first().map_or_else(
                || e.to_string(),
                |d| format!("{}: {}", d.location.field.clone().unwrap_or_default(), d.message),
            ),
            _ => e.to_string(),
        })?;
        Ok(weights)
    }

    fn validate(&self, label: &str) -> Result<()> {
        let all = [
            ("priority_scale", self.priority_scale),
            ("priority", self.priority[0]),
            ("priority", self.priority[1]),
            ("priority", self.priority[2]),
            ("fit_shared_code", self.fit_shared_code),
            ("fit_related_code", self.fit_related_code),
            ("fit_theme", self.fit_theme),
            ("fit_explicit_geography", self.fit_explicit_geography),
            ("flag_bonus", self.flag_bonus),
        ];
        for (name, v) in all {
            let least = if matches!(name, "fit_explicit_geography" | "flag_bonus") { 0 } else { 1 };
            if !(least..=MAX_VALUE_PER_DOLLAR / 4).contains(&v) {
                let location = Location {
                    path: label.to_string(),
                    sheet: None,
                    line: 1,
                    column: 1,
                    field: Some(name.to_string()),
                };
                let message = format!("must be between {least} and {}, found {v}", MAX_VALUE_PER_DOLLAR / 4);
                return Err(Error::invalid_data(vec![DataError { location, message }], 0));
            }
        }
        // The bonus comes on top of the best value a dollar can have; the sum must stay within the exact range of
        // the flow solver's costs.
        let best_fit =
            self.fit_shared_code.max(self.fit_related_code).max(self.fit_theme) + self.fit_explicit_geography;
        let best = i128::from(self.priority_scale) * i128::from(*self.priority.iter().max().unwrap_or(&0))
            + i128::from(best_fit);
        if self.flag_bonus > 0 && best + i128::from(self.flag_bonus) > i128::from(MAX_VALUE_PER_DOLLAR) {
            let location = Location {
                path: label.to_string(),
                sheet: None,
                line: 1,
                column: 1,
                field: Some("flag_bonus".to_string()),
            };
            let message = format!(
                "with it a dollar is worth up to {}, above the most allowed, {MAX_VALUE_PER_DOLLAR} \
                 (hint: lower flag_bonus or priority_scale)",
                best + i128::from(self.flag_bonus)
            );
            return Err(Error::invalid_data(vec![DataError { location, message }], 0));
        }
        Ok(())
    }
}

/// 1-based line and column of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (u64, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() as u64 + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priority_always_outweighs_fit() {
        let w = Weights::default();
        let best_fit = w.fit(ScopeMatch::Shared(crate::model::CommitmentIdx(0)), true);
        let worst_fit = w.fit(ScopeMatch::Theme, false);
        assert_eq!((best_fit, worst_fit), (6, 1));
        assert!(w.value(1, worst_fit) > w.value(2, best_fit));
        assert!(w.value(2, worst_fit) > w.value(3, best_fit));
    }

    #[test]
    fn parses_overrides_and_rejects_unknown_keys() {
        let w = Weights::parse("w.toml", "priority = [5, 3, 1]\nfit_theme = 2\n").unwrap();
        assert_eq!(w.priority, [5, 3, 1]);
        assert_eq!(w.fit_theme, 2);
        assert_eq!(w.fit_shared_code, 4);
        let err = Weights::parse("w.toml", "\nfit_colour = 2\n").unwrap_err();
        assert_eq!(err.exit_code(), 3);
        assert!(err.to_string().contains("w.toml:2:1:"), "{err}");
        assert!(Weights::parse("w.toml", "priority_scale = 0").is_err());
    }

    #[test]
    fn guardrails_parse_exactly_and_bad_values_name_their_key() {
        let w = Weights::parse("w.toml", "max_requester_share = 0.1\nflag_bonus = 5\n").unwrap();
        assert_eq!(w.max_requester_share, RequesterShare::from_fraction(0.1));
        assert_eq!(w.flag_bonus, 5);
        assert_eq!(w.max_requester_share.unwrap().cap(1_000_000_007), 100_000_000);
        assert_eq!(RequesterShare::from_fraction(0.3).unwrap().cap(10), 3, "no float error below the cap");
        assert_eq!(Weights::parse("w.toml", "max_requester_share = 1").unwrap().max_requester_share.unwrap().cap(7), 7);
        assert_eq!(w.value_for(1, 4, true), w.value(1, 4) + 5);
        assert_eq!(w.value_for(1, 4, false), w.value(1, 4));
        for bad in ["0", "1.5", "-0.1", "0.0000000001", "nan"] {
            let err = Weights::parse("w.toml", &format!("\nmax_requester_share = {bad}\n")).unwrap_err().to_string();
            assert!(err.contains("w.toml:2:") && err.contains("max_requester_share"), "{bad}: {err}");
        }
        let err = Weights::parse("w.toml", "flag_bonus = -1").unwrap_err().to_string();
        assert!(err.contains("flag_bonus"), "{err}");
        let err = Weights::parse("w.toml", "priority_scale = 250000\nflag_bonus = 250000").unwrap_err().to_string();
        assert!(err.contains("flag_bonus") && err.contains("hint"), "{err}");
        // A partial table overrides only its keys, and is checked as a weights file is.
        let table: toml::Table = toml::from_str("max_requester_share = 0.25").unwrap();
        let over = w.with_overrides(&table).unwrap();
        assert_eq!((over.max_requester_share, over.flag_bonus), (RequesterShare::from_fraction(0.25), 5));
        let table: toml::Table = toml::from_str("fit_colour = 1").unwrap();
        assert!(w.with_overrides(&table).unwrap_err().contains("fit_colour"));
        let table: toml::Table = toml::from_str("flag_bonus = -3").unwrap();
        assert!(w.with_overrides(&table).unwrap_err().contains("flag_bonus"));
        // Absent guardrails are not written, so a run record without them keeps its bytes.
        let json = serde_json::to_string(&Weights::default()).unwrap();
        assert!(!json.contains("flag_bonus") && !json.contains("max_requester_share"), "{json}");
        let json = serde_json::to_string(&w).unwrap();
        assert!(json.contains("\"max_requester_share\":0.1") && json.contains("\"flag_bonus\":5"), "{json}");
    }
}
