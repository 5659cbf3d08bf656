#!/usr/bin/env bash
# Builds the UniFFI library (trialog-ffi), generates its Kotlin, Swift and Python bindings, then
# compiles and runs the Kotlin tests (bindings/ffi/tests/kotlin) and the Kotlin example
# (examples/kotlin) on a plain JVM. Installs JNA, JUnit 5 and the Kotlin compiler if missing.
#
# Usage: scripts/test-kotlin.sh   (from anywhere; it works in the repository root)
# Last line: `kotlin: N passed, M failed` (the example run, the README snippet and the parity
# test of cli/tests/parity.rs each count as one test). Exit status is
# non-zero when anything failed or no test ran.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

JAVA_LIBS=/usr/share/java
JNA_JAR=$JAVA_LIBS/jna.jar
JUNIT_JAR=$JAVA_LIBS/junit-platform-console-standalone.jar
KOTLIN_HOME=.tools/node_modules/kotlin-compiler
KOTLINC=$KOTLIN_HOME/bin/kotlinc
KOTLIN_STDLIB=$KOTLIN_HOME/lib/kotlin-stdlib.jar
TARGET=${CARGO_TARGET_DIR:-target}
BUILT_LIB=$TARGET/debug/libtrialog_ffi.so
LIB_DIR=$TARGET/kotlin/lib # a private copy: other builds may replace the one in target/debug
LIB=$LIB_DIR/libtrialog_ffi.so
BINDINGS=$TARGET/bindings
CLASSES=$TARGET/kotlin/classes

step() { printf '\n==> %s\n' "$*"; }
die() { # for failures before any test ran: still ends with the summary line
    printf 'test-kotlin: %s\n' "$*" >&2
    echo "kotlin: 0 passed, 1 failed"
    exit 1
}

# --- Tools, installed only when missing ---------------------------------------------------
if [[ ! -f $JNA_JAR || ! -f $JUNIT_JAR ]]; then
    step "installing JNA and JUnit 5 (apt)"
    SUDO=""
    if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; fi
    $SUDO apt-get update || die "apt-get update failed"
    $SUDO apt-get install -y libjna-java junit5 || die "apt-get install failed"
fi
if [[ ! -x $KOTLINC ]]; then
    step "installing the Kotlin compiler (npm, into .tools)"
    npm install --prefix .tools kotlin-compiler@2.4 || die "npm install failed"
fi
for needed in "$JNA_JAR" "$JUNIT_JAR" "$KOTLINC" "$KOTLIN_STDLIB"; do
    [[ -e $needed ]] || die "missing $needed after installing"
done
command -v java >/dev/null || die "no java on PATH (install a JDK, 17 or newer)"

# --- Library and bindings -------------------------------------------------------------------
# scripts/test-all hands over the library of its workspace test build (TRIALOG_FFI_LIB: the
# root crate's dev-dependencies turn fault injection on there); alone, this builds it.
if [[ -n "${TRIALOG_FFI_LIB:-}" && -f "$TRIALOG_FFI_LIB" ]]; then
    BUILT_LIB=$TRIALOG_FFI_LIB
else
    step "building trialog-ffi (with fault injection)"
    cargo build -p trialog-ffi --features fault-injection || die "cargo build failed"
fi
[[ -f $BUILT_LIB ]] || die "cargo did not produce $BUILT_LIB"
mkdir -p "$LIB_DIR"
cp "$BUILT_LIB" "$LIB"
# The replica test (ReplicaTest.kt) starts `trialog serve`.
step "building trialog (the server of the replica test)"
source scripts/lib/built.sh
TRIALOG_BIN=$(trialog_bin) || die "cargo build -p trialog-cli failed"
export TRIALOG_BIN

step "generating Kotlin, Swift and Python bindings into $BINDINGS"
rm -rf "$BINDINGS"
cargo run -q -p uniffi-bindgen -- generate "$LIB" -l kotlin -l swift -l python -o "$BINDINGS" --no-format ||
    die "uniffi-bindgen failed"

missing=()
for file in \
    Trialog.swift TrialogFFI.h TrialogFFI.modulemap \
    TrialogCore.swift TrialogCoreFFI.h TrialogCoreFFI.modulemap \
    trialog.py trialog_core.py \
    org/trialog/trialog.kt org/trialog/core/trialog_core.kt; do
    [[ -s $BINDINGS/$file ]] || missing+=("$file")
