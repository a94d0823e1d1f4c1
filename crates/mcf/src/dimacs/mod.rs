//! The DIMACS min-cost-flow text form of a [`Network`](crate::Network): `c` comment lines, one `p min NODES ARCS`
//! line, `n ID SUPPLY` lines for nodes with a non-zero supply and `a TAIL HEAD LOWER CAPACITY COST` lines, nodes
//! numbered from 1. The reader is strict ([`read`]): whatever it accepts, the writer ([`write`]) writes back in a
//! form it reads to the same network.

mod error;
mod read;
mod write;

pub use error::{DimacsError, DimacsErrorKind};
