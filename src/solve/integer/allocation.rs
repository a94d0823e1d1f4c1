//! What the search finds: an allocation that keeps every integer rule, with its value.

use crate::graph::Graph;

use super::super::objective_of;

/// An allocation that keeps every rule (the incumbent, or what a heuristic or a neighbourhood found): the dollars
/// on each edge of the graph and what they are worth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Allocation {
    /// Σ amount · value.
    pub(super) value: i128,
    /// Dollars on each edge, in graph order.
    pub(super) amounts: Vec<i64>,
}

impl Allocation {
    /// `amounts` with their value on `graph`.
    pub(super) fn of(graph: &Graph, amounts: Vec<i64>) -> Allocation {
        Allocation { value: objective_of(graph, &amounts), amounts }
    }
}
