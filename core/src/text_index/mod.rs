//! One text index that appends: the inverted index a domain keeps for its full-text search,
//! written so that a change costs a constant number of pages, not one per term. The forums
//! (`forums::index`) and the job board (`jobs::index`) keep theirs on it, each in its own
//! tables, merged by each domain's scheduler tick and read by its integrity check
//! ([`inventory`]).
//!
//! # Layout
//! - **Main postings**: for every term, the documents that contain it, packed in blocks of up
//!   to [`BLOCK`] postings keyed by (term, first document of the block), with each term's
//!   document count and the corpus counters beside them (see [`block`] for a block's bytes).
//!   A national forum holds millions of posts and common words occur in a tenth of them: a
//!   block holds 128 postings in about a kilobyte, so a search reads a few thousand blocks.
//! - **Open segments**: what one transaction changed (postings added, documents taken out),
//!   as one row keyed by an increasing number (see [`segment`]). A reply with 28 distinct
//!   terms used to rewrite 28 blocks and 28 counts, each on its own B-tree leaf; now it appends
//!   one row to the last leaf of the segment table and changes the counters row.
//! - **Merging** folds the oldest open segments into the main postings, in one write
//!   transaction (so a crash leaves either the segments or their merge, never half of it):
//!   on the platform's scheduler tick ([`merge_some`], bounded per call), and inside a write
//!   whose open segments would pass [`Tables::open_ceiling`] bytes, so that searches never read more
//!   than that however rarely the scheduler runs.
//!
//! # Reading
//! A search opens a [`Reading`] for its terms: it reads the open segments once, keeping only
//! the changes to those terms, and then streams each term's postings from the main blocks
//! with the open changes laid over them (a later change to a document replaces an earlier
//! one, a removal hides it). Document counts are the main count plus each open change's
//! difference. So a search sees exactly what it would see had every segment been merged:
//! `tests.rs` checks this against the index written without segments.
//!
//! # What a posting holds
//! The posting type is the domain's ([`Packed`]): the forums and the job board keep
//! [`Posting`] (tf, a quantised length, the day), the one search (`search::records`) its field
//! frequencies, exact length and language. Blocks and segments store a posting's document as a
//! varint and the rest as its type packs it, so one block and segment code serves every index.
//!
//! # The contract with the domain
//! A document is added with the terms it is found by and removed with the same terms, in the
//! order the domain changes it (remove then add for an edit). The domain checks when showing
//! a hit whether the document may be shown; the index never decides visibility.

mod block;
mod open;
mod records;
mod segment;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::marker::PhantomData;

use crate::clock::Timestamp;
use crate::error::Result;
use crate::store::{Due, Reader, Table, WriteTxn};
use open::{OpenChanges, OpenSegments};

/// Postings per main block, at most.
pub(crate) const BLOCK: usize = 128;
/// The most bytes of open segments a write leaves behind (the usual [`Tables::open_ceiling`]):
/// about two hundred replies, which a search reads in well under a tenth of a millisecond.
pub(crate) const OPEN_CEILING: u64 = 96 * 1024;
/// The most open segments one scheduler tick merges in one transaction.
pub(crate) const SEGMENTS_PER_TICK: usize = 512;

