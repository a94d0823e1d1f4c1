//! Synthetic ledgers of awards over a batch. [`draw_ledger`], for `track`: awards drawn over any of the batch's
//! pairs with a spread of statuses and dates across two rounds, a few without a date, and a few naming a need or
//! an offer the batch lacks (as a mistyped id would). [`round_ledger`], for `match --ledger`: the awards of an
//! earlier round's allocation a year on, so that their locked totals keep every rule.

use rand::{Rng, SeedableRng};

use crate::model::{Award, AwardId, AwardStatus, Batch, Date, Ledger, NeedId, OfferId, RoundLabel, Usd};

use super::draw::GenRng;

/// Statuses with their weights in thousandths: most awards move along, a few end declined or cancelled.
const STATUS_WEIGHTS: [(AwardStatus, u64); 6] = [
    (AwardStatus::Proposed, 250),
    (AwardStatus::Pledged, 200),
    (AwardStatus::Committed, 250),
    (AwardStatus::Disbursed, 200),
    (AwardStatus::Declined, 50),
    (AwardStatus::Cancelled, 50),
];

/// `awards` awards over `batch` (empty when the batch has no need or no offer), the same for the same seed on
/// any machine. Ids are `AW-000001` and up; dates fall in 2013–2014, and the round is the date's year.
pub fn draw_ledger(batch: &Batch, awards: usize, seed: u64) -> Ledger {
    if batch.needs.is_empty() || batch.offers.is_empty() {
        return Ledger::default();
    }
    let mut rng = GenRng::seed_from_u64(seed ^ 0x1ed6_e700);
    let pick = |rng: &mut GenRng, n: usize| rng.gen_range(0..n as u64) as usize;
    let start = Date::from_ymd(2013, 1, 1);
    let mut ledger =
        Ledger { awards: Vec::with_capacity(awards), label: "ledger.csv".into(), sheet: None, amount_column: 5 };
    for i in 0..awards {
        let need = &batch.needs[pick(&mut rng, batch.needs.len())];
        let offer = &batch.offers[pick(&mut rng, batch.offers.len())];
        // A tenth to three fifths of the need, in whole thousands, at least a thousand.
        let share = rng.gen_range(100..=600u64) as i64;
        let amount = (need.amount.get() * share / 1000 / 1000 * 1000).max(1000);
        let status = pick_status(&mut rng, &STATUS_WEIGHTS);
        let date = start.add_days(rng.gen_range(0..730u64) as i32);
        let undated = rng.gen_range(0..100u64) < 3;
        let stray = rng.gen_range(0..1000u64);
        let need_id = if stray < 10 { format!("{}-X", need.id) } else { need.id.as_str().to_string() };
        let offer_id =
            if (10..20).contains(&stray) { format!("{}-X", offer.id) } else { offer.id.as_str().to_string() };
        ledger.awards.push(Award {
            id: AwardId(format!("AW-{:06}", i + 1)),
            round: RoundLabel(date.ymd().0.to_string()),
            need: NeedId(need_id),
            offer: OfferId(offer_id),
            amount: Usd(amount),
            status,
            status_date: (!undated).then_some(date),
            note: String::new(),
            line: i as u64 + 2,
        });
    }
    ledger
}

/// Statuses of an earlier round's awards a year on, with their weights in thousandths.
const ROUND_WEIGHTS: [(AwardStatus, u64); 6] = [
    (AwardStatus::Proposed, 200),
    (AwardStatus::Pledged, 150),
    (AwardStatus::Committed, 350),
    (AwardStatus::Disbursed, 150),
    (AwardStatus::Declined, 50),
    (AwardStatus::Cancelled, 100),
];

/// The ledger of round `1` whose awards are `allocation` (need index, offer index, dollars; an allocation that
/// keeps the batch's rules, such as a match's), each with a status drawn by seed: about half of the money ends up
/// committed or disbursed, the rest pledged, proposed, declined or cancelled. Ids are `1-0001` and up, in the
/// allocation's order; dates fall in 2013.
pub fn round_ledger(batch: &Batch, allocation: &[(u32, u32, i64)], seed: u64) -> Ledger {
    let mut rng = GenRng::seed_from_u64(seed ^ 0x0d_1e6e);
    let start = Date::from_ymd(2013, 1, 1);
    let mut ledger = Ledger {
        awards: Vec::with_capacity(allocation.len()),
        label: "ledger.csv".into(),
        sheet: None,
        amount_column: 5,
    };
    for (i, &(n, o, amount)) in allocation.iter().filter(|a| a.2 > 0).enumerate() {
        let status = pick_status(&mut rng, &ROUND_WEIGHTS);
        ledger.awards.push(Award {
            id: AwardId(format!("1-{:04}", i + 1)),
            round: RoundLabel("1".into()),
            need: batch.needs[n as usize].id.clone(),
            offer: batch.offers[o as usize].id.clone(),
            amount: Usd(amount),
            status,
            status_date: Some(start.add_days(rng.gen_range(0..365u64) as i32)),
            note: String::new(),
            line: i as u64 + 2,
        });
    }
    ledger
}

/// A status drawn with `weights` (in thousandths, adding up to 1 000).
fn pick_status(rng: &mut GenRng, weights: &[(AwardStatus, u64)]) -> AwardStatus {
    let mut roll = rng.gen_range(0..1000u64);
    for &(status, weight) in weights {
        if roll < weight {
            return status;
        }
        roll -= weight;
    }
    AwardStatus::Proposed
}
