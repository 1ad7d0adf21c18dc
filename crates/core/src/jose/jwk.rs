//! One JSON Web Key (RFC 7517/7518) parsed into ready-to-verify form.
//!
//! Only what PS256 and ES256 need is accepted: RSA keys of 2048–8192 bits with an odd modulus
//! and an odd exponent above 1, and EC keys on P-256 whose point is on the curve. Optional
//! members are read leniently where the real world needs it (empty strings, padded `x5t`),
//! and every such leniency is recorded as a [`JwkNote`] so callers can report it.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::base64url;
use super::error::JoseError;
use super::json::short;

/// The public numbers of a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyMaterial {
    /// RSA modulus and public exponent, big-endian without leading zero bytes.
    Rsa {
        /// Modulus.
        n: Vec<u8>,
        /// Public exponent.
        e: Vec<u8>,
    },
    /// A P-256 point in affine coordinates (big-endian, 32 bytes each).
    P256 {
        /// x coordinate.
        x: [u8; 32],
        /// y coordinate.
        y: [u8; 32],
    },
}

/// A validated public key: plain data, parsed and checked once (size, parity, exponent, curve
/// membership), with its RFC 7638 thumbprint. It holds no backend's form of the key: each
/// backend prepares its own and caches it by thumbprint (RustCrypto in
/// [`super::RustCryptoVerifier`], `node:crypto` and WebCrypto in the hosts). Cloning it (a
/// selected key goes with each signature check) shares the numbers instead of copying them.
#[derive(Clone)]
pub struct PublicKey(Arc<KeyData>);

struct KeyData {
    kid: Option<String>,
    material: KeyMaterial,
    thumbprint: String,
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("kid", &self.0.kid)
            .field("material", &self.0.material)
            .field("thumbprint", &self.0.thumbprint)
            .finish()
    }
}

impl PublicKey {
    /// Validates key material (size, parity, exponent, curve membership).
    pub fn from_material(kid: Option<String>, material: KeyMaterial) -> Result<PublicKey, JoseError> {
        let material = match material {
            KeyMaterial::Rsa { n, e } => {
                let n = strip_zeros(&n).to_vec();
                let e = strip_zeros(&e).to_vec();
                check_rsa(&kid, &n, &e)?;
                KeyMaterial::Rsa { n, e }
            }
            KeyMaterial::P256 { x, y } => {
                check_on_curve(&kid, &x, &y)?;
                KeyMaterial::P256 { x, y }
            }
        };
        let thumbprint = thumbprint(&material);
        Ok(PublicKey(Arc::new(KeyData { kid, material, thumbprint })))
    }

    /// The key's `kid`, if it has one.
    pub fn kid(&self) -> Option<&str> {
        self.0.kid.as_deref()
    }

    /// The public numbers.
    pub fn material(&self) -> &KeyMaterial {
        &self.0.material
    }

    /// The RFC 7638 JWK thumbprint (SHA-256, base64url). Hosts key their own crypto caches by it.
    pub fn thumbprint(&self) -> &str {
        &self.0.thumbprint
    }

    /// The key size in bits (modulus length for RSA, 256 for P-256).
    pub fn bits(&self) -> usize {
        match &self.0.material {
            KeyMaterial::Rsa { n, .. } => bit_len(n),
            KeyMaterial::P256 { .. } => 256,
        }
    }

    /// The key type name (`RSA` or `EC`).
    pub fn kty(&self) -> &'static str {
        match self.0.material {
            KeyMaterial::Rsa { .. } => "RSA",
            KeyMaterial::P256 { .. } => "EC",
        }
    }
}

/// A leniency applied while reading a JWK, for the caller to report (a warning, or an error in
/// a strict profile).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JwkNote {
    /// Stable code, e.g. `jwk.x5t_padded`.
    pub code: &'static str,
    /// The `kid` of the key concerned, if any.
    pub kid: Option<String>,
    /// Index of the key in the `keys` array.
    pub index: usize,
    /// What was tolerated.
    pub message: String,
}

/// Codes of [`JwkNote`]s; listed in docs/error-codes.md.
pub mod note {
    /// An optional member is an empty string or array (older CDR Register builds).
    pub const EMPTY_MEMBER: &str = "jwk.empty_member";
    /// `x5t` or `x5t#S256` is base64url with `=` padding (UK OB keystore).
    pub const X5T_PADDED: &str = "jwk.x5t_padded";
    /// An ignored member (`x5t`, `x5t#S256`) does not decode.
    pub const MEMBER_INVALID: &str = "jwk.member_invalid";
    /// Private key members (`d`, `p`, ...) appear in what should be a public JWKS.
    pub const PRIVATE_MEMBER: &str = "jwk.private_member";
    /// The RSA modulus has leading zero bytes (RFC 7518 §6.3.1.1 forbids them).
    pub const LEADING_ZERO: &str = "jwk.leading_zero";
    /// Two keys share a `kid` (allowed when `use` tells them apart, as in the ACCC harness).
    pub const DUPLICATE_KID: &str = "jwk.duplicate_kid";
    /// Every note code.
    pub const ALL: &[&str] = &[EMPTY_MEMBER, X5T_PADDED, MEMBER_INVALID, PRIVATE_MEMBER, LEADING_ZERO, DUPLICATE_KID];
}

