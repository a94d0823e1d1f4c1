//! The `poa-match` command: a thin layer over the `poa_match` library. Only this file prints errors and picks the
//! exit code (SPEC §8: 0 success, 1 runtime or I/O failure, 2 usage, 3 invalid input data).

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(err) => {
            // A reader that went away (`poa-match commitments | head`) is not a failure.
            if let Some(io) = err.downcast_ref::<std::io::Error>()
                && io.kind() == std::io::ErrorKind::BrokenPipe
            {
                return ExitCode::SUCCESS;
            }
            let code = match err.downcast_ref::<poa_match::Error>() {
                Some(e) => e.exit_code(),
                None => 1,
            };
            eprintln!("error: {err:#}");
            ExitCode::from(code)
        }
    }
}
