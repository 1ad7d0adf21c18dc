//! WebAssembly bindings of `dcr-guard-core` for the npm package `dcr-guard`.
//!
//! The exports take strings (the JS layer in `js/src/core.js` normalises objects, JSON strings,
//! defaults and errors) and return one JSON text: `{"ok": value}` or `{"error": {code,
//! message}}`, which the JS layer parses with `JSON.parse` and turns into a result or an `Error`
//! with `code` `ERR_DCR_GUARD_…`. A report is exactly what `dcr-guard check --json` prints.
//! Verdicts about tokens are results, never exceptions.
//!
//! Why JSON text rather than serde-wasm-bindgen objects: one `JSON.parse` of a few kilobytes is
//! faster than hundreds of boundary calls building objects, and dropping the object builder and
//! the `Result` shims keeps the package under its size budget (docs/performance.md).
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]

mod cache;

use std::rc::Rc;

use dcr_guard_core::Limits;
use dcr_guard_core::dcr::{Inspection, Options, Validator};
use dcr_guard_core::jose::{AlgorithmPolicy, CompactJws, JoseError, RustCryptoVerifier, base64url};
use serde::Serialize;
use serde_json::{Value, json};
use wasm_bindgen::prelude::*;

/// A failure the caller must fix: `{code, message}`.
#[derive(Serialize)]
struct Failure {
    code: String,
    message: String,
}

fn fail(code: &str, message: &str) -> Failure {
    Failure { code: code.into(), message: message.into() }
}

fn jose_fail(e: &JoseError) -> Failure {
    fail(e.code(), &e.to_string())
}

