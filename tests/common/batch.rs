//! Batches built in code for the library-level oracles: constructors for needs and offers with every optional
//! field blank, a seeded random batch generator with knobs for size, money and rules, a CSV writer that turns a
//! batch back into needs.csv / offers.csv (for the binary and for reproductions), and an allocation checker written
//! from docs/spec.md §5 alone (it does not call `poa_match::solve::check`).

use std::collections::HashSet;

use poa_match::catalog::Reference;
use poa_match::graph::Graph;
use poa_match::io::{ReadOptions, read_needs, read_offers};
use poa_match::model::{
    Batch, CommitmentIdx, CountryIdx, Date, FundingMode, ImplementerType, Kind, Need, NeedId, Offer, OfferId,
    RecipientFlag, Requester, Theme, Usd,
};
use poa_match::objective::Weights;
use rand::Rng;
use rand::seq::SliceRandom;

/// The embedded reference tables.
pub fn reference() -> &'static Reference {
    Reference::embedded()
}

/// A commitment by code (panics on an unknown code: a test bug).
pub fn code(c: &str) -> CommitmentIdx {
    reference().commitment_by_code(c).unwrap_or_else(|| panic!("unknown commitment {c}"))
}

/// A country by ISO code (panics on an unknown code: a test bug).
pub fn country(c: &str) -> CountryIdx {
    reference().country_by_code(c).unwrap_or_else(|| panic!("unknown country {c}"))
}

/// A partial need of a State with no optional field set.
pub fn need(id: &str, requester: &str, commitments: &[&str], kinds: &[Kind], amount: i64) -> Need {
    let c = country(requester);
    Need::plain(
        NeedId(id.to_string()),
        Requester::State(c),
        reference().country(c).alpha3.clone(),
        commitments.iter().map(|s| code(s)).collect(),
        kinds.iter().copied().collect(),
        Usd(amount),
    )
}

/// An offer open to everything, with only an envelope.
pub fn offer(id: &str, donor: &str, envelope: i64) -> Offer {
    Offer::unrestricted(OfferId(id.to_string()), donor.to_string(), Usd(envelope))
}

/// States used by the generator: every M49 region, LDC / LLDC / SIDS and none, and Antarctica (no region at all).
pub const STATES: &[&str] =
    &["BFA", "NER", "KEN", "SOM", "HTI", "JAM", "BOL", "FJI", "TLS", "AFG", "MDV", "BIH", "CHE", "ATA"];

/// M49 areas used by the generator for offers' regions and organisations' regions.
pub const AREAS: &[u16] = &[1, 2, 5, 9, 11, 14, 19, 29, 34, 35, 39, 54, 142, 150, 155, 202, 419];

/// Regional organisations with their regions.
pub const ORGS: &[(&str, u16)] = &[("ECOWAS", 11), ("RECSA", 14), ("CARICOM_IMPACS", 29), ("AU", 2), ("OSCE", 150)];

/// What the generator makes. Amounts are drawn in `unit`s and multiplied.
#[derive(Debug, Clone)]
pub struct Shape {
    /// Needs per batch (inclusive range).
    pub needs: (usize, usize),
    /// Offers per batch (inclusive range).
    pub offers: (usize, usize),
    /// Dollars per unit.
    pub unit: i64,
    /// A need's amount in units.
    pub amount: (i64, i64),
    /// An envelope in units.
    pub envelope: (i64, i64),
    /// A cap in units (drawn for about half the offers).
    pub cap: (i64, i64),
    /// Codes needs cite (all must be `target`).
    pub need_codes: &'static [&'static str],
    /// Codes offers cite.
    pub offer_codes: &'static [&'static str],
    /// Themes offers without codes may list.
    pub themes: &'static [Theme],
    /// Kinds both sides draw from.
    pub kinds: &'static [Kind],
    /// Share of offers that list commitment codes (the others list themes or nothing).
    pub p_offer_codes: f64,
    /// Draw all_or_nothing, min_award, floors, max_awards and allow_cofinance=false.
    pub integer_rules: bool,
    /// Draw requesters from many regions, organisations, and every geographic, implementer, report, window and
    /// duration rule on offers.
    pub geography: bool,
}

