//! The one place that reads and writes the knowledge base's tables. An article's record, its
//! slug, its translation group, its topic rows and its due-date row always change together in
//! [`save`], so listings and the due list never disagree with the record.

use chrono::{Datelike, NaiveDate};

use crate::error::{Error, Result};
use crate::forums::markup;
use crate::orgs::OrgId;
use crate::search::{self, SearchKind};
use crate::store::{ReadTable, Reader, WriteTxn, decode, encode};
use crate::topics;

use super::model::{Article, ArticleId, ArticleRevision, ArticleState};
use super::tables::{
    KNOWLEDGE_ARTICLES, KNOWLEDGE_DUE, KNOWLEDGE_REVISIONS, KNOWLEDGE_SLUGS, KNOWLEDGE_TOPICS, KNOWLEDGE_TRANSLATIONS,
    KNOWLEDGE_VIEWS,
};

pub(crate) fn load(txn: &impl Reader, id: ArticleId) -> Result<Article> {
    let table = txn.table(KNOWLEDGE_ARTICLES)?;
    let row = table.get(id.0)?.ok_or_else(|| Error::not_found("article", id))?;
    decode(row.value(), || format!("article {id}"))
}

/// The article with `slug`, if any.
pub(crate) fn find_slug(txn: &impl Reader, slug: &str) -> Result<Option<Article>> {
    match txn.table(KNOWLEDGE_SLUGS)?.get(slug)? {
        Some(id) => load(txn, ArticleId(id.value())).map(Some),
        None => Ok(None),
    }
}

/// Articles in id order from `first`, until `keep` returns `false`.
pub(crate) fn scan(txn: &impl Reader, first: u64, mut keep: impl FnMut(Article) -> Result<bool>) -> Result<()> {
    for row in txn.table(KNOWLEDGE_ARTICLES)?.range(first..)? {
        let (id, bytes) = row?;
        if !keep(decode(bytes.value(), || format!("article {}", id.value()))?)? {
            break;
        }
    }
    Ok(())
}

/// The ids of the articles carrying topic `topic`, in id order from `first`.
pub(crate) fn with_topic(txn: &impl Reader, topic: topics::TopicId, first: u64) -> Result<Vec<ArticleId>> {
    let table = txn.table(KNOWLEDGE_TOPICS)?;
    let mut ids = Vec::new();
    for row in table.range((topic.0, first)..=(topic.0, u64::MAX))? {
        ids.push(ArticleId(row?.0.value().1));
    }
    Ok(ids)
}

/// Every language version of the group `group`, the group's first article included.
pub(crate) fn versions(txn: &impl Reader, group: ArticleId) -> Result<Vec<Article>> {
    let table = txn.table(KNOWLEDGE_TRANSLATIONS)?;
    let mut out = Vec::new();
    for row in table.range((group.0, 0)..=(group.0, u64::MAX))? {
        out.push(load(txn, ArticleId(row?.0.value().1))?);
    }
    Ok(out)
}

/// Published articles whose check is due on or before `on`, in due order, from the position
/// `after` (exclusive), at most `limit` + 1.
pub(crate) fn due(txn: &impl Reader, on: NaiveDate, after: Option<(u64, u64)>, limit: usize) -> Result<Vec<Article>> {
    let table = txn.table(KNOWLEDGE_DUE)?;
    let start = after.map_or((0, 0), |(d, id)| if id == u64::MAX { (d + 1, 0) } else { (d, id + 1) });
    let mut out = Vec::new();
    for row in table.range(start..=(day(on), u64::MAX))? {
        out.push(load(txn, ArticleId(row?.0.value().1))?);
        if out.len() > limit {
            break;
        }
    }
    Ok(out)
}

/// A date as the key of the due index.
pub(crate) fn day(date: NaiveDate) -> u64 {
    u64::try_from(date.num_days_from_ce()).unwrap_or(0)
}

