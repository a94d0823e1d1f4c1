//! Neighbourhood search around the incumbent, in the last share of a search stopped by its budget.
//!
//! Where the bound is already the optimum, or nearly, what is missing is an allocation, and the tree does not
//! find it: values repeat, so the relaxation of thousands of nodes keeps the same value while money moves between
//! needs of equal worth. A neighbourhood fixes the incumbent's structure (which needs are funded, which awards
//! are made) everywhere except around one offer that leaves money unspent: its awards and the rules of every need
//! it could fund are left free, and a small branch and bound explores what is left. The case in point: an
//! incumbent that leaves part of a floored, non-co-financing offer unspent, which only another set of its awards
//! can spend; SCIP finds such optima with its crossover heuristic, a search of the same kind.
//!
//! Three kinds of neighbourhood ([`Around`]), searched in rounds:
//! - around the relaxation (`Guide`): every rule that the root's relaxed flow and the incumbent settle alike is
//!   settled so, the rest left free ("relaxation induced neighbourhood search"); first in a round, unless it
//!   found nothing lately ([`Backoff`]). On large batches one such search can move the incumbent further than
//!   many rounds of the offers' neighbourhoods;
//! - around one offer (`Offer`), as above; where that leaves at most `WINDOW_EDGES` pairs free, as a window
//!   (`window.rs`): the amounts outside fixed too, a batch of its own, searched by the whole solver. Most windows
//!   of a stuck incumbent are proved to hold nothing better at their root, at a small fraction of what a search in
//!   place costs;
//! - around an offer and its rival (`WithRival`, [`Search::rival`]), last in a round: what one offer's neighbourhood
//!   cannot do is trade awards with the offer that funds the same needs.
//!
//! The neighbourhoods run in phases ([`Neighbourhoods`]): during the tree of a large search, whenever its best open
//! bound has not moved for `STALL_NODES` nodes or its tree has spent `PHASE_EVERY_SOLVES` re-solves since the last
//! phase, for at most `NEIGHBOURHOOD_WORK` times the re-solves the tree has spent (the windows' work counted as
//! searches in place would have cost it) and until a round finds nothing; and in the last share of the budget.
//! On large generated batches the bound is mostly the plain flow's from the root on, and even a long tree search
//! did not improve the root's incumbent there; the neighbourhoods reached the bound, and so proved it, in a small
//! part of that time.
//!
//! Neighbourhoods are searched two at a time, around the same incumbent: windows side by side on the rayon pool
//! (`WindowScope::search_all`), and in place one on the search and the next on its helper, a copy of the search
//! with simplexes of its own ([`Neighbourhoods::helper_for`]). Their results are taken in queue order, each where
//! it beats the incumbent as it then stands. Two at a time whatever the number of threads, so the rounds are the
//! same on one thread and on two.

use std::collections::BinaryHeap;

use super::allocation::Allocation;
use super::node::{Decision, Node, NodeOutcome};
use super::policy::{REPAIR_EVERY, WINDOW_EDGES};
use super::search::Search;
use crate::error::Result;
use crate::solve::progress::Observer;

/// The nodes of each neighbourhood's search in the first round; every round that finds nothing doubles it.
pub(super) const NEIGHBOURHOOD_NODES: u64 = 500;

