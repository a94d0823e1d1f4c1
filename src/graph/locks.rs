//! The awards of a ledger placed on a batch's graph (docs/spec.md §9): which dollars are locked where, which pairs
//! were declined, and what the ledger holds that the batch cannot place.
//!
//! Locked awards (committed and disbursed, and pledged with `--lock pledged`) are fixed amounts on their pairs.
//! They count against their need, their offer and their pair's cap, so the ledger is checked against the batch
//! here: locked money above a need's amount, an offer's envelope or an offer's cap per need is a data error that
//! names the ledger rows that together break it. An award whose offer is not in the batch counts against its need
//! only, one whose need is not in the batch counts nowhere; both are tallied so that a mistyped id shows. A locked
//! pair that today's rules would not allow keeps its amount (it is kept apart from the graph's edges).

use std::collections::{BTreeMap, HashMap};

use crate::error::{DataError, Error, Location, Result};
use crate::model::{AwardStatus, Batch, Ledger, LockLevel, OfferId, group_thousands};

use super::Graph;

/// How many awards, and how much money, a group of ledger rows holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tally {
    /// Number of awards.
    pub awards: usize,
    /// Their total, in dollars.
    pub usd: i128,
}

impl Tally {
    fn add(&mut self, usd: i64) {
        self.awards += 1;
        self.usd += i128::from(usd);
    }
}

/// A locked pair of the batch that the graph has no edge for: today's rules would not allow it, yet the money
/// stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OffGraphLock {
    /// Index of the need in the batch.
    pub need: u32,
    /// Index of the offer in the batch.
    pub offer: u32,
    /// Locked dollars on the pair.
    pub amount: i64,
}

/// A locked award whose offer is not in the batch (an earlier call's, say): it counts against its need only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutsideLock {
    /// Index of the need in the batch.
    pub need: u32,
    /// The offer's id as the ledger gives it.
    pub offer: OfferId,
    /// Locked dollars (all the ledger's locked awards on the pair).
    pub amount: i64,
}

/// Who has locked money in a need: an offer of the batch, or one outside it.
pub type Locker = Option<u32>;

/// The ledger's awards placed on a batch and its graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locks {
    /// Which statuses are locked.
    pub level: LockLevel,
    /// Locked dollars on each edge of the graph, in edge order.
    pub on_edge: Vec<i64>,
    /// Locked pairs of the batch without an edge, by need then offer.
    pub off_graph: Vec<OffGraphLock>,
    /// Locked dollars of each need, whatever offer they come from.
    pub of_need: Vec<i64>,
    /// Locked dollars of each offer of the batch.
    pub of_offer: Vec<i64>,
    /// How many needs each offer has locked money in: awards already made, for `max_awards`.
    pub awards_of_offer: Vec<u32>,
    /// Whether each edge's pair was declined: it gets no new money.
    pub declined: Vec<bool>,
    /// The offers with locked money in each need that has some, in order, without repeats.
    pub lockers: BTreeMap<u32, Vec<Locker>>,
    /// Locked awards whose need is in the batch, whatever their offer.
    pub locked: Tally,
    /// Locked awards whose offer is not in the batch (they count against their need only).
    pub outside_offer: Tally,
    /// The same awards by pair, by need then offer id.
    pub outside: Vec<OutsideLock>,
    /// Per need, its locked pairs without an edge (off the graph or of offers outside the batch): funders the
    /// graph's amounts do not show.
    pub pairs_off_edges: Vec<u32>,
    /// Locked awards whose need is not in the batch (they count nowhere).
    pub unknown_need: Tally,
}

impl Locks {
    /// Places `ledger` on `batch` and its `graph`, locking the statuses `level` names. Locked totals above a need's
    /// amount, an offer's envelope or its cap per need are data errors, one per broken total.
    pub fn place(batch: &Batch, graph: &Graph, ledger: &Ledger, level: LockLevel) -> Result<Locks> {
        Locks::place_where(batch, graph, ledger, level, |_| true)
    }

