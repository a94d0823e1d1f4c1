//! Which activities become candidate offers, and why the others do not (docs/spec.md §11).
//!
//! The checks run in this order, and the first that fails names the activity's [`SkipReason`]: the identifier;
//! the sectors (DAC five-digit codes, one of those asked for); the activity status (pipeline or implementation);
//! the donor; the activity dates; the money left (budgets of the periods not yet over, less what was disbursed or
//! spent in them, in the one currency the activity reports them in); the recipients (countries, and M49 regions). A taken activity is split into one
//! row per recipient, in proportion to the recipients' percentages.
//!
//! Every amount is exact until the end: budgets and transactions are summed as decimals, the share for the
//! sectors asked for and each recipient's share are taken in millionths of a unit (rounded down), and each row's
//! envelope is rounded down to whole units, so an import never offers more than the activity has left. Amounts stay
//! in the activity's currency: the row names it, and the rates file of the match converts it (docs/spec.md §11.4).

use std::fmt::Write as _;

use super::activity::{Activity, FieldError};
use super::codes::{ActivityStatus, DacPurpose, DateType, Decimal, RegionVocabulary, SectorVocabulary};
use super::donor::{Donor, donor_of};
use crate::catalog::Reference;
use crate::model::{CountryIdx, Date, MAX_AMOUNT_USD, Usd};

/// The currency of offers.csv rows, as the column dictionary knows it.
type RowCurrency = crate::model::Currency;

mod money;

use money::{money_left, too_large};

/// What to take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The DAC purpose codes asked for (15240 by default).
    pub sectors: Vec<DacPurpose>,
    /// Budgets whose period ended before this date are over; disbursements after it have not happened yet.
    /// `None`: every budget and every disbursement counts.
    pub as_of: Option<Date>,
}

/// The longest `iati-identifier` taken: offer_id holds 100 characters, and a recipient suffix (`:UGA`,
/// `:M49-202`) needs up to eight of them.
pub const MAX_IDENTIFIER_CHARS: usize = 92;

/// Why an activity is not taken. The spelling of each is its code in iati_import.csv.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    /// An element the import needs is missing or unreadable (the detail names it and its line).
    Malformed,
    /// Another activity already gave an offer of the same id.
    DuplicateIdentifier,
    /// No sector at all.
    NoSector,
    /// Sectors only in vocabularies that cannot say the codes asked for (DAC three-digit, the publisher's own, ...).
    SectorVocabulary,
    /// Sectors given per transaction rather than for the activity, which the import does not split.
    SectorsOnTransactions,
    /// DAC sectors, none of them asked for.
    OtherSectors,
    /// Status 5.
    Cancelled,
    /// Status 3 (finalisation) or 4 (closed).
    Closed,
    /// Status 6.
    Suspended,
    /// No budget.
    NoBudget,
    /// Every budget period is over, or disbursed and spent in full (or the shares round to less than a dollar).
    NoMoneyLeft,
    /// Amounts in more than one currency, which cannot be added up without rates; or in a code that is not an
    /// active ISO 4217 one.
    Currency,
    /// Recipients that offers.csv cannot express: DAC regions only, or unknown countries or areas.
    NoUsableRecipient,
}

impl SkipReason {
    /// The code in iati_import.csv.
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Malformed => "malformed",
            SkipReason::DuplicateIdentifier => "duplicate_identifier",
            SkipReason::NoSector => "no_sector",
            SkipReason::SectorVocabulary => "sector_vocabulary",
            SkipReason::SectorsOnTransactions => "sectors_on_transactions",
            SkipReason::OtherSectors => "other_sectors",
            SkipReason::Cancelled => "cancelled",
            SkipReason::Closed => "closed",
            SkipReason::Suspended => "suspended",
            SkipReason::NoBudget => "no_budget",
            SkipReason::NoMoneyLeft => "no_money_left",
            SkipReason::Currency => "currency",
            SkipReason::NoUsableRecipient => "no_usable_recipient",
        }
    }
}

/// Whether all of a taken activity's money is in its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TakenHow {
    /// Every recipient's share is a row.
    InFull,
    /// Some share is not: a DAC region, an unknown country, or a share under one dollar.
    InPart,
}

impl TakenHow {
    /// The code in iati_import.csv's `reason`.
    pub fn as_str(self) -> &'static str {
        match self {
            TakenHow::InFull => "in_full",
            TakenHow::InPart => "in_part",
        }
    }
}

