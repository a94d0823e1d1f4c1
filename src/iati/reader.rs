//! IATI activity XML (version 2.0x) read as a stream of events, one [`Activity`] at a time.
//!
//! The file is never held as a tree: quick-xml hands out one tag or one run of text at a time, the reader keeps
//! the open elements' names and the activity being read, and each activity goes to the caller as soon as its end
//! tag is read. Memory is bounded whatever the file's size: one event may hold at most [`MAX_TOKEN_BYTES`] (a
//! longer tag or text is an error), elements nest at most [`MAX_DEPTH`] deep, and one activity keeps at most
//! [`MAX_ELEMENTS`] elements.
//!
//! Hostile XML: a DOCTYPE is refused outright, so no DTD is read and no entity is ever expanded (quick-xml
//! expands none itself); a reference to any entity other than the five XML predefines is an error; files that
//! declare or start as another encoding than UTF-8 are refused with the fix. A file that is not well-formed
//! stops with one located error; a well-formed activity with a bad value is still handed on, its bad values kept
//! as [`FieldError`]s for the selection to report.

use std::io::{BufRead, BufReader, Read};

use quick_xml::events::{BytesStart, Event};

use super::activity::{
    Activity, ActivityDate, Budget, CountryShare, Field, FieldError, MAX_ELEMENTS, Money, Org, Participant,
    RegionShare, Sector, Spending, TITLE_CHARS,
};
use super::codes::{
    ActivityStatus, BudgetKind, Currency, DateType, Decimal, OrgRole, RegionVocabulary, SectorVocabulary,
    TransactionKind, iso_date,
};
use crate::model::Date;
use crate::records::fields::shown;

/// The most bytes one XML event (a tag with its attributes, a run of text, a comment) may take. IATI elements are
/// small; a longer one is hostile or broken, and refusing it keeps memory bounded.
pub const MAX_TOKEN_BYTES: u64 = 4 << 20;

/// The deepest nesting of elements accepted (IATI needs fewer than ten levels).
pub const MAX_DEPTH: usize = 256;

/// The most bytes of text kept for one element the import reads (an identifier, an amount).
const MAX_TEXT: usize = 4096;

/// The most bytes kept of one attribute value: codes are short, and a longer value fails their parsers anyway.
const MAX_ATTRIBUTE: usize = 200;

/// Why a file could not be read as IATI activity XML: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    /// 1-based line at which the problem was found.
    pub line: u64,
    /// 1-based byte position in that line.
    pub column: u64,
    /// What is wrong, as one line.
    pub message: String,
}

/// How reading a file ended early.
#[derive(Debug)]
pub enum ReadError<E> {
    /// The file is not IATI activity XML the import can read.
    Xml(XmlError),
    /// The file could not be read.
    Io(std::io::Error),
    /// The caller stopped the reading with its own error.
    Stopped(E),
}

/// Reads every activity of `input` in file order, handing each to `on_activity`.
pub fn read_activities<R: Read, E>(
    input: R,
    mut on_activity: impl FnMut(Activity) -> Result<(), E>,
) -> Result<(), ReadError<E>> {
    let mut counted = Counted::new(input);
    refuse_utf16(&mut counted)?;
    let mut xml = quick_xml::Reader::from_reader(counted);
    let mut state = State::default();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let at = xml.get_mut().start_token();
        let event = match xml.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(e) => return Err(xml_failure(e, xml.get_ref())),
        };
        let fail = |message: String| ReadError::Xml(XmlError { line: at.0, column: at.1, message });
        match event {
            Event::Start(e) => state.open(&e, at.0).map_err(fail)?,
            Event::Empty(e) => {
                state.open(&e, at.0).map_err(fail)?;
                state.close(&mut on_activity).map_err(|e| e.located(at))?;
            }
            Event::End(_) => state.close(&mut on_activity).map_err(|e| e.located(at))?,
            Event::Text(t) => {
                if state.capturing.is_some() {
                    let text = t.decode().map_err(|e| fail(format!("invalid UTF-8 in the text: {e}")))?;
                    state.push_text(&text);
                }
            }
            Event::CData(t) => {
                if state.capturing.is_some() {
                    let text = t.decode().map_err(|e| fail(format!("invalid UTF-8 in a CDATA section: {e}")))?;
                    state.push_text(&text);
                }
            }
            Event::GeneralRef(r) => {
                let ch = resolve_reference(&r).map_err(fail)?;
                if state.capturing.is_some() {
                    state.push_text(ch.encode_utf8(&mut [0; 4]));
                }
            }
            Event::DocType(_) => {
                return Err(fail(
                    "the file has a DOCTYPE declaration: IATI files have none, and this import reads no DTD and \
                     expands no entity; remove the declaration"
                        .to_string(),
                ));
            }
            Event::Decl(d) => {
                if let Some(Ok(encoding)) = d.encoding() {
                    let name = String::from_utf8_lossy(&encoding).to_string();
                    if !name.eq_ignore_ascii_case("utf-8") && !name.eq_ignore_ascii_case("utf8") {
                        return Err(fail(format!(
                            "the file declares the encoding {}; only UTF-8 is read: save it as UTF-8",
                            shown(&name)
                        )));
                    }
                }
            }
            Event::Comment(_) | Event::PI(_) => {}
            Event::Eof => return state.finish().map_err(fail),
        }
    }
}

