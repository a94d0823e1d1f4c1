//! The eligibility rules of docs/spec.md §4, one named function per rule, each failing with its reason code.
//!
//! [`check`] runs them in the order of [`Reason`]'s declaration, so the reason reported for a missing edge is the
//! first rule that fails. The scope rule also yields the base of the fit score (docs/spec.md §5).

use crate::catalog::{AreaKind, Reference};
use crate::model::{FundingMode, Need, Offer, Requester, ThemeSet};
use crate::objective::ScopeMatch;

/// Why a need and an offer are not connected. The order is the order in which the rules are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// No shared commitment code (nor related code), or no shared theme.
    NoScope,
    /// No shared kind of assistance.
    Kind,
    /// The requester lies outside the offer's regions or include list.
    Region,
    /// The requester is on the offer's exclude list.
    CountryExcluded,
    /// The requester carries none of the offer's required LDC/LLDC/SIDS flags.
    Flags,
    /// The need's implementer type is not one the offer allows.
    Implementer,
    /// The offer requires a national report and the need cites none.
    NoReport,
    /// The need's start window misses the offer's window.
    Window,
    /// The need's duration is outside the offer's bounds.
    Duration,
    /// The offer cannot co-finance and its cap is below what the need must get.
    OverCap,
    /// The offer's smallest grant is more than the whole need.
    BelowFloor,
}

impl Reason {
    /// Every reason, in checking order.
    pub const ALL: [Reason; 11] = [
        Reason::NoScope,
        Reason::Kind,
        Reason::Region,
        Reason::CountryExcluded,
        Reason::Flags,
        Reason::Implementer,
        Reason::NoReport,
        Reason::Window,
        Reason::Duration,
        Reason::OverCap,
        Reason::BelowFloor,
    ];

    /// The reason code used in outputs.
    pub fn code(self) -> &'static str {
        match self {
            Reason::NoScope => "no_scope",
            Reason::Kind => "kind",
            Reason::Region => "region",
            Reason::CountryExcluded => "country_excluded",
            Reason::Flags => "flags",
            Reason::Implementer => "implementer",
            Reason::NoReport => "no_report",
            Reason::Window => "window",
            Reason::Duration => "duration",
            Reason::OverCap => "over_cap",
            Reason::BelowFloor => "below_floor",
        }
    }

    /// A plain-words explanation for people.
    pub fn describe(self) -> &'static str {
        match self {
            Reason::NoScope => "the offer does not cover any of the need's commitments or themes",
            Reason::Kind => "the offer gives none of the kinds of assistance the need asks for",
            Reason::Region => "the requester is outside the offer's regions or country list",
            Reason::CountryExcluded => "the offer excludes the requester",
            Reason::Flags => "the requester is not LDC, LLDC or SIDS as the offer requires",
            Reason::Implementer => "the offer does not fund this type of implementer",
            Reason::NoReport => "the offer requires the need to be listed in a national report",
            Reason::Window => "the need cannot start within the offer's window",
            Reason::Duration => "the need's duration is outside the offer's bounds",
            Reason::OverCap => "the offer cannot co-finance and its cap is below what the need must get",
            Reason::BelowFloor => "the offer's smallest grant exceeds the whole need",
        }
    }
}

/// Facts about a need that every rule reads, computed once per need.
#[derive(Debug, Clone)]
pub struct NeedFacts {
    /// Themes of the need's commitments in the catalogue.
    pub themes: ThemeSet,
}

impl NeedFacts {
    /// Computes the facts of `need`.
    pub fn of(need: &Need, reference: &Reference) -> NeedFacts {
        let mut themes = ThemeSet::EMPTY;
        for &c in &need.commitments {
            for &t in &reference.commitment(c).themes {
                themes.insert(t);
            }
        }
        NeedFacts { themes }
    }
}

/// Scope: a shared commitment code (or a code related to one the offer lists), else through themes.
pub fn scope(need: &Need, facts: &NeedFacts, offer: &Offer, reference: &Reference) -> Result<ScopeMatch, Reason> {
    if !offer.commitments.is_empty() {
        if let Some(&c) = need.commitments.iter().find(|c| offer.commitments.contains(c)) {
            return Ok(ScopeMatch::Shared(c));
        }
        let related = need
            .commitments
            .iter()
            .find(|&&c| offer.commitments.iter().any(|&o| reference.commitment(o).related.contains(&c)));
        return related.map(|&c| ScopeMatch::Related(c)).ok_or(Reason::NoScope);
    }
    if offer.themes.is_empty() || offer.themes.intersects(facts.themes) {
        Ok(ScopeMatch::Theme)
    } else {
        Err(Reason::NoScope)
    }
}

/// Kind: at least one kind of assistance in common (an offer listing none gives any).
pub fn kind(need: &Need, offer: &Offer) -> Result<(), Reason> {
    ok_if(offer.kinds.is_empty() || offer.kinds.intersects(need.kinds), Reason::Kind)
}

/// Region: the requester lies in one of the offer's M49 areas and, for an include list, is on it.
/// A regional organisation is placed by its `region`; it never satisfies a country include list.
pub fn region(need: &Need, offer: &Offer, reference: &Reference) -> Result<(), Reason> {
    let ok = match &need.requester {
        Requester::State(c) => {
            let country = reference.country(*c);
            (offer.regions_m49.is_empty() || offer.regions_m49.iter().any(|&a| country.in_area(a)))
                && (offer.countries_include.is_empty() || offer.countries_include.contains(c))
        }
        Requester::RegionalOrg(_) => {
            let area = need.region.unwrap_or(1);
            (offer.regions_m49.is_empty() || offer.regions_m49.iter().any(|&a| reference.area_within(area, a)))
                && offer.countries_include.is_empty()
        }
    };
    ok_if(ok, Reason::Region)
}