/// Writes an article with its indexes; `before` is the stored version it replaces.
pub(crate) fn save(txn: &WriteTxn, article: &Article, before: Option<&Article>) -> Result<()> {
    if let Some(old) = before {
        unindex(txn, old)?;
    }
    txn.open_table(KNOWLEDGE_ARTICLES)?.put(article.id.0, encode(article)?.as_slice())?;
    txn.open_table(KNOWLEDGE_SLUGS)?.put(article.slug.as_str(), article.id.0)?;
    txn.open_table(KNOWLEDGE_TRANSLATIONS)?.put((article.translation_group.0, article.id.0), ())?;
    let mut by_topic = txn.open_table(KNOWLEDGE_TOPICS)?;
    for slug in &article.topics {
        let topic = topics::id_of(txn, slug)?.ok_or_else(|| Error::not_found("topic", slug))?;
        by_topic.put((topic.0, article.id.0), ())?;
    }
    if let Some(key) = due_key(article) {
        txn.open_table(KNOWLEDGE_DUE)?.put(key, ())?;
    }
    index_for_search(txn, article)
}

/// Puts a published article into the one search index, and takes any other out of it.
fn index_for_search(txn: &WriteTxn, article: &Article) -> Result<()> {
    if article.state != ArticleState::Published {
        return search::index::remove(txn, SearchKind::Article, article.id.0);
    }
    let body = markup::plain_text(&article.body);
    search::index::put(
        txn,
        &search::Entry {
            kind: SearchKind::Article,
            id: article.id.0,
            slug: Some(&article.slug),
            title: &article.title,
            summary: article.summary.as_deref().unwrap_or(""),
            body: &body,
            language: &article.language,
            topics: &article.topics,
            org: article.org,
            gate: search::Gate::Audience(article.audience.clone()),
            hint: None,
            keeps_text: true,
        },
    )
}

fn unindex(txn: &WriteTxn, old: &Article) -> Result<()> {
    txn.open_table(KNOWLEDGE_SLUGS)?.delete(old.slug.as_str())?;
    txn.open_table(KNOWLEDGE_TRANSLATIONS)?.delete((old.translation_group.0, old.id.0))?;
    let mut by_topic = txn.open_table(KNOWLEDGE_TOPICS)?;
    for slug in &old.topics {
        if let Some(topic) = topics::id_of(txn, slug)? {
            by_topic.delete((topic.0, old.id.0))?;
        }
    }
    if let Some(key) = due_key(old) {
        txn.open_table(KNOWLEDGE_DUE)?.delete(key)?;
    }
    Ok(())
}

/// The due-index key of a published article with a due date.
fn due_key(article: &Article) -> Option<(u64, u64)> {
    match (article.state, article.next_check_due) {
        (ArticleState::Published, Some(date)) => Some((day(date), article.id.0)),
        _ => None,
    }
}

pub(crate) fn save_revision(txn: &WriteTxn, revision: &ArticleRevision) -> Result<()> {
    txn.open_table(KNOWLEDGE_REVISIONS)?.put((revision.article.0, revision.number), encode(revision)?.as_slice())?;
    Ok(())
}

pub(crate) fn revision(txn: &impl Reader, article: ArticleId, number: u32) -> Result<ArticleRevision> {
    let table = txn.table(KNOWLEDGE_REVISIONS)?;
    let row = table
        .get((article.0, number))?
        .ok_or_else(|| Error::not_found("revision", format!("{number} of article {article}")))?;
    decode(row.value(), || format!("revision {number} of article {article}"))
}

/// Every revision of an article, oldest first.
pub(crate) fn revisions(txn: &impl Reader, article: ArticleId) -> Result<Vec<ArticleRevision>> {
    let table = txn.table(KNOWLEDGE_REVISIONS)?;
    let mut out = Vec::new();
    for row in table.range((article.0, 0)..=(article.0, u32::MAX))? {
        let (key, bytes) = row?;
        let (a, n) = key.value();
        out.push(decode(bytes.value(), || format!("revision {n} of article {a}"))?);
    }
    Ok(out)
}