done
if ((${#missing[@]})); then
    die "uniffi-bindgen did not generate: ${missing[*]} (in $BINDINGS)"
fi
echo "generated: $(cd "$BINDINGS" && find . -type f | sort | tr '\n' ' ')"

# --- Parity: every operation of the manifest in the generated Kotlin and in the CLI -----------
step "parity: every operation of the manifest is a Kotlin method and has a CLI command"
parity_ok=0
if TRIALOG_PARITY_KOTLIN="$PWD/$BINDINGS/org/trialog/trialog.kt" run_parity; then
    parity_ok=1
else
    echo "test-kotlin: the parity test failed" >&2
fi

# --- Kotlin: one compiler run for bindings, tests and example (30-60 s on 2 cores) ---------------------
step "compiling the Kotlin bindings, tests and example"
rm -rf "$CLASSES"
mkdir -p "$CLASSES"
# The README's Kotlin snippet is compiled and run too, so the README cannot rot: its imports
# stay on top and the rest becomes the body of org.trialog.readme.main().
README_KT=$TARGET/kotlin/readme/ReadmeSnippet.kt
mkdir -p "$(dirname "$README_KT")"
awk '/^```kotlin$/ {inside = 1; next} /^```$/ {inside = 0} inside' README.md > "$README_KT.body"
[[ -s "$README_KT.body" ]] || die "README.md has no kotlin snippet"
{
    echo "package org.trialog.readme"
    grep -E '^import ' "$README_KT.body"
    echo "fun main() {"
    grep -vE '^import ' "$README_KT.body"
    echo "}"
} > "$README_KT"
mapfile -t sources < <(find "$BINDINGS" bindings/ffi/tests/kotlin examples/kotlin "$(dirname "$README_KT")" -name '*.kt' | sort)
"$KOTLINC" -nowarn -cp "$JNA_JAR:$JUNIT_JAR" -d "$CLASSES" "${sources[@]}" || die "kotlinc failed"

RUNTIME_CP="$CLASSES:$JNA_JAR:$KOTLIN_STDLIB"
JAVA_OPTS=(-Djna.library.path="$LIB_DIR")

step "running the Kotlin tests (JUnit 5); the panic report from trigger_panic_for_tests is expected"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
java "${JAVA_OPTS[@]}" -jar "$JUNIT_JAR" \
    --disable-banner --disable-ansi-colors --details=tree --fail-if-no-tests \
    -cp "$RUNTIME_CP" --select-package org.trialog.tests 2>&1 | tee "$log"
junit_status=${PIPESTATUS[0]}
set -e

count() { # the number in a summary line such as "[        27 tests successful      ]"
    sed -nE "s/^\[ *([0-9]+) $1 *\]$/\1/p" "$log" | tail -n 1
}
passed=$(count 'tests successful')
failed=$(count 'tests failed')
broken_containers=$(count 'containers failed')
passed=${passed:-0}
failed=$((${failed:-0} + ${broken_containers:-0}))
# JUnit silently skips a @Test method that returns a value: check that every one of them ran.
declared=$(cat bindings/ffi/tests/kotlin/*.kt | grep -cE '^\s*@Test\b' || true)
found=$(count 'tests found')
if ((${found:-0} < declared)); then
    echo "test-kotlin: $declared @Test methods declared but JUnit found ${found:-0};" \
        "a test method must return Unit (not the value of its last expression)" >&2
    failed=$((failed + declared - ${found:-0}))
fi
if ((junit_status != 0 && failed == 0)); then
    echo "test-kotlin: JUnit exited with status $junit_status" >&2
    failed=1
fi

if ((parity_ok)); then passed=$((passed + 1)); else failed=$((failed + 1)); fi

step "running the Kotlin example"
if java "${JAVA_OPTS[@]}" -cp "$RUNTIME_CP" org.trialog.examples.MainKt; then
    passed=$((passed + 1))
else
    echo "test-kotlin: examples/kotlin/Main.kt failed" >&2
    failed=$((failed + 1))
fi

step "running the README's Kotlin snippet (in an empty folder)"
absolute() { (cd "$1" && pwd); }
snippet_cp="$(absolute "$CLASSES"):$JNA_JAR:$(absolute "$KOTLIN_HOME/lib")/kotlin-stdlib.jar"
snippet_lib=$(absolute "$LIB_DIR")
if (cd "$(mktemp -d)" && java -Djna.library.path="$snippet_lib" -cp "$snippet_cp" org.trialog.readme.ReadmeSnippetKt); then
    passed=$((passed + 1))
else
    echo "test-kotlin: the README's Kotlin snippet failed" >&2
    failed=$((failed + 1))
fi

echo "kotlin: $passed passed, $failed failed"
((failed == 0 && passed > 1))
