//! Allocation methods (docs/spec.md §5). Which to pick:
//!
//! - [`Method::Optimal`] (default): exact. Without integer rules the allocation is a min-cost flow on the
//!   network of [`relaxation`], solved by the network simplex of the `mcf` crate. With integer rules
//!   (all-or-nothing needs, min_award, floors, max_awards, no co-finance) the exact search (`integer`, private)
//!   runs branch and bound over that flow relaxation and returns a feasible allocation, a proven upper bound and
//!   the gap.
//! - [`Method::Greedy`]: the desk officer's baseline (`greedy`), for comparison.
//!
//! Every result passes an independent check of every rule (`check::verify`) before it leaves this module, so a
//! solver bug becomes an error, not a wrong report.

/// Prints a line about the search's progress to stderr when the environment variable `POA_MATCH_TRACE` is set
/// (to anything), for developers asking where a solve spends its time. Off by default: nothing is printed and
/// nothing is formatted.
macro_rules! trace {
    ($($arg:tt)*) => {
        if $crate::solve::tracing() {
            eprintln!("trace: {}", format_args!($($arg)*));
        }
    };
}

mod check;
mod components;
mod greedy;
mod integer;
mod limits;
pub mod locked;
pub mod progress;
pub mod relaxation;
mod swap;

pub use integer::DrawShare;
pub use limits::{GapLimit, Limits, WorkLimit};

use crate::error::Result;
use crate::graph::Graph;
use crate::model::Batch;
use progress::{Observer, PartObserver};

/// Whether `POA_MATCH_TRACE` is set (read once).
pub(crate) fn tracing() -> bool {
    static TRACING: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *TRACING.get_or_init(|| std::env::var_os("POA_MATCH_TRACE").is_some())
}

/// Which method allocates (its name in files is [`Method::as_str`]'s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Exact optimisation.
    Optimal,
    /// Priority-ordered greedy baseline.
    Greedy,
}

impl Method {
    /// The name used on the command line and in run.json.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Optimal => "optimal",
            Method::Greedy => "greedy",
        }
    }
}

/// How a solve ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Proven optimal (gap 0).
    Optimal,
    /// Stopped by the node limit with a feasible allocation and a gap.
    NodeLimit,
    /// Stopped by the work limit with a feasible allocation and a gap.
    WorkLimit,
    /// Stopped by the time limit with a feasible allocation and a gap.
    TimeLimit,
    /// Stopped with the allocation proven within the gap limit of the optimum.
    GapLimit,
    /// A heuristic method: no optimality claim.
    Heuristic,
}

impl Status {
    /// The name used in run.json.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Optimal => "optimal",
            Status::NodeLimit => "node_limit",
            Status::WorkLimit => "work_limit",
            Status::TimeLimit => "time_limit",
            Status::GapLimit => "gap_limit",
            Status::Heuristic => "heuristic",
        }
    }
}

/// An allocation with its quality certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solution {
    /// Dollars on each edge of the graph, in graph order.
    pub amounts: Vec<i64>,
    /// Σ amount · value.
    pub objective: i128,
    /// A proven upper bound on the optimum (for greedy: the relaxation).
    pub bound: i128,
    /// The optimum of the flow relaxation (all integer rules dropped).
    pub relaxation: i128,
    /// How the solve ended.
    pub status: Status,
    /// Branch-and-bound nodes solved (0 when no integer rule applies).
    pub nodes: u64,
    /// The exact search's work in elementary steps (0 when no integer rule applies; see [`WorkLimit`]).
    pub work: u64,
}

impl Solution {
    /// `(bound − objective) / bound`, 0 when the bound is 0.
    pub fn gap(&self) -> f64 {
        if self.bound <= 0 { 0.0 } else { (self.bound - self.objective) as f64 / self.bound as f64 }
    }
}

/// Whether any need or offer carries a rule that makes the problem mixed-integer.
pub fn has_integer_rules(batch: &Batch) -> bool {
    batch.needs.iter().any(|n| n.has_integer_rules()) || batch.offers.iter().any(|o| o.has_integer_rules())
}

