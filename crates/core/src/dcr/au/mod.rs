//! The AU Consumer Data Right profile (CDS v1.36; the AU rules digest).
//!
//! Strict mode is the spec; lenient mode is "mock-compatible" (digest §8.1): it accepts what the
//! ACCC mock Data Holder accepts — bare strings for arrays, `""` for absent optional claims,
//! case-insensitive enum values, SSA claims the mock never checks being absent — each reported
//! as a warning.

mod request;
mod ssa;

use alloc::format;

use super::codes;
use super::config::TransportCert;
use super::findings::ptr::Ptr;
use super::profile::{Family, ProfileSpec};
use super::rules::Ctx;
use super::uri;
use crate::jose::Algorithm;
use crate::jose::json::short;

/// The CDR profile (CDS v1.36).
pub(crate) static CDS: ProfileSpec = ProfileSpec {
    name: "au-cdr",
    title: "Australian Consumer Data Right (CDS v1.36)",
    family: Family::AuCdr,
    version: 36,
    trusted_ssa_issuers: &["cdr-register"],
    software_jwks_claim: "jwks_uri",
    // ADR key sets live on the ADRs' own hosts: any public host name (only the Register can
    // sign the statement that names one).
    key_set_hosts: None,
    // The CDR Register signs with PS256 only.
    ssa_redirect_uris_claim: "redirect_uris",
    transport_cert: TransportCert::IfPublished,
    revoked_key_sets: false,
    register_status: true,
    ssa_algorithms: &[Algorithm::Ps256],
    // The CDS example uses a far-future exp.
    max_request_lifetime: None,
    ssa_claims: ssa::CLAIMS,
    request_claims: request::CLAIMS,
    ssa_rules: ssa::RULES,
    request_rules: request::RULES,
};

/// An absolute-URI claim (`https` when `https_only`) → `claim.uri`.
fn uri_claim(cx: &mut Ctx<'_>, pointer: Ptr<'_>, value: &str, https_only: bool, spec: &'static str) {
    match uri::parse(value) {
        Some(u) if !https_only || u.is_https() => {}
        Some(_) => cx.f.error(codes::CLAIM_URI, pointer, format!("\"{}\" must be an https URL", short(value)), spec),
        None => cx.f.error(codes::CLAIM_URI, pointer, format!("\"{}\" is not an absolute URI", short(value)), spec),
    }
}
