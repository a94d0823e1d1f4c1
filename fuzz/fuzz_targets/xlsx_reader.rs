//! needs.xlsx from arbitrary bytes: never a panic, only needs that keep the column dictionary's rules, or data
//! errors of one line each, at the file or at a cell of a sheet.
//!
//! Bytes mutated inside a zip archive mostly break its checksums, which would keep the fuzzer at the archive's
//! surface. So the first byte chooses: even, the bytes are the workbook file as they are; odd, the rest is the XML
//! of a worksheet and of its shared strings (split at the first 0xFF byte, which UTF-8 never holds), wrapped in a
//! well-formed workbook, so that the sheet reader itself meets the mutations.

#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;
use poa_match::catalog::Reference;
use poa_match::error::ErrorKind;
use poa_match::io::{ReadOptions, read_needs};
use poa_match::model::MAX_AMOUNT_USD;

const LABEL: &str = "fuzz/needs.xlsx";

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="needs" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

/// A workbook whose one sheet and shared strings are `sheet` and `strings`.
fn wrapped(sheet: &[u8], strings: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let parts: [(&str, &[u8]); 6] = [
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", ROOT_RELS.as_bytes()),
        ("xl/workbook.xml", WORKBOOK.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/sharedStrings.xml", strings),
    ];
    for (name, bytes) in parts {
        zip.start_file(name, stored).expect("an entry starts");
        zip.write_all(bytes).expect("an entry is written");
    }
    zip.finish().expect("the archive is written").into_inner()
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let bytes = if mode % 2 == 0 {
        rest.to_vec()
    } else {
        let split = rest.iter().position(|&b| b == 0xFF).unwrap_or(rest.len());
        wrapped(&rest[..split], rest.get(split + 1..).unwrap_or_default())
    };
    let options = ReadOptions { allow_extra_columns: mode & 2 == 2, error_limit: 20, ..ReadOptions::default() };
    match read_needs(LABEL, &bytes[..], Reference::embedded(), options) {
        Ok(needs) => {
            for n in &needs {
                let amount = n.amount.get();
                assert!(amount > 0 && amount <= MAX_AMOUNT_USD);
                assert!(!n.commitments.is_empty() && !n.kinds.is_empty());
            }
        }
        Err(e) => match e.kind() {
            ErrorKind::InvalidData { errors, .. } => {
                assert!(!errors.is_empty());
                for error in errors {
                    let text = error.to_string();
                    assert_eq!(error.location.path, LABEL);
                    assert!(text.starts_with(&format!("{LABEL}:")), "{text}");
                    assert!(!text.contains('\n') && !text.contains('\r') && !text.contains('\0'), "{text:?}");
                    assert!(text.len() < 2000, "a message of {} bytes", text.len());
                }
            }
            _ => panic!("reading a workbook from memory gave a non-data error: {e}"),
        },
    }
});
