#!/usr/bin/env bash
# Renders a funder report (HTML with SVG charts) in headless Chromium and checks that it
# renders and shows the figures. Installs Debian's chromium when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null; then
    sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
    $sudo_ apt-get install -y chromium >/dev/null || { $sudo_ apt-get update >/dev/null && $sudo_ apt-get install -y chromium >/dev/null; }
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/report.trialog"
cargo run -q -p trialog-cli -- --db "$db" init >/dev/null
cargo run -q -p trialog-cli -- --db "$db" demo >/dev/null
cargo run -q -p trialog-cli -- --db "$db" stats html "$(date -u +%Y)" --output "$work/report.html"
timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --dump-dom "file://$work/report.html" >"$work/dom.html" 2>"$work/stderr"
grep -q '<table id="figures">' "$work/dom.html" || { echo "the report's table did not render"; exit 1; }
grep -q 'id="disclosure"' "$work/dom.html" || { echo "the disclosure note is missing"; exit 1; }
echo "browser: report rendered ($(grep -c '<tr data-figure' "$work/dom.html") figure rows, $(grep -o '<svg' "$work/dom.html" | wc -l) charts)"
