//! needs.csv and offers.csv into the typed model (docs/spec.md §3).
//!
//! Every rule of the column dictionary (data/README.md) is checked here, with the location of the cell that breaks
//! it. A row with errors is still parsed to the end so that one run lists every bad cell (up to a limit).

use std::collections::HashMap;
use std::fs::File;
use std::hash::{BuildHasher, RandomState};
use std::io::Read;
use std::path::Path;

use super::cells::{Cells, opt, req};
use super::hints;
use super::rates::RowCurrency;
use crate::catalog::{MatchRole, Reference};
use crate::error::{Error, Location, Result};
use crate::model::{
    Batch, Date, DonorType, FundingMode, ImplementerType, KindSet, NO_RATES, Need, NeedId, Offer, OfferId, Rates,
    RecipientFlag, Requester, RequesterType, Theme, ThemeSet,
};
use crate::model::{CommitmentIdx, CountryIdx};
use crate::records::fields;
use crate::records::labelled::{SEPARATOR, labelled};
use crate::records::{ColumnSpec, DEFAULT_ERROR_LIMIT, ErrorSink, SheetChoice, TableSpec, read_table_from};

/// Options for reading inputs.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions<'r> {
    /// Ignore columns that the dictionary does not know (docs/spec.md §3: an error otherwise).
    pub allow_extra_columns: bool,
    /// How many data errors to keep per run.
    pub error_limit: usize,
    /// The rates of `--rates`, for rows whose `currency` is not USD (none by default: such a row is an error).
    pub rates: &'r Rates,
    /// The sheet to read from every workbook input (`--sheet`); without it, the sheet named after the table, else
    /// the first (docs/spec.md §11.3).
    pub sheet: Option<&'r str>,
}

impl Default for ReadOptions<'static> {
    fn default() -> ReadOptions<'static> {
        ReadOptions { allow_extra_columns: false, error_limit: DEFAULT_ERROR_LIMIT, rates: &NO_RATES, sheet: None }
    }
}

impl<'r> ReadOptions<'r> {
    /// Which sheet of a workbook holds the table `table` (`needs`, `offers`, `ledger`).
    pub fn sheet_for<'a>(&self, table: &'a str) -> SheetChoice<'a>
    where
        'r: 'a,
    {
        match self.sheet {
            Some(given) => SheetChoice::Given(given),
            None => SheetChoice::Table(table),
        }
    }
}

/// The columns of needs.csv in dictionary order.
pub(crate) const NEED_COLUMNS: &[ColumnSpec] = &[
    req("need_id"),
    req("requester"),
    opt("requester_type"),
    opt("region"),
    req("commitments"),
    req("kinds"),
    req("amount_usd"),
    opt("funding_mode"),
    opt("min_award_usd"),
    opt("priority"),
    opt("start_earliest").dates(),
    opt("start_latest").dates(),
    opt("duration_months"),
    opt("implementer_type"),
    opt("source_report"),
    opt("title"),
    opt("notes"),
];

/// The columns of offers.csv in dictionary order.
pub(crate) const OFFER_COLUMNS: &[ColumnSpec] = &[
    req("offer_id"),
    req("donor"),
    opt("donor_type"),
    req("envelope_usd"),
    opt("cap_per_need_usd"),
    opt("floor_per_need_usd"),
    opt("currency"),
    opt("max_awards"),
    opt("commitments"),
    opt("themes"),
    opt("kinds"),
    opt("regions_m49"),
    opt("countries_include"),
    opt("countries_exclude"),
    opt("recipient_flags"),
    opt("implementer_types"),
    opt("requires_national_report"),
    opt("allow_cofinance"),
    opt("window_start").dates(),
    opt("window_end").dates(),
    opt("duration_min_months"),
    opt("duration_max_months"),
    opt("title"),
    opt("notes"),
];

/// Reads both input files; the errors of both are reported together.
pub fn read_batch(needs: &Path, offers: &Path, reference: &Reference, options: ReadOptions) -> Result<Batch> {
    let mut sink = ErrorSink::new(options.error_limit);
    let needs = read_needs_file(needs, reference, options, &mut sink)?;
    let offers = read_offers_file(offers, reference, options, &mut sink)?;
    sink.into_result()?;
    Ok(Batch { needs, offers })
}

