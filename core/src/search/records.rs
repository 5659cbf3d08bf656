//! The one place that reads and writes the search index. A document, its card, its postings,
//! its topic rows and the corpus statistics always change together in [`put`] and [`remove`],
//! inside the caller's write transaction, so the index never disagrees with the record it was
//! built from. The postings live in the shared appending index ([`crate::text_index`]): packed
//! blocks of 128 postings per term, and one open segment per transaction that changed the
//! index, merged by the scheduler's tick ([`merge_some`]) or when the open segments grow past
//! the ceiling. The vocabulary is the index's own: each term's document count.

use std::collections::HashMap;
use std::marker::PhantomData;

use crate::error::Result;
use crate::store::{Due, ReadTable, Reader, TableRef, WriteTxn, decode, encode};
use crate::text_index::{self, Packed, Pending, Reading, Tables};

use super::model::{Card, Doc};
use super::tables::{
    SEARCH_BLOCKS, SEARCH_CARDS, SEARCH_COUNTERS, SEARCH_DOCS, SEARCH_POSTINGS_V35, SEARCH_SEGMENTS, SEARCH_STATS_V35,
    SEARCH_TERM_DOCS, SEARCH_TERMS_V35, SEARCH_TOPICS,
};

/// The one search's postings.
static INDEX: Tables<Posting> = Tables {
    blocks: SEARCH_BLOCKS,
    term_docs: SEARCH_TERM_DOCS,
    counters: SEARCH_COUNTERS,
    segments: SEARCH_SEGMENTS,
    name: "search",
    open_ceiling: text_index::OPEN_CEILING,
    posting: PhantomData,
};

/// A document holding a term: the term's frequencies in the document's fields, the document's
/// length and its language, so that a search in one language passes over the others'
/// documents without reading their cards. Packed after the document's number as title and
/// summary (a byte each, at most 255), body (a varint, at most 65,535), length (a varint) and
/// language ([`language_code`], two bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Posting {
    /// The document's reference.
    pub doc: u64,
    pub title: u32,
    pub summary: u32,
    pub body: u32,
    pub length: u32,
    pub language: u16,
}

impl Packed for Posting {
    fn doc(&self) -> u64 {
        self.doc
    }

    fn pack(&self, out: &mut Vec<u8>) {
        out.push(self.title.min(0xff) as u8);
        out.push(self.summary.min(0xff) as u8);
        put_varint(out, self.body.min(0xffff));
        put_varint(out, self.length);
        out.extend_from_slice(&self.language.to_le_bytes());
    }

    fn unpack(doc: u64, input: &mut &[u8]) -> Option<Posting> {
        let (&[title, summary], rest) = input.split_first_chunk::<2>()?;
        *input = rest;
        let body = take_varint(input)?;
        let length = take_varint(input)?;
        let (language, rest) = input.split_first_chunk::<2>()?;
        *input = rest;
        let language = u16::from_le_bytes(*language);
        Some(Posting { doc, title: u32::from(title), summary: u32::from(summary), body, length, language })
    }
}

impl Posting {
    /// A posting of schema 35's `search_postings`, whose value packed title (8 bits), summary
    /// (8 bits), body (16 bits) and length (32 bits).
    fn from_v35(doc: u64, v: u64, language: u16) -> Posting {
        Posting {
            doc,
            title: (v >> 56) as u32,
            summary: ((v >> 48) & 0xff) as u32,
            body: ((v >> 32) & 0xffff) as u32,
            length: (v & 0xffff_ffff) as u32,
            language,
        }
    }
}

