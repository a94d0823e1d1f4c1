//! Synthetic offers: the mix of DOMAIN.md, scoped so that a need has about [`ELIGIBLE_PER_NEED`] eligible offers
//! at any size, with envelopes scaled to 0.4–0.7 of the demand.
//!
//! Each offer is first drawn from its family's template, the shape a small batch has (a pooled fund with broad
//! themes and no geography, a bilateral donor with 1–2 regions and 2–4 themes, …). With M offers, an offer
//! should reach a share of about `ELIGIBLE_PER_NEED / M` of the needs (jittered by ±40 %), since the expected
//! number of eligible offers per need is the sum of those shares, which `Profile` estimates without comparing
//! needs and offers one by one. When the template reaches more, its scope is narrowed: themes to one or two,
//! then to a few commitment codes, kinds to one, and finally the geography is fitted to the share that is left
//! (the M49 area of a country drawn in proportion to its share of needs, or a list of neighbouring countries
//! around it, so that every need is about equally likely to be covered). When the template reaches fewer, its
//! geography is widened the same way. An offer drawn for a regional organisation (in proportion to their share
//! of needs) keeps the organisation's whole area, since organisations never pass country lists, and narrows its
//! subject instead.
//!
//! Batches of up to 15 offers keep their templates untouched and look like the bundled sample (about 3 eligible
//! offers per need). From 200 offers up, a need has about 20 eligible offers on average whatever the size (the
//! generator's tests hold it in a band; BENCHMARKS.md has the measured pairs per size). Regional trust funds stay
//! inside their sub-region and the sponsorship fund reaches only meeting needs, so those two stay below the target
//! share; regional organisations' needs see fewer eligible offers than States' at large sizes (an organisation that
//! covers a whole region can only use region-wide offers).

use std::collections::BTreeMap;

use super::draw::{
    GenRng, below, between, chance, log_uniform, round_to, shuffle, uniform, weighted, weighted_distinct,
};
use super::profile::Profile;
use super::{GenerateConfig, cycle_month};
use crate::catalog::{AreaKind, MatchRole, Reference};
use crate::model::CommitmentIdx;
use crate::model::{
    Date, DonorType, ImplementerType, Kind, KindSet, Need, Offer, OfferId, RecipientFlag, Theme, ThemeSet, Usd,
};

/// The average number of eligible offers per need that large batches are tuned to.
pub const ELIGIBLE_PER_NEED: f64 = 20.0;

/// Batches with at most this many offers use the fixed mix of DOMAIN.md.
const SMALL_MIX: usize = 15;

/// The families of offers in DOMAIN.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Family {
    /// A pooled UN fund (UNSCAR-like): broad themes, no grants to governments, needs from national reports.
    Pooled,
    /// A regional trust fund: one sub-region, UN agencies only.
    RegionalTrust,
    /// A meeting sponsorship fund (MTG-7).
    Sponsorship,
    /// A bilateral donor: 1–2 regions, 2–4 themes.
    Bilateral,
    /// A joint programme fund: a UN agency with the host government.
    JointProgramme,
}

/// Bilateral donors: code, relative weight, regions of focus.
const BILATERAL_DONORS: [(&str, f64, &[u16]); 21] = [
    ("USA", 3.0, &[2, 19, 142]),
    ("EU", 2.0, &[2, 150, 19, 142]),
    ("DEU", 2.0, &[2, 150]),
    ("GBR", 1.5, &[2, 142]),
    ("JPN", 1.5, &[142, 2]),
    ("NLD", 1.0, &[2, 19]),
    ("SWE", 1.0, &[2, 150]),
    ("CHE", 1.0, &[2, 150, 142]),
    ("NOR", 1.0, &[2, 150]),
    ("CAN", 1.0, &[19, 2]),
    ("AUS", 1.0, &[9, 142]),
    ("FRA", 0.8, &[2]),
    ("DNK", 0.8, &[2]),
    ("FIN", 0.6, &[2, 142]),
    ("NZL", 0.5, &[9]),
    ("ITA", 0.5, &[2, 150]),
    ("ESP", 0.5, &[19, 2]),
    ("BEL", 0.5, &[2]),
    ("KOR", 0.5, &[142]),
    ("IRL", 0.4, &[2]),
    ("AUT", 0.4, &[150, 2]),
];

