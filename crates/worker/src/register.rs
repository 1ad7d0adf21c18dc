//! The CDR Register's status feeds (AU): GetSoftwareProductsStatuses and
//! GetDataRecipientsStatuses (x-v 3, public, no authentication), polled by the Cron Trigger into
//! one KV snapshot, read at registration to answer the core's `NeedSoftwareStatus`. A product or
//! legal entity missing from a new poll keeps its last known status (CDS guidance); a poll that
//! fails leaves the snapshot as it was. A registration that finds no snapshot, or one older than
//! `DCR_REGISTER_STATUS_MAX_AGE`, polls once itself (at most once a minute per isolate, like a
//! key set's refresh); if that fails too it fails closed (503) or, for a stale snapshot, passes
//! with a warning (`DCR_REGISTER_STATUS_STALE=warn`).

use std::cell::RefCell;
use std::rc::Rc;

use dcr_guard_core::dcr::uri;
use dcr_guard_core::jose::json::parse_strict;
use js_sys::{Function, Promise, Reflect};
use serde_json::{Map, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use worker::{Env, Method};

use crate::fetch::{FetchError, fetch_with};
use crate::settings::{RegisterFeed, STATUS_KV, Settings};

/// The KV key of the snapshot.
pub const KEY: &str = "register-status";
/// Largest status document read (the production Register lists some hundreds of products).
const MAX_BYTES: usize = 4 << 20;
/// Most entries kept per feed.
const MAX_ENTRIES: usize = 100_000;
/// How long an isolate reuses the snapshot it read from KV.
const ISOLATE_SECS: u64 = 30;

/// Statuses by lower-case ID (status strings as JSON strings). serde_json's map, which the module
/// already has for every JSON object, instead of a map of its own: a `BTreeMap<String, String>`
/// built by `collect` brought its own sort and tree code (about 15 KB).
pub type Statuses = Map<String, Value>;

/// The status of `id`, if listed.
pub fn status<'a>(statuses: &'a Statuses, id: &str) -> Option<&'a str> {
    statuses.get(&id.to_ascii_lowercase()).and_then(Value::as_str)
}

/// What the Worker knows of the Register: statuses by ID and when they were fetched.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub fetched_at: u64,
    pub products: Statuses,
    pub recipients: Statuses,
}

impl Snapshot {
    /// As stored: `{"fetched_at": n, "products": {id: status}, "recipients": {id: status}}`.
    /// Written and read by hand with serde_json's `Value` (already in the module): a serde
    /// derive would add its visitor code for this one document.
    fn to_json(&self) -> String {
        let mut o = Map::new();
        o.insert("fetched_at".into(), Value::from(self.fetched_at));
        o.insert("products".into(), Value::Object(self.products.clone()));
        o.insert("recipients".into(), Value::Object(self.recipients.clone()));
        Value::Object(o).to_string()
    }

    fn from_json(text: &str) -> Option<Snapshot> {
        let v = parse_strict(text.as_bytes(), 4).ok()?;
        let fetched_at = v.get("fetched_at")?.as_u64()?;
        let map = |name: &str| -> Option<Statuses> {
            match v.get(name)? {
                Value::Object(m) if m.values().all(Value::is_string) => Some(m.clone()),
                _ => None,
            }
        };
        Some(Snapshot { fetched_at, products: map("products")?, recipients: map("recipients")? })
    }
}

/// The KV namespace, called directly: the `worker` crate's KV builders serialise their options
/// with serde-wasm-bindgen, which would bring it into the module for two calls.
struct Kv(JsValue);

impl Kv {
    fn new(env: &Env) -> Result<Kv, String> {
        let ns = Reflect::get(env, &JsValue::from_str(STATUS_KV)).map_err(|_| format!("no {STATUS_KV} binding"))?;
        if ns.is_undefined() { Err(format!("the {STATUS_KV} KV binding is missing")) } else { Ok(Kv(ns)) }
    }

    async fn call(&self, method: &str, a: &JsValue, b: &JsValue) -> Result<JsValue, String> {
        let f: Function = Reflect::get(&self.0, &JsValue::from_str(method))
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .ok_or_else(|| format!("KV has no {method}"))?;
        let promise: Promise = f.call2(&self.0, a, b).map_err(|e| format!("KV {method}: {e:?}"))?.unchecked_into();
        JsFuture::from(promise).await.map_err(|e| format!("KV {method}: {e:?}"))
    }

