//! The library's error type.
//!
//! Errors fall into four groups that map onto the exit codes of docs/spec.md §8: bad input data (3), bad usage (2),
//! I/O failures (1) and internal errors (1, "please report"). Data errors carry a [`Location`] so the user can go
//! straight to the offending cell.

use std::fmt;
use std::path::PathBuf;

/// Where in an input file a data error was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file as the user named it.
    pub path: String,
    /// The worksheet, when the file is a workbook: then `line` is the sheet's row number and `column` its column
    /// number (both 1-based, counted from the sheet's corner, not from the table's), shown as a cell address.
    pub sheet: Option<String>,
    /// 1-based physical line where the record starts (a workbook's row); 0, with column 0, for the file as a whole.
    pub line: u64,
    /// 1-based field number (the header position of the field; a workbook's column).
    pub column: usize,
    /// The column name, when the error concerns one field.
    pub field: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sheet {
            _ if self.line == 0 && self.column == 0 => write!(f, "{}:", self.path)?,
            None => write!(f, "{}:{}:{}:", self.path, self.line, self.column)?,
            Some(sheet) => {
                write!(f, "{}:{}!{}{}:", self.path, SheetName(sheet), column_letters(self.column), self.line)?
            }
        }
        if let Some(field) = &self.field {
            // Column names come from the file: escape them so one error stays one line, and cut a long one short.
            const SHOWN: usize = 60;
            let cut = field.char_indices().nth(SHOWN).map_or(field.len(), |(at, _)| at);
            let more = if cut < field.len() { "..." } else { "" };
            write!(f, " field '{}{more}':", field[..cut].escape_debug())?;
        }
        Ok(())
    }
}

impl Location {
    /// A place in a CSV file: line and field number.
    pub fn in_csv(path: &str, line: u64, column: usize, field: Option<&str>) -> Location {
        Location { path: path.to_string(), sheet: None, line, column, field: field.map(str::to_string) }
    }

    /// The file as a whole (one that cannot be read as a table at all), shown as `PATH:`.
    pub fn whole_file(path: &str) -> Location {
        Location { path: path.to_string(), sheet: None, line: 0, column: 0, field: None }
    }
}

/// A sheet name as a cell reference spells it: bare when it is letters, digits and `_` not starting with a digit,
/// else in single quotes with any quote doubled (`'My needs'!G7`). Control characters, which Excel never puts in a
/// name but a crafted file may, are escaped so that an error stays one line.
struct SheetName<'a>(&'a str);

impl fmt::Display for SheetName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.0;
        let letters = name.trim_end_matches(|c: char| c.is_ascii_digit());
        // A name such as `AB12` reads as a cell address (columns have at most three letters), so Excel quotes it.
        let like_a_cell = letters.len() < name.len()
            && (1..=3).contains(&letters.len())
            && letters.chars().all(|c| c.is_ascii_alphabetic());
        let bare = name.starts_with(|c: char| c.is_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_alphanumeric() || c == '_')
            && !like_a_cell;
        if bare {
            return f.write_str(name);
        }
        f.write_str("'")?;
        for c in name.chars() {
            match c {
                '\'' => f.write_str("''")?,
                c if c.is_control() => write!(f, "{}", c.escape_debug())?,
                c => write!(f, "{c}")?,
            }
        }
        f.write_str("'")
    }
}

/// A 1-based column number as spreadsheet letters: 1 is `A`, 26 `Z`, 27 `AA`.
pub fn column_letters(column: usize) -> String {
    let mut n = column.max(1);
    let mut letters = Vec::new();
    while n > 0 {
        n -= 1;
        letters.push(char::from(b'A' + (n % 26) as u8));
        n /= 26;
    }
    letters.iter().rev().collect()
}

/// One problem with one place in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    /// Where it is.
    pub location: Location,
    /// What is wrong and what was expected, as a sentence fragment.
    pub message: String,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.location, self.message)
    }
}

