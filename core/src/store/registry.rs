//! The domain registry: what each domain hands the store, so that the store creates, migrates
//! and checks a domain's tables without knowing the domain.
//!
//! A domain declares one [`Domain`] in its own module (`orgs::DOMAIN`, `forums::DOMAIN`, …);
//! `crate::DOMAINS` lists them, one line each, in the order their migrations run.

use super::copy::Tally;
use super::types::{Key, Table, Value};
use super::{KeyCache, ReadTable, ReadTxn, Reader, WriteTxn};
use crate::clock::Timestamp;
use crate::error::Result;
use crate::ids::{AccountId, ThreadId};
use crate::model::rights::PostFate;

/// A domain's registration: its tables, its migrations and its integrity check.
pub(crate) struct Domain {
    /// For messages ("forums").
    pub name: &'static str,
    /// Every table of the domain; all are created before any migration runs.
    pub tables: &'static [&'static dyn AnyTable],
    /// Brings the domain's records to the current schema (see [`Migration`]).
    pub migrate: fn(&WriteTxn, &Migration) -> Result<()>,
    /// Checks that every record reads and every index agrees, counting what it finds.
    pub check: fn(&ReadTxn, &mut Findings) -> Result<()>,
    /// Gathers the domain's figures of a year for the reports from its own tables;
    /// `None` for a domain that reports nothing.
    pub figures: Option<super::figures::Gather>,
    /// Does the domain's time-driven work that is due at the given time (lapsing offers,
    /// reminders, sweeps), one batch per call; see [`Due`]. Run by `Platform::tick`.
    pub tick: fn(&WriteTxn, Timestamp, &mut Due) -> Result<()>,
    /// What the domain holds about one person and how it forgets them (the person's rights,
    /// `crate::rights`); `None` for a domain that holds nothing about a person. A new domain
    /// that stores anything naming an account must fill this in.
    pub personal: Option<Personal>,
}

/// A domain's answer to the person's rights: export what it holds about an account, and erase
/// it. The rights module calls every registered domain in registry order, in one transaction.
pub(crate) struct Personal {
    /// Adds the domain's files about `person` to the dossier (one file per kind of record).
    pub export: fn(&ReadTxn, &Person, &mut Dossier) -> Result<()>,
    /// Removes or anonymises everything of the domain that names or links `erasure.person`.
    pub erase: fn(&WriteTxn, &mut Erasure) -> Result<()>,
}

/// The person an export or erasure is about.
#[derive(Debug, Clone)]
pub(crate) struct Person {
    pub account: AccountId,
    /// Their pseudonym, so that copies of it in other records (a notification of a reply) can
    /// be found.
    pub pseudonym: String,
}

/// One file of an export: a kind of record, what it means, and the records.
pub(crate) struct DossierFile {
    /// The file name inside the archive, without `.json` (`forum_posts`).
    pub name: &'static str,
    /// One paragraph for the archive's README: what the file holds and what its fields mean.
    pub about: &'static str,
    pub records: Vec<serde_json::Value>,
}

/// Everything the domains hold about a person, file by file.
pub(crate) struct Dossier {
    pub files: Vec<DossierFile>,
    /// How a file shows the title of a thread it keeps only the id of (the inbox's forum
    /// notifications).
    pub thread_titles: ThreadTitles,
}

impl Dossier {
    pub fn new(thread_titles: ThreadTitles) -> Self {
        Dossier { files: Vec::new(), thread_titles }
    }

    /// Adds a file of `records` (each serialised to JSON).
    pub fn add<T: serde::Serialize>(&mut self, name: &'static str, about: &'static str, records: &[T]) -> Result<()> {
        let records = records
            .iter()
            .map(serde_json::to_value)
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| crate::error::Error::Internal { detail: format!("export of {name}: {e}") })?;
        self.files.push(DossierFile { name, about, records });
        Ok(())
    }
}

