//! The primal network simplex, exact in integers: the solver's state and its main loop. Each concern lives in a
//! file of its own:
//!
//! - [`artificial`]: the first basis every solve can start from, one artificial arc per node;
//! - [`hub_start`](mod@hub_start) and [`star_basis`]: a better first basis for networks with a single demand node,
//!   found on the network alone and then installed in place of the artificial one;
//! - [`pricing`]: which arc enters (block search);
//! - [`pivot`]: the cycle it closes, which arc leaves, and the tree's update;
//! - [`tree`]: the spanning tree's records and the walks over it (potentials, child lists);
//! - [`warm`]: a solver kept between solves that differ in arc costs.
//!
//! # Method
//! The basis is a spanning tree rooted at an extra node. It starts strongly feasible: every node hangs from the
//! root by an artificial arc, `node → root` at cost 0 for a supply node and `root → node` at cost `M` for a demand
//! node, where `M = (nodes + 1)·(max |cost| + 1)` is larger than the cost of any simple path, so an optimum uses no
//! artificial flow whenever a feasible flow exists. `M` and every potential are checked to fit an `i64` with room
//! to spare; costs of whole flows are summed in `i128`.
//!
//! Each pivot picks an entering arc by block search, finds the cycle it closes through the apex of the two tree
//! paths, and removes the last blocking arc met when walking the cycle from the apex along its orientation. That
//! leaving rule keeps the tree strongly feasible, which rules out cycling on degenerate pivots (Cunningham 1976).
//! The tree is held as parent pointers, subtree sizes and child lists; after a pivot the cut-off subtree is
//! re-hung along the reversed stem and the potentials of whichever side of the tree is smaller are shifted
//! (potentials only matter up to a constant).

mod artificial;
mod hub_start;
mod pivot;
mod pricing;
mod star_basis;
mod tree;
mod warm;

pub use hub_start::{StarStart, hub_start, hub_start_with, star_candidates};
use tree::TreeNode;
pub use warm::WarmSimplex;

use crate::{FlowError, FlowSolution, Network};

/// "No node" or "no arc" in the tree's links.
const NONE: u32 = u32::MAX;
/// Arc states, which double as the sign of an arc's violation in pricing: at its lower bound (entering raises its
/// flow), at its upper bound (entering lowers it), or in the tree. An arc without capacity is also marked as in
/// the tree, which keeps it out of pricing for good.
const LOWER: i8 = 1;
const UPPER: i8 = -1;
const TREE: i8 = 0;

/// The solver's whole state: the network's arcs followed by one artificial arc per node, each arc's flow and
/// state, and the spanning tree over the nodes plus the root.
#[derive(Clone)]
struct Simplex {
    node_count: usize,
    from: Vec<u32>,
    to: Vec<u32>,
    cap: Vec<i64>,
    cost: Vec<i64>,
    flow: Vec<i64>,
    state: Vec<i8>,
    /// The spanning tree, one record per node (the root last), kept together so that walking a subtree touches
    /// one cache line per node.
    nodes: Vec<TreeNode>,
    /// Node potentials (the root last), apart from the tree's records: pricing reads two per arc in no order
    /// the cache can follow, so they are kept dense, eight to a cache line.
    pi: Vec<i64>,
    /// Arcs priced per block ([`pricing`]).
    block: usize,
    /// Where the next pricing scan starts.
    next_arc: usize,
    /// Scratch space for walks over the tree, reused between them.
    stack: Vec<u32>,
    /// The stem of the last pivot, reused between pivots.
    stem: Vec<u32>,
    /// Elementary steps taken so far (arcs priced, tree nodes walked): see [`WarmSimplex::operations`].
    operations: u64,
}

/// The optimum of `net`, which must be valid, without lower bounds and feasible (the caller has checked all
/// three). Starts from [`hub_start_with`]'s basis when that exists and is strongly feasible, else from the
/// artificial one. A network with more than one demand node (not the hub's shape) prices in the longer blocks
/// of [`Simplex::general_block`].
pub(crate) fn solve_feasible(net: &Network, candidates: &[u32]) -> Result<FlowSolution, FlowError> {
    let mut s = Simplex::new(net, 0)?;
    if hub_start::hub_of(net).is_none() {
        s.block = Simplex::general_block(net.arc_count());
    }
    if let Some(start) = hub_start_with(net, candidates) {
        s.start_from_star(net, &start);
    }
    let pivots = s.optimise()?;
    if !s.is_feasible() {
        return Err(FlowError::TooLarge(
            "the simplex found no flow where a maximum flow did (a bug: please report)".into(),
        ));
    }
    let m = net.arc_count();
    let flow = s.flow[..m].to_vec();
    let cost = net.cost_of(&flow);
    let potential = s.pi[..s.node_count].to_vec();
    Ok(FlowSolution { flow, cost, potential, pivots, operations: s.operations })
}

