//! The branch-and-bound tree: best-first node selection, and the order in which the techniques run at each node.
//!
//! [`run`] pops the open node of the highest bound (see [`Node`]'s order) and, for each:
//! 1. stops the search if no open node can beat the incumbent, at the gap limit, the node limit, a window's
//!    re-solve budget or the tree's share of the work or time ([`Tree::admit`]), and, in a large match whose bound stalls, first
//!    searches neighbourhoods of the incumbent ([`Tree::neighbourhood_phase`]);
//! 2. solves the node's flow relaxation (unless strong branching already did); a flow that breaks no rule is an
//!    allocation;
//! 3. at the root, runs the root's heuristics, and at the policy's node the Lagrangian ones ([`Tree::heuristics`]);
//! 4. bounds the node by its exact relaxation or its Lagrangian bound ([`Tree::node_bound`]), and every so many
//!    nodes dives on the exact relaxation and repairs the node's flows ([`Tree::periodic_heuristics`]);
//! 5. picks a broken rule by the policy's branching ([`Tree::choose_branch`]) and opens both children.
//!
//! When the loop ends, a match stopped by its work or time searches neighbourhoods with what is left, and the incumbent is
//! polished ([`Tree::finish`]).

use std::collections::BinaryHeap;
use std::ops::ControlFlow;
use std::time::Instant;

use crate::error::Result;

use super::super::{Limits, Solution, Status, greedy, objective_of};
use super::allocation::Allocation;
use super::branching::{Branch, Child, ChildBound, EXACT_CANDIDATES, StrongBranching};
use super::budget::Budget;
use super::lagrange::LagrangeBound;
use super::layout::Layout;
use super::neighbourhood::Neighbourhoods;
use super::node::{Decision, Node, NodeOutcome};
use super::node_lp::LP_ROUNDS;
use super::policy::{Branching, NeighbourhoodSearch, Policy, REPAIR_EVERY};
use super::rules::Violation;
use super::search::Search;

/// What [`run`] returns: the solution, the search's layout for reuse, and the re-solves the search took.
pub(super) struct Finished {
    pub(super) solution: Solution,
    pub(super) layout: Layout,
    pub(super) solves: u64,
}

/// The branch and bound of [`super::solve`] on a prepared search, run as `policy` says.
/// Without `relaxation` (a draw), the search's root bound stands in for it in the result. The search starts from
/// the greedy allocation, or from `start` where that is better.
pub(super) fn run(
    search: Search<'_>,
    relaxation: Option<i128>,
    limits: Limits,
    started: Instant,
    policy: Policy,
    start: Option<Allocation>,
) -> Result<Finished> {
    trace!(
        "search network: {} nodes, {} arcs, ready at {:?}",
        search.layout.net.node_count(),
        search.layout.net.arc_count(),
        started.elapsed()
    );
    let mut tree = Tree::new(search, relaxation, limits, started, policy, start);
    while let Some(node) = tree.open.pop() {
        if tree.visit(node)?.is_break() {
            break;
        }
    }
    tree.finish()
}

/// One branch and bound in progress: the search, its open nodes, its incumbent and its counters.
struct Tree<'a> {
    search: Search<'a>,
    policy: Policy,
    limits: Limits,
    started: Instant,
    /// The tree's share of the search's budget: what is left is the neighbourhoods' (see [`Policy::tree_share`]).
    tree_budget: Budget,
    /// The flow relaxation's optimum, when the caller knows it (a bound the search never reports above).
    relaxation: Option<i128>,
    /// The open nodes, best bound first.
    open: BinaryHeap<Node>,
    /// The next node's sequence number (ties between equal nodes go to the newest).
    seq: u64,
    /// Nodes solved so far.
    nodes: u64,
    /// The best allocation so far.
    incumbent: Allocation,
    /// The greedy allocation's value: an incumbent still worth no more is left unpolished.
    greedy_value: i128,
    /// Why the tree stopped with open nodes left, and the best open bound then.
    stopped: Option<(Status, i128)>,
    /// The root's decisions and bound, until the Lagrangian heuristics have run from them.
    lagrangian_root: Option<(Vec<Decision>, i128)>,
    /// The root's flow value, once solved.
    root_value: Option<i128>,
    /// The neighbourhoods of the incumbent, where the policy searches them.
    neighbourhoods: Option<Neighbourhoods<'a>>,
    /// The best open bound, and the node count when it last moved or the neighbourhoods last ran.
    stalled: (i128, u64),
    /// The tree's re-solves when the neighbourhoods last ran.
    phase_at: u64,
}

