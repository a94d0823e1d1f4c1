//! Reading a rendered page in tests: CSS selectors over the parsed HTML, and `match` run to get one.

use scraper::{ElementRef, Html, Selector};

use super::TestDir;

pub fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("selector {css:?}: {e:?}"))
}

pub fn select<'a>(doc: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    doc.select(&sel(css)).collect()
}

pub fn one<'a>(doc: &'a Html, css: &str) -> ElementRef<'a> {
    let found = select(doc, css);
    assert_eq!(found.len(), 1, "expected exactly one {css:?}, found {}", found.len());
    found[0]
}

pub fn attr<'a>(e: ElementRef<'a>, name: &str) -> &'a str {
    e.value().attr(name).unwrap_or_else(|| panic!("<{}> has no {name}: {}", e.value().name(), e.html()))
}

pub fn text(e: ElementRef<'_>) -> String {
    e.text().collect::<String>()
}

/// Runs `match --out OUT ARGS` in `dir` and returns the page, parsed, and its text.
pub fn match_page(dir: &TestDir, out: &str, args: &[&str]) -> (Html, String) {
    let mut all = vec!["match", "--out", out];
    all.extend_from_slice(args);
    dir.run(&all).assert_success();
    let page = dir.read(&format!("{out}/report.html"));
    (Html::parse_document(&page), page)
}
