//! Invariant checks run on every allocation before it is reported: capacities, budgets, caps, amounts and every
//! integer rule. A failure is an internal error ("please report"), never a wrong report.

use crate::error::{Error, Result};
use crate::graph::Graph;
use crate::model::{Batch, FundingMode};

use super::{Solution, Status, objective_of};

/// Checks every constraint of docs/spec.md §5 on `solution`, and that its objective is its own value.
///
/// The graph is checked as far as the allocation depends on it: every edge joins a need and an offer of the
/// batch, no pair appears twice (edges are strictly sorted by need, then offer), and the cap is checked against
/// the offer itself, not only against the edge's bound. The objective is recomputed from the amounts, so the
/// money that leaves the offers is exactly the money that reaches the needs and is what the report values.
pub fn verify(batch: &Batch, graph: &Graph, solution: &Solution) -> Result<()> {
    let fail = |what: String| Err(Error::internal(what));
    if solution.amounts.len() != graph.edges.len() {
        return fail(format!("{} amounts for {} edges", solution.amounts.len(), graph.edges.len()));
    }
    for (i, e) in graph.edges.iter().enumerate() {
        if e.need as usize >= batch.needs.len() || e.offer as usize >= batch.offers.len() {
            return fail(format!("edge {i} joins need {} and offer {}, outside the batch", e.need, e.offer));
        }
        if i > 0 && (graph.edges[i - 1].need, graph.edges[i - 1].offer) >= (e.need, e.offer) {
            return fail(format!("edge {i} ({}→{}) is out of order or repeated", e.need, e.offer));
        }
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
        if offer.cap_per_need.is_some_and(|c| x > c.get()) {
            return fail(format!("offer {} gives {x} to one need, above its cap", offer.id));
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
    if let Some(caps) = &graph.caps {
        if caps.requester_of.len() != batch.needs.len() {
            return fail(format!("{} needs with a requester for {} needs", caps.requester_of.len(), batch.needs.len()));
        }
        // Summed from the needs' own totals, so a cap is held against the money that really reaches them.
        let mut received = vec![0i128; caps.requesters()];
        for (n, need) in batch.needs.iter().enumerate() {
            let r = caps.requester_of[n] as usize;
            received[r] += need_total[n];
            if received[r] > i128::from(caps.limit[r]) {
                return fail(format!(
                    "requester {} receives {}, above its cap of {} (max_requester_share)",
                    need.requester_code, received[r], caps.limit[r]
                ));
            }
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
    if solution.status == Status::Optimal && solution.bound != solution.objective {
        return fail(format!(
            "status optimal with objective {} below the bound {}",
            solution.objective, solution.bound
        ));
    }
    Ok(())
}

/// Whether bare `amounts` keep every rule (the check of [`verify`], valued at their own objective): for the tests
/// of the heuristics that build allocations piece by piece.
#[cfg(test)]
pub(crate) fn keeps_every_rule(batch: &Batch, graph: &Graph, amounts: &[i64]) -> Result<()> {
    let value = objective_of(graph, amounts);
    let solution = Solution {
        amounts: amounts.to_vec(),
        objective: value,
        bound: value,
        relaxation: value,
        status: Status::NodeLimit,
        nodes: 0,
        work: 0,
    };
    verify(batch, graph, &solution)
}

/// Each test hands [`verify`] an allocation (or a graph) that breaks one rule and expects an internal error that
/// names it: this is how a solver bug would show, and these are the only ways it can show.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Reference;
    use crate::error::ErrorKind;
    use crate::graph;
    use crate::model::{Kind, Need, NeedId, Offer, OfferId, Requester, Usd};
    use crate::objective::Weights;
    use crate::solve::{Limits, Method, solve};

    fn need(id: &str, amount: i64) -> Need {
        let reference = Reference::embedded();
        let country = reference.country_by_code("BFA").unwrap();
        Need::plain(
            NeedId(id.to_string()),
            Requester::State(country),
            "BFA".to_string(),
            vec![reference.commitment_by_code("ITI-2a").unwrap()],
            [Kind::Equipment].into_iter().collect(),
            Usd(amount),
        )
    }

    fn offer(id: &str, envelope: i64) -> Offer {
        Offer::unrestricted(OfferId(id.to_string()), "NLD".to_string(), Usd(envelope))
    }

    /// Needs: N1 partial 100, N2 all-or-nothing 200, N3 partial 120 with min_award 50.
    /// Offers: CAP (envelope 1000, cap 150, floor 20, one award), SOLE (envelope 100, no co-finance),
    /// OPEN (envelope 1000, no rule).
    fn batch() -> Batch {
        let mut n2 = need("N2", 200);
        n2.funding_mode = FundingMode::AllOrNothing;
        let mut n3 = need("N3", 120);
        n3.min_award = Some(Usd(50));
        let mut cap = offer("CAP", 1000);
        cap.cap_per_need = Some(Usd(150));
        cap.floor_per_need = Some(Usd(20));
        cap.max_awards = Some(1);
        let mut sole = offer("SOLE", 100);
        sole.allow_cofinance = false;
        Batch { needs: vec![need("N1", 100), n2, n3], offers: vec![cap, sole, offer("OPEN", 1000)] }
    }

    struct Case {
        batch: Batch,
        graph: Graph,
    }

    impl Case {
        fn new() -> Case {
            let batch = batch();
            let graph = graph::build(&batch, Reference::embedded(), &Weights::default());
            Case { batch, graph }
        }

        /// The index of the edge from need `n` to offer `o`.
        fn edge(&self, n: &str, o: &str) -> usize {
            let ni = self.batch.needs.iter().position(|x| x.id.as_str() == n).unwrap() as u32;
            let oi = self.batch.offers.iter().position(|x| x.id.as_str() == o).unwrap() as u32;
            self.graph
                .edges
                .iter()
                .position(|e| (e.need, e.offer) == (ni, oi))
                .unwrap_or_else(|| panic!("no edge {n}→{o}"))
        }

        /// An allocation with `gifts` as (need, offer, amount), an exact objective and a loose bound, so that only
        /// the rule under test can fail.
        fn solution(&self, gifts: &[(&str, &str, i64)]) -> Solution {
            let mut amounts = vec![0; self.graph.edges.len()];
            for &(n, o, x) in gifts {
                amounts[self.edge(n, o)] = x;
            }
            let objective = objective_of(&self.graph, &amounts);
            Solution {
                amounts,
                objective,
                bound: i128::MAX,
                relaxation: i128::MAX,
                status: Status::NodeLimit,
                nodes: 1,
                work: 0,
            }
        }

        #[track_caller]
        fn refuses(&self, solution: &Solution, fragment: &str) {
            let err = verify(&self.batch, &self.graph, solution).expect_err("verify accepted a broken allocation");
            assert!(matches!(err.kind(), ErrorKind::Internal(_)), "{err:?}");
            assert_eq!(err.exit_code(), 1);
            let text = err.to_string();
            assert!(text.starts_with("internal error, please report: "), "{text}");
            assert!(text.contains(fragment), "{text:?} does not contain {fragment:?}");
        }
    }

    /// With `max_requester_share` the three needs of BFA (total envelopes 2100) may receive 210 together: 210
    /// passes, 211 spread over two needs is refused, and the solvers keep to it.
    #[test]
    fn an_allocation_over_a_requesters_cap_is_refused() {
        let mut case = Case::new();
        let weights =
            Weights { max_requester_share: crate::objective::RequesterShare::from_fraction(0.1), ..Weights::default() };
        case.graph = graph::build(&case.batch, Reference::embedded(), &weights);
        assert_eq!(case.graph.caps.as_ref().map(|c| c.limit.clone()), Some(vec![210]));
        verify(&case.batch, &case.graph, &case.solution(&[("N1", "OPEN", 100), ("N3", "OPEN", 110)])).unwrap();
        let over = case.solution(&[("N1", "OPEN", 100), ("N3", "OPEN", 111)]);
        case.refuses(&over, "requester BFA receives 211, above its cap of 210 (max_requester_share)");
        for method in [Method::Optimal, Method::Greedy] {
            let solution = solve(&case.batch, &case.graph, method, Limits::default()).unwrap();
            let total: i64 = solution.amounts.iter().sum();
            assert!(total <= 210, "{method:?} gives {total}");
        }
    }

    #[test]
    fn the_solvers_results_pass() {
        let case = Case::new();
        for method in [Method::Optimal, Method::Greedy] {
            let solution = solve(&case.batch, &case.graph, method, Limits::default()).unwrap();
            verify(&case.batch, &case.graph, &solution).unwrap();
        }
        // A hand-made allocation that keeps every rule.
        verify(
            &case.batch,
            &case.graph,
            &case.solution(&[("N1", "SOLE", 100), ("N2", "OPEN", 200), ("N3", "CAP", 60)]),
        )
        .unwrap();
    }

    #[test]
    fn amounts_outside_the_edge_are_refused() {
        let case = Case::new();
        case.refuses(&case.solution(&[("N1", "OPEN", -1)]), "outside 0..=");
        case.refuses(&case.solution(&[("N1", "OPEN", 101)]), "outside 0..=");
        let mut short = case.solution(&[]);
        short.amounts.pop();
        case.refuses(&short, "amounts for");
    }

    #[test]
    fn budgets_are_checked() {
        let case = Case::new();
        // Need amount: 60 + 60 > 100.
        case.refuses(&case.solution(&[("N1", "CAP", 60), ("N1", "OPEN", 60)]), "more than its amount");
        // Envelope: SOLE gives 100 + 60 > 100 (each to a need it funds alone).
        case.refuses(&case.solution(&[("N1", "SOLE", 100), ("N3", "SOLE", 60)]), "more than its envelope");
    }

    #[test]
    fn the_cap_is_checked_against_the_offer_not_only_the_edge() {
        let mut case = Case::new();
        let e = case.edge("N2", "CAP");
        case.graph.edges[e].upper = 200;
        case.refuses(&case.solution(&[("N2", "CAP", 200)]), "above its cap");
    }

    #[test]
    fn integer_rules_are_checked() {
        let case = Case::new();
        case.refuses(&case.solution(&[("N2", "OPEN", 150)]), "all-or-nothing need N2 gets 150 of 200");
        case.refuses(&case.solution(&[("N3", "OPEN", 30)]), "below its min_award");
        case.refuses(&case.solution(&[("N1", "CAP", 10)]), "below its floor");
        case.refuses(&case.solution(&[("N1", "CAP", 30), ("N3", "CAP", 60)]), "above max_awards");
        case.refuses(&case.solution(&[("N1", "SOLE", 50), ("N1", "OPEN", 30)]), "co-finances need N1");
    }

    #[test]
    fn the_objective_and_its_certificate_are_checked() {
        let case = Case::new();
        let mut s = case.solution(&[("N1", "OPEN", 100)]);
        s.objective += 1;
        case.refuses(&s, "differs from the allocation's");

        let mut s = case.solution(&[("N1", "OPEN", 100)]);
        s.bound = s.objective - 1;
        case.refuses(&s, "does not hold");

        let mut s = case.solution(&[("N1", "OPEN", 100)]);
        s.relaxation = s.bound - 1;
        case.refuses(&s, "does not hold");

        let mut s = case.solution(&[("N1", "OPEN", 100)]);
        s.status = Status::Optimal;
        s.bound = s.objective + 1;
        case.refuses(&s, "status optimal");
    }

    #[test]
    fn a_broken_graph_is_an_error_not_a_panic() {
        let mut case = Case::new();
        let s = case.solution(&[]);
        case.graph.edges[0].offer = 99;
        case.refuses(&s, "outside the batch");

        let mut case = Case::new();
        let s = case.solution(&[]);
        case.graph.edges[1] = case.graph.edges[0];
        case.refuses(&s, "out of order or repeated");
    }
}
