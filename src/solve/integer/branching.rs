//! Branching: which broken rule a node branches on, and the two children of a rule.
//!
//! Strong branching ([`Search::strong_branch`]) solves both children of candidate rules and keeps the rule whose
//! children lose the most from the node's bound; what each rule's children lost is remembered in the search's
//! pseudo-costs, so a rule tried before is estimated instead of solved again. How a child is bounded
//! ([`ChildBound`]) and which rules are candidates in which order follow the policy's branching (`policy.rs`,
//! dispatched in `tree.rs`): the plain flow's rules on small searches, the exact relaxation's fractional optimum
//! where it is solved, every rule of the plain and charged flows on wide searches.

use crate::error::Result;

use super::lagrange::LagrangeBound;
use super::node::{Decision, NodeOutcome};
use super::node_lp::LP_ROUNDS;
use super::rules::Violation;
use super::search::Search;

/// How many broken rules strong branching tries at a node: each costs two warm re-solves, which pays on small
/// searches (on the bundled sample's Monte Carlo draws it cuts the mean solve several times over, by
/// ending plateaus where one all-or-nothing need after another takes the same leftover dollars) but not where one
/// re-solve takes milliseconds: on mid-sized batches above the cut-off it made the same nodes several times
/// slower for the same bound.
pub(super) fn strong_branching_candidates(edges: usize) -> usize {
    if edges <= 5_000 { 8 } else { 0 }
}

/// Strong branching on exact relaxations (as SCIP's reliability branching does it): every broken rule of the
/// fractional optimum whose losses are known (tried [`EXACT_RELIABLE`] times) is scored from them at no cost;
/// of the others, up to [`EXACT_CANDIDATES`] are tried by solving both children (two column generations each),
/// in the order of [`Search::most_fractional_first`], until [`EXACT_LOOKAHEAD`] tries in a row bring no better
/// score. On the small generated batches fewer and more tries proved the same batches, this many leaving the
/// smallest open gaps; what decides there is mostly when the heuristics find the optimum.
pub(super) const EXACT_CANDIDATES: usize = 8;

/// How often a rule's children must have been solved before exact strong branching trusts the mean of their
/// losses (see [`EXACT_CANDIDATES`]).
pub(super) const EXACT_RELIABLE: u32 = 2;

/// How many solved rules in a row without a better score end exact strong branching (see [`EXACT_CANDIDATES`]).
pub(super) const EXACT_LOOKAHEAD: usize = 4;

/// A child of a strong-branching rule that can still beat the incumbent: its bound and, where strong branching
/// solved its plain flow, that flow.
pub(super) type Child = (i128, Option<Vec<i64>>);

/// The rule to branch on and its two children (`None` for a child that cannot beat the incumbent).
pub(super) type Branch = (Violation, [Option<Child>; 2]);

/// A strong-branching rule's two children (`None` for one that cannot beat the incumbent) and what each loses
/// from the node's bound.
type Trial = ([Option<Child>; 2], [i128; 2]);

/// What strong branching works on: a node, the rules to try and how to bound their children.
#[derive(Debug, Clone, Copy)]
pub(super) struct StrongBranching<'s> {
    /// The node's decisions.
    pub(super) decisions: &'s [Decision],
    /// The flow whose broken rules are tried (it orders each rule's two sides).
    pub(super) amounts: &'s [i64],
    /// The rules to try, in order.
    pub(super) candidates: &'s [Violation],
    /// The node's bound: what children lose is measured from it.
    pub(super) top: i128,
    /// The incumbent's value: a child that cannot beat it drops out.
    pub(super) incumbent: i128,
    /// How many rules to try: the first `limit` with plain bounds; with exact or Lagrangian bounds, at most
    /// `limit` solved (rules whose losses are known are estimated at no cost).
    pub(super) limit: usize,
    /// How a child is bounded.
    pub(super) how: ChildBound,
}

/// How strong branching bounds a child.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ChildBound {
    /// Its plain flow's value.
    Plain,
    /// The lower of that and its exact linear relaxation.
    Exact,
    /// The lower of its plain flow's value and its Lagrangian bound at the multipliers as they stand.
    Lagrangian,
}

