//! Fetching key sets safely: the SSRF guard for URLs named by software statements, bounded
//! fetches (time, size, no redirects), and caching (parsed per isolate, raw in the Cache API)
//! with one rate-limited refresh on an unknown `kid` and stale-if-error within a bound.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

use dcr_guard_core::Limits;
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
    fn new(bytes: Vec<u8>) -> KeySet {
        let parsed = Jwks::parse(&bytes, &Limits::DEFAULT).ok().map(Rc::new);
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
    let unavailable = |why: String| FetchError::Unavailable(format!("{}: {why}", short(url)));
    let controller = AbortController::default();
    let signal = controller.signal();
    let mut init = RequestInit::new();
    init.with_method(Method::Get).with_redirect(RequestRedirect::Manual);
    let headers = Headers::new();
    let _ = headers.set("accept", "application/json, application/jwk-set+json");
    init.with_headers(headers);
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
    let now = now_secs();
    let cached = ISOLATE.with(|c| c.borrow().get(url).map(|e| (e.set.clone(), e.fetched_at, e.refresh_attempt_at)));
    let cached = match cached {
        Some(c) => Some(c),
        None => from_cache_api(url).await.map(|(set, at)| (set, at, 0)),
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
    match fetch_bounded(url, host, settings, env, settings.jwks_max_bytes).await {
        Ok(bytes) => {
            let set = KeySet::new(bytes);
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

async fn from_cache_api(url: &str) -> Option<(KeySet, u64)> {
    let mut response = Cache::default().get(cache_key(url), false).await.ok()??;
    let fetched_at = response.headers().get("x-dcr-guard-fetched-at").ok()??.parse().ok()?;
    let bytes = response.bytes().await.ok()?;
    Some((KeySet::new(bytes), fetched_at))
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
