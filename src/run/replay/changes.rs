//! What differs between the record of a run and what a replay was given (docs/spec.md §10): each option or
//! weight by name, with both values as the files and the command line spell them.
//!
//! The comparison walks the two as JSON, as run.json writes them, so an option or a weight added later is
//! compared without a line here.

use serde::Serialize;
use serde_json::Value;

use crate::objective::Weights;
use crate::report::RunOptions;

/// One setting whose value differs from the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// How the user names it: the command-line flag of an option (`--gap-limit`), the key of a weight.
    pub name: String,
    /// The recorded value.
    pub recorded: String,
    /// The value given now.
    pub given: String,
}

/// The options of `given` that differ from `recorded`, named by their flags: in the
/// alphabetical order of their keys in run.json, then those the record leaves out.
pub fn option_changes(recorded: &RunOptions, given: &RunOptions) -> Vec<Change> {
    changes(recorded, given, |key| format!("--{}", key.replace('_', "-")))
}

/// The weights of `given` that differ from `recorded`, named by their keys in the weights file.
pub fn weight_changes(recorded: &Weights, given: &Weights) -> Vec<Change> {
    changes(recorded, given, str::to_string)
}

fn changes<T: Serialize>(recorded: &T, given: &T, name: impl Fn(&str) -> String) -> Vec<Change> {
    let (Ok(recorded), Ok(given)) = (serde_json::to_value(recorded), serde_json::to_value(given)) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    walk("", &recorded, &given, &name, &mut found);
    found
}

/// Compares two values leaf by leaf; a leaf is named by its own key (the flags are unique without their path).
fn walk(key: &str, recorded: &Value, given: &Value, name: &dyn Fn(&str) -> String, found: &mut Vec<Change>) {
    match (recorded, given) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, va) in a {
                walk(k, va, b.get(k).unwrap_or(&Value::Null), name, found);
            }
            for (k, vb) in b.iter().filter(|(k, _)| !a.contains_key(*k)) {
                walk(k, &Value::Null, vb, name, found);
            }
        }
        _ if recorded != given => {
            found.push(Change { name: name(key), recorded: shown(recorded), given: shown(given) })
        }
        _ => {}
    }
}

/// A value as a person reads it: text without quotes, an absent value as "none".
fn shown(value: &Value) -> String {
    match value {
        Value::Null => "none".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::{GapLimit, Limits, Method};

    #[test]
    fn each_differing_option_is_named_by_its_flag() {
        let recorded = RunOptions::solving(Method::Optimal, &Limits::default());
        assert!(option_changes(&recorded, &recorded).is_empty());
        let mut given = recorded.clone();
        given.method = Method::Greedy;
        given.limits.gap_limit = GapLimit::from_fraction(0.01).unwrap();
        given.export_network = true;
        let found = option_changes(&recorded, &given);
        let named: Vec<(&str, &str, &str)> =
            found.iter().map(|c| (c.name.as_str(), c.recorded.as_str(), c.given.as_str())).collect();
        assert_eq!(
            named,
            [("--export-network", "false", "true"), ("--gap-limit", "0.0", "0.01"), ("--method", "optimal", "greedy")]
        );
    }

    #[test]
    fn each_differing_weight_is_named_by_its_key() {
        let recorded = Weights::default();
        let given = Weights { fit_theme: 2, priority: [5, 2, 1], ..recorded };
        let names: Vec<String> = weight_changes(&recorded, &given).into_iter().map(|c| c.name).collect();
        assert_eq!(names, ["fit_theme", "priority"]);
    }
}