/// The kinds of error that the library reports.
#[derive(Debug)]
pub enum ErrorKind {
    /// Input data broke the contract of docs/spec.md §3. Every problem found (up to a limit) is listed;
    /// `more` counts the ones left out. Exit code 3.
    InvalidData {
        /// The problems, in file order.
        errors: Vec<DataError>,
        /// How many further problems were found but not kept.
        more: usize,
    },
    /// A file could not be read or written. Exit code 1.
    Io {
        /// The file concerned.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The options do not make sense together (for example an unknown method). Exit code 2.
    Usage(String),
    /// A check of the engine's own results failed: a bug. Exit code 1.
    Internal(String),
}

/// The library's error: a boxed [`ErrorKind`] so that `Result<T, Error>` stays one word wide.
#[derive(Debug)]
pub struct Error(Box<ErrorKind>);

impl Error {
    /// Wraps a kind.
    pub fn new(kind: ErrorKind) -> Error {
        Error(Box::new(kind))
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::new(ErrorKind::Io { path: path.into(), source })
    }

    /// A usage error with a message that says what to fix.
    pub fn usage(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Usage(message.into()))
    }

    /// An internal error: the engine caught itself producing something wrong.
    pub fn internal(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Internal(message.into()))
    }

    /// Data errors collected while reading.
    pub fn invalid_data(errors: Vec<DataError>, more: usize) -> Error {
        Error::new(ErrorKind::InvalidData { errors, more })
    }

    /// The process exit code that docs/spec.md §8 assigns to this error.
    pub fn exit_code(&self) -> u8 {
        match self.kind() {
            ErrorKind::InvalidData { .. } => 3,
            ErrorKind::Usage(_) => 2,
            ErrorKind::Io { .. } | ErrorKind::Internal(_) => 1,
        }
    }

    /// The first location of a data error, if this is one.
    pub fn location(&self) -> Option<&Location> {
        match self.kind() {
            ErrorKind::InvalidData { errors, .. } => errors.first().map(|e| &e.location),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind() {
            ErrorKind::InvalidData { errors, more } => {
                let total = errors.len() + more;
                let noun = if total == 1 { "error" } else { "errors" };
                writeln!(f, "invalid input data ({total} {noun}):")?;
                for e in errors {
                    writeln!(f, "{e}")?;
                }
                if *more > 0 {
                    writeln!(f, "... and {more} more")?;
                }
                Ok(())
            }
            ErrorKind::Io { path, source } => write!(f, "{}: {source}", path.display()),
            ErrorKind::Usage(m) => write!(f, "{m}"),
            ErrorKind::Internal(m) => write!(f, "internal error, please report: {m}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self.kind() {
            ErrorKind::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Shorthand used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    fn at(sheet: Option<&str>, line: u64, column: usize) -> String {
        let location = Location {
            path: "in.xlsx".into(),
            sheet: sheet.map(str::to_string),
            line,
            column,
            field: Some("amount_usd".into()),
        };
        location.to_string()
    }

    #[test]
    fn csv_places_are_line_and_field_numbers() {
        assert_eq!(at(None, 7, 3), "in.xlsx:7:3: field 'amount_usd':");
        assert_eq!(Location::whole_file("in.xlsx").to_string(), "in.xlsx:");
    }

    #[test]
    fn sheet_places_are_cell_addresses_quoted_the_excel_way() {
        assert_eq!(at(Some("needs"), 7, 7), "in.xlsx:needs!G7: field 'amount_usd':");
        assert_eq!(at(Some("Sheet1"), 1, 26), "in.xlsx:Sheet1!Z1: field 'amount_usd':");
        assert_eq!(at(Some("My needs"), 2, 27), "in.xlsx:'My needs'!AA2: field 'amount_usd':");
        assert_eq!(at(Some("O'Brien"), 2, 1), "in.xlsx:'O''Brien'!A2: field 'amount_usd':");
        assert_eq!(at(Some("AB12"), 2, 1), "in.xlsx:'AB12'!A2: field 'amount_usd':");
        assert_eq!(at(Some("2013"), 2, 1), "in.xlsx:'2013'!A2: field 'amount_usd':");
        assert_eq!(at(Some("a\nb"), 2, 1), "in.xlsx:'a\\nb'!A2: field 'amount_usd':");
    }

    #[test]
    fn column_numbers_become_letters() {
        let cases =
            [(1, "A"), (26, "Z"), (27, "AA"), (52, "AZ"), (53, "BA"), (702, "ZZ"), (703, "AAA"), (16384, "XFD")];
        for (n, letters) in cases {
            assert_eq!(column_letters(n), letters, "{n}");
        }
    }
}
