#!/usr/bin/env bash
# Renders the sample reports with headless Chromium into docs/report-sample.png (English),
# docs/report-sample-zh.png (Chinese) and docs/simulate-sample.png (the scenarios of data/sample/scenarios.toml),
# the pictures the README shows.
#
# Run as root from anywhere: bash docs/screenshot.sh
# It installs Debian's chromium, the Noto CJK fonts (for the Chinese page) and pngquant (to keep the pictures
# small) when missing. CI does not run it.
set -euo pipefail
cd "$(dirname "$0")/.."

fonts=$(fc-list : family 2>/dev/null || true)
if ! command -v chromium >/dev/null 2>&1 || ! command -v pngquant >/dev/null 2>&1 \
    || ! grep -qi "Noto Sans CJK" <<<"$fonts"; then
    apt-get update
    apt-get install -y chromium fonts-noto-cjk pngquant
fi

shoot() { # OUT_DIR PNG COMMAND...
    local dir=$1 png=$2
    shift 2
    cargo run --release --quiet -- "$@" --out "$dir" >/dev/null
    set -- "" "$dir" "$png"
    local profile
    profile=$(mktemp -d)
    # No network: the page loads nothing, and these flags keep Chromium itself from phoning home.
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$profile" --window-size=1280,2400 \
        --screenshot="$PWD/$3" "file://$PWD/$2/report.html" 2>/dev/null
    rm -rf "$profile"
    pngquant --force --skip-if-larger --quality=80-95 --output "$3" "$3" || true
    echo "wrote $3 ($(du -k "$3" | cut -f1) KB)"
}

shoot target/report-sample docs/report-sample.png match --lang en
shoot target/report-sample-zh docs/report-sample-zh.png match --lang zh
shoot target/simulate-sample docs/simulate-sample.png simulate --scenarios data/sample/scenarios.toml
