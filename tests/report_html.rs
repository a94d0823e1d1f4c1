//! report.html through the real binary (docs/spec.md §6), parsed with an HTML parser (`scraper`, the html5ever parser
//! browsers' rules are written for), so the checks see the page as a browser builds it, not as text.
//!
//! - The figures shown equal run.json and the CSV tables: headline numbers (`#kpi-*[data-value]`), each bar of
//!   the commitment, theme, region and donor charts, the needs not fully funded and the matches.
//! - Markup in input text (titles, ids, notes) stays text: no element is made from it, attribute values too.
//! - `--lang zh`: Chinese labels, the catalogue's Chinese titles, Chinese country and region names.
//! - Self-contained: no resource is loaded from the network (no http(s) src/href, no link, img or iframe).
//! - Byte-identical across runs, thread counts and output folders.

mod common;

use std::collections::HashMap;

use common::html::{attr, match_page, one, sel, select, text};
use common::{NEEDS_HEADER, OFFERS_HEADER, TestDir, csv_row, csv_rows};
use poa_match::catalog::Reference;
use serde_json::Value;

#[test]
fn figures_shown_equal_run_json_and_the_csv_tables() {
    let dir = TestDir::new();
    let (doc, _) = match_page(&dir, "out", &[]);
    let run: Value = serde_json::from_str(&dir.read("out/run.json")).unwrap();

    // Headline figures.
    let kpi = |name: &str| attr(one(&doc, &format!("#kpi-{name}")), "data-value").to_string();
    for (name, key) in [("requested", "requested_usd"), ("offered", "offered_usd"), ("allocated", "allocated_usd")] {
        assert_eq!(kpi(name), run[key].to_string(), "{name}");
        let shown = text(one(&doc, &format!("#kpi-{name} dd")));
        let grouped = poa_match::model::group_thousands(run[key].as_i64().unwrap().into());
        assert!(shown.starts_with(&grouped), "{name} shows {shown:?}, expected {grouped}");
    }
    for (name, key) in [("total", "total"), ("funded", "funded"), ("partial", "partial"), ("unfunded", "unfunded")] {
        assert_eq!(kpi(&format!("needs-{name}")), run["needs"][key].to_string(), "needs {name}");
        let shown = text(one(&doc, &format!("#kpi-needs-{name} dd")));
        assert_eq!(shown.replace(',', ""), run["needs"][key].to_string());
    }
    for name in ["objective", "bound"] {
        assert_eq!(kpi(name), run[name].to_string(), "{name}");
    }
    assert_eq!(kpi("gap").parse::<f64>().unwrap(), run["gap"].as_f64().unwrap());
    assert_eq!(kpi("method"), run["method"].as_str().unwrap());
    assert_eq!(kpi("status"), run["status"].as_str().unwrap());
    let summary = csv_rows(&dir.read("out/summary.csv"));
    let total = summary.iter().find(|r| r["dimension"] == "total").unwrap();
    assert_eq!(kpi("coverage"), total["coverage"]);

    // Every bar of the coverage charts is the summary.csv row of its key (in the page's order, which
    // tests/pages.rs checks).
    for dimension in ["commitment", "theme", "region"] {
        let want: HashMap<&str, _> =
            summary.iter().filter(|r| r["dimension"] == dimension).map(|r| (r["key"].as_str(), r)).collect();
        let rows = select(&doc, &format!("#chart-{dimension} tbody tr"));
        assert_eq!(rows.len(), want.len(), "{dimension}: one bar per summary row");
        for tr in &rows {
            assert_eq!(attr(*tr, "data-dimension"), dimension);
            let csv = want[attr(*tr, "data-key")];
            assert_eq!(attr(*tr, "data-coverage"), csv["coverage"], "{dimension} {}", csv["key"]);
            assert_eq!(attr(*tr, "data-requested"), csv["requested_usd"]);
            assert_eq!(attr(*tr, "data-allocated"), csv["allocated_usd"]);
            // The bar drawn: the fill is coverage × the track's width.
            let svg = tr.select(&sel("svg.bar")).next().expect("a bar");
            let width = |class: &str| -> f64 {
                svg.select(&sel(&format!("rect.{class}")))
                    .next()
                    .map_or(0.0, |r| attr(r, "width").parse().expect("a numeric width"))
            };
            let coverage: f64 = csv["coverage"].parse().unwrap();
            assert_eq!(width("track"), 1000.0);
            assert!(
                // Two roundings apart, each at most half a unit: coverage to 4 decimals (0.05 of the width) and
                // the width to 1 decimal (0.05); 0.40625 is drawn 406.3 and printed 0.4062.
                (width("fill") - 1000.0 * coverage).abs() <= 0.1 + 1e-9,
                "{}: bar {} for {coverage}",
                csv["key"],
                width("fill")
            );
            // The percentage is rounded from the exact ratio, not from coverage's four decimals (0.5635 can be
            // 56.3 %: 0.563477 rounded twice would say 56.4 %).
            let pct = text(tr.select(&sel(".pct")).next().unwrap());
            let requested: f64 = csv["requested_usd"].parse().unwrap();
            let allocated: f64 = csv["allocated_usd"].parse().unwrap();
            let exact = if requested > 0.0 { allocated / requested } else { 0.0 };
            assert_eq!(pct, format!("{:.1}%", 100.0 * exact), "{}", csv["key"]);
        }
    }

    // Donors: envelope, used and left, as summary.csv and offers_status.csv say.
    let donors: HashMap<&str, _> =
        summary.iter().filter(|r| r["dimension"] == "donor").map(|r| (r["key"].as_str(), r)).collect();
    let rows = select(&doc, "#chart-donor tbody tr");
    assert_eq!(rows.len(), donors.len());
    for tr in &rows {
        let csv = donors[attr(*tr, "data-key")];
        assert_eq!(attr(*tr, "data-envelope"), csv["requested_usd"]);
        assert_eq!(attr(*tr, "data-allocated"), csv["allocated_usd"]);
        let left: i64 = csv["requested_usd"].parse::<i64>().unwrap() - csv["allocated_usd"].parse::<i64>().unwrap();
        assert_eq!(attr(*tr, "data-remaining"), left.to_string());
    }
    let offers = csv_rows(&dir.read("out/offers_status.csv"));
    let rows = select(&doc, "#offers tbody tr");
    assert_eq!(
        rows.iter().map(|tr| attr(*tr, "data-offer")).collect::<Vec<_>>(),
        offers.iter().map(|o| o["offer_id"].as_str()).collect::<Vec<_>>()
    );

    // Needs not fully funded: each with its status and reason, in file order.
    let needs = csv_rows(&dir.read("out/needs_status.csv"));
    let short: Vec<_> = needs.iter().filter(|n| n["status"] != "funded").collect();
    let rows = select(&doc, "#needs-table tbody tr");
    assert_eq!(rows.len(), short.len());
    assert_eq!(
        short.len() as u64,
        run["needs"]["partial"].as_u64().unwrap() + run["needs"]["unfunded"].as_u64().unwrap()
    );
    for (tr, csv) in rows.iter().zip(&short) {
        assert_eq!(attr(*tr, "data-need"), csv["need_id"]);
        assert_eq!(attr(*tr, "data-status"), csv["status"]);
        assert_eq!(attr(*tr, "data-reason"), csv["reason"]);
        assert!(!csv["reason"].is_empty());
        assert!(text(*tr).contains(&csv["reason"]), "the reason code is shown: {}", text(*tr));
        assert_eq!(attr(*tr, "data-allocated"), csv["allocated_usd"]);
    }
    // The titles come from needs.csv.
    let sample = csv_rows(include_str!("../data/sample/needs.csv"));
    let titles: HashMap<&str, &str> = sample.iter().map(|r| (r["need_id"].as_str(), r["title"].as_str())).collect();
    for tr in &rows {
        let title = text(tr.select(&sel("td.title")).next().unwrap());
        assert_eq!(title, titles[attr(*tr, "data-need")]);
    }

    // Matches: one row per line of matches.csv; amounts add up to what was allocated.
    let matches = csv_rows(&dir.read("out/matches.csv"));
    let rows = select(&doc, "#matches-table tbody tr");
    assert_eq!(rows.len(), matches.len());
    let mut sum = 0i64;
    for (tr, csv) in rows.iter().zip(&matches) {
        assert_eq!(attr(*tr, "data-need"), csv["need_id"]);
        assert_eq!(attr(*tr, "data-offer"), csv["offer_id"]);
        let amount = tr.select(&sel("td.num")).next().unwrap();
        assert_eq!(attr(amount, "data-sort"), csv["amount_usd"]);
        sum += csv["amount_usd"].parse::<i64>().unwrap();
    }
    assert_eq!(i128::from(sum), i128::from(run["allocated_usd"].as_i64().unwrap()));

    // Everything is in the HTML itself: the script only adds filter boxes and sorting.
    assert!(select(&doc, "input").is_empty(), "no control is in the page without script");
    assert_eq!(select(&doc, "script").len(), 1);
    for id in ["headline", "by-commitment", "by-theme", "by-region", "donors", "needs", "matches", "about"] {
        one(&doc, &format!("section#{id} h2"));
        one(&doc, &format!("nav a[href=\"#{id}\"]"));
    }
}

