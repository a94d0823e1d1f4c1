//! Windows: neighbourhoods of the incumbent small enough to be batches of their own.
//!
//! The neighbourhoods of `neighbourhood.rs` fix the incumbent's structure outside a few offers, but every amount stays
//! free, so each node of their small search re-solves the whole network: on large batches a small search was slow, and
//! one round over the offers took longer than the time limit allows. A window fixes the amounts outside too. What is
//! left is a batch: the needs the chosen offers could fund, every offer that could fund them with what the incumbent
//! leaves of its envelope and of its max_awards outside, and their edges. Its allocations, with the incumbent's
//! outside, keep every rule of the whole batch (a need's rules and its co-funders are all inside or all outside; an
//! offer's envelope and awards are split between the two), and the incumbent's own allocation inside is one of them, so
//! a window's optimum is never worse. A window of a few thousand edges is searched by the whole solver, from the
//! incumbent's allocation inside: its exact relaxation and strong branching, at a node limit, often to a proof that
//! nothing better exists there.

use std::time::Instant;

use crate::error::Result;
use crate::model::Usd;
use crate::solve::components::Part;
use crate::solve::{Limits, Status, objective_of};

use rayon::prelude::*;

use super::allocation::Allocation;
use super::budget::Budget;
use super::node_lp::EXACT_RELAXATION_EDGES;
use super::policy::{Kind, Policy, WINDOW_EDGES};
use super::search::{Search, Shared};

/// What a window's search gave: a better allocation of the whole batch if it found one, whether it stopped
/// before proving its optimum, and its work: in re-solves of the whole network (for the neighbourhoods' share) and
/// in elementary steps (for the budget).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct WindowResult {
    pub(super) found: Option<Allocation>,
    pub(super) cut_short: bool,
    pub(super) work: u64,
    pub(super) operations: u64,
}

impl Search<'_> {
    /// The window of `incumbent` around `offers`: every need they could fund, with every edge of those needs
    /// whose offer has money and awards left after the incumbent's allocation outside. `None` when it has no edge
    /// or more than [`WINDOW_EDGES`] (counted before anything is copied).
    pub(super) fn window(&self, offers: &[usize], incumbent: &[i64]) -> Option<Part> {
        let (batch, graph) = (self.batch, self.graph);
        let mut inside = vec![false; batch.needs.len()];
        for &o in offers {
            for &e in &self.layout.edges_of_offer[o] {
                inside[graph.edges[e as usize].need as usize] = true;
            }
        }
        // What each offer spends, and how many needs it funds, outside the window.
        let mut spent = vec![0i64; batch.offers.len()];
        let mut awards = vec![0u32; batch.offers.len()];
        for (edge, &x) in graph.edges.iter().zip(incumbent) {
            if x > 0 && !inside[edge.need as usize] {
                spent[edge.offer as usize] += x;
                awards[edge.offer as usize] += 1;
            }
        }
        let left = |o: usize| batch.offers[o].envelope.get() - spent[o];
        let awards_left = |o: usize| batch.offers[o].max_awards.map(|k| k.saturating_sub(awards[o]));
        let usable = |o: usize| left(o) > 0 && awards_left(o) != Some(0);

        // Needs and offers keep the whole batch's order, so the window's edges stay sorted by (need, offer).
        let needs: Vec<usize> = (0..batch.needs.len()).filter(|&n| inside[n]).collect();
        let mut used = vec![false; batch.offers.len()];
        for &n in &needs {
            for edge in graph.edges_of(n) {
                used[edge.offer as usize] |= usable(edge.offer as usize);
            }
        }
        let edge_count: usize =
            needs.iter().map(|&n| graph.edges_of(n).iter().filter(|e| used[e.offer as usize]).count()).sum();
        if edge_count == 0 || edge_count > WINDOW_EDGES {
            return None;
        }
        let offers: Vec<usize> = (0..batch.offers.len()).filter(|&o| used[o]).collect();
        let offer_of = |o: usize| {
            let mut offer = batch.offers[o].clone();
            offer.envelope = Usd(left(o));
            offer.max_awards = awards_left(o);
            offer
        };
        let mut part =
            Part::select(batch, graph, &needs, &offers, offer_of, |edge| edge.upper.min(left(edge.offer as usize)));
        if let Some(caps) = &graph.caps {
            // A requester's cap in the window is what its needs outside leave of it (docs/spec.md §10).
            let mut outside = vec![0i64; caps.requesters()];
            for (edge, &x) in graph.edges.iter().zip(incumbent) {
                if !inside[edge.need as usize] {
                    outside[caps.requester_of[edge.need as usize] as usize] += x;
                }
            }
            part.graph.caps = Some(caps.select(&needs, |r| outside[r]));
        }
        Some(part)
    }
}

/// What searching a window needs of the whole search: its plain data, and what is left of its budget less what
/// the final polish keeps. Unlike the [`Search`], it can be shared between threads.
#[derive(Clone, Copy)]
pub(super) struct WindowScope<'s> {
    whole: Shared<'s>,
    /// The budget of each window's search, whose work counter starts at zero.
    budget: Budget,
}

impl Search<'_> {
    /// The scope in which this search's windows are searched.
    pub(super) fn window_scope(&self) -> WindowScope<'_> {
        let budget = self.budget.less(self.plain.slowest.get().times(2)).left_after(self.work());
        WindowScope { whole: self.shared(), budget }
    }
}

