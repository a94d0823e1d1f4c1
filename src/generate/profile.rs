//! What the generated needs look like, seen from an offer: the shares of needs that each of an offer's rules
//! lets through.
//!
//! The offer generator narrows an offer's scope until the share of needs it can fund is close to a target (see
//! the module docs of `generate`). Checking every offer against every need would cost O(N·M); instead the
//! profile keeps the marginal distributions of the needs (scope and kinds jointly, because kinds follow themes;
//! requesters; implementer types; reports; a sample of start windows and durations; sorted amounts) and
//! multiplies the shares of the separate rules. The product is an estimate, since it treats the rules as
//! independent; the tests measure the real eligible counts with a plain checker.

use std::collections::BTreeMap;

use super::draw::{GenRng, chance, weighted};
use crate::catalog::{AreaKind, Reference};
use crate::model::{
    CommitmentIdx, CountryIdx, Date, FundingMode, ImplementerType, Kind, KindSet, Need, Offer, Requester, Theme,
    ThemeSet,
};

/// Needs that cite the same commitments and ask for the same kinds.
struct ScopeGroup {
    commitments: Vec<CommitmentIdx>,
    themes: ThemeSet,
    kinds: KindSet,
    count: f64,
}

/// A requester as geography sees it.
enum Place {
    State(CountryIdx),
    /// A regional organisation: the area it covers, and the M49 areas that contain that area.
    Org(u16, Vec<u16>),
}

/// An M49 area with the share of needs whose requester lies in it.
#[derive(Debug, Clone, Copy)]
pub(super) struct AreaShare {
    /// M49 code.
    pub m49: u16,
    /// Level in the hierarchy.
    pub kind: AreaKind,
    /// Share of all needs.
    pub share: f64,
}

/// A need's start window and duration, with its scope so that timing can be estimated among the needs in an
/// offer's scope (meeting sponsorship needs, for one, all start in June 2014).
struct Timing {
    commitments: Vec<CommitmentIdx>,
    themes: ThemeSet,
    kinds: KindSet,
    earliest: Option<Date>,
    latest: Option<Date>,
    duration: Option<u8>,
}

/// Most needs whose start windows and durations are kept for the timing estimate.
const TIMING_SAMPLE: usize = 512;

/// The marginal distributions of a batch of needs.
pub(super) struct Profile<'r> {
    reference: &'r Reference,
    total: f64,
    groups: Vec<ScopeGroup>,
    places: Vec<(Place, f64)>,
    implementers: Vec<(Option<ImplementerType>, f64)>,
    with_report: f64,
    timing: Vec<Timing>,
    amounts: Vec<i64>,
    all_or_nothing_amounts: Vec<i64>,
    /// Share of needs per country (indexed by `CountryIdx`).
    country_share: Vec<f64>,
    /// Share of needs that carry each theme through one of their commitments.
    pub theme_share: Vec<(Theme, f64)>,
    /// Share of needs that cite each commitment (indexed by `CommitmentIdx`).
    pub commitment_share: Vec<f64>,
    /// Share of needs that ask for each kind.
    pub kind_share: Vec<(Kind, f64)>,
    /// Every M49 area except the world, with its share of needs.
    pub areas: Vec<AreaShare>,
    /// For each of `areas`: the codes of the areas that contain it (itself and the world included).
    pub area_parents: Vec<Vec<u16>>,
}

