//! Oracles for the allocation (docs/spec.md §5) and the eligibility graph (docs/spec.md §4), at library level.
//!
//! - Brute force: on tiny random batches (1–4 needs, 1–3 offers, a few dollars each) every integer allocation
//!   over the graph's edges is enumerated and checked against docs/spec.md §5 by the test's own checker
//!   (`common::batch::check_allocation`, which does not call `poa_match::solve::check`). `Method::Optimal` must
//!   reach the brute-force optimum with status `optimal`, its relaxation must be the brute-force optimum without
//!   integer rules, and greedy ≤ optimal ≤ bound ≤ relaxation must hold, with and without integer rules.
//! - Graph: the indexed `graph::build` must equal `graph::build_by_scan` and an eligibility oracle written here
//!   from docs/spec.md §4 on random small batches with every geographic, implementer, report, window, duration and
//!   money rule.
//!
//! The batches come from a seeded ChaCha loop, so each run checks the same cases. A failing case is shrunk (needs
//! and offers dropped, numbers lowered, rules cleared while it still fails) and printed as needs.csv /
//! offers.csv text, ready for `poa-match match --needs .. --offers ..`.

mod common;

use common::batch::{
    AREAS, Shape, amounts_of, check_allocation, check_graph_shape, edge_limit, needs_csv, offers_csv, random_batch,
    read_batch_files, reference, value_of,
};
use poa_match::catalog::{AreaKind, Reference};
use poa_match::graph::{self, Graph};
use poa_match::io::{ReadOptions, read_needs, read_offers};
use poa_match::model::{Batch, FundingMode, Need, Offer, Requester, ThemeSet, Usd};
use poa_match::model::{CommitmentIdx, CountryIdx};
use poa_match::objective::ScopeMatch;
use poa_match::objective::Weights;
use poa_match::solve::DrawShare;
use poa_match::solve::{self, Limits, Method, Status};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Most allocations one case may enumerate; bigger cases are skipped (and counted).
const LEAF_BUDGET: u64 = 300_000;

/// Exhaustive search over x_e ∈ 0..=upper_e. Partial sums over a need or an offer never exceed its amount or
/// envelope (those branches cannot lead to a feasible allocation), every other rule is left to the checker.
struct Brute<'a> {
    batch: &'a Batch,
    graph: &'a Graph,
    x: Vec<i64>,
    need_left: Vec<i64>,
    offer_left: Vec<i64>,
    leaves: u64,
    /// Best value over allocations that meet the linear constraints only (the flow relaxation, which is integral).
    best_linear: i128,
    /// Best value over allocations that meet every rule, and one such allocation.
    best: i128,
    best_x: Vec<i64>,
}

impl<'a> Brute<'a> {
    /// `None` when the case has more than [`LEAF_BUDGET`] allocations.
    fn run(batch: &'a Batch, graph: &'a Graph) -> Option<Brute<'a>> {
        let mut b = Brute {
            batch,
            graph,
            x: vec![0; graph.edges.len()],
            need_left: batch.needs.iter().map(|n| n.amount.get()).collect(),
            offer_left: batch.offers.iter().map(|o| o.envelope.get()).collect(),
            leaves: 0,
            best_linear: 0,
            best: 0,
            best_x: vec![0; graph.edges.len()],
        };
        b.dfs(0).then_some(b)
    }

    fn dfs(&mut self, k: usize) -> bool {
        if k == self.graph.edges.len() {
            self.leaves += 1;
            if self.leaves > LEAF_BUDGET {
                return false;
            }
            let v = value_of(self.graph, &self.x);
            self.best_linear = self.best_linear.max(v);
            if v > self.best && check_allocation(self.batch, self.graph, &self.x).is_ok() {
                self.best = v;
                self.best_x.clone_from(&self.x);
            }
            return true;
        }
        let e = self.graph.edges[k];
        let (n, o) = (e.need as usize, e.offer as usize);
        let hi = e.upper.min(self.need_left[n]).min(self.offer_left[o]);
        for v in 0..=hi {
            self.x[k] = v;
            self.need_left[n] -= v;
            self.offer_left[o] -= v;
            let ok = self.dfs(k + 1);
            self.need_left[n] += v;
            self.offer_left[o] += v;
            if !ok {
                self.x[k] = 0;
                return false;
            }
        }
        self.x[k] = 0;
        true
    }
}

/// What one agreeing comparison saw.
struct Agreed {
    leaves: u64,
    edges: usize,
    /// The integer rules cost something: optimum < relaxation.
    rules_bind: bool,
    /// Greedy is strictly worse than the optimum.
    greedy_behind: bool,
}

