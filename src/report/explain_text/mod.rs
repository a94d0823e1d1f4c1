//! `explain`'s text: a [`NeedExplanation`] laid out for a requester's desk officer, amounts with thousands
//! separators and columns aligned by display width (ids of any length or script). The eligible offers come in
//! full, each with the needs that took its money; the others one by one when they are few, else counted by the
//! rule that shuts them out ([`ineligible`]). The reasons are the words of [`super::words`], the same as on the
//! page.

mod columns;
mod ineligible;

use std::fmt::Write;

use crate::lang::Lang;
use crate::model::group_thousands;

use super::explanation::{NeedExplanation, OfferPart, Taker};
use super::words::{hold_words, offers_why_text};
use columns::{Align, pad, width};

/// How many of the needs that took an offer's money are listed by name; the rest are summed on one line.
const TAKERS_SHOWN: usize = 8;

/// How the offers that are not eligible are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Ineligible {
    /// One by one when they are few, else counted by rule (the default).
    #[default]
    Brief,
    /// One by one, each with every rule it fails (`--all`).
    All,
    /// Not at all (`--eligible-only`).
    Hidden,
}

/// What to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextOptions {
    /// How the offers that are not eligible are shown.
    pub ineligible: Ineligible,
}

/// The explanation as text, one line per fact; `shortfall` is the need's reason in words (empty when funded).
pub fn render(x: &NeedExplanation, shortfall: &str, options: TextOptions) -> String {
    let mut out = String::new();
    head(&mut out, x, shortfall);
    let (eligible, other): (Vec<&OfferPart>, Vec<&OfferPart>) = x.offers.iter().partition(|o| o.eligible);
    eligible_offers(&mut out, &eligible);
    ineligible::render(&mut out, &other, options.ineligible);
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
    let header = header.map(str::to_string);
    let widths = columns::widths(&[std::slice::from_ref(&header), &rows[..]].concat());
    // Text columns left, amounts right; the last column is left ragged.
    use Align::{Left, Ragged, Right};
    let align = [Left, Left, Right, Right, Right, Right, Right, Ragged];
    let _ = writeln!(out, "{}", columns::line(&header, &widths, &align));
    let takers = TakerColumns::of(offers, widths[0] + widths[1] + 6);
    for (o, row) in offers.iter().zip(&rows) {
        let _ = writeln!(out, "{}", columns::line(row, &widths, &align));
        takers.write(out, &o.taken_by, o.value_per_usd.unwrap_or(0));
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

/// The columns of the lines that list the needs which took an offer's money: one set of widths for every offer,
/// so that the lists line up down the whole table.
struct TakerColumns {
    indent: usize,
    id: usize,
    amount: usize,
    value: usize,
}

impl TakerColumns {
    fn of(offers: &[&OfferPart], indent: usize) -> TakerColumns {
        let shown = || offers.iter().flat_map(|o| o.taken_by.iter().take(TAKERS_SHOWN));
        TakerColumns {
            indent,
            id: shown().map(|t| width(&t.need_id)).max().unwrap_or(0),
            amount: shown().map(|t| usd(t.amount_usd).len()).max().unwrap_or(0),
            value: shown().map(|t| usd(t.value_per_usd).len()).max().unwrap_or(0),
        }
    }

    /// The needs that took an offer's money, each against `here`, this need's value per dollar.
    fn write(&self, out: &mut String, list: &[Taker], here: i64) {
        let indent = " ".repeat(self.indent);
        for (i, t) in list.iter().take(TAKERS_SHOWN).enumerate() {
            let lead = if i == 0 { "its money went to" } else { "" };
            let compare = match t.value_per_usd.cmp(&here) {
                std::cmp::Ordering::Greater => "more per dollar than this need",
                std::cmp::Ordering::Equal => "as much per dollar as this need",
                std::cmp::Ordering::Less => "less per dollar than this need",
            };
            let _ = writeln!(
                out,
                "{indent}{lead:<17}  {}  priority {}  {} USD at {}/$, {compare}",
                pad(&t.need_id, self.id, Align::Left),
                t.priority,
                pad(&usd(t.amount_usd), self.amount, Align::Right),
                pad(&usd(t.value_per_usd), self.value, Align::Right),
            );
        }
        if list.len() > TAKERS_SHOWN {
            let rest = &list[TAKERS_SHOWN..];
            let total: i128 = rest.iter().map(|t| i128::from(t.amount_usd)).sum();
            let _ = writeln!(
                out,
                "{indent}{:<17}  and {} more needs: {} USD (explain --format json lists them)",
                "",
                rest.len(),
                usd(total)
            );
        }
    }
}
