//! The one place that reads and writes the search index. A document, its postings, the
//! vocabulary counts, its topic rows and the corpus statistics always change together in
//! [`put`] and [`remove`], inside the caller's write transaction, so the index never disagrees
//! with the record it was built from.

use crate::error::Result;
use crate::store::{ReadTable, Reader, WriteTxn, decode, encode};

use super::model::Doc;
use super::tables::{SEARCH_DOCS, SEARCH_POSTINGS, SEARCH_STATS, SEARCH_TERMS, SEARCH_TOPICS};

/// A term's frequencies in one document's fields and the document's length, packed into the
/// posting's value: title (8 bits), summary (8 bits), body (16 bits), length (32 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Posting {
    pub title: u32,
    pub summary: u32,
    pub body: u32,
    pub length: u32,
}

impl Posting {
    fn pack(self) -> u64 {
        (u64::from(self.title.min(0xff)) << 56)
            | (u64::from(self.summary.min(0xff)) << 48)
            | (u64::from(self.body.min(0xffff)) << 32)
            | u64::from(self.length)
    }

    fn unpack(v: u64) -> Posting {
        Posting {
            title: (v >> 56) as u32,
            summary: ((v >> 48) & 0xff) as u32,
            body: ((v >> 32) & 0xffff) as u32,
            length: (v & 0xffff_ffff) as u32,
        }
    }
}

/// The corpus size and summed length.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Stats {
    pub docs: u64,
    pub length: u64,
}

/// Writes `doc` with `postings` (term → frequencies), replacing what was indexed under `key`.
pub(crate) fn put(txn: &WriteTxn, key: u64, doc: &Doc, postings: &[(String, Posting)]) -> Result<()> {
    remove(txn, key)?;
    txn.open_table(SEARCH_DOCS)?.put(key, encode(doc)?.as_slice())?;
    let mut table = txn.open_table(SEARCH_POSTINGS)?;
    let mut terms = txn.open_table(SEARCH_TERMS)?;
    for (term, posting) in postings {
        table.put((term.as_str(), key), posting.pack())?;
        let df = terms.get(term.as_str())?.map_or(0, |v| v.value());
        terms.put(term.as_str(), df + 1)?;
    }
    let mut topics = txn.open_table(SEARCH_TOPICS)?;
    for topic in &doc.topics {
        topics.put((topic.as_str(), key), ())?;
    }
    change_stats(txn, 1, i64::from(doc.length))
}

/// Removes whatever is indexed under `key` (nothing when nothing is).
pub(crate) fn remove(txn: &WriteTxn, key: u64) -> Result<()> {
    let Some(old) = load_for_write(txn, key)? else { return Ok(()) };
    txn.open_table(SEARCH_DOCS)?.delete(key)?;
    let mut table = txn.open_table(SEARCH_POSTINGS)?;
    let mut terms = txn.open_table(SEARCH_TERMS)?;
    for term in &old.terms {
        table.delete((term.as_str(), key))?;
        let df = terms.get(term.as_str())?.map_or(0, |v| v.value());
        if df <= 1 {
            terms.delete(term.as_str())?;
        } else {
            terms.put(term.as_str(), df - 1)?;
        }
    }
    let mut topics = txn.open_table(SEARCH_TOPICS)?;
    for topic in &old.topics {
        topics.delete((topic.as_str(), key))?;
    }
    change_stats(txn, -1, -i64::from(old.length))
}

fn load_for_write(txn: &WriteTxn, key: u64) -> Result<Option<Doc>> {
    let table = txn.open_table(SEARCH_DOCS)?;
    let row = table.get(key)?;
    row.map(|bytes| decode(bytes.value(), || format!("search document {key:#x}"))).transpose()
}

fn change_stats(txn: &WriteTxn, docs: i64, length: i64) -> Result<()> {
    let mut table = txn.open_table(SEARCH_STATS)?;
    for (name, delta) in [("docs", docs), ("length", length)] {
        let now = table.get(name)?.map_or(0, |v| v.value());
        table.put(name, now.saturating_add_signed(delta))?;
    }
    Ok(())
}