fn put_varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn take_varint(input: &mut &[u8]) -> Option<u32> {
    let mut value = 0u32;
    for shift in [0, 7, 14, 21, 28] {
        let (&byte, rest) = input.split_first()?;
        *input = rest;
        value |= u32::from(byte & 0x7f).checked_shl(shift)?;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// A language as a posting keeps it: the two letters of an ISO 639-1 code, 0 for anything
/// else (then the card decides).
pub(crate) fn language_code(language: &str) -> u16 {
    match language.as_bytes() {
        [a, b] => u16::from_le_bytes([*a, *b]),
        _ => 0,
    }
}

/// The corpus size and summed length.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Stats {
    pub docs: u64,
    pub length: u64,
}

/// Writes `doc` and its `card` with `postings` (term → frequencies), replacing what was
/// indexed under `key`: the postings go into one open segment with the old ones' removal.
pub(crate) fn put(txn: &WriteTxn, key: u64, doc: &Doc, card: &Card, postings: Vec<(String, Posting)>) -> Result<()> {
    let mut pending = Pending::default();
    take_out(txn, key, &mut pending)?;
    txn.open_table(SEARCH_DOCS)?.insert(key, encode(doc)?.as_slice())?;
    txn.open_table(SEARCH_CARDS)?.insert(key, encode(card)?.as_slice())?;
    pending.add_document(postings, doc.length);
    let mut topics = txn.open_table(SEARCH_TOPICS)?;
    for topic in &doc.topics {
        topics.put((topic.as_str(), key), ())?;
    }
    drop(topics);
    pending.write(txn, &INDEX)
}

/// Removes whatever is indexed under `key` (nothing when nothing is).
pub(crate) fn remove(txn: &WriteTxn, key: u64) -> Result<()> {
    let mut pending = Pending::default();
    take_out(txn, key, &mut pending)?;
    pending.write(txn, &INDEX)
}

/// Removes the documents under `keys` and merges every open segment with their removal, so
/// that no posting of theirs is left in the file's index (an erasure).
pub(crate) fn remove_now(txn: &WriteTxn, keys: &[u64]) -> Result<()> {
    let mut pending = Pending::default();
    for key in keys {
        take_out(txn, *key, &mut pending)?;
    }
    pending.write_merging_all(txn, &INDEX)
}

/// Deletes the document under `key`, its card and topic rows, and queues its postings'
/// removal in `pending`.
fn take_out(txn: &WriteTxn, key: u64, pending: &mut Pending<Posting>) -> Result<()> {
    let Some(old) = load_for_write(txn, key)? else { return Ok(()) };
    txn.open_table(SEARCH_DOCS)?.remove(key)?;
    txn.open_table(SEARCH_CARDS)?.remove(key)?;
    let mut topics = txn.open_table(SEARCH_TOPICS)?;
    for topic in &old.topics {
        topics.delete((topic.as_str(), key))?;
    }
    pending.remove_document(key, old.terms, old.length);
    Ok(())
}

/// The search's scheduled work: merging open segments into the blocks, a bounded batch a call.
pub(crate) fn merge_some(txn: &WriteTxn, due: &mut Due) -> Result<()> {
    text_index::merge_some(txn, &INDEX, "search index segments merged", due)
}

/// Schema 36: the postings move from `search_postings` (a row per term and document) into the
/// blocks of the appending index, each with its document's language from its card (0 for a
/// posting without one, which no search could show); the corpus statistics move into its
/// counters, each term's document count is recounted from the blocks, and the three old
/// tables (`search_postings`, `search_terms`, `search_stats`) go. A file without old postings
/// (new, or rewound by a test) keeps its blocks as they are.
pub(crate) fn postings_into_blocks_v36(txn: &WriteTxn) -> Result<()> {
    let has_old = txn.table(SEARCH_POSTINGS_V35)?.iter()?.next().is_some();
    if has_old {
        let mut languages: HashMap<u64, u16> = HashMap::new();
        for row in txn.table(SEARCH_CARDS)?.iter()? {
            let (key, bytes) = row?;
            let card: Card = decode(bytes.value(), || format!("search card {:#x}", key.value()))?;
            languages.insert(key.value(), language_code(&card.language));
        }
        text_index::clear_document_counts(txn, &INDEX)?;
        text_index::import_main_from(txn, &INDEX, SEARCH_POSTINGS_V35, |doc, packed| {
            languages.get(&doc).map(|&language| Posting::from_v35(doc, packed, language))
        })?;
    }
    let (docs, length) = {
        let stats = txn.table(SEARCH_STATS_V35)?;
        let get = |name: &str| -> Result<u64> { Ok(stats.get(name)?.map_or(0, |v| v.value())) };
        (get("docs")?, get("length")?)
    };
    text_index::add_to_totals(txn, &INDEX, docs as i64, length as i64)?;
    txn.delete_table(SEARCH_POSTINGS_V35)?;
    txn.delete_table(SEARCH_TERMS_V35)?;
    txn.delete_table(SEARCH_STATS_V35)?;
    Ok(())
}

/// Writes the index of this file in schema 35's layout (a row per posting, the vocabulary and
/// the statistics) and empties the new one, as a file of version 35 held it (tests of the
/// migration only).
#[cfg(test)]
pub(crate) fn rewrite_as_v35(txn: &WriteTxn) -> Result<()> {
    let mut problems = Vec::new();
    let (docs, length) = text_index::totals(txn, &INDEX)?;
    let mut rows: Vec<(String, Posting)> = Vec::new();
    text_index::for_each_posting_of_every_term(txn, &INDEX, &mut problems, |term, p| {
        rows.push((term.to_string(), *p))
    })?;
    assert!(problems.is_empty(), "{problems:?}");
    let mut old = txn.open_table(SEARCH_POSTINGS_V35)?;
    let mut vocabulary = txn.open_table(SEARCH_TERMS_V35)?;
    for (term, p) in &rows {
        let packed =
            (u64::from(p.title) << 56) | (u64::from(p.summary) << 48) | (u64::from(p.body) << 32) | u64::from(p.length);
        old.insert((term.as_str(), p.doc), packed)?;
        vocabulary.insert(term.as_str(), 1)?;
    }
    let mut stats = txn.open_table(SEARCH_STATS_V35)?;
    stats.insert("docs", docs)?;
    stats.insert("length", length)?;
    txn.delete_table(SEARCH_BLOCKS)?;
    txn.delete_table(SEARCH_TERM_DOCS)?;
    txn.delete_table(SEARCH_COUNTERS)?;
    txn.delete_table(SEARCH_SEGMENTS)?;
    Ok(())
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
    let (docs, length) = text_index::totals(txn, &INDEX)?;
    Ok(Stats { docs, length })
}

/// The vocabulary as one search sees it: every term a document holds.
pub(crate) struct Vocabulary<'t, R> {
    txn: &'t R,
    terms: text_index::Vocabulary<'static, Posting>,
}