/// [`solve`] for a Monte Carlo draw, which records no relaxation: with integer rules, the separate solve of the
/// flow relaxation is skipped (a twentieth of a draw on the sample) and `relaxation` holds the search's root
/// bound, which is at most the relaxation's optimum. The search takes its network from `share`, built once for
/// the scenario, and starts lighter than [`solve`]'s (see `integer::solve_draw`): where both prove optimality
/// the objective is the same, though among allocations of equal value it may pick another.
pub fn solve_draw(
    batch: &Batch,
    graph: &Graph,
    method: Method,
    limits: Limits,
    share: &mut integer::DrawShare,
) -> Result<Solution> {
    let solution = match method {
        Method::Optimal if has_integer_rules(batch) => integer::solve_draw(batch, graph, limits, share)?,
        _ => return solve(batch, graph, method, limits),
    };
    check::verify(batch, graph, &solution)?;
    Ok(solution)
}

/// Allocates with the chosen method and verifies the result.
pub fn solve(batch: &Batch, graph: &Graph, method: Method, limits: Limits) -> Result<Solution> {
    solve_observed(batch, graph, method, limits, None)
}

/// [`solve`], with the exact search reporting its progress to `observer` (see [`progress`]).
pub fn solve_observed(
    batch: &Batch,
    graph: &Graph,
    method: Method,
    limits: Limits,
    observer: Option<&dyn Observer>,
) -> Result<Solution> {
    let solution = match method {
        Method::Greedy => {
            let relaxation_value = relaxation::solve(batch, graph)?.objective;
            let amounts = greedy::allocate(batch, graph);
            let objective = objective_of(graph, &amounts);
            Solution {
                amounts,
                objective,
                bound: relaxation_value,
                relaxation: relaxation_value,
                status: Status::Heuristic,
                nodes: 0,
                work: 0,
            }
        }
        Method::Optimal if !has_integer_rules(batch) => relaxation::solve(batch, graph)?,
        Method::Optimal => {
            // The time limit covers the relaxation's own solve too (not negligible on the largest batches).
            let started = std::time::Instant::now();
            let relaxed = relaxation::solve(batch, graph)?;
            match components::split(batch, graph) {
                Some(parts) => solve_parts(graph, &parts, &relaxed, limits, started, observer)?,
                None => {
                    let time_limit = limits.time_limit.map(|limit| limit.saturating_sub(started.elapsed()));
                    integer::solve(batch, graph, relaxed.objective, Limits { time_limit, ..limits }, observer)?
                }
            }
        }
    };
    check::verify(batch, graph, &solution)?;
    Ok(solution)
}