impl Search<'_> {
    /// The incumbent's structure (every need rule and every award rule settled as `incumbent` settles it) except
    /// around the offers `around`: their awards and the rules of every need they could fund are left free.
    pub(super) fn around_offers(
        &self,
        base: &[Decision],
        around: &[usize],
        incumbent: &[i64],
    ) -> Option<Vec<Decision>> {
        let mut free_need = vec![false; self.batch.needs.len()];
        let mut free_offer = vec![false; self.batch.offers.len()];
        for &o in around {
            free_offer[o] = true;
            for &e in &self.layout.edges_of_offer[o] {
                free_need[self.graph.edges[e as usize].need as usize] = true;
            }
        }
        let edge_free = |e: usize| {
            let edge = &self.graph.edges[e];
            free_offer[edge.offer as usize] || free_need[edge.need as usize]
        };
        self.settled_as(base, incumbent, |n| !free_need[n], |e| !edge_free(e))
    }

    /// The incumbent's structure where the `guide` (a relaxed flow) agrees with it, and nothing else: every need
    /// rule and every award rule that both settle the same way is settled so, the rest is left free ("relaxation
    /// induced neighbourhood search"). Where the two agree, the optimum is likely to agree too.
    pub(super) fn where_guide_agrees(
        &self,
        base: &[Decision],
        incumbent: &[i64],
        guide: &[i64],
    ) -> Option<Vec<Decision>> {
        let totals = self.need_totals(incumbent);
        let guide_totals = self.need_totals(guide);
        self.settled_as(
            base,
            incumbent,
            |n| (totals[n] == 0) == (guide_totals[n] == 0),
            |e| (incumbent[e] == 0) == (guide[e] == 0),
        )
    }

    /// `base` with the rule of every need `n` where `settle_need(n)`, and of every edge `e` where `settle_edge(e)`,
    /// settled as `incumbent` settles it: a need off or on as it gets nothing or something, an edge off, on or
    /// exclusive (an offer that cannot co-finance) as it carries nothing or something. `None` if they disagree
    /// with `base`.
    fn settled_as(
        &self,
        base: &[Decision],
        incumbent: &[i64],
        settle_need: impl Fn(usize) -> bool,
        settle_edge: impl Fn(usize) -> bool,
    ) -> Option<Vec<Decision>> {
        let totals = self.need_totals(incumbent);
        let mut decisions = base.to_vec();
        for (n, &total) in totals.iter().enumerate() {
            if self.layout.need_must[n].is_none() || !settle_need(n) {
                continue;
            }
            decisions.push(if total == 0 { Decision::NeedOff(n as u32) } else { Decision::NeedOn(n as u32) });
        }
        for (e, edge) in self.graph.edges.iter().enumerate() {
            if self.layout.edge_must[e].is_none() || !settle_edge(e) {
                continue;
            }
            let offer = &self.batch.offers[edge.offer as usize];
            decisions.push(match (incumbent[e], offer.allow_cofinance) {
                (0, _) => Decision::EdgeOff(e as u32),
                (_, true) => Decision::EdgeOn(e as u32),
                (_, false) => Decision::Exclusive(e as u32),
            });
        }
        self.fixing(&decisions)?;
        Some(decisions)
    }

    /// The offer that competes most with `o` in `incumbent`: the one, other than `o`, that puts the most money
    /// into needs `o` could fund (none if no other offer funds them).
    pub(super) fn rival(&self, o: usize, incumbent: &[i64]) -> Option<usize> {
        let mut money = vec![0i64; self.batch.offers.len()];
        for &e in &self.layout.edges_of_offer[o] {
            let need = self.graph.edges[e as usize].need as usize;
            let edges = self.layout.edge_of_need[need].clone();
            for (edge, &x) in self.graph.edges[edges.clone()].iter().zip(&incumbent[edges]) {
                money[edge.offer as usize] += x;
            }
        }
        money[o] = 0;
        let (best, &most) = money.iter().enumerate().max_by_key(|&(p, &m)| (m, std::cmp::Reverse(p)))?;
        (most > 0).then_some(best)
    }

    /// The offers whose neighbourhoods to search, in order. With a `guide` (the root's relaxed flow), by what the
    /// guide earns on their edges beyond the incumbent, most first: where the relaxation spends an offer's money
    /// better, its neighbourhood has the most to find. Then (and without a guide, only) by what the incumbent
    /// leaves of their envelope unspent, most first. Offers that neither gain nor leave money are left out,
    /// unless `every` (then they come last, in offer order).
    pub(super) fn offers_to_search(&self, incumbent: &[i64], guide: Option<&[i64]>, every: bool) -> Vec<usize> {
        let mut order: Vec<(i128, i64, usize)> = (0..self.batch.offers.len())
            .filter_map(|o| {
                let edges = &self.layout.edges_of_offer[o];
                let spent: i64 = edges.iter().map(|&e| incumbent[e as usize]).sum();
                let left = self.batch.offers[o].envelope.get() - spent;
                let gain: i128 = guide.map_or(0, |guide| {
                    let value = |e: usize| i128::from(self.graph.edges[e].value);
                    edges
                        .iter()
                        .map(|&e| i128::from(guide[e as usize] - incumbent[e as usize]) * value(e as usize))
                        .sum()
                });
                ((left > 0 || gain > 0 || every) && !edges.is_empty()).then_some((gain, left, o))
            })
            .collect();
        order.sort_by_key(|&(gain, left, o)| (std::cmp::Reverse(gain), std::cmp::Reverse(left), o));
        order.into_iter().map(|(_, _, o)| o).collect()
    }

    /// A small best-first branch and bound below `root` (at most `budget` nodes, plain flow bounds, the first
    /// broken rule branched on), looking for an allocation worth more than `cutoff`. Returns the best it finds,
    /// and whether the budget or the time cut it short (else nothing better exists below `root`).
    #[allow(clippy::type_complexity)]
    pub(super) fn small_search(
        &self,
        root: Vec<Decision>,
        cutoff: i128,
        budget: u64,
    ) -> Result<(Option<Allocation>, bool)> {
        let mut best: Option<Allocation> = None;
        let mut best_value = cutoff;
        let mut open = BinaryHeap::new();
        open.push(Node { bound: i128::MAX, seq: 0, decisions: root, solved: None, broken: 0 });
        let mut seq = 1;
        let mut nodes = 0;
        while let Some(node) = open.pop() {
            if node.bound <= best_value {
                return Ok((best, false));
            }
            if nodes >= budget || !self.time_for_a_solve() {
                return Ok((best, true));
            }
            nodes += 1;
            let NodeOutcome::Solved { amounts, value } = self.solve_node(&node.decisions)? else { continue };
            let bound = node.bound.min(self.rounded(value));
            if bound <= best_value {
                continue;
            }
            let broken = self.violations(&node.decisions, &amounts);
            let Some(violation) = self.first_violation(&broken, &amounts) else {
                let found = self.improve(Allocation { value, amounts });
                best_value = found.value;
                best = Some(found);
                continue;
            };
            // Repaired as often as the main search repairs its nodes.
            if nodes % REPAIR_EVERY == 1
                && let Some(found) = self.repair(amounts.clone())?.map(|found| self.improve(found))
                && found.value > best_value
            {
                best_value = found.value;
                best = Some(found);
            }
            for child in self.branch(violation, &amounts) {
                let mut decisions = node.decisions.clone();
                decisions.push(child);
                open.push(Node { bound, seq, decisions, solved: None, broken: broken.len() });
                seq += 1;
            }
        }
        Ok((best, false))
    }

    /// Whether a re-solve (the costliest so far, twice over) still fits in the budget: what is left after it is
    /// the final polish's (see [`Search::polish`]).
    fn time_for_a_solve(&self) -> bool {
        self.room_for_solves(2)
    }
}