/// Pooled funds in turn.
const POOLED_FUNDS: [&str; 2] = ["UNSCAR", "ATT_VTF"];

/// Themes that pooled and bilateral offers choose from (meeting sponsorship has its own fund).
fn fundable(theme: Theme) -> bool {
    !matches!(theme, Theme::MeetingParticipation | Theme::InternationalCooperation)
}

/// The offers of a batch, in file order.
pub(super) fn generate(config: &GenerateConfig, reference: &Reference, needs: &[Need], rng: &mut GenRng) -> Vec<Offer> {
    let profile = Profile::new(reference, needs);
    let families = mix(config.offers, rng);
    let mean_share = ELIGIBLE_PER_NEED / config.offers.max(1) as f64;
    let mut drafts: Vec<(Family, Offer)> = Vec::with_capacity(families.len());
    for (k, &family) in families.iter().enumerate() {
        let mut offer = draw_template(family, k, &profile, reference, rng);
        if config.partial_only {
            offer.floor_per_need = None;
            offer.max_awards = None;
            offer.allow_cofinance = true;
        }
        let within = match family {
            Family::RegionalTrust => offer.regions_m49.first().copied().unwrap_or(1),
            _ => 1,
        };
        let target = mean_share * uniform(rng, 0.6, 1.4);
        if config.offers > SMALL_MIX {
            fit(&mut offer, target, within, &profile, reference, rng);
        }
        drafts.push((family, offer));
    }
    scale_envelopes(&mut drafts, needs, rng);

    let mut counters: BTreeMap<String, u32> = BTreeMap::new();
    let mut line = 2u64;
    drafts
        .into_iter()
        .map(|(family, mut offer)| {
            let n = counters.entry(offer.donor.clone()).or_insert(0);
            *n += 1;
            offer.id =
                OfferId(if *n == 1 { format!("{}-2013", offer.donor) } else { format!("{}-2013-{n}", offer.donor) });
            offer.title = title(family, &offer, reference);
            offer.line = line;
            line += 1 + offer.notes.matches('\n').count() as u64;
            offer
        })
        .collect()
}

/// The families of `m` offers: the DOMAIN.md mix for small batches (one pooled fund, a second from 12 offers,
/// a sponsorship fund, a regional trust fund, a joint programme from 10 offers, the rest bilateral), fixed shares
/// in shuffled order for larger ones.
fn mix(m: usize, rng: &mut GenRng) -> Vec<Family> {
    let mut out = Vec::with_capacity(m);
    if m <= SMALL_MIX {
        let pooled = usize::from(m >= 1) + usize::from(m >= 12);
        let regional = usize::from(m >= 4);
        let sponsorship = usize::from(m >= 3);
        let joint = usize::from(m >= 10);
        out.extend(std::iter::repeat_n(Family::Pooled, pooled));
        out.extend(std::iter::repeat_n(Family::RegionalTrust, regional));
        out.extend(std::iter::repeat_n(Family::Sponsorship, sponsorship));
        let bilateral = m - pooled - regional - sponsorship - joint;
        out.extend(std::iter::repeat_n(Family::Bilateral, bilateral));
        out.extend(std::iter::repeat_n(Family::JointProgramme, joint));
        return out;
    }
    let share = |f: f64| (m as f64 * f).round() as usize;
    let pooled = share(0.10);
    let regional = share(0.08);
    let joint = share(0.04);
    let sponsorship = share(0.012).max(1);
    out.extend(std::iter::repeat_n(Family::Pooled, pooled));
    out.extend(std::iter::repeat_n(Family::RegionalTrust, regional));
    out.extend(std::iter::repeat_n(Family::JointProgramme, joint));
    out.extend(std::iter::repeat_n(Family::Sponsorship, sponsorship));
    out.extend(std::iter::repeat_n(Family::Bilateral, m.saturating_sub(out.len())));
    out.truncate(m);
    shuffle(rng, &mut out);
    out
}

/// An offer with every field at its default: no rules, one dollar, no id yet.
fn blank(donor: &str, donor_type: DonorType) -> Offer {
    Offer { donor_type: Some(donor_type), ..Offer::unrestricted(OfferId(String::new()), donor.to_string(), Usd(1)) }
}

fn money(x: f64) -> Usd {
    Usd(round_to(x, 10_000))
}

