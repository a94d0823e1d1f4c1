//! Where a running exact search stands, for a live display: the command line's status line while `match` or
//! `explain` searches, which can take the whole time limit (a minute by default) on large batches.
//!
//! The search reports to an [`Observer`] that the caller passes to [`solve_observed`](super::solve_observed).
//! Only the match's own search is given it: the searches within it (windows of its incumbent, its helper) and
//! Monte Carlo draws are given none, so they report nothing. [`Progress`] is the observer a display reads from
//! another thread with [`Progress::snapshot`]. Nothing here changes what the search does: its results are the
//! same observed or not.

use std::sync::{Arc, Mutex, PoisonError};

/// The whole batch's best allocation so far, its best proven bound and the nodes searched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// The objective of the best allocation found so far, once the search has one.
    pub objective: Option<i128>,
    /// The best upper bound proven so far, once the search has one.
    pub bound: Option<i128>,
    /// Branch-and-bound nodes searched, over the batch's independent parts.
    pub nodes: u64,
    /// The search's work so far in elementary steps, over the batch's independent parts (see
    /// [`WorkLimit`](super::WorkLimit)).
    pub work: u64,
}

impl Snapshot {
    /// The relative gap between the bound and the objective, as run.json's `gap`, once both are known.
    pub fn gap(&self) -> Option<f64> {
        match (self.objective, self.bound) {
            (Some(objective), Some(bound)) if bound > 0 => Some((bound - objective).max(0) as f64 / bound as f64),
            (Some(_), Some(_)) => Some(0.0),
            _ => None,
        }
    }
}

/// A running search's [`Snapshot`], shared between the searching thread and a display.
#[derive(Debug, Default)]
pub struct Progress {
    snapshot: Mutex<Snapshot>,
}

impl Progress {
    /// An empty progress to hand to a search as its [`Observer`].
    pub fn new() -> Arc<Progress> {
        Arc::new(Progress::default())
    }

    /// What the search has reported so far.
    pub fn snapshot(&self) -> Snapshot {
        *self.snapshot.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn update(&self, change: impl FnOnce(&mut Snapshot)) {
        change(&mut self.snapshot.lock().unwrap_or_else(PoisonError::into_inner));
    }
}

/// What a search reports as it goes: the whole batch's best allocation so far and its best proven bound. It is
/// called from the searching thread only; `Sync` so that a search holding it can still hand its work to others.
pub trait Observer: Sync {
    /// The search has an allocation worth `objective`.
    fn incumbent(&self, objective: i128);
    /// The search has proven `bound` after `nodes` nodes.
    fn bound(&self, bound: i128, nodes: u64);
    /// The search has done `work` elementary steps so far.
    fn work(&self, work: u64);
}

impl Observer for Progress {
    fn incumbent(&self, objective: i128) {
        self.update(|snapshot| record(snapshot, Some(objective), None));
    }

    fn bound(&self, bound: i128, nodes: u64) {
        self.update(|snapshot| record(snapshot, None, Some((bound, nodes))));
    }

    fn work(&self, work: u64) {
        self.update(|snapshot| snapshot.work = work);
    }
}

/// The observer of one part of a batch that falls apart (see [`components`](super::components)): it reports
/// each figure of the part's search added to the finished parts' sums (and, for the bound, the flow relaxation of
/// the parts still to come), so that the whole observer sees the whole batch.
pub(crate) struct PartObserver<'o> {
    /// The observer of the whole batch.
    pub(crate) whole: &'o dyn Observer,
    /// The finished parts' objectives.
    pub(crate) objective: i128,
    /// The finished parts' bounds and the relaxation of those still to come.
    pub(crate) bound: i128,
    /// The finished parts' nodes.
    pub(crate) nodes: u64,
    /// The finished parts' work.
    pub(crate) work: u64,
}

impl Observer for PartObserver<'_> {
    fn incumbent(&self, objective: i128) {
        self.whole.incumbent(self.objective + objective);
    }

    fn bound(&self, bound: i128, nodes: u64) {
        self.whole.bound(self.bound + bound, self.nodes + nodes);
    }

    fn work(&self, work: u64) {
        self.whole.work(self.work + work);
    }
}

/// Records the whole batch's figures: the objective only ever rises and the bound only ever falls (a part's
/// search reports both as it goes, and the parts add up).
fn record(snapshot: &mut Snapshot, objective: Option<i128>, bound: Option<(i128, u64)>) {
    if let Some(objective) = objective {
        snapshot.objective = Some(snapshot.objective.map_or(objective, |known| known.max(objective)));
    }
    if let Some((bound, nodes)) = bound {
        snapshot.bound = Some(snapshot.bound.map_or(bound, |known| known.min(bound)));
        snapshot.nodes = nodes;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::{Limits, Method, Status, solve, solve_observed};

    /// An observed search ends with the solution's own figures in its snapshot, whole or in parts, and a search
    /// without an observer reports nothing.
    #[test]
    fn an_observed_search_ends_at_its_solution() {
        let mut parted = 0;
        for (needs, offers, seed) in [(150, 15, 1), (60, 8, 2), (60, 8, 3), (60, 8, 5), (300, 30, 2)] {
            let (batch, graph) = crate::solve::generated(needs, offers, seed);
            parted += usize::from(crate::solve::components::split(&batch, &graph).is_some());
            let limits = Limits { node_limit: 300, ..Limits::default() };
            let progress = Progress::new();
            let solution = solve_observed(&batch, &graph, Method::Optimal, limits, Some(&*progress)).unwrap();
            let seen = progress.snapshot();
            assert_eq!(seen.objective, Some(solution.objective), "{needs} x {offers} seed {seed}");
            assert_eq!(seen.bound, Some(solution.bound), "{needs} x {offers} seed {seed}");
            assert_eq!(seen.nodes, solution.nodes, "{needs} x {offers} seed {seed}");
            assert_eq!(seen.work, solution.work, "{needs} x {offers} seed {seed}");
            if solution.status == Status::Optimal {
                assert_eq!(seen.gap(), Some(0.0));
            }
            // Without the observer, the same search leaves the old progress as it was.
            solve(&batch, &graph, Method::Optimal, limits).unwrap();
            assert_eq!(progress.snapshot(), seen);
        }
        assert!(parted > 0, "no batch falls apart: the parts' sums are not checked");
    }

    #[test]
    fn the_gap_waits_for_both_figures() {
        let mut snapshot = Snapshot::default();
        assert_eq!(snapshot.gap(), None);
        snapshot.objective = Some(90);
        assert_eq!(snapshot.gap(), None);
        snapshot.bound = Some(100);
        assert_eq!(snapshot.gap(), Some(0.1));
    }
}
