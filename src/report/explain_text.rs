//! `explain`'s text: a [`NeedExplanation`] laid out for a requester's desk officer, amounts with thousands
//! separators and columns aligned. The reasons are the words of [`super::words`], the same as on the page.

use std::fmt::Write;

use crate::lang::Lang;
use crate::model::group_thousands;

use super::explanation::{NeedExplanation, OfferPart, Taker};
use super::words::{hold_words, offers_why_text};

/// How many of the needs that took an offer's money are listed by name; the rest are summed on one line.
const TAKERS_SHOWN: usize = 8;

/// What to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextOptions {
    /// Leave out the offers that are not eligible.
    pub eligible_only: bool,
}

/// The explanation as text, one line per fact; `shortfall` is the need's reason in words (empty when funded).
pub fn render(x: &NeedExplanation, shortfall: &str, options: TextOptions) -> String {
    let mut out = String::new();
    head(&mut out, x, shortfall);
    let (eligible, other): (Vec<&OfferPart>, Vec<&OfferPart>) = x.offers.iter().partition(|o| o.eligible);
    eligible_offers(&mut out, &eligible);
    if !options.eligible_only {
        ineligible_offers(&mut out, &other);
    }
    out
}

fn usd(amount: impl Into<i128>) -> String {
    group_thousands(amount.into())
}

fn head(out: &mut String, x: &NeedExplanation, shortfall: &str) {
    let mode = match (x.funding_mode, x.min_award_usd) {
        ("all_or_nothing", _) => "all or nothing".to_string(),
        (_, Some(min)) => format!("partial funding useful from {} USD", usd(min)),
        _ => "partial funding useful".to_string(),
    };
    let _ = writeln!(out, "Need {} (requester {}, priority {}, {mode})", x.need_id, x.requester, x.priority);
    let _ =
        writeln!(out, "Requested {} USD, allocated {} USD: {}", usd(x.requested_usd), usd(x.allocated_usd), x.status);
    if let Some(locked) = x.locked.as_ref().filter(|l| l.locked_usd > 0) {
        let _ = write!(out, "Locked by the ledger: {} USD", usd(locked.locked_usd));
        if !locked.outside.is_empty() {
            let listed: Vec<String> =
                locked.outside.iter().map(|a| format!("{} {} USD", a.offer_id, usd(a.amount_usd))).collect();
            let _ = write!(out, ", of it from offers not in this batch: {}", listed.join(", "));
        }
        let _ = writeln!(out);
    }
    if !shortfall.is_empty() {
        let _ = writeln!(out, "Why: {shortfall} ({})", x.reason.map(|r| r.code()).unwrap_or_default());
    }
    if !x.offers_why.is_empty() {
        let _ = writeln!(out, "{}", offers_why_text(&x.offers_why, Lang::En));
        let _ = writeln!(
            out,
            "Money the eligible offers have left that this need could still take: {} USD",
            usd(x.money_left_usd)
        );
    }
}

fn eligible_offers(out: &mut String, offers: &[&OfferPart]) {
    let _ = writeln!(out, "\nEligible offers ({})", offers.len());
    if offers.is_empty() {
        let _ = writeln!(out, "  none");
        return;
    }
    let header = ["Offer", "Donor", "Value/$", "Given here", "Envelope", "Given in all", "Left", "Why not more"];
    let rows: Vec<[String; 8]> = offers
        .iter()
        .map(|o| {
            [
                o.offer_id.clone(),
                o.donor.clone(),
                o.value_per_usd.map_or(String::new(), usd),
                given_here(o),
                usd(o.envelope_usd),
                usd(o.given_usd),
                usd(o.left_usd),
                o.hold.map_or(String::new(), |h| hold_words(h, Lang::En).to_string()),
            ]
        })
        .collect();
    let mut width = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in width.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    // Text columns left, amounts right; the last column is left ragged.
    let line = |cells: &[String; 8]| {
        let mut s = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let w = width[i];
            match i {
                0 | 1 => {
                    let _ = write!(s, "  {cell:<w$}");
                }
                7 => {
                    let _ = write!(s, "  {cell}");
                }
                _ => {
                    let _ = write!(s, "  {cell:>w$}");
                }
            }
        }
        s.trim_end().to_string()
    };
    let _ = writeln!(out, "{}", line(&header.map(str::to_string)));
    for (o, row) in offers.iter().zip(&rows) {
        let _ = writeln!(out, "{}", line(row));
        let here = o.value_per_usd.unwrap_or(0);
        takers(out, &o.taken_by, here, width[0] + width[1] + 6);
    }
}

/// What an offer gives the need, with the part the ledger locks.
fn given_here(o: &OfferPart) -> String {
    match o.locked_usd {
        0 => usd(o.amount_usd),
        locked if locked == o.amount_usd => format!("{} locked", usd(o.amount_usd)),
        locked => format!("{} ({} locked)", usd(o.amount_usd), usd(locked)),
    }
}

fn takers(out: &mut String, list: &[Taker], here: i64, indent: usize) {
    if list.is_empty() {
        return;
    }
    let id_width = list.iter().take(TAKERS_SHOWN).map(|t| t.need_id.chars().count()).max().unwrap_or(0);
    let amount_width = list.iter().take(TAKERS_SHOWN).map(|t| usd(t.amount_usd).len()).max().unwrap_or(0);
    let value_width = list.iter().take(TAKERS_SHOWN).map(|t| usd(t.value_per_usd).len()).max().unwrap_or(0);
    for (i, t) in list.iter().take(TAKERS_SHOWN).enumerate() {
        let lead = if i == 0 { "its money went to" } else { "" };
        let compare = match t.value_per_usd.cmp(&here) {
            std::cmp::Ordering::Greater => "more per dollar than this need",
            std::cmp::Ordering::Equal => "as much per dollar as this need",
            std::cmp::Ordering::Less => "less per dollar than this need",
        };
        let _ = writeln!(
            out,
            "{:indent$}{lead:<17}  {:<id_width$}  priority {}  {:>amount_width$} USD at {:>value_width$}/$, {compare}",
            "",
            t.need_id,
            t.priority,
            usd(t.amount_usd),
            usd(t.value_per_usd),
        );
    }
    if list.len() > TAKERS_SHOWN {
        let rest = &list[TAKERS_SHOWN..];
        let total: i128 = rest.iter().map(|t| i128::from(t.amount_usd)).sum();
        let _ = writeln!(
            out,
            "{:indent$}{:<17}  and {} more needs: {} USD (explain --format json lists them)",
            "",
            "",
            rest.len(),
            usd(total)
        );
    }
}

fn ineligible_offers(out: &mut String, offers: &[&OfferPart]) {
    let _ = writeln!(out, "\nOffers not eligible ({})", offers.len());
    let id_width = offers.iter().map(|o| o.offer_id.chars().count()).max().unwrap_or(0).max(5);
    let donor_width = offers.iter().map(|o| o.donor.chars().count()).max().unwrap_or(0).max(5);
    for o in offers {
        let rules: Vec<String> = o.failed_rules.iter().map(|r| format!("{} ({})", r.code(), r.describe())).collect();
        let kept = match o.locked_usd {
            0 => String::new(),
            locked => format!(" (its locked award of {} USD stays)", usd(locked)),
        };
        let _ = writeln!(out, "  {:<id_width$} {:<donor_width$}  {}{kept}", o.offer_id, o.donor, rules.join("; "));
    }
}
