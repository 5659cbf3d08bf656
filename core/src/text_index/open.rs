//! The open segments as one search reads them: their bytes copied once out of the segment
//! table, and where each term's group of changes lies in them, sorted by term. A search asks
//! the vocabulary about a few dozen words and their variants, walks the terms under a letter
//! for spelling candidates, and then reads the changes to the few terms it looks up; each of
//! those finds its groups by a binary search here, so the segments are read once per search
//! and a group is decoded only when its term is asked for.

use std::ops::Range;

use super::segment::{self, Changes};
use super::{Change, Packed, Tables, records};
use crate::error::Result;
use crate::store::Reader;

/// Where one term's changes of one segment lie in [`OpenSegments::bytes`].
#[derive(Debug, Clone)]
struct Group {
    term: Range<usize>,
    changes: Range<usize>,
}

pub(super) struct OpenSegments {
    /// Every open segment's bytes, oldest first, one after the other.
    bytes: Vec<u8>,
    /// Every term's group in every segment, sorted by term and, for one term, oldest first.
    groups: Vec<Group>,
    /// The index's name, for messages.
    name: &'static str,
}

/// The open changes to one term: the last change per document, and the document count's
/// difference.
#[derive(Debug)]
pub(super) struct OpenChanges<P> {
    pub last: std::collections::BTreeMap<u64, Change<P>>,
    pub df: i64,
}

impl<P> Default for OpenChanges<P> {
    fn default() -> Self {
        OpenChanges { last: std::collections::BTreeMap::new(), df: 0 }
    }
}

impl OpenSegments {
    /// Reads every open segment of `tables` once.
    pub fn read<P: Packed>(txn: &impl Reader, tables: &Tables<P>) -> Result<OpenSegments> {
        let (mut bytes, mut groups) = (Vec::new(), Vec::new());
        records::for_each_segment(txn, tables, |segment| {
            let base = bytes.len();
            bytes.extend_from_slice(segment);
            segment::for_each_group_at(segment, tables.name, |_, term, changes| {
                let shift = |r: Range<usize>| r.start + base..r.end + base;
                groups.push(Group { term: shift(term), changes: shift(changes) });
                Ok(())
            })
        })?;
        // Stable: one term's groups stay in the order of their segments.
        groups.sort_by(|a, b| bytes[a.term.clone()].cmp(&bytes[b.term.clone()]));
        Ok(OpenSegments { bytes, groups, name: tables.name })
    }

    /// The groups of `term`, oldest first.
    fn groups_of(&self, term: &str) -> &[Group] {
        let key = term.as_bytes();
        let from = self.groups.partition_point(|g| &self.bytes[g.term.clone()] < key);
        let to = from + self.groups[from..].partition_point(|g| &self.bytes[g.term.clone()] == key);
        &self.groups[from..to]
    }

    fn changes<P: Packed>(&self, group: &Group) -> Changes<'_, P> {
        segment::changes(&self.bytes[group.changes.clone()], self.name)
    }

    /// What the open segments do to `term`'s document count.
    pub fn df_delta<P: Packed>(&self, term: &str) -> Result<i64> {
        self.groups_of(term).iter().map(|g| self.changes::<P>(g).df_delta()).sum()
    }

    /// The open changes to `term`, the last per document.
    pub fn changes_to<P: Packed>(&self, term: &str) -> Result<OpenChanges<P>> {
        let mut open = OpenChanges::default();
        for group in self.groups_of(term) {
            for change in self.changes::<P>(group) {
                let change = change?;
                open.df += change.df_delta();
                open.last.insert(change.doc(), change);
            }
        }
        Ok(open)
    }

    /// Every term beginning with `prefix` that the open segments change, once and in order,
    /// with what they do to its document count.
    pub fn with_prefix<P: Packed>(&self, prefix: &str) -> Result<Vec<(String, i64)>> {
        let key = prefix.as_bytes();
        let from = self.groups.partition_point(|g| &self.bytes[g.term.clone()] < key);
        let mut out: Vec<(String, i64)> = Vec::new();
        for group in self.groups[from..].iter().take_while(|g| self.bytes[g.term.clone()].starts_with(key)) {
            let delta = self.changes::<P>(group).df_delta()?;
            let term = &self.bytes[group.term.clone()];
            match out.last_mut() {
                Some((last, sum)) if last.as_bytes() == term => *sum += delta,
                _ => out.push((String::from_utf8_lossy(term).into_owned(), delta)),
            }
        }
        Ok(out)
    }

    /// Every term the open segments change, once and in order.
    pub fn terms(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for group in &self.groups {
            let term = &self.bytes[group.term.clone()];
            if out.last().is_none_or(|last| last.as_bytes() != term) {
                out.push(String::from_utf8_lossy(term).into_owned());
            }
        }
        out
    }
}
