//! Grid networks: nodes on a rectangle of rows and columns, each joined to its neighbours in both directions,
//! supplies in the first column and demands in the last, in the manner of GRIDGEN's grids (Lee & Orlin, the
//! first DIMACS implementation challenge). Flow crosses the grid through many short arcs, so an optimal tree is
//! deep: a long grid (few rows, many columns) makes the longest paths a network simplex has to handle.

use super::{Rng, spread};
use crate::Network;

/// The shape of a grid network.
///
/// Node `r · columns + c` sits in row `r`, column `c`. Every node has an arc to each neighbour (left, right, up,
/// down) that exists, with a random cost and capacity. Row `r`'s first node supplies what its last node
/// demands; the supplies of the rows are a random split of the total. Each rightward arc of a row can carry at
/// least that row's supply, so every network of this shape has a feasible flow (the row itself); the cheapest
/// flow usually leaves its row. `extra_arcs` random arcs between any two distinct nodes come on top, as
/// GRIDGEN's do. Arcs come ordered by tail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    /// Number of rows (at least 1).
    pub rows: usize,
    /// Number of columns (at least 2).
    pub columns: usize,
    /// Arcs between random nodes, on top of the grid's own.
    pub extra_arcs: usize,
    /// Total supply, split among the rows.
    pub supply: i64,
    /// Smallest and largest cost per unit.
    pub cost: (i64, i64),
    /// Smallest and largest capacity of an arc (a row's rightward arcs get at least the row's supply).
    pub capacity: (i64, i64),
}

impl Grid {
    /// A square grid of about `nodes` nodes (√nodes rows and columns), costs 1..=10 000, capacities 1..=1 000,
    /// 1 000 units of supply per row, and one random arc per 8 nodes.
    pub fn square(nodes: usize) -> Grid {
        let side = ((nodes as f64).sqrt() as usize).max(2);
        Grid::with_rows(side, nodes / side)
    }

    /// A long grid of about `nodes` nodes: 16 rows (fewer on tiny networks) and as many columns as that
    /// leaves, otherwise as [`Grid::square`].
    pub fn long(nodes: usize) -> Grid {
        let rows = 16.min(nodes / 2).max(1);
        Grid::with_rows(rows, nodes / rows)
    }

    fn with_rows(rows: usize, columns: usize) -> Grid {
        let columns = columns.max(2);
        Grid {
            rows,
            columns,
            extra_arcs: rows * columns / 8,
            supply: 1_000 * rows as i64,
            cost: (1, 10_000),
            capacity: (1, 1_000),
        }
    }

    /// Number of nodes of the networks of this shape.
    pub fn node_count(&self) -> usize {
        self.rows.max(1) * self.columns.max(2)
    }

    /// The network of this shape drawn with `seed`.
    pub fn generate(&self, seed: u64) -> Network {
        let mut rng = Rng::new(seed);
        let (rows, columns) = (self.rows.max(1), self.columns.max(2));
        let n = rows * columns;
        let mut row_supply = vec![0i64; rows];
        spread(&mut rng, &mut row_supply, self.supply.max(0));
        let node = |r: usize, c: usize| r * columns + c;
        let mut arcs: Vec<(u32, u32, i64, i64)> = Vec::with_capacity(4 * n + self.extra_arcs);
        let mut arc = |rng: &mut Rng, u: usize, v: usize, least: i64| {
            let cap = rng.range(self.capacity.0, self.capacity.1).max(least);
            arcs.push((u as u32, v as u32, cap, rng.range(self.cost.0, self.cost.1)));
        };
        for (r, &own_supply) in row_supply.iter().enumerate() {
            for c in 0..columns {
                let u = node(r, c);
                if c + 1 < columns {
                    arc(&mut rng, u, node(r, c + 1), own_supply);
                }
                if c > 0 {
                    arc(&mut rng, u, node(r, c - 1), 0);
                }
                if r + 1 < rows {
                    arc(&mut rng, u, node(r + 1, c), 0);
                }
                if r > 0 {
                    arc(&mut rng, u, node(r - 1, c), 0);
                }
            }
        }
        let mut added = 0;
        while added < self.extra_arcs && n > 1 {
            let (u, v) = (rng.below(n as u64) as usize, rng.below(n as u64) as usize);
            if u != v {
                arc(&mut rng, u, v, 0);
                added += 1;
            }
        }
        arcs.sort_by_key(|a| a.0);
        let mut net = Network::with_nodes(n);
        for &(u, v, cap, cost) in &arcs {
            net.add_arc(u as usize, v as usize, cap, cost);
        }
        for (r, &s) in row_supply.iter().enumerate() {
            net.supply[node(r, 0)] += s;
            net.supply[node(r, columns - 1)] -= s;
        }
        net
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grids_are_seeded_shaped_and_feasible() {
        let shape = Grid::square(400);
        assert_eq!((shape.rows, shape.columns, shape.node_count()), (20, 20, 400));
        let net = shape.generate(3);
        assert_eq!(net, shape.generate(3));
        assert_ne!(net, shape.generate(4));
        // 2·rows·(columns − 1) horizontal and 2·columns·(rows − 1) vertical arcs, and the random ones.
        assert_eq!(net.arc_count(), 2 * 20 * 19 * 2 + 50);
        assert_eq!(net.supply.iter().sum::<i64>(), 0);
        assert_eq!(net.supply.iter().filter(|&&s| s > 0).sum::<i64>(), 20_000);
        assert!(net.from.windows(2).all(|w| w[0] <= w[1]));
        assert!(crate::check_feasible(&net).is_ok());
        let long = Grid::long(1_000);
        assert_eq!((long.rows, long.columns), (16, 62));
        assert!(crate::check_feasible(&long.generate(1)).is_ok());
    }
}
