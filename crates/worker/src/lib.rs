//! dcr-guard at the edge: a Cloudflare Worker on a bank's `registration_endpoint` that
//! validates DCR registration requests completely and forwards only valid ones, byte for byte,
//! with a verification header. It fails closed: anything it cannot fully validate (a key set or
//! the replay store out of reach, a bad configuration, an internal error) is answered by the
//! Worker and never forwarded.
//!
//! Flow of `POST /register` (and `PUT /register/{client_id}`): route and method → mTLS →
//! content type and size → software statement verified against the directory JWKS (phase 1) →
//! software JWKS named by the *verified* statement fetched through the SSRF guard → request
//! verified and checked (phase 2) → `jti` reserved in the replay store → forwarded. `GET` and
//! `DELETE /register/{client_id}` need mTLS (when configured) and a bearer token bound to the
//! certificate, and are forwarded without a body to validate.

#[cfg(feature = "bench")]
mod bench;
mod codes;
mod fetch;
mod forward;
mod log;
mod mtls;
mod register;
mod replay;
mod respond;
mod settings;
mod tokens;
mod verified;
#[cfg(not(feature = "rustcrypto"))]
mod webcrypto;

use std::cell::RefCell;
use std::rc::Rc;

use dcr_guard_core::Limits;
use dcr_guard_core::dcr::{
    ClientCert, Operation, RegisterStatus, ReplayKey, Request as CheckRequest, Signed, Step, Verify,
};
use dcr_guard_core::jose::{Jwks, SignatureCheck};
use futures_util::StreamExt;
use serde_json::{Map, Value, json};
use worker::{Context, Env, Method, Request, Response, Result, ScheduleContext, ScheduledEvent, event};

pub use replay::ReplayGuard;
use settings::{DirectoryJwks, Settings};

thread_local! {
    /// The checked configuration of this isolate (its variables do not change while it lives).
    static SETTINGS: RefCell<Option<Rc<std::result::Result<Settings, String>>>> = const { RefCell::new(None) };
    /// An inline directory JWKS, parsed once.
    static INLINE_DIRECTORY: RefCell<Option<Rc<Jwks>>> = const { RefCell::new(None) };
}

fn settings(env: &Env) -> Rc<std::result::Result<Settings, String>> {
    SETTINGS.with(|s| {
        let mut slot = s.borrow_mut();
        Rc::clone(slot.get_or_insert_with(|| Rc::new(Settings::from_env(env))))
    })
}

/// The current time. Test builds (feature `test-clock`, never deployed) read it from
/// `DCR_TEST_NOW` so the committed corpus, signed for a fixed time, can run over HTTP.
fn now_secs(env: &Env) -> u64 {
    #[cfg(feature = "test-clock")]
    if let Some(now) = env.var("DCR_TEST_NOW").ok().and_then(|v| v.to_string().parse().ok()) {
        return now;
    }
    let _ = env;
    worker::Date::now().as_millis() / 1000
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    #[cfg(feature = "bench")]
    if req.path().starts_with("/__bench/") {
        return bench::handle(req).await;
    }
    let started = worker::Date::now().as_millis();
    let method = req.method().to_string();
    match handle(req, &env).await {
        Ok(response) => Ok(response),
        Err(e) => {
            log::decision(
                json!({ "decision": "error", "status": 500, "method": method, "detail": e.to_string(), "ms": worker::Date::now().as_millis().saturating_sub(started) }),
            );
            respond::error(500, "server_error", "internal error; the request was not forwarded")
        }
    }
}

/// The Cron Trigger: polls the CDR Register's status feeds into KV (when the status check is on).
#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let settings = settings(&env);
    let Ok(settings) = settings.as_ref() else { return };
    if settings.register.is_none() {
        return;
    }
    match register::poll(settings, &env).await {
        Ok((products, recipients)) => log::decision(
            json!({ "decision": "register_polled", "software_products": products, "data_recipients": recipients }),
        ),
        Err(why) => log::decision(json!({ "decision": "register_poll_failed", "detail": why })),
    }
}