/// How a domain reads the title of a forum thread it keeps only the id of: since schema 34 the
/// inbox's forum notifications keep no title (it is sealed under the thread author's key in the
/// thread's record) and show the one the thread has when they are shown. The forums answer;
/// the platform fills this in (the inbox cannot name the forums, which deliver to it). Each
/// opens through the caller's `KeyCache`, so a page of notifications looks up each thread
/// author's key once. A thread that is gone, or whose author's key is gone, reads "(deleted)".
#[derive(Clone, Copy)]
pub(crate) struct ThreadTitles {
    pub read: fn(&mut KeyCache<'_, ReadTxn>, ThreadId) -> Result<String>,
    pub write: fn(&mut KeyCache<'_, WriteTxn>, ThreadId) -> Result<String>,
}

/// An erasure under way: who, how their posts go, and what earlier domains found that later
/// ones must forget too (the content they wrote, for moderation's snapshots and the search).
pub(crate) struct Erasure {
    pub person: Person,
    pub posts: PostFate,
    pub now: Timestamp,
    /// Targets (`post:12`, `thread:3`) of content the person wrote, filled by the forums.
    pub authored: Vec<String>,
    /// Whether that content's text was deleted (so snapshots and notifications of it go).
    pub content_deleted: bool,
    /// How many records of each kind were removed or anonymised.
    pub done: Vec<(&'static str, u64)>,
}

impl Erasure {
    pub fn count(&mut self, what: &'static str, n: u64) {
        if n > 0 {
            self.done.push((what, n));
        }
    }
}

impl Domain {
    /// For a domain whose records have never needed converting.
    pub fn no_migration(_: &WriteTxn, _: &Migration) -> Result<()> {
        Ok(())
    }

    /// For a domain without time-driven work.
    pub fn nothing_due(_: &WriteTxn, _: Timestamp, _: &mut Due) -> Result<()> {
        Ok(())
    }

    /// Placeholder pseudonym shown where an erased person's name was.
    pub const FORMER_MEMBER: &'static str = "former member";
}

/// What one call of a domain's `tick` did. A domain takes each due item out of its due index
/// in the transaction that does it, so running the scheduler twice does the work once; it
/// sets `more` when it stopped at its batch size, and the scheduler calls it again.
#[derive(Debug, Default)]
pub(crate) struct Due {
    pub done: Vec<(&'static str, u64)>,
    pub more: bool,
}

impl Due {
    pub fn count(&mut self, what: &'static str, n: u64) {
        self.done.push((what, n));
    }
}

/// What a migration is asked to do.
pub(crate) struct Migration {
    /// The file's schema version before this opening; `None` for a new, empty file.
    pub from: Option<u64>,
    /// When the migration runs (for audit entries it writes).
    pub now: Timestamp,
}

impl Migration {
    /// Whether the file predates `version`, so the step that version introduced must run.
    /// A new file predates nothing: it is created in the current shape.
    pub fn predates(&self, version: u64) -> bool {
        self.from.is_some_and(|from| from < version)
    }

    /// Whether the file is new, or predates `version`: for steps that fill new tables with
    /// defaults, which a new file needs as much as an old one.
    pub fn new_or_predates(&self, version: u64) -> bool {
        self.from.is_none_or(|from| from < version)
    }
}

/// What integrity checks found: counts by name and problems in words.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    counts: Vec<(&'static str, u64)>,
    pub problems: Vec<String>,
}

impl Findings {
    pub fn count(&mut self, what: &'static str, n: u64) {
        self.counts.push((what, n));
    }

    /// The count registered under `what` (0 when none was).
    pub fn counted(&self, what: &str) -> u64 {
        self.counts.iter().filter(|(w, _)| *w == what).map(|(_, n)| n).sum()
    }
}

/// A table of any types, as the registry lists it.
pub(crate) trait AnyTable: Sync {
    fn name(&self) -> &'static str;
    /// Creates the table when the file has none yet.
    fn create(&self, txn: &WriteTxn) -> Result<()>;
    /// Its number of rows.
    fn rows(&self, txn: &ReadTxn) -> Result<u64>;
    /// Copies its rows into another store (see [`super::copy`]); the source's tally.
    fn copy(&self, from: &ReadTxn, to: &super::Store, batch: usize, copied: &mut dyn FnMut(u64)) -> Result<Tally>;
    /// Its row count and checksum (see [`super::copy`]).
    fn tally(&self, txn: &ReadTxn) -> Result<Tally>;
}

impl<K: Key, V: Value> AnyTable for Table<K, V> {
    fn name(&self) -> &'static str {
        Table::name(self)
    }

    fn create(&self, txn: &WriteTxn) -> Result<()> {
        txn.open_table(*self).map(drop)
    }

    fn rows(&self, txn: &ReadTxn) -> Result<u64> {
        txn.table(*self)?.len()
    }

    fn copy(&self, from: &ReadTxn, to: &super::Store, batch: usize, copied: &mut dyn FnMut(u64)) -> Result<Tally> {
        super::copy::copy_table(*self, from, to, batch, copied)
    }

    fn tally(&self, txn: &ReadTxn) -> Result<Tally> {
        super::copy::tally_table(*self, txn)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use crate::store::{Opening, Store};

    #[test]
    fn every_table_belongs_to_one_domain_and_a_new_file_has_exactly_the_registered_ones() {
        let mut registered = BTreeSet::new();
        for domain in crate::DOMAINS {
            assert!(!domain.tables.is_empty() || domain.name.is_empty(), "{} registers no table", domain.name);
            for table in domain.tables {
                assert!(
                    registered.insert(table.name()),
                    "{} is registered twice (again by {})",
                    table.name(),
                    domain.name
                );
            }
        }
        let now = crate::clock::Timestamp::default();
        let store = Store::in_memory(
            super::super::Durability::Immediate,
            Opening { now, domains: crate::DOMAINS, feed: crate::sync::FEED_TABLES, quick_repair: false },
        )
        .unwrap();
        let found: BTreeSet<String> = store.read().unwrap().table_names().unwrap().into_iter().collect();
        let mut expected: BTreeSet<String> = registered.iter().map(|n| n.to_string()).collect();
        expected.extend(["meta".to_string(), "sequences".to_string(), "store_changes".to_string()]);
        assert_eq!(found, expected);
    }
}
