//! The offers a need is not eligible for. A few are listed one by one with every rule they fail; many (a large
//! batch, where most offers are for other regions or commitments) are counted by rule, with how many fail that
//! rule alone (the nearest misses), so that the eligible offers stay the body of the text. `--all` lists them
//! all.

use std::fmt::Write;

use crate::graph::Reason;
use crate::lang::Lang;
use crate::report::words::rule_meaning;

use super::columns::{self, Align};
use super::{Ineligible, OfferPart, usd};

/// Up to this many offers not eligible are listed one by one by default; more are counted by rule.
const LISTED_UP_TO: usize = 20;

/// Writes the section of the offers not eligible, as `view` asks.
pub fn render(out: &mut String, offers: &[&OfferPart], view: Ineligible, lang: Lang) {
    match view {
        Ineligible::Hidden => {}
        Ineligible::All => each(out, offers, lang),
        Ineligible::Brief if offers.len() <= LISTED_UP_TO => each(out, offers, lang),
        Ineligible::Brief => by_rule(out, offers, lang),
    }
}

/// Every offer on a line of its own, with every rule it fails.
fn each(out: &mut String, offers: &[&OfferPart], lang: Lang) {
    if offers.is_empty() {
        let _ = writeln!(out, "\n{}", lang.pick("Offers not eligible: none", "不符合条件的提议：无"));
        return;
    }
    let _ = match lang {
        Lang::En => writeln!(out, "\nOffers not eligible ({})", offers.len()),
        Lang::Zh => writeln!(out, "\n不符合条件的提议（{}）", offers.len()),
    };
    let rows: Vec<[String; 3]> = offers
        .iter()
        .map(|o| {
            let rules: Vec<String> = o
                .failed_rules
                .iter()
                .map(|&r| match lang {
                    Lang::En => format!("{} ({})", r.code(), rule_meaning(r, lang)),
                    Lang::Zh => format!("{}（{}）", r.code(), rule_meaning(r, lang)),
                })
                .collect();
            let kept = match (o.locked_usd, lang) {
                (0, _) => String::new(),
                (locked, Lang::En) => format!(" (its locked award of {} USD stays)", usd(locked)),
                (locked, Lang::Zh) => format!("（其已锁定的 {} 美元资助保留）", usd(locked)),
            };
            [o.offer_id.clone(), o.donor.clone(), format!("{}{kept}", rules.join(lang.pick("; ", "；")))]
        })
        .collect();
    let widths = columns::widths(&rows);
    for row in &rows {
        let _ = writeln!(out, "{}", columns::line(row, &widths, &[Align::Left, Align::Left, Align::Ragged]));
    }
}

/// One line per rule that shuts an offer out: the offers that fail it, those that fail it alone, and what it
/// means; most frequent first. Offers whose locked award stays are named, since their money is in the outcome.
fn by_rule(out: &mut String, offers: &[&OfferPart], lang: Lang) {
    let _ = match lang {
        Lang::En => writeln!(
            out,
            "\nOffers not eligible ({}), counted by the rule that shuts them out: an offer may fail several, and \
             \"alone\" counts those that fail that rule only (`explain --all` lists each offer with its rules)",
            offers.len()
        ),
        Lang::Zh => writeln!(
            out,
            "\n不符合条件的提议（{}），按排除它们的规则计数：一项提议可能不符合多条规则，\
             “仅此一条”只计不符合该条规则的提议（`explain --all` 逐项列出每项提议及其规则）",
            offers.len()
        ),
    };
    let mut counts: Vec<(Reason, usize, usize)> = Reason::ALL
        .iter()
        .map(|&rule| {
            let failing = offers.iter().filter(|o| o.failed_rules.contains(&rule));
            let alone = failing.clone().filter(|o| o.failed_rules.len() == 1).count();
            (rule, failing.count(), alone)
        })
        .filter(|&(_, failing, _)| failing > 0)
        .collect();
    // Most offers first; a tie keeps the order in which the rules are checked.
    counts.sort_by_key(|&(_, failing, _)| std::cmp::Reverse(failing));
    let header =
        lang.pick(["Rule", "Offers", "Alone", "Meaning"], ["规则", "提议数", "仅此一条", "含义"]).map(str::to_string);
    let rows: Vec<[String; 4]> = counts
        .iter()
        .map(|(rule, failing, alone)| {
            [rule.code().to_string(), failing.to_string(), alone.to_string(), rule_meaning(*rule, lang).to_string()]
        })
        .collect();
    let widths = columns::widths(&[std::slice::from_ref(&header), &rows[..]].concat());
    let align = [Align::Left, Align::Right, Align::Right, Align::Ragged];
    for row in std::iter::once(&header).chain(&rows) {
        let _ = writeln!(out, "{}", columns::line(row, &widths, &align));
    }
    let locked: Vec<&&OfferPart> = offers.iter().filter(|o| o.locked_usd > 0).collect();
    if !locked.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            lang.pick("Of them, with a locked award of the ledger that stays:", "其中，账本中已锁定且保留的资助：")
        );
        let rows: Vec<[String; 3]> = locked
            .iter()
            .map(|o| {
                [o.offer_id.clone(), o.donor.clone(), format!("{} {}", usd(o.locked_usd), lang.pick("USD", "美元"))]
            })
            .collect();
        let widths = columns::widths(&rows);
        for row in &rows {
            let _ = writeln!(out, "{}", columns::line(row, &widths, &[Align::Left, Align::Left, Align::Right]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer(id: &str, rules: &[Reason], locked: i64) -> OfferPart {
        OfferPart {
            offer_id: id.into(),
            donor: "EU".into(),
            eligible: false,
            failed_rules: rules.to_vec(),
            scope: None,
            fit: None,
            value_per_usd: None,
            amount_usd: locked,
            locked_usd: locked,
            envelope_usd: 100_000,
            given_usd: 0,
            left_usd: 100_000,
            awards: 0,
            max_awards: None,
            cap_per_need_usd: None,
            floor_per_need_usd: None,
            allow_cofinance: true,
            hold: None,
            taken_by: Vec::new(),
        }
    }

    #[test]
    fn many_offers_are_counted_by_rule_most_frequent_first() {
        let mut offers: Vec<OfferPart> =
            (0..LISTED_UP_TO).map(|i| offer(&format!("R-{i}"), &[Reason::Region], 0)).collect();
        offers.push(offer("K-1", &[Reason::Kind, Reason::Region], 0));
        offers.push(offer("K-2", &[Reason::Kind], 12_500));
        let refs: Vec<&OfferPart> = offers.iter().collect();
        let mut text = String::new();
        render(&mut text, &refs, Ineligible::Brief, Lang::En);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[1].starts_with("Offers not eligible (22), counted by the rule"), "{text}");
        assert_eq!(lines[2], "  Rule    Offers  Alone  Meaning");
        assert!(lines[3].starts_with("  region      21     20  the requester is outside"), "{text}");
        assert!(lines[4].starts_with("  kind         2      1  the offer gives none"), "{text}");
        assert_eq!(lines[6], "  K-2  EU  12,500 USD", "{text}");

        let mut all = String::new();
        render(&mut all, &refs, Ineligible::All, Lang::En);
        assert_eq!(all.lines().count(), 2 + offers.len(), "{all}");
        let mut none = String::new();
        render(&mut none, &refs, Ineligible::Hidden, Lang::En);
        assert!(none.is_empty());
    }
}
