//! Allocation around a ledger's locks (docs/spec.md §9), against brute force.
//!
//! On tiny random batches with random ledgers (locked, pledged, declined, proposed and cancelled awards, on pairs
//! the graph has and pairs it has not, on offers and needs outside the batch), every amount of new money on every
//! edge is enumerated and kept when the totals pass this file's own reading of the rules: every rule counts locked
//! plus new money, a rule the locks break on their own takes no new money that touches it, declined pairs get
//! nothing new. `solve_with_locks` must reach that optimum, with and without integer rules, and greedy must keep
//! the same rules.

mod common;

use common::batch::{Shape, random_batch, reference};
use poa_match::graph::{self, Graph, locks::Locks};
use poa_match::model::{
    Award, AwardId, AwardStatus, Batch, FundingMode, Ledger, LockLevel, NeedId, OfferId, RoundLabel, Usd,
};
use poa_match::objective::Weights;
use poa_match::solve::{self, Limits, Method, Status, locked::solve_with_locks};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Most allocations one case may enumerate.
const LEAF_BUDGET: u64 = 200_000;

/// A random ledger over `batch`: awards on its pairs (eligible or not), some on ids outside it.
fn random_ledger<R: Rng>(rng: &mut R, batch: &Batch) -> Ledger {
    let statuses = AwardStatus::ALL;
    let count = rng.gen_range(1..=4);
    let awards = (0..count)
        .map(|i| {
            let need = match rng.gen_range(0..10) {
                0 => NeedId("ELSEWHERE".into()),
                _ => batch.needs[rng.gen_range(0..batch.needs.len())].id.clone(),
            };
            let offer = match rng.gen_range(0..8) {
                0 => OfferId("EARLIER-CALL".into()),
                _ => batch.offers[rng.gen_range(0..batch.offers.len())].id.clone(),
            };
            Award {
                id: AwardId(format!("A{i}")),
                round: RoundLabel("2013".into()),
                need,
                offer,
                amount: Usd(rng.gen_range(1..=3)),
                status: statuses[rng.gen_range(0..statuses.len())],
                status_date: None,
                note: String::new(),
                line: i as u64 + 2,
            }
        })
        .collect();
    Ledger { awards, label: "ledger.csv".into(), sheet: None, amount_column: 5 }
}

/// Whether locked plus `new` money keeps every rule, read from docs/spec.md §5 and §9 without the residual batch.
fn keeps_rules(batch: &Batch, graph: &Graph, locks: &Locks, new: &[i64]) -> bool {
    let n_count = batch.needs.len();
    let mut total: Vec<i64> = locks.of_need.clone();
    let mut added = vec![0i64; n_count];
    let mut gave: Vec<i64> = locks.of_offer.clone();
    let mut new_awards = vec![0u32; batch.offers.len()];
    let mut funders: Vec<Vec<Option<u32>>> =
        (0..n_count).map(|n| locks.lockers.get(&(n as u32)).cloned().unwrap_or_default()).collect();
    for (e, edge) in graph.edges.iter().enumerate() {
        let (y, l) = (new[e], locks.on_edge[e]);
        if y == 0 {
            continue;
        }
        let offer = &batch.offers[edge.offer as usize];
        if locks.declined[e] || offer.cap_per_need.is_some_and(|c| y + l > c.get()) {
            return false;
        }
        // A top-up of a locked pair of an offer with a floor or max_awards is not supported yet (residual.rs).
        if l > 0 && (offer.floor_per_need.is_some() || offer.max_awards.is_some()) {
            return false;
        }
        if l == 0 {
            new_awards[edge.offer as usize] += 1;
            if offer.floor_per_need.is_some_and(|f| y < f.get()) {
                return false;
            }
        }
        total[edge.need as usize] += y;
        added[edge.need as usize] += y;
        gave[edge.offer as usize] += y;
        if !funders[edge.need as usize].contains(&Some(edge.offer)) {
            funders[edge.need as usize].push(Some(edge.offer));
        }
    }
    for (n, need) in batch.needs.iter().enumerate() {
        if total[n] > need.amount.get() {
            return false;
        }
        if added[n] > 0 {
            if need.funding_mode == FundingMode::AllOrNothing && total[n] != need.amount.get() {
                return false;
            }
            if need.min_award.is_some_and(|m| total[n] < m.get()) {
                return false;
            }
            let alone = |f: &Option<u32>| f.is_some_and(|o| !batch.offers[o as usize].allow_cofinance);
            if funders[n].len() > 1 && funders[n].iter().any(alone) {
                return false;
            }
        }
    }
    for (o, offer) in batch.offers.iter().enumerate() {
        if gave[o] > offer.envelope.get() {
            return false;
        }
        if new_awards[o] > 0 && offer.max_awards.is_some_and(|k| locks.awards_of_offer[o] + new_awards[o] > k) {
            return false;
        }
    }
    true
}

