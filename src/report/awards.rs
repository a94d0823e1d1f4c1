//! This round's new awards, as rows for the output ledger (docs/spec.md §9): every match of origin `new` becomes a
//! `proposed` award of the round, so that the next round reads what this one proposed from the same file.

use std::collections::HashSet;

use crate::model::{Award, AwardId, AwardStatus, Date, Ledger, NeedId, OfferId, RoundLabel, Usd};

use super::rows::{MatchRow, Origin};

/// The new awards of `matches`, in their order, as `proposed` awards of `round` dated `date` (blank without one).
///
/// Ids are `{round}-{n}` with `n` counted from 1 and written with four digits at least (`2014-0001`), skipping any
/// id the ledger already holds, so that a round run again with another label, or a ledger edited by hand, never
/// gets a duplicate `award_id`. `line` is 0: these rows were not read from a file.
pub fn new_awards(matches: &[MatchRow], round: &RoundLabel, date: Option<Date>, ledger: &Ledger) -> Vec<Award> {
    let taken: HashSet<&str> = ledger.awards.iter().map(|a| a.id.as_str()).collect();
    let mut n: u64 = 0;
    let mut next_id = || loop {
        n += 1;
        let id = format!("{round}-{n:04}");
        if !taken.contains(id.as_str()) {
            return AwardId(id);
        }
    };
    matches
        .iter()
        .filter(|m| m.origin == Origin::New && m.amount_usd > 0)
        .map(|m| Award {
            id: next_id(),
            round: round.clone(),
            need: NeedId(m.need_id.clone()),
            offer: OfferId(m.offer_id.clone()),
            amount: Usd(m.amount_usd),
            status: AwardStatus::Proposed,
            status_date: date,
            note: String::new(),
            line: 0,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    fn row(need: &str, offer: &str, amount: i64, origin: Origin) -> MatchRow {
        MatchRow {
            need_id: need.into(),
            offer_id: offer.into(),
            donor: String::new(),
            requester: String::new(),
            commitment: String::new(),
            kind: Kind::Financial,
            amount_usd: amount,
            fit: 0,
            value: 0,
            value_per_usd: 0,
            origin,
        }
    }

    #[test]
    fn new_matches_become_proposed_awards_with_fresh_ids() {
        let existing = Award {
            id: AwardId("2014-0002".into()),
            round: RoundLabel("2014".into()),
            need: NeedId("N".into()),
            offer: OfferId("O".into()),
            amount: Usd(1),
            status: AwardStatus::Committed,
            status_date: None,
            note: String::new(),
            line: 2,
        };
        let ledger = Ledger { awards: vec![existing], ..Ledger::default() };
        let matches = [
            row("N1", "O1", 10, Origin::Locked),
            row("N1", "O1", 5, Origin::New),
            row("N2", "O1", 7, Origin::New),
            row("N3", "O2", 9, Origin::New),
        ];
        let date = Date::parse("2014-06-30").ok();
        let awards = new_awards(&matches, &RoundLabel("2014".into()), date, &ledger);
        let ids: Vec<&str> = awards.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["2014-0001", "2014-0003", "2014-0004"]);
        assert_eq!(
            (awards[0].need.as_str(), awards[0].amount, awards[0].status),
            ("N1", Usd(5), AwardStatus::Proposed)
        );
        assert!(awards.iter().all(|a| a.status_date == date && a.round.as_str() == "2014"));
    }
}
