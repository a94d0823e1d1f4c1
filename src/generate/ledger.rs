//! A synthetic ledger of awards over a batch, for tests and benchmarks of `track` and `match --ledger`: awards
//! drawn over the batch's pairs with a spread of statuses and dates across two rounds, a few without a date, and a
//! few naming a need or an offer the batch lacks (as a mistyped id would).

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
    let mut ledger = Ledger { awards: Vec::with_capacity(awards), label: "ledger.csv".into(), amount_column: 5 };
    for i in 0..awards {
        let need = &batch.needs[pick(&mut rng, batch.needs.len())];
        let offer = &batch.offers[pick(&mut rng, batch.offers.len())];
        // A tenth to three fifths of the need, in whole thousands, at least a thousand.
        let share = rng.gen_range(100..=600u64) as i64;
        let amount = (need.amount.get() * share / 1000 / 1000 * 1000).max(1000);
        let mut roll = rng.gen_range(0..1000u64);
        let status = STATUS_WEIGHTS
            .iter()
            .find(|(_, w)| {
                let hit = roll < *w;
                roll = roll.saturating_sub(*w);
                hit
            })
            .map_or(AwardStatus::Proposed, |(s, _)| *s);
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
