//! The master problem of column generation (Dantzig–Wolfe) for the max_awards rows of a search node.
//!
//! A node's linear relaxation with the rows Σ x_e / u_e ≤ k_o of the max_awards offers is a flow problem with a
//! few side rows. Its optimum is a convex combination of flows: `max Σ_j μ_j c_j` subject to
//! `Σ_j μ_j a_oj ≤ k_o` for every row `o`, `Σ_j μ_j = 1`, `μ ≥ 0`, where column `j` is a flow of value `c_j` that
//! uses `a_oj` awards' worth of offer `o`. The duals of the rows are the Lagrangian multipliers at which the
//! next flow is priced ([`super::Search::node_lp`]); when no flow prices out, the multipliers are optimal and the
//! Lagrangian bound equals the relaxation's optimum.
//!
//! The master is small (one row per max_awards offer, one column per flow priced), so it is a dense tableau
//! kept between solves: a new column enters as `B⁻¹ a`, and the simplex goes on from the last basis. It works in
//! floating point: it only proposes multipliers. Every bound the search uses is computed exactly from a flow
//! ([`Lagrange::bound`](super::lagrange::Lagrange::bound)), so a rounding error here can cost strength, never
//! correctness.

/// Reduced costs and pivots below this (relative to the column's size) count as zero.
const EPS: f64 = 1e-9;

/// The master problem and its current basis.
pub(super) struct Master {
    rows: usize,
    /// Row-major tableau `B⁻¹ A` over every column (flows, then the slacks and the artificial one appended as
    /// they were created: see `kind`), and `B⁻¹ b` in `rhs`.
    tableau: Vec<Vec<f64>>,
    rhs: Vec<f64>,
    /// Objective coefficient of each tableau column.
    cost: Vec<f64>,
    /// Which tableau column each row's basic variable is.
    basis: Vec<usize>,
    /// Tableau column of each row's slack (rows `0..rows`) and of the convexity row's artificial variable (last):
    /// the columns of `B⁻¹`.
    identity: Vec<usize>,
    /// Tableau column of each flow column, in the order they were added.
    flows: Vec<usize>,
}

/// What the master's optimum says.
pub(super) struct MasterSolution {
    /// Σ μ_j c_j: the best the flows priced so far can do together (at most the node's relaxation optimum).
    pub(super) objective: f64,
    /// μ_j of each flow column, in the order they were added.
    pub(super) weights: Vec<f64>,
    /// The dual of each side row (≥ 0): the multiplier to price the next flow at.
    pub(super) duals: Vec<f64>,
    /// Whether the artificial variable is out of the basis: the flows priced so far can meet the side rows.
    pub(super) feasible: bool,
}

impl Master {
    /// A master with right-hand sides `limits` (one per side row) and no flow yet. The artificial variable of the
    /// convexity row costs `penalty`, which must exceed any flow's value by a margin.
    pub(super) fn new(limits: &[f64], penalty: f64) -> Master {
        let rows = limits.len();
        let mut master = Master {
            rows,
            tableau: vec![Vec::new(); rows + 1],
            rhs: limits.iter().copied().chain(std::iter::once(1.0)).collect(),
            cost: Vec::new(),
            basis: Vec::with_capacity(rows + 1),
            identity: Vec::with_capacity(rows + 1),
            flows: Vec::new(),
        };
        for r in 0..=rows {
            let column = master.cost.len();
            for (i, row) in master.tableau.iter_mut().enumerate() {
                row.push(if i == r { 1.0 } else { 0.0 });
            }
            master.cost.push(if r == rows { -penalty } else { 0.0 });
            master.basis.push(column);
            master.identity.push(column);
        }
        master
    }

    /// Adds a flow of value `value` that uses `uses[o]` of each side row.
    pub(super) fn add(&mut self, value: f64, uses: &[f64]) {
        debug_assert_eq!(uses.len(), self.rows);
        // Its tableau column is B⁻¹ a, with a = (uses, 1) and B⁻¹ the columns of the starting identity.
        let a: Vec<f64> = uses.iter().copied().chain(std::iter::once(1.0)).collect();
        let entries: Vec<f64> =
            self.tableau.iter().map(|row| self.identity.iter().zip(&a).map(|(&c, &ai)| row[c] * ai).sum()).collect();
        for (row, entry) in self.tableau.iter_mut().zip(entries) {
            row.push(entry);
        }
        self.flows.push(self.cost.len());
        self.cost.push(value);
    }

    /// Re-optimises from the current basis (primal simplex, most positive reduced cost first, Bland's rule
    /// after many pivots so that degeneracy cannot cycle).
    pub(super) fn solve(&mut self) -> MasterSolution {
        let columns = self.cost.len();
        let scale = self.cost.iter().fold(1.0f64, |m, c| m.max(c.abs()));
        for pivots in 0.. {
            // d_j = c_j − c_B B⁻¹ A_j, and B⁻¹ A_j is the tableau's column j.
            let reduced = |j: usize| {
                self.cost[j]
                    - self.basis.iter().enumerate().map(|(r, &b)| self.cost[b] * self.tableau[r][j]).sum::<f64>()
            };
            let bland = pivots > 50 * (self.rows + 1);
            let mut entering: Option<(usize, f64)> = None;
            for j in 0..columns {
                if self.basis.contains(&j) {
                    continue;
                }
                let d = reduced(j);
                if d > EPS * scale && entering.is_none_or(|(_, best)| !bland && d > best) {
                    entering = Some((j, d));
                    if bland {
                        break;
                    }
                }
            }
            let Some((j, _)) = entering else { break };
            // Ratio test; ties to the lowest row for determinism.
            let mut leaving: Option<(usize, f64)> = None;
            for r in 0..=self.rows {
                let t = self.tableau[r][j];
                if t > EPS {
                    let ratio = self.rhs[r] / t;
                    if leaving.is_none_or(|(_, best)| ratio < best - EPS) {
                        leaving = Some((r, ratio));
                    }
                }
            }
            // Unbounded cannot happen (Σ μ = 1 bounds every column); stop rather than loop if rounding says so.
            let Some((r, _)) = leaving else { break };
            self.pivot(r, j);
            if pivots > 1_000 * (self.rows + 1) {
                break;
            }
        }
        let duals = self.basic_duals();
        let mut weights = vec![0.0; self.flows.len()];
        let mut objective = 0.0;
        for (r, &b) in self.basis.iter().enumerate() {
            if let Some(i) = self.flows.iter().position(|&c| c == b) {
                weights[i] = self.rhs[r].max(0.0);
                objective += self.cost[b] * weights[i];
            }
        }
        let artificial = self.identity[self.rows];
        let feasible = self.basis.iter().zip(&self.rhs).all(|(&b, &v)| b != artificial || v <= EPS);
        MasterSolution { objective, weights, duals: duals[..self.rows].iter().map(|&y| y.max(0.0)).collect(), feasible }
    }

