//! The OB Directory software statement (UK digest §2): approval, then every claim of the
//! directory's SSA profile.

use alloc::format;
use alloc::vec::Vec;
use serde_json::Value;

use super::super::claims::{ClaimSet, Presence, max_len, one_of};
use super::super::codes;
use super::super::findings::ptr::Ptr;
use super::super::policy;
use super::super::profile::{ClaimSpec, CrossRule, Shape, Versions, claim, descriptive, rule};
use super::super::report::Stage;
use super::super::rules::Ctx;
use super::super::time::{self, TimeRules};
use crate::jose::json::short;

const ALL: Versions = Versions::ALL;

const SPEC_IDS: &str = "OB Directory SSA profile: software_id, software_client_id (base62, ≤22)";
const SPEC_JTI: &str = "OB Directory SSA profile: jti; RFC 7519 §4.1.7";
const SPEC_LENGTHS: &str = "OB Directory SSA profile: claim table (presence, MaxNText lengths)";
const SPEC_JWKS: &str = "OB Directory SSA profile: software_jwks_endpoint (https); \"Request Validation\"";
const SPEC_URIS: &str = "OB Directory SSA profile: *_uri and *_endpoint claims (Max256Text URLs)";
const SPEC_REDIRECTS: &str = "OB Directory SSA profile: software_redirect_uris (URIs, each ≤256)";
const SPEC_ROLES: &str =
    "OB Directory SSA profile: software_roles (AISP, PISP, CBPII; CD_AISP, CD_CBPII, CD_ASPSP from API 2.2.0)";
const SPEC_VERSION: &str = "OB Directory SSA profile: software_version (Max42Text)";
const SPEC_CONTACTS: &str = "OB Directory SSA profile: org_contacts (name, email, phone, type)";
const SPEC_TRUST: &str = "OB Directory SSA profile: iss \"OpenBanking Ltd\"; RFC 7591 §3.2.2";
const SPEC_STATUS: &str = "OB Directory SSA profile: org_status (Active, Revoked, Withdrawn)";
const SPEC_OCA: &str = "OB Directory SSA profile: organisation_competent_authority_claims";
const SPEC_ENV: &str = "OB Directory SSA profile: software_environment (ASPSP policy)";
const SPEC_TIME: &str = "RFC 7519 §4.1.4/§4.1.6; OB Directory \"Request Validation\" (SSA validity window)";

/// Roles the OB Directory issues (Directory API 2.2.0, Feb 2025: the `CD_*` roles are the Crown
/// Dependencies'); `DATA` is emitted by the ForgeRock directory.
const KNOWN_ROLES: &[&str] = &["AISP", "PISP", "CBPII", "ASPSP", "CD_AISP", "CD_ASPSP", "CD_CBPII", "DATA"];

/// Roles the directory no longer issues (Directory API 2.2.0 removed Confirmation of Payee).
const OBSOLETE_ROLES: &[&str] = &["COPRequester", "COPResponder"];

/// The directory's `org_status` values.
const ORG_STATUSES: &[&str] = &["Active", "Revoked", "Withdrawn"];

/// A status the directory no longer issues (Directory API 2.2.0 removed the CoP-only `Suspended`).
const OBSOLETE_STATUS: &str = "Suspended";

const SPEC_DIRECTORY_220: &str = "OB Directory API 2.2.0 (AD-9542: CoP roles and the Suspended status removed)";