/// Who a row's money is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipient {
    /// The activity names no recipient.
    Anywhere,
    /// A State.
    Country(CountryIdx),
    /// An M49 area.
    Area(u16),
}

/// One row of a taken activity: a recipient and its share of the money left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    /// Who.
    pub recipient: Recipient,
    /// Its part of the activity's recipients, in per cent.
    pub percent: Decimal,
    /// Its envelope, in whole units of the activity's currency (see [`Taken::currency`]).
    pub amount: Usd,
}

/// An activity taken, with what its rows need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taken {
    /// `iati-identifier`.
    pub identifier: String,
    /// The donor.
    pub donor: Donor,
    /// The first narrative of the title.
    pub title: String,
    /// The currency of every amount of the activity, and so of its rows' envelopes.
    pub currency: RowCurrency,
    /// One share per row, in the order of the recipients in the file.
    pub shares: Vec<Share>,
    /// Activity dates: the actual start, else the planned one.
    pub window_start: Option<Date>,
    /// Activity dates: the actual end, else the planned one.
    pub window_end: Option<Date>,
    /// Whether all money is in the rows.
    pub how: TakenHow,
    /// The money, in words, for iati_import.csv and the offers' notes.
    pub detail: String,
}

/// Why an activity is not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// The reason's code.
    pub reason: SkipReason,
    /// In words, with the line and element where one is at fault.
    pub detail: String,
}

/// What becomes of an activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Taken: one offer per share.
    Taken(Taken),
    /// Not taken, and why.
    Skipped(Skip),
}

fn skip(reason: SkipReason, detail: impl Into<String>) -> Skip {
    Skip { reason, detail: detail.into() }
}

fn malformed(e: &FieldError) -> Skip {
    skip(SkipReason::Malformed, e.to_string())
}

/// Decides one activity.
pub fn decide(activity: &Activity, options: &Options, reference: &Reference) -> Decision {
    match decide_or_skip(activity, options, reference) {
        Ok(taken) => Decision::Taken(taken),
        // A problem of the whole activity (amounts, percentages, the donor) is placed at its start tag.
        Err(mut skipped) if skipped.reason == SkipReason::Malformed && !skipped.detail.starts_with("line ") => {
            skipped.detail = format!("line {}: {}", activity.line, skipped.detail);
            Decision::Skipped(skipped)
        }
        Err(skipped) => Decision::Skipped(skipped),
    }
}

fn decide_or_skip(activity: &Activity, options: &Options, reference: &Reference) -> Result<Taken, Skip> {
    let identifier = identifier(activity)?;
    if let Some(line) = activity.overflow {
        return Err(skip(
            SkipReason::Malformed,
            format!(
                "line {line}: more than {} elements in one activity; the rest was not read",
                super::activity::MAX_ELEMENTS
            ),
        ));
    }
    let sector_share = sector_share(activity, &options.sectors)?;
    status(activity)?;
    let donor = donor_of(activity, reference).map_err(|why| skip(SkipReason::Malformed, why))?;
    let (window_start, window_end) = window(activity)?;
    let money = money_left(activity, options.as_of)?;
    let (shares, left_out) = shares(activity, reference, (money.left, money.currency), sector_share)?;
    let mut detail = money.words(options.as_of);
    let _ = write!(detail, "; sectors asked {}%", sector_share.percent());
    for share in &shares {
        let _ = write!(
            detail,
            "; {} {}%: {} {}",
            recipient_words(share.recipient, reference),
            share.percent,
            share.amount,
            money.currency
        );
    }
    for words in &left_out {
        let _ = write!(detail, "; left out: {words}");
    }
    let how = if left_out.is_empty() { TakenHow::InFull } else { TakenHow::InPart };
    let currency = money.currency;
    let title = activity.title.clone();
    Ok(Taken { identifier, donor, title, currency, shares, window_start, window_end, how, detail })
}

/// How a recipient is named in words.
pub fn recipient_words(recipient: Recipient, reference: &Reference) -> String {
    match recipient {
        Recipient::Anywhere => "no recipient named (open to all)".to_string(),
        Recipient::Country(c) => reference.country(c).alpha3.clone(),
        Recipient::Area(m49) => format!("M49 {m49}"),
    }
}

fn identifier(activity: &Activity) -> Result<String, Skip> {
    let Some((id, line)) = &activity.identifier else {
        return Err(skip(
            SkipReason::Malformed,
            format!("line {}: iati-identifier is missing or blank", activity.line),
        ));
    };
    if id.chars().any(char::is_control) {
        return Err(skip(SkipReason::Malformed, format!("line {line}: iati-identifier has a control character")));
    }
    if id.chars().count() > MAX_IDENTIFIER_CHARS {
        return Err(skip(
            SkipReason::Malformed,
            format!("line {line}: iati-identifier is longer than {MAX_IDENTIFIER_CHARS} characters"),
        ));
    }
    Ok(id.clone())
}

