//! The operations behind the exports, in plain Rust so `cargo test` exercises them natively.
//!
//! Every function takes text (the JS layer turns objects into JSON text) and returns a
//! `serde_json::Value` result or a [`Failure`]. Results have the shapes of the CLI's `--json`
//! output: `verify --json` for [`verify_jws`], `serde_json::to_value(&report)` (`check --json`)
//! for [`validate_registration`] and [`Phase1::finish`].

use std::rc::Rc;

use dcr_guard_core::Limits;
use dcr_guard_core::dcr::{ConfigError, Finding, Inspection, Options, Report, Severity, Validator};
use dcr_guard_core::jose::json::parse_strict;
use dcr_guard_core::jose::{Algorithm, AlgorithmPolicy, CompactJws, Jwks, RustCryptoVerifier};
use serde_json::{Value, json};

use crate::cache::parse_cached;
use crate::outcome::{Failure, INTERNAL, INVALID_ARGUMENT};

/// The limits of every operation: the documented defaults, the same as the CLI's.
pub const LIMITS: Limits = Limits::DEFAULT;

/// Largest options text accepted (JSON of the options object). Options are configuration, but
/// they are copied into wasm memory, so they are bounded like everything else: a discovery
/// document (at most 256 KiB) escaped inside a JSON string can double in size.
pub const MAX_OPTIONS_BYTES: usize = 1024 * 1024;

/// `Number.MAX_SAFE_INTEGER`: the largest `now` a JS number carries exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// The limits, for the JS layer (it shortens oversized inputs before copying them into wasm
/// memory, so the core still reports its own size error).
pub fn limits() -> Value {
    json!({
        "maxTokenBytes": LIMITS.max_token_bytes,
        "maxDocumentBytes": LIMITS.max_document_bytes,
        "maxJsonDepth": LIMITS.max_json_depth,
        "maxJwksKeys": LIMITS.max_jwks_keys,
        "maxOptionsBytes": MAX_OPTIONS_BYTES,
    })
}

/// `now` in Unix seconds: a JS number that is an integer within ±2^53.
pub fn parse_now(now: f64) -> Result<i64, Failure> {
    if now.is_finite() && now.trunc() == now && now.abs() <= MAX_SAFE_INTEGER {
        // Exact: an integral f64 within ±2^53 converts to i64 without loss.
        Ok(now as i64)
    } else {
        Err(Failure::new(INVALID_ARGUMENT, format!("now must be an integer number of Unix seconds, got {now}")))
    }
}

/// Builds the configuration from the options JSON through the core's shared `Options` (the same
/// builder as the CLI's; unknown keys are refused there).
pub fn config(options_json: &str) -> Result<Validator, Failure> {
    let invalid = |why: String| Failure::config(&ConfigError::Option(why));
    if options_json.len() > MAX_OPTIONS_BYTES {
        return Err(invalid(format!("the options are larger than {MAX_OPTIONS_BYTES} bytes")));
    }
    let value = parse_strict(options_json.as_bytes(), LIMITS.max_json_depth)
        .map_err(|e| invalid(format!("the options are {e}")))?;
    let options = Options::from_value(value).map_err(|e| Failure::config(&e))?;
    let config = options.into_config(&LIMITS).map_err(|e| Failure::config(&e))?;
    Ok(Validator::new(config))
}

/// A JWKS argument, parsed through the cache; `what` names the argument in messages.
fn jwks(what: &str, text: &str) -> Result<Rc<Jwks>, Failure> {
    parse_cached(text, &LIMITS).map_err(|e| Failure::jwks(what, &e))
}

