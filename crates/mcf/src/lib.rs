//! # mcf: exact min-cost flow by the network simplex
//!
//! **What it solves.** Given a directed [`Network`] with node supplies (positive) and demands (negative) that sum
//! to zero, and arcs with a lower bound, a capacity and a cost per unit, find a flow that meets every supply and
//! demand within the arcs' bounds at the least total cost. Self-loops, parallel arcs, arcs without capacity and
//! negative costs (negative cycles included) are all allowed.
//!
//! **How.** Lower bounds are moved into the supplies (the usual transformation), and a maximum flow from the
//! supplies to the demands decides whether any flow exists ([`check_feasible`]): when none does, the answer comes
//! in the time of that maximum flow, with the cut that proves it ([`Infeasibility`]). Then a primal network
//! simplex ([`solve`]) on a strongly feasible spanning-tree basis, with block-search pricing, finds the cheapest
//! flow, reported on the network's own arcs. Networks with a single demand node may start from a tree built
//! around that node ([`hub_start`]) instead of the artificial one. [`WarmSimplex`] keeps its basis between solves
//! of one network whose arc costs change, as branch and bound does when it expresses decisions as costs.
//! [`Network`] reads and writes the DIMACS min-cost-flow text format, strictly ([`Network::read_dimacs`],
//! [`Network::write_dimacs`]), and [`generate`] makes seeded test networks.
//!
//! # Guarantees
//! - **Exact.** Everything is integer: flows and potentials in `i64`, the cost of a whole flow in `i128`. Before
//!   solving, the total supply and the artificial cost `(nodes + 1)·(max |cost| + 1)` are checked to leave `i64`
//!   room to spare; if not, the answer is [`FlowError::TooLarge`], never a wrong flow.
//! - **Optimal, with a certificate.** [`FlowSolution::potential`] holds node potentials under which every arc
//!   below capacity has a non-negative reduced cost and every arc above its lower bound a non-positive one.
//! - **Infeasible, with a certificate.** [`FlowError::Unbalanced`] when supplies do not sum to zero;
//!   [`FlowError::Infeasible`] with a cut ([`Infeasibility`]) when no flow meets them within the arcs' bounds.
//! - **Terminates.** The leaving-arc rule keeps the tree strongly feasible, which rules out cycling.
//! - **Deterministic.** The same network gives the same flow, the same potentials and the same pivot count, on any
//!   machine: no randomness, no hashing, no threads.
//!
//! # Complexity
//! Memory is linear: a few words per arc and per node. The feasibility check is one pass over the arcs when every
//! supply can go straight into a demand, and otherwise a maximum flow by Dinic's algorithm (O(nodes²·arcs) in the
//! worst case, far less in practice). A pivot costs the length of the cycle it closes, plus the
//! subtree it moves, plus the pricing of one block (a tenth of √arcs, at least 64 arcs) or more when the first
//! blocks have no violating arc. The number of pivots is not polynomially bounded in the worst case, and in practice
//! it depends much on the network's structure: the README shows an application's exported network that needs a
//! few pivots per node, while on the uniformly random networks of the crate's bench it grows faster than the
//! number of nodes.
//!
//! # Example
//! ```
//! use mcf::{FlowError, Network, solve};
//!
//! // Two sources (3 and 2 units) and one sink; each source may go direct (cost 4) or through node 2 (cost 1 + 1),
//! // which takes 4 units at most.
//! let mut net = Network::with_nodes(4);
//! net.supply = vec![3, 2, 0, -5];
//! net.add_arc(0, 3, 10, 4);
//! net.add_arc(1, 3, 10, 4);
//! net.add_arc(0, 2, 10, 1);
//! net.add_arc(1, 2, 10, 1);
//! net.add_arc(2, 3, 4, 1);
//! let optimum = solve(&net)?;
//! assert_eq!(optimum.cost, 4 * 2 + 4); // four units through node 2, one direct
//! assert_eq!(optimum.flow[4], 4);
//! # Ok::<(), FlowError>(())
//! ```
//!
//! # References
//! - G. B. Dantzig, *Linear Programming and Extensions*, 1963: the simplex method on transportation and network
//!   problems, whose bases are spanning trees.
//! - W. H. Cunningham, "A network simplex method", *Mathematical Programming* 11, 1976: strongly feasible trees
//!   and the leaving rule that prevents cycling.
//! - M. D. Grigoriadis, "An efficient implementation of the network simplex method", *Mathematical Programming
//!   Study* 26, 1986: the big-M artificial start and cheap tree updates on large networks.
//! - T. Kelly, R. O'Neill, "The minimum cost flow problem and the network simplex solution method", University
//!   College Dublin, 1991: a practical account of tree storage and updates.
//! - P. Kovács, "Minimum-cost flow algorithms: an experimental evaluation", *Optimization Methods and Software*
//!   30, 2015, and Z. Király, P. Kovács, "Efficient implementations of minimum-cost flow algorithms", *Acta Univ.
//!   Sapientiae, Informatica* 4, 2012: block search pricing as in LEMON's network simplex.
//! - R. K. Ahuja, T. L. Magnanti, J. B. Orlin, *Network Flows*, 1993, ch. 11; ch. 6–7 on maximum flows and the
//!   feasibility of flow problems (Gale 1957, Hoffman 1960).
//! - E. A. Dinic, "Algorithm for solution of a problem of maximum flow in a network with power estimation",
//!   *Soviet Mathematics Doklady* 11, 1970.
//! - D. Klingman, A. Napier, J. Stutz, "NETGEN: a program for generating large scale capacitated assignment,
//!   transportation, and minimum cost flow network problems", *Management Science* 20, 1974.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod dimacs;
mod error;
mod feasibility;
pub mod generate;
mod network;
mod prepare;
mod simplex;
mod solve;

pub use dimacs::{DimacsError, DimacsErrorKind};
pub use error::FlowError;
pub use feasibility::Infeasibility;
pub use network::Network;
pub use simplex::{StarStart, WarmSimplex, hub_start, hub_start_with, star_candidates};
pub use solve::{FlowSolution, check_feasible, solve, solve_with};

/// The README's example, compiled and run as a doctest so that it cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
