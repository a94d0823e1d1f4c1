//! Broken input files against `poa-match validate` (docs/spec.md §3, §8; data/README.md "Conventions").
//!
//! Every case writes one broken file next to a good one and checks the contract: exit code 3, nothing on stdout,
//! no panic, the error list on stderr, and one line that starts with exactly `PATH:LINE:COLUMN: field 'NAME': ` (or
//! `PATH:LINE:COLUMN: ` for errors that concern no single field) and carries the expected message fragments. PATH
//! is the path as given on the command line (`data/needs.csv`); LINE is the physical line on which the record
//! starts; COLUMN is the field's 1-based position in the header.
//!
//! The tests after the table pin bugs once found in the reader (one regression test per bug).

mod common;

use common::{
    NEEDS_HEADER, OFFERS_HEADER, TestDir, good_needs, good_offers, need_record as need, offer_record as offer,
    reorder_columns, to_crlf, write_good_pair,
};

const NEEDS: &str = "data/needs.csv";
const OFFERS: &str = "data/offers.csv";

/// Line on which a record appended to `good_needs()` / `good_offers()` starts.
const NEXT: u64 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    Needs,
    Offers,
}

/// One broken input.
#[derive(Debug, Clone)]
struct Case {
    name: String,
    /// Which file is broken; the other one is the good one.
    file: Which,
    content: Vec<u8>,
    line: u64,
    column: usize,
    /// The field the error names, or `None` for errors that name no field.
    field: Option<String>,
    /// Fragments that must all occur on the error's line.
    message: Vec<String>,
    /// Extra arguments after `validate --needs .. --offers ..`.
    args: Vec<&'static str>,
}

fn case(
    name: impl Into<String>,
    file: Which,
    content: impl Into<Vec<u8>>,
    (line, column): (u64, usize),
    field: Option<&str>,
    message: &[&str],
) -> Case {
    Case {
        name: name.into(),
        file,
        content: content.into(),
        line,
        column,
        field: field.map(str::to_string),
        message: message.iter().map(|m| m.to_string()).collect(),
        args: Vec::new(),
    }
}

impl Case {
    fn with_args(mut self, args: &[&'static str]) -> Case {
        self.args.extend_from_slice(args);
        self
    }
}

/// `good_needs()` with `rows` appended, each ended by LF; the first appended row starts on line [`NEXT`].
fn needs_plus(rows: &[String]) -> String {
    let mut text = good_needs();
    for r in rows {
        text.push_str(r);
        text.push('\n');
    }
    text
}

/// `good_offers()` with `rows` appended, each ended by LF; the first appended row starts on line [`NEXT`].
fn offers_plus(rows: &[String]) -> String {
    let mut text = good_offers();
    for r in rows {
        text.push_str(r);
        text.push('\n');
    }
    text
}

/// 1-based header position of a needs column in [`NEEDS_HEADER`].
fn ncol(name: &str) -> usize {
    NEEDS_HEADER.split(',').position(|c| c == name).unwrap() + 1
}

/// 1-based header position of an offers column in [`OFFERS_HEADER`].
fn ocol(name: &str) -> usize {
    OFFERS_HEADER.split(',').position(|c| c == name).unwrap() + 1
}

/// Replaces every `@` in `text` with the raw bytes `with` (to plant invalid UTF-8).
fn plant(text: &str, with: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, part) in text.split('@').enumerate() {
        if i > 0 {
            out.extend_from_slice(with);
        }
        out.extend_from_slice(part.as_bytes());
    }
    out
}

/// The needs header and rows without `column` (by name).
fn needs_without(column: &str) -> String {
    let order: Vec<&str> = NEEDS_HEADER.split(',').filter(|c| *c != column).collect();
    reorder_columns(&good_needs(), &order)
}

/// The offers header and rows without `column` (by name).
fn offers_without(column: &str) -> String {
    let order: Vec<&str> = OFFERS_HEADER.split(',').filter(|c| *c != column).collect();
    reorder_columns(&good_offers(), &order)
}

/// Bad money values with the fragments their message must carry.
const BAD_AMOUNTS: &[(&str, &str, &[&str])] = &[
    ("zero", "0", &["greater than zero", "\"0\""]),
    ("negative", "-5", &["greater than zero", "\"-5\""]),
    ("decimal point", "12.5", &["whole US dollars", "\"12.5\""]),
    ("decimal comma", "12,5", &["whole US dollars", "\"12,5\""]),
    ("exponent", "1e5", &["whole US dollars", "\"1e5\""]),
    ("overflowing", "99999999999999999999", &["largest supported amount", "99999999999999999999"]),
    ("over the limit", "1000000000001", &["largest supported amount", "1000000000001"]),
];

/// Bad dates with the fragments their message must carry.
const BAD_DATES: &[(&str, &[&str])] = &[
    ("2013-02-29", &["day 29 does not exist", "\"2013-02-29\""]),
    ("2013-13-01", &["month", "\"2013-13-01\""]),
    ("13/01/2013", &["YYYY-MM-DD", "\"13/01/2013\""]),
];

