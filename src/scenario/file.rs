//! The scenarios file (TOML) as written by planners, parsed with every value's position kept, so that an unknown
//! key or a bad value is reported as `FILE:LINE:COLUMN: key 'scenario[2].demand_factor.theme.tracing': ...`.
//!
//! This module only checks what the file can check on its own (types, ranges, unknown keys, duplicate names);
//! [`super::apply`](mod@super::apply) checks the names it mentions (donors, offers, themes, regions) against the batch.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::objective::Weights;
use toml::Spanned;

use crate::error::{DataError, Error, Location, Result};
use crate::model::PledgedAwards;

/// Most draws one scenario may ask for.
pub const MAX_DRAWS: u32 = 10_000_000;
/// Largest envelope or demand factor accepted (a thousandfold change is already far outside planning).
pub const MAX_FACTOR: f64 = 1000.0;

/// The whole file, as typed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStudy {
    draws: Option<Spanned<i64>>,
    seed: Option<Spanned<i64>>,
    pledged_awards: Option<Spanned<String>>,
    realisation: Option<RawRealisation>,
    #[serde(default)]
    scenario: Vec<RawScenario>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    name: Spanned<String>,
    #[serde(default)]
    description: String,
    draws: Option<Spanned<i64>>,
    pledged_awards: Option<Spanned<String>>,
    #[serde(default)]
    remove_offers: Vec<Spanned<String>>,
    add_offers: Option<Spanned<String>>,
    #[serde(default)]
    envelope_factor: RawEnvelopeFactors,
    #[serde(default)]
    demand_factor: RawDemandFactors,
    realisation: Option<RawRealisation>,
    weights: Option<Spanned<toml::Table>>,
}

type FactorMap = BTreeMap<Spanned<String>, Spanned<f64>>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnvelopeFactors {
    #[serde(default)]
    donor: FactorMap,
    #[serde(default)]
    offer: FactorMap,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDemandFactors {
    #[serde(default)]
    region: FactorMap,
    #[serde(default)]
    theme: FactorMap,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRealisation {
    probability: Option<Spanned<f64>>,
    share: Option<Spanned<RawShare>>,
    #[serde(default)]
    donor: BTreeMap<Spanned<String>, RawPledge>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPledge {
    probability: Option<Spanned<f64>>,
    share: Option<Spanned<RawShare>>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawShare {
    Fixed(f64),
    Range(Vec<f64>),
}

/// A name or number in the file with where it stands, for error messages about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed<T> {
    /// The value.
    pub value: T,
    /// Where it stands.
    pub location: Location,
}

/// The share of a pledge that arrives when it arrives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Share {
    /// Always this share.
    Fixed(f64),
    /// Uniform between the two bounds.
    Uniform(f64, f64),
}

impl Share {
    /// The share for a uniform draw `u` in [0, 1).
    pub fn at(self, u: f64) -> f64 {
        match self {
            Share::Fixed(s) => s,
            Share::Uniform(lo, hi) => lo + (hi - lo) * u,
        }
    }
}

/// How a pledge is realised: it arrives with `probability`, and then `share` of it arrives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pledge {
    /// Probability that the pledge arrives at all.
    pub probability: f64,
    /// The share of the envelope that arrives when it does.
    pub share: Share,
}

impl Pledge {
    /// A pledge that always arrives in full.
    pub const CERTAIN: Pledge = Pledge { probability: 1.0, share: Share::Fixed(1.0) };

    /// Whether every draw gives the whole envelope.
    pub fn is_certain(&self) -> bool {
        self.probability >= 1.0 && self.share == Share::Fixed(1.0)
    }
}

/// Realisation rules: a default pledge and per-donor ones.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Realisation {
    /// The pledge of donors not listed (none: the level above decides).
    pub default: Option<Pledge>,
    /// Pledges by donor code.
    pub donors: Vec<(Placed<String>, Pledge)>,
}