/// The part of the activity in the sectors asked for: a weight out of a total weight (percentages, or one per
/// sector when none has a percentage).
#[derive(Debug, Clone, Copy)]
struct SectorShare {
    asked: Decimal,
    total: Decimal,
}

impl SectorShare {
    fn percent(self) -> Decimal {
        let m = self.asked.millionths() * Decimal::HUNDRED.millionths() / self.total.millionths().max(1);
        Decimal::from_millionths(m)
    }
}

fn sector_share(activity: &Activity, asked: &[DacPurpose]) -> Result<SectorShare, Skip> {
    let mut dac5 = Vec::new();
    let mut other_vocabularies = Vec::new();
    for sector in &activity.sectors {
        let sector = sector.as_ref().map_err(malformed)?;
        match &sector.vocabulary {
            SectorVocabulary::Dac5 => {
                let code = DacPurpose::parse(&sector.code)
                    .map_err(|m| skip(SkipReason::Malformed, format!("line {}: sector/@code: {m}", sector.line)))?;
                dac5.push((code, sector.percentage, sector.line));
            }
            other => other_vocabularies.push((other.clone(), sector.code.as_str())),
        }
    }
    if dac5.is_empty() {
        return Err(no_dac5(activity, asked, &other_vocabularies));
    }
    let weights = weights(dac5.iter().map(|&(_, p, line)| (p, line)), "sector")?;
    let mut share = SectorShare { asked: Decimal::ZERO, total: Decimal::ZERO };
    for (&(code, _, _), weight) in dac5.iter().zip(weights) {
        share.total = share.total.checked_add(weight).unwrap_or(share.total);
        if asked.contains(&code) {
            share.asked = share.asked.checked_add(weight).unwrap_or(share.asked);
        }
    }
    if !dac5.iter().any(|(code, _, _)| asked.contains(code)) {
        let found: Vec<String> = dac5.iter().map(|(c, _, _)| c.to_string()).collect();
        return Err(skip(
            SkipReason::OtherSectors,
            format!("DAC sectors {}; asked for {}", found.join(", "), list(asked)),
        ));
    }
    if share.total == Decimal::ZERO {
        return Err(skip(SkipReason::Malformed, "the sector percentages add up to 0"));
    }
    if share.asked == Decimal::ZERO {
        return Err(skip(SkipReason::OtherSectors, format!("the sectors asked for ({}) are at 0%", list(asked))));
    }
    Ok(share)
}

/// Why an activity without DAC five-digit sectors is skipped.
fn no_dac5(activity: &Activity, asked: &[DacPurpose], other: &[(SectorVocabulary, &str)]) -> Skip {
    if !other.is_empty() {
        let mut words: Vec<String> = Vec::new();
        for (vocabulary, code) in other {
            let w = match vocabulary {
                SectorVocabulary::Dac3 => match asked.iter().find(|a| code.trim().parse::<u32>() == Ok(a.category())) {
                    Some(a) => format!("DAC 3-digit {code}, which includes {a} but cannot say it"),
                    None => format!("DAC 3-digit {code}"),
                },
                SectorVocabulary::Other(v) => format!("vocabulary {} code {}", v.escape_debug(), code.escape_debug()),
                SectorVocabulary::Dac5 => continue,
            };
            if !words.contains(&w) {
                words.push(w);
            }
        }
        return skip(SkipReason::SectorVocabulary, format!("sectors only as {}", words.join(", ")));
    }
    let on_transactions: Vec<DacPurpose> = activity
        .transaction_sectors
        .iter()
        .filter_map(|s| s.as_ref().ok())
        .filter(|s| s.vocabulary == SectorVocabulary::Dac5)
        .filter_map(|s| DacPurpose::parse(&s.code).ok())
        .collect();
    if on_transactions.iter().any(|c| asked.contains(c)) {
        skip(
            SkipReason::SectorsOnTransactions,
            "an asked sector is given on transactions only; the import reads the activity's own sectors",
        )
    } else if !activity.transaction_sectors.is_empty() {
        skip(SkipReason::OtherSectors, format!("sectors on transactions only, none of {}", list(asked)))
    } else {
        skip(SkipReason::NoSector, "the activity has no sector element")
    }
}