/// The OB Directory statement's claims (directory SSA profile), every UK version alike.
pub(super) const CLAIMS: &[ClaimSpec] = &[
    claim("iss", ALL, Presence::Required, Shape::Text { max: Some(256) }, None, SPEC_TRUST),
    claim("iat", ALL, Presence::Required, Shape::Rule("times"), None, SPEC_TIME),
    claim("exp", ALL, Presence::Optional, Shape::Rule("times"), None, SPEC_TIME),
    claim("jti", ALL, Presence::Required, Shape::Text { max: None }, None, SPEC_JTI),
    claim("software_id", ALL, Presence::Required, Shape::Base62 { max: 22 }, None, SPEC_IDS),
    claim("software_client_id", ALL, Presence::Required, Shape::Base62 { max: 22 }, None, SPEC_IDS),
    descriptive("software_client_name", Presence::Recommended, Shape::Text { max: Some(40) }, SPEC_LENGTHS),
    descriptive("software_client_description", Presence::Optional, Shape::Text { max: Some(256) }, SPEC_LENGTHS),
    claim("software_environment", ALL, Presence::Recommended, Shape::Text { max: Some(256) }, None, SPEC_LENGTHS),
    descriptive("software_mode", Presence::Recommended, Shape::Text { max: Some(40) }, SPEC_LENGTHS),
    descriptive("software_on_behalf_of_org", Presence::Optional, Shape::Text { max: Some(40) }, SPEC_LENGTHS),
    claim("software_version", ALL, Presence::Optional, Shape::Rule("software_version"), None, SPEC_VERSION),
    claim("org_id", ALL, Presence::Required, Shape::Text { max: Some(35) }, None, SPEC_LENGTHS),
    descriptive("org_name", Presence::Recommended, Shape::Text { max: Some(140) }, SPEC_LENGTHS),
    claim("org_status", ALL, Presence::Required, Shape::Text { max: Some(40) }, None, SPEC_STATUS),
    claim("organisation_competent_authority_claims", ALL, Presence::Optional, Shape::Rule("approval"), None, SPEC_OCA),
    claim(
        "software_jwks_endpoint",
        ALL,
        Presence::Required,
        Shape::Url { https: true, max: Some(256) },
        None,
        SPEC_JWKS,
    ),
    claim(
        "software_jwks_revoked_endpoint",
        ALL,
        Presence::Recommended,
        Shape::Url { https: false, max: Some(256) },
        None,
        SPEC_URIS,
    ),
    descriptive("software_client_uri", Presence::Optional, Shape::Url { https: false, max: Some(256) }, SPEC_URIS),
    descriptive("software_logo_uri", Presence::Optional, Shape::Url { https: false, max: Some(256) }, SPEC_URIS),
    descriptive("software_policy_uri", Presence::Optional, Shape::Url { https: false, max: Some(256) }, SPEC_URIS),
    descriptive("software_tos_uri", Presence::Optional, Shape::Url { https: false, max: Some(256) }, SPEC_URIS),
    claim(
        "org_jwks_endpoint",
        ALL,
        Presence::Recommended,
        Shape::Url { https: false, max: Some(256) },
        None,
        SPEC_URIS,
    ),
    claim(
        "org_jwks_revoked_endpoint",
        ALL,
        Presence::Optional,
        Shape::Url { https: false, max: Some(256) },
        None,
        SPEC_URIS,
    ),
    claim(
        "software_redirect_uris",
        ALL,
        Presence::Required,
        Shape::UriList { https: false, max: Some(256) },
        None,
        SPEC_REDIRECTS,
    ),
    claim("software_roles", ALL, Presence::Required, Shape::Rule("software_roles"), None, SPEC_ROLES),
    claim("org_contacts", ALL, Presence::Optional, Shape::Rule("org_contacts"), None, SPEC_CONTACTS),
];

/// The statement's cross-claim rules.
pub(super) const RULES: &[CrossRule] = &[
    rule(
        "approval",
        ALL,
        "trusted `iss`; `org_status` Active (Revoked/Withdrawn: `ssa.org_inactive`; Suspended obsolete); `organisation_competent_authority_claims` an object whose `status` is Active; the expected `software_environment`",
        |cx, ssa, _| approval(cx, ssa),
    ),
    rule(
        "times",
        ALL,
        "`iat` not in the future, `exp` (when present) not passed, `nbf`, the optional maximum age",
        |cx, ssa, _| times(cx, ssa),
    ),
    rule(
        "software_version",
        ALL,
        "a string of at most 42 characters (a number: rule `ssa.software_version_number`)",
        |cx, ssa, _| software_version(cx, ssa),
    ),
    rule("software_roles", ALL, "a non-empty array; unknown roles warn, CoP roles are obsolete", |cx, ssa, _| {
        software_roles(cx, ssa)
    }),
    rule("org_contacts", ALL, "an array of objects with string members", |cx, ssa, _| org_contacts(cx, ssa)),
];

