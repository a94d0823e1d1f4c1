//! The `poa-match` command: a thin layer over the `poa_match` library. Only this file prints errors and picks the
//! exit code (docs/spec.md §8: 0 success, 1 runtime or I/O failure, 2 usage, 3 invalid input data).

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(err) => {
            // A reader that went away (`poa-match commitments | head`) is not a failure.
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            match err.downcast_ref::<poa_match::Error>() {
                // The library's errors already say everything, the OS message included.
                Some(e) => {
                    eprint!("error: {e}");
                    if !e.to_string().ends_with('\n') {
                        eprintln!();
                    }
                    ExitCode::from(e.exit_code())
                }
                None => {
                    eprintln!("error: {err:#}");
                    ExitCode::from(1)
                }
            }
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let kind = if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            Some(io.kind())
        } else if let Some(json) = cause.downcast_ref::<serde_json::Error>() {
            json.io_error_kind()
        } else if let Some(csv) = cause.downcast_ref::<csv::Error>() {
            match csv.kind() {
                csv::ErrorKind::Io(io) => Some(io.kind()),
                _ => None,
            }
        } else {
            None
        };
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}
