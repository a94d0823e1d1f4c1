//! The follow-up of a small hand-made batch and ledger, against figures computed by hand.

use super::*;
use crate::model::{Award, AwardId, AwardStatus, KindSet, Need, NeedId, Offer, OfferId, Requester, RoundLabel, Usd};

fn date(text: &str) -> Date {
    Date::parse(text).unwrap()
}

fn need(id: &str, amount: i64, start_latest: Option<&str>) -> Need {
    let mut n = Need::plain(
        NeedId(id.into()),
        Requester::RegionalOrg("ECOWAS".into()),
        "ECOWAS".into(),
        Vec::new(),
        KindSet::EMPTY,
        Usd(amount),
    );
    n.start_latest = start_latest.map(date);
    n
}

fn offer(id: &str, donor: &str, envelope: i64) -> Offer {
    Offer::unrestricted(OfferId(id.into()), donor.into(), Usd(envelope))
}

fn award(id: &str, need: &str, offer: &str, amount: i64, status: AwardStatus, on: Option<&str>) -> Award {
    Award {
        id: AwardId(id.into()),
        round: RoundLabel("2013".into()),
        need: NeedId(need.into()),
        offer: OfferId(offer.into()),
        amount: Usd(amount),
        status,
        status_date: on.map(date),
        note: String::new(),
        line: 0,
    }
}

/// Three needs, three offers of two donors, and eleven awards: one of each follow-up kind, an over-committed
/// offer, an award with an unknown need and one with an unknown offer.
fn example() -> Track {
    use AwardStatus::*;
    let batch = Batch {
        needs: vec![
            need("N3", 80_000, Some("2014-06-30")),
            need("N1", 100_000, Some("2014-01-31")),
            need("N2", 50_000, None),
        ],
        offers: vec![offer("O3", "JPN", 40_000), offer("O1", "EU", 120_000), offer("O2", "EU", 30_000)],
    };
    let awards = vec![
        award("A1", "N1", "O1", 60_000, Committed, Some("2013-02-01")),
        award("A2", "N1", "O3", 20_000, Pledged, Some("2013-05-01")),
        award("A3", "N1", "O2", 30_000, Proposed, Some("2013-12-15")),
        award("A4", "N2", "O1", 50_000, Disbursed, Some("2013-06-01")),
        award("A5", "N2", "O2", 10_000, Declined, Some("2013-07-01")),
        award("A6", "N3", "O2", 40_000, Pledged, Some("2013-08-01")),
        award("A7", "N3", "O3", 15_000, Proposed, Some("2013-10-01")),
        award("A8", "N3", "O3", 5_000, Proposed, None),
        award("A9", "NX", "O1", 7_000, Committed, Some("2014-01-01")),
        award("A10", "N1", "OX", 3_000, Cancelled, None),
        award("A11", "N2", "O3", 1_000, Cancelled, Some("2014-04-01")),
    ];
    track(
        &batch,
        &Ledger { awards, ..Ledger::default() },
        TrackOptions { as_of: date("2014-03-01"), stale_days: DEFAULT_STALE_DAYS },
    )
}

#[test]
fn needs_add_up_by_status_and_open_never_goes_below_zero() {
    let t = example();
    let ids: Vec<&str> = t.needs.iter().map(|n| n.need_id.as_str()).collect();
    assert_eq!(ids, ["N1", "N2", "N3"], "id order");
    let n1 = &t.needs[0];
    assert_eq!((n1.sums.proposed, n1.sums.pledged, n1.sums.committed, n1.sums.disbursed), (30_000, 20_000, 60_000, 0));
    assert_eq!((n1.sums.cancelled, n1.sums.awards), (3_000, 4));
    assert_eq!((n1.open(), n1.state()), (20_000, NeedState::Partly));
    let n2 = &t.needs[1];
    assert_eq!((n2.sums.disbursed, n2.sums.declined, n2.open(), n2.state()), (50_000, 10_000, 0, NeedState::Met));
    let n3 = &t.needs[2];
    assert_eq!((n3.sums.pledged, n3.sums.proposed, n3.open(), n3.state()), (40_000, 20_000, 40_000, NeedState::Partly));
    assert_eq!(t.need_counts(), [1, 2, 0]);
    assert_eq!(t.requested_and_open(), (230_000, 60_000));
}

