//! Inputs that forgive the usual spreadsheet slips, or name the fix in one precise error (issue 28 item 4;
//! data/README.md "Conventions"): files saved with another delimiter or encoding, headers in other case, rows of
//! empty cells, country and area names, misspelt codes and kinds, lists written with commas, organisation codes
//! without their requester_type, user-assigned country codes and the accepted boolean spellings.
//!
//! Each case asserts the exact one-line message (`PATH:LINE:COLUMN: field 'NAME': message (hint: ...)`) or that
//! the file now reads, with the values a user meant.

mod common;

use common::{TestDir, good_needs, good_offers, write_good_pair};
use poa_match::catalog::Reference;
use poa_match::error::ErrorKind;
use poa_match::io::{ReadOptions, read_needs, read_offers};
use poa_match::model::{Need, Offer};

const NEEDS: &str = "data/needs.csv";
const OFFERS: &str = "data/offers.csv";
const HEADER: &str = "need_id,requester,commitments,kinds,amount_usd";
const SAVE_AS: &str = "in Excel use File > Save As > \"CSV UTF-8 (Comma delimited) (*.csv)\"; in LibreOffice choose \
                       the character set \"Unicode (UTF-8)\" and the field delimiter ','";

fn reference() -> &'static Reference {
    Reference::embedded()
}

fn lines(e: poa_match::error::Error) -> Vec<String> {
    match e.kind() {
        ErrorKind::InvalidData { errors, .. } => errors.iter().map(ToString::to_string).collect(),
        other => panic!("not a data error: {other:?}"),
    }
}

fn needs_errors(text: impl AsRef<[u8]>) -> Vec<String> {
    match read_needs(NEEDS, text.as_ref(), reference(), ReadOptions::default()) {
        Ok(needs) => panic!("expected errors, read {} needs", needs.len()),
        Err(e) => lines(e),
    }
}

fn offers_errors(text: impl AsRef<[u8]>) -> Vec<String> {
    match read_offers(OFFERS, text.as_ref(), reference(), ReadOptions::default()) {
        Ok(offers) => panic!("expected errors, read {} offers", offers.len()),
        Err(e) => lines(e),
    }
}