/// `count` themes drawn in proportion to their share of needs, among those `allowed`.
fn draw_themes(profile: &Profile<'_>, allowed: impl Fn(Theme) -> bool, count: usize, rng: &mut GenRng) -> ThemeSet {
    let weights: Vec<f64> = profile.theme_share.iter().map(|&(t, s)| if allowed(t) { s } else { 0.0 }).collect();
    weighted_distinct(rng, &weights, count).into_iter().map(|i| profile.theme_share[i].0).collect()
}

/// `count` kinds drawn in proportion to their share of needs.
fn draw_kind_set(profile: &Profile<'_>, count: usize, rng: &mut GenRng) -> KindSet {
    let weights: Vec<f64> = profile.kind_share.iter().map(|k| k.1).collect();
    weighted_distinct(rng, &weights, count).into_iter().map(|i| profile.kind_share[i].0).collect()
}

/// `count` target commitments drawn in proportion to their share of needs, among those carrying a theme in
/// `themes` (any theme when empty).
fn draw_codes(
    profile: &Profile<'_>,
    reference: &Reference,
    themes: ThemeSet,
    count: usize,
    rng: &mut GenRng,
) -> Vec<CommitmentIdx> {
    let eligible = |c: &crate::catalog::Commitment| {
        c.match_role == MatchRole::Target
            && c.themes.iter().any(|&t| fundable(t))
            && (themes.is_empty() || c.theme_set().intersects(themes))
    };
    let mut weights: Vec<f64> = reference
        .commitments()
        .iter()
        .zip(&profile.commitment_share)
        .map(|(c, &s)| if eligible(c) { s } else { 0.0 })
        .collect();
    if weights.iter().all(|w| *w <= 0.0) {
        weights = reference.commitments().iter().map(|c| if eligible(c) { 1.0 } else { 0.0 }).collect();
    }
    let mut codes: Vec<CommitmentIdx> =
        weighted_distinct(rng, &weights, count).into_iter().map(|i| CommitmentIdx(i as u16)).collect();
    codes.sort();
    codes
}

/// An M49 area of `kinds` inside `within`, drawn in proportion to its share of needs; leaf areas only (an area
/// that holds another of the candidate kinds is skipped).
fn draw_area(profile: &Profile<'_>, within: u16, kinds: &[AreaKind], rng: &mut GenRng) -> Option<u16> {
    let candidate = |i: usize| {
        let a = &profile.areas[i];
        kinds.contains(&a.kind)
            && profile.area_parents[i].contains(&within)
            && !profile
                .areas
                .iter()
                .enumerate()
                .any(|(j, b)| j != i && kinds.contains(&b.kind) && profile.area_parents[j].contains(&a.m49))
    };
    let weights: Vec<f64> =
        (0..profile.areas.len()).map(|i| if candidate(i) { profile.areas[i].share } else { 0.0 }).collect();
    weighted(rng, &weights).map(|i| profile.areas[i].m49)
}

/// A 12-month window starting in the first half of 2013 (a donor's fiscal year).
fn fiscal_year(rng: &mut GenRng) -> (Date, Date) {
    let start = between(rng, 0, 6);
    (cycle_month(start), cycle_month(start + 12).add_days(-1))
}