/// The tables of one text index, declared by the domain that owns the index (and registered
/// with its other tables), with the type of its postings; only [`records`] opens them.
pub(crate) struct Tables<P = Posting> {
    /// (term, first document of the block) → a block of postings.
    pub blocks: Table<(&'static str, u64), &'static [u8]>,
    /// Term → number of documents in the main postings that contain it.
    pub term_docs: Table<&'static str, u64>,
    /// `docs` → indexed documents, `terms` → their summed length, `open_bytes` → the size of
    /// the open segments.
    pub counters: Table<&'static str, u64>,
    /// Segment number → the changes of one transaction, not merged yet.
    pub segments: Table<u64, &'static [u8]>,
    /// For messages ("forum").
    pub name: &'static str,
    /// A write that would leave more bytes than this in open segments merges every open
    /// segment (and its own changes) into the main postings instead of appending.
    pub open_ceiling: u64,
    /// What a posting of this index holds.
    pub posting: PhantomData<fn() -> P>,
}

/// A posting as a text index stores it: the document it is for, and the rest packed after the
/// document's number in blocks and segments.
pub(crate) trait Packed: Copy + PartialEq + std::fmt::Debug {
    fn doc(&self) -> u64;
    /// Appends everything but the document.
    fn pack(&self, out: &mut Vec<u8>);
    /// Reads what [`Packed::pack`] wrote for document `doc` from the front of `input`; `None`
    /// when it is cut off or damaged.
    fn unpack(doc: u64, input: &mut &[u8]) -> Option<Self>;
}

/// One posting: a document that contains a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Posting {
    pub doc: u64,
    /// How often the term occurs (weighted by the domain), at most 255.
    pub tf: u8,
    /// The document's length in terms, quantised: see [`quantise_length`].
    pub length: u8,
    /// Days since 1970-01-01 when the document was written (for recency).
    pub day: u16,
}

impl Packed for Posting {
    fn doc(&self) -> u64 {
        self.doc
    }

    fn pack(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&[self.tf, self.length]);
        out.extend_from_slice(&self.day.to_le_bytes());
    }

    fn unpack(doc: u64, input: &mut &[u8]) -> Option<Posting> {
        let (fields, rest) = input.split_at_checked(4)?;
        *input = rest;
        Some(Posting { doc, tf: fields[0], length: fields[1], day: u16::from_le_bytes([fields[2], fields[3]]) })
    }
}

/// A change to one term's postings: a document added (or replaced), or taken out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change<P = Posting> {
    Add(P),
    Remove(u64),
}

impl<P: Packed> Change<P> {
    fn doc(&self) -> u64 {
        match self {
            Change::Add(p) => p.doc(),
            Change::Remove(doc) => *doc,
        }
    }

    /// What it does to the term's document count (under the contract: only new documents
    /// are added, only indexed ones removed).
    fn df_delta(&self) -> i64 {
        match self {
            Change::Add(_) => 1,
            Change::Remove(_) => -1,
        }
    }
}

/// Index statistics for BM25.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Corpus {
    pub docs: u64,
    pub average_length: f64,
}

/// The changes of one transaction, written at its end as one segment.
#[derive(Debug, Clone)]
pub(crate) struct Pending<P = Posting> {
    changes: Vec<(String, Change<P>)>,
    docs: i64,
    length: i64,
}

impl<P> Default for Pending<P> {
    fn default() -> Self {
        Pending { changes: Vec::new(), docs: 0, length: 0 }
    }
}

impl Pending<Posting> {
    /// Adds document `doc` with its terms and their frequencies, written on `day`.
    pub fn add(&mut self, doc: u64, terms: Vec<(String, u32)>, day: u16) {
        let length: u32 = terms.iter().map(|(_, tf)| *tf).sum();
        let quantised = quantise_length(length);
        let postings = terms.into_iter().map(|(term, tf)| {
            let tf = u8::try_from(tf).unwrap_or(u8::MAX);
            (term, Posting { doc, tf, length: quantised, day })
        });
        self.add_document(postings, length);
    }

    /// Takes document `doc` out; `terms` are those it was added with.
    pub fn remove(&mut self, doc: u64, terms: Vec<(String, u32)>) {
        let length: u32 = terms.iter().map(|(_, tf)| *tf).sum();
        self.remove_document(doc, terms.into_iter().map(|(term, _)| term), length);
    }
}

impl<P: Packed> Pending<P> {
    /// Adds one document: its posting under each of its terms (each term once), and its
    /// `length` for the corpus's average.
    pub fn add_document(&mut self, postings: impl IntoIterator<Item = (String, P)>, length: u32) {
        self.changes.extend(postings.into_iter().map(|(term, p)| (term, Change::Add(p))));
        self.docs += 1;
        self.length += i64::from(length);
    }

    /// Takes document `doc` out; `terms` and `length` are those it was added with.
    pub fn remove_document(&mut self, doc: u64, terms: impl IntoIterator<Item = String>, length: u32) {
        self.changes.extend(terms.into_iter().map(|term| (term, Change::Remove(doc))));
        self.docs -= 1;
        self.length -= i64::from(length);
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.docs == 0
    }

