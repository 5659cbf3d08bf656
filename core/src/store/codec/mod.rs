//! How records are stored: compactly since schema version 12, as JSON before.
//!
//! # The compact form
//! A record is one **format byte**, then the record in MessagePack with every struct written
//! as an *array* of its fields in declaration order: no field names, integers as integers,
//! strings without escapes. The format byte is [`COMPACT_V1`] (`0x01`). A JSON text can never
//! start with it (JSON starts with `{`, `[`, `"`, a digit, `-`, a letter of `true`/`false`/
//! `null`, or whitespace), so [`decode`] tells the two forms apart by the first byte and every
//! record written before version 12 still reads. Version 12's migration rewrites the records of
//! the large tables (accounts and their credentials, organisations, forum boards, threads,
//! posts and revisions, job postings); the JSON that remains elsewhere reads the same and
//! becomes compact on its next write. A byte below `0x20` other than JSON's whitespace is
//! reserved for later formats: an unknown one is refused as a storage error, never guessed at.
//!
//! MessagePack (rmp-serde) was measured beside postcard, bitcode and JSON on the real records
//! (`cargo bench --bench codec`, figures in `benches/README.md`): postcard and bitcode are
//! smaller still but cannot read the records at all, because internally tagged enums
//! (`#[serde(tag = "role")]` in every account's roles, a job's location) need a self-describing
//! format; MessagePack reads them as arrays whose first element is the tag.
//!
//! # Rules for records (why these, and what breaks otherwise)
//! - **Add a field only at the end of its struct, with `#[serde(default)]`** (or
//!   `#[serde(default = "…")]`). A record written before the field has one element fewer; the
//!   missing trailing element takes its default. A field inserted in the middle would shift
//!   every later field of records already written: never do that, and never reorder or remove
//!   fields; rename them freely (names are not stored). Tested by
//!   `records_written_before_a_trailing_field_was_added_still_read`.
//! - **No `skip_serializing_if` on a field that is followed by others in a stored record**: a
//!   skipped field would shift the rest (a trailing one is fine: it reads as missing). In debug
//!   builds [`encode`] walks every record it writes ([`shape`]) and refuses one that skips a
//!   field before another, naming both, so the mistake fails the first test that stores such
//!   a record instead of damaging files. `#[serde(flatten)]` is fine (the struct is then
//!   written as a map, with its keys).
//! - **Decode as the type that was written**, not as a struct of some of its fields: an array of
//!   twelve fields does not read as a struct of three (it is refused as damaged).
//! - Timestamps: the forums' records store integer microseconds
//!   (`chrono::serde::ts_microseconds`); the public records (accounts, postings) keep chrono's
//!   RFC 3339 text, a MessagePack string of about 25 bytes, so as not to change their types.
//!
//! Decoding is fallible on purpose: a damaged record becomes a [`Error::Storage`], not a panic.

mod shape;

use std::cell::Cell;

use serde::Serialize;
use serde::de::{Deserialize, DeserializeOwned};

use crate::error::{Error, Result};

/// The format byte of the compact form: MessagePack, structs as arrays.
pub(crate) const COMPACT_V1: u8 = 0x01;

thread_local! {
    /// Whether this thread writes JSON, as builds before schema version 12 did (see
    /// [`write_json_on_this_thread`]).
    static WRITES_JSON: Cell<bool> = const { Cell::new(false) };
}

/// Makes this thread write records as JSON, as trialog did before schema version 12, or back
/// in the compact form. Only for tests that build files of earlier schema versions: a platform
/// does its writes on the calling thread, so the switch affects that test alone.
#[doc(hidden)]
pub fn write_json_on_this_thread(json: bool) {
    WRITES_JSON.with(|w| w.set(json));
}

/// Serialises a record for storage, in the compact form.
pub(crate) fn encode<T: Serialize>(record: &T) -> Result<Vec<u8>> {
    if WRITES_JSON.with(Cell::get) {
        return serde_json::to_vec(record).map_err(|e| Error::storage(format!("cannot encode record: {e}")));
    }
    if cfg!(debug_assertions) {
        shape::check(record).map_err(|e| Error::storage(format!("cannot encode record: {e}")))?;
    }
    let mut out = Vec::with_capacity(128);
    out.push(COMPACT_V1);
    record
        .serialize(&mut rmp_serde::Serializer::new(&mut out))
        .map_err(|e| Error::storage(format!("cannot encode record: {e}")))?;
    Ok(out)
}

