//! The closed vocabularies of docs/spec.md §2–§3: each an enum with its exact CSV spelling, plus bit sets for kinds and
//! themes so that scope tests in the eligibility graph are one AND.

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The CSV spelling.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Parses the exact CSV spelling.
            pub fn parse(text: &str) -> Option<$name> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// The accepted spellings, comma-separated, for error messages.
            pub fn expected() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary!(
    /// What form of help a need asks for or an offer gives.
    Kind {
        /// Money.
        Financial = "financial",
        /// Expert advice.
        Technical = "technical",
        /// Machines, software, hardware.
        Equipment = "equipment",
        /// Courses and workshops.
        Training = "training",
        /// Drafting laws and regulations.
        Legal = "legal",
    }
);

vocabulary!(
    /// Themes of the commitment catalogue (docs/spec.md §2).
    Theme {
        /// Marking of weapons.
        Marking = "marking",
        /// Record-keeping.
        RecordKeeping = "record_keeping",
        /// Tracing.
        Tracing = "tracing",
        /// Stockpile management and security.
        StockpileManagement = "stockpile_management",
        /// Destruction and disposal of surplus.
        DestructionDisposal = "destruction_disposal",
        /// Border control.
        BorderControl = "border_control",
        /// Laws and regulations.
        LegislationRegulation = "legislation_regulation",
        /// Brokering controls.
        Brokering = "brokering",
        /// National coordination bodies and action plans.
        NationalCoordinationNap = "national_coordination_nap",
        /// DDR and arms embargoes.
        DdrEmbargoes = "ddr_embargoes",
        /// Gender.
        Gender = "gender",
        /// International cooperation.
        InternationalCooperation = "international_cooperation",
        /// Reporting.
        Reporting = "reporting",
        /// Attending meetings.
        MeetingParticipation = "meeting_participation",
    }
);

vocabulary!(
    /// Whether a need is useful in part.
    FundingMode {
        /// Any amount helps (subject to min_award).
        Partial = "partial",
        /// Only the whole amount helps (say, one marking machine).
        AllOrNothing = "all_or_nothing",
    }
);

vocabulary!(
    /// Who would carry out the funded activity.
    ImplementerType {
        /// A UN agency.
        UnAgency = "un_agency",
        /// A regional organisation.
        RegionalOrg = "regional_org",
        /// Another international organisation.
        Io = "io",
        /// A non-governmental organisation.
        Ngo = "ngo",
        /// A research institute.
        Research = "research",
        /// The government itself.
        Government = "government",
        /// Nobody identified yet.
        None = "none",
    }
);

vocabulary!(
    /// What kind of body the donor is.
    DonorType {
        /// A State.
        State = "state",
        /// A trust fund.
        Fund = "fund",
        /// A regional organisation.
        RegionalOrg = "regional_org",
        /// An international organisation.
        Io = "io",
        /// A non-governmental organisation.
        Ngo = "ngo",
    }
);

vocabulary!(
    /// Who asks.
    RequesterType {
        /// A State.
        State = "state",
        /// A regional organisation.
        RegionalOrg = "regional_org",
    }
);

vocabulary!(
    /// UN development-status flags of a country.
    RecipientFlag {
        /// Least Developed Country.
        Ldc = "LDC",
        /// Land-Locked Developing Country.
        Lldc = "LLDC",
        /// Small Island Developing State.
        Sids = "SIDS",
    }
);

macro_rules! bit_set {
    ($(#[$doc:meta])* $set:ident of $elem:ident as $bits:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $set(pub $bits);

        impl $set {
            /// The empty set.
            pub const EMPTY: $set = $set(0);

            /// Adds one element.
            pub fn insert(&mut self, e: $elem) {
                self.0 |= 1 << (e as u32);
            }

            /// Whether `e` is in the set.
            pub fn contains(self, e: $elem) -> bool {
                self.0 & (1 << (e as u32)) != 0
            }

            /// Whether the two sets share an element.
            pub fn intersects(self, other: $set) -> bool {
                self.0 & other.0 != 0
            }

            /// Whether the set is empty.
            pub fn is_empty(self) -> bool {
                self.0 == 0
            }

            /// The elements in declaration order.
            pub fn iter(self) -> impl Iterator<Item = $elem> {
                $elem::ALL.iter().copied().filter(move |&e| self.contains(e))
            }
        }

        impl FromIterator<$elem> for $set {
            fn from_iter<I: IntoIterator<Item = $elem>>(iter: I) -> $set {
                let mut s = $set::EMPTY;
                for e in iter {
                    s.insert(e);
                }
                s
            }
        }

        impl std::fmt::Display for $set {
            /// The `;`-list spelling used in CSV.
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let parts: Vec<&str> = self.iter().map(|e| e.as_str()).collect();
                f.write_str(&parts.join(";"))
            }
        }
    };
}

bit_set!(
    /// A set of [`Kind`]s.
    KindSet of Kind as u8
);
bit_set!(
    /// A set of [`Theme`]s.
    ThemeSet of Theme as u16
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(*k));
        }
        for t in Theme::ALL {
            assert_eq!(Theme::parse(t.as_str()), Some(*t));
        }
        assert_eq!(Kind::parse("Financial"), None);
    }

    #[test]
    fn sets_intersect() {
        let a: KindSet = [Kind::Financial, Kind::Legal].into_iter().collect();
        let b: KindSet = [Kind::Legal].into_iter().collect();
        assert!(a.intersects(b));
        assert_eq!(a.to_string(), "financial;legal");
        let all: ThemeSet = Theme::ALL.iter().copied().collect();
        assert_eq!(all.iter().count(), 14);
    }
}