fn draw_template(family: Family, k: usize, profile: &Profile<'_>, reference: &Reference, rng: &mut GenRng) -> Offer {
    match family {
        Family::Pooled => {
            let mut o = blank(POOLED_FUNDS[k % POOLED_FUNDS.len()], DonorType::Fund);
            o.themes = draw_themes(profile, fundable, between(rng, 5, 7) as usize, rng);
            o.kinds = [Kind::Financial, Kind::Technical, Kind::Training, Kind::Legal].into_iter().collect();
            o.implementer_types = vec![
                ImplementerType::UnAgency,
                ImplementerType::RegionalOrg,
                ImplementerType::Io,
                ImplementerType::Ngo,
                ImplementerType::Research,
            ];
            o.requires_national_report = true;
            o.duration_min_months = Some(12);
            o.duration_max_months = Some(24);
            o.cap_per_need = Some(money(uniform(rng, 150_000.0, 200_000.0)));
            o.envelope = money(log_uniform(rng, 600_000.0, 2_500_000.0));
            if chance(rng, 0.3) {
                o.max_awards = Some(between(rng, 3, 12) as u32);
            }
            o.notes = "Governments apply through a UN agency, regional organisation, NGO or research institute; \
                       the need must be in a national report."
                .to_string();
            o
        }
        Family::RegionalTrust => {
            let area = draw_area(profile, 1, &[AreaKind::Subregion, AreaKind::Intermediate], rng).unwrap_or(1);
            let donor = if area == 39 { "WB_SALW_TF".to_string() } else { format!("SALW_TF_{area}") };
            let mut o = blank(&donor, DonorType::Fund);
            if area != 1 {
                o.regions_m49 = vec![area];
            }
            let core = [Theme::StockpileManagement, Theme::DestructionDisposal, Theme::Marking, Theme::RecordKeeping];
            o.themes = draw_themes(profile, |t| core.contains(&t), between(rng, 2, 4) as usize, rng);
            o.implementer_types = vec![ImplementerType::UnAgency];
            o.duration_max_months = Some(24);
            o.cap_per_need = Some(money(uniform(rng, 200_000.0, 500_000.0)));
            o.envelope = money(log_uniform(rng, 500_000.0, 3_000_000.0));
            o.notes = "Only participating UN organisations (e.g. UNDP, UNODC) may apply.".to_string();
            o
        }
        Family::Sponsorship => {
            let mut o = blank("POA_SPONSORSHIP", DonorType::Fund);
            o.commitments = ["MTG-7", "POA-C-5f"].iter().filter_map(|c| reference.commitment_by_code(c)).collect();
            if o.commitments.is_empty() {
                o.themes = [Theme::MeetingParticipation].into_iter().collect();
            }
            o.kinds = [Kind::Financial].into_iter().collect();
            o.cap_per_need = Some(Usd(10_000));
            o.envelope = money(uniform(rng, 20_000.0, 80_000.0));
            o.window_start = Some(Date::from_ymd(2014, 5, 1));
            o.window_end = Some(Date::from_ymd(2014, 6, 16));
            o.notes = "One delegate per State: economy airfare and daily subsistence allowance.".to_string();
            o
        }
        Family::JointProgramme => {
            let mut o = blank("SALIENT", DonorType::Fund);
            let allowed = [
                Theme::StockpileManagement,
                Theme::DdrEmbargoes,
                Theme::NationalCoordinationNap,
                Theme::Gender,
                Theme::DestructionDisposal,
            ];
            o.themes = draw_themes(profile, |t| allowed.contains(&t), between(rng, 2, 3) as usize, rng);
            o.implementer_types = vec![ImplementerType::UnAgency, ImplementerType::Government];
            o.duration_min_months = Some(12);
            o.duration_max_months = Some(36);
            o.cap_per_need = Some(money(uniform(rng, 300_000.0, 1_000_000.0)));
            o.envelope = money(log_uniform(rng, 1_000_000.0, 4_000_000.0));
            if chance(rng, 0.5) {
                o.floor_per_need = Some(Usd(50_000));
            }
            o.notes = "Multi-year; a joint proposal of at least two UN agencies\nwith the host government.".to_string();
            o
        }
        Family::Bilateral => bilateral(profile, reference, rng),
    }
}

