//! calamine parses bytes that may be damaged or hostile, and a damaged workbook has been seen to make it panic (an
//! overflow on a cell reference of too many digits, found by the `xlsx_reader` fuzz target). Its panics are caught
//! here and become the workbook's one-line error. Cargo.toml builds calamine with overflow checks in release too,
//! so that such a file is refused there as well, not read at a wrong row.
//!
//! Only calamine's own panics are caught: `INSIDE` is set while calamine runs and cleared while a callback of ours
//! runs within it, so a panic of this crate's code still shows and propagates as the bug it is.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static INSIDE: Cell<bool> = const { Cell::new(false) };
}

static QUIET_HOOK: Once = Once::new();

/// Runs `f` (calamine's work) and turns a panic inside calamine into an error message; a panic in one of our
/// callbacks (see [`ours`]) is resumed.
pub(super) fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    QUIET_HOOK.call_once(|| {
        // The hook in place (the default one, or a fuzzer's that aborts) still sees every panic but calamine's.
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !INSIDE.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = INSIDE.with(|inside| inside.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    let from_calamine = INSIDE.with(|inside| inside.replace(was));
    match result {
        Ok(value) => Ok(value),
        Err(payload) if from_calamine => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(format!("the workbook is damaged: its reader stopped ({what})"))
        }
        Err(payload) => panic::resume_unwind(payload),
    }
}

/// Runs one of our callbacks from inside calamine's work: a panic there is ours, shown and propagated.
pub(super) fn ours<T>(f: impl FnOnce() -> T) -> T {
    INSIDE.with(|inside| inside.set(false));
    let value = f();
    INSIDE.with(|inside| inside.set(true));
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_is_an_error_and_one_of_ours_propagates() {
        let caught = guarded(|| -> u32 { panic!("attempt to multiply with overflow") });
        assert_eq!(
            caught,
            Err("the workbook is damaged: its reader stopped (attempt to multiply with overflow)".into())
        );
        assert_eq!(guarded(|| 7), Ok(7));
        let ours_panics = panic::catch_unwind(|| guarded(|| ours(|| -> u32 { panic!("a bug of ours") })));
        assert!(ours_panics.is_err(), "a panic in our callback is not turned into a message");
        assert!(!INSIDE.with(Cell::get));
    }
}
