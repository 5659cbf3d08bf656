//! The types a table may hold, and how each is laid out as order-preserving bytes.
//!
//! A [`Table`] names a keyspace and the types of its keys and values. Keys are unsigned and
//! signed integers, strings, byte strings and tuples of these; values also `()`. Every type
//! has one byte encoding whose plain byte order (`memcmp`) is the type's own order, so a
//! backend that only knows bytes — the in-memory one here, a PostgreSQL `bytea` primary key
//! later — sorts rows exactly as the typed redb tables do:
//!
//! | type | bytes |
//! |---|---|
//! | `u8`, `u32`, `u64` | big-endian |
//! | `i64` | big-endian with the sign bit flipped |
//! | `&str`, `&[u8]` last in a key | the bytes as they are |
//! | `&str`, `&[u8]` before the end | each `0x00` as `0x00 0xFF`, then `0x00 0x01` |
//! | `(A, B, …)` | the elements' bytes one after the other |
//! | `()` | nothing |
//!
//! The set of types is closed (the traits are implemented here only): the redb backend stores
//! each table with redb's native type of the same shape, so files written before this layer
//! existed open unchanged.

use std::fmt::Debug;
use std::marker::PhantomData;

use crate::error::{Error, Result};

/// A keyspace: its name in the file and the types of its keys and values.
///
/// ```ignore
/// const ORGS: Table<u64, &[u8]> = Table::new("orgs");
/// ```
pub(crate) struct Table<K: Key, V: Value> {
    name: &'static str,
    types: PhantomData<fn() -> (K, V)>,
}

impl<K: Key, V: Value> Table<K, V> {
    pub const fn new(name: &'static str) -> Self {
        Table { name, types: PhantomData }
    }

    /// The keyspace's name, as stored.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

impl<K: Key, V: Value> Clone for Table<K, V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K: Key, V: Value> Copy for Table<K, V> {}

/// A type a table can hold as a value. `SelfType<'a>` is the borrowed form callers pass and
/// read (`&'a str` for strings); `Owned` the form a backend that decodes bytes keeps.
pub(crate) trait Value: redb::Value + 'static {
    type Owned: Clone + Debug + PartialEq + Send + Sync + 'static;

    /// The borrowed form of a decoded value.
    fn borrow_owned(owned: &Self::Owned) -> Self::SelfType<'_>;

    /// Appends the order-preserving bytes of `value`; `last` when nothing follows it in a key.
    fn encode(value: &Self::SelfType<'_>, last: bool, out: &mut Vec<u8>);

    /// Reads one value from the front of `input`, advancing it.
    fn decode(input: &mut &[u8], last: bool) -> Result<Self::Owned>;
}

/// A type a table can be keyed by: a [`Value`] whose encoding sorts like the type.
pub(crate) trait Key: Value + redb::Key {}

/// Encodes a whole key or value.
pub(crate) fn encode_whole<T: Value>(value: &T::SelfType<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(16);
    T::encode(value, true, &mut out);
    out
}

/// Decodes a whole key or value; bytes left over mean the row is damaged.
pub(crate) fn decode_whole<T: Value>(mut bytes: &[u8]) -> Result<T::Owned> {
    let value = T::decode(&mut bytes, true)?;
    if !bytes.is_empty() {
        return Err(damaged("trailing bytes"));
    }
    Ok(value)
}

fn damaged(what: &str) -> Error {
    Error::storage(format!("a stored key or value is damaged: {what}"))
}

fn take<const N: usize>(input: &mut &[u8]) -> Result<[u8; N]> {
    let (head, rest) = input.split_first_chunk::<N>().ok_or_else(|| damaged("too short"))?;
    *input = rest;
    Ok(*head)
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl Value for $t {
            type Owned = $t;
            fn borrow_owned(owned: &$t) -> $t {
                *owned
            }
            fn encode(value: &$t, _last: bool, out: &mut Vec<u8>) {
                out.extend_from_slice(&value.to_be_bytes());
            }
            fn decode(input: &mut &[u8], _last: bool) -> Result<$t> {
                take(input).map(<$t>::from_be_bytes)
            }
        }
        impl Key for $t {}
    )*};
}

unsigned!(u8, u32, u64);

const SIGN: u64 = 1 << 63;

impl Value for i64 {
    type Owned = i64;
    fn borrow_owned(owned: &i64) -> i64 {
        *owned
    }
    fn encode(value: &i64, _last: bool, out: &mut Vec<u8>) {
        out.extend_from_slice(&((*value as u64) ^ SIGN).to_be_bytes());
    }
    fn decode(input: &mut &[u8], _last: bool) -> Result<i64> {
        take(input).map(|b| (u64::from_be_bytes(b) ^ SIGN) as i64)
    }
}

impl Key for i64 {}

impl Value for () {
    type Owned = ();
    fn borrow_owned(_: &()) {}
    fn encode(_: &(), _last: bool, _out: &mut Vec<u8>) {}
    fn decode(_: &mut &[u8], _last: bool) -> Result<()> {
        Ok(())
    }
}