fn bilateral(profile: &Profile<'_>, reference: &Reference, rng: &mut GenRng) -> Offer {
    // Donors named by ISO code must exist in the country table, or the file would not read back.
    let donors: Vec<&(&str, f64, &[u16])> =
        BILATERAL_DONORS.iter().filter(|d| d.0 == "EU" || reference.country_by_code(d.0).is_some()).collect();
    let weights: Vec<f64> = donors.iter().map(|d| d.1).collect();
    let (code, _, focus) = weighted(rng, &weights).map_or(("EU", 1.0, &[2u16][..]), |i| *donors[i]);
    let donor_type = if code == "EU" { DonorType::RegionalOrg } else { DonorType::State };
    let mut o = blank(code, donor_type);

    // Any region can be chosen, in proportion to its share of needs; the donor's regions of focus count triple.
    let all_regions = [2u16, 19, 142, 9, 150];
    let region_weights: Vec<f64> =
        all_regions.iter().map(|r| profile.area_share(*r) * if focus.contains(r) { 3.0 } else { 1.0 }).collect();
    let count = between(rng, 1, 2) as usize;
    let regions = weighted_distinct(rng, &region_weights, count);
    for i in regions {
        let region = all_regions[i];
        let area = if chance(rng, 0.25) {
            draw_area(profile, region, &[AreaKind::Subregion, AreaKind::Intermediate], rng).unwrap_or(region)
        } else {
            region
        };
        if !o.regions_m49.contains(&area) {
            o.regions_m49.push(area);
        }
    }
    if chance(rng, 0.75) {
        o.themes = draw_themes(profile, fundable, between(rng, 2, 4) as usize, rng);
    } else {
        o.commitments = draw_codes(profile, reference, ThemeSet::EMPTY, between(rng, 3, 6) as usize, rng);
    }
    if chance(rng, 0.5) {
        o.kinds = draw_kind_set(profile, between(rng, 2, 4) as usize, rng);
    }
    let cap = log_uniform(rng, 250_000.0, 1_000_000.0);
    o.cap_per_need = Some(money(cap));
    o.envelope = money(log_uniform(rng, 300_000.0, 5_000_000.0));
    if chance(rng, 0.12) {
        let floor = round_to(uniform(rng, 50_000.0, 150_000.0), 10_000);
        o.floor_per_need = Some(Usd(floor.min(money(cap).get())));
        o.notes = format!("No grants below ${},000.", floor / 1000);
    }
    if chance(rng, 0.2) {
        o.max_awards = Some(between(rng, 2, 8) as u32);
    }
    if chance(rng, 0.12) {
        o.allow_cofinance = false;
        o.notes = "Funds a need only on its own, without other donors.".to_string();
    }
    o.requires_national_report = chance(rng, 0.12);
    if chance(rng, 0.12) {
        const TYPES: [ImplementerType; 6] = [
            ImplementerType::UnAgency,
            ImplementerType::Ngo,
            ImplementerType::Io,
            ImplementerType::RegionalOrg,
            ImplementerType::Research,
            ImplementerType::Government,
        ];
        let count = between(rng, 2, 4) as usize;
        let mut picked = weighted_distinct(rng, &[3.0, 2.0, 1.0, 1.0, 0.5, 1.5], count);
        picked.sort();
        o.implementer_types = picked.into_iter().map(|i| TYPES[i]).collect();
    }
    if chance(rng, 0.12) {
        let (start, end) = fiscal_year(rng);
        o.window_start = Some(start);
        o.window_end = Some(end);
        o.notes = format!("Activities must start within the donor's fiscal year, {start} to {end}.");
    }
    if chance(rng, 0.2) {
        o.duration_min_months = chance(rng, 0.5).then(|| if chance(rng, 0.5) { 6 } else { 12 });
        o.duration_max_months = Some(if chance(rng, 0.5) { 24 } else { 36 });
    }
    if chance(rng, 0.1) {
        // A donor that picked its countries from the catalogue of needs.
        let weights = country_weights(reference, profile, &o.regions_m49);
        let count = between(rng, 2, 5) as usize;
        let mut picked: Vec<_> =
            weighted_distinct(rng, &weights, count).into_iter().map(|i| crate::model::CountryIdx(i as u16)).collect();
        picked.sort();
        if !picked.is_empty() {
            o.countries_include = picked;
            o.regions_m49.clear();
        }
    } else if chance(rng, 0.1) {
        let weights = country_weights(reference, profile, &o.regions_m49);
        let count = between(rng, 1, 2) as usize;
        let mut excluded: Vec<_> =
            weighted_distinct(rng, &weights, count).into_iter().map(|i| crate::model::CountryIdx(i as u16)).collect();
        excluded.sort();
        o.countries_exclude = excluded;
    }
    if chance(rng, 0.1) {
        o.recipient_flags =
            if chance(rng, 0.5) { vec![RecipientFlag::Ldc, RecipientFlag::Sids] } else { vec![RecipientFlag::Ldc] };
    }
    o
}

