//! The AU Consumer Data Right profile (CDS v1.36; the AU rules digest).
//!
//! Strict mode is the spec; lenient mode is "mock-compatible" (digest §8.1): it accepts what the
//! ACCC mock Data Holder accepts — bare strings for arrays, `""` for absent optional claims,
//! case-insensitive enum values, SSA claims the mock never checks being absent — each reported
//! as a warning.

mod request;
mod ssa;

use alloc::format;

use super::claims::ClaimSet;
use super::codes;
use super::findings::ptr::Ptr;
use super::rules::Ctx;
use super::uri;
use crate::jose::json::short;

/// SSA claims.
pub(crate) fn check_ssa(cx: &mut Ctx<'_>, claims: &ClaimSet<'_>) {
    ssa::check(cx, claims);
}

/// Request claims.
pub(crate) fn check_request(cx: &mut Ctx<'_>, req: &ClaimSet<'_>, ssa: Option<&ClaimSet<'_>>) {
    request::check(cx, req, ssa);
}

/// An absolute-URI claim (`https` when `https_only`) → `claim.uri`.
fn uri_claim(cx: &mut Ctx<'_>, pointer: Ptr<'_>, value: &str, https_only: bool, spec: &'static str) {
    match uri::parse(value) {
        Some(u) if !https_only || u.is_https() => {}
        Some(_) => cx.f.error(codes::CLAIM_URI, pointer, format!("\"{}\" must be an https URL", short(value)), spec),
        None => cx.f.error(codes::CLAIM_URI, pointer, format!("\"{}\" is not an absolute URI", short(value)), spec),
    }
}