/// The batch as a Monte Carlo draw in which every pledge arrives at half its envelope: the same graph, each edge
/// limited by the smaller envelope (as `simulate` does).
fn halve_envelopes(batch: &Batch, graph: &Graph) -> (Batch, Graph) {
    let mut halved = batch.clone();
    for offer in &mut halved.offers {
        offer.envelope = Usd(offer.envelope.get() / 2);
    }
    let mut halved_graph = graph.clone();
    for edge in &mut halved_graph.edges {
        let need = &halved.needs[edge.need as usize];
        edge.upper = need.amount.min(halved.offers[edge.offer as usize].per_need_limit()).get();
    }
    (halved, halved_graph)
}

/// Compares the solver with brute force on one batch. `Ok(None)`: skipped (too many allocations);
/// `Ok(Some(..))`: agreed; `Err`: what went wrong.
fn compare(batch: &Batch) -> Result<Option<Agreed>, String> {
    let r = reference();
    let graph = graph::build(batch, r, &Weights::default());
    check_graph_shape(batch, &graph)?;
    // The all-zero allocation is always feasible, so an enumeration that finishes always has an optimum.
    let Some(brute) = Brute::run(batch, &graph) else {
        return Ok(None);
    };
    let optimal = solve::solve(batch, &graph, Method::Optimal, Limits::default())
        .map_err(|e| format!("Method::Optimal failed: {e}"))?;
    let greedy =
        solve::solve(batch, &graph, Method::Greedy, Limits::default()).map_err(|e| format!("greedy failed: {e}"))?;
    // The root node's bound alone (the award chains of max_awards offers, no branching) must hold too.
    let root = solve::solve(batch, &graph, Method::Optimal, Limits { node_limit: 1, ..Limits::default() })
        .map_err(|e| format!("Method::Optimal with one node failed: {e}"))?;
    let mut problems = Vec::new();
    // A Monte Carlo draw's search (no separate relaxation, a lighter root, the search network of the scenario
    // given the draw's capacities) must prove the same optimum: without a share, and with the network built for
    // the batch or for the batch with every envelope halved (a draw whose pledges came in part), each used for
    // both, in turn.
    let (halved, halved_graph) = halve_envelopes(batch, &graph);
    let halved_optimal = solve::solve(&halved, &halved_graph, Method::Optimal, Limits::default())
        .map_err(|e| format!("Method::Optimal with halved envelopes failed: {e}"))?;
    let draw = |share: &mut DrawShare, b: &Batch, g: &Graph| {
        solve::solve_draw(b, g, Method::Optimal, Limits::default(), share)
            .map_err(|e| format!("solve_draw failed: {e}"))
    };
    let share_of = |b: &Batch, g: &Graph| DrawShare::new(b, g).map_err(|e| format!("DrawShare::new failed: {e}"));
    let mut full_first = share_of(batch, &graph)?;
    let mut halved_first = share_of(&halved, &halved_graph)?;
    let runs = [
        ("fresh", draw(&mut DrawShare::default(), batch, &graph)?, &optimal, batch, &graph),
        ("full first", draw(&mut full_first, batch, &graph)?, &optimal, batch, &graph),
        (
            "after the full batch",
            draw(&mut full_first, &halved, &halved_graph)?,
            &halved_optimal,
            &halved,
            &halved_graph,
        ),
        ("halved first", draw(&mut halved_first, &halved, &halved_graph)?, &halved_optimal, &halved, &halved_graph),
        ("after the halved batch", draw(&mut halved_first, batch, &graph)?, &optimal, batch, &graph),
    ];
    for (what, got, want, b, g) in runs {
        if (got.objective, got.bound, got.status) != (want.objective, want.bound, want.status)
            || got.relaxation > want.relaxation
            || got.relaxation < got.bound
            || check_allocation(b, g, &got.amounts).is_err()
            || value_of(g, &got.amounts) != got.objective
        {
            problems.push(format!("solve_draw ({what}) gave {got:?}, solve {want:?}"));
        }
    }
    if root.bound < brute.best || root.objective > brute.best {
        problems.push(format!(
            "after the root node: objective {} ≤ optimum {} ≤ bound {} does not hold",
            root.objective, brute.best, root.bound
        ));
    }
    if optimal.status != Status::Optimal {
        problems.push(format!("status {:?}, expected Optimal", optimal.status));
    }
    if optimal.objective != brute.best {
        problems.push(format!(
            "optimal objective {} but brute force finds {} with {:?} (solver chose {:?})",
            optimal.objective, brute.best, brute.best_x, optimal.amounts
        ));
    }
    if optimal.relaxation != brute.best_linear {
        problems.push(format!(
            "relaxation {} but the best allocation without integer rules is worth {}",
            optimal.relaxation, brute.best_linear
        ));
    }
    if value_of(&graph, &optimal.amounts) != optimal.objective {
        problems.push("optimal objective is not the value of its allocation".into());
    }
    if value_of(&graph, &greedy.amounts) != greedy.objective {
        problems.push("greedy objective is not the value of its allocation".into());
    }
    if let Err(e) = check_allocation(batch, &graph, &optimal.amounts) {
        problems.push(format!("optimal allocation {:?} breaks a rule: {e}", optimal.amounts));
    }
    if let Err(e) = check_allocation(batch, &graph, &greedy.amounts) {
        problems.push(format!("greedy allocation {:?} breaks a rule: {e}", greedy.amounts));
    }
    if greedy.objective > optimal.objective {
        problems.push(format!("greedy {} beats optimal {}", greedy.objective, optimal.objective));
    }
    if !(optimal.objective <= optimal.bound && optimal.bound <= optimal.relaxation) {
        problems.push(format!(
            "objective {} ≤ bound {} ≤ relaxation {} does not hold",
            optimal.objective, optimal.bound, optimal.relaxation
        ));
    }
    if optimal.status == Status::Optimal && optimal.bound != optimal.objective {
        problems.push(format!("status optimal with bound {} ≠ objective {}", optimal.bound, optimal.objective));
    }
    if greedy.status != Status::Heuristic || greedy.relaxation != optimal.relaxation {
        problems.push(format!(
            "greedy status {:?} / relaxation {} (optimal's relaxation {})",
            greedy.status, greedy.relaxation, optimal.relaxation
        ));
    }
    if !solve::has_integer_rules(batch) && (optimal.nodes != 0 || optimal.objective != optimal.relaxation) {
        problems.push(format!(
            "without integer rules: {} nodes, objective {} vs relaxation {}",
            optimal.nodes, optimal.objective, optimal.relaxation
        ));
    }
    if problems.is_empty() {
        Ok(Some(Agreed {
            leaves: brute.leaves,
            edges: graph.edges.len(),
            rules_bind: optimal.objective < optimal.relaxation,
            greedy_behind: greedy.objective < optimal.objective,
        }))
    } else {
        Err(problems.join("\n"))
    }
}