#[test]
fn markup_in_input_text_stays_text() {
    let script = "<script>alert(1)</script>";
    let img = "\"><img src=x onerror=alert(1)>";
    let dir = TestDir::new();
    let need = |id: &str, amount: &str, title: &str, notes: &str| {
        csv_row(
            NEEDS_HEADER,
            &[
                ("need_id", id),
                ("requester", "KEN"),
                ("commitments", "ITI-2a"),
                ("kinds", if amount == "1000" { "equipment" } else { "legal" }),
                ("amount_usd", amount),
                ("title", title),
                ("notes", notes),
            ],
        )
    };
    // The first two are funded (their titles are tooltips in the matches table), the last two ask for a kind the
    // offer does not give (their titles are cells of the needs table, their notes tooltips).
    let needs = [
        NEEDS_HEADER.to_string(),
        need("F1", "1000", script, ""),
        need("F2<b>", "1000", img, ""),
        need("U1", "900000", script, img),
        need(img, "900000", img, script),
    ]
    .join("\n")
        + "\n";
    let offers = format!(
        "{OFFERS_HEADER}\n{}\n",
        csv_row(
            OFFERS_HEADER,
            &[
                ("offer_id", "O<i>1"),
                ("donor", "EU"),
                ("envelope_usd", "5000"),
                ("kinds", "equipment"),
                ("title", &format!("{script}{img}"))
            ]
        )
    );
    dir.write("needs.csv", needs);
    dir.write("offers.csv", offers);
    let (doc, page) = match_page(&dir, "out", &["--needs", "needs.csv", "--offers", "offers.csv"]);

    assert_eq!(select(&doc, "script").len(), 1, "only the page's own script");
    assert!(select(&doc, "img").is_empty(), "no img element made from input text");
    assert!(select(&doc, "b").is_empty() && select(&doc, "i").is_empty());
    assert!(select(&doc, "[onerror]").is_empty(), "no onerror attribute made from input text");
    assert!(!page.contains("<img") && !page.contains("<script>alert"));

    // The text reads as it was written: as titles in the needs table, tooltips in the matches table.
    let titles: Vec<String> = select(&doc, "#needs-table td.title").into_iter().map(text).collect();
    assert_eq!(titles, [script, img]);
    let notes: Vec<&str> = select(&doc, "#needs-table td.title").into_iter().map(|td| attr(td, "title")).collect();
    assert_eq!(notes, [img, script]);
    let ids: Vec<&str> = select(&doc, "#needs-table tbody tr").into_iter().map(|tr| attr(tr, "data-need")).collect();
    assert_eq!(ids, ["U1", img]);
    let tooltips: Vec<&str> =
        select(&doc, "#matches-table td.id[title]").into_iter().map(|td| attr(td, "title")).collect();
    assert_eq!(tooltips, [script, img]);
    assert_eq!(text(select(&doc, "#matches-table tbody tr")[1].select(&sel("td")).next().unwrap()), "F2<b>");
    assert_eq!(text(one(&doc, "#offers tbody tr td.id")), "O<i>1");
    assert!(text(one(&doc, "#offers")).contains(&format!("{script}{img}")));
}

