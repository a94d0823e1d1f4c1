//! Who offers the money of an activity, as an offers.csv `donor` and `donor_type`.
//!
//! The donor is the activity's one funding organisation (`participating-org` with role 1) when it names exactly
//! one by `@ref`, else the reporting organisation: a multi-donor fund reports its funders as several funding
//! organisations, and the offer is then the fund's own. A government (organisation type 10) whose identifier
//! starts with a country code (`GB-GOV-1`, `SE-0`) becomes that State, by alpha-3; any other organisation keeps
//! its identifier as an organisation code (`XM-DAC-41114` → `XM_DAC_41114`).

use super::activity::{Activity, Org};
use super::codes::OrgRole;
use crate::catalog::Reference;
use crate::model::DonorType;

/// Where the donor was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DonorSource {
    /// The one funding organisation.
    Funding,
    /// The reporting organisation.
    Reporting,
}

impl DonorSource {
    /// How the notes name it.
    pub fn words(self) -> &'static str {
        match self {
            DonorSource::Funding => "funded by",
            DonorSource::Reporting => "reported by",
        }
    }
}

/// The donor of an activity's offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Donor {
    /// offers.csv `donor`: an alpha-3 code or an organisation code.
    pub code: String,
    /// offers.csv `donor_type`.
    pub donor_type: Option<DonorType>,
    /// The IATI organisation identifier it came from.
    pub reference: String,
    /// Which element named it.
    pub source: DonorSource,
}

/// The longest organisation code offers.csv takes.
const ORG_CODE_CHARS: usize = 40;

/// The donor of `activity`, or why there is none.
pub fn donor_of(activity: &Activity, reference: &Reference) -> Result<Donor, String> {
    let mut funders: Vec<&Org> = Vec::new();
    for p in activity.participants.iter().filter(|p| p.role == OrgRole::Funding) {
        if p.org.reference.is_some() && !funders.iter().any(|f| f.reference == p.org.reference) {
            funders.push(&p.org);
        }
    }
    let (org, source) = match funders.as_slice() {
        [one] => (*one, DonorSource::Funding),
        _ => match activity.reporting_org.as_ref().filter(|o| o.reference.is_some()) {
            Some(org) => (org, DonorSource::Reporting),
            None => {
                return Err(
                    "reporting-org/@ref is missing and no single participating-org of role 1 (funding) names a ref"
                        .to_string(),
                );
            }
        },
    };
    let Some(org_ref) = org.reference.clone() else {
        return Err("the donor organisation has no ref".to_string());
    };
    let org_type = org.org_type.as_deref().map(str::trim);
    let state = (org_type == Some("10"))
        .then(|| org_ref.split('-').next().filter(|prefix| prefix.len() == 2))
        .flatten()
        .and_then(|prefix| reference.country_by_code(prefix));
    let (code, donor_type) = match state {
        Some(country) => (reference.country(country).alpha3.clone(), Some(DonorType::State)),
        None => (organisation_code(&org_ref), donor_type(org_type)),
    };
    Ok(Donor { code, donor_type, reference: org_ref, source })
}

/// An IATI organisation identifier as an offers.csv organisation code: upper case, every character other than a
/// letter or digit made `_`, starting with a letter, cut at [`ORG_CODE_CHARS`].
fn organisation_code(org_ref: &str) -> String {
    let mut code: String =
        org_ref.trim().chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect();
    if !code.starts_with(|c: char| c.is_ascii_uppercase()) {
        code.insert_str(0, "ORG_");
    }
    code.chars().take(ORG_CODE_CHARS).collect()
}

/// The donor type of an organisation type code other than a government with a country (which is a State).
fn donor_type(org_type: Option<&str>) -> Option<DonorType> {
    match org_type? {
        "21" | "22" | "23" | "24" | "25" => Some(DonorType::Ngo),
        "40" => Some(DonorType::Io),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iati::activity::Participant;

    fn org(reference: &str, org_type: &str) -> Org {
        Org { reference: Some(reference.to_string()), org_type: Some(org_type.to_string()), line: 1 }
    }

    #[test]
    fn a_government_is_its_state_and_others_keep_their_identifier() {
        let reference = Reference::embedded();
        let mut a = Activity { reporting_org: Some(org("GB-GOV-1", "10")), ..Activity::default() };
        let d = donor_of(&a, reference).unwrap();
        assert_eq!((d.code.as_str(), d.donor_type, d.source), ("GBR", Some(DonorType::State), DonorSource::Reporting));
        a.participants.push(Participant { org: org("XM-DAC-41114", "40"), role: OrgRole::Funding });
        let d = donor_of(&a, reference).unwrap();
        assert_eq!(
            (d.code.as_str(), d.donor_type, d.source),
            ("XM_DAC_41114", Some(DonorType::Io), DonorSource::Funding)
        );
        a.participants.push(Participant { org: org("SE-0", "10"), role: OrgRole::Funding });
        assert_eq!(donor_of(&a, reference).unwrap().code, "GBR", "several funders: the reporting organisation");
        assert_eq!(organisation_code("44000-x.y"), "ORG_44000_X_Y");
        assert_eq!(organisation_code(&"a".repeat(90)).len(), ORG_CODE_CHARS);
        assert!(donor_of(&Activity::default(), reference).is_err());
    }
}