impl<'a> Search<'a> {
    /// Strong branching: of the first `limit` `candidates`, the one whose two children lose the most from `top`,
    /// the node's bound (the product of the losses, a child that is infeasible or cannot beat `incumbent`
    /// counting as losing everything). A child's bound is its plain flow's value, or with [`ChildBound::Exact`]
    /// the lower of that and its linear relaxation ([`Search::node_lp`]). A rule tried often enough before
    /// (once; [`EXACT_RELIABLE`] times for exact bounds) is scored by the mean of what its children lost then
    /// (see `losses`); the others are tried by solving both children, and a rule with a child that drops out is
    /// taken at once (branching on it leaves one child). Returns the rule and, for each child, `None` when it
    /// drops out, else its bound and, when its plain flow was solved here, that flow. `None` when `limit` is 0 or
    /// there is no candidate.
    ///
    /// With a `helper` (a copy of this search on simplexes of its own, see `Neighbourhoods::helper_for`), wide
    /// strong branching solves the untried rules two at a time, the second on the helper. What it finds does not
    /// depend on the number of threads: each side's simplex only ever sees its own share of the rules.
    pub(super) fn strong_branch(
        &mut self,
        at: &StrongBranching<'_>,
        mut helper: Option<&mut Search<'a>>,
    ) -> Result<Option<Branch>> {
        let StrongBranching { amounts: _, candidates, top, incumbent, limit, how, .. } = *at;
        let reliable = match how {
            ChildBound::Plain | ChildBound::Lagrangian => 1,
            ChildBound::Exact => EXACT_RELIABLE,
        };
        // Wide strong branching tries every rule it has not tried before: the rules that move the bound are a few
        // among hundreds, in no order that finds them sooner.
        let lookahead = if how == ChildBound::Lagrangian { usize::MAX } else { EXACT_LOOKAHEAD };
        // Everything a child can lose: down to the incumbent (beyond, it drops out).
        let most = (top - incumbent).max(0) + 1;
        let mut best: Option<(i128, Violation, [Option<Child>; 2])> = None;
        // Plain: the first `limit` candidates, each estimated or solved. Exact: every candidate whose losses are
        // known is estimated (that costs nothing), and up to `limit` others are solved, until
        // EXACT_LOOKAHEAD solved ones in a row bring no better score.
        let pool = match how {
            ChildBound::Plain => &candidates[..limit.min(candidates.len())],
            ChildBound::Exact | ChildBound::Lagrangian => candidates,
        };
        let (mut solved, mut since_better) = (0, 0);
        if how != ChildBound::Lagrangian {
            helper = None;
        }
        // With a helper: which rules are solved rather than estimated (each rule comes once, so this holds until
        // its turn). Without one, nothing is looked ahead (draws strong-branch at every node).
        let untried: Vec<bool> = match helper {
            Some(_) => {
                let losses = self.losses.borrow();
                pool.iter().map(|v| losses.get(v).is_none_or(|&(_, count)| count < reliable)).collect()
            }
            None => Vec::new(),
        };
        // The children of the next untried rule, solved on the helper beside the current one.
        let mut ahead: Option<(usize, Result<Trial>)> = None;
        for (i, &v) in pool.iter().enumerate() {
            // Wide strong branching at the root of a large batch takes a noticeable share of the budget: never past
            // it.
            if !self.room_for_solves(2) {
                break;
            }
            let seen = self.losses.borrow().get(&v).copied();
            let known = seen.filter(|&(_, count)| count >= reliable);
            if how != ChildBound::Plain && known.is_none() {
                if solved >= limit || since_better >= lookahead {
                    continue;
                }
                solved += 1;
                since_better += 1;
            }
            let (children, lost) = match known {
                Some((sum, count)) => {
                    // Estimated: the children keep the parent's bound until they are solved. (Exact losses are
                    // capped at what this node could lose, as when they are measured.)
                    let mean = sum.map(|s| match how {
                        ChildBound::Plain => s / i128::from(count),
                        ChildBound::Exact | ChildBound::Lagrangian => (s / i128::from(count)).min(most),
                    });
                    ([Some((top, None)), Some((top, None))], mean)
                }
                None => {
                    let next = untried.iter().skip(i + 1).position(|&u| u).map(|k| i + 1 + k);
                    // (`next` is `None` without a helper: `untried` is empty.)
                    let (children, lost) = match (ahead.take(), next, helper.as_deref_mut()) {
                        (Some((j, trial)), _, _) if j == i => trial?,
                        (_, Some(j), Some(lane)) => {
                            let lane_before = lane.catch_up(self);
                            let (me, beside_me) = (&mut *self, &mut *lane);
                            let (trial, beside) =
                                rayon::join(move || me.try_rule(at, v), move || beside_me.try_rule(at, pool[j]));
                            self.absorb(lane, lane_before);
                            ahead = Some((j, beside));
                            trial?
                        }
                        _ => self.try_rule(at, v)?,
                    };
                    let mut table = self.losses.borrow_mut();
                    let entry = table.entry(v).or_insert(([0, 0], 0));
                    entry.0[0] += lost[0];
                    entry.0[1] += lost[1];
                    entry.1 += 1;
                    (children, lost)
                }
            };
            let one_sided = children.iter().any(Option::is_none);
            // Losses are at least 1 so that a child that loses nothing does not hide its sibling's loss.
            let score = (lost[0] + 1).saturating_mul(lost[1] + 1);
            if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                best = Some((score, v, children));
                since_better = 0;
            }
            if one_sided {
                break;
            }
        }
        Ok(best.map(|(_, v, c)| (v, c)))
    }

    /// Both children of rule `v` below the node of `at`, solved as [`Search::strong_branch`] solves them: each
    /// child's bound and flow (`None` when it cannot beat the incumbent), and what each loses from the node's bound.
    fn try_rule(&mut self, at: &StrongBranching<'_>, v: Violation) -> Result<Trial> {
        let StrongBranching { decisions, amounts, top, incumbent, how, .. } = *at;
        // Everything a child can lose: down to the incumbent (beyond, it drops out).
        let most = (top - incumbent).max(0) + 1;
        let mut children: [Option<Child>; 2] = [None, None];
        let mut lost = [most; 2];
        for ((slot, loss), child) in children.iter_mut().zip(&mut lost).zip(self.branch(v, amounts)) {
            let mut trial = decisions.to_vec();
            trial.push(child);
            if let Some((child_bound, flow)) = self.child_bound(&trial, incumbent, how)? {
                *loss = (top - child_bound).clamp(0, most);
                *slot = Some((child_bound, flow));
            }
        }
        Ok((children, lost))
    }

    /// A strong-branching child's bound (see [`Search::strong_branch`]) and, for plain bounds, its flow; `None`
    /// when it cannot beat `incumbent`.
    fn child_bound(&mut self, decisions: &[Decision], incumbent: i128, how: ChildBound) -> Result<Option<Child>> {
        let NodeOutcome::Solved { value, amounts } = self.solve_node(decisions)? else { return Ok(None) };
        let (bound, flow) = match how {
            ChildBound::Plain => (value, Some(amounts)),
            ChildBound::Exact => match self.node_lp(decisions, incumbent, LP_ROUNDS)? {
                Some(relaxed) => (value.min(relaxed.bound), None),
                None => return Ok(None),
            },
            // The plain flow is kept only where its value is the bound: a solved child's value is its flow's.
            ChildBound::Lagrangian => match self.lagrange_bound(decisions)? {
                LagrangeBound::Untuned => (value, Some(amounts)),
                LagrangeBound::Infeasible => return Ok(None),
                LagrangeBound::Bound(b, _) if b < value => (b, None),
                LagrangeBound::Bound(..) => (value, Some(amounts)),
            },
        };
        Ok((self.rounded(bound) > incumbent).then_some((bound, flow)))
    }

    /// The rules broken by either flow, each once, in the order wide strong branching tries them: edge rules
    /// (co-finance, floors, max_awards) first, then need rules, each group the most fractional first.
    pub(super) fn edge_rules_first(
        &self,
        plain: &[Violation],
        charged: &[Violation],
        amounts: &[i64],
    ) -> Vec<Violation> {
        let mut seen = std::collections::HashSet::new();
        let mut candidates: Vec<Violation> = plain.iter().chain(charged).copied().filter(|&v| seen.insert(v)).collect();
        let totals = self.need_totals(amounts);
        candidates.sort_by_key(|&v| {
            (matches!(v, Violation::Need(_)), std::cmp::Reverse(self.violation_fraction(v, amounts, &totals)))
        });
        candidates
    }

    /// The broken rules in the order plain strong branching tries them: need rules by funded total (largest
    /// first), then the others as found.
    pub(super) fn by_funded_total(&self, broken: &[Violation], amounts: &[i64]) -> Vec<Violation> {
        let mut candidates = broken.to_vec();
        let totals = self.need_totals(amounts);
        candidates.sort_by_key(|v| match v {
            Violation::Need(n) => (0, std::cmp::Reverse(totals[*n as usize]), *n),
            _ => (1, std::cmp::Reverse(0), 0),
        });
        candidates
    }

    /// `broken` with, for every offer over its max_awards, each of its other funded awards that `decisions` do not
    /// fix on as a rule to branch on too (on, or off). In the linear relaxation every such award is fractional
    /// (it counts x / u of an award), and [`Search::violations`] names only the offer's smallest one, which is
    /// seldom the one whose two branches both move the bound: SCIP's strong branching, which tries every
    /// fractional award, lowered a small generated batch's bound within a few nodes where ours stayed put for
    /// the whole search.
    pub(super) fn with_every_award(
        &self,
        decisions: &[Decision],
        broken: &[Violation],
        flow: &[i64],
    ) -> Vec<Violation> {
        let mut candidates = broken.to_vec();
        for &v in broken {
            let Violation::MaxAwards(e) = v else { continue };
            let o = self.graph.edges[e as usize].offer as usize;
            candidates.extend(
                self.layout.edges_of_offer[o]
                    .iter()
                    .copied()
                    .filter(|&f| {
                        f != e
                            && flow[f as usize] > 0
                            && !decisions.contains(&Decision::EdgeOn(f))
                            && !decisions.contains(&Decision::Exclusive(f))
                    })
                    .map(Violation::MaxAwards),
            );
        }
        candidates
    }

    /// The rules `broken` by a fractional flow in the order exact strong branching tries them: the max_awards rules
    /// first (their side rows are what the relaxation adds; branching on an all-or-nothing need first mostly
    /// lets another need of equal value take its place, and the bound stays: small generated batches are proved
    /// in a few hundred nodes this way that fractionality alone left open at the node limit), each group the most
    /// fractional first.
    pub(super) fn most_fractional_first(&self, broken: &[Violation], flow: &[i64]) -> Vec<Violation> {
        let totals = self.need_totals(flow);
        let mut candidates = broken.to_vec();
        candidates.sort_by_key(|&v| {
            (!matches!(v, Violation::MaxAwards(_)), std::cmp::Reverse(self.violation_fraction(v, flow, &totals)))
        });
        candidates
    }

    pub(super) fn first_violation(&self, all: &[Violation], amounts: &[i64]) -> Option<Violation> {
        // Branch where the most value is at stake: the need-rule violation with the largest funded total.
        let totals = self.need_totals(amounts);
        let need_violation = all
            .iter()
            .filter_map(|v| if let Violation::Need(n) = v { Some(*n) } else { None })
            .max_by_key(|&n| (totals[n as usize], std::cmp::Reverse(n)));
        need_violation.map(Violation::Need).or_else(|| all.first().copied())
    }

    pub(super) fn branch(&self, violation: Violation, amounts: &[i64]) -> Vec<Decision> {
        match violation {
            Violation::Need(n) => vec![Decision::NeedOn(n), Decision::NeedOff(n)],
            Violation::Floor(e) | Violation::MaxAwards(e) => {
                vec![Decision::EdgeOn(e), Decision::EdgeOff(e)]
            }
            Violation::Cofinance(e) => {
                let _ = amounts;
                vec![Decision::Exclusive(e), Decision::EdgeOff(e)]
            }
        }
    }
}
