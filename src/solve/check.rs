//! Invariant checks run on every allocation before it is reported: capacities, budgets, caps, amounts and every
//! integer rule. A failure is an internal error ("please report"), never a wrong report.

use crate::error::{Error, Result};
use crate::graph::Graph;
use crate::model::{Batch, FundingMode};

use super::{Solution, objective_of};

/// Checks every constraint of SPEC §5 on `solution`, and that its objective is its own value.
pub fn verify(batch: &Batch, graph: &Graph, solution: &Solution) -> Result<()> {
    let fail = |what: String| Err(Error::internal(what));
    if solution.amounts.len() != graph.edges.len() {
        return fail(format!("{} amounts for {} edges", solution.amounts.len(), graph.edges.len()));
    }
    let mut need_total = vec![0i128; batch.needs.len()];
    let mut offer_total = vec![0i128; batch.offers.len()];
    let mut offer_awards = vec![0u64; batch.offers.len()];
    let mut need_funders = vec![0u32; batch.needs.len()];
    for (e, &x) in graph.edges.iter().zip(&solution.amounts) {
        if x < 0 || x > e.upper {
            return fail(format!("edge {}→{} carries {x}, outside 0..={}", e.need, e.offer, e.upper));
        }
        if x == 0 {
            continue;
        }
        let offer = &batch.offers[e.offer as usize];
        if offer.floor_per_need.is_some_and(|f| x < f.get()) {
            return fail(format!("offer {} gives {x} below its floor", offer.id));
        }
        need_total[e.need as usize] += i128::from(x);
        offer_total[e.offer as usize] += i128::from(x);
        offer_awards[e.offer as usize] += 1;
        need_funders[e.need as usize] += 1;
    }
    for (n, need) in batch.needs.iter().enumerate() {
        let t = need_total[n];
        if t > i128::from(need.amount.get()) {
            return fail(format!("need {} gets {t}, more than its amount", need.id));
        }
        if t > 0 && need.funding_mode == FundingMode::AllOrNothing && t != i128::from(need.amount.get()) {
            return fail(format!("all-or-nothing need {} gets {t} of {}", need.id, need.amount));
        }
        if t > 0 && need.min_award.is_some_and(|m| t < i128::from(m.get())) {
            return fail(format!("need {} gets {t}, below its min_award", need.id));
        }
    }
    for (o, offer) in batch.offers.iter().enumerate() {
        if offer_total[o] > i128::from(offer.envelope.get()) {
            return fail(format!("offer {} gives {}, more than its envelope", offer.id, offer_total[o]));
        }
        if offer.max_awards.is_some_and(|k| offer_awards[o] > u64::from(k)) {
            return fail(format!("offer {} makes {} awards, above max_awards", offer.id, offer_awards[o]));
        }
    }
    for (e, &x) in graph.edges.iter().zip(&solution.amounts) {
        if x > 0 && !batch.offers[e.offer as usize].allow_cofinance && need_funders[e.need as usize] > 1 {
            return fail(format!(
                "offer {} co-finances need {}",
                batch.offers[e.offer as usize].id, batch.needs[e.need as usize].id
            ));
        }
    }
    let objective = objective_of(graph, &solution.amounts);
    if objective != solution.objective {
        return fail(format!("reported objective {} differs from the allocation's {objective}", solution.objective));
    }
    if solution.bound < solution.objective || solution.relaxation < solution.bound {
        return fail(format!(
            "objective {} ≤ bound {} ≤ relaxation {} does not hold",
            solution.objective, solution.bound, solution.relaxation
        ));
    }
    Ok(())
}
