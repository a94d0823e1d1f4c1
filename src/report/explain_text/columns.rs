//! Text laid out in columns by display width, so that a table stays straight whatever the lengths of its codes
//! and whatever their script (a Chinese character takes two columns of a terminal, a Latin letter one).

use unicode_width::UnicodeWidthStr;

/// How a column's cells sit in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text: against the left edge.
    Left,
    /// Amounts: against the right edge.
    Right,
    /// The last column: not padded.
    Ragged,
}

/// The columns a text takes on a terminal.
pub fn width(text: &str) -> usize {
    text.width()
}

/// `text` padded with spaces to `columns` display columns.
pub fn pad(text: &str, columns: usize, align: Align) -> String {
    let fill = " ".repeat(columns.saturating_sub(width(text)));
    match align {
        Align::Left => format!("{text}{fill}"),
        Align::Right => format!("{fill}{text}"),
        Align::Ragged => text.to_string(),
    }
}

/// The widest cell of each column.
pub fn widths<const N: usize>(rows: &[[String; N]]) -> [usize; N] {
    let mut widths = [0; N];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    widths
}

/// One line of a table: each cell after two spaces, padded to its column's width, trailing spaces cut.
pub fn line<const N: usize>(cells: &[String; N], widths: &[usize; N], align: &[Align; N]) -> String {
    let mut text = String::new();
    for ((cell, &w), &a) in cells.iter().zip(widths).zip(align) {
        text.push_str("  ");
        text.push_str(&pad(cell, w, a));
    }
    text.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_take_two_columns() {
        let rows = [["援助-1".to_string(), "5".to_string()], ["AB".to_string(), "1,000".to_string()]];
        let w = widths(&rows);
        assert_eq!(w, [6, 5]);
        let align = [Align::Left, Align::Right];
        assert_eq!(line(&rows[0], &w, &align), "  援助-1      5");
        assert_eq!(line(&rows[1], &w, &align), "  AB      1,000");
    }
}
