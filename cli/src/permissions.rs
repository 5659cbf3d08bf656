//! Who may read and write the files that hold secrets: the database (e-mail addresses,
//! perspectives, who wrote anonymous posts) and the counselling content key.
//!
//! New files are created readable by their owner only (the core creates the database 0600, the
//! key writers here create keys 0600 and never replace one). Opening a file that its group or
//! others may read prints a warning on stderr. A database its permissions keep from being
//! written is opened read-only, so that it can still be read.

use std::io::{self, Write};
use std::path::Path;

use serde_json::json;

use crate::output::{Output, printable, shell_quote};

/// What the database file holds, for the warning.
pub const DATABASE_HOLDS: &str = "e-mail addresses, perspectives and who wrote anonymous posts";
/// What a content key file holds, for the warning.
pub const KEY_HOLDS: &str = "the key that decrypts every counselling conversation";

/// Warns on stderr when `path` can be read by its group or by others.
pub fn warn_if_exposed(path: &Path, holds: &str, out: Output) {
    let Some(mode) = exposed_mode(path) else { return };
    let shown = path.display().to_string();
    let message = format!("{} can be read by other users (mode {mode:04o}), but it holds {holds}", printable(&shown));
    let hint = format!("make it private: chmod 600 {}", printable(&shell_quote(&shown)));
    let mut err = io::stderr().lock();
    let _ = if out.json {
        let warning = json!({ "warning": "file_permissions", "message": message, "path": shown,
                              "mode": format!("{mode:04o}"), "hint": hint });
        writeln!(err, "{warning}")
    } else {
        writeln!(err, "warning: {message}\nhint: {hint}")
    };
}

/// Writes `contents` to a new file readable by its owner only (0600); an existing file is
/// never replaced (`AlreadyExists`).
pub fn write_private_new(path: &Path, contents: &str) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(contents.as_bytes())
}

/// Whether the file's permissions keep it from being written: it has no write bit at all
/// (honoured even for root, who could write anyway), or opening it for writing is refused.
pub fn write_protected(path: &Path) -> bool {
    match std::fs::metadata(path) {
        Ok(metadata) if metadata.permissions().readonly() => true,
        Ok(_) => std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .is_err_and(|e| e.kind() == io::ErrorKind::PermissionDenied),
        Err(_) => false,
    }
}

/// The permission bits when group or others have any access to `path`.
#[cfg(unix)]
fn exposed_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then_some(mode)
}

#[cfg(not(unix))]
fn exposed_mode(_path: &Path) -> Option<u32> {
    None
}
