# Sourced by the test scripts: the `trialog` binary and the CLI's parity test, taken from the
# workspace test build when scripts/test-all made one (it exports TRIALOG_BIN and
# TRIALOG_PARITY_TEST), built here otherwise. `cargo build -p trialog-cli` alone resolves the
# core's features differently from the workspace and would compile the core a second time.

# Prints the path of a `trialog` binary with `serve`, building it when none was handed over.
trialog_bin() {
    if [[ -n "${TRIALOG_BIN:-}" && -x "$TRIALOG_BIN" ]]; then
        printf '%s\n' "$TRIALOG_BIN"
        return
    fi
    cargo build -q -p trialog-cli >&2 || return 1
    printf '%s\n' "$(cd "${CARGO_TARGET_DIR:-target}/debug" && pwd)/trialog"
}

# Runs the CLI's parity test (tests/parity.rs) with the environment the caller set.
run_parity() {
    if [[ -n "${TRIALOG_PARITY_TEST:-}" && -x "$TRIALOG_PARITY_TEST" ]]; then
        (cd cli && "$TRIALOG_PARITY_TEST" -q)
    else
        cargo test -q -p trialog-cli --test parity
    fi
}
