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

use quick_xml::events::Event;

use super::activity::Activity;
use super::state::State;
use super::xml_error::one_line;
pub use super::xml_error::{MAX_DEPTH, MAX_TOKEN_BYTES, ReadError, XmlError};
use crate::records::fields::shown;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iati::codes::{ActivityStatus, OrgRole, RegionVocabulary};

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
