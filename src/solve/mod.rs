//! Allocation methods (SPEC §5).

pub mod network;
pub mod network_simplex;
