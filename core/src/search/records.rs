//! The one place that reads and writes the search index. A document, its card, its postings,
//! the vocabulary, its topic rows and the corpus statistics always change together in
//! [`put`] and [`remove`], inside the caller's write transaction, so the index never disagrees
//! with the record it was built from.

use crate::error::Result;
use crate::store::{ReadTable, Reader, TableRef, WriteTxn, decode, encode};

use super::model::{Card, Doc};
use super::tables::{SEARCH_CARDS, SEARCH_DOCS, SEARCH_POSTINGS, SEARCH_STATS, SEARCH_TERMS, SEARCH_TOPICS};

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

/// Writes `doc` and its `card` with `postings` (term → frequencies), replacing what was
/// indexed under `key`. A term already in the vocabulary is only looked up, not written.
pub(crate) fn put(txn: &WriteTxn, key: u64, doc: &Doc, card: &Card, postings: &[(String, Posting)]) -> Result<()> {
    remove(txn, key)?;
    txn.open_table(SEARCH_DOCS)?.insert(key, encode(doc)?.as_slice())?;
    txn.open_table(SEARCH_CARDS)?.insert(key, encode(card)?.as_slice())?;
    let mut table = txn.open_table(SEARCH_POSTINGS)?;
    let mut terms = txn.open_table(SEARCH_TERMS)?;
    for (term, posting) in postings {
        table.insert((term.as_str(), key), posting.pack())?;
        if terms.get(term.as_str())?.is_none() {
            terms.insert(term.as_str(), 1)?;
        }
    }
    let mut topics = txn.open_table(SEARCH_TOPICS)?;
    for topic in &doc.topics {
        topics.put((topic.as_str(), key), ())?;
    }
    change_stats(txn, 1, i64::from(doc.length))
}

/// Removes whatever is indexed under `key` (nothing when nothing is); a term left without
/// postings leaves the vocabulary.
pub(crate) fn remove(txn: &WriteTxn, key: u64) -> Result<()> {
    let Some(old) = load_for_write(txn, key)? else { return Ok(()) };
    txn.open_table(SEARCH_DOCS)?.remove(key)?;
    txn.open_table(SEARCH_CARDS)?.remove(key)?;
    let mut table = txn.open_table(SEARCH_POSTINGS)?;
    let mut terms = txn.open_table(SEARCH_TERMS)?;
    for term in &old.terms {
        table.remove((term.as_str(), key))?;
        if table.range((term.as_str(), 0)..=(term.as_str(), u64::MAX))?.next().is_none() {
            terms.remove(term.as_str())?;
        }
    }
    let mut topics = txn.open_table(SEARCH_TOPICS)?;
    for topic in &old.topics {
        topics.delete((topic.as_str(), key))?;
    }
    change_stats(txn, -1, -i64::from(old.length))
}

/// Gives every document that has no card yet one (schema version 29), with no hint: its domain
/// reads its record until it is indexed again. The forums and the job board, which migrate
/// first, have given their visible documents cards with hints already ([`hint_card`]). Returns
/// how many cards were written.
pub(crate) fn fill_cards(txn: &WriteTxn) -> Result<u64> {
    let mut cards = txn.open_table(SEARCH_CARDS)?;
    let mut n = 0;
    for row in txn.open_table(SEARCH_DOCS)?.iter()? {
        let (key, bytes) = row?;
        let key = key.value();
        if cards.get(key)?.is_some() {
            continue;
        }
        let doc: Doc = decode(bytes.value(), || format!("search document {key:#x}"))?;
        cards.insert(key, encode(&Card::of(&doc, None))?.as_slice())?;
        n += 1;
    }
    Ok(n)
}

/// How many cards of the documents of `kinds` carry no hint (the migration test's measure).
#[cfg(test)]
pub(crate) fn cards_without_hint(txn: &impl Reader, kinds: &[super::SearchKind]) -> Result<usize> {
    let mut n = 0;
    for row in txn.table(SEARCH_CARDS)?.iter()? {
        let (key, bytes) = row?;
        let card: Card = decode(bytes.value(), || format!("search card {:#x}", key.value()))?;
        n += usize::from(kinds.contains(&card.kind) && card.hint.is_none());
    }
    Ok(n)
}

