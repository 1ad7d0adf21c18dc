//! What the TLS terminator tells us about the client certificate (`request.cf.tlsClientAuth`),
//! and the management routes' bearer token with its certificate binding (RFC 8705 `cnf`).

use dcr_guard_core::Limits;
use dcr_guard_core::jose::{CompactJws, base64url};
use serde_json::Value;
use worker::Request;

/// The presented client certificate, if Cloudflare verified one.
pub struct ClientCert {
    /// RFC 2253 subject DN.
    pub subject_dn: String,
    /// SHA-256 of the certificate DER, lower-case hex as Cloudflare gives it.
    pub fingerprint_sha256: String,
    /// SHA-1 of the certificate DER, hex (only for the ACCC mock's `cnf` deviation).
    pub fingerprint_sha1: String,
}

impl ClientCert {
    /// The SHA-256 fingerprint as bytes, if it is 64 hex digits.
    pub fn sha256(&self) -> Option<[u8; 32]> {
        hex(&self.fingerprint_sha256).and_then(|v| <[u8; 32]>::try_from(v.as_slice()).ok())
    }
}

/// What was presented at the TLS layer.
pub enum Presented {
    None,
    /// Presented but not verified against the configured CA (or expired, revoked, ...).
    Unverified(String),
    Verified(ClientCert),
}

pub fn client_cert(req: &Request) -> Presented {
    let Some(auth) = req.cf().and_then(|cf| cf.tls_client_auth()) else { return Presented::None };
    if auth.cert_presented() != "1" {
        return Presented::None;
    }
    let verified = auth.cert_verified();
    if verified != "SUCCESS" {
        return Presented::Unverified(verified);
    }
    Presented::Verified(ClientCert {
        subject_dn: auth.cert_subject_dn_rfc2253(),
        fingerprint_sha256: auth.cert_fingerprint_sha256().to_ascii_lowercase(),
        fingerprint_sha1: auth.cert_fingerprint_sha1(),
    })
}

/// The bearer token of `Authorization: Bearer …`, if present and non-empty.
pub fn bearer(req: &Request) -> Option<String> {
    let value = req.headers().get("authorization").ok()??;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_owned())
}

/// Why a bearer token does not fit the certificate.
pub enum Binding {
    /// An opaque token, or a JWT without `cnf`: the origin must check it.
    Unbound,
    /// `cnf.x5t#S256` equals the certificate's SHA-256 fingerprint.
    Bound,
    /// `cnf.x5t#S256` names another certificate (or there is no certificate).
    Mismatch,
}

/// Checks a JWT access token's `cnf.x5t#S256` against the certificate. The token's signature
/// is not checked here (the edge has no authorisation-server keys); the origin must validate it.
pub fn binding(token: &str, cert: Option<&ClientCert>) -> Binding {
    let Ok(jws) = CompactJws::parse(token, &Limits::DEFAULT) else { return Binding::Unbound };
    let Ok(claims) = jws.payload_json(&Limits::DEFAULT) else { return Binding::Unbound };
    let Some(x5t) = claims.get("cnf").and_then(|c| c.get("x5t#S256")).and_then(Value::as_str) else {
        return Binding::Unbound;
    };
    let Some(cert) = cert else { return Binding::Mismatch };
    match hex(&cert.fingerprint_sha256) {
        Some(digest) if base64url::encode(&digest) == x5t => Binding::Bound,
        _ => Binding::Mismatch,
    }
}

pub fn hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| s.get(i..i + 2).and_then(|p| u8::from_str_radix(p, 16).ok())).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn cnf_binding() {
        let fp = "d84828a4d84828a4d84828a4d84828a4d84828a4d84828a4d84828a4d84828a4";
        let x5t = base64url::encode(&hex(fp).unwrap());
        let header = base64url::encode(br#"{"alg":"PS256"}"#);
        let token = |cnf: &str| format!("{header}.{}.c2ln", base64url::encode(cnf.as_bytes()));
        let cert =
            ClientCert { subject_dn: "CN=x".into(), fingerprint_sha256: fp.into(), fingerprint_sha1: String::new() };
        assert_eq!(cert.sha256().map(|d| d[0]), Some(0xd8));
        assert!(matches!(
            binding(&token(&format!(r#"{{"cnf":{{"x5t#S256":"{x5t}"}}}}"#)), Some(&cert)),
            Binding::Bound
        ));
        assert!(matches!(binding(&token(r#"{"cnf":{"x5t#S256":"other"}}"#), Some(&cert)), Binding::Mismatch));
        assert!(matches!(binding(&token(&format!(r#"{{"cnf":{{"x5t#S256":"{x5t}"}}}}"#)), None), Binding::Mismatch));
        assert!(matches!(binding(&token(r#"{"sub":"c"}"#), Some(&cert)), Binding::Unbound));
        assert!(matches!(binding("opaque-token", Some(&cert)), Binding::Unbound));
    }
}
