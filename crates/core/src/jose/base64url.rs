//! Strict base64url (RFC 7515 §2 and appendix C): URL-safe alphabet, no padding, no whitespace,
//! and canonical trailing bits, so that each byte string has exactly one accepted encoding.

use alloc::vec::Vec;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Decodes strict base64url. `None` for padding, whitespace, `+`/`/`, an impossible length or
/// non-zero trailing bits.
pub fn decode(s: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(s).ok()
}

/// Encodes as unpadded base64url.
pub fn encode(bytes: &[u8]) -> alloc::string::String {
    URL_SAFE_NO_PAD.encode(bytes)
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
            ("-_8", Some(&[0xfb, 0xff])),
            ("Zg==", None),   // padding
            ("Zm 9v", None),  // whitespace
            ("Zm9v\n", None), // newline
            ("+/8", None),    // standard alphabet
            ("Zh", None),     // non-canonical trailing bits (Zg is canonical)
            ("Z", None),      // impossible length
            ("Zm9v.", None),  // separator
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
}