/// Exclusion: the requester is not on the offer's exclude list.
pub fn country_excluded(need: &Need, offer: &Offer) -> Result<(), Reason> {
    let excluded = matches!(&need.requester, Requester::State(c) if offer.countries_exclude.contains(c));
    ok_if(!excluded, Reason::CountryExcluded)
}

/// Flags: the requester carries one of the offer's LDC/LLDC/SIDS flags (organisations carry none).
pub fn flags(need: &Need, offer: &Offer, reference: &Reference) -> Result<(), Reason> {
    let ok = offer.recipient_flags.is_empty()
        || match &need.requester {
            Requester::State(c) => offer.recipient_flags.iter().any(|&f| reference.country(*c).has_flag(f)),
            Requester::RegionalOrg(_) => false,
        };
    ok_if(ok, Reason::Flags)
}

/// Implementer: the need's implementer type is one the offer allows (a need naming none fails a restriction).
pub fn implementer(need: &Need, offer: &Offer) -> Result<(), Reason> {
    let ok = offer.implementer_types.is_empty()
        || need.implementer_type.is_some_and(|t| offer.implementer_types.contains(&t));
    ok_if(ok, Reason::Implementer)
}

/// National report: an offer that requires one only funds needs that cite a report.
pub fn national_report(need: &Need, offer: &Offer) -> Result<(), Reason> {
    ok_if(!offer.requires_national_report || need.source_report.is_some(), Reason::NoReport)
}

/// Window: the need's possible start dates meet the offer's window (open ends are unbounded).
pub fn window(need: &Need, offer: &Offer) -> Result<(), Reason> {
    let starts_too_late = matches!((need.start_earliest, offer.window_end), (Some(s), Some(e)) if s > e);
    let window_opens_too_late = matches!((offer.window_start, need.start_latest), (Some(s), Some(l)) if s > l);
    ok_if(!starts_too_late && !window_opens_too_late, Reason::Window)
}

/// Duration: the need's duration lies within the offer's bounds (a need without a duration passes).
pub fn duration(need: &Need, offer: &Offer) -> Result<(), Reason> {
    let ok = match need.duration_months {
        None => true,
        Some(d) => {
            offer.duration_min_months.is_none_or(|lo| d >= lo) && offer.duration_max_months.is_none_or(|hi| d <= hi)
        }
    };
    ok_if(ok, Reason::Duration)
}

/// Money: the offer's cap and floor leave room. An offer that cannot co-finance must be able to pay alone what
/// the need must get (all of an all-or-nothing need, the min_award of a partial one); an offer's floor must not
/// exceed the whole need.
pub fn money(need: &Need, offer: &Offer) -> Result<(), Reason> {
    if !offer.allow_cofinance {
        let must_get = match need.funding_mode {
            FundingMode::AllOrNothing => Some(need.amount),
            FundingMode::Partial => need.min_award,
        };
        if must_get.is_some_and(|m| m > offer.per_need_limit()) {
            return Err(Reason::OverCap);
        }
    }
    ok_if(offer.floor_per_need.is_none_or(|f| f <= need.amount), Reason::BelowFloor)
}

/// Whether the offer names the requester's country, or an M49 sub-region or intermediate region it lies in.
pub fn targets_explicitly(need: &Need, offer: &Offer, reference: &Reference) -> bool {
    let narrow = |a: u16| reference.area(a).is_some_and(|area| area.kind != AreaKind::Region);
    match &need.requester {
        Requester::State(c) => {
            let country = reference.country(*c);
            offer.countries_include.contains(c)
                || offer.regions_m49.iter().any(|&a| (narrow(a) || a == country.m49) && country.in_area(a))
        }
        Requester::RegionalOrg(_) => {
            let area = need.region.unwrap_or(1);
            offer.regions_m49.iter().any(|&a| narrow(a) && reference.area_within(area, a))
        }
    }
}

/// Runs every rule in order; the first failure is the reason, else the scope match.
pub fn check(need: &Need, facts: &NeedFacts, offer: &Offer, reference: &Reference) -> Result<ScopeMatch, Reason> {
    let scope = scope(need, facts, offer, reference)?;
    kind(need, offer)?;
    region(need, offer, reference)?;
    country_excluded(need, offer)?;
    flags(need, offer, reference)?;
    implementer(need, offer)?;
    national_report(need, offer)?;
    window(need, offer)?;
    duration(need, offer)?;
    money(need, offer)?;
    Ok(scope)
}

/// Every rule's verdict for one pair, for `explain`: each reason that applies, in order.
pub fn all_failures(need: &Need, facts: &NeedFacts, offer: &Offer, reference: &Reference) -> Vec<Reason> {
    let verdicts = [
        scope(need, facts, offer, reference).map(|_| ()),
        kind(need, offer),
        region(need, offer, reference),
        country_excluded(need, offer),
        flags(need, offer, reference),
        implementer(need, offer),
        national_report(need, offer),
        window(need, offer),
        duration(need, offer),
        money(need, offer),
    ];
    let mut failures: Vec<Reason> = verdicts.into_iter().filter_map(Result::err).collect();
    failures.dedup();
    failures
}

fn ok_if(condition: bool, reason: Reason) -> Result<(), Reason> {
    if condition { Ok(()) } else { Err(reason) }
}
