//! What the IATI reader knows between two XML events: the open elements, the activity being built and the budget,
//! transaction or value inside it, and the text being collected. [`super::reader`] feeds it events; it turns
//! them into typed [`Activity`] values, keeping each bad value as a [`FieldError`] at its line.

use quick_xml::events::BytesStart;

use super::activity::{
    Activity, ActivityDate, Budget, CountryShare, Field, FieldError, MAX_ELEMENTS, Money, Org, Participant,
    RegionShare, Sector, Spending, TITLE_CHARS,
};
use super::codes::{
    ActivityStatus, BudgetKind, Currency, DateType, Decimal, OrgRole, RegionVocabulary, SectorVocabulary,
    TransactionKind, iso_date,
};
use super::xml_error::{MAX_DEPTH, ReadError, XmlError, one_line};
use crate::model::Date;
use crate::records::fields::shown;

/// The most bytes kept of one attribute value: codes are short, and a longer value fails their parsers anyway.
const MAX_ATTRIBUTE: usize = 200;

/// The most bytes of text kept for one element the import reads (an identifier, an amount).
const MAX_TEXT: usize = 4096;

/// The elements the import reads. Any other element, or one of these out of its place, is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Activities,
    Activity,
    Identifier,
    ReportingOrg,
    Participant,
    Title,
    Narrative,
    Status,
    ActivityDate,
    Country,
    Region,
    Sector,
    Budget,
    PeriodStart,
    PeriodEnd,
    Value,
    Transaction,
    TransactionType,
    TransactionDate,
    Other,
}

impl Tag {
    /// The tag of an element named `name` whose parent is `parent` (`None` at the root). IATI's own elements carry
    /// no namespace prefix, so an extension's `<x:budget>` is `Other`.
    fn of(name: &[u8], parent: Option<Tag>) -> Tag {
        use Tag::*;
        let tag = match name {
            b"iati-activities" => Activities,
            b"iati-activity" => Activity,
            b"iati-identifier" => Identifier,
            b"reporting-org" => ReportingOrg,
            b"participating-org" => Participant,
            b"title" => Title,
            b"narrative" => Narrative,
            b"activity-status" => Status,
            b"activity-date" => ActivityDate,
            b"recipient-country" => Country,
            b"recipient-region" => Region,
            b"sector" => Sector,
            b"budget" => Budget,
            b"period-start" => PeriodStart,
            b"period-end" => PeriodEnd,
            b"value" => Value,
            b"transaction" => Transaction,
            b"transaction-type" => TransactionType,
            b"transaction-date" => TransactionDate,
            _ => Other,
        };
        let fits = match tag {
            Activities => parent.is_none(),
            Activity => parent == Some(Activities),
            Identifier | ReportingOrg | Participant | Title | Status | ActivityDate | Country | Region | Budget
            | Transaction => parent == Some(Activity),
            Sector => matches!(parent, Some(Activity | Transaction)),
            Narrative => parent == Some(Title),
            PeriodStart | PeriodEnd => parent == Some(Budget),
            Value => matches!(parent, Some(Budget | Transaction)),
            TransactionType | TransactionDate => parent == Some(Transaction),
            Other => true,
        };
        if fits { tag } else { Other }
    }

    /// The element's name in messages.
    fn name(self) -> &'static str {
        use Tag::*;
        match self {
            Activities => "iati-activities",
            Activity => "iati-activity",
            Identifier => "iati-identifier",
            ReportingOrg => "reporting-org",
            Participant => "participating-org",
            Title => "title",
            Narrative => "narrative",
            Status => "activity-status",
            ActivityDate => "activity-date",
            Country => "recipient-country",
            Region => "recipient-region",
            Sector => "sector",
            Budget => "budget",
            PeriodStart => "period-start",
            PeriodEnd => "period-end",
            Value => "value",
            Transaction => "transaction",
            TransactionType => "transaction-type",
            TransactionDate => "transaction-date",
            Other => "an element",
        }
    }
}

/// Which element's text is being collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Capture {
    Identifier,
    Title,
    Value,
}