/// A node's bound and what to branch on, as [`Tree::node_bound`] finds them.
struct NodeBound {
    /// The node's bound: its plain flow's value, or below it its exact relaxation or Lagrangian bound.
    bound: i128,
    /// The flow at the multipliers that give the bound, where that bound is below the plain flow's value.
    charged: Option<Vec<i64>>,
    /// The exact relaxation's optimum rounded to dollars, with the rules it breaks, when it breaks one.
    fractional: Option<(Vec<i64>, Vec<Violation>)>,
}

/// A solved node: its decisions, its parent's bound, its plain flow and that flow's value and broken rules.
struct Solved<'n> {
    node: &'n Node,
    value: i128,
    amounts: Vec<i64>,
    broken: Vec<Violation>,
}

impl<'a> Tree<'a> {
    fn new(
        search: Search<'a>,
        relaxation: Option<i128>,
        limits: Limits,
        started: Instant,
        policy: Policy,
        start: Option<Allocation>,
    ) -> Tree<'a> {
        let (batch, graph, layout) = (search.batch, search.graph, &search.layout);
        let greedy_amounts =
            greedy::fill_in(batch, graph, vec![0; graph.edges.len()], &layout.priority, &layout.edge_order);
        let greedy_value = objective_of(graph, &greedy_amounts);
        let mut incumbent = Allocation { value: greedy_value, amounts: greedy_amounts };
        if let Some(start) = start
            && start.value > incumbent.value
        {
            incumbent = start;
        }
        let mut open = BinaryHeap::new();
        open.push(Node {
            bound: relaxation.unwrap_or(i128::MAX),
            seq: 0,
            decisions: search.root_decisions(),
            solved: None,
            broken: 0,
        });
        // A match searches neighbourhoods of its incumbent (`neighbourhood.rs`): during the tree where its best
        // open bound stalls, for at most `NEIGHBOURHOOD_WORK` times the re-solves the tree has spent (see
        // `STALL_NODES`), and in the time left after it; a draw or a window never does.
        let neighbourhoods =
            (policy.neighbourhoods != NeighbourhoodSearch::Never).then(|| Neighbourhoods::new(search.root_decisions()));
        let tree_budget = search.budget.share(search.work(), Instant::now(), policy.tree_share);
        Tree {
            search,
            policy,
            limits,
            started,
            tree_budget,
            relaxation,
            open,
            seq: 1,
            nodes: 0,
            incumbent,
            greedy_value,
            stopped: None,
            lagrangian_root: None,
            root_value: None,
            neighbourhoods,
            stalled: (i128::MAX, 0),
            phase_at: 0,
        }
    }

    /// Searches one node popped from the open nodes; breaks when the search is over.
    fn visit(&mut self, node: Node) -> Result<ControlFlow<()>> {
        let Some(mut node) = self.admit(node)? else { return Ok(ControlFlow::Break(())) };
        self.nodes += 1;
        let (value, amounts) = match node.solved.take() {
            Some(solved) => solved,
            None => match self.search.solve_node(&node.decisions)? {
                NodeOutcome::Solved { amounts, value } => (value, amounts),
                NodeOutcome::Infeasible => return Ok(ControlFlow::Continue(())),
            },
        };
        if self.nodes == 1 {
            self.root_value = Some(value);
            if let Some(neighbourhoods) = self.neighbourhoods.as_mut() {
                neighbourhoods.guide = Some(amounts.clone());
            }
        }
        if value <= self.incumbent.value {
            return Ok(ControlFlow::Continue(()));
        }
        let broken = self.search.violations(&node.decisions, &amounts);
        let Some(violation) = self.search.first_violation(&broken, &amounts) else {
            self.incumbent = Allocation { value, amounts };
            return Ok(ControlFlow::Continue(()));
        };
        let solved = Solved { node: &node, value, amounts, broken };
        if self.heuristics(&solved)?.is_break() {
            return Ok(ControlFlow::Break(()));
        }
        let Some(NodeBound { bound, charged, fractional }) = self.node_bound(&solved)? else {
            return Ok(ControlFlow::Continue(()));
        };
        self.periodic_heuristics(&solved, charged.as_ref())?;
        let bound = self.search.rounded(bound);
        if bound <= self.incumbent.value {
            return Ok(ControlFlow::Continue(()));
        }
        // Where the Lagrangian bound is the lower one, the plain flow's broken rules are not what holds the bound
        // up: branching on them leaves the charged flow, and the bound, as they are. The charged flow's broken
        // rules (or the fractional optimum's) are branched on instead; a charged flow that breaks none is an
        // allocation.
        let charged_broken = charged.as_ref().map(|flow| self.search.violations(&node.decisions, flow));
        if let (Some(flow), Some(broken)) = (&charged, &charged_broken)
            && broken.is_empty()
        {
            let found = self.search.improve(Allocation::of(self.search.graph, flow.clone()));
            if found.value > self.incumbent.value {
                trace!("charged flow at node {}: {}", self.nodes, found.value);
                self.incumbent = found;
            }
        }
        let branch_on: Option<(&[i64], &[Violation])> = match (&fractional, &charged, &charged_broken) {
            (Some((x, x_broken)), _, _) => Some((x, x_broken)),
            (None, Some(flow), Some(broken)) => Some((flow, broken)),
            _ => None,
        };
        let (violation, children) =
            self.choose_branch(&solved, violation, bound, branch_on, charged_broken.as_deref().unwrap_or(&[]))?;
        self.open_children(&solved, violation, bound, children);
        Ok(ControlFlow::Continue(()))
    }

    /// Whether the search goes on with `node` (given back), or stops: no open node can beat the incumbent, the
    /// incumbent is within the gap limit of the best open bound, or the node limit, the re-solve budget or the
    /// tree's share of the work or time is reached. A large match whose best open bound stalls first searches neighbourhoods.
    fn admit(&mut self, node: Node) -> Result<Option<Node>> {
        let incumbent = self.incumbent.value;
        if node.bound <= incumbent {
            // Best-first: every other open node is no better either.
            return Ok(None);
        }
        self.report(incumbent, node.bound);
        let limit = if incumbent >= self.policy.target(node.bound) {
            Some(Status::GapLimit)
        } else if self.nodes >= self.limits.node_limit
            || self.policy.solve_budget.is_some_and(|most| self.search.solves() >= most)
        {
            Some(Status::NodeLimit)
        // A node whose re-solve cannot finish within the budget is not started (on 100 000 needs one takes
        // seconds).
        } else {
            self.tree_budget.limit_before(self.search.work(), self.search.plain.slowest.get())
        };
        if let Some(status) = limit {
            self.stopped = Some((status, node.bound));
            return Ok(None);
        }
        if self.neighbourhood_phase(&node)?.is_break() {
            return Ok(None);
        }
        Ok(Some(node))
    }

    /// During the tree of a large match: searches neighbourhoods of the incumbent when the best open bound (that
    /// of `node`) has not moved for [`STALL_NODES`] nodes or the tree has spent [`PHASE_EVERY_SOLVES`] re-solves
    /// since they last ran, for at most [`NEIGHBOURHOOD_WORK`] times the tree's re-solves in all. Breaks when the
    /// incumbent then reaches the best open bound.
    fn neighbourhood_phase(&mut self, node: &Node) -> Result<ControlFlow<()>> {
        let nodes = self.nodes;
        let Some(neighbourhoods) = self.neighbourhoods.as_mut().filter(|_| nodes > 0) else {
            return Ok(ControlFlow::Continue(()));
        };
        let search = &mut self.search;
        let top = search.rounded(node.bound);
        let tree_solves = search.solves() - neighbourhoods.in_place + neighbourhoods.tree_on_helper;
        let moved = top < self.stalled.0;
        if moved {
            trace!(
                "best open bound {top} at node {nodes}, {:?}, work {}",
                self.started.elapsed(),
                search.work() / 1_000_000
            );
            self.stalled = (top, nodes);
        }
        if nodes == 1 {
            // The root's heuristics and strong branching are not a stall.
            self.phase_at = tree_solves;
        }
        if self.policy.neighbourhoods == NeighbourhoodSearch::DuringAndAfterTree
            && ((!moved && nodes - self.stalled.1 >= STALL_NODES) || tree_solves - self.phase_at >= PHASE_EVERY_SOLVES)
        {
            self.phase_at = tree_solves;
            let allowed = tree_solves.saturating_mul(NEIGHBOURHOOD_WORK);
            if neighbourhoods.solves < allowed {
                neighbourhoods.explore(search, self.policy.target(top), &mut self.incumbent, Some(allowed))?;
                trace!(
                    "neighbourhoods at node {nodes}: incumbent {} at {:?}",
                    self.incumbent.value,
                    self.started.elapsed()
                );
            }
            self.stalled.1 = nodes;
            if top <= self.incumbent.value {
                return Ok(ControlFlow::Break(()));
            }
        }
        Ok(ControlFlow::Continue(()))
    }

    /// The heuristics that run once: the root's (bulk rounding and a dive, or a repair for a draw) at the root,
    /// and the Lagrangian ones (tuning, charged rounding, plunges) at the policy's node. Breaks when the
    /// incumbent is then within the gap limit of the node's bound: the tree would only narrow the gap.
    fn heuristics(&mut self, solved: &Solved<'_>) -> Result<ControlFlow<()>> {
        let Solved { node, value, .. } = *solved;
        let (search, nodes, started) = (&mut self.search, self.nodes, self.started);
        if nodes == 1 {
            trace!("root solved: value {value} at {:?}, work {}", started.elapsed(), search.work() / 1_000_000);
            let reached = search.root_heuristics(
                &node.decisions,
                value,
                &solved.amounts,
                solved.broken.len(),
                self.policy,
                &mut self.incumbent,
            )?;
            self.lagrangian_root = (!reached).then(|| (node.decisions.clone(), value));
            trace!(
                "root heuristics done: incumbent {} after {} re-solves, at {:?}, work {}",
                self.incumbent.value,
                search.plain.solves.get(),
                started.elapsed(),
                search.work() / 1_000_000
            );
            if self.heuristics_done(node.bound, value).is_break() {
                return Ok(ControlFlow::Break(()));
            }
        }
        if nodes >= self.policy.lagrangian_at
            && let Some((decisions, root_value)) = self.lagrangian_root.take()
        {
            let search = &mut self.search;
            search.lagrangian_heuristics(&decisions, root_value, &mut self.incumbent, self.policy.paired_plunges)?;
            trace!(
                "Lagrangian heuristics done at node {nodes}: incumbent {} after {} + {} re-solves, at {:?}, work {}",
                self.incumbent.value,
                search.plain.solves.get(),
                search.lagrange.as_ref().map_or(0, |l| l.costed.solves.get()),
                started.elapsed(),
                search.work() / 1_000_000
            );
            if self.heuristics_done(node.bound, value).is_break() {
                return Ok(ControlFlow::Break(()));
            }
        }
        Ok(ControlFlow::Continue(()))
    }

    /// After a heuristic at a node of bound `node_bound` whose flow is worth `value`: reports the incumbent, and
    /// stops the search (status gap limit, at the node's bound) if the incumbent is within the gap limit of it
    /// (short of it: else the tree ends by itself).
    fn heuristics_done(&mut self, node_bound: i128, value: i128) -> ControlFlow<()> {
        let incumbent = self.incumbent.value;
        let bound = node_bound.min(self.search.rounded(value));
        // At the root, the tuned Lagrangian bound is the search's bound too: shown at once, since on large batches
        // the root's heuristics take a good share of the budget.
        let shown = match &self.search.lagrange {
            Some(l) if self.nodes == 1 && l.proves => bound.min(l.root_bound.map_or(bound, |b| self.search.rounded(b))),
            _ => bound,
        };
        self.report(incumbent, shown);
        if incumbent < bound && incumbent >= self.policy.target(bound) {
            self.stopped = Some((Status::GapLimit, bound));
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    }

    /// The node's bound: its plain flow's value, and below it, on small searches once the multipliers are tuned,
    /// the linear relaxation with the max_awards rows (solved exactly, see `node_lp.rs`), else the Lagrangian bound
    /// at the multipliers as they stand. `None` when the node turns out infeasible.
    fn node_bound(&mut self, solved: &Solved<'_>) -> Result<Option<NodeBound>> {
        let (search, decisions, value) = (&mut self.search, &solved.node.decisions, solved.value);
        let bound = if self.policy.exact_relaxation && search.lagrange.is_some() {
            match search.node_lp(decisions, self.incumbent.value, LP_ROUNDS)? {
                None => return Ok(None),
                Some(lp) if lp.bound < value => {
                    let broken = search.violations(decisions, &lp.fractional);
                    NodeBound {
                        bound: lp.bound,
                        charged: Some(lp.charged),
                        fractional: (!broken.is_empty()).then_some((lp.fractional, broken)),
                    }
                }
                Some(lp) => NodeBound { bound: lp.bound.min(value), charged: None, fractional: None },
            }
        } else {
            match search.lagrange_bound(decisions)? {
                LagrangeBound::Untuned => NodeBound { bound: value, charged: None, fractional: None },
                LagrangeBound::Infeasible => return Ok(None),
                LagrangeBound::Bound(b, charged) => {
                    NodeBound { bound: value.min(b), charged: (b < value).then_some(charged), fractional: None }
                }
            }
        };
        Ok(Some(bound))
    }

    /// The heuristics that run every so many nodes: a dive on the exact relaxation every [`LP_DIVE_EVERY`] nodes,
    /// and a repair of the node's plain and `charged` flows every [`REPAIR_EVERY`].
    fn periodic_heuristics(&mut self, solved: &Solved<'_>, charged: Option<&Vec<i64>>) -> Result<()> {
        let (search, nodes) = (&mut self.search, self.nodes);
        if self.policy.exact_relaxation && search.lagrange.is_some() && nodes % LP_DIVE_EVERY == 0 {
            let found =
                search.lp_dive(&solved.node.decisions, self.incumbent.value)?.map(|found| search.improve(found));
            trace!("lp dive at node {nodes}: {:?}", found.as_ref().map(|f| f.value));
            if let Some(found) = found
                && found.value > self.incumbent.value
            {
                self.incumbent = found;
            }
        }
        if nodes > 1 && nodes % REPAIR_EVERY == 0 {
            // The charged flow too, where it binds: it concentrates each max_awards offer on needs it can fill.
            let flows = std::iter::once(&solved.amounts).chain(charged);
            for flow in flows {
                if let Some(found) = search.repair(flow.clone())?.map(|found| search.improve(found))
                    && found.value > self.incumbent.value
                {
                    trace!("node repair at node {nodes}: {}", found.value);
                    self.incumbent = found;
                }
            }
        }
        Ok(())
    }

    /// The rule to branch on, and what strong branching learnt of its children, as the policy's branching picks
    /// it: `violation` is the plain flow's first broken rule, `bound` the node's, `branch_on` the fractional
    /// optimum or charged flow with its broken rules where the node has one, `charged_broken` the charged flow's
    /// broken rules.
    ///
    /// Strong branching tries the first few broken rules (or recalls what they lost before), keeps the one whose
    /// children lose most, and gives each child it solved its own optimum as bound (children that cannot beat the
    /// incumbent are dropped). Where the linear relaxation is solved exactly, the children's bounds are theirs too.
    fn choose_branch(
        &mut self,
        solved: &Solved<'_>,
        violation: Violation,
        bound: i128,
        branch_on: Option<(&[i64], &[Violation])>,
        charged_broken: &[Violation],
    ) -> Result<Branch> {
        let (search, incumbent, nodes) = (&mut self.search, self.incumbent.value, self.nodes);
        let Solved { node, value, ref amounts, ref broken } = *solved;
        let first_charged = branch_on.as_ref().and_then(|(flow, broken)| search.first_violation(broken, flow));
        // A rule branched on without strong branching: both children keep the node's value until solved.
        let unsolved = |rule: Violation| (rule, [Some((value, None)), Some((value, None))]);
        let decisions = &node.decisions;
        Ok(match (self.policy.branching, branch_on, first_charged) {
            (Branching::Wide, _, _) => {
                let candidates = search.edge_rules_first(broken, charged_broken, amounts);
                let (before, at) = (search.solves(), Instant::now());
                // Half the rules are solved on the neighbourhoods' helper (a copy of the search), on the second
                // core; its re-solves count as the tree's.
                let mut helper = self.neighbourhoods.as_mut().and_then(|n| n.helper_for(search));
                let helper_before = helper.as_ref().map_or(0, |helper| helper.solves());
                let trial = StrongBranching {
                    decisions,
                    amounts,
                    candidates: &candidates,
                    top: bound,
                    incumbent,
                    limit: usize::MAX,
                    how: ChildBound::Lagrangian,
                };
                let chosen = search.strong_branch(&trial, helper.as_deref_mut())?;
                let on_helper = helper.map_or(0, |helper| helper.solves() - helper_before);
                if let Some(neighbourhoods) = self.neighbourhoods.as_mut() {
                    neighbourhoods.tree_on_helper += on_helper;
                }
                trace!(
                    "wide strong branching at node {nodes}: {} rules, {} re-solves, {:?}; {:?}",
                    candidates.len(),
                    search.solves() - before + on_helper,
                    at.elapsed(),
                    chosen.as_ref().map(|(v, c)| (*v, c.clone().map(|c| c.map(|c| c.0))))
                );
                chosen.unwrap_or_else(|| unsolved(first_charged.unwrap_or(violation)))
            }
            (Branching::Exact { .. }, Some((flow, broken)), Some(first)) => {
                let candidates = search.most_fractional_first(&search.with_every_award(decisions, broken, flow), flow);
                let trial = StrongBranching {
                    decisions,
                    amounts: flow,
                    candidates: &candidates,
                    top: bound,
                    incumbent,
                    limit: EXACT_CANDIDATES,
                    how: ChildBound::Exact,
                };
                search.strong_branch(&trial, None)?.unwrap_or_else(|| unsolved(first))
            }
            // Without the exact relaxation the children would keep the charged bound: no strong branching.
            (Branching::Plain { .. }, Some(_), Some(first)) => unsolved(first),
            (Branching::Exact { plain_candidates } | Branching::Plain { candidates: plain_candidates }, _, _) => {
                let candidates = search.by_funded_total(broken, amounts);
                let trial = StrongBranching {
                    decisions,
                    amounts,
                    candidates: &candidates,
                    top: value,
                    incumbent,
                    limit: plain_candidates,
                    how: ChildBound::Plain,
                };
                search.strong_branch(&trial, None)?.unwrap_or_else(|| unsolved(violation))
            }
        })
    }

    /// Opens the children of the node's branch on `violation` that can still beat the incumbent, each bounded by
    /// the node's `bound` and, where strong branching solved it, its own.
    fn open_children(&mut self, solved: &Solved<'_>, violation: Violation, bound: i128, children: [Option<Child>; 2]) {
        let (search, node) = (&self.search, solved.node);
        for (child, outcome) in search.branch(violation, &solved.amounts).into_iter().zip(children) {
            let Some((child_value, child_amounts)) = outcome else { continue };
            let child_bound = bound.min(search.rounded(child_value));
            if child_bound <= self.incumbent.value {
                continue;
            }
            let mut decisions = node.decisions.clone();
            decisions.push(child);
            let child_broken =
                child_amounts.as_ref().map_or(solved.broken.len(), |a| search.violations(&decisions, a).len());
            let solved = child_amounts.map(|a| (child_value, a));
            self.open.push(Node { bound: child_bound, seq: self.seq, decisions, solved, broken: child_broken });
            self.seq += 1;
        }
    }

    /// Reports the incumbent and the best open bound (never above the relaxation) to the search's observer.
    fn report(&self, incumbent: i128, bound: i128) {
        if let Some(observer) = self.search.observer {
            observer.incumbent(incumbent);
            observer.bound(bound.min(self.relaxation.unwrap_or(i128::MAX)), self.nodes);
            observer.work(self.search.work());
        }
    }

    /// After the tree: a match stopped by its share of the work or time searches neighbourhoods with what is left
    /// (and is proved optimal after all if they reach the best open bound); the status and bound; the incumbent
    /// polished.
    fn finish(mut self) -> Result<Finished> {
        let (nodes, started) = (self.nodes, self.started);
        trace!(
            "search done: {nodes} nodes, {} + {} re-solves, at {:?}, work {}",
            self.search.plain.solves.get(),
            self.search.lagrange.as_ref().map_or(0, |l| l.costed.solves.get()),
            started.elapsed(),
            self.search.work() / 1_000_000
        );
        if let Some((Status::TimeLimit | Status::WorkLimit, top)) = self.stopped
            && let Some(neighbourhoods) = self.neighbourhoods.as_mut()
        {
            let top = self.search.rounded(top);
            neighbourhoods.explore(&mut self.search, self.policy.target(top), &mut self.incumbent, None)?;
            trace!(
                "final neighbourhoods done: incumbent {} at {:?}, work {}",
                self.incumbent.value,
                started.elapsed(),
                self.search.work() / 1_000_000
            );
        }
        let (search, policy) = (&self.search, &self.policy);
        let incumbent = self.incumbent.value;
        let (status, bound) = match self.stopped {
            // Stopped with the best open bound reached (by the neighbourhoods): proved after all; or within the gap
            // limit (the final neighbourhoods may have got there).
            Some((_, top)) if search.rounded(top) > incumbent && incumbent >= policy.target(top) => {
                (Status::GapLimit, top)
            }
            Some((status, top)) if search.rounded(top) > incumbent => (status, top),
            _ => (Status::Optimal, incumbent),
        };
        let mut incumbent = std::mem::replace(&mut self.incumbent, Allocation { value: 0, amounts: Vec::new() });
        // The greedy allocation (an incumbent is only ever replaced by a better one) is left as it is, so that the
        // result does not depend on whether the root was solved before it won; any other is polished.
        if incumbent.value > self.greedy_value {
            incumbent = search.polish(incumbent)?;
        }
        let relaxation = match self.relaxation.or(self.root_value) {
            Some(r) => r,
            // Stopped before the root was solved.
            None => crate::solve::relaxation::solve(search.batch, search.graph)?.objective,
        };
        let Allocation { value: objective, amounts } = incumbent;
        let (solves, work) = (search.solves(), search.work());
        let solution = Solution { amounts, objective, bound: bound.min(relaxation), relaxation, status, nodes, work };
        self.report(solution.objective, solution.bound);
        let Search { layout, .. } = self.search;
        Ok(Finished { solution, layout, solves })
    }
}

