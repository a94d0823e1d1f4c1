//! Checks shared by the fuzz targets.

#![allow(dead_code)]

use std::io::Read;

use poa_match::Error;
use poa_match::error::ErrorKind;

/// A reader that hands out at most `step` bytes per call, so that every boundary case of the record reader's
/// buffer (a CR LF split in two, a byte-order mark cut short, a quote at the end of a chunk) is met.
pub struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
}

impl<'a> Trickle<'a> {
    pub fn new(data: &'a [u8], step: usize) -> Trickle<'a> {
        Trickle { data, step: step.max(1) }
    }
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// The contract of a read that failed: bad data is listed as `LABEL:LINE:COLUMN: ...` lines, never an I/O error
/// (the input is in memory) nor an internal one.
pub fn check_error(label: &str, err: &Error) {
    match err.kind() {
        ErrorKind::InvalidData { errors, .. } => {
            assert!(!errors.is_empty(), "an invalid-data error without any error");
            for e in errors {
                assert_eq!(e.location.path, label);
                assert!(e.location.line >= 1 && e.location.column >= 1, "{e}");
                let text = e.to_string();
                assert!(text.starts_with(&format!("{label}:{}:{}: ", e.location.line, e.location.column)), "{text}");
                assert!(!text.contains('\n') && !text.contains('\r') && !text.contains('\0'), "{text:?}");
                // A message quotes at most a short piece of a cell.
                assert!(text.len() < 2000, "a message of {} bytes", text.len());
            }
            assert_eq!(err.exit_code(), 3);
        }
        _ => panic!("reading bytes from memory gave a non-data error: {err}"),
    }
}

/// Runs `read` on the whole input and on the input handed out a few bytes at a time: both must agree.
pub fn read_both_ways<T: PartialEq + std::fmt::Debug>(
    data: &[u8],
    read: impl Fn(&mut dyn Read) -> Result<T, Error>,
) -> Result<T, Error> {
    let whole = read(&mut &data[..]);
    let step = 1 + data.first().map_or(0, |b| usize::from(b % 8));
    let trickled = read(&mut Trickle::new(data, step));
    match (&whole, &trickled) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "whole and trickled reads differ"),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "whole and trickled reads differ"),
        _ => panic!("whole read {:?} but trickled read {:?}", whole.is_ok(), trickled.is_ok()),
    }
    whole
}
