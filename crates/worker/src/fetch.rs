//! Fetching documents safely — key sets, revoked key sets, `sector_identifier_uri` documents: the
//! SSRF guard for URLs named by software statements, bounded fetches (time, size, no
//! redirects), and caching (per isolate, raw in the Cache API) with one rate-limited refresh on
//! an unknown `kid` and stale-if-error within a bound. Every document goes through the same
//! discipline; only key sets are parsed here (the core parses the others).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

use dcr_guard_core::Limits;
use dcr_guard_core::dcr::uri;
use dcr_guard_core::jose::Jwks;
use futures_util::StreamExt;
use futures_util::future::{Either, select};
use worker::{
    AbortController, Cache, Delay, Env, Fetch, Headers, Method, Request, RequestInit, RequestRedirect, Response,
};

use crate::settings::Settings;

/// Why a key set could not be obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// The URL is not allowed (scheme, host, address): the request is refused (400).
    Refused(String),
    /// The URL is allowed but the key set could not be fetched or read: retry later (503).
    Unavailable(String),
}

/// A fetched key set: the raw bytes (for the core, which reports what does not parse, invalid
/// UTF-8 included, as a finding: a broken software JWKS is the registrant's fault, a 400) and
/// its parsed form when it parses.
#[derive(Clone)]
pub struct KeySet {
    pub bytes: Rc<Vec<u8>>,
    pub parsed: Option<Rc<Jwks>>,
}

impl KeySet {
    fn new(bytes: Vec<u8>, kind: Kind) -> KeySet {
        let parsed = match kind {
            Kind::KeySet => Jwks::parse(&bytes, &Limits::DEFAULT).ok().map(Rc::new),
            Kind::Document => None,
        };
        KeySet { bytes: Rc::new(bytes), parsed }
    }

    /// Whether the set holds a key with this kid (no kid: nothing to look for).
    fn has_kid(&self, kid: Option<&str>) -> bool {
        match (kid, &self.parsed) {
            (None, _) => true,
            (Some(k), Some(jwks)) => jwks.entries().iter().any(|e| e.kid.as_deref() == Some(k)),
            (Some(_), None) => false,
        }
    }
}

/// What a fetched document is: a key set is parsed once per isolate; any other document is
/// kept as bytes for the core.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    KeySet,
    Document,
}

struct Entry {
    set: KeySet,
    fetched_at: u64,
    refresh_attempt_at: u64,
}

thread_local! {
    /// Parsed key sets of this isolate, by URL. Bounded by the number of distinct URLs the
    /// allow-list lets through; cleared beyond 256 entries.
    static ISOLATE: RefCell<HashMap<String, Entry>> = RefCell::new(HashMap::new());
}

fn now_secs() -> u64 {
    worker::Date::now().as_millis() / 1000
}

/// The SSRF guard for a URL taken from a verified software statement: the core's
/// ([`uri::fetch_target`]: https, no user info, never an IP literal or localhost; a public host
/// name on the default port, or a `host:port` the allow-list names), so the Worker and the npm
/// package refuse the same URLs.
pub fn check_url(url: &str, settings: &Settings) -> Result<String, FetchError> {
    check_url_in(url, &settings.jwks_hosts, "DCR_JWKS_ALLOWED_HOSTS")
}

/// [`check_url`] against another allow-list (`variable` names it in the refusal).
pub fn check_url_in(url: &str, hosts: &[String], variable: &str) -> Result<String, FetchError> {
    uri::fetch_target(url, &uri::HostAllowList::from_list(hosts))
        .map_err(|why| FetchError::Refused(format!("{why} ({variable}): {}", short(url))))
}

fn short(s: &str) -> String {
    s.chars().take(120).collect()
}

/// Fetches `url` (GET, no redirects) within the time and size limits. Hosts listed in
/// `DCR_HOST_BINDINGS` go to their service binding instead of the network.
pub async fn fetch_bounded(
    url: &str,
    host: &str,
    settings: &Settings,
    env: &Env,
    max_bytes: usize,
) -> Result<Vec<u8>, FetchError> {
    fetch_with(url, host, settings, env, max_bytes, Method::Get, &[], None).await
}