/// After this many nodes without a lower best open bound a match searches neighbourhoods of its incumbent
/// (`neighbourhood.rs`), for at most [`NEIGHBOURHOOD_WORK`] times the re-solves the tree has spent so far; a count of
/// nodes and re-solves, not of time, so that a search that ends proved gives the same allocation on any machine. Only
/// searches without the exact relaxation (over [`EXACT_RELAXATION_EDGES`](super::node_lp::EXACT_RELAXATION_EDGES)
/// pairs) do this: there the bound is the plain or Lagrangian flow's and seldom moves (before wide strong branching, on
/// the large generated batches it never left the root's; with it, it mostly moves in the first few nodes), and the
/// tree's nodes seldom find allocations. Where the relaxation is exact the tree moves the bound and its dives find
/// allocations; taking half its work there made mid-sized batches much slower and left a small one unproved at the
/// default time limit. A thousand nodes, the first value, held the first phase back until late in the time limit on
/// the largest batches; a tenth of it and four times the work proved several large batches sooner, and left less open
/// on most of those that stay open.
pub(super) const STALL_NODES: u64 = 100;

/// The neighbourhoods' share of a large search's work: this many re-solves for each of the tree's (see
/// [`STALL_NODES`]).
pub(super) const NEIGHBOURHOOD_WORK: u64 = 4;