/// The neighbourhood search of one match, across its phases: a phase that runs out of its share of the work
/// leaves the round where it is, and the next phase goes on from there.
pub(super) struct Neighbourhoods<'a> {
    /// The root's decisions, which every neighbourhood keeps.
    base: Vec<Decision>,
    /// The root's relaxed flow, once solved: it orders the offers ([`Search::offers_to_search`]).
    pub(super) guide: Option<Vec<i64>>,
    /// Where the rounds around the current incumbent stand.
    rounds: Rounds,
    /// How the guide's neighbourhood has fared: after `failures` searches in a row that found nothing, it sits
    /// out `skip` more rounds (2^failures − 1 in all), since each of its searches costs as much as a whole
    /// budget of large re-solves.
    guided: Backoff,
    /// The re-solves spent so far, to keep the neighbourhoods' share of a search's work: those on the search's
    /// own simplexes, and the windows' work (counted as a search in place would have cost).
    pub(super) solves: u64,
    /// The re-solves of the search's own simplexes among them (windows and the helper run on simplexes of their
    /// own), so that the tree's are the search's count less these.
    pub(super) in_place: u64,
    /// A copy of the search, on simplexes of its own, that searches every other neighbourhood in place beside the
    /// search's own, and half the candidates of wide strong branching (see [`Neighbourhoods::helper_for`]).
    helper: Option<Search<'a>>,
    /// The re-solves of the tree's strong branching on the helper: tree work, not the neighbourhoods'.
    pub(super) tree_on_helper: u64,
}