/// The indexed document under `key`, if any.
pub(crate) fn load(txn: &impl Reader, key: u64) -> Result<Option<Doc>> {
    let table = txn.table(SEARCH_DOCS)?;
    let row = table.get(key)?;
    row.map(|bytes| decode(bytes.value(), || format!("search document {key:#x}"))).transpose()
}

/// The corpus statistics.
pub(crate) fn stats(txn: &impl Reader) -> Result<Stats> {
    let table = txn.table(SEARCH_STATS)?;
    let get = |name: &str| -> Result<u64> { Ok(table.get(name)?.map_or(0, |v| v.value())) };
    Ok(Stats { docs: get("docs")?, length: get("length")? })
}

/// How many documents hold `term`.
pub(crate) fn document_frequency(txn: &impl Reader, term: &str) -> Result<u64> {
    Ok(txn.table(SEARCH_TERMS)?.get(term)?.map_or(0, |v| v.value()))
}

/// Calls `each` with every document holding `term` and its frequencies.
pub(crate) fn for_each_posting(txn: &impl Reader, term: &str, mut each: impl FnMut(u64, Posting)) -> Result<()> {
    for row in txn.table(SEARCH_POSTINGS)?.range((term, 0)..=(term, u64::MAX))? {
        let (key, value) = row?;
        each(key.value().1, Posting::unpack(value.value()));
    }
    Ok(())
}

/// Vocabulary terms starting with `prefix` (for spelling correction), at most `limit`.
pub(crate) fn terms_with_prefix(txn: &impl Reader, prefix: &str, limit: usize) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for row in txn.table(SEARCH_TERMS)?.range(prefix..)? {
        let (term, _) = row?;
        let term = term.value();
        if !term.starts_with(prefix) || out.len() >= limit {
            break;
        }
        out.push(term.to_string());
    }
    Ok(out)
}

/// The documents carrying topic `slug`.
pub(crate) fn with_topic(txn: &impl Reader, slug: &str) -> Result<Vec<u64>> {
    let mut out = Vec::new();
    for row in txn.table(SEARCH_TOPICS)?.range((slug, 0)..=(slug, u64::MAX))? {
        out.push(row?.0.value().1);
    }
    Ok(out)
}

/// Decodes every document and checks the postings, vocabulary, topic rows and statistics
/// against them.
pub(crate) fn check_integrity(txn: &impl Reader, problems: &mut Vec<String>) -> Result<u64> {
    let postings = txn.table(SEARCH_POSTINGS)?;
    let topics = txn.table(SEARCH_TOPICS)?;
    let (mut count, mut expected_postings, mut expected_topics, mut length) = (0u64, 0u64, 0u64, 0u64);
    for row in txn.table(SEARCH_DOCS)?.iter()? {
        let (key, bytes) = row?;
        let key = key.value();
        let doc: Doc = match decode(bytes.value(), || format!("search document {key:#x}")) {
            Ok(d) => d,
            Err(e) => {
                problems.push(e.to_string());
                continue;
            }
        };
        count += 1;
        length += u64::from(doc.length);
        expected_postings += doc.terms.len() as u64;
        expected_topics += doc.topics.len() as u64;
        if let Some(term) = doc.terms.iter().find(|t| postings.get((t.as_str(), key)).ok().flatten().is_none()) {
            problems.push(format!("search document {} {}: no posting for '{term}'", doc.kind, doc.id));
        }
    }
    let stats = stats(txn)?;
    if stats != (Stats { docs: count, length }) {
        problems.push(format!("search statistics {stats:?} where the documents give {count} and {length}"));
    }
    for (table, expected, what) in
        [(postings.len()?, expected_postings, "postings"), (topics.len()?, expected_topics, "topic rows")]
    {
        if table != expected {
            problems.push(format!("search {what}: {table} rows where the documents give {expected}"));
        }
    }
    Ok(count)
}
