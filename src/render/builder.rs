//! The HTML builder every page and chart is written with, and its escaping.
//!
//! Hand-written rather than a template crate: the pages' bytes are part of the contract (the same inputs give the
//! same page), and the escaping here covers `'` (as `&#39;`, which the Content-Security-Policy attribute needs)
//! and NUL, which auto-escaping template crates such as maud leave as they are. The only way to add unescaped
//! text takes a `&'static str`, so input text can reach the page only through [`Html::text`] or an attribute
//! value, both escaped.

/// HTML being written: escaped text, and markup that this crate wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Html {
    buf: String,
}

/// Appends `text` to `buf` with `&`, `<`, `>`, `"` and `'` escaped (safe in text and in quoted attribute values);
/// NUL, which HTML does not allow, becomes U+FFFD.
pub fn push_escaped(buf: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => buf.push_str("&amp;"),
            '<' => buf.push_str("&lt;"),
            '>' => buf.push_str("&gt;"),
            '"' => buf.push_str("&quot;"),
            '\'' => buf.push_str("&#39;"),
            '\0' => buf.push('\u{FFFD}'),
            c => buf.push(c),
        }
    }
}

/// `text` escaped for HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

impl Html {
    /// Empty.
    pub fn new() -> Html {
        Html::default()
    }

    /// Appends markup written in this crate (a literal: input text cannot get here).
    pub fn raw(&mut self, markup: &'static str) -> &mut Html {
        self.buf.push_str(markup);
        self
    }

    /// Appends text, escaped.
    pub fn text(&mut self, text: &str) -> &mut Html {
        push_escaped(&mut self.buf, text);
        self
    }

    /// Appends text, escaped, with a line-break opportunity (`<wbr>`) after each `_` that more text follows: a
    /// code written as a name (`CARICOM_IMPACS`, `stockpile_demand_up`) then wraps between its words in a narrow
    /// column rather than inside one. The text a script or a reader copies is unchanged (`<wbr>` holds none).
    pub fn breakable_text(&mut self, text: &str) -> &mut Html {
        let mut chars = text.chars().peekable();
        let mut word = false;
        while let Some(c) = chars.next() {
            let mut one = [0u8; 4];
            push_escaped(&mut self.buf, c.encode_utf8(&mut one));
            if c == '_' && word && chars.peek().is_some_and(|&next| next != '_') {
                self.buf.push_str("<wbr>");
            }
            word = c != '_';
        }
        self
    }

    /// Opens element `tag` with attributes (values escaped, always double-quoted).
    pub fn open(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) -> &mut Html {
        self.buf.push('<');
        self.buf.push_str(tag);
        for (name, value) in attrs {
            self.buf.push(' ');
            self.buf.push_str(name);
            self.buf.push_str("=\"");
            push_escaped(&mut self.buf, value);
            self.buf.push('"');
        }
        self.buf.push('>');
        self
    }

    /// Closes element `tag`.
    pub fn close(&mut self, tag: &'static str) -> &mut Html {
        self.buf.push_str("</");
        self.buf.push_str(tag);
        self.buf.push('>');
        self
    }

    /// An element holding text only.
    pub fn element(&mut self, tag: &'static str, attrs: &[(&'static str, &str)], text: &str) -> &mut Html {
        self.open(tag, attrs).text(text).close(tag)
    }

    /// Appends other HTML.
    pub fn append(&mut self, other: &Html) -> &mut Html {
        self.buf.push_str(&other.buf);
        self
    }

    /// The HTML written so far.
    pub fn as_str(&self) -> &str {
        &self.buf
    }

    /// The HTML written.
    pub fn into_string(self) -> String {
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_attribute_quotes() {
        assert_eq!(escape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(escape("\"><img src=x onerror=alert(1)>"), "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
        assert_eq!(escape("a & b 'c' \0"), "a &amp; b &#39;c&#39; \u{FFFD}");
        assert_eq!(escape("标识 ITI-2a"), "标识 ITI-2a");
        let mut h = Html::new();
        h.open("td", &[("title", "x\" onmouseover=\"alert(1)")]).text("<b>").close("td");
        assert_eq!(h.as_str(), "<td title=\"x&quot; onmouseover=&quot;alert(1)\">&lt;b&gt;</td>");
    }

    #[test]
    fn names_made_of_codes_may_wrap_between_their_words() {
        let mut h = Html::new();
        h.breakable_text("stockpile_demand_up").raw(" ").breakable_text("CARICOM_IMPACS").raw(" ");
        h.breakable_text("_a__b_").raw(" ").breakable_text("<x>_&");
        assert_eq!(h.as_str(), "stockpile_<wbr>demand_<wbr>up CARICOM_<wbr>IMPACS _a__b_ &lt;x&gt;_<wbr>&amp;");
    }
}