fn cases() -> Vec<Case> {
    use Which::{Needs as N, Offers as O};
    let mut v = vec![
        // ---- file and header structure ----
        case("empty needs file", N, "", (1, 1), None, &["the file is empty", "need_id"]),
        case("empty offers file", O, "", (1, 1), None, &["the file is empty", "offer_id"]),
        case("only a byte-order mark", N, "\u{feff}", (1, 1), None, &["empty"]),
        case("only blank lines", O, "\n\n\r\n", (1, 1), None, &["empty"]),
        case(
            "missing required column amount_usd",
            N,
            needs_without("amount_usd"),
            (1, 1),
            Some("amount_usd"),
            &["required column is missing"],
        ),
        case(
            "missing required column commitments",
            N,
            needs_without("commitments"),
            (1, 1),
            Some("commitments"),
            &["required column is missing"],
        ),
        case(
            "missing required column envelope_usd",
            O,
            offers_without("envelope_usd"),
            (1, 1),
            Some("envelope_usd"),
            &["required column is missing"],
        ),
        case(
            "missing required column not excused by --allow-extra-columns",
            O,
            offers_without("offer_id"),
            (1, 1),
            Some("offer_id"),
            &["required column is missing"],
        )
        .with_args(&["--allow-extra-columns"]),
        case(
            "unknown column in needs",
            N,
            "need_id,requester,commitments,kinds,amount_usd,budget\nX-01,BFA,ITI-2a,equipment,100,5\n",
            (1, 6),
            Some("budget"),
            &["unknown column", "--allow-extra-columns"],
        ),
        case(
            "unknown column in offers",
            O,
            "offer_id,donor,fund_code,envelope_usd\nX-01,NLD,F-7,100\n",
            (1, 3),
            Some("fund_code"),
            &["unknown column"],
        ),
        case(
            // A name in another case is the column (tests/forgiving_inputs.rs); a misspelt one is not.
            "misspelt column name",
            N,
            "need_id,requester,commitments,kinds,Amount_USDD\nX-01,BFA,ITI-2a,equipment,100\n",
            (1, 5),
            Some("Amount_USDD"),
            &["unknown column", "did you mean 'amount_usd'?"],
        ),
        case(
            "empty column name",
            N,
            "need_id,requester,commitments,kinds,amount_usd,\nX-01,BFA,ITI-2a,equipment,100,\n",
            (1, 6),
            None,
            &["empty column name"],
        ),
        case(
            "duplicated header",
            N,
            "need_id,requester,commitments,kinds,amount_usd,kinds\nX-01,BFA,ITI-2a,equipment,100,legal\n",
            (1, 6),
            Some("kinds"),
            &["appears twice", "first at column 4"],
        ),
        case(
            "duplicated extra column even with --allow-extra-columns",
            O,
            "offer_id,donor,envelope_usd,memo,memo\nX-01,NLD,100,a,b\n",
            (1, 5),
            Some("memo"),
            &["appears twice", "first at column 4"],
        )
        .with_args(&["--allow-extra-columns"]),
        case(
            "invalid UTF-8 in the header",
            N,
            plant("need_id,requester,commitments,kinds,amount_usd,ti@tle\nX-01,BFA,ITI-2a,equipment,100,t\n", b"\xff"),
            (1, 6),
            None,
            &["invalid UTF-8"],
        ),
        case(
            "invalid UTF-8 in a title cell",
            N,
            plant(&needs_plus(&[need(&[("title", "Caf@ armouries")])]), b"\xe9"),
            (NEXT, 16),
            Some("title"),
            &["invalid UTF-8", "byte 4"],
        ),
        case(
            "invalid UTF-8 in an offer id",
            O,
            plant(&offers_plus(&[offer(&[("offer_id", "X-@")])]), b"\xc3\x28"),
            (NEXT, 1),
            Some("offer_id"),
            &["invalid UTF-8"],
        ),
        case(
            "a row with too few fields",
            N,
            needs_plus(&["X-01,BFA,ITI-2a,equipment".to_string()]),
            (NEXT, 5),
            Some("commitments"),
            &["the row has 4 fields but the header has 17"],
        ),
        case(
            "a row with too many fields",
            N,
            needs_plus(&[need(&[]) + ",surplus"]),
            (NEXT, 18),
            None,
            &["the row has 18 fields but the header has only 17"],
        ),
        case(
            "an offers row with too many fields",
            O,
            offers_plus(&[offer(&[]) + ",x,y"]),
            (NEXT, 24),
            None,
            &["the row has 25 fields but the header has only 23"],
        ),
        // ---- positions across multi-line records ----
        case(
            "a record after a quoted multi-line field",
            N,
            needs_plus(&[
                need(&[("notes", "first line\nsecond line\n\nfourth line")]),
                need(&[("need_id", "X-02"), ("amount_usd", "0")]),
            ]),
            (NEXT + 4, 7),
            Some("amount_usd"),
            &["greater than zero"],
        ),
        case(
            "a multi-line record reports the line it starts on",
            N,
            needs_plus(&[need(&[("title", "Phase 1,\n\"north\"\nand south"), ("amount_usd", "12.5")])]),
            (NEXT, 7),
            Some("amount_usd"),
            &["whole US dollars"],
        ),
        case(
            "duplicate id after a multi-line record names the first line",
            O,
            offers_plus(&[offer(&[("notes", "a\nb\nc")]), offer(&[])]),
            (NEXT + 3, 1),
            Some("offer_id"),
            &["duplicate offer_id \"X-01\"", "first on line 5"],
        ),
        // ---- ids ----
        case(
            "duplicate need_id",
            N,
            needs_plus(&[need(&[("need_id", "NER-01")])]),
            (NEXT, 1),
            Some("need_id"),
            &["duplicate need_id \"NER-01\"", "first on line 3"],
        ),
        case(
            "duplicate offer_id",
            O,
            offers_plus(&[offer(&[("offer_id", "DEU-2013")])]),
            (NEXT, 1),
            Some("offer_id"),
            &["duplicate offer_id \"DEU-2013\"", "first on line 3"],
        ),
        case(
            "control character in need_id",
            N,
            needs_plus(&[need(&[("need_id", "X\u{7}01")])]),
            (NEXT, 1),
            Some("need_id"),
            &["control characters"],
        ),
        case(
            "need_id longer than 100 characters",
            N,
            needs_plus(&[need(&[("need_id", &"N".repeat(101))])]),
            (NEXT, 1),
            Some("need_id"),
            &["at most 100 characters"],
        ),
        // ---- commitments ----
        case(
            "unknown commitment code",
            N,
            needs_plus(&[need(&[("commitments", "ITI-2a;ITI-9z")])]),
            (NEXT, 5),
            Some("commitments"),
            &["unknown commitment code \"ITI-9z\""],
        ),
        case(
            // Codes are read in any case (tests/forgiving_inputs.rs); an unknown one in lower case is still unknown.
            "unknown commitment code in lower case",
            N,
            needs_plus(&[need(&[("commitments", "poa-n-9z")])]),
            (NEXT, 5),
            Some("commitments"),
            &["unknown commitment code \"poa-n-9z\""],
        ),
        case(
            "provider commitment on a need",
            N,
            needs_plus(&[need(&[("commitments", "ITI-2a;POA-C-5d")])]),
            (NEXT, 5),
            Some("commitments"),
            &["POA-C-5d", "provider", "needs may not cite it"],
        ),
        case(
            "channel commitment on a need",
            N,
            needs_plus(&[need(&[("commitments", "ITI-3g")])]),
            (NEXT, 5),
            Some("commitments"),
            &["ITI-3g", "channel"],
        ),
        case(
            "process commitment on a need",
            N,
            needs_plus(&[need(&[("commitments", "MTG-5")])]),
            (NEXT, 5),
            Some("commitments"),
            &["MTG-5", "process"],
        ),
        case(
            "channel commitment on an offer",
            O,
            offers_plus(&[offer(&[("commitments", "POA-C-5d;ITI-3g")])]),
            (NEXT, 8),
            Some("commitments"),
            &["ITI-3g", "channel", "offers may not cite it"],
        ),
        case(
            "process commitment on an offer",
            O,
            offers_plus(&[offer(&[("commitments", "DECL-12-bis")])]),
            (NEXT, 8),
            Some("commitments"),
            &["DECL-12-bis", "process"],
        ),
        case(
            "unknown commitment code on an offer",
            O,
            offers_plus(&[offer(&[("commitments", "POA-X-1")])]),
            (NEXT, 8),
            Some("commitments"),
            &["unknown commitment code \"POA-X-1\""],
        ),
        case(
            "commitments list of separators only",
            N,
            needs_plus(&[need(&[("commitments", ";")])]),
            (NEXT, 5),
            Some("commitments"),
            &["lists no commitment code"],
        ),
        case(
            "kinds list of separators only",
            N,
            needs_plus(&[need(&[("kinds", ";;")])]),
            (NEXT, 6),
            Some("kinds"),
            &["lists no kind"],
        ),
        // ---- countries, regions, organisations ----
        case(
            "unknown requester country",
            N,
            needs_plus(&[need(&[("requester", "XX")])]),
            (NEXT, 2),
            Some("requester"),
            &["unknown country code \"XX\""],
        ),
        case(
            "numeric requester",
            N,
            needs_plus(&[need(&[("requester", "854")])]),
            (NEXT, 2),
            Some("requester"),
            &["unknown country code \"854\""],
        ),
        case(
            "organisation as a State requester",
            N,
            needs_plus(&[need(&[("requester", "ECOWAS")])]),
            (NEXT, 2),
            Some("requester"),
            &["unknown country code \"ECOWAS\""],
        ),
        case(
            "malformed organisation code",
            N,
            needs_plus(&[need(&[("requester", "ECO WAS"), ("requester_type", "regional_org"), ("region", "11")])]),
            (NEXT, 2),
            Some("requester"),
            &["organisation code", "\"ECO WAS\""],
        ),
        case(
            "unknown country in countries_include",
            O,
            offers_plus(&[offer(&[("countries_include", "BF;XXX")])]),
            (NEXT, 12),
            Some("countries_include"),
            &["unknown country code \"XXX\""],
        ),
        case(
            "unknown country in countries_exclude",
            O,
            offers_plus(&[offer(&[("countries_exclude", "ZZ")])]),
            (NEXT, 13),
            Some("countries_exclude"),
            &["unknown country code \"ZZ\""],
        ),
        case(
            "unknown country for a State donor",
            O,
            offers_plus(&[offer(&[("donor", "ZZ"), ("donor_type", "state")])]),
            (NEXT, 2),
            Some("donor"),
            &["unknown country code \"ZZ\""],
        ),
        case(
            "regional_org requester without region",
            N,
            needs_plus(&[need(&[("requester", "ECOWAS"), ("requester_type", "regional_org")])]),
            (NEXT, 4),
            Some("region"),
            &["required when requester_type is regional_org"],
        ),
        case(
            "regional_org requester in a file without a region column",
            N,
            "need_id,requester,requester_type,commitments,kinds,amount_usd\nX-01,ECOWAS,regional_org,ITI-2a,equipment,100\n",
            (2, 7),
            Some("region"),
            &["required when requester_type is regional_org"],
        ),
        case(
            "region that does not contain the State",
            N,
            needs_plus(&[need(&[("region", "19")])]),
            (NEXT, 4),
            Some("region"),
            &["area 19 does not contain the requester BFA"],
        ),
        case(
            "unknown M49 area in region",
            N,
            needs_plus(&[need(&[("region", "998")])]),
            (NEXT, 4),
            Some("region"),
            &["unknown M49 area code \"998\""],
        ),
        case(
            // Area names are read like codes (tests/forgiving_inputs.rs); a name that is no area is not.
            "non-numeric region that names no area",
            N,
            needs_plus(&[need(&[("region", "Atlantis")])]),
            (NEXT, 4),
            Some("region"),
            &["expected an M49 area code or name", "\"Atlantis\""],
        ),
        case(
            "unknown M49 area in regions_m49",
            O,
            offers_plus(&[offer(&[("regions_m49", "2;999")])]),
            (NEXT, 11),
            Some("regions_m49"),
            &["unknown M49 area code \"999\""],
        ),
        // ---- relations between fields ----
        case(
            "min_award above amount",
            N,
            needs_plus(&[need(&[("min_award_usd", "100001")])]),
            (NEXT, 9),
            Some("min_award_usd"),
            &["100001 is above amount_usd 100000"],
        ),
        case(
            "min_award on an all_or_nothing need",
            N,
            needs_plus(&[need(&[("funding_mode", "all_or_nothing"), ("min_award_usd", "50000")])]),
            (NEXT, 9),
            Some("min_award_usd"),
            &["only to partial needs"],
        ),
        // The reader reports this one on the cap (the second of the pair), as it does for dates and durations.
        case(
            "floor above cap",
            O,
            offers_plus(&[offer(&[("cap_per_need_usd", "100000"), ("floor_per_need_usd", "150000")])]),
            (NEXT, 6),
            Some("floor_per_need_usd"),
            &["150000 is above cap_per_need_usd 100000"],
        ),
        case(
            "floor above envelope",
            O,
            offers_plus(&[offer(&[("envelope_usd", "100000"), ("floor_per_need_usd", "150000")])]),
            (NEXT, 6),
            Some("floor_per_need_usd"),
            &["150000 is above envelope_usd 100000"],
        ),
        case(
            "start_latest before start_earliest",
            N,
            needs_plus(&[need(&[("start_earliest", "2013-05-01"), ("start_latest", "2013-04-30")])]),
            (NEXT, 12),
            Some("start_latest"),
            &["2013-04-30", "start_earliest 2013-05-01"],
        ),
        case(
            "window_end before window_start",
            O,
            offers_plus(&[offer(&[("window_start", "2014-01-01"), ("window_end", "2013-12-31")])]),
            (NEXT, 19),
            Some("window_end"),
            &["2013-12-31", "window_start 2014-01-01"],
        ),
        case(
            "duration_min above duration_max",
            O,
            offers_plus(&[offer(&[("duration_min_months", "24"), ("duration_max_months", "12")])]),
            (NEXT, 20),
            Some("duration_min_months"),
            &["24 is above duration_max_months 12"],
        ),
        // ---- integers in ranges ----
        case(
            "priority 0",
            N,
            needs_plus(&[need(&[("priority", "0")])]),
            (NEXT, 10),
            Some("priority"),
            &["from 1 to 3", "\"0\""],
        ),
        case(
            "priority 4",
            N,
            needs_plus(&[need(&[("priority", "4")])]),
            (NEXT, 10),
            Some("priority"),
            &["from 1 to 3", "\"4\""],
        ),
        case(
            "priority as a word",
            N,
            needs_plus(&[need(&[("priority", "high")])]),
            (NEXT, 10),
            Some("priority"),
            &["from 1 to 3", "\"high\""],
        ),
        case(
            "duration_months 0",
            N,
            needs_plus(&[need(&[("duration_months", "0")])]),
            (NEXT, 13),
            Some("duration_months"),
            &["from 1 to 60", "\"0\""],
        ),
        case(
            "duration_months 61",
            N,
            needs_plus(&[need(&[("duration_months", "61")])]),
            (NEXT, 13),
            Some("duration_months"),
            &["from 1 to 60", "\"61\""],
        ),
        case(
            "duration_months with a decimal",
            N,
            needs_plus(&[need(&[("duration_months", "12.5")])]),
            (NEXT, 13),
            Some("duration_months"),
            &["from 1 to 60", "\"12.5\""],
        ),
        case(
            "duration_min_months 0",
            O,
            offers_plus(&[offer(&[("duration_min_months", "0")])]),
            (NEXT, 20),
            Some("duration_min_months"),
            &["from 1 to 60"],
        ),
        case(
            "duration_max_months 61",
            O,
            offers_plus(&[offer(&[("duration_max_months", "61")])]),
            (NEXT, 21),
            Some("duration_max_months"),
            &["from 1 to 60"],
        ),
        case(
            "max_awards 0",
            O,
            offers_plus(&[offer(&[("max_awards", "0")])]),
            (NEXT, 7),
            Some("max_awards"),
            &["\"0\""],
        ),
        // ---- closed vocabularies ----
        case(
            "requester_type in the wrong case",
            N,
            needs_plus(&[need(&[("requester_type", "State")])]),
            (NEXT, 3),
            Some("requester_type"),
            &["state, regional_org", "\"State\""],
        ),
        case(
            "funding_mode unknown",
            N,
            needs_plus(&[need(&[("funding_mode", "mixed")])]),
            (NEXT, 8),
            Some("funding_mode"),
            &["partial, all_or_nothing", "\"mixed\""],
        ),
        case(
            "implementer_type unknown",
            N,
            needs_plus(&[need(&[("implementer_type", "gov")])]),
            (NEXT, 14),
            Some("implementer_type"),
            &["un_agency", "\"gov\""],
        ),
        case(
            "donor_type unknown",
            O,
            offers_plus(&[offer(&[("donor_type", "charity")])]),
            (NEXT, 3),
            Some("donor_type"),
            &["state, fund", "\"charity\""],
        ),
        case(
            "kinds on a need with an unknown value",
            N,
            needs_plus(&[need(&[("kinds", "equipment;cash")])]),
            (NEXT, 6),
            Some("kinds"),
            &["financial, technical", "\"cash\""],
        ),
        case(
            "kinds on a need in the wrong case",
            N,
            needs_plus(&[need(&[("kinds", "Training")])]),
            (NEXT, 6),
            Some("kinds"),
            &["\"Training\""],
        ),
        case(
            "kinds on an offer with an unknown value",
            O,
            offers_plus(&[offer(&[("kinds", "grants")])]),
            (NEXT, 10),
            Some("kinds"),
            &["\"grants\""],
        ),
        case(
            "themes unknown",
            O,
            offers_plus(&[offer(&[("themes", "marking;colour")])]),
            (NEXT, 9),
            Some("themes"),
            &["record_keeping", "\"colour\""],
        ),
        case(
            "recipient_flags in lower case",
            O,
            offers_plus(&[offer(&[("recipient_flags", "ldc")])]),
            (NEXT, 14),
            Some("recipient_flags"),
            &["LDC, LLDC, SIDS", "\"ldc\""],
        ),
        case(
            "implementer_types unknown",
            O,
            offers_plus(&[offer(&[("implementer_types", "un_agency;gov")])]),
            (NEXT, 15),
            Some("implementer_types"),
            &["\"gov\""],
        ),
        case(
            "requires_national_report not a boolean",
            O,
            offers_plus(&[offer(&[("requires_national_report", "maybe")])]),
            (NEXT, 16),
            Some("requires_national_report"),
            &["true or false", "\"maybe\""],
        ),
        case(
            "allow_cofinance not a boolean",
            O,
            offers_plus(&[offer(&[("allow_cofinance", "perhaps")])]),
            (NEXT, 17),
            Some("allow_cofinance"),
            &["true or false", "\"perhaps\""],
        ),
        // ---- more malformed money ----
        case(
            "amount with a thousands separator",
            N,
            needs_plus(&[need(&[("amount_usd", "100 000")])]),
            (NEXT, 7),
            Some("amount_usd"),
            &["whole US dollars", "\"100 000\""],
        ),
        case(
            "amount with a currency sign",
            N,
            needs_plus(&[need(&[("amount_usd", "$100")])]),
            (NEXT, 7),
            Some("amount_usd"),
            &["whole US dollars", "\"$100\""],
        ),
        case(
            "amount with a plus sign",
            O,
            offers_plus(&[offer(&[("envelope_usd", "+100")])]),
            (NEXT, 4),
            Some("envelope_usd"),
            &["whole US dollars", "\"+100\""],
        ),
    ];

    // Every bad amount in every money column.
    for (field, which) in [
        ("amount_usd", N),
        ("min_award_usd", N),
        ("envelope_usd", O),
        ("cap_per_need_usd", O),
        ("floor_per_need_usd", O),
    ] {
        for (label, value, message) in BAD_AMOUNTS {
            let (content, column) = match which {
                N => (needs_plus(&[need(&[(field, value)])]), ncol(field)),
                O => (offers_plus(&[offer(&[(field, value)])]), ocol(field)),
            };
            v.push(case(format!("{label} {field}"), which, content, (NEXT, column), Some(field), message));
        }
    }

    // Every bad date in every date column.
    for (field, which) in [("start_earliest", N), ("start_latest", N), ("window_start", O), ("window_end", O)] {
        for (value, message) in BAD_DATES {
            let (content, column) = match which {
                N => (needs_plus(&[need(&[(field, value)])]), ncol(field)),
                O => (offers_plus(&[offer(&[(field, value)])]), ocol(field)),
            };
            v.push(case(format!("bad date {value} in {field}"), which, content, (NEXT, column), Some(field), message));
        }
    }

    // Every required field left blank (and whitespace-only, which counts as blank).
    for (field, which) in [
        ("need_id", N),
        ("requester", N),
        ("commitments", N),
        ("kinds", N),
        ("amount_usd", N),
        ("offer_id", O),
        ("donor", O),
        ("envelope_usd", O),
    ] {
        for (label, blank) in [("blank", ""), ("whitespace-only", "  ")] {
            let (content, column) = match which {
                N => (needs_plus(&[need(&[(field, blank)])]), ncol(field)),
                O => (offers_plus(&[offer(&[(field, blank)])]), ocol(field)),
            };
            v.push(case(
                format!("required {field} {label}"),
                which,
                content,
                (NEXT, column),
                Some(field),
                &["is required but blank"],
            ));
        }
    }
    v
}