/// Smaller variants of a batch, for shrinking a failure.
fn simpler(batch: &Batch) -> Vec<Batch> {
    let mut out = Vec::new();
    for n in 0..batch.needs.len() {
        let mut b = batch.clone();
        b.needs.remove(n);
        out.push(b);
    }
    for o in 0..batch.offers.len() {
        let mut b = batch.clone();
        b.offers.remove(o);
        out.push(b);
    }
    for n in 0..batch.needs.len() {
        let mut edit = |f: &dyn Fn(&mut Need)| {
            let mut b = batch.clone();
            f(&mut b.needs[n]);
            if b != *batch {
                out.push(b);
            }
        };
        edit(&|x| x.funding_mode = FundingMode::Partial);
        edit(&|x| x.min_award = None);
        edit(&|x| x.priority = 2);
        edit(&|x| x.commitments.truncate(1));
        edit(&|x| {
            if x.amount.get() > 1 {
                x.amount = Usd(x.amount.get() - 1);
                x.min_award = x.min_award.map(|m| m.min(x.amount));
            }
        });
    }
    for o in 0..batch.offers.len() {
        let mut edit = |f: &dyn Fn(&mut Offer)| {
            let mut b = batch.clone();
            f(&mut b.offers[o]);
            if b != *batch {
                out.push(b);
            }
        };
        edit(&|x| x.floor_per_need = None);
        edit(&|x| x.max_awards = None);
        edit(&|x| x.allow_cofinance = true);
        edit(&|x| x.cap_per_need = None);
        edit(&|x| x.kinds = Default::default());
        edit(&|x| x.themes = ThemeSet::EMPTY);
        edit(&|x| {
            if x.envelope.get() > 1 {
                x.envelope = Usd(x.envelope.get() - 1);
                let room = x.envelope.min(x.cap_per_need.unwrap_or(x.envelope));
                x.floor_per_need = x.floor_per_need.map(|f| f.min(room));
            }
        });
        edit(&|x| {
            if let Some(c) = x.cap_per_need.filter(|c| c.get() > 1) {
                x.cap_per_need = Some(Usd(c.get() - 1));
                x.floor_per_need = x.floor_per_need.map(|f| f.min(Usd(c.get() - 1)));
            }
        });
    }
    out
}