/// The one shape every export returns: `{"ok": …}` or `{"error": {code, message}}`, as a JS
/// string (a `String` return would add a multi-value shim per export).
fn reply<T: Serialize>(result: Result<T, Failure>) -> JsValue {
    #[derive(Serialize)]
    #[serde(rename_all = "lowercase")]
    enum Reply<T> {
        Ok(T),
        Error(Failure),
    }
    let reply = match result {
        Ok(v) => Reply::Ok(v),
        Err(e) => Reply::Error(e),
    };
    let text = serde_json::to_string(&reply)
        .unwrap_or_else(|_| r#"{"error":{"code":"internal.serialize","message":"cannot serialise"}}"#.into());
    JsValue::from_str(&text)
}

/// `now` from JS: a finite number of seconds within ±2^53.
fn seconds(now: f64) -> Result<i64, Failure> {
    if now.is_finite() && now.abs() < 9_007_199_254_740_992.0 {
        // ok: bounded above, so the float-to-int conversion is exact after flooring.
        #[allow(clippy::cast_possible_truncation)]
        Ok(now.floor() as i64)
    } else {
        Err(fail("invalid_argument", "now must be a finite number of seconds"))
    }
}

/// The payload as JSON when it parses strictly, otherwise as text, otherwise null.
fn payload_value(jws: &CompactJws, limits: &Limits) -> Value {
    jws.payload_json(limits)
        .unwrap_or_else(|_| core::str::from_utf8(jws.payload()).map_or(Value::Null, |s| Value::String(s.into())))
}

/// Verifies a compact JWS against a JWKS (JSON text) under an algorithm policy
/// (`"PS256,ES256"` when absent). Returns `{valid, code?, message?, header?, payload?}`.
#[wasm_bindgen(js_name = verifyJws)]
pub fn verify_jws(token: &str, jwks_json: &str, algorithms: Option<String>) -> JsValue {
    reply(verify(token, jwks_json, algorithms))
}

fn verify(token: &str, jwks_json: &str, algorithms: Option<String>) -> Result<Value, Failure> {
    let limits = Limits::DEFAULT;
    let policy = match algorithms {
        Some(a) => AlgorithmPolicy::parse(&a).map_err(|e| fail("config.algorithm_unknown", &e.to_string()))?,
        None => AlgorithmPolicy::FAPI,
    };
    let outcome = cache::jwks(jwks_json, &limits)
        .and_then(|jwks| CompactJws::parse(token, &limits)?.prepare(&jwks, policy)?.verify(&RustCryptoVerifier));
    let decoded = CompactJws::parse(token, &limits).ok();
    let mut out = json!({ "valid": outcome.is_ok() });
    if let Value::Object(o) = &mut out {
        if let Err(e) = &outcome {
            o.insert("code".into(), e.code().into());
            o.insert("message".into(), e.to_string().into());
        }
        if let Some(d) = &decoded {
            o.insert("header".into(), Value::Object(d.header().clone()));
            o.insert("payload".into(), payload_value(d, &limits));
        }
    }
    Ok(out)
}

/// Decodes a compact JWS without verifying it: `{verified: false, header, payload,
/// signingInput, signature}` (signature as base64url). Throws when it is not a compact JWS.
#[wasm_bindgen(js_name = decodeJws)]
pub fn decode_jws(token: &str) -> JsValue {
    reply(decode(token))
}

fn decode(token: &str) -> Result<Value, Failure> {
    let limits = Limits::DEFAULT;
    let jws = CompactJws::parse(token, &limits).map_err(|e| jose_fail(&e))?;
    let signing_input = core::str::from_utf8(jws.signing_input()).unwrap_or_default();
    Ok(json!({
        "verified": false,
        "header": Value::Object(jws.header().clone()),
        "payload": payload_value(&jws, &limits),
        "signingInput": signing_input,
        "signature": base64url::encode(jws.signature()),
    }))
}

/// Builds (or reuses) the validator for an options object given as JSON text.
fn validator(options_json: &str) -> Result<Rc<Validator>, Failure> {
    cache::validator(options_json, || {
        let value = dcr_guard_core::jose::json::parse_strict(options_json.as_bytes(), Limits::DEFAULT.max_json_depth)
            .map_err(|e| fail("config.invalid_option", &e.to_string()))?;
        let config = Options::from_value(value)
            .and_then(|o| o.into_config(&Limits::DEFAULT))
            .map_err(|e| fail(e.code(), &e.to_string()))?;
        Ok(Validator::new(config))
    })
}

/// One call: both JWKS given. The directory JWKS is configuration (an invalid one is a
/// failure); the software JWKS belongs to the registrant (an invalid one is a finding).
#[wasm_bindgen(js_name = validateRegistration)]
pub fn validate_registration(
    token: &str,
    options_json: &str,
    ssa_jwks: &str,
    software_jwks: &str,
    now: f64,
) -> JsValue {
    let mut session = Session::new(token, options_json, ssa_jwks, now);
    session.finish(Some(software_jwks.to_owned()))
}

/// A registration check between its two phases (phase 1 runs in the constructor; a failure
/// to start is reported by `phase1` and `finish`).
#[wasm_bindgen]
pub struct Session {
    state: Result<(Rc<Validator>, Option<Inspection>), Failure>,
}

#[wasm_bindgen]
impl Session {
    /// Phase 1: decode, verify the SSA against the directory JWKS, check its claims.
    #[wasm_bindgen(constructor)]
    pub fn new(token: &str, options_json: &str, ssa_jwks: &str, now: f64) -> Session {
        let start = || -> Result<_, Failure> {
            let validator = validator(options_json)?;
            let now = seconds(now)?;
            let directory = cache::jwks(ssa_jwks, &validator.config().limits).map_err(|e| jose_fail(&e))?;
            let inspection = validator.inspect(token, &directory, now, &RustCryptoVerifier);
            Ok((validator, Some(inspection)))
        };
        Session { state: start() }
    }

    /// What phase 1 found: `{findings, rejected, request, ssa, softwareJwksUrl, kid}`.
    /// `softwareJwksUrl` is non-null only when the SSA verified and nothing rejects the request.
    pub fn phase1(&self) -> JsValue {
        reply(self.inspection().map(|(validator, insp)| {
            let fetch = insp.software_jwks(validator.config());
            json!({
                "findings": insp.findings(),
                "rejected": insp.is_rejected(),
                "request": insp.request(),
                "ssa": insp.ssa(),
                "softwareJwksUrl": fetch.as_ref().map(|f| f.url),
                "kid": fetch.as_ref().and_then(|f| f.kid),
            })
        }))
    }

    fn inspection(&self) -> Result<(&Validator, &Inspection), Failure> {
        match &self.state {
            Ok((v, Some(insp))) => Ok((v, insp)),
            Ok((_, None)) => Err(fail("invalid_argument", "this check has finished")),
            Err(e) => Err(fail(&e.code, &e.message)),
        }
    }

    /// Phase 2: the fetched software JWKS (JSON text), or none when phase 1 asked for no fetch.
    /// Returns the report.
    pub fn finish(&mut self, software_jwks: Option<String>) -> JsValue {
        let (validator, insp) = match &mut self.state {
            Ok((v, insp)) => (Rc::clone(v), insp.take()),
            Err(e) => return reply::<()>(Err(fail(&e.code, &e.message))),
        };
        let Some(mut insp) = insp else {
            return reply::<()>(Err(fail("invalid_argument", "this check has finished")));
        };
        if let Some(doc) = software_jwks {
            match cache::jwks(&doc, &validator.config().limits) {
                Ok(jwks) => validator.attach_software_jwks(&mut insp, &jwks),
                Err(_) => validator.attach_software_jwks_document(&mut insp, doc.as_bytes()),
            }
            // Answer the request's signature check synchronously.
            while let Some(check) = insp.pending() {
                let ok = dcr_guard_core::jose::verify_signature(&RustCryptoVerifier, &check).is_ok();
                validator.resolve(&mut insp, ok);
            }
        }
        reply(Ok(validator.report(insp)))
    }
}

/// Test builds only: panics, so the JS layer's recovery from a trap can be tested.
#[cfg(feature = "test-trap")]
#[wasm_bindgen(js_name = __trap)]
#[allow(clippy::panic)]
pub fn trap() {
    panic!("deliberate trap (test-trap feature)");
}