/// Checks the shape of an error report: the summary line, then only located lines and the "... and N more" line.
fn check_report_shape(stderr: &str) -> Result<(), String> {
    let mut lines = stderr.lines();
    let first = lines.next().unwrap_or("");
    if !(first.starts_with("error: invalid input data (") && first.ends_with("):")) {
        return Err(format!("first stderr line is not `error: invalid input data (N errors):`: {first:?}"));
    }
    for line in lines.filter(|l| !l.is_empty()) {
        let more = line
            .strip_prefix("... and ")
            .and_then(|r| r.strip_suffix(" more"))
            .is_some_and(|n| n.parse::<u64>().is_ok());
        if more {
            continue;
        }
        let located = [NEEDS, OFFERS].iter().any(|p| {
            line.strip_prefix(p)
                .and_then(|r| r.strip_prefix(':'))
                .and_then(|r| r.split_once(':'))
                .and_then(|(l, r)| l.parse::<u64>().ok().and(r.split_once(": ")))
                .is_some_and(|(c, _)| c.parse::<usize>().is_ok())
        });
        if !located {
            return Err(format!("stderr line is not `PATH:LINE:COLUMN: ...`: {line:?}"));
        }
    }
    Ok(())
}

/// Runs one case; `Err` describes every way it failed, with the whole run.
fn check(case: &Case) -> Result<(), String> {
    let dir = TestDir::new();
    write_good_pair(&dir);
    let (path, _) = match case.file {
        Which::Needs => (NEEDS, dir.write(NEEDS, &case.content)),
        Which::Offers => (OFFERS, dir.write(OFFERS, &case.content)),
    };
    let mut args = vec!["validate", "--needs", NEEDS, "--offers", OFFERS];
    args.extend(&case.args);
    let run = dir.run(&args);
    let stderr = run.stderr();

    let mut problems = Vec::new();
    if run.code() != Some(3) {
        problems.push(format!("exit code {:?}, expected 3", run.code()));
    }
    if !run.output.stdout.is_empty() {
        problems.push("stdout is not empty".to_string());
    }
    if stderr.contains("panicked") || run.code().is_none() {
        problems.push("the process panicked or was killed".to_string());
    }
    if let Err(e) = check_report_shape(&stderr) {
        problems.push(e);
    }
    let prefix = match &case.field {
        Some(f) => format!("{path}:{}:{}: field '{f}': ", case.line, case.column),
        None => format!("{path}:{}:{}: ", case.line, case.column),
    };
    let at_place: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with(&prefix))
        .filter(|l| case.field.is_some() || !l[prefix.len()..].starts_with("field '"))
        .collect();
    if at_place.is_empty() {
        problems.push(format!("no stderr line starts with {prefix:?}"));
    } else if !at_place.iter().any(|l| case.message.iter().all(|m| l.contains(m.as_str()))) {
        problems.push(format!("no line at {prefix:?} contains all of {:?}", case.message));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("case {:?}:\n  - {}\n{}", case.name, problems.join("\n  - "), run.report()))
    }
}

