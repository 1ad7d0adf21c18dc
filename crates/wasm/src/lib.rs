//! WebAssembly bindings of `dcr-guard-core` for the npm package `dcr-guard`.
//!
//! The exports take strings (the JS layer in `js/src/core.js` normalises objects, JSON strings,
//! defaults and errors) and return plain JS objects built with serde-wasm-bindgen's
//! JSON-compatible serializer, so a report is exactly what `dcr-guard check --json` prints.
//! Failures the caller must fix throw `{code, message}` (wrapped into an `Error` by the JS
//! layer); verdicts about tokens are results, never exceptions.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]

mod cache;

use std::rc::Rc;

use dcr_guard_core::Limits;
use dcr_guard_core::dcr::{Inspection, Options, Validator};
use dcr_guard_core::jose::{AlgorithmPolicy, CompactJws, JoseError, RustCryptoVerifier, base64url};
use serde::Serialize;
use serde_json::{Value, json};
use wasm_bindgen::prelude::*;

/// Serialises to a plain JS value (objects, not `Map`s).
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| fail("internal.serialize", &e.to_string()))
}

/// The `{code, message}` the JS layer turns into an `Error` with `code` `ERR_DCR_GUARD_…`.
fn fail(code: &str, message: &str) -> JsValue {
    let obj = json!({ "code": code, "message": message });
    obj.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}

fn jose_fail(e: &JoseError) -> JsValue {
    fail(e.code(), &e.to_string())
}

/// `now` from JS: a finite number of seconds within ±2^53.
fn seconds(now: f64) -> Result<i64, JsValue> {
    if now.is_finite() && now.abs() < 9_007_199_254_740_992.0 {
        // ok: bounded above, so the float-to-int conversion is exact after flooring.
        #[allow(clippy::cast_possible_truncation)]
        Ok(now.floor() as i64)
    } else {
        Err(fail("argument.invalid", "now must be a finite number of seconds"))
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
pub fn verify_jws(token: &str, jwks_json: &str, algorithms: Option<String>) -> Result<JsValue, JsValue> {
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
    to_js(&out)
}

/// Decodes a compact JWS without verifying it: `{verified: false, header, payload,
/// signingInput, signature}` (signature as base64url). Throws when it is not a compact JWS.
#[wasm_bindgen(js_name = decodeJws)]
pub fn decode_jws(token: &str) -> Result<JsValue, JsValue> {
    let limits = Limits::DEFAULT;
    let jws = CompactJws::parse(token, &limits).map_err(|e| jose_fail(&e))?;
    let signing_input = core::str::from_utf8(jws.signing_input()).unwrap_or_default();
    to_js(&json!({
        "verified": false,
        "header": Value::Object(jws.header().clone()),
        "payload": payload_value(&jws, &limits),
        "signingInput": signing_input,
        "signature": base64url::encode(jws.signature()),
    }))
}

/// Builds (or reuses) the validator for an options object given as JSON text.
fn validator(options_json: &str) -> Result<Rc<Validator>, JsValue> {
    cache::validator(options_json, || {
        let value: Value = serde_json::from_str(options_json).map_err(|e| fail("config.invalid_option", &e.to_string()))?;
        let config = Options::from_value(value)
            .and_then(|o| o.into_config(&Limits::DEFAULT))
            .map_err(|e| fail(e.code(), &e.to_string()))?;
        Ok(Validator::new(config))
    })
}

/// One call: both JWKS given. The directory JWKS is configuration (an invalid one throws); the
/// software JWKS belongs to the registrant (an invalid one is a finding).
#[wasm_bindgen(js_name = validateRegistration)]
pub fn validate_registration(
    token: &str,
    options_json: &str,
    ssa_jwks: &str,
    software_jwks: &str,
    now: f64,
) -> Result<JsValue, JsValue> {
    let mut session = Session::new(token, options_json, ssa_jwks, now)?;
    session.finish(Some(software_jwks.to_owned()))
}

/// A registration check between its two phases (phase 1 runs in the constructor).
#[wasm_bindgen]
pub struct Session {
    validator: Rc<Validator>,
    inspection: Option<Inspection>,
}

#[wasm_bindgen]
impl Session {
    /// Phase 1: decode, verify the SSA against the directory JWKS, check its claims.
    #[wasm_bindgen(constructor)]
    pub fn new(token: &str, options_json: &str, ssa_jwks: &str, now: f64) -> Result<Session, JsValue> {
        let validator = validator(options_json)?;
        let now = seconds(now)?;
        let directory = cache::jwks(ssa_jwks, &validator.config().limits).map_err(|e| jose_fail(&e))?;
        let inspection = validator.inspect(token, &directory, now, &RustCryptoVerifier);
        Ok(Session { validator, inspection: Some(inspection) })
    }

    /// What phase 1 found: `{findings, rejected, request, ssa, softwareJwksUrl, kid}`.
    /// `softwareJwksUrl` is non-null only when the SSA verified and nothing rejects the request.
    pub fn phase1(&self) -> Result<JsValue, JsValue> {
        let insp = self.inspection.as_ref().ok_or_else(|| fail("argument.invalid", "this check has finished"))?;
        let fetch = insp.software_jwks(self.validator.config());
        to_js(&json!({
            "findings": insp.findings(),
            "rejected": insp.is_rejected(),
            "request": insp.request(),
            "ssa": insp.ssa(),
            "softwareJwksUrl": fetch.as_ref().map(|f| f.url),
            "kid": fetch.as_ref().and_then(|f| f.kid),
        }))
    }

    /// Phase 2: the fetched software JWKS (JSON text), or none when phase 1 asked for no fetch.
    /// Returns the report.
    pub fn finish(&mut self, software_jwks: Option<String>) -> Result<JsValue, JsValue> {
        let mut insp = self.inspection.take().ok_or_else(|| fail("argument.invalid", "this check has finished"))?;
        if let Some(doc) = software_jwks {
            match cache::jwks(&doc, &self.validator.config().limits) {
                Ok(jwks) => self.validator.attach_software_jwks(&mut insp, &jwks),
                Err(_) => self.validator.attach_software_jwks_document(&mut insp, doc.as_bytes()),
            }
            // Answer the request's signature check synchronously.
            while let Some(check) = insp.pending() {
                let ok = dcr_guard_core::jose::verify_signature(&RustCryptoVerifier, &check).is_ok();
                self.validator.resolve(&mut insp, ok);
            }
        }
        to_js(&self.validator.report(insp))
    }
}

/// Test builds only: panics, so the JS layer's recovery from a trap can be tested.
#[cfg(feature = "test-trap")]
#[wasm_bindgen(js_name = __trap)]
#[allow(clippy::panic)]
pub fn trap() {
    panic!("deliberate trap (test-trap feature)");
}
