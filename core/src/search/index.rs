//! Turning a domain's record into index terms: each field analysed in the record's language
//! (stop words out, stemmed), German and Danish words also by their compound parts, so that
//! "Netzwerkarbeit" is found by "Arbeit im Netzwerk" and "pårørendegruppe" by "gruppe for
//! pårørende", and German verb forms also by their relatives ("gegründet" by "gründen").

use std::collections::{BTreeMap, HashMap};

use crate::error::Result;
use crate::store::{Erasure, Personal, Reader, WriteTxn};
use crate::text;

use super::model::{Card, Doc, Entry, SearchKind, reference};
use super::records::{self, Posting};

/// Characters of summary and body kept for snippets.
const STORED_TEXT: usize = 4_000;

/// Indexes `entry`, replacing what was indexed for its record. Called by the owning domain in
/// the transaction that writes the record.
pub(crate) fn put(txn: &WriteTxn, entry: &Entry<'_>) -> Result<()> {
    let mut by_term: BTreeMap<String, Posting> = BTreeMap::new();
    let mut length = 0u32;
    for (field, text) in [(0, entry.title), (1, entry.summary), (2, entry.body)] {
        for term in terms(text, entry.language) {
            length = length.saturating_add(1);
            let p = by_term.entry(term).or_default();
            match field {
                0 => p.title += 1,
                1 => p.summary += 1,
                _ => p.body += 1,
            }
        }
    }
    let key = reference(entry.kind, entry.id);
    let language = records::language_code(entry.language);
    let postings: Vec<(String, Posting)> =
        by_term.into_iter().map(|(term, p)| (term, Posting { doc: key, length, language, ..p })).collect();
    let mut topics = entry.topics.to_vec();
    topics.sort();
    topics.dedup();
    let mut stored = String::new();
    for part in [entry.summary, entry.body] {
        if !part.is_empty() {
            if !stored.is_empty() {
                stored.push_str("\n\n");
            }
            stored.push_str(part);
        }
    }
    if !entry.keeps_text {
        stored.clear();
    }
    let doc = Doc {
        kind: entry.kind,
        id: entry.id,
        slug: entry.slug.map(str::to_string),
        title: if entry.keeps_text { entry.title.to_string() } else { String::new() },
        text: stored.chars().take(STORED_TEXT).collect(),
        language: entry.language.to_string(),
        topics,
        org: entry.org,
        gate: entry.gate.clone(),
        length,
        terms: postings.iter().map(|(t, _)| t.clone()).collect(),
    };
    let card = Card::of(&doc, entry.hint);
    records::put(txn, key, &doc, &card, postings)
}

/// Gives the card of record `id` of `kind`, indexed before cards existed, the `hint` its domain
/// gives when indexing it now (schema version 29: so that an upgraded file's search needs no
/// record reads either); nothing when the record is not indexed.
pub(crate) fn give_hint(txn: &WriteTxn, kind: SearchKind, id: u64, hint: u64) -> Result<()> {
    records::hint_card(txn, reference(kind, id), hint).map(drop)
}

/// Removes the record `id` of `kind` from the index (when it is unpublished, hidden or gone).
pub(crate) fn remove(txn: &WriteTxn, kind: SearchKind, id: u64) -> Result<()> {
    records::remove(txn, reference(kind, id))
}

/// What the index holds of the records of one kind, for the owning domain's integrity check:
/// a record it shows must be one its domain would index, with the hint the domain would give.
pub(crate) struct Indexed<'t> {
    cards: records::Cards<'t>,
    kind: SearchKind,
}

impl Indexed<'_> {
    /// `None` when record `id` is not indexed, else the hint on its card.
    pub fn hint(&self, id: u64) -> Result<Option<Option<u64>>> {
        Ok(self.cards.get(reference(self.kind, id))?.map(|card| card.hint))
    }
}

/// The index's records of `kind` (see [`Indexed`]).
pub(crate) fn indexed(txn: &impl Reader, kind: SearchKind) -> Result<Indexed<'_>> {
    Ok(Indexed { cards: records::cards(txn)?, kind })
}

/// The index terms of one field: every analysed word, for German and Danish its compound
/// parts, and for German the relatives of its verb forms (told from nouns by the capital).
pub(crate) fn terms(field: &str, language: &str) -> Vec<String> {
    let language = language.to_ascii_lowercase();
    let (german, splits) = (language == "de", language == "de" || language == "da");
    let mut out = Vec::new();
    // A word as written gives the same parts and relatives every time it recurs (an article
    // names its subject dozens of times): each is split and stemmed once per field.
    let mut derived: HashMap<&str, Vec<String>> = HashMap::new();
    for token in text::analyse(field, Some(&language)) {
        if splits {
            let written = &field[token.start..token.end];
            let extra =
                derived.entry(written).or_insert_with(|| derived_terms(written, &token.term, &language, german));
            out.extend(extra.iter().cloned());
        }
        out.push(token.term);
    }
    out
}

/// The compound parts of a word as `written` and, for German, the relatives of its verb forms
/// other than its own `term`.
fn derived_terms(written: &str, term: &str, language: &str, german: bool) -> Vec<String> {
    let word = text::fold(written);
    let mut out = text::compound_stems_in(&word, language);
    if german {
        let noun = written.chars().next().is_some_and(char::is_uppercase);
        out.extend(text::german_relatives(&word, noun).into_iter().filter(|r| r != term));
    }
    out
}

/// The search's part in the person's rights (`crate::rights`). The index holds no record of its
/// own about a person (no author, no query log), so an export adds nothing; an erasure that
/// deletes the person's content takes every thread they started out of the index, terms and
/// stored snippet included, so no word of it is found again: the removal is merged into the
/// blocks with every open segment at once, so that neither a segment nor a block keeps them.
/// Kept content ("former member") stays findable as the conversation it belongs to.
pub(crate) const PERSONAL: Personal = Personal { export: |_, _, _| Ok(()), erase };

fn erase(txn: &WriteTxn, erasure: &mut Erasure) -> Result<()> {
    if !erasure.content_deleted {
        return Ok(());
    }
    let threads: Vec<u64> =
        erasure.authored.iter().filter_map(|t| t.strip_prefix("thread:")).filter_map(|id| id.parse().ok()).collect();
    let keys: Vec<u64> = threads.iter().map(|id| reference(SearchKind::Thread, *id)).collect();
    records::remove_now(txn, &keys)?;
    erasure.count("search index entries", threads.len() as u64);
    Ok(())
}
