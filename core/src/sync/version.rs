//! The replica protocol's versions: what a device says it speaks in `GET /v1/sync`, and the
//! answer shaped for that version (`docs/replicas.md`, "Protocol versions").
//!
//! Why the server shapes the answer and the device does not skip what it does not know: a
//! device library already installed cannot be changed, and the ones before version 3 refuse
//! any field of the answer they do not know (`deny_unknown_fields`). So the server leaves out
//! every field added after the version the device sends (none sent: version 1), and does not
//! read the buckets behind them. The device keeps refusing unknown fields: a field it does not
//! know means a server that ignored its version, and a malformed known field stays an error.

use super::SyncBatch;
use crate::error::{Error, Result};

/// The replica protocol version this library speaks: 1, the forum buckets, the inbox, the
/// crisis resources and the boards' older-page cursors; 2 added the job and knowledge buckets
/// (`saved_searches`, `seeker`, `jobs`, `removed_jobs`, `articles`, `removed_articles`); 3 the
/// language the knowledge bucket is in (`knowledge`, sent by the device back as `language`, so
/// that a change of the account's language reaches it with the next incremental sync) and
/// `version` in the answer.
pub const PROTOCOL: u32 = 3;

/// The fields of [`SyncBatch`] each version added after 1, in the answer's JSON names
/// (`core/tests/sync.rs` checks each version's answer against them).
const ADDED: &[(u32, &[&str])] = &[
    (2, &["saved_searches", "seeker", "jobs", "removed_jobs", "articles", "removed_articles"]),
    (3, &["knowledge", "version"]),
];

/// What a device said about itself when it asked for changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handshake {
    /// The protocol version it speaks (1 when it sent none; a newer one than [`PROTOCOL`] is
    /// answered as [`PROTOCOL`]).
    pub version: u32,
    /// Version 3 and later: the language the articles it holds are in (`None`: it holds none
    /// for want of a language, or does not know which).
    pub language: Option<String>,
}

impl Handshake {
    /// This library's own version, holding articles in `language`.
    pub fn current(language: Option<String>) -> Handshake {
        Handshake { version: PROTOCOL, language }
    }

    /// A device that sent no version: one built before the handshake (version 1).
    pub fn unversioned() -> Handshake {
        Handshake { version: 1, language: None }
    }

    /// The handshake of a request's `version` and `language`: a version of 0 is refused, a
    /// language must be a language code (empty: none).
    pub fn parse(version: Option<u32>, language: Option<&str>) -> Result<Handshake> {
        let version = match version {
            None => 1,
            Some(0) => return Err(Error::invalid("version", "must be 1 or more: the replica protocol version")),
            Some(v) => v.min(PROTOCOL),
        };
        let language = match language.filter(|l| !l.is_empty()) {
            None => None,
            Some(code) => crate::validate::languages("language", &[code.to_string()])?.pop(),
        };
        Ok(Handshake { version, language })
    }

    /// Whether the device knows the job and knowledge buckets.
    pub(super) fn knows_buckets(&self) -> bool {
        self.version >= 2
    }

    /// Whether the device says which language its articles are in.
    pub(super) fn knows_language(&self) -> bool {
        self.version >= 3
    }
}

impl SyncBatch {
    /// The answer as JSON for a device of protocol `version`: without the fields it does not
    /// know (the current version's answer is written straight away).
    pub fn to_json(&self, version: u32) -> Result<Vec<u8>> {
        let encoding = |e: serde_json::Error| Error::Internal { detail: format!("sync batch: {e}") };
        if version >= PROTOCOL {
            return serde_json::to_vec(self).map_err(encoding);
        }
        let mut value = serde_json::to_value(self).map_err(encoding)?;
        if let Some(fields) = value.as_object_mut() {
            for name in ADDED.iter().filter(|(added, _)| *added > version).flat_map(|(_, names)| names.iter()) {
                fields.remove(*name);
            }
        }
        serde_json::to_vec(&value).map_err(encoding)
    }
}
