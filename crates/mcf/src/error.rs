//! Why a flow problem has no optimum: the one error type of every solve.

use crate::Infeasibility;

/// Why a flow problem has no optimum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlowError {
    /// Supplies and demands do not sum to zero: `supply` is the sum of the positive supplies, `demand` the sum of
    /// the demands as a positive number.
    Unbalanced {
        /// Total supply.
        supply: i128,
        /// Total demand, as a positive number.
        demand: i128,
    },
    /// Supplies and demands balance, but no flow meets them within the arcs' bounds; the cut that proves it.
    Infeasible(Box<Infeasibility>),
    /// Costs or supplies are too large to be handled exactly in 64-bit integers.
    TooLarge(String),
    /// A negative capacity, a lower bound outside `0..=capacity`, an arc naming a node that does not exist, or arc
    /// vectors of different lengths.
    Malformed(String),
}

impl std::error::Error for FlowError {}

impl std::fmt::Display for FlowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FlowError::Unbalanced { supply, demand } => {
                write!(f, "supplies do not balance demands: total supply {supply}, total demand {demand}")
            }
            FlowError::Infeasible(cut) => write!(f, "{cut}"),
            FlowError::TooLarge(why) | FlowError::Malformed(why) => write!(f, "{why}"),
        }
    }
}
