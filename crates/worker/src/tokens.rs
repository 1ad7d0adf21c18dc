//! Management routes (`GET`/`PUT`/`DELETE /register/{client_id}`): the bearer token is validated
//! before anything is forwarded. JWT access tokens (RFC 9068, or the bank's own shape) are
//! verified with the core's JOSE layer against the bank's key set (`DCR_TOKEN_JWKS_URL`, fetched
//! and cached like every key set, signatures answered by WebCrypto); opaque tokens (and RFC 7592
//! `registration_access_token`s) by RFC 7662 introspection with the Worker's client credentials.
//! Then the claims: expiry, issuer, audience, scope, `client_id` equal to the path's, and the
//! holder-of-key binding `cnf.x5t#S256` to the TLS client certificate (RFC 8705 §3.1).

use dcr_guard_core::Limits;
use dcr_guard_core::dcr::uri;
use dcr_guard_core::jose::json::parse_strict;
use dcr_guard_core::jose::{CompactJws, base64url};
use serde_json::{Map, Value};
use worker::{Env, Method};

use crate::codes;
use crate::fetch::{self, FetchError};
use crate::mtls::ClientCert;
use crate::settings::{Settings, TokenPolicy};
use crate::short;

/// Why a token is not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenError {
    /// 401 `invalid_token` with this code.
    Refused(&'static str, String),
    /// The bank's key set or introspection endpoint is unreachable: 503.
    Unavailable(String),
    /// Validation is on but nothing is configured to validate with: 500.
    NotConfigured(String),
}

fn refused(code: &'static str, why: impl Into<String>) -> TokenError {
    TokenError::Refused(code, why.into())
}

/// What the claims are checked against.
pub struct Facts<'a> {
    pub client_id: &'a str,
    pub now: u64,
    pub cert: Option<&'a ClientCert>,
    /// Whether the claims came from introspection (`exp` is then optional: `active` said it).
    pub introspected: bool,
}

/// The claim rules, without I/O. `Ok` carries warning codes.
pub fn check_claims(
    claims: &Map<String, Value>,
    policy: &TokenPolicy,
    f: &Facts<'_>,
) -> Result<Vec<&'static str>, TokenError> {
    let number = |name: &str| claims.get(name).and_then(Value::as_f64);
    #[allow(clippy::cast_precision_loss)] // ok: Unix seconds are far below 2^53
    let now = f.now as f64;
    #[allow(clippy::cast_precision_loss)]
    let skew = policy.clock_skew as f64;
    match number("exp") {
        Some(exp) if now > exp + skew => return Err(refused(codes::TOKEN_EXPIRED, "the access token has expired")),
        Some(_) => {}
        None if f.introspected => {}
        None => return Err(refused(codes::TOKEN_EXPIRED, "the access token has no exp")),
    }
    if number("nbf").is_some_and(|nbf| now + skew < nbf) {
        return Err(refused(codes::TOKEN_EXPIRED, "the access token is not valid yet (nbf)"));
    }
    if let Some(iss) = &policy.issuer
        && claims.get("iss").and_then(Value::as_str) != Some(iss.as_str())
    {
        return Err(refused(codes::TOKEN_ISSUER, format!("the access token was not issued by {}", short(iss))));
    }
    if !policy.audiences.is_empty() {
        let aud: Vec<&str> = match claims.get("aud") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !aud.iter().any(|a| policy.audiences.iter().any(|x| x == a)) {
            return Err(refused(codes::TOKEN_AUDIENCE, "the access token is not for this audience"));
        }
    }
    if claims.get("client_id").and_then(Value::as_str) != Some(f.client_id) {
        return Err(refused(codes::TOKEN_CLIENT_MISMATCH, "the access token was not issued to this client_id"));
    }
    if let Some(scope) = &policy.scope {
        let has = claims.get("scope").and_then(Value::as_str).is_some_and(|s| s.split(' ').any(|x| x == scope));
        if !has {
            return Err(refused(codes::TOKEN_SCOPE, format!("the access token lacks the scope {}", short(scope))));
        }
    }
    let mut warnings = Vec::new();
    match claims.get("cnf").and_then(|c| c.get("x5t#S256")) {
        None if policy.require_cnf => {
            return Err(refused(
                codes::TOKEN_CNF_MISSING,
                "the access token is not bound to a certificate (cnf.x5t#S256)",
            ));
        }
        None => {}
        Some(v) => {
            let x5t = v.as_str().unwrap_or_default();
            let cert = f.cert.ok_or_else(|| {
                refused(codes::TOKEN_CNF_MISMATCH, "the access token is bound to a certificate and none was presented")
            })?;
            let sha256 = cert.sha256().map(|d| base64url::encode(&d));
            if sha256.as_deref() != Some(x5t) {
                let sha1 = cert.fingerprint_sha1.to_ascii_uppercase();
                if policy.accept_sha1_cnf && !sha1.is_empty() && x5t == sha1 {
                    warnings.push(codes::TOKEN_CNF_SHA1);
                } else {
                    return Err(refused(
                        codes::TOKEN_CNF_MISMATCH,
                        "the access token is bound to another certificate (cnf.x5t#S256)",
                    ));
                }
            }
        }
    }
    Ok(warnings)
}

