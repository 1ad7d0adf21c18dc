//! WebAssembly bindings of `dcr-guard-core` for the npm package `dcr-guard`.
//!
//! The exports take text (the JS layer in `js/src/api.js` normalises objects, JSON strings,
//! defaults and errors) and return one JSON text: `{"ok": value}` or `{"error": {code,
//! message}}`, which the JS layer parses with `JSON.parse` and turns into a result or an `Error`
//! with `code` `ERR_DCR_GUARD_…`. A report is exactly what `dcr-guard check --json` prints.
//! Verdicts about tokens are results, never exceptions.
//!
//! Text arrives through one input buffer ([`input_buffer`]): the JS layer writes UTF-8 into it
//! with `TextEncoder.encodeInto` and passes byte lengths. wasm-bindgen's own string passing
//! copies character by character in JS, which cost more than parsing the token.
//!
//! Signature checks are handed to the host: [`JwsCheck`] and [`Session`] stop at each pending
//! check, which the JS layer answers with the runtime's own crypto (`node:crypto`, WebCrypto) or
//! with the in-wasm RustCrypto backend (`settle`). Parsing, policy, key validation and findings
//! are this Rust code either way.
//!
//! Why JSON text rather than serde-wasm-bindgen objects: one `JSON.parse` of a few kilobytes is
//! faster than hundreds of boundary calls building objects, and dropping the object builder and
//! the `Result` shims keeps the package under its size budget (docs/performance.md).
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]

mod cache;

/// The browsers' module (feature `small-alloc`, profile `wasm-web`) allocates with lol_alloc's
/// free list instead of std's dlmalloc: about 3 KB gzip less of what a page downloads, and no
/// slower on this crate's JSON trees and reports (measured on the corpus request and on 64 KiB
/// tokens built to fragment the heap: docs/performance.md). It costs O(free-list length) per
/// allocation, which a per-call heap of a few thousand blocks keeps small; Node and workerd keep
/// dlmalloc. `LockedAllocator` (a spin lock that wasm's one thread never waits on) is the
/// wrapper that needs no `unsafe` here.
#[cfg(all(feature = "small-alloc", target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

use std::rc::Rc;

use dcr_guard_core::Limits;
use dcr_guard_core::dcr::{Awaiting, Options, RequestOptions, Session as CoreSession, Validator};
#[cfg(feature = "test-trap")]
use dcr_guard_core::jose::Jwks;
#[cfg(feature = "wasm-crypto")]
use dcr_guard_core::jose::RustCryptoVerifier;
#[cfg(feature = "test-trap")]
use dcr_guard_core::jose::verify_signature;
use dcr_guard_core::jose::{
    Algorithm, AlgorithmPolicy, CompactJws, JoseError, KeyMaterial, PendingJws, SignatureCheck, base64url, check_shape,
};

/// The in-wasm backend, or (in a build without it) one that verifies nothing, so a check no host
/// answered is reported as invalid rather than trusted.
#[cfg(not(feature = "wasm-crypto"))]
#[derive(Clone, Copy, Default)]
struct RustCryptoVerifier;

#[cfg(not(feature = "wasm-crypto"))]
impl dcr_guard_core::jose::Verifier for RustCryptoVerifier {
    fn verify(&self, _: &SignatureCheck<'_>) -> bool {
        false
    }
}
use std::cell::RefCell;

use dcr_guard_core::dcr::{DecodedJws, Finding};
use dcr_guard_core::jose::json::{write_str, write_value};
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