impl Shape {
    /// 1–4 needs, 1–3 offers, a few dollars each (brute-forceable), codes ITI-2a / ITI-2b / POA-N-2g.
    pub fn tiny(integer_rules: bool) -> Shape {
        Shape {
            needs: (1, 4),
            offers: (1, 3),
            unit: 1,
            amount: (1, 6),
            envelope: (1, 8),
            cap: (1, 6),
            need_codes: &["ITI-2a", "ITI-2b", "POA-N-2g"],
            offer_codes: &["ITI-2a", "ITI-2b", "POA-N-2g", "ITI-3b"],
            themes: &[Theme::Marking, Theme::RecordKeeping, Theme::StockpileManagement, Theme::Tracing],
            kinds: &[Kind::Financial, Kind::Technical],
            p_offer_codes: 0.7,
            integer_rules,
            geography: false,
        }
    }

    /// Small batches with every geographic rule, for the graph builders.
    pub fn geo() -> Shape {
        Shape {
            needs: (1, 8),
            offers: (1, 6),
            unit: 1000,
            amount: (1, 300),
            envelope: (1, 600),
            cap: (1, 300),
            need_codes: &[
                "ITI-2a", "ITI-2b", "ITI-2c", "POA-N-2g", "POA-N-2a", "POA-R-3b", "POA-R-3f", "MTG-7", "DECL-10",
            ],
            offer_codes: &[
                "ITI-2a", "ITI-2b", "ITI-2c", "POA-N-2g", "POA-R-3b", "ITI-3b", "POA-C-5d", "POA-C-5f", "POA-G-4b",
            ],
            themes: &[
                Theme::Marking,
                Theme::RecordKeeping,
                Theme::StockpileManagement,
                Theme::Tracing,
                Theme::BorderControl,
                Theme::LegislationRegulation,
                Theme::MeetingParticipation,
            ],
            kinds: Kind::ALL,
            p_offer_codes: 0.7,
            integer_rules: true,
            geography: true,
        }
    }

    /// A secretariat-sized batch: `needs` needs and `offers` offers, money in thousands of dollars.
    pub fn large(needs: usize, offers: usize, integer_rules: bool) -> Shape {
        Shape {
            needs: (needs, needs),
            offers: (offers, offers),
            unit: 1000,
            amount: (5, 500),
            envelope: (100, 3000),
            cap: (50, 400),
            p_offer_codes: 0.4,
            integer_rules,
            ..Shape::geo()
        }
    }
}

fn pick<'a, T, R: Rng>(rng: &mut R, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

/// Up to `max` distinct items (at least one).
fn some<T: Copy, R: Rng>(rng: &mut R, items: &[T], max: usize) -> Vec<T> {
    let k = rng.gen_range(1..=max.min(items.len()));
    items.choose_multiple(rng, k).copied().collect()
}

fn date<R: Rng>(rng: &mut R) -> Date {
    // The first of a month in 2013–2014.
    let m = rng.gen_range(0..24);
    Date::from_ymd(2013 + m / 12, m % 12 + 1, 1)
}

fn window<R: Rng>(rng: &mut R) -> (Option<Date>, Option<Date>) {
    let (a, b) = (date(rng), date(rng));
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    match rng.gen_range(0..4) {
        0 => (Some(lo), None),
        1 => (None, Some(hi)),
        _ => (Some(lo), Some(hi)),
    }
}