/// The `algorithms` option of `verifyJws` (JSON: a list of names or a comma-separated string),
/// read exactly like the `algorithms` option of a registration check.
pub fn algorithm_policy(algorithms_json: &str) -> Result<AlgorithmPolicy, Failure> {
    let unknown = |name: &str| Failure::config(&ConfigError::Algorithm(name.into()));
    let value = parse_strict(algorithms_json.as_bytes(), 2)
        .map_err(|e| Failure::config(&ConfigError::Option(format!("algorithms are {e}"))))?;
    let names: Vec<&str> = match &value {
        Value::String(s) => s.split(',').map(str::trim).collect(),
        Value::Array(a) => a.iter().map(|x| x.as_str().unwrap_or("")).collect(),
        _ => return Err(Failure::config(&ConfigError::Option("algorithms must be a list of names".into()))),
    };
    let mut algs = Vec::new();
    for name in names {
        algs.push(Algorithm::from_name(name).ok_or_else(|| unknown(name))?);
    }
    if algs.is_empty() {
        return Err(unknown(""));
    }
    Ok(AlgorithmPolicy::new(&algs))
}

/// The payload as JSON when it parses strictly, otherwise as text (or null if not UTF-8): what
/// the CLI shows.
fn payload_value(jws: &CompactJws) -> Value {
    jws.payload_json(&LIMITS)
        .unwrap_or_else(|_| core::str::from_utf8(jws.payload()).map_or(Value::Null, |s| Value::String(s.into())))
}

/// `verifyJws`: `{valid, code, message, header, payload}`, as `dcr-guard verify --json`. A token
/// that does not verify is a result; a JWKS document that cannot be used is a [`Failure`].
pub fn verify_jws(token: &str, jwks_text: &str, algorithms_json: Option<&str>) -> Result<Value, Failure> {
    let policy = match algorithms_json {
        Some(text) => algorithm_policy(text)?,
        None => AlgorithmPolicy::FAPI,
    };
    let jwks = jwks("jwks", jwks_text)?;
    let decoded = CompactJws::parse(token, &LIMITS);
    let outcome = decoded.clone().and_then(|j| j.prepare(&jwks, policy)?.verify(&RustCryptoVerifier));
    let (code, message) = match &outcome {
        Ok(_) => (None, None),
        Err(e) => (Some(e.code()), Some(e.to_string())),
    };
    // Decoded even when invalid, so the caller can see what was refused.
    let header = decoded.as_ref().ok().map(|d| Value::Object(d.header().clone()));
    let payload = decoded.as_ref().ok().map(payload_value);
    Ok(json!({ "valid": outcome.is_ok(), "code": code, "message": message, "header": header, "payload": payload }))
}

/// One decoded JWS for `decodeJws`, or why it cannot be decoded. The signature is returned as
/// its base64url segment (the JS layer turns it into bytes).
fn decoded_json(token: &str) -> (Value, Option<CompactJws>) {
    match CompactJws::parse(token, &LIMITS) {
        Err(e) => (json!({ "decoded": false, "verified": false, "code": e.code(), "message": e.to_string() }), None),
        Ok(jws) => {
            let signing_input = core::str::from_utf8(jws.signing_input()).unwrap_or_default();
            let signature = token.rsplit_once('.').map_or("", |(_, s)| s);
            let doc = json!({
                "decoded": true,
                "verified": false,
                "header": Value::Object(jws.header().clone()),
                "payload": payload_value(&jws),
                "signingInput": signing_input,
                "signature": signature,
            });
            (doc, Some(jws))
        }
    }
}

/// `decodeJws`: the token decoded but **not verified**, with its nested `software_statement`
/// decoded the same way (or `null` when the payload has none).
pub fn decode_jws(token: &str) -> Value {
    let (mut doc, jws) = decoded_json(token);
    if let Some(jws) = jws {
        let nested = jws
            .payload_json(&LIMITS)
            .ok()
            .and_then(|p| p.get("software_statement").and_then(Value::as_str).map(|s| decoded_json(s).0));
        if let Some(obj) = doc.as_object_mut() {
            obj.insert("softwareStatement".into(), nested.unwrap_or(Value::Null));
        }
    }
    doc
}