impl Value for &'static [u8] {
    type Owned = Vec<u8>;
    fn borrow_owned(owned: &Vec<u8>) -> &[u8] {
        owned
    }
    fn encode(value: &&[u8], last: bool, out: &mut Vec<u8>) {
        encode_bytes(value, last, out);
    }
    fn decode(input: &mut &[u8], last: bool) -> Result<Vec<u8>> {
        decode_bytes(input, last)
    }
}

impl Key for &'static [u8] {}

impl Value for &'static str {
    type Owned = String;
    fn borrow_owned(owned: &String) -> &str {
        owned
    }
    fn encode(value: &&str, last: bool, out: &mut Vec<u8>) {
        encode_bytes(value.as_bytes(), last, out);
    }
    fn decode(input: &mut &[u8], last: bool) -> Result<String> {
        String::from_utf8(decode_bytes(input, last)?).map_err(|_| damaged("a string is not UTF-8"))
    }
}

impl Key for &'static str {}

/// Strings and byte strings before the end of a key are escaped and terminated, so that a
/// shorter one sorts before any longer one it begins (see the module documentation).
fn encode_bytes(bytes: &[u8], last: bool, out: &mut Vec<u8>) {
    if last {
        out.extend_from_slice(bytes);
        return;
    }
    for &b in bytes {
        out.push(b);
        if b == 0 {
            out.push(0xFF);
        }
    }
    out.extend_from_slice(&[0, 1]);
}

fn decode_bytes(input: &mut &[u8], last: bool) -> Result<Vec<u8>> {
    if last {
        let all = input.to_vec();
        *input = &[];
        return Ok(all);
    }
    let mut out = Vec::new();
    let mut rest = *input;
    loop {
        match rest {
            [0, 0xFF, tail @ ..] => {
                out.push(0);
                rest = tail;
            }
            [0, 1, tail @ ..] => {
                *input = tail;
                return Ok(out);
            }
            [b, tail @ ..] if *b != 0 => {
                out.push(*b);
                rest = tail;
            }
            _ => return Err(damaged("an unterminated string")),
        }
    }
}

macro_rules! tuple {
    ($($t:ident $i:tt),+ ; $last:ident $li:tt) => {
        impl<$($t: Value,)+ $last: Value> Value for ($($t,)+ $last) {
            type Owned = ($($t::Owned,)+ $last::Owned);
            fn borrow_owned(owned: &Self::Owned) -> Self::SelfType<'_> {
                ($($t::borrow_owned(&owned.$i),)+ $last::borrow_owned(&owned.$li))
            }
            fn encode(value: &Self::SelfType<'_>, last: bool, out: &mut Vec<u8>) {
                $($t::encode(&value.$i, false, out);)+
                $last::encode(&value.$li, last, out);
            }
            fn decode(input: &mut &[u8], last: bool) -> Result<Self::Owned> {
                Ok(($($t::decode(input, false)?,)+ $last::decode(input, last)?))
            }
        }
        impl<$($t: Key,)+ $last: Key> Key for ($($t,)+ $last) {}
    };
}

tuple!(A 0; B 1);
tuple!(A 0, B 1; C 2);
tuple!(A 0, B 1, C 2; D 3);
tuple!(A 0, B 1, C 2, D 3; E 4);

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes<K: Key>(key: K::SelfType<'_>) -> Vec<u8> {
        encode_whole::<K>(&key)
    }

    #[test]
    fn integer_keys_sort_as_numbers() {
        assert!(bytes::<u64>(255) < bytes::<u64>(256));
        assert!(bytes::<i64>(-1) < bytes::<i64>(0));
        assert!(bytes::<i64>(i64::MIN) < bytes::<i64>(-1));
        assert!(bytes::<i64>(1) < bytes::<i64>(i64::MAX));
    }

    #[test]
    fn strings_inside_keys_sort_before_their_extensions() {
        type K = (&'static str, u64);
        assert!(bytes::<K>(("a", u64::MAX)) < bytes::<K>(("a\0", 0)));
        assert!(bytes::<K>(("a\0", u64::MAX)) < bytes::<K>(("ab", 0)));
        assert!(bytes::<K>(("", 9)) < bytes::<K>(("\0", 0)));
    }

    #[test]
    fn every_type_reads_back_what_was_written() {
        type K = (&'static str, &'static str, i64, u8);
        let key = ("a\0b", "", -5, 7);
        let owned = decode_whole::<K>(&encode_whole::<K>(&key)).unwrap();
        assert_eq!(owned, ("a\0b".to_string(), String::new(), -5, 7));
        assert_eq!(<K as Value>::borrow_owned(&owned), key);
    }

    #[test]
    fn damaged_bytes_are_an_error_not_a_panic() {
        assert!(decode_whole::<u64>(&[1, 2, 3]).is_err());
        assert!(decode_whole::<(&'static str, u64)>(b"abc").is_err());
        assert!(decode_whole::<u32>(&[0, 0, 0, 1, 9]).is_err());
    }
}
