//! The charts of report.html: small inline SVG bars, written here rather than with a chart crate.
//!
//! Every chart of the page is a table whose rows carry a label, a bar and the figures; the bar is an inline `<svg>`
//! drawn on a fixed 1000 × 16 user space and stretched to its cell (`preserveAspectRatio="none"`), so the labels
//! stay HTML text that wraps (long Chinese and English commitment titles) and the page needs no script, font or
//! file to show them. Coordinates are printed with one decimal, so the same shares give the same bytes.

use super::builder::Html;

/// Width of the user space every bar is drawn on.
pub const WIDTH: f64 = 1000.0;
/// Height of the user space every bar is drawn on.
pub const HEIGHT: f64 = 16.0;

/// One part of a stacked bar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment<'a> {
    /// Its length as a share of the full width (clamped to what is left of 0..1).
    pub share: f64,
    /// CSS class that colours it (`fill`, `used`, `left`, `funded`, ...).
    pub class: &'static str,
    /// Tooltip text (escaped).
    pub title: &'a str,
}

/// A share made safe to draw: NaN and negatives become 0, more than 1 becomes 1.
pub fn clamp_share(share: f64) -> f64 {
    if share.is_nan() { 0.0 } else { share.clamp(0.0, 1.0) }
}

/// A user-space coordinate with one decimal (never `-0.0`).
fn coord(x: f64) -> String {
    let rounded = (x * 10.0).round() / 10.0;
    let rounded = if rounded == 0.0 { 0.0 } else { rounded };
    format!("{rounded:.1}")
}

/// A progress bar: `share` of a grey track filled, with faint lines at each quarter. `label` names the bar for
/// screen readers and as a tooltip.
pub fn bar(out: &mut Html, share: f64, label: &str) {
    stacked_bar(out, &[Segment { share, class: "fill", title: label }], label, true);
}

