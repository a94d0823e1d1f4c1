//! Synthetic batches (docs/spec.md §8 `generate`): seeded needs and offers calibrated to the figures of DOMAIN.md, for
//! demonstrations, tests and benchmarks.
//!
//! ```
//! use poa_match::catalog::Reference;
//! use poa_match::generate::{GenerateConfig, generate};
//!
//! let config = GenerateConfig { needs: 60, offers: 13, seed: 2013, partial_only: false };
//! let batch = generate(&config, Reference::embedded());
//! assert_eq!((batch.needs.len(), batch.offers.len()), (60, 13));
//! assert_eq!(batch, generate(&config, Reference::embedded()));
//! ```
//!
//! **Needs** (see `needs.rs`): requesters by region (Africa .50, Americas .25, Asia .15, Oceania .05, Europe .05)
//! from the real country table, LDCs and SIDS weighted up, plus a few regional organisations; 1 + Poisson(1.2)
//! needs per requester, at most 5; primary themes with the weights of DOMAIN.md, 92 % of requesters with a need
//! on stockpiles, marking or record-keeping; commitments from the catalogue's `target` rows of that theme;
//! amounts lognormal (median 80 000 USD, σ 0.9, 10 000 – 1 500 000, ×1.5 with equipment), meeting sponsorship
//! 3 000 – 10 000; 60 % partial (half of them with a minimum award of 40–70 %), 40 % all-or-nothing, more often
//! for equipment; start windows and durations of 6–24 months inside the 24-month cycle from 2013-01-01.
//!
//! **Offers** (see `offers.rs`): pooled funds (UNSCAR-like), bilateral donors, regional trust funds, a joint
//! programme and a meeting sponsorship fund, with floors, award limits and no-cofinancing rules on some; the
//! total supply is 0.4–0.7 of the total demand. Scopes narrow as the number of offers grows so that a need has
//! about 20 eligible offers on average at any size (BENCHMARKS.md lists the measured pairs per size), while
//! batches of up to 15 offers look like the bundled sample.
//!
//! **Ledgers** (see `ledger.rs`): [`draw_ledger`] draws awards over a batch for `track` and `match --ledger`.
//!
//! **Determinism**: the same configuration gives the same batch on any machine: one ChaCha8 stream for the
//! needs and one for the offers (so the needs do not depend on the number of offers), no hash-map iteration
//! order, and no platform maths library (see `draw.rs`).

mod draw;
pub mod ledger;
mod needs;
mod offers;
mod profile;
#[cfg(test)]
mod tests;

use rand::SeedableRng;

use crate::catalog::Reference;
use crate::model::{Batch, Date};

pub use ledger::{draw_ledger, round_ledger};
pub use offers::ELIGIBLE_PER_NEED;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateConfig {
    /// Number of needs.
    pub needs: usize,
    /// Number of offers.
    pub offers: usize,
    /// Seed of the random streams: the same configuration always gives the same batch.
    pub seed: u64,
    /// Leave out every rule that makes the allocation a mixed-integer problem: all needs partial without a
    /// minimum award; no offer floors, award limits or cofinancing bans. The allocation is then a pure min-cost
    /// flow.
    pub partial_only: bool,
}

/// Length of the planning cycle in months, from 2013-01-01.
const CYCLE_MONTHS: i64 = 24;

/// The first day of month `m` of the cycle (0 = January 2013).
fn cycle_month(m: i64) -> Date {
    let m = m.clamp(0, 1200) as i32;
    Date::from_ymd(2013 + m / 12, 1 + m % 12, 1)
}

/// Random stream for the needs.
const STREAM_NEEDS: u64 = 1;
/// Random stream for the offers.
const STREAM_OFFERS: u64 = 2;

fn stream(seed: u64, stream: u64) -> draw::GenRng {
    let mut rng = draw::GenRng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// Generates a batch: `config.needs` needs and `config.offers` offers, in file order, drawn from `reference`'s
/// catalogue and country table.
///
/// With replacement reference tables that have no `target` commitment or no country in an M49 region, no need
/// can be drawn and the batch has no needs.
///
/// Time and memory are linear in the number of needs and offers.
pub fn generate(config: &GenerateConfig, reference: &Reference) -> Batch {
    let needs = needs::generate(config, reference, &mut stream(config.seed, STREAM_NEEDS));
    let offers = offers::generate(config, reference, &needs, &mut stream(config.seed, STREAM_OFFERS));
    Batch { needs, offers }
}
