#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for SECONDS each (default 20), one after another, and
# fails on any crash, panic, timeout or out-of-memory. Prints executions per target.
#
#   bash scripts/fuzz.sh          # the quick run of scripts/test-all
#   bash scripts/fuzz.sh 600      # the long run, by hand (10 minutes a target)
#   bash scripts/fuzz.sh 60 cursors geonames   # some targets only
#   bash scripts/fuzz.sh build                  # only build the targets
# (scripts/test-all runs the quick run in the background from its PostgreSQL step on.)
#
# Only the stable toolchain is needed: `--sanitizer none` keeps cargo-fuzz from passing
# `-Zsanitizer=address` (nightly only); coverage instrumentation uses stable -C flags, and
# --debug-assertions turns integer overflow into a panic.
# cargo-fuzz is installed into .tools/cargo-fuzz (ignored by git) when missing. New inputs
# go to fuzz/corpus/TARGET (ignored); the committed seeds are fuzz/seeds/TARGET.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
shift || true
export PATH="$PWD/.tools/cargo-fuzz/bin:$PATH"
if ! command -v cargo-fuzz >/dev/null; then
    cargo install cargo-fuzz --locked --root .tools/cargo-fuzz
fi
cd fuzz
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo fuzz list)
fi
cargo fuzz build --sanitizer none -O --debug-assertions
[ "$seconds" != build ] || exit 0
mkdir -p ../target/test-logs
failed=0
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target"
    log="../target/test-logs/fuzz-$target.log"
    status=0
    cargo fuzz run --sanitizer none -O --debug-assertions "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        >"$log" 2>&1 || status=$?
    runs=$(grep -oE '^Done [0-9]+ runs' "$log" | awk '{print $2}' || true)
    if [ "$status" -ne 0 ]; then
        failed=$((failed + 1))
        printf 'fuzz %-18s FAILED after %s runs (exit %s); see %s and fuzz/artifacts/%s\n' \
            "$target" "${runs:-?}" "$status" "$log" "$target"
        grep -E 'panicked|ERROR|SUMMARY|Test unit written' "$log" | head -n 5 || true
    else
        printf 'fuzz %-18s %s runs in %ss, no crash\n' "$target" "${runs:-?}" "$seconds"
    fi
done
printf 'fuzz: %s targets, %s failed\n' "${#targets[@]}" "$failed"
[ "$failed" -eq 0 ]