/// Writes the card of the indexed document under `key` with its domain's `hint` (a domain's
/// part of migration 29); `false` when no such document is indexed.
pub(crate) fn hint_card(txn: &WriteTxn, key: u64, hint: u64) -> Result<bool> {
    let Some(doc) = load_for_write(txn, key)? else { return Ok(false) };
    txn.open_table(SEARCH_CARDS)?.insert(key, encode(&Card::of(&doc, Some(hint)))?.as_slice())?;
    Ok(true)
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
    #[cfg(test)]
    note_read(1, 0);
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

/// Whether any document holds `term`.
pub(crate) fn known(txn: &impl Reader, term: &str) -> Result<bool> {
    Ok(txn.table(SEARCH_TERMS)?.get(term)?.is_some())
}

/// Every document holding `term` with its frequencies, in reference order; their number is
/// the term's document frequency.
pub(crate) fn postings(txn: &impl Reader, term: &str) -> Result<Vec<(u64, Posting)>> {
    let mut out = Vec::new();
    for row in txn.table(SEARCH_POSTINGS)?.range((term, 0)..=(term, u64::MAX))? {
        let (key, value) = row?;
        out.push((key.value().1, Posting::unpack(value.value())));
    }
    Ok(out)
}

/// The cards, opened once for every match of a search.
pub(crate) struct Cards<'t>(TableRef<'t, u64, &'static [u8]>);

impl Cards<'_> {
    /// The card of the document under `key`, if it is indexed.
    pub fn get(&self, key: u64) -> Result<Option<Card>> {
        #[cfg(test)]
        note_read(0, 1);
        let row = self.0.get(key)?;
        row.map(|bytes| decode(bytes.value(), || format!("search card {key:#x}"))).transpose()
    }
}

pub(crate) fn cards(txn: &impl Reader) -> Result<Cards<'_>> {
    Ok(Cards(txn.table(SEARCH_CARDS)?))
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

/// Decodes every document and checks its card, the postings, vocabulary, topic rows and
/// statistics against them.
pub(crate) fn check_integrity(txn: &impl Reader, problems: &mut Vec<String>) -> Result<u64> {
    let postings = txn.table(SEARCH_POSTINGS)?;
    let topics = txn.table(SEARCH_TOPICS)?;
    let vocabulary = txn.table(SEARCH_TERMS)?;
    let cards = cards(txn)?;
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
        if let Some(term) = doc.terms.iter().find(|t| vocabulary.get(t.as_str()).ok().flatten().is_none()) {
            problems.push(format!("search document {} {}: '{term}' is not in the vocabulary", doc.kind, doc.id));
        }
        check_card(&cards, key, &doc, problems);
    }
    let stats = stats(txn)?;
    if stats != (Stats { docs: count, length }) {
        problems.push(format!("search statistics {stats:?} where the documents give {count} and {length}"));
    }
    for (table, expected, what) in [
        (postings.len()?, expected_postings, "postings"),
        (topics.len()?, expected_topics, "topic rows"),
        (cards.0.len()?, count, "cards"),
    ] {
        if table != expected {
            problems.push(format!("search {what}: {table} rows where the documents give {expected}"));
        }
    }
    Ok(count)
}

/// Notes a document whose card is missing, unreadable or says otherwise than the document.
fn check_card(cards: &Cards<'_>, key: u64, doc: &Doc, problems: &mut Vec<String>) {
    match cards.get(key) {
        Ok(Some(card)) if card == Card::of(doc, card.hint) => {}
        Ok(Some(_)) => problems.push(format!("search document {} {}: its card disagrees", doc.kind, doc.id)),
        Ok(None) => problems.push(format!("search document {} {}: no card", doc.kind, doc.id)),
        Err(e) => problems.push(e.to_string()),
    }
}

#[cfg(test)]
thread_local! {
    /// Whole documents and cards read on this thread (tests only).
    static READ: std::cell::Cell<Read> = const { std::cell::Cell::new(Read { documents: 0, cards: 0 }) };
}

/// How many whole documents and cards a piece of work read (tests only).
#[cfg(test)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Read {
    pub documents: u64,
    pub cards: u64,
}

#[cfg(test)]
fn note_read(documents: u64, cards: u64) {
    READ.with(|n| {
        let was = n.get();
        n.set(Read { documents: was.documents + documents, cards: was.cards + cards });
    });
}

/// What `work` returns, with how many whole documents and cards it read on this thread (tests
/// only).
#[cfg(test)]
pub(crate) fn counting_reads<T>(work: impl FnOnce() -> T) -> (T, Read) {
    let before = READ.with(std::cell::Cell::get);
    let out = work();
    let after = READ.with(std::cell::Cell::get);
    (out, Read { documents: after.documents - before.documents, cards: after.cards - before.cards })
}

/// Takes the cards away, as a file of version 28 had none (tests of the migration only).
#[cfg(test)]
pub(crate) fn forget_cards(txn: &WriteTxn) -> Result<bool> {
    txn.delete_table(SEARCH_CARDS)
}