/// The rounds around one incumbent; a better incumbent (from the tree or from a neighbourhood) starts them over.
struct Rounds {
    /// The incumbent value they search around.
    around: i128,
    /// The nodes of each small search in this round.
    budget: u64,
    /// Whether this round takes every offer, those that spend all their money too.
    every: bool,
    /// The neighbourhoods of this round still to search (the next one last), once the round has started.
    queue: Option<Vec<Around>>,
    /// Whether a search of this round was cut short by its budget.
    cut_short: bool,
    /// Every neighbourhood of the incumbent has been searched to the end: nothing more to find around it.
    exhausted: bool,
}

/// Failures in a row, and the rounds still to sit out.
#[derive(Default)]
struct Backoff {
    failures: u32,
    skip: u32,
}

impl Backoff {
    /// Whether to search in this round (each call is one round).
    fn take_part(&mut self) -> bool {
        let now = self.skip == 0;
        self.skip = self.skip.saturating_sub(1);
        now
    }

    fn record(&mut self, found: bool) {
        self.failures = if found { 0 } else { (self.failures + 1).min(GUIDE_BACKOFF_MAX) };
        self.skip = (1 << self.failures) - 1;
    }
}

/// At most 2^6 − 1 rounds without the guide's neighbourhood.
const GUIDE_BACKOFF_MAX: u32 = 6;

/// Windows searched side by side (`WindowScope::search_all`): the two cores of the machines this is made for.
/// It is a fixed count, not the number of threads, so that the rounds are the same on any number of threads.
/// When one window finds a better allocation, the others' work was spent on the old incumbent (what they found
/// still counts where it beats the new one), but most windows of a stalled incumbent find nothing, so little
/// work is lost that way.
const WINDOWS_AT_ONCE: usize = 2;

/// The largest search (in edges) with a helper (a copy of the search) for its neighbourhoods in place, its wide
/// strong branching and its root's plunges: a copy doubles the memory of the search network, too much to pay on
/// batches of millions of pairs; below this size the copy is small beside the rest of the run (BENCHMARKS.md,
/// Memory).
pub(super) const HELPER_EDGES: usize = 100_000;

/// See [`Neighbourhoods::helper_for`] (a function of the field, so that `explore` can call it while it holds
/// the rounds).
fn helper_of<'h, 'a>(helper: &'h mut Option<Search<'a>>, search: &Search<'a>) -> Option<&'h mut Search<'a>> {
    if search.graph.edges.len() > HELPER_EDGES {
        return None;
    }
    if helper.as_ref().is_none_or(|helper| !helper.bounds_alike(search)) {
        *helper = Some(search.helper());
    }
    helper.as_mut()
}

