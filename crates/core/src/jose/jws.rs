//! Compact JWS (RFC 7515 §7.1): parsing, header rules, and verification against a JWKS.
//!
//! Order of checks, each failing fast: size → three segments → strict base64url → header is a
//! JSON object without duplicates within the depth limit → `alg` is a string the caller's
//! policy allows (before any key lookup) → `crit`/`b64` → key selection by `kid` →
//! signature shape → signature. Header members that carry keys (`jwk`, `jku`, `x5u`, `x5c`)
//! are never read.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::{Map, Value};

use super::alg::{Algorithm, AlgorithmPolicy};
use super::base64url;
use super::error::{JoseError, Segment};
use super::json::{JsonError, parse_strict, short};
use super::jwk::PublicKey;
use super::jwks::Jwks;
use super::verify::{SignatureCheck, Verifier, check_shape, verify_signature};
use crate::Limits;

/// Registered header parameter names (RFC 7515 §4.1), which `crit` must not list.
const REGISTERED: [&str; 11] = ["alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit"];

/// A decoded but **unverified** compact JWS.
#[derive(Debug, Clone)]
pub struct CompactJws {
    token: String,
    signing_input_len: usize,
    header: Map<String, Value>,
    payload: Vec<u8>,
    signature: Vec<u8>,
}

/// The header members the core interprets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderParams {
    /// `alg` as written.
    pub alg: String,
    /// `kid`, if present.
    pub kid: Option<String>,
    /// `typ`, if present.
    pub typ: Option<String>,
    /// `cty`, if present.
    pub cty: Option<String>,
}

impl CompactJws {
    /// Decodes a compact JWS without verifying anything but its structure.
    pub fn parse(token: &str, limits: &Limits) -> Result<CompactJws, JoseError> {
        if token.len() > limits.max_token_bytes {
            return Err(JoseError::TooLarge { limit: limits.max_token_bytes });
        }
        let mut parts = token.splitn(4, '.');
        let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            let found = token.split('.').count();
            return Err(JoseError::Malformed(if found < 3 {
                "fewer than three '.'-separated segments"
            } else {
                "more than three '.'-separated segments (JWE and JSON serialisations are not accepted)"
            }));
        };
        if h.is_empty() {
            return Err(JoseError::Malformed("the header segment is empty"));
        }
        let header_bytes = base64url::decode(h).ok_or(JoseError::Base64(Segment::Header))?;
        let payload = base64url::decode(p).ok_or(JoseError::Base64(Segment::Payload))?;
        let signature = base64url::decode(s).ok_or(JoseError::Base64(Segment::Signature))?;
        let header = match parse_strict(&header_bytes, limits.max_json_depth) {
            Ok(Value::Object(m)) => m,
            Ok(_) => return Err(JoseError::HeaderInvalid("protected header is not a JSON object".into())),
            Err(e) => return Err(JoseError::header(&e)),
        };
        Ok(CompactJws { token: token.into(), signing_input_len: h.len() + 1 + p.len(), header, payload, signature })
    }

    /// The protected header as parsed.
    pub fn header(&self) -> &Map<String, Value> {
        &self.header
    }

    /// The decoded payload bytes.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The payload parsed as strict JSON.
    pub fn payload_json(&self, limits: &Limits) -> Result<Value, JsonError> {
        parse_strict(&self.payload, limits.max_json_depth)
    }

    /// The raw signature bytes.
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// The bytes the signature covers.
    pub fn signing_input(&self) -> &[u8] {
        self.token.as_bytes().get(..self.signing_input_len).unwrap_or_default()
    }

    /// The compact serialisation as given.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Reads `alg`, `kid`, `typ`, `cty` and enforces `crit` and `b64`.
    pub fn params(&self) -> Result<HeaderParams, JoseError> {
        let alg = match self.header.get("alg") {
            Some(Value::String(a)) => a.clone(),
            Some(_) => return Err(JoseError::HeaderInvalid("\"alg\" is not a string".into())),
            None => return Err(JoseError::HeaderInvalid("\"alg\" is missing".into())),
        };
        let params = HeaderParams {
            alg,
            kid: self.optional_str("kid")?,
            typ: self.optional_str("typ")?,
            cty: self.optional_str("cty")?,
        };
        // RFC 7797: only the default `b64: true` is understood.
        match self.header.get("b64") {
            None | Some(Value::Bool(true)) => {}
            Some(_) => return Err(JoseError::B64Unsupported),
        }
        if let Some(crit) = self.header.get("crit") {
            let names = crit
                .as_array()
                .filter(|a| !a.is_empty())
                .ok_or_else(|| JoseError::HeaderInvalid("\"crit\" is not a non-empty array".into()))?;
            for name in names {
                let name =
                    name.as_str().ok_or_else(|| JoseError::HeaderInvalid("\"crit\" holds a non-string".into()))?;
                if REGISTERED.contains(&name) || !self.header.contains_key(name) {
                    return Err(JoseError::HeaderInvalid(format!(
                        "\"crit\" lists \"{}\", which is registered or absent from the header",
                        short(name)
                    )));
                }
                if name != "b64" {
                    return Err(JoseError::CritUnsupported(name.into()));
                }
            }
        }
        Ok(params)
    }

    fn optional_str(&self, name: &str) -> Result<Option<String>, JoseError> {
        match self.header.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(JoseError::HeaderInvalid(format!("\"{name}\" is not a string"))),
        }
    }

    /// Applies the caller's algorithm policy and the header rules, then selects the key.
    /// The result holds everything needed to verify, synchronously or later.
    pub fn prepare(self, jwks: &Jwks, policy: AlgorithmPolicy) -> Result<PendingJws, JoseError> {
        let (params, alg, key) = self.select(jwks, policy)?;
        Ok(PendingJws { jws: self, params, alg, key })
    }

    /// What [`CompactJws::prepare`] decides — the header rules, the algorithm and the key, whose
    /// shape fits the signature — without taking the token, so a caller that keeps the token
    /// (the DCR pipeline) need not copy it.
    pub(crate) fn select(
        &self,
        jwks: &Jwks,
        policy: AlgorithmPolicy,
    ) -> Result<(HeaderParams, Algorithm, PublicKey), JoseError> {
        let params = self.params_with_policy(policy)?;
        let alg = policy.admit(&params.alg).ok_or_else(|| JoseError::AlgNotAllowed(params.alg.clone()))?;
        let key = jwks.select(params.kid.as_deref(), alg)?.clone();
        check_shape(&SignatureCheck {
            alg,
            key: &key,
            signing_input: self.signing_input(),
            signature: self.signature(),
        })?;
        Ok((params, alg, key))
    }

    /// The protected header, by value (the report takes it instead of a copy).
    pub(crate) fn into_header(self) -> Map<String, Value> {
        self.header
    }

    /// `params()`, but with the algorithm compared before anything else is interpreted.
    fn params_with_policy(&self, policy: AlgorithmPolicy) -> Result<HeaderParams, JoseError> {
        if let Some(Value::String(alg)) = self.header.get("alg")
            && policy.admit(alg).is_none()
        {
            return Err(JoseError::AlgNotAllowed(alg.clone()));
        }
        self.params()
    }
}

