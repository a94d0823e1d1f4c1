//! Plunges: one broken rule at a time, taking the first side that loses no value (else the better side), along
//! the plain flows or the Lagrangian charged ones. Where the bound is the optimum, a plunge that keeps the value
//! stays among the relaxation's optima, where an optimal allocation lies.

use crate::error::Result;

use super::allocation::Allocation;

use super::node::{Decision, NodeOutcome};
use super::rules::Violation;
use super::search::Search;

impl<'a> Search<'a> {
    /// Plunging heuristic: from a node's flow, settles one broken rule at a time, taking the first side of the
    /// branch that loses no value, else the better side, and re-solving after each decision. When the bound is
    /// the optimum (as on most generated batches), an optimal allocation lies among the relaxation's equal-value
    /// optima, and a plunge that keeps the value stays among them.
    ///
    /// With `charged`, the plunge follows the flows under the Lagrangian charges of
    /// [`Lagrange`](super::lagrange::Lagrange) instead, and scores them by their Lagrangian bound: those flows already
    /// concentrate each max_awards offer on needs it can fill.
    pub(super) fn plunge(&self, decisions: &[Decision], charged: bool) -> Result<Option<Allocation>> {
        let lagrange = if charged { self.lagrange.as_ref() } else { None };
        if charged && lagrange.is_none() {
            return Ok(None);
        }
        let solve = |decisions: &[Decision]| -> Result<NodeOutcome> {
            let Some(l) = lagrange else { return self.solve_node(decisions) };
            let Some(fixing) = self.fixing(decisions) else { return Ok(NodeOutcome::Infeasible) };
            Ok(match self.solve_fixed(&l.costed, &fixing)? {
                None => NodeOutcome::Infeasible,
                Some(amounts) => NodeOutcome::Solved { value: l.bound(self.graph, &amounts, &fixing), amounts },
            })
        };
        let mut decisions = decisions.to_vec();
        let NodeOutcome::Solved { mut amounts, mut value } = solve(&decisions)? else { return Ok(None) };
        loop {
            if self.out_of_budget() {
                return Ok(None);
            }
            let Some(violation) = self.first_violation(&self.violations(&decisions, &amounts), &amounts) else {
                return Ok(Some(Allocation::of(self.graph, amounts)));
            };
            let mut best: Option<(i128, Decision, Vec<i64>)> = None;
            let mut children = self.plunge_order(violation, &amounts).to_vec();

            if let Violation::MaxAwards(e) = violation {
                // Which award to drop matters more than whether: try each one the offer makes, smallest first.
                let o = self.graph.edges[e as usize].offer as usize;
                let mut funded: Vec<u32> = self.layout.edges_of_offer[o]
                    .iter()
                    .copied()
                    .filter(|&f| amounts[f as usize] > 0 && !decisions.contains(&Decision::EdgeOn(f)))
                    .collect();
                funded.sort_by_key(|&f| (amounts[f as usize], f));
                children = funded.into_iter().map(Decision::EdgeOff).collect();
            }
            for child in children {
                if decisions.contains(&child) {
                    // Taken before and the rule is still broken: it cannot help again.
                    continue;
                }
                decisions.push(child);
                let outcome = solve(&decisions)?;
                decisions.pop();
                if let NodeOutcome::Solved { amounts: a, value: v } = outcome
                    && best.as_ref().is_none_or(|(b, _, _)| v > *b)
                {
                    let keeps = v == value;
                    best = Some((v, child, a));
                    if keeps {
                        break;
                    }
                }
            }
            let Some((v, child, a)) = best else { return Ok(None) };
            decisions.push(child);
            value = v;
            amounts = a;
        }
    }

    /// The sides of a branch in the order a plunge tries them: the side closer to the current flow first.
    pub(super) fn plunge_order(&self, violation: Violation, amounts: &[i64]) -> [Decision; 2] {
        let [on, off] = match self.branch(violation, amounts)[..] {
            [a, b] => [a, b],
            _ => unreachable!("every branch has two sides"),
        };
        let on_first = match violation {
            Violation::Need(n) => {
                let total: i64 = amounts[self.layout.edge_of_need[n as usize].clone()].iter().sum();
                total * 2 >= self.must_get(n as usize)
            }
            Violation::Floor(e) => {
                amounts[e as usize] * 2 >= self.layout.net.capacity[self.layout.edge_must[e as usize].unwrap_or(0)]
            }
            Violation::Cofinance(e) => {
                let n = self.graph.edges[e as usize].need as usize;
                let total: i64 = amounts[self.layout.edge_of_need[n].clone()].iter().sum();
                amounts[e as usize] * 2 >= total
            }
            Violation::MaxAwards(_) => false,
        };
        if on_first { [on, off] } else { [off, on] }
    }
}
