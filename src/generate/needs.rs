//! Synthetic needs, calibrated to DOMAIN.md ("Calibration for synthetic data").
//!
//! Requesters are drawn region by region (Africa .50, Americas .25, Asia .15, Oceania .05, Europe .05) from the
//! UN Member States that do not give assistance themselves, with LDCs and SIDS weighted up, plus a few regional
//! organisations. Each draw of a requester yields 1 + Poisson(1.2) needs (at most 5). A region's requesters are
//! drawn without replacement until half of its weight is used, then the pool refills: a small batch has
//! distinct requesters, a large one cycles through the countries, numbering their needs on (`KEN-01` …
//! `KEN-412`).

use std::collections::BTreeMap;

use super::draw::{GenRng, between, chance, exp, normal, poisson, round_to, uniform, unit, weighted};
use super::{CYCLE_MONTHS, GenerateConfig, cycle_month};
use crate::catalog::{Level, MatchRole, Reference};
use crate::model::{
    CommitmentIdx, CountryIdx, Date, FundingMode, ImplementerType, Kind, KindSet, Need, NeedId, Requester, Theme,
};

/// Requests by region (M49 region code, weight).
pub(super) const REGION_WEIGHTS: [(u16, f64); 5] = [(2, 0.50), (19, 0.25), (142, 0.15), (9, 0.05), (150, 0.05)];

/// Primary theme weights of DOMAIN.md.
pub(super) const THEME_WEIGHTS: [(Theme, f64); 13] = [
    (Theme::StockpileManagement, 0.22),
    (Theme::Marking, 0.16),
    (Theme::RecordKeeping, 0.14),
    (Theme::DestructionDisposal, 0.10),
    (Theme::LegislationRegulation, 0.08),
    (Theme::Tracing, 0.07),
    (Theme::BorderControl, 0.07),
    (Theme::NationalCoordinationNap, 0.06),
    (Theme::Reporting, 0.03),
    (Theme::Gender, 0.03),
    (Theme::DdrEmbargoes, 0.02),
    (Theme::Brokering, 0.01),
    (Theme::MeetingParticipation, 0.01),
];

/// The themes of which 92 % of requesters have at least one need (DOMAIN.md).
const CORE_THEMES: [Theme; 3] = [Theme::StockpileManagement, Theme::Marking, Theme::RecordKeeping];

/// UN Member States (ISO alpha-3), from the UNTERM names in the shared country-codes table.
const UN_MEMBERS: &[&str] = &[
    "AFG", "AGO", "ALB", "AND", "ARE", "ARG", "ARM", "ATG", "AUS", "AUT", "AZE", "BDI", "BEL", "BEN", "BFA", "BGD",
    "BGR", "BHR", "BHS", "BIH", "BLR", "BLZ", "BOL", "BRA", "BRB", "BRN", "BTN", "BWA", "CAF", "CAN", "CHE", "CHL",
    "CHN", "CIV", "CMR", "COD", "COG", "COL", "COM", "CPV", "CRI", "CUB", "CYP", "CZE", "DEU", "DJI", "DMA", "DNK",
    "DOM", "DZA", "ECU", "EGY", "ERI", "ESP", "EST", "ETH", "FIN", "FJI", "FRA", "FSM", "GAB", "GBR", "GEO", "GHA",
    "GIN", "GMB", "GNB", "GNQ", "GRC", "GRD", "GTM", "GUY", "HND", "HRV", "HTI", "HUN", "IDN", "IND", "IRL", "IRN",
    "IRQ", "ISL", "ISR", "ITA", "JAM", "JOR", "JPN", "KAZ", "KEN", "KGZ", "KHM", "KIR", "KNA", "KOR", "KWT", "LAO",
    "LBN", "LBR", "LBY", "LCA", "LIE", "LKA", "LSO", "LTU", "LUX", "LVA", "MAR", "MCO", "MDA", "MDG", "MDV", "MEX",
    "MHL", "MKD", "MLI", "MLT", "MMR", "MNE", "MNG", "MOZ", "MRT", "MUS", "MWI", "MYS", "NAM", "NER", "NGA", "NIC",
    "NLD", "NOR", "NPL", "NRU", "NZL", "OMN", "PAK", "PAN", "PER", "PHL", "PLW", "PNG", "POL", "PRK", "PRT", "PRY",
    "QAT", "ROU", "RUS", "RWA", "SAU", "SDN", "SEN", "SGP", "SLB", "SLE", "SLV", "SMR", "SOM", "SRB", "SSD", "STP",
    "SUR", "SVK", "SVN", "SWE", "SWZ", "SYC", "SYR", "TCD", "TGO", "THA", "TJK", "TKM", "TLS", "TON", "TTO", "TUN",
    "TUR", "TUV", "TZA", "UGA", "UKR", "URY", "USA", "UZB", "VCT", "VEN", "VNM", "VUT", "WSM", "YEM", "ZAF", "ZMB",
    "ZWE",
];