/// Reads a needs file; data errors go to `sink`.
pub fn read_needs_file(
    path: &Path,
    reference: &Reference,
    options: ReadOptions,
    sink: &mut ErrorSink,
) -> Result<Vec<Need>> {
    let file = open(path)?;
    read_needs_from(&path.display().to_string(), file, reference, options, sink)
}

/// Reads an offers file; data errors go to `sink`.
pub fn read_offers_file(
    path: &Path,
    reference: &Reference,
    options: ReadOptions,
    sink: &mut ErrorSink,
) -> Result<Vec<Offer>> {
    let file = open(path)?;
    read_offers_from(&path.display().to_string(), file, reference, options, sink)
}

/// Reads needs from any reader; `label` names the source in messages.
pub fn read_needs(label: &str, input: impl Read, reference: &Reference, options: ReadOptions) -> Result<Vec<Need>> {
    let mut sink = ErrorSink::new(options.error_limit);
    let needs = read_needs_from(label, input, reference, options, &mut sink)?;
    sink.into_result()?;
    Ok(needs)
}

/// Reads offers from any reader; `label` names the source in messages.
pub fn read_offers(label: &str, input: impl Read, reference: &Reference, options: ReadOptions) -> Result<Vec<Offer>> {
    let mut sink = ErrorSink::new(options.error_limit);
    let offers = read_offers_from(label, input, reference, options, &mut sink)?;
    sink.into_result()?;
    Ok(offers)
}

fn open(path: &Path) -> Result<File> {
    if path.is_dir() {
        return Err(Error::io(path, std::io::Error::other("is a directory, expected a CSV file")));
    }
    File::open(path).map_err(|e| Error::io(path, e))
}

/// The cell helpers that read the domain's values: lists, kinds, countries, commitments, months.
impl Cells<'_, '_> {
    fn months(&mut self, name: &str) -> Option<u8> {
        self.optional(name, |t| fields::int_in_range(t, 1, 60).map(|v| v as u8))
    }

    fn list<T: PartialEq>(&mut self, name: &str, mut parse: impl FnMut(&str) -> Result<T, String>) -> Vec<T> {
        let mut out = Vec::new();
        for item in fields::list(self.row.get(name).unwrap_or("")) {
            match parse(item) {
                Ok(v) if out.contains(&v) => self.error(name, format!("lists {} twice", fields::shown(item))),
                Ok(v) => out.push(v),
                // A label may hold commas of its own (`ITI-2a — Mark weapons, incl. at import`).
                Err(why) => match hints::comma_hint(item).filter(|_| !item.contains(SEPARATOR)) {
                    Some(hint) => self.error(name, format!("{why} (hint: {hint})")),
                    None => self.error(name, why),
                },
            }
        }
        out
    }

    fn kinds(&mut self, name: &str) -> KindSet {
        self.list(name, hints::kind).into_iter().collect()
    }

    fn countries(&mut self, name: &str, reference: &Reference) -> Vec<CountryIdx> {
        self.list(name, |t| country(reference, t))
    }

    fn commitments(
        &mut self,
        name: &str,
        reference: &Reference,
        allowed: &[MatchRole],
        who: &str,
    ) -> Vec<CommitmentIdx> {
        self.list(name, |code| {
            let titles = |idx: &CommitmentIdx| {
                let c = reference.commitment(*idx);
                vec![c.title_en.as_str(), c.title_zh.as_str()]
            };
            let idx = labelled(code, |code| hints::commitment(reference, code), titles)?;
            let code = reference.commitment(idx).code.as_str();
            let role = reference.commitment(idx).match_role;
            if allowed.contains(&role) {
                Ok(idx)
            } else {
                Err(format!("commitment {code} has match_role {}; {who} may not cite it", role.as_str()))
            }
        })
    }
}

/// A country by code (or with its name, as the templates' lists write it).
fn country(reference: &Reference, code: &str) -> Result<CountryIdx, String> {
    labelled(code, |code| hints::country(reference, code), |idx| country_names(reference, *idx))
}

/// A country's names as a label may give them: the table's names and the short names, in English and Chinese.
fn country_names(reference: &Reference, idx: CountryIdx) -> Vec<&str> {
    let country = reference.country(idx);
    vec![country.name_en.as_str(), country.name_zh.as_str(), country.short_name("en"), country.short_name("zh")]
}

