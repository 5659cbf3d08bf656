//! A main block's bytes: per posting, the distance from the previous document (from the
//! block's key for the first, so 0) as a LEB128 varint, then the rest of the posting as its
//! type packs it ([`Packed`]). For the forums' and the job board's [`super::Posting`] that is
//! tf, length and day (little-endian): the same bytes the forums' index has written since it
//! had blocks, so the blocks of older files are this index's main postings unchanged.

use super::Packed;
use crate::error::{Error, Result};

pub(super) fn encode<P: Packed>(block: &[P]) -> Vec<u8> {
    let mut out = Vec::with_capacity(block.len() * 8);
    let mut previous = block.first().map_or(0, |p| p.doc());
    for p in block {
        put_varint(&mut out, p.doc() - previous);
        previous = p.doc();
        p.pack(&mut out);
    }
    out
}

pub(super) fn decode_into<P: Packed>(bytes: &[u8], key: u64, name: &str, out: &mut Vec<P>) -> Result<()> {
    decode_each(bytes, key, name, |p| out.push(*p))
}

/// Calls `each` with every posting of a block, as it is decoded.
pub(super) fn decode_each<P: Packed>(bytes: &[u8], key: u64, name: &str, mut each: impl FnMut(&P)) -> Result<()> {
    let damaged = || Error::storage(format!("a {name} index block (document {key}) is damaged"));
    let mut previous = key;
    let mut input = bytes;
    while !input.is_empty() {
        let delta = take_varint(&mut input).ok_or_else(damaged)?;
        let doc = previous.checked_add(delta).ok_or_else(damaged)?;
        previous = doc;
        each(&P::unpack(doc, &mut input).ok_or_else(damaged)?);
    }
    Ok(())
}

/// Appends `value` as a LEB128 varint.
pub(super) fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Reads a LEB128 varint from the front of `input`; `None` when it is cut off or too long.
pub(super) fn take_varint(input: &mut &[u8]) -> Option<u64> {
    let (mut value, mut shift) = (0u64, 0u32);
    loop {
        let (&byte, rest) = input.split_first()?;
        *input = rest;
        value |= u64::from(byte & 0x7f).checked_shl(shift)?;
        if byte & 0x80 == 0 {
            return Some(value);
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::Posting;
    use super::*;

    proptest! {
        #[test]
        fn blocks_round_trip(mut docs in proptest::collection::btree_set(1u64..u64::MAX / 2, 1..300), tf: u8, day: u16) {
            let block: Vec<Posting> = std::mem::take(&mut docs)
                .into_iter()
                .map(|doc| Posting { doc, tf, length: 7, day })
                .collect();
            let mut back: Vec<Posting> = Vec::new();
            decode_into(&encode(&block), block[0].doc, "test", &mut back).unwrap();
            prop_assert_eq!(back, block);
        }

        #[test]
        fn quantised_lengths_stay_within_five_percent(length in 1u32..65_000) {
            let back = super::super::length_of(super::super::quantise_length(length));
            prop_assert!((f64::from(back) - f64::from(length)).abs() <= 0.05 * f64::from(length) + 1.0, "{} → {}", length, back);
        }
    }

    #[test]
    fn a_damaged_block_is_a_storage_error() {
        let mut out: Vec<Posting> = Vec::new();
        let err = decode_into(&[0x80, 0x80], 1, "test", &mut out).unwrap_err();
        assert!(matches!(err, Error::Storage { .. }), "{err:?}");
    }
}
