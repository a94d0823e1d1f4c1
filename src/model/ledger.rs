//! The ledger of awards across matching rounds (docs/spec.md §9): one award per row, with the status it has now.
//! `io` reads ledger.csv into these types; `graph` turns the locked awards into fixed amounts on their pairs.

use super::{Date, NeedId, OfferId, Usd};

id_newtype!(
    /// An award's `award_id`, unique within the ledger.
    AwardId
);
id_newtype!(
    /// The label of a matching round, such as `2013` or `2014-call-2`.
    RoundLabel
);

vocabulary!(
    /// Where an award stands. An award moves proposed → pledged → committed → disbursed, or ends declined or
    /// cancelled.
    AwardStatus {
        /// Put forward by a round's match; binds nothing.
        Proposed = "proposed",
        /// The donor has said it will fund it.
        Pledged = "pledged",
        /// A signed commitment: the money stays where it is in later rounds.
        Committed = "committed",
        /// Paid out.
        Disbursed = "disbursed",
        /// The donor declined the pair: it gets no new money.
        Declined = "declined",
        /// Withdrawn; binds nothing.
        Cancelled = "cancelled",
    }
);

vocabulary!(
    /// Which awards `match --ledger --lock` holds fixed.
    LockLevel {
        /// Committed and disbursed awards (the default).
        Committed = "committed",
        /// Pledged ones too.
        Pledged = "pledged",
    }
);

vocabulary!(
    /// How a study's draws treat the ledger's pledged awards (`pledged_awards` of a scenarios file, docs/spec.md
    /// §7).
    PledgedAwards {
        /// Locked in every draw.
        Certain = "certain",
        /// Locked in a draw when the pledge arrives, with the probability the scenario gives its donor.
        Drawn = "drawn",
    }
);

impl AwardStatus {
    /// Whether an award with this status is a fixed amount in a new round at `level`.
    pub fn is_locked(self, level: LockLevel) -> bool {
        match self {
            AwardStatus::Committed | AwardStatus::Disbursed => true,
            AwardStatus::Pledged => level == LockLevel::Pledged,
            AwardStatus::Proposed | AwardStatus::Declined | AwardStatus::Cancelled => false,
        }
    }
}

/// One row of ledger.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award {
    /// Unique id.
    pub id: AwardId,
    /// The round that proposed it.
    pub round: RoundLabel,
    /// The need it funds (it may be absent from the batch).
    pub need: NeedId,
    /// The offer it comes from (it may belong to an earlier round and be absent from the batch).
    pub offer: OfferId,
    /// Amount, above 0.
    pub amount: Usd,
    /// Where it stands now.
    pub status: AwardStatus,
    /// When the status last changed.
    pub status_date: Option<Date>,
    /// Free text.
    pub note: String,
    /// Physical line in the input where the row starts (for messages).
    pub line: u64,
}

/// Every award of a ledger, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    /// Awards in file order.
    pub awards: Vec<Award>,
    /// The file as the user named it, for messages about its rows.
    pub label: String,
    /// The sheet the awards were read from, when the file is a workbook.
    pub sheet: Option<String>,
    /// The 1-based position of `amount_usd` in the file's header (a workbook's column), for messages about locked
    /// totals.
    pub amount_column: usize,
}

impl Ledger {
    /// The label a new round gets when none is given: one above the highest round that is a whole number, else 1.
    pub fn next_round(&self) -> RoundLabel {
        let highest = self.awards.iter().filter_map(|a| a.round.as_str().parse::<u64>().ok()).max();
        RoundLabel(highest.map_or(1, |h| h.saturating_add(1)).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn award(round: &str) -> Award {
        Award {
            id: AwardId(format!("A-{round}")),
            round: RoundLabel(round.to_string()),
            need: NeedId("N".into()),
            offer: OfferId("O".into()),
            amount: Usd(1),
            status: AwardStatus::Committed,
            status_date: None,
            note: String::new(),
            line: 2,
        }
    }

    #[test]
    fn the_next_round_follows_the_highest_whole_number() {
        assert_eq!(Ledger::default().next_round().as_str(), "1");
        let ledger = Ledger { awards: vec![award("2013"), award("2014-call-2"), award("9")], ..Ledger::default() };
        assert_eq!(ledger.next_round().as_str(), "2014");
        let ledger = Ledger { awards: vec![award("call-a")], ..Ledger::default() };
        assert_eq!(ledger.next_round().as_str(), "1");
    }

    #[test]
    fn locks_follow_the_level() {
        assert!(AwardStatus::Committed.is_locked(LockLevel::Committed));
        assert!(AwardStatus::Disbursed.is_locked(LockLevel::Committed));
        assert!(!AwardStatus::Pledged.is_locked(LockLevel::Committed));
        assert!(AwardStatus::Pledged.is_locked(LockLevel::Pledged));
        assert!(!AwardStatus::Declined.is_locked(LockLevel::Pledged));
        assert!(!AwardStatus::Proposed.is_locked(LockLevel::Pledged));
    }
}