/// [`fetch_bounded`] with a method, extra headers and a body (the Register's `x-v`, an
/// introspection POST).
#[allow(clippy::too_many_arguments)] // one private call path; a struct would only rename them
pub async fn fetch_with(
    url: &str,
    host: &str,
    settings: &Settings,
    env: &Env,
    max_bytes: usize,
    method: Method,
    extra: &[(&str, &str)],
    body: Option<&str>,
) -> Result<Vec<u8>, FetchError> {
    let unavailable = |why: String| FetchError::Unavailable(format!("{}: {why}", short(url)));
    let controller = AbortController::default();
    let signal = controller.signal();
    let mut init = RequestInit::new();
    init.with_method(method).with_redirect(RequestRedirect::Manual);
    let headers = Headers::new();
    let _ = headers.set("accept", "application/json, application/jwk-set+json");
    for (k, v) in extra {
        let _ = headers.set(k, v);
    }
    init.with_headers(headers);
    if let Some(b) = body {
        init.with_body(Some(wasm_bindgen::JsValue::from_str(b)));
    }
    let request = Request::new_with_init(url, &init).map_err(|e| unavailable(e.to_string()))?;
    let response = async {
        match settings.host_bindings.get(host) {
            Some(binding) => {
                let service = env.service(binding)?;
                let resp = service.fetch_request(request).await?;
                Ok::<Response, worker::Error>(resp)
            }
            None => Fetch::Request(request).send_with_signal(&signal).await,
        }
    };
    let timeout = Delay::from(Duration::from_millis(settings.fetch_timeout_ms));
    let mut response = match select(Box::pin(response), timeout).await {
        Either::Left((Ok(r), _)) => r,
        Either::Left((Err(e), _)) => return Err(unavailable(e.to_string())),
        Either::Right(_) => {
            controller.abort();
            return Err(unavailable(format!("no answer within {} ms", settings.fetch_timeout_ms)));
        }
    };
    let status = response.status_code();
    if !(200..300).contains(&status) {
        return Err(unavailable(format!("HTTP {status} (redirects are not followed)")));
    }
    if let Ok(Some(len)) = response.headers().get("content-length")
        && len.parse::<usize>().is_ok_and(|n| n > max_bytes)
    {
        return Err(unavailable(format!("{len} bytes; at most {max_bytes} are read")));
    }
    let mut body = Vec::new();
    let mut stream = response.stream().map_err(|e| unavailable(e.to_string()))?;
    let reading = async {
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| unavailable(e.to_string()))?;
            if body.len() + chunk.len() > max_bytes {
                return Err(unavailable(format!("more than {max_bytes} bytes")));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(())
    };
    let timeout = Delay::from(Duration::from_millis(settings.fetch_timeout_ms));
    match select(Box::pin(reading), timeout).await {
        Either::Left((Ok(()), _)) => Ok(body),
        Either::Left((Err(e), _)) => Err(e),
        Either::Right(_) => {
            controller.abort();
            Err(unavailable(format!("body not read within {} ms", settings.fetch_timeout_ms)))
        }
    }
}

/// The Cache API key of a key-set URL (a synthetic URL: the Cache API keys by URL).
fn cache_key(url: &str) -> String {
    let encoded: String = url
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("https://dcr-guard.cache.invalid/jwks?u={encoded}")
}

/// The key set at `url`, from this isolate, the Cache API or the network, in that order.
/// `kid` is the key the caller looks for: a cached set without it is refreshed once (at most
/// every `DCR_JWKS_REFRESH_INTERVAL` seconds per URL). If the network fails, a cached set up to
/// `DCR_JWKS_STALE_MAX` seconds old is used (stale-if-error).
pub async fn key_set(
    url: &str,
    host: &str,
    kid: Option<&str>,
    settings: &Settings,
    env: &Env,
) -> Result<KeySet, FetchError> {
    cached(url, host, kid, settings, env, settings.jwks_max_bytes, Kind::KeySet).await
}