/// Decodes every article and revision and checks every index against the records.
pub(crate) fn check_integrity(txn: &impl Reader, problems: &mut Vec<String>) -> Result<u64> {
    let mut expected_topics = 0u64;
    let mut expected_due = 0u64;
    let mut count = 0u64;
    let slugs = txn.table(KNOWLEDGE_SLUGS)?;
    let groups = txn.table(KNOWLEDGE_TRANSLATIONS)?;
    let by_topic = txn.table(KNOWLEDGE_TOPICS)?;
    let due_rows = txn.table(KNOWLEDGE_DUE)?;
    let revisions = txn.table(KNOWLEDGE_REVISIONS)?;
    for row in txn.table(KNOWLEDGE_ARTICLES)?.iter()? {
        let (id, bytes) = row?;
        let article: Article = match decode(bytes.value(), || format!("article {}", id.value())) {
            Ok(a) => a,
            Err(e) => {
                problems.push(e.to_string());
                continue;
            }
        };
        count += 1;
        let name = format!("article {}", article.id);
        if slugs.get(article.slug.as_str())?.map(|v| v.value()) != Some(article.id.0) {
            problems.push(format!("{name}: its slug is missing from the slug index"));
        }
        if groups.get((article.translation_group.0, article.id.0))?.is_none() {
            problems.push(format!("{name}: missing from its translation group"));
        }
        for slug in &article.topics {
            match topics::id_of(txn, slug)? {
                Some(t) if by_topic.get((t.0, article.id.0))?.is_some() => expected_topics += 1,
                Some(_) => problems.push(format!("{name}: missing from the index of topic '{slug}'")),
                None => problems.push(format!("{name}: carries the unknown topic '{slug}'")),
            }
        }
        if let Some(key) = due_key(&article) {
            expected_due += 1;
            if due_rows.get(key)?.is_none() {
                problems.push(format!("{name}: missing from the due list"));
            }
        }
        let stored = revisions.range((article.id.0, 0)..=(article.id.0, u32::MAX))?.count() as u64;
        if stored != u64::from(article.revision) {
            problems.push(format!("{name}: {stored} revisions stored for revision number {}", article.revision));
        }
    }
    for (table, expected, what) in [
        (slugs.len()?, count, "slug index"),
        (groups.len()?, count, "translation index"),
        (by_topic.len()?, expected_topics, "topic index"),
        (due_rows.len()?, expected_due, "due list"),
    ] {
        if table != expected {
            problems.push(format!("knowledge {what}: {table} rows where the articles give {expected}"));
        }
    }
    Ok(count)
}

/// Counts one view in `month` (YYYYMM) of an article of `org` (`None`: the platform's own).
pub(crate) fn count_view(txn: &WriteTxn, month: u32, org: Option<OrgId>) -> Result<()> {
    let mut views = txn.open_table(KNOWLEDGE_VIEWS)?;
    let key = (month, org.unwrap_or(PLATFORM_OWN).0);
    let n = views.get(key)?.map_or(0, |v| v.value());
    views.put(key, n + 1)?;
    Ok(())
}

/// (month, organisation, views) of the months `first..=last`.
pub(crate) fn view_counts(txn: &impl Reader, first: u32, last: u32) -> Result<Vec<(u32, Option<OrgId>, u64)>> {
    let mut out = Vec::new();
    for row in txn.table(KNOWLEDGE_VIEWS)?.range((first, 0)..=(last, u64::MAX))? {
        let (key, n) = row?;
        let (month, org) = key.value();
        out.push((month, (org != PLATFORM_OWN.0).then_some(OrgId(org)), n.value()));
    }
    Ok(out)
}

/// The view counters' row of articles of no organisation (organisations start at 1).
const PLATFORM_OWN: OrgId = OrgId(0);
