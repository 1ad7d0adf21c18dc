//! The JOSE layer's one error enum. Codes are API: never rename one (docs/error-codes.md).

use alloc::string::String;
use core::fmt;

use super::json::{JsonError, short};

/// Which part of a compact JWS a problem was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    /// The protected header (first segment).
    Header,
    /// The payload (second segment).
    Payload,
    /// The signature (third segment).
    Signature,
}

impl Segment {
    fn name(self) -> &'static str {
        match self {
            Segment::Header => "header",
            Segment::Payload => "payload",
            Segment::Signature => "signature",
        }
    }
}

/// Everything that can go wrong while parsing, selecting a key for, or verifying a JWS.
///
/// A failed signature is deliberately one opaque variant ([`JoseError::SignatureInvalid`]):
/// it says nothing about padding, salt or which step failed, so it cannot act as an oracle.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum JoseError {
    /// The compact JWS is longer than [`crate::Limits::max_token_bytes`].
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// Not a compact JWS: wrong number of segments, or an empty header.
    Malformed(&'static str),
    /// A segment is not strict base64url.
    Base64(Segment),
    /// The protected header is not a JSON object, repeats a member, is too deep, or a member
    /// has the wrong type.
    HeaderInvalid(String),
    /// The header `alg` is not one the caller's policy allows (`none`, `HS256`, `RS256`, ...).
    AlgNotAllowed(String),
    /// The header lists a `crit` extension this implementation does not understand.
    CritUnsupported(String),
    /// The header asks for the unencoded payload option (`b64: false`, RFC 7797).
    B64Unsupported,
    /// The signature has the wrong length for the algorithm and key (e.g. a DER ES256 signature).
    SignatureMalformed {
        /// Expected length in bytes.
        expected: usize,
        /// Actual length in bytes.
        actual: usize,
    },
    /// The signature does not verify.
    SignatureInvalid,
    /// The JWKS document is larger than [`crate::Limits::max_document_bytes`].
    JwksTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The JWKS is not a JSON object with a `keys` array (or a single JWK).
    JwksInvalid(String),
    /// The JWKS holds more keys than [`crate::Limits::max_jwks_keys`].
    TooManyKeys {
        /// The limit.
        limit: usize,
    },
    /// A JWK member is missing, has the wrong type or bad base64url, or the key is not valid
    /// (even modulus, bad exponent, point not on the curve).
    JwkInvalid {
        /// The key's `kid`, if any.
        kid: Option<String>,
        /// What is wrong.
        reason: String,
    },
    /// The key type is neither `RSA` nor `EC`.
    UnsupportedKty {
        /// The key's `kid`, if any.
        kid: Option<String>,
        /// The `kty` value.
        kty: String,
    },
    /// An EC key on a curve other than P-256.
    UnsupportedCurve {
        /// The key's `kid`, if any.
        kid: Option<String>,
        /// The `crv` value.
        crv: String,
    },
    /// An RSA modulus shorter than 2048 bits.
    KeyTooSmall {
        /// The key's `kid`, if any.
        kid: Option<String>,
        /// Modulus length in bits.
        bits: usize,
    },
    /// An RSA modulus longer than 8192 bits.
    KeyTooLarge {
        /// The key's `kid`, if any.
        kid: Option<String>,
        /// Modulus length in bits.
        bits: usize,
    },
    /// No key in the JWKS has the header's `kid`.
    KidNotFound(String),
    /// Keys exist but none may verify this algorithm (wrong `kty`, `use`, `alg` or `key_ops`).
    NoSuitableKey {
        /// The header's `kid`, if any.
        kid: Option<String>,
        /// Why the candidates were passed over.
        reason: String,
    },
    /// More than one key could verify and the header does not say which (no or duplicate `kid`).
    AmbiguousKey {
        /// The header's `kid`, if any.
        kid: Option<String>,
        /// How many keys matched.
        count: usize,
    },
}

/// Every code [`JoseError::code`] can return, for documentation checks.
pub const CODES: &[&str] = &[
    "jws.too_large",
    "jws.malformed",
    "jws.base64",
    "jws.header_invalid",
    "jws.alg_not_allowed",
    "jws.crit_unsupported",
    "jws.b64_unsupported",
    "jws.signature_malformed",
    "jws.signature_invalid",
    "jwks.too_large",
    "jwks.invalid",
    "jwks.too_many_keys",
    "jwk.invalid",
    "jwk.unsupported_kty",
    "jwk.unsupported_curve",
    "jwk.key_too_small",
    "jwk.key_too_large",
    "jwk.kid_not_found",
    "jwk.no_suitable_key",
    "jwk.ambiguous_key",
];

impl JoseError {
    /// The stable string code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            JoseError::TooLarge { .. } => "jws.too_large",
            JoseError::Malformed(_) => "jws.malformed",
            JoseError::Base64(_) => "jws.base64",
            JoseError::HeaderInvalid(_) => "jws.header_invalid",
            JoseError::AlgNotAllowed(_) => "jws.alg_not_allowed",
            JoseError::CritUnsupported(_) => "jws.crit_unsupported",
            JoseError::B64Unsupported => "jws.b64_unsupported",
            JoseError::SignatureMalformed { .. } => "jws.signature_malformed",
            JoseError::SignatureInvalid => "jws.signature_invalid",
            JoseError::JwksTooLarge { .. } => "jwks.too_large",
            JoseError::JwksInvalid(_) => "jwks.invalid",
            JoseError::TooManyKeys { .. } => "jwks.too_many_keys",
            JoseError::JwkInvalid { .. } => "jwk.invalid",
            JoseError::UnsupportedKty { .. } => "jwk.unsupported_kty",
            JoseError::UnsupportedCurve { .. } => "jwk.unsupported_curve",
            JoseError::KeyTooSmall { .. } => "jwk.key_too_small",
            JoseError::KeyTooLarge { .. } => "jwk.key_too_large",
            JoseError::KidNotFound(_) => "jwk.kid_not_found",
            JoseError::NoSuitableKey { .. } => "jwk.no_suitable_key",
            JoseError::AmbiguousKey { .. } => "jwk.ambiguous_key",
        }
    }

    pub(crate) fn header(e: &JsonError) -> Self {
        JoseError::HeaderInvalid(alloc::format!("protected header is {e}"))
    }
}

