//! Seeded generators of general networks, for tests and benches: the same seed gives the same network on every
//! machine (the random numbers come from [`Rng`], written here, not from a dependency whose stream may change).
//!
//! [`Transshipment`] makes networks in the manner of NETGEN (Klingman, Napier & Stutz, 1974): sources, sinks and
//! transshipment nodes, a skeleton of chains that carries each source's supply through transshipment nodes to
//! the sinks, and random arcs on top. Flow on such networks passes through long chains of intermediate nodes,
//! which makes them harder for a network simplex than the bipartite networks of an assignment or a
//! transportation problem. [`Grid`] makes grids in the manner of GRIDGEN, square or long, whose optimal trees
//! are deep.

mod grid;

pub use grid::Grid;

use crate::Network;

/// SplitMix64 (Steele, Lea & Flood, 2014): a small, fast generator with a 64-bit state, good enough for test
/// networks and the same everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0), by the multiply-shift method, whose bias is below 2⁻³² for the
    /// sizes used here.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `lo..=hi` (`lo` when `hi < lo`).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let width = (i128::from(hi) - i128::from(lo) + 1) as u128;
        let draw = if width > u128::from(u64::MAX) {
            u128::from(self.next_u64())
        } else {
            u128::from(self.below(width as u64))
        };
        (i128::from(lo) + draw as i128) as i64
    }

    /// Shuffles `items` (Fisher-Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i as u64 + 1) as usize);
        }
    }
}

/// The shape of a general transshipment network.
///
/// Nodes `0..sources` are sources, the last `sinks` nodes sinks, the others transshipment nodes. The supply is
/// split at random among the sources and the demand among the sinks. The skeleton: the transshipment nodes,
/// shuffled, are cut into one chain per source, which runs from the source through its chain to a random sink,
/// and the sinks are joined in a ring. Random arcs, from a source or transshipment node to a transshipment node
/// or sink, fill up the arc count. Arcs come ordered by tail, as in NETGEN's files.
///
/// When `feasible`, skeleton arcs can carry the whole supply, so every source reaches every sink and a feasible
/// flow exists. Otherwise they have random capacities like the other arcs, and the supply is raised, if need be,
/// to one more than the capacity of all the arcs into the sinks, so that no feasible flow exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transshipment {
    /// Number of nodes (raised to `sources + sinks` if it is less).
    pub nodes: usize,
    /// Number of arcs (raised to the skeleton's if it is less).
    pub arcs: usize,
    /// Number of sources (at least 1).
    pub sources: usize,
    /// Number of sinks (at least 1).
    pub sinks: usize,
    /// Total supply.
    pub supply: i64,
    /// Smallest and largest cost per unit.
    pub cost: (i64, i64),
    /// Smallest and largest capacity of a random arc.
    pub capacity: (i64, i64),
    /// Whether the skeleton guarantees a feasible flow, or the supply is made too large for one.
    pub feasible: bool,
}

impl Transshipment {
    /// A NETGEN-style family with 8 arcs per node: √nodes sources and sinks, 1 000 units of supply per source,
    /// costs 1..=10 000 and capacities 1..=1 000; feasible.
    pub fn netgen(nodes: usize) -> Transshipment {
        let side = ((nodes as f64).sqrt() as usize).max(1);
        Transshipment {
            nodes,
            arcs: 8 * nodes,
            sources: side,
            sinks: side,
            supply: 1_000 * side as i64,
            cost: (1, 10_000),
            capacity: (1, 1_000),
            feasible: true,
        }
    }

    /// The network of this shape drawn with `seed`.
    pub fn generate(&self, seed: u64) -> Network {
        let mut rng = Rng::new(seed);
        let sources = self.sources.max(1);
        let sinks = self.sinks.max(1);
        let n = self.nodes.max(sources + sinks);
        let first_sink = n - sinks;
        let mut arcs: Vec<(u32, u32, i64, i64)> = Vec::with_capacity(self.arcs);
        let skeleton_cap = if self.feasible { self.supply.max(1) } else { 0 };
        let skeleton = |rng: &mut Rng, arcs: &mut Vec<_>, u: usize, v: usize| {
            let cap = if self.feasible { skeleton_cap } else { rng.range(self.capacity.0, self.capacity.1) };
            arcs.push((u as u32, v as u32, cap, rng.range(self.cost.0, self.cost.1)));
        };
        let mut transit: Vec<usize> = (sources..first_sink).collect();
        rng.shuffle(&mut transit);
        for s in 0..sources {
            let chain = &transit[s * transit.len() / sources..(s + 1) * transit.len() / sources];
            let mut at = s;
            for &t in chain {
                skeleton(&mut rng, &mut arcs, at, t);
                at = t;
            }
            let sink = first_sink + rng.below(sinks as u64) as usize;
            skeleton(&mut rng, &mut arcs, at, sink);
        }
        if sinks > 1 {
            for k in 0..sinks {
                skeleton(&mut rng, &mut arcs, first_sink + k, first_sink + (k + 1) % sinks);
            }
        }
        while arcs.len() < self.arcs {
            let u = rng.below(first_sink as u64) as usize;
            let v = sources + rng.below((n - sources) as u64) as usize;
            if u != v {
                let cap = rng.range(self.capacity.0, self.capacity.1);
                arcs.push((u as u32, v as u32, cap, rng.range(self.cost.0, self.cost.1)));
            }
        }
        arcs.sort_by_key(|a| a.0);
        let mut net = Network::with_nodes(n);
        for &(u, v, cap, cost) in &arcs {
            net.add_arc(u as usize, v as usize, cap, cost);
        }
        let mut supply = self.supply.max(0);
        if !self.feasible {
            let into_sinks: i64 = arcs
                .iter()
                .filter(|a| (a.0 as usize) < first_sink && a.1 as usize >= first_sink)
                .fold(0i64, |sum, a| sum.saturating_add(a.2));
            supply = supply.max(into_sinks.saturating_add(1));
        }
        spread(&mut rng, &mut net.supply[..sources], supply);
        spread(&mut rng, &mut net.supply[first_sink..], -supply);
        net
    }
}

/// Splits `total` among `slots`: an even share each, then a random part of each share moved to another slot.
fn spread(rng: &mut Rng, slots: &mut [i64], total: i64) {
    let k = slots.len() as i64;
    for (i, slot) in slots.iter_mut().enumerate() {
        *slot = total / k + i64::from((i as i64) < (total % k).abs()) * total.signum();
    }
    for i in 0..slots.len() {
        let j = rng.below(slots.len() as u64) as usize;
        let moved = rng.range(0, slots[i].abs() / 2) * total.signum();
        slots[i] -= moved;
        slots[j] += moved;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_seeded_and_balanced() {
        let shape = Transshipment::netgen(200);
        let net = shape.generate(5);
        assert_eq!(net, shape.generate(5));
        assert_ne!(net, shape.generate(6));
        assert_eq!((net.node_count(), net.arc_count()), (200, 1_600));
        assert_eq!(net.supply.iter().sum::<i64>(), 0);
        assert_eq!(net.supply.iter().filter(|&&s| s > 0).sum::<i64>(), 14_000);
        assert!(net.from.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(Rng::new(1).range(i64::MIN, i64::MAX), Rng::new(1).next_u64() as i64 ^ i64::MIN);
    }
}