fn times(cx: &mut Ctx<'_>, ssa: &ClaimSet<'_>) {
    cx.f.set_stage(Stage::SsaClaims);
    let rules = TimeRules {
        iat: Presence::Required,
        exp: Presence::Optional,
        max_lifetime: None,
        max_age: cx.config.max_ssa_age,
        spec: SPEC_TIME,
    };
    time::check(cx.f, ssa, cx.now, cx.config.clock_skew, &rules);
}

/// `software_roles`: required, each role known; the CoP roles are obsolete.
fn software_roles(cx: &mut Ctx<'_>, ssa: &ClaimSet<'_>) {
    cx.f.set_stage(Stage::SsaClaims);
    if let Some(roles) = ssa.string_array(cx.f, "software_roles", Presence::Required, SPEC_ROLES) {
        for (i, r) in roles.iter().enumerate() {
            if OBSOLETE_ROLES.contains(r) {
                cx.f.warning(
                    codes::CLAIM_OBSOLETE,
                    ssa.pointer("software_roles").at(i),
                    format!(
                        "software role \"{r}\" is obsolete: the directory no longer issues Confirmation of Payee roles"
                    ),
                    SPEC_DIRECTORY_220,
                );
            } else if !KNOWN_ROLES.contains(r) {
                cx.f.warning(
                    codes::CLAIM_VALUE,
                    ssa.pointer("software_roles").at(i),
                    format!("unknown software role \"{}\" (known: AISP, PISP, CBPII)", short(r)),
                    SPEC_ROLES,
                );
            }
        }
    }
}

/// Stage 3: trusted issuer, active organisation, expected environment.
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
    // The enum is checked (a case-only difference is a deviation) as a claim; a known inactive
    // status is an approval decision; the CoP-only `Suspended` is obsolete (a warning).
    if let Some(status) = ssa.raw("org_status").and_then(Value::as_str).filter(|s| !s.is_empty()) {
        cx.f.set_stage(Stage::SsaClaims);
        if status == OBSOLETE_STATUS {
            cx.f.warning(
                codes::CLAIM_OBSOLETE,
                ssa.pointer("org_status"),
                "org_status \"Suspended\" is obsolete: the directory no longer issues it (it was CoP-only)".into(),
                SPEC_DIRECTORY_220,
            );
            cx.f.set_stage(Stage::SsaApproval);
        } else {
            let canonical = one_of(cx.f, ssa.pointer("org_status"), status, ORG_STATUSES, SPEC_STATUS);
            cx.f.set_stage(Stage::SsaApproval);
            if let Some(inactive @ ("Revoked" | "Withdrawn")) = canonical {
                cx.f.error(
                    codes::SSA_ORG_INACTIVE,
                    ssa.pointer("org_status"),
                    format!("org_status is \"{}\": the organisation is {inactive}, not Active", short(status)),
                    SPEC_STATUS,
                );
            }
        }
    }
    competent_authority(cx, ssa);
    if let Some(expected) = &cx.config.software_environment {
        let env = ssa.raw("software_environment").and_then(Value::as_str);
        if !env.is_some_and(|e| e.eq_ignore_ascii_case(expected)) {
            cx.f.error(
                codes::SSA_ENVIRONMENT,
                ssa.pointer("software_environment"),
                format!(
                    "software_environment is \"{}\"; this deployment accepts \"{}\"",
                    env.map(short).unwrap_or_else(|| "absent".into()),
                    short(expected)
                ),
                SPEC_ENV,
            );
        }
    }
}