/// A JWS whose header passed the policy and whose key is chosen; the signature is not yet
/// checked. Hosts with asynchronous crypto take [`PendingJws::check`], verify it themselves and
/// call [`PendingJws::finish`].
#[derive(Debug, Clone)]
pub struct PendingJws {
    jws: CompactJws,
    params: HeaderParams,
    alg: Algorithm,
    key: PublicKey,
}

impl PendingJws {
    /// The signature check to perform.
    pub fn check(&self) -> SignatureCheck<'_> {
        SignatureCheck {
            alg: self.alg,
            key: &self.key,
            signing_input: self.jws.signing_input(),
            signature: self.jws.signature(),
        }
    }

    /// Verifies with a synchronous backend.
    pub fn verify(self, verifier: &dyn Verifier) -> Result<VerifiedJws, JoseError> {
        verify_signature(verifier, &self.check())?;
        Ok(self.into_verified())
    }

    /// Completes with the answer of a backend that verified [`PendingJws::check`] itself.
    pub fn finish(self, signature_valid: bool) -> Result<VerifiedJws, JoseError> {
        if signature_valid { Ok(self.into_verified()) } else { Err(JoseError::SignatureInvalid) }
    }

    /// The decoded token.
    pub fn jws(&self) -> &CompactJws {
        &self.jws
    }

    fn into_verified(self) -> VerifiedJws {
        VerifiedJws { jws: self.jws, params: self.params, alg: self.alg, key: self.key }
    }
}

/// A JWS whose signature verified with a key from the given JWKS.
#[derive(Debug, Clone)]
pub struct VerifiedJws {
    jws: CompactJws,
    params: HeaderParams,
    alg: Algorithm,
    key: PublicKey,
}

impl VerifiedJws {
    /// The decoded token.
    pub fn jws(&self) -> &CompactJws {
        &self.jws
    }
    /// The interpreted header members.
    pub fn params(&self) -> &HeaderParams {
        &self.params
    }
    /// The algorithm that verified.
    pub fn alg(&self) -> Algorithm {
        self.alg
    }
    /// The key that verified.
    pub fn key(&self) -> &PublicKey {
        &self.key
    }
    /// The verified payload bytes.
    pub fn payload(&self) -> &[u8] {
        self.jws.payload()
    }
}

/// Parses and verifies a compact JWS in one call.
pub fn verify_compact(
    token: &str,
    jwks: &Jwks,
    policy: AlgorithmPolicy,
    limits: &Limits,
    verifier: &dyn Verifier,
) -> Result<VerifiedJws, JoseError> {
    CompactJws::parse(token, limits)?.prepare(jwks, policy)?.verify(verifier)
}