fn unavailable(what: &str, e: FetchError) -> TokenError {
    match e {
        FetchError::Refused(w) | FetchError::Unavailable(w) => TokenError::Unavailable(format!("{what}: {w}")),
    }
}

fn host_of(url: &str) -> Result<String, TokenError> {
    uri::parse(url)
        .filter(uri::Uri::is_https)
        .map(|u| u.host.to_ascii_lowercase())
        .ok_or_else(|| TokenError::NotConfigured(format!("{} is not an https URL", short(url))))
}

/// A JWT access token verified against the bank's key set: its claims.
async fn verified_claims(
    jws: CompactJws,
    url: &str,
    policy: &TokenPolicy,
    settings: &Settings,
    env: &Env,
) -> Result<Map<String, Value>, TokenError> {
    let host = host_of(url)?;
    let kid = jws.params().ok().and_then(|p| p.kid);
    let set = fetch::key_set(url, &host, kid.as_deref(), settings, env)
        .await
        .map_err(|e| unavailable("the token key set could not be fetched", e))?;
    let jwks = set.parsed.ok_or_else(|| TokenError::Unavailable("the token key set is not a valid JWKS".into()))?;
    let pending = jws
        .prepare(&jwks, policy.algorithms)
        .map_err(|e| refused(codes::TOKEN_INVALID, format!("the access token cannot be verified: {e}")))?;
    if !crate::verify_check(&pending.check()).await {
        return Err(refused(codes::TOKEN_INVALID, "the access token's signature does not verify"));
    }
    match pending.jws().payload_json(&Limits::DEFAULT) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(refused(codes::TOKEN_INVALID, "the access token's payload is not a JSON object")),
    }
}

/// RFC 7662: the token's metadata, if active.
async fn introspect(token: &str, settings: &Settings, env: &Env) -> Result<Map<String, Value>, TokenError> {
    let Some(i) = &settings.tokens.introspection else {
        return Err(refused(codes::TOKEN_UNVERIFIABLE, "opaque access tokens cannot be verified here"));
    };
    let host = host_of(&i.url)?;
    let encode = |s: &str| -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    let basic = base64_standard(format!("{}:{}", encode(&i.client_id), encode(&i.client_secret)).as_bytes());
    let auth = format!("Basic {basic}");
    let body = format!("token={}&token_type_hint=access_token", encode(token));
    let headers = [("authorization", auth.as_str()), ("content-type", "application/x-www-form-urlencoded")];
    let bytes = fetch::fetch_with(&i.url, &host, settings, env, 65_536, Method::Post, &headers, Some(&body))
        .await
        .map_err(|e| unavailable("the introspection endpoint", e))?;
    let Ok(Value::Object(m)) = parse_strict(&bytes, 8) else {
        return Err(TokenError::Unavailable("the introspection answer is not a JSON object".into()));
    };
    if m.get("active") != Some(&Value::Bool(true)) {
        return Err(refused(codes::TOKEN_INACTIVE, "the access token is not active (introspection)"));
    }
    Ok(m)
}

fn base64_standard(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Validates a management token. `Ok` carries warning codes.
pub async fn check(
    token: &str,
    f: &Facts<'_>,
    settings: &Settings,
    env: &Env,
) -> Result<Vec<&'static str>, TokenError> {
    let policy = &settings.tokens;
    if policy.jwks_url.is_none() && policy.introspection.is_none() {
        return Err(TokenError::NotConfigured(
            "management-token validation is on (DCR_MANAGEMENT_TOKENS=validate) but neither DCR_TOKEN_JWKS_URL nor DCR_INTROSPECTION_URL is set".into(),
        ));
    }
    let jwt = CompactJws::parse(token, &Limits::DEFAULT).ok();
    let (claims, introspected) = match (jwt, &policy.jwks_url) {
        (Some(jws), Some(url)) => (verified_claims(jws, url, policy, settings, env).await?, false),
        _ => (introspect(token, settings, env).await?, true),
    };
    check_claims(&claims, policy, &Facts { introspected, ..*f })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::type_complexity)]
