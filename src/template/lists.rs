//! The allowed values that the templates' drop-down lists offer, each list a column of the hidden `lists` sheet:
//! the closed vocabularies by their exact spelling, and the codes of the reference tables with their titles or
//! names in the chosen language (`ITI-2a — <title>`, `KEN — Kenya`, `2 — Africa`), the form the readers accept
//! ([`crate::records::labelled`]).

use crate::catalog::{MatchRole, Reference};
use crate::lang::Lang;
use crate::model::Currency;
use crate::model::{AwardStatus, DonorType, FundingMode, ImplementerType, Kind, RecipientFlag, RequesterType, Theme};
use crate::records::labelled::{SEPARATOR, label_text};

/// A list of allowed values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ListKind {
    /// Commitment codes that needs may cite (`target`), with their titles.
    NeedCommitments,
    /// Commitment codes that offers may cite (`target` or `provider`), with their titles.
    OfferCommitments,
    /// Kinds of help.
    Kinds,
    /// Themes of the catalogue.
    Themes,
    /// Funding modes.
    FundingModes,
    /// Award statuses.
    Statuses,
    /// Implementer types.
    ImplementerTypes,
    /// Requester types.
    RequesterTypes,
    /// Donor types.
    DonorTypes,
    /// Recipient flags.
    RecipientFlags,
    /// Country codes with their names.
    Countries,
    /// M49 areas with their names.
    Areas,
    /// The booleans.
    Booleans,
    /// ISO 4217 currency codes.
    Currencies,
}

impl ListKind {
    /// Every list, in the order of the `lists` sheet's columns.
    pub const ALL: [ListKind; 14] = [
        ListKind::NeedCommitments,
        ListKind::OfferCommitments,
        ListKind::Kinds,
        ListKind::Themes,
        ListKind::FundingModes,
        ListKind::Statuses,
        ListKind::ImplementerTypes,
        ListKind::RequesterTypes,
        ListKind::DonorTypes,
        ListKind::RecipientFlags,
        ListKind::Countries,
        ListKind::Areas,
        ListKind::Booleans,
        ListKind::Currencies,
    ];

    /// The list's heading on the `lists` sheet.
    pub fn name(self) -> &'static str {
        match self {
            ListKind::NeedCommitments => "need_commitments",
            ListKind::OfferCommitments => "offer_commitments",
            ListKind::Kinds => "kinds",
            ListKind::Themes => "themes",
            ListKind::FundingModes => "funding_modes",
            ListKind::Statuses => "statuses",
            ListKind::ImplementerTypes => "implementer_types",
            ListKind::RequesterTypes => "requester_types",
            ListKind::DonorTypes => "donor_types",
            ListKind::RecipientFlags => "recipient_flags",
            ListKind::Countries => "countries",
            ListKind::Areas => "m49_areas",
            ListKind::Booleans => "booleans",
            ListKind::Currencies => "currencies",
        }
    }

    /// Whether the entries are codes with a label (the rest are exact spellings).
    pub fn labelled(self) -> bool {
        matches!(self, ListKind::NeedCommitments | ListKind::OfferCommitments | ListKind::Countries | ListKind::Areas)
    }

    /// The entries, in `lang` where the reference tables have names in it.
    pub fn entries(self, reference: &Reference, lang: Lang) -> Vec<String> {
        let code = lang.code();
        let commitments = |roles: &[MatchRole]| -> Vec<String> {
            let cited = reference.commitments().iter().filter(|c| roles.contains(&c.match_role));
            cited.map(|c| format!("{}{SEPARATOR}{}", c.code, label_text(c.title(code)))).collect()
        };
        let spelt = |values: Vec<&str>| values.into_iter().map(str::to_string).collect();
        match self {
            ListKind::NeedCommitments => commitments(&[MatchRole::Target]),
            ListKind::OfferCommitments => commitments(&[MatchRole::Target, MatchRole::Provider]),
            ListKind::Kinds => spelt(Kind::ALL.iter().map(|v| v.as_str()).collect()),
            ListKind::Themes => spelt(Theme::ALL.iter().map(|v| v.as_str()).collect()),
            ListKind::FundingModes => spelt(FundingMode::ALL.iter().map(|v| v.as_str()).collect()),
            ListKind::Statuses => spelt(AwardStatus::ALL.iter().map(|v| v.as_str()).collect()),
            ListKind::ImplementerTypes => spelt(ImplementerType::ALL.iter().map(|v| v.as_str()).collect()),
            ListKind::RequesterTypes => spelt(RequesterType::ALL.iter().map(|v| v.as_str()).collect()),
            ListKind::DonorTypes => spelt(DonorType::ALL.iter().map(|v| v.as_str()).collect()),
            ListKind::RecipientFlags => spelt(RecipientFlag::ALL.iter().map(|v| v.as_str()).collect()),
            ListKind::Countries => reference
                .countries()
                .iter()
                .map(|c| format!("{}{SEPARATOR}{}", c.alpha3, label_text(c.short_name(code))))
                .collect(),
            ListKind::Areas => {
                reference.areas().iter().map(|a| format!("{}{SEPARATOR}{}", a.m49, label_text(a.name(code)))).collect()
            }
            ListKind::Booleans => spelt(vec!["true", "false"]),
            ListKind::Currencies => spelt(Currency::codes().to_vec()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labelled_lists_give_code_and_name_in_the_language() {
        let reference = Reference::embedded();
        let en = ListKind::Countries.entries(reference, Lang::En);
        assert!(en.contains(&"KEN — Kenya".to_string()), "{:?}", &en[..5]);
        let zh = ListKind::Countries.entries(reference, Lang::Zh);
        assert!(zh.contains(&"KEN — 肯尼亚".to_string()));
        let needs = ListKind::NeedCommitments.entries(reference, Lang::En);
        let offers = ListKind::OfferCommitments.entries(reference, Lang::En);
        assert!(needs.len() < offers.len(), "offers may also cite provider codes");
        assert!(needs.iter().all(|n| offers.contains(n)));
        assert!(ListKind::Areas.entries(reference, Lang::En).contains(&"2 — Africa".to_string()));
    }
}
