//! Where two files first differ, told as a line, a column and an excerpt of each side, for `replay`'s verdicts on
//! text outputs (`compare`) and on the parts of a workbook (`workbook`).

/// Characters of each side shown around a difference.
pub(super) const EXCERPT: usize = 72;

/// Where a re-run's file first differs from the published one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// 1-based line of the published file.
    pub line: usize,
    /// 1-based column (in characters) of the first differing character.
    pub column: usize,
    /// The published text around the difference (`None` past the end of the file).
    pub published: Option<String>,
    /// The re-run's text around the difference (`None` past the end of the file).
    pub rerun: Option<String>,
    /// For run.json, the key the differing line lies under, dotted (`options.method`); for a workbook, the part
    /// that differs (`xl/worksheets/sheet1.xml`).
    pub key: Option<String>,
}

/// The first difference of two byte strings, by line and column of the first.
pub fn byte_difference(published: &[u8], rerun: &[u8]) -> Option<Difference> {
    if published == rerun {
        return None;
    }
    let at = published.iter().zip(rerun).position(|(a, b)| a != b).unwrap_or(published.len().min(rerun.len()));
    let line_start = published[..at].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let line = published[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&published[line_start..at]).chars().count() + 1;
    // Both sides agree up to `at`, so the line starts at the same byte in each.
    let side = |bytes: &[u8]| {
        (line_start < bytes.len()).then(|| {
            let rest = &bytes[line_start..];
            let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
            excerpt(&String::from_utf8_lossy(&rest[..end]), column)
        })
    };
    Some(Difference { line, column, published: side(published), rerun: side(rerun), key: None })
}

/// Up to [`EXCERPT`] characters of `line` around 1-based `column`, with `…` where it is cut.
pub(super) fn excerpt(line: &str, column: usize) -> String {
    let chars: Vec<char> = line.chars().collect();
    let start = column.saturating_sub(EXCERPT / 3 + 1).min(chars.len());
    let end = (start + EXCERPT).min(chars.len());
    let mut text: String = chars[start..end].iter().collect();
    if start > 0 {
        text.insert(0, '…');
    }
    if end < chars.len() {
        text.push('…');
    }
    text
}