mod tests {
    use super::*;
    use dcr_guard_core::jose::AlgorithmPolicy;
    use serde_json::json;

    fn policy() -> TokenPolicy {
        TokenPolicy {
            pass: false,
            jwks_url: Some("https://auth.bank.example/jwks".into()),
            issuer: Some("https://auth.bank.example".into()),
            audiences: vec!["https://bank.example/register".into()],
            algorithms: AlgorithmPolicy::FAPI,
            scope: Some("cdr:registration".into()),
            introspection: None,
            require_cnf: true,
            accept_sha1_cnf: false,
            clock_skew: 60,
        }
    }

    /// The WSO2 sample transport certificate's fingerprints (openssl; tests/vectors/edge/certs.json).
    fn cert() -> ClientCert {
        ClientCert {
            subject_dn: "CN=oQ4KoaavpOuoE7rvQsZEOV".into(),
            fingerprint_sha256: "d84828a4717a71b6d7b7de48e7c13af551160536588058ab054f6e81de83f430".into(),
            fingerprint_sha1: "87e68e4c0caa025aca043192c8842ddce97d3c5e".into(),
        }
    }

    fn claims(change: impl FnOnce(&mut Value)) -> Map<String, Value> {
        let x5t = base64url::encode(&cert().sha256().unwrap());
        let mut v = json!({
            "iss": "https://auth.bank.example", "aud": ["https://bank.example/register"], "exp": 1_800_000_000u64,
            "client_id": "c-1", "scope": "openid cdr:registration", "cnf": { "x5t#S256": x5t },
        });
        change(&mut v);
        v.as_object().unwrap().clone()
    }

    fn run(
        c: &Map<String, Value>,
        p: &TokenPolicy,
        cert: Option<&ClientCert>,
    ) -> Result<Vec<&'static str>, &'static str> {
        let f = Facts { client_id: "c-1", now: 1_790_000_000, cert, introspected: false };
        check_claims(c, p, &f).map_err(|e| match e {
            TokenError::Refused(code, _) => code,
            _ => "other",
        })
    }

    #[test]
    fn claim_rules() {
        let (p, c) = (policy(), cert());
        assert_eq!(run(&claims(|_| {}), &p, Some(&c)), Ok(vec![]));
        let rows: [(&str, fn(&mut Value)); 9] = [
            ("token.expired", |v| v["exp"] = json!(1_700_000_000u64)),
            ("token.expired", |v| {
                v.as_object_mut().unwrap().remove("exp");
            }),
            ("token.expired", |v| v["nbf"] = json!(1_795_000_000u64)),
            ("token.issuer", |v| v["iss"] = json!("https://other.example")),
            ("token.audience", |v| v["aud"] = json!("https://other.example")),
            ("token.client_mismatch", |v| v["client_id"] = json!("c-2")),
            ("token.scope", |v| v["scope"] = json!("openid cdr:registrationx")),
            ("token.cnf_mismatch", |v| v["cnf"]["x5t#S256"] = json!(base64url::encode(&[1; 32]))),
            ("token.cnf_missing", |v| {
                v.as_object_mut().unwrap().remove("cnf");
            }),
        ];
        for (code, change) in rows {
            assert_eq!(run(&claims(change), &p, Some(&c)), Err(code), "{code}");
        }
        assert_eq!(run(&claims(|_| {}), &p, None), Err("token.cnf_mismatch"), "bound token without a certificate");
        // The ACCC mock's upper-case hex SHA-1 in cnf.x5t#S256: only with the cdr-mock preset, as a warning.
        let sha1 = |v: &mut Value| v["cnf"]["x5t#S256"] = json!("87E68E4C0CAA025ACA043192C8842DDCE97D3C5E");
        assert_eq!(run(&claims(sha1), &p, Some(&c)), Err("token.cnf_mismatch"));
        let mock = TokenPolicy { accept_sha1_cnf: true, ..policy() };
        assert_eq!(run(&claims(sha1), &mock, Some(&c)), Ok(vec!["token.cnf_sha1"]));
        // Introspection answers need no exp.
        let f = Facts { client_id: "c-1", now: 1_790_000_000, cert: Some(&c), introspected: true };
        assert!(
            check_claims(
                &claims(|v| {
                    v.as_object_mut().unwrap().remove("exp");
                }),
                &p,
                &f
            )
            .is_ok()
        );
    }

    #[test]
    fn basic_credentials() {
        assert_eq!(base64_standard(b"Aladdin:open sesame"), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert_eq!(base64_standard(b"ab"), "YWI=");
        assert_eq!(base64_standard(b""), "");
    }
}
