//! Where a running exact search stands, for a live display: the command line's status line while `match` or
//! `explain` searches, which can take the whole time limit (a minute by default) on large batches.
//!
//! The search reports into a [`Progress`] that the caller hands over with [`watched`]; another thread reads it
//! with [`Progress::snapshot`]. Reporting goes through a thread-local, not through the solver's arguments, because
//! only the match's own search on the caller's thread should report: windows, helpers and Monte Carlo draws run
//! searches of their own, on other threads or as parts of the same run, and must not. A search nobody watches
//! reports nothing and pays one thread-local read per report. Nothing here changes what the search does: its
//! results are the same watched or not.

use std::cell::{Cell, RefCell};
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
    /// An empty progress to hand to [`watched`].
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

/// What the part being searched adds to: the finished parts' objectives, nodes and bounds, and the flow
/// relaxation of the parts still to come (their bound until they are searched).
#[derive(Debug, Clone, Copy, Default)]
struct Base {
    objective: i128,
    bound: i128,
    nodes: u64,
}

thread_local! {
    static WATCHER: RefCell<Option<Arc<Progress>>> = const { RefCell::new(None) };
    static BASE: Cell<Base> = const { Cell::new(Base { objective: 0, bound: 0, nodes: 0 }) };
}

/// Runs `work` with the exact searches it starts on this thread reporting into `progress`.
pub fn watched<T>(progress: &Arc<Progress>, work: impl FnOnce() -> T) -> T {
    /// Puts the previous watcher back however `work` ends.
    struct Restore(Option<Arc<Progress>>, Base);
    impl Drop for Restore {
        fn drop(&mut self) {
            WATCHER.with(|w| *w.borrow_mut() = self.0.take());
            BASE.with(|b| b.set(self.1));
        }
    }
    let previous = WATCHER.with(|w| w.borrow_mut().replace(Arc::clone(progress)));
    let _restore = Restore(previous, BASE.with(|b| b.replace(Base::default())));
    work()
}

/// Whether a search on this thread is watched (so that callers skip work done only to report).
pub(crate) fn is_watched() -> bool {
    WATCHER.with(|w| w.borrow().is_some())
}

fn report(change: impl FnOnce(&mut Snapshot, Base)) {
    WATCHER.with(|w| {
        if let Some(progress) = w.borrow().as_ref() {
            let base = BASE.with(Cell::get);
            progress.update(|snapshot| change(snapshot, base));
        }
    });
}

/// Sets what the next part's figures add to (see [`Base`]); all zero for a batch searched whole.
pub(crate) fn set_base(objective: i128, bound: i128, nodes: u64) {
    BASE.with(|b| b.set(Base { objective, bound, nodes }));
}

/// Every part is solved, with these sums (parts without integer rules, which do not search, included): reports
/// them and sets the base back to zero for a next solve under the same watch.
pub(crate) fn parts_done(objective: i128, bound: i128, nodes: u64) {
    report(|snapshot, _| record(snapshot, Some(objective), Some((bound, nodes))));
    set_base(0, 0, 0);
}

/// The part's search has an allocation worth `objective`.
pub(crate) fn incumbent(objective: i128) {
    report(|snapshot, base| record(snapshot, Some(base.objective + objective), None));
}

/// The part's search has proven `bound` after `nodes` nodes.
pub(crate) fn bound(bound: i128, nodes: u64) {
    report(|snapshot, base| record(snapshot, None, Some((base.bound + bound, base.nodes + nodes))));
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
    use crate::solve::{Limits, Method, Status, solve};

    /// A watched search ends with the solution's own figures in its snapshot, whole or in parts, and reports
    /// nothing once the watch is over.
    #[test]
    fn a_watched_search_ends_at_its_solution() {
        let mut parted = 0;
        for (needs, offers, seed) in [(150, 15, 1), (60, 8, 2), (60, 8, 3), (60, 8, 5), (300, 30, 2)] {
            let (batch, graph) = crate::solve::generated(needs, offers, seed);
            parted += usize::from(crate::solve::components::split(&batch, &graph).is_some());
            let limits = Limits { node_limit: 300, ..Limits::default() };
            let progress = Progress::new();
            let solution = watched(&progress, || solve(&batch, &graph, Method::Optimal, limits)).unwrap();
            let seen = progress.snapshot();
            assert_eq!(seen.objective, Some(solution.objective), "{needs} x {offers} seed {seed}");
            assert_eq!(seen.bound, Some(solution.bound), "{needs} x {offers} seed {seed}");
            assert_eq!(seen.nodes, solution.nodes, "{needs} x {offers} seed {seed}");
            if solution.status == Status::Optimal {
                assert_eq!(seen.gap(), Some(0.0));
            }
            // Unwatched, the same search leaves the old progress as it was.
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
