//! Schema versions and the migrations between them.
//!
//! Version 0 is the pre-release layout: accounts, organisations and sequences, but no `meta`
//! table, no pseudonym index, no credentials and no audit log. Version 1 adds all of those.
//! Version 2 adds the tables of the job board, version 3 those of the postal-code gazetteer
//! (both empty: nothing to convert). Version 4 adds platform settings and stored match runs,
//! and keeps the search cards of remote postings in `job_remote_cards` instead of their ids in
//! `job_remote`, so that suggestions read remote postings in one scan: the migration copies
//! each remote posting's card there and drops the old table. Version 5 stores inbox
//! notifications compactly (postcard instead of JSON; see `inbox::stored`) and rewrites the
//! ones there are.
//! Version 6 adds the tables of the forums (empty: nothing to convert).
//! Version 7 adds the tables of moderation and fills the watched words and crisis resources
//! with their defaults (see `moderation::lists`). Version 8 adds the tables of counselling (new
//! tables only). Version 9 keys the pseudonym index by confusable skeletons (UTS #39, see
//! `accounts::pseudonym`): the index is rebuilt, and of two accounts whose names now look alike
//! the later is renamed as in version 1. Version 10 orders counselling's team queues by crisis
//! level (imminent, high, concern, normal): the queue rows are keyed anew and carry the level.
//! Version 11 keys pseudonyms by skeletons folded to lower case (accounts rekeyed). Version 12
//! stores records compactly (a format byte, then MessagePack with structs as arrays; see
//! `codec`): the records of the large tables — accounts and credentials, organisations, forum
//! boards, threads, posts and revisions, job postings — are rewritten ([`super::tables::compact_records`]);
//! JSON records elsewhere read as before and become compact on their next write.
//! Version 14 gives the forums' text index its open segments (`forum_term_segments`, empty:
//! the blocks of earlier files are the index's main postings unchanged; see `text_index`).
//! Version 15 seals personal fields under a key per person kept in a key store beside the file
//! (crypto-shredding, [`super::keyring`], `docs/erasure.md`): the accounts' e-mail addresses
//! are rewritten sealed.
//! Version 16 gives the self-help directory its search index (`group_search_*`: each group's
//! search card by id, by grid cell and by topic and cell), filled from the group records.
//! Version 17 gives the job board its report counters (`job_posting_counts`, `job_tallied`,
//! `job_org_views`), counted from the postings and views the file holds.
//! Version 18 moves the job board's text index onto the shared appending index: the rows of
//! `job_terms` (one per term and posting) become the blocks of `job_term_blocks`, beside the
//! new `job_term_segments` (see `jobs::index`).
//! Version 20 keeps each course's places row, registration list and waitlist side by side in
//! one table, `course_book` (before: `course_seats`, `course_registrations_by_course` and
//! `course_waitlist`), so that a registration or a promotion dirties one tree for them instead
//! of three: the rows move unchanged and the three tables go.
//! Version 22 gives each self-help group a timetable row (its parsed meeting rules, exceptions,
//! time zone and end), kept by the one writer that saves groups, so that the next dates of many
//! groups are read without decoding their records.
//! Version 25 seals what people wrote or were told that was still plain (crypto-shredding,
//! `docs/erasure.md`): personal inbox notifications under their recipients' keys, notes on job
//! interests under their seekers' keys, the words of moderation reports under their
//! reporters' keys.
//! Version 26 seals the statements of moderation appeals under their appellants' keys, so that
//! an appellant's erasure makes their words unreadable in every copy of the file.
//! Version 27 gives the self-help directory's search index its rows by topic
//! (`group_search_topics`: each group's search card under each of its topics, in id order),
//! filled from the group records, so that a search by topic without a place reads that topic's
//! groups instead of every card.
//! Version 28 gives moderation and the courses their report counters, kept when the facts are
//! written, so that a report reads a year of counters instead of the whole log and every
//! course, registration and certificate (issue 22): moderation's actions per month and waits
//! for a first action (`mod_action_counts`, `mod_wait_hours`, with each item's first action of
//! a year in `mod_first_actions`), counted from the log; the courses' registrations,
//! attendances and completions by month, organisation and course (`course_counts`), counted
//! from the courses, the attendance marks, the registrations and the certificates. Both count
//! a batch of records at a time.
//! Version 29 gives every document of the one search a card (`search_cards`: its kind, id,
//! language, topics, organisation, audience and, for a document indexed from now on, what its
//! domain needs to judge it: a thread's board, a posting's end), filled from the stored
//! documents, so that a search reads each matching document's card instead of decoding its
//! whole record, and only the hits on the page read that (issue 19). The vocabulary
//! (`search_terms`) no longer counts documents per term (a posting list's length is its count),
//! so publishing writes only its new terms there; the old counts stay unread.
//! Version 31 seals the forums' post texts under their authors' keys (crypto-shredding,
//! `docs/erasure.md`): every post's body and excerpt and every earlier version of a body, in
//! batches (`forums::records::texts`); and keys the pseudonym index by keyed hashes under the
//! platform's index key in the key store instead of the pseudonyms' keys in the clear
//! (`accounts::records`), so the index keeps no trace of an erased account's name.
//! Version 32 seals the forums' thread titles and excerpts under their authors' keys, in the
//! thread's record and its line on the board's page (every line is rewritten in the new
//! shape), takes their text out of the one search's stored documents (a hit opens the thread
//! instead), and seals the summaries and snapshots of review items about forum content under
//! the content's author (`forums::records::texts`, `moderation::records`).
//! Version 33 keeps each registration's record in its course's `course_book` (before: in
//! `course_registrations`, which now gives a registration's course by id,
//! `course_registration_courses`) and each open offer there too (before: `course_offers_due`);
//! the scheduler finds the courses whose offers may have lapsed in `course_offer_checks`, one
//! row per course with open offers, written only when the course had none (or only a later
//! one), and a cancelled registration keeps its row in `course_registrations_by_account`. A
//! promotion thus writes four trees instead of seven (`courses::writes`). The records move
//! unchanged, and the two old tables go.
//! Version 34 takes the thread's title out of the inbox's forum notifications (a reply in a
//! watched thread, a new thread in a watched board, a reply to one's post): the title is sealed
//! under the thread author's key in the thread's record (version 32), and a notification shows
//! the thread's title as it reads when the notification is shown, so erasing the author leaves
//! it in no one's inbox (`inbox::stored`, `docs/erasure.md`). The notifications are rewritten
//! in batches.
//! Version 35 counts the registrations made per month in each course's `course_book` (before:
//! the `course_registrations` rows of `course_counts`), so a registration no longer writes the
//! counters' tree; `course_registration_months` names the courses with a count in each month for
//! the reports and is written only by a course's first registration of a month. A registration
//! thus writes six trees instead of seven (`courses::writes`). The counts move unchanged.
//! Version 36 moves the one search's postings onto the shared appending text index
//! (`text_index`): the rows of `search_postings` (one per term and document) become the blocks
//! of `search_blocks` with each document's language from its card, beside the new
//! `search_term_docs`, `search_counters` (the statistics of `search_stats`) and
//! `search_segments`; `search_postings`, `search_terms` and `search_stats` go
//! (`search::records::postings_into_blocks_v36`).
//! Version 37 changes nothing in a file: on PostgreSQL each id counter is from now on a
//! `SEQUENCE` of the platform's schema, made at the counter's first draw to go on after its
//! row of `sequences` (`store/postgres.rs`, "Sequences"); a trialog of version 36 or earlier
//! still draws from the rows and would hand out ids again, so it must not open the schema
//! (it refuses a newer version). Stop every server of an earlier version before starting one
//! of this version on a PostgreSQL platform.
//! Each domain's steps live in its own module and run from its registration ([`Domain`]):
//! every registered table is created first, then each domain's migration runs, in the order
//! of `crate::DOMAINS`, all in one write transaction, so a file is never left half-migrated.

