//! The CDR Register's software statement (AU digest §3 and §4.2).

use alloc::format;
use serde_json::Value;

use super::super::claims::{ClaimSet, Presence};
use super::super::codes;
use super::super::policy;
use super::super::profile::{ClaimSpec, CrossRule, Shape, Versions, claim, descriptive, rule};
use super::super::report::Stage;
use super::super::rules::Ctx;
use super::super::time::{self, TimeRules};
use super::super::uri;
use super::uri_claim;
use crate::jose::json::short;

const ALL: Versions = Versions::ALL;

const SPEC_SSA: &str = "CDS v1.36 DCR: SSA claims (GetSoftwareStatementAssertion)";
const SPEC_TRUST: &str = "CDS v1.36 DCR: SSA iss \"cdr-register\"";
const SPEC_TIME: &str = "CDS v1.36 DCR: SSA exp (10 minutes); RFC 7519 §4.1";
const SPEC_SECTOR: &str = "CDS v1.36 DCR: sector_identifier_uri (https URL)";
const ROLE: &str = "data-recipient-software-product";

/// Required by the CDS but never checked by the ACCC mock Data Holder: absent, each is the policy
/// rule `ssa.required_claim_missing` (an error in `spec`; a warning elsewhere — the Register
/// enforces them on issuance, and the CDS's own example SSA lacks some).
const MOCK_UNCHECKED: Presence = Presence::DeviationIfMissing(&policy::SSA_REQUIRED_CLAIM_MISSING);

/// The CDR Register's statement claims (GetSoftwareStatementAssertion x-v 4).
pub(super) const CLAIMS: &[ClaimSpec] = &[
    claim("iss", ALL, Presence::Required, Shape::Text { max: None }, None, SPEC_TRUST),
    claim("iat", ALL, MOCK_UNCHECKED, Shape::Rule("times"), None, SPEC_TIME),
    claim("exp", ALL, Presence::Required, Shape::Rule("times"), None, SPEC_TIME),
    claim("jti", ALL, MOCK_UNCHECKED, Shape::Text { max: None }, None, SPEC_SSA),
    claim("org_id", ALL, MOCK_UNCHECKED, Shape::Text { max: None }, None, SPEC_SSA),
    descriptive("org_name", MOCK_UNCHECKED, Shape::Text { max: None }, SPEC_SSA),
    descriptive("client_name", MOCK_UNCHECKED, Shape::Text { max: None }, SPEC_SSA),
    descriptive("client_description", MOCK_UNCHECKED, Shape::Text { max: None }, SPEC_SSA),
    claim("scope", ALL, MOCK_UNCHECKED, Shape::Text { max: None }, None, SPEC_SSA),
    claim("legal_entity_id", ALL, Presence::Optional, Shape::Text { max: None }, None, SPEC_SSA),
    descriptive("legal_entity_name", Presence::Optional, Shape::Text { max: None }, SPEC_SSA),
    claim("software_id", ALL, Presence::Required, Shape::Text { max: None }, None, SPEC_SSA),
    claim("jwks_uri", ALL, Presence::Required, Shape::Url { https: true, max: None }, None, SPEC_SSA),
    descriptive("client_uri", MOCK_UNCHECKED, Shape::Url { https: false, max: None }, SPEC_SSA),
    descriptive("logo_uri", MOCK_UNCHECKED, Shape::Url { https: false, max: None }, SPEC_SSA),
    descriptive("tos_uri", Presence::Optional, Shape::Url { https: false, max: None }, SPEC_SSA),
    descriptive("policy_uri", Presence::Optional, Shape::Url { https: false, max: None }, SPEC_SSA),
    claim("revocation_uri", ALL, MOCK_UNCHECKED, Shape::Url { https: true, max: None }, None, SPEC_SSA),
    claim("recipient_base_uri", ALL, MOCK_UNCHECKED, Shape::Url { https: true, max: None }, None, SPEC_SSA),
    claim("redirect_uris", ALL, Presence::Required, Shape::UriList { https: true, max: None }, None, SPEC_SSA),
    claim("sector_identifier_uri", ALL, Presence::Optional, Shape::Rule("sector_identifier"), None, SPEC_SECTOR),
    claim("software_roles", ALL, MOCK_UNCHECKED, Shape::Enum(&[ROLE]), None, SPEC_SSA),
];

/// The statement's cross-claim rules.
pub(super) const RULES: &[CrossRule] = &[
    rule("approval", ALL, "`iss` is a trusted Register (`cdr-register`)", |cx, ssa, _| approval(cx, ssa)),
    rule(
        "times",
        ALL,
        "`exp` required and not passed, `iat` not in the future, `nbf`, the optional maximum age; a lifetime above 600 s warns",
        |cx, ssa, _| times(cx, ssa),
    ),
    rule(
        "sector_identifier",
        ALL,
        "an https URL (a bare host: rule `ssa.sector_identifier_bare_host`)",
        |cx, ssa, _| sector_identifier(cx, ssa),
    ),
];

fn approval(cx: &mut Ctx<'_>, ssa: &ClaimSet<'_>) {
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
}

fn times(cx: &mut Ctx<'_>, ssa: &ClaimSet<'_>) {
    cx.f.set_stage(Stage::SsaClaims);
    let rules = TimeRules {
        iat: MOCK_UNCHECKED,
        exp: Presence::Required,
        max_lifetime: None,
        max_age: cx.config.max_ssa_age,
        spec: SPEC_TIME,
    };
    time::check(cx.f, ssa, cx.now, cx.config.clock_skew, &rules);
    lifetime_note(cx, ssa);
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
    cx.f.set_stage(Stage::SsaClaims);
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