/// Makes `found` the incumbent if it is better, and reports it to `observer`; whether it was.
fn take_if_better(
    around: Around,
    budget: u64,
    found: Option<Allocation>,
    incumbent: &mut Allocation,
    observer: Option<&dyn Observer>,
) -> bool {
    match found {
        Some(found) if found.value > incumbent.value => {
            trace!("neighbourhood {around:?} ({budget} nodes): {}", found.value);
            if let Some(observer) = observer {
                observer.incumbent(found.value);
            }
            *incumbent = found;
            true
        }
        _ => false,
    }
}

/// What a neighbourhood leaves free.
#[derive(Debug, Clone, Copy)]
enum Around {
    /// Whatever the guide and the incumbent settle differently ([`Search::where_guide_agrees`]).
    Guide,
    /// The awards of one offer and the needs it could fund ([`Search::around_offers`]).
    Offer(usize),
    /// The same for an offer and its rival ([`Search::rival`], found when the neighbourhood's turn comes: most
    /// rounds end, with a better incumbent, before they reach these).
    WithRival(usize),
}

impl Rounds {
    fn around(value: i128) -> Rounds {
        Rounds {
            around: value,
            budget: NEIGHBOURHOOD_NODES,
            every: false,
            queue: None,
            cut_short: false,
            exhausted: false,
        }
    }
}

