//! The languages people read poa-match's outputs in. Every word shown to people is looked up by a [`Lang`]
//! (the report's translation table, the catalogue's titles and the country table's names), so the choice is made
//! once, on the command line, and travels as this type rather than as a code string.

use std::fmt;

/// A language of labels, titles and names in the outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// Both languages, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The code written in files and passed to the reference tables (`en`, `zh`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The language of a recorded code: `zh` is Chinese and anything else English, the rule the reference
    /// tables follow too (a shard file written by an older version carries the code as text).
    pub fn from_code(code: &str) -> Lang {
        if code == "zh" { Lang::Zh } else { Lang::En }
    }

    /// The value of an HTML `lang` attribute.
    pub fn html_tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-Hans",
        }
    }

    /// One of two spellings: `en` in English, `zh` in Chinese.
    pub fn pick<T>(self, en: T, zh: T) -> T {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_read_as_english() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), lang);
        }
        assert_eq!(Lang::from_code("fr"), Lang::En);
        assert_eq!(Lang::Zh.html_tag(), "zh-Hans");
    }
}