#[track_caller]
fn assert_case(case: Case) {
    if let Err(e) = check(&case) {
        panic!("{e}");
    }
}

#[test]
fn every_broken_file_is_reported_at_its_cell() {
    let cases = cases();
    assert!(cases.len() >= 45, "only {} cases", cases.len());
    let mut names = std::collections::HashSet::new();
    for c in &cases {
        assert!(names.insert(c.name.clone()), "two cases named {:?}", c.name);
    }
    let failures: Vec<String> = cases.iter().filter_map(|c| check(c).err()).collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), cases.len(), failures.join("\n\n"));
}

// ---- the fixtures themselves ----

#[test]
fn fixtures_have_the_shape_the_cases_assume() {
    assert_eq!(good_needs().lines().count() as u64, NEXT - 1);
    assert_eq!(good_offers().lines().count() as u64, NEXT - 1);
    assert_eq!(NEEDS_HEADER.split(',').count(), 17);
    assert_eq!(OFFERS_HEADER.split(',').count(), 23);
    for (name, column) in [("amount_usd", 7), ("title", 16), ("notes", 17)] {
        assert_eq!(ncol(name), column);
    }
    for (name, column) in [("envelope_usd", 4), ("window_end", 19), ("notes", 23)] {
        assert_eq!(ocol(name), column);
    }
    // The base records are valid on their own.
    let dir = TestDir::new();
    dir.write(NEEDS, needs_plus(&[need(&[])]));
    dir.write(OFFERS, offers_plus(&[offer(&[])]));
    dir.run(&["validate", "--needs", NEEDS, "--offers", OFFERS])
        .assert_success()
        .assert_stdout_contains("4 needs")
        .assert_stdout_contains("4 offers");
}

