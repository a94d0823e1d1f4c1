//! Portable random draws for the generator.
//!
//! The generator promises byte-identical output for the same configuration on any machine. The random stream
//! (ChaCha8) is portable, but the platform's `exp` and `ln` are not: libm implementations differ in the last bit,
//! and a last-bit difference can move a rounded amount. So every transcendental function used here is computed
//! with IEEE-754 basic operations only (`+ - * /`, which are correctly rounded everywhere), and integers are
//! drawn as `u64` (rand's `usize` sampling depends on the pointer width).

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// The generator's random stream.
pub(super) type GenRng = ChaCha8Rng;

const LN_2: f64 = std::f64::consts::LN_2;
const LOG2_E: f64 = std::f64::consts::LOG2_E;
// Cody–Waite split of ln 2 (the fdlibm constants, by bit pattern): the high part has trailing zero bits, so
// `k * LN_2_HI` is exact for |k| < 2^11.
const LN_2_HI: f64 = f64::from_bits(0x3FE6_2E42_FEE0_0000);
const LN_2_LO: f64 = f64::from_bits(0x3DEA_39EF_3579_3C76);

/// `e^x`, accurate to a few ulps for |x| < 700, from basic operations only.
pub(super) fn exp(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    let x = x.clamp(-700.0, 700.0);
    // x = k ln 2 + r with |r| <= ln 2 / 2; e^r by its Taylor series (the 18th term is below 1e-20).
    let k = (x * LOG2_E).round();
    let r = (x - k * LN_2_HI) - k * LN_2_LO;
    let mut term = 1.0;
    let mut sum = 1.0;
    for i in 1..=18 {
        term *= r / f64::from(i);
        sum += term;
    }
    sum * pow2(k as i32)
}

/// `ln x` for finite x > 0 (and -inf for 0, NaN below), from basic operations only.
pub(super) fn ln(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_infinite() {
        return x;
    }
    // Normalise subnormals first, then split x = m 2^e with m in [sqrt(1/2), sqrt(2)).
    let (x, bias) = if x < f64::MIN_POSITIVE { (x * pow2(60), 60) } else { (x, 0) };
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i32 - 1023 - bias;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m /= 2.0;
        e += 1;
    }
    // ln m = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172: the series converges fast.
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut power = s;
    let mut sum = 0.0;
    let mut k = 1.0;
    while k < 40.0 {
        sum += power / k;
        power *= s2;
        k += 2.0;
    }
    f64::from(e) * LN_2 + 2.0 * sum
}

/// 2^k for k in the normal exponent range (clamped to it).
fn pow2(k: i32) -> f64 {
    let k = k.clamp(-1022, 1023);
    f64::from_bits(((k + 1023) as u64) << 52)
}

/// A uniform draw from [0, 1).
pub(super) fn unit(rng: &mut GenRng) -> f64 {
    rng.r#gen::<f64>()
}

/// A uniform draw from [lo, hi).
pub(super) fn uniform(rng: &mut GenRng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * unit(rng)
}

/// `true` with probability `p`.
pub(super) fn chance(rng: &mut GenRng, p: f64) -> bool {
    unit(rng) < p
}

/// A uniform index in `0..n`; `n` must be at least 1 (0 gives 0).
pub(super) fn below(rng: &mut GenRng, n: usize) -> usize {
    if n <= 1 {
        return 0;
    }
    rng.gen_range(0..n as u64) as usize
}

/// A uniform integer in `lo..=hi` (`lo` when the range is empty).
pub(super) fn between(rng: &mut GenRng, lo: i64, hi: i64) -> i64 {
    if hi <= lo {
        return lo;
    }
    lo + rng.gen_range(0..=(hi - lo) as u64) as i64
}

/// An index drawn with probability proportional to `weights`; `None` when no weight is positive.
pub(super) fn weighted(rng: &mut GenRng, weights: &[f64]) -> Option<usize> {
    let total: f64 = weights.iter().filter(|w| **w > 0.0).sum();
    if total <= 0.0 || !total.is_finite() {
        return None;
    }
    let target = unit(rng) * total;
    let mut acc = 0.0;
    let mut last = None;
    for (i, &w) in weights.iter().enumerate() {
        if w > 0.0 {
            acc += w;
            last = Some(i);
            if target < acc {
                return Some(i);
            }
        }
    }
    last
}