/// Member States that give rather than ask: OECD DAC and other EU members, the other permanent members of the
/// Security Council, European micro-states and high-income Gulf and Asian States.
const NON_REQUESTERS: &[&str] = &[
    "AND", "ARE", "AUS", "AUT", "BEL", "BGR", "BHR", "BRN", "CAN", "CHE", "CHN", "CYP", "CZE", "DEU", "DNK", "ESP",
    "EST", "FIN", "FRA", "GBR", "GRC", "HRV", "HUN", "IRL", "ISL", "ISR", "ITA", "JPN", "KOR", "KWT", "LIE", "LTU",
    "LUX", "LVA", "MCO", "MLT", "NLD", "NOR", "NZL", "POL", "PRT", "QAT", "ROU", "RUS", "SAU", "SGP", "SMR", "SVK",
    "SVN", "SWE", "USA",
];

/// Regional organisations that request assistance, with the M49 area they cover.
pub(super) const REGIONAL_ORGS: [(&str, u16); 10] = [
    ("AU", 2),
    ("ECOWAS", 11),
    ("RECSA", 14),
    ("ECCAS", 17),
    ("SADC", 18),
    ("SICA", 13),
    ("CARICOM_IMPACS", 29),
    ("ASEAN", 35),
    ("PIF", 9),
    ("RCC", 39),
];

/// Chance that a requester drawn in a region is one of its regional organisations.
const ORG_SHARE: f64 = 0.05;

/// Durations in months with their weights.
const DURATIONS: [(u8, f64); 6] = [(6, 0.08), (9, 0.05), (12, 0.42), (15, 0.03), (18, 0.22), (24, 0.20)];

/// Who asks, before it becomes a [`Requester`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    State(CountryIdx),
    Org(usize),
}

/// A region's requesters, drawn without replacement until half the weight is used.
struct Pool {
    members: Vec<(Who, f64)>,
    left: Vec<f64>,
}

impl Pool {
    fn new(members: Vec<(Who, f64)>) -> Pool {
        let left = members.iter().map(|m| m.1).collect();
        Pool { members, left }
    }

    fn draw(&mut self, rng: &mut GenRng) -> Option<Who> {
        let total: f64 = self.members.iter().map(|m| m.1).sum();
        let remaining: f64 = self.left.iter().sum();
        if remaining < 0.5 * total {
            for (slot, m) in self.left.iter_mut().zip(&self.members) {
                *slot = m.1;
            }
        }
        let i = weighted(rng, &self.left)?;
        self.left[i] = 0.0;
        Some(self.members[i].0)
    }
}

/// Everything the need generator looks up once.
struct Tables<'r> {
    reference: &'r Reference,
    /// Per region of `REGION_WEIGHTS`: States, then organisations.
    states: Vec<Pool>,
    orgs: Vec<Pool>,
    /// Per theme: target commitments carrying it, with a weight for States and one for organisations.
    by_theme: BTreeMap<Theme, Vec<(CommitmentIdx, f64, f64)>>,
    core_themes: Vec<(Theme, f64)>,
    other_themes: Vec<(Theme, f64)>,
    /// Chance that a need after a requester's first is on a core theme (see `later_core_chance`).
    later_core: f64,
}

