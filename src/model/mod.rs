//! The typed model of a matching batch: needs, offers and the vocabularies they use. No I/O here; `io` fills
//! these types from CSV and `graph`/`solve` read them.

mod currency;
mod date;
mod ids;
mod iso4217;
mod money;
#[macro_use]
mod vocab;

pub use currency::{Converted, Currency, MAX_RATE_DECIMALS, MAX_RATE_WHOLE, NO_RATES, Rate, Rates, UsdPerUnit};
pub use date::Date;
pub use ids::{CommitmentIdx, CountryIdx};
pub use money::{MAX_AMOUNT_USD, Usd, group_thousands};
pub use vocab::{
    DonorType, FundingMode, ImplementerType, Kind, KindSet, RecipientFlag, RequesterType, Theme, ThemeSet,
};

macro_rules! id_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub String);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl $name {
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
    };
}

id_newtype!(
    /// A need's `need_id`, unique within its file.
    NeedId
);
id_newtype!(
    /// An offer's `offer_id`, unique within its file.
    OfferId
);

// After `id_newtype!`, which it uses.
mod ledger;
pub use ledger::{Award, AwardId, AwardStatus, Ledger, LockLevel, PledgedAwards, RoundLabel};

/// Who asks: a State (normalised to its ISO alpha-3 code) or a regional organisation (its code and region).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requester {
    /// A State, by its index in the country table.
    State(CountryIdx),
    /// A regional organisation with its own code.
    RegionalOrg(String),
}

/// One fundable request (a row of needs.csv).
#[derive(Debug, Clone, PartialEq)]
pub struct Need {
    /// Unique id.
    pub id: NeedId,
    /// Who asks.
    pub requester: Requester,
    /// The requester's code as it appears in outputs (alpha-3 for States).
    pub requester_code: String,
    /// M49 area given in the file (required for regional organisations); for States the country's own
    /// region codes are used for eligibility whatever this says.
    pub region: Option<u16>,
    /// Commitments cited, the first one primary. Never empty.
    pub commitments: Vec<CommitmentIdx>,
    /// Kinds of assistance asked for. Never empty.
    pub kinds: KindSet,
    /// Amount requested.
    pub amount: Usd,
    /// Whether part of the amount is useful.
    pub funding_mode: FundingMode,
    /// Smallest useful total for a partial need.
    pub min_award: Option<Usd>,
    /// 1 (highest) to 3.
    pub priority: u8,
    /// Earliest start of the activity.
    pub start_earliest: Option<Date>,
    /// Latest start of the activity.
    pub start_latest: Option<Date>,
    /// Planned duration in months, 1–60.
    pub duration_months: Option<u8>,
    /// Who would implement it.
    pub implementer_type: Option<ImplementerType>,
    /// The national report that listed the need, if any.
    pub source_report: Option<String>,
    /// Free text.
    pub title: String,
    /// Free text.
    pub notes: String,
    /// Physical line in the input where the row starts (for messages).
    pub line: u64,
}

/// One donor envelope or call (a row of offers.csv).
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    /// Unique id.
    pub id: OfferId,
    /// The donor's code (alpha-3 when it is a State's ISO code, else as written).
    pub donor: String,
    /// What kind of donor.
    pub donor_type: Option<DonorType>,
    /// Money in this batch.
    pub envelope: Usd,
    /// Most it gives one need.
    pub cap_per_need: Option<Usd>,
    /// Smallest grant it makes.
    pub floor_per_need: Option<Usd>,
    /// Most needs it funds.
    pub max_awards: Option<u32>,
    /// Commitments in scope (blank = decided by themes).
    pub commitments: Vec<CommitmentIdx>,
    /// Themes in scope when no commitments are listed (empty = any).
    pub themes: ThemeSet,
    /// Kinds in scope (empty = any).
    pub kinds: KindSet,
    /// Eligible M49 areas (empty = anywhere).
    pub regions_m49: Vec<u16>,
    /// If non-empty, only these States.
    pub countries_include: Vec<CountryIdx>,
    /// Never these States.
    pub countries_exclude: Vec<CountryIdx>,
    /// The requester must carry at least one of these flags (empty = no rule).
    pub recipient_flags: Vec<RecipientFlag>,
    /// Allowed implementer types (empty = any).
    pub implementer_types: Vec<ImplementerType>,
    /// Needs must cite a national report.
    pub requires_national_report: bool,
    /// `false`: it only funds needs that it funds alone.
    pub allow_cofinance: bool,
    /// Funded activities must start in this window.
    pub window_start: Option<Date>,
    /// End of that window.
    pub window_end: Option<Date>,
    /// Shortest duration it funds.
    pub duration_min_months: Option<u8>,
    /// Longest duration it funds.
    pub duration_max_months: Option<u8>,
    /// Free text.
    pub title: String,
    /// Free text.
    pub notes: String,
    /// Physical line in the input where the row starts.
    pub line: u64,
}

