//! `poa-match template`: blank needs, offers and ledger workbooks to fill in (docs/spec.md §8). Each has the
//! table's columns exactly as the readers know them (the dictionaries of [`crate::io`]), required ones marked, a
//! drop-down list wherever the values are closed or come from the reference tables ([`lists`]), and the column
//! dictionary on a second sheet. The meanings are written here once, in English: the project has no Chinese text
//! for them, so a Chinese template gives Chinese titles and names in the lists and English meanings.

pub mod lists;
mod workbook;

use std::path::{Path, PathBuf};

use crate::catalog::Reference;
use crate::error::{Error, Result};
use crate::io::atomic;
use crate::io::{LEDGER_COLUMNS, NEED_COLUMNS, OFFER_COLUMNS};
use crate::lang::Lang;
use crate::records::ColumnSpec;

pub use lists::ListKind;

/// One of the tables a template is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateTable {
    /// needs.xlsx.
    Needs,
    /// offers.xlsx.
    Offers,
    /// ledger.xlsx.
    Ledger,
}

impl TemplateTable {
    /// Every table, in the order the files are written.
    pub const ALL: [TemplateTable; 3] = [TemplateTable::Needs, TemplateTable::Offers, TemplateTable::Ledger];

    /// The name of the table: its first sheet, and its file's stem.
    pub fn name(self) -> &'static str {
        match self {
            TemplateTable::Needs => "needs",
            TemplateTable::Offers => "offers",
            TemplateTable::Ledger => "ledger",
        }
    }

    /// The file a template of this table is written to.
    pub fn file_name(self) -> String {
        format!("{}.xlsx", self.name())
    }

    fn columns(self) -> &'static [ColumnSpec] {
        match self {
            TemplateTable::Needs => NEED_COLUMNS,
            TemplateTable::Offers => OFFER_COLUMNS,
            TemplateTable::Ledger => LEDGER_COLUMNS,
        }
    }

    /// The columns of the template, in dictionary order.
    pub fn template_columns(self) -> Vec<TemplateColumn> {
        self.columns().iter().map(|spec| TemplateColumn::of(self, spec)).collect()
    }
}

/// How a column's drop-down list checks what is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Only a value of the list (closed vocabularies).
    Strict,
    /// A value of the list, or after a warning anything else: codes that need no label, organisation codes.
    Warn,
    /// A `;`-list of values: the list helps to pick one, a typed list is let through with a note.
    Inform,
}

/// A column of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateColumn {
    /// The exact column name the reader expects.
    pub name: &'static str,
    /// Whether the reader requires it.
    pub required: bool,
    /// What it holds, in English.
    pub meaning: &'static str,
    /// Its drop-down list, if any, and how strictly it checks.
    pub list: Option<(ListKind, Check)>,
}

impl TemplateColumn {
    fn of(table: TemplateTable, spec: &ColumnSpec) -> TemplateColumn {
        let (meaning, list) = describe(table, spec.name);
        TemplateColumn { name: spec.name, required: spec.required, meaning, list }
    }
}

