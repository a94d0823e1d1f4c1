//! Recognises the files a spreadsheet writes when it is not asked for CSV UTF-8 with commas, so that the reader can
//! say what happened and how to fix it in one error instead of a screenful about garbled column names.
//!
//! These files are refused, not read: a guess at an encoding or a delimiter that is wrong would turn into silently
//! wrong codes and amounts, while the fix (Save As "CSV UTF-8") takes a user one step.

/// How to get the file this tool reads out of a spreadsheet; every hint below ends with it.
pub const SAVE_AS: &str = "in Excel use File > Save As > \"CSV UTF-8 (Comma delimited) (*.csv)\"; in LibreOffice \
                           choose the character set \"Unicode (UTF-8)\" and the field delimiter ','";

/// The problem with the first bytes of a file, if they show that it is UTF-16.
pub fn utf16(prefix: &[u8]) -> Option<String> {
    let with_bom = prefix.starts_with(&[0xFF, 0xFE]) || prefix.starts_with(&[0xFE, 0xFF]);
    // Without a byte-order mark, UTF-16 text of ASCII names pairs a NUL with a letter in almost every two bytes; a
    // CSV has no such pairs (and a file of nothing but NULs is not text of any encoding, so it is left to the reader).
    let sample = &prefix[..prefix.len().min(64)];
    let pairs = sample.chunks_exact(2).filter(|p| (p[0] == 0) != (p[1] == 0)).count();
    let without_bom = sample.len() >= 8 && pairs * 4 >= sample.len() / 2 * 3;
    (with_bom || without_bom).then(|| {
        format!(
            "the file is encoded as UTF-16 (what Excel saves as \"Unicode text\"), but this tool reads UTF-8 \
             (hint: {SAVE_AS})"
        )
    })
}

/// The hint added to the first invalid UTF-8 in a file: such bytes almost always mean a legacy 8-bit encoding.
pub fn not_utf8_hint() -> String {
    format!("(hint: the file is not UTF-8, probably Latin-1 or Windows-1252; {SAVE_AS})")
}

/// The delimiter the header uses instead of `,`, if one of its names holds `;` or a tab between known column
/// names: `is_known` says whether a piece is a column name of the table.
pub fn other_delimiter<'n>(names: impl IntoIterator<Item = &'n str>, is_known: impl Fn(&str) -> bool) -> Option<char> {
    for name in names {
        for delimiter in [';', '\t'] {
            let mut pieces = name.split(delimiter);
            let known = pieces.clone().filter(|p| is_known(p.trim())).count();
            if pieces.nth(1).is_some() && known >= 1 {
                return Some(delimiter);
            }
        }
    }
    None
}

/// The error for a header separated by `delimiter`.
pub fn delimiter_message(delimiter: char) -> String {
    let shown = if delimiter == '\t' { "tabs" } else { "';'" };
    format!(
        "the columns are separated by {shown}, but this tool reads comma-separated files (a spreadsheet set to a \
         locale that writes decimal commas uses ';') (hint: {SAVE_AS})"
    )
}

/// The problem with the first bytes of a file read as CSV, if they show that it is a workbook: workbooks are read
/// by their extension, so one under another name (`needs.csv` saved from Excel as a workbook) would otherwise give
/// a screenful about binary column names.
pub fn workbook(prefix: &[u8]) -> Option<String> {
    let kind = if prefix.starts_with(b"PK\x03\x04") {
        ".xlsx, .xlsm or .ods"
    } else if prefix.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        ".xls"
    } else {
        return None;
    };
    Some(format!(
        "the file is a workbook, not CSV text, but its name does not end in a workbook extension (hint: name it \
         with its extension ({kind}) to read it as a workbook, or {SAVE_AS})"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_workbooks_under_a_csv_name() {
        assert!(workbook(b"PK\x03\x04\x14\0").unwrap().contains(".xlsx"));
        assert!(workbook(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]).unwrap().contains(".xls)"));
        assert!(workbook(b"need_id,requester\n").is_none());
        assert!(workbook(b"PK").is_none());
    }

    #[test]
    fn recognises_utf16_with_and_without_a_mark() {
        assert!(utf16(b"\xFF\xFEn\0e\0").is_some());
        assert!(utf16(b"n\0e\0e\0d\0_\0i\0d\0").is_some());
        assert!(utf16(b"need_id,requester\n").is_none());
        assert!(utf16(b"").is_none());
        assert!(utf16(&[0; 64]).is_none());
    }

    #[test]
    fn recognises_other_delimiters() {
        let known = |p: &str| p == "need_id" || p == "kinds";
        assert_eq!(other_delimiter(["need_id;kinds"], known), Some(';'));
        assert_eq!(other_delimiter(["need_id\tkinds"], known), Some('\t'));
        assert_eq!(other_delimiter(["need_id", "kinds"], known), None);
        assert_eq!(other_delimiter(["a;b"], known), None);
    }
}
