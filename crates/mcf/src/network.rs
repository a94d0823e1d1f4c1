//! The problem as data: a min-cost flow network held on flat arrays, one entry per node or per arc, so that a
//! caller builds it with plain pushes and the solver copies it with slice copies.

/// A min-cost flow problem: node supplies (positive) and demands (negative) that sum to zero, and arcs with a
/// lower bound, a capacity (the upper bound) and a cost per unit.
///
/// The arc vectors (`from`, `to`, `lower`, `capacity`, `cost`) hold one entry per arc each; a solve refuses a
/// network where they differ in length ([`crate::FlowError::Malformed`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Network {
    /// Supply of each node; demands are negative.
    pub supply: Vec<i64>,
    /// Tail of each arc.
    pub from: Vec<u32>,
    /// Head of each arc.
    pub to: Vec<u32>,
    /// Lower bound of each arc's flow (0 ≤ lower ≤ capacity).
    pub lower: Vec<i64>,
    /// Capacity of each arc: the upper bound of its flow (≥ 0).
    pub capacity: Vec<i64>,
    /// Cost per unit of flow on each arc.
    pub cost: Vec<i64>,
}

impl Network {
    /// A network of `nodes` nodes with no supply and no arcs.
    pub fn with_nodes(nodes: usize) -> Network {
        Network { supply: vec![0; nodes], ..Network::default() }
    }

    /// Adds an arc with lower bound 0 and returns its index.
    pub fn add_arc(&mut self, from: usize, to: usize, capacity: i64, cost: i64) -> usize {
        self.add_bounded_arc(from, to, 0, capacity, cost)
    }

    /// Adds an arc whose flow must lie in `lower..=capacity` and returns its index.
    pub fn add_bounded_arc(&mut self, from: usize, to: usize, lower: i64, capacity: i64, cost: i64) -> usize {
        self.from.push(from as u32);
        self.to.push(to as u32);
        self.lower.push(lower);
        self.capacity.push(capacity);
        self.cost.push(cost);
        self.from.len() - 1
    }

    /// Whether some arc has a lower bound other than 0.
    pub fn has_lower_bounds(&self) -> bool {
        self.lower.iter().any(|&l| l != 0)
    }

    // The small accessors here and on `WarmSimplex` are `#[inline]` because callers in other crates use them per
    // arc in their loops, and without LTO a function from another crate is inlined only when marked so.

    /// Number of nodes.
    #[inline]
    pub fn node_count(&self) -> usize {
        self.supply.len()
    }

    /// Number of arcs.
    #[inline]
    pub fn arc_count(&self) -> usize {
        self.from.len()
    }

    /// Cost of a flow, exactly.
    pub fn cost_of(&self, flow: &[i64]) -> i128 {
        flow.iter().zip(&self.cost).map(|(&f, &c)| i128::from(f) * i128::from(c)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arcs_are_numbered_in_the_order_they_are_added() {
        let mut net = Network::with_nodes(3);
        assert_eq!(net.add_arc(0, 1, 4, -3), 0);
        assert_eq!(net.add_arc(1, 2, 10, 2), 1);
        assert_eq!((net.node_count(), net.arc_count()), (3, 2));
        assert_eq!(net.cost_of(&[4, 1]), -10);
        assert!(!net.has_lower_bounds());
        assert_eq!(net.add_bounded_arc(2, 0, 1, 3, 0), 2);
        assert!(net.has_lower_bounds());
        assert_eq!(net.lower, vec![0, 0, 1]);
    }
}
