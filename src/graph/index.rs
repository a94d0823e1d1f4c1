//! The offer index behind [`super::build`]: offers filed by (scope key, geography key).

use std::collections::HashMap;

use crate::catalog::Reference;
use crate::model::{Batch, Need, Requester};

/// What an offer covers: a commitment code, a theme, or anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum ScopeKey {
    Any,
    Code(u16),
    Theme(u8),
}

/// Where an offer may fund: a country, an M49 area, or anywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum GeoKey {
    Anywhere,
    Area(u16),
    Country(u16),
}

/// Offers filed under every (scope, geography) key they cover.
#[derive(Debug, Clone)]
pub struct OfferIndex {
    /// Each entry: an offer and the kinds it gives (0 = any), so the kind rule is applied while collecting.
    buckets: HashMap<(ScopeKey, GeoKey), Vec<(u32, u8)>>,
    by_scope: HashMap<ScopeKey, Vec<u32>>,
}

impl OfferIndex {
    /// Files every offer of the batch.
    pub fn new(batch: &Batch, reference: &Reference) -> OfferIndex {
        let mut buckets: HashMap<(ScopeKey, GeoKey), Vec<(u32, u8)>> = HashMap::new();
        let mut by_scope: HashMap<ScopeKey, Vec<u32>> = HashMap::new();
        for (o, offer) in batch.offers.iter().enumerate() {
            let mut scopes = Vec::new();
            if !offer.commitments.is_empty() {
                for &c in &offer.commitments {
                    scopes.push(ScopeKey::Code(c.0));
                    scopes.extend(reference.commitment(c).related.iter().map(|r| ScopeKey::Code(r.0)));
                }
            } else if !offer.themes.is_empty() {
                scopes.extend(offer.themes.iter().map(|t| ScopeKey::Theme(t as u8)));
            } else {
                scopes.push(ScopeKey::Any);
            }
            scopes.sort_unstable();
            scopes.dedup();
            let geos: Vec<GeoKey> = if !offer.countries_include.is_empty() {
                offer.countries_include.iter().map(|c| GeoKey::Country(c.0)).collect()
            } else if !offer.regions_m49.is_empty() {
                offer.regions_m49.iter().map(|&a| GeoKey::Area(a)).collect()
            } else {
                vec![GeoKey::Anywhere]
            };
            for &s in &scopes {
                by_scope.entry(s).or_default().push(o as u32);
                for &g in &geos {
                    buckets.entry((s, g)).or_default().push((o as u32, offer.kinds.0));
                }
            }
        }
        OfferIndex { buckets, by_scope }
    }

    fn scope_keys(need: &Need, reference: &Reference) -> Vec<ScopeKey> {
        let mut keys = vec![ScopeKey::Any];
        for &c in &need.commitments {
            keys.push(ScopeKey::Code(c.0));
            keys.extend(reference.commitment(c).themes.iter().map(|&t| ScopeKey::Theme(t as u8)));
        }
        keys
    }

    fn geo_keys(need: &Need, reference: &Reference) -> Vec<GeoKey> {
        let mut keys = vec![GeoKey::Anywhere, GeoKey::Area(1)];
        match &need.requester {
            Requester::State(c) => {
                let country = reference.country(*c);
                keys.push(GeoKey::Country(c.0));
                keys.push(GeoKey::Area(country.m49));
                let areas = [country.region_code, country.subregion_code, country.intermediate_region_code];
                keys.extend(areas.into_iter().flatten().map(GeoKey::Area));
            }
            Requester::RegionalOrg(_) => {
                let region = need.region.unwrap_or(1);
                keys.extend(
                    reference
                        .areas()
                        .iter()
                        .filter(|a| reference.area_within(region, a.m49))
                        .map(|a| GeoKey::Area(a.m49)),
                );
            }
        }
        keys
    }

    /// The offers that may be eligible for `need`, sorted and without repeats, into `out`.
    pub fn candidates(&self, need: &Need, reference: &Reference, out: &mut Vec<u32>) {
        out.clear();
        let geos = OfferIndex::geo_keys(need, reference);
        let kinds = need.kinds.0;
        for s in OfferIndex::scope_keys(need, reference) {
            for &g in &geos {
                if let Some(list) = self.buckets.get(&(s, g)) {
                    // Offers that give none of the kinds asked for are dropped here: most candidates would
                    // otherwise fail only the kind rule.
                    out.extend(list.iter().filter(|&&(_, k)| k == 0 || k & kinds != 0).map(|&(o, _)| o));
                }
            }
        }
        out.sort_unstable();
        out.dedup();
    }

    /// The offers whose scope covers `need`, wherever they fund, sorted and without repeats.
    pub fn in_scope(&self, need: &Need, reference: &Reference) -> Vec<u32> {
        let mut out: Vec<u32> = OfferIndex::scope_keys(need, reference)
            .into_iter()
            .filter_map(|s| self.by_scope.get(&s))
            .flatten()
            .copied()
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}