    /// y = c_B B⁻¹, one entry per row (the side rows, then the convexity row).
    fn basic_duals(&self) -> Vec<f64> {
        (0..=self.rows)
            .map(|i| {
                let c = self.identity[i];
                self.basis.iter().enumerate().map(|(r, &b)| self.cost[b] * self.tableau[r][c]).sum()
            })
            .collect()
    }

    fn pivot(&mut self, r: usize, j: usize) {
        let p = self.tableau[r][j];
        for v in self.tableau[r].iter_mut() {
            *v /= p;
        }
        self.rhs[r] /= p;
        let pivot_row = self.tableau[r].clone();
        let pivot_rhs = self.rhs[r];
        for i in 0..=self.rows {
            if i == r {
                continue;
            }
            let f = self.tableau[i][j];
            if f != 0.0 {
                for (v, &pv) in self.tableau[i].iter_mut().zip(&pivot_row) {
                    *v -= f * pv;
                }
                self.rhs[i] -= f * pivot_rhs;
            }
        }
        self.basis[r] = j;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every convex combination of the columns, on a grid: the master's optimum is the best of them.
    fn brute(limits: &[f64], columns: &[(f64, Vec<f64>)]) -> Option<f64> {
        let steps = 20;
        let mut best: Option<f64> = None;
        let n = columns.len();
        let mut weights = vec![0usize; n];
        loop {
            if weights.iter().sum::<usize>() == steps {
                let mu: Vec<f64> = weights.iter().map(|&w| w as f64 / steps as f64).collect();
                let fits = (0..limits.len())
                    .all(|o| columns.iter().zip(&mu).map(|((_, a), m)| a[o] * m).sum::<f64>() <= limits[o] + 1e-9);
                if fits {
                    let v: f64 = columns.iter().zip(&mu).map(|((c, _), m)| c * m).sum();
                    best = Some(best.map_or(v, |b: f64| b.max(v)));
                }
            }
            let mut i = 0;
            loop {
                if i == n {
                    return best;
                }
                weights[i] += 1;
                if weights.iter().sum::<usize>() <= steps {
                    break;
                }
                weights[i] = 0;
                i += 1;
            }
        }
    }

    #[test]
    fn the_optimum_is_the_best_convex_combination_and_the_duals_price_it() {
        // Two rows, columns on a grid of twentieths: the brute force finds the exact optimum when the
        // optimum's weights are multiples of a twentieth, which these data make sure of (halves and quarters).
        let limits = [1.0, 2.0];
        let columns = vec![
            (10.0, vec![2.0, 0.0]),
            (6.0, vec![0.0, 4.0]),
            (3.0, vec![0.0, 0.0]),
            (8.0, vec![1.0, 3.0]),
            (7.5, vec![2.0, 2.0]),
        ];
        let mut master = Master::new(&limits, 1e6);
        let mut solution = None;
        for (c, a) in &columns {
            master.add(*c, a);
            solution = Some(master.solve());
        }
        let solution = solution.unwrap();
        let best = brute(&limits, &columns).unwrap();
        assert!(solution.feasible);
        assert!((solution.objective - best).abs() < 1e-6, "{} against {best}", solution.objective);
        let weight_sum: f64 = solution.weights.iter().sum();
        assert!((weight_sum - 1.0).abs() < 1e-9);
        // Complementary slackness: no column prices out above the convexity dual at these duals, and the basic
        // ones price exactly at it; so the bound max_j (c_j − y·a_j) + y·b equals the optimum.
        let priced = |(c, a): &(f64, Vec<f64>)| c - solution.duals.iter().zip(a).map(|(y, ai)| y * ai).sum::<f64>();
        let top = columns.iter().map(priced).fold(f64::MIN, f64::max);
        let lagrangian: f64 = top + solution.duals.iter().zip(&limits).map(|(y, b)| y * b).sum::<f64>();
        assert!((lagrangian - best).abs() < 1e-6, "Lagrangian {lagrangian} against {best}");
    }

    #[test]
    fn without_a_column_that_fits_the_master_says_so() {
        let mut master = Master::new(&[1.0], 1e6);
        master.add(5.0, &[3.0]);
        let solution = master.solve();
        // μ = 1/3 of the column and 2/3 of the artificial variable.
        assert!(!solution.feasible);
        master.add(1.0, &[0.0]);
        let solution = master.solve();
        assert!(solution.feasible);
        // 1/3 · 5 + 2/3 · 1.
        assert!((solution.objective - 7.0 / 3.0).abs() < 1e-9);
    }
}
