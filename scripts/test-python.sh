#!/usr/bin/env bash
# Checks that the generated stubs, TypedDicts and type table are current (trialog-stubgen
# --check), builds the Python wheel (with fault injection), installs it into .tools/venv, runs
# the pytest suite in bindings/python/tests, every example in examples/python and the README's
# snippet, then `mypy --strict` over the examples and the snippet and `mypy.stubtest trialog`,
# and prints one line:
#   python: N passed, M failed
# (pytest tests, examples, snippet and the three checks). Exits non-zero when anything failed or
# nothing ran.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

venv=.tools/venv
py="$venv/bin/python"
wheels=target/wheels

if [[ ! -x "$py" ]]; then
    echo "creating $venv" >&2
    python3 -m venv "$venv"
fi
if [[ ! -x "$venv/bin/maturin" ]] || ! "$py" -c 'import pytest, pandas, mypy, typing_extensions, numpy, scipy, icalendar' 2>/dev/null ||
    ! "$py" -m pip show -q pandas-stubs >/dev/null 2>&1; then
    "$py" -m pip install --quiet --disable-pip-version-check "maturin>=1.16,<2" pytest pandas mypy typing_extensions pandas-stubs numpy scipy icalendar
fi

checks_passed=0
checks_failed=0
check() { # a named check: counts as one test
    echo "--- $1" >&2
    if "${@:2}"; then
        checks_passed=$((checks_passed + 1))
    else
        echo "$1 FAILED" >&2
        checks_failed=$((checks_failed + 1))
    fi
}

# scripts/test-all ran the same check as a test of its workspace build (stubgen's
# the_committed_generated_files_are_current) and says so with TRIALOG_STUBGEN_TESTED=1.
generated_current() {
    [[ "${TRIALOG_STUBGEN_TESTED:-}" == 1 ]] || cargo run -q -p trialog-stubgen -- --check
}
check "generated files are current (cargo run -p trialog-stubgen)" generated_current

mkdir -p "$wheels"
rm -f "$wheels"/trialog-*.whl
"$venv/bin/maturin" build --quiet -m bindings/python/Cargo.toml --features fault-injection \
    --interpreter "$py" -o "$wheels"
wheel=$(ls "$wheels"/trialog-*.whl)
"$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel"

# test_replica.py starts `trialog serve`.
source scripts/lib/built.sh
TRIALOG_BIN=$(trialog_bin)
export TRIALOG_BIN

report=target/python-tests.xml
rm -f "$report"
"$py" -m pytest -q -p no:cacheprovider bindings/python/tests --junitxml="$report" || true

example_passed=0
example_failed=0
for example in examples/python/*.py; do
    [[ -e "$example" ]] || continue
    echo "--- example $example" >&2
    if "$py" "$example"; then
        example_passed=$((example_passed + 1))
    else
        echo "example $example FAILED" >&2
        example_failed=$((example_failed + 1))
    fi
done

# The README's Python snippet is run too, in an empty folder, so the README cannot rot.
snippet="$PWD/target/readme-snippet.py"
"$py" - > "$snippet" <<'PY'
import re
text = open("README.md", encoding="utf-8").read()
found = re.search(r"```python\n(.*?)```", text, re.S)
print(found.group(1) if found else "raise SystemExit('README.md has no python snippet')")
PY
echo "--- README.md python snippet" >&2
if (cd "$(mktemp -d)" && "$OLDPWD/$py" "$snippet"); then
    example_passed=$((example_passed + 1))
else
    echo "README.md python snippet FAILED" >&2
    example_failed=$((example_failed + 1))
fi

check "parity: every operation of the manifest is a documented Python method" \
    env TRIALOG_PARITY_PYTHON="$PWD/$py" bash -c 'source scripts/lib/built.sh && run_parity'
check "mypy --strict over examples/python and the README snippet" \
    "$py" -m mypy --strict --no-incremental examples/python "$snippet"
# The allowlist holds records.py's Literal aliases only: records.py is plain Python, its own
# stub, and stubtest cannot match a Literal alias with its runtime object.
check "stubtest trialog" "$py" -m mypy.stubtest trialog --allowlist bindings/python/stubtest-allowlist.txt

read -r test_passed test_failed < <("$py" - "$report" <<'PY'
import sys
import xml.etree.ElementTree as ET

try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError):
    print(0, 1)  # pytest did not even write its report
    raise SystemExit
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
total = failed = skipped = 0
for s in suites:
    total += int(s.get("tests", 0))
    failed += int(s.get("failures", 0)) + int(s.get("errors", 0))
    skipped += int(s.get("skipped", 0))
print(total - failed - skipped, failed)
PY
)

passed=$((test_passed + example_passed + checks_passed))
failed=$((test_failed + example_failed + checks_failed))
echo "python: $passed passed, $failed failed"
[[ $failed -eq 0 && $passed -gt 0 ]]