    /// Writes the changes as one open segment, or merges them with every open segment into
    /// the main postings when the open segments would pass [`Tables::open_ceiling`].
    pub fn write(self, txn: &WriteTxn, tables: &Tables<P>) -> Result<()> {
        if self.is_empty() {
            return Ok(());
        }
        records::bump_counters(txn, tables, self.docs, self.length)?;
        let bytes = segment::encode(&self.changes);
        let open = records::open_bytes(txn, tables)?;
        if open + bytes.len() as u64 > tables.open_ceiling {
            records::merge(txn, tables, usize::MAX, self.changes)?;
            return Ok(());
        }
        records::append_segment(txn, tables, &bytes)
    }

    /// Writes the changes with every open segment into the main postings at once: for an
    /// erasure, so that the terms of what was taken out stay neither in an open segment nor in
    /// a block.
    pub fn write_merging_all(self, txn: &WriteTxn, tables: &Tables<P>) -> Result<()> {
        if self.is_empty() {
            return Ok(());
        }
        records::bump_counters(txn, tables, self.docs, self.length)?;
        records::merge(txn, tables, usize::MAX, self.changes).map(drop)
    }

    /// Writes the changes straight into the main postings, as the index did before it had
    /// segments (the reference the tests compare the appending index with).
    #[cfg(test)]
    pub fn write_merged(self, txn: &WriteTxn, tables: &Tables<P>) -> Result<()> {
        if self.is_empty() {
            return Ok(());
        }
        records::bump_counters(txn, tables, self.docs, self.length)?;
        records::merge(txn, tables, 0, self.changes).map(drop)
    }
}

/// `ahead` with the rows writing an open segment reads of `tables` (its counters, and the last
/// open segments, after which it numbers its own), to be read ahead by a write that will add
/// to the index.
pub(crate) fn write_ahead<P: Packed>(ahead: crate::store::Ahead, tables: &Tables<P>) -> crate::store::Ahead {
    records::last_segments_ahead(records::counters_ahead(ahead, tables), tables)
}

/// Merges up to [`SEGMENTS_PER_TICK`] of the oldest open segments into the main postings;
/// the domain's `tick` (see [`crate::store::Domain`]). Counted under `what`; sets `due.more`
/// when segments are left.
pub(crate) fn merge_some<P: Packed>(
    txn: &WriteTxn,
    tables: &Tables<P>,
    what: &'static str,
    due: &mut Due,
) -> Result<()> {
    let merged = records::merge(txn, tables, SEGMENTS_PER_TICK, Vec::new())?;
    if merged > 0 {
        due.count(what, merged as u64);
    }
    due.more |= records::has_open_segments(txn, tables)?;
    Ok(())
}

/// A search's view of the index: the main postings with the open segments' changes to the
/// search's terms laid over them, read once.
pub(crate) struct Reading<'i, P = Posting> {
    tables: &'i Tables<P>,
    open: BTreeMap<String, OpenChanges<P>>,
}

