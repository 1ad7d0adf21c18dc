//! The UK Open Banking DCR profiles v3.1–v3.4 (the UK rules digest).
//!
//! One rule set with the version deltas of digest §7.2 switched on [`Profile::uk_minor`]:
//! `iss`/`software_id` length 18 → 22, `scope` array → string, `tls_client_auth_dn` →
//! `tls_client_auth_subject_dn`, CIBA claims (3.3+), `mobile` → `native` and the DN pattern (3.4).
//!
//! [`Profile::uk_minor`]: super::Profile::uk_minor

mod dn;
mod request;
mod ssa;

use alloc::format;

use super::claims::ClaimSet;
use super::codes;
use super::findings::ptr::Ptr;
use super::rules::Ctx;
use super::uri;
use crate::jose::json::short;
use serde_json::Value;

/// SSA claims.
pub(crate) fn check_ssa(cx: &mut Ctx<'_>, claims: &ClaimSet<'_>) {
    ssa::check(cx, claims);
}

/// Request claims.
pub(crate) fn check_request(cx: &mut Ctx<'_>, req: &ClaimSet<'_>, ssa: Option<&ClaimSet<'_>>) {
    request::check(cx, req, ssa);
}

/// Whether `s` is an absolute URI.
fn is_uri(s: &str) -> bool {
    uri::parse(s).is_some()
}

/// An absolute-URI claim (`https` when `https_only`) → `claim.uri`.
fn uri_claim(cx: &mut Ctx<'_>, pointer: Ptr<'_>, value: &str, https_only: bool, spec: &'static str) -> bool {
    match uri::parse(value) {
        Some(u) if !https_only || u.is_https() => true,
        Some(_) => {
            cx.f.error(codes::CLAIM_URI, pointer, format!("\"{}\" must be an https URL", short(value)), spec);
            false
        }
        None => {
            cx.f.error(codes::CLAIM_URI, pointer, format!("\"{}\" is not an absolute URI", short(value)), spec);
            false
        }
    }
}

/// The JSON type of a value, for messages (`a number`, `an object`, ...).
fn json_type(v: Option<&Value>) -> &'static str {
    match v {
        None | Some(Value::Null) => "null",
        Some(Value::Bool(_)) => "a boolean",
        Some(Value::Number(_)) => "a number",
        Some(Value::String(_)) => "a string",
        Some(Value::Array(a)) if a.is_empty() => "an empty array",
        Some(Value::Array(_)) => "an array",
        Some(Value::Object(_)) => "an object",
    }
}