/// Up to `k` distinct indices drawn one by one with probability proportional to `weights` (no replacement).
pub(super) fn weighted_distinct(rng: &mut GenRng, weights: &[f64], k: usize) -> Vec<usize> {
    let mut w = weights.to_vec();
    let mut out = Vec::with_capacity(k);
    while out.len() < k {
        match weighted(rng, &w) {
            Some(i) => {
                out.push(i);
                w[i] = 0.0;
            }
            None => break,
        }
    }
    out
}

/// A standard normal draw (Marsaglia's polar method: needs only `ln` and a square root, both portable).
pub(super) fn normal(rng: &mut GenRng) -> f64 {
    loop {
        let u = 2.0 * unit(rng) - 1.0;
        let v = 2.0 * unit(rng) - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return u * (-2.0 * ln(s) / s).sqrt();
        }
    }
}

/// A Poisson draw with a small mean (Knuth's product of uniforms).
pub(super) fn poisson(rng: &mut GenRng, mean: f64) -> u32 {
    let limit = exp(-mean);
    let mut product = unit(rng);
    let mut count = 0;
    while product > limit && count < 1000 {
        product *= unit(rng);
        count += 1;
    }
    count
}

/// A log-uniform draw from [lo, hi): each order of magnitude equally likely.
pub(super) fn log_uniform(rng: &mut GenRng, lo: f64, hi: f64) -> f64 {
    exp(uniform(rng, ln(lo), ln(hi)))
}

/// Shuffles a slice in place (Fisher–Yates).
pub(super) fn shuffle<T>(rng: &mut GenRng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = below(rng, i + 1);
        items.swap(i, j);
    }
}

/// `x` rounded to the nearest multiple of `step`, at least `step`.
pub(super) fn round_to(x: f64, step: i64) -> i64 {
    let step = step.max(1);
    let n = (x / step as f64).round().max(1.0);
    n as i64 * step
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn exp_and_ln_match_the_platform_closely() {
        for i in -400..=400 {
            let x = f64::from(i) * 0.037;
            let rel = (exp(x) - x.exp()).abs() / x.exp();
            assert!(rel < 1e-14, "exp({x}): {rel}");
        }
        for x in [1e-300, 1e-10, 0.001, 0.3, 0.5, 0.999, 1.0, 1.5, 2.0, 10.0, 80_000.0, 1e300] {
            let err = (ln(x) - x.ln()).abs();
            assert!(err < 1e-13 * x.ln().abs().max(1.0), "ln({x}): {err}");
        }
        assert_eq!(ln(1.0), 0.0);
        assert_eq!(exp(0.0), 1.0);
        assert!(ln(5e-324).is_finite());
    }

    #[test]
    fn draws_have_the_right_moments() {
        let mut rng = GenRng::seed_from_u64(7);
        let n = 100_000;
        let (mut s, mut s2, mut p) = (0.0, 0.0, 0.0);
        for _ in 0..n {
            let z = normal(&mut rng);
            s += z;
            s2 += z * z;
            p += f64::from(poisson(&mut rng, 1.2));
        }
        let n = f64::from(n);
        assert!((s / n).abs() < 0.02);
        assert!((s2 / n - 1.0).abs() < 0.02);
        assert!((p / n - 1.2).abs() < 0.02);
        let counts = (0..30_000).fold([0u32; 3], |mut c, _| {
            c[weighted(&mut rng, &[1.0, 0.0, 3.0]).unwrap_or(1)] += 1;
            c
        });
        assert_eq!(counts[1], 0);
        assert!((f64::from(counts[2]) / 30_000.0 - 0.75).abs() < 0.02);
        assert_eq!(weighted(&mut rng, &[0.0, 0.0]), None);
        assert_eq!(round_to(12_499.0, 1000), 12_000);
        assert_eq!(round_to(10.0, 1000), 1000);
    }
}
