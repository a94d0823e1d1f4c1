//! How far a search may go ([`Budget`]): a number of elementary steps on its own work counter
//! ([`Search::work`](super::search::Search::work)), and a wall-clock deadline only when the caller set a time
//! limit. Every check of the search that used to ask the clock asks the budget instead, so that without a time
//! limit the search stops at the same step on every machine, under any load, on any number of threads.
//!
//! Work done on another thread (a helper's copy of the search, a window) is counted on that copy's own counter
//! while it runs, so its checks never depend on how far the other thread has got; the search adds it to its own
//! count once the copy is back ([`Search::absorb`](super::search::Search::absorb)), as the longer side of the two:
//! the work limit is a budget of the search's duration on the two cores it is made for, whatever the number of
//! threads it actually runs on.

use std::time::{Duration, Instant};

use super::super::Status;

/// What one step of the search (a re-solve, a round of rounding) costs, in work and in time: the search keeps the
/// largest it has seen to judge whether another such step still fits in its budget.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Cost {
    /// Elementary steps.
    pub(super) work: u64,
    /// Wall-clock time (only consulted under a time limit).
    pub(super) time: Duration,
}

impl Cost {
    /// The larger of each measure.
    pub(super) fn max(self, other: Cost) -> Cost {
        Cost { work: self.work.max(other.work), time: self.time.max(other.time) }
    }

    /// `times` such steps.
    pub(super) fn times(self, times: u32) -> Cost {
        Cost { work: self.work.saturating_mul(u64::from(times)), time: self.time.saturating_mul(times) }
    }
}

/// A limit on a search's work counter, and an optional deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Budget {
    /// The value of the search's work counter at which it stops.
    work: u64,
    /// When it stops, if the caller set a time limit.
    deadline: Option<Instant>,
}

impl Budget {
    /// A budget that stops the counter at `work` and the clock at `deadline`.
    pub(super) fn new(work: u64, deadline: Option<Instant>) -> Budget {
        Budget { work, deadline }
    }

    /// A budget no test search reaches.
    #[cfg(test)]
    pub(super) fn unlimited() -> Budget {
        Budget { work: u64::MAX, deadline: None }
    }

    /// Whether a search whose counter stands at `done` has used its budget up.
    pub(super) fn spent(&self, done: u64) -> bool {
        done >= self.work || self.deadline.is_some_and(|deadline| Instant::now() >= deadline)
    }

    /// Whether a step costing `cost` still ends within the budget, the counter standing at `done`.
    pub(super) fn fits(&self, done: u64, cost: Cost) -> bool {
        self.limit_before(done, cost).is_none()
    }

    /// Which limit a step costing `cost` would break, the counter standing at `done`: the work limit first (it is
    /// what a run without a time limit always reports), then the time limit; `None` when the step fits.
    pub(super) fn limit_before(&self, done: u64, cost: Cost) -> Option<Status> {
        if done.saturating_add(cost.work) >= self.work {
            Some(Status::WorkLimit)
        } else if self.deadline.is_some_and(|deadline| Instant::now() + cost.time >= deadline) {
            Some(Status::TimeLimit)
        } else {
            None
        }
    }

    /// The first `share` of what is left of this budget, for a search whose counter stands at `done` at `now`.
    pub(super) fn share(&self, done: u64, now: Instant, share: f64) -> Budget {
        let left = self.work.saturating_sub(done);
        // (Exact on every machine: IEEE multiplication of the same numbers, rounded down.)
        let work = done.saturating_add((left as f64 * share) as u64);
        let deadline = self.deadline.map(|deadline| now + deadline.saturating_duration_since(now).mul_f64(share));
        Budget { work, deadline }
    }

    /// This budget less `reserve`, kept for what must follow (the final polish).
    pub(super) fn less(&self, reserve: Cost) -> Budget {
        Budget {
            work: self.work.saturating_sub(reserve.work),
            deadline: self.deadline.map(|deadline| deadline.checked_sub(reserve.time).unwrap_or_else(Instant::now)),
        }
    }

    /// What is left of this budget after `done`, for a new search whose counter starts at zero (a window).
    pub(super) fn left_after(&self, done: u64) -> Budget {
        Budget { work: self.work.saturating_sub(done), deadline: self.deadline }
    }

    /// The counter's limit.
    #[cfg(test)]
    pub(super) fn work(&self) -> u64 {
        self.work
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_of_work_alone_never_reads_the_clock() {
        let budget = Budget::new(100, None);
        assert!(!budget.spent(99) && budget.spent(100));
        assert!(budget.fits(50, Cost { work: 49, time: Duration::from_secs(1_000_000) }));
        assert!(!budget.fits(50, Cost { work: 50, time: Duration::ZERO }));
        assert_eq!(budget.limit_before(100, Cost::default()), Some(Status::WorkLimit));
        assert_eq!(budget.limit_before(99, Cost::default()), None);
        let now = Instant::now();
        assert_eq!(budget.share(20, now, 0.5).work(), 60);
        assert_eq!(budget.less(Cost { work: 30, time: Duration::ZERO }).work(), 70);
        assert_eq!(budget.left_after(30).work(), 70);
    }

    #[test]
    fn a_deadline_in_the_past_stops_the_search_and_says_so() {
        let budget = Budget::new(u64::MAX, Some(Instant::now()));
        assert!(budget.spent(0));
        assert!(!budget.fits(0, Cost::default()));
        assert_eq!(budget.limit_before(0, Cost::default()), Some(Status::TimeLimit));
    }
}
