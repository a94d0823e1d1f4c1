//! A whole solve, in order: the network is checked ([`crate::prepare`]), its lower bounds are moved into the
//! supplies, a maximum flow decides whether any flow exists ([`crate::feasibility`]), and only then does the
//! simplex look for the cheapest one; its flow is reported on the network's own arcs.

use crate::feasibility::{self, Infeasibility};
use crate::simplex::{solve_feasible, star_candidates};
use crate::{FlowError, Network, prepare};

/// An optimal flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowSolution {
    /// Flow on each arc of the network, within its lower bound and capacity.
    pub flow: Vec<i64>,
    /// Total cost, exactly.
    pub cost: i128,
    /// Node potentials proving optimality: reduced costs `cost + π(from) − π(to)` are ≥ 0 on arcs below
    /// capacity and ≤ 0 on arcs above their lower bound.
    pub potential: Vec<i64>,
    /// Number of pivots made.
    pub pivots: u64,
    /// Elementary steps the simplex took (arcs priced, tree nodes walked): a measure of its work that, unlike its
    /// time, is the same on every machine and under any load. The checks before the simplex are not counted.
    pub operations: u64,
}

/// Solves `net` to optimality, or says why it cannot: [`FlowError::Malformed`], [`FlowError::Unbalanced`],
/// [`FlowError::Infeasible`] with the cut that proves it, or [`FlowError::TooLarge`]. A network with exactly one
/// demand node starts from [`hub_start()`](crate::hub_start)'s basis when that basis exists and is strongly
/// feasible; any other from the artificial one.
pub fn solve(net: &Network) -> Result<FlowSolution, FlowError> {
    solve_checked(net, None)
}

/// [`solve`] with the star start's candidates computed beforehand ([`star_candidates`]). On a network with lower
/// bounds they are computed anew, since moving the bounds into the supplies changes them.
pub fn solve_with(net: &Network, candidates: &[u32]) -> Result<FlowSolution, FlowError> {
    solve_checked(net, Some(candidates))
}

/// Whether some flow meets `net`'s supplies within its arcs' bounds, without looking for the cheapest: the
/// checks [`solve`] makes before its simplex, in the time of a maximum flow. The errors are [`solve`]'s, less
/// [`FlowError::TooLarge`] for costs.
pub fn check_feasible(net: &Network) -> Result<(), FlowError> {
    prepare::validate(net)?;
    let shifted = prepare::without_lower_bounds(net)?;
    feasible(net, shifted.as_ref().unwrap_or(net))
}

/// The feasibility check of `net`, made on `work`, its transform without lower bounds.
fn feasible(net: &Network, work: &Network) -> Result<(), FlowError> {
    match feasibility::check(&work.supply, &work.from, &work.to, &work.capacity) {
        Some(cut) => Err(FlowError::Infeasible(Box::new(Infeasibility::new(net, &cut)))),
        None => Ok(()),
    }
}

fn solve_checked(net: &Network, candidates: Option<&[u32]>) -> Result<FlowSolution, FlowError> {
    prepare::validate(net)?;
    let shifted = prepare::without_lower_bounds(net)?;
    feasible(net, shifted.as_ref().unwrap_or(net))?;
    let Some(work) = shifted else {
        return match candidates {
            Some(candidates) => solve_feasible(net, candidates),
            None => solve_feasible(net, &star_candidates(net)),
        };
    };
    let mut sol = solve_feasible(&work, &star_candidates(&work))?;
    for (f, &lower) in sol.flow.iter_mut().zip(&net.lower) {
        *f += lower;
    }
    sol.cost = net.cost_of(&sol.flow);
    Ok(sol)
}