fn list(codes: &[DacPurpose]) -> String {
    codes.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", ")
}

/// The weight of each item: its percentage when every item has one, one each when none has. A list with some
/// percentages and not others is ambiguous, and IATI requires them all when there are several items.
fn weights(items: impl Iterator<Item = (Option<Decimal>, u64)> + Clone, what: &str) -> Result<Vec<Decimal>, Skip> {
    let given = items.clone().filter(|(p, _)| p.is_some()).count();
    let all = items.clone().count();
    if given == 0 {
        return Ok(vec![Decimal::HUNDRED; all]);
    }
    if given < all {
        let line = items.clone().find(|(p, _)| p.is_none()).map_or(0, |(_, l)| l);
        return Err(skip(
            SkipReason::Malformed,
            format!("line {line}: {what}/@percentage is missing while other {what}s have one"),
        ));
    }
    Ok(items.map(|(p, _)| p.unwrap_or(Decimal::ZERO)).collect())
}

fn status(activity: &Activity) -> Result<(), Skip> {
    let status = match &activity.status {
        None => {
            return Err(skip(SkipReason::Malformed, format!("line {}: activity-status is missing", activity.line)));
        }
        Some(Err(e)) => return Err(malformed(e)),
        Some(Ok(s)) => *s,
    };
    let reason = match status {
        ActivityStatus::Pipeline | ActivityStatus::Implementation => return Ok(()),
        ActivityStatus::Finalisation | ActivityStatus::Closed => SkipReason::Closed,
        ActivityStatus::Cancelled => SkipReason::Cancelled,
        ActivityStatus::Suspended => SkipReason::Suspended,
    };
    Err(skip(reason, format!("activity status {}", status.words())))
}

/// The window of the offers: the actual dates where given, else the planned ones.
fn window(activity: &Activity) -> Result<(Option<Date>, Option<Date>), Skip> {
    let mut dates: [Option<Date>; 4] = [None; 4];
    for d in &activity.dates {
        let d = d.as_ref().map_err(malformed)?;
        let slot = match d.kind {
            DateType::PlannedStart => 0,
            DateType::ActualStart => 1,
            DateType::PlannedEnd => 2,
            DateType::ActualEnd => 3,
        };
        dates[slot].get_or_insert(d.date);
    }
    let start = dates[1].or(dates[0]);
    let end = dates[3].or(dates[2]);
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        return Err(skip(
            SkipReason::Malformed,
            format!("line {}: activity-date: the activity ends ({e}) before it starts ({s})", activity.line),
        ));
    }
    Ok((start, end))
}

/// A recipient as the activity gives it: one offers.csv can express, or words for one it cannot.
enum Place {
    Usable(Recipient),
    Unusable(String),
}