/// The neighbourhoods also run whenever the tree has spent this many re-solves since they last ran (the root's
/// excepted), whether its bound moves or not: wide strong branching moves the bound often, by little, at tens to
/// hundreds of re-solves a node, and with a stall counted in nodes alone the first phase waited for 100 such
/// nodes.
pub(super) const PHASE_EVERY_SOLVES: u64 = 2_000;

/// Every this many nodes an exact search dives on its relaxation ([`Search::lp_dive`]).
pub(super) const LP_DIVE_EVERY: u64 = 64;

#[cfg(test)]
mod tests {
    use super::super::policy::Kind;
    use super::super::solve;
    use super::*;

    /// Wide strong branching solves every other rule on the helper, and the neighbourhoods search every other
    /// neighbourhood in place there: a search stopped by its node limit ends with the same allocation, bound and
    /// node count on one thread and on two.
    #[test]
    fn a_wide_search_is_the_same_on_one_and_two_threads() {
        for seed in [2, 11] {
            let (batch, graph) = crate::solve::generated(100, 10, seed);
            let relaxation = crate::solve::relaxation::solve(&batch, &graph).unwrap().objective;
            let limits = Limits { node_limit: 60, ..Limits::default() };
            let wide_on = |threads: usize| {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
                pool.install(|| {
                    let started = Instant::now();
                    let search = Search::new(&batch, &graph, super::super::budget_of(&limits, started)).unwrap();
                    let policy = Policy::new(Kind::Match, graph.edges.len(), &limits, 0);
                    let finished = run(search, Some(relaxation), limits, started, policy, None).unwrap();
                    (finished.solution, finished.solves)
                })
            };
            let (one, two) = (wide_on(1), wide_on(2));
            assert_eq!(one.0, two.0, "seed {seed}");
            assert_eq!(one.1, two.1, "seed {seed}: the search's own re-solves");
        }
    }

