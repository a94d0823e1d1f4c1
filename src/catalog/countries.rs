//! Countries (ISO 3166-1 with M49 areas and UN flags) and the M49 areas themselves.

use crate::error::Result;
use crate::model::RecipientFlag;
use crate::records::fields;
use crate::records::{ColumnSpec, ErrorSink, Row, TableSpec, read_table};

/// One country or territory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-2.
    pub alpha2: String,
    /// ISO 3166-1 alpha-3, the form every output uses.
    pub alpha3: String,
    /// UN M49 numeric code.
    pub m49: u16,
    /// M49 region (Africa 2, Americas 19, Asia 142, Europe 150, Oceania 9).
    pub region_code: Option<u16>,
    /// M49 sub-region.
    pub subregion_code: Option<u16>,
    /// M49 intermediate region (for example 11 Western Africa).
    pub intermediate_region_code: Option<u16>,
    /// Least Developed Country.
    pub ldc: bool,
    /// Land-Locked Developing Country.
    pub lldc: bool,
    /// Small Island Developing State.
    pub sids: bool,
    /// English short name.
    pub name_en: String,
    /// Chinese short name.
    pub name_zh: String,
}

impl Country {
    /// Whether the country lies in M49 area `m49` (the world, its region, sub-region or intermediate region, or
    /// the country's own code).
    pub fn in_area(&self, m49: u16) -> bool {
        m49 == 1
            || m49 == self.m49
            || Some(m49) == self.region_code
            || Some(m49) == self.subregion_code
            || Some(m49) == self.intermediate_region_code
    }

    /// Whether the country carries `flag`.
    pub fn has_flag(&self, flag: RecipientFlag) -> bool {
        match flag {
            RecipientFlag::Ldc => self.ldc,
            RecipientFlag::Lldc => self.lldc,
            RecipientFlag::Sids => self.sids,
        }
    }

    /// The name in the requested language (`zh` or anything else for English), as the table has it: the data
    /// that outputs for machines (summary.csv's labels) carry.
    pub fn name(&self, lang: &str) -> &str {
        if lang == "zh" && !self.name_zh.is_empty() { &self.name_zh } else { &self.name_en }
    }

    /// The name as a page shows it in running text: [`display_name`] of [`Country::name`].
    pub fn short_name(&self, lang: &str) -> &str {
        display_name(self.name(lang))
    }
}

/// A UN short name as it reads in a sentence or a table cell: without the article that UNTERM writes after the
/// name for sorting ("Netherlands (the)", "United States of America (the)") and without its footnote marks
/// ("Cook Islands (the) **", "巴勒斯坦国 *"). Other parentheses are part of the name ("Bolivia (Plurinational
/// State of)") and stay.
pub fn display_name(official: &str) -> &str {
    let name = official.trim_end_matches(['*', ' ']);
    let name = name.strip_suffix("(the)").map_or(name, str::trim_end);
    if name.is_empty() { official } else { name }
}

/// What level of the M49 hierarchy an area is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AreaKind {
    /// A region (or the world).
    Region,
    /// A sub-region.
    Subregion,
    /// An intermediate region.
    Intermediate,
}

/// One M49 area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    /// M49 code.
    pub m49: u16,
    /// English name.
    pub name_en: String,
    /// Chinese name.
    pub name_zh: String,
    /// Level in the hierarchy.
    pub kind: AreaKind,
}

impl Area {
    /// The name in the requested language.
    pub fn name(&self, lang: &str) -> &str {
        if lang == "zh" && !self.name_zh.is_empty() { &self.name_zh } else { &self.name_en }
    }
}

const COUNTRY_COLUMNS: &[ColumnSpec] = &[
    ColumnSpec::required("alpha2"),
    ColumnSpec::required("alpha3"),
    ColumnSpec::required("m49"),
    ColumnSpec::required("region_code"),
    ColumnSpec::optional("region"),
    ColumnSpec::required("subregion_code"),
    ColumnSpec::optional("subregion"),
    ColumnSpec::required("intermediate_region_code"),
    ColumnSpec::required("ldc"),
    ColumnSpec::required("lldc"),
    ColumnSpec::required("sids"),
    ColumnSpec::required("name_en"),
    ColumnSpec::required("name_zh"),
];

