//! Reference data: the commitment catalogue (docs/spec.md §2), the country table and the M49 areas, which
//! matching reads, and the donor table, which only names donors on pages.
//!
//! All four ship inside the binary (`data/*.csv` through `include_str!`) and can be replaced by files given on
//! the command line. They are read with the same checked CSV reader as the inputs, so a broken override file gets
//! the same precise messages.

mod commitments;
mod countries;
mod donors;

pub use commitments::{Commitment, Level, MatchRole, code_matches_grammar};
pub use countries::{Area, AreaKind, Country, display_name};
pub use donors::Donor;

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::error::Result;
use crate::model::{CommitmentIdx, CountryIdx};
use crate::records::{DEFAULT_ERROR_LIMIT, ErrorSink};

/// The embedded commitment catalogue, as shipped in `data/commitments.csv`.
pub const EMBEDDED_COMMITMENTS: &str = include_str!("../../data/commitments.csv");
/// The embedded country table, as shipped in `data/countries.csv`.
pub const EMBEDDED_COUNTRIES: &str = include_str!("../../data/countries.csv");
/// The embedded M49 areas, as shipped in `data/regions.csv`.
pub const EMBEDDED_REGIONS: &str = include_str!("../../data/regions.csv");
/// The embedded donor names, as shipped in `data/donors.csv`.
pub const EMBEDDED_DONORS: &str = include_str!("../../data/donors.csv");
/// How messages and records name the embedded donor table.
pub const EMBEDDED_DONORS_PATH: &str = "data/donors.csv";

/// The reference tables one run uses.
#[derive(Debug, Clone)]
pub struct Reference {
    commitments: Vec<Commitment>,
    commitment_by_code: HashMap<String, CommitmentIdx>,
    countries: Vec<Country>,
    country_by_code: HashMap<String, CountryIdx>,
    areas: Vec<Area>,
    area_by_code: HashMap<u16, usize>,
    /// For each area, the larger areas that contain it (derived from the country table).
    area_parents: HashMap<u16, Vec<u16>>,
    donors: Vec<Donor>,
    donor_by_code: HashMap<String, usize>,
}

/// Text of the three reference tables with the names to use in messages.
#[derive(Debug, Clone, Copy)]
pub struct ReferenceSources<'a> {
    /// (path, text) of commitments.csv.
    pub commitments: (&'a str, &'a str),
    /// (path, text) of countries.csv.
    pub countries: (&'a str, &'a str),
    /// (path, text) of regions.csv.
    pub regions: (&'a str, &'a str),
}

impl ReferenceSources<'static> {
    /// The tables compiled into the binary.
    pub fn embedded() -> ReferenceSources<'static> {
        ReferenceSources {
            commitments: ("data/commitments.csv", EMBEDDED_COMMITMENTS),
            countries: ("data/countries.csv", EMBEDDED_COUNTRIES),
            regions: ("data/regions.csv", EMBEDDED_REGIONS),
        }
    }
}