/// A UTF-16 file (as some Windows tools save "Unicode" text) starts with its byte-order mark.
fn refuse_utf16<R: Read, E>(counted: &mut Counted<R>) -> Result<(), ReadError<E>> {
    let start = counted.inner.fill_buf().map_err(ReadError::Io)?;
    if start.starts_with(&[0xFF, 0xFE]) || start.starts_with(&[0xFE, 0xFF]) {
        return Err(ReadError::Xml(XmlError {
            line: 1,
            column: 1,
            message: "the file is UTF-16; only UTF-8 is read: save it as UTF-8".to_string(),
        }));
    }
    Ok(())
}

/// The character an entity or character reference stands for: only the five entities XML predefines are known.
fn resolve_reference(r: &quick_xml::events::BytesRef<'_>) -> Result<char, String> {
    if r.is_char_ref() {
        return match r.resolve_char_ref() {
            Ok(Some(ch)) => Ok(ch),
            _ => Err(format!("a character reference that is no character: &{};", shown(&String::from_utf8_lossy(r)))),
        };
    }
    match &**r {
        b"lt" => Ok('<'),
        b"gt" => Ok('>'),
        b"amp" => Ok('&'),
        b"apos" => Ok('\''),
        b"quot" => Ok('"'),
        other => Err(format!(
            "the entity &{}; is not defined: only &lt; &gt; &amp; &apos; &quot; and character references are read \
             (no DTD, no entity expansion)",
            shown(&String::from_utf8_lossy(other))
        )),
    }
}

/// A quick-xml error as a located one-line error.
fn xml_failure<R: Read, E>(e: quick_xml::Error, counted: &Counted<R>) -> ReadError<E> {
    let (line, column) = counted.position();
    let message = match e {
        quick_xml::Error::Io(_) if counted.too_long => {
            format!("a single tag or text is longer than {} MiB; this is no IATI file", MAX_TOKEN_BYTES >> 20)
        }
        quick_xml::Error::Io(io) => return ReadError::Io(std::io::Error::new(io.kind(), io.to_string())),
        other => one_line(&format!("the XML is not well-formed: {other}")),
    };
    ReadError::Xml(XmlError { line, column, message })
}

/// A message that stays on one line and short, whatever names the file put in it.
fn one_line(text: &str) -> String {
    let mut out: String = text.chars().take(300).map(|c| if c.is_control() { ' ' } else { c }).collect();
    if text.chars().nth(300).is_some() {
        out.push_str("...");
    }
    out
}

/// The input behind quick-xml, counting lines and columns of every byte consumed and refusing to go on when one
/// event grows past [`MAX_TOKEN_BYTES`].
struct Counted<R> {
    inner: BufReader<R>,
    /// Line ends consumed so far.
    newlines: u64,
    /// Bytes consumed since the last line end.
    column: u64,
    /// Bytes consumed since the current event started.
    token: u64,
    /// Whether reading stopped because an event was too long.
    too_long: bool,
}