/// A `<value>` being read.
#[derive(Debug, Default)]
struct ValueDraft {
    line: u64,
    currency: Option<Field<Currency>>,
    value_date: Option<Field<Date>>,
    amount: Option<Field<Decimal>>,
}

/// A `<budget>` being read.
#[derive(Debug)]
struct BudgetDraft {
    line: u64,
    kind: Field<BudgetKind>,
    start: Option<Field<Date>>,
    end: Option<Field<Date>>,
    value: Option<ValueDraft>,
}

/// A `<transaction>` being read.
#[derive(Debug)]
struct TransactionDraft {
    line: u64,
    kind: Option<Field<TransactionKind>>,
    date: Option<Field<Date>>,
    value: Option<ValueDraft>,
}

/// What the reader knows between two events.
#[derive(Debug, Default)]
pub(super) struct State {
    /// The open elements with the line each opened on.
    stack: Vec<(Tag, u64)>,
    root_seen: bool,
    activity: Option<Activity>,
    budget: Option<BudgetDraft>,
    transaction: Option<TransactionDraft>,
    value: Option<ValueDraft>,
    pub(super) capturing: Option<Capture>,
    text: String,
}

/// An error while closing an element: bad XML, or the caller's own.
pub(super) enum CloseError<E> {
    Xml(String),
    Stopped(E),
}

impl<E> CloseError<E> {
    pub(super) fn located(self, (line, column): (u64, u64)) -> ReadError<E> {
        match self {
            CloseError::Xml(message) => ReadError::Xml(XmlError { line, column, message }),
            CloseError::Stopped(e) => ReadError::Stopped(e),
        }
    }
}

fn field_error(line: u64, field: &'static str, message: String) -> FieldError {
    FieldError { line, field, message }
}

fn missing(line: u64, field: &'static str) -> FieldError {
    field_error(line, field, "is missing".to_string())
}

/// Parses an attribute that must be there.
fn required<T>(
    value: Option<String>,
    line: u64,
    field: &'static str,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Field<T> {
    match value {
        None => Err(missing(line, field)),
        Some(v) => parse(&v).map_err(|m| field_error(line, field, m)),
    }
}

/// Parses an attribute that may be absent.
fn optional<T>(
    value: Option<String>,
    line: u64,
    field: &'static str,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Option<Field<T>> {
    value.map(|v| parse(&v).map_err(|m| field_error(line, field, m)))
}

/// The values of the attributes `names` of a tag (blank values count as absent), each cut at [`MAX_ATTRIBUTE`].
fn attributes<const N: usize>(e: &BytesStart<'_>, names: [&[u8]; N]) -> Result<[Option<String>; N], String> {
    let mut values: [Option<String>; N] = std::array::from_fn(|_| None);
    for attribute in e.attributes() {
        let attribute = attribute.map_err(|e| one_line(&format!("the XML is not well-formed: {e}")))?;
        let Some(k) = names.iter().position(|n| *n == attribute.key.as_ref()) else {
            // Unread attributes are still checked for undefined entities, like the text.
            attribute
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| one_line(&format!("in an attribute: {e}")))?;
            continue;
        };
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| one_line(&format!("in an attribute: {e}")))?;
        let value = value.trim();
        if !value.is_empty() {
            values[k] = Some(cut(value, MAX_ATTRIBUTE).to_string());
        }
    }
    Ok(values)
}