impl<'i, P: Packed> Reading<'i, P> {
    /// Reads the open segments' changes to `terms`.
    pub fn open(txn: &impl Reader, tables: &'i Tables<P>, terms: &[&str]) -> Result<Reading<'i, P>> {
        let segments = OpenSegments::read(txn, tables)?;
        Self::of(tables, &segments, terms.iter().map(|t| t.to_string()))
    }

    /// Reads the open segments' changes to every term, and opens it for every term of the
    /// main postings too (for an integrity check).
    fn open_all(txn: &impl Reader, tables: &'i Tables<P>) -> Result<Reading<'i, P>> {
        let segments = OpenSegments::read(txn, tables)?;
        let mut terms = records::main_terms(txn, tables)?;
        terms.extend(segments.terms());
        Self::of(tables, &segments, terms)
    }

    /// Keeps the changes of the open `segments` to `terms`.
    fn of(
        tables: &'i Tables<P>,
        segments: &OpenSegments,
        terms: impl IntoIterator<Item = String>,
    ) -> Result<Reading<'i, P>> {
        let mut open = BTreeMap::new();
        for term in terms {
            let changes = segments.changes_to(&term)?;
            open.insert(term, changes);
        }
        Ok(Reading { tables, open })
    }

    /// The number of documents and their mean length.
    pub fn corpus(&self, txn: &impl Reader) -> Result<Corpus> {
        let (docs, terms) = records::counters(txn, self.tables)?;
        Ok(Corpus { docs, average_length: if docs == 0 { 1.0 } else { terms as f64 / docs as f64 } })
    }

    /// How many documents contain `term` (a term the reading was opened with).
    pub fn document_frequency(&self, txn: &impl Reader, term: &str) -> Result<u64> {
        let main = records::document_frequency(txn, self.tables, term)?;
        let delta = self.open_changes(term)?.df;
        Ok(main.saturating_add_signed(delta))
    }

    /// Calls `each` with every posting of `term` in document order, a block at a time (no
    /// list of a common term's hundred thousand postings is ever built).
    pub fn for_each_posting(&self, txn: &impl Reader, term: &str, mut each: impl FnMut(&P)) -> Result<()> {
        let changes = self.open_changes(term)?;
        let mut open = changes.last.iter().peekable();
        records::for_each_posting(txn, self.tables, term, |p: &P| {
            while let Some((_, change)) = open.next_if(|(doc, _)| **doc < p.doc()) {
                if let Change::Add(added) = change {
                    each(added);
                }
            }
            match open.next_if(|(doc, _)| **doc == p.doc()) {
                Some((_, Change::Add(replaced))) => each(replaced),
                Some((_, Change::Remove(_))) => {}
                None => each(p),
            }
        })?;
        for (_, change) in open {
            if let Change::Add(added) = change {
                each(added);
            }
        }
        Ok(())
    }

    fn open_changes(&self, term: &str) -> Result<&OpenChanges<P>> {
        self.open.get(term).ok_or_else(|| crate::error::Error::Internal {
            detail: format!("the {} index was read for a term it was not opened with", self.tables.name),
        })
    }
}

/// The index's vocabulary as a search sees it: every term at least one document holds, in the
/// main postings or the open segments. It reads the open segments once ([`OpenSegments`]), so
/// that a query can ask for many words and their variants whether the index knows them, and for
/// the known terms beginning with some letters (spelling correction), and then open a
/// [`Reading`] of the few it looks up ([`Vocabulary::reading`]) without reading them again.
pub(crate) struct Vocabulary<'i, P = Posting> {
    tables: &'i Tables<P>,
    open: OpenSegments,
}

impl<'i, P: Packed> Vocabulary<'i, P> {
    pub fn read(txn: &impl Reader, tables: &'i Tables<P>) -> Result<Vocabulary<'i, P>> {
        Ok(Vocabulary { tables, open: OpenSegments::read(txn, tables)? })
    }

    /// How many documents hold `term`.
    pub fn document_frequency(&self, txn: &impl Reader, term: &str) -> Result<u64> {
        let main = records::document_frequency(txn, self.tables, term)?;
        Ok(main.saturating_add_signed(self.open.df_delta::<P>(term)?))
    }

    /// Whether any document holds `term`.
    pub fn contains(&self, txn: &impl Reader, term: &str) -> Result<bool> {
        Ok(self.document_frequency(txn, term)? > 0)
    }

    /// The first `limit` terms beginning with `prefix` that a document holds, in order. The
    /// open segments' terms under the prefix are walked beside the main ones, so a candidate
    /// costs no lookup of its own.
    pub fn with_prefix(&self, txn: &impl Reader, prefix: &str, limit: usize) -> Result<Vec<String>> {
        let open_terms = self.open.with_prefix::<P>(prefix)?;
        let mut open = open_terms.iter().peekable();
        let mut out = Vec::new();
        records::main_counts_from(txn, self.tables, prefix, |term, count| {
            if !term.starts_with(prefix) {
                return false;
            }
            // Terms only the open segments hold sort before this one; this one's difference.
            let mut delta = 0;
            while let Some((open_term, open_delta)) = open.next_if(|(t, _)| t.as_str() <= term) {
                if open_term == term {
                    delta = *open_delta;
                } else if *open_delta > 0 {
                    out.push(open_term.clone());
                }
            }
            if count.saturating_add_signed(delta) > 0 {
                out.push(term.to_string());
            }
            out.len() < limit
        })?;
        out.extend(open.filter(|(_, delta)| *delta > 0).map(|(term, _)| term.clone()));
        out.truncate(limit);
        Ok(out)
    }

    /// A [`Reading`] of `terms` from the open segments this vocabulary read (in the same
    /// transaction).
    pub fn reading(&self, terms: &[&str]) -> Result<Reading<'i, P>> {
        Reading::of(self.tables, &self.open, terms.iter().map(|t| t.to_string()))
    }
}