/// The optimal allocation of a batch whose graph falls apart into independent `parts` (see
/// [`components`]): each part solved on its own, smallest first, with its share of the time left and the node
/// limit (which therefore holds per part), and the results added up. `relaxed` is the whole batch's flow
/// relaxation; restricted to a part it is that part's relaxation (the parts share no constraint), so it is not
/// solved again, and a part without integer rules takes it as its allocation. `observer` sees the whole batch:
/// each part's search reports to it through a [`PartObserver`].
fn solve_parts(
    graph: &Graph,
    parts: &[components::Part],
    relaxed: &Solution,
    limits: Limits,
    started: std::time::Instant,
    observer: Option<&dyn Observer>,
) -> Result<Solution> {
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by_key(|&p| (parts[p].graph.edges.len(), p));
    trace!(
        "{} independent parts: {:?} edges",
        parts.len(),
        order.iter().map(|&p| parts[p].graph.edges.len()).collect::<Vec<_>>()
    );
    let mut whole = Solution {
        amounts: vec![0; graph.edges.len()],
        objective: 0,
        bound: 0,
        relaxation: relaxed.objective,
        status: Status::Optimal,
        nodes: 0,
        work: 0,
    };
    let mut edges_left: usize = parts.iter().map(|p| p.graph.edges.len()).sum();
    // Each part's share of the relaxed flow and what it is worth: its bound in the progress display until the
    // part is searched.
    let mut restricted: Vec<Vec<i64>> =
        parts.iter().map(|part| part.edges.iter().map(|&e| relaxed.amounts[e]).collect()).collect();
    let part_relaxation: Vec<i128> =
        parts.iter().zip(&restricted).map(|(part, amounts)| objective_of(&part.graph, amounts)).collect();
    let mut relaxation_to_come: i128 = part_relaxation.iter().sum();
    for p in order {
        let part = &parts[p];
        relaxation_to_come -= part_relaxation[p];
        let part_observer = observer.map(|whole_observer| PartObserver {
            whole: whole_observer,
            objective: whole.objective,
            bound: whole.bound + relaxation_to_come,
            nodes: whole.nodes,
            work: whole.work,
        });
        // Each part gets its share of the work (and time) left, by edges (what a part leaves unused goes to the
        // larger ones after it), and the whole node limit: a small part must not starve the large one (the largest
        // generated batches have small parts beside a main one many times their size). Shares are whole numbers
        // of work units, so they are the same on every machine.
        let work_left = limits.work_limit.units().saturating_sub(WorkLimit::units_of(whole.work));
        let (part_edges, edges_of_rest) = (part.graph.edges.len() as u128, edges_left.max(1) as u128);
        let part_work = (u128::from(work_left) * part_edges / edges_of_rest) as u64;
        let time_left = limits.time_limit.map(|limit| limit.saturating_sub(started.elapsed()));
        let share = part_edges as f64 / edges_of_rest as f64;
        edges_left -= part.graph.edges.len();
        let part_limits = Limits {
            work_limit: WorkLimit::new(part_work).unwrap_or(WorkLimit::UNLIMITED),
            time_limit: time_left.map(|left| left.mul_f64(share)),
            ..limits
        };
        let solution = if has_integer_rules(&part.batch) {
            integer::solve(
                &part.batch,
                &part.graph,
                part_relaxation[p],
                part_limits,
                part_observer.as_ref().map(|o| o as &dyn Observer),
            )?
        } else {
            Solution {
                amounts: std::mem::take(&mut restricted[p]),
                objective: part_relaxation[p],
                bound: part_relaxation[p],
                relaxation: part_relaxation[p],
                status: Status::Optimal,
                nodes: 0,
                work: 0,
            }
        };
        for (&e, &x) in part.edges.iter().zip(&solution.amounts) {
            whole.amounts[e] = x;
        }
        whole.objective += solution.objective;
        whole.bound += solution.bound;
        whole.nodes += solution.nodes;
        whole.work += solution.work;
        whole.status = match (whole.status, solution.status) {
            (Status::TimeLimit, _) | (_, Status::TimeLimit) => Status::TimeLimit,
            (Status::WorkLimit, _) | (_, Status::WorkLimit) => Status::WorkLimit,
            (Status::NodeLimit, _) | (_, Status::NodeLimit) => Status::NodeLimit,
            // Each part within the limit puts the sum within it too: Σ (b − o) ≤ g · Σ b.
            (Status::GapLimit, _) | (_, Status::GapLimit) => Status::GapLimit,
            _ => Status::Optimal,
        };
    }
    if let Some(observer) = observer {
        observer.incumbent(whole.objective);
        observer.bound(whole.bound, whole.nodes);
        observer.work(whole.work);
    }
    Ok(whole)
}

/// Σ amount · value over the edges, exactly.
pub fn objective_of(graph: &Graph, amounts: &[i64]) -> i128 {
    graph.edges.iter().zip(amounts).map(|(e, &x)| i128::from(x) * i128::from(e.value)).sum()
}

/// A generated batch (`poa-match generate --needs N --offers M --seed S`) and its graph under the default weights:
/// the setup of the solver's tests.
#[cfg(test)]
pub(crate) fn generated(needs: usize, offers: usize, seed: u64) -> (Batch, Graph) {
    let reference = crate::catalog::Reference::embedded();
    let config = crate::generate::GenerateConfig { needs, offers, seed, partial_only: false };
    let batch = crate::generate::generate(&config, reference);
    let graph = crate::graph::build(&batch, reference, &crate::objective::Weights::default());
    (batch, graph)
}

