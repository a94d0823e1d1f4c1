//! The proof that a network has no feasible flow, told in the network's own terms: a set of nodes whose supply,
//! with what lower bounds force into it, is more than the arcs leaving it can carry.

use super::Cut;
use crate::Network;

/// Why no flow meets a network's supplies: a cut.
///
/// The source side `S` holds the nodes that a maximum flow from the supplies to the demands still reaches in its
/// residual graph. Every flow must send `side_supply + forced_in` units out of `S` (its net supply, and what lower
/// bounds force in across the cut), and the arcs out of `S` carry at most `out_capacity`; the difference is
/// the [`shortfall`](Infeasibility::shortfall), the supply that cannot be sent. In the network with lower bounds
/// moved into the supplies, `supply` is the total supply, `max_flow` what a maximum flow sends, and the cut's
/// capacity equals `max_flow`.
///
/// Node lists hold indices from 0, sorted; the [`Display`](std::fmt::Display) line numbers nodes from 1, as DIMACS
/// files do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Infeasibility {
    /// The source side of the cut.
    pub source_side: Vec<u32>,
    /// Supply nodes (supply > 0) on the source side: together they cannot send all they have.
    pub source_side_supplies: Vec<u32>,
    /// Demand nodes (supply < 0) on the source side.
    pub source_side_demands: Vec<u32>,
    /// Supply nodes beyond the cut.
    pub sink_side_supplies: Vec<u32>,
    /// Demand nodes beyond the cut: those that the supplies of the source side cannot all reach.
    pub sink_side_demands: Vec<u32>,
    /// Net supply of the source side: its supplies less its demands.
    pub side_supply: i128,
    /// What the lower bounds of arcs into the source side force into it.
    pub forced_in: i128,
    /// Capacity of the arcs out of the source side.
    pub out_capacity: i128,
    /// Total supply, once lower bounds are moved into the supplies.
    pub supply: i128,
    /// A maximum flow's value in that network, equal to the cut's capacity there.
    pub max_flow: i128,
}

impl Infeasibility {
    /// The certificate of `cut`, found on `net` with its lower bounds moved into the supplies, in `net`'s terms.
    pub(crate) fn new(net: &Network, cut: &Cut) -> Infeasibility {
        let inside = &cut.source_side;
        let mut out = Infeasibility {
            source_side: Vec::new(),
            source_side_supplies: Vec::new(),
            source_side_demands: Vec::new(),
            sink_side_supplies: Vec::new(),
            sink_side_demands: Vec::new(),
            side_supply: 0,
            forced_in: 0,
            out_capacity: 0,
            supply: cut.supply,
            max_flow: cut.max_flow,
        };
        for (u, &s) in net.supply.iter().enumerate() {
            let id = u as u32;
            if inside[u] {
                out.source_side.push(id);
                out.side_supply += i128::from(s);
            }
            match (inside[u], s.signum()) {
                (true, 1) => out.source_side_supplies.push(id),
                (true, -1) => out.source_side_demands.push(id),
                (false, 1) => out.sink_side_supplies.push(id),
                (false, -1) => out.sink_side_demands.push(id),
                _ => {}
            }
        }
        for e in 0..net.arc_count() {
            match (inside[net.from[e] as usize], inside[net.to[e] as usize]) {
                (true, false) => out.out_capacity += i128::from(net.capacity[e]),
                (false, true) => out.forced_in += i128::from(net.lower[e]),
                _ => {}
            }
        }
        out
    }

    /// The supply that cannot be sent: `supply − max_flow`, which is also `side_supply + forced_in −
    /// out_capacity`.
    pub fn shortfall(&self) -> i128 {
        self.supply - self.max_flow
    }

    /// Whether node `u` is on the source side.
    pub fn contains(&self, u: usize) -> bool {
        u32::try_from(u).is_ok_and(|u| self.source_side.binary_search(&u).is_ok())
    }
}

/// A few node ids, numbered from 1: "4, 9 and 12 more".
struct Ids<'a>(&'a [u32]);

impl std::fmt::Display for Ids<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const SHOWN: usize = 3;
        for (k, u) in self.0.iter().take(SHOWN).enumerate() {
            write!(f, "{}{}", if k == 0 { "" } else { ", " }, u + 1)?;
        }
        match self.0.len() {
            0 => write!(f, "none"),
            n if n > SHOWN => write!(f, " and {} more", n - SHOWN),
            _ => Ok(()),
        }
    }
}

impl std::fmt::Display for Infeasibility {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "no feasible flow: {} units of supply cannot reach the demands; the {} nodes on the supplies' side of a \
             cut (supply nodes {}; demand nodes {}) have net supply {}",
            self.shortfall(),
            self.source_side.len(),
            Ids(&self.source_side_supplies),
            Ids(&self.source_side_demands),
            self.side_supply
        )?;
        if self.forced_in != 0 {
            write!(f, ", lower bounds force {} more into them,", self.forced_in)?;
        }
        write!(
            f,
            " and their arcs out carry at most {}; demand nodes beyond the cut: {}",
            self.out_capacity,
            Ids(&self.sink_side_demands)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_it_in_one_line_in_the_network_terms() {
        // Nodes 1 and 2 (from 1) must send 8 through node 3, whose way on to node 4 carries 5; the arc 4 → 2 must
        // carry 1, which node 2 must then send on too.
        let mut net = Network::with_nodes(4);
        net.supply = vec![4, 4, 0, -8];
        net.add_arc(0, 2, 9, 0);
        net.add_arc(1, 2, 9, 0);
        net.add_arc(2, 3, 5, 0);
        net.add_bounded_arc(3, 1, 1, 1, 0);
        let cut = Cut { source_side: vec![true, true, true, false], supply: 9, max_flow: 5 };
        let why = Infeasibility::new(&net, &cut);
        assert_eq!((why.side_supply, why.forced_in, why.out_capacity, why.shortfall()), (8, 1, 5, 4));
        assert!(why.contains(2) && !why.contains(3) && !why.contains(usize::MAX));
        assert_eq!(
            why.to_string(),
            "no feasible flow: 4 units of supply cannot reach the demands; the 3 nodes on the supplies' side of a \
             cut (supply nodes 1, 2; demand nodes none) have net supply 8, lower bounds force 1 more into them, and \
             their arcs out carry at most 5; demand nodes beyond the cut: 4"
        );
        assert_eq!(Ids(&[0, 1, 2, 3, 4]).to_string(), "1, 2, 3 and 2 more");
    }
}