/// Value of locked plus new money on the graph's edges.
fn value(graph: &Graph, locks: &Locks, new: &[i64]) -> i128 {
    graph.edges.iter().enumerate().map(|(e, edge)| i128::from(new[e] + locks.on_edge[e]) * i128::from(edge.value)).sum()
}

struct Brute<'a> {
    batch: &'a Batch,
    graph: &'a Graph,
    locks: &'a Locks,
    y: Vec<i64>,
    leaves: u64,
    best: Option<i128>,
}

impl Brute<'_> {
    fn dfs(&mut self, k: usize) -> bool {
        if k == self.graph.edges.len() {
            self.leaves += 1;
            if self.leaves > LEAF_BUDGET {
                return false;
            }
            let v = value(self.graph, self.locks, &self.y);
            if self.best.is_none_or(|b| v > b) && keeps_rules(self.batch, self.graph, self.locks, &self.y) {
                self.best = Some(v);
            }
            return true;
        }
        for v in 0..=self.graph.edges[k].upper {
            self.y[k] = v;
            if !self.dfs(k + 1) {
                return false;
            }
        }
        self.y[k] = 0;
        true
    }
}

fn campaign(integer_rules: bool, cases: usize, seed: u64) -> (usize, usize) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let shape = Shape { needs: (2, 4), offers: (1, 3), ..Shape::tiny(integer_rules) };
    let (mut compared, mut locked_cases) = (0, 0);
    let mut tries = 0;
    while compared < cases {
        tries += 1;
        assert!(tries < cases * 50, "too few usable cases");
        let batch = random_batch(&mut rng, &shape);
        if integer_rules != solve::has_integer_rules(&batch) {
            continue;
        }
        let graph = graph::build(&batch, reference(), &Weights::default());
        let ledger = random_ledger(&mut rng, &batch);
        let level = if rng.gen_bool(0.5) { LockLevel::Committed } else { LockLevel::Pledged };
        let Ok(locks) = Locks::place(&batch, &graph, &ledger, level) else { continue };
        let mut brute =
            Brute { batch: &batch, graph: &graph, locks: &locks, y: vec![0; graph.edges.len()], leaves: 0, best: None };
        if !brute.dfs(0) {
            continue;
        }
        let show = || {
            format!("{:?}\n{}\n{}", ledger.awards, common::batch::needs_csv(&batch), common::batch::offers_csv(&batch))
        };
        let best = brute.best.expect("no new money is always allowed");
        let optimal = solve_with_locks(&batch, &graph, &locks, Method::Optimal, Limits::default(), None)
            .unwrap_or_else(|e| panic!("optimal failed: {e}\n{}", show()));
        assert_eq!(optimal.status, Status::Optimal, "{}", show());
        assert_eq!(optimal.objective, best, "optimum {:?}\n{}", optimal.amounts, show());
        let new: Vec<i64> = optimal.amounts.iter().zip(&locks.on_edge).map(|(&x, &l)| x - l).collect();
        assert!(keeps_rules(&batch, &graph, &locks, &new), "optimal breaks a rule\n{}", show());
        let greedy = solve_with_locks(&batch, &graph, &locks, Method::Greedy, Limits::default(), None)
            .unwrap_or_else(|e| panic!("greedy failed: {e}\n{}", show()));
        let new: Vec<i64> = greedy.amounts.iter().zip(&locks.on_edge).map(|(&x, &l)| x - l).collect();
        assert!(keeps_rules(&batch, &graph, &locks, &new), "greedy breaks a rule\n{}", show());
        assert!(greedy.objective <= optimal.objective, "{}", show());
        locked_cases += usize::from(locks.any());
        compared += 1;
    }
    (compared, locked_cases)
}

#[test]
fn the_optimum_with_locks_equals_brute_force_without_integer_rules() {
    let (compared, locked) = campaign(false, 150, 27);
    assert!(locked * 3 >= compared, "too few cases with locks: {locked} of {compared}");
}

#[test]
fn the_optimum_with_locks_equals_brute_force_with_integer_rules() {
    let (compared, locked) = campaign(true, 150, 2713);
    assert!(locked * 3 >= compared, "too few cases with locks: {locked} of {compared}");
}