impl<'a> Neighbourhoods<'a> {
    /// Neighbourhoods that keep the root's decisions `base`, with no guide yet.
    pub(super) fn new(base: Vec<Decision>) -> Neighbourhoods<'a> {
        Neighbourhoods {
            base,
            guide: None,
            rounds: Rounds::around(i128::MIN),
            guided: Backoff::default(),
            solves: 0,
            in_place: 0,
            helper: None,
            tree_on_helper: 0,
        }
    }

    /// The helper of `search`: a copy of it made when first needed (and again if the search's Lagrangian
    /// charges have changed since), which then keeps its own simplexes. Its work depends only on what it is given
    /// to do, never on the number of threads. `None` beyond [`HELPER_EDGES`].
    pub(super) fn helper_for(&mut self, search: &Search<'a>) -> Option<&mut Search<'a>> {
        helper_of(&mut self.helper, search)
    }

    /// Searches neighbourhoods around the incumbent (the guide's, then [`Search::around_offers`] for each offer of
    /// [`Search::offers_to_search`], as a window where it is small enough, then for each with its rival), each
    /// explored by [`Search::small_search`] or as a window (`WindowScope::search`). A better allocation starts a new
    /// round around it, with the first budget again; a round that finds nothing is searched again twice as far,
    /// unless every search of it was complete: then the next round takes every offer, those that spend all their
    /// money too, and after such a round the incumbent's neighbourhoods are exhausted. (Where even the optimum
    /// leaves money in some offers, the neighbourhoods of the offers with money left can find nothing and end the
    /// search early with a wider gap; with every offer it uses the time and ends with a smaller one.)
    ///
    /// Stops when the incumbent reaches `top` (the best open bound: proved optimal; or, with a gap limit, the
    /// least objective it accepts below that bound), at the end of the budget (leaving room for the polish), when the
    /// neighbourhoods are exhausted, or, with `until_solves` (a phase during the tree), once they have spent that
    /// many re-solves in all (checked between small searches) or at the end of a round that found nothing.
    pub(super) fn explore(
        &mut self,
        search: &mut Search<'a>,
        top: i128,
        incumbent: &mut Allocation,
        until_solves: Option<u64>,
    ) -> Result<()> {
        let phase_start = self.solves;
        loop {
            if let Some(observer) = search.observer {
                observer.work(search.work());
            }
            if incumbent.value != self.rounds.around {
                self.rounds = Rounds::around(incumbent.value);
            }
            let rounds = &mut self.rounds;
            if rounds.exhausted
                || incumbent.value >= top
                || !search.time_for_a_solve()
                || until_solves.is_some_and(|until| self.solves >= until)
            {
                return Ok(());
            }
            let guide = self.guide.as_deref();
            let guided = &mut self.guided;
            let queue = rounds.queue.get_or_insert_with(|| {
                let offers = search.offers_to_search(&incumbent.amounts, guide, rounds.every);
                let mut queue: Vec<Around> = guide
                    .filter(|_| guided.take_part())
                    .map(|_| Around::Guide)
                    .into_iter()
                    .chain(offers.iter().map(|&o| Around::Offer(o)))
                    .chain(offers.iter().map(|&o| Around::WithRival(o)))
                    .collect();
                queue.reverse();
                queue
            });
            let Some(around) = queue.pop() else {
                // The round is over.
                rounds.queue = None;
                if rounds.cut_short {
                    rounds.budget = rounds.budget.saturating_mul(2);
                    rounds.cut_short = false;
                } else if rounds.every {
                    rounds.exhausted = true;
                } else {
                    rounds.every = true;
                }
                // A phase during the tree ends with a round that found nothing (if it searched anything), and
                // gives the time back to the tree: the next phase goes on from there. A phase that goes on after
                // it has found the optimum takes the time the tree needs to prove it.
                if until_solves.is_some() && self.solves > phase_start {
                    return Ok(());
                }
                continue;
            };
            // Searches with the exact relaxation keep their neighbourhoods in place: a small batch proved by its
            // last neighbourhoods in place was not proved with windows.
            let window_of = |around: Around| match around {
                _ if search.graph.edges.len() <= WINDOW_EDGES => None,
                Around::Offer(o) => search.window(&[o], &incumbent.amounts),
                // An offer and its rival are searched in place, with every amount free: as windows they found
                // less (large batches that are proved this way were no longer proved).
                Around::WithRival(_) | Around::Guide => None,
            };
            if let Some(window) = window_of(around) {
                // This window and those next in the queue, up to `WINDOWS_AT_ONCE`, are searched side by side
                // around the same incumbent.
                let mut arounds = vec![around];
                let mut parts = vec![window];
                while parts.len() < WINDOWS_AT_ONCE
                    && let Some(&next) = queue.last()
                    && let Some(window) = window_of(next)
                {
                    queue.pop();
                    arounds.push(next);
                    parts.push(window);
                }
                let results = search.window_scope().search_all(&parts, incumbent, rounds.budget);
                // Side by side, the windows take as long as the longest of them (see `Search::absorb`).
                let longest = results.iter().flatten().map(|result| result.operations).max().unwrap_or(0);
                search.borrow_work(longest);
                for (around, result) in arounds.into_iter().zip(results) {
                    let result = result?;
                    self.solves += result.work;
                    rounds.cut_short |= result.cut_short;
                    take_if_better(around, rounds.budget, result.found, incumbent, search.observer);
                }
                continue;
            }
            let root_of = |around: Around| match around {
                Around::Guide => {
                    guide.and_then(|guide| search.where_guide_agrees(&self.base, &incumbent.amounts, guide))
                }
                Around::Offer(o) => search.around_offers(&self.base, &[o], &incumbent.amounts),
                Around::WithRival(o) => search
                    .rival(o, &incumbent.amounts)
                    .and_then(|p| search.around_offers(&self.base, &[o, p], &incumbent.amounts)),
            };
            let Some(root) = root_of(around) else { continue };
            // The next neighbourhood in place, if any, is searched at the same time on the helper, around the
            // same incumbent.
            let mut second = None;
            let helper = helper_of(&mut self.helper, search);
            if helper.is_some()
                && let Some(&next) = queue.last()
                && window_of(next).is_none()
            {
                queue.pop();
                second = root_of(next).map(|root| (next, root));
            }
            let (cutoff, budget) = (incumbent.value, rounds.budget);
            let before = search.solves();
            let (first, second) = match (second, helper) {
                (Some((next, next_root)), Some(helper)) => {
                    let (helper_before, helper_work) = (helper.solves(), helper.catch_up(search));
                    // (Each side takes its search by `&mut`: a search is not shared between threads.)
                    let (main, lane) = (&mut *search, &mut *helper);
                    let (first, second) = rayon::join(
                        move || main.small_search(root, cutoff, budget),
                        move || lane.small_search(next_root, cutoff, budget),
                    );
                    search.absorb(helper, helper_work);
                    self.solves += helper.solves() - helper_before;
                    (first, Some((next, second)))
                }
                _ => (search.small_search(root, cutoff, budget), None),
            };
            let spent = search.solves() - before;
            self.in_place += spent;
            self.solves += spent;
            for (around, result) in std::iter::once((around, first)).chain(second) {
                let (found, cut) = result?;
                rounds.cut_short |= cut;
                let better = take_if_better(around, budget, found, incumbent, search.observer);
                if let Around::Guide = around {
                    self.guided.record(better);
                }
            }
        }
    }

    /// Whether every neighbourhood of the incumbent has been searched to the end.
    #[cfg(test)]
    fn exhausted(&self) -> bool {
        self.rounds.exhausted
    }
}

