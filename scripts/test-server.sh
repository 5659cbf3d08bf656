#!/usr/bin/env bash
# The HTTP server from outside (issue 24): builds `trialog`, installs the Python tools into
# .tools/venv (pytest, schemathesis, openapi-spec-validator, aiosmtpd), then
#   1. validates server/openapi.json as OpenAPI 3.1 (openapi-spec-validator);
#   2. runs the Python tests in server/tests/python against servers they start (the e-mail
#      notices against an aiosmtpd sink);
#   3. fuzzes every operation with schemathesis from /openapi.json and fails on any 5xx:
#      - quick mode (the default, in scripts/test-all): the fuzzing phase only, QUICK_EXAMPLES
#        examples per operation (about 770 requests, 55 s on the shared two-core machine), and
#        a failure if it outlasts QUICK_SECONDS;
#      - long mode (TRIALOG_SCHEMATHESIS_EXAMPLES=N): every phase (examples from the document,
#        the coverage phase's boundary values, fuzzing, stateful sequences), N per operation.
# Prints one line `server: N passed, M failed`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

venv=.tools/venv
py="$venv/bin/python"
examples="${TRIALOG_SCHEMATHESIS_EXAMPLES:-}"
# The quick mode's bounds: examples per operation, and seconds for the whole run.
QUICK_EXAMPLES=3
QUICK_SECONDS=240

[[ -x "$py" ]] || python3 -m venv "$venv"
if ! "$py" -c 'import pytest, schemathesis, openapi_spec_validator, aiosmtpd' 2>/dev/null; then
    "$py" -m pip install --quiet --disable-pip-version-check pytest schemathesis openapi-spec-validator aiosmtpd
fi
source scripts/lib/built.sh
TRIALOG_BIN=$(trialog_bin)
export TRIALOG_BIN

passed=0
failed=0
check() {
    echo "--- $1" >&2
    if "${@:2}"; then passed=$((passed + 1)); else echo "$1 FAILED" >&2; failed=$((failed + 1)); fi
}

check "openapi.json is valid OpenAPI 3.1" "$py" -c 'import json, openapi_spec_validator as v; v.validate(json.load(open("server/openapi.json")))'

pytest_log=$(mktemp)
if "$py" -m pytest -q server/tests/python 2>&1 | tee "$pytest_log"; then :; fi
passed=$((passed + $( { grep -oE '[0-9]+ passed' "$pytest_log" || true; } | awk '{s += $1} END {print s + 0}')))
failed=$((failed + $( { grep -oE '[0-9]+ (failed|error)' "$pytest_log" || true; } | awk '{s += $1} END {print s + 0}')))
rm -f "$pytest_log"

# Schemathesis against a server on a fresh file, anonymous (every operation is reachable
# anonymously; the policy refuses what it must with 4xx). Rate limits are raised so that the
# fuzzer measures the operations, not the limiter.
fuzz() { # fuzz SECONDS SCHEMATHESIS-ARGS...: the run fails when it outlasts SECONDS
    local seconds=$1 folder port pid status=0
    shift
    folder=$(mktemp -d)
    "$TRIALOG_BIN" --db "$folder/p.redb" init >/dev/null
    port=$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$TRIALOG_BIN" --db "$folder/p.redb" serve --listen "127.0.0.1:$port" --quiet --tick-secs 0 \
        --per-address 100000 --per-account 100000 --sign-ups-per-hour 100000 &
    pid=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
    timeout "$seconds" "$venv/bin/schemathesis" run "http://127.0.0.1:$port/openapi.json" --checks not_a_server_error \
        --no-color "$@" || status=$?
    kill -TERM "$pid"
    wait "$pid" || status=1
    rm -rf "$folder"
    return "$status"
}
if [[ -n "$examples" ]]; then
    check "schemathesis (long mode): no 5xx from any operation, every phase, $examples examples each" \
        fuzz 86400 --max-examples "$examples"
else
    check "schemathesis (quick mode): no 5xx from any operation, fuzzing, $QUICK_EXAMPLES examples each" \
        fuzz "$QUICK_SECONDS" --phases fuzzing --max-examples "$QUICK_EXAMPLES"
fi

echo "server: $passed passed, $failed failed"
[[ "$failed" -eq 0 && "$passed" -gt 0 ]]