#[test]
fn locked_totals_above_an_envelope_or_an_amount_name_the_rows() {
    use common::batch::{need, offer};
    use poa_match::model::Kind;
    let batch = Batch {
        needs: vec![
            need("N1", "AGO", &["POA-N-2a"], &[Kind::Financial], 100),
            need("N2", "AGO", &["POA-N-2a"], &[Kind::Financial], 100),
        ],
        offers: vec![offer("O1", "NLD", 100)],
    };
    let graph = graph::build(&batch, reference(), &Weights::default());
    let award = |i: u64, need: &str, amount: i64| Award {
        id: AwardId(format!("A{i}")),
        round: RoundLabel("2013".into()),
        need: NeedId(need.into()),
        offer: OfferId("O1".into()),
        amount: Usd(amount),
        status: AwardStatus::Committed,
        status_date: None,
        note: String::new(),
        line: i + 1,
    };
    let ledger = |awards| Ledger { awards, label: "ledger.csv".into(), sheet: None, amount_column: 5 };
    let error =
        Locks::place(&batch, &graph, &ledger(vec![award(1, "N1", 60), award(2, "N2", 60)]), LockLevel::Committed)
            .unwrap_err()
            .to_string();
    assert_eq!(
        error.lines().nth(1).unwrap_or(""),
        "ledger.csv:3:5: field 'amount_usd': locked awards on lines 2, 3 add up to 120 USD, above offer O1's \
         envelope_usd of 100"
    );
    let error =
        Locks::place(&batch, &graph, &ledger(vec![award(1, "N1", 60), award(2, "N1", 50)]), LockLevel::Committed)
            .unwrap_err()
            .to_string();
    assert_eq!(
        error.lines().nth(1).unwrap_or(""),
        "ledger.csv:3:5: field 'amount_usd': locked awards on lines 2, 3 add up to 110 USD, above need N1's amount_usd \
         of 100"
    );
    let error =
        Locks::place(&batch, &graph, &ledger(vec![award(1, "N1", 150)]), LockLevel::Committed).unwrap_err().to_string();
    assert_eq!(
        error.lines().nth(1).unwrap_or(""),
        "ledger.csv:2:5: field 'amount_usd': the locked award on line 2 (150 USD) is above need N1's amount_usd of 100"
    );
    // A cap per need counts the pair's locked awards together; the errors come in the ledger's line order.
    let mut capped = batch.clone();
    capped.offers[0].cap_per_need = Some(Usd(50));
    let error = Locks::place(
        &capped,
        &graph,
        &ledger(vec![award(1, "N2", 30), award(2, "N1", 30), award(3, "N2", 30)]),
        LockLevel::Committed,
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        error.lines().nth(1).unwrap_or(""),
        "ledger.csv:4:5: field 'amount_usd': locked awards on lines 2, 4 add up to 60 USD, above offer O1's \
         cap_per_need_usd (for need N2) of 50"
    );
    assert_eq!(error.lines().count(), 2, "one broken total: {error}");
    let error =
        Locks::place(&capped, &graph, &ledger(vec![award(1, "N2", 70), award(2, "N1", 60)]), LockLevel::Committed)
            .unwrap_err()
            .to_string();
    let lines: Vec<&str> = error.lines().skip(1).collect();
    assert_eq!(lines.len(), 3, "{error}");
    assert!(lines[0].starts_with("ledger.csv:2:5: field 'amount_usd': the locked award on line 2 (70 USD) is above offer O1's cap_per_need_usd (for need N2)"), "{error}");
    assert!(lines[1].starts_with("ledger.csv:3:5: field 'amount_usd': locked awards on lines 2, 3 add up to 130 USD, above offer O1's envelope_usd"), "{error}");
    assert!(lines[2].starts_with("ledger.csv:3:5: field 'amount_usd': the locked award on line 3 (60 USD) is above offer O1's cap_per_need_usd (for need N1)"), "{error}");
    // Pledged awards are locked only at --lock pledged.
    let mut pledged = ledger(vec![award(1, "N1", 60), award(2, "N1", 50)]);
    pledged.awards[1].status = AwardStatus::Pledged;
    let locks = Locks::place(&batch, &graph, &pledged, LockLevel::Committed).unwrap();
    assert_eq!(locks.of_need, vec![60, 0]);
    assert!(Locks::place(&batch, &graph, &pledged, LockLevel::Pledged).is_err());
}