// ---- files that are fine ----

fn validate_ok(needs: impl AsRef<[u8]>, offers: impl AsRef<[u8]>, extra: &[&str]) -> common::Run {
    let dir = TestDir::new();
    dir.write(NEEDS, needs);
    dir.write(OFFERS, offers);
    let mut args = vec!["validate", "--needs", NEEDS, "--offers", OFFERS];
    args.extend_from_slice(extra);
    let run = dir.run(&args);
    run.assert_success().assert_no_panic();
    run
}

#[test]
fn good_pair_is_valid() {
    validate_ok(good_needs(), good_offers(), &[])
        .assert_stdout_contains("3 needs")
        .assert_stdout_contains("3 offers")
        .assert_stdout_contains(NEEDS)
        .assert_stdout_contains(OFFERS);
}

#[test]
fn header_only_files_are_valid_with_zero_rows() {
    validate_ok(format!("{NEEDS_HEADER}\n"), format!("{OFFERS_HEADER}\n"), &[])
        .assert_stdout_contains("0 needs")
        .assert_stdout_contains("0 offers");
    // Without a final line end, too.
    validate_ok(NEEDS_HEADER, OFFERS_HEADER, &[]).assert_stdout_contains("0 needs");
    // Only the required columns.
    validate_ok("need_id,requester,commitments,kinds,amount_usd\n", "offer_id,donor,envelope_usd\n", &[])
        .assert_stdout_contains("0 needs");
}