/// One named scenario: changes to the baseline batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Keys of the weights file that this scenario sets otherwise (docs/spec.md §10), over the study's weights.
    pub weights: Option<Placed<toml::Table>>,
    /// Its name, unique in the file.
    pub name: Placed<String>,
    /// Free text for the report.
    pub description: String,
    /// Draws of this scenario.
    pub draws: u32,
    /// How the draws treat a ledger's pledged awards (this scenario's key, else the file's; none: `--lock`
    /// decides). Without a ledger it changes nothing.
    pub pledged_awards: Option<PledgedAwards>,
    /// Offer ids to drop.
    pub remove_offers: Vec<Placed<String>>,
    /// A CSV file of offers to add (offers.csv columns), as written in the file (relative to the file's folder).
    pub add_offers: Option<Placed<String>>,
    /// Envelope factors by donor code.
    pub donor_factors: Vec<(Placed<String>, f64)>,
    /// Envelope factors by offer id.
    pub offer_factors: Vec<(Placed<String>, f64)>,
    /// Demand factors by M49 area (code or English name).
    pub region_factors: Vec<(Placed<String>, f64)>,
    /// Demand factors by theme.
    pub theme_factors: Vec<(Placed<String>, f64)>,
    /// This scenario's realisation rules (they take precedence over the study's).
    pub realisation: Realisation,
}

/// A scenarios file: the scenarios with the study-wide seed and realisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Study {
    /// The file as the user named it.
    pub path: String,
    /// Seed of every draw's random stream.
    pub seed: u64,
    /// Study-wide realisation rules.
    pub realisation: Realisation,
    /// The scenarios, in file order.
    pub scenarios: Vec<Scenario>,
}

impl Study {
    /// The pledge rule for an offer of `donor` in scenario `s`: the scenario's rule for the donor, else the
    /// study's, else the scenario's default, else the study's default, else certain.
    pub fn pledge(&self, s: usize, donor: &str) -> Pledge {
        let by_donor = |r: &Realisation| r.donors.iter().find(|(d, _)| d.value == donor).map(|(_, p)| *p);
        by_donor(&self.scenarios[s].realisation)
            .or_else(|| by_donor(&self.realisation))
            .unwrap_or_else(|| self.default_pledge(s))
    }

    /// The pledge rule in scenario `s` for a donor that no rule names, or one that is not known: the scenario's
    /// default, else the study's, else certain.
    pub fn default_pledge(&self, s: usize) -> Pledge {
        self.scenarios[s].realisation.default.or(self.realisation.default).unwrap_or(Pledge::CERTAIN)
    }
}

/// Default number of draws when the file names none.
pub const DEFAULT_DRAWS: u32 = 1000;

/// Parses a scenarios file. `path` is used in error messages only.
pub fn parse(path: &str, text: &str) -> Result<Study> {
    let raw: RawStudy = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let key = key_at(text, &span);
        let message = e.message().trim().replace('\n', " ");
        data_error(vec![DataError { location: locate(path, text, &span, key), message }])
    })?;
    let mut checker = Checker { path, text, errors: Vec::new() };
    let study = checker.study(raw);
    if checker.errors.is_empty() { Ok(study) } else { Err(data_error(checker.errors)) }
}

fn data_error(errors: Vec<DataError>) -> Error {
    Error::invalid_data(errors, 0)
}

/// The word under a span, when it is a bare or quoted key, so errors can name it.
fn key_at(text: &str, span: &std::ops::Range<usize>) -> Option<String> {
    let word = text.get(span.clone())?.trim().trim_matches('"');
    let is_key = !word.is_empty() && word.chars().all(|c| c.is_alphanumeric() || "_-.".contains(c));
    is_key.then(|| word.to_string())
}

/// Line and column (1-based, in characters) of a byte offset.
fn locate(path: &str, text: &str, span: &std::ops::Range<usize>, field: Option<String>) -> Location {
    let offset = span.start.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() as u64 + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Location { path: path.to_string(), sheet: None, line, column, field }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

struct Checker<'a> {
    path: &'a str,
    text: &'a str,
    errors: Vec<DataError>,
}

