//! The replica file's job and knowledge buckets: the account's saved searches and seeker
//! profile, the postings near it, and the articles in its language, each as the server's read
//! operations projected it (JSON).
//!
//! Why the saved searches and the profile have a table of their own and not the meta table's
//! rows: an erasure empties the person's rows and compacts the file, but redb leaves the unused
//! tail of a rewritten page as it was; the fewer rows share the meta table's pages with the
//! inbox, the fewer rewrites of them there are (`docs/replicas.md`, "Erasure").

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::Result;
use crate::jobs::{JobHit, SavedSearch, SeekerProfile};
use crate::knowledge::{ArticleDetail, ArticleId};
use crate::store::{ReadTable, Reader, Table, WriteTxn, decode, encode};
use crate::sync::SyncBatch;

/// Job id → the posting as the job search near the account showed it (JSON [`JobHit`]).
pub(super) const JOBS: Table<u64, &[u8]> = Table::new("replica_jobs");
/// Article id → the article as the account reads it (JSON [`ArticleDetail`]).
pub(super) const ARTICLES: Table<u64, &[u8]> = Table::new("replica_articles");
/// Name → value (JSON): the saved searches and the seeker profile.
pub(super) const PERSONAL: Table<&str, &[u8]> = Table::new("replica_personal");
/// Slug → article id, for `article_by_slug`.
pub(super) const ARTICLE_SLUGS: Table<&str, u64> = Table::new("replica_article_slugs");

const SAVED_SEARCHES: &str = "saved_searches";
const SEEKER: &str = "seeker_profile";

/// Empties the buckets (a snapshot refills them).
pub(super) fn clear(txn: &WriteTxn) -> Result<()> {
    txn.open_table(JOBS)?.retain(|_, _| false)?;
    txn.open_table(ARTICLES)?.retain(|_, _| false)?;
    txn.open_table(ARTICLE_SLUGS)?.retain(|_, _| false)?;
    forget_person(txn)
}

fn personal<T: DeserializeOwned>(txn: &impl Reader, name: &str) -> Result<Option<T>> {
    let table = txn.table(PERSONAL)?;
    let Some(bytes) = table.get(name)? else { return Ok(None) };
    decode(bytes.value(), || format!("replica {name}")).map(Some)
}

fn set_personal<T: Serialize>(txn: &WriteTxn, name: &str, value: &T) -> Result<()> {
    txn.open_table(PERSONAL)?.insert(name, encode(value)?.as_slice())?;
    Ok(())
}

/// Applies the buckets of one batch from the server.
pub(super) fn apply(txn: &WriteTxn, batch: &SyncBatch) -> Result<()> {
    if let Some(searches) = &batch.saved_searches {
        set_personal(txn, SAVED_SEARCHES, searches)?;
    }
    if let Some(seeker) = &batch.seeker {
        match &seeker.profile {
            Some(profile) => set_personal(txn, SEEKER, profile)?,
            None => {
                txn.open_table(PERSONAL)?.remove(SEEKER)?;
            }
        }
    }
    {
        let mut jobs = txn.open_table(JOBS)?;
        if let Some(near) = &batch.jobs {
            if near.replace {
                jobs.retain(|_, _| false)?;
            }
            for hit in &near.hits {
                jobs.insert(hit.job.id.0, encode(hit)?.as_slice())?;
            }
        }
        for id in &batch.removed_jobs {
            jobs.remove(id.0)?;
        }
    }
    if batch.knowledge.is_some() {
        // The bucket arrives whole (a snapshot, or the account's language changed).
        txn.open_table(ARTICLES)?.retain(|_, _| false)?;
        txn.open_table(ARTICLE_SLUGS)?.retain(|_, _| false)?;
    }
    for &id in &batch.removed_articles {
        remove_article(txn, id)?;
    }
    for detail in &batch.articles {
        remove_article(txn, detail.article.id)?;
        txn.open_table(ARTICLES)?.insert(detail.article.id.0, encode(detail)?.as_slice())?;
        txn.open_table(ARTICLE_SLUGS)?.insert(detail.article.slug.as_str(), detail.article.id.0)?;
    }
    Ok(())
}

fn remove_article(txn: &WriteTxn, id: ArticleId) -> Result<()> {
    if let Some(old) = article(txn, id)? {
        txn.open_table(ARTICLE_SLUGS)?.remove(old.article.slug.as_str())?;
    }
    txn.open_table(ARTICLES)?.remove(id.0)?;
    Ok(())
}

/// Empties what is the person's own: their saved searches, their seeker profile, and the
/// postings near the place it names.
pub(super) fn forget_person(txn: &WriteTxn) -> Result<()> {
    txn.open_table(PERSONAL)?.retain(|_, _| false)?;
    txn.open_table(JOBS)?.retain(|_, _| false)?;
    Ok(())
}

pub(in crate::replica) fn saved_searches(txn: &impl Reader) -> Result<Vec<SavedSearch>> {
    Ok(personal(txn, SAVED_SEARCHES)?.unwrap_or_default())
}

pub(in crate::replica) fn seeker_profile(txn: &impl Reader) -> Result<Option<SeekerProfile>> {
    personal(txn, SEEKER)
}

/// Every posting held, in no particular order.
pub(in crate::replica) fn jobs(txn: &impl Reader) -> Result<Vec<JobHit>> {
    let mut out = Vec::new();
    for row in txn.table(JOBS)?.iter()? {
        let (id, bytes) = row?;
        out.push(decode(bytes.value(), || format!("replica posting {}", id.value()))?);
    }
    Ok(out)
}

pub(in crate::replica) fn article(txn: &impl Reader, id: ArticleId) -> Result<Option<ArticleDetail>> {
    let table = txn.table(ARTICLES)?;
    let Some(bytes) = table.get(id.0)? else { return Ok(None) };
    decode(bytes.value(), || format!("replica article {id}")).map(Some)
}

pub(in crate::replica) fn article_id(txn: &impl Reader, slug: &str) -> Result<Option<ArticleId>> {
    Ok(txn.table(ARTICLE_SLUGS)?.get(slug)?.map(|id| ArticleId(id.value())))
}

/// Every article held, in id order (the order they were written).
pub(in crate::replica) fn articles(txn: &impl Reader) -> Result<Vec<ArticleDetail>> {
    let mut out = Vec::new();
    for row in txn.table(ARTICLES)?.iter()? {
        let (id, bytes) = row?;
        out.push(decode(bytes.value(), || format!("replica article {}", id.value()))?);
    }
    Ok(out)
}