#[test]
fn allow_extra_columns_accepts_unknown_columns() {
    let needs = "need_id,requester,commitments,kinds,amount_usd,budget\nX-01,BFA,ITI-2a,equipment,100,5\n";
    let offers = "offer_id,donor,fund_code,envelope_usd\nX-01,NLD,F-7,100\n";
    validate_ok(needs, offers, &["--allow-extra-columns"])
        .assert_stdout_contains("1 need from 1 State")
        .assert_stdout_contains("1 offer from 1 donor");
    // And without the flag the same files are refused, each at its unknown column.
    let dir = TestDir::new();
    dir.write(NEEDS, needs);
    dir.write(OFFERS, offers);
    dir.run(&["validate", "--needs", NEEDS, "--offers", OFFERS])
        .assert_code(3)
        .assert_stderr_contains("data/needs.csv:1:6: field 'budget': unknown column")
        .assert_stderr_contains("data/offers.csv:1:3: field 'fund_code': unknown column");
}

#[test]
fn accepts_utf8_byte_order_mark() {
    validate_ok(format!("\u{feff}{}", good_needs()), format!("\u{feff}{}", good_offers()), &[])
        .assert_stdout_contains("3 needs")
        .assert_stdout_contains("3 offers");
}

#[test]
fn accepts_crlf_line_ends() {
    let needs = needs_plus(&[need(&[("notes", "two\nlines")])]);
    validate_ok(to_crlf(&needs), to_crlf(&good_offers()), &[])
        .assert_stdout_contains("4 needs")
        .assert_stdout_contains("3 offers");
}

#[test]
fn accepts_quoted_fields_with_commas_quotes_and_newlines() {
    let needs = needs_plus(&[
        need(&[
            ("title", "Marking, record-keeping and \"tracing\""),
            ("notes", "Line one,\nline \"two\"\n\n第三行：标识、登记、追查"),
        ]),
        need(&[("need_id", "X-02"), ("title", "\"\""), ("notes", ",,,\n\"\n")]),
    ]);
    let offers = offers_plus(&[offer(&[("title", "A, B and \"C\""), ("notes", "x\ny")])]);
    validate_ok(needs, offers, &[]).assert_stdout_contains("5 needs").assert_stdout_contains("4 offers");
}

#[test]
fn accepts_columns_in_any_order() {
    let mut needs_order: Vec<&str> = NEEDS_HEADER.split(',').collect();
    needs_order.reverse();
    let mut offers_order: Vec<&str> = OFFERS_HEADER.split(',').collect();
    offers_order.rotate_left(7);
    validate_ok(reorder_columns(&good_needs(), &needs_order), reorder_columns(&good_offers(), &offers_order), &[])
        .assert_stdout_contains("3 needs")
        .assert_stdout_contains("3 offers");
    // An error in a reordered file names the column's position in that file's header.
    let dir = TestDir::new();
    dir.write(NEEDS, "amount_usd,kinds,commitments,requester,need_id\n0,equipment,ITI-2a,BF,X-01\n");
    dir.write(OFFERS, good_offers());
    dir.run(&["validate", "--needs", NEEDS, "--offers", OFFERS])
        .assert_code(3)
        .assert_stderr_contains("data/needs.csv:2:1: field 'amount_usd': must be greater than zero");
}

#[test]
fn accepts_alpha2_and_alpha3_requesters() {
    let needs = needs_plus(&[
        need(&[("requester", "BF")]),
        need(&[("need_id", "X-02"), ("requester", "BFA"), ("region", "202")]),
        need(&[("need_id", "X-03"), ("requester", "NE"), ("region", "2")]),
    ]);
    validate_ok(needs, good_offers(), &[]).assert_stdout_contains("6 needs").assert_stdout_contains("from 2 States");
}

