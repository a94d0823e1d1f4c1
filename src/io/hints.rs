//! Cell parsers of needs.csv and offers.csv that forgive the usual spreadsheet slips or name the fix: country
//! names for codes, area names for M49 codes, misspelt codes and kinds, a list written with commas. Each error
//! stays one line: the message, then `(hint: ...)` when there is something to suggest.

use crate::catalog::Reference;
use crate::model::{CommitmentIdx, CountryIdx, Kind};
use crate::records::{fields, suggest};

/// The hint for a list item that holds a comma: lists use `;`, and a comma there is the commonest slip.
pub(super) fn comma_hint(item: &str) -> Option<&'static str> {
    item.contains(',').then_some("separate the items of a list with ';', not ','")
}

/// Appends `hint` to `message` in the one-line form the error list uses.
fn with_hint(message: String, hint: Option<String>) -> String {
    match hint {
        Some(hint) => format!("{message} (hint: {hint})"),
        None => message,
    }
}

/// Whether `code` is one that ISO 3166-1 leaves to users (AA, QM-QZ, XA-XZ, ZZ, and the alpha-3 codes that start
/// so), such as `XKX` for Kosovo: no UN table has them, so this tool cannot place them in an M49 area.
fn user_assigned(code: &str) -> bool {
    let code = code.to_ascii_uppercase();
    let b = code.as_bytes();
    if !(2..=3).contains(&b.len()) || !b.iter().all(u8::is_ascii_uppercase) {
        return false;
    }
    matches!((b[0], b[1]), (b'A', b'A') | (b'Q', b'M'..=b'Z') | (b'X', _) | (b'Z', b'Z'))
}

/// A country by ISO code, any case; otherwise an error that points from a name to its code and explains
/// user-assigned codes.
pub(super) fn country(reference: &Reference, code: &str) -> Result<CountryIdx, String> {
    reference.country_by_code(code).ok_or_else(|| {
        with_hint(
            format!("unknown country code {} (expected ISO 3166-1 alpha-2 or alpha-3)", fields::shown(code)),
            country_hint(reference, code),
        )
    })
}

/// What to suggest for `text` that is no country code, if anything.
pub(super) fn country_hint(reference: &Reference, text: &str) -> Option<String> {
    if let Some(idx) = reference.country_by_name(text) {
        let c = reference.country(idx);
        return Some(format!("write {} for {}", c.alpha3, fields::shown(text)));
    }
    if user_assigned(text) {
        return Some(format!(
            "{} is a user-assigned code, not part of ISO 3166-1; the UN country table this tool uses has no row \
             for it, so it cannot be placed in an M49 area",
            text.to_ascii_uppercase()
        ));
    }
    if text.len() <= 3 || text.contains(',') {
        // Three letters are a code, and a code one letter off is as likely another country as a slip.
        return None;
    }
    let names = reference.countries().iter().map(|c| c.short_name("en"));
    let name = suggest::closest(text, names)?;
    let c = reference.countries().iter().find(|c| c.short_name("en") == name)?;
    Some(format!("did you mean {} ({name})?", c.alpha3))
}

/// An M49 area by code (`2`, `002`) or by English (any case) or Chinese name, as the scenarios file accepts.
pub(super) fn area(reference: &Reference, text: &str) -> Result<u16, String> {
    if text.bytes().all(|b| b.is_ascii_digit()) {
        let code = fields::int_in_range(text, 1, 999)
            .map_err(|_| format!("expected an M49 area code or name, found {}", fields::shown(text)))?;
        return reference
            .area(code as u16)
            .map(|_| code as u16)
            .ok_or_else(|| format!("unknown M49 area code {}", fields::shown(text)));
    }
    if let Some(a) = reference.area_by_name(text) {
        return Ok(a.m49);
    }
    let names = reference.areas().iter().map(|a| a.name_en.as_str());
    let hint = suggest::closest(text, names).and_then(|name| {
        let a = reference.areas().iter().find(|a| a.name_en == name)?;
        Some(format!("did you mean {} ({name})?", a.m49))
    });
    Err(with_hint(format!("expected an M49 area code or name, found {}", fields::shown(text)), hint))
}

/// A commitment by code, any case; otherwise an error with the closest code.
pub(super) fn commitment(reference: &Reference, code: &str) -> Result<CommitmentIdx, String> {
    reference.commitment_by_code(code).ok_or_else(|| {
        let hint = if code.contains(',') {
            None
        } else {
            let codes = reference.commitments().iter().map(|c| c.code.as_str());
            suggest::closest(code, codes).map(|known| format!("did you mean {known}?"))
        };
        with_hint(format!("unknown commitment code {} (see `poa-match commitments`)", fields::shown(code)), hint)
    })
}

/// A kind; otherwise the usual error with the closest kind.
pub(super) fn kind(text: &str) -> Result<Kind, String> {
    fields::enum_value(text, Kind::parse, Kind::expected).map_err(|why| {
        let known = Kind::expected();
        let hint = if text.contains(',') { None } else { suggest::closest(text, known.split(", ")) };
        with_hint(why, hint.map(|k| format!("did you mean {k}?")))
    })
}

/// The hint for an organisation code given as a State requester.
pub(super) fn organisation_hint(text: &str) -> Option<String> {
    let looks_like_org = text.len() > 3 && fields::org_code(text).is_ok();
    looks_like_org.then(|| {
        format!("if {text} is a regional organisation, set requester_type to regional_org and give its region")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_user_assigned_codes() {
        for code in ["XKX", "xk", "AA", "QM", "QZZ", "ZZ", "ZZA"] {
            assert!(user_assigned(code), "{code}");
        }
        for code in ["KEN", "KE", "QA", "ZA", "ZAF", "XKXX", "X1"] {
            assert!(!user_assigned(code), "{code}");
        }
    }
}
