//! The objective of docs/spec.md §5: each dollar on edge (need, offer) is worth
//! `v = priority_scale · w(priority) + fit`, with `w(1)=3, w(2)=2, w(3)=1`, `priority_scale = 10` and
//! `fit = shared code 4 | related code 2 | theme 1, + 2 when the offer names the requester's country or
//! sub-region`. Because `priority_scale` exceeds the largest fit, a dollar to a higher-priority need always
//! outweighs fit. A TOML weights file (`--weights`) can change every number.

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

    /// Reads a TOML weights file; missing keys keep their defaults.
    pub fn load(path: &Path) -> Result<Weights> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Weights::parse(&path.display().to_string(), &text)
    }

    /// Parses TOML weights; `label` names the source in messages.
    pub fn parse(label: &str, text: &str) -> Result<Weights> {
        let weights: Weights = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |span| line_column(text, span.start));
            let location = Location { path: label.to_string(), line, column, field: None };
            Error::invalid_data(vec![DataError { location, message: e.message().to_string() }], 0)
        })?;
        weights.validate(label)?;
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
        ];
        for (name, v) in all {
            let least = if name == "fit_explicit_geography" { 0 } else { 1 };
            if !(least..=MAX_VALUE_PER_DOLLAR / 4).contains(&v) {
                let location = Location { path: label.to_string(), line: 1, column: 1, field: Some(name.to_string()) };
                let message = format!("must be between {least} and {}, found {v}", MAX_VALUE_PER_DOLLAR / 4);
                return Err(Error::invalid_data(vec![DataError { location, message }], 0));
            }
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
}
