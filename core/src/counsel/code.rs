//! Case codes and secrets: random, from an alphabet without look-alikes (no 0/O, 1/I/L, U),
//! grouped for typing. A code has 8 characters (30⁸ ≈ 6.6·10¹¹), a secret 20 (≈ 98 bits).
//! Input is normalised before use: case, spaces and hyphens do not matter.

use crate::error::{Error, Result};

const ALPHABET: &[u8; 30] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_LEN: usize = 8;
const SECRET_LEN: usize = 20;

/// A new case code: `K7F3-9QXM`.
pub(crate) fn new_case_code() -> Result<String> {
    Ok(grouped(&draw(CODE_LEN)?, 4))
}

/// A new secret: `4 × 5` characters joined by hyphens.
pub(crate) fn new_secret() -> Result<String> {
    Ok(grouped(&draw(SECRET_LEN)?, 5))
}

/// The stored form of a typed case code (`k7f3 9qxm` → `K7F3-9QXM`); malformed codes are
/// `InvalidInput { field: "case_code" }`.
pub(crate) fn normalise_code(typed: &str) -> Result<String> {
    let plain = plain(typed);
    if plain.len() != CODE_LEN || !plain.bytes().all(|b| ALPHABET.contains(&b)) {
        return Err(Error::invalid("case_code", "is not a case code such as K7F3-9QXM"));
    }
    Ok(grouped(&plain, 4))
}

/// The form a secret is hashed in.
pub(crate) fn normalise_secret(typed: &str) -> Result<String> {
    let plain = plain(typed);
    if plain.is_empty() || plain.len() > 64 {
        return Err(Error::invalid("secret", "is not a case secret"));
    }
    Ok(plain)
}

fn plain(typed: &str) -> String {
    typed.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_uppercase).collect()
}

fn draw(len: usize) -> Result<String> {
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 32];
    while out.len() < len {
        crate::crypto::random(&mut buf)?;
        // Rejection sampling keeps every character equally likely (240 = 8 × 30).
        out.extend(
            buf.iter().filter(|b| **b < 240).map(|b| ALPHABET[(*b % 30) as usize] as char).take(len - out.len()),
        );
    }
    Ok(out)
}

fn grouped(plain: &str, size: usize) -> String {
    let chars: Vec<char> = plain.chars().collect();
    chars.chunks(size).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_grouped_unambiguous_and_forgiving_to_type() {
        let code = new_case_code().unwrap();
        assert_eq!(code.len(), 9);
        assert_eq!(&code[4..5], "-");
        assert!(!code.contains(['0', 'O', '1', 'I', 'L', 'U']));
        let typed = code.to_lowercase().replace('-', " ");
        assert_eq!(normalise_code(&typed).unwrap(), code);
        assert!(normalise_code("K7F3-9QX").is_err());
        assert!(normalise_code("K7F3-9QX0").is_err());
        let secret = new_secret().unwrap();
        assert_eq!(secret.split('-').count(), 4);
        assert_eq!(normalise_secret(&secret.to_lowercase()).unwrap(), secret.replace('-', ""));
    }
}
