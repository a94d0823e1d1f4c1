//! A workbook's first difference told as a person can read it: a workbook is a zip of XML parts, so two that
//! differ are opened and compared part by part, and the difference is placed at the line and column of the
//! first part that differs, named as its key (`xl/worksheets/sheet2.xml`), rather than in compressed bytes.

use std::io::{Cursor, Read};

use super::difference::{Difference, byte_difference};

/// A zip's parts in order: name and content.
fn parts(bytes: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut parts = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).ok()?;
        let mut content = Vec::new();
        entry.read_to_end(&mut content).ok()?;
        let name = entry.name().ok()?.to_string();
        parts.push((name, content));
    }
    Some(parts)
}

/// The content of a part named `name`; a part of another name reads as an empty one.
fn content<'a>(part: Option<&'a (String, Vec<u8>)>, name: &Option<String>) -> &'a [u8] {
    part.filter(|p| Some(&p.0) == name.as_ref()).map_or(&[][..], |p| p.1.as_slice())
}

/// The first difference of two workbooks, inside the first part that differs; `None` when either is not a zip
/// or when their parts agree (the zips then differ only in how they are packed).
pub fn workbook_difference(published: &[u8], rerun: &[u8]) -> Option<Difference> {
    let (published, rerun) = (parts(published)?, parts(rerun)?);
    for index in 0..published.len().max(rerun.len()) {
        let (a, b) = (published.get(index), rerun.get(index));
        if a == b {
            continue;
        }
        let name = a.or(b).map(|(name, _)| name.clone());
        let mut difference = byte_difference(content(a, &name), content(b, &name)).unwrap_or(Difference {
            line: 1,
            column: 1,
            published: a.map(|p| p.0.clone()),
            rerun: b.map(|p| p.0.clone()),
            key: None,
        });
        difference.key = name;
        return Some(difference);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::outputs::{Cell, Table};
    use crate::io::workbook::render_workbook;

    fn book(amount: i128) -> Vec<u8> {
        let table = Table {
            name: "summary",
            header: vec!["key", "requested_usd"],
            rows: vec![vec![Cell::Text("total".into()), Cell::Int(amount)]],
        };
        render_workbook(&[table]).unwrap()
    }

    #[test]
    fn a_changed_figure_is_found_in_its_sheet() {
        let d = workbook_difference(&book(1000), &book(2000)).unwrap();
        assert_eq!(d.key.as_deref(), Some("xl/worksheets/sheet1.xml"));
        assert!(d.published.unwrap().contains("1000") && d.rerun.unwrap().contains("2000"));
        assert!(workbook_difference(&book(1000), &book(1000)).is_none());
        assert!(workbook_difference(b"not a zip", &book(1000)).is_none());
    }
}