impl Reference {
    /// The embedded tables, parsed once per process.
    pub fn embedded() -> &'static Reference {
        static EMBEDDED: OnceLock<Reference> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            Reference::load(ReferenceSources::embedded())
                .unwrap_or_else(|e| panic!("the embedded reference data is invalid (a build bug): {e}"))
        })
    }

    /// Parses and cross-checks the three tables, with the embedded donor names (see [`Reference::with_donors`]).
    pub fn load(sources: ReferenceSources<'_>) -> Result<Reference> {
        Reference::load_tables(sources)?.with_donors(EMBEDDED_DONORS_PATH, EMBEDDED_DONORS)
    }

    /// The same tables with the donor names of `bytes` (a donors.csv, or a workbook, read from `path`) instead of these: loaded
    /// apart from the three tables that matching reads, since the names change pages only.
    pub fn with_donors(mut self, path: &str, bytes: impl AsRef<[u8]>) -> Result<Reference> {
        let mut sink = ErrorSink::new(DEFAULT_ERROR_LIMIT);
        let donors = donors::read_donors(path, bytes.as_ref(), &mut sink)?;
        sink.into_result()?;
        self.donor_by_code = donors.iter().enumerate().map(|(i, d)| (d.code.clone(), i)).collect();
        self.donors = donors;
        Ok(self)
    }

    fn load_tables(sources: ReferenceSources<'_>) -> Result<Reference> {
        let mut sink = ErrorSink::new(DEFAULT_ERROR_LIMIT);
        let areas = countries::read_areas(sources.regions.0, sources.regions.1, &mut sink)?;
        let area_by_code: HashMap<u16, usize> = areas.iter().enumerate().map(|(i, a)| (a.m49, i)).collect();
        let countries = countries::read_countries(sources.countries.0, sources.countries.1, &mut sink)?;
        let commitments = commitments::read(sources.commitments.0, sources.commitments.1, &mut sink)?;
        sink.into_result()?;

        let mut country_by_code = HashMap::new();
        for (i, c) in countries.iter().enumerate() {
            let idx = CountryIdx(i as u16);
            country_by_code.insert(c.alpha2.clone(), idx);
            country_by_code.insert(c.alpha3.clone(), idx);
        }
        let commitment_by_code =
            commitments.iter().enumerate().map(|(i, c)| (c.code.clone(), CommitmentIdx(i as u16))).collect();
        // The M49 hierarchy is implicit in the country rows: an intermediate region lies in its country's
        // sub-region and region, a sub-region in its region.
        let mut area_parents: HashMap<u16, Vec<u16>> = HashMap::new();
        for c in &countries {
            let chain = [c.intermediate_region_code, c.subregion_code, c.region_code];
            let chain: Vec<u16> = chain.into_iter().flatten().collect();
            for (i, &inner) in chain.iter().enumerate() {
                let parents = area_parents.entry(inner).or_default();
                for &outer in &chain[i + 1..] {
                    if !parents.contains(&outer) {
                        parents.push(outer);
                    }
                }
            }
        }
        Ok(Reference {
            commitments,
            commitment_by_code,
            countries,
            country_by_code,
            areas,
            area_by_code,
            area_parents,
            donors: Vec::new(),
            donor_by_code: HashMap::new(),
        })
    }

    /// Every commitment in catalogue order.
    pub fn commitments(&self) -> &[Commitment] {
        &self.commitments
    }

    /// One commitment.
    pub fn commitment(&self, idx: CommitmentIdx) -> &Commitment {
        &self.commitments[idx.0 as usize]
    }

    /// Looks a commitment up by its code, in any letter case (`iti-2b` is `ITI-2b`: no two codes of the catalogue
    /// differ only in case, which a unit test checks).
    pub fn commitment_by_code(&self, code: &str) -> Option<CommitmentIdx> {
        self.commitment_by_code.get(code).copied().or_else(|| {
            let k = self.commitments.iter().position(|c| c.code.eq_ignore_ascii_case(code))?;
            Some(CommitmentIdx(k as u16))
        })
    }

    /// Every country, sorted by alpha-3.
    pub fn countries(&self) -> &[Country] {
        &self.countries
    }

    /// One country.
    pub fn country(&self, idx: CountryIdx) -> &Country {
        &self.countries[idx.0 as usize]
    }

    /// Looks a country up by ISO alpha-2 or alpha-3 code (any letter case).
    pub fn country_by_code(&self, code: &str) -> Option<CountryIdx> {
        if code.len() != 2 && code.len() != 3 {
            return None;
        }
        self.country_by_code.get(&code.to_ascii_uppercase()).copied()
    }

    /// Looks a country up by its English short name (any letter case, with or without UNTERM's "(the)") or its
    /// Chinese short name: not accepted as input, but named in a hint so the user learns the code.
    pub fn country_by_name(&self, name: &str) -> Option<CountryIdx> {
        let name = name.trim();
        let k = self.countries.iter().position(|c| {
            c.name_en.eq_ignore_ascii_case(name)
                || countries::display_name(&c.name_en).eq_ignore_ascii_case(name)
                || (!c.name_zh.is_empty() && (c.name_zh == name || countries::display_name(&c.name_zh) == name))
        })?;
        Some(CountryIdx(k as u16))
    }

    /// Looks an M49 area up by its English name (any letter case) or its Chinese name.
    pub fn area_by_name(&self, name: &str) -> Option<&Area> {
        let name = name.trim();
        self.areas.iter().find(|a| a.name_en.eq_ignore_ascii_case(name) || (!a.name_zh.is_empty() && a.name_zh == name))
    }

    /// Every M49 area (world, regions, sub-regions, intermediate regions).
    pub fn areas(&self) -> &[Area] {
        &self.areas
    }

    /// Whether M49 area `inner` lies within area `outer` (an area lies within itself; everything within the world).
    pub fn area_within(&self, inner: u16, outer: u16) -> bool {
        outer == 1 || inner == outer || self.area_parents.get(&inner).is_some_and(|p| p.contains(&outer))
    }

    /// Looks an M49 area up by its code.
    pub fn area(&self, m49: u16) -> Option<&Area> {
        self.area_by_code.get(&m49).map(|&i| &self.areas[i])
    }

    /// Every row of the donor table, in file order.
    pub fn donors(&self) -> &[Donor] {
        &self.donors
    }

    /// A donor as pages name it: the donor table's name for its code, else the country's short name for a
    /// State's code, else `None` (the code is all there is).
    pub fn donor_name(&self, code: &str, lang: &str) -> Option<&str> {
        match self.donor_by_code.get(code) {
            Some(&i) => Some(self.donors[i].name(lang)),
            None => self.country_by_code(code).map(|c| self.country(c).short_name(lang)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_tables_load_and_cross_reference() {
        let r = Reference::embedded();
        assert_eq!(r.commitments().len(), 48);
        assert!(r.countries().len() >= 240);
        let ken = r.country_by_code("ke").expect("Kenya by alpha-2");
        assert_eq!(r.country_by_code("KEN"), Some(ken));
        let kenya = r.country(ken);
        assert!(kenya.in_area(2) && kenya.in_area(14) && kenya.in_area(1) && !kenya.in_area(19));
        // M49: Eastern Africa (14) is an intermediate region inside the sub-region Sub-Saharan Africa (202).
        assert_eq!(r.area(14).map(|a| a.kind), Some(AreaKind::Intermediate));
        assert_eq!(r.area(202).map(|a| a.kind), Some(AreaKind::Subregion));
        for c in r.countries() {
            for code in [c.region_code, c.subregion_code, c.intermediate_region_code].into_iter().flatten() {
                assert!(r.area(code).is_some(), "{} names unknown area {code}", c.alpha3);
            }
        }
        assert!(r.area_within(11, 202) && r.area_within(11, 2) && r.area_within(14, 1) && !r.area_within(2, 11));
        let marking = r.commitment_by_code("POA-N-2g").expect("POA-N-2g");
        assert_eq!(r.commitment(marking).match_role, MatchRole::Target);
        for code in ["POA-C-5d", "ITI-3b"] {
            let c = r.commitment(r.commitment_by_code(code).unwrap());
            assert_eq!(c.match_role, MatchRole::Provider, "{code}");
        }
    }

    #[test]
    fn codes_and_names_are_found_in_any_case() {
        let r = Reference::embedded();
        let codes: std::collections::HashSet<String> =
            r.commitments().iter().map(|c| c.code.to_ascii_lowercase()).collect();
        assert_eq!(codes.len(), r.commitments().len(), "two commitment codes differ only in case");
        assert_eq!(r.commitment_by_code("iti-2b"), r.commitment_by_code("ITI-2b"));
        let ken = r.country_by_code("KEN");
        assert_eq!(r.country_by_name("kenya"), ken);
        assert_eq!(r.country_by_name("肯尼亚"), ken);
        assert!(r.country_by_name("Netherlands").is_some());
        assert_eq!(r.area_by_name("africa").map(|a| a.m49), Some(2));
    }

    #[test]
    fn names_read_naturally_and_the_data_keeps_the_official_ones() {
        let r = Reference::embedded();
        let name = |code: &str, lang: &str| r.donor_name(code, lang).map(str::to_string);
        for (code, en) in [
            ("NLD", "Netherlands"),
            ("NER", "Niger"),
            ("USA", "United States of America"),
            ("COK", "Cook Islands"),
            ("PSE", "State of Palestine"),
            ("BOL", "Bolivia (Plurinational State of)"),
            ("KEN", "Kenya"),
        ] {
            assert_eq!(name(code, "en").as_deref(), Some(en), "{code}");
        }
        assert_eq!(name("PSE", "zh").as_deref(), Some("巴勒斯坦国"));
        let nld = r.country(r.country_by_code("NLD").unwrap());
        assert_eq!(nld.name("en"), "Netherlands (the)", "the table keeps UNTERM's form");
        assert_eq!(display_name("(the)"), "(the)", "never an empty name");
        // Funds by the donor table, in both languages; a code nobody names stays a code.
        assert_eq!(
            name("UNSCAR", "en").as_deref(),
            Some("UN Trust Facility Supporting Cooperation on Arms Regulation")
        );
        assert_eq!(name("WB_SALW_TF", "zh").as_deref(), Some("西巴尔干小武器和轻武器管控路线图多伙伴信托基金"));
        assert_eq!(name("SALW_TF_11", "en"), None);
        let every_fund_of_the_sample = ["UNSCAR", "WB_SALW_TF", "POA_SPONSORSHIP", "EU"];
        assert!(every_fund_of_the_sample.iter().all(|c| r.donor_name(c, "zh").is_some()));
    }

    #[test]
    fn a_donor_file_replaces_the_embedded_names() {
        let r = Reference::embedded().clone().with_donors(
            "mine.csv",
            "code,name_en,name_zh,type
DEU,GIZ,,state
",
        );
        let r = r.expect("a good table");
        assert_eq!(r.donor_name("DEU", "zh"), Some("GIZ"), "the table before the country names");
        assert_eq!(r.donor_name("UNSCAR", "en"), None, "the embedded rows are gone");
        let err = Reference::embedded().clone().with_donors(
            "bad.csv",
            "code,name_en,name_zh,type
X,,,
",
        );
        assert!(err.is_err_and(|e| e.to_string().contains("bad.csv:2:2: field 'name_en'")));
    }
}