impl<'t, R: Reader> Vocabulary<'t, R> {
    /// Reads the open segments once, for one query's lookups and its postings.
    pub fn read(txn: &'t R) -> Result<Vocabulary<'t, R>> {
        Ok(Vocabulary { txn, terms: text_index::Vocabulary::read(txn, &INDEX)? })
    }

    /// Whether any document holds `term`.
    pub fn known(&self, term: &str) -> Result<bool> {
        self.terms.contains(self.txn, term)
    }

    /// Vocabulary terms starting with `prefix` (for spelling correction), at most `limit`.
    pub fn with_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<String>> {
        self.terms.with_prefix(self.txn, prefix, limit)
    }

    /// The postings of `terms` as the search reads them (the blocks with the open segments
    /// laid over), from the open segments this vocabulary read.
    pub fn reading(&self, terms: &[&str]) -> Result<Reading<'static, Posting>> {
        self.terms.reading(terms)
    }
}

/// The postings of `terms` as a search reads them, opened once for a query.
#[cfg(test)]
pub(crate) fn reading(txn: &impl Reader, terms: &[&str]) -> Result<Reading<'static, Posting>> {
    Reading::open(txn, &INDEX, terms)
}

/// Every document holding `term` (one `reading` was opened for) with its frequencies, in
/// reference order; their number is the term's document frequency.
pub(crate) fn postings_in(txn: &impl Reader, reading: &Reading<'_, Posting>, term: &str) -> Result<Vec<Posting>> {
    let mut out = Vec::new();
    reading.for_each_posting(txn, term, |p| out.push(*p))?;
    Ok(out)
}