impl<'r> Tables<'r> {
    fn new(reference: &'r Reference) -> Tables<'r> {
        let mut states = Vec::new();
        let mut orgs = Vec::new();
        let mut any_state = false;
        for (region, _) in REGION_WEIGHTS {
            let members: Vec<(Who, f64)> = reference
                .countries()
                .iter()
                .enumerate()
                .filter(|(_, c)| {
                    c.region_code == Some(region)
                        && UN_MEMBERS.contains(&c.alpha3.as_str())
                        && !NON_REQUESTERS.contains(&c.alpha3.as_str())
                })
                .map(|(i, c)| {
                    let weight = 1.0 + f64::from(u8::from(c.ldc)) + f64::from(u8::from(c.sids));
                    (Who::State(CountryIdx(i as u16)), weight)
                })
                .collect();
            any_state |= !members.is_empty();
            states.push(Pool::new(members));
            let region_orgs = REGIONAL_ORGS
                .iter()
                .enumerate()
                .filter(|(_, (_, area))| {
                    reference.area(*area).is_some()
                        && reference.countries().iter().any(|c| c.in_area(*area) && c.region_code == Some(region))
                })
                .map(|(i, _)| (Who::Org(i), 1.0))
                .collect();
            orgs.push(Pool::new(region_orgs));
        }
        if !any_state {
            // A replacement country table without the usual codes: every country with a region may ask.
            for (k, (region, _)) in REGION_WEIGHTS.iter().enumerate() {
                let members = reference
                    .countries()
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.region_code == Some(*region))
                    .map(|(i, _)| (Who::State(CountryIdx(i as u16)), 1.0))
                    .collect();
                states[k] = Pool::new(members);
            }
        }

        let mut by_theme: BTreeMap<Theme, Vec<(CommitmentIdx, f64, f64)>> = BTreeMap::new();
        for (i, c) in reference.commitments().iter().enumerate() {
            if c.match_role != MatchRole::Target {
                continue;
            }
            for (pos, theme) in c.themes.iter().enumerate() {
                let specific = if pos == 0 { 2.0 } else { 1.0 };
                let (for_state, for_org) = match c.level {
                    Level::Regional => (0.4, 2.0),
                    Level::Global => (0.4, 0.6),
                    _ => (1.0, 0.6),
                };
                by_theme.entry(*theme).or_default().push((
                    CommitmentIdx(i as u16),
                    specific * for_state,
                    specific * for_org,
                ));
            }
        }
        let usable = |t: &Theme| by_theme.contains_key(t);
        let core_themes: Vec<(Theme, f64)> =
            THEME_WEIGHTS.iter().copied().filter(|(t, _)| CORE_THEMES.contains(t) && usable(t)).collect();
        let other_themes: Vec<(Theme, f64)> =
            THEME_WEIGHTS.iter().copied().filter(|(t, _)| !CORE_THEMES.contains(t) && usable(t)).collect();
        let core: f64 = core_themes.iter().map(|t| t.1).sum();
        let other: f64 = other_themes.iter().map(|t| t.1).sum();
        let later_core = later_core_chance(core / (core + other).max(f64::MIN_POSITIVE));
        Tables { reference, states, orgs, by_theme, core_themes, other_themes, later_core }
    }
}

/// Chance that a requester's first need is on a core theme.
const FIRST_CORE: f64 = 0.9;

/// The chance `p` that a requester's later needs are on a core theme, so that both calibration targets hold:
/// a share `core_share` of all needs is on a core theme, and 92 % of requesters have at least one. With `f` the
/// share of first needs among all needs, `core_share = f·FIRST_CORE + (1 − f)·p`; with FIRST_CORE = 0.9 the chance
/// of a requester without a core need is `(1 − 0.9)·E[(1 − p)^(k−1)] ≈ 0.08`.
fn later_core_chance(core_share: f64) -> f64 {
    // E[k] for k = 1 + min(Poisson(1.2), 4).
    let mut pmf = exp(-1.2);
    let mut mean = 0.0;
    let mut mass = 0.0;
    for j in 0..4 {
        mean += f64::from(j) * pmf;
        mass += pmf;
        pmf *= 1.2 / f64::from(j + 1);
    }
    mean += 4.0 * (1.0 - mass);
    let first_share = 1.0 / (1.0 + mean);
    ((core_share - first_share * FIRST_CORE) / (1.0 - first_share)).clamp(0.0, 1.0)
}

/// The needs of a batch, in file order.
pub(super) fn generate(config: &GenerateConfig, reference: &Reference, rng: &mut GenRng) -> Vec<Need> {
    generate_with(config, reference, rng, None)
}