/// An M49 area by code or name (or with its name, as the templates' lists write it).
fn area(reference: &Reference, text: &str) -> Result<u16, String> {
    let names =
        |m49: &u16| reference.area(*m49).map_or_else(Vec::new, |a| vec![a.name_en.as_str(), a.name_zh.as_str()]);
    labelled(text, |text| hints::area(reference, text), names)
}

fn date(text: &str) -> Result<Date, String> {
    fields::date(text)
}

/// Where each id was first seen, so that a duplicate can point at it.
///
/// The ids of accepted records are not copied (on a large file a copy of every id cost a sizeable share of the model's
/// memory): the index maps a 64-bit hash of the id to the record's position in the output, and a hash match is
/// confirmed by comparing with that record's id. Ids of rejected records, and an id whose hash another id already
/// holds, are kept as text.
pub(super) struct IdRegistry<S = RandomState> {
    hasher: S,
    accepted: HashMap<u64, usize>,
    by_text: HashMap<String, u64>,
}

impl IdRegistry {
    pub(super) fn new() -> IdRegistry {
        IdRegistry::with_hasher(RandomState::new())
    }
}

impl<S: BuildHasher> IdRegistry<S> {
    fn with_hasher(hasher: S) -> IdRegistry<S> {
        IdRegistry { hasher, accepted: HashMap::new(), by_text: HashMap::new() }
    }

    /// The line on which `id` was first seen, if it was; `records` are the accepted records so far and `key` gives
    /// a record's id and line.
    fn first_line<T>(&self, id: &str, records: &[T], key: fn(&T) -> (&str, u64)) -> Option<u64> {
        if let Some(&k) = self.accepted.get(&self.hasher.hash_one(id)) {
            let (known, line) = key(&records[k]);
            if known == id {
                return Some(line);
            }
        }
        self.by_text.get(id).copied()
    }

    /// Records a new id of an accepted record, `records[k]`.
    pub(super) fn add_accepted(&mut self, id: &str, line: u64, k: usize) {
        let hash = self.hasher.hash_one(id);
        if let std::collections::hash_map::Entry::Vacant(slot) = self.accepted.entry(hash) {
            slot.insert(k);
        } else {
            self.by_text.insert(id.to_string(), line);
        }
    }

    /// Records a new id of a rejected record.
    pub(super) fn add_rejected(&mut self, id: &str, line: u64) {
        self.by_text.insert(id.to_string(), line);
    }
}

/// Reports `id` if an earlier record has it; `true` if so.
pub(super) fn check_duplicate<T>(
    ids: &IdRegistry,
    c: &mut Cells<'_, '_>,
    name: &str,
    id: &str,
    records: &[T],
    key: fn(&T) -> (&str, u64),
) -> bool {
    match ids.first_line(id, records, key) {
        Some(first) => {
            c.error(name, format!("duplicate {name} {} (first on line {first})", fields::shown(id)));
            true
        }
        None => false,
    }
}