thread_local! {
    /// Where the JS layer writes the text of the next call (see [`input_buffer`]).
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Inputs beyond this keep their buffer only for the call that needed it: the size limits allow
/// megabytes (a discovery document in the options), which should not stay reserved.
const KEEP_INPUT_BYTES: usize = 256 * 1024;

/// Makes room for at least `len` bytes of input, keeping what is already written, and returns
/// its address in this module's memory. The JS layer writes there (after this call returns, so
/// a grown memory is already in place), then passes byte lengths to the next export, which
/// reads the text in order: each input follows the previous one.
#[wasm_bindgen(js_name = inputBuffer)]
pub fn input_buffer(len: usize) -> usize {
    INPUT.with(|b| {
        let mut b = b.borrow_mut();
        if b.len() < len {
            b.resize(len, 0);
        }
        b.as_mut_ptr() as usize
    })
}

/// Runs `f` over the inputs of `lens` bytes each, as text. The JS layer writes UTF-8
/// (`TextEncoder` cannot write anything else); bytes that were not would be read as empty text,
/// which every export refuses.
fn with_inputs<const N: usize, R>(lens: [usize; N], f: impl FnOnce([&str; N]) -> R) -> R {
    INPUT.with(|b| {
        let mut buf = b.borrow_mut();
        let result = {
            let mut rest: &[u8] = &buf;
            let texts = lens.map(|len| {
                let (text, tail) = rest.split_at_checked(len).unwrap_or((rest, &[]));
                rest = tail;
                core::str::from_utf8(text).unwrap_or_default()
            });
            f(texts)
        };
        if buf.len() > KEEP_INPUT_BYTES {
            *buf = Vec::new();
        }
        result
    })
}

/// A failure the caller must fix: `{code, message}`.
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
/// string (a `String` return would add a multi-value shim per export). Written with the core's
/// JSON writer, which gives serde_json's exact text without its serializer in the module.
fn reply(result: Result<Value, Failure>) -> JsValue {
    reply_text(result.map(|v| {
        let mut text = String::new();
        write_value(&mut text, &v);
        text
    }))
}

/// [`reply`] for a value already written as JSON text.
fn reply_text(result: Result<String, Failure>) -> JsValue {
    let mut text = String::new();
    match result {
        Ok(json) => {
            text.reserve(json.len() + 7);
            text.push_str("{\"ok\":");
            text.push_str(&json);
            text.push('}');
        }
        Err(e) => {
            text.push_str("{\"error\":{\"code\":");
            write_str(&mut text, &e.code);
            text.push_str(",\"message\":");
            write_str(&mut text, &e.message);
            text.push_str("}}");
        }
    }
    JsValue::from_str(&text)
}

/// A JSON object from members (a serde_json map, so written in sorted order as `json!` did).
fn object<const N: usize>(members: [(&str, Value); N]) -> Value {
    // Inserted one by one: `collect` would build the map by sorting, and bring a sort in.
    let mut map = Map::new();
    for (k, v) in members {
        map.insert(k.to_owned(), v);
    }
    Value::Object(map)
}

/// Text or null.
fn text_or_null(s: Option<&str>) -> Value {
    s.map_or(Value::Null, |s| Value::String(s.into()))
}

/// A finding as a JSON object (the members serde's derive gives it).
fn finding_value(f: &Finding) -> Value {
    object([
        ("code", f.code.into()),
        ("severity", f.severity.as_str().into()),
        ("pointer", f.pointer.as_str().into()),
        ("message", f.message.as_str().into()),
        ("spec", f.spec.into()),
        ("stage", f.stage.as_str().into()),
    ])
}

/// A decoded JWS as a JSON object (the members serde's derive gives it).
fn decoded_value(d: Option<DecodedJws>) -> Value {
    let Some(d) = d else { return Value::Null };
    let mut members = Map::new();
    members.insert("header".into(), d.header);
    members.insert("claims".into(), d.claims);
    members.insert("signature".into(), d.signature.as_str().into());
    if let Some(t) = d.key_thumbprint {
        members.insert("key_thumbprint".into(), t.into());
    }
    Value::Object(members)
}

/// Applies the fetch guard to the software key set's URL: a refused one ends the session with
/// its `jwks.url_refused` report, so no host is ever told to fetch it.
fn guard_fetch(session: &mut CoreSession) {
    if let Some(Err(why)) = session.software_jwks_target() {
        let _poisoned_if_err = session.refuse_software_jwks(why);
    }
}

/// The `softwareJwksUrl` and `kid` members of `phase1` and `fetchPlan`: the software JWKS the
/// host must fetch (null when none) and the request's `kid`.
fn fetch_members(session: &CoreSession) -> [(&'static str, Value); 2] {
    let fetch = session.software_jwks_request();
    [
        ("softwareJwksUrl", text_or_null(fetch.map(|(url, _)| url))),
        ("kid", text_or_null(fetch.and_then(|(_, kid)| kid))),
    ]
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

/// The signature check a host answers with its own crypto (WebCrypto, `node:crypto`), packed in
/// one byte array so a check costs one boundary crossing: `[alg: 1 = PS256, 2 = ES256]
/// [thumbprint: 43 ASCII bytes] [signature length: u16 little-endian] [signature] [signing
/// input]`. The RFC 7638 thumbprint keys the host's imported-key cache; on a miss the host asks
/// for the public JWK ([`pending_jwk`]). The core has already checked the shape (the algorithm
/// fits the key, the signature has the exact length).
fn pending_check(check: Option<SignatureCheck<'_>>) -> Option<Vec<u8>> {
    let check = check?;
    let thumbprint = check.key.thumbprint().as_bytes();
    let sig_len = u16::try_from(check.signature.len()).ok()?;
    if thumbprint.len() != 43 {
        return None;
    }
    let mut out = Vec::with_capacity(46 + check.signature.len() + check.signing_input.len());
    out.push(match check.alg {
        Algorithm::Ps256 => 1,
        Algorithm::Es256 => 2,
    });
    out.extend_from_slice(thumbprint);
    out.extend_from_slice(&sig_len.to_le_bytes());
    out.extend_from_slice(check.signature);
    out.extend_from_slice(check.signing_input);
    Some(out)
}

/// The pending key as public JWK JSON text, for the host to import.
fn pending_jwk(check: Option<SignatureCheck<'_>>) -> Option<String> {
    Some(match check?.key.material() {
        KeyMaterial::Rsa { n, e } => {
            format!(r#"{{"kty":"RSA","n":"{}","e":"{}"}}"#, base64url::encode(n), base64url::encode(e))
        }
        KeyMaterial::P256 { x, y } => {
            format!(r#"{{"kty":"EC","crv":"P-256","x":"{}","y":"{}"}}"#, base64url::encode(x), base64url::encode(y))
        }
    })
}

/// A host's answer counts only for a check of the right shape (defence in depth: the core
/// already refused every other shape before handing the check out).
fn host_answer(check: Option<SignatureCheck<'_>>, valid: bool) -> bool {
    valid && check.is_some_and(|c| check_shape(&c).is_ok())
}

/// One JWS verification against a JWKS (JSON text) under an algorithm policy (`"PS256,ES256"`
/// when absent). Its signature is answered by the host (`resolve`) or by the in-wasm backend
/// (`settle`); `result` then gives `{valid, code?, message?, header?, payload?}`.
#[wasm_bindgen]
pub struct JwsCheck {
    /// A caller mistake (an unknown algorithm name): thrown by the JS layer, not a verdict.
    failure: Option<Failure>,
    pending: Option<PendingJws>,
    outcome: Option<Result<(), JoseError>>,
    decoded: Option<CompactJws>,
}

#[wasm_bindgen]
impl JwsCheck {
    /// Parses the token, applies the policy and selects the key; the signature is then pending.
    /// The token (`token_len` bytes) and the JWKS text (`jwks_len` bytes) are in the input buffer.
    #[wasm_bindgen(constructor)]
    pub fn new(token_len: usize, jwks_len: usize, algorithms: Option<String>) -> JwsCheck {
        with_inputs([token_len, jwks_len], |[token, jwks]| JwsCheck::start(token, jwks, algorithms))
    }

    /// The answer to the pending check, and the next pending check (packed), if any.
    pub fn resolve(&mut self, valid: bool) -> Option<Vec<u8>> {
        if let Some(p) = self.pending.take() {
            let valid = host_answer(Some(p.check()), valid);
            self.outcome = Some(p.finish(valid).map(|_| ()));
        }
        self.pending_check()
    }
}

impl JwsCheck {
    fn start(token: &str, jwks_json: &str, algorithms: Option<String>) -> JwsCheck {
        let limits = Limits::DEFAULT;
        let decoded = CompactJws::parse(token, &limits).ok();
        let mut check = JwsCheck { failure: None, pending: None, outcome: None, decoded };
        let policy = match algorithms {
            Some(a) => match AlgorithmPolicy::parse(&a) {
                Ok(p) => p,
                Err(e) => {
                    check.failure = Some(fail("config.algorithm_unknown", &e.to_string()));
                    return check;
                }
            },
            None => AlgorithmPolicy::FAPI,
        };
        match cache::jwks(jwks_json, &limits).and_then(|jwks| CompactJws::parse(token, &limits)?.prepare(&jwks, policy))
        {
            Ok(p) => check.pending = Some(p),
            Err(e) => check.outcome = Some(Err(e)),
        }
        check
    }

    fn check(&self) -> Option<SignatureCheck<'_>> {
        self.pending.as_ref().map(PendingJws::check)
    }
}

#[wasm_bindgen]
impl JwsCheck {
    /// The pending signature check, packed (see [`pending_check`]), or `undefined`.
    #[wasm_bindgen(js_name = pendingCheck)]
    pub fn pending_check(&self) -> Option<Vec<u8>> {
        pending_check(self.check())
    }

    /// The pending key as public JWK JSON text.
    #[wasm_bindgen(js_name = pendingJwk)]
    pub fn pending_jwk(&self) -> Option<String> {
        pending_jwk(self.check())
    }

    /// Answers the pending check with the in-wasm backend.
    pub fn settle(&mut self) {
        if let Some(p) = self.pending.take() {
            self.outcome = Some(with_rust_crypto(|v| p.verify(v).map(|_| ())));
        }
    }

    /// `{valid, code?, message?, header?, payload?}`; a check never answered is not valid.
    pub fn result(&self) -> JsValue {
        if let Some(e) = &self.failure {
            return reply(Err(fail(&e.code, &e.message)));
        }
        let limits = Limits::DEFAULT;
        let outcome = self.outcome.clone().unwrap_or(Err(JoseError::SignatureInvalid));
        let mut o = Map::new();
        o.insert("valid".into(), outcome.is_ok().into());
        if let Err(e) = &outcome {
            o.insert("code".into(), e.code().into());
            o.insert("message".into(), e.to_string().into());
        }
        if let Some(d) = &self.decoded {
            o.insert("header".into(), Value::Object(d.header().clone()));
            o.insert("payload".into(), payload_value(d, &limits));
        }
        reply(Ok(Value::Object(o)))
    }
}

/// Decodes a compact JWS without verifying it: `{verified: false, header, payload,
/// signingInput, signature}` (signature as base64url). Throws when it is not a compact JWS.
#[wasm_bindgen(js_name = decodeJws)]
pub fn decode_jws(token_len: usize) -> JsValue {
    with_inputs([token_len], |[token]| reply(decode(token)))
}

fn decode(token: &str) -> Result<Value, Failure> {
    let limits = Limits::DEFAULT;
    let jws = CompactJws::parse(token, &limits).map_err(|e| jose_fail(&e))?;
    let signing_input = core::str::from_utf8(jws.signing_input()).unwrap_or_default();
    Ok(object([
        ("verified", false.into()),
        ("header", Value::Object(jws.header().clone())),
        ("payload", payload_value(&jws, &limits)),
        ("signingInput", signing_input.into()),
        ("signature", base64url::encode(jws.signature()).into()),
    ]))
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

/// The per-request options (`operation`, `clientCertSubjectDn`) as JSON text; empty for none.
fn request_options(json: &str) -> Result<RequestOptions, Failure> {
    if json.is_empty() {
        return Ok(RequestOptions::default());
    }
    let value = dcr_guard_core::jose::json::parse_strict(json.as_bytes(), Limits::DEFAULT.max_json_depth)
        .map_err(|e| fail("config.invalid_option", &e.to_string()))?;
    RequestOptions::from_value(&value).map_err(|e| fail(e.code(), &e.to_string()))
}

#[cfg(feature = "wasm-crypto")]
thread_local! {
    /// The in-wasm backend, kept for the module's life so its imported keys are reused.
    static RUST_CRYPTO: RustCryptoVerifier = RustCryptoVerifier::new();
}

/// Runs `f` with the in-wasm backend (in a build without it, one that verifies nothing).
fn with_rust_crypto<R>(f: impl FnOnce(&dyn dcr_guard_core::jose::Verifier) -> R) -> R {
    #[cfg(feature = "wasm-crypto")]
    return RUST_CRYPTO.with(|v| f(v));
    #[cfg(not(feature = "wasm-crypto"))]
    f(&RustCryptoVerifier)
}

/// Answers every check due now with the in-wasm backend.
fn settle_with_rust_crypto(session: &mut CoreSession) {
    with_rust_crypto(|v| session.verify_with(v));
}

/// One registration check, driven from JS through the core's checked [`CoreSession`]: `new`
/// (the directory key set given at once) → each pending check answered (`resolve` by the host,
/// or `settle`) → `fetchPlan`/`phase1` → `attach` → answered again → `report`. A call the
/// validation does not wait for poisons it, and `report` then returns the error; a failure to
/// start is reported by `phase1`, `fetchPlan` and `report`.
#[wasm_bindgen]
pub struct Session {
    state: Result<CoreSession, Failure>,
}

#[wasm_bindgen]
impl Session {
    /// Starts the check and gives it the directory key set. The token, the options JSON, the
    /// per-request options JSON (empty for none) and the directory JWKS text are in the input
    /// buffer, of `token_len`, `options_len`, `request_len` and `ssa_len` bytes.
    #[wasm_bindgen(constructor)]
    pub fn new(token_len: usize, options_len: usize, request_len: usize, ssa_len: usize, now: f64) -> Session {
        with_inputs([token_len, options_len, request_len, ssa_len], |[token, options, request, ssa_jwks]| {
            let start = || -> Result<_, Failure> {
                let validator = validator(options)?;
                let now = seconds(now)?;
                let request =
                    request_options(request)?.request(token, now).map_err(|e| fail(e.code(), &e.to_string()))?;
                let directory = cache::jwks(ssa_jwks, &validator.config().limits).map_err(|e| jose_fail(&e))?;
                let mut session = CoreSession::new(&validator, request);
                if session.awaiting() == Awaiting::DirectoryJwks {
                    session.directory_jwks(&directory).map_err(|e| fail(e.code(), &e.to_string()))?;
                }
                Ok(session)
            };
            Session { state: start() }
        })
    }

    fn check(&self) -> Option<SignatureCheck<'_>> {
        self.state.as_ref().ok()?.check()
    }

    /// The pending signature check, packed (see [`pending_check`]), or `undefined`.
    #[wasm_bindgen(js_name = pendingCheck)]
    pub fn pending_check(&self) -> Option<Vec<u8>> {
        pending_check(self.check())
    }

    /// The pending key as public JWK JSON text.
    #[wasm_bindgen(js_name = pendingJwk)]
    pub fn pending_jwk(&self) -> Option<String> {
        pending_jwk(self.check())
    }

    /// The host's answer to the pending check, and the next pending check (packed), if any. An
    /// answer with no check pending poisons the session (its `report` is then an error).
    pub fn resolve(&mut self, valid: bool) -> Option<Vec<u8>> {
        let valid = host_answer(self.check(), valid);
        if let Ok(session) = &mut self.state {
            let _poisoned_if_err = session.answer(valid);
        }
        self.pending_check()
    }

    /// Answers every pending check with the in-wasm backend.
    pub fn settle(&mut self) {
        if let Ok(session) = &mut self.state {
            settle_with_rust_crypto(session);
        }
    }

    /// What the first phase found: `{findings, rejected, request, ssa, softwareJwksUrl, kid}`.
    /// `softwareJwksUrl` is non-null only when the statement verified and nothing rejects the
    /// request. When the validation already finished (it needs no software key set), the
    /// findings and tokens are its report's.
    pub fn phase1(&mut self) -> JsValue {
        if let Ok(session) = &mut self.state {
            guard_fetch(session);
        }
        let session = match &self.state {
            Ok(s) => s,
            Err(e) => return reply(Err(fail(&e.code, &e.message))),
        };
        let plan = fetch_members(session);
        if let Some(v) = session.validation() {
            let findings = Value::Array(v.findings().iter().map(finding_value).collect());
            let [url, kid] = plan;
            return reply(Ok(object([
                ("findings", findings),
                ("rejected", v.is_rejected().into()),
                ("request", decoded_value(v.request())),
                ("ssa", decoded_value(v.ssa())),
                url,
                kid,
            ])));
        }
        // Finished without a software key set: its report (left in place for `report`).
        let Some(r) = session.finished() else {
            return reply(Err(fail("session.out_of_order", "this check has finished or was abandoned")));
        };
        let [url, kid] = plan;
        reply(Ok(object([
            ("findings", Value::Array(r.findings.iter().map(finding_value).collect())),
            ("rejected", (!r.valid).into()),
            ("request", decoded_value(r.request.clone())),
            ("ssa", decoded_value(r.ssa.clone())),
            url,
            kid,
        ])))
    }

    /// What `checkRegistration` needs between the phases, and no more: the software JWKS to
    /// fetch (or null) and the request's `kid`. A URL the core's fetch guard refuses is never
    /// handed out: the check ends with a `jwks.url_refused` finding instead (its report says so).
    #[wasm_bindgen(js_name = fetchPlan)]
    pub fn fetch_plan(&mut self) -> JsValue {
        match &mut self.state {
            Ok(session) => {
                guard_fetch(session);
                reply(Ok(object(fetch_members(session))))
            }
            Err(e) => reply(Err(fail(&e.code, &e.message))),
        }
    }

    /// The second phase: the fetched software JWKS (JSON text of `software_jwks_len` bytes in
    /// the input buffer), or none when the host did not fetch one (the report then says the
    /// request was not verified). A key set the validation does not need (it finished without
    /// one) is not used. Returns the request's signature check (packed), which is then pending.
    pub fn attach(&mut self, software_jwks_len: Option<usize>) -> Option<Vec<u8>> {
        if let Ok(session) = &mut self.state {
            let awaiting = session.awaiting();
            let _poisoned_if_err = match (software_jwks_len, awaiting) {
                (_, Awaiting::Report) => Ok(()),
                (None, _) => session.stop(),
                (Some(len), _) => with_inputs([len], |[doc]| match cache::jwks(doc, &Limits::DEFAULT) {
                    Ok(jwks) => session.software_jwks(&jwks),
                    Err(_) => session.software_jwks_document(doc.as_bytes()),
                }),
            };
        }
        self.pending_check()
    }

    /// The report (an error if a call was out of order or the report was taken).
    pub fn report(&mut self) -> JsValue {
        match &mut self.state {
            Ok(session) => match session.report() {
                Ok(report) => reply_text(Ok(report.to_json())),
                Err(e) => reply(Err(fail(e.code(), &e.to_string()))),
            },
            Err(e) => reply(Err(fail(&e.code, &e.message))),
        }
    }
}

/// Test builds only: one raw signature check through the core's key parsing and shape rules and
/// the in-wasm backend, for the differential test against the host backends (Wycheproof vectors
/// sign arbitrary bytes, which no compact JWS can carry). Returns `{jwk?, keyError?, shapeError?,
/// wasm}`: the public JWK a host would import, and the in-wasm verdict.
#[cfg(feature = "test-trap")]
#[wasm_bindgen(js_name = __rawCheck)]
pub fn raw_check(jwk_json: &str, alg: &str, message: &[u8], signature: &[u8]) -> JsValue {
    let run = || -> Result<Value, Failure> {
        let alg = dcr_guard_core::jose::Algorithm::from_name(alg).ok_or_else(|| fail("invalid_argument", "alg"))?;
        let doc = format!(r#"{{"keys":[{jwk_json}]}}"#);
        let jwks = Jwks::parse(doc.as_bytes(), &Limits::DEFAULT).map_err(|e| jose_fail(&e))?;
        let key = match jwks.select(None, alg) {
            Ok(k) => k,
            Err(e) => return Ok(object([("keyError", e.code().into()), ("wasm", false.into())])),
        };
        let check = SignatureCheck { alg, key, signing_input: message, signature };
        let (shape, wasm) = match check_shape(&check) {
            Err(e) => (Some(e.code()), false),
            Ok(()) => (None, with_rust_crypto(|v| verify_signature(v, &check).is_ok())),
        };
        Ok(object([
            ("jwk", pending_jwk(Some(check)).map_or(Value::Null, Value::String)),
            ("shapeError", text_or_null(shape)),
            ("wasm", wasm.into()),
        ]))
    };
    reply(run())
}

/// Test builds only: panics, so the JS layer's recovery from a trap can be tested.
#[cfg(feature = "test-trap")]
#[wasm_bindgen(js_name = __trap)]
#[allow(clippy::panic)]
pub fn trap() {
    // ok: compiled only with the test-only `test-trap` feature (js/dist-test), never in a shipped module; no input reaches it.
    panic!("deliberate trap (test-trap feature)");
}