impl WindowScope<'_> {
    /// Searches the window `part` of `incumbent` for an allocation of the whole batch worth more than the
    /// incumbent, starting from the incumbent's allocation inside. It may spend about as much work as `budget`
    /// re-solves of the whole network (no node is started beyond that), and never goes past the whole search's
    /// budget.
    pub(super) fn search(&self, part: &Part, incumbent: &Allocation, budget: u64) -> Result<WindowResult> {
        let whole = self.whole.graph;
        let started = Instant::now();
        // (A window's search ignores the gap limit, as every search but the match's own does; its budget is the
        // scope's, set below.)
        let limits = Limits { node_limit: u64::MAX, ..Limits::default() };
        let window_solves = budget.saturating_mul(whole.edges.len() as u64) / part.graph.edges.len() as u64;
        let inside: Vec<i64> = part.edges.iter().map(|&e| incumbent.amounts[e]).collect();
        let start = Allocation::of(&part.graph, inside);
        let search = Search::new(&part.batch, &part.graph, self.budget)?;
        let policy = Policy::new(Kind::Window(window_solves), part.graph.edges.len(), &limits, EXACT_RELAXATION_EDGES);
        let finished = super::tree::run(search, None, limits, started, policy, Some(start))?;
        let operations = finished.solution.work;
        // The window's re-solves, each about as much cheaper than the whole network's as it has fewer edges.
        let work = (finished.solves * part.graph.edges.len() as u64).div_ceil(whole.edges.len().max(1) as u64);
        let solution = finished.solution;
        let mut amounts = incumbent.amounts.clone();
        for (&e, &x) in part.edges.iter().zip(&solution.amounts) {
            amounts[e] = x;
        }
        let value = objective_of(whole, &amounts);
        let found = (value > incumbent.value).then(|| self.whole.improve(Allocation { value, amounts }));
        Ok(WindowResult { found, cut_short: solution.status != Status::Optimal, work: work.max(1), operations })
    }

    /// Searches each of `parts` as [`WindowScope::search`] does, side by side on the rayon pool, and returns
    /// their results in the order of `parts`. Each window's search is on its own simplexes and reads only what it
    /// is given, so the results do not depend on the number of threads.
    pub(super) fn search_all(&self, parts: &[Part], incumbent: &Allocation, budget: u64) -> Vec<Result<WindowResult>> {
        parts.par_iter().map(|part| self.search(part, incumbent, budget)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::allocation::Allocation;

    use super::super::search::Search;
    use crate::solve::greedy;
    use crate::solve::{Solution, Status, check, objective_of};

    fn certified(amounts: Vec<i64>, objective: i128) -> Solution {
        Solution {
            amounts,
            objective,
            bound: i128::MAX,
            relaxation: i128::MAX,
            status: Status::Heuristic,
            nodes: 0,
            work: 0,
        }
    }

    /// The incumbent's allocation inside a window keeps every rule of the window's batch (so the window's search
    /// starts from it and can only improve on it), and what a window's search returns keeps every rule of the
    /// whole batch and is worth more than the incumbent.
    #[test]
    fn windows_hold_the_incumbent_and_their_results_keep_every_rule() {
        let mut improved = 0;
        for seed in 1..=3 {
            let (batch, graph) = crate::solve::generated(150, 15, seed);
            let search = Search::new(&batch, &graph, super::super::budget::Budget::unlimited()).unwrap();
            let start = greedy::allocate(&batch, &graph);
            let incumbent = Allocation::of(&graph, start);
            for o in 0..batch.offers.len() {
                let Some(part) = search.window(&[o], &incumbent.amounts) else { continue };
                let inside: Vec<i64> = part.edges.iter().map(|&e| incumbent.amounts[e]).collect();
                let value = objective_of(&part.graph, &inside);
                check::verify(&part.batch, &part.graph, &certified(inside, value))
                    .unwrap_or_else(|e| panic!("seed {seed}, offer {o}: the incumbent breaks its window: {e}"));
                let result = search.window_scope().search(&part, &incumbent, 200).unwrap();
                assert!(result.work > 0);
                if let Some(Allocation { value, amounts }) = result.found {
                    assert!(value > incumbent.value, "seed {seed}, offer {o}: {value} is no better");
                    assert_eq!(value, objective_of(&graph, &amounts));
                    check::verify(&batch, &graph, &certified(amounts, value))
                        .unwrap_or_else(|e| panic!("seed {seed}, offer {o}: a window's result breaks a rule: {e}"));
                    improved += 1;
                }
            }
        }
        assert!(improved > 0, "no window improved the greedy allocation: the test checks nothing");
    }

    /// Windows searched side by side give what each gives searched alone, in the order given, whatever the number
    /// of threads: each works on simplexes of its own.
    #[test]
    fn windows_side_by_side_give_what_each_gives_alone() {
        let (batch, graph) = crate::solve::generated(150, 15, 2);
        let search = Search::new(&batch, &graph, super::super::budget::Budget::unlimited()).unwrap();
        let start = greedy::allocate(&batch, &graph);
        let incumbent = Allocation::of(&graph, start);
        let parts: Vec<_> = (0..batch.offers.len()).filter_map(|o| search.window(&[o], &incumbent.amounts)).collect();
        assert!(parts.len() >= 4, "too few windows: {}", parts.len());
        let scope = search.window_scope();
        let alone: Vec<_> = parts.iter().map(|part| scope.search(part, &incumbent, 100).unwrap()).collect();
        assert!(alone.iter().any(|r| r.found.is_some()), "no window finds anything: the test checks little");
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let together: Vec<_> = pool
                .install(|| scope.search_all(&parts, &incumbent, 100))
                .into_iter()
                .map(|result| result.unwrap())
                .collect();
            assert_eq!(together, alone, "{threads} threads");
        }
    }
}
