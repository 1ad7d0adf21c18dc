//! Replay protection: the `jti` of every accepted request is held until its `exp` in a Durable
//! Object, one object per registrant (`iss`), so check-and-set is strongly consistent. The
//! Worker reserves the `jti` after full validation and releases it again if the origin cannot
//! be reached, so a client may retry the same request after a 503.
//!
//! Every call to the object is bounded by [`TIMEOUT_MS`]: an object that is overloaded, being
//! reset or waiting on its storage must not hold the registration open. A call that fails or
//! times out is an `Err` and the Worker answers 503 without forwarding. (A reservation that
//! timed out may still land; the client then signs a new request with a new `jti`.)

use std::time::Duration;

use dcr_guard_core::jose::base64url;
use futures_util::future::{Either, select};
use serde::Serialize;
use sha2::{Digest, Sha256};
use wasm_bindgen::JsValue;
use worker::{Delay, DurableObject, Env, Method, Request, RequestInit, Response, Result, State, durable_object};

/// The binding name of the Durable Object namespace.
pub const BINDING: &str = "REPLAY";

/// How long one replay-store call may take (a healthy object answers in milliseconds).
pub const TIMEOUT_MS: u64 = 3000;

#[derive(Serialize)]
struct Op {
    /// `reserve` or `release`.
    op: String,
    /// SHA-256 of the jti, base64url: bounded keys whatever the jti's length.
    key: String,
    /// Unix seconds until which the jti is held.
    exp: i64,
}

impl Op {
    /// Reads an operation sent by [`call`]. By hand, not with the `worker` crate's `json`: that
    /// goes through serde-wasm-bindgen, whose error messages bring float formatting and more
    /// (about 20 KB) into the module for this one small message.
    fn read(body: &str) -> Result<Op> {
        let value = dcr_guard_core::jose::json::parse_strict(body.as_bytes(), 4)
            .map_err(|e| worker::Error::RustError(format!("replay operation: {e}")))?;
        let text = |name: &str| value.get(name).and_then(serde_json::Value::as_str).map(str::to_owned);
        match (text("op"), text("key"), value.get("exp").and_then(serde_json::Value::as_i64)) {
            (Some(op), Some(key), Some(exp)) => Ok(Op { op, key, exp }),
            _ => Err(worker::Error::RustError("replay operation: missing op, key or exp".into())),
        }
    }
}

/// The largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// An expiry as the JS number storage keeps. Beyond ±(2^53 - 1) it is refused, as the
/// serde-wasm-bindgen conversion used before refused it (the call then fails: 503).
fn js_number(exp: i64) -> Result<f64> {
    if (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&exp) {
        // ok: within ±2^53 every integer is an f64 exactly.
        #[allow(clippy::cast_precision_loss)]
        Ok(exp as f64)
    } else {
        Err(worker::Error::RustError(format!("{exp} can't be represented as a JavaScript number")))
    }
}

/// The expiry stored for `key`, if any. Storage holds only the safe integers this object wrote.
async fn stored_expiry(storage: &worker::Storage, key: &str) -> Result<Option<i64>> {
    let found = storage.get_multiple(vec![key]).await?;
    let value = found.get(&JsValue::from_str(key));
    if value.is_undefined() {
        return Ok(None);
    }
    match value.as_f64() {
        // ok: a safe integer converts to i64 exactly.
        #[allow(clippy::cast_possible_truncation)]
        Some(f) if f.fract() == 0.0 && f.abs() <= MAX_SAFE_INTEGER as f64 => Ok(Some(f as i64)),
        _ => Err(worker::Error::RustError("the stored expiry is not a safe integer".into())),
    }
}

/// The outcome of a reservation.
#[derive(Debug, PartialEq, Eq)]
pub enum Reservation {
    /// The jti was unused and is now held.
    Fresh,
    /// The jti was already used and has not expired.
    Reused,
}

fn key_of(jti: &str) -> String {
    base64url::encode(&Sha256::digest(jti.as_bytes()))
}

async fn call(env: &Env, iss: &str, body: &Op) -> Result<Response> {
    let namespace = env.durable_object(BINDING)?;
    let stub = namespace.id_from_name(iss)?.get_stub()?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_body(Some(serde_json::to_string(body)?.into()));
    let call = stub.fetch_with_request(Request::new_with_init("https://replay.invalid/", &init)?);
    match select(Box::pin(call), Delay::from(Duration::from_millis(TIMEOUT_MS))).await {
        Either::Left((answer, _)) => answer,
        Either::Right(_) => Err(worker::Error::RustError(format!("no answer within {TIMEOUT_MS} ms"))),
    }
}

/// Holds `jti` (of registrant `iss`) until `exp`, or reports that it was already used.
pub async fn reserve(env: &Env, iss: &str, jti: &str, exp: i64) -> Result<Reservation> {
    let response = call(env, iss, &Op { op: "reserve".into(), key: key_of(jti), exp }).await?;
    match response.status_code() {
        200 => Ok(Reservation::Fresh),
        409 => Ok(Reservation::Reused),
        other => Err(worker::Error::RustError(format!("replay guard answered {other}"))),
    }
}

/// Gives a reservation back (the request never reached the origin).
pub async fn release(env: &Env, iss: &str, jti: &str) -> Result<()> {
    call(env, iss, &Op { op: "release".into(), key: key_of(jti), exp: 0 }).await.map(|_| ())
}

/// The Durable Object: `jti` keys with their expiry; an alarm purges expired ones.
#[durable_object]
pub struct ReplayGuard {
    state: State,
}

impl DurableObject for ReplayGuard {
    fn new(state: State, _env: Env) -> Self {
        ReplayGuard { state }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let op = Op::read(&req.text().await?)?;
        let storage = self.state.storage();
        let now = worker::Date::now().as_millis() / 1000;
        let now = i64::try_from(now).unwrap_or(i64::MAX);
        match op.op.as_str() {
            "reserve" => {
                // The object handles one event at a time, so this read-then-write is atomic.
                if let Some(exp) = stored_expiry(&storage, &op.key).await?
                    && exp >= now
                {
                    return Response::error("reused", 409);
                }
                storage.put_raw(&op.key, JsValue::from_f64(js_number(op.exp)?)).await?;
                if storage.get_alarm().await?.is_none() {
                    storage.set_alarm(op.exp.saturating_add(1).saturating_mul(1000)).await?;
                }
                Response::ok("reserved")
            }
            "release" => {
                storage.delete(&op.key).await?;
                Response::ok("released")
            }
            _ => Response::error("unknown operation", 400),
        }
    }

    async fn alarm(&self) -> Result<Response> {
        let storage = self.state.storage();
        let now = i64::try_from(worker::Date::now().as_millis() / 1000).unwrap_or(i64::MAX);
        let entries = storage.list().await?;
        let mut next: Option<i64> = None;
        for entry in entries.entries() {
            let Ok(pair) = entry else { continue };
            let pair: js_sys::Array = pair.into();
            let (Some(key), Some(exp)) = (pair.get(0).as_string(), pair.get(1).as_f64()) else { continue };
            // ok: expiries are whole seconds stored by this object.
            #[allow(clippy::cast_possible_truncation)]
            let exp = exp as i64;
            if exp < now {
                storage.delete(&key).await?;
            } else {
                next = Some(next.map_or(exp, |n| n.min(exp)));
            }
        }
        if let Some(exp) = next {
            storage.set_alarm(exp.saturating_add(1).saturating_mul(1000)).await?;
        }
        Response::ok("purged")
    }
}