struct Kid<'a>(&'a Option<String>);
impl fmt::Display for Kid<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(k) => write!(f, "key \"{}\"", short(k)),
            None => f.write_str("key without kid"),
        }
    }
}

impl fmt::Display for JoseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JoseError::TooLarge { limit } => write!(f, "token is larger than {limit} bytes"),
            JoseError::Malformed(what) => write!(f, "not a compact JWS: {what}"),
            JoseError::Base64(seg) => {
                write!(f, "the {} segment is not unpadded base64url", seg.name())
            }
            JoseError::HeaderInvalid(why) => f.write_str(why),
            JoseError::AlgNotAllowed(alg) => {
                write!(f, "algorithm \"{}\" is not allowed (allowed: PS256, ES256 as configured)", short(alg))
            }
            JoseError::CritUnsupported(m) => {
                write!(f, "header marks \"{}\" as critical, which is not understood", short(m))
            }
            JoseError::B64Unsupported => f.write_str("unencoded payloads (b64: false) are not accepted"),
            JoseError::SignatureMalformed { expected, actual } => {
                write!(f, "signature is {actual} bytes; this algorithm and key need exactly {expected}")
            }
            JoseError::SignatureInvalid => f.write_str("signature verification failed"),
            JoseError::JwksTooLarge { limit } => write!(f, "JWKS is larger than {limit} bytes"),
            JoseError::JwksInvalid(why) => write!(f, "JWKS is invalid: {why}"),
            JoseError::TooManyKeys { limit } => write!(f, "JWKS holds more than {limit} keys"),
            JoseError::JwkInvalid { kid, reason } => write!(f, "{} is invalid: {reason}", Kid(kid)),
            JoseError::UnsupportedKty { kid, kty } => {
                write!(f, "{} has unsupported kty \"{}\"", Kid(kid), short(kty))
            }
            JoseError::UnsupportedCurve { kid, crv } => {
                write!(f, "{} uses curve \"{}\"; only P-256 is supported", Kid(kid), short(crv))
            }
            JoseError::KeyTooSmall { kid, bits } => {
                write!(f, "{} has a {bits}-bit RSA modulus; at least 2048 bits are required", Kid(kid))
            }
            JoseError::KeyTooLarge { kid, bits } => {
                write!(f, "{} has a {bits}-bit RSA modulus; at most 8192 bits are accepted", Kid(kid))
            }
            JoseError::KidNotFound(kid) => write!(f, "no key with kid \"{}\" in the JWKS", short(kid)),
            JoseError::NoSuitableKey { kid, reason } => match kid {
                Some(k) => write!(f, "no usable key for kid \"{}\": {reason}", short(k)),
                None => write!(f, "no usable key in the JWKS: {reason}"),
            },
            JoseError::AmbiguousKey { kid, count } => match kid {
                Some(k) => write!(f, "{count} keys share kid \"{}\" and could verify this token", short(k)),
                None => write!(f, "the header has no kid and {count} keys could verify this token"),
            },
        }
    }
}

impl core::error::Error for JoseError {}

#[cfg(test)]
mod tests {
    use super::*;

    /// The code table stays in step with the enum.
    #[test]
    fn every_variant_code_is_listed() {
        let k = || Some(String::from("k"));
        let all = [
            JoseError::TooLarge { limit: 1 },
            JoseError::Malformed("x"),
            JoseError::Base64(Segment::Header),
            JoseError::HeaderInvalid("x".into()),
            JoseError::AlgNotAllowed("none".into()),
            JoseError::CritUnsupported("x".into()),
            JoseError::B64Unsupported,
            JoseError::SignatureMalformed { expected: 64, actual: 70 },
            JoseError::SignatureInvalid,
            JoseError::JwksTooLarge { limit: 1 },
            JoseError::JwksInvalid("x".into()),
            JoseError::TooManyKeys { limit: 1 },
            JoseError::JwkInvalid { kid: k(), reason: "x".into() },
            JoseError::UnsupportedKty { kid: k(), kty: "oct".into() },
            JoseError::UnsupportedCurve { kid: k(), crv: "P-384".into() },
            JoseError::KeyTooSmall { kid: k(), bits: 1024 },
            JoseError::KeyTooLarge { kid: k(), bits: 16384 },
            JoseError::KidNotFound("k".into()),
            JoseError::NoSuitableKey { kid: None, reason: "x".into() },
            JoseError::AmbiguousKey { kid: None, count: 2 },
        ];
        assert_eq!(all.len(), CODES.len());
        for e in &all {
            assert!(CODES.contains(&e.code()), "{}", e.code());
            assert!(!e.to_string().is_empty());
        }
    }
}
