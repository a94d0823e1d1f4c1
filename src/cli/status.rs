//! The status line of `match` and `explain`: while the exact search runs (up to the time limit, a minute by
//! default), stderr shows its best allocation, proven bound, gap and nodes, if stderr is a terminal. Nothing is
//! printed otherwise, so logs and pipes see only the summary.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use poa_match::model::group_thousands;
use poa_match::solve::progress::{Observer, Progress, Snapshot};

/// How often the line is redrawn from the search's progress.
const REFRESH: Duration = Duration::from_millis(200);

/// Runs `work` (a run that may search) with the status line on stderr when it is a terminal: `work` is given the
/// observer its search reports to (none otherwise). The line is cleared when `work` ends, before anything else is
/// printed.
pub fn while_searching<T>(work: impl FnOnce(Option<&dyn Observer>) -> T) -> T {
    if !std::io::stderr().is_terminal() {
        return work(None);
    }
    let line = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {elapsed} {msg}") {
        line.set_style(style);
    }
    line.enable_steady_tick(Duration::from_millis(100));
    let progress = Progress::new();
    let done = AtomicBool::new(false);
    let result = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                line.set_message(describe(&progress.snapshot()));
                std::thread::sleep(REFRESH);
            }
        });
        let result = work(Some(&*progress));
        done.store(true, Ordering::Relaxed);
        result
    });
    line.finish_and_clear();
    result
}

/// The line's text for what the search has reported so far.
fn describe(snapshot: &Snapshot) -> String {
    let Some(objective) = snapshot.objective else {
        return "building the graph, solving the relaxation".to_string();
    };
    let mut text = format!("searching: best {}", group_thousands(objective));
    if let (Some(bound), Some(gap)) = (snapshot.bound, snapshot.gap()) {
        text.push_str(&format!(", bound {}, gap {:.4} %", group_thousands(bound), 100.0 * gap));
    }
    text.push_str(&format!(", {} nodes", snapshot.nodes));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_says_what_is_known() {
        let mut snapshot = Snapshot::default();
        assert!(describe(&snapshot).starts_with("building"));
        snapshot.objective = Some(4_160_181_000);
        assert_eq!(describe(&snapshot), "searching: best 4,160,181,000, 0 nodes");
        snapshot.bound = Some(4_160_261_000);
        snapshot.nodes = 9;
        assert_eq!(describe(&snapshot), "searching: best 4,160,181,000, bound 4,160,261,000, gap 0.0019 %, 9 nodes");
    }
}