/// `organisation_competent_authority_claims`: an object since profile rc2 (an array before, a
/// tolerated deviation); its `status` must be Active.
fn competent_authority(cx: &mut Ctx<'_>, ssa: &ClaimSet<'_>) {
    let name = "organisation_competent_authority_claims";
    let records: Vec<(Ptr<'_>, &serde_json::Map<alloc::string::String, Value>)> = match ssa.raw(name) {
        None => return,
        Some(Value::Object(o)) => alloc::vec![(ssa.pointer(name), o)],
        Some(Value::Array(items)) => {
            cx.f.set_stage(Stage::SsaClaims);
            let accepted = cx.f.deviation(
                &policy::SSA_OCA_ARRAY,
                ssa.pointer(name),
                format!("{name} is an array (SSA profile before rc2); it must be an object"),
                SPEC_OCA,
            );
            cx.f.set_stage(Stage::SsaApproval);
            if !accepted {
                return;
            }
            items.iter().enumerate().filter_map(|(i, v)| v.as_object().map(|o| (ssa.pointer(name).at(i), o))).collect()
        }
        Some(_) => {
            cx.f.set_stage(Stage::SsaClaims);
            cx.f.error(
                codes::CLAIM_TYPE,
                ssa.pointer(name),
                format!("{name} is {}; it must be a JSON object", super::json_type(ssa.raw(name))),
                SPEC_OCA,
            );
            cx.f.set_stage(Stage::SsaApproval);
            return;
        }
    };
    for (pointer, record) in records {
        let Some(status) = record.get("status").and_then(Value::as_str) else { continue };
        let pointer = pointer.key("status");
        if status == "Active" {
            continue;
        }
        if status.eq_ignore_ascii_case("Active") {
            cx.f.set_stage(Stage::SsaClaims);
            cx.f.deviation(
                &policy::SSA_VALUE_CASE,
                pointer,
                format!("the competent authority status \"{}\" differs in case from \"Active\"", short(status)),
                SPEC_OCA,
            );
            cx.f.set_stage(Stage::SsaApproval);
        } else {
            cx.f.error(
                codes::SSA_ORG_INACTIVE,
                pointer,
                format!("the competent authority status is \"{}\", not \"Active\"", short(status)),
                SPEC_OCA,
            );
        }
    }
}

/// `software_version`: a string of at most 42 characters; real 2019–2022 SSAs carry a number.
fn software_version(cx: &mut Ctx<'_>, ssa: &ClaimSet<'_>) {
    match ssa.raw("software_version") {
        Some(Value::Number(n)) => {
            cx.f.deviation(
                &policy::SSA_SOFTWARE_VERSION_NUMBER,
                ssa.pointer("software_version"),
                format!("software_version is the number {n}; the profile defines a string (Max42Text)"),
                SPEC_VERSION,
            );
        }
        Some(_) => {
            if let Some(v) = ssa.string(cx.f, "software_version", Presence::Optional, SPEC_VERSION) {
                max_len(cx.f, ssa.pointer("software_version"), v, 42, SPEC_VERSION);
            }
        }
        None => {}
    }
}

/// `org_contacts`: an array of objects whose members are strings.
fn org_contacts(cx: &mut Ctx<'_>, ssa: &ClaimSet<'_>) {
    let Some(v) = ssa.raw("org_contacts") else { return };
    let base = ssa.pointer("org_contacts");
    let Some(items) = v.as_array() else {
        cx.f.error(
            codes::CLAIM_TYPE,
            base,
            format!("org_contacts is {}; it must be an array of contact objects", super::json_type(Some(v))),
            SPEC_CONTACTS,
        );
        return;
    };
    for (i, c) in items.iter().enumerate() {
        let ok = c.as_object().is_some_and(|o| o.values().all(|m| m.is_string() || m.is_null()));
        if !ok {
            cx.f.error(
                codes::CLAIM_TYPE,
                base.at(i),
                format!(
                    "org_contacts entry {i} is {}; it must be an object with string members (name, email, phone, type)",
                    super::json_type(Some(c))
                ),
                SPEC_CONTACTS,
            );
        }
    }
}