/// Shrinks a failing batch greedily and panics with a reproduction.
fn fail(batch: &Batch, what: &str, seed_note: &str) -> ! {
    let fails = |b: &Batch| !b.needs.is_empty() && !b.offers.is_empty() && compare(b).is_err();
    let mut smallest = batch.clone();
    'outer: loop {
        for candidate in simpler(&smallest) {
            if fails(&candidate) {
                smallest = candidate;
                continue 'outer;
            }
        }
        break;
    }
    let why = compare(&smallest).err().unwrap_or_else(|| what.to_string());
    panic!(
        "{seed_note}: {what}\n\nshrunk to:\n{why}\n\n--- needs.csv ---\n{}--- offers.csv ---\n{}",
        needs_csv(&smallest),
        offers_csv(&smallest)
    );
}

/// Counts over a campaign.
#[derive(Debug, Default)]
struct Campaign {
    compared: usize,
    skipped: usize,
    largest_enumeration: u64,
    edges: usize,
    rules_bind: usize,
    greedy_behind: usize,
}

/// `POA_ORACLE_SCALE=N` multiplies every campaign's case count (for long bug hunts, best with `--release`);
/// `POA_ORACLE_SEED=S` mixes S into every seed.
fn scaled(cases: usize, seed: u64) -> (usize, u64) {
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let scale = env("POA_ORACLE_SCALE").unwrap_or(1).max(1) as usize;
    (cases * scale, seed ^ env("POA_ORACLE_SEED").unwrap_or(0).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// Runs `cases` brute-force comparisons on batches of `shape`.
fn brute_force_campaign(shape: Shape, cases: usize, seed: u64) -> Campaign {
    let (cases, seed) = scaled(cases, seed);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let integer_rules = shape.integer_rules;
    let mut c = Campaign::default();
    let mut drawn = 0;
    while c.compared < cases {
        let batch = random_batch(&mut rng, &shape);
        drawn += 1;
        if integer_rules != solve::has_integer_rules(&batch) {
            continue;
        }
        match compare(&batch) {
            Ok(Some(a)) => {
                c.compared += 1;
                c.largest_enumeration = c.largest_enumeration.max(a.leaves);
                c.edges += a.edges;
                c.rules_bind += usize::from(a.rules_bind);
                c.greedy_behind += usize::from(a.greedy_behind);
            }
            Ok(None) => c.skipped += 1,
            Err(what) => fail(&batch, &what, &format!("seed {seed}, batch {drawn}")),
        }
    }
    eprintln!("integer rules {integer_rules}: {c:?}");
    c
}

#[test]
fn optimal_equals_brute_force_without_integer_rules() {
    let c = brute_force_campaign(Shape::tiny(false), 600, 0x5EED_0001);
    assert!(c.skipped * 10 < c.compared, "too many cases skipped: {c:?}");
    // The cases must not be trivial: greedy falls behind in some of them.
    assert!(c.greedy_behind > 20 && c.edges > 3 * c.compared, "{c:?}");
}

#[test]
fn optimal_equals_brute_force_with_integer_rules() {
    let c = brute_force_campaign(Shape::tiny(true), 600, 0x5EED_0002);
    assert!(c.skipped * 10 < c.compared, "too many cases skipped: {c:?}");
    // The integer rules must bind (optimum below the relaxation) in a good share of the cases.
    assert!(c.rules_bind > 100 && c.greedy_behind > 20, "{c:?}");
}

/// Denser graphs (most offers open to every theme), so that rules interact across more edges.
#[test]
fn optimal_equals_brute_force_on_dense_graphs() {
    for (integer_rules, seed) in [(false, 0x5EED_0003), (true, 0x5EED_0004)] {
        let shape = Shape { needs: (2, 4), offers: (2, 3), p_offer_codes: 0.15, ..Shape::tiny(integer_rules) };
        let c = brute_force_campaign(shape, 300, seed);
        assert!(c.skipped < c.compared, "too many cases skipped: {c:?}");
        assert!(c.edges * 2 > 9 * c.compared, "{c:?}");
    }
}

/// More needs with fewer dollars each: more rules in play at once (all-or-nothing needs competing for envelopes,
/// max_awards and co-finance bans across several needs).
#[test]
fn optimal_equals_brute_force_on_wide_batches() {
    let shape = Shape {
        needs: (4, 6),
        offers: (2, 3),
        amount: (1, 3),
        envelope: (1, 6),
        cap: (1, 3),
        p_offer_codes: 0.3,
        ..Shape::tiny(true)
    };
    let c = brute_force_campaign(shape, 200, 0x5EED_0005);
    assert!(c.skipped < c.compared, "too many cases skipped: {c:?}");
    assert!(c.rules_bind > 40, "{c:?}");
}

/// Hand-made cases where a rule decides the optimum, each with its optimum worked out by hand.
#[test]
fn integer_rules_by_hand() {
    use common::batch::{need, offer};
    use poa_match::model::Kind::Equipment;
    let r = reference();
    let solve_value = |batch: &Batch| {
        let graph = graph::build(batch, r, &Weights::default());
        let s = solve::solve(batch, &graph, Method::Optimal, Limits::default()).unwrap();
        check_allocation(batch, &graph, &s.amounts).unwrap();
        assert_eq!(s.status, Status::Optimal);
        (s.objective, s.relaxation)
    };
    // Priority-1 shared-code edges are worth 34 a dollar, priority-3 ones 14.
    // All-or-nothing 5 against an envelope of 4: nothing for it, the priority-3 need takes 4.
    let mut a = need("A", "KEN", &["ITI-2a"], &[Equipment], 5);
    a.priority = 1;
    a.funding_mode = FundingMode::AllOrNothing;
    let mut b = need("B", "KEN", &["ITI-2a"], &[Equipment], 4);
    b.priority = 3;
    let mut o = offer("O", "EU", 4);
    o.commitments = vec![common::batch::code("ITI-2a")];
    let batch = Batch { needs: vec![a.clone(), b.clone()], offers: vec![o.clone()] };
    assert_eq!(solve_value(&batch), (4 * 14, 4 * 34));
    // A floor of 3 on an envelope of 5 with needs of 3 and 4: only one of them can be funded, the 4 is worth more.
    let mut a2 = a.clone();
    a2.funding_mode = FundingMode::Partial;
    a2.amount = Usd(3);
    let mut b2 = b.clone();
    b2.priority = 1;
    let mut o2 = o.clone();
    o2.envelope = Usd(5);
    o2.floor_per_need = Some(Usd(3));
    let batch = Batch { needs: vec![a2, b2], offers: vec![o2] };
    assert_eq!(solve_value(&batch), (4 * 34, 5 * 34));
    // Two offers that cannot co-finance, 3 dollars each, one need of 5: one of them alone gives 3.
    let mut n = need("N", "KEN", &["ITI-2a"], &[Equipment], 5);
    n.priority = 1;
    let mut p = o.clone();
    p.envelope = Usd(3);
    p.allow_cofinance = false;
    let mut q = p.clone();
    q.id.0 = "Q".into();
    let batch = Batch { needs: vec![n], offers: vec![p, q] };
    assert_eq!(solve_value(&batch), (3 * 34, 5 * 34));
}

// ---------------------------------------------------------------------------------------------------------------
// The eligibility graph.
// ---------------------------------------------------------------------------------------------------------------

/// Whether M49 area `inner` lies within `outer`, derived here from the country table's region chains.
fn within(r: &Reference, inner: u16, outer: u16) -> bool {
    if outer == 1 || inner == outer {
        return true;
    }
    r.countries().iter().any(|c| {
        let chain: Vec<u16> =
            [c.intermediate_region_code, c.subregion_code, c.region_code].into_iter().flatten().collect();
        match chain.iter().position(|&a| a == inner) {
            Some(i) => chain[i + 1..].contains(&outer),
            None => false,
        }
    })
}

fn state_in(r: &Reference, c: CountryIdx, area: u16) -> bool {
    let k = r.country(c);
    area == 1 || area == k.m49 || [k.region_code, k.subregion_code, k.intermediate_region_code].contains(&Some(area))
}

/// The eligibility rules of docs/spec.md §4 as this test reads them; `Some((scope, explicit geography))` when eligible.
/// Choices the project documents: a regional organisation never passes a country include list and carries no
/// LDC/LLDC/SIDS flag; a need naming no implementer fails an implementer restriction; a need without a duration
/// passes duration bounds; an offer that cannot co-finance must be able to pay alone what the need must get.
fn eligible(r: &Reference, need: &Need, offer: &Offer) -> Option<(ScopeMatch, bool)> {
    // Scope: a shared code, else a code related to one the offer lists, else themes when the offer lists no code.
    let scope = if !offer.commitments.is_empty() {
        let shared = need.commitments.iter().find(|c| offer.commitments.contains(c));
        let related =
            || need.commitments.iter().find(|c| offer.commitments.iter().any(|&o| r.commitment(o).related.contains(c)));
        match (shared, related()) {
            (Some(&c), _) => ScopeMatch::Shared(c),
            (None, Some(&c)) => ScopeMatch::Related(c),
            (None, None) => return None,
        }
    } else {
        let themes: ThemeSet =
            need.commitments.iter().flat_map(|&c: &CommitmentIdx| r.commitment(c).themes.clone()).collect();
        if offer.themes.is_empty() || offer.themes.intersects(themes) {
            ScopeMatch::Theme
        } else {
            return None;
        }
    };
    if !offer.kinds.is_empty() && !offer.kinds.intersects(need.kinds) {
        return None;
    }
    let geography_ok = match &need.requester {
        Requester::State(c) => {
            (offer.regions_m49.is_empty() || offer.regions_m49.iter().any(|&a| state_in(r, *c, a)))
                && (offer.countries_include.is_empty() || offer.countries_include.contains(c))
                && !offer.countries_exclude.contains(c)
                && (offer.recipient_flags.is_empty()
                    || offer.recipient_flags.iter().any(|&f| r.country(*c).has_flag(f)))
        }
        Requester::RegionalOrg(_) => {
            let area = need.region.unwrap_or(1);
            (offer.regions_m49.is_empty() || offer.regions_m49.iter().any(|&a| within(r, area, a)))
                && offer.countries_include.is_empty()
                && offer.recipient_flags.is_empty()
        }
    };
    if !geography_ok {
        return None;
    }
    if !offer.implementer_types.is_empty()
        && !need.implementer_type.is_some_and(|t| offer.implementer_types.contains(&t))
    {
        return None;
    }
    if offer.requires_national_report && need.source_report.is_none() {
        return None;
    }
    if let (Some(start), Some(end)) = (need.start_earliest, offer.window_end)
        && start > end
    {
        return None;
    }
    if let (Some(open), Some(latest)) = (offer.window_start, need.start_latest)
        && open > latest
    {
        return None;
    }
    if let Some(d) = need.duration_months
        && (offer.duration_min_months.is_some_and(|lo| d < lo) || offer.duration_max_months.is_some_and(|hi| d > hi))
    {
        return None;
    }
    let alone = offer.cap_per_need.unwrap_or(offer.envelope).min(offer.envelope);
    let must_get = match need.funding_mode {
        FundingMode::AllOrNothing => Some(need.amount),
        FundingMode::Partial => need.min_award,
    };
    if !offer.allow_cofinance && must_get.is_some_and(|m| m > alone) {
        return None;
    }
    if offer.floor_per_need.is_some_and(|f| f > need.amount) {
        return None;
    }
    // Fit bonus: the offer names the requester's country, or an M49 area narrower than a region that holds it.
    let narrow = |a: u16| r.area(a).is_some_and(|area| area.kind != AreaKind::Region);
    let explicit = match &need.requester {
        Requester::State(c) => {
            offer.countries_include.contains(c)
                || offer.regions_m49.iter().any(|&a| (narrow(a) || a == r.country(*c).m49) && state_in(r, *c, a))
        }
        Requester::RegionalOrg(_) => {
            let area = need.region.unwrap_or(1);
            offer.regions_m49.iter().any(|&a| narrow(a) && within(r, area, a))
        }
    };
    Some((scope, explicit))
}

fn expected_graph(batch: &Batch, w: &Weights) -> Vec<(u32, u32, ScopeMatch, i64, i64, i64)> {
    let r = reference();
    let mut out = Vec::new();
    for (n, need) in batch.needs.iter().enumerate() {
        for (o, offer) in batch.offers.iter().enumerate() {
            if let Some((scope, explicit)) = eligible(r, need, offer) {
                let base = match scope {
                    ScopeMatch::Shared(_) => w.fit_shared_code,
                    ScopeMatch::Related(_) => w.fit_related_code,
                    ScopeMatch::Theme => w.fit_theme,
                };
                let fit = base + if explicit { w.fit_explicit_geography } else { 0 };
                // flag_bonus (docs/spec.md §10): once for a State that is LDC, LLDC or SIDS, never for an organisation.
                let flagged = match &need.requester {
                    Requester::State(c) => {
                        let country = r.country(*c);
                        country.ldc || country.lldc || country.sids
                    }
                    Requester::RegionalOrg(_) => false,
                };
                let bonus = if flagged { w.flag_bonus } else { 0 };
                let value = w.priority_scale * w.priority[usize::from(need.priority) - 1] + fit + bonus;
                out.push((n as u32, o as u32, scope, fit, value, edge_limit(need, offer)));
            }
        }
    }
    out
}

#[test]
fn indexed_build_equals_scan_and_the_rules_oracle() {
    let r = reference();
    let (cases, seed) = scaled(600, 0x6EA0);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let weights = [
        Weights::default(),
        Weights {
            priority_scale: 7,
            priority: [5, 3, 2],
            fit_shared_code: 6,
            fit_related_code: 3,
            fit_theme: 2,
            fit_explicit_geography: 1,
            flag_bonus: 4,
            max_requester_share: None,
        },
    ];
    let (mut edges, mut pairs) = (0, 0);
    let mut scopes = [0usize; 3];
    for case in 0..cases {
        let batch = random_batch(&mut rng, &Shape::geo());
        let w = &weights[case % 2];
        let indexed = graph::build(&batch, r, w);
        let scanned = graph::build_by_scan(&batch, r, w);
        let show = || format!("case {case}\n{}\n{}", needs_csv(&batch), offers_csv(&batch));
        assert_eq!(indexed, scanned, "build differs from build_by_scan in {}", show());
        check_graph_shape(&batch, &indexed).unwrap_or_else(|e| panic!("{e} in {}", show()));
        let got: Vec<_> = indexed.edges.iter().map(|e| (e.need, e.offer, e.scope, e.fit, e.value, e.upper)).collect();
        let want = expected_graph(&batch, w);
        assert_eq!(got, want, "graph differs from the rules oracle in {}", show());
        edges += got.len();
        pairs += batch.needs.len() * batch.offers.len();
        for e in &got {
            scopes[match e.2 {
                ScopeMatch::Shared(_) => 0,
                ScopeMatch::Related(_) => 1,
                ScopeMatch::Theme => 2,
            }] += 1;
        }
    }
    eprintln!("{cases} batches: {edges} edges of {pairs} pairs; shared/related/theme {scopes:?}");
    // The generator must exercise every kind of scope and leave many pairs out, or the comparison proves little.
    assert!(scopes.iter().all(|&s| s > 50), "{scopes:?}");
    assert!(edges * 5 < pairs * 2 && edges * 20 > pairs, "{edges} edges of {pairs} pairs");
}

/// Regional organisations against every M49 area the generator uses: the indexed build must find the same offers
/// as the scan (the index files organisations under every area containing their region).
#[test]
fn regional_organisations_meet_every_area() {
    use common::batch::{need, offer};
    let r = reference();
    let mut n = need("ORG", "KEN", &["ITI-2a"], &[poa_match::model::Kind::Training], 10);
    let offers: Vec<Offer> = AREAS
        .iter()
        .enumerate()
        .map(|(i, &a)| {
            let mut o = offer(&format!("O{i}"), "EU", 10);
            o.regions_m49 = vec![a];
            o
        })
        .collect();
    for area in r.areas().iter().map(|a| a.m49) {
        n.requester = Requester::RegionalOrg("ORG".into());
        n.requester_code = "ORG".into();
        n.region = Some(area);
        let batch = Batch { needs: vec![n.clone()], offers: offers.clone() };
        let indexed = graph::build(&batch, r, &Weights::default());
        assert_eq!(indexed, graph::build_by_scan(&batch, r, &Weights::default()), "region {area}");
        let want: Vec<u32> =
            AREAS.iter().enumerate().filter(|&(_, &a)| within(r, area, a)).map(|(i, _)| i as u32).collect();
        let got: Vec<u32> = indexed.edges.iter().map(|e| e.offer).collect();
        assert_eq!(got, want, "organisation in area {area}");
    }
}

/// The generator's batches are valid inputs: written as CSV and read back they are the same batch.
#[test]
fn generated_batches_round_trip_through_csv() {
    let r = reference();
    let mut rng = ChaCha8Rng::seed_from_u64(0xC5F);
    for case in 0..60 {
        let shape = if case % 2 == 0 { Shape::geo() } else { Shape::tiny(true) };
        let mut batch = random_batch(&mut rng, &shape);
        let needs_text = needs_csv(&batch);
        let offers_text = offers_csv(&batch);
        let needs = read_needs("needs.csv", needs_text.as_bytes(), r, ReadOptions::default())
            .unwrap_or_else(|e| panic!("{e}\n{needs_text}"));
        let offers = read_offers("offers.csv", offers_text.as_bytes(), r, ReadOptions::default())
            .unwrap_or_else(|e| panic!("{e}\n{offers_text}"));
        for (i, n) in batch.needs.iter_mut().enumerate() {
            n.line = i as u64 + 2;
        }
        for (i, o) in batch.offers.iter_mut().enumerate() {
            o.line = i as u64 + 2;
        }
        assert_eq!(needs, batch.needs, "case {case}");
        assert_eq!(offers, batch.offers, "case {case}");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Known optima of generated batches.
// ---------------------------------------------------------------------------------------------------------------

/// A batch in tests/fixtures/optima/NAME (written by `poa-match generate --needs N --offers M --seed S`) with an
/// optimal allocation in optimum.csv (`need_id,offer_id,amount_usd`), found by an external MIP solver on the
/// model of docs/spec.md §5 with gap 0 (HiGHS 1.16 for the seed-2 batches; SCIP through OR-Tools 9.15, the model of
/// benches/peers/ortools_mip.py, for 300 × 30 seed 5, in 34 s) and checked here by the test's own checker.
/// Returns the batch, its graph, the allocation per edge and its value.
fn known_optimum(name: &str) -> (Batch, Graph, Vec<i64>, i128) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/optima").join(name);
    let (batch, graph) = read_batch_files(&dir.join("needs.csv"), &dir.join("offers.csv"));
    let read = |file: &str| std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{name}/{file}: {e}"));
    let text = String::from_utf8(read("optimum.csv")).unwrap();
    let rows = text.lines().skip(1).map(|line| {
        let f: Vec<&str> = line.split(',').collect();
        (f[0], f[1], f[2].parse().unwrap())
    });
    let amounts = amounts_of(&batch, &graph, rows).unwrap_or_else(|e| panic!("{name}: {e}"));
    check_allocation(&batch, &graph, &amounts).unwrap_or_else(|e| panic!("{name}: the known optimum {e}"));
    let value = value_of(&graph, &amounts);
    (batch, graph, amounts, value)
}

const KNOWN_OPTIMA: [(&str, i128); 2] = [("gen-60x13-seed2", 102_390_000), ("gen-300x30-seed2", 639_205_000)];

/// A known optimum the engine does not reach with its default limits (it ends some 2 % short after 20 000
/// nodes), but whose flow bound at the root is exactly the optimum: any bound that overreached, by one granule,
/// would show here.
const KNOWN_OPTIMA_UNREACHED: [(&str, i128); 1] = [("gen-300x30-seed5", 756_488_000)];

/// The solver's bound is a true upper bound and its allocation no better than the optimum, under a small node
/// limit (fast), on batches whose optimum is known.
#[test]
fn bounds_hold_against_known_optima() {
    for (name, optimum) in KNOWN_OPTIMA.into_iter().chain(KNOWN_OPTIMA_UNREACHED) {
        let (batch, graph, _, value) = known_optimum(name);
        assert_eq!(value, optimum, "{name}: the stored allocation's value");
        let limits = Limits { node_limit: 200, ..Limits::default() };
        let s = solve::solve(&batch, &graph, Method::Optimal, limits).unwrap();
        check_allocation(&batch, &graph, &s.amounts).unwrap();
        assert!(s.objective <= optimum && optimum <= s.bound, "{name}: {} ≤ {optimum} ≤ {}", s.objective, s.bound);
        eprintln!(
            "{name}: {:?} after {} nodes: objective {}, bound {}, optimum {optimum}",
            s.status, s.nodes, s.objective, s.bound
        );
    }
}

/// docs/spec.md §5: "exact (gap 0) on secretariat-sized batches (thousands of needs)". Both known optima are reached
/// and proved with the default limits: 60 × 13 after some 7 000 nodes, 300 × 30 at the root, where the Lagrangian
/// bound of the max_awards offers meets the optimum. (Before that bound, at 2a2b867, the search stopped at the
/// node limit on both, 0.23 % short on 300 × 30.) Reproduce: `poa-match generate --needs 300 --offers 30 --seed 2
/// --out d && poa-match match --needs d/needs.csv --offers d/offers.csv`.
#[test]
fn known_optima_are_reached_and_proved() {
    for (name, optimum) in KNOWN_OPTIMA {
        let (batch, graph, _, _) = known_optimum(name);
        let s = solve::solve(&batch, &graph, Method::Optimal, Limits::default()).unwrap();
        assert_eq!(
            (s.status, s.objective, s.bound),
            (Status::Optimal, optimum, optimum),
            "{name} after {} nodes",
            s.nodes
        );
    }
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config { cases: 128, ..proptest::test_runner::Config::default() })]

    /// On random small batches (proptest picks the generator's seed and whether integer rules apply), the optimal
    /// and greedy allocations both keep every constraint of docs/spec.md §5 by the test's own checker, and
    /// greedy ≤ optimal ≤ bound ≤ relaxation.
    #[test]
    fn every_allocation_keeps_every_constraint(seed in proptest::prelude::any::<u64>(), integer_rules: bool) {
        let batch = random_batch(&mut ChaCha8Rng::seed_from_u64(seed), &Shape::tiny(integer_rules));
        let graph = graph::build(&batch, reference(), &Weights::default());
        let optimal = solve::solve(&batch, &graph, Method::Optimal, Limits::default()).unwrap();
        let greedy = solve::solve(&batch, &graph, Method::Greedy, Limits::default()).unwrap();
        proptest::prop_assert_eq!(check_allocation(&batch, &graph, &optimal.amounts), Ok(()));
        proptest::prop_assert_eq!(check_allocation(&batch, &graph, &greedy.amounts), Ok(()));
        proptest::prop_assert!(greedy.objective <= optimal.objective);
        proptest::prop_assert!(optimal.objective <= optimal.bound && optimal.bound <= optimal.relaxation);
    }
}