/// The needs of a batch; `drawn`, when given, receives for each need the number of its requester draw and the
/// primary theme drawn for it (for the calibration tests).
pub(super) fn generate_with(
    config: &GenerateConfig,
    reference: &Reference,
    rng: &mut GenRng,
    mut drawn: Option<&mut Vec<(usize, Theme)>>,
) -> Vec<Need> {
    let mut tables = Tables::new(reference);
    if tables.by_theme.is_empty() {
        // A replacement catalogue without any `target` commitment: no need can cite anything.
        return Vec::new();
    }
    let region_weights: Vec<f64> = REGION_WEIGHTS
        .iter()
        .zip(&tables.states)
        .map(|((_, w), pool)| if pool.members.is_empty() { 0.0 } else { *w })
        .collect();
    let mut needs: Vec<Need> = Vec::with_capacity(config.needs);
    let mut counters: BTreeMap<String, u32> = BTreeMap::new();
    let mut line = 2u64;
    let mut draw = 0;
    while needs.len() < config.needs {
        let Some(region) = weighted(rng, &region_weights) else {
            break;
        };
        let who = if chance(rng, ORG_SHARE) { tables.orgs[region].draw(rng) } else { None };
        let Some(who) = who.or_else(|| tables.states[region].draw(rng)) else {
            break;
        };
        let count = (1 + poisson(rng, 1.2).min(4)) as usize;
        let count = count.min(config.needs - needs.len());
        for k in 0..count {
            let core = chance(rng, if k == 0 { FIRST_CORE } else { tables.later_core });
            let (need, theme) = draw_need(&mut tables, who, core, config, &mut counters, rng, line);
            line += 1 + need.notes.matches('\n').count() as u64;
            needs.push(need);
            if let Some(drawn) = drawn.as_deref_mut() {
                drawn.push((draw, theme));
            }
        }
        draw += 1;
    }
    needs
}