impl Simplex {
    /// Pivots until no arc prices out; returns the number of pivots. The guard turns a pivot loop that should
    /// be impossible (strongly feasible trees do not cycle) into an error instead of a hang.
    fn optimise(&mut self) -> Result<u64, FlowError> {
        let guard = 50 * (self.cost.len() as u64 + 1000) * 64;
        let mut pivots = 0u64;
        while let Some(e) = self.find_entering() {
            self.pivot(e);
            pivots += 1;
            if pivots > guard {
                return Err(FlowError::TooLarge("the simplex did not converge (a bug: please report)".into()));
            }
        }
        Ok(pivots)
    }

    /// The network's own arcs; the artificial ones (one per node) follow them.
    fn real_arcs(&self) -> usize {
        self.from.len() - self.node_count
    }

    /// Whether the artificial arcs carry nothing, that is, whether the flow meets the supplies on the network's
    /// own arcs.
    fn is_feasible(&self) -> bool {
        self.flow[self.real_arcs()..].iter().all(|&f| f == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve;

    /// Bounds, conservation and complementary slackness of `sol`'s potentials: the optimality certificate.
    pub(super) fn check_optimality(net: &Network, sol: &FlowSolution) {
        let n = net.node_count();
        let mut balance = net.supply.clone();
        for e in 0..net.arc_count() {
            let (f, c) = (sol.flow[e], net.capacity[e]);
            assert!((0..=c).contains(&f), "arc {e} flow {f} cap {c}");
            balance[net.from[e] as usize] -= f;
            balance[net.to[e] as usize] += f;
            let rc = net.cost[e] + sol.potential[net.from[e] as usize] - sol.potential[net.to[e] as usize];
            assert!(!(rc < 0 && f < c || rc > 0 && f > 0), "arc {e} rc {rc} flow {f}/{c}");
        }
        assert_eq!(balance, vec![0; n]);
    }

    #[test]
    fn solves_a_small_transportation_problem() {
        // Two sources (5, 4) and two transit nodes (6, 10) into a sink; gains per unit 3, 1 and 2, direct arcs to
        // the sink at cost 0.
        let mut net = Network::with_nodes(5);
        net.supply = vec![5, 4, 0, 0, -9];
        net.add_arc(0, 2, 5, -3);
        net.add_arc(0, 3, 5, -1);
        net.add_arc(1, 2, 4, -2);
        net.add_arc(2, 4, 6, 0);
        net.add_arc(3, 4, 10, 0);
        net.add_arc(0, 4, 5, 0);
        net.add_arc(1, 4, 4, 0);
        let sol = solve(&net).unwrap();
        // Best: source 0 sends 5 through node 2 (15), source 1 the 1 unit of room left there (2); node 3's gain
        // is smaller than what source 0 gets through node 2, and source 1 cannot reach it.
        assert_eq!(sol.cost, -17);
        check_optimality(&net, &sol);
    }

    #[test]
    fn reports_infeasibility() {
        let mut net = Network::with_nodes(2);
        net.supply = vec![5, -5];
        net.add_arc(0, 1, 3, 1);
        let Err(FlowError::Infeasible(cut)) = solve(&net) else { panic!("{:?}", solve(&net)) };
        assert_eq!((&cut.source_side[..], cut.shortfall()), (&[0][..], 2));
        net.supply = vec![5, -4];
        assert_eq!(solve(&net), Err(FlowError::Unbalanced { supply: 5, demand: 4 }));
    }

    #[test]
    fn rejects_malformed_and_too_large_networks() {
        let mut net = Network::with_nodes(2);
        net.add_arc(0, 1, -1, 0);
        assert!(matches!(solve(&net), Err(FlowError::Malformed(_))));
        let mut net = Network::with_nodes(2);
        net.add_arc(0, 2, 1, 0);
        assert!(matches!(solve(&net), Err(FlowError::Malformed(_))));
        let mut net = Network::with_nodes(2);
        net.add_arc(0, 1, 1, i64::MAX / 4);
        assert!(matches!(solve(&net), Err(FlowError::TooLarge(_))));
        let mut net = Network::with_nodes(2);
        net.supply = vec![i64::MAX / 4, -(i64::MAX / 4)];
        // Feasibility is decided first: a supply with no way out is infeasible, however large.
        assert!(matches!(solve(&net), Err(FlowError::Infeasible(_))));
        net.add_arc(0, 1, i64::MAX / 4, 1);
        assert!(matches!(solve(&net), Err(FlowError::TooLarge(_))));
    }

    #[test]
    fn random_networks_are_optimal_by_complementary_slackness() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for _ in 0..300 {
            let n = rng.gen_range(2..12);
            let mut net = Network::with_nodes(n);
            for _ in 0..rng.gen_range(1..40) {
                let (a, b) = (rng.gen_range(0..n), rng.gen_range(0..n));
                if a != b {
                    net.add_arc(a, b, rng.gen_range(0..20), rng.gen_range(-10..10));
                }
            }
            for _ in 0..3 {
                let (a, b) = (rng.gen_range(0..n), rng.gen_range(0..n));
                let s = rng.gen_range(0..15);
                net.supply[a] += s;
                net.supply[b] -= s;
            }
            match solve(&net) {
                Ok(sol) => check_optimality(&net, &sol),
                Err(FlowError::Infeasible(_)) => {}
                Err(e) => panic!("{e}"),
            }
        }
    }
}
