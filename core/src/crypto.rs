//! Encryption at rest: every enquiry has its own random data key, stored only wrapped
//! (XChaCha20-Poly1305) under the platform content key the host supplies, with the enquiry id
//! as associated data. Each message is sealed under the data key with the enquiry and message
//! ids as associated data, so a sealed body cannot be moved to another case or message.
//! Purging a case deletes its wrapped key: what may linger in free pages cannot be opened.
//!
//! Stored form of every sealed value: 24-byte random nonce, then ciphertext and tag
//! (XChaCha20-Poly1305, [`Cipher`]).

use blake2::Blake2bMac;
use blake2::digest::consts::U16;
use blake2::digest::{FixedOutput, Update};
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, Nonce, UnboundKey};
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, Result};

const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;
/// What the key check seals: opening it proves the content key is the platform's.
const KEY_CHECK: &[u8] = b"trialog counselling content key";

/// The platform's content key: 32 secret bytes the host keeps outside the database file.
/// Zeroed when dropped; never printed.
#[derive(Clone)]
pub struct ContentKey(Zeroizing<[u8; KEY_LEN]>);

impl std::fmt::Debug for ContentKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ContentKey(..)")
    }
}

impl ContentKey {
    /// A new random key.
    pub fn generate() -> Result<Self> {
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        random(bytes.as_mut())?;
        Ok(ContentKey(bytes))
    }

    /// The key from its 32 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let array: [u8; KEY_LEN] = bytes.try_into().map_err(|_| {
            Error::invalid("content_key", format!("has {} bytes; a content key has exactly {KEY_LEN}", bytes.len()))
        })?;
        Ok(ContentKey(Zeroizing::new(array)))
    }

    /// The key from a key file: 64 hexadecimal digits (surrounding white space ignored), as
    /// [`ContentKey::to_hex`] writes them, or the 32 raw bytes.
    pub fn from_file_contents(contents: &[u8]) -> Result<Self> {
        let text = std::str::from_utf8(contents).map(str::trim).unwrap_or_default();
        if text.len() == 2 * KEY_LEN {
            let bytes = Zeroizing::new(
                (0..KEY_LEN)
                    .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16))
                    .collect::<std::result::Result<Vec<u8>, _>>()
                    .map_err(|_| Error::invalid("content_key", "is not 64 hexadecimal digits"))?,
            );
            return Self::from_bytes(&bytes);
        }
        Self::from_bytes(contents)
    }

    /// The key's 32 bytes, for a host that keeps them in its own key store.
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(self.0.to_vec())
    }

    /// The key as 64 hexadecimal digits, for a key file.
    pub fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex(self.0.as_ref()))
    }

    fn cipher(&self) -> Cipher {
        cipher(self.0.as_ref())
    }

    /// A keyed tag of a typed case code: what the wrong-secret throttle is filed under, so that
    /// the file never holds codes that were only tried, and tags cannot be linked to codes
    /// without the key.
    pub(crate) fn code_tag(&self, code: &str) -> String {
        let mut mac = <Blake2bMac<U16> as blake2::digest::KeyInit>::new_from_slice(self.0.as_ref())
            .expect("a 32-byte key suits BLAKE2b");
        mac.update(b"case-code\0");
        mac.update(code.as_bytes());
        hex(&mac.finalize_fixed())
    }

    /// Seals the key check value that proves later that the same key is in use.
    pub(crate) fn key_check(&self) -> Result<Vec<u8>> {
        seal(&self.cipher(), KEY_CHECK, b"key-check")
    }

    /// Whether `sealed` (from [`ContentKey::key_check`]) was made with this key.
    pub(crate) fn verify_check(&self, sealed: &[u8]) -> Result<()> {
        open(&self.cipher(), sealed, b"key-check").map(drop).map_err(|_| wrong_key())
    }

    /// A new data key for `enquiry`, and its wrapped form for storage.
    pub(crate) fn new_data_key(&self, enquiry: u64) -> Result<(DataKey, Vec<u8>)> {
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        random(bytes.as_mut())?;
        let wrapped = seal(&self.cipher(), bytes.as_ref(), &key_ad(enquiry))?;
        Ok((DataKey(cipher(bytes.as_ref())), wrapped))
    }

    /// Unwraps the stored data key of `enquiry`.
    pub(crate) fn data_key(&self, enquiry: u64, wrapped: &[u8]) -> Result<DataKey> {
        let bytes = Zeroizing::new(open(&self.cipher(), wrapped, &key_ad(enquiry)).map_err(|_| wrong_key())?);
        if bytes.len() != KEY_LEN {
            return Err(Error::storage(format!("the data key of enquiry {enquiry} is damaged")));
        }
        Ok(DataKey(cipher(&bytes)))
    }
}

