//! The record formats the store could use, compared on real records of a platform (feature
//! `bench-support`; `benches/codec.rs` times them). Each candidate encodes every sampled record
//! of one kind and decodes it back; a candidate that cannot give back the same record is
//! reported with why, and not timed.

use std::hint::black_box;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::Result;
use crate::forums::records::{PostRecord, ThreadRecord, load_post, load_thread};
use crate::platform::Platform;
use crate::store::{ReadTxn, decode, encode};
use crate::{Account, Job};

/// The formats compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// serde_json, as records were stored before schema version 12.
    Json,
    /// MessagePack with field names (structs as maps).
    MessagePackMap,
    /// The store's codec: a format byte, then MessagePack with structs as arrays.
    MessagePackArray,
    /// postcard behind a version byte.
    Postcard,
    /// bitcode (its serde support).
    Bitcode,
}

impl Format {
    pub const ALL: [Format; 5] =
        [Format::Json, Format::MessagePackMap, Format::MessagePackArray, Format::Postcard, Format::Bitcode];

    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::MessagePackMap => "msgpack-map",
            Format::MessagePackArray => "msgpack-array (codec)",
            Format::Postcard => "postcard+version",
            Format::Bitcode => "bitcode",
        }
    }

    fn encode<T: Serialize>(self, record: &T) -> std::result::Result<Vec<u8>, String> {
        match self {
            Format::Json => serde_json::to_vec(record).map_err(|e| e.to_string()),
            Format::MessagePackMap => rmp_serde::to_vec_named(record).map_err(|e| e.to_string()),
            Format::MessagePackArray => encode(record).map_err(|e| e.to_string()),
            Format::Postcard => {
                let mut out = vec![1u8];
                out.extend(postcard::to_allocvec(record).map_err(|e| e.to_string())?);
                Ok(out)
            }
            Format::Bitcode => bitcode::serialize(record).map_err(|e| e.to_string()),
        }
    }

    fn decode<T: DeserializeOwned>(self, bytes: &[u8]) -> std::result::Result<T, String> {
        match self {
            Format::Json => std::str::from_utf8(bytes)
                .map_err(|e| e.to_string())
                .and_then(|text| serde_json::from_str(text).map_err(|e| e.to_string())),
            Format::MessagePackMap => rmp_serde::from_slice(bytes).map_err(|e| e.to_string()),
            Format::MessagePackArray => decode(bytes, || "record".into()).map_err(|e| e.to_string()),
            Format::Postcard => postcard::from_bytes(&bytes[1..]).map_err(|e| e.to_string()),
            Format::Bitcode => bitcode::deserialize(bytes).map_err(|e| e.to_string()),
        }
    }
}

/// One format on one kind of record.
pub struct Candidate {
    pub format: Format,
    /// "forum post", "forum thread", "account", "job posting".
    pub kind: &'static str,
    pub records: usize,
    /// Bytes of all the sampled records in this format (0 when it failed).
    pub bytes: usize,
    /// Why the format cannot store these records, if it cannot.
    pub failure: Option<String>,
    encode_all: Box<dyn Fn() + Send + Sync>,
    decode_all: Box<dyn Fn() + Send + Sync>,
}

impl Candidate {
    /// Encodes every sampled record once.
    pub fn encode_all(&self) {
        (self.encode_all)()
    }

    /// Decodes every sampled record once.
    pub fn decode_all(&self) {
        (self.decode_all)()
    }
}

/// Every format on up to `per_kind` records of each kind the platform holds (posts and threads
/// from id 1 upwards, the first accounts and postings).
pub fn candidates(platform: &Platform, per_kind: usize) -> Result<Vec<Candidate>> {
    let txn = platform.store().read()?;
    let posts = Arc::new(first(per_kind, |id| load_post(&txn, crate::ids::PostId(id)))?);
    let threads = Arc::new(first(per_kind, |id| load_thread(&txn, crate::ids::ThreadId(id)))?);
    let accounts = Arc::new(sample(&txn, per_kind, crate::accounts::records::every_account)?);
    let jobs = Arc::new(sample(&txn, per_kind, crate::jobs::records::every_posting_as::<Job>)?);
    let mut out = Vec::new();
    for format in Format::ALL {
        out.push(candidate::<PostRecord>("forum post", &posts, format));
        out.push(candidate::<ThreadRecord>("forum thread", &threads, format));
        out.push(candidate::<Account>("account", &accounts, format));
        out.push(candidate::<Job>("job posting", &jobs, format));
    }
    Ok(out)
}

/// The records with ids 1, 2, … up to `n` of them (ids that are missing are skipped, looking
/// at most `4 n` ids).
fn first<T>(n: usize, load: impl Fn(u64) -> Result<T>) -> Result<Vec<T>> {
    Ok((1..=(4 * n as u64)).filter_map(|id| load(id).ok()).take(n).collect())
}

fn sample<T>(txn: &ReadTxn, n: usize, all: impl Fn(&ReadTxn) -> Result<Vec<T>>) -> Result<Vec<T>> {
    let mut records = all(txn)?;
    records.truncate(n);
    Ok(records)
}

fn candidate<T>(kind: &'static str, records: &Arc<Vec<T>>, format: Format) -> Candidate
where
    T: Serialize + DeserializeOwned + PartialEq + Send + Sync + 'static,
{
    let failed = |why: String| Candidate {
        format,
        kind,
        records: records.len(),
        bytes: 0,
        failure: Some(why),
        encode_all: Box::new(|| {}),
        decode_all: Box::new(|| {}),
    };
    let encoded: std::result::Result<Vec<Vec<u8>>, String> = records.iter().map(|r| format.encode(r)).collect();
    let encoded = match encoded {
        Ok(encoded) => encoded,
        Err(why) => return failed(format!("cannot encode: {why}")),
    };
    for (record, bytes) in records.iter().zip(&encoded) {
        match format.decode::<T>(bytes) {
            Ok(back) if back == *record => {}
            Ok(_) => return failed("decodes to a different record".into()),
            Err(why) => return failed(format!("cannot decode: {why}")),
        }
    }
    let bytes = encoded.iter().map(Vec::len).sum();
    let to_encode = Arc::clone(records);
    Candidate {
        format,
        kind,
        records: records.len(),
        bytes,
        failure: None,
        encode_all: Box::new(move || {
            for record in to_encode.iter() {
                black_box(format.encode(record).ok());
            }
        }),
        decode_all: Box::new(move || {
            for bytes in &encoded {
                black_box(format.decode::<T>(bytes).ok());
            }
        }),
    }
}