/// A random batch of the given shape. Every value is one that the CSV reader accepts.
pub fn random_batch<R: Rng>(rng: &mut R, shape: &Shape) -> Batch {
    let r = reference();
    let u = shape.unit;
    let n_needs = rng.gen_range(shape.needs.0..=shape.needs.1);
    let n_offers = rng.gen_range(shape.offers.0..=shape.offers.1);
    let mut needs = Vec::with_capacity(n_needs);
    for i in 0..n_needs {
        let codes = some(rng, shape.need_codes, 2);
        let kinds = some(rng, shape.kinds, 2);
        let amount = rng.gen_range(shape.amount.0..=shape.amount.1) * u;
        let mut n = need(&format!("N{i:03}"), "KEN", &codes, &kinds, amount);
        n.priority = rng.gen_range(1..=3);
        if shape.geography {
            if rng.gen_bool(0.15) {
                let (org, region) = *pick(rng, ORGS);
                n.requester = Requester::RegionalOrg(org.to_string());
                n.requester_code = org.to_string();
                n.region = Some(region);
            } else {
                let c = country(pick::<&str, _>(rng, STATES));
                n.requester = Requester::State(c);
                n.requester_code = r.country(c).alpha3.clone();
            }
            if rng.gen_bool(0.7) {
                let (a, b) = window(rng);
                n.start_earliest = a;
                n.start_latest = b;
            }
            if rng.gen_bool(0.7) {
                n.duration_months = Some(rng.gen_range(1..=36));
            }
            if rng.gen_bool(0.8) {
                n.implementer_type = Some(*pick(rng, ImplementerType::ALL));
            }
            if rng.gen_bool(0.6) {
                n.source_report = Some("NR-2012".to_string());
            }
        } else {
            let c = country(pick::<&str, _>(rng, &["BFA", "KEN", "HTI"]));
            n.requester = Requester::State(c);
            n.requester_code = r.country(c).alpha3.clone();
        }
        if shape.integer_rules {
            if rng.gen_bool(0.3) {
                n.funding_mode = FundingMode::AllOrNothing;
            } else if rng.gen_bool(0.3) {
                n.min_award = Some(Usd(rng.gen_range(1..=amount)));
            }
        }
        n.title = format!("need {i}");
        needs.push(n);
    }
    let mut offers = Vec::with_capacity(n_offers);
    for j in 0..n_offers {
        let envelope = rng.gen_range(shape.envelope.0..=shape.envelope.1) * u;
        let mut o = offer(&format!("O{j:02}"), &format!("D{}", j % 4), envelope);
        if rng.gen_bool(shape.p_offer_codes) {
            o.commitments = some(rng, shape.offer_codes, 2).into_iter().map(code).collect();
        } else if rng.gen_bool(0.6) {
            o.themes = some(rng, shape.themes, 2).into_iter().collect();
        }
        if rng.gen_bool(0.5) {
            o.kinds = some(rng, shape.kinds, 2).into_iter().collect();
        }
        if rng.gen_bool(0.5) {
            o.cap_per_need = Some(Usd(rng.gen_range(shape.cap.0..=shape.cap.1) * u));
        }
        if shape.integer_rules {
            let room = o.cap_per_need.unwrap_or(o.envelope).min(o.envelope).get();
            if rng.gen_bool(0.25) {
                // Floors in whole units most of the time, any dollar amount now and then.
                let floor =
                    if rng.gen_bool(0.8) { rng.gen_range(1..=(room / u).max(1)) * u } else { rng.gen_range(1..=room) };
                o.floor_per_need = Some(Usd(floor.min(room)));
            }
            if rng.gen_bool(0.25) {
                o.max_awards = Some(rng.gen_range(1..=3));
            }
            if rng.gen_bool(0.2) {
                o.allow_cofinance = false;
            }
        }
        if shape.geography {
            if rng.gen_bool(0.3) {
                o.regions_m49 = some(rng, AREAS, 2);
            }
            if rng.gen_bool(0.15) {
                o.countries_include = some(rng, STATES, 4).into_iter().map(country).collect();
            }
            if rng.gen_bool(0.15) {
                o.countries_exclude = some(rng, STATES, 3).into_iter().map(country).collect();
            }
            if rng.gen_bool(0.15) {
                o.recipient_flags = some(rng, RecipientFlag::ALL, 2);
            }
            if rng.gen_bool(0.2) {
                o.implementer_types = some(rng, ImplementerType::ALL, 3);
            }
            o.requires_national_report = rng.gen_bool(0.2);
            if rng.gen_bool(0.3) {
                let (a, b) = window(rng);
                o.window_start = a;
                o.window_end = b;
            }
            if rng.gen_bool(0.3) {
                let (a, b) = (rng.gen_range(1..=36u8), rng.gen_range(1..=36u8));
                match rng.gen_range(0..3) {
                    0 => o.duration_min_months = Some(a.min(b)),
                    1 => o.duration_max_months = Some(a.max(b)),
                    _ => {
                        o.duration_min_months = Some(a.min(b));
                        o.duration_max_months = Some(a.max(b));
                    }
                }
            }
        }
        offers.push(o);
    }
    Batch { needs, offers }
}

fn join<T>(items: &[T], f: impl Fn(&T) -> String) -> String {
    items.iter().map(f).collect::<Vec<_>>().join(";")
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or(String::new(), |v| v.to_string())
}

