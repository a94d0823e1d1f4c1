use super::*;
use crate::io::outputs::TableFormat;
use crate::io::provenance::InputInfo;
use crate::model::{Award, AwardId, AwardStatus, Date, KindSet, Ledger, NeedId, Offer, OfferId, RoundLabel, Usd};
use crate::track::record::{TrackInputs, TrackRunOptions, TrackTotals};
use crate::track::{TrackOptions, track};

/// A page over one need, one offer and two awards, one of them naming a need the batch lacks.
fn page_html(lang: Lang, title: &str) -> String {
    let mut need = Need::plain(
        NeedId("N1".into()),
        Requester::RegionalOrg("ECOWAS".into()),
        "ECOWAS".into(),
        Vec::new(),
        KindSet::EMPTY,
        Usd(100),
    );
    need.title = title.into();
    let batch =
        Batch { needs: vec![need], offers: vec![Offer::unrestricted(OfferId("O1".into()), "JPN".into(), Usd(50))] };
    let award = |id: &str, need: &str, status| Award {
        id: AwardId(id.into()),
        round: RoundLabel("2013".into()),
        need: NeedId(need.into()),
        offer: OfferId("O1".into()),
        amount: Usd(60),
        status,
        status_date: Some(Date::parse("2013-01-01").unwrap()),
        note: String::new(),
        line: 2,
    };
    let ledger = Ledger {
        awards: vec![award("A1", "N1", AwardStatus::Committed), award("A2", "NX", AwardStatus::Pledged)],
        ..Ledger::default()
    };
    let options = TrackOptions { as_of: Date::parse("2014-03-01").unwrap(), stale_days: 90 };
    let t = track(&batch, &ledger, options);
    let input = |path: &str| InputInfo { path: path.into(), rows: 1, sha256: "0".repeat(64) };
    let info = TrackInfo {
        version: "test",
        inputs: TrackInputs {
            ledger: input("/home/someone/ledger.csv"),
            needs: input("needs.csv"),
            offers: input("offers.csv"),
            commitments: None,
            countries: None,
            regions: None,
            donors: None,
            rates: None,
            rates_used: Vec::new(),
        },
        options: TrackRunOptions {
            as_of: "2014-03-01".into(),
            stale_days: 90,
            lang,
            format: TableFormat::Csv,
            excel: false,
            allow_extra_columns: false,
            sheet: None,
        },
        totals: TrackTotals::of(&t),
    };
    render_track_page(&TrackPage { track: &t, info: &info, batch: &batch, reference: Reference::embedded(), lang })
}

#[test]
fn the_page_escapes_inputs_names_files_only_and_flags_an_envelope_over_committed() {
    let html = page_html(Lang::En, "<script>alert(1)</script>");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script>alert"));
    assert!(!html.contains("/home/someone") && html.contains("ledger.csv"));
    assert!(html.contains("id=\"kpi-offers-over\" data-value=\"1\""), "120 secured of a 50 envelope");
    assert!(html.contains("data-award=\"A2\" data-missing=\"need_not_in_batch\""));
    assert!(html.contains("Japan"), "the donor's name from the country table");
    let followup = html.split("id=\"followup-table\"").nth(1).and_then(|t| t.split("</table>").next());
    assert!(followup.is_some_and(|t| t.contains("<td data-sort=\"Japan\">Japan")), "named in the follow-up list too");
    let zh = page_html(Lang::Zh, "t");
    assert!(zh.starts_with("<!DOCTYPE html>\n<html lang=\"zh-Hans\">") && zh.contains("待跟进事项"));
}