#[cfg(test)]
mod tests {
    use super::super::allocation::Allocation;

    use super::super::search::Search;
    use super::{Backoff, GUIDE_BACKOFF_MAX, Neighbourhoods};
    use crate::solve::{Solution, Status, greedy};
    use crate::solve::{check, objective_of};

    /// Every neighbourhood contains the allocation it is built around (so its search can only improve on it), and
    /// what the neighbourhoods return (within 2 000 re-solves: with pairs, whose searches are often cut short, the
    /// rounds run long before they are exhausted) keeps every rule and is worth at least the allocation they
    /// started from.
    #[test]
    fn neighbourhoods_contain_the_incumbent_and_only_improve_it() {
        let mut searched = 0;
        for seed in 1..=3 {
            let (batch, graph) = crate::solve::generated(150, 15, seed);
            let mut search = Search::new(&batch, &graph, super::super::budget::Budget::unlimited()).unwrap();
            let root = search.root_decisions();
            let start = greedy::allocate(&batch, &graph);
            let start_value = objective_of(&graph, &start);
            for o in search.offers_to_search(&start, None, false) {
                let decisions =
                    search.around_offers(&root, &[o], &start).expect("the greedy allocation agrees with itself");
                let (found, _) = search.small_search(decisions, start_value - 1, 50).unwrap();
                let Allocation { value, .. } =
                    found.unwrap_or_else(|| panic!("seed {seed}, offer {o}: the incumbent is not inside"));
                assert!(value >= start_value, "seed {seed}, offer {o}: {value} < {start_value}");
                searched += 1;
            }
            let mut incumbent = Allocation { value: start_value, amounts: start.clone() };
            Neighbourhoods::new(root).explore(&mut search, i128::MAX, &mut incumbent, Some(2_000)).unwrap();
            assert!(incumbent.value >= start_value);
            let solution = Solution {
                objective: incumbent.value,
                bound: i128::MAX,
                relaxation: i128::MAX,
                status: Status::Heuristic,
                nodes: 0,
                work: 0,
                amounts: incumbent.amounts,
            };
            check::verify(&batch, &graph, &solution).unwrap();
        }
        assert!(searched >= 3, "too few offers with money left: {searched}");
    }