/// One entry of a JWKS: its selection metadata and the parsed key, or why it is unusable.
#[derive(Debug, Clone)]
pub struct JwkEntry {
    /// `kid`, if present and non-empty.
    pub kid: Option<String>,
    /// `kty` as written (empty if missing).
    pub kty: String,
    /// `use`, if present and non-empty.
    pub key_use: Option<String>,
    /// `alg`, if present and non-empty.
    pub alg: Option<String>,
    /// `key_ops`, if present and non-empty.
    pub key_ops: Option<Vec<String>>,
    /// The parsed key, or why it cannot be used.
    pub key: Result<PublicKey, JoseError>,
    /// SHA-256 of the first `x5c` certificate's DER (standard base64, RFC 7517 §4.7), if the
    /// member is present and decodes. Only this digest is kept: the core never parses the
    /// certificate; hosts compare it with the TLS client certificate's fingerprint.
    pub x5c_sha256: Option<[u8; 32]>,
    /// `x5t#S256` decoded (RFC 7517 §4.9), if it is a 32-byte digest. The OB keystore's padded
    /// form is decoded too and noted as [`note::X5T_PADDED`].
    pub x5t_s256: Option<[u8; 32]>,
}

const PRIVATE_MEMBERS: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "oth"];

/// Parses one JWK object. Problems with the key itself land in `entry.key`; tolerated
/// deviations are pushed to `notes`.
pub(crate) fn parse_entry(value: &Value, index: usize, notes: &mut Vec<JwkNote>) -> JwkEntry {
    let mut entry = JwkEntry {
        kid: None,
        kty: String::new(),
        key_use: None,
        alg: None,
        key_ops: None,
        key: Err(JoseError::JwkInvalid { kid: None, reason: "not a JSON object".into() }),
        x5c_sha256: None,
        x5t_s256: None,
    };
    let Some(obj) = value.as_object() else {
        return entry;
    };
    #[cfg(feature = "io-checks")]
    {
        entry.x5c_sha256 = x5c_digest(obj);
        entry.x5t_s256 = match obj.get("x5t#S256") {
            Some(Value::String(s)) => {
                let bytes = base64url::decode(s).or_else(|| base64url::decode(s.trim_end_matches('=')));
                bytes.and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
            }
            _ => None,
        };
    }
    let mut reader = Reader { obj, index, kid: None, notes };
    entry.key = (|| {
        entry.kid = reader.optional_str("kid")?;
        reader.kid = entry.kid.clone();
        entry.kty = reader.required_str("kty")?;
        entry.key_use = reader.optional_str("use")?;
        entry.alg = reader.optional_str("alg")?;
        entry.key_ops = reader.optional_str_array("key_ops")?;
        reader.check_ignored_members();
        let material = match entry.kty.as_str() {
            "RSA" => KeyMaterial::Rsa { n: reader.required_b64("n")?, e: reader.required_b64("e")? },
            "EC" => {
                let crv = reader.required_str("crv")?;
                if crv != "P-256" {
                    return Err(JoseError::UnsupportedCurve { kid: reader.kid.clone(), crv });
                }
                KeyMaterial::P256 { x: reader.coordinate("x")?, y: reader.coordinate("y")? }
            }
            other => {
                return Err(JoseError::UnsupportedKty { kid: reader.kid.clone(), kty: other.to_string() });
            }
        };
        if let KeyMaterial::Rsa { n, .. } = &material
            && n.first() == Some(&0)
        {
            reader.note(note::LEADING_ZERO, "the RSA modulus has leading zero bytes".into());
        }
        PublicKey::from_material(reader.kid.clone(), material)
    })();
    entry
}

struct Reader<'a> {
    obj: &'a Map<String, Value>,
    index: usize,
    kid: Option<String>,
    notes: &'a mut Vec<JwkNote>,
}

