//! Every operation of the manifest (`trialog_core::api::OPERATIONS`) is present in every
//! frontend, checked against the frontends themselves:
//!
//! - the CLI: `trialog <command> --help` succeeds for the command each operation names, and an
//!   operation without one says why;
//! - Kotlin: the Kotlin source UniFFI generated declares `fun <camelCase name>(`, when
//!   `TRIALOG_PARITY_KOTLIN` names that file (`scripts/test-kotlin.sh` sets it);
//! - Python: the imported module's `Platform` has the method (and the `iter_*` twin of a paged
//!   listing) with a docstring, when `TRIALOG_PARITY_PYTHON` names the interpreter that has
//!   `trialog` installed (`scripts/test-python.sh` sets it).

use std::collections::BTreeSet;
use std::process::Command;

use trialog_core::api::OPERATIONS;

#[test]
fn every_operation_has_a_cli_command_or_a_reason() {
    let mut missing = Vec::new();
    for op in OPERATIONS {
        match op.cli {
            Ok(command) => {
                let status = Command::new(env!("CARGO_BIN_EXE_trialog"))
                    .args(command.split_whitespace())
                    .arg("--help")
                    .output()
                    .expect("run trialog");
                if !status.status.success() {
                    missing.push(format!("{} (`trialog {command} --help` failed)", op.name));
                }
            }
            Err(reason) if reason.trim().len() < 20 => missing.push(format!("{} (no reason given)", op.name)),
            Err(_) => {}
        }
    }
    assert!(missing.is_empty(), "operations without a CLI command: {missing:#?}");
}

#[test]
fn every_operation_is_a_kotlin_method() {
    let Ok(path) = std::env::var("TRIALOG_PARITY_KOTLIN") else {
        eprintln!("TRIALOG_PARITY_KOTLIN is not set: the Kotlin check runs in scripts/test-kotlin.sh");
        return;
    };
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let missing: Vec<String> = OPERATIONS
        .iter()
        .map(|op| camel_case(op.name))
        .filter(|name| !source.contains(&format!("fun `{name}`(")) && !source.contains(&format!("fun {name}(")))
        .collect();
    assert!(missing.is_empty(), "operations missing from the generated Kotlin ({path}): {missing:?}");
}

#[test]
fn every_operation_is_a_python_method() {
    let Ok(python) = std::env::var("TRIALOG_PARITY_PYTHON") else {
        eprintln!("TRIALOG_PARITY_PYTHON is not set: the Python check runs in scripts/test-python.sh");
        return;
    };
    let script = "import trialog\n\
                  for name in dir(trialog.Platform):\n\
                  \x20   if not name.startswith('_') and (getattr(trialog.Platform, name).__doc__ or '').strip():\n\
                  \x20       print(name)\n";
    let output = Command::new(&python).args(["-c", script]).output().expect("run python");
    assert!(output.status.success(), "python failed: {}", String::from_utf8_lossy(&output.stderr));
    let documented: BTreeSet<String> = String::from_utf8_lossy(&output.stdout).lines().map(str::to_string).collect();
    let missing: Vec<&str> = OPERATIONS
        .iter()
        .flat_map(|op| std::iter::once(op.name).chain(op.iter))
        .filter(|name| !documented.contains(*name))
        .collect();
    assert!(missing.is_empty(), "operations missing (or undocumented) in Python: {missing:?}");
}

#[test]
fn names_follow_one_rule() {
    for op in OPERATIONS {
        assert!(
            op.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "{} is not snake_case",
            op.name
        );
        assert!(!op.doc.trim().is_empty(), "{} has no doc comment", op.name);
    }
    let names: BTreeSet<&str> = OPERATIONS.iter().map(|op| op.name).collect();
    assert_eq!(names.len(), OPERATIONS.len(), "an operation is declared twice");
}

/// `mark_thread_read` → `markThreadRead`, as UniFFI names Kotlin methods.
fn camel_case(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}