/// Any other document (a `sector_identifier_uri` document): the same guard, limits and cache
/// discipline as key sets, at most `max_bytes`, unparsed.
pub async fn document(
    url: &str,
    host: &str,
    settings: &Settings,
    env: &Env,
    max_bytes: usize,
) -> Result<Rc<Vec<u8>>, FetchError> {
    cached(url, host, None, settings, env, max_bytes, Kind::Document).await.map(|d| d.bytes)
}

async fn cached(
    url: &str,
    host: &str,
    kid: Option<&str>,
    settings: &Settings,
    env: &Env,
    max_bytes: usize,
    kind: Kind,
) -> Result<KeySet, FetchError> {
    let now = now_secs();
    let cached = ISOLATE.with(|c| c.borrow().get(url).map(|e| (e.set.clone(), e.fetched_at, e.refresh_attempt_at)));
    let cached = match cached {
        Some(c) => Some(c),
        None => from_cache_api(url, kind).await.map(|(set, at)| (set, at, 0)),
    };
    // A fresh set is used as is, unless it lacks the wanted kid and no kid-miss refresh of this
    // URL happened within the interval (the rate limit applies to kid-miss refreshes only).
    let mut attempt_at = 0;
    if let Some((set, fetched_at, last_attempt)) = &cached {
        attempt_at = *last_attempt;
        let fresh = now.saturating_sub(*fetched_at) < settings.jwks_ttl_secs;
        let may_refresh = now.saturating_sub(*last_attempt) >= settings.jwks_refresh_interval_secs;
        if fresh && (set.has_kid(kid) || !may_refresh) {
            remember(url, set.clone(), *fetched_at, *last_attempt);
            return Ok(set.clone());
        }
        if fresh {
            attempt_at = now; // a kid-miss refresh
        }
    }
    match fetch_bounded(url, host, settings, env, max_bytes).await {
        Ok(bytes) => {
            let set = KeySet::new(bytes, kind);
            remember(url, set.clone(), now, attempt_at);
            to_cache_api(url, &set.bytes, now, settings).await;
            Ok(set)
        }
        Err(e) => match cached {
            Some((set, fetched_at, _)) if now.saturating_sub(fetched_at) < settings.jwks_stale_secs => {
                remember(url, set.clone(), fetched_at, attempt_at);
                Ok(set)
            }
            _ => Err(e),
        },
    }
}

fn remember(url: &str, set: KeySet, fetched_at: u64, refresh_attempt_at: u64) {
    ISOLATE.with(|c| {
        let mut map = c.borrow_mut();
        if map.len() >= 256 && !map.contains_key(url) {
            map.clear();
        }
        map.insert(url.to_owned(), Entry { set, fetched_at, refresh_attempt_at });
    });
}

async fn from_cache_api(url: &str, kind: Kind) -> Option<(KeySet, u64)> {
    let mut response = Cache::default().get(cache_key(url), false).await.ok()??;
    let fetched_at = response.headers().get("x-dcr-guard-fetched-at").ok()??.parse().ok()?;
    let bytes = response.bytes().await.ok()?;
    Some((KeySet::new(bytes, kind), fetched_at))
}

async fn to_cache_api(url: &str, bytes: &[u8], fetched_at: u64, settings: &Settings) {
    let headers = Headers::new();
    let _ = headers.set("content-type", "application/json");
    let _ = headers.set("cache-control", &format!("max-age={}", settings.jwks_stale_secs));
    let _ = headers.set("x-dcr-guard-fetched-at", &fetched_at.to_string());
    if let Ok(response) = Response::from_bytes(bytes.to_vec()).map(|r| r.with_headers(headers)) {
        let _ = Cache::default().put(cache_key(url), response).await;
    }
}
