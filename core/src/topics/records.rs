//! The one place that reads and writes the topics tables.

use crate::error::{Error, Result};
use crate::store::{ReadTable, Reader, WriteTxn, decode, encode};

use super::model::{Topic, TopicId};
use super::tables::{TOPIC_SLUGS, TOPICS};

/// The topic with `slug`, if any.
pub(crate) fn find(txn: &impl Reader, slug: &str) -> Result<Option<Topic>> {
    let Some(id) = txn.table(TOPIC_SLUGS)?.get(slug)?.map(|v| v.value()) else { return Ok(None) };
    load(txn, TopicId(id)).map(Some)
}

/// The topic with `slug`, or `NotFound` naming it.
pub(crate) fn require(txn: &impl Reader, slug: &str) -> Result<Topic> {
    find(txn, slug)?.ok_or_else(|| Error::not_found("topic", slug))
}

/// Whether a topic with `slug` exists.
pub(crate) fn exists(txn: &impl Reader, slug: &str) -> Result<bool> {
    Ok(txn.table(TOPIC_SLUGS)?.get(slug)?.is_some())
}

/// The id of the topic with `slug`, if any.
pub(crate) fn id_of(txn: &impl Reader, slug: &str) -> Result<Option<TopicId>> {
    Ok(txn.table(TOPIC_SLUGS)?.get(slug)?.map(|v| TopicId(v.value())))
}

pub(crate) fn load(txn: &impl Reader, id: TopicId) -> Result<Topic> {
    let table = txn.table(TOPICS)?;
    let row = table.get(id.0)?.ok_or_else(|| Error::not_found("topic", id))?;
    decode(row.value(), || format!("topic {id}"))
}

/// Topics in id order from `first`, at most `limit` plus one (to know whether more follow).
pub(crate) fn from(txn: &impl Reader, first: u64, limit: usize) -> Result<Vec<Topic>> {
    let table = txn.table(TOPICS)?;
    let mut out = Vec::new();
    for row in table.range(first..)? {
        let (id, bytes) = row?;
        out.push(decode(bytes.value(), || format!("topic {}", id.value()))?);
        if out.len() > limit {
            break;
        }
    }
    Ok(out)
}

/// Every topic, in id order (the thesaurus is small: hundreds, not millions).
pub(crate) fn all(txn: &impl Reader) -> Result<Vec<Topic>> {
    from(txn, 0, usize::MAX - 1)
}

/// Writes a topic and its slug.
pub(crate) fn save(txn: &WriteTxn, topic: &Topic) -> Result<()> {
    txn.open_table(TOPICS)?.put(topic.id.0, encode(topic)?.as_slice())?;
    txn.open_table(TOPIC_SLUGS)?.put(topic.slug.as_str(), topic.id.0)?;
    Ok(())
}

/// Decodes every topic and checks the slug index, parents and related slugs against them.
pub(crate) fn check_integrity(txn: &impl Reader, problems: &mut Vec<String>) -> Result<u64> {
    let mut topics = Vec::new();
    for row in txn.table(TOPICS)?.iter()? {
        let (id, bytes) = row?;
        match decode::<Topic>(bytes.value(), || format!("topic {}", id.value())) {
            Ok(t) => topics.push(t),
            Err(e) => problems.push(e.to_string()),
        }
    }
    let slugs = txn.table(TOPIC_SLUGS)?;
    for topic in &topics {
        if slugs.get(topic.slug.as_str())?.map(|v| v.value()) != Some(topic.id.0) {
            problems.push(format!("topic {}: its slug is missing from the slug index", topic.id));
        }
        for other in topic.parent.iter().chain(&topic.related) {
            if slugs.get(other.as_str())?.is_none() {
                problems.push(format!("topic {}: names the unknown topic '{other}'", topic.id));
            }
        }
    }
    if slugs.len()? != topics.len() as u64 {
        problems.push(format!("topic slugs: {} index rows for {} topics", slugs.len()?, topics.len()));
    }
    Ok(topics.len() as u64)
}