/// One person's data key (crypto-shredding, `store::keyring`), unwrapped for the length of an
/// operation. Each sealed field names its place (record and field) as associated data, so a
/// sealed value cannot be moved to another record or person.
pub(crate) struct PersonKey(Cipher);

impl PersonKey {
    /// The key from its 32 bytes, as the key store keeps or unwraps them.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        if bytes.len() != KEY_LEN {
            return Err(Error::storage(format!("a person's key has {} bytes instead of {KEY_LEN}", bytes.len())));
        }
        Ok(PersonKey(cipher(bytes)))
    }

    /// Seals `plain` for `place`.
    pub fn seal(&self, place: &[u8], plain: &[u8]) -> Result<Vec<u8>> {
        seal(&self.0, plain, place)
    }

    /// Seals `plain` for `place` with a nonce from `nonces` (a batch's kernel randomness).
    pub fn seal_with(&self, nonces: &mut Nonces, place: &[u8], plain: &[u8]) -> Result<Vec<u8>> {
        seal_at(&self.0, nonces.next()?, plain, place)
    }

    /// Opens a value sealed for `place`; `None` when it does not open (another key or place,
    /// or damaged).
    pub fn open(&self, place: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        open(&self.0, sealed, place).ok().map(Zeroizing::new)
    }
}

/// A keyed hash (BLAKE2b as a MAC, 128 bits, as hex) of `value` for `purpose` under `key`:
/// what a uniqueness index is keyed by when the value itself must not lie in the file (the
/// pseudonym index). Without the key, a tag cannot be linked to a value, not even by trying
/// every likely name.
pub(crate) fn keyed_tag(key: &[u8], purpose: &[u8], value: &[u8]) -> Result<String> {
    let mut mac = <Blake2bMac<U16> as blake2::digest::KeyInit>::new_from_slice(key)
        .map_err(|_| Error::storage(format!("an index key has {} bytes", key.len())))?;
    mac.update(purpose);
    mac.update(b"\0");
    mac.update(value);
    Ok(hex(&mac.finalize_fixed()))
}

/// `bytes` as lower-case hexadecimal digits. Built from a table rather than a `format!` per
/// byte: a pseudonym lookup hashes the name it looks up, and the sixteen small strings of the
/// formatted form were a tenth of the lookup.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(2 * bytes.len());
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// 32 new random bytes: a person's data key.
pub(crate) fn new_person_key() -> Result<Zeroizing<[u8; KEY_LEN]>> {
    let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
    random(bytes.as_mut())?;
    Ok(bytes)
}

/// One enquiry's data key, unwrapped for the length of an operation.
pub(crate) struct DataKey(Cipher);

impl DataKey {
    /// Seals a message body of `enquiry`.
    pub fn seal(&self, enquiry: u64, message: u64, plain: &[u8]) -> Result<Vec<u8>> {
        seal(&self.0, plain, &message_ad(enquiry, message))
    }

    /// Opens a sealed message body of `enquiry`.
    pub fn open(&self, enquiry: u64, message: u64, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        open(&self.0, sealed, &message_ad(enquiry, message))
            .map(Zeroizing::new)
            .map_err(|_| Error::storage(format!("message {message} of enquiry {enquiry} cannot be decrypted")))
    }
}

pub(crate) fn missing_key() -> Error {
    Error::invalid(
        "content_key",
        "counselling needs the platform content key: pass it in the platform options (the CLI: --content-key-file)",
    )
}

fn wrong_key() -> Error {
    Error::invalid("content_key", "is not the key this platform's counselling content was encrypted with")
}

/// Fills `out` from the operating system's random source.
pub(crate) fn random(out: &mut [u8]) -> Result<()> {
    getrandom::fill(out).map_err(|e| Error::storage(format!("no randomness available: {e}")))
}

/// The cipher of a key already checked to have 32 bytes.
fn cipher(key: &[u8]) -> Cipher {
    let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
    bytes.copy_from_slice(key);
    Cipher(bytes)
}

/// XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03): HChaCha20 turns the key and the nonce's
/// first 16 bytes into a subkey, under which ChaCha20-Poly1305 (RFC 8439) seals with the
/// nonce's last 8 bytes. Built from RustCrypto's HChaCha20 and ring's ChaCha20-Poly1305
/// because a thread page opens twenty short texts and the fixed cost per value decided its
/// time: 0.6 µs against RustCrypto's whole AEAD's 2.7 µs for a 400-byte post. The bytes are
/// the same as RustCrypto's (a test seals with one and opens with the other), so nothing
/// stored changes.
struct Cipher(Zeroizing<[u8; KEY_LEN]>);

impl Cipher {
    /// The subkey and 12-byte nonce of ChaCha20-Poly1305 for one value's 24-byte `nonce`
    /// (ring keeps its copy of the subkey unzeroed for the length of one call).
    fn for_nonce(&self, nonce: &[u8; NONCE_LEN]) -> (LessSafeKey, Nonce) {
        let (head, tail) = nonce.split_at(16);
        let head: &[u8; 16] = head.try_into().expect("16 of 24 bytes");
        let mut subkey = chacha20::hchacha::<chacha20::R20>((&*self.0).into(), head.into());
        let key = UnboundKey::new(&CHACHA20_POLY1305, subkey.as_slice()).expect("a subkey has 32 bytes");
        subkey.as_mut_slice().zeroize();
        let mut short = [0u8; 12];
        short[4..].copy_from_slice(tail);
        (LessSafeKey::new(key), Nonce::assume_unique_for_key(short))
    }
}

fn seal(cipher: &Cipher, plain: &[u8], ad: &[u8]) -> Result<Vec<u8>> {
    let mut nonce = [0u8; NONCE_LEN];
    random(&mut nonce)?;
    seal_at(cipher, nonce, plain, ad)
}