/// Reads needs from any reader into `sink`'s care: data errors go to the sink, I/O errors are returned.
pub fn read_needs_from(
    label: &str,
    input: impl Read,
    reference: &Reference,
    options: ReadOptions,
    sink: &mut ErrorSink,
) -> Result<Vec<Need>> {
    const TOTAL_FIELD: &str = "amount_usd";
    const TABLE: &str = "needs";
    let spec = TableSpec { columns: NEED_COLUMNS, allow_extra_columns: options.allow_extra_columns };
    let mut needs = Vec::new();
    let mut ids = IdRegistry::new();
    let mut total = 0i128;
    let (mut last_line, mut total_column, mut sheet) = (1, 1, None);
    read_table_from(label, input, spec, options.sheet_for(TABLE), sink, |row, sink| {
        last_line = row.line;
        total_column = row.column(TOTAL_FIELD);
        if sheet.is_none() {
            sheet = row.sheet().map(str::to_string);
        }
        let errors_before = sink.count();
        let mut c = Cells { row, sink };
        let id = c.required_with("need_id", |t| fields::identifier(t).map(str::to_string));
        let key: fn(&Need) -> (&str, u64) = |n| (n.id.as_str(), n.line);
        let duplicate = id.as_deref().is_some_and(|id| check_duplicate(&ids, &mut c, "need_id", id, &needs, key));
        let type_blank = c.row.get("requester_type").is_none();
        let requester_type = c
            .optional("requester_type", |t| fields::enum_value(t, RequesterType::parse, RequesterType::expected))
            .unwrap_or(RequesterType::State);
        let requester_text = c.required("requester");
        let requester = match requester_type {
            // An explicit requester_type=state means the user chose it: the hint is for the default.
            RequesterType::State => c
                .parse("requester", requester_text, |t| {
                    country(reference, t).map_err(|why| match hints::organisation_hint(t) {
                        Some(hint) if type_blank => format!("{why} (hint: {hint})"),
                        _ => why,
                    })
                })
                .map(Requester::State),
            RequesterType::RegionalOrg => c
                .parse("requester", requester_text, |t| fields::org_code(t).map(str::to_string))
                .map(Requester::RegionalOrg),
        };
        let region = c.optional("region", |t| area(reference, t));
        match (&requester, region) {
            (Some(Requester::State(idx)), Some(m49)) if !reference.country(*idx).in_area(m49) => {
                let country = reference.country(*idx);
                c.error("region", format!("area {m49} does not contain the requester {}", country.alpha3))
            }
            (Some(Requester::RegionalOrg(_)), None) if c.row.get("region").is_none() => {
                c.error("region", "is required when requester_type is regional_org")
            }
            _ => {}
        }
        let commitments = match c.required("commitments") {
            Some(_) => c.commitments("commitments", reference, &[MatchRole::Target], "needs"),
            None => Vec::new(),
        };
        let kinds = match c.required("kinds") {
            Some(_) => c.kinds("kinds"),
            None => KindSet::EMPTY,
        };
        let amount = c.required_with("amount_usd", fields::usd);
        let funding_mode = c
            .optional("funding_mode", |t| fields::enum_value(t, FundingMode::parse, FundingMode::expected))
            .unwrap_or(FundingMode::Partial);
        let min_award = c.optional("min_award_usd", fields::usd);
        if let Some(min) = min_award {
            if funding_mode == FundingMode::AllOrNothing {
                c.error(
                    "min_award_usd",
                    "applies only to partial needs; an all_or_nothing need gets its whole amount or nothing",
                );
            } else if let Some(amount) = amount
                && min > amount
            {
                c.error("min_award_usd", format!("{min} is above amount_usd {amount}"));
            }
        }
        let priority = c.optional("priority", |t| fields::int_in_range(t, 1, 3).map(|v| v as u8)).unwrap_or(2);
        let start_earliest = c.optional("start_earliest", date);
        let start_latest = c.optional("start_latest", date);
        c.not_before(start_earliest, start_latest, "start_earliest", "start_latest");
        let duration_months = c.months("duration_months");
        let implementer_type = c
            .optional("implementer_type", |t| fields::enum_value(t, ImplementerType::parse, ImplementerType::expected));
        if let Some(amount) = amount {
            total += i128::from(amount.get());
        }
        let clean = c.sink.count() == errors_before;
        // A list of only separators (";;") parses to nothing without a per-item error.
        if clean && commitments.is_empty() {
            c.error("commitments", "lists no commitment code");
        }
        if clean && kinds.is_empty() {
            c.error("kinds", "lists no kind");
        }
        let accepted = c.sink.count() == errors_before && requester.is_some() && amount.is_some();
        if let Some(id) = id.as_deref().filter(|_| !accepted && !duplicate) {
            ids.add_rejected(id, row.line);
        }
        if accepted && let (Some(id), Some(requester), Some(amount)) = (id, requester, amount) {
            let requester_code = match &requester {
                Requester::State(idx) => reference.country(*idx).alpha3.clone(),
                Requester::RegionalOrg(code) => code.clone(),
            };
            needs.push(Need {
                id: NeedId(id),
                requester,
                requester_code,
                region,
                commitments,
                kinds,
                amount,
                funding_mode,
                min_award,
                priority,
                start_earliest,
                start_latest,
                duration_months,
                implementer_type,
                source_report: row.get("source_report").map(str::to_string),
                title: row.get("title").unwrap_or("").to_string(),
                notes: row.raw("notes").unwrap_or("").to_string(),
                line: row.line,
            });
            let k = needs.len() - 1;
            ids.add_accepted(needs[k].id.as_str(), row.line, k);
        }
    })?;
    let at = Location { path: label.to_string(), sheet, line: last_line, column: total_column, field: None };
    check_total(at, TOTAL_FIELD, total, sink);
    Ok(needs)
}

