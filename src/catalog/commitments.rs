//! The commitment catalogue: one row per actionable sub-paragraph of the 2012 outcome document.

use crate::error::Result;
use crate::model::{CommitmentIdx, Theme, ThemeSet};
use crate::records::fields;
use crate::records::{ColumnSpec, ErrorSink, TableSpec, read_table};

/// Who may cite a commitment (docs/spec.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchRole {
    /// Needs and offers may cite it.
    Target,
    /// A donor-side duty: offers may cite it, needs may not.
    Provider,
    /// The reporting or matching mechanism itself: nobody cites it.
    Channel,
    /// Not matchable (meeting schedules, general statements).
    Process,
}

impl MatchRole {
    /// The CSV spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchRole::Target => "target",
            MatchRole::Provider => "provider",
            MatchRole::Channel => "channel",
            MatchRole::Process => "process",
        }
    }

    fn parse(text: &str) -> Option<MatchRole> {
        [MatchRole::Target, MatchRole::Provider, MatchRole::Channel, MatchRole::Process]
            .into_iter()
            .find(|r| r.as_str() == text)
    }
}

/// The part of the outcome document a commitment belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Annex I, the Declaration.
    Declaration,
    /// Annex II section 一.
    National,
    /// Annex II section 二.
    Regional,
    /// Annex II section 三.
    Global,
    /// Annex II section 四.
    Cooperation,
    /// Annex III section 一.
    ItiTracing,
    /// Annex III section 二.
    ItiImplementation,
    /// Annex IV.
    Meetings,
}

impl Level {
    const ALL: [Level; 8] = [
        Level::Declaration,
        Level::National,
        Level::Regional,
        Level::Global,
        Level::Cooperation,
        Level::ItiTracing,
        Level::ItiImplementation,
        Level::Meetings,
    ];

    /// The CSV spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Declaration => "declaration",
            Level::National => "national",
            Level::Regional => "regional",
            Level::Global => "global",
            Level::Cooperation => "cooperation",
            Level::ItiTracing => "iti_tracing",
            Level::ItiImplementation => "iti_implementation",
            Level::Meetings => "meetings",
        }
    }
}

/// One catalogue row.
#[derive(Debug, Clone, PartialEq)]
pub struct Commitment {
    /// Code such as `POA-N-2g` or `ITI-3a-bis`.
    pub code: String,
    /// `DECL`, `POA`, `ITI` or `MTG`.
    pub instrument: String,
    /// Human reference such as `Annex II 2(g)`.
    pub paragraph: String,
    /// Section of the document.
    pub level: Level,
    /// The project's short English title.
    pub title_en: String,
    /// A verbatim fragment of the Chinese seed.
    pub title_zh: String,
    /// Themes, most specific first.
    pub themes: Vec<Theme>,
    /// Who may cite it.
    pub match_role: MatchRole,
    /// Closely related codes.
    pub related: Vec<CommitmentIdx>,
}

impl Commitment {
    /// The themes as a bit set.
    pub fn theme_set(&self) -> ThemeSet {
        self.themes.iter().copied().collect()
    }

    /// The title in the requested language (`zh` or anything else for English).
    pub fn title(&self, lang: &str) -> &str {
        if lang == "zh" { &self.title_zh } else { &self.title_en }
    }
}

/// Whether `code` follows `^(DECL|POA-[NRGC]|ITI|MTG)-\d+[a-z]?(-bis)?$`.
pub fn code_matches_grammar(code: &str) -> bool {
    let rest = ["DECL-", "POA-N-", "POA-R-", "POA-G-", "POA-C-", "ITI-", "MTG-"]
        .iter()
        .find_map(|prefix| code.strip_prefix(prefix));
    let Some(rest) = rest else { return false };
    let rest = rest.strip_suffix("-bis").unwrap_or(rest);
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let tail = &rest.as_bytes()[digits..];
    digits > 0 && (tail.is_empty() || (tail.len() == 1 && tail[0].is_ascii_lowercase()))
}

const COLUMNS: &[ColumnSpec] = &[
    ColumnSpec::required("code"),
    ColumnSpec::required("instrument"),
    ColumnSpec::required("paragraph"),
    ColumnSpec::required("level"),
    ColumnSpec::required("title_en"),
    ColumnSpec::required("title_zh"),
    ColumnSpec::required("themes"),
    ColumnSpec::required("match_role"),
    ColumnSpec::required("related_codes"),
];

pub(super) fn read(path: &str, text: &str, sink: &mut ErrorSink) -> Result<Vec<Commitment>> {
    let spec = TableSpec { columns: COLUMNS, allow_extra_columns: true };
    let mut rows = Vec::new();
    let mut related_text = Vec::new();
    read_table(path, text.as_bytes(), spec, sink, |row, sink| {
        let code = row.get("code").unwrap_or("");
        if !code_matches_grammar(code) {
            row.error(sink, "code", format!("expected a code like POA-N-2g or ITI-3a-bis, found {code:?}"));
        }
        if rows.iter().any(|c: &Commitment| c.code == code) {
            row.error(sink, "code", format!("duplicate code {code:?}"));
        }
        let level_text = row.get("level").unwrap_or("");
        let level = Level::ALL.into_iter().find(|l| l.as_str() == level_text).unwrap_or_else(|| {
            row.error(sink, "level", format!("unknown level {level_text:?}"));
            Level::Declaration
        });
        let mut themes = Vec::new();
        for t in fields::list(row.get("themes").unwrap_or("")) {
            match Theme::parse(t) {
                Some(theme) => themes.push(theme),
                None => row.error(sink, "themes", format!("expected one of {}, found {t:?}", Theme::expected())),
            }
        }
        let role_text = row.get("match_role").unwrap_or("");
        let match_role = MatchRole::parse(role_text).unwrap_or_else(|| {
            row.error(
                sink,
                "match_role",
                format!("expected target, provider, channel or process, found {role_text:?}"),
            );
            MatchRole::Process
        });
        related_text.push((
            row.line,
            row.location("related_codes"),
            row.get("related_codes").unwrap_or("").to_string(),
        ));
        rows.push(Commitment {
            code: code.to_string(),
            instrument: row.get("instrument").unwrap_or("").to_string(),
            paragraph: row.get("paragraph").unwrap_or("").to_string(),
            level,
            title_en: row.get("title_en").unwrap_or("").to_string(),
            title_zh: row.get("title_zh").unwrap_or("").to_string(),
            themes,
            match_role,
            related: Vec::new(),
        });
    })?;
    // Related codes may point forward, so they are resolved once every code is known.
    for (i, (_, location, text)) in related_text.into_iter().enumerate() {
        for code in fields::list(&text) {
            match rows.iter().position(|c| c.code == code) {
                Some(k) => rows[i].related.push(CommitmentIdx(k as u16)),
                None => sink.push(location.clone(), format!("unknown related code {code:?}")),
            }
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammar() {
        for good in ["POA-N-2g", "ITI-3a-bis", "MTG-7", "DECL-12-bis", "DECL-10", "POA-C-5d"] {
            assert!(code_matches_grammar(good), "{good}");
        }
        for bad in ["POA-X-2g", "ITI-3", "ITI-a", "ITI-3ab", "ITI-3A", "iti-3a", "ITI-3a-bis-bis", "MTG-", "ITI-3a "] {
            assert_eq!(code_matches_grammar(bad), bad == "ITI-3", "{bad}");
        }
    }
}
