//! `explain`'s text: a [`NeedExplanation`] laid out for a requester's desk officer, amounts with thousands
//! separators and columns aligned by display width (ids of any length or script). The eligible offers come in
//! full, each with the needs that took its money; the others one by one when they are few, else counted by the
//! rule that shuts them out ([`ineligible`]). The reasons are the words of [`super::words`], the same as on the
//! page, in English or Chinese.

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
    /// The language of the text (ids, codes and amounts are the same in both).
    pub lang: Lang,
}

/// The explanation as text, one line per fact; `shortfall` is the need's reason in words (empty when funded).
pub fn render(x: &NeedExplanation, shortfall: &str, options: TextOptions) -> String {
    let mut out = String::new();
    let lang = options.lang;
    head(&mut out, x, shortfall, lang);
    let (eligible, other): (Vec<&OfferPart>, Vec<&OfferPart>) = x.offers.iter().partition(|o| o.eligible);
    eligible_offers(&mut out, &eligible, lang);
    ineligible::render(&mut out, &other, options.ineligible, lang);
    out
}

fn usd(amount: impl Into<i128>) -> String {
    group_thousands(amount.into())
}

fn head(out: &mut String, x: &NeedExplanation, shortfall: &str, lang: Lang) {
    let mode = match (x.funding_mode, x.min_award_usd, lang) {
        ("all_or_nothing", _, Lang::En) => "all or nothing".to_string(),
        ("all_or_nothing", _, Lang::Zh) => "全额或不资助".to_string(),
        (_, Some(min), Lang::En) => format!("partial funding useful from {} USD", usd(min)),
        (_, Some(min), Lang::Zh) => format!("部分资助自 {} 美元起有用", usd(min)),
        (_, None, _) => lang.pick("partial funding useful", "部分资助亦有用").to_string(),
    };
    let (id, requester, priority) = (&x.need_id, &x.requester, x.priority);
    let (requested, allocated) = (usd(x.requested_usd), usd(x.allocated_usd));
    let _ = match lang {
        Lang::En => writeln!(out, "Need {id} (requester {requester}, priority {priority}, {mode})"),
        Lang::Zh => writeln!(out, "需求 {id}（请求方 {requester}，优先级 {priority}，{mode}）"),
    };
    let status = need_state_words(x.status, lang);
    let _ = match lang {
        Lang::En => writeln!(out, "Requested {requested} USD, allocated {allocated} USD: {status}"),
        Lang::Zh => writeln!(out, "申请 {requested} 美元，已分配 {allocated} 美元：{status}"),
    };
    if let Some(locked) = x.locked.as_ref().filter(|l| l.locked_usd > 0) {
        let amount = usd(locked.locked_usd);
        let _ = match lang {
            Lang::En => write!(out, "Locked by the ledger: {amount} USD"),
            Lang::Zh => write!(out, "账本锁定：{amount} 美元"),
        };
        if !locked.outside.is_empty() {
            let listed: Vec<String> = locked
                .outside
                .iter()
                .map(|a| format!("{} {} {}", a.offer_id, usd(a.amount_usd), lang.pick("USD", "美元")))
                .collect();
            let _ = match lang {
                Lang::En => write!(out, ", of it from offers not in this batch: {}", listed.join(", ")),
                Lang::Zh => write!(out, "，其中来自不在本批次的提议：{}", listed.join("，")),
            };
        }
        let _ = writeln!(out);
    }
    if !shortfall.is_empty() {
        let code = x.reason.map(|r| r.code()).unwrap_or_default();
        let _ = match lang {
            Lang::En => writeln!(out, "Why: {shortfall} ({code})"),
            Lang::Zh => writeln!(out, "原因：{shortfall}（{code}）"),
        };
    }
    if !x.offers_why.is_empty() {
        let _ = writeln!(out, "{}", offers_why_text(&x.offers_why, lang));
        let left = usd(x.money_left_usd);
        let _ = match lang {
            Lang::En => {
                writeln!(out, "Money the eligible offers have left that this need could still take: {left} USD")
            }
            Lang::Zh => writeln!(out, "符合条件的提议尚余、该需求仍可获得的资金：{left} 美元"),
        };
    }
}

/// needs_status.csv's `status` in the text's language (the English text keeps the file's word).
fn need_state_words(status: &str, lang: Lang) -> &str {
    match (status, lang) {
        (_, Lang::En) => status,
        ("funded", Lang::Zh) => "已全额资助",
        ("partial", Lang::Zh) => "部分资助",
        ("unfunded", Lang::Zh) => "未获资助",
        (other, Lang::Zh) => other,
    }
}