/// Reads offers from any reader into `sink`'s care: data errors go to the sink, I/O errors are returned.
pub fn read_offers_from(
    label: &str,
    input: impl Read,
    reference: &Reference,
    options: ReadOptions,
    sink: &mut ErrorSink,
) -> Result<Vec<Offer>> {
    const TOTAL_FIELD: &str = "envelope_usd";
    const TABLE: &str = "offers";
    let spec = TableSpec { columns: OFFER_COLUMNS, allow_extra_columns: options.allow_extra_columns };
    let mut offers = Vec::new();
    let mut ids = IdRegistry::new();
    let mut total = 0i128;
    let (mut last_line, mut total_column, mut sheet) = (1, 1, None);
    read_table_from(label, input, spec, options.sheet_for(TABLE), sink, |row, sink| {
        last_line = row.line;
        total_column = row.column(TOTAL_FIELD);
        if sheet.is_none() {
            sheet = row.sheet().map(str::to_string);
        }
        let errors_before = sink.count();
        let mut c = Cells { row, sink };
        let id = c.required_with("offer_id", |t| fields::identifier(t).map(str::to_string));
        let key: fn(&Offer) -> (&str, u64) = |o| (o.id.as_str(), o.line);
        let duplicate = id.as_deref().is_some_and(|id| check_duplicate(&ids, &mut c, "offer_id", id, &offers, key));
        let donor_type = c.optional("donor_type", |t| fields::enum_value(t, DonorType::parse, DonorType::expected));
        let donor_text = c.required("donor");
        let donor_code = |t: &str| match reference.country_by_code(t) {
            Some(idx) => Ok(reference.country(idx).alpha3.clone()),
            None if donor_type == Some(DonorType::State) => {
                let message = format!(
                    "unknown country code {} (a donor of type state is named by ISO 3166-1 alpha-2 or alpha-3)",
                    fields::shown(t)
                );
                Err(match hints::country_hint(reference, t) {
                    Some(hint) => format!("{message} (hint: {hint})"),
                    None => message,
                })
            }
            None => fields::org_code(t).map(str::to_string).map_err(|why| match hints::country_hint(reference, t) {
                Some(hint) => format!("{why} (hint: {hint})"),
                None => why,
            }),
        };
        // A state donor may be picked from the template's list of countries, with its name.
        let donor_names =
            |code: &String| reference.country_by_code(code).map_or_else(Vec::new, |i| country_names(reference, i));
        let donor = c.parse("donor", donor_text, |t| labelled(t, donor_code, donor_names));
        // In another currency the three amounts are converted here; the checks below compare dollars.
        let money = RowCurrency::read(&mut c, options.rates);
        let envelope = money.as_ref().and_then(|m| m.amount(&mut c, "envelope_usd", true));
        let cap_per_need = money.as_ref().and_then(|m| m.amount(&mut c, "cap_per_need_usd", false));
        let floor_per_need = money.as_ref().and_then(|m| m.amount(&mut c, "floor_per_need_usd", false));
        c.not_above(floor_per_need, cap_per_need, "floor_per_need_usd", "cap_per_need_usd");
        if let (Some(floor), Some(envelope)) = (floor_per_need, envelope)
            && floor > envelope
        {
            c.error("floor_per_need_usd", format!("{floor} is above envelope_usd {envelope}"));
        }
        let max_awards = c.optional("max_awards", |t| fields::int_in_range(t, 1, 10_000_000).map(|v| v as u32));
        let commitments = c.commitments("commitments", reference, &[MatchRole::Target, MatchRole::Provider], "offers");
        let themes: ThemeSet =
            c.list("themes", |t| fields::enum_value(t, Theme::parse, Theme::expected)).into_iter().collect();
        let kinds = c.kinds("kinds");
        let regions_m49 = c.list("regions_m49", |t| area(reference, t));
        let countries_include = c.countries("countries_include", reference);
        let countries_exclude = c.countries("countries_exclude", reference);
        let recipient_flags =
            c.list("recipient_flags", |t| fields::enum_value(t, RecipientFlag::parse, RecipientFlag::expected));
        let implementer_types =
            c.list("implementer_types", |t| fields::enum_value(t, ImplementerType::parse, ImplementerType::expected));
        let requires_national_report = c.optional("requires_national_report", fields::boolean).unwrap_or(false);
        let allow_cofinance = c.optional("allow_cofinance", fields::boolean).unwrap_or(true);
        let window_start = c.optional("window_start", date);
        let window_end = c.optional("window_end", date);
        c.not_before(window_start, window_end, "window_start", "window_end");
        let duration_min_months = c.months("duration_min_months");
        let duration_max_months = c.months("duration_max_months");
        c.not_above(duration_min_months, duration_max_months, "duration_min_months", "duration_max_months");
        if let Some(envelope) = envelope {
            total += i128::from(envelope.get());
        }
        let accepted = c.sink.count() == errors_before && donor.is_some() && envelope.is_some();
        if let Some(id) = id.as_deref().filter(|_| !accepted && !duplicate) {
            ids.add_rejected(id, row.line);
        }
        if accepted && let (Some(id), Some(donor), Some(envelope)) = (id, donor, envelope) {
            if let Some(money) = &money {
                money.note_accepted(options.rates);
            }
            offers.push(Offer {
                id: OfferId(id),
                donor,
                donor_type,
                envelope,
                cap_per_need,
                floor_per_need,
                max_awards,
                commitments,
                themes,
                kinds,
                regions_m49,
                countries_include,
                countries_exclude,
                recipient_flags,
                implementer_types,
                requires_national_report,
                allow_cofinance,
                window_start,
                window_end,
                duration_min_months,
                duration_max_months,
                title: row.get("title").unwrap_or("").to_string(),
                notes: row.raw("notes").unwrap_or("").to_string(),
                line: row.line,
            });
            let k = offers.len() - 1;
            ids.add_accepted(offers[k].id.as_str(), row.line, k);
        }
    })?;
    let at = Location { path: label.to_string(), sheet, line: last_line, column: total_column, field: None };
    check_total(at, TOTAL_FIELD, total, sink);
    Ok(offers)
}