/// Narrows (or widens) `offer` until the estimated share of needs it can fund is about `target` (see the module
/// docs). A template that reaches fewer needs than the target only gets a wider geography, inside `within`.
fn fit(offer: &mut Offer, target: f64, within: u16, profile: &Profile<'_>, reference: &Reference, rng: &mut GenRng) {
    let reach = profile.eligible_share(offer);
    if reach <= target {
        let geographic = !offer.regions_m49.is_empty() || !offer.countries_include.is_empty();
        let rest = profile.non_geographic_share(offer);
        if geographic && reach < 0.8 * target && rest > 0.0 {
            profile.fit_geography(offer, target / rest, within, rng);
        }
        return;
    }
    // Regional organisations can only use offers whose areas hold theirs, never a country list. An offer is
    // drawn for one in proportion to their share of needs: it covers the organisation's area and narrows its
    // subject instead, unless even the narrowest subject leaves it well above the target (an organisation that
    // covers a whole region, with many offers in the batch); then it takes the usual path.
    if let Some(area) = profile.draw_organisation_area(within, rng) {
        let mut focused = offer.clone();
        focused.regions_m49 = vec![area];
        focused.countries_include.clear();
        focused.recipient_flags.clear();
        focused.countries_exclude.retain(|c| reference.country(*c).in_area(area));
        for _ in 0..16 {
            if profile.eligible_share(&focused) <= target || !narrow_subject(&mut focused, profile, reference, rng) {
                break;
            }
        }
        if profile.eligible_share(&focused) <= 1.5 * target {
            *offer = focused;
            return;
        }
    }
    // Some offers specialise by subject before anything else: a donor with a thematic line.
    if chance(rng, 0.4) {
        narrow_subject(offer, profile, reference, rng);
    }
    // Below this share of needs the geography becomes a handful of countries; narrow the subject first.
    let smallest_geography = uniform(rng, 0.01, 0.06);
    for _ in 0..16 {
        let rest = profile.non_geographic_share(offer);
        if rest <= 0.0 {
            return;
        }
        let geography = target / rest;
        if geography >= smallest_geography || !narrow_subject(offer, profile, reference, rng) {
            profile.fit_geography(offer, geography, within, rng);
            return;
        }
    }
    let geography = target / profile.non_geographic_share(offer).max(f64::MIN_POSITIVE);
    profile.fit_geography(offer, geography, within, rng);
}

/// One step of narrowing by subject: themes to fewer themes, themes to commitment codes, codes to fewer codes,
/// or kinds to fewer kinds. Returns `false` when nothing is left to narrow.
fn narrow_subject(offer: &mut Offer, profile: &Profile<'_>, reference: &Reference, rng: &mut GenRng) -> bool {
    let scope_open = offer.commitments.len() != 1;
    let kinds_open = offer.kinds.is_empty() || offer.kinds.iter().count() > 1;
    if !scope_open && !kinds_open {
        return false;
    }
    if scope_open && (!kinds_open || chance(rng, 0.75)) {
        if offer.commitments.len() > 1 {
            let keep = offer.commitments.len().div_ceil(2).min(offer.commitments.len() - 1);
            shuffle(rng, &mut offer.commitments);
            offer.commitments.truncate(keep.max(1));
            offer.commitments.sort();
        } else if offer.themes.is_empty() {
            offer.themes = draw_themes(profile, fundable, between(rng, 2, 3) as usize, rng);
        } else if offer.themes.iter().count() > 1 {
            let themes: Vec<Theme> = offer.themes.iter().collect();
            let keep = between(rng, 1, 2).min(themes.len() as i64 - 1) as usize;
            let weights: Vec<f64> = themes
                .iter()
                .map(|t| profile.theme_share.iter().find(|s| s.0 == *t).map_or(0.0, |s| s.1).max(1e-9))
                .collect();
            offer.themes = weighted_distinct(rng, &weights, keep).into_iter().map(|i| themes[i]).collect();
        } else {
            let codes = draw_codes(profile, reference, offer.themes, between(rng, 1, 3) as usize, rng);
            if codes.is_empty() {
                return false;
            }
            offer.commitments = codes;
            offer.themes = ThemeSet::EMPTY;
        }
    } else if offer.kinds.is_empty() {
        offer.kinds = draw_kind_set(profile, 2, rng);
    } else {
        let kinds: Vec<Kind> = offer.kinds.iter().collect();
        offer.kinds = [kinds[below(rng, kinds.len())]].into_iter().collect();
    }
    true
}

