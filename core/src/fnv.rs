//! FNV-1a, the crate's one stable hash: the same number in every build and process, where the
//! standard library's hasher is seeded anew. It names what is stored or compared across runs —
//! the crisis model's feature hashes (`model.bin` holds weights by them), the text index's term
//! fingerprints, the PostgreSQL pool's schema prefix — and, as [`Fnv`], hashes the small word
//! keys of the crisis detector's maps, where SipHash's cost showed.

use std::hash::{BuildHasherDefault, Hasher};

/// The hash of no bytes (FNV-1a's offset basis).
pub(crate) const START: u64 = 0xcbf2_9ce4_8422_2325;
/// FNV's 64-bit prime.
const PRIME: u64 = 0x0100_0000_01b3;

/// FNV-1a continued over `bytes` from `hash`: `more(START, b"ab") == more(more(START, b"a"), b"b")`,
/// so a common prefix (a feature's kind) is hashed once.
pub(crate) fn more(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(PRIME))
}

/// FNV-1a as a [`Hasher`], for maps whose keys are short words ([`Fnv`]).
pub(crate) struct FnvHasher(u64);

impl Default for FnvHasher {
    fn default() -> Self {
        FnvHasher(START)
    }
}

impl Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0 = more(self.0, bytes);
    }
}

/// Builds [`FnvHasher`]s for a `HashMap`.
pub(crate) type Fnv = BuildHasherDefault<FnvHasher>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gives_the_published_fnv_1a_values() {
        // The 64-bit FNV-1a test vectors of the FNV reference ("", "a", "foobar").
        assert_eq!(more(START, b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(more(START, b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(more(START, b"foobar"), 0x8594_4171_f739_67e8);
        assert_eq!(more(more(START, b"foo"), b"bar"), more(START, b"foobar"));
        let mut hasher = FnvHasher::default();
        hasher.write(b"foobar");
        assert_eq!(hasher.finish(), 0x8594_4171_f739_67e8);
    }
}
