//! Reading inputs and writing outputs.
//!
//! - [`read_needs`] / [`read_offers`] / [`read_batch`]: needs.csv and offers.csv into the typed model;
//! - [`ledger`]: ledger.csv into the typed model, and the output ledger written after it;
//! - [`write_inputs`]: needs and offers written back as needs.csv and offers.csv (used by `generate` and `import-iati`);
//! - [`rates`]: the rates file of `--rates`, and amounts in other currencies turned into dollars as rows are read;
//! - [`provenance`]: what the run record keeps of each input file (path, rows, SHA-256);
//! - [`published`]: a match run's run.json and tables read back, for `explain --from`;
//! - [`outputs`]: the CSV and JSON writers of output tables; [`workbook`], the same tables as one xlsx workbook;
//! - [`atomic`]: outputs written to a temporary name and renamed, so a failed run leaves nothing half-written.

pub mod atomic;
mod cells;
pub mod hashing;
mod hints;
mod inputs;
pub mod ledger;
pub mod outputs;
pub mod provenance;
pub mod published;
pub mod rates;
mod table;
pub mod workbook;
pub mod write_inputs;

pub(crate) use inputs::{NEED_COLUMNS, OFFER_COLUMNS};
pub use inputs::{
    ReadOptions, read_batch, read_needs, read_needs_file, read_needs_from, read_offers, read_offers_file,
    read_offers_from,
};
pub use ledger::{
    LEDGER_COLUMNS, LedgerFile, load_ledger_file, read_ledger, read_ledger_file, read_ledger_from, write_ledger,
};