/// Generated batches with integer rules, alternately small and mid-sized, each with its graph and its needs in an
/// order shuffled from `seed`: the setup of the heuristics' property tests.
#[cfg(test)]
pub(crate) fn for_generated_batches(
    seed: u64,
    cases: u64,
    mut check: impl FnMut(u64, &Batch, &Graph, &mut Vec<usize>),
) {
    use rand::SeedableRng;
    use rand::seq::SliceRandom;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    for case in 0..cases {
        let (needs, offers) = if case % 2 == 0 { (12, 4) } else { (40, 8) };
        let (batch, graph) = generated(needs, offers, seed.wrapping_add(case));
        let mut order: Vec<usize> = (0..batch.needs.len()).collect();
        order.shuffle(&mut rng);
        check(case, &batch, &graph, &mut order);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A search stopped by its work limit (the default stop, docs/spec.md §10) ends with the same solution on one
    /// thread and on two, says so, and stops near its budget: a check of the budget is never more than a step
    /// away, so the work done exceeds the limit by at most a small share.
    #[test]
    fn a_work_limit_stops_the_search_at_the_same_point_on_any_number_of_threads() {
        let mut stopped = 0;
        for (needs, offers, seed, units) in [(300, 30, 7, 3), (150, 15, 3, 1), (1000, 100, 6, 40)] {
            let (batch, graph) = generated(needs, offers, seed);
            let limits = Limits { work_limit: WorkLimit::new(units).unwrap(), ..Limits::default() };
            let on = |threads: usize| {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
                pool.install(|| solve(&batch, &graph, Method::Optimal, limits).unwrap())
            };
            let (one, two, again) = (on(1), on(2), on(2));
            let case = format!("{needs} x {offers} seed {seed} at {units} units");
            assert_eq!(one, two, "{case}");
            assert_eq!(two, again, "{case}");
            if one.status == Status::WorkLimit {
                stopped += 1;
                assert!(one.work >= limits.work_limit.operations() / 2, "{case}: stopped at {} steps", one.work);
                assert!(one.work <= limits.work_limit.operations() * 3 / 2, "{case}: went on to {} steps", one.work);
            }
        }
        assert!(stopped >= 2, "the work limit stopped {stopped} searches: the test checks too little");
    }

    /// With a gap limit the search takes the same path and stops where its allocation is proven within the limit:
    /// no more nodes than the exact search, a gap within the limit, and bounds that agree with the exact search's.
    #[test]
    fn a_search_stops_within_its_gap_limit() {
        let gap_limit = GapLimit::from_fraction(0.002).unwrap();
        let mut stopped_early = 0;
        for seed in 1..=4 {
            let (batch, graph) = generated(150, 15, seed);
            let exact_limits = Limits { node_limit: 3_000, ..Limits::default() };
            let exact = solve(&batch, &graph, Method::Optimal, exact_limits).unwrap();
            let within = solve(&batch, &graph, Method::Optimal, Limits { gap_limit, ..exact_limits }).unwrap();
            assert!(within.nodes <= exact.nodes, "seed {seed}: {} nodes, exact {}", within.nodes, exact.nodes);
            assert!(within.objective <= exact.bound && exact.objective <= within.bound, "seed {seed}");
            match within.status {
                Status::GapLimit => {
                    assert!(gap_limit.reached(within.bound, within.objective), "seed {seed}: gap {}", within.gap());
                    assert!(within.gap() <= 0.002 && within.bound > within.objective, "seed {seed}");
                    stopped_early += 1;
                }
                status => assert_eq!((status, within.objective), (exact.status, exact.objective), "seed {seed}"),
            }
        }
        assert!(stopped_early > 0, "no search stopped at the gap limit: the test checks nothing");
    }
}
