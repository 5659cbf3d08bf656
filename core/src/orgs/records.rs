//! How organisations are stored: one record per organisation, keyed by its id. The only module
//! of the domain that opens its table.

use super::model::{OrgId, Organisation};
use super::tables::ORGS;
use crate::error::{Error, Result};
use crate::store::{ReadTable, Reader, WriteTxn, compact_records, decode, encode};

/// Loads an organisation; `NotFound` when there is none.
pub(crate) fn load(txn: &impl Reader, id: OrgId) -> Result<Organisation> {
    let table = txn.table(ORGS)?;
    let row = table.get(id.0)?.ok_or_else(|| Error::not_found("organisation", id))?;
    decode(row.value(), || format!("organisation {id}"))
}

/// Writes an organisation's record, new or changed.
pub(crate) fn save(txn: &WriteTxn, org: &Organisation) -> Result<()> {
    txn.open_table(ORGS)?.put(org.id.0, encode(org)?.as_slice())?;
    Ok(())
}

/// Visits organisations in id order from `start` until `visit` returns `false` (read lazily, so
/// a page reads only the rows it needs).
pub(crate) fn scan(txn: &impl Reader, start: OrgId, mut visit: impl FnMut(Organisation) -> Result<bool>) -> Result<()> {
    for row in txn.table(ORGS)?.range(start.0..)? {
        let (id, bytes) = row?;
        if !visit(decode(bytes.value(), || format!("organisation {}", id.value()))?)? {
            break;
        }
    }
    Ok(())
}

/// Counts organisations whose records decode, noting those that do not.
pub(crate) fn check_integrity(txn: &impl Reader, problems: &mut Vec<String>) -> Result<u64> {
    let table = txn.table(ORGS)?;
    let mut count = 0;
    for row in table.iter()? {
        let (id, bytes) = row?;
        count += 1;
        if let Err(e) = decode::<Organisation>(bytes.value(), || format!("organisation {}", id.value())) {
            problems.push(e.to_string());
        }
    }
    Ok(count)
}

/// Version 12: the organisations in the compact record form.
pub(crate) fn compact_records_v12(txn: &WriteTxn) -> Result<()> {
    compact_records::<u64, Organisation>(txn, ORGS, "organisation").map(drop)
}