/// Scales every envelope so that the total supply is a share of 0.4–0.7 of the total demand; caps and floors
/// are then lowered to the envelope where they exceed it.
fn scale_envelopes(drafts: &mut [(Family, Offer)], needs: &[Need], rng: &mut GenRng) {
    let demand: f64 = needs.iter().map(|n| n.amount.get() as f64).sum();
    let supply: f64 = drafts.iter().map(|(_, o)| o.envelope.get() as f64).sum();
    let ratio = uniform(rng, 0.4, 0.7);
    if supply <= 0.0 || demand <= 0.0 {
        return;
    }
    let factor = ratio * demand / supply;
    for (_, o) in drafts.iter_mut() {
        let x = o.envelope.get() as f64 * factor;
        let step = if x >= 20_000.0 { 1_000 } else { 100 };
        o.envelope = Usd(round_to(x, step));
        o.cap_per_need = o.cap_per_need.map(|cap| cap.min(o.envelope));
        let most = o.cap_per_need.unwrap_or(o.envelope);
        o.floor_per_need = o.floor_per_need.map(|floor| floor.min(most));
    }
}

fn theme_label(theme: Theme) -> &'static str {
    match theme {
        Theme::Marking => "marking",
        Theme::RecordKeeping => "record-keeping",
        Theme::Tracing => "tracing",
        Theme::StockpileManagement => "stockpile management",
        Theme::DestructionDisposal => "destruction",
        Theme::BorderControl => "border control",
        Theme::LegislationRegulation => "legislation",
        Theme::Brokering => "brokering controls",
        Theme::NationalCoordinationNap => "national coordination and action plans",
        Theme::DdrEmbargoes => "DDR and arms embargoes",
        Theme::Gender => "gender",
        Theme::InternationalCooperation => "international cooperation",
        Theme::Reporting => "reporting",
        Theme::MeetingParticipation => "meeting participation",
    }
}

/// "a, b and c".
fn join_words(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn title(family: Family, offer: &Offer, reference: &Reference) -> String {
    let donor = match offer.donor.as_str() {
        "UNSCAR" => "UN Trust Facility Supporting Cooperation on Arms Regulation".to_string(),
        "ATT_VTF" => "Arms Trade Treaty Voluntary Trust Fund".to_string(),
        "SALIENT" => "SALIENT joint programme".to_string(),
        "EU" => "European Union".to_string(),
        "WB_SALW_TF" => "Western Balkans SALW Roadmap trust fund".to_string(),
        code => match reference.country_by_code(code) {
            Some(c) => reference.country(c).name_en.clone(),
            None => code.to_string(),
        },
    };
    let subject = if !offer.commitments.is_empty() {
        let codes: Vec<String> = offer.commitments.iter().map(|&c| reference.commitment(c).code.clone()).collect();
        format!("commitments {}", join_words(&codes))
    } else if !offer.themes.is_empty() {
        let words: Vec<String> = offer.themes.iter().map(|t| theme_label(t).to_string()).collect();
        join_words(&words)
    } else {
        "small arms control".to_string()
    };
    let place = if !offer.countries_include.is_empty() {
        let names: Vec<String> =
            offer.countries_include.iter().take(3).map(|&c| reference.country(c).name_en.clone()).collect();
        let more = offer.countries_include.len().saturating_sub(3);
        if more > 0 {
            format!(" in {} and {more} more", names.join(", "))
        } else {
            format!(" in {}", join_words(&names))
        }
    } else if !offer.regions_m49.is_empty() {
        let names: Vec<String> =
            offer.regions_m49.iter().filter_map(|&a| reference.area(a).map(|a| a.name_en.clone())).collect();
        format!(" in {}", join_words(&names))
    } else {
        String::new()
    };
    match family {
        Family::Sponsorship => format!(
            "Sponsorship programme, Fifth Biennial Meeting of States (New York, 16-20 June 2014){}",
            if place.is_empty() { String::new() } else { format!(":{place}") }
        ),
        Family::RegionalTrust if offer.donor != "WB_SALW_TF" => {
            format!("Small arms control trust fund: {subject}{place}")
        }
        _ => format!("{donor}: {subject}{place}"),
    }
}

/// Each country's share of the needs, for the countries inside `regions` (0 elsewhere): how a donor that names
/// countries picks them.
fn country_weights(reference: &Reference, profile: &Profile<'_>, regions: &[u16]) -> Vec<f64> {
    reference
        .countries()
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if regions.iter().any(|&a| c.in_area(a)) {
                profile.country_share(crate::model::CountryIdx(i as u16))
            } else {
                0.0
            }
        })
        .collect()
}
