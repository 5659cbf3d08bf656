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
    let records = match Records::read(&root.join("core/src")) {
        Ok(records) => records,
        Err(e) => {
            eprintln!("trialog-stubgen: cannot read the core: {e}");
            return ExitCode::FAILURE;
        }
    };
    let api = match python::Api::new(&records) {
        Ok(api) => api,
        Err(e) => {
            eprintln!("trialog-stubgen: {e}");
            return ExitCode::FAILURE;
        }
    };
    let template = include_str!("template.pyi");
    let outputs = [
        ("bindings/python/src/types.rs", api.types_rs()),
        ("bindings/python/python/trialog/records.py", api.records_py()),
        ("bindings/python/python/trialog/_trialog.pyi", api.stubs(template)),
        ("server/openapi.json", openapi::document(&records)),
    ];
    let mut stale = Vec::new();
    for (path, text) in outputs {
        let file = root.join(path);
        if std::fs::read_to_string(&file).ok().as_deref() == Some(text.as_str()) {
            continue;
        }
        if check {
            stale.push(path);
        } else if let Err(e) = write(&file, &text) {
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

fn write(file: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(file, text)
}
