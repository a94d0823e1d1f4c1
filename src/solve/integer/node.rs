//! Search nodes and their decisions: what a node fixes, and how its decisions expand into per-edge states.
//!
//! A node is its parent's bound and a list of [`Decision`]s. [`Search::fixing`] expands them into a [`Fixing`]
//! (each edge free, off or on, and the needs switched on) and propagates what they imply (a need switched off
//! closes its edges, an exclusive award closes its need's other edges, an offer with max_awards awards on has no
//! room for more); `resolve.rs` turns a fixing into penalties on the network. The open nodes' order, best bound
//! first, is what makes the tree best-first (`tree.rs`).

use super::search::Search;

/// One branching decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Decision {
    NeedOff(u32),
    NeedOn(u32),
    EdgeOff(u32),
    EdgeOn(u32),
    /// The edge is on and its need takes nothing from any other offer.
    Exclusive(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fix {
    Free,
    Off,
    On,
}

/// The decisions of a node expanded into per-edge states and the needs switched on.
pub(super) struct Fixing {
    pub(super) edge: Vec<Fix>,
    /// The edges that are not free, each once, in the order they were fixed. A re-solve penalises these and the
    /// needs switched on only: walking every edge and need for them was a large share of a large search's profile.
    pub(super) fixed_edges: Vec<u32>,
    /// The needs switched on, each once.
    pub(super) needs_on: Vec<u32>,
}

impl Fixing {
    /// No decision: every edge free, no need switched on.
    pub(super) fn free(edges: usize) -> Fixing {
        Fixing { edge: vec![Fix::Free; edges], fixed_edges: Vec::new(), needs_on: Vec::new() }
    }

    /// Fixes edge `e` to `fix`; false if it is already fixed the other way.
    pub(super) fn set_edge(&mut self, e: usize, fix: Fix) -> bool {
        match self.edge[e] {
            Fix::Free => {
                self.edge[e] = fix;
                self.fixed_edges.push(e as u32);
                true
            }
            held => held == fix,
        }
    }
}

/// An open search node: its parent's bound and the decisions that define it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Node {
    pub(super) bound: i128,
    pub(super) seq: u64,
    pub(super) decisions: Vec<Decision>,
    /// The node's relaxation (value, amounts) when strong branching already solved it.
    pub(super) solved: Option<(i128, Vec<i64>)>,
    /// How many rules its flow breaks (its parent's count until it is solved).
    pub(super) broken: usize,
}

impl Ord for Node {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // Highest bound first; among equals the one whose flow breaks fewest rules, then the newest (a BinaryHeap
        // pops the greatest).
        self.bound.cmp(&other.bound).then_with(|| other.broken.cmp(&self.broken)).then_with(|| self.seq.cmp(&other.seq))
    }
}

impl PartialOrd for Node {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// What a node's relaxation says.
pub(super) enum NodeOutcome {
    Infeasible,
    Solved { amounts: Vec<i64>, value: i128 },
}

/// Turns every "on" decision into its "off" side: a need switched off, an edge closed.
pub(super) fn turn_off(decisions: &mut [Decision]) {
    for d in decisions {
        *d = match *d {
            Decision::NeedOn(n) => Decision::NeedOff(n),
            Decision::EdgeOn(e) | Decision::Exclusive(e) => Decision::EdgeOff(e),
            other => other,
        };
    }
}

impl<'a> Search<'a> {
    /// Needs that can never get what their rule demands (their edges together cannot carry it) are off from
    /// the start.
    pub(super) fn root_decisions(&self) -> Vec<Decision> {
        (0..self.batch.needs.len())
            .filter(|&n| {
                let reach: i64 = self.graph.edges[self.layout.edge_of_need[n].clone()].iter().map(|e| e.upper).sum();
                self.batch.needs[n].has_integer_rules() && reach > 0 && reach < self.must_get(n)
            })
            .map(|n| Decision::NeedOff(n as u32))
            .collect()
    }

    /// Expands decisions into states and propagates their consequences; `None` if they contradict each other.
    pub(super) fn fixing(&self, decisions: &[Decision]) -> Option<Fixing> {
        let mut f = Fixing::free(self.graph.edges.len());
        // Each need's last decision, which holds (one switched off and then on is on, with its edges off).
        let mut need = vec![Fix::Free; self.batch.needs.len()];
        for &d in decisions {
            let ok = match d {
                Decision::NeedOff(n) => {
                    need[n as usize] = Fix::Off;
                    self.layout.edge_of_need[n as usize].clone().all(|e| f.set_edge(e, Fix::Off))
                }
                Decision::NeedOn(n) => {
                    need[n as usize] = Fix::On;
                    true
                }
                Decision::EdgeOff(e) => f.set_edge(e as usize, Fix::Off),
                Decision::EdgeOn(e) => f.set_edge(e as usize, Fix::On),
                Decision::Exclusive(e) => {
                    let n = self.graph.edges[e as usize].need as usize;
                    f.set_edge(e as usize, Fix::On)
                        && self.layout.edge_of_need[n]
                            .clone()
                            .filter(|&k| k != e as usize)
                            .all(|k| f.set_edge(k, Fix::Off))
                }
            };
            if !ok {
                return None;
            }
        }
        f.needs_on = decisions
            .iter()
            .filter_map(|d| match *d {
                Decision::NeedOn(n) if need[n as usize] == Fix::On => Some(n),
                _ => None,
            })
            .collect();
        f.needs_on.sort_unstable();
        f.needs_on.dedup();
        // An edge on for a non-co-financing offer excludes its need's other edges; an offer with max_awards edges
        // on has no room for more. (Only edges fixed by the decisions are on: the propagation sets edges off.)
        let on: Vec<usize> = f.fixed_edges.iter().map(|&e| e as usize).filter(|&e| f.edge[e] == Fix::On).collect();
        let mut awards = vec![0usize; self.batch.offers.len()];
        for &e in &on {
            let offer = self.graph.edges[e].offer as usize;
            awards[offer] += 1;
            if !self.batch.offers[offer].allow_cofinance {
                let n = self.graph.edges[e].need as usize;
                if !self.layout.edge_of_need[n].clone().filter(|&k| k != e).all(|k| f.set_edge(k, Fix::Off)) {
                    return None;
                }
            }
        }
        for (o, &count) in awards.iter().enumerate() {
            let Some(k) = self.batch.offers[o].max_awards else { continue };
            if count > k as usize {
                return None;
            }
            if count == k as usize {
                for &e in &self.layout.edges_of_offer[o] {
                    f.set_edge(e as usize, Fix::Off);
                }
            }
        }
        Some(f)
    }

    /// Where an "off" decision and an "on" decision concern the same edge, or an edge of a need switched off,
    /// the "on" one is turned off too, so that the decisions agree.
    pub(super) fn off_wins(&self, decisions: &mut [Decision]) {
        let mut closed = std::collections::HashSet::new();
        for d in decisions.iter() {
            match *d {
                Decision::EdgeOff(e) => {
                    closed.insert(e as usize);
                }
                Decision::NeedOff(n) => closed.extend(self.layout.edge_of_need[n as usize].clone()),
                _ => {}
            }
        }
        for d in decisions.iter_mut() {
            if let Decision::EdgeOn(e) | Decision::Exclusive(e) = *d
                && closed.contains(&(e as usize))
            {
                *d = Decision::EdgeOff(e);
            }
        }
    }
}
