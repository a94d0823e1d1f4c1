//! CSV tables written as workbooks the way a spreadsheet user's would be: whole numbers as numbers, `YYYY-MM-DD`
//! as date cells, `true`/`false` as booleans, everything else as text. Used by the xlsx tests and by
//! `examples/csv_to_xlsx.rs` (which includes this file), so the benchmark reads the same kind of file as the tests.
#![allow(dead_code)]

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};

/// How one CSV field goes into a cell.
enum Typed<'a> {
    Blank,
    Number(f64),
    Date(ExcelDateTime),
    Boolean(bool),
    Text(&'a str),
}

/// A field as a spreadsheet would hold it when typed in. Digits with a leading zero stay text, as Excel keeps them
/// only when typed as text.
fn typed(field: &str) -> Typed<'_> {
    let digits = !field.is_empty() && field.len() <= 15 && field.bytes().all(|b| b.is_ascii_digit());
    let date = field.len() == 10
        && field.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    if field.is_empty() {
        Typed::Blank
    } else if digits && (field == "0" || !field.starts_with('0')) {
        Typed::Number(field.parse().expect("digits"))
    } else if let Some(when) = date.then(|| ExcelDateTime::parse_from_str(field).ok()).flatten() {
        Typed::Date(when)
    } else if field == "true" || field == "false" {
        Typed::Boolean(field == "true")
    } else {
        Typed::Text(field)
    }
}

/// Writes the CSV `text` into `sheet`, its header row at 0-based (`top`, `left`).
pub fn fill_sheet(sheet: &mut Worksheet, text: &str, (top, left): (u32, u16)) {
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    for (r, record) in reader.records().enumerate() {
        let record = record.expect("the CSV is well formed");
        let row = top + r as u32;
        for (c, field) in record.iter().enumerate() {
            let column = left + c as u16;
            let written = match typed(field) {
                Typed::Blank => continue,
                Typed::Number(n) => sheet.write_number(row, column, n).map(|_| ()),
                Typed::Date(when) => sheet.write_datetime_with_format(row, column, &when, &date_format).map(|_| ()),
                Typed::Boolean(b) => sheet.write_boolean(row, column, b).map(|_| ()),
                Typed::Text(t) => sheet.write_string(row, column, t).map(|_| ()),
            };
            written.expect("the cell is written");
        }
    }
}

/// A workbook with one sheet per `(name, csv)`, in order.
pub fn xlsx(sheets: &[(&str, &str)]) -> Vec<u8> {
    let mut book = Workbook::new();
    for (name, text) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).expect("a valid sheet name");
        fill_sheet(sheet, text, (0, 0));
    }
    book.save_to_buffer().expect("the workbook is written")
}

/// An OpenDocument spreadsheet with one sheet per `(name, csv)`, written by hand in the structure the OpenDocument
/// standard sets out (a stored `mimetype` first, a manifest, the cells in `content.xml`), since no ODS writer is
/// among the project's dependencies. Cells are typed as in [`xlsx`].
pub fn ods(sheets: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let mut content = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content \
         xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
         <office:body><office:spreadsheet>",
    );
    for (name, text) in sheets {
        content.push_str(&format!("<table:table table:name=\"{}\">", escape(name)));
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
        for record in reader.records() {
            content.push_str("<table:table-row>");
            for field in record.expect("the CSV is well formed").iter() {
                let shown = escape(field);
                let cell = match typed(field) {
                    Typed::Blank => "<table:table-cell/>".to_string(),
                    Typed::Number(_) => format!("office:value-type=\"float\" office:value=\"{field}\""),
                    Typed::Date(_) => format!("office:value-type=\"date\" office:date-value=\"{field}\""),
                    Typed::Boolean(_) => format!("office:value-type=\"boolean\" office:boolean-value=\"{field}\""),
                    Typed::Text(_) => "office:value-type=\"string\"".to_string(),
                };
                if cell.starts_with('<') {
                    content.push_str(&cell);
                } else {
                    content.push_str(&format!("<table:table-cell {cell}><text:p>{shown}</text:p></table:table-cell>"));
                }
            }
            content.push_str("</table:table-row>");
        }
        content.push_str("</table:table>");
    }
    content.push_str("</office:spreadsheet></office:body></office:document-content>");
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest \
                    xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
                    <manifest:file-entry manifest:full-path=\"/\" \
                    manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
                    <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
                    </manifest:manifest>";
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let files = [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet", stored),
        ("META-INF/manifest.xml", manifest, deflated),
        ("content.xml", content.as_str(), deflated),
    ];
    for (name, text, options) in files {
        zip.start_file(name, options).expect("a zip entry starts");
        zip.write_all(text.as_bytes()).expect("a zip entry is written");
    }
    zip.finish().expect("the zip is written").into_inner()
}

/// Text as XML character data or an attribute value.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// `bytes`, an xlsx archive, with `from` replaced by `to` in the XML of its first worksheet: how a test puts in a
/// cell that the writer cannot make (an error value typed as a constant).
pub fn patch_first_sheet(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an xlsx is a zip archive");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("an entry");
        let name = entry.name().expect("an entry name").to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).expect("an entry is read");
        if name == "xl/worksheets/sheet1.xml" {
            let text = String::from_utf8(data).expect("XML is UTF-8");
            assert!(text.contains(from), "the sheet holds {from:?}: {text}");
            data = text.replace(from, to).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).expect("a zip entry starts");
        out.write_all(&data).expect("a zip entry is written");
    }
    out.finish().expect("the zip is written").into_inner()
}
