//! Where the exact search stops (docs/spec.md §10): a budget of deterministic work by default, a node limit, a gap
//! limit, and a wall-clock time limit only when asked for.
//!
//! Why work and not time: a published allocation must be the same on every run. A search stopped by the clock
//! stops wherever the machine, its load and the number of threads have brought it, and among allocations of
//! nearly equal value a few seconds more or less lands on another one. Work is counted in the search's elementary
//! steps (arcs priced and tree nodes walked by its network simplexes, plus a pass over the pairs for every
//! re-solve), which are the same wherever the search runs.

use std::time::Duration;

/// Limits on the search for an exact optimum with integer rules. The defaults are `poa-match match`'s: a work
/// budget of [`WorkLimit::DEFAULT`], a million nodes, no gap and no time limit. The node limit used to be 20 000,
/// which small generated batches reach within seconds with the bound still moving (some are proved only after many
/// times that many nodes); an open node keeps only its decisions, so a million of them fit in some hundreds of
/// megabytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Stop after this much work and report the gap (deterministic; [`super::solve`] shares it among the
    /// independent parts of a batch by their size).
    pub work_limit: WorkLimit,
    /// Stop after this long, if set (results may then depend on the machine and its load).
    pub time_limit: Option<Duration>,
    /// Stop after this many branch-and-bound nodes (deterministic; [`super::solve`] applies it to each independent
    /// part).
    pub node_limit: u64,
    /// Stop once the allocation is proven within this gap of the optimum (deterministic; zero, the default, asks
    /// for a proof of optimality).
    pub gap_limit: GapLimit,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { work_limit: WorkLimit::DEFAULT, time_limit: None, node_limit: 1_000_000, gap_limit: GapLimit::ZERO }
    }
}

/// A budget of search work in work units, each [`WorkLimit::OPERATIONS_PER_UNIT`] elementary steps of the
/// search's network simplexes (see the module's documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct WorkLimit(u64);

impl WorkLimit {
    /// Elementary steps in one work unit.
    pub const OPERATIONS_PER_UNIT: u64 = 1_000_000;
    /// The default budget of `match`: what a generated batch of 2 000 needs and 200 offers spends in about a
    /// minute on the two-core machines the project measures on (BENCHMARKS.md, "Work limit").
    pub const DEFAULT: WorkLimit = WorkLimit(9_000);
    /// The default budget of each Monte Carlo draw of `simulate`: small enough that a study of a hundred draws of
    /// such a batch takes a few minutes on two cores; the draws' gaps are reported.
    pub const DRAW_DEFAULT: WorkLimit = WorkLimit(200);
    /// No budget that a search could reach.
    pub const UNLIMITED: WorkLimit = WorkLimit(u64::MAX / WorkLimit::OPERATIONS_PER_UNIT);

    /// A budget of `units` work units, if that is a budget a search can count up to.
    pub fn new(units: u64) -> Option<WorkLimit> {
        (units <= WorkLimit::UNLIMITED.0).then_some(WorkLimit(units))
    }

    /// The budget in work units.
    pub fn units(self) -> u64 {
        self.0
    }

    /// The budget in elementary steps.
    pub fn operations(self) -> u64 {
        self.0 * WorkLimit::OPERATIONS_PER_UNIT
    }

    /// Elementary steps as work units, rounded up (so that a search that did anything reports at least one).
    pub fn units_of(operations: u64) -> u64 {
        operations.div_ceil(WorkLimit::OPERATIONS_PER_UNIT)
    }
}

/// A relative gap at which a search may stop: `(bound − objective) / bound` at most this many billionths (the
/// precision of run.json's `gap`). Kept in whole billionths so that whether a search stops is exact arithmetic,
/// the same on every machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct GapLimit(u32);

impl GapLimit {
    /// No gap: only a proof of optimality stops the search.
    pub const ZERO: GapLimit = GapLimit(0);
    const SCALE: u32 = 1_000_000_000;

    /// The limit closest to `fraction` from below (never looser than asked); `None` unless 0 ≤ `fraction` < 1.
    pub fn from_fraction(fraction: f64) -> Option<GapLimit> {
        (0.0..1.0).contains(&fraction).then(|| GapLimit((fraction * f64::from(GapLimit::SCALE)).floor() as u32))
    }

    /// The limit as a fraction.
    pub fn fraction(self) -> f64 {
        f64::from(self.0) / f64::from(GapLimit::SCALE)
    }

    /// Whether an allocation worth `objective` is proven within the limit of the optimum by `bound`.
    pub fn reached(self, bound: i128, objective: i128) -> bool {
        objective >= self.target(bound)
    }

    /// The least objective that `bound` proves within the limit: (bound − objective) / bound ≤ limit / SCALE in
    /// whole numbers. A bound at or below zero proves nothing relative, so only the bound itself reaches it.
    pub fn target(self, bound: i128) -> i128 {
        if bound <= 0 {
            return bound;
        }
        // bound · limit fits: bounds are sums of i64 products, far below i128::MAX / 10⁹.
        bound - bound.saturating_mul(i128::from(self.0)) / i128::from(GapLimit::SCALE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gap_limit_is_exact_arithmetic_and_never_looser_than_asked() {
        let one_percent = GapLimit::from_fraction(0.01).unwrap();
        assert!(one_percent.reached(100, 99));
        assert!(!one_percent.reached(100, 98));
        assert!(one_percent.reached(1_000_000_000_000_000_000_000, 990_000_000_000_000_000_000));
        assert!(!one_percent.reached(1_000_000_000_000_000_000_000, 989_999_999_999_999_999_999));
        assert!(GapLimit::ZERO.reached(100, 100) && !GapLimit::ZERO.reached(100, 99));
        // A bound that proves nothing relative: only an allocation that meets it stops the search.
        assert!(!one_percent.reached(0, -5) && one_percent.reached(-5, -5));
        assert!(GapLimit::from_fraction(0.0000000019).unwrap().fraction() <= 0.0000000019);
        for bad in [-0.1, 1.0, 7.0, f64::NAN, f64::INFINITY] {
            assert_eq!(GapLimit::from_fraction(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_work_limit_counts_whole_units_and_never_overflows() {
        assert_eq!(WorkLimit::new(3).unwrap().operations(), 3 * WorkLimit::OPERATIONS_PER_UNIT);
        assert_eq!(WorkLimit::units_of(1), 1);
        assert_eq!(WorkLimit::units_of(WorkLimit::OPERATIONS_PER_UNIT), 1);
        assert_eq!(WorkLimit::units_of(WorkLimit::OPERATIONS_PER_UNIT + 1), 2);
        assert_eq!(WorkLimit::UNLIMITED.operations() / WorkLimit::OPERATIONS_PER_UNIT, WorkLimit::UNLIMITED.units());
        assert_eq!(WorkLimit::new(u64::MAX), None);
    }
}
