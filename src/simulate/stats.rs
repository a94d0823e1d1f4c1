//! Summary statistics of draws: means and nearest-rank percentiles.
//!
//! Percentiles use the nearest-rank definition: the p-th percentile of n sorted values is the value at rank
//! ⌈p/100 · n⌉ (at least 1). It is always one of the observed values, so percentiles of dollars stay whole
//! dollars, and they do not depend on the order in which draws finished.

/// Mean, 5th, 50th and 95th percentile of a set of values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// Arithmetic mean.
    pub mean: f64,
    /// 5th percentile.
    pub p5: i128,
    /// Median (50th percentile).
    pub p50: i128,
    /// 95th percentile.
    pub p95: i128,
}

impl Spread {
    /// The spread of `values` (any order); all zero when empty.
    pub fn of(values: &[i128]) -> Spread {
        if values.is_empty() {
            return Spread { mean: 0.0, p5: 0, p50: 0, p95: 0 };
        }
        let mut sorted = values.to_vec();
        sorted.sort_unstable();
        let sum: i128 = sorted.iter().sum();
        Spread {
            mean: mean(sum, sorted.len() as u64),
            p5: nearest_rank(&sorted, 5),
            p50: nearest_rank(&sorted, 50),
            p95: nearest_rank(&sorted, 95),
        }
    }

    /// This spread divided by `total` (for coverage); zeros when `total` is 0.
    pub fn ratio_to(&self, total: i128) -> [f64; 4] {
        if total == 0 {
            return [0.0; 4];
        }
        let t = total as f64;
        [self.mean / t, self.p5 as f64 / t, self.p50 as f64 / t, self.p95 as f64 / t]
    }
}

/// `sum / count` as a float, 0 for no values.
pub fn mean(sum: i128, count: u64) -> f64 {
    if count == 0 { 0.0 } else { sum as f64 / count as f64 }
}

/// The value at rank ⌈percent/100 · n⌉ of a sorted, non-empty slice.
pub fn nearest_rank(sorted: &[i128], percent: u32) -> i128 {
    let n = sorted.len() as u64;
    // Integer ceiling, so that no rounding of 0.05·n can move the rank.
    let rank = (u64::from(percent) * n).div_ceil(100).max(1);
    sorted[(rank - 1) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_hand() {
        // 20 values 1..=20: p5 is rank ceil(1) = 1 -> 1; p50 rank 10 -> 10; p95 rank 19 -> 19.
        let values: Vec<i128> = (1..=20).rev().collect();
        let s = Spread::of(&values);
        assert_eq!((s.p5, s.p50, s.p95), (1, 10, 19));
        assert_eq!(s.mean, 10.5);
        // 7 values: p5 rank ceil(0.35) = 1, p50 rank ceil(3.5) = 4, p95 rank ceil(6.65) = 7.
        let s = Spread::of(&[70, 10, 30, 20, 60, 40, 50]);
        assert_eq!((s.p5, s.p50, s.p95), (10, 40, 70));
        assert_eq!(s.mean, 40.0);
        // One value is every percentile.
        let s = Spread::of(&[5]);
        assert_eq!((s.p5, s.p50, s.p95, s.mean), (5, 5, 5, 5.0));
        // 100 values 0..100: p5 rank 5 -> 4, p50 rank 50 -> 49, p95 rank 95 -> 94.
        let values: Vec<i128> = (0..100).collect();
        let s = Spread::of(&values);
        assert_eq!((s.p5, s.p50, s.p95), (4, 49, 94));
        assert_eq!(Spread::of(&[]).p50, 0);
        assert_eq!(s.ratio_to(200)[2], 49.0 / 200.0);
    }
}