impl Reader<'_> {
    fn invalid(&self, reason: String) -> JoseError {
        JoseError::JwkInvalid { kid: self.kid.clone(), reason }
    }

    fn note(&mut self, code: &'static str, message: String) {
        self.notes.push(JwkNote { code, kid: self.kid.clone(), index: self.index, message });
    }

    fn required_str(&self, name: &str) -> Result<String, JoseError> {
        match self.obj.get(name) {
            Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
            Some(Value::String(_)) | None | Some(Value::Null) => Err(self.invalid(format!("\"{name}\" is missing"))),
            Some(_) => Err(self.invalid(format!("\"{name}\" is not a string"))),
        }
    }

    /// Absent, null and "" all mean absent; "" is noted.
    fn optional_str(&mut self, name: &str) -> Result<Option<String>, JoseError> {
        match self.obj.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.is_empty() => {
                self.note(note::EMPTY_MEMBER, format!("\"{name}\" is an empty string; treated as absent"));
                Ok(None)
            }
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.invalid(format!("\"{name}\" is not a string"))),
        }
    }

    fn optional_str_array(&mut self, name: &str) -> Result<Option<Vec<String>>, JoseError> {
        match self.obj.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(items)) if items.is_empty() => {
                self.note(note::EMPTY_MEMBER, format!("\"{name}\" is an empty array; treated as absent"));
                Ok(None)
            }
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().map(String::from))
                .collect::<Option<Vec<_>>>()
                .map(Some)
                .ok_or_else(|| self.invalid(format!("\"{name}\" is not an array of strings"))),
            Some(_) => Err(self.invalid(format!("\"{name}\" is not an array of strings"))),
        }
    }

    fn required_b64(&self, name: &str) -> Result<Vec<u8>, JoseError> {
        let s = self.required_str(name)?;
        base64url::decode(&s).ok_or_else(|| self.invalid(format!("\"{name}\" is not unpadded base64url")))
    }

    fn coordinate(&self, name: &str) -> Result<[u8; 32], JoseError> {
        let bytes = self.required_b64(name)?;
        <[u8; 32]>::try_from(bytes.as_slice())
            .map_err(|_| self.invalid(format!("\"{name}\" is {} bytes; P-256 needs exactly 32", bytes.len())))
    }

    /// Members we never use to find or trust a key, checked only so deviations are visible.
    fn check_ignored_members(&mut self) {
        for (name, len) in [("x5t", 20usize), ("x5t#S256", 32)] {
            match self.obj.get(name) {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) if s.is_empty() => {
                    self.note(note::EMPTY_MEMBER, format!("\"{name}\" is an empty string; ignored"));
                }
                Some(Value::String(s)) if base64url::decode(s).is_some_and(|b| b.len() == len) => {}
                Some(Value::String(s)) if base64url::is_padded_variant(s) => {
                    self.note(note::X5T_PADDED, format!("\"{name}\" uses base64 padding (\"=\"); read without it"));
                }
                Some(v) => {
                    let shown = v.as_str().map(short).unwrap_or_else(|| "non-string".into());
                    self.note(
                        note::MEMBER_INVALID,
                        format!("\"{name}\" ({shown}) is not a {len}-byte base64url digest; ignored"),
                    );
                }
            }
        }
        if let Some(Value::Array(a)) = self.obj.get("x5c")
            && a.is_empty()
        {
            self.note(note::EMPTY_MEMBER, "\"x5c\" is an empty array; ignored".into());
        }
        if let Some(m) = PRIVATE_MEMBERS.iter().find(|m| self.obj.contains_key(**m)) {
            self.note(note::PRIVATE_MEMBER, format!("private key member \"{m}\" is present in a public key set; it is ignored, but the key should be treated as exposed"));
        }
    }
}

#[cfg(feature = "io-checks")]
/// SHA-256 of `x5c[0]`'s DER. `x5c` is standard base64 with padding (RFC 7517 §4.7: not
/// base64url); padding is tolerated either way, whitespace is not. A member that is not an array
/// of strings or does not decode gives `None` (the key is then simply not matched by
/// certificate).
fn x5c_digest(obj: &Map<String, Value>) -> Option<[u8; 32]> {
    use base64::Engine as _;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    const STANDARD_ANY_PADDING: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let first = obj.get("x5c")?.as_array()?.first()?.as_str()?;
    let der = STANDARD_ANY_PADDING.decode(first).ok()?;
    Some(Sha256::digest(&der).into())
}

fn strip_zeros(b: &[u8]) -> &[u8] {
    let first = b.iter().position(|&x| x != 0).unwrap_or(b.len());
    b.get(first..).unwrap_or_default()
}

fn bit_len(n: &[u8]) -> usize {
    match n.first() {
        Some(&top) => n.len() * 8 - top.leading_zeros() as usize,
        None => 0,
    }
}

