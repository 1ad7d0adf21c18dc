//! Strict base64url (RFC 7515 §2 and appendix C): URL-safe alphabet, no padding, no whitespace,
//! and canonical trailing bits, so that each byte string has exactly one accepted encoding.
//!
//! The core's own code rather than the `base64` crate: the same verdicts (a test compares both
//! over every string of up to five characters of a mixed alphabet and random ones), at a fifth
//! of the WebAssembly (the crate's generic engine is about 5.7 KB there, this about 1 KB).

use alloc::string::String;
use alloc::vec::Vec;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Byte → its 6-bit value, or `INVALID` for a byte outside the alphabet. A `static`, not a
/// `const`: a `const` table may be copied onto the stack at each use.
const INVALID: u8 = 0xff;
const INVALID_BIT: u8 = 0x80;
// ok: evaluated at compile time, where an index out of bounds is a build error, not a panic.
#[allow(clippy::indexing_slicing)]
static DECODE: [u8; 256] = {
    let mut t = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        t[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// The 6-bit value of a byte, or `INVALID` (bit 7 set) for a byte outside the alphabet.
#[inline(always)]
fn value(c: u8) -> u8 {
    DECODE.get(usize::from(c)).copied().unwrap_or(INVALID)
}

/// Decodes strict base64url. `None` for padding, whitespace, `+`/`/`, an impossible length or
/// non-zero trailing bits. Validity is gathered as it goes (an invalid byte's value has bit 7
/// set) and checked once at the end, so the loop over the groups of four has no branch.
pub fn decode(s: &str) -> Option<Vec<u8>> {
    let input = s.as_bytes();
    let rest_len = input.len() % 4;
    if rest_len == 1 {
        return None;
    }
    let mut out = alloc::vec![0u8; input.len() / 4 * 3 + rest_len.saturating_sub(1)];
    let mut seen = 0u8;
    // Eight characters (48 bits) at a time, then what is left: one group of four, then a tail of
    // two or three characters. An invalid byte's bits spill into its neighbours' here, but such
    // input is refused once `seen` is checked.
    let whole = input.len() / 8;
    for (i, d) in out.chunks_exact_mut(6).take(whole).enumerate() {
        let Some(&[a, b, c, d0, e, f, g, h]) = input.get(i * 8..i * 8 + 8) else { break };
        let (a, b, c, d0, e, f, g, h) =
            (value(a), value(b), value(c), value(d0), value(e), value(f), value(g), value(h));
        seen |= a | b | c | d0 | e | f | g | h;
        // Each character at its place (no chain of shifts: the eight are independent).
        let word = u64::from(a) << 42
            | u64::from(b) << 36
            | u64::from(c) << 30
            | u64::from(d0) << 24
            | u64::from(e) << 18
            | u64::from(f) << 12
            | u64::from(g) << 6
            | u64::from(h);
        // Byte by byte from the word (no byte swap: WebAssembly has none, and `to_be_bytes` costs
        // a dozen instructions there).
        if let [o0, o1, o2, o3, o4, o5] = d {
            *o0 = (word >> 40) as u8;
            *o1 = (word >> 32) as u8;
            *o2 = (word >> 24) as u8;
            *o3 = (word >> 16) as u8;
            *o4 = (word >> 8) as u8;
            *o5 = word as u8;
        }
    }
    let left = input.get(whole * 8..).unwrap_or_default();
    let written = input.len() / 8 * 6;
    let mut word = 0u32;
    for (i, &c) in left.iter().enumerate() {
        let v = value(c);
        seen |= v;
        word = word << 6 | u32::from(v & 63);
        if i == 3 {
            if let Some([o0, o1, o2]) = out.get_mut(written..written + 3) {
                *o0 = (word >> 16) as u8;
                *o1 = (word >> 8) as u8;
                *o2 = word as u8;
            }
            word = 0;
        }
    }
    let tail = left.len() % 4;
    if tail != 0 {
        // Two characters carry one byte and 4 spare bits; three carry two bytes and 2 spare bits.
        let spare = if tail == 2 { 4 } else { 2 };
        if word & ((1 << spare) - 1) != 0 {
            return None;
        }
        let [_, _, a, b] = (word >> spare).to_be_bytes();
        let at = written + if left.len() > 4 { 3 } else { 0 };
        match out.get_mut(at..) {
            Some([x]) => *x = b,
            Some([x, y]) => {
                *x = a;
                *y = b;
            }
            _ => {}
        }
    }
    (seen & INVALID_BIT == 0).then_some(out)
}

/// Encodes as unpadded base64url.
pub fn encode(bytes: &[u8]) -> String {
    let letter = |word: u32, shift: u32| ALPHABET.get((word >> shift & 63) as usize).copied().unwrap_or(b'A');
    let mut out = Vec::with_capacity(bytes.len().div_ceil(3) * 4);
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
    // Only alphabet letters were written.
    String::from_utf8(out).unwrap_or_default()
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
