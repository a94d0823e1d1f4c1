//! The frame every page shares: doctype, head (charset, Content-Security-Policy, style), a header with the
//! title, lead, facts and a table of contents, the sections, the footer and the script.

use crate::lang::Lang;
use crate::report::Word;

use super::assets::{SCRIPT, STYLE};
use super::builder::Html;
use super::csp;

/// One titled part of a page, with an anchor in the page's table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Element id (`headline`, `by-commitment`, ...): the anchor and a handle for tests.
    pub id: &'static str,
    /// Heading, in the page's language.
    pub heading: String,
    /// Content.
    pub body: Html,
}

impl Section {
    /// A section headed by `word` in `lang`.
    pub fn new(id: &'static str, word: Word, lang: Lang, body: Html) -> Section {
        Section { id, heading: word.text(lang).to_string(), body }
    }
}

/// What frames a page: language, title, a lead paragraph and a footer line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageFrame<'a> {
    /// The page's language.
    pub lang: Lang,
    /// The `<title>` and the top heading.
    pub title: &'a str,
    /// One paragraph under the heading.
    pub lead: &'a str,
    /// Facts under the lead (method, status, inputs), one short line each.
    pub facts: &'a [String],
    /// Last line of the page.
    pub footer: &'a str,
}

/// A whole page: the frame around `sections`.
pub fn render_page(frame: &PageFrame<'_>, sections: &[Section]) -> String {
    let csp = csp::policy(STYLE, SCRIPT);
    let mut h = Html::new();
    h.raw("<!DOCTYPE html>\n");
    h.open("html", &[("lang", frame.lang.html_tag())]).raw("\n<head>\n");
    h.raw("<meta charset=\"utf-8\">\n");
    h.open("meta", &[("http-equiv", "Content-Security-Policy"), ("content", &csp)]).raw("\n");
    h.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.raw("<meta name=\"generator\" content=\"poa-match\">\n");
    h.element("title", &[], frame.title).raw("\n");
    h.raw("<style>").raw(STYLE).raw("</style>\n</head>\n<body>\n<header>\n");
    h.element("h1", &[], frame.title).raw("\n");
    h.element("p", &[("class", "lead")], frame.lead).raw("\n");
    if !frame.facts.is_empty() {
        h.raw("<ul class=\"facts\">");
        for fact in frame.facts {
            h.element("li", &[], fact);
        }
        h.raw("</ul>\n");
    }
    h.open("nav", &[("aria-label", Word::Contents.text(frame.lang))]).raw("<ul>");
    for s in sections {
        h.raw("<li>").open("a", &[("href", &format!("#{}", s.id))]).text(&s.heading).raw("</a></li>");
    }
    h.raw("</ul></nav>\n</header>\n<main>\n");
    for s in sections {
        h.open("section", &[("id", s.id)]).raw("\n");
        h.element("h2", &[], &s.heading).raw("\n");
        h.append(&s.body);
        h.raw("\n</section>\n");
    }
    h.raw("</main>\n<footer>");
    h.element("p", &[], frame.footer);
    h.raw("</footer>\n<script>").raw(SCRIPT).raw("</script>\n</body>\n</html>\n");
    h.into_string()
}

#[cfg(test)]
mod tests {
    use super::super::builder::escape;
    use super::*;

    #[test]
    fn page_frame_is_self_contained_and_labelled() {
        let mut body = Html::new();
        body.element("p", &[], "<i>input</i>");
        let sections = [Section { id: "one", heading: "Heading & more".into(), body }];
        let facts = ["a < b".to_string()];
        let page = render_page(
            &PageFrame { lang: Lang::Zh, title: "标题", lead: "说明", facts: &facts, footer: "页脚" },
            &sections,
        );
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"zh-Hans\">\n<head>\n<meta charset=\"utf-8\">"));
        // The policy is an attribute value, so its quotes are escaped.
        assert!(page.contains("content=\"default-src &#39;none&#39;; style-src &#39;sha256-"));
        assert!(page.contains(&escape(&csp::hash_source(STYLE))) && page.contains(&escape(&csp::hash_source(SCRIPT))));
        assert!(page.contains("<a href=\"#one\">Heading &amp; more</a>"));
        assert!(page.contains("<p>&lt;i&gt;input&lt;/i&gt;</p>"));
        assert!(page.contains("<li>a &lt; b</li>"));
        assert!(!page.contains("http://") && !page.contains("https://"));
        assert!(page.ends_with("</html>\n"));
    }
}