    async fn get_text(&self, key: &str) -> Result<Option<String>, String> {
        Ok(self.call("get", &JsValue::from_str(key), &JsValue::from_str("text")).await?.as_string())
    }

    async fn put_text(&self, key: &str, value: &str) -> Result<(), String> {
        self.call("put", &JsValue::from_str(key), &JsValue::from_str(value)).await.map(|_| ())
    }
}

/// Whether the status KV namespace is bound.
pub fn bound(env: &Env) -> bool {
    Kv::new(env).is_ok()
}

/// At most one poll from the registration path per isolate in this many seconds.
const INLINE_POLL_SECS: u64 = 60;

thread_local! {
    static ISOLATE: RefCell<Option<(u64, Rc<Snapshot>)>> = const { RefCell::new(None) };
    /// When a registration last polled the Register itself.
    static INLINE_POLL_AT: RefCell<Option<u64>> = const { RefCell::new(None) };
}

fn now_secs() -> u64 {
    worker::Date::now().as_millis() / 1000
}

/// The statuses of one feed: `{"data": [...]}` (x-v 2/3) or the x-v 1 arrays, each item with an
/// ID and a status under the names the versions used.
fn parse_feed(bytes: &[u8], id_names: &[&str], status_names: &[&str]) -> Result<Statuses, String> {
    let value = parse_strict(bytes, 8).map_err(|e| format!("not JSON: {e}"))?;
    let items = ["data", "softwareProducts", "dataRecipients"]
        .iter()
        .find_map(|k| value.get(*k).and_then(Value::as_array))
        .ok_or("no data array")?;
    if items.len() > MAX_ENTRIES {
        return Err(format!("more than {MAX_ENTRIES} entries"));
    }
    let mut out = Statuses::new();
    for item in items {
        let field = |names: &[&str]| names.iter().find_map(|n| item.get(*n).and_then(Value::as_str));
        let (Some(id), Some(status)) = (field(id_names), field(status_names)) else {
            return Err("an entry without an ID or a status".into());
        };
        out.insert(id.to_ascii_lowercase(), Value::String(status.to_ascii_uppercase()));
    }
    Ok(out)
}

async fn fetch_feed(feed: &RegisterFeed, path: &str, settings: &Settings, env: &Env) -> Result<Vec<u8>, String> {
    let url = format!("{}/cdr-register/v1/{}/{path}", feed.base_url, feed.industry);
    let host = uri::parse(&url).map(|u| u.host.to_ascii_lowercase()).ok_or("DCR_REGISTER_URL is not a URL")?;
    let headers = [("x-v", "3"), ("x-min-v", "3")];
    fetch_with(&url, &host, settings, env, MAX_BYTES, Method::Get, &headers, None).await.map_err(|e| match e {
        FetchError::Refused(w) | FetchError::Unavailable(w) => w,
    })
}

/// One poll: both feeds fetched and merged into the stored snapshot. Returns the counts.
pub async fn poll(settings: &Settings, env: &Env) -> Result<(usize, usize), String> {
    let Some(feed) = &settings.register else { return Ok((0, 0)) };
    let products = fetch_feed(feed, "data-recipients/brands/software-products/status", settings, env).await?;
    let products = parse_feed(&products, &["softwareProductId"], &["status", "softwareProductStatus"])
        .map_err(|e| format!("software product statuses: {e}"))?;
    let recipients = fetch_feed(feed, "data-recipients/status", settings, env).await?;
    let recipients = parse_feed(
        &recipients,
        &["legalEntityId", "dataRecipientId"],
        &["status", "legalEntityStatus", "dataRecipientStatus"],
    )
    .map_err(|e| format!("data recipient statuses: {e}"))?;
    let kv = Kv::new(env)?;
    let mut snapshot = kv.get_text(KEY).await?.and_then(|t| Snapshot::from_json(&t)).unwrap_or_default();
    for (id, status) in products {
        snapshot.products.insert(id, status);
    }
    for (id, status) in recipients {
        snapshot.recipients.insert(id, status);
    }
    snapshot.fetched_at = now_secs();
    kv.put_text(KEY, &snapshot.to_json()).await?;
    let counts = (snapshot.products.len(), snapshot.recipients.len());
    ISOLATE.with(|c| *c.borrow_mut() = Some((now_secs(), Rc::new(snapshot))));
    Ok(counts)
}

