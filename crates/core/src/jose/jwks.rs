//! JWK Sets and key selection (RFC 7517 §5, FAPI 1.0 §8.11).
//!
//! Selection goes by `kid` first, then filters on `kty`/`crv` (from the algorithm), `use`
//! (absent or `sig`), `alg` (absent or equal) and `key_ops` (absent or containing `verify`).
//! A set may hold the same `kid` twice, once for `sig` and once for `enc` (the ACCC test
//! harness does): the filter picks the signing one. Without a `kid`, exactly one suitable key
//! must exist.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::Value;

use super::alg::Algorithm;
use super::error::JoseError;
use super::json::{parse_strict, short};
use super::jwk::{JwkEntry, JwkNote, PublicKey, note, parse_entry};
use crate::Limits;

/// A parsed JWK Set. Parse it once per document and reuse it: keys are held ready to verify.
#[derive(Debug, Clone)]
pub struct Jwks {
    entries: Vec<JwkEntry>,
    notes: Vec<JwkNote>,
}

impl Jwks {
    /// Parses a JWKS document: a JSON object with a `keys` array (RFC 7517 §5). A lone JWK is not
    /// a key set and is refused (`jwks.invalid`): a fetched or configured "key set" that is one
    /// key is a misconfiguration worth seeing.
    pub fn parse(bytes: &[u8], limits: &Limits) -> Result<Jwks, JoseError> {
        if bytes.len() > limits.max_document_bytes {
            return Err(JoseError::JwksTooLarge { limit: limits.max_document_bytes });
        }
        let value = parse_strict(bytes, limits.max_json_depth).map_err(|e| JoseError::JwksInvalid(format!("{e}")))?;
        Self::from_value(&value, limits)
    }

    /// Builds a set from an already-parsed JSON value.
    pub fn from_value(value: &Value, limits: &Limits) -> Result<Jwks, JoseError> {
        let obj = value.as_object().ok_or_else(|| JoseError::JwksInvalid("not a JSON object".into()))?;
        let keys: &[Value] = match obj.get("keys") {
            Some(Value::Array(keys)) => keys,
            Some(_) => return Err(JoseError::JwksInvalid("\"keys\" is not an array".into())),
            None if obj.contains_key("kty") => {
                return Err(JoseError::JwksInvalid(
                    "a single JWK, not a JWK Set: wrap it as {\"keys\": [ ... ]} (RFC 7517 §5)".into(),
                ));
            }
            None => return Err(JoseError::JwksInvalid("no \"keys\" array".into())),
        };
        if keys.len() > limits.max_jwks_keys {
            return Err(JoseError::TooManyKeys { limit: limits.max_jwks_keys });
        }
        let mut notes = Vec::new();
        let entries: Vec<JwkEntry> = keys.iter().enumerate().map(|(i, k)| parse_entry(k, i, &mut notes)).collect();
        for (i, e) in entries.iter().enumerate() {
            let Some(kid) = &e.kid else { continue };
            let mut earlier = entries.iter().take(i).filter(|o| o.kid.as_ref() == Some(kid)).peekable();
            if earlier.peek().is_none() {
                continue;
            }
            let how =
                if earlier.any(|o| o.key_use == e.key_use) { "with the same use" } else { "(told apart by \"use\")" };
            notes.push(JwkNote {
                code: note::DUPLICATE_KID,
                kid: Some(kid.clone()),
                index: i,
                message: format!("kid \"{}\" appears more than once {how}", short(kid)),
            });
        }
        Ok(Jwks { entries, notes })
    }

    /// Every entry, usable or not, in document order.
    pub fn entries(&self) -> &[JwkEntry] {
        &self.entries
    }

    /// Deviations tolerated while parsing.
    pub fn notes(&self) -> &[JwkNote] {
        &self.notes
    }

    /// Chooses the key that verifies a token with this `kid` and algorithm.
    pub fn select(&self, kid: Option<&str>, alg: Algorithm) -> Result<&PublicKey, JoseError> {
        let owned_kid = || kid.map(String::from);
        let with_kid: Vec<&JwkEntry> = match kid {
            Some(k) => self.entries.iter().filter(|e| e.kid.as_deref() == Some(k)).collect(),
            None => self.entries.iter().collect(),
        };
        if let Some(k) = kid
            && with_kid.is_empty()
        {
            return Err(JoseError::KidNotFound(k.into()));
        }
        let (suitable, unsuitable): (Vec<&JwkEntry>, Vec<&JwkEntry>) =
            with_kid.iter().partition(|e| unsuitable_reason(e, alg).is_none());
        let valid: Vec<&PublicKey> = suitable.iter().filter_map(|e| e.key.as_ref().ok()).collect();
        match (valid.as_slice(), suitable.first(), unsuitable.first()) {
            ([key], _, _) => Ok(*key),
            ([], Some(broken), _) => Err(match &broken.key {
                Err(e) => e.clone(),
                Ok(_) => JoseError::NoSuitableKey { kid: owned_kid(), reason: "no valid key".into() },
            }),
            ([], None, Some(first)) => Err(JoseError::NoSuitableKey {
                kid: owned_kid(),
                reason: unsuitable_reason(first, alg).unwrap_or_default(),
            }),
            ([], None, None) => {
                Err(JoseError::NoSuitableKey { kid: owned_kid(), reason: "the JWKS has no keys".into() })
            }
            (many, _, _) => Err(JoseError::AmbiguousKey { kid: owned_kid(), count: many.len() }),
        }
    }
}

/// Why an entry may not verify `alg`, or `None` if it may.
fn unsuitable_reason(e: &JwkEntry, alg: Algorithm) -> Option<String> {
    let needed = match alg {
        Algorithm::Ps256 => "RSA",
        Algorithm::Es256 => "EC",
    };
    if e.kty != needed {
        return Some(format!("key type \"{}\" cannot verify {alg}", short(&e.kty)));
    }
    if let Some(u) = e.key_use.as_deref().filter(|u| *u != "sig") {
        return Some(format!("key use is \"{}\", not \"sig\"", short(u)));
    }
    if let Some(a) = e.alg.as_deref().filter(|a| *a != alg.name()) {
        return Some(format!("key alg is \"{}\", not {alg}", short(a)));
    }
    if let Some(ops) = &e.key_ops
        && !ops.iter().any(|o| o == "verify")
    {
        return Some("key_ops does not include \"verify\"".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7517 §5: a key set is an object with a `keys` array; one key alone is refused.
    #[test]
    fn a_single_jwk_is_not_a_key_set() {
        let key = r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#;
        let err = Jwks::parse(key.as_bytes(), &Limits::DEFAULT).unwrap_err();
        assert_eq!(err.code(), "jwks.invalid");
        assert!(err.to_string().contains("single JWK"), "{err}");
        let set = format!(r#"{{"keys":[{key}]}}"#);
        assert_eq!(Jwks::parse(set.as_bytes(), &Limits::DEFAULT).unwrap().entries().len(), 1);
        for bad in [r#"{"keys":{}}"#, r#"{}"#, r#"[]"#] {
            assert_eq!(Jwks::parse(bad.as_bytes(), &Limits::DEFAULT).unwrap_err().code(), "jwks.invalid", "{bad}");
        }
    }
}