fn draw_need(
    tables: &mut Tables<'_>,
    who: Who,
    core: bool,
    config: &GenerateConfig,
    counters: &mut BTreeMap<String, u32>,
    rng: &mut GenRng,
    line: u64,
) -> (Need, Theme) {
    let reference = tables.reference;
    let (requester, requester_code, region) = match who {
        Who::State(idx) => {
            let c = reference.country(idx);
            // Now and then the file names the requester's area too, as a check.
            let region = if chance(rng, 0.1) { c.intermediate_region_code.or(c.subregion_code) } else { None };
            (Requester::State(idx), c.alpha3.clone(), region)
        }
        Who::Org(i) => {
            let (code, area) = REGIONAL_ORGS[i];
            (Requester::RegionalOrg(code.to_string()), code.to_string(), Some(area))
        }
    };
    let is_org = matches!(who, Who::Org(_));
    let counter = counters.entry(requester_code.clone()).or_insert(0);
    *counter += 1;
    let id = NeedId(format!("{requester_code}-{:02}", *counter));

    let themes = if core || tables.other_themes.is_empty() { &tables.core_themes } else { &tables.other_themes };
    let theme_weights: Vec<f64> = themes.iter().map(|t| t.1).collect();
    let theme = weighted(rng, &theme_weights)
        .map(|i| themes[i].0)
        .or_else(|| tables.by_theme.keys().next().copied())
        .unwrap_or(Theme::StockpileManagement);
    let commitments = draw_commitments(tables, theme, is_org, rng);
    let meeting = theme == Theme::MeetingParticipation;

    let kinds = draw_kinds(theme, rng);
    let equipment = kinds.contains(Kind::Equipment);
    let amount = if meeting {
        round_to(uniform(rng, 3_000.0, 10_000.0), 500)
    } else {
        let base = 80_000.0 * exp(0.9 * normal(rng)) * if equipment { 1.5 } else { 1.0 };
        round_to(base.clamp(10_000.0, 1_500_000.0), 1_000).clamp(10_000, 1_500_000)
    };
    let all_or_nothing = !config.partial_only && (meeting || chance(rng, if equipment { 0.55 } else { 0.26 }));
    let min_award = if config.partial_only || all_or_nothing || !chance(rng, 0.5) {
        None
    } else {
        Some(round_to(amount as f64 * uniform(rng, 0.4, 0.7), 1_000).min(amount))
    };
    let priority_weights = match theme {
        Theme::StockpileManagement | Theme::Marking | Theme::RecordKeeping | Theme::DestructionDisposal => {
            [0.45, 0.40, 0.15]
        }
        Theme::Gender | Theme::Reporting | Theme::MeetingParticipation => [0.15, 0.45, 0.40],
        _ => [0.30, 0.50, 0.20],
    };
    let priority = weighted(rng, &priority_weights).map_or(2, |i| i as u8 + 1);

    let (start_earliest, start_latest, duration_months) = if meeting {
        // The Fifth Biennial Meeting of States, June 2014.
        (Some(Date::from_ymd(2014, 6, 1)), Some(Date::from_ymd(2014, 6, 16)), None)
    } else {
        draw_timing(rng)
    };
    let implementer_type = if meeting {
        Some(ImplementerType::None)
    } else if is_org {
        Some(if chance(rng, 0.8) { ImplementerType::RegionalOrg } else { ImplementerType::UnAgency })
    } else {
        const TYPES: [(Option<ImplementerType>, f64); 8] = [
            (Some(ImplementerType::UnAgency), 0.52),
            (Some(ImplementerType::Ngo), 0.14),
            (Some(ImplementerType::Government), 0.12),
            (Some(ImplementerType::Io), 0.06),
            (Some(ImplementerType::None), 0.06),
            (Some(ImplementerType::RegionalOrg), 0.04),
            (Some(ImplementerType::Research), 0.03),
            (None, 0.03),
        ];
        let w: Vec<f64> = TYPES.iter().map(|t| t.1).collect();
        weighted(rng, &w).and_then(|i| TYPES[i].0)
    };
    let source_report = if is_org {
        chance(rng, 0.7).then(|| "RR-2012".to_string())
    } else if chance(rng, 0.9) {
        Some(if chance(rng, 0.1) { "NR-2010" } else { "NR-2012" }.to_string())
    } else {
        None
    };
    let title = need_title(reference, &requester, &requester_code, commitments[0], meeting, rng);
    let notes = need_notes(rng);
    let need = Need {
        id,
        requester,
        requester_code,
        region,
        commitments,
        kinds,
        amount: crate::model::Usd(amount),
        funding_mode: if all_or_nothing { FundingMode::AllOrNothing } else { FundingMode::Partial },
        min_award: min_award.map(crate::model::Usd),
        priority,
        start_earliest,
        start_latest,
        duration_months,
        implementer_type,
        source_report,
        title,
        notes,
        line,
    };
    (need, theme)
}

/// The primary commitment for `theme`, and sometimes a second, related one.
fn draw_commitments(tables: &Tables<'_>, theme: Theme, is_org: bool, rng: &mut GenRng) -> Vec<CommitmentIdx> {
    let empty = Vec::new();
    let candidates = tables.by_theme.get(&theme).unwrap_or(&empty);
    let weights: Vec<f64> = candidates.iter().map(|c| if is_org { c.2 } else { c.1 }).collect();
    let Some(primary) = weighted(rng, &weights).map(|i| candidates[i].0) else {
        // No target commitment carries the theme (a replacement catalogue): take the first target one.
        let first = tables.by_theme.values().flatten().next().map_or(CommitmentIdx(0), |c| c.0);
        return vec![first];
    };
    let mut out = vec![primary];
    if theme != Theme::MeetingParticipation && chance(rng, 0.35) {
        let reference = tables.reference;
        let related: Vec<CommitmentIdx> = reference
            .commitment(primary)
            .related
            .iter()
            .copied()
            .filter(|&r| r != primary && reference.commitment(r).match_role == MatchRole::Target)
            .filter(|&r| reference.commitment(r).themes != [Theme::MeetingParticipation])
            .collect();
        let second = if related.is_empty() {
            let others: Vec<f64> = candidates.iter().map(|c| if c.0 == primary { 0.0 } else { c.1 }).collect();
            weighted(rng, &others).map(|i| candidates[i].0)
        } else {
            Some(related[super::draw::below(rng, related.len())])
        };
        out.extend(second);
    }
    out
}

