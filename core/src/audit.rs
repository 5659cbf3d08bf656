//! The append-only log of administrative actions: who did what to what, when and why.
//! Entries are written in the same transaction as the change they describe. Sensitive
//! text (passwords, e-mail addresses, counselling content) never goes into an entry.

mod records;

pub(crate) use records::ERASED_TARGET;

use crate::store::WriteTxn;
use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::clock::Timestamp;
use crate::context::Context;
use crate::error::Result;
use crate::page::{PageRequest, page_type};
use crate::policy::{self, Action};
use crate::store::next_id;
use crate::store::{AnyTable, Table};

page_type!(
    /// A page of audit entries, newest first.
    AuditPage,
    AuditEntry
);

/// Audit entry id → entry (append-only).
pub(crate) const AUDIT: Table<u64, &[u8]> = Table::new("audit");
/// The tables this domain registers.
pub(crate) const TABLES: &[&dyn AnyTable] = &[&AUDIT];

/// One logged action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AuditEntry {
    pub id: u64,
    pub at: Timestamp,
    pub actor: Actor,
    /// What was done, as `domain.verb` (`org.verify`, `account.role.grant`).
    pub action: String,
    /// What it was done to, as `kind:id` (`org:4`, `account:17`).
    pub target: String,
    /// The reason given, or a short description of the change.
    pub reason: Option<String>,
}

/// Narrows an audit listing.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AuditFilter {
    /// Only actions starting with this (`org.` or `account.role`).
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub action_prefix: Option<String>,
    /// Only entries about this target (`account:17`).
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub target: Option<String>,
}

/// Reading the audit log (admins only).
pub struct AuditLog<'p> {
    pub(crate) ctx: &'p Context,
}

impl AuditLog<'_> {
    /// Entries newest first, filtered, one page at a time.
    pub fn list(&self, actor: &Actor, filter: &AuditFilter, page: &PageRequest) -> Result<AuditPage> {
        let txn = self.ctx.store().read()?;
        let now = self.ctx.now();
        let subject = self.ctx.resolve(&txn, actor)?;
        policy::check(&subject, Action::ReadAudit, now)?;
        let limit = page.limit()?;
        let before = page.cursor_id()?.unwrap_or(u64::MAX);
        let mut items = Vec::new();
        let mut next = None;
        records::visit_newest(&txn, before, |entry| {
            if !matches(&entry, filter) {
                return Ok(true);
            }
            if items.len() == limit {
                next = Some(items.last().map(|e: &AuditEntry| e.id).unwrap_or(0));
                return Ok(false);
            }
            items.push(entry);
            Ok(true)
        })?;
        Ok(AuditPage::new(items, next))
    }
}

fn matches(entry: &AuditEntry, filter: &AuditFilter) -> bool {
    filter.action_prefix.as_deref().is_none_or(|p| entry.action.starts_with(p))
        && filter.target.as_deref().is_none_or(|t| entry.target == t)
}

/// Appends an entry inside the caller's transaction.
pub(crate) fn append(
    txn: &WriteTxn,
    at: Timestamp,
    actor: &Actor,
    action: &str,
    target: &str,
    reason: Option<&str>,
) -> Result<u64> {
    let id = next_id(txn, "audit")?;
    let entry = AuditEntry {
        id,
        at,
        actor: actor.clone(),
        action: action.to_string(),
        target: target.to_string(),
        reason: reason.map(str::to_string),
    };
    records::save(txn, &entry)?;
    Ok(id)
}

/// Registration of the audit log: one append-only table, counted by the integrity check.
pub(crate) const DOMAIN: crate::store::Domain = crate::store::Domain {
    name: "audit",
    tick: crate::store::Domain::nothing_due,
    personal: Some(records::PERSONAL),
    tables: TABLES,
    migrate: crate::store::Domain::no_migration,
    check: |txn, found| {
        found.count("audit_entries", records::count(txn)?);
        Ok(())
    },
    figures: None,
};