/// The path and query of a request URL as workerd gives it: already serialised (WHATWG), so they
/// run from the first `/` after the host to the fragment, and the path ends at the first `?`
/// (which it never holds unescaped). Slicing it here instead of parsing it again with `url::Url`
/// keeps the `url` crate's parser out of the module; both give the same strings for a
/// serialised URL.
fn path_and_query(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(url, |i| url.get(i + 3..).unwrap_or_default());
    let rest = after_scheme.find('/').map_or("/", |i| after_scheme.get(i..).unwrap_or("/"));
    rest.split_once('#').map_or(rest, |(before, _)| before)
}

/// The route a path names.
enum Route {
    Register,
    Client(String),
}

fn route(path: &str, prefix: &str) -> Option<Route> {
    let rest = path.strip_prefix(prefix)?;
    if rest == "/register" {
        return Some(Route::Register);
    }
    let id = rest.strip_prefix("/register/")?;
    (!id.is_empty() && !id.contains('/')).then(|| Route::Client(id.to_owned()))
}

async fn handle(mut req: Request, env: &Env) -> Result<Response> {
    let started = worker::Date::now().as_millis();
    let settings = settings(env);
    let settings = match settings.as_ref() {
        Ok(s) => s,
        Err(why) => {
            log::decision(json!({ "decision": "misconfigured", "status": 500, "detail": why }));
            return respond::error(500, "server_error", "the validator is not configured; nothing is forwarded");
        }
    };
    let url = req.inner().url();
    let path_and_query = path_and_query(&url);
    let path = path_and_query.split_once('?').map_or(path_and_query, |(path, _)| path);
    let Some(route) = route(path, &settings.path_prefix) else {
        return respond::error(404, "invalid_request", "not a registration endpoint");
    };
    let method = req.method();
    let client_id = match (&route, &method) {
        (Route::Register, Method::Post) => None,
        (Route::Register, _) => return respond::method_not_allowed("POST"),
        (Route::Client(id), Method::Get | Method::Put | Method::Delete) => Some(id.clone()),
        (Route::Client(_), _) => return respond::method_not_allowed("GET, PUT, DELETE"),
    };
    let mut log = Map::new();
    log.insert("method".into(), json!(method.to_string()));
    log.insert("route".into(), json!(if client_id.is_some() { "register/{client_id}" } else { "register" }));
    log.insert("profile".into(), json!(settings.profile.name()));

    // mTLS, when required: a presented certificate that Cloudflare verified.
    let cert = match mtls::client_cert(&req) {
        mtls::Presented::Verified(c) => Some(c),
        mtls::Presented::Unverified(why) if settings.require_mtls => {
            return finish(
                log,
                403,
                respond::error(403, "invalid_client", &format!("the TLS client certificate was not verified ({why})")),
                started,
            );
        }
        _ if settings.require_mtls => {
            return finish(
                log,
                401,
                respond::error(401, "invalid_client", "a verified TLS client certificate is required"),
                started,
            );
        }
        _ => None,
    };

    // Management routes: a bearer token, validated (or, by configuration, only bound to the
    // certificate when it says so).
    if let Some(id) = &client_id {
        let Some(token) = mtls::bearer(&req) else {
            return token_refused(log, codes::TOKEN_MISSING, "a bearer access token is required", started);
        };
        if settings.tokens.pass {
            if matches!(mtls::binding(&token, cert.as_ref()), mtls::Binding::Mismatch) {
                let msg = "the access token is bound to another certificate (cnf.x5t#S256)";
                return token_refused(log, codes::TOKEN_CNF_MISMATCH, msg, started);
            }
        } else {
            let facts = tokens::Facts { client_id: id, now: now_secs(env), cert: cert.as_ref(), introspected: false };
            match tokens::check(&token, &facts, settings, env).await {
                Ok(warnings) => {
                    if !warnings.is_empty() {
                        log.insert("warnings".into(), json!(warnings));
                    }
                }
                Err(tokens::TokenError::Refused(code, why)) => return token_refused(log, code, &why, started),
                Err(tokens::TokenError::Unavailable(why)) => {
                    return unavailable(log, codes::TOKEN_UNAVAILABLE, &why, started);
                }
                Err(tokens::TokenError::NotConfigured(why)) => {
                    log.insert("detail".into(), json!(why));
                    let msg = "management-token validation is not configured; nothing is forwarded";
                    return finish(log, 500, respond::error(500, "server_error", msg), started);
                }
            }
        }
    }
    if matches!(method, Method::Get | Method::Delete) {
        return forward_checked(&req, None, path_and_query, settings, env, log, started).await.map(|(r, _)| r);
    }

    // POST / PUT: a compact JWS of bounded size with a JWT/JOSE content type.
    let media = req.headers().get("content-type")?.unwrap_or_default();
    let media = media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let accepted = media == "application/jwt"
        || media == "application/jose"
        || (settings.json_bodies && media == "application/json");
    if !accepted {
        let want = if settings.json_bodies {
            "application/jwt, application/jose or application/json"
        } else {
            "application/jwt or application/jose"
        };
        return finish(
            log,
            415,
            respond::error(415, "invalid_request", &format!("the body must be a compact JWS sent as {want}")),
            started,
        );
    }
    let body = match read_body(&mut req, settings.max_body_bytes).await? {
        Some(b) => b,
        None => {
            let msg = format!("the body is larger than {} bytes", settings.max_body_bytes);
            return finish(log, 413, respond::error(413, "invalid_request", &msg), started);
        }
    };
    let token = String::from_utf8_lossy(&body).trim().to_owned();

    let operation = match &client_id {
        Some(id) => Operation::Update { client_id: id.clone() },
        None => Operation::Register,
    };
    let request = CheckRequest::register(&token, i64::try_from(now_secs(env)).unwrap_or(i64::MAX))
        .with_operation(operation)
        .with_client_cert(cert.as_ref().map(|c| {
            let core = ClientCert::new(c.subject_dn.clone());
            match c.sha256() {
                Some(d) => core.with_sha256_fingerprint(d),
                None => core,
            }
        }));

    // The core's driver says what it needs; the Worker does the I/O. The software key set is
    // asked for only once the statement verified against the directory's keys.
    let mut validation = settings.validator.start(request);
    let report = loop {
        validation = match validation.next() {
            Step::NeedDirectoryJwks(need) => {
                let kid = need.kid().map(str::to_owned);
                match directory_keys(kid.as_deref(), settings, env).await {
                    Ok(directory) => need.provide(&directory),
                    Err(why) => return finish(log, 503, respond::unavailable(&why), started),
                }
            }
            Step::Verify(check) => {
                let ok = verify(&check).await;
                check.answer(ok)
            }
            Step::NeedSoftwareJwks(need) => {
                // The core's fetch guard (the allow-list is in the validator's configuration): a
                // refused URL ends the validation with its own finding, never a fetch.
                let host = match need.fetch_target() {
                    Ok(h) => h,
                    Err(why) => break need.refuse(why),
                };
                let (url, kid) = (need.url().to_owned(), need.kid().map(str::to_owned));
                match fetch::key_set(&url, &host, kid.as_deref(), settings, env).await {
                    Ok(set) => match &set.parsed {
                        Some(jwks) => need.provide(jwks),
                        None => need.provide_document(&set.bytes),
                    },
                    Err(fetch::FetchError::Unavailable(why) | fetch::FetchError::Refused(why)) => {
                        return finish(
                            log,
                            503,
                            respond::unavailable(&format!("the software JWKS could not be fetched: {why}")),
                            started,
                        );
                    }
                }
            }
            Step::NeedRevokedJwks(need) => {
                let host = match fetch::check_url(need.url(), settings) {
                    Ok(h) => h,
                    Err(fetch::FetchError::Refused(why) | fetch::FetchError::Unavailable(why)) => {
                        let msg = format!("the software statement's revoked key set URL is not allowed: {why}");
                        return refused(log, "unapproved_software_statement", codes::JWKS_URL_REFUSED, &msg, started);
                    }
                };
                let url = need.url().to_owned();
                let set = match fetch::key_set(&url, &host, None, settings, env).await {
                    Ok(set) => set.parsed,
                    Err(fetch::FetchError::Unavailable(why) | fetch::FetchError::Refused(why)) => {
                        let msg = format!("a revoked key set could not be fetched: {why}");
                        return unavailable(log, codes::REVOCATION_UNAVAILABLE, &msg, started);
                    }
                };
                match set {
                    Some(jwks) => need.provide(&jwks),
                    // The directory's document, not the registrant's: the directory's fault.
                    None => {
                        let msg = format!("the revoked key set at {} is not a valid JWKS", short(&url));
                        return unavailable(log, codes::REVOCATION_UNAVAILABLE, &msg, started);
                    }
                }
            }
            Step::NeedSoftwareStatus(need) => {
                let Some(feed) = &settings.register else {
                    return unavailable(log, codes::REGISTER_STATUS_UNAVAILABLE, "no Register feed", started);
                };
                let (snapshot, stale) = match register::for_registration(settings, feed, env).await {
                    Ok(s) => s,
                    Err(why) => {
                        let msg = format!("the Register status is unavailable: {why}");
                        return unavailable(log, codes::REGISTER_STATUS_UNAVAILABLE, &msg, started);
                    }
                };
                if stale && !feed.stale_pass {
                    let msg = format!(
                        "the Register status is older than DCR_REGISTER_STATUS_MAX_AGE ({} s)",
                        feed.max_age_secs
                    );
                    return unavailable(log, codes::REGISTER_STATUS_UNAVAILABLE, &msg, started);
                }
                let product = register::status(&snapshot.products, need.software_id());
                let entity = need.legal_entity_id().and_then(|id| register::status(&snapshot.recipients, id));
                need.provide(RegisterStatus::new(product, entity).stale(stale))
            }
            Step::NeedSectorIdentifier(need) => {
                let url = need.url().to_owned();
                let host = match fetch::check_url_in(&url, &settings.sector_hosts, "DCR_SECTOR_ALLOWED_HOSTS") {
                    Ok(h) => h,
                    Err(fetch::FetchError::Refused(why) | fetch::FetchError::Unavailable(why)) => {
                        let msg = format!("the sector_identifier_uri is not allowed: {why}");
                        return refused(log, "invalid_client_metadata", codes::SECTOR_URL_REFUSED, &msg, started);
                    }
                };
                match fetch::document(&url, &host, settings, env, settings.sector_max_bytes).await {
                    Ok(doc) => need.provide_document(&doc),
                    Err(fetch::FetchError::Unavailable(why) | fetch::FetchError::Refused(why)) => {
                        let msg = format!("the sector_identifier_uri could not be fetched: {why}");
                        return unavailable(log, codes::SECTOR_UNAVAILABLE, &msg, started);
                    }
                }
            }
            Step::Done(report) => break report,
            // A step this build does not know: fail closed.
            _ => {
                return finish(
                    log,
                    500,
                    respond::error(500, "server_error", "internal error; nothing was forwarded"),
                    started,
                );
            }
        };
    };
    log.insert("validation_ms".into(), json!(worker::Date::now().as_millis().saturating_sub(started)));
    let warnings: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.severity == dcr_guard_core::dcr::Severity::Warning)
        .map(|f| f.code)
        .collect();
    if !warnings.is_empty() {
        log.insert("warnings".into(), json!(warnings));
    }
    if !report.valid {
        log.insert("error".into(), json!(report.error.map(|e| e.as_str())));
        log.insert("codes".into(), json!(report.error_codes().collect::<Vec<_>>()));
        return finish(log, 400, respond::rejected(&report), started);
    }
    // A valid report always carries its replay key (iss, jti and exp are required claims).
    let Some(ReplayKey { iss, jti, exp }) = report.replay_key.clone() else {
        return finish(log, 500, respond::error(500, "server_error", "internal error; nothing was forwarded"), started);
    };

    // Replay: the jti is held until exp; a reused one is refused.
    match replay::reserve(env, &iss, &jti, exp).await {
        Ok(replay::Reservation::Fresh) => {}
        Ok(replay::Reservation::Reused) => {
            let msg = "this request's jti was already used; sign a new request";
            return refused(log, "invalid_client_metadata", codes::REPLAY_JTI_REUSED, msg, started);
        }
        Err(e) => {
            return finish(log, 503, respond::unavailable(&format!("the replay store is unavailable: {e}")), started);
        }
    }
    let (response, reached) = forward_checked(&req, Some(&body), path_and_query, settings, env, log, started).await?;
    if !reached {
        // The request never reached the bank: give the jti back so the client may retry.
        let _ = replay::release(env, &iss, &jti).await;
    }
    Ok(response)
}

