//! The CDR Register's software statement (AU digest §3 and §4.2).

use alloc::format;
use serde_json::Value;

use super::super::claims::{ClaimSet, Presence};
use super::super::codes;
use super::super::policy;
use super::super::report::Stage;
use super::super::rules::Ctx;
use super::super::time::{self, TimeRules};
use super::super::uri;
use super::uri_claim;
use crate::jose::json::short;

const SPEC_SSA: &str = "CDS v1.36 DCR: SSA claims (GetSoftwareStatementAssertion)";
const SPEC_TRUST: &str = "CDS v1.36 DCR: SSA iss \"cdr-register\"";
const SPEC_TIME: &str = "CDS v1.36 DCR: SSA exp (10 minutes); RFC 7519 §4.1";
const SPEC_SECTOR: &str = "CDS v1.36 DCR: sector_identifier_uri (https URL)";
const ROLE: &str = "data-recipient-software-product";

/// SSA claims the ACCC mock does not check: required by the spec, so errors in strict mode;
/// in lenient (mock-compatible) mode their absence is a warning (the Register enforces them on
/// issuance, and the CDS's own example SSA lacks some).
const REQUIRED_UNCHECKED_BY_MOCK: &[&str] = &[
    "iat",
    "jti",
    "org_id",
    "org_name",
    "client_name",
    "client_description",
    "client_uri",
    "logo_uri",
    "revocation_uri",
    "recipient_base_uri",
    "software_roles",
    "scope",
];

pub(crate) fn check(cx: &mut Ctx<'_>, ssa: &ClaimSet<'_>) {
    cx.f.set_stage(Stage::SsaApproval);
    if let Some(iss) = ssa.raw("iss").and_then(Value::as_str)
        && !cx.config.trusts_ssa_issuer(iss)
    {
        cx.f.error(
            codes::SSA_ISSUER_UNTRUSTED,
            ssa.pointer("iss"),
            format!("software statements from \"{}\" are not trusted", short(iss)),
            SPEC_TRUST,
        );
    }
    cx.f.set_stage(Stage::SsaClaims);
    for name in REQUIRED_UNCHECKED_BY_MOCK {
        if !ssa.has(name) {
            cx.f.deviation(
                &policy::SSA_REQUIRED_CLAIM_MISSING,
                ssa.pointer(name),
                format!("\"{name}\" is required (the ACCC mock Data Holder does not check it)"),
                SPEC_SSA,
            );
        }
    }
    ssa.string(cx.f, "iss", Presence::Required, SPEC_TRUST);
    let rules = TimeRules {
        iat: Presence::Optional, // presence handled above
        exp: Presence::Required,
        max_lifetime: None,
        max_age: cx.config.max_ssa_age,
        spec: SPEC_TIME,
    };
    time::check(cx.f, ssa, cx.now, cx.config.clock_skew, &rules);
    lifetime_note(cx, ssa);
    for name in [
        "jti",
        "org_id",
        "org_name",
        "client_name",
        "client_description",
        "scope",
        "legal_entity_id",
        "legal_entity_name",
    ] {
        ssa.string(cx.f, name, Presence::Optional, SPEC_SSA);
    }
    ssa.string(cx.f, "software_id", Presence::Required, SPEC_SSA);
    if let Some(u) = ssa.string(cx.f, "jwks_uri", Presence::Required, SPEC_SSA) {
        uri_claim(cx, ssa.pointer("jwks_uri"), u, true, SPEC_SSA);
    }
    for (name, https) in [
        ("client_uri", false),
        ("logo_uri", false),
        ("tos_uri", false),
        ("policy_uri", false),
        ("revocation_uri", true),
        ("recipient_base_uri", true),
    ] {
        if let Some(u) = ssa.string(cx.f, name, Presence::Optional, SPEC_SSA) {
            uri_claim(cx, ssa.pointer(name), u, https, SPEC_SSA);
        }
    }
    if let Some(list) = ssa.string_array(cx.f, "redirect_uris", Presence::Required, SPEC_SSA) {
        for (i, u) in list.iter().enumerate() {
            uri_claim(cx, ssa.pointer("redirect_uris").at(i), u, true, SPEC_SSA);
        }
    }
    sector_identifier(cx, ssa);
    match ssa.raw("software_roles") {
        Some(Value::String(r)) if r == ROLE => {}
        Some(Value::String(r)) => cx.f.error(
            codes::CLAIM_VALUE,
            ssa.pointer("software_roles"),
            format!("software_roles is \"{}\"; the Register issues \"{ROLE}\"", short(r)),
            SPEC_SSA,
        ),
        Some(_) => cx.f.error(
            codes::CLAIM_TYPE,
            ssa.pointer("software_roles"),
            "software_roles must be a string".into(),
            SPEC_SSA,
        ),
        None => {}
    }
}

/// Register SSAs live 10 minutes; a much longer lifetime is worth a warning, not a rejection
/// (the CDS example SSA is valid until 2038).
fn lifetime_note(cx: &mut Ctx<'_>, ssa: &ClaimSet<'_>) {
    let iat = ssa.raw("iat").and_then(Value::as_i64);
    let exp = ssa.raw("exp").and_then(Value::as_i64);
    if let (Some(iat), Some(exp)) = (iat, exp)
        && exp.saturating_sub(iat) > 600
    {
        cx.f.warning(
            codes::TIME_LIFETIME,
            ssa.pointer("exp"),
            format!("the software statement lives {}s; the Register issues 600s", exp.saturating_sub(iat)),
            SPEC_TIME,
        );
    }
}

/// `sector_identifier_uri`: an https URL; historical sandbox SSAs carry a bare host, a
/// tolerated deviation. The Data Holder must also fetch it (host responsibility, not checked here).
fn sector_identifier(cx: &mut Ctx<'_>, ssa: &ClaimSet<'_>) {
    let Some(u) = ssa.string(cx.f, "sector_identifier_uri", Presence::Optional, SPEC_SECTOR) else { return };
    let bare_host = uri::parse(&format!("https://{u}")).is_some_and(|p| p.path.is_empty() && p.query.is_none());
    if uri::parse(u).is_none() && bare_host {
        cx.f.deviation(
            &policy::SSA_SECTOR_IDENTIFIER_BARE_HOST,
            ssa.pointer("sector_identifier_uri"),
            format!("\"{}\" is a bare host, not an https URL (historical sandbox SSAs)", short(u)),
            SPEC_SECTOR,
        );
    } else {
        uri_claim(cx, ssa.pointer("sector_identifier_uri"), u, true, SPEC_SECTOR);
    }
}