    /// Phases in shares of work: a phase stops once the neighbourhoods have spent the re-solves it allows (checked
    /// between small searches) or at the end of a round that found nothing, the next goes on from there, and
    /// phases of any sizes end where one phase with no limit ends, since the rounds only depend on the incumbent
    /// and the counts.
    #[test]
    fn phases_keep_their_share_and_resume_where_they_stopped() {
        let (batch, graph) = crate::solve::generated(150, 15, 2);
        // A search each, so that both start from the same simplex basis.
        let new_search = || Search::new(&batch, &graph, super::super::budget::Budget::unlimited()).unwrap();
        let mut search = new_search();
        let root = search.root_decisions();
        let start = greedy::allocate(&batch, &graph);
        let start = Allocation::of(&graph, start);

        let mut whole = start.clone();
        let mut unlimited = Neighbourhoods::new(root.clone());
        unlimited.explore(&mut search, i128::MAX, &mut whole, None).unwrap();
        assert!(
            whole.value > start.value,
            "the test wants a batch where the neighbourhoods improve the greedy allocation"
        );
        let mut search = new_search();
        assert!(unlimited.exhausted(), "without a limit the rounds run until nothing is left to search");
        assert!(unlimited.solves > 0);

        let mut phased = start.clone();
        let mut neighbourhoods = Neighbourhoods::new(root);
        neighbourhoods.explore(&mut search, i128::MAX, &mut phased, Some(0)).unwrap();
        assert_eq!((neighbourhoods.solves, &phased), (0, &start), "a phase with no share does nothing");
        let mut phases = 0;
        while !neighbourhoods.exhausted() {
            assert!(phases < 10_000, "the phases do not end");
            let allowed = neighbourhoods.solves + 25;
            let before = neighbourhoods.solves;
            neighbourhoods.explore(&mut search, i128::MAX, &mut phased, Some(allowed)).unwrap();
            // (A phase may only find that the rounds are over.)
            assert!(neighbourhoods.solves > before || neighbourhoods.exhausted(), "phase {phases} made no progress");
            let round_over = neighbourhoods.rounds.queue.is_none();
            assert!(neighbourhoods.exhausted() || neighbourhoods.solves >= allowed || round_over);
            phases += 1;
        }
        assert!(phases > 1, "the share was never reached: {} re-solves in all", neighbourhoods.solves);
        assert_eq!(phased, whole, "phases end where one unlimited search ends");
        assert_eq!(neighbourhoods.solves, unlimited.solves);
    }

    /// Neighbourhoods in place are searched two at a time, on the search and on its helper, and each side keeps
    /// its own simplex: on one thread and on two they end with the same allocation after the same work.
    #[test]
    fn neighbourhoods_side_by_side_end_alike_on_one_and_two_threads() {
        let (batch, graph) = crate::solve::generated(150, 15, 2);
        let explore_on = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| {
                let mut search = Search::new(&batch, &graph, super::super::budget::Budget::unlimited()).unwrap();
                let start = greedy::allocate(&batch, &graph);
                let mut incumbent = Allocation::of(&graph, start);
                let mut neighbourhoods = Neighbourhoods::new(search.root_decisions());
                neighbourhoods.explore(&mut search, i128::MAX, &mut incumbent, None).unwrap();
                assert!(neighbourhoods.helper.is_some(), "no two neighbourhoods were searched side by side");
                (incumbent, neighbourhoods.solves, neighbourhoods.in_place)
            })
        };
        let one = explore_on(1);
        assert!(one.2 < one.1, "the helper did no work");
        assert_eq!(explore_on(2), one);
    }

    /// The guide's neighbourhood sits out 1, 3, 7, ... rounds after 1, 2, 3, ... failures in a row, never more
    /// than 2^GUIDE_BACKOFF_MAX − 1, and takes part in the next round again once it has found something.
    #[test]
    fn the_guide_backs_off_after_failures_and_returns_after_a_find() {
        let rounds_until_next = |backoff: &mut Backoff| (0..).find(|_| backoff.take_part()).unwrap();
        let mut backoff = Backoff::default();
        assert_eq!(rounds_until_next(&mut backoff), 0, "it starts in the first round");
        for failures in 1..=GUIDE_BACKOFF_MAX + 2 {
            backoff.record(false);
            let expected = (1u32 << failures.min(GUIDE_BACKOFF_MAX)) - 1;
            assert_eq!(rounds_until_next(&mut backoff), expected, "after {failures} failures");
        }
        backoff.record(true);
        assert_eq!(rounds_until_next(&mut backoff), 0, "a find brings it back at once");
    }
}