/// Checks that every open segment reads and that the open-bytes counter matches them.
pub(crate) fn check_integrity<P: Packed>(
    txn: &impl Reader,
    tables: &Tables<P>,
    problems: &mut Vec<String>,
) -> Result<()> {
    let mut bytes = 0u64;
    let read = records::for_each_segment(txn, tables, |segment| {
        bytes += segment.len() as u64;
        segment::for_each_change(segment, tables.name, |_, _: Change<P>| {})
    });
    if let Err(e) = read {
        problems.push(e.to_string());
        return Ok(());
    }
    let counted = records::open_bytes(txn, tables)?;
    if counted != bytes {
        problems.push(format!("the {} index counts {counted} open bytes where its segments hold {bytes}", tables.name));
    }
    Ok(())
}

/// A document's terms as the index holds them, in a form a domain's integrity check compares
/// with the terms it would index the document under: how many, and the wrapping sum of their
/// fingerprints (so a term missing and another in its place is noticed too).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DocTerms {
    pub count: u32,
    pub fingerprint: u64,
}

impl DocTerms {
    /// The summary of a document indexed under `terms` (each once).
    pub fn of<'a>(terms: impl IntoIterator<Item = &'a str>) -> DocTerms {
        let mut out = DocTerms::default();
        for term in terms {
            out.add(term);
        }
        out
    }

    fn add(&mut self, term: &str) {
        self.count += 1;
        self.fingerprint = self.fingerprint.wrapping_add(fingerprint(term));
    }
}

/// FNV-1a of a term's bytes: stable across builds, unlike the standard library's hasher.
fn fingerprint(term: &str) -> u64 {
    crate::fnv::more(crate::fnv::START, term.as_bytes())
}

/// Every document's terms as a search sees them (the main postings with the open segments laid
/// over), for a domain's integrity check to compare with its records. Checks the open segments
/// ([`check_integrity`]) and that every term's document count is its number of postings,
/// pushing what is wrong to `problems`; a damaged block or segment is a problem, not an error.
pub(crate) fn inventory<P: Packed>(
    txn: &impl Reader,
    tables: &Tables<P>,
    problems: &mut Vec<String>,
) -> Result<BTreeMap<u64, DocTerms>> {
    let mut docs: BTreeMap<u64, DocTerms> = BTreeMap::new();
    let before = problems.len();
    check_integrity(txn, tables, problems)?;
    if problems.len() > before {
        return Ok(docs);
    }
    let reading = Reading::open_all(txn, tables)?;
    for term in reading.open.keys() {
        let mut found = 0u64;
        let walked = reading.for_each_posting(txn, term, |p| {
            found += 1;
            docs.entry(p.doc()).or_default().add(term);
        });
        if let Err(e) = walked {
            problems.push(e.to_string());
            continue;
        }
        let counted = reading.document_frequency(txn, term)?;
        if counted != found {
            problems.push(format!("the {} index counts {counted} documents for a term found in {found}", tables.name));
        }
    }
    Ok(docs)
}

/// Calls `each` with every term and posting of the index as a search sees them (tests that
/// rewrite an index in an older layout).
#[cfg(test)]
pub(crate) fn for_each_posting_of_every_term<P: Packed>(
    txn: &impl Reader,
    tables: &Tables<P>,
    problems: &mut Vec<String>,
    mut each: impl FnMut(&str, &P),
) -> Result<()> {
    check_integrity(txn, tables, problems)?;
    let reading = Reading::open_all(txn, tables)?;
    for term in reading.open.keys() {
        reading.for_each_posting(txn, term, |p| each(term, p))?;
    }
    Ok(())
}