    /// Wide strong branching (every broken rule tried, children bounded by their Lagrangian bounds), as searches
    /// beyond the exact relaxation's range do it, proves the same optimum as the exact search on small batches,
    /// and what it returns keeps every rule. A child bound above the truth would only slow it down; one below
    /// (a charge that is not a valid bound, a rule's children that miss some allocation) cuts off the optimum and
    /// fails here.
    #[test]
    fn wide_strong_branching_proves_the_same_optimum() {
        let mut compared = 0;
        // Seed 11 is one whose children are bounded by their Lagrangian bounds below their plain flows.
        for seed in (1..=8).chain([11]) {
            let (batch, graph) = crate::solve::generated(100, 10, seed);
            let relaxation = crate::solve::relaxation::solve(&batch, &graph).unwrap().objective;
            let limits = Limits { node_limit: 50_000, ..Limits::default() };
            let exact = solve(&batch, &graph, relaxation, limits, None).unwrap();
            let started = Instant::now();
            let search = Search::new(&batch, &graph, super::super::budget_of(&limits, started)).unwrap();
            let policy = Policy::new(Kind::Match, graph.edges.len(), &limits, 0);
            let wide = run(search, Some(relaxation), limits, started, policy, None).unwrap().solution;
            crate::solve::check::verify(&batch, &graph, &wide).unwrap();
            assert!(wide.bound >= exact.objective, "seed {seed}: wide bound {} below {}", wide.bound, exact.objective);
            if exact.status == Status::Optimal && wide.status == Status::Optimal {
                assert_eq!(wide.objective, exact.objective, "seed {seed}");
                compared += 1;
            }
        }
        assert!(compared >= 6, "too few batches proved both ways: {compared}");
    }
}
