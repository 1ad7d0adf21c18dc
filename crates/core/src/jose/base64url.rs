//! Strict base64url (RFC 7515 §2 and appendix C): URL-safe alphabet, no padding, no whitespace,
//! and canonical trailing bits, so that each byte string has exactly one accepted encoding.
//!
//! The core's own code rather than the `base64` crate: the same verdicts (a test compares both
//! over every string of up to five characters of a mixed alphabet and random ones), at a fifth
//! of the WebAssembly (the crate's generic engine is about 5.7 KB there, this about 1 KB).

use alloc::string::String;
use alloc::vec::Vec;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Byte → its 6-bit value, or `INVALID` for a byte outside the alphabet.
const INVALID: u8 = 0xff;
// ok: evaluated at compile time, where an index out of bounds is a build error, not a panic.
#[allow(clippy::indexing_slicing)]
const DECODE: [u8; 256] = {
    let mut t = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        t[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    t
};

fn sextet(c: u8) -> Option<u32> {
    let v = DECODE.get(usize::from(c)).copied().unwrap_or(INVALID);
    (v != INVALID).then_some(u32::from(v))
}

/// Decodes strict base64url. `None` for padding, whitespace, `+`/`/`, an impossible length or
/// non-zero trailing bits.
pub fn decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    if bytes.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3 + 2);
    let mut chunks = bytes.chunks_exact(4);
    for chunk in &mut chunks {
        let mut word = 0u32;
        for &c in chunk {
            word = word << 6 | sextet(c)?;
        }
        out.extend_from_slice(&[(word >> 16) as u8, (word >> 8) as u8, word as u8]);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = 0u32;
        for &c in rest {
            word = word << 6 | sextet(c)?;
        }
        // Two characters carry one byte and 4 spare bits; three carry two bytes and 2 spare bits.
        let (spare, len) = if rest.len() == 2 { (4, 1) } else { (2, 2) };
        if word & ((1 << spare) - 1) != 0 {
            return None;
        }
        word >>= spare;
        if len == 2 {
            out.push((word >> 8) as u8);
        }
        out.push(word as u8);
    }
    Some(out)
}

/// Encodes as unpadded base64url.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    let letter =
        |word: u32, shift: u32| char::from(ALPHABET.get((word >> shift & 63) as usize).copied().unwrap_or(b'A'));
    for chunk in bytes.chunks(3) {
        let mut word = 0u32;
        for (i, &b) in chunk.iter().enumerate() {
            word |= u32::from(b) << (16 - 8 * i);
        }
        // n bytes give n + 1 characters.
        for i in 0..=chunk.len() {
            out.push(letter(word, 18 - 6 * i as u32));
        }
    }
    out
}

/// Whether `s` is a *padded* but otherwise valid base64url string. Used only to recognise the
/// real-world deviation of `=`-padded `x5t` members in JWKS (a lenient-mode acceptance).
pub fn is_padded_variant(s: &str) -> bool {
    let trimmed = s.trim_end_matches('=');
    trimmed.len() != s.len() && s.len().is_multiple_of(4) && s.len() - trimmed.len() <= 2 && decode(trimmed).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        // (input, expected)
        let cases: &[(&str, Option<&[u8]>)] = &[
            ("", Some(b"")),
            ("Zg", Some(b"f")),
            ("Zm8", Some(b"fo")),
            ("Zm9v", Some(b"foo")),
            ("Zm9vYg", Some(b"foob")),
            ("-_8", Some(&[0xfb, 0xff])),
            ("____", Some(&[0xff, 0xff, 0xff])),
            ("AAAA", Some(&[0, 0, 0])),
            ("Zg==", None),     // padding
            ("Zg=", None),      // padding
            ("Zm 9v", None),    // whitespace
            ("Zm9v\n", None),   // newline
            ("+/8", None),      // standard alphabet
            ("Zh", None),       // non-canonical trailing bits (Zg is canonical)
            ("Zm9", None),      // non-canonical trailing bits (Zm8 is canonical)
            ("Z", None),        // impossible length
            ("Zm9vY", None),    // impossible length
            ("Zm9v.", None),    // separator
            ("Zm\u{e9}", None), // not ASCII
        ];
        for (input, expected) in cases {
            assert_eq!(decode(input).as_deref(), *expected, "input {input:?}");
        }
    }

    #[test]
    fn padded_variant() {
        assert!(is_padded_variant("XRpUI7DLiKM34JyQetPZ5-VC4E4="));
        assert!(!is_padded_variant("XRpUI7DLiKM34JyQetPZ5-VC4E4"));
        assert!(!is_padded_variant("Zg="));
        assert!(!is_padded_variant("Z==="));
    }

    #[test]
    fn round_trip() {
        for len in 0..40u8 {
            let bytes: Vec<u8> = (0..len).map(|i| i.wrapping_mul(37)).collect();
            assert_eq!(decode(&encode(&bytes)), Some(bytes));
        }
    }

    /// The verdicts and bytes of the `base64` crate's `URL_SAFE_NO_PAD`, which this replaced.
    #[test]
    fn same_as_the_base64_crate() {
        use base64::Engine as _;
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let check = |s: &str| {
            assert_eq!(decode(s), URL_SAFE_NO_PAD.decode(s).ok(), "decode {s:?}");
        };
        // Every string of up to five characters over letters that cover each class: the
        // alphabet's ends, trailing-bit patterns, the standard alphabet, padding, whitespace.
        let letters = ["A", "B", "P", "Q", "g", "h", "w", "z", "0", "9", "-", "_", "+", "/", "=", " ", "\n", ".", "é"];
        let mut level: Vec<String> = alloc::vec![String::new()];
        for _ in 0..5 {
            let mut next = Vec::new();
            for s in &level {
                check(s);
                for l in letters {
                    next.push(alloc::format!("{s}{l}"));
                }
            }
            level = next;
        }
        level.iter().for_each(|s| check(s));
        // Longer strings: pseudo-random bytes encoded, then one character changed.
        let mut x = 0x2545_f491_u32;
        for len in 0..200 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    x as u8
                })
                .collect();
            let text = encode(&bytes);
            assert_eq!(text, URL_SAFE_NO_PAD.encode(&bytes));
            check(&text);
            for (at, c) in [(0usize, 'A'), (len / 2, '='), (len, 'B'), (len * 4 / 3, '+')] {
                let mut t: Vec<char> = text.chars().collect();
                if let Some(slot) = t.get_mut(at) {
                    *slot = c;
                }
                check(&t.into_iter().collect::<String>());
            }
        }
    }
}