impl<R: Read> Counted<R> {
    fn new(input: R) -> Counted<R> {
        Counted { inner: BufReader::with_capacity(1 << 16, input), newlines: 0, column: 0, token: 0, too_long: false }
    }

    /// The 1-based line and column of the next byte.
    fn position(&self) -> (u64, u64) {
        (self.newlines + 1, self.column + 1)
    }

    /// Marks the start of an event, and says where it starts.
    fn start_token(&mut self) -> (u64, u64) {
        self.token = 0;
        self.position()
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.token > MAX_TOKEN_BYTES {
            self.too_long = true;
            return Err(std::io::Error::other("an XML event is too long"));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        if amount > 0 {
            // The bytes consumed are the front of the buffer the last `fill_buf` returned: asking again reads
            // nothing new.
            if let Ok(buffer) = self.inner.fill_buf() {
                let consumed = &buffer[..amount.min(buffer.len())];
                match consumed.iter().rposition(|&b| b == b'\n') {
                    Some(last) => {
                        self.newlines += consumed.iter().filter(|&&b| b == b'\n').count() as u64;
                        self.column = (consumed.len() - last - 1) as u64;
                    }
                    None => self.column += consumed.len() as u64,
                }
            }
            self.token += amount as u64;
        }
        self.inner.consume(amount);
    }
}

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
enum Capture {
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
struct State {
    /// The open elements with the line each opened on.
    stack: Vec<(Tag, u64)>,
    root_seen: bool,
    activity: Option<Activity>,
    budget: Option<BudgetDraft>,
    transaction: Option<TransactionDraft>,
    value: Option<ValueDraft>,
    capturing: Option<Capture>,
    text: String,
}

/// An error while closing an element: bad XML, or the caller's own.
enum CloseError<E> {
    Xml(String),
    Stopped(E),
}

impl<E> CloseError<E> {
    fn located(self, (line, column): (u64, u64)) -> ReadError<E> {
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

    fn push_text(&mut self, text: &str) {
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

    fn open(&mut self, e: &BytesStart<'_>, line: u64) -> Result<(), String> {
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

    fn close<E>(&mut self, on_activity: &mut impl FnMut(Activity) -> Result<(), E>) -> Result<(), CloseError<E>> {
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

    fn finish(&self) -> Result<(), String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn read(xml: &str) -> Result<Vec<Activity>, XmlError> {
        let mut activities = Vec::new();
        match read_activities(xml.as_bytes(), |a| {
            activities.push(a);
            Ok::<(), ()>(())
        }) {
            Ok(()) => Ok(activities),
            Err(ReadError::Xml(e)) => Err(e),
            Err(other) => panic!("{other:?}"),
        }
    }

    const ONE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity default-currency="USD">
  <iati-identifier> XM-EXAMPLE-1 </iati-identifier>
  <reporting-org ref="GB-GOV-1" type="10"><narrative>UK</narrative></reporting-org>
  <title><narrative>Marking &amp; tracing
     of arms</narrative><narrative xml:lang="fr">Marquage</narrative></title>
  <participating-org ref="SE-0" role="1" type="10"/>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2013-01-01"/>
  <recipient-country code="ug" percentage="60"/>
  <recipient-region code="002" vocabulary="2" percentage="40"/>
  <sector code="15240" vocabulary="1" percentage="100"/>
  <budget type="1"><period-start iso-date="2013-01-01"/><period-end iso-date="2013-12-31"/>
   <value currency="USD" value-date="2013-01-01">100000.50</value></budget>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2013-05-01"/><value>2000</value></transaction>
  <transaction><transaction-type code="2"/><value>99</value></transaction>
  <x:budget xmlns:x="urn:x"><value>5</value></x:budget>
 </iati-activity>
</iati-activities>"#;

    #[test]
    fn reads_the_elements_it_needs() {
        let activities = read(ONE).unwrap();
        assert_eq!(activities.len(), 1);
        let a = &activities[0];
        assert_eq!(a.line, 3);
        assert_eq!(a.identifier, Some(("XM-EXAMPLE-1".to_string(), 4)));
        assert_eq!(a.title, "Marking & tracing of arms");
        assert_eq!(a.reporting_org.as_ref().unwrap().reference.as_deref(), Some("GB-GOV-1"));
        assert_eq!(a.participants[0].role, OrgRole::Funding);
        assert_eq!(a.status, Some(Ok(ActivityStatus::Implementation)));
        assert_eq!(a.countries[0].as_ref().unwrap().code, "UG");
        assert_eq!(a.regions[0].as_ref().unwrap().vocabulary, RegionVocabulary::M49);
        assert_eq!(a.budgets.len(), 1);
        let budget = a.budgets[0].as_ref().unwrap();
        assert_eq!(budget.value.amount.to_string(), "100000.5");
        assert_eq!(budget.line, 14);
        assert_eq!(a.spending.len(), 1, "only disbursements and expenditure are kept");
        assert_eq!(a.spending[0].as_ref().unwrap().value.amount.to_string(), "2000");
    }

    #[test]
    fn bad_values_are_kept_with_their_line() {
        let xml = ONE
            .replace(r#"<activity-status code="2"/>"#, r#"<activity-status code="9"/>"#)
            .replace(r#"<value currency="USD" value-date="2013-01-01">100000.50</value>"#, "<value>1,000</value>");
        let a = read(&xml).unwrap().remove(0);
        let status = a.status.unwrap().unwrap_err();
        assert_eq!((status.line, status.field), (9, "activity-status/@code"));
        let budget = a.budgets[0].as_ref().unwrap_err();
        assert_eq!(budget.field, "budget/value");
        assert!(budget.message.contains("1,000"), "{budget}");
    }

    #[test]
    fn refuses_a_doctype_and_undefined_entities() {
        let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<iati-activities version="2.03"><iati-activity><iati-identifier>&lol2;</iati-identifier></iati-activity></iati-activities>"#;
        let e = read(laughs).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("DOCTYPE"), "{}", e.message);
        let undefined = "<iati-activities version=\"2.03\">\n<iati-activity><iati-identifier>&lol;</iati-identifier>\
                         </iati-activity></iati-activities>";
        let e = read(undefined).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("&\"lol\";"), "{}", e.message);
        let in_attribute = "<iati-activities version=\"2.03\"><iati-activity a=\"&xxe;\"/></iati-activities>";
        assert!(read(in_attribute).is_err());
    }

    #[test]
    fn refuses_what_is_not_iati_2() {
        for (xml, words) in [
            ("<iati-organisations version=\"2.03\"/>", "not <iati-activities>"),
            ("<iati-activities version=\"1.05\"/>", "version \"1.05\""),
            ("<iati-activities/>", "has no version"),
            ("<iati-activities version=\"2.03\"><iati-activity>", "ends inside <iati-activity>, opened on line 1"),
            ("", "no <iati-activities>"),
            ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><iati-activities/>", "encoding \"ISO-8859-1\""),
            ("\u{FEFF}<iati-activities version=\"2.03\"></iati-activity>", "not well-formed"),
        ] {
            let e = read(xml).unwrap_err();
            assert!(e.message.contains(words), "{xml}: {}", e.message);
        }
        let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain("<".bytes().flat_map(|b| [b, 0])).collect();
        let Err(ReadError::Xml(e)) = read_activities(&utf16[..], |_| Ok::<(), ()>(())) else { panic!() };
        assert!(e.message.contains("UTF-16"));
    }

    #[test]
    fn a_huge_token_is_refused_in_bounded_memory() {
        let mut xml = String::from("<iati-activities version=\"2.03\"><iati-activity><title><narrative>");
        xml.push_str(&"a".repeat((MAX_TOKEN_BYTES + 10) as usize));
        let e = read(&xml).unwrap_err();
        assert!(e.message.contains("longer than 4 MiB"), "{}", e.message);
    }

    #[test]
    fn a_deep_nest_is_refused() {
        let xml = format!("<iati-activities version=\"2.03\">{}", "<x>".repeat(MAX_DEPTH + 1));
        assert!(read(&xml).unwrap_err().message.contains("nested"));
    }
}