impl<'r> Profile<'r> {
    /// Profiles `needs`.
    pub(super) fn new(reference: &'r Reference, needs: &[Need]) -> Profile<'r> {
        let total = needs.len().max(1) as f64;
        let mut groups: BTreeMap<(Vec<CommitmentIdx>, u8), f64> = BTreeMap::new();
        let mut states: BTreeMap<CountryIdx, f64> = BTreeMap::new();
        let mut orgs: BTreeMap<u16, f64> = BTreeMap::new();
        let mut implementers: BTreeMap<Option<ImplementerType>, f64> = BTreeMap::new();
        let mut with_report = 0.0;
        let mut commitment_share = vec![0.0; reference.commitments().len()];
        let mut theme_count = [0.0; Theme::ALL.len()];
        let mut kind_count = [0.0; Kind::ALL.len()];
        let mut amounts = Vec::with_capacity(needs.len());
        let mut all_or_nothing_amounts = Vec::new();
        for need in needs {
            let mut codes = need.commitments.clone();
            codes.sort();
            let mut themes = ThemeSet::EMPTY;
            for &c in &codes {
                commitment_share[c.0 as usize] += 1.0 / total;
                themes.0 |= reference.commitment(c).theme_set().0;
            }
            for t in themes.iter() {
                theme_count[t as usize] += 1.0;
            }
            for k in need.kinds.iter() {
                kind_count[k as usize] += 1.0;
            }
            *groups.entry((codes, need.kinds.0)).or_default() += 1.0;
            match &need.requester {
                Requester::State(idx) => *states.entry(*idx).or_default() += 1.0,
                Requester::RegionalOrg(_) => *orgs.entry(need.region.unwrap_or(1)).or_default() += 1.0,
            }
            *implementers.entry(need.implementer_type).or_default() += 1.0;
            if need.source_report.is_some() {
                with_report += 1.0;
            }
            amounts.push(need.amount.get());
            if need.funding_mode == FundingMode::AllOrNothing {
                all_or_nothing_amounts.push(need.amount.get());
            }
        }
        amounts.sort_unstable();
        all_or_nothing_amounts.sort_unstable();
        let step = needs.len().div_ceil(TIMING_SAMPLE).max(1);
        let timing = needs
            .iter()
            .step_by(step)
            .map(|n| Timing {
                commitments: n.commitments.clone(),
                themes: n
                    .commitments
                    .iter()
                    .fold(ThemeSet::EMPTY, |s, &c| ThemeSet(s.0 | reference.commitment(c).theme_set().0)),
                kinds: n.kinds,
                earliest: n.start_earliest,
                latest: n.start_latest,
                duration: n.duration_months,
            })
            .collect();

        let groups = groups
            .into_iter()
            .map(|((commitments, kinds), count)| ScopeGroup {
                themes: commitments
                    .iter()
                    .fold(ThemeSet::EMPTY, |s, &c| ThemeSet(s.0 | reference.commitment(c).theme_set().0)),
                commitments,
                kinds: KindSet(kinds),
                count,
            })
            .collect();
        let mut country_share = vec![0.0; reference.countries().len()];
        let mut places: Vec<(Place, f64)> = Vec::new();
        for (idx, count) in states {
            country_share[idx.0 as usize] = count / total;
            places.push((Place::State(idx), count));
        }
        for (region, count) in orgs {
            let within =
                reference.areas().iter().map(|a| a.m49).filter(|&a| area_within(reference, region, a)).collect();
            places.push((Place::Org(region, within), count));
        }
        let areas = reference
            .areas()
            .iter()
            .filter(|a| a.m49 != 1)
            .map(|a| AreaShare {
                m49: a.m49,
                kind: a.kind,
                share: places
                    .iter()
                    .filter(|(p, _)| place_in_areas(reference, p, &[a.m49]))
                    .map(|(_, c)| c)
                    .sum::<f64>()
                    / total,
            })
            .collect::<Vec<AreaShare>>();
        let area_parents = areas
            .iter()
            .map(|inner| {
                reference
                    .areas()
                    .iter()
                    .map(|a| a.m49)
                    .filter(|&outer| area_within(reference, inner.m49, outer))
                    .collect()
            })
            .collect();
        Profile {
            reference,
            total,
            groups,
            places,
            implementers: implementers.into_iter().collect(),
            with_report,
            timing,
            amounts,
            all_or_nothing_amounts,
            country_share,
            theme_share: Theme::ALL.iter().map(|&t| (t, theme_count[t as usize] / total)).collect(),
            commitment_share,
            kind_share: Kind::ALL.iter().map(|&k| (k, kind_count[k as usize] / total)).collect(),
            areas,
            area_parents,
        }
    }

    /// Estimated share of all needs that `offer` can fund.
    pub(super) fn eligible_share(&self, offer: &Offer) -> f64 {
        self.non_geographic_share(offer) * self.geographic_share(offer)
    }

    /// Estimated share of needs that pass every rule of `offer` except geography.
    pub(super) fn non_geographic_share(&self, offer: &Offer) -> f64 {
        let codes = scope_codes(self.reference, offer);
        self.scope_share(offer, &codes)
            * self.implementer_share(offer)
            * self.report_share(offer)
            * self.timing_share(offer, &codes)
            * self.money_share(offer)
    }

    /// Share of needs in scope (commitments or themes) that share a kind with the offer; `codes` is
    /// [`scope_codes`] of the offer.
    fn scope_share(&self, offer: &Offer, codes: &[bool]) -> f64 {
        let passed: f64 = self
            .groups
            .iter()
            .filter(|g| in_scope(offer, codes, &g.commitments, g.themes, g.kinds))
            .map(|g| g.count)
            .sum();
        passed / self.total
    }

    /// Share of needs whose requester passes the offer's areas, country lists and flags.
    pub(super) fn geographic_share(&self, offer: &Offer) -> f64 {
        let passed: f64 = self.places.iter().filter(|(p, _)| self.place_passes(p, offer)).map(|(_, c)| c).sum();
        passed / self.total
    }

    fn place_passes(&self, place: &Place, offer: &Offer) -> bool {
        match place {
            Place::State(idx) => {
                let country = self.reference.country(*idx);
                (offer.regions_m49.is_empty() || offer.regions_m49.iter().any(|&a| country.in_area(a)))
                    && (offer.countries_include.is_empty() || offer.countries_include.contains(idx))
                    && !offer.countries_exclude.contains(idx)
                    && (offer.recipient_flags.is_empty() || offer.recipient_flags.iter().any(|&f| country.has_flag(f)))
            }
            Place::Org(_, within) => {
                (offer.regions_m49.is_empty() || offer.regions_m49.iter().any(|a| within.contains(a)))
                    && offer.countries_include.is_empty()
                    && offer.recipient_flags.is_empty()
            }
        }
    }

    fn implementer_share(&self, offer: &Offer) -> f64 {
        if offer.implementer_types.is_empty() {
            return 1.0;
        }
        let passed: f64 = self
            .implementers
            .iter()
            .filter(|(t, _)| t.is_some_and(|t| offer.implementer_types.contains(&t)))
            .map(|(_, c)| c)
            .sum();
        passed / self.total
    }

    fn report_share(&self, offer: &Offer) -> f64 {
        if offer.requires_national_report { self.with_report / self.total } else { 1.0 }
    }

    /// Share of needs whose start window and duration fit the offer, among the sampled needs in its scope (all
    /// sampled needs when none is).
    fn timing_share(&self, offer: &Offer, codes: &[bool]) -> f64 {
        if offer.window_start.is_none()
            && offer.window_end.is_none()
            && offer.duration_min_months.is_none()
            && offer.duration_max_months.is_none()
        {
            return 1.0;
        }
        let fits = |t: &Timing| {
            let starts_in_window = match (t.latest, offer.window_start) {
                (Some(l), Some(ws)) => l >= ws,
                _ => true,
            } && match (t.earliest, offer.window_end) {
                (Some(e), Some(we)) => e <= we,
                _ => true,
            };
            let duration_fits = t.duration.is_none_or(|d| {
                offer.duration_min_months.is_none_or(|lo| d >= lo) && offer.duration_max_months.is_none_or(|hi| d <= hi)
            });
            starts_in_window && duration_fits
        };
        let scoped: Vec<&Timing> =
            self.timing.iter().filter(|t| in_scope(offer, codes, &t.commitments, t.themes, t.kinds)).collect();
        if scoped.is_empty() {
            let passed = self.timing.iter().filter(|t| fits(t)).count();
            return passed as f64 / self.timing.len().max(1) as f64;
        }
        scoped.iter().filter(|t| fits(t)).count() as f64 / scoped.len() as f64
    }

    fn money_share(&self, offer: &Offer) -> f64 {
        let below_floor = offer.floor_per_need.map_or(0, |floor| self.amounts.partition_point(|&a| a < floor.get()));
        let over_cap = match offer.cap_per_need {
            Some(cap) if !offer.allow_cofinance => {
                let cap = cap.get();
                self.all_or_nothing_amounts.len() - self.all_or_nothing_amounts.partition_point(|&a| a <= cap)
            }
            _ => 0,
        };
        (1.0 - (below_floor + over_cap) as f64 / self.total).max(0.0)
    }

    /// Share of needs of one country.
    pub(super) fn country_share(&self, idx: CountryIdx) -> f64 {
        self.country_share.get(idx.0 as usize).copied().unwrap_or(0.0)
    }

    /// Share of needs in one M49 area (1 for the world).
    pub(super) fn area_share(&self, m49: u16) -> f64 {
        if m49 == 1 {
            return 1.0;
        }
        self.areas.iter().find(|a| a.m49 == m49).map_or(0.0, |a| a.share)
    }

    /// Draws a requester inside area `within` in proportion to its share of needs; when it is a regional
    /// organisation, returns the area the organisation covers (the smallest area whose offers it can use).
    ///
    /// Drawing organisations more often than their share does not pay: an offer that covers a whole area must
    /// narrow its subject, so it adds as little for the organisation as it takes from the States' country offers.
    /// At large sizes, organisations' needs therefore see fewer eligible offers than States' needs.
    pub(super) fn draw_organisation_area(&self, within: u16, rng: &mut GenRng) -> Option<u16> {
        let weights: Vec<f64> = self
            .places
            .iter()
            .map(|(p, c)| if place_in_areas(self.reference, p, &[within]) { *c } else { 0.0 })
            .collect();
        match &self.places[weighted(rng, &weights)?].0 {
            Place::Org(region, _) => Some(*region),
            Place::State(_) => None,
        }
    }

    /// Replaces the offer's geography by one inside area `within` (1 = the world) whose share of needs is close
    /// to `target`: the whole of `within`, one M49 area, or a list of countries around a country drawn in
    /// proportion to its share of needs (so that every need sees about the same number of offers).
    pub(super) fn fit_geography(&self, offer: &mut Offer, target: f64, within: u16, rng: &mut GenRng) {
        offer.regions_m49.clear();
        offer.countries_include.clear();
        offer.recipient_flags.clear();
        let reference = self.reference;
        if target >= 0.9 * self.area_share(within) {
            if within != 1 {
                offer.regions_m49.push(within);
                offer.countries_exclude.retain(|c| reference.country(*c).in_area(within));
            }
            return;
        }
        // A seed country in proportion to its share of needs, so that every need is about as likely to be
        // covered as its share says; then either the seed's own M49 area, when its share is close to the target,
        // or neighbours from the seed's smallest area that holds enough.
        let mut weights: Vec<f64> = self
            .country_share
            .iter()
            .zip(reference.countries())
            .map(|(&s, c)| if c.in_area(within) { s } else { 0.0 })
            .collect();
        let Some(seed) = weighted(rng, &weights) else {
            return;
        };
        let country = &reference.countries()[seed];
        let inside =
            |a: u16| self.areas.iter().position(|x| x.m49 == a).is_some_and(|i| self.area_parents[i].contains(&within));
        let areas = [country.intermediate_region_code, country.subregion_code, country.region_code];
        let near = areas.into_iter().flatten().find(|&a| {
            let share = self.area_share(a);
            inside(a) && share >= target / 1.25 && share <= target * 1.25
        });
        if let Some(area) = near
            && chance(rng, 0.5)
        {
            offer.regions_m49.push(area);
            offer.countries_exclude.retain(|c| reference.country(*c).in_area(area));
            return;
        }
        let anchor = areas.into_iter().flatten().find(|&a| inside(a) && self.area_share(a) >= target).unwrap_or(within);
        for (w, c) in weights.iter_mut().zip(reference.countries()) {
            if !c.in_area(anchor) {
                *w = 0.0;
            }
        }
        weights[seed] = 0.0;
        let mut chosen = vec![CountryIdx(seed as u16)];
        let mut share = self.country_share[seed];
        while share < target {
            let Some(i) = weighted(rng, &weights) else {
                break;
            };
            weights[i] = 0.0;
            let s = self.country_share[i];
            // Take the country only if that brings the share closer to the target.
            if share + s - target > target - share {
                break;
            }
            chosen.push(CountryIdx(i as u16));
            share += s;
        }
        chosen.sort();
        offer.countries_exclude.clear();
        offer.countries_include = chosen;
    }
}

/// The codes that put a need in the scope of an offer that lists commitments: those codes and their related
/// codes, as a lookup table by `CommitmentIdx`.
pub(super) fn scope_codes(reference: &Reference, offer: &Offer) -> Vec<bool> {
    let mut codes = vec![false; reference.commitments().len()];
    for &c in &offer.commitments {
        codes[c.0 as usize] = true;
        for r in &reference.commitment(c).related {
            codes[r.0 as usize] = true;
        }
    }
    codes
}

/// Whether a need with these commitments, themes and kinds is in the offer's scope (`codes` from [`scope_codes`]).
fn in_scope(offer: &Offer, codes: &[bool], commitments: &[CommitmentIdx], themes: ThemeSet, kinds: KindSet) -> bool {
    let subject = if !offer.commitments.is_empty() {
        commitments.iter().any(|c| codes[c.0 as usize])
    } else {
        offer.themes.is_empty() || offer.themes.intersects(themes)
    };
    subject && (offer.kinds.is_empty() || offer.kinds.intersects(kinds))
}

/// Whether M49 area `inner` lies inside area `outer`: the world holds everything, and otherwise every country of
/// `inner` must lie in `outer`.
pub(super) fn area_within(reference: &Reference, inner: u16, outer: u16) -> bool {
    if outer == 1 || outer == inner {
        return true;
    }
    let mut members = reference.countries().iter().filter(|c| c.in_area(inner));
    let mut any = false;
    members.all(|c| {
        any = true;
        c.in_area(outer)
    }) && any
}

fn place_in_areas(reference: &Reference, place: &Place, areas: &[u16]) -> bool {
    match place {
        Place::State(idx) => areas.iter().any(|&a| reference.country(*idx).in_area(a)),
        Place::Org(_, within) => areas.iter().any(|a| within.contains(a)),
    }
}
