//! External references: the employer's own id for a posting (`ref` in import files), unique
//! per organisation, so that importing a file again, or the rest of an interrupted import,
//! updates the postings it already made instead of duplicating them.
//!
//! The references are stored by [`super::records`] (`job_refs`). A file of schema 9 made
//! before the table was registered gets it on its first import that names a reference; until
//! then every read treats it as empty.

use std::collections::HashMap;

use super::JobImportRow;
use super::model::{JobUpdate, NewJob};
use crate::error::{Error, Result};
use crate::orgs::OrgId;

/// Longest reference accepted, in characters.
const MAX_REF: usize = 100;

/// The reference trimmed, or why it cannot be one.
pub(super) fn validate(reference: &str) -> Result<String> {
    let clean = reference.trim();
    if clean.is_empty() || clean.chars().count() > MAX_REF || clean.chars().any(char::is_control) {
        return Err(Error::invalid("ref", format!("must be 1 to {MAX_REF} characters on one line")));
    }
    Ok(clean.to_string())
}

/// A row's posting as a change of the posting already filed under its reference: every field
/// the row gives replaces the stored one (fields it leaves out, such as pay, stay).
pub(super) fn as_update(job: &NewJob) -> JobUpdate {
    JobUpdate {
        title: Some(job.title.clone()),
        description: Some(job.description.clone()),
        location: Some(job.location.clone()),
        contract: Some(job.contract),
        hours: Some(job.hours),
        pay: job.pay.clone(),
        requirement: job.requirement,
        languages: Some(job.languages.clone()),
        starts_on: job.starts_on,
        expires_on: job.expires_on,
        openings: job.openings,
        contact: job.contact.clone(),
    }
}

/// The references already seen in one import, so that two rows naming the same one are
/// caught (the second would silently overwrite the first).
#[derive(Default)]
pub(super) struct SeenRefs {
    lines: HashMap<(OrgId, String), u64>,
}

impl SeenRefs {
    pub(super) fn check(&mut self, row: &JobImportRow) -> Result<()> {
        let Some(reference) = row.reference.as_deref() else { return Ok(()) };
        let key = (row.job.org, reference.trim().to_string());
        match self.lines.get(&key) {
            Some(first) => Err(Error::invalid("ref", format!("'{}' is also the reference of line {first}", key.1))),
            None => {
                self.lines.insert(key, row.line);
                Ok(())
            }
        }
    }
}
