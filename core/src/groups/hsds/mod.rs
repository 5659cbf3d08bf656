//! Open Referral HSDS 3 export and import of the directory. A group is an HSDS service, its
//! self-help contact point the service's organization (with its office as a location and its
//! opening hours as schedules), a public meeting place a location linked through
//! `service_at_locations`, the meetings schedules in HSDS's RRULE fields (`freq`, `interval`,
//! `byday`, `opens_at`, `closes_at`, `dtstart`, `until`), the languages HSDS languages, and the
//! directory's own classifications (topics, keywords, audience, format, exact status,
//! accessibility) attributes of `trialog:` taxonomies.
//!
//! A confidential meeting place never leaves the platform: its group goes out with only its
//! locality as a service area. An import finds that locality in the gazetteer and keeps the
//! place confidential, so a round trip gives the same documents. Times are local times of the
//! platform's zone (HSDS's fixed UTC offset cannot follow summer time).
//!
//! An import is all or nothing: every document is checked first (unknown fields, a rule the
//! directory cannot keep, a postcode the gazetteer does not know: each a typed error naming the
//! document and the field), then applied in one transaction, or only reported (`dry_run`).

mod document;
mod export;
mod ids;
mod import;
mod terms;

use serde::{Deserialize, Serialize};

use super::Groups;
use super::model::GroupId;
use super::records;
use super::view::Lens;
use crate::actor::Actor;
use crate::audit;
use crate::error::{Error, Result};
use crate::page::{PageRequest, page_type};
use crate::policy::{self, Action};

/// Most bytes one import reads.
pub const MAX_IMPORT_BYTES: usize = 16 * 1024 * 1024;
/// Most services one import takes.
pub const MAX_IMPORT_SERVICES: usize = 10_000;
/// How a schedule's notes list the dates a group does not meet.
pub(crate) const EXCEPTIONS_PREFIX: &str = "No meeting on ";

/// One HSDS 3 document: a group as a service, with its organization, locations, schedules,
/// languages and attributes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct HsdsDocument {
    /// The service's HSDS id.
    pub id: String,
    pub group: GroupId,
    /// The document as compact JSON text.
    pub json: String,
}

page_type!(
    /// A page of HSDS documents, in group id order.
    HsdsPage,
    HsdsDocument
);

/// What an HSDS import record became.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum HsdsAction {
    Created,
    Updated,
    Unchanged,
}

/// Which kind of HSDS record a line of an import report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum HsdsKind {
    /// A self-help contact point.
    Organization,
    /// A group.
    Service,
}

/// One record of an import and what became of it (or would, in a dry run).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct HsdsImportItem {
    pub kind: HsdsKind,
    /// The record's HSDS id.
    pub id: String,
    pub name: String,
    pub action: HsdsAction,
    /// The organisation or group id here; absent for a record a dry run would create.
    pub local_id: Option<u64>,
}

/// What an HSDS import did, or would do in a dry run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct HsdsImport {
    pub dry_run: bool,
    pub organizations_created: u32,
    pub organizations_updated: u32,
    pub services_created: u32,
    pub services_updated: u32,
    /// Records already exactly as the file has them.
    pub unchanged: u32,
    /// Every organization and service of the file, in file order.
    pub items: Vec<HsdsImportItem>,
}

impl Groups<'_> {
    /// The directory as HSDS documents, one per group in id order (anyone who may find groups:
    /// only public data goes out, never a confidential place or a group's own contact).
    pub fn export_hsds(&self, actor: &Actor, page: &PageRequest) -> Result<HsdsPage> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewGroups, now)?;
            let lens = Lens::new(txn, now)?;
            let limit = page.limit()?;
            let mut items = Vec::new();
            let mut more = false;
            let mut failed = None;
            records::scan_groups(txn, page.first_id()?, |group| {
                if items.len() == limit {
                    more = true;
                    return Ok(false);
                }
                match document(txn, &group, lens) {
                    Ok(doc) => items.push(doc),
                    Err(e) => {
                        failed = Some(e);
                        return Ok(false);
                    }
                }
                Ok(true)
            })?;
            if let Some(e) = failed {
                return Err(e);
            }
            let next = if more { items.last().map(|d: &HsdsDocument| d.group.0) } else { None };
            Ok(HsdsPage::new(items, next))
        })
    }

    /// Imports HSDS documents (a JSON array of services, or one service) as contact points
    /// and groups (admins). A record whose id an earlier import brought is updated; with
    /// `dry_run` nothing is written and the report says what would be.
    pub fn import_hsds(&self, actor: &Actor, json: &str, dry_run: bool) -> Result<HsdsImport> {
        // Who may import is settled before a byte of the file is read; the documents are parsed
        // outside the write transaction, which checks again.
        self.ctx.read(actor, |_, subject, now| policy::check(subject, Action::ImportGroupDirectory, now))?;
        let services = import::parse(json)?;
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ImportGroupDirectory, now)?;
            let lens = Lens::new(txn, now)?;
            let plan = import::plan(txn, &services, lens)?;
            let report = import::apply(txn, &plan, dry_run, now)?;
            if !dry_run {
                let summary = format!(
                    "{} organizations and {} services created, {} and {} updated",
                    report.organizations_created,
                    report.services_created,
                    report.organizations_updated,
                    report.services_updated
                );
                audit::append(txn, now, actor, "group.import_hsds", "groups", Some(&summary))?;
            }
            Ok(report)
        })
    }
}

fn document(txn: &impl crate::store::Reader, group: &records::GroupRecord, lens: Lens) -> Result<HsdsDocument> {
    let service = export::service(txn, group, lens)?;
    let json = serde_json::to_string(&service).map_err(|e| Error::storage(format!("HSDS document: {e}")))?;
    Ok(HsdsDocument { id: service.id, group: group.id, json })
}
