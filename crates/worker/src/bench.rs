//! Benchmark builds only (feature `bench`, never deployed): `POST /__bench/validate?n=N` runs
//! the Worker's validation pipeline — phase 1, the SSA signature, phase 2, the request
//! signature, the report — N times in this isolate over one request, with the key sets parsed
//! once as the Worker's caches hold them. js/bench/workerd.mjs times it from outside (inside
//! workerd the clock only moves on I/O) and compares it with raw WebCrypto in a plain Worker.
//!
//! Body: `{"token", "options" (the core's option object), "ssaJwks", "softwareJwks", "now"}`.
//! With `&crypto=none` every signature check is answered `true` without any crypto, which
//! isolates the cost of the pipeline around the signatures; with `&crypto=await` each check
//! awaits an already resolved promise instead of WebCrypto, which adds the cost of an await
//! from Rust (wasm-bindgen-futures). With `&statements=new` the isolate's memory of verified
//! statements is cleared before each iteration, so every validation verifies both signatures (as
//! for a statement never seen); without it the statement is verified once and remembered, as
//! for a registrant's second request.

use dcr_guard_core::Limits;
use dcr_guard_core::dcr::{Options, RegisterStatus, Request as CheckRequest, Step, Validation, Validator};
use dcr_guard_core::jose::Jwks;
use serde_json::{Value, json};
use worker::{Request, Response, Result};

/// Most iterations one request may ask for.
const MAX_N: usize = 10_000;

pub async fn handle(mut req: Request) -> Result<Response> {
    let url = req.inner().url();
    let params: Vec<(&str, &str)> = super::path_and_query(&url)
        .split_once('?')
        .map_or("", |(_, query)| query)
        .split('&')
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .collect();
    let param = |name: &str| params.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
    let n = param("n").and_then(|v| v.parse::<usize>().ok()).unwrap_or(1).clamp(1, MAX_N);
    let fresh = param("statements") == Some("new");
    let mode = match param("crypto") {
        Some("none") => Mode::AnswerTrue,
        Some("await") => Mode::AwaitTrue,
        _ => Mode::Backend,
    };
    // Read as text and parsed by the core, as the deployed Worker reads its inputs: `req.json()`
    // would bring serde-wasm-bindgen into this build only, and the cold-start figures compare it.
    let body = dcr_guard_core::jose::json::parse_strict(req.text().await?.as_bytes(), 64)
        .map_err(|e| worker::Error::RustError(e.to_string()))?;
    let limits = Limits::DEFAULT;
    let text = |name: &str| body.get(name).map(Value::to_string).unwrap_or_default();
    let jwks =
        |name: &str| Jwks::parse(text(name).as_bytes(), &limits).map_err(|e| worker::Error::RustError(e.to_string()));
    let (ssa_jwks, software_jwks) = (jwks("ssaJwks")?, jwks("softwareJwks")?);
    let options = Options::from_value(body.get("options").cloned().unwrap_or(Value::Null))
        .and_then(|o| o.into_config(&limits))
        .map_err(|e| worker::Error::RustError(e.to_string()))?;
    // `/__bench/validate-io`: the checks with I/O on, answered from memory (an empty revoked set,
    // ACTIVE statuses, the statement's own redirect URIs as the sector document): the core's
    // added CPU, without the fetches (which the deployed Worker serves from its caches).
    let mut options = options;
    if super::path_and_query(&url).starts_with("/__bench/validate-io") {
        options.revocation = true;
        options.register_status = true;
        options.sector_identifier = true;
    }
    let revoked = Jwks::parse(br#"{"keys":[]}"#, &limits).map_err(|e| worker::Error::RustError(e.to_string()))?;
    let sector = text("sectorDocument");
    let validator = Validator::new(options);
    let token = body.get("token").and_then(Value::as_str).unwrap_or_default();
    let now = body.get("now").and_then(Value::as_i64).unwrap_or(0);
    let mut last = None;
    for _ in 0..n {
        if fresh {
            super::verified::clear();
        }
        let mut validation = validator.start(CheckRequest::register(token, now));
        last = Some(loop {
            validation = match validation.next() {
                Step::NeedDirectoryJwks(need) => need.provide(&ssa_jwks),
                Step::Verify(check) => mode.answer(check).await,
                Step::NeedSoftwareJwks(need) => need.provide(&software_jwks),
                Step::NeedRevokedJwks(need) => need.provide(&revoked),
                Step::NeedSoftwareStatus(need) => need.provide(RegisterStatus::new(Some("ACTIVE"), Some("ACTIVE"))),
                Step::NeedSectorIdentifier(need) => need.provide_document(sector.as_bytes()),
                Step::Done(report) => break report,
                _ => return Response::error("unknown step", 500),
            };
        });
    }
    let (valid, error) = last.map_or((false, None), |r| (r.valid, r.error.map(|e| e.as_str())));
    Response::from_json(&json!({ "n": n, "valid": valid, "error": error }))
}

/// How the bench route answers the pending signature checks (`crypto=` parameter).
#[derive(Clone, Copy)]
enum Mode {
    /// The deployed backend (workerd's WebCrypto, or the pure-Rust one with `rustcrypto`).
    Backend,
    /// `crypto=none`: every check answered `true` at once.
    AnswerTrue,
    /// `crypto=await`: each check awaits an already resolved promise, then is answered `true`.
    AwaitTrue,
}

impl Mode {
    async fn answer(self, check: dcr_guard_core::dcr::Verify) -> Validation {
        match self {
            Mode::Backend => {
                let ok = super::verify(&check).await;
                check.answer(ok)
            }
            Mode::AnswerTrue => check.answer(true),
            Mode::AwaitTrue => {
                let promise = js_sys::Promise::resolve(&wasm_bindgen::JsValue::TRUE);
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
                check.answer(true)
            }
        }
    }
}