/// RSA key sanity (RFC 7518 §3.3/§3.5 "2048 bits or larger", plus the checks a JWKS loader
/// should make before trusting numbers from the network).
fn check_rsa(kid: &Option<String>, n: &[u8], e: &[u8]) -> Result<(), JoseError> {
    let bits = bit_len(n);
    if bits < 2048 {
        return Err(JoseError::KeyTooSmall { kid: kid.clone(), bits });
    }
    if bits > 8192 {
        return Err(JoseError::KeyTooLarge { kid: kid.clone(), bits });
    }
    let invalid = |reason: &str| JoseError::JwkInvalid { kid: kid.clone(), reason: reason.into() };
    if n.last().is_some_and(|b| b & 1 == 0) {
        return Err(invalid("the RSA modulus is even"));
    }
    // The exponent must be odd, above 1 and at most 2^33 - 1 (what RSA libraries accept).
    if e.len() > 5 || (e.len() == 5 && e.first().is_some_and(|&b| b > 1)) {
        return Err(invalid("the RSA public exponent is too large"));
    }
    if e.is_empty() || e == [1] {
        return Err(invalid("the RSA public exponent must be greater than 1"));
    }
    if e.last().is_some_and(|b| b & 1 == 0) {
        return Err(invalid("the RSA public exponent is even"));
    }
    Ok(())
}

/// The point must be on P-256 (and its coordinates below the field prime). Checked here, not in
/// a backend, so every backend — RustCrypto, WebCrypto, `node:crypto` — sees the same keys and
/// an off-curve point gives the same finding whichever one verifies.
fn check_on_curve(kid: &Option<String>, x: &[u8; 32], y: &[u8; 32]) -> Result<(), JoseError> {
    if on_p256(x, y) {
        Ok(())
    } else {
        Err(JoseError::JwkInvalid { kid: kid.clone(), reason: "the point is not on the P-256 curve".into() })
    }
}

/// The P-256 point (x, y), if both coordinates are below the field prime and it satisfies the
/// curve equation. This is what p256's SEC1 decoding does for an uncompressed point, called
/// directly: the SEC1 path also links point decompression (a square root), which nothing here
/// needs.
pub(crate) fn p256_point(x: &[u8; 32], y: &[u8; 32]) -> Option<p256::AffinePoint> {
    use p256::elliptic_curve::point::AffineCoordinates;
    p256::AffinePoint::from_coordinates(x.into(), y.into()).into_option()
}

/// Whether (x, y) is a point of P-256 (see [`p256_point`]).
fn on_p256(x: &[u8; 32], y: &[u8; 32]) -> bool {
    p256_point(x, y).is_some()
}

/// RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order.
fn thumbprint(material: &KeyMaterial) -> String {
    let json = match material {
        KeyMaterial::Rsa { n, e } => {
            format!(r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#, base64url::encode(e), base64url::encode(n))
        }
        KeyMaterial::P256 { x, y } => {
            format!(r#"{{"crv":"P-256","kty":"EC","x":"{}","y":"{}"}}"#, base64url::encode(x), base64url::encode(y))
        }
    };
    base64url::encode(&Sha256::digest(json.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(v: Value) -> (JwkEntry, Vec<JwkNote>) {
        let mut notes = Vec::new();
        let e = parse_entry(&v, 0, &mut notes);
        (e, notes)
    }

    #[test]
    fn rfc7638_thumbprint_example() {
        // RFC 7638 §3.1.
        let (e, _) = parse(json!({
            "kty": "RSA",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
            "e": "AQAB",
            "alg": "RS256",
            "kid": "2011-04-29"
        }));
        let key = e.key.unwrap();
        assert_eq!(key.thumbprint(), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
        assert_eq!(key.bits(), 2048);
        assert_eq!(e.alg.as_deref(), Some("RS256"));
    }

    #[test]
    fn p256_points_are_checked_by_the_core() {
        // RFC 7515 A.3's key is on the curve; changing one bit of y moves it off.
        let x = base64url::decode("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU").unwrap();
        let y = base64url::decode("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0").unwrap();
        let (x, mut y): ([u8; 32], [u8; 32]) = (x.try_into().unwrap(), y.try_into().unwrap());
        assert!(on_p256(&x, &y));
        y[31] ^= 1;
        assert!(!on_p256(&x, &y));
        let err = PublicKey::from_material(None, KeyMaterial::P256 { x, y }).unwrap_err();
        assert_eq!(
            err.to_string(),
            JoseError::JwkInvalid { kid: None, reason: "the point is not on the P-256 curve".into() }.to_string()
        );
        // Coordinates at or above the field prime are refused, not reduced.
        assert!(!on_p256(&[0xff; 32], &y));
    }
}