/// Every document holding `term`, as [`postings_in`] (for one term).
#[cfg(test)]
pub(crate) fn postings(txn: &impl Reader, term: &str) -> Result<Vec<Posting>> {
    postings_in(txn, &reading(txn, &[term])?, term)
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

/// The documents carrying topic `slug`.
pub(crate) fn with_topic(txn: &impl Reader, slug: &str) -> Result<Vec<u64>> {
    let mut out = Vec::new();
    for row in txn.table(SEARCH_TOPICS)?.range((slug, 0)..=(slug, u64::MAX))? {
        out.push(row?.0.value().1);
    }
    Ok(out)
}

/// Decodes every document and checks its card, the postings (against the terms it was
/// indexed under), the topic rows and the statistics against them.
pub(crate) fn check_integrity(txn: &impl Reader, problems: &mut Vec<String>) -> Result<u64> {
    let mut indexed = text_index::inventory(txn, &INDEX, problems)?;
    let topics = txn.table(SEARCH_TOPICS)?;
    let cards = cards(txn)?;
    let (mut count, mut expected_topics, mut length) = (0u64, 0u64, 0u64);
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
        expected_topics += doc.topics.len() as u64;
        let held = indexed.remove(&key).unwrap_or_default();
        if held != text_index::DocTerms::of(doc.terms.iter().map(String::as_str)) {
            problems.push(format!(
                "search document {} {}: the index holds {} postings for its {} terms, or other terms",
                doc.kind,
                doc.id,
                held.count,
                doc.terms.len()
            ));
        }
        check_card(&cards, key, &doc, problems);
    }
    if let Some(key) = indexed.keys().next() {
        problems.push(format!("search index: {} documents have postings but no record, {key:#x} first", indexed.len()));
    }
    let stats = stats(txn)?;
    if stats != (Stats { docs: count, length }) {
        problems.push(format!("search statistics {stats:?} where the documents give {count} and {length}"));
    }
    for (table, expected, what) in [(topics.len()?, expected_topics, "topic rows"), (cards.0.len()?, count, "cards")] {
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

/// The bytes of the index's open segments (tests only).
#[cfg(test)]
pub(crate) fn open_segment_bytes(txn: &impl Reader) -> Result<u64> {
    text_index::open_bytes(txn, &INDEX)
}

/// Takes the cards away, as a file of version 28 had none (tests of the migration only).
#[cfg(test)]
pub(crate) fn forget_cards(txn: &WriteTxn) -> Result<bool> {
    txn.delete_table(SEARCH_CARDS)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn posting() -> impl Strategy<Value = Posting> {
        (any::<u64>(), 0u32..=0xff, 0u32..=0xff, 0u32..=0xffff, any::<u32>(), any::<u16>()).prop_map(
            |(doc, title, summary, body, length, language)| Posting { doc, title, summary, body, length, language },
        )
    }

    proptest! {
        #[test]
        fn a_posting_unpacks_to_what_was_packed_and_leaves_what_follows(p in posting(), tail in proptest::collection::vec(any::<u8>(), 0..4)) {
            let mut bytes = Vec::new();
            p.pack(&mut bytes);
            let packed = bytes.len();
            bytes.extend_from_slice(&tail);
            let mut input = bytes.as_slice();
            prop_assert_eq!(Posting::unpack(p.doc, &mut input), Some(p));
            prop_assert_eq!(input, tail.as_slice());
            for cut in 0..packed {
                prop_assert_eq!(Posting::unpack(p.doc, &mut &bytes[..cut]), None, "cut at {}", cut);
            }
        }
    }

    #[test]
    fn frequencies_past_a_fields_width_are_capped_as_version_35_capped_them() {
        let p = Posting { doc: 1, title: 300, summary: 256, body: 70_000, length: 9, language: language_code("de") };
        let mut bytes = Vec::new();
        p.pack(&mut bytes);
        let back = Posting::unpack(1, &mut bytes.as_slice()).unwrap();
        assert_eq!((back.title, back.summary, back.body), (255, 255, 0xffff));
        assert_eq!(language_code("deu"), 0, "a code that is not two letters is no language to filter by");
    }
}