fn seal_at(cipher: &Cipher, nonce: [u8; NONCE_LEN], plain: &[u8], ad: &[u8]) -> Result<Vec<u8>> {
    let (key, short) = cipher.for_nonce(&nonce);
    let mut out = Vec::with_capacity(NONCE_LEN + plain.len() + CHACHA20_POLY1305.tag_len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(plain);
    let tag = key
        .seal_in_place_separate_tag(short, Aad::from(ad), &mut out[NONCE_LEN..])
        .map_err(|_| Error::storage("encryption failed"))?;
    out.extend_from_slice(tag.as_ref());
    Ok(out)
}

fn open(cipher: &Cipher, sealed: &[u8], ad: &[u8]) -> std::result::Result<Vec<u8>, ()> {
    if sealed.len() < NONCE_LEN {
        return Err(());
    }
    let (nonce, body) = sealed.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(drop)?;
    let (key, short) = cipher.for_nonce(&nonce);
    let mut buf = body.to_vec();
    let len = match key.open_in_place(short, Aad::from(ad), &mut buf) {
        Ok(plain) => plain.len(),
        Err(_) => {
            buf.zeroize();
            return Err(());
        }
    };
    buf.truncate(len);
    Ok(buf)
}

fn key_ad(enquiry: u64) -> Vec<u8> {
    [b"key".as_slice(), &enquiry.to_be_bytes()].concat()
}

fn message_ad(enquiry: u64, message: u64) -> Vec<u8> {
    [b"msg".as_slice(), &enquiry.to_be_bytes(), &message.to_be_bytes()].concat()
}

/// Random nonces for a batch of sealings, read from the kernel a block at a time rather than
/// one system call per value. Each nonce is handed out once; they are as random as those
/// [`seal`] draws singly (the same source), and public anyway (they lie beside the ciphertext).
pub(crate) struct Nonces {
    block: Vec<u8>,
    used: usize,
}

/// Nonces read from the kernel at once: 170 sealings per system call.
const NONCE_BLOCK: usize = 170 * NONCE_LEN;

impl Nonces {
    pub fn new() -> Self {
        Nonces { block: Vec::new(), used: 0 }
    }

    fn next(&mut self) -> Result<[u8; NONCE_LEN]> {
        if self.used + NONCE_LEN > self.block.len() {
            self.block.resize(NONCE_BLOCK, 0);
            random(&mut self.block)?;
            self.used = 0;
        }
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&self.block[self.used..self.used + NONCE_LEN]);
        self.used += NONCE_LEN;
        Ok(nonce)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_sealing_opens_as_single_sealing_and_never_repeats_a_nonce() {
        let key = PersonKey::from_bytes(new_person_key().unwrap().as_ref()).unwrap();
        let mut nonces = Nonces::new();
        // Past two blocks of nonces, so a refill is crossed.
        let sealed: Vec<Vec<u8>> =
            (0..400u32).map(|i| key.seal_with(&mut nonces, b"place", &i.to_be_bytes()).unwrap()).collect();
        for (i, value) in (0..400u32).zip(&sealed) {
            assert_eq!(key.open(b"place", value).unwrap().as_slice(), i.to_be_bytes(), "value {i} opens");
            assert!(key.open(b"elsewhere", value).is_none(), "value {i} is bound to its place");
        }
        let distinct: std::collections::HashSet<&[u8]> = sealed.iter().map(|s| &s[..NONCE_LEN]).collect();
        assert_eq!(distinct.len(), sealed.len(), "a nonce was used twice");
    }

    #[test]
    fn sealed_bodies_open_only_with_their_key_and_place() {
        let key = ContentKey::generate().unwrap();
        let (data, wrapped) = key.new_data_key(7).unwrap();
        let sealed = data.seal(7, 1, b"Ich kann nicht mehr schlafen").unwrap();
        assert!(!sealed.windows(8).any(|w| w == b"schlafen"));
        let again = key.data_key(7, &wrapped).unwrap();
        assert_eq!(again.open(7, 1, &sealed).unwrap().as_slice(), b"Ich kann nicht mehr schlafen");
        assert!(again.open(7, 2, &sealed).is_err(), "moved to another message");
        assert!(key.data_key(8, &wrapped).is_err(), "moved to another enquiry");
        let other = ContentKey::generate().unwrap();
        let err = other.data_key(7, &wrapped).err().unwrap();
        assert!(matches!(err, Error::InvalidInput { ref field, .. } if field == "content_key"), "{err:?}");
    }

    /// The construction is XChaCha20-Poly1305 byte for byte: what either seals, the other
    /// opens (values sealed before the construction changed stay readable).
    #[test]
    fn sealing_is_rustcrypto_xchacha20poly1305() {
        use chacha20poly1305::aead::{Aead, KeyInit, Payload};
        use chacha20poly1305::{XChaCha20Poly1305, XNonce};
        for len in [0usize, 1, 15, 16, 17, 63, 64, 65, 400, 4_097] {
            let key = new_person_key().unwrap();
            let ours = cipher(key.as_ref());
            let reference = XChaCha20Poly1305::new_from_slice(key.as_ref()).unwrap();
            let plain: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            let ad = format!("post/{len}");
            let sealed = seal(&ours, &plain, ad.as_bytes()).unwrap();
            let (nonce, body) = sealed.split_at(NONCE_LEN);
            let xnonce = XNonce::try_from(nonce).unwrap();
            let opened = reference.decrypt(&xnonce, Payload { msg: body, aad: ad.as_bytes() });
            assert_eq!(opened.unwrap(), plain, "{len} bytes sealed by ours");
            let theirs = reference.encrypt(&xnonce, Payload { msg: &plain, aad: ad.as_bytes() });
            let theirs = [nonce, theirs.unwrap().as_slice()].concat();
            assert_eq!(theirs, sealed, "{len} bytes: the same nonce gives the same bytes");
            assert_eq!(open(&ours, &theirs, ad.as_bytes()).unwrap(), plain);
            assert!(open(&ours, &theirs, b"post/other").is_err(), "another place");
            let mut damaged = theirs.clone();
            *damaged.last_mut().unwrap() ^= 1;
            assert!(open(&ours, &damaged, ad.as_bytes()).is_err(), "a damaged tag");
            assert!(open(&ours, &theirs[..NONCE_LEN - 1], ad.as_bytes()).is_err(), "too short");
        }
    }

    #[test]
    fn hex_is_two_lower_case_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff, 0x3c]), "000fa0ff3c");
        assert_eq!(hex(&[]), "");
    }

    #[test]
    fn key_files_read_as_hex_or_raw_bytes() {
        let key = ContentKey::generate().unwrap();
        let hex = format!("{}\n", key.to_hex().as_str());
        let read = ContentKey::from_file_contents(hex.as_bytes()).unwrap();
        read.verify_check(&key.key_check().unwrap()).unwrap();
        assert!(ContentKey::from_file_contents(b"too short").is_err());
        assert_eq!(format!("{key:?}"), "ContentKey(..)");
    }
}
