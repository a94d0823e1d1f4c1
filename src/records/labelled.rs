//! Codes written with their labels, as the drop-down lists of `poa-match template` offer them: `ITI-2a — <title>`,
//! `KEN — Kenya`, `002 — Africa` (docs/spec.md §8, data/README.md). A person who picks such an entry sends the
//! whole line; the readers take the code and check that the label is that code's own, so a label copied beside
//! the wrong code is caught instead of trusted.

use std::borrow::Cow;

use super::fields::shown;

/// What separates a code from its label: an em dash between two spaces.
pub const SEPARATOR: &str = " — ";

/// A title or name as a label writes it: a `;` in it becomes `,`, since `;` separates the items of a list cell.
pub fn label_text(title: &str) -> Cow<'_, str> {
    if title.contains(';') { Cow::Owned(title.replace(';', ",")) } else { Cow::Borrowed(title) }
}

/// Parses `text` as a code with `parse`, the code alone or followed by [`SEPARATOR`] and one of the labels that
/// `labels` gives for it (its title or name in English or Chinese), as [`label_text`] writes it. A label that is
/// not the code's own is an error naming both.
pub fn labelled<'l, T>(
    text: &str,
    parse: impl FnOnce(&str) -> Result<T, String>,
    labels: impl FnOnce(&T) -> Vec<&'l str>,
) -> Result<T, String> {
    let Some((code, label)) = text.split_once(SEPARATOR) else { return parse(text) };
    let (code, label) = (code.trim(), label.trim());
    let value = parse(code)?;
    let own: Vec<Cow<'_, str>> = labels(&value).into_iter().map(label_text).collect();
    if own.iter().any(|own| own == label) {
        return Ok(value);
    }
    Err(match own.first() {
        Some(first) => format!(
            "{} is labelled {} but its own label is {} (hint: pick the entry from the list, or write the code alone)",
            shown(code),
            shown(label),
            shown(first)
        ),
        None => format!(
            "{} is labelled {} but has no label to check it against (hint: write the code alone)",
            shown(code),
            shown(label)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(code: &str) -> Result<u32, String> {
        match code {
            "KEN" => Ok(404),
            "ECOWAS" => Ok(0),
            other => Err(format!("unknown code {other}")),
        }
    }

    fn names(value: &u32) -> Vec<&'static str> {
        if *value == 404 { vec!["Kenya", "肯尼亚"] } else { vec![] }
    }

    #[test]
    fn a_code_alone_or_with_its_own_label_is_read() {
        assert_eq!(labelled("KEN", parse, names), Ok(404));
        assert_eq!(labelled("KEN — Kenya", parse, names), Ok(404));
        assert_eq!(labelled("KEN — 肯尼亚", parse, names), Ok(404));
        let titled = |_: &u32| vec!["Mark weapons; restore markings"];
        assert_eq!(labelled("KEN — Mark weapons, restore markings", parse, titled), Ok(404));
    }

    #[test]
    fn a_wrong_label_names_both_and_a_bad_code_is_the_codes_error() {
        let err = labelled("KEN — Uganda", parse, names).unwrap_err();
        assert!(err.contains("\"KEN\"") && err.contains("\"Uganda\"") && err.contains("\"Kenya\""), "{err}");
        assert_eq!(labelled("UGX — Uganda", parse, names), Err("unknown code UGX".to_string()));
        let err = labelled("ECOWAS — Economic Community", parse, names).unwrap_err();
        assert!(err.contains("no label"), "{err}");
        // A plain hyphen is no separator: the whole text goes to the code's parser.
        assert!(labelled("KEN - Kenya", parse, names).is_err());
    }
}