/// The solver keeps flows in `i64` and multiplies them by objective weights below 64, so a file whose column sum
/// exceeds `i64::MAX / 64` is refused as a whole rather than risk an inexact total.
/// The error points at the column in the file's last row, `at`.
pub(super) fn check_total(at: Location, field: &str, total: i128, sink: &mut ErrorSink) {
    if total > i128::from(i64::MAX) / 64 {
        sink.push(
            Location { field: Some(field.to_string()), ..at },
            format!("the column adds up to {total}, more than this engine can total exactly"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hasher under which every id collides, to exercise the fallback to ids kept as text.
    #[derive(Default)]
    struct Zero;

    impl std::hash::Hasher for Zero {
        fn finish(&self) -> u64 {
            0
        }

        fn write(&mut self, _: &[u8]) {}
    }

    #[test]
    fn id_registry_tells_colliding_ids_apart() {
        let records = [("A".to_string(), 2u64), ("B".to_string(), 3)];
        let key: fn(&(String, u64)) -> (&str, u64) = |r| (r.0.as_str(), r.1);
        let mut ids = IdRegistry::with_hasher(std::hash::BuildHasherDefault::<Zero>::default());
        assert_eq!(ids.first_line("A", &records[..0], key), None);
        ids.add_accepted("A", 2, 0);
        assert_eq!(ids.first_line("A", &records[..1], key), Some(2));
        assert_eq!(ids.first_line("B", &records[..1], key), None);
        ids.add_accepted("B", 3, 1);
        ids.add_rejected("C", 4);
        assert_eq!(ids.first_line("B", &records, key), Some(3));
        assert_eq!(ids.first_line("C", &records, key), Some(4));
        assert_eq!(ids.first_line("A", &records, key), Some(2));
        assert_eq!(ids.first_line("D", &records, key), None);
    }
}