    /// [`Locks::place`] with the pledged awards that `level` locks narrowed to those `pledged` takes (by index in
    /// the ledger): a Monte Carlo draw locks the pledges that arrive in it (docs/spec.md §7).
    pub fn place_where(
        batch: &Batch,
        graph: &Graph,
        ledger: &Ledger,
        level: LockLevel,
        pledged: impl Fn(usize) -> bool,
    ) -> Result<Locks> {
        let need_of: HashMap<&str, u32> =
            batch.needs.iter().enumerate().map(|(n, need)| (need.id.as_str(), n as u32)).collect();
        let offer_of: HashMap<&str, u32> =
            batch.offers.iter().enumerate().map(|(o, offer)| (offer.id.as_str(), o as u32)).collect();
        let mut locks = Locks {
            level,
            on_edge: vec![0; graph.edges.len()],
            off_graph: Vec::new(),
            of_need: vec![0; batch.needs.len()],
            of_offer: vec![0; batch.offers.len()],
            awards_of_offer: vec![0; batch.offers.len()],
            declined: vec![false; graph.edges.len()],
            lockers: BTreeMap::new(),
            locked: Tally::default(),
            outside_offer: Tally::default(),
            outside: Vec::new(),
            pairs_off_edges: vec![0; batch.needs.len()],
            unknown_need: Tally::default(),
        };
        // The rows behind each total, so that an error can name them.
        let mut need_rows: BTreeMap<u32, (i128, Vec<usize>)> = BTreeMap::new();
        let mut offer_rows: BTreeMap<u32, (i128, Vec<usize>)> = BTreeMap::new();
        let mut pair_rows: BTreeMap<(u32, u32), (i128, Vec<usize>)> = BTreeMap::new();
        let mut outside: BTreeMap<(u32, &OfferId), i64> = BTreeMap::new();
        for (i, award) in ledger.awards.iter().enumerate() {
            let need = need_of.get(award.need.as_str()).copied();
            let offer = offer_of.get(award.offer.as_str()).copied();
            let amount = award.amount.get();
            if award.status == AwardStatus::Declined {
                if let Some(e) = need.zip(offer).and_then(|(n, o)| edge_of(graph, n, o)) {
                    locks.declined[e] = true;
                }
                continue;
            }
            if !award.status.is_locked(level) || (award.status == AwardStatus::Pledged && !pledged(i)) {
                continue;
            }
            let Some(n) = need else {
                locks.unknown_need.add(amount);
                continue;
            };
            locks.locked.add(amount);
            add_row(need_rows.entry(n).or_default(), amount, i);
            let lockers = locks.lockers.entry(n).or_default();
            if !lockers.contains(&offer) {
                lockers.push(offer);
            }
            match offer {
                None => {
                    locks.outside_offer.add(amount);
                    // Within the need's amount once checked below; saturating until then.
                    let pair = outside.entry((n, &award.offer)).or_default();
                    *pair = pair.saturating_add(amount);
                }
                Some(o) => {
                    add_row(offer_rows.entry(o).or_default(), amount, i);
                    add_row(pair_rows.entry((n, o)).or_default(), amount, i);
                }
            }
        }

        let mut errors = Vec::new();
        // `whose` names the total's owner and field, as "need N1's amount_usd".
        let mut broken = |rows: &[usize], whose: String, limit: i64| {
            let last = &ledger.awards[*rows.last().unwrap_or(&0)];
            let total = group_thousands(rows.iter().map(|&r| i128::from(ledger.awards[r].amount.get())).sum());
            let limit = group_thousands(i128::from(limit));
            let message = match rows {
                [one] => format!(
                    "the locked award on line {} ({total} USD) is above {whose} of {limit}",
                    ledger.awards[*one].line
                ),
                _ => {
                    let lines: Vec<String> = rows.iter().map(|&r| ledger.awards[r].line.to_string()).collect();
                    format!(
                        "locked awards on lines {} add up to {total} USD, above {whose} of {limit}",
                        lines.join(", ")
                    )
                }
            };
            let field = Some("amount_usd".to_string());
            let location = Location {
                path: ledger.label.clone(),
                sheet: ledger.sheet.clone(),
                line: last.line,
                column: ledger.amount_column,
                field,
            };
            errors.push(DataError { location, message });
        };
        for (&n, (total, rows)) in &need_rows {
            let need = &batch.needs[n as usize];
            if *total > i128::from(need.amount.get()) {
                broken(rows, format!("need {}'s amount_usd", need.id), need.amount.get());
            } else {
                locks.of_need[n as usize] = *total as i64;
            }
        }
        for (&o, (total, rows)) in &offer_rows {
            let offer = &batch.offers[o as usize];
            if *total > i128::from(offer.envelope.get()) {
                broken(rows, format!("offer {}'s envelope_usd", offer.id), offer.envelope.get());
            } else {
                locks.of_offer[o as usize] = *total as i64;
            }
        }
        for (&(n, o), (total, rows)) in &pair_rows {
            let offer = &batch.offers[o as usize];
            if let Some(cap) = offer.cap_per_need.filter(|cap| *total > i128::from(cap.get())) {
                let whose = format!("offer {}'s cap_per_need_usd (for need {})", offer.id, batch.needs[n as usize].id);
                broken(rows, whose, cap.get());
                continue;
            }
            // Within the need's amount, checked above, so it fits an i64.
            let amount = (*total).min(i128::from(i64::MAX)) as i64;
            locks.awards_of_offer[o as usize] += 1;
            match edge_of(graph, n, o) {
                Some(e) => locks.on_edge[e] = amount,
                None => {
                    locks.off_graph.push(OffGraphLock { need: n, offer: o, amount });
                    locks.pairs_off_edges[n as usize] += 1;
                }
            }
        }
        for &(need, _) in outside.keys() {
            locks.pairs_off_edges[need as usize] += 1;
        }
        locks.outside = outside
            .into_iter()
            .map(|((need, offer), amount)| OutsideLock { need, offer: offer.clone(), amount })
            .collect();
        // In the ledger's order, as a user reads it.
        errors.sort_by_key(|e| e.location.line);
        if errors.is_empty() { Ok(locks) } else { Err(Error::invalid_data(errors, 0)) }
    }

    /// Whether any award is locked.
    pub fn any(&self) -> bool {
        self.of_need.iter().any(|&x| x > 0) || self.unknown_need.awards > 0
    }

    /// Locked dollars of need `n` outside the graph's edges: on pairs the rules no longer allow, and from offers
    /// outside the batch.
    pub fn of_need_off_graph(&self, graph: &Graph, n: usize) -> i64 {
        let on_edges: i64 = (graph.need_start[n]..graph.need_start[n + 1]).map(|e| self.on_edge[e]).sum();
        self.of_need[n] - on_edges
    }
}

fn add_row(entry: &mut (i128, Vec<usize>), amount: i64, row: usize) {
    entry.0 += i128::from(amount);
    entry.1.push(row);
}

/// The edge of the pair (need `n`, offer `o`), if the graph has one (a need's edges are sorted by offer).
pub fn edge_of(graph: &Graph, n: u32, o: u32) -> Option<usize> {
    let start = graph.need_start[n as usize];
    graph.edges_of(n as usize).binary_search_by_key(&o, |e| e.offer).ok().map(|i| start + i)
}