/// Serialising our own types into a `Value` cannot fail (every map key is a string); if it ever
/// did, that is our bug, not the caller's.
fn unserialisable(e: serde_json::Error) -> Failure {
    Failure::new(INTERNAL, format!("cannot serialise a result: {e}"))
}

/// The report as `dcr-guard check --json` prints it: `serde_json::to_value(&report)`.
fn report_json(report: &Report) -> Result<Value, Failure> {
    serde_json::to_value(report).map_err(unserialisable)
}

/// `validateRegistration`: both signatures and every rule in one call, like `dcr-guard check`.
/// Refusals come in the CLI's order: options, then `ssaJwks`, then `softwareJwks`.
pub fn validate_registration(
    options_json: &str,
    token: &str,
    ssa_jwks: &str,
    software_jwks: &str,
    now: f64,
) -> Result<Value, Failure> {
    let validator = config(options_json)?;
    let ssa = jwks("ssaJwks", ssa_jwks)?;
    let software = jwks("softwareJwks", software_jwks)?;
    let now = parse_now(now)?;
    report_json(&validator.validate(token, &ssa, &software, now, &RustCryptoVerifier))
}

/// The state of a two-phase check between phase 1 (the SSA) and phase 2 (the request
/// signature with the fetched software JWKS).
#[derive(Debug, Clone)]
pub struct Phase1 {
    validator: Validator,
    inspection: Inspection,
}

impl Phase1 {
    /// Phase 1: decodes the request, verifies the SSA against `ssa_jwks` and checks its claims.
    pub fn inspect(options_json: &str, token: &str, ssa_jwks: &str, now: f64) -> Result<Phase1, Failure> {
        let validator = config(options_json)?;
        let ssa = jwks("ssaJwks", ssa_jwks)?;
        let now = parse_now(now)?;
        let inspection = validator.inspect(token, &ssa, now, &RustCryptoVerifier);
        Ok(Phase1 { validator, inspection })
    }

    /// What phase 1 found, for `inspectRegistration` and for deciding whether to fetch:
    /// `{rejected, findings, request, ssa, verifiedSsaClaims, softwareJwksUrl, kid}`. The URL
    /// (and the request's `kid`) are given only when the SSA verified and nothing rejects the
    /// registration, so only a verified statement can make the host fetch anything.
    pub fn summary(&self) -> Result<Value, Failure> {
        let insp = &self.inspection;
        let mut findings: Vec<Finding> = insp.findings().to_vec();
        // The report's order: errors by stage, then warnings, each in discovery order.
        findings.sort_by_key(|f| (f.severity == Severity::Warning, f.stage));
        let fetch = insp.software_jwks(self.validator.config());
        Ok(json!({
            "rejected": insp.is_rejected(),
            "findings": serde_json::to_value(&findings).map_err(unserialisable)?,
            "request": serde_json::to_value(insp.request()).map_err(unserialisable)?,
            "ssa": serde_json::to_value(insp.ssa()).map_err(unserialisable)?,
            "verifiedSsaClaims": insp.verified_ssa_claims().map(|c| Value::Object(c.clone())),
            "softwareJwksUrl": fetch.as_ref().map(|f| f.url),
            "kid": fetch.as_ref().and_then(|f| f.kid),
        }))
    }

    /// Phase 2 with the software JWKS the host fetched: the full report.
    pub fn finish(self, software_jwks: &str) -> Result<Value, Failure> {
        let software = jwks("softwareJwks", software_jwks)?;
        report_json(&self.validator.finish(self.inspection, &software, &RustCryptoVerifier))
    }

    /// The report without a software JWKS, when phase 1 allowed no fetch: the request
    /// signature stays `unchecked`; the registration is already rejected by phase 1's errors.
    pub fn report(self) -> Result<Value, Failure> {
        report_json(&self.validator.report(self.inspection))
    }
}
