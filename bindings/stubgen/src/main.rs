//! Writes the Python side of the manifest (`trialog_core::api::OPERATIONS`):
//!
//! - `bindings/python/src/types.rs`: the extension's table of operations (how Python parameters
//!   map onto the manifest's arguments) and of record fields with their types, so that results
//!   turn timestamps into `datetime` and dates into `date` by type;
//! - `bindings/python/python/trialog/records.py`: a `TypedDict` for every record and a `Literal`
//!   for every enum an operation takes or returns;
//! - `bindings/python/python/trialog/_trialog.pyi`: the stubs, from `template.pyi` with one
//!   method per operation;
//! - `server/openapi.json`: the OpenAPI 3.1 document of `trialog serve`.
//!
//! `cargo run -p trialog-stubgen` writes them; `-- --check` fails when a committed file differs
//! from what it would write (the Python test command runs it).

mod openapi;
mod python;
mod records;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use records::Records;

fn main() -> ExitCode {
    let check = std::env::args().any(|a| a == "--check");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let outputs = match outputs(&root) {
        Ok(outputs) => outputs,
        Err(e) => {
            eprintln!("trialog-stubgen: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stale = Vec::new();
    for (path, text) in outputs {
        if is_current(&root, path, &text) {
            continue;
        }
        if check {
            stale.push(path);
        } else if let Err(e) = write(&root.join(path), &text) {
            eprintln!("trialog-stubgen: cannot write {path}: {e}");
            return ExitCode::FAILURE;
        } else {
            eprintln!("wrote {path}");
        }
    }
    if stale.is_empty() {
        return ExitCode::SUCCESS;
    }
    eprintln!("trialog-stubgen: stale, run `cargo run -p trialog-stubgen`: {}", stale.join(", "));
    ExitCode::FAILURE
}

/// Every generated file (its path under the workspace root) with the text it should hold.
fn outputs(root: &Path) -> Result<[(&'static str, String); 4], String> {
    let records = Records::read(&root.join("core/src")).map_err(|e| format!("cannot read the core: {e}"))?;
    let api = python::Api::new(&records).map_err(|e| e.to_string())?;
    let template = include_str!("template.pyi");
    Ok([
        ("bindings/python/src/types.rs", api.types_rs()),
        ("bindings/python/python/trialog/records.py", api.records_py()),
        ("bindings/python/python/trialog/_trialog.pyi", api.stubs(template)),
        ("server/openapi.json", openapi::document(&records)),
    ])
}

fn is_current(root: &Path, path: &str, text: &str) -> bool {
    std::fs::read_to_string(root.join(path)).ok().as_deref() == Some(text)
}

fn write(file: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(file, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same check as `-- --check`, as a test of the workspace's test build (scripts/test-all
    /// runs it there instead of building the core once more for this binary alone).
    #[test]
    fn the_committed_generated_files_are_current() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
        let stale: Vec<_> = outputs(&root)
            .unwrap()
            .into_iter()
            .filter(|(path, text)| !is_current(&root, path, text))
            .map(|(p, _)| p)
            .collect();
        assert!(stale.is_empty(), "stale, run `cargo run -p trialog-stubgen`: {}", stale.join(", "));
    }
}
