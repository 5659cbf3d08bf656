//! HSDS identifiers. A record imported from another directory keeps the id it came with (the
//! directory remembers it); every other record gets a UUID derived from its kind, its id and
//! the moment it was created, so that an export gives the same ids every time and two
//! platforms' records do not share one. Nested objects (locations, schedules, attributes)
//! get ids derived from their parent's, so that a document exports identically after a round
//! trip.

use std::collections::{BTreeSet, HashMap};

use blake2::{Blake2b512, Digest};

use crate::clock::Timestamp;
use crate::error::Result;
use crate::groups::records::{self, GroupRecord};
use crate::orgs::{self, Organisation};
use crate::store::Reader;

/// What an HSDS id names here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Service = 1,
    Organization = 2,
}

impl Kind {
    pub(crate) fn code(self) -> u64 {
        self as u64
    }
}

/// The service id of a group.
pub(crate) fn of_group(txn: &impl Reader, rec: &GroupRecord) -> Result<String> {
    Ok(records::hsds_id(txn, Kind::Service.code(), rec.id.0)?.unwrap_or_else(|| derived_of_group(rec)))
}

/// The organization id of a contact point.
pub(crate) fn of_org(txn: &impl Reader, org: &Organisation) -> Result<String> {
    Ok(records::hsds_id(txn, Kind::Organization.code(), org.id.0)?
        .unwrap_or_else(|| derived("organization", org.id.0, org.created_at)))
}

fn derived(kind: &str, id: u64, created: Timestamp) -> String {
    uuid(&[kind.as_bytes(), &id.to_be_bytes(), &created.timestamp_micros().to_be_bytes()])
}

/// The id of the `index`th nested object of role `role` under `parent`.
pub(crate) fn child(parent: &str, role: &str, index: usize) -> String {
    uuid(&[parent.as_bytes(), role.as_bytes(), &(index as u64).to_be_bytes()])
}

/// Which record an HSDS id names here: one an earlier import brought, or one whose derived id
/// an export of this platform gave (so that a file exported here, edited and imported again
/// updates the records instead of adding them twice).
pub(crate) struct Local {
    derived: HashMap<(u64, String), u64>,
}

impl Local {
    /// Derives the ids of every group and of every contact point that has groups.
    pub(crate) fn build(txn: &impl Reader) -> Result<Local> {
        let mut known = HashMap::new();
        let mut orgs = BTreeSet::new();
        records::scan_groups(txn, 0, |g| {
            known.insert((Kind::Service.code(), derived_of_group(&g)), g.id.0);
            orgs.extend(g.contact_point);
            Ok(true)
        })?;
        for id in orgs {
            let org = orgs::load(txn, id)?;
            known.insert((Kind::Organization.code(), derived("organization", org.id.0, org.created_at)), org.id.0);
        }
        Ok(Local { derived: known })
    }

    /// The local id of the record of `kind` named `uuid`, if any.
    pub(crate) fn find(&self, txn: &impl Reader, kind: Kind, uuid: &str) -> Result<Option<u64>> {
        if let Some(id) = records::hsds_local(txn, kind.code(), uuid)? {
            return Ok(Some(id));
        }
        let Some(&id) = self.derived.get(&(kind.code(), uuid.to_string())) else { return Ok(None) };
        // A record that came with an id of its own is known only by that id.
        Ok(records::hsds_id(txn, kind.code(), id)?.is_none().then_some(id))
    }
}

fn derived_of_group(rec: &GroupRecord) -> String {
    derived("service", rec.id.0, rec.created_at)
}

/// A name-based UUID (RFC 9562 version 8) from a BLAKE2b hash of the parts.
fn uuid(parts: &[&[u8]]) -> String {
    let mut hash = Blake2b512::new();
    for part in parts {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part);
    }
    let digest = hash.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// Checks an id from a file: 1 to 100 visible characters.
pub(crate) fn check(field: &str, id: &str) -> Result<String> {
    let id = id.trim();
    if id.is_empty() || id.chars().count() > 100 || id.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(crate::error::Error::invalid(field, "an id is 1 to 100 characters without spaces, such as a UUID"));
    }
    Ok(id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_uuids_stable_and_distinct() {
        let a = child("parent", "schedule", 0);
        assert_eq!(a, child("parent", "schedule", 0));
        assert_ne!(a, child("parent", "schedule", 1));
        assert_ne!(a, child("parent", "language", 0));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "8", "version 8: {a}");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "RFC variant: {a}");
    }
}