/// Kinds that go with a theme: each with its chance of being asked for; the first is the fallback.
fn draw_kinds(theme: Theme, rng: &mut GenRng) -> KindSet {
    use Kind::*;
    let table: &[(Kind, f64)] = match theme {
        Theme::Marking => &[(Equipment, 0.85), (Training, 0.5), (Technical, 0.3)],
        Theme::RecordKeeping => &[(Technical, 0.8), (Equipment, 0.5), (Training, 0.4)],
        Theme::Tracing => &[(Technical, 0.8), (Training, 0.5), (Equipment, 0.3)],
        Theme::StockpileManagement => &[(Equipment, 0.7), (Technical, 0.7), (Training, 0.2)],
        Theme::DestructionDisposal => &[(Technical, 0.7), (Equipment, 0.6)],
        Theme::BorderControl => &[(Training, 0.6), (Technical, 0.6), (Equipment, 0.4)],
        Theme::LegislationRegulation | Theme::Brokering => &[(Legal, 0.8), (Technical, 0.5)],
        Theme::NationalCoordinationNap => &[(Technical, 0.8), (Financial, 0.3), (Training, 0.2)],
        Theme::DdrEmbargoes => &[(Technical, 0.6), (Financial, 0.4), (Equipment, 0.3)],
        Theme::Gender => &[(Training, 0.8), (Technical, 0.4)],
        Theme::Reporting | Theme::InternationalCooperation => &[(Technical, 0.8), (Training, 0.4)],
        Theme::MeetingParticipation => &[(Financial, 1.0)],
    };
    let mut kinds: KindSet = table.iter().filter(|(_, p)| chance(rng, *p)).map(|(k, _)| *k).collect();
    if kinds.is_empty() {
        kinds.insert(table[0].0);
    }
    kinds
}

/// Start window and duration inside the 24-month cycle from 2013-01-01.
fn draw_timing(rng: &mut GenRng) -> (Option<Date>, Option<Date>, Option<u8>) {
    let w: Vec<f64> = DURATIONS.iter().map(|d| d.1).collect();
    let duration = weighted(rng, &w).map_or(12, |i| DURATIONS[i].0);
    let last_start = CYCLE_MONTHS - i64::from(duration);
    let first = between(rng, 0, last_start.max(0));
    let latest = (first + between(rng, 2, 11)).min(last_start.max(first));
    let duration = if chance(rng, 0.05) { None } else { Some(duration) };
    if chance(rng, 0.08) {
        return (None, None, duration);
    }
    let earliest = cycle_month(first);
    let latest = cycle_month(latest + 1).add_days(-1);
    (Some(earliest), Some(latest), duration)
}

fn need_title(
    reference: &Reference,
    requester: &Requester,
    code: &str,
    primary: CommitmentIdx,
    meeting: bool,
    rng: &mut GenRng,
) -> String {
    let commitment = reference.commitment(primary);
    let (name_en, name_zh) = match requester {
        Requester::State(idx) => {
            let c = reference.country(*idx);
            (c.name_en.as_str(), c.name_zh.as_str())
        }
        Requester::RegionalOrg(_) => (code, code),
    };
    if meeting {
        return format!("Sponsorship of one delegate to the Fifth Biennial Meeting of States ({name_en})");
    }
    let phase = match unit(rng) {
        u if u < 0.08 => ", phase 2",
        u if u < 0.12 => ", pilot",
        _ => "",
    };
    if chance(rng, 0.08) && !commitment.title_zh.is_empty() && !name_zh.is_empty() {
        format!("{name_zh}：{}", commitment.title_zh.trim())
    } else {
        format!("{} ({name_en}){phase}", commitment.title_en.trim())
    }
}

fn need_notes(rng: &mut GenRng) -> String {
    const NOTES: [&str; 6] = [
        "Listed in the national report as \"urgent\".",
        "Budget is indicative; a first stage only.\nA full project once an implementing agency is identified.",
        "No implementing partner identified yet.",
        "Joint request with neighbouring States, coordinated by the regional centre.",
        "预算为指示性估算，第一阶段。",
        "Costs: equipment, training, travel; see annex \"B\".",
    ];
    if chance(rng, 0.15) { NOTES[super::draw::below(rng, NOTES.len())].to_string() } else { String::new() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_core_chance_meets_both_targets() {
        let p = later_core_chance(0.52);
        assert!(p > 0.1 && p < 0.3, "{p}");
    }
}