use super::registry::{Domain, Migration};
use super::tables::{CHANGES, META, SEQUENCES};
use super::{ReadTable, Reader, Store};
use crate::clock::Timestamp;
use crate::error::{Error, Result};

/// The schema version this build writes.
pub const SCHEMA_VERSION: u64 = 37;
const VERSION_KEY: &str = "schema_version";
/// Version 0 had no `meta` table; a file with this table but none is version 0.
const VERSION_0_MARKER: &str = "accounts";
/// The accounts table, read only for whether it has rows (its value type does not matter).
const ACCOUNTS_V0: super::Table<u64, &[u8]> = super::Table::new(VERSION_0_MARKER);

/// Reads the file's version and runs every migration it still needs.
pub(super) fn bring_up_to_date(store: &Store, domains: &[Domain], now: Timestamp) -> Result<()> {
    let found = version_of(store)?;
    match found {
        Some(found) if found > SCHEMA_VERSION => {
            return Err(Error::storage(format!(
                "the file has schema version {found}, but this trialog knows only up to {SCHEMA_VERSION}: upgrade trialog"
            )));
        }
        Some(SCHEMA_VERSION) => return Ok(()),
        _ => {}
    }
    let migration = Migration { from: found, now };
    store.write(|txn| {
        // Later versions add tables: creating every registered one is that part of the
        // migration. Then each domain converts its records where its history says.
        txn.open_table(META)?;
        txn.open_table(SEQUENCES)?;
        txn.open_table(CHANGES)?;
        for domain in domains {
            for table in domain.tables {
                table.create(txn).map_err(|e| naming(e, &format!("table {} of {}", table.name(), domain.name)))?;
            }
        }
        for domain in domains {
            (domain.migrate)(txn, &migration).map_err(|e| naming(e, &format!("migrating {}", domain.name)))?;
        }
        txn.open_table(META)?.insert(VERSION_KEY, SCHEMA_VERSION)?;
        Ok(())
    })
}

/// Marks the file as written by schema `version`: tests rewind a file to an older schema (and
/// take away what that schema lacked) to see the migrations bring it up to date.
#[cfg(test)]
pub(crate) fn rewind_to(txn: &super::WriteTxn, version: u64) -> Result<()> {
    txn.open_table(META)?.insert(VERSION_KEY, version)?;
    Ok(())
}

/// Says where a storage error arose; other errors keep their kind and words.
fn naming(error: Error, place: &str) -> Error {
    match error {
        Error::Storage { detail } => Error::storage(format!("{place}: {detail}")),
        other => other,
    }
}

/// The schema version of the file; `None` for a new, empty file. No `meta` table but an
/// `accounts` table means version 0.
pub(super) fn version_of(store: &Store) -> Result<Option<u64>> {
    let txn = store.read()?;
    let names = txn.table_names()?;
    if names.iter().any(|n| n == META.name()) {
        let meta = txn.table(META)?;
        if let Some(version) = meta.get(VERSION_KEY)? {
            return Ok(Some(version.value()));
        }
        // Tables without a version or an account are a store never migrated (a test
        // platform's schema emptied for reuse, see `postgres/pool.rs`): new.
        let accounts = names.iter().any(|n| n == VERSION_0_MARKER);
        if meta.len()? == 0 && (!accounts || txn.table(ACCOUNTS_V0)?.len()? == 0) {
            return Ok(None);
        }
        return Ok(Some(0));
    }
    if names.iter().any(|n| n == VERSION_0_MARKER) {
        return Ok(Some(0));
    }
    Ok(None)
}