/// The needs of a batch as needs.csv text (header of `super::NEEDS_HEADER`).
pub fn needs_csv(batch: &Batch) -> String {
    let r = reference();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(super::NEEDS_HEADER.split(',')).unwrap();
    for n in &batch.needs {
        let (requester_type, region) = match &n.requester {
            Requester::State(_) => ("state", opt(n.region)),
            Requester::RegionalOrg(_) => ("regional_org", opt(n.region)),
        };
        w.write_record([
            n.id.0.clone(),
            n.requester_code.clone(),
            requester_type.to_string(),
            region,
            join(&n.commitments, |&c| r.commitment(c).code.clone()),
            n.kinds.to_string(),
            n.amount.to_string(),
            n.funding_mode.as_str().to_string(),
            opt(n.min_award),
            n.priority.to_string(),
            opt(n.start_earliest),
            opt(n.start_latest),
            opt(n.duration_months),
            opt(n.implementer_type),
            n.source_report.clone().unwrap_or_default(),
            n.title.clone(),
            n.notes.clone(),
        ])
        .unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

/// The offers of a batch as offers.csv text (header of `super::OFFERS_HEADER`).
pub fn offers_csv(batch: &Batch) -> String {
    let r = reference();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(super::OFFERS_HEADER.split(',')).unwrap();
    for o in &batch.offers {
        w.write_record([
            o.id.0.clone(),
            o.donor.clone(),
            opt(o.donor_type),
            o.envelope.to_string(),
            opt(o.cap_per_need),
            opt(o.floor_per_need),
            opt(o.max_awards),
            join(&o.commitments, |&c| r.commitment(c).code.clone()),
            o.themes.to_string(),
            o.kinds.to_string(),
            join(&o.regions_m49, |a| a.to_string()),
            join(&o.countries_include, |&c| r.country(c).alpha3.clone()),
            join(&o.countries_exclude, |&c| r.country(c).alpha3.clone()),
            join(&o.recipient_flags, |f| f.as_str().to_string()),
            join(&o.implementer_types, |t| t.as_str().to_string()),
            o.requires_national_report.to_string(),
            o.allow_cofinance.to_string(),
            opt(o.window_start),
            opt(o.window_end),
            opt(o.duration_min_months),
            opt(o.duration_max_months),
            o.title.clone(),
            o.notes.clone(),
        ])
        .unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

/// A needs file and an offers file read through the library, and their graph under the default weights.
pub fn read_batch_files(needs: &std::path::Path, offers: &std::path::Path) -> (Batch, Graph) {
    let r = reference();
    let read = |path: &std::path::Path| std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let needs = read_needs("needs.csv", read(needs).as_slice(), r, ReadOptions::default()).unwrap();
    let offers = read_offers("offers.csv", read(offers).as_slice(), r, ReadOptions::default()).unwrap();
    let batch = Batch { needs, offers };
    let graph = poa_match::graph::build(&batch, r, &Weights::default());
    (batch, graph)
}

/// The amount on each graph edge of an allocation given as `(need_id, offer_id, amount)` rows, as matches.csv and
/// the fixtures' optimum.csv list it; a pair that is not an edge of the graph is an error.
pub fn amounts_of<'a>(
    batch: &Batch,
    graph: &Graph,
    rows: impl IntoIterator<Item = (&'a str, &'a str, i64)>,
) -> Result<Vec<i64>, String> {
    let mut amounts = vec![0i64; graph.edges.len()];
    for (need, offer, amount) in rows {
        let e = graph
            .edges
            .iter()
            .position(|e| {
                batch.needs[e.need as usize].id.as_str() == need && batch.offers[e.offer as usize].id.as_str() == offer
            })
            .ok_or_else(|| format!("({need}, {offer}) is not an eligible pair"))?;
        amounts[e] += amount;
    }
    Ok(amounts)
}

/// The most an edge may carry by docs/spec.md §5: the need's amount, the offer's cap and its envelope.
pub fn edge_limit(need: &Need, offer: &Offer) -> i64 {
    let cap = offer.cap_per_need.map_or(i64::MAX, Usd::get);
    need.amount.get().min(cap).min(offer.envelope.get())
}

/// Checks every constraint of docs/spec.md §5 on `amounts` (one per graph edge), from the batch's own fields:
/// 0 ≤ x ≤ amount, cap and envelope on each edge; Σ_o x ≤ amount_n; Σ_n x ≤ envelope_o; all-or-nothing needs get
/// 0 or everything; min_award: 0 or at least it; each grant 0 or at least the offer's floor; at most max_awards
/// grants per offer; a non-co-financing offer's need has no other funder.
pub fn check_allocation(batch: &Batch, graph: &Graph, amounts: &[i64]) -> Result<(), String> {
    if amounts.len() != graph.edges.len() {
        return Err(format!("{} amounts for {} edges", amounts.len(), graph.edges.len()));
    }
    let mut got = vec![0i128; batch.needs.len()];
    let mut gave = vec![0i128; batch.offers.len()];
    let mut grants = vec![0u32; batch.offers.len()];
    let mut funders: Vec<Vec<usize>> = vec![Vec::new(); batch.needs.len()];
    for (e, &x) in graph.edges.iter().zip(amounts) {
        let (n, o) = (e.need as usize, e.offer as usize);
        let (need, offer) = (&batch.needs[n], &batch.offers[o]);
        if x < 0 || x > edge_limit(need, offer) {
            return Err(format!("{}→{} carries {x}, limit {}", need.id, offer.id, edge_limit(need, offer)));
        }
        if x == 0 {
            continue;
        }
        if let Some(f) = offer.floor_per_need
            && x < f.get()
        {
            return Err(format!("{}→{} carries {x}, below the floor {f}", need.id, offer.id));
        }
        got[n] += i128::from(x);
        gave[o] += i128::from(x);
        grants[o] += 1;
        funders[n].push(o);
    }
    for (n, need) in batch.needs.iter().enumerate() {
        let t = got[n];
        if t > i128::from(need.amount.get()) {
            return Err(format!("{} gets {t} of {}", need.id, need.amount));
        }
        if need.funding_mode == FundingMode::AllOrNothing && t != 0 && t != i128::from(need.amount.get()) {
            return Err(format!("all-or-nothing {} gets {t} of {}", need.id, need.amount));
        }
        if let Some(m) = need.min_award
            && t != 0
            && t < i128::from(m.get())
        {
            return Err(format!("{} gets {t}, below its min_award {m}", need.id));
        }
        for &o in &funders[n] {
            if !batch.offers[o].allow_cofinance && funders[n].len() > 1 {
                return Err(format!("{} is co-financed although {} forbids it", need.id, batch.offers[o].id));
            }
        }
    }
    for (o, offer) in batch.offers.iter().enumerate() {
        if gave[o] > i128::from(offer.envelope.get()) {
            return Err(format!("{} gives {} of {}", offer.id, gave[o], offer.envelope));
        }
        if let Some(k) = offer.max_awards
            && grants[o] > k
        {
            return Err(format!("{} makes {} grants, max_awards {k}", offer.id, grants[o]));
        }
    }
    Ok(())
}

/// Checks the shape of a graph: edges sorted by (need, offer) without repeats, `need_start` consistent with them,
/// every upper limit equal to [`edge_limit`] and every index in range.
pub fn check_graph_shape(batch: &Batch, graph: &Graph) -> Result<(), String> {
    if graph.need_start.len() != batch.needs.len() + 1 || graph.need_start[0] != 0 {
        return Err(format!("need_start {:?} for {} needs", graph.need_start, batch.needs.len()));
    }
    let mut seen = HashSet::new();
    for (k, e) in graph.edges.iter().enumerate() {
        let (n, o) = (e.need as usize, e.offer as usize);
        if n >= batch.needs.len() || o >= batch.offers.len() {
            return Err(format!("edge {k} names need {n} / offer {o}"));
        }
        if !seen.insert((n, o)) {
            return Err(format!("the graph repeats the pair ({n}, {o})"));
        }
        if k > 0 && (graph.edges[k - 1].need, graph.edges[k - 1].offer) >= (e.need, e.offer) {
            return Err(format!("edge {k} is out of (need, offer) order"));
        }
        if !(graph.need_start[n]..graph.need_start[n + 1]).contains(&k) {
            return Err(format!("edge {k} of need {n} lies outside need_start's range"));
        }
        let limit = edge_limit(&batch.needs[n], &batch.offers[o]);
        if e.upper != limit {
            return Err(format!("edge {k} has upper {} but the limit is {limit}", e.upper));
        }
    }
    if *graph.need_start.last().unwrap() != graph.edges.len() {
        return Err("need_start does not end at the edge count".into());
    }
    Ok(())
}

/// Σ x · value, exactly.
pub fn value_of(graph: &Graph, amounts: &[i64]) -> i128 {
    graph.edges.iter().zip(amounts).map(|(e, &x)| i128::from(x) * i128::from(e.value)).sum()
}