/// A 400 refusal of a URL the fetch guard does not allow, logged with its code.
fn refused(mut log: Map<String, Value>, error: &str, code: &str, msg: &str, started: u64) -> Result<Response> {
    log.insert("codes".into(), json!([code]));
    finish(log, 400, respond::refused(error, code, msg), started)
}

/// A 401 refusal of a management request's access token, logged with its code.
fn token_refused(mut log: Map<String, Value>, code: &str, msg: &str, started: u64) -> Result<Response> {
    log.insert("codes".into(), json!([code]));
    finish(log, 401, respond::invalid_token(code, msg), started)
}

/// 503 for a check whose source failed, logged with its code.
fn unavailable(mut log: Map<String, Value>, code: &str, why: &str, started: u64) -> Result<Response> {
    log.insert("codes".into(), json!([code]));
    finish(log, 503, respond::unavailable_code(code, why), started)
}

pub(crate) fn short(s: &str) -> String {
    s.chars().take(120).collect()
}

/// Answers one signature check: with workerd's WebCrypto (the deployed build), or with the
/// pure-Rust backend inside the module (feature `rustcrypto`, kept for comparison; see
/// docs/performance.md). A software statement this isolate verified before, byte for byte with
/// the same key and algorithm, is answered from memory ([`verified`]): registrants send the same
/// statement with every request.
async fn verify(check: &Verify) -> bool {
    let signature = check.check();
    if check.signed() != Signed::SoftwareStatement {
        return verify_check(&signature).await;
    }
    if verified::seen(&signature) {
        return true;
    }
    let ok = verify_check(&signature).await;
    if ok {
        verified::remember(&signature);
    }
    ok
}