/// Reads a stored record, compact or JSON; `what` names it in the error ("account 12").
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8], what: impl FnOnce() -> String) -> Result<T> {
    let parsed = match bytes.first() {
        Some(&COMPACT_V1) => compact(&bytes[1..]),
        Some(&b) if b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') => {
            Err(format!("its format (byte {b:#04x}) is unknown to this trialog: written by a newer one?"))
        }
        _ => json(bytes),
    };
    parsed.map_err(|e| Error::storage(format!("{} is unreadable: {e}", what())))
}

/// Whether `bytes` are a record in the compact form (and not JSON).
pub(crate) fn is_compact(bytes: &[u8]) -> bool {
    bytes.first() == Some(&COMPACT_V1)
}

/// The compact bytes of an unsigned integer as it appears inside a record (MessagePack's
/// shortest form), for scans that look for an id in stored bytes before decoding.
pub(crate) fn compact_uint(n: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(9);
    // Writing to a `Vec` cannot fail.
    let _ = rmp_serde::encode::write(&mut out, &n);
    out
}

/// Decodes MessagePack; bytes left over mean the record is damaged (or was decoded as a type
/// of fewer fields than it was written with). The deserializer borrows from `bytes` rather
/// than reading them through `io::Read`, which copied every string and byte string twice
/// (a tenth of a thread page's time). It does not say where it stopped, so what is left over
/// is found by reading one more value: running out of bytes is the only clean end.
fn compact<T: DeserializeOwned>(bytes: &[u8]) -> std::result::Result<T, String> {
    let mut reader = rmp_serde::Deserializer::from_read_ref(bytes);
    let value = T::deserialize(&mut reader).map_err(|e| e.to_string())?;
    match serde::de::IgnoredAny::deserialize(&mut reader) {
        Err(rmp_serde::decode::Error::InvalidMarkerRead(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            Ok(value)
        }
        _ => Err("bytes are left over after the record".to_string()),
    }
}

/// Decodes JSON. The bytes are checked as UTF-8 once, as a whole: parsing from a `str` spares
/// serde_json checking every string again (a tenth of the time of decoding a forum post).
fn json<T: DeserializeOwned>(bytes: &[u8]) -> std::result::Result<T, String> {
    match std::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str(text).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Old {
        id: u64,
        name: String,
    }

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct New {
        id: u64,
        name: String,
        #[serde(default)]
        city: Option<String>,
        #[serde(default = "three")]
        visits: u32,
    }

    fn three() -> u32 {
        3
    }

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    #[serde(tag = "role", rename_all = "snake_case")]
    enum Role {
        Member,
        Counsellor { org: u64 },
    }

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct WithRoles {
        id: u64,
        roles: Vec<Role>,
        at: chrono::DateTime<chrono::Utc>,
    }

    fn old() -> Old {
        Old { id: 7, name: "Sonne".into() }
    }

    #[test]
    fn records_are_written_compact_behind_their_format_byte() {
        let bytes = encode(&old()).unwrap();
        assert_eq!(bytes[0], COMPACT_V1);
        // A two-element array, 7, a five-byte string: no field names.
        assert_eq!(&bytes[1..], &[0x92, 0x07, 0xa5, b'S', b'o', b'n', b'n', b'e']);
        assert_eq!(decode::<Old>(&bytes, || "record".into()).unwrap(), old());
    }

    #[test]
    fn records_written_before_a_trailing_field_was_added_still_read() {
        let bytes = encode(&old()).unwrap();
        let new: New = decode(&bytes, || "record".into()).unwrap();
        assert_eq!(new, New { id: 7, name: "Sonne".into(), city: None, visits: 3 });
    }

    #[test]
    fn json_records_of_earlier_versions_still_read() {
        let new: New = decode(br#"{"id":7,"name":"Sonne","city":"Jena"}"#, || "record".into()).unwrap();
        assert_eq!(new, New { id: 7, name: "Sonne".into(), city: Some("Jena".into()), visits: 3 });
        let padded: Old = decode(b" \n{\"id\":7,\"name\":\"Sonne\"}", || "record".into()).unwrap();
        assert_eq!(padded, old());
    }

    #[test]
    fn this_thread_can_write_json_as_earlier_versions_did() {
        write_json_on_this_thread(true);
        let bytes = encode(&old());
        write_json_on_this_thread(false);
        assert_eq!(bytes.unwrap(), br#"{"id":7,"name":"Sonne"}"#);
        assert!(is_compact(&encode(&old()).unwrap()));
    }

    #[test]
    fn internally_tagged_enums_and_timestamps_round_trip() {
        let record = WithRoles {
            id: 1,
            roles: vec![Role::Member, Role::Counsellor { org: 4 }],
            at: "2026-12-05T12:00:00.123456Z".parse().unwrap(),
        };
        let bytes = encode(&record).unwrap();
        assert_eq!(decode::<WithRoles>(&bytes, || "record".into()).unwrap(), record);
    }

    #[test]
    fn a_skipped_field_followed_by_others_is_refused_when_written() {
        #[derive(Serialize)]
        struct Shifting {
            #[serde(skip_serializing_if = "Option::is_none")]
            reply_to: Option<u64>,
            id: u64,
        }
        let err = encode(&Shifting { reply_to: None, id: 3 }).unwrap_err();
        assert!(
            matches!(&err, Error::Storage { detail } if detail.contains("Shifting.id follows reply_to")),
            "{err:?}"
        );
        assert!(encode(&Shifting { reply_to: Some(1), id: 3 }).is_ok());
    }

    #[test]
    fn a_skipped_trailing_field_reads_as_missing() {
        #[derive(Serialize, Deserialize, Debug, PartialEq)]
        struct Trailing {
            id: u64,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            held: Option<String>,
        }
        for record in [Trailing { id: 1, held: None }, Trailing { id: 2, held: Some("why".into()) }] {
            let bytes = encode(&record).unwrap();
            assert_eq!(decode::<Trailing>(&bytes, || "record".into()).unwrap(), record);
        }
    }

    #[test]
    fn a_record_read_as_fewer_fields_than_written_is_damaged_not_truncated() {
        #[derive(Deserialize, Debug)]
        struct JustId {
            #[allow(dead_code)]
            id: u64,
        }
        let bytes = encode(&old()).unwrap();
        let err = decode::<JustId>(&bytes, || "account 7".into()).unwrap_err();
        assert!(matches!(&err, Error::Storage { detail } if detail.starts_with("account 7")), "{err:?}");
    }

    #[test]
    fn damaged_records_are_a_storage_error_naming_the_record() {
        let err = decode::<New>(b"{\"id\":", || "account 3".into()).unwrap_err();
        assert!(matches!(&err, Error::Storage { detail } if detail.starts_with("account 3")), "{err:?}");
        let mut truncated = encode(&old()).unwrap();
        truncated.pop();
        let err = decode::<Old>(&truncated, || "account 4".into()).unwrap_err();
        assert!(matches!(&err, Error::Storage { detail } if detail.starts_with("account 4")), "{err:?}");
        let mut longer = encode(&old()).unwrap();
        longer.push(0x00);
        assert!(decode::<Old>(&longer, || "account 5".into()).is_err());
    }

    #[test]
    fn an_id_is_found_in_the_compact_bytes_of_the_record_holding_it() {
        #[derive(Serialize)]
        struct Author {
            account: u64,
            name: String,
        }
        for id in [3, 200, 70_000, 5_000_000_000] {
            let bytes = encode(&Author { account: id, name: "Kim".into() }).unwrap();
            let mut needle = vec![0x92];
            needle.extend(compact_uint(id));
            assert!(bytes.windows(needle.len()).any(|w| w == needle.as_slice()), "{id}: {bytes:?}");
        }
    }

    #[test]
    fn an_unknown_format_byte_is_refused_not_guessed() {
        let err = decode::<Old>(&[0x02, 0x92, 0x07, 0xa0], || "account 6".into()).unwrap_err();
        assert!(matches!(&err, Error::Storage { detail } if detail.contains("0x02")), "{err:?}");
    }

    #[test]
    fn hostile_lengths_are_an_error_not_an_allocation() {
        // An array claiming four billion elements, and a string claiming four gigabytes.
        assert!(decode::<Vec<u64>>(&[COMPACT_V1, 0xdd, 0xff, 0xff, 0xff, 0xff], || "r".into()).is_err());
        assert!(decode::<String>(&[COMPACT_V1, 0xdb, 0xff, 0xff, 0xff, 0xff, b'a'], || "r".into()).is_err());
    }
}