#[test]
fn accepts_the_largest_amount_and_a_missing_final_newline() {
    let needs = format!("{}{}", good_needs(), need(&[("amount_usd", "1000000000000"), ("min_award_usd", "1")]));
    let offers = format!(
        "{}{}",
        good_offers(),
        offer(&[
            ("envelope_usd", "1000000000000"),
            ("cap_per_need_usd", "1000000000000"),
            ("floor_per_need_usd", "1000000000000"),
        ])
    );
    validate_ok(needs, offers, &[]).assert_stdout_contains("4 needs").assert_stdout_contains("4 offers");
}

// ---- several errors ----

#[test]
fn every_bad_cell_of_a_row_is_reported_in_column_order() {
    let dir = TestDir::new();
    dir.write(
        NEEDS,
        needs_plus(&[need(&[
            ("requester", "XX"),
            ("amount_usd", "0"),
            ("priority", "9"),
            ("start_earliest", "2013-02-30"),
            ("implementer_type", "gov"),
        ])]),
    );
    dir.write(OFFERS, good_offers());
    let run = dir.run(&["validate", "--needs", NEEDS, "--offers", OFFERS]);
    run.assert_code(3).assert_no_panic().assert_stdout_empty();
    run.assert_stderr_contains("error: invalid input data (5 errors):");
    let located: Vec<String> = run
        .stderr()
        .lines()
        .filter(|l| l.starts_with("data/"))
        .map(|l| l.split(": ").next().unwrap().to_string())
        .collect();
    run.check(
        located
            == [
                "data/needs.csv:5:2",
                "data/needs.csv:5:7",
                "data/needs.csv:5:10",
                "data/needs.csv:5:11",
                "data/needs.csv:5:14",
            ],
        &format!("unexpected error locations {located:?}"),
    );
}

#[test]
fn errors_in_both_files_are_reported_in_one_run() {
    let dir = TestDir::new();
    dir.write(NEEDS, needs_plus(&[need(&[("amount_usd", "0")])]));
    dir.write(OFFERS, offers_plus(&[offer(&[]), offer(&[("offer_id", "X-02"), ("themes", "colour")])]));
    let run = dir.run(&["validate", "--needs", NEEDS, "--offers", OFFERS]);
    run.assert_code(3)
        .assert_no_panic()
        .assert_stdout_empty()
        .assert_stderr_contains("error: invalid input data (2 errors):")
        .assert_stderr_contains("data/needs.csv:5:7: field 'amount_usd': must be greater than zero")
        .assert_stderr_contains("data/offers.csv:6:9: field 'themes': expected one of");
    let stderr = run.stderr();
    let needs_at = stderr.find("data/needs.csv:").unwrap();
    let offers_at = stderr.find("data/offers.csv:").unwrap();
    run.check(needs_at < offers_at, "needs errors should come before offers errors");
}

fn many_bad_needs(n: usize) -> String {
    let rows: Vec<String> = (1..=n).map(|i| need(&[("need_id", &format!("X-{i:03}")), ("amount_usd", "0")])).collect();
    needs_plus(&rows)
}

#[test]
fn more_than_100_errors_are_counted_not_listed() {
    let dir = TestDir::new();
    dir.write(NEEDS, many_bad_needs(150));
    dir.write(OFFERS, good_offers());
    let run = dir.run(&["validate", "--needs", NEEDS, "--offers", OFFERS]);
    run.assert_code(3).assert_no_panic().assert_stdout_empty();
    run.assert_stderr_contains("error: invalid input data (150 errors):");
    let stderr = run.stderr();
    let listed = stderr.lines().filter(|l| l.starts_with(NEEDS)).count();
    run.check(listed == 100, &format!("{listed} errors listed, expected 100"));
    run.check(stderr.trim_end().ends_with("... and 50 more"), "the report should end with `... and 50 more`");
    // The first 100 in file order: lines 5 to 104.
    run.assert_stderr_contains("data/needs.csv:5:7: field 'amount_usd':")
        .assert_stderr_contains("data/needs.csv:104:7: field 'amount_usd':");
    run.check(!stderr.contains("data/needs.csv:105:"), "the 101st error should not be listed");
    if let Err(e) = check_report_shape(&stderr) {
        panic!("{e}\n{}", run.report());
    }
}

#[test]
fn max_errors_limits_the_list_over_both_files() {
    let dir = TestDir::new();
    dir.write(NEEDS, many_bad_needs(5));
    dir.write(
        OFFERS,
        offers_plus(&[offer(&[("envelope_usd", "0")]), offer(&[("offer_id", "X-02"), ("envelope_usd", "0")])]),
    );
    let run = dir.run(&["validate", "--needs", NEEDS, "--offers", OFFERS, "--max-errors", "3"]);
    run.assert_code(3).assert_no_panic().assert_stdout_empty();
    run.assert_stderr_contains("error: invalid input data (7 errors):");
    let stderr = run.stderr();
    let listed: Vec<&str> = stderr.lines().filter(|l| l.starts_with("data/")).collect();
    run.check(
        listed.len() == 3
            && listed[0].starts_with("data/needs.csv:5:7:")
            && listed[2].starts_with("data/needs.csv:7:7:"),
        &format!("expected the first three needs errors, got {listed:?}"),
    );
    run.check(stderr.trim_end().ends_with("... and 4 more"), "the report should end with `... and 4 more`");
}

#[test]
fn max_errors_zero_is_a_usage_error() {
    let dir = TestDir::new();
    write_good_pair(&dir);
    dir.run(&["validate", "--needs", NEEDS, "--offers", OFFERS, "--max-errors", "0"])
        .assert_code(2)
        .assert_no_panic()
        .assert_stderr_contains("--max-errors");
}

// ---- files that cannot be read ----

#[test]
fn missing_file_is_an_io_failure_naming_the_path() {
    let dir = TestDir::new();
    write_good_pair(&dir);
    for args in [
        ["validate", "--needs", "data/nope.csv", "--offers", OFFERS],
        ["validate", "--needs", NEEDS, "--offers", "data/nope.csv"],
    ] {
        dir.run(&args).assert_code(1).assert_no_panic().assert_stdout_empty().assert_stderr_contains("data/nope.csv");
    }
}