fn needs_ok(text: impl AsRef<[u8]>) -> Vec<Need> {
    read_needs(NEEDS, text.as_ref(), reference(), ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn offers_ok(text: impl AsRef<[u8]>) -> Vec<Offer> {
    read_offers(OFFERS, text.as_ref(), reference(), ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// A one-row needs file with the minimal header and `row`.
fn one_need(row: &str) -> String {
    format!("{HEADER}\n{row}\n")
}

fn assert_one(errors: Vec<String>, expected: &str) {
    assert_eq!(errors, [expected.to_string()], "\nexpected exactly this one error");
}

// ---- delimiter and encoding ----

#[test]
fn a_semicolon_delimited_file_is_one_error_that_names_the_delimiter() {
    let text = good_needs().replace(',', ";");
    assert_one(
        needs_errors(text),
        &format!(
            "{NEEDS}:1:1: the columns are separated by ';', but this tool reads comma-separated files (a spreadsheet \
             set to a locale that writes decimal commas uses ';') (hint: {SAVE_AS})"
        ),
    );
}

#[test]
fn a_tab_delimited_file_is_one_error_that_names_the_delimiter() {
    let text = "offer_id\tdonor\tenvelope_usd\nO-1\tDEU\t100\n";
    let errors = offers_errors(text);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with(&format!("{OFFERS}:1:1: the columns are separated by tabs,")), "{errors:?}");
}

fn utf16le(text: &str, bom: bool) -> Vec<u8> {
    let mut out = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
    for unit in text.encode_utf16() {
        out.extend_from_slice(&unit.to_le_bytes());
    }
    out
}

#[test]
fn a_utf16_file_is_one_error_that_names_the_encoding() {
    let expected = format!(
        "{NEEDS}:1:1: the file is encoded as UTF-16 (what Excel saves as \"Unicode text\"), but this tool reads \
         UTF-8 (hint: {SAVE_AS})"
    );
    // Excel's "Unicode text" is UTF-16 with a byte-order mark and tabs; some tools write it without the mark.
    let text = good_needs().replace(',', "\t");
    assert_one(needs_errors(utf16le(&text, true)), &expected);
    assert_one(needs_errors(utf16le(&good_needs(), false)), &expected);
    let mut big_endian = vec![0xFE, 0xFF];
    for unit in good_needs().encode_utf16() {
        big_endian.extend_from_slice(&unit.to_be_bytes());
    }
    assert_one(needs_errors(big_endian), &expected);
}

#[test]
fn a_latin1_file_names_the_encoding_once() {
    // "Côte d'Ivoire" twice in Latin-1: ô is the single byte 0xF4.
    let mut text = one_need("X-01,CIV,ITI-2a,equipment,100").into_bytes();
    text.pop();
    text.extend_from_slice(b"\nX-02,CIV,ITI-2a,equipment,100\n");
    let text = String::from_utf8(text).unwrap().replace(HEADER, &format!("{HEADER},title"));
    let text = text.replace("100\nX-02", "100,C@te\nX-02").replace("100\n", "100,C@te\n");
    let bytes: Vec<u8> = text.bytes().flat_map(|b| if b == b'@' { vec![0xF4] } else { vec![b] }).collect();
    assert_eq!(
        needs_errors(bytes),
        [
            format!(
                "{NEEDS}:2:6: field 'title': invalid UTF-8 at byte 2 of the field (hint: the file is not UTF-8, \
                 probably Latin-1 or Windows-1252; {SAVE_AS})"
            ),
            format!("{NEEDS}:3:6: field 'title': invalid UTF-8 at byte 2 of the field"),
        ]
    );
}

// ---- header ----

#[test]
fn headers_are_read_in_any_case_and_with_spaces() {
    let text = " Need_ID ,REQUESTER,Commitments,Kinds,Amount_USD\nX-01,BFA,ITI-2a,equipment,100\n";
    let needs = needs_ok(text);
    assert_eq!(needs.len(), 1);
    assert_eq!(needs[0].id.as_str(), "X-01");
    assert_eq!(needs[0].amount.get(), 100);
}

#[test]
fn the_same_column_in_two_cases_is_named_twice() {
    let text = "need_id,requester,commitments,kinds,amount_usd,Kinds\nX-01,BFA,ITI-2a,equipment,100,legal\n";
    assert_one(
        needs_errors(text),
        &format!("{NEEDS}:1:6: field 'Kinds': the column appears twice in the header (first at column 4)"),
    );
}

#[test]
fn an_unknown_column_suggests_the_closest_name_and_lists_the_columns_once() {
    let text = "need_id,requestor,commitments,kinds,amount_usd,budget,memo\nX-01,BFA,ITI-2a,equipment,100,5,m\n";
    let errors = needs_errors(text);
    assert_eq!(
        errors[0],
        format!(
            "{NEEDS}:1:2: field 'requestor': unknown column (hint: did you mean 'requester'? or pass \
             --allow-extra-columns to ignore it)"
        )
    );
    assert!(errors[1].starts_with(&format!(
        "{NEEDS}:1:6: field 'budget': unknown column (hint: the columns are: need_id, requester,"
    )));
    assert_eq!(
        errors[2],
        format!("{NEEDS}:1:7: field 'memo': unknown column (hint: pass --allow-extra-columns to ignore it)")
    );
    assert_eq!(errors[3], format!("{NEEDS}:1:1: field 'requester': required column is missing from the header"));
    assert_eq!(errors.len(), 4, "{errors:?}");
}

// ---- rows ----

#[test]
fn rows_of_empty_cells_are_skipped_like_blank_lines() {
    let text = format!("{}\n,,,,,,,,,,,,,,,,\n,,,\n , ,\r\n", good_needs().trim_end());
    assert_eq!(needs_ok(text).len(), 3);
    let text = format!("{},,,,,,,,,,,,,,,,,,,,,,\n,,,,,,,,,,,,,,,,,,,,,,\n", good_offers());
    assert_eq!(offers_ok(text).len(), 3);
    // A row that holds anything is still a row, and its line is still counted.
    let text = format!("{HEADER}\n,,,,\nX-01,BFA,ITI-2a,equipment,0\n");
    assert_one(needs_errors(text), &format!("{NEEDS}:3:5: field 'amount_usd': must be greater than zero, found \"0\""));
}

// ---- countries and organisations ----

#[test]
fn a_country_name_points_to_its_code() {
    assert_one(
        needs_errors(one_need("X-01,Kenya,ITI-2a,equipment,100")),
        &format!(
            "{NEEDS}:2:2: field 'requester': unknown country code \"Kenya\" (expected ISO 3166-1 alpha-2 or \
             alpha-3) (hint: write KEN for \"Kenya\")"
        ),
    );
    assert_one(
        needs_errors(one_need("X-01,肯尼亚,ITI-2a,equipment,100")),
        &format!(
            "{NEEDS}:2:2: field 'requester': unknown country code \"肯尼亚\" (expected ISO 3166-1 alpha-2 or \
             alpha-3) (hint: write KEN for \"肯尼亚\")"
        ),
    );
    assert_one(
        needs_errors(one_need("X-01,Kenia,ITI-2a,equipment,100")),
        &format!(
            "{NEEDS}:2:2: field 'requester': unknown country code \"Kenia\" (expected ISO 3166-1 alpha-2 or \
             alpha-3) (hint: did you mean KEN (Kenya)?)"
        ),
    );
}

#[test]
fn a_donor_named_by_its_country_name_points_to_its_code() {
    assert_one(
        offers_errors("offer_id,donor,envelope_usd\nO-1,Germany,100\n"),
        &format!(
            "{OFFERS}:2:2: field 'donor': expected an organisation code (upper-case letters, digits and '_', \
             starting with a letter), found \"Germany\" (hint: write DEU for \"Germany\")"
        ),
    );
    assert_one(
        offers_errors("offer_id,donor,donor_type,envelope_usd\nO-1,XK,state,100\n"),
        &format!(
            "{OFFERS}:2:2: field 'donor': unknown country code \"XK\" (a donor of type state is named by ISO \
             3166-1 alpha-2 or alpha-3) (hint: XK is a user-assigned code, not part of ISO 3166-1; the UN country \
             table this tool uses has no row for it, so it cannot be placed in an M49 area)"
        ),
    );
}

#[test]
fn an_organisation_without_requester_type_gets_a_hint() {
    assert_one(
        needs_errors(one_need("X-01,ECOWAS,ITI-2a,equipment,100")),
        &format!(
            "{NEEDS}:2:2: field 'requester': unknown country code \"ECOWAS\" (expected ISO 3166-1 alpha-2 or \
             alpha-3) (hint: if ECOWAS is a regional organisation, set requester_type to regional_org and give \
             its region)"
        ),
    );
}

#[test]
fn a_user_assigned_code_is_refused_with_the_reason() {
    assert_one(
        needs_errors(one_need("X-01,XKX,ITI-2a,equipment,100")),
        &format!(
            "{NEEDS}:2:2: field 'requester': unknown country code \"XKX\" (expected ISO 3166-1 alpha-2 or \
             alpha-3) (hint: XKX is a user-assigned code, not part of ISO 3166-1; the UN country table this tool \
             uses has no row for it, so it cannot be placed in an M49 area)"
        ),
    );
}

// ---- codes, kinds, lists, areas ----

#[test]
fn commitment_codes_are_read_in_any_case() {
    let needs = needs_ok(one_need("X-01,ken,iti-2b;POA-n-2G,equipment,100"));
    let codes: Vec<&str> = needs[0].commitments.iter().map(|&c| reference().commitment(c).code.as_str()).collect();
    assert_eq!(codes, ["ITI-2b", "POA-N-2g"]);
    assert_eq!(needs[0].requester_code, "KEN");
}

#[test]
fn a_misspelt_commitment_code_or_kind_gets_did_you_mean() {
    assert_one(
        needs_errors(one_need("X-01,KEN,ITI-2x,equipment,100")),
        &format!(
            "{NEEDS}:2:3: field 'commitments': unknown commitment code \"ITI-2x\" (see `poa-match commitments`) \
             (hint: did you mean ITI-2a?)"
        ),
    );
    let errors = needs_errors(one_need("X-01,KEN,ITI-2a,equipmnt,100"));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with(&format!("{NEEDS}:2:4: field 'kinds': expected one of ")), "{errors:?}");
    assert!(errors[0].ends_with("found \"equipmnt\" (hint: did you mean equipment?)"), "{errors:?}");
}

#[test]
fn a_list_written_with_commas_gets_a_hint_to_use_semicolons() {
    assert_one(
        needs_errors(one_need("X-01,KEN,\"ITI-2a, ITI-2b\",equipment,100")),
        &format!(
            "{NEEDS}:2:3: field 'commitments': unknown commitment code \"ITI-2a, ITI-2b\" (see `poa-match \
             commitments`) (hint: separate the items of a list with ';', not ',')"
        ),
    );
    let text = "offer_id,donor,envelope_usd,countries_include\nO-1,DEU,100,\"KEN, UGA\"\n";
    assert_one(
        offers_errors(text),
        &format!(
            "{OFFERS}:2:4: field 'countries_include': unknown country code \"KEN, UGA\" (expected ISO 3166-1 \
             alpha-2 or alpha-3) (hint: separate the items of a list with ';', not ',')"
        ),
    );
}

#[test]
fn m49_area_names_are_read_wherever_codes_are() {
    let offers = offers_ok("offer_id,donor,envelope_usd,regions_m49\nO-1,DEU,100,Africa;western africa;亚洲\n");
    assert_eq!(offers[0].regions_m49, [2, 11, 142]);
    let needs = needs_ok(format!("{HEADER},region\nX-01,KEN,ITI-2a,equipment,100,Eastern Africa\n"));
    assert_eq!(needs[0].region, Some(14));
    assert_one(
        offers_errors("offer_id,donor,envelope_usd,regions_m49\nO-1,DEU,100,Afrika\n"),
        &format!(
            "{OFFERS}:2:4: field 'regions_m49': expected an M49 area code or name, found \"Afrika\" (hint: did you \
             mean 2 (Africa)?)"
        ),
    );
}

// ---- booleans ----

#[test]
fn the_documented_boolean_spellings_are_accepted_and_others_refused() {
    let header = "offer_id,donor,envelope_usd,requires_national_report,allow_cofinance";
    for (yes, no) in [("true", "false"), ("TRUE", "FALSE"), ("Yes", "no"), ("1", "0")] {
        let offers = offers_ok(format!("{header}\nO-1,DEU,100,{yes},{no}\n"));
        assert!(offers[0].requires_national_report && !offers[0].allow_cofinance, "{yes}/{no}");
    }
    assert_one(
        offers_errors(format!("{header}\nO-1,DEU,100,y,\n")),
        &format!(
            "{OFFERS}:2:4: field 'requires_national_report': expected true or false (also yes/no or 1/0, in any \
             letter case), found \"y\""
        ),
    );
}

// ---- through the binary ----

#[test]
fn validate_prints_the_delimiter_error_alone() {
    let dir = TestDir::new();
    write_good_pair(&dir);
    dir.write("data/needs.csv", good_needs().replace(',', ";"));
    let run = dir.run(&["validate", "--needs", NEEDS, "--offers", OFFERS]);
    run.assert_code(3).assert_no_panic();
    let stderr = run.stderr();
    let located: Vec<&str> = stderr.lines().filter(|l| l.starts_with("data/")).collect();
    assert_eq!(located.len(), 1, "{stderr}");
    assert!(located[0].starts_with("data/needs.csv:1:1: the columns are separated by ';'"), "{stderr}");
}
