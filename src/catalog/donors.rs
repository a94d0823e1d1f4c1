//! Donors' names: the optional table (`data/donors.csv`, or `--donors-file`) that names the funds and bodies that
//! offers cite by code (`UNSCAR`, `WB_SALW_TF`), so that pages can show a name where they would show a code.
//! States need no row: the country table names them. The table plays no part in matching.

use crate::error::Result;
use crate::model::DonorType;
use crate::records::{ColumnSpec, ErrorSink, SheetChoice, TableSpec, read_table_from};

/// One row of the donor table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Donor {
    /// The code offers write in their `donor` column, exactly.
    pub code: String,
    /// English name.
    pub name_en: String,
    /// Chinese name (may be blank: the English name is shown instead).
    pub name_zh: String,
    /// What kind of body it is, when the table says.
    pub donor_type: Option<DonorType>,
}

impl Donor {
    /// The name in the requested language (`zh` or anything else for English).
    pub fn name(&self, lang: &str) -> &str {
        if lang == "zh" && !self.name_zh.is_empty() { &self.name_zh } else { &self.name_en }
    }
}

const DONOR_COLUMNS: &[ColumnSpec] = &[
    ColumnSpec::required("code"),
    ColumnSpec::required("name_en"),
    ColumnSpec::required("name_zh"),
    ColumnSpec::required("type"),
];

/// The longest code or name accepted: a name is shown in a table cell, not a paragraph.
const MAX_CHARS: usize = 200;

/// Reads a donor table: CSV, or a workbook's sheet named `donors` (else its first).
pub(super) fn read_donors(path: &str, bytes: &[u8], sink: &mut ErrorSink) -> Result<Vec<Donor>> {
    let spec = TableSpec { columns: DONOR_COLUMNS, allow_extra_columns: true };
    let mut out: Vec<Donor> = Vec::new();
    read_table_from(path, bytes, spec, SheetChoice::Table("donors"), sink, |row, sink| {
        let code = row.get("code").unwrap_or("").to_string();
        if code.is_empty() {
            row.error(sink, "code", "a donor code is required");
        } else if out.iter().any(|d| d.code == code) {
            row.error(sink, "code", format!("duplicate donor {code:?}"));
        }
        let name_en = row.get("name_en").unwrap_or("").to_string();
        if name_en.is_empty() {
            row.error(sink, "name_en", "an English name is required");
        }
        let name_zh = row.get("name_zh").unwrap_or("").to_string();
        for (field, value) in [("code", &code), ("name_en", &name_en), ("name_zh", &name_zh)] {
            if value.chars().count() > MAX_CHARS {
                row.error(sink, field, format!("at most {MAX_CHARS} characters, found {}", value.chars().count()));
            }
        }
        let donor_type = match row.get("type") {
            None => None,
            Some(text) => {
                let parsed = DonorType::parse(text);
                if parsed.is_none() {
                    row.error(sink, "type", format!("expected one of {}, found {text:?}", DonorType::expected()));
                }
                parsed
            }
        };
        out.push(Donor { code, name_en, name_zh, donor_type });
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::DEFAULT_ERROR_LIMIT;

    fn read(text: &str) -> std::result::Result<Vec<Donor>, String> {
        let mut sink = ErrorSink::new(DEFAULT_ERROR_LIMIT);
        let donors = read_donors("donors.csv", text.as_bytes(), &mut sink).map_err(|e| e.to_string())?;
        sink.into_result().map_err(|e| e.to_string())?;
        Ok(donors)
    }

    #[test]
    fn reads_names_and_types_and_reports_bad_rows_with_their_place() {
        let donors =
            read("code,name_en,name_zh,type\nUNSCAR,UN Trust Facility,联合国信托基金,fund\nX,Only English,,\n")
                .expect("a good table");
        assert_eq!(donors[0].name("zh"), "联合国信托基金");
        assert_eq!(donors[0].donor_type, Some(DonorType::Fund));
        assert_eq!(donors[1].name("zh"), "Only English", "no Chinese name: the English one");
        assert_eq!(donors[1].donor_type, None);

        // Row 4 has a code but no name (a row of nothing but empty cells is skipped like a blank line).
        let err = read("code,name_en,name_zh,type\nA,One,,fund\nA,Two,,bank\nB,,,\n").unwrap_err();
        assert!(err.contains("donors.csv:3:1: field 'code': duplicate donor \"A\""), "{err}");
        assert!(err.contains("donors.csv:3:4: field 'type': expected one of state, fund"), "{err}");
        assert!(err.contains("donors.csv:4:2: field 'name_en': an English name is required"), "{err}");
        let err = read("code,name_en\nA,One\n").unwrap_err();
        assert!(err.contains("required column is missing"), "{err}");
    }
}