/// The rows of a taken activity and the words for the shares left out.
fn shares(
    activity: &Activity,
    reference: &Reference,
    (left, currency): (Decimal, RowCurrency),
    sectors: SectorShare,
) -> Result<(Vec<Share>, Vec<String>), Skip> {
    let mut places: Vec<(Place, Option<Decimal>, u64)> = Vec::new();
    for country in &activity.countries {
        let c = country.as_ref().map_err(malformed)?;
        let place = match reference.country_by_code(&c.code).filter(|_| c.code.len() == 2) {
            Some(idx) => Place::Usable(Recipient::Country(idx)),
            None => Place::Unusable(format!(
                "country {} (not an ISO alpha-2 code in the country table)",
                c.code.escape_debug()
            )),
        };
        places.push((place, c.percentage, c.line));
    }
    // A publisher may give the same regional shares in both vocabularies; M49, which offers.csv uses, wins.
    let regions: Vec<_> = activity.regions.iter().map(|r| r.as_ref().map_err(malformed)).collect::<Result<_, _>>()?;
    let has_m49 = regions.iter().any(|r| r.vocabulary == RegionVocabulary::M49);
    for r in regions {
        let place = match &r.vocabulary {
            RegionVocabulary::M49 => match r.code.trim().parse::<u16>().ok().filter(|&m| reference.area(m).is_some()) {
                Some(m49) => Place::Usable(Recipient::Area(m49)),
                None => Place::Unusable(format!("M49 region {} (not in the M49 table)", r.code.escape_debug())),
            },
            _ if has_m49 => continue,
            RegionVocabulary::Dac => {
                Place::Unusable(format!("DAC region {} (DAC regions do not map onto M49 areas)", r.code.escape_debug()))
            }
            RegionVocabulary::Other(v) => {
                Place::Unusable(format!("region {} of vocabulary {}", r.code.escape_debug(), v.escape_debug()))
            }
        };
        places.push((place, r.percentage, r.line));
    }
    if places.is_empty() {
        places.push((Place::Usable(Recipient::Anywhere), None, activity.line));
    }
    let weights = weights(places.iter().map(|(_, p, line)| (*p, *line)), "recipient")?;
    let total: i128 = weights.iter().map(|w| w.millionths()).sum();
    if total == 0 {
        return Err(skip(SkipReason::Malformed, "the recipient percentages add up to 0"));
    }
    // Millionths of a dollar for the sectors asked, then each recipient's part, each rounded down.
    let asked = left
        .millionths()
        .checked_mul(sectors.asked.millionths())
        .map(|m| m / sectors.total.millionths())
        .ok_or_else(too_large)?;
    let mut rows = Vec::new();
    let mut left_out = Vec::new();
    for ((place, _, _), weight) in places.into_iter().zip(weights) {
        let part = asked.checked_mul(weight.millionths()).map(|m| m / total).ok_or_else(too_large)?;
        let percent = Decimal::from_millionths(weight.millionths() * Decimal::HUNDRED.millionths() / total);
        let dollars = Decimal::from_millionths(part).floor();
        match place {
            Place::Unusable(words) => left_out.push(format!("{words} {percent}%")),
            Place::Usable(recipient) if dollars < 1 => {
                left_out.push(format!("{} {percent}%: under one dollar", recipient_words(recipient, reference)));
            }
            Place::Usable(recipient) if dollars > i128::from(MAX_AMOUNT_USD) => {
                return Err(skip(
                    SkipReason::Malformed,
                    format!(
                        "the envelope for {} would be {dollars} {currency}, above the {MAX_AMOUNT_USD} {currency} an \
                         offer may hold",
                        recipient_words(recipient, reference)
                    ),
                ));
            }
            Place::Usable(recipient) => {
                rows.push(Share { recipient, percent, amount: Usd(dollars as i64) });
            }
        }
    }
    if rows.is_empty() {
        let reason = if left_out.iter().any(|w| w.ends_with("under one dollar")) {
            SkipReason::NoMoneyLeft
        } else {
            SkipReason::NoUsableRecipient
        };
        return Err(skip(reason, format!("no recipient offers.csv can express: {}", left_out.join("; "))));
    }
    Ok((rows, left_out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iati::reader::read_activities;

    /// The decision on one activity whose inner elements are `body` (USD, status 2, sector 15240 unless given).
    fn decide_body(body: &str, as_of: Option<&str>) -> Decision {
        let mut xml = String::from("<iati-activities version=\"2.03\"><iati-activity default-currency=\"USD\">");
        xml.push_str("<iati-identifier>XX-1</iati-identifier><reporting-org ref=\"XX-1\" type=\"90\"/>");
        if !body.contains("<activity-status") {
            xml.push_str("<activity-status code=\"2\"/>");
        }
        if !body.contains("<sector") {
            xml.push_str("<sector code=\"15240\"/>");
        }
        xml.push_str(body);
        xml.push_str("</iati-activity></iati-activities>");
        let mut activities = Vec::new();
        read_activities(xml.as_bytes(), |a| {
            activities.push(a);
            Ok::<(), ()>(())
        })
        .unwrap();
        let options = Options { sectors: vec![DacPurpose(15240)], as_of: as_of.map(|d| Date::parse(d).unwrap()) };
        decide(&activities[0], &options, Reference::embedded())
    }

    fn budget(kind: u8, start: &str, end: &str, value: &str) -> String {
        format!(
            "<budget type=\"{kind}\"><period-start iso-date=\"{start}\"/><period-end iso-date=\"{end}\"/>\
             <value>{value}</value></budget>"
        )
    }

    fn spent(date: &str, value: &str) -> String {
        format!(
            "<transaction><transaction-type code=\"3\"/><transaction-date iso-date=\"{date}\"/>\
             <value>{value}</value></transaction>"
        )
    }

    fn amounts(decision: &Decision) -> Vec<i64> {
        match decision {
            Decision::Taken(t) => t.shares.iter().map(|s| s.amount.get()).collect(),
            Decision::Skipped(s) => panic!("skipped: {s:?}"),
        }
    }

    fn reason(decision: &Decision) -> SkipReason {
        match decision {
            Decision::Skipped(s) => s.reason,
            Decision::Taken(t) => panic!("taken: {t:?}"),
        }
    }

    #[test]
    fn amounts_stay_in_the_activitys_one_currency() {
        let in_eur = |xml: String| xml.replace("<value>", "<value currency=\"eur\">");
        let budget_eur = in_eur(budget(1, "2013-01-01", "2013-12-31", "1000"));
        let both_eur = [budget_eur.clone(), in_eur(spent("2013-06-01", "250"))].concat();
        let taken = match decide_body(&both_eur, None) {
            Decision::Taken(t) => t,
            Decision::Skipped(s) => panic!("skipped: {s:?}"),
        };
        assert_eq!((taken.currency.as_str(), taken.shares[0].amount.get()), ("EUR", 750));
        assert!(taken.detail.starts_with("750 EUR left of 1000 EUR"), "{}", taken.detail);
        // The disbursement has no currency of its own, so it is in the activity's default, USD: two currencies.
        let mixed = decide_body(&[budget_eur, spent("2013-06-01", "250")].concat(), None);
        assert_eq!(reason(&mixed), SkipReason::Currency);
        let not_iso = decide_body(
            &budget(1, "2013-01-01", "2013-12-31", "1").replace("<value>", "<value currency=\"XXX\">"),
            None,
        );
        assert_eq!(reason(&not_iso), SkipReason::Currency);
    }

    #[test]
    fn a_revision_replaces_its_period_and_overspending_stays_in_its_period() {
        let body = [
            budget(1, "2013-01-01", "2013-12-31", "100"),
            budget(1, "2014-01-01", "2014-12-31", "100"),
            budget(2, "2014-01-01", "2014-12-31", "300"),
            spent("2013-06-01", "150"),
            spent("2014-06-01", "50"),
        ]
        .concat();
        // 2013: 100 less 150 is nothing (not -50); 2014: the revised 300 less 50.
        assert_eq!(amounts(&decide_body(&body, None)), [250]);
    }

    #[test]
    fn as_of_drops_periods_over_and_spending_not_yet_made() {
        let body = [
            budget(1, "2013-01-01", "2013-12-31", "100"),
            budget(1, "2014-01-01", "2014-12-31", "200"),
            spent("2014-03-01", "20"),
            spent("2014-09-01", "30"),
        ]
        .concat();
        assert_eq!(amounts(&decide_body(&body, None)), [250]);
        assert_eq!(amounts(&decide_body(&body, Some("2014-06-30"))), [180]);
        assert_eq!(amounts(&decide_body(&body, Some("2014-12-31"))), [150]);
        assert_eq!(reason(&decide_body(&body, Some("2015-01-01"))), SkipReason::NoMoneyLeft);
    }

    #[test]
    fn every_row_is_rounded_down_and_shares_follow_the_percentages() {
        let body = [
            budget(1, "2013-01-01", "2013-12-31", "1000.999"),
            "<recipient-country code=\"UG\" percentage=\"33.3\"/><recipient-country code=\"KE\" percentage=\"66.7\"/>"
                .to_string(),
        ]
        .concat();
        // 1000.999 × 33.3 % = 333.33 and × 66.7 % = 667.67, each rounded down.
        assert_eq!(amounts(&decide_body(&body, None)), [333, 667]);
        let equal = [
            budget(1, "2013-01-01", "2013-12-31", "100"),
            "<recipient-country code=\"UG\"/>".into(),
            "<recipient-country code=\"KE\"/><recipient-country code=\"TZ\"/>".into(),
        ]
        .concat();
        assert_eq!(amounts(&decide_body(&equal, None)), [33, 33, 33]);
    }

    #[test]
    fn the_sectors_asked_take_their_percentage() {
        let body = [
            budget(1, "2013-01-01", "2013-12-31", "1000"),
            "<sector code=\"15240\" percentage=\"25\"/><sector code=\"15210\" percentage=\"25\"/>\
             <sector code=\"15220\" percentage=\"50\"/>"
                .to_string(),
        ]
        .concat();
        assert_eq!(amounts(&decide_body(&body, None)), [250]);
    }

    #[test]
    fn statuses_have_their_reasons() {
        for (code, expected) in [
            ("3", SkipReason::Closed),
            ("4", SkipReason::Closed),
            ("5", SkipReason::Cancelled),
            ("6", SkipReason::Suspended),
        ] {
            let body = format!("<activity-status code=\"{code}\"/>{}", budget(1, "2013-01-01", "2013-12-31", "1"));
            assert_eq!(reason(&decide_body(&body, None)), expected, "status {code}");
        }
    }
}