#[test]
fn offers_and_donors_show_what_is_left_and_flag_an_envelope_over_committed() {
    let t = example();
    let left: Vec<(&str, i128)> = t.offers.iter().map(|o| (o.offer_id.as_str(), o.left())).collect();
    // O1: 60 000 + 7 000 committed (the award of an unknown need counts against its offer), 50 000 disbursed.
    assert_eq!(left, [("O1", 3_000), ("O2", -10_000), ("O3", 20_000)]);
    assert_eq!(t.offers_over(), 1);
    let donors: Vec<(&str, usize, i128, i128, usize)> =
        t.donors.iter().map(|d| (d.donor.as_str(), d.offers, d.envelope, d.left(), d.offers_over)).collect();
    assert_eq!(donors, [("EU", 2, 150_000, -7_000, 1), ("JPN", 1, 40_000, 20_000, 0)]);
    let eu = &t.donors[0].sums;
    assert_eq!(
        (eu.proposed, eu.pledged, eu.committed, eu.disbursed, eu.declined),
        (30_000, 40_000, 67_000, 50_000, 10_000)
    );
}

#[test]
fn each_follow_up_kind_is_found_with_its_age() {
    let t = example();
    let rows: Vec<(FollowUpKind, &str, &str, Option<i64>)> =
        t.followups.iter().map(|f| (f.kind, f.award_id.as_str(), f.need_id.as_str(), f.days)).collect();
    assert_eq!(
        rows,
        [
            (FollowUpKind::StaleProposal, "A7", "N3", Some(151)),
            (FollowUpKind::UndisbursedCommitment, "A1", "N1", Some(393)),
            (FollowUpKind::OpenPastStart, "", "N1", Some(29)),
            (FollowUpKind::Undated, "A8", "N3", None),
            (FollowUpKind::DatedAfterAsOf, "A11", "N2", Some(-31)),
        ]
    );
    assert_eq!(t.followups[2].amount, 20_000, "what N1 still has open");
    assert_eq!(t.followups[0].donor, "JPN");
}

#[test]
fn a_proposal_is_stale_from_the_day_the_threshold_is_reached() {
    let at = |days: i32| TrackOptions { as_of: date("2014-01-01").add_days(days), stale_days: 90 };
    let on = Some(date("2014-01-01"));
    assert_eq!(followup::award_kind(AwardStatus::Proposed, on, at(89)), None);
    assert_eq!(followup::award_kind(AwardStatus::Proposed, on, at(90)), Some(FollowUpKind::StaleProposal));
    assert_eq!(followup::award_kind(AwardStatus::Committed, on, at(364)), None);
    assert_eq!(followup::award_kind(AwardStatus::Committed, on, at(365)), Some(FollowUpKind::UndisbursedCommitment));
    assert_eq!(followup::award_kind(AwardStatus::Disbursed, None, at(1000)), None, "nothing to age");
}

#[test]
fn awards_outside_the_batch_are_listed_and_counted() {
    let t = example();
    let rows: Vec<(&str, UnmatchedKind)> = t.unmatched.iter().map(|u| (u.award_id.as_str(), u.kind)).collect();
    assert_eq!(rows, [("A10", UnmatchedKind::OfferNotInBatch), ("A9", UnmatchedKind::NeedNotInBatch)]);
    assert_eq!(t.unmatched_counts(), (1, 1));
    assert_eq!(t.ledger_totals.awards, 11);
    assert_eq!(t.ledger_totals.committed, 67_000);
}

#[test]
fn a_generated_ledger_adds_up_whichever_way_it_is_summed() {
    let batch = crate::generate::generate(
        &crate::generate::GenerateConfig { needs: 300, offers: 30, seed: 7, partial_only: false },
        crate::catalog::Reference::embedded(),
    );
    let ledger = crate::generate::draw_ledger(&batch, 5_000, 7);
    assert_eq!(ledger, crate::generate::draw_ledger(&batch, 5_000, 7), "seeded");
    let t = track(&batch, &ledger, TrackOptions { as_of: date("2015-01-01"), stale_days: 90 });
    // Every award counts for its need unless the need is missing, and against its offer unless the offer is.
    let mut by_needs = StatusSums::default();
    t.needs.iter().for_each(|n| by_needs.merge(&n.sums));
    let mut by_offers = StatusSums::default();
    t.offers.iter().for_each(|o| by_offers.merge(&o.sums));
    let mut by_donors = StatusSums::default();
    t.donors.iter().for_each(|d| by_donors.merge(&d.sums));
    for u in &t.unmatched {
        let amount = Usd(u.amount);
        if u.kind.need_missing() {
            by_needs.add(u.status, amount);
        }
        if u.kind.offer_missing() {
            by_offers.add(u.status, amount);
            by_donors.add(u.status, amount);
        }
    }
    assert_eq!(by_needs, t.ledger_totals);
    assert_eq!(by_offers, t.ledger_totals);
    assert_eq!(by_donors, t.ledger_totals);
    let (need_missing, offer_missing) = t.unmatched_counts();
    assert!(need_missing > 0 && offer_missing > 0, "the generator names a few ids the batch lacks");
    for kind in [FollowUpKind::StaleProposal, FollowUpKind::UndisbursedCommitment, FollowUpKind::Undated] {
        assert!(t.followups.iter().any(|f| f.kind == kind), "{kind:?}");
    }
}
