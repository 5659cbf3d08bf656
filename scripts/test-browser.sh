#!/usr/bin/env bash
# Renders a funder report (HTML with SVG charts) in headless Chromium and checks that it
# renders without errors and shows the figures: the table, the disclosure note, at least one
# chart, and every value the CSV of the same report shows. Installs Debian's chromium when
# missing. Last line: `browser: N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null; then
    sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
    $sudo_ apt-get install -y chromium >/dev/null || { $sudo_ apt-get update >/dev/null && $sudo_ apt-get install -y chromium >/dev/null; }
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source scripts/lib/built.sh
bin=$(trialog_bin)
trialog() { "$bin" --db "$work/report.trialog" "$@"; }
year=$(date -u +%Y)
trialog init >/dev/null
trialog demo >/dev/null
trialog stats html "$year" --output "$work/report.html" >/dev/null
trialog stats platform "$year" --format csv >"$work/report.csv"
passed=0 failed=0
check() { # name, then a command that must succeed
    if "${@:2}"; then passed=$((passed + 1)); else echo "FAILED: $1" >&2; failed=$((failed + 1)); fi
}
chrome() {
    timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync --enable-logging=stderr --v=0 \
        --user-data-dir="$work/profile" "$@" "file://$work/report.html"
}
chrome --dump-dom >"$work/dom.html" 2>"$work/stderr"
chrome --screenshot="$work/report.png" --window-size=1200,2400 >/dev/null 2>>"$work/stderr"
check "the report's table rendered" grep -q '<table id="figures">' "$work/dom.html"
check "the disclosure note is shown" grep -q 'id="disclosure"' "$work/dom.html"
check "at least one SVG chart" grep -q '<svg' "$work/dom.html"
check "no console or load errors" bash -c "! grep -E 'CONSOLE|Uncaught|Failed to load|ERR_' '$work/stderr'"
check "a screenshot was rendered" bash -c "[ \$(stat -c %s '$work/report.png') -gt 10000 ]"
# Every value the CSV shows appears in its row of the rendered table; withheld ones as "withheld".
shown_ok() {
    local missing=0 rows=0
    while IFS=, read -r period _ figure _ category value withheld; do
        [ -z "$category" ] || continue
        rows=$((rows + 1))
        local row
        row=$(grep -F "<tr data-figure=\"$figure\" data-period=\"$period\">" "$work/dom.html" | grep -F '<td class="f"></td>' | head -1)
        if [ "$withheld" = true ]; then
            [[ $row == *withheld* ]] || { echo "$figure $period: not shown as withheld" >&2; missing=$((missing + 1)); }
        else
            [[ $row == *"<td>$value</td></tr>"* ]] || { echo "$figure $period: $value not shown" >&2; missing=$((missing + 1)); }
        fi
    done < <(tail -n +2 "$work/report.csv")
    echo "browser: $rows figure rows checked against the CSV" >&2
    [ "$rows" -gt 0 ] && [ "$missing" -eq 0 ]
}
check "every figure of the CSV is shown" shown_ok
echo "browser: report rendered ($(grep -c '<tr data-figure' "$work/dom.html") figure rows, $(grep -o '<svg' "$work/dom.html" | wc -l) charts)"
echo "browser: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