/// A column's meaning and drop-down list.
fn describe(table: TemplateTable, column: &str) -> (&'static str, Option<(ListKind, Check)>) {
    use Check::{Inform, Strict, Warn};
    use ListKind as L;
    let offer = table == TemplateTable::Offers;
    match column {
        "need_id" if table == TemplateTable::Ledger => ("The need funded (it may be absent from a later batch).", None),
        "need_id" => ("Unique id of the need in this file.", None),
        "requester" => ("The requesting State (ISO code) or regional organisation code.", Some((L::Countries, Warn))),
        "requester_type" => {
            ("How requester is read: state (default) or regional_org.", Some((L::RequesterTypes, Strict)))
        }
        "region" => (
            "M49 area: required for a regional organisation (the area it covers); for a State, a check.",
            Some((L::Areas, Warn)),
        ),
        "commitments" if offer => {
            ("Commitment codes the offer funds, ;-separated; blank = see themes.", Some((L::OfferCommitments, Inform)))
        }
        "commitments" => (
            "Commitment codes the need serves, ;-separated; the first is the primary one.",
            Some((L::NeedCommitments, Inform)),
        ),
        "kinds" if offer => ("Kinds of help the offer gives, ;-separated; blank = any.", Some((L::Kinds, Inform))),
        "kinds" => ("Kinds of help asked for, ;-separated.", Some((L::Kinds, Inform))),
        "amount_usd" if table == TemplateTable::Ledger => {
            ("The award, in whole US dollars (or whole units of the row's currency).", None)
        }
        "currency" => (
            "ISO 4217 code of this row's amounts (EUR, JPY, ...); blank = US dollars. The amounts stay in the *_usd \
             columns; --rates FILE converts them.",
            Some((L::Currencies, Strict)),
        ),
        "amount_usd" => ("The amount asked for, in whole US dollars (digits only).", None),
        "funding_mode" => ("partial (default) or all_or_nothing.", Some((L::FundingModes, Strict))),
        "min_award_usd" => ("For a partial need: the smallest total worth having, in whole US dollars.", None),
        "priority" => ("1 (highest) to 3; default 2.", None),
        "start_earliest" => ("Earliest start date, YYYY-MM-DD.", None),
        "start_latest" => ("Latest start date, YYYY-MM-DD.", None),
        "duration_months" => ("Expected duration in months, 1-60.", None),
        "implementer_type" => ("Who would carry out the activity.", Some((L::ImplementerTypes, Strict))),
        "source_report" => ("The national or regional report that listed the need.", None),
        "title" => ("Free text.", None),
        "notes" | "note" => ("Free text.", None),
        "offer_id" if table == TemplateTable::Ledger => ("The offer the money comes from.", None),
        "offer_id" => ("Unique id of the offer in this file.", None),
        "donor" => ("A State's ISO code, or a fund or organisation code.", Some((L::Countries, Warn))),
        "donor_type" => ("What kind of body the donor is.", Some((L::DonorTypes, Strict))),
        "envelope_usd" => ("The most the offer gives in the batch, in whole US dollars (or the row's currency).", None),
        "cap_per_need_usd" => ("The most it gives one need, in the envelope's currency; blank = no cap.", None),
        "floor_per_need_usd" => ("Its smallest grant, in the envelope's currency; blank = no floor.", None),
        "max_awards" => ("The most needs it funds; blank = no limit.", None),
        "themes" => ("Themes in scope when commitments is blank, ;-separated.", Some((L::Themes, Inform))),
        "regions_m49" => {
            ("M49 areas the requester must lie in, ;-separated; blank = anywhere.", Some((L::Areas, Inform)))
        }
        "countries_include" => ("Only these States are eligible, ;-separated ISO codes.", Some((L::Countries, Inform))),
        "countries_exclude" => {
            ("These States are never eligible, ;-separated ISO codes.", Some((L::Countries, Inform)))
        }
        "recipient_flags" => {
            ("Flags the requester State must carry one of, ;-separated.", Some((L::RecipientFlags, Inform)))
        }
        "implementer_types" => {
            ("Implementer types it funds, ;-separated; blank = any.", Some((L::ImplementerTypes, Inform)))
        }
        "requires_national_report" => {
            ("true: only needs with a source_report; default false.", Some((L::Booleans, Warn)))
        }
        "allow_cofinance" => ("false: it funds only needs it funds alone; default true.", Some((L::Booleans, Warn))),
        "window_start" => ("The activity must start in the window from this date, YYYY-MM-DD.", None),
        "window_end" => ("End of the start window, YYYY-MM-DD.", None),
        "duration_min_months" => ("Shortest duration it funds, in months.", None),
        "duration_max_months" => ("Longest duration it funds, in months.", None),
        "award_id" => ("Unique id of the award.", None),
        "round" => ("The label of the round that proposed the award.", None),
        "status" => ("Where the award stands now.", Some((L::Statuses, Strict))),
        "status_date" => ("When the status last changed, YYYY-MM-DD.", None),
        _ => ("See data/README.md.", None),
    }
}

/// The paths `template` writes into `dir`, in order.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    TemplateTable::ALL.iter().map(|t| dir.join(t.file_name())).collect()
}

/// Writes the three templates into `dir`, all or none. A template already there is not overwritten: someone may
/// have filled it in.
pub fn write(dir: &Path, reference: &Reference, lang: Lang) -> Result<Vec<PathBuf>> {
    let paths = files(dir);
    if let Some(found) = paths.iter().find(|p| p.exists()) {
        return Err(Error::usage(format!(
            "{} exists and may hold your entries; template does not overwrite it (hint: move it, or choose another \
             --out)",
            found.display()
        )));
    }
    let mut staged = atomic::Staged::in_dir(dir)?;
    for (table, path) in TemplateTable::ALL.iter().zip(&paths) {
        let bytes = workbook::render(*table, reference, lang).map_err(crate::io::workbook::io_error);
        staged.stage(path, |out| out.write_all(&bytes?))?;
    }
    staged.commit()?;
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_of_the_dictionaries_has_its_own_meaning() {
        for table in TemplateTable::ALL {
            for column in table.template_columns() {
                assert_ne!(column.meaning, "See data/README.md.", "{} has no meaning in {}", column.name, table.name());
            }
        }
    }

    #[test]
    fn list_columns_check_as_their_values_allow() {
        let needs = TemplateTable::Needs.template_columns();
        let by_name = |name: &str| needs.iter().find(|c| c.name == name).unwrap().list;
        assert_eq!(by_name("kinds"), Some((ListKind::Kinds, Check::Inform)));
        assert_eq!(by_name("funding_mode"), Some((ListKind::FundingModes, Check::Strict)));
        assert_eq!(by_name("requester"), Some((ListKind::Countries, Check::Warn)));
        assert!(needs.iter().find(|c| c.name == "need_id").unwrap().required);
    }
}