#[test]
fn directory_instead_of_a_file_is_an_io_failure_naming_the_path() {
    let dir = TestDir::new();
    write_good_pair(&dir);
    dir.mkdir("data/folder.csv");
    for args in [
        ["validate", "--needs", "data/folder.csv", "--offers", OFFERS],
        ["validate", "--needs", NEEDS, "--offers", "data/folder.csv"],
    ] {
        dir.run(&args)
            .assert_code(1)
            .assert_no_panic()
            .assert_stdout_empty()
            .assert_stderr_contains("data/folder.csv")
            .assert_stderr_contains("directory");
    }
}

// ---- unterminated quotes ----

/// A record whose `column` opens a quote that is never closed, followed by a record (X-02, amount 0) that the quote
/// swallows.
fn unterminated_quote_needs(column: &str) -> String {
    let open = need(&[(column, "OPEN")]).replace("OPEN", "\"Unclosed text,");
    needs_plus(&[open, need(&[("need_id", "X-02"), ("amount_usd", "0")])])
}

fn validate_needs(needs: String) -> common::Run {
    let dir = TestDir::new();
    dir.write(NEEDS, needs);
    dir.write(OFFERS, good_offers());
    dir.run(&["validate", "--needs", NEEDS, "--offers", OFFERS])
}

#[test]
fn unterminated_quote_in_the_last_column_is_an_error() {
    validate_needs(unterminated_quote_needs("notes"))
        .assert_code(3)
        .assert_no_panic()
        .assert_stdout_empty()
        .assert_stderr_contains("data/needs.csv:5:17: field 'notes':")
        .assert_stderr_contains("quote");
}

#[test]
fn unterminated_quote_in_a_middle_column_names_the_quote() {
    validate_needs(unterminated_quote_needs("title"))
        .assert_code(3)
        .assert_stderr_contains("data/needs.csv:5:16: field 'title':")
        .assert_stderr_contains("quote");
}

// ---- known bugs in the reader ----

#[test]
fn crlf_files_report_the_physical_line() {
    assert_case(case(
        "CRLF line numbers",
        Which::Needs,
        to_crlf(&needs_plus(&[need(&[("amount_usd", "0")])])),
        (NEXT, 7),
        Some("amount_usd"),
        &["greater than zero"],
    ));
}

#[test]
fn crlf_record_after_multiline_field_reports_its_physical_line() {
    assert_case(case(
        "CRLF record after a multi-line field",
        Which::Offers,
        to_crlf(&offers_plus(&[offer(&[("notes", "a\nb")]), offer(&[("offer_id", "X-02"), ("envelope_usd", "0")])])),
        (NEXT + 2, 4),
        Some("envelope_usd"),
        &["greater than zero"],
    ));
}

#[test]
fn blank_lines_before_a_record_are_counted() {
    assert_case(case(
        "blank lines before a record",
        Which::Needs,
        format!("{}\n\n{}\n", good_needs(), need(&[("amount_usd", "0")])),
        (NEXT + 2, 7),
        Some("amount_usd"),
        &["greater than zero"],
    ));
}

#[test]
fn blank_line_before_the_header_is_counted() {
    assert_case(case(
        "blank line before the header",
        Which::Needs,
        "\nneed_id,requester,commitments,kinds,amount_usd,budget\nX-01,BFA,ITI-2a,equipment,100,5\n",
        (2, 6),
        Some("budget"),
        &["unknown column"],
    ));
}

#[test]
fn column_named_three_times_points_at_the_first() {
    assert_case(case(
        "column named three times",
        Which::Needs,
        "need_id,requester,commitments,kinds,amount_usd,kinds,kinds\nX-01,BFA,ITI-2a,equipment,100,legal,legal\n",
        (1, 7),
        Some("kinds"),
        &["appears twice", "first at column 4"],
    ));
}

#[test]
fn invalid_utf8_column_name_is_one_error() {
    let dir = TestDir::new();
    dir.write(
        NEEDS,
        plant("need_id,requester,commitments,kinds,amount_usd,ti@tle\nX-01,BFA,ITI-2a,equipment,100,t\n", b"\xff"),
    );
    dir.write(OFFERS, good_offers());
    dir.run(&["validate", "--needs", NEEDS, "--offers", OFFERS])
        .assert_code(3)
        .assert_stderr_contains("error: invalid input data (1 error):");
}

#[test]
fn unknown_column_name_is_escaped() {
    let dir = TestDir::new();
    dir.write(NEEDS, "need_id,requester,commitments,kinds,amount_usd,\"bud\nget\"\nX-01,BFA,ITI-2a,equipment,100,5\n");
    dir.write(OFFERS, good_offers());
    let run = dir.run(&["validate", "--needs", NEEDS, "--offers", OFFERS]);
    run.assert_code(3).assert_stderr_contains("data/needs.csv:1:6: ");
    if let Err(e) = check_report_shape(&run.stderr()) {
        panic!("{e}\n{}", run.report());
    }
}

#[test]
fn duplicate_kind_is_an_error() {
    assert_case(case(
        "duplicate kind",
        Which::Needs,
        needs_plus(&[need(&[("kinds", "equipment;training;equipment")])]),
        (NEXT, 6),
        Some("kinds"),
        &["\"equipment\""],
    ));
}

#[test]
fn lower_case_organisation_code_is_an_error() {
    assert_case(case(
        "lower-case organisation code",
        Which::Needs,
        needs_plus(&[need(&[("requester", "ecowas"), ("requester_type", "regional_org"), ("region", "11")])]),
        (NEXT, 2),
        Some("requester"),
        &["\"ecowas\""],
    ));
}

#[test]
fn io_error_message_is_not_repeated() {
    let dir = TestDir::new();
    write_good_pair(&dir);
    let run = dir.run(&["validate", "--needs", "data/nope.csv", "--offers", OFFERS]);
    run.assert_code(1);
    let stderr = run.stderr();
    run.check(stderr.matches("(os error").count() == 1, "the OS error should appear once");
    let dir_run = {
        dir.mkdir("data/folder.csv");
        dir.run(&["validate", "--needs", "data/folder.csv", "--offers", OFFERS])
    };
    dir_run
        .assert_code(1)
        .check(dir_run.stderr().matches("directory").count() == 1, "the message should say `directory` once");
}
