//! The rule registry: dispatch to the profile's tables and rules ([`super::profile`]), and the
//! cross-claim rules every profile shares (redirect URIs within the statement's, `iss` equal to
//! the statement's `software_id`, list values allowed and advertised, the operation's rules).

use super::claims::ClaimSet;
use super::config::{ClientCert, Config, Operation};
use super::findings::Findings;

/// What a rule needs: the deployment's configuration, the request's own facts, the injected
/// time and where to report.
pub(crate) struct Ctx<'a> {
    pub config: &'a Config,
    pub facts: &'a RequestFacts,
    pub now: i64,
    pub f: &'a mut Findings,
}

/// What one request brings besides its token (see [`super::Request`]).
#[derive(Debug, Clone)]
pub(crate) struct RequestFacts {
    pub operation: Operation,
    pub client_cert: Option<ClientCert>,
}

/// The statement's claims, by its profile's tables and rules.
pub(crate) fn check_ssa(cx: &mut Ctx<'_>, ssa: &ClaimSet<'_>) {
    cx.config.profile.spec().check_ssa(cx, ssa)
}

/// The request's claims, by its profile's tables and rules. `ssa` is `None` when the software
/// statement could not be decoded.
pub(crate) fn check_request(cx: &mut Ctx<'_>, req: &ClaimSet<'_>, ssa: Option<&ClaimSet<'_>>) {
    cx.config.profile.spec().check_request(cx, req, ssa)
}

use alloc::format;
use alloc::vec::Vec;

use super::claims::one_of;
use super::codes;
use super::findings::ptr::Ptr;
use super::report::Stage;
use super::uri;
use crate::jose::json::short;

/// The redirect-URI rules both profiles share, reported in [`Stage::RedirectUris`]: each
/// request URI is an absolute `https` URI, not localhost or loopback, without a fragment,
/// at most `max_len` characters, and exactly one of the SSA's URIs (a match ignoring case is
/// a deviation: the ACCC mock compares case-insensitively). `ssa_uris` is `None` when the SSA's
/// list is unavailable; the subset rule is then skipped (the SSA's own finding explains why).
pub(crate) fn check_redirect_uris(
    cx: &mut Ctx<'_>,
    base: Ptr<'_>,
    uris: &[&str],
    ssa_uris: Option<&[&str]>,
    max_len: usize,
    spec: &'static str,
) {
    cx.f.set_stage(Stage::RedirectUris);
    for (i, u) in uris.iter().enumerate() {
        let p = base.at(i);
        if !super::claims::max_len(cx.f, p, u, max_len, spec) {
            continue;
        }
        match uri::parse(u) {
            None => cx.f.error(codes::REDIRECT_INVALID, p, format!("\"{}\" is not an absolute URI", short(u)), spec),
            Some(parsed) => {
                if !parsed.is_https() {
                    cx.f.error(codes::REDIRECT_NOT_HTTPS, p, format!("\"{}\" is not https", short(u)), spec);
                }
                if parsed.host_is_local() {
                    cx.f.error(
                        codes::REDIRECT_LOCALHOST,
                        p,
                        format!("\"{}\" points at localhost or a loopback address", short(u)),
                        spec,
                    );
                }
                if parsed.fragment.is_some() {
                    cx.f.error(codes::REDIRECT_FRAGMENT, p, format!("\"{}\" has a fragment", short(u)), spec);
                }
            }
        }
        let Some(ssa_uris) = ssa_uris else { continue };
        if ssa_uris.contains(u) {
            continue;
        }
        if ssa_uris.iter().any(|s| s.eq_ignore_ascii_case(u)) {
            cx.f.deviation(
                &super::policy::REQUEST_REDIRECT_URI_CASE,
                p,
                format!("\"{}\" matches a software statement redirect URI only when case is ignored", short(u)),
                spec,
            );
        } else {
            cx.f.error(
                codes::REDIRECT_NOT_IN_SSA,
                p,
                format!("\"{}\" is not one of the software statement's redirect URIs", short(u)),
                spec,
            );
        }
    }
}

/// Request `iss` must equal the SSA's `software_id` (UK data dictionary; CDS). Returns whether
/// it does. Reports nothing when either value is unavailable (their own findings explain).
pub(crate) fn check_iss_is_software_id(
    cx: &mut Ctx<'_>,
    req: &ClaimSet<'_>,
    iss: Option<&str>,
    ssa: Option<&ClaimSet<'_>>,
    spec: &'static str,
) -> bool {
    let software_id = ssa.and_then(|s| s.raw("software_id")).and_then(|v| v.as_str());
    match (iss, software_id) {
        (Some(iss), Some(id)) if iss != id => {
            cx.f.error(
                codes::CLAIM_MISMATCH,
                req.pointer("iss"),
                format!("iss \"{}\" is not the software statement's software_id \"{}\"", short(iss), short(id)),
                spec,
            );
            false
        }
        _ => true,
    }
}

/// A list claim whose every value must be allowed (e.g. `grant_types`), then advertised by
/// discovery. Returns the accepted canonical values.
pub(crate) fn check_each_allowed(
    cx: &mut Ctx<'_>,
    base: Ptr<'_>,
    values: &[&str],
    allowed: &[&'static str],
    discovery_member: Option<&'static str>,
    spec: &'static str,
) -> Vec<&'static str> {
    let mut accepted = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let p = base.at(i);
        if let Some(canonical) = one_of(cx.f, p, v, allowed, spec) {
            if let Some(member) = discovery_member {
                super::discovery::check_supported(cx.f, cx.config.discovery.as_ref(), member, canonical, p, spec);
            }
            accepted.push(canonical);
        }
    }
    accepted
}

const SPEC_RFC7592: &str = "RFC 7592 §2.2; RFC 7591 §3.2.1";

/// Rules that depend on the operation, shared by every profile (call at the end of
/// `check_request`): on update, `client_id` (if sent) must equal the path's client ID and the
/// RFC 7592 server-issued fields must not be sent; on register, `client_secret` must not be
/// sent and `client_id` is ignored.
pub(crate) fn check_operation(cx: &mut Ctx<'_>, req: &ClaimSet<'_>) {
    cx.f.set_stage(Stage::RequestClaims);
    match &cx.facts.operation {
        super::Operation::Update { client_id } => {
            if let Some(sent) = req.raw("client_id").and_then(|v| v.as_str())
                && sent != client_id
            {
                cx.f.error(
                    codes::CLAIM_MISMATCH,
                    req.pointer("client_id"),
                    format!("client_id \"{}\" is not the client being updated (\"{}\")", short(sent), short(client_id)),
                    SPEC_RFC7592,
                );
            }
            for name in [
                "registration_access_token",
                "registration_client_uri",
                "client_id_issued_at",
                "client_secret_expires_at",
            ] {
                if req.has(name) {
                    cx.f.error(
                        codes::CLAIM_NOT_ALLOWED,
                        req.pointer(name),
                        format!("\"{name}\" is issued by the server and must not be sent in an update"),
                        SPEC_RFC7592,
                    );
                }
            }
        }
        super::Operation::Register => {
            if req.has("client_secret") {
                cx.f.error(
                    codes::CLAIM_NOT_ALLOWED,
                    req.pointer("client_secret"),
                    "\"client_secret\" is issued by the server and must not be sent".into(),
                    SPEC_RFC7592,
                );
            }
            if req.has("client_id") {
                cx.f.warning(
                    codes::CLAIM_IGNORED,
                    req.pointer("client_id"),
                    "\"client_id\" is assigned by the server; the value sent is ignored".into(),
                    SPEC_RFC7592,
                );
            }
        }
    }
}
