#!/usr/bin/env bash
# Renders the sample's three pages (match's report.html, simulate's report.html for data/sample/scenarios.toml,
# track's track.html for data/sample/ledger.csv) in English and Chinese, opens each in headless Chromium at
# 1300 px (a laptop) and 390 px (a phone), fails if any of them scrolls sideways, and saves the views as
# docs/pages/PAGE-LANG-WIDTH.png, the pictures the README shows.
#
# Run as root from anywhere: bash docs/screenshot.sh
# It installs Debian's chromium, the Noto CJK fonts (for the Chinese pages), pngquant (to keep the pictures
# small) and python3 (docs/page_check.py drives Chromium) when missing. CI does not run it.
set -euo pipefail
cd "$(dirname "$0")/.."

fonts=$(fc-list : family 2>/dev/null || true)
if ! command -v chromium >/dev/null 2>&1 || ! command -v pngquant >/dev/null 2>&1 \
    || ! command -v python3 >/dev/null 2>&1 || ! grep -qi "Noto Sans CJK" <<<"$fonts"; then
    apt-get update
    apt-get install -y chromium fonts-noto-cjk pngquant python3
fi

work=target/pages
rm -rf "$work"
mkdir -p "$work" docs/pages
poa() { cargo run --release --quiet -- "$@" >/dev/null; }

pages=()
for lang in en zh; do
    poa match --lang "$lang" --out "$work/match-$lang"
    poa simulate --scenarios data/sample/scenarios.toml --lang "$lang" --out "$work/simulate-$lang"
    poa track --ledger data/sample/ledger.csv --needs data/sample/needs.csv --offers data/sample/offers_2014.csv --as-of 2014-12-31 \
        --lang "$lang" --out "$work/track-$lang"
    pages+=("$work/match-$lang/report.html:match-$lang" "$work/simulate-$lang/report.html:simulate-$lang"
        "$work/track-$lang/track.html:track-$lang")
done

# Measures every page at both widths (exit 1, naming what sticks out, if one is wider than its window) and saves
# the top of each view.
python3 docs/page_check.py --widths 1300,390 --height 1800 --shots docs/pages "${pages[@]}"

for png in docs/pages/*.png; do
    pngquant --force --skip-if-larger --quality=65-85 --output "$png" "$png" || true
    echo "wrote $png ($(du -k "$png" | cut -f1) KB)"
done