/// [`verify`] for any signature check (the management tokens' too).
pub(crate) async fn verify_check(check: &SignatureCheck<'_>) -> bool {
    #[cfg(not(feature = "rustcrypto"))]
    return webcrypto::verify(check).await;
    #[cfg(feature = "rustcrypto")]
    RUST_CRYPTO.with(|v| dcr_guard_core::jose::verify_signature(v, check).is_ok())
}

#[cfg(feature = "rustcrypto")]
thread_local! {
    /// The pure-Rust backend with its key cache, for the isolate's life.
    static RUST_CRYPTO: dcr_guard_core::jose::RustCryptoVerifier = dcr_guard_core::jose::RustCryptoVerifier::new();
}

/// The directory's key set: inline (parsed once) or fetched (cached, refreshed once when the
/// statement's kid is unknown). `Err` means the directory is unreachable (503).
async fn directory_keys(
    ssa_kid: Option<&str>,
    settings: &Settings,
    env: &Env,
) -> std::result::Result<Rc<Jwks>, String> {
    match &settings.directory {
        DirectoryJwks::Inline(text) => INLINE_DIRECTORY.with(|slot| {
            let mut slot = slot.borrow_mut();
            if let Some(j) = slot.as_ref() {
                return Ok(Rc::clone(j));
            }
            let parsed = Rc::new(
                Jwks::parse(text.as_bytes(), &Limits::DEFAULT).map_err(|e| format!("DCR_DIRECTORY_JWKS: {e}"))?,
            );
            *slot = Some(Rc::clone(&parsed));
            Ok(parsed)
        }),
        DirectoryJwks::Url(url) => {
            let host = dcr_guard_core::dcr::uri::parse(url)
                .filter(|u| u.is_https())
                .map(|u| u.host.to_ascii_lowercase())
                .ok_or_else(|| "DCR_DIRECTORY_JWKS_URL must be an https URL".to_owned())?;
            let set = fetch::key_set(url, &host, ssa_kid, settings, env).await.map_err(|e| match e {
                fetch::FetchError::Refused(w) | fetch::FetchError::Unavailable(w) => {
                    format!("the directory JWKS could not be fetched: {w}")
                }
            })?;
            set.parsed.ok_or_else(|| "the directory JWKS is not a valid JWKS".to_owned())
        }
    }
}