/// The longest prefix of `text` of at most `bytes` bytes that ends on a character boundary.
fn cut(text: &str, bytes: usize) -> &str {
    if text.len() <= bytes {
        return text;
    }
    let mut end = bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

impl State {
    fn parent(&self) -> Option<Tag> {
        self.stack.last().map(|&(t, _)| t)
    }

    pub(super) fn push_text(&mut self, text: &str) {
        let room = MAX_TEXT.saturating_sub(self.text.len());
        self.text.push_str(cut(text, room));
    }

    fn start_capture(&mut self, what: Capture) {
        self.capturing = Some(what);
        self.text.clear();
    }

    /// Adds an element to the activity unless it already keeps [`MAX_ELEMENTS`].
    fn keep(&mut self, line: u64, add: impl FnOnce(&mut Activity)) {
        if let Some(activity) = self.activity.as_mut() {
            if activity.kept() < MAX_ELEMENTS {
                add(activity);
            } else if activity.overflow.is_none() {
                activity.overflow = Some(line);
            }
        }
    }

    pub(super) fn open(&mut self, e: &BytesStart<'_>, line: u64) -> Result<(), String> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(format!("elements are nested more than {MAX_DEPTH} deep"));
        }
        let parent = self.parent();
        let tag = Tag::of(e.name().as_ref(), parent);
        if parent.is_none() {
            self.open_root(e, tag)?;
        }
        match tag {
            Tag::Activity => {
                let [currency] = attributes(e, [b"default-currency"])?;
                self.activity = Some(Activity {
                    line,
                    default_currency: optional(currency, line, "@default-currency", Currency::parse),
                    ..Activity::default()
                });
            }
            Tag::Identifier => self.start_capture(Capture::Identifier),
            Tag::ReportingOrg => {
                let [reference, org_type] = attributes(e, [b"ref", b"type"])?;
                if let Some(a) = self.activity.as_mut().filter(|a| a.reporting_org.is_none()) {
                    a.reporting_org = Some(Org { reference, org_type, line });
                }
            }
            Tag::Participant => {
                let [reference, org_type, role] = attributes(e, [b"ref", b"type", b"role"])?;
                let role = role.as_deref().map_or(OrgRole::Other, OrgRole::parse);
                self.keep(line, |a| a.participants.push(Participant { org: Org { reference, org_type, line }, role }));
            }
            Tag::Narrative => {
                if self.activity.as_ref().is_some_and(|a| a.title.is_empty()) {
                    self.start_capture(Capture::Title);
                }
            }
            Tag::Status => {
                let [code] = attributes(e, [b"code"])?;
                if let Some(a) = self.activity.as_mut().filter(|a| a.status.is_none()) {
                    a.status = Some(required(code, line, "activity-status/@code", ActivityStatus::parse));
                }
            }
            Tag::ActivityDate => {
                let [kind, date] = attributes(e, [b"type", b"iso-date"])?;
                let kind = required(kind, line, "activity-date/@type", DateType::parse);
                let date = required(date, line, "activity-date/@iso-date", iso_date);
                self.keep(line, |a| a.dates.push(kind.and_then(|kind| Ok(ActivityDate { kind, date: date? }))));
            }
            Tag::Country => {
                let [code, percentage] = attributes(e, [b"code", b"percentage"])?;
                let share = country(code, percentage, line);
                self.keep(line, |a| a.countries.push(share));
            }
            Tag::Region => {
                let [code, vocabulary, percentage] = attributes(e, [b"code", b"vocabulary", b"percentage"])?;
                let share = region(code, vocabulary, percentage, line);
                self.keep(line, |a| a.regions.push(share));
            }
            Tag::Sector => {
                let [code, vocabulary, percentage] = attributes(e, [b"code", b"vocabulary", b"percentage"])?;
                let sector = sector(code, vocabulary, percentage, line);
                if parent == Some(Tag::Transaction) {
                    self.keep(line, |a| a.transaction_sectors.push(sector));
                } else {
                    self.keep(line, |a| a.sectors.push(sector));
                }
            }
            Tag::Budget => {
                let [kind] = attributes(e, [b"type"])?;
                let kind = optional(kind, line, "budget/@type", BudgetKind::parse).unwrap_or(Ok(BudgetKind::Original));
                self.budget = Some(BudgetDraft { line, kind, start: None, end: None, value: None });
            }
            Tag::PeriodStart | Tag::PeriodEnd => {
                let [date] = attributes(e, [b"iso-date"])?;
                if let Some(budget) = self.budget.as_mut() {
                    if tag == Tag::PeriodStart {
                        budget.start = Some(required(date, line, "budget/period-start/@iso-date", iso_date));
                    } else {
                        budget.end = Some(required(date, line, "budget/period-end/@iso-date", iso_date));
                    }
                }
            }
            Tag::Value => {
                let [currency, value_date] = attributes(e, [b"currency", b"value-date"])?;
                self.value = Some(ValueDraft {
                    line,
                    currency: optional(currency, line, "value/@currency", Currency::parse),
                    value_date: optional(value_date, line, "value/@value-date", iso_date),
                    amount: None,
                });
                self.start_capture(Capture::Value);
            }
            Tag::Transaction => {
                self.transaction = Some(TransactionDraft { line, kind: None, date: None, value: None });
            }
            Tag::TransactionType => {
                let [code] = attributes(e, [b"code"])?;
                if let Some(t) = self.transaction.as_mut() {
                    t.kind = Some(required(code, line, "transaction/transaction-type/@code", TransactionKind::parse));
                }
            }
            Tag::TransactionDate => {
                let [date] = attributes(e, [b"iso-date"])?;
                if let Some(t) = self.transaction.as_mut() {
                    t.date = Some(required(date, line, "transaction/transaction-date/@iso-date", iso_date));
                }
            }
            Tag::Activities | Tag::Title | Tag::Other => {
                // Still read every attribute, so that an undefined entity anywhere is found.
                attributes(e, [])?;
            }
        }
        self.stack.push((tag, line));
        Ok(())
    }

    /// Checks the root element: `<iati-activities version="2.0x">`.
    fn open_root(&mut self, e: &BytesStart<'_>, tag: Tag) -> Result<(), String> {
        if self.root_seen {
            return Err("a second root element after </iati-activities>".to_string());
        }
        self.root_seen = true;
        if tag != Tag::Activities {
            let name = String::from_utf8_lossy(e.name().as_ref()).to_string();
            return Err(format!(
                "the root element is <{}>, not <iati-activities>: this is no IATI activity file",
                cut(&name, 60).escape_debug()
            ));
        }
        let [version] = attributes(e, [b"version"])?;
        match version.as_deref() {
            Some(v) if v.starts_with("2.") => Ok(()),
            Some(v) => Err(format!(
                "the file is IATI version {}; this import reads version 2.0x (convert version 1 files first)",
                shown(v)
            )),
            None => Err("<iati-activities> has no version; this import reads version 2.0x".to_string()),
        }
    }

    pub(super) fn close<E>(
        &mut self,
        on_activity: &mut impl FnMut(Activity) -> Result<(), E>,
    ) -> Result<(), CloseError<E>> {
        let Some((tag, line)) = self.stack.pop() else {
            return Err(CloseError::Xml("an end tag without its start tag".to_string()));
        };
        match tag {
            Tag::Activity => {
                self.budget = None;
                self.transaction = None;
                if let Some(activity) = self.activity.take() {
                    on_activity(activity).map_err(CloseError::Stopped)?;
                }
            }
            Tag::Identifier => {
                let text = self.end_capture();
                let text = text.trim();
                if let Some(a) = self.activity.as_mut().filter(|a| a.identifier.is_none() && !text.is_empty()) {
                    a.identifier = Some((text.to_string(), line));
                }
            }
            Tag::Narrative if self.capturing == Some(Capture::Title) => {
                let text = self.end_capture();
                let text: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
                let title: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if let Some(a) = self.activity.as_mut() {
                    a.title = title.chars().take(TITLE_CHARS).collect();
                }
            }
            Tag::Value => {
                let text = self.end_capture();
                if let Some(mut value) = self.value.take() {
                    let field = if self.parent() == Some(Tag::Budget) { "budget/value" } else { "transaction/value" };
                    value.amount =
                        Some(Decimal::parse(&text).map_err(|m| field_error(value.line, field, blank_or(m, &text))));
                    match self.parent() {
                        Some(Tag::Budget) => {
                            if let Some(b) = self.budget.as_mut().filter(|b| b.value.is_none()) {
                                b.value = Some(value);
                            }
                        }
                        _ => {
                            if let Some(t) = self.transaction.as_mut().filter(|t| t.value.is_none()) {
                                t.value = Some(value);
                            }
                        }
                    }
                }
            }
            Tag::Budget => {
                if let Some(draft) = self.budget.take() {
                    let budget = finish_budget(draft);
                    self.keep(line, |a| a.budgets.push(budget));
                }
            }
            Tag::Transaction => {
                if let Some(draft) = self.transaction.take()
                    && let Some(spending) = finish_transaction(draft)
                {
                    self.keep(line, |a| a.spending.push(spending));
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn end_capture(&mut self) -> String {
        self.capturing = None;
        std::mem::take(&mut self.text)
    }

    pub(super) fn finish(&self) -> Result<(), String> {
        if let Some(&(tag, line)) = self.stack.last() {
            return Err(format!("the file ends inside <{}>, opened on line {line}", tag.name()));
        }
        if !self.root_seen {
            return Err("the file has no <iati-activities> element".to_string());
        }
        Ok(())
    }
}

/// "is blank" for an empty amount, else the parser's message.
fn blank_or(message: String, text: &str) -> String {
    if text.trim().is_empty() { "is blank; expected an amount".to_string() } else { message }
}

fn country(code: Option<String>, percentage: Option<String>, line: u64) -> Field<CountryShare> {
    let code = required(code, line, "recipient-country/@code", |c| Ok(c.to_ascii_uppercase()))?;
    let percentage =
        optional(percentage, line, "recipient-country/@percentage", Decimal::parse_percentage).transpose()?;
    Ok(CountryShare { code, percentage, line })
}

fn region(
    code: Option<String>,
    vocabulary: Option<String>,
    percentage: Option<String>,
    line: u64,
) -> Field<RegionShare> {
    let code = required(code, line, "recipient-region/@code", |c| Ok(c.to_string()))?;
    let percentage =
        optional(percentage, line, "recipient-region/@percentage", Decimal::parse_percentage).transpose()?;
    Ok(RegionShare { vocabulary: RegionVocabulary::parse(vocabulary.as_deref()), code, percentage, line })
}

fn sector(code: Option<String>, vocabulary: Option<String>, percentage: Option<String>, line: u64) -> Field<Sector> {
    let code = required(code, line, "sector/@code", |c| Ok(c.to_string()))?;
    let percentage = optional(percentage, line, "sector/@percentage", Decimal::parse_percentage).transpose()?;
    Ok(Sector { vocabulary: SectorVocabulary::parse(vocabulary.as_deref()), code, percentage, line })
}

/// The money of a `<value>`, or why it is unusable.
fn money(value: Option<ValueDraft>, line: u64, field: &'static str) -> Field<(Money, Option<Date>)> {
    let value = value.ok_or_else(|| missing(line, field))?;
    let amount = value.amount.unwrap_or_else(|| Err(missing(value.line, field)))?;
    let currency = value.currency.transpose()?;
    let value_date = value.value_date.transpose()?;
    Ok((Money { amount, currency }, value_date))
}

fn finish_budget(draft: BudgetDraft) -> Field<Budget> {
    let line = draft.line;
    let kind = draft.kind?;
    let start = draft.start.unwrap_or_else(|| Err(missing(line, "budget/period-start")))?;
    let end = draft.end.unwrap_or_else(|| Err(missing(line, "budget/period-end")))?;
    if end < start {
        return Err(field_error(line, "budget/period-end", format!("{end} is before the period's start, {start}")));
    }
    let (value, _) = money(draft.value, line, "budget/value")?;
    if value.amount.is_negative() {
        return Err(field_error(line, "budget/value", format!("a budget cannot be negative, found {}", value.amount)));
    }
    Ok(Budget { kind, start, end, value, line })
}

/// A disbursement or expenditure, an error if the transaction cannot be read, `None` for any other transaction.
fn finish_transaction(draft: TransactionDraft) -> Option<Field<Spending>> {
    let line = draft.line;
    let kind = match draft.kind {
        None => return Some(Err(missing(line, "transaction/transaction-type"))),
        Some(Err(e)) => return Some(Err(e)),
        Some(Ok(kind)) => kind,
    };
    if kind != TransactionKind::Spent {
        return None;
    }
    Some((|| {
        let (value, value_date) = money(draft.value, line, "transaction/value")?;
        let date = match draft.date.transpose()? {
            Some(date) => date,
            None => value_date.ok_or_else(|| missing(line, "transaction/transaction-date"))?,
        };
        Ok(Spending { date, value, line })
    })())
}
