//! An open segment's bytes: the changes of one transaction grouped by term.
//!
//! A format byte (1), then per term: its length and bytes, the length of its group, and the
//! group's changes in the order they were made — the document as a LEB128 varint, then 0 for
//! a removal, or 1 followed by the rest of the posting as its type packs it ([`Packed`]; tf,
//! length and day, little-endian, for [`super::Posting`]). The group's
//! length lets a search skip the terms it does not ask for without decoding them.

use std::ops::Range;

use super::block::{put_varint, take_varint};
use super::{Change, Packed};
use crate::error::{Error, Result};

const FORMAT: u8 = 1;
const REMOVE: u8 = 0;
const ADD: u8 = 1;

/// The segment of `changes` (grouped by term; a term's changes keep their order).
pub(super) fn encode<P: Packed>(changes: &[(String, Change<P>)]) -> Vec<u8> {
    let mut order: Vec<usize> = (0..changes.len()).collect();
    order.sort_by(|&a, &b| changes[a].0.cmp(&changes[b].0));
    let mut out = vec![FORMAT];
    let mut group = Vec::new();
    let mut at = 0;
    while at < order.len() {
        let term = changes[order[at]].0.as_str();
        group.clear();
        while at < order.len() && changes[order[at]].0 == term {
            put_change(&mut group, &changes[order[at]].1);
            at += 1;
        }
        put_varint(&mut out, term.len() as u64);
        out.extend_from_slice(term.as_bytes());
        put_varint(&mut out, group.len() as u64);
        out.extend_from_slice(&group);
    }
    out
}

/// Calls `each` with every term of the segment and a reader of its changes.
pub(super) fn for_each_group<P: Packed>(
    bytes: &[u8],
    name: &str,
    mut each: impl FnMut(&str, Changes<'_, P>) -> Result<()>,
) -> Result<()> {
    for_each_group_at(bytes, name, |term, _, group| each(term, changes(&bytes[group], name)))
}

/// Calls `each` with every term of the segment, where it lies in `bytes` and where its group
/// of changes lies, in the order they are stored.
pub(super) fn for_each_group_at<'a>(
    bytes: &'a [u8],
    name: &str,
    mut each: impl FnMut(&'a str, Range<usize>, Range<usize>) -> Result<()>,
) -> Result<()> {
    let damaged = || Error::storage(format!("an open segment of the {name} index is damaged"));
    let (&format, mut input) = bytes.split_first().ok_or_else(damaged)?;
    if format != FORMAT {
        return Err(Error::storage(format!("an open segment of the {name} index has the unknown format {format}")));
    }
    // Where `input`, a tail of `bytes`, begins in it.
    let at = |input: &[u8]| bytes.len() - input.len();
    while !input.is_empty() {
        let term = take_slice(&mut input).ok_or_else(damaged)?;
        let term_at = at(input) - term.len()..at(input);
        let term = std::str::from_utf8(term).map_err(|_| damaged())?;
        let group = take_slice(&mut input).ok_or_else(damaged)?;
        let group = at(input) - group.len()..at(input);
        each(term, term_at, group)?;
    }
    Ok(())
}

/// A reader of one group's changes (bytes [`for_each_group_at`] found).
pub(super) fn changes<'a, P>(group: &'a [u8], name: &'a str) -> Changes<'a, P> {
    Changes { input: group, name, posting: std::marker::PhantomData }
}

/// Calls `each` with every change of the segment, term by term.
pub(super) fn for_each_change<P: Packed>(
    bytes: &[u8],
    name: &str,
    mut each: impl FnMut(&str, Change<P>),
) -> Result<()> {
    for_each_group(bytes, name, |term, changes| {
        for change in changes {
            each(term, change?);
        }
        Ok(())
    })
}

/// The changes of one term in a segment, decoded as they are read.
pub(super) struct Changes<'a, P> {
    input: &'a [u8],
    name: &'a str,
    posting: std::marker::PhantomData<P>,
}

impl<P: Packed> Changes<'_, P> {
    /// What the group's changes do to the term's document count (under the contract: only new
    /// documents are added, only indexed ones removed), without keeping them.
    pub fn df_delta(self) -> Result<i64> {
        self.map(|change| change.map(|c| c.df_delta())).sum()
    }
}

impl<P: Packed> Iterator for Changes<'_, P> {
    type Item = Result<Change<P>>;

    fn next(&mut self) -> Option<Result<Change<P>>> {
        if self.input.is_empty() {
            return None;
        }
        let change = take_change(&mut self.input);
        if change.is_none() {
            self.input = &[];
        }
        Some(change.ok_or_else(|| Error::storage(format!("an open segment of the {} index is damaged", self.name))))
    }
}

fn put_change<P: Packed>(out: &mut Vec<u8>, change: &Change<P>) {
    match change {
        Change::Remove(doc) => {
            put_varint(out, *doc);
            out.push(REMOVE);
        }
        Change::Add(p) => {
            put_varint(out, p.doc());
            out.push(ADD);
            p.pack(out);
        }
    }
}

fn take_change<P: Packed>(input: &mut &[u8]) -> Option<Change<P>> {
    let doc = take_varint(input)?;
    let (&tag, rest) = input.split_first()?;
    *input = rest;
    match tag {
        REMOVE => Some(Change::Remove(doc)),
        ADD => P::unpack(doc, input).map(Change::Add),
        _ => None,
    }
}

fn take_slice<'a>(input: &mut &'a [u8]) -> Option<&'a [u8]> {
    let len = usize::try_from(take_varint(input)?).ok()?;
    let (slice, rest) = input.split_at_checked(len)?;
    *input = rest;
    Some(slice)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::Posting;
    use super::*;

    fn change() -> impl Strategy<Value = (String, Change<Posting>)> {
        let term = "[a-zäöü]{1,6}";
        let posting = (any::<u64>(), any::<u8>(), any::<u8>(), any::<u16>())
            .prop_map(|(doc, tf, length, day)| Change::Add(Posting { doc, tf, length, day }));
        (term, prop_oneof![posting, any::<u64>().prop_map(Change::Remove)])
    }

    proptest! {
        #[test]
        fn segments_keep_each_terms_changes_in_order(changes in proptest::collection::vec(change(), 0..60)) {
            let mut back: Vec<(String, Change)> = Vec::new();
            for_each_change(&encode(&changes), "test", |term, change: Change<Posting>| back.push((term.to_string(), change))).unwrap();
            let mut expected = changes.clone();
            expected.sort_by(|a, b| a.0.cmp(&b.0));
            prop_assert_eq!(back, expected);
        }

        #[test]
        fn a_cut_segment_never_panics(changes in proptest::collection::vec(change(), 1..20), cut in 0usize..1000) {
            let bytes = encode(&changes);
            let cut = cut % bytes.len();
            let _ = for_each_change(&bytes[..cut], "test", |_, _: Change<Posting>| {});
        }
    }

    #[test]
    fn an_unknown_format_is_a_storage_error() {
        let err = for_each_change(&[9, 1, b'a', 0], "forum", |_, _: Change<Posting>| {}).unwrap_err();
        assert!(matches!(err, Error::Storage { .. }), "{err:?}");
    }
}