impl Offer {
    /// An offer of `envelope` from `donor` with no rule at all: any scope, kind, place, implementer and time, no
    /// cap, floor or award limit, co-financing allowed. Callers then set the rules they want.
    pub fn unrestricted(id: OfferId, donor: String, envelope: Usd) -> Offer {
        Offer {
            id,
            donor,
            donor_type: None,
            envelope,
            cap_per_need: None,
            floor_per_need: None,
            max_awards: None,
            commitments: Vec::new(),
            themes: ThemeSet::EMPTY,
            kinds: KindSet::EMPTY,
            regions_m49: Vec::new(),
            countries_include: Vec::new(),
            countries_exclude: Vec::new(),
            recipient_flags: Vec::new(),
            implementer_types: Vec::new(),
            requires_national_report: false,
            allow_cofinance: true,
            window_start: None,
            window_end: None,
            duration_min_months: None,
            duration_max_months: None,
            title: String::new(),
            notes: String::new(),
            line: 0,
        }
    }

    /// Whether this offer carries any rule that makes the allocation a mixed-integer problem.
    pub fn has_integer_rules(&self) -> bool {
        self.floor_per_need.is_some() || self.max_awards.is_some() || !self.allow_cofinance
    }

    /// The most this offer can give one need: its cap, or its envelope.
    pub fn per_need_limit(&self) -> Usd {
        match self.cap_per_need {
            Some(cap) => cap.min(self.envelope),
            None => self.envelope,
        }
    }
}

impl Need {
    /// A partial need of priority 2 with no optional field set (no min_award, window, duration, implementer or
    /// report). Callers then set the rules they want.
    pub fn plain(
        id: NeedId,
        requester: Requester,
        requester_code: String,
        commitments: Vec<CommitmentIdx>,
        kinds: KindSet,
        amount: Usd,
    ) -> Need {
        Need {
            id,
            requester,
            requester_code,
            region: None,
            commitments,
            kinds,
            amount,
            funding_mode: FundingMode::Partial,
            min_award: None,
            priority: 2,
            start_earliest: None,
            start_latest: None,
            duration_months: None,
            implementer_type: None,
            source_report: None,
            title: String::new(),
            notes: String::new(),
            line: 0,
        }
    }

    /// Whether this need carries a rule that makes the allocation a mixed-integer problem.
    pub fn has_integer_rules(&self) -> bool {
        self.funding_mode == FundingMode::AllOrNothing || self.min_award.is_some()
    }

    /// What the need must get if it gets anything: all of an all-or-nothing amount, else its min_award, else one
    /// dollar.
    pub fn must_get(&self) -> i64 {
        match self.funding_mode {
            FundingMode::AllOrNothing => self.amount.get(),
            FundingMode::Partial => self.min_award.map_or(1, |m| m.get()),
        }
    }
}

/// A whole batch: the needs and offers of one run, in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Batch {
    /// Needs in file order.
    pub needs: Vec<Need>,
    /// Offers in file order.
    pub offers: Vec<Offer>,
}