/// A stacked bar: the segments one after another from the left, each at most what is left of the width. With
/// `track`, a grey track spans the full width behind them, with lines at each quarter (a percentage scale).
pub fn stacked_bar(out: &mut Html, segments: &[Segment<'_>], label: &str, track: bool) {
    open_bar(out, label);
    if track {
        out.open("rect", &[("class", "track"), ("x", "0"), ("y", "0"), ("width", "1000"), ("height", "16")])
            .close("rect");
    }
    let mut x = 0.0;
    for s in segments {
        let width = clamp_share(s.share).min(1.0 - x / WIDTH) * WIDTH;
        if width <= 0.0 {
            continue;
        }
        out.open(
            "rect",
            &[("class", s.class), ("x", &coord(x)), ("y", "0"), ("width", &coord(width)), ("height", &coord(HEIGHT))],
        );
        out.open("title", &[]).text(s.title).close("title");
        out.close("rect");
        x += width;
    }
    if track {
        quarter_lines(out);
    }
    out.close("svg");
}

/// A range on a percentage track: a band from `low` to `high` (shares of the full width) and a tick at `mid`,
/// for the spread of outcomes over draws (5th to 95th percentile, with the median).
pub fn range_bar(out: &mut Html, low: f64, mid: f64, high: f64, label: &str) {
    open_bar(out, label);
    out.open("rect", &[("class", "track"), ("x", "0"), ("y", "0"), ("width", "1000"), ("height", "16")]).close("rect");
    let (low, high) = (clamp_share(low) * WIDTH, clamp_share(high) * WIDTH);
    // A band never thinner than 4 units, so that a range of one value still shows.
    let (x, width) = if high - low < 4.0 { ((low - 2.0).max(0.0), 4.0) } else { (low, high - low) };
    out.open("rect", &[("class", "left"), ("x", &coord(x)), ("y", "2"), ("width", &coord(width)), ("height", "12")])
        .close("rect");
    let tick = (clamp_share(mid) * WIDTH - 3.0).clamp(0.0, WIDTH - 6.0);
    out.open("rect", &[("class", "fill"), ("x", &coord(tick)), ("y", "0"), ("width", "6"), ("height", "16")])
        .close("rect");
    quarter_lines(out);
    out.close("svg");
}

/// Opens a bar's `<svg>` on the 1000 × 16 user space, named by `label` for screen readers and as a tooltip.
fn open_bar(out: &mut Html, label: &str) {
    out.open(
        "svg",
        &[
            ("class", "bar"),
            ("viewBox", "0 0 1000 16"),
            ("preserveAspectRatio", "none"),
            ("role", "img"),
            ("aria-label", label),
        ],
    );
    out.open("title", &[]).text(label).close("title");
}

/// White lines at each quarter of the width: the percentage scale of a track.
fn quarter_lines(out: &mut Html) {
    for q in [250, 500, 750] {
        let q = q.to_string();
        out.open(
            "line",
            &[
                ("class", "grid"),
                ("x1", &q),
                ("x2", &q),
                ("y1", "0"),
                ("y2", "16"),
                ("vector-effect", "non-scaling-stroke"),
            ],
        )
        .close("line");
    }
}

/// A small square of colour for a legend.
pub fn swatch(out: &mut Html, class: &'static str) {
    out.open("svg", &[("class", "swatch"), ("viewBox", "0 0 10 10"), ("aria-hidden", "true")]);
    out.open("rect", &[("class", class), ("width", "10"), ("height", "10")]).close("rect");
    out.close("svg");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(f: impl FnOnce(&mut Html)) -> String {
        let mut out = Html::new();
        f(&mut out);
        out.into_string()
    }

    /// (class, x, width) of every rect in `svg`.
    fn rects(svg: &str) -> Vec<(String, f64, f64)> {
        let attr = |tag: &str, name: &str| -> Option<String> {
            let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
            Some(tag[start..start + tag[start..].find('"')?].to_string())
        };
        svg.split("<rect")
            .skip(1)
            .map(|tag| {
                let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
                let class = attr(tag, "class").unwrap_or_default();
                let x = attr(tag, "x").map_or(0.0, |v| v.parse().unwrap());
                let width = attr(tag, "width").unwrap().parse().unwrap();
                (class, x, width)
            })
            .collect()
    }

    #[test]
    fn bar_fills_its_share_of_the_track() {
        let svg = render(|o| bar(o, 0.7839, "ITI-2a"));
        assert!(svg.starts_with("<svg class=\"bar\" viewBox=\"0 0 1000 16\""), "{svg}");
        assert!(svg.ends_with("</svg>"));
        assert_eq!(
            rects(&svg),
            [("track".to_string(), 0.0, 1000.0), ("fill".to_string(), 0.0, 783.9)],
            "the track spans the width, the fill 78.39 % of it"
        );
        assert_eq!(svg.matches("<line class=\"grid\"").count(), 3, "quarter lines");
        assert!(svg.contains("<title>ITI-2a</title>"));
    }

    #[test]
    fn shares_out_of_range_are_clamped() {
        for (share, width) in [(1.5, Some(1000.0)), (1.0, Some(1000.0)), (0.0, None), (-0.2, None), (f64::NAN, None)] {
            let svg = render(|o| bar(o, share, "x"));
            let fill: Vec<f64> = rects(&svg).into_iter().filter(|r| r.0 == "fill").map(|r| r.2).collect();
            assert_eq!(fill, width.into_iter().collect::<Vec<_>>(), "share {share}: {svg}");
            assert!(!svg.contains("NaN") && !svg.contains("-0.0") && !svg.contains("inf"), "{svg}");
        }
        assert_eq!(clamp_share(f64::INFINITY), 1.0);
        assert_eq!(clamp_share(f64::NEG_INFINITY), 0.0);
    }

    #[test]
    fn stacked_segments_follow_each_other_and_never_pass_the_width() {
        let segments = [
            Segment { share: 0.5, class: "used", title: "used" },
            Segment { share: 0.25, class: "left", title: "left" },
        ];
        let svg = render(|o| stacked_bar(o, &segments, "donor", false));
        assert_eq!(rects(&svg), [("used".to_string(), 0.0, 500.0), ("left".to_string(), 500.0, 250.0)]);
        assert!(!svg.contains("class=\"grid\"") && !svg.contains("track"), "no scale without a track");

        let too_much = [
            Segment { share: 0.8, class: "funded", title: "a" },
            Segment { share: 0.8, class: "partial", title: "b" },
            Segment { share: 0.3, class: "unfunded", title: "c" },
        ];
        let r = rects(&render(|o| stacked_bar(o, &too_much, "needs", false)));
        assert_eq!(r, [("funded".to_string(), 0.0, 800.0), ("partial".to_string(), 800.0, 200.0)]);
    }

    #[test]
    fn text_in_charts_is_escaped() {
        let svg = render(|o| bar(o, 0.5, "<script>alert(1)</script>\"&'"));
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("aria-label=\"&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;&#39;\""), "{svg}");
        assert!(svg.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;&#39;</title>"), "{svg}");
    }

    #[test]
    fn same_shares_give_the_same_bytes() {
        let a = render(|o| bar(o, 1.0 / 3.0, "a"));
        let b = render(|o| bar(o, 1.0 / 3.0, "a"));
        assert_eq!(a, b);
        assert!(a.contains("width=\"333.3\""), "{a}");
        assert_eq!(coord(-0.01), "0.0");
        assert_eq!(coord(999.96), "1000.0");
    }

    #[test]
    fn swatch_is_a_decorative_square() {
        let svg = render(|o| swatch(o, "used"));
        assert_eq!(
            svg,
            "<svg class=\"swatch\" viewBox=\"0 0 10 10\" aria-hidden=\"true\">\
             <rect class=\"used\" width=\"10\" height=\"10\"></rect></svg>"
        );
    }
}