/// Fills the main postings of an index from a domain's older index, one batch of postings at a
/// time (sorted by term, then document, as the older index kept them), for a migration. The
/// counters are the domain's to have right already; each term's document count is recounted
/// from the blocks, so the caller empties `term_docs` before the first batch
/// ([`clear_document_counts`]).
pub(crate) fn import_main<P: Packed>(txn: &WriteTxn, tables: &Tables<P>, postings: Vec<(String, P)>) -> Result<()> {
    let changes = postings.into_iter().map(|(term, p)| (term, Change::Add(p))).collect();
    records::merge(txn, tables, 0, changes).map(drop)
}

/// Rows of a domain's older index read per batch by [`import_main_from`]: a national index
/// holds millions, and a batch keeps the memory to a few megabytes.
const IMPORT_BATCH: usize = 50_000;

/// Fills the main postings of an index from a domain's older index `old`, which kept one row
/// per (term, document) in key order, a batch of [`IMPORT_BATCH`] rows at a time, for a
/// migration: `posting` makes a row's value into the posting kept for that document, or
/// `None` to leave the row out (a document no search could show). As [`import_main`], the
/// caller empties `term_docs` first and has the counters right.
pub(crate) fn import_main_from<P: Packed, V: crate::store::Value>(
    txn: &WriteTxn,
    tables: &Tables<P>,
    old: Table<(&'static str, u64), V>,
    mut posting: impl for<'v> FnMut(u64, V::SelfType<'v>) -> Option<P>,
) -> Result<()> {
    let mut after: Option<(String, u64)> = None;
    loop {
        let (batch, last) = records::old_rows_after(txn, old, after.as_ref(), IMPORT_BATCH, &mut posting)?;
        let Some(last) = last else { return Ok(()) };
        after = Some(last);
        import_main(txn, tables, batch)?;
    }
}

/// The number of indexed documents and their summed length.
pub(crate) fn totals<P: Packed>(txn: &impl Reader, tables: &Tables<P>) -> Result<(u64, u64)> {
    records::counters(txn, tables)
}

/// The bytes of the open segments, not merged yet.
#[cfg(test)]
pub(crate) fn open_bytes<P: Packed>(txn: &impl Reader, tables: &Tables<P>) -> Result<u64> {
    records::open_bytes(txn, tables)
}

/// Adds to the corpus counters, for a migration that moves them from a domain's older index.
pub(crate) fn add_to_totals<P: Packed>(txn: &WriteTxn, tables: &Tables<P>, docs: i64, length: i64) -> Result<()> {
    records::bump_counters(txn, tables, docs, length)
}

/// Empties the terms' document counts (see [`import_main`]).
pub(crate) fn clear_document_counts<P: Packed>(txn: &WriteTxn, tables: &Tables<P>) -> Result<()> {
    records::clear_document_counts(txn, tables)
}

/// Creates the index's tables, for tests outside this module that use an index without a
/// domain's registration.
#[cfg(test)]
pub(crate) fn create_tables<P: Packed>(txn: &WriteTxn, tables: &Tables<P>) -> Result<()> {
    records::create(txn, tables)
}

/// A length as one byte: 16 steps per doubling, so lengths up to 65,535 terms fit with an error
/// of about 4 %, which BM25's length normalisation does not notice.
pub(crate) fn quantise_length(length: u32) -> u8 {
    (16.0 * f64::from(length).ln_1p() / std::f64::consts::LN_2).round().min(255.0) as u8
}

pub(crate) fn length_of(quantised: u8) -> u32 {
    ((f64::from(quantised) / 16.0).exp2() - 1.0).round() as u32
}

/// Days since 1970-01-01, as a posting keeps them.
pub(crate) fn day_of(at: Timestamp) -> u16 {
    u16::try_from(at.timestamp().max(0) / 86_400).unwrap_or(u16::MAX)
}