/// Reads the body, refusing (`None`) once it exceeds `max` bytes: it is never buffered whole.
async fn read_body(req: &mut Request, max: usize) -> Result<Option<Vec<u8>>> {
    if let Some(len) = req.headers().get("content-length")?
        && len.trim().parse::<usize>().is_ok_and(|n| n > max)
    {
        return Ok(None);
    }
    let mut body = Vec::new();
    let mut stream = req.stream()?;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > max {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}

/// Forwards to the origin. Returns the response and whether the origin was reached (an
/// unreachable origin is answered 503 by the Worker).
async fn forward_checked(
    req: &Request,
    body: Option<&[u8]>,
    path_and_query: &str,
    settings: &Settings,
    env: &Env,
    mut log: Map<String, Value>,
    started: u64,
) -> Result<(Response, bool)> {
    match forward::to_origin(req, body, path_and_query, settings, env, now_secs(env)).await {
        Ok(response) => {
            log.insert("decision".into(), json!("forwarded"));
            log.insert("status".into(), json!(response.status_code()));
            log.insert("ms".into(), json!(worker::Date::now().as_millis().saturating_sub(started)));
            log::decision(Value::Object(log));
            Ok((response, true))
        }
        Err(why) => {
            let response = respond::unavailable(&format!("the bank could not be reached: {why}"));
            finish(log, 503, response, started).map(|r| (r, false))
        }
    }
}

/// Logs a decision that is not a forward and returns the response.
fn finish(mut log: Map<String, Value>, status: u16, response: Result<Response>, started: u64) -> Result<Response> {
    let decision = match status {
        400 => "rejected",
        503 => "unavailable",
        _ => "refused",
    };
    log.insert("decision".into(), json!(decision));
    log.insert("status".into(), json!(status));
    log.insert("ms".into(), json!(worker::Date::now().as_millis().saturating_sub(started)));
    log::decision(Value::Object(log));
    response
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The same path and query as `url::Url` gives for serialised URLs.
    #[test]
    fn path_and_query_matches_url_crate() {
        for u in [
            "https://bank.example/register",
            "https://bank.example/register?",
            "https://bank.example/register?a=1&b=%20",
            "https://bank.example:8443/prefix/register/abc?x",
            "https://bank.example/",
            "https://xn--bcher-kva.example/register/%C3%A9",
            "http://127.0.0.1:8787/register",
            "http://[::1]/a/b?c=d",
        ] {
            let parsed = worker::Url::parse(u).unwrap();
            let joined = parsed.query().map_or(parsed.path().to_owned(), |q| format!("{}?{q}", parsed.path()));
            assert_eq!(path_and_query(u), joined, "{u}");
            let path = path_and_query(u).split_once('?').map_or(path_and_query(u), |(path, _)| path);
            assert_eq!(path, parsed.path(), "{u}");
        }
    }
}