#[test]
fn chinese_page_has_chinese_labels_titles_and_names() {
    let dir = TestDir::new();
    let list = dir.run(&["commitments", "--lang", "zh", "--format", "csv"]);
    list.assert_success();
    let zh_titles: HashMap<String, String> =
        csv_rows(&list.stdout()).into_iter().map(|r| (r["code"].clone(), r["title"].clone())).collect();
    assert!(zh_titles.values().all(|t| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))));

    let (doc, page) = match_page(&dir, "out", &["--lang", "zh"]);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(attr(one(&doc, "html"), "lang").starts_with("zh"));
    assert_eq!(attr(one(&doc, "meta[charset]"), "charset").to_ascii_lowercase(), "utf-8");
    let style = text(one(&doc, "style"));
    assert!(
        style.contains("\"Noto Sans CJK SC\"") && style.contains("\"Microsoft YaHei\"") && style.contains("sans-serif")
    );

    // Labels.
    assert_eq!(text(one(&doc, "#headline h2")), "主要数字");
    assert_eq!(text(one(&doc, "#by-commitment h2")), "按承诺分列的资助覆盖率");
    assert_eq!(text(one(&doc, "#kpi-requested dt")), "申请总额");
    assert_eq!(text(one(&doc, "#kpi-needs-unfunded dt")), "未获资助");
    for english in ["Headline figures", "Coverage by commitment", "Requested", "Unfunded", "Needs not fully funded"] {
        assert!(!text(one(&doc, "body")).contains(english), "English label {english:?} on the Chinese page");
    }
    let statuses: Vec<String> = select(&doc, "#needs-table .badge").into_iter().map(text).collect();
    assert!(!statuses.is_empty() && statuses.iter().all(|s| s == "未获资助" || s == "部分资助"), "{statuses:?}");

    // Commitment titles from the catalogue, country and region names from the reference tables.
    let rows = select(&doc, "#chart-commitment tbody tr");
    assert!(!rows.is_empty());
    for tr in rows {
        let code = attr(tr, "data-key");
        let label = text(tr.select(&sel("td")).next().unwrap());
        assert_eq!(label, format!("{code} {}", zh_titles[code]));
    }
    let reference = Reference::embedded();
    for tr in select(&doc, "#chart-region tbody tr") {
        let m49: u16 = attr(tr, "data-key").parse().unwrap();
        let name = &reference.area(m49).unwrap().name_zh;
        assert_eq!(&text(tr.select(&sel("td")).next().unwrap()), name);
    }
    let mut countries = 0;
    for tr in select(&doc, "#needs-table tbody tr") {
        let cell = tr.select(&sel("td")).nth(2).unwrap();
        let code = text(cell.select(&sel("code")).next().map_or(cell, |c| c));
        if let Some(c) = reference.country_by_code(&code) {
            assert_eq!(attr(cell, "data-sort"), reference.country(c).short_name("zh"));
            countries += 1;
        }
    }
    assert!(countries > 10, "requesters named in Chinese");
    assert!(text(one(&doc, "#chart-donor")).contains("德国"), "Germany as a donor, in Chinese");
}

#[test]
fn page_loads_nothing_from_the_network() {
    let dir = TestDir::new();
    for lang in ["en", "zh"] {
        let (doc, page) = match_page(&dir, lang, &["--lang", lang]);
        for e in select(&doc, "*") {
            for name in ["src", "href", "srcset", "action", "data", "poster", "xlink:href", "formaction"] {
                if let Some(v) = e.value().attr(name) {
                    assert!(v.starts_with('#'), "<{} {name}={v:?}> points outside the page", e.value().name());
                }
            }
        }
        for tag in ["link", "img", "iframe", "object", "embed", "audio", "video", "base", "image", "use"] {
            assert!(select(&doc, tag).is_empty(), "<{tag}> in the page");
        }
        assert!(!page.contains("http://") && !page.contains("https://"), "an absolute URL in the page");
        assert!(!page.contains("url(") && !page.contains("@import") && !page.contains("@font-face"));
        assert!(select(&doc, "script[src]").is_empty());
        let csp = attr(one(&doc, "meta[http-equiv=\"Content-Security-Policy\"]"), "content");
        assert!(csp.starts_with("default-src 'none';"), "{csp}");
    }
}