impl Checker<'_> {
    fn place<T>(&self, spanned: &Spanned<T>, key: &str) -> Location {
        locate(self.path, self.text, &spanned.span(), Some(key.to_string()))
    }

    fn fail<T>(&mut self, spanned: &Spanned<T>, key: &str, message: impl Into<String>) {
        let location = self.place(spanned, key);
        self.errors.push(DataError { location, message: message.into() });
    }

    fn study(&mut self, raw: RawStudy) -> Study {
        let draws = match &raw.draws {
            Some(d) => self.draws(d, "draws"),
            None => DEFAULT_DRAWS,
        };
        let seed = match &raw.seed {
            Some(s) if *s.get_ref() >= 0 => *s.get_ref() as u64,
            Some(s) => {
                self.fail(s, "seed", format!("{} is negative; expected a whole number from 0", s.get_ref()));
                0
            }
            None => 0,
        };
        let realisation = raw.realisation.map(|r| self.realisation(r, "realisation")).unwrap_or_default();
        let pledged_awards = raw.pledged_awards.as_ref().and_then(|p| self.pledged_awards(p, "pledged_awards"));
        if raw.scenario.is_empty() {
            self.errors.push(DataError {
                location: Location {
                    path: self.path.to_string(),
                    sheet: None,
                    line: 1,
                    column: 1,
                    field: Some("scenario".into()),
                },
                message: "the file names no scenario; add at least one [[scenario]] table with a name".into(),
            });
        }
        let mut scenarios: Vec<Scenario> = Vec::new();
        for (i, s) in raw.scenario.into_iter().enumerate() {
            let scenario = self.scenario(s, i, draws, pledged_awards);
            if let Some(first) = scenarios.iter().find(|x| x.name.value == scenario.name.value) {
                self.errors.push(DataError {
                    location: scenario.name.location.clone(),
                    message: format!(
                        "scenario name {:?} is already used on line {}; names must be unique",
                        scenario.name.value, first.name.location.line
                    ),
                });
            }
            scenarios.push(scenario);
        }
        Study { path: self.path.to_string(), seed, realisation, scenarios }
    }

    fn draws(&mut self, d: &Spanned<i64>, key: &str) -> u32 {
        match u32::try_from(*d.get_ref()) {
            Ok(n) if (1..=MAX_DRAWS).contains(&n) => n,
            _ => {
                self.fail(
                    d,
                    key,
                    format!("{} is out of range; expected a whole number from 1 to {MAX_DRAWS}", d.get_ref()),
                );
                1
            }
        }
    }

    /// A `pledged_awards` value: one of the words of [`PledgedAwards`].
    fn pledged_awards(&mut self, value: &Spanned<String>, key: &str) -> Option<PledgedAwards> {
        let parsed = PledgedAwards::parse(value.get_ref().trim());
        if parsed.is_none() {
            self.fail(
                value,
                key,
                format!(
                    "{:?} is not a rule for pledged awards; expected one of {}",
                    value.get_ref(),
                    PledgedAwards::expected()
                ),
            );
        }
        parsed
    }

    fn scenario(
        &mut self,
        raw: RawScenario,
        i: usize,
        default_draws: u32,
        default_pledged: Option<PledgedAwards>,
    ) -> Scenario {
        let at = format!("scenario[{}]", i + 1);
        let name_text = raw.name.get_ref().trim().to_string();
        if name_text.is_empty() || name_text.chars().any(char::is_control) {
            self.fail(&raw.name, &format!("{at}.name"), "expected a non-empty name without control characters");
        }
        let name = Placed { value: name_text, location: self.place(&raw.name, &format!("{at}.name")) };
        let draws = match &raw.draws {
            Some(d) => self.draws(d, &format!("{at}.draws")),
            None => default_draws,
        };
        let pledged_awards = match &raw.pledged_awards {
            Some(p) => self.pledged_awards(p, &format!("{at}.pledged_awards")),
            None => default_pledged,
        };
        let remove_offers = raw
            .remove_offers
            .iter()
            .map(|id| Placed {
                value: id.get_ref().trim().to_string(),
                location: self.place(id, &format!("{at}.remove_offers")),
            })
            .collect();
        let add_offers = raw
            .add_offers
            .as_ref()
            .map(|p| Placed { value: p.get_ref().clone(), location: self.place(p, &format!("{at}.add_offers")) });
        let donor_factors = self.factors(&raw.envelope_factor.donor, &format!("{at}.envelope_factor.donor"), 0.0);
        let offer_factors = self.factors(&raw.envelope_factor.offer, &format!("{at}.envelope_factor.offer"), 0.0);
        // A need's amount cannot become zero (needs.csv requires a positive amount): demand factors are positive.
        let region_factors =
            self.factors(&raw.demand_factor.region, &format!("{at}.demand_factor.region"), f64::MIN_POSITIVE);
        let theme_factors =
            self.factors(&raw.demand_factor.theme, &format!("{at}.demand_factor.theme"), f64::MIN_POSITIVE);
        let realisation =
            raw.realisation.map(|r| self.realisation(r, &format!("{at}.realisation"))).unwrap_or_default();
        // Checked here on the default weights, so that a wrong key is reported with its place before anything runs;
        // `simulate` applies the table to the study's own weights (docs/spec.md §10).
        let weights = raw.weights.map(|w| {
            if let Err(message) = Weights::default().with_overrides(w.get_ref()) {
                self.fail(&w, &format!("{at}.weights"), message);
            }
            Placed { value: w.get_ref().clone(), location: self.place(&w, &format!("{at}.weights")) }
        });
        Scenario {
            weights,
            name,
            description: raw.description,
            draws,
            pledged_awards,
            remove_offers,
            add_offers,
            donor_factors,
            offer_factors,
            region_factors,
            theme_factors,
            realisation,
        }
    }

    fn factors(&mut self, map: &FactorMap, at: &str, least: f64) -> Vec<(Placed<String>, f64)> {
        let mut out = Vec::with_capacity(map.len());
        for (key, factor) in map {
            let path = format!("{at}.{}", key.get_ref());
            let f = *factor.get_ref();
            if !(f.is_finite() && f >= least && f <= MAX_FACTOR) {
                let lower = if least > 0.0 { "above 0" } else { "from 0" };
                self.fail(
                    factor,
                    &path,
                    format!("factor {f} is out of range; expected a number {lower} up to {MAX_FACTOR}"),
                );
            }
            out.push((Placed { value: key.get_ref().trim().to_string(), location: self.place(key, &path) }, f));
        }
        out
    }

    fn realisation(&mut self, raw: RawRealisation, at: &str) -> Realisation {
        let default = if raw.probability.is_some() || raw.share.is_some() {
            Some(self.pledge(raw.probability.as_ref(), raw.share.as_ref(), at))
        } else {
            None
        };
        let donors = raw
            .donor
            .iter()
            .map(|(donor, p)| {
                let path = format!("{at}.donor.{}", donor.get_ref());
                let pledge = self.pledge(p.probability.as_ref(), p.share.as_ref(), &path);
                (Placed { value: donor.get_ref().trim().to_string(), location: self.place(donor, &path) }, pledge)
            })
            .collect();
        Realisation { default, donors }
    }

    fn pledge(&mut self, probability: Option<&Spanned<f64>>, share: Option<&Spanned<RawShare>>, at: &str) -> Pledge {
        let in_unit = |x: f64| x.is_finite() && (0.0..=1.0).contains(&x);
        let probability = match probability {
            Some(p) if in_unit(*p.get_ref()) => *p.get_ref(),
            Some(p) => {
                self.fail(
                    p,
                    &format!("{at}.probability"),
                    format!("{} is not a probability; expected 0 to 1", p.get_ref()),
                );
                1.0
            }
            None => 1.0,
        };
        let share = match share {
            None => Share::Fixed(1.0),
            Some(s) => match s.get_ref() {
                RawShare::Fixed(x) if in_unit(*x) => Share::Fixed(*x),
                RawShare::Range(r) if r.len() == 2 && in_unit(r[0]) && in_unit(r[1]) && r[0] <= r[1] => {
                    if r[0] == r[1] { Share::Fixed(r[0]) } else { Share::Uniform(r[0], r[1]) }
                }
                _ => {
                    self.fail(
                        s,
                        &format!("{at}.share"),
                        "expected a share from 0 to 1, or a range [low, high] with 0 <= low <= high <= 1",
                    );
                    Share::Fixed(1.0)
                }
            },
        };
        Pledge { probability, share }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_error(text: &str) -> String {
        let err = parse("s.toml", text).unwrap_err();
        assert_eq!(err.exit_code(), 3);
        match err.kind() {
            crate::error::ErrorKind::InvalidData { errors, .. } => errors[0].to_string(),
            other => panic!("expected a data error, got {other:?}"),
        }
    }

    #[test]
    fn parses_a_full_scenario() {
        let study = parse(
            "s.toml",
            r#"
draws = 50
seed = 7
[realisation]
probability = 0.9
share = [0.5, 1.0]
[[scenario]]
name = "baseline"
[[scenario]]
name = "more"
draws = 20
remove_offers = ["O-1"]
envelope_factor.donor = { DEU = 1.2 }
demand_factor.theme.tracing = 1.5
[scenario.realisation.donor.JPN]
probability = 0.5
share = 0.8
"#,
        )
        .unwrap();
        assert_eq!(study.seed, 7);
        assert_eq!(study.scenarios.len(), 2);
        assert_eq!(study.scenarios[0].draws, 50);
        assert_eq!(study.scenarios[1].draws, 20);
        assert_eq!(study.scenarios[1].donor_factors[0].1, 1.2);
        assert_eq!(study.scenarios[1].theme_factors[0].0.value, "tracing");
        assert_eq!(study.pledge(1, "JPN"), Pledge { probability: 0.5, share: Share::Fixed(0.8) });
        assert_eq!(study.pledge(1, "DEU"), Pledge { probability: 0.9, share: Share::Uniform(0.5, 1.0) });
        assert_eq!(study.scenarios[1].remove_offers[0].location.line, 12);
        assert_eq!(study.scenarios[1].pledged_awards, None);
    }

    #[test]
    fn pledged_awards_follow_the_scenario_then_the_file() {
        let text = "pledged_awards = \"drawn\"\n[[scenario]]\nname = \"a\"\n[[scenario]]\nname = \"b\"\n\
                    pledged_awards = \"certain\"\n";
        let study = parse("s.toml", text).unwrap();
        assert_eq!(study.scenarios[0].pledged_awards, Some(PledgedAwards::Drawn));
        assert_eq!(study.scenarios[1].pledged_awards, Some(PledgedAwards::Certain));
    }

    #[test]
    fn unknown_keys_name_the_key_and_line() {
        let e = first_error("draws = 5\n[[scenario]]\nname = \"a\"\nenvelope_factr = 2\n");
        assert!(e.starts_with("s.toml:4:1: field 'envelope_factr':"), "{e}");
        assert!(e.contains("unknown field"), "{e}");
    }

    #[test]
    fn bad_values_name_the_key_and_line() {
        let e = first_error("[[scenario]]\nname = \"a\"\n[scenario.realisation]\nprobability = 1.5\n");
        assert!(e.starts_with("s.toml:4:15: field 'scenario[1].realisation.probability':"), "{e}");
        let e = first_error("[[scenario]]\nname = \"a\"\ndemand_factor.region.Africa = -1\n");
        assert!(e.starts_with("s.toml:3:31: field 'scenario[1].demand_factor.region.Africa':"), "{e}");
        let e = first_error("draws = 0\n[[scenario]]\nname = \"a\"\n");
        assert!(e.starts_with("s.toml:1:9: field 'draws':"), "{e}");
        let e = first_error("[[scenario]]\nname = \"a\"\n[[scenario]]\nname = \"a\"\n");
        assert!(e.starts_with("s.toml:4:8: field 'scenario[2].name':") && e.contains("line 2"), "{e}");
        let e = first_error("[[scenario]]\nname = \"a\"\nrealisation.share = [0.9, 0.2]\n");
        assert!(e.contains("scenario[1].realisation.share"), "{e}");
        let e = first_error("seed = 1\n");
        assert!(e.contains("no scenario"), "{e}");
        let e = first_error("[[scenario]]\nname = \"a\"\npledged_awards = \"maybe\"\n");
        assert!(
            e.starts_with("s.toml:3:18: field 'scenario[1].pledged_awards':") && e.contains("certain, drawn"),
            "{e}"
        );
        let e = first_error("pledged_awards = \"sure\"\n[[scenario]]\nname = \"a\"\n");
        assert!(e.starts_with("s.toml:1:18: field 'pledged_awards':"), "{e}");
        let e = first_error("[[scenario]]\nname = \"a\"\ndraws = \"many\"\n");
        assert!(e.starts_with("s.toml:3:9:"), "{e}");
    }
}