const AREA_COLUMNS: &[ColumnSpec] = &[
    ColumnSpec::required("m49"),
    ColumnSpec::required("name_en"),
    ColumnSpec::required("name_zh"),
    ColumnSpec::required("kind"),
];

fn m49_field(row: &Row<'_>, sink: &mut ErrorSink, name: &str, required: bool) -> Option<u16> {
    match row.get(name) {
        None if required => {
            row.error(sink, name, "an M49 code is required");
            None
        }
        None => None,
        Some(text) => match fields::int_in_range(text, 1, 999) {
            Ok(v) => Some(v as u16),
            Err(why) => {
                row.error(sink, name, why);
                None
            }
        },
    }
}

fn flag_field(row: &Row<'_>, sink: &mut ErrorSink, name: &str) -> bool {
    fields::boolean(row.get(name).unwrap_or("false")).unwrap_or_else(|why| {
        row.error(sink, name, why);
        false
    })
}

pub(super) fn read_countries(path: &str, text: &str, sink: &mut ErrorSink) -> Result<Vec<Country>> {
    let spec = TableSpec { columns: COUNTRY_COLUMNS, allow_extra_columns: true };
    let mut out: Vec<Country> = Vec::new();
    read_table(path, text.as_bytes(), spec, sink, |row, sink| {
        let alpha2 = row.get("alpha2").unwrap_or("").to_string();
        let alpha3 = row.get("alpha3").unwrap_or("").to_string();
        if alpha2.len() != 2 || !alpha2.bytes().all(|b| b.is_ascii_uppercase()) {
            row.error(sink, "alpha2", format!("expected two capital letters, found {alpha2:?}"));
        }
        if alpha3.len() != 3 || !alpha3.bytes().all(|b| b.is_ascii_uppercase()) {
            row.error(sink, "alpha3", format!("expected three capital letters, found {alpha3:?}"));
        }
        let country = Country {
            m49: m49_field(row, sink, "m49", true).unwrap_or(0),
            region_code: m49_field(row, sink, "region_code", false),
            subregion_code: m49_field(row, sink, "subregion_code", false),
            intermediate_region_code: m49_field(row, sink, "intermediate_region_code", false),
            ldc: flag_field(row, sink, "ldc"),
            lldc: flag_field(row, sink, "lldc"),
            sids: flag_field(row, sink, "sids"),
            name_en: row.get("name_en").unwrap_or("").to_string(),
            name_zh: row.get("name_zh").unwrap_or("").to_string(),
            alpha2,
            alpha3,
        };
        if out.iter().any(|c| c.alpha2 == country.alpha2 || c.alpha3 == country.alpha3) {
            row.error(sink, "alpha3", format!("duplicate country {:?}", country.alpha3));
        }
        out.push(country);
    })?;
    Ok(out)
}

pub(super) fn read_areas(path: &str, text: &str, sink: &mut ErrorSink) -> Result<Vec<Area>> {
    let spec = TableSpec { columns: AREA_COLUMNS, allow_extra_columns: true };
    let mut out: Vec<Area> = Vec::new();
    read_table(path, text.as_bytes(), spec, sink, |row, sink| {
        let kind = match row.get("kind").unwrap_or("") {
            "region" => AreaKind::Region,
            "subregion" => AreaKind::Subregion,
            "intermediate" => AreaKind::Intermediate,
            other => {
                row.error(sink, "kind", format!("expected region, subregion or intermediate, found {other:?}"));
                AreaKind::Region
            }
        };
        let Some(m49) = m49_field(row, sink, "m49", true) else {
            return;
        };
        if out.iter().any(|a| a.m49 == m49) {
            row.error(sink, "m49", format!("duplicate area {m49}"));
        }
        out.push(Area {
            m49,
            name_en: row.get("name_en").unwrap_or("").to_string(),
            name_zh: row.get("name_zh").unwrap_or("").to_string(),
            kind,
        });
    })?;
    Ok(out)
}
