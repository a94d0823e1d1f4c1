//! What a solve checks and changes before any algorithm sees a network: that it is well formed and balanced, and
//! its lower bounds moved into the supplies (the usual transformation), so that the feasibility check and the
//! simplex only ever see arcs with lower bound 0.

use crate::{FlowError, Network};

/// Checks that every arc vector has one entry per arc, that arcs name existing nodes, that `0 ≤ lower ≤
/// capacity` on every arc, that the sizes fit the solver's 32-bit indices, and that supplies balance demands.
pub(crate) fn validate(net: &Network) -> Result<(), FlowError> {
    let (n, m) = (net.node_count(), net.arc_count());
    let lengths = [net.to.len(), net.lower.len(), net.capacity.len(), net.cost.len()];
    if lengths.iter().any(|&l| l != m) {
        return Err(FlowError::Malformed(format!(
            "the arc vectors differ in length: from {m}, to {}, lower {}, capacity {}, cost {}",
            lengths[0], lengths[1], lengths[2], lengths[3]
        )));
    }
    // The max-flow check's residual graph holds two entries per arc and per node, indexed in 32 bits.
    if n.saturating_add(m).saturating_mul(2).saturating_add(4) >= u32::MAX as usize {
        return Err(FlowError::TooLarge("too many nodes or arcs".into()));
    }
    for e in 0..m {
        if net.from[e] as usize >= n || net.to[e] as usize >= n {
            return Err(FlowError::Malformed(format!("arc {} names a node that does not exist", e + 1)));
        }
        let (lower, cap) = (net.lower[e], net.capacity[e]);
        if cap < 0 {
            return Err(FlowError::Malformed(format!("arc {} has negative capacity", e + 1)));
        }
        if !(0..=cap).contains(&lower) {
            return Err(FlowError::Malformed(format!("arc {} has lower bound {lower} outside 0..={cap}", e + 1)));
        }
    }
    let supply: i128 = net.supply.iter().filter(|&&s| s > 0).map(|&s| i128::from(s)).sum();
    let demand: i128 = net.supply.iter().filter(|&&s| s < 0).map(|&s| -i128::from(s)).sum();
    if supply != demand {
        return Err(FlowError::Unbalanced { supply, demand });
    }
    Ok(())
}

/// The network with every lower bound `l` of an arc `u → v` moved into the supplies: `u` sends `l` less, `v`
/// `l` more, and the arc keeps `capacity − l` of room. A flow `x` of that network is the flow `lower + x` of
/// `net`, at the same reduced costs, so its potentials prove both optimal. `None` when every lower bound is 0 (the
/// network is then its own transform, and is not copied). `net` must have passed [`validate`].
pub(crate) fn without_lower_bounds(net: &Network) -> Result<Option<Network>, FlowError> {
    if !net.has_lower_bounds() {
        return Ok(None);
    }
    let mut supply: Vec<i128> = net.supply.iter().map(|&s| i128::from(s)).collect();
    let mut out = net.clone();
    for e in 0..net.arc_count() {
        let lower = net.lower[e];
        supply[net.from[e] as usize] -= i128::from(lower);
        supply[net.to[e] as usize] += i128::from(lower);
        out.capacity[e] -= lower;
        out.lower[e] = 0;
    }
    for (u, s) in supply.into_iter().enumerate() {
        out.supply[u] = i64::try_from(s).map_err(|_| {
            FlowError::TooLarge(format!("node {}'s supply with its arcs' lower bounds, {s}, is too large", u + 1))
        })?;
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_no_flow_can_mean() {
        let arc = |lower, cap| {
            let mut net = Network::with_nodes(2);
            net.add_bounded_arc(0, 1, lower, cap, 0);
            validate(&net)
        };
        assert_eq!(arc(0, -1), Err(FlowError::Malformed("arc 1 has negative capacity".into())));
        assert_eq!(arc(3, 2), Err(FlowError::Malformed("arc 1 has lower bound 3 outside 0..=2".into())));
        assert_eq!(arc(-1, 2), Err(FlowError::Malformed("arc 1 has lower bound -1 outside 0..=2".into())));
        assert_eq!(arc(2, 2), Ok(()));
        let mut net = Network::with_nodes(2);
        net.add_arc(0, 1, 1, 0);
        net.cost.pop();
        assert!(matches!(validate(&net), Err(FlowError::Malformed(why)) if why.contains("cost 0")));
        net.supply = vec![3, -2];
        net.cost.push(0);
        assert_eq!(validate(&net), Err(FlowError::Unbalanced { supply: 3, demand: 2 }));
    }

    #[test]
    fn lower_bounds_become_supplies() {
        let mut net = Network::with_nodes(3);
        net.supply = vec![5, 0, -5];
        net.add_bounded_arc(0, 1, 2, 6, 1);
        net.add_arc(1, 2, 9, 1);
        assert_eq!(without_lower_bounds(&Network::with_nodes(1)), Ok(None));
        let t = without_lower_bounds(&net).unwrap().unwrap();
        assert_eq!((t.supply, t.lower, t.capacity), (vec![3, 2, -5], vec![0, 0], vec![4, 9]));
        net.supply = vec![i64::MAX, i64::MIN + 1, 0];
        net.add_bounded_arc(2, 1, 0, 0, 0);
        net.lower[0] = 0;
        net.add_bounded_arc(2, 0, 1, 1, 0);
        assert!(matches!(without_lower_bounds(&net), Err(FlowError::TooLarge(_))));
    }
}