/// The snapshot, from this isolate (for up to 30 s) or KV. `Err`: none yet, or KV failed.
pub async fn snapshot(env: &Env) -> Result<Rc<Snapshot>, String> {
    let now = now_secs();
    if let Some(s) = ISOLATE.with(|c| {
        c.borrow().as_ref().filter(|(at, _)| now.saturating_sub(*at) < ISOLATE_SECS).map(|(_, s)| Rc::clone(s))
    }) {
        return Ok(s);
    }
    let kv = Kv::new(env)?;
    let text = kv.get_text(KEY).await.map_err(|e| format!("the status store failed: {e}"))?;
    let text = text.ok_or("no Register status has been polled yet")?;
    let snapshot = Snapshot::from_json(&text).ok_or("the stored status is unreadable")?;
    let snapshot = Rc::new(snapshot);
    ISOLATE.with(|c| *c.borrow_mut() = Some((now, Rc::clone(&snapshot))));
    Ok(snapshot)
}

/// The snapshot for a registration and whether it is stale: a missing or stale snapshot is
/// refreshed by one poll (rate-limited per isolate). `Err`: none could be had (503).
pub async fn for_registration(
    settings: &Settings,
    feed: &RegisterFeed,
    env: &Env,
) -> Result<(Rc<Snapshot>, bool), String> {
    let stored = snapshot(env).await;
    if let Ok(s) = &stored
        && !is_stale(s, feed)
    {
        return Ok((Rc::clone(s), false));
    }
    let now = now_secs();
    let may_poll = INLINE_POLL_AT.with(|c| {
        let mut at = c.borrow_mut();
        let allowed = at.is_none_or(|t| now.saturating_sub(t) >= INLINE_POLL_SECS);
        if allowed {
            *at = Some(now);
        }
        allowed
    });
    let polled = if may_poll { poll(settings, env).await.err() } else { Some("polled less than a minute ago".into()) };
    if polled.is_none()
        && let Ok(s) = snapshot(env).await
    {
        return Ok((Rc::clone(&s), is_stale(&s, feed)));
    }
    let why = polled.unwrap_or_default();
    match stored {
        Ok(s) => Ok((s, true)),
        Err(e) => Err(format!("{e}; polling the Register failed: {why}")),
    }
}

/// Whether the snapshot is older than the maximum age.
pub fn is_stale(snapshot: &Snapshot, feed: &RegisterFeed) -> bool {
    now_secs().saturating_sub(snapshot.fetched_at) > feed.max_age_secs
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_round_trip() {
        let mut s = Snapshot { fetched_at: 1_790_000_000, ..Snapshot::default() };
        s.products.insert("a\"b".into(), "ACTIVE".into());
        s.recipients.insert("e".into(), "SUSPENDED".into());
        assert_eq!(status(&s.products, "A\"B"), Some("ACTIVE"));
        let back = Snapshot::from_json(&s.to_json()).unwrap();
        assert_eq!((back.fetched_at, back.products, back.recipients), (s.fetched_at, s.products, s.recipients));
        assert!(Snapshot::from_json(r#"{"fetched_at":1,"products":{"a":1},"recipients":{}}"#).is_none());
    }

    #[test]
    fn feeds_of_each_version() {
        let v3 = br#"{"data":[{"softwareProductId":"ABC","status":"active"},{"softwareProductId":"d","status":"REMOVED"}],"links":{"self":"x"},"meta":{}}"#;
        let got = parse_feed(v3, &["softwareProductId"], &["status", "softwareProductStatus"]).unwrap();
        assert_eq!(status(&got, "ABC"), Some("ACTIVE"));
        assert_eq!(status(&got, "d"), Some("REMOVED"));
        let v1 = br#"{"dataRecipients":[{"dataRecipientId":"E","dataRecipientStatus":"SUSPENDED"}]}"#;
        let got = parse_feed(v1, &["legalEntityId", "dataRecipientId"], &["status", "dataRecipientStatus"]).unwrap();
        assert_eq!(status(&got, "e"), Some("SUSPENDED"));
        for bad in [&b"<html>"[..], br#"{"data":{}}"#, br#"{"data":[{"softwareProductId":"x"}]}"#] {
            assert!(parse_feed(bad, &["softwareProductId"], &["status"]).is_err());
        }
    }
}
