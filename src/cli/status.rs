//! The status line of `match` and `explain`: while the exact search runs (up to its work limit, about a minute by
//! default on large batches), stderr shows its best allocation, proven bound, gap, work done against the budget and
//! nodes. On a terminal the line is redrawn in place; otherwise (a log, a pipe, a CI job) the same text is printed
//! as a line of its own every [`LOG_EVERY`], so that a long run is not silent, and never for a run shorter than that.
//! `--quiet` prints neither.

use std::io::{IsTerminal, Write};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use poa_match::model::group_thousands;
use poa_match::solve::WorkLimit;
use poa_match::solve::progress::{Observer, Progress, Snapshot};

/// How often the terminal's line is redrawn from the search's progress.
const REFRESH: Duration = Duration::from_millis(200);
/// How often a line is printed when stderr is not a terminal.
const LOG_EVERY: Duration = Duration::from_secs(5);

/// How the status is shown.
#[derive(Debug, Clone, Copy, Default)]
pub struct StatusLine {
    /// The search's work limit, shown beside the work done (none: `explain`'s search, shown without it).
    pub budget: Option<WorkLimit>,
    /// Print nothing.
    pub quiet: bool,
}

impl StatusLine {
    /// Runs `work` (a run that may search) with the status on stderr: `work` is given the observer its search
    /// reports to (none when quiet). The terminal's line is cleared when `work` ends, before anything else is
    /// printed.
    pub fn while_searching<T>(self, work: impl FnOnce(Option<&dyn Observer>) -> T) -> T {
        if self.quiet {
            return work(None);
        }
        let progress = Progress::new();
        let stop = Stop::default();
        let on_terminal = std::io::stderr().is_terminal();
        let line = on_terminal.then(|| {
            let line = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template("{spinner} {elapsed} {msg}") {
                line.set_style(style);
            }
            line.enable_steady_tick(Duration::from_millis(100));
            line
        });
        let result = std::thread::scope(|scope| {
            scope.spawn(|| match &line {
                Some(line) => {
                    while !stop.wait(REFRESH) {
                        line.set_message(self.describe(&progress.snapshot()));
                    }
                }
                None => {
                    let started = Instant::now();
                    while !stop.wait(LOG_EVERY) {
                        let text = self.describe(&progress.snapshot());
                        let elapsed = started.elapsed().as_secs();
                        // (A log that cannot be written to is no reason to stop the run.)
                        let _ = writeln!(std::io::stderr().lock(), "[{:>3}:{:02}] {text}", elapsed / 60, elapsed % 60);
                    }
                }
            });
            let result = work(Some(&*progress));
            stop.now();
            result
        });
        if let Some(line) = line {
            line.finish_and_clear();
        }
        result
    }

    /// The line's text for what the search has reported so far.
    fn describe(&self, snapshot: &Snapshot) -> String {
        let Some(objective) = snapshot.objective else {
            return "building the graph, solving the relaxation".to_string();
        };
        let mut text = format!("searching: best {}", group_thousands(objective));
        if let (Some(bound), Some(gap)) = (snapshot.bound, snapshot.gap()) {
            text.push_str(&format!(", bound {}, gap {:.4} %", group_thousands(bound), 100.0 * gap));
        }
        let done = WorkLimit::units_of(snapshot.work);
        match self.budget {
            Some(budget) if budget != WorkLimit::UNLIMITED => {
                let share = 100 * u128::from(done) / u128::from(budget.units().max(1));
                text.push_str(&format!(
                    ", work {} of {} ({share} %)",
                    group_thousands(done.into()),
                    group_thousands(budget.units().into())
                ));
            }
            _ => text.push_str(&format!(", work {}", group_thousands(done.into()))),
        }
        text.push_str(&format!(", {} nodes", snapshot.nodes));
        text
    }
}

/// Tells the status thread to stop, waking it at once rather than after its next sleep.
#[derive(Default)]
struct Stop {
    stopped: Mutex<bool>,
    changed: Condvar,
}

impl Stop {
    /// Waits up to `period`; whether the run is over.
    fn wait(&self, period: Duration) -> bool {
        let stopped = self.stopped.lock().unwrap_or_else(PoisonError::into_inner);
        let (stopped, _) = self
            .changed
            .wait_timeout_while(stopped, period, |stopped| !*stopped)
            .unwrap_or_else(PoisonError::into_inner);
        *stopped
    }

    fn now(&self) {
        *self.stopped.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_says_what_is_known() {
        let line = StatusLine { budget: WorkLimit::new(40_000), quiet: false };
        let mut snapshot = Snapshot::default();
        assert!(line.describe(&snapshot).starts_with("building"));
        snapshot.objective = Some(4_160_181_000);
        assert_eq!(line.describe(&snapshot), "searching: best 4,160,181,000, work 0 of 40,000 (0 %), 0 nodes");
        snapshot.bound = Some(4_160_261_000);
        snapshot.nodes = 9;
        snapshot.work = 10_000 * WorkLimit::OPERATIONS_PER_UNIT;
        assert_eq!(
            line.describe(&snapshot),
            "searching: best 4,160,181,000, bound 4,160,261,000, gap 0.0019 %, work 10,000 of 40,000 (25 %), 9 nodes"
        );
        let without_budget = StatusLine::default();
        assert!(without_budget.describe(&snapshot).contains(", work 10,000, 9 nodes"));
    }

    #[test]
    fn a_stop_wakes_the_waiting_thread_at_once() {
        let stop = Stop::default();
        let started = Instant::now();
        std::thread::scope(|scope| {
            scope.spawn(|| while !stop.wait(Duration::from_secs(600)) {});
            stop.now();
        });
        assert!(started.elapsed() < Duration::from_secs(300));
        assert!(stop.wait(Duration::ZERO));
    }
}