fn eligible_offers(out: &mut String, offers: &[&OfferPart], lang: Lang) {
    let _ = match lang {
        Lang::En => writeln!(out, "\nEligible offers ({})", offers.len()),
        Lang::Zh => writeln!(out, "\n符合条件的提议（{}）", offers.len()),
    };
    if offers.is_empty() {
        let _ = writeln!(out, "  {}", lang.pick("none", "无"));
        return;
    }
    let header = match lang {
        Lang::En => ["Offer", "Donor", "Value/$", "Given here", "Envelope", "Given in all", "Left", "Why not more"],
        Lang::Zh => ["提议", "捐助方", "每美元价值", "给予本需求", "资金总额", "已给予合计", "剩余", "为何未给更多"],
    };
    let rows: Vec<[String; 8]> = offers
        .iter()
        .map(|o| {
            [
                o.offer_id.clone(),
                o.donor.clone(),
                o.value_per_usd.map_or(String::new(), usd),
                given_here(o, lang),
                usd(o.envelope_usd),
                usd(o.given_usd),
                usd(o.left_usd),
                o.hold.map_or(String::new(), |h| hold_words(h, lang).to_string()),
            ]
        })
        .collect();
    let header = header.map(str::to_string);
    let widths = columns::widths(&[std::slice::from_ref(&header), &rows[..]].concat());
    // Text columns left, amounts right; the last column is left ragged.
    use Align::{Left, Ragged, Right};
    let align = [Left, Left, Right, Right, Right, Right, Right, Ragged];
    let _ = writeln!(out, "{}", columns::line(&header, &widths, &align));
    let takers = TakerColumns::of(offers, widths[0] + widths[1] + 6, lang);
    for (o, row) in offers.iter().zip(&rows) {
        let _ = writeln!(out, "{}", columns::line(row, &widths, &align));
        takers.write(out, &o.taken_by, o.value_per_usd.unwrap_or(0));
    }
}

/// What an offer gives the need, with the part the ledger locks.
fn given_here(o: &OfferPart, lang: Lang) -> String {
    let word = lang.pick("locked", "已锁定");
    match o.locked_usd {
        0 => usd(o.amount_usd),
        locked if locked == o.amount_usd => format!("{} {word}", usd(o.amount_usd)),
        locked => format!("{} ({} {word})", usd(o.amount_usd), usd(locked)),
    }
}

/// The columns of the lines that list the needs which took an offer's money: one set of widths for every offer,
/// so that the lists line up down the whole table.
struct TakerColumns {
    indent: usize,
    /// The width of the lead-in ("its money went to") on the first line of each list.
    lead: usize,
    id: usize,
    amount: usize,
    value: usize,
    lang: Lang,
}

impl TakerColumns {
    fn of(offers: &[&OfferPart], indent: usize, lang: Lang) -> TakerColumns {
        let shown = || offers.iter().flat_map(|o| o.taken_by.iter().take(TAKERS_SHOWN));
        TakerColumns {
            indent,
            lead: width(Self::lead_in(lang)),
            id: shown().map(|t| width(&t.need_id)).max().unwrap_or(0),
            amount: shown().map(|t| usd(t.amount_usd).len()).max().unwrap_or(0),
            value: shown().map(|t| usd(t.value_per_usd).len()).max().unwrap_or(0),
            lang,
        }
    }

    fn lead_in(lang: Lang) -> &'static str {
        lang.pick("its money went to", "其资金给予了")
    }

    /// The needs that took an offer's money, each against `here`, this need's value per dollar.
    fn write(&self, out: &mut String, list: &[Taker], here: i64) {
        let lang = self.lang;
        let indent = " ".repeat(self.indent);
        for (i, t) in list.iter().take(TAKERS_SHOWN).enumerate() {
            let lead = pad(if i == 0 { Self::lead_in(lang) } else { "" }, self.lead, Align::Left);
            let compare = match (t.value_per_usd.cmp(&here), lang) {
                (std::cmp::Ordering::Greater, Lang::En) => "more per dollar than this need",
                (std::cmp::Ordering::Equal, Lang::En) => "as much per dollar as this need",
                (std::cmp::Ordering::Less, Lang::En) => "less per dollar than this need",
                (std::cmp::Ordering::Greater, Lang::Zh) => "每美元价值高于本需求",
                (std::cmp::Ordering::Equal, Lang::Zh) => "每美元价值与本需求相同",
                (std::cmp::Ordering::Less, Lang::Zh) => "每美元价值低于本需求",
            };
            let (id, priority) = (pad(&t.need_id, self.id, Align::Left), t.priority);
            let amount = pad(&usd(t.amount_usd), self.amount, Align::Right);
            let value = pad(&usd(t.value_per_usd), self.value, Align::Right);
            let _ = match lang {
                Lang::En => {
                    writeln!(out, "{indent}{lead}  {id}  priority {priority}  {amount} USD at {value}/$, {compare}")
                }
                Lang::Zh => {
                    writeln!(out, "{indent}{lead}  {id}  优先级 {priority}  {amount} 美元，每美元 {value}，{compare}")
                }
            };
        }
        if list.len() > TAKERS_SHOWN {
            let rest = &list[TAKERS_SHOWN..];
            let total = usd(rest.iter().map(|t| i128::from(t.amount_usd)).sum::<i128>());
            let (blank, more) = (" ".repeat(self.lead), rest.len());
            let _ = match lang {
                Lang::En => writeln!(
                    out,
                    "{indent}{blank}  and {more} more needs: {total} USD (explain --format json lists them)"
                ),
                Lang::Zh => {
                    writeln!(out, "{indent}{blank}  另有 {more} 项需求：{total} 美元（explain --format json 逐项列出）")
                }
            };
        }
    }
}
