//! The UK registration request claims (UK digest §1.2, §1.4, §1.5, §3.4–§3.7, §4.4).

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use serde_json::Value;

use super::super::claims::{ClaimSet, Presence, fapi_signing_alg, is_base62, is_uuid_v4, max_len, one_of};
use super::super::codes;
use super::super::discovery::{check_supported, same_tokens};
use super::super::findings::ptr::Ptr;
use super::super::policy;
use super::super::profile::{ClaimSpec, CrossRule, Shape, Versions, claim, rule};
use super::super::report::Stage;
use super::super::rules::{self, Ctx};
use super::super::time::{self, TimeRules};
use super::dn::{Dn, oid};
use super::uri_claim;
use crate::jose::json::short;

const ALL: Versions = Versions::ALL;

const SPEC_ISS_31: &str = "OBIE DCR v3.1 data dictionary: iss = SSA software_id, ^[0-9a-zA-Z]{1,18}$";
const SPEC_ISS: &str = "OBIE DCR v3.2+ data dictionary: iss = SSA software_id, ^[0-9a-zA-Z]{1,22}$";
const SPEC_SOFTWARE_ID_31: &str = "OBIE DCR v3.1 data dictionary: software_id (≤18, = SSA software_id)";
const SPEC_SOFTWARE_ID: &str = "OBIE DCR v3.2+ data dictionary: software_id (≤22, = SSA software_id)";
const SPEC_AUD: &str = "OBIE DCR data dictionary: aud (ASPSP OB organisation ID, ^[0-9a-zA-Z]{1,18}$)";
const SPEC_JTI: &str = "OBIE DCR data dictionary: jti (UUIDv4, upper-case regex)";
const SPEC_TIME: &str = "OBIE DCR data dictionary: iat, exp; RFC 7519 §4.1.4/§4.1.6";
const SPEC_REDIRECT: &str = "OBIE DCR data dictionary: redirect_uris (https, subset of SSA software_redirect_uris)";
const SPEC_AUTH_31: &str = "OBIE DCR v3.1 data dictionary: token_endpoint_auth_method (no client_secret_jwt)";
const SPEC_AUTH: &str = "OBIE DCR v3.2+ data dictionary: token_endpoint_auth_method";
const SPEC_AUTH_FAPI: &str = "FAPI 1.0 Advanced §5.2.2 (private_key_jwt or tls_client_auth)";
const SPEC_DISCOVERY: &str = "OpenID Connect Discovery 1.0 §3 (only advertised values); UK digest §1.4";
const SPEC_ALGS: &str = "OBIE DCR data dictionary (signing algorithms); FAPI 1.0 Advanced §8.6";
const SPEC_AUTH_ALG_31: &str = "OBIE DCR v3.1 data dictionary: token_endpoint_auth_signing_alg (1..1)";
const SPEC_AUTH_ALG: &str = "OBIE DCR v3.2+ data dictionary: token_endpoint_auth_signing_alg (with *_jwt methods)";
const SPEC_GRANTS_31: &str = "OBIE DCR v3.1/v3.2 data dictionary: grant_types";
const SPEC_GRANTS_33: &str = "OBIE DCR v3.3 data dictionary: grant_types (adds CIBA)";
const SPEC_GRANTS_34: &str = "OBIE DCR v3.4 swagger: grant_types (adds jwt-bearer)";
const SPEC_RESPONSE: &str = "OBIE DCR data dictionary: response_types (code, code id_token)";
const SPEC_SCOPE_31: &str = "OBIE DCR v3.1 data dictionary: scope (array of strings, each ≤32)";
const SPEC_SCOPE: &str = "OBIE DCR v3.2+ data dictionary: scope (space-separated string, ≤256)";
const SPEC_SCOPE_ROLES: &str = "OBIE DCR data mapping: scope within the SSA's software_roles";
const SPEC_SCOPE_OPENID: &str = "OpenID Connect Core 1.0 §3.3 (the hybrid flow needs the openid scope)";
const SPEC_APP: &str = "OBIE DCR v3.1-v3.3 data dictionary: application_type (web, mobile)";
const SPEC_APP_34: &str = "OBIE DCR v3.4 data dictionary: application_type (web, native)";
const SPEC_DN_31: &str = "OBIE DCR v3.1 data dictionary: tls_client_auth_dn (with tls_client_auth)";
const SPEC_DN: &str = "OBIE DCR v3.2/v3.3 data dictionary: tls_client_auth_subject_dn (≤128, with tls_client_auth)";
const SPEC_DN_34: &str = "OBIE DCR v3.4 swagger: tls_client_auth_subject_dn (≤512, CN first)";
const SPEC_DN_MATCH: &str = "RFC 8705 §2.1.2; RFC 4514 (subject DN compared as parsed attributes); UK digest §4.4";
const SPEC_LEGACY_CERT: &str = "OB FAQ: legacy OB certificates are not usable in the PSD2 domain; Directory API 2.2.0";
const SPEC_MTLS: &str = "OB Directory \"Request Validation\": the TLS client is the TPP named in the SSA";
const SPEC_CIBA: &str = "OBIE DCR v3.3+ data dictionary: backchannel_*; FAPI-CIBA §5.2.2";
const SPEC_ENC: &str = "FAPI 1.0 Advanced §8.6.1 (no RSA1_5); OpenID Connect Registration §2";
const SPEC_SUBJECT_TYPE: &str = "OpenID Connect Registration 1.0 §2: subject_type (public, pairwise)";
const SPEC_IGNORED: &str = "OBIE DCR: keys come from the SSA's software_jwks_endpoint";

const CIBA_GRANT: &str = "urn:openid:params:grant-type:ciba";
const JWT_BEARER_GRANT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// The registration request's claims (data dictionary `OBClientRegistrationRequest1`) with
/// their version ranges (v3.1 = 1 … v3.4 = 4).
pub(super) const CLAIMS: &[ClaimSpec] = &[
    claim("iss", Versions::range(1, 1), Presence::Required, Shape::Base62 { max: 18 }, None, SPEC_ISS_31),
    claim("iss", Versions::since(2), Presence::Required, Shape::Base62 { max: 22 }, None, SPEC_ISS),
    claim("iat", ALL, Presence::Required, Shape::Rule("times"), None, SPEC_TIME),
    claim("exp", ALL, Presence::Required, Shape::Rule("times"), None, SPEC_TIME),
    claim("aud", ALL, Presence::Required, Shape::Rule("aud"), None, SPEC_AUD),
    claim("jti", ALL, Presence::Required, Shape::Rule("jti"), None, SPEC_JTI),
    claim("redirect_uris", ALL, Presence::Required, Shape::Rule("redirect_uris"), None, SPEC_REDIRECT),
    claim(
        "token_endpoint_auth_method",
        ALL,
        Presence::Required,
        Shape::Rule("auth"),
        Some("token_endpoint_auth_methods_supported"),
        SPEC_AUTH,
    ),
    claim(
        "token_endpoint_auth_signing_alg",
        Versions::range(1, 1),
        Presence::Required,
        Shape::Rule("auth"),
        Some("token_endpoint_auth_signing_alg_values_supported"),
        SPEC_AUTH_ALG_31,
    ),
    claim(
        "token_endpoint_auth_signing_alg",
        Versions::since(2),
        Presence::Optional,
        Shape::Rule("auth"),
        Some("token_endpoint_auth_signing_alg_values_supported"),
        SPEC_AUTH_ALG,
    ),
    claim(
        "grant_types",
        Versions::range(1, 2),
        Presence::Required,
        Shape::Rule("grants"),
        Some("grant_types_supported"),
        SPEC_GRANTS_31,
    ),
    claim(
        "grant_types",
        Versions::range(3, 3),
        Presence::Required,
        Shape::Rule("grants"),
        Some("grant_types_supported"),
        SPEC_GRANTS_33,
    ),
    claim(
        "grant_types",
        Versions::since(4),
        Presence::Required,
        Shape::Rule("grants"),
        Some("grant_types_supported"),
        SPEC_GRANTS_34,
    ),
    claim(
        "response_types",
        ALL,
        Presence::Optional,
        Shape::Rule("response_and_scope"),
        Some("response_types_supported"),
        SPEC_RESPONSE,
    ),
    claim(
        "software_id",
        Versions::range(1, 1),
        Presence::Optional,
        Shape::Base62 { max: 18 },
        None,
        SPEC_SOFTWARE_ID_31,
    ),
    claim("software_id", Versions::since(2), Presence::Optional, Shape::Base62 { max: 22 }, None, SPEC_SOFTWARE_ID),
    claim(
        "scope",
        Versions::range(1, 1),
        Presence::Optional,
        Shape::Rule("response_and_scope"),
        Some("scopes_supported"),
        SPEC_SCOPE_31,
    ),
    claim(
        "scope",
        Versions::since(2),
        Presence::Required,
        Shape::Rule("response_and_scope"),
        Some("scopes_supported"),
        SPEC_SCOPE,
    ),
    claim(
        "application_type",
        Versions::range(1, 3),
        Presence::Required,
        Shape::Enum(&["web", "mobile"]),
        None,
        SPEC_APP,
    ),
    claim(
        "application_type",
        Versions::since(4),
        Presence::Required,
        Shape::Enum(&["web", "native"]),
        None,
        SPEC_APP_34,
    ),
    claim(
        "id_token_signed_response_alg",
        ALL,
        Presence::Required,
        Shape::SigningAlg,
        Some("id_token_signing_alg_values_supported"),
        SPEC_ALGS,
    ),
    claim(
        "request_object_signing_alg",
        ALL,
        Presence::Required,
        Shape::SigningAlg,
        Some("request_object_signing_alg_values_supported"),
        SPEC_ALGS,
    ),
    claim("tls_client_auth_dn", Versions::range(1, 1), Presence::Optional, Shape::Rule("auth"), None, SPEC_DN_31),
    claim("tls_client_auth_subject_dn", Versions::range(2, 3), Presence::Optional, Shape::Rule("auth"), None, SPEC_DN),
    claim("tls_client_auth_subject_dn", Versions::since(4), Presence::Optional, Shape::Rule("auth"), None, SPEC_DN_34),
    claim(
        "backchannel_token_delivery_mode",
        Versions::since(3),
        Presence::Optional,
        Shape::Rule("grants"),
        Some("backchannel_token_delivery_modes_supported"),
        SPEC_CIBA,
    ),
    claim(
        "backchannel_client_notification_endpoint",
        Versions::since(3),
        Presence::Optional,
        Shape::Rule("grants"),
        None,
        SPEC_CIBA,
    ),
    claim(
        "backchannel_authentication_request_signing_alg",
        Versions::since(3),
        Presence::Optional,
        Shape::Rule("grants"),
        Some("backchannel_authentication_request_signing_alg_values_supported"),
        SPEC_CIBA,
    ),
    claim(
        "backchannel_user_code_parameter_supported",
        Versions::since(3),
        Presence::Optional,
        Shape::Rule("grants"),
        None,
        SPEC_CIBA,
    ),
    claim(
        "id_token_encrypted_response_alg",
        ALL,
        Presence::Optional,
        Shape::Rule("id_token_encryption"),
        Some("id_token_encryption_alg_values_supported"),
        SPEC_ENC,
    ),
    claim(
        "id_token_encrypted_response_enc",
        ALL,
        Presence::Optional,
        Shape::Rule("id_token_encryption"),
        Some("id_token_encryption_enc_values_supported"),
        SPEC_ENC,
    ),
    claim(
        "subject_type",
        ALL,
        Presence::Optional,
        Shape::Enum(&["public", "pairwise"]),
        Some("subject_types_supported"),
        SPEC_SUBJECT_TYPE,
    ),
    claim(
        "jwks",
        ALL,
        Presence::Optional,
        Shape::Ignored("the SSA's software_jwks_endpoint names the software JWKS"),
        None,
        SPEC_IGNORED,
    ),
    claim(
        "jwks_uri",
        ALL,
        Presence::Optional,
        Shape::Ignored("the SSA's software_jwks_endpoint names the software JWKS"),
        None,
        SPEC_IGNORED,
    ),
];

/// The request's cross-claim rules, in the order they run.
pub(super) const RULES: &[CrossRule] = &[
    rule(
        "redirect_uris",
        ALL,
        "required; each https, not localhost/loopback, no fragment, at most 256 characters, exactly one of the statement's `software_redirect_uris`",
        redirect_uris,
    ),
    rule(
        "times",
        ALL,
        "`iat`/`exp` required; not in the future, not expired, `nbf`, with skew; `exp - iat` within the maximum lifetime",
        |cx, req, _| times(cx, req),
    ),
    rule(
        "software_id_binding",
        ALL,
        "`iss` and `software_id` (when sent) equal the statement's `software_id`",
        software_id_binding,
    ),
    rule(
        "aud",
        ALL,
        "a configured audience or the issuer; the 18-character organisation ID form (rule `request.aud_not_org_id`); an array (rule `request.aud_array`)",
        |cx, req, _| aud(cx, req),
    ),
    rule(
        "jti",
        ALL,
        "required; an upper-case UUIDv4 (lower-case: rule `request.jti_uuid_case`; not a UUID: rule `request.jti_not_uuid`)",
        |cx, req, _| jti(cx, req),
    ),
    rule(
        "auth",
        ALL,
        "`token_endpoint_auth_method` in the version's enum, within the FAPI floor, advertised; its signing alg (always in v3.1, with *_jwt from v3.2); the subject DN iff tls_client_auth, parsed and matched with the presented certificate; the certificate bound to the statement's software or organisation",
        auth,
    ),
    rule(
        "grants",
        ALL,
        "`grant_types` in the version's enum (CIBA from v3.3, jwt-bearer in v3.4), advertised; with the CIBA grant the backchannel claims (poll/ping, endpoint, signing alg, no user code)",
        |cx, req, _| grants(cx, req),
    ),
    rule(
        "response_and_scope",
        ALL,
        "`response_types` `code`/`code id_token` as token sets (default `code id_token`), advertised; `scope` (v3.1 array, v3.2+ string), each scope granted by a statement role, advertised; hybrid without openid warns",
        response_and_scope,
    ),
    rule("id_token_encryption", ALL, "no RSA1_5; `_enc` needs `_alg`; advertised", |cx, req, _| encryption(cx, req)),
];

/// The profile version (v3.1 → 1 … v3.4 → 4).
fn minor(cx: &Ctx<'_>) -> u8 {
    cx.config.profile.spec().version
}

fn times(cx: &mut Ctx<'_>, req: &ClaimSet<'_>) {
    let rules = TimeRules {
        iat: Presence::Required,
        exp: Presence::Required,
        max_lifetime: cx.config.max_request_lifetime,
        max_age: None,
        spec: SPEC_TIME,
    };
    time::check(cx.f, req, cx.now, cx.config.clock_skew, &rules);
}

fn auth(cx: &mut Ctx<'_>, req: &ClaimSet<'_>, ssa: Option<&ClaimSet<'_>>) {
    let minor = minor(cx);
    let method = auth_method(cx, req, minor);
    auth_signing_alg(cx, req, minor, method);
    subject_dn(cx, req, minor, method);
    certificate_bound_to_ssa(cx, ssa);
}

fn grants(cx: &mut Ctx<'_>, req: &ClaimSet<'_>) {
    let minor = minor(cx);
    let grants = grant_types(cx, req, minor);
    ciba(cx, req, minor, grants.contains(&CIBA_GRANT));
}

fn response_and_scope(cx: &mut Ctx<'_>, req: &ClaimSet<'_>, ssa: Option<&ClaimSet<'_>>) {
    let response_types = response_types(cx, req);
    scope(cx, req, ssa, minor(cx), &response_types);
}

/// `discovery.unsupported` when the bank advertises `member` without `value`.
fn supported(cx: &mut Ctx<'_>, member: &'static str, value: &str, pointer: Ptr<'_>) -> bool {
    check_supported(cx.f, cx.config.discovery.as_ref(), member, value, pointer, SPEC_DISCOVERY)
}

/// `iss` and `software_id` (when sent) equal the statement's `software_id` (their shapes are
/// table rows).
fn software_id_binding(cx: &mut Ctx<'_>, req: &ClaimSet<'_>, ssa: Option<&ClaimSet<'_>>) {
    let spec = if minor(cx) == 1 { SPEC_ISS_31 } else { SPEC_ISS };
    let iss = req.raw("iss").and_then(Value::as_str).filter(|s| !s.is_empty());
    rules::check_iss_is_software_id(cx, req, iss, ssa, spec);
    let Some(id) = req.raw("software_id").and_then(Value::as_str).filter(|s| !s.is_empty()) else { return };
    if let Some(expected) = ssa.and_then(|s| s.raw("software_id")).and_then(Value::as_str)
        && id != expected
    {
        cx.f.error(
            codes::CLAIM_MISMATCH,
            req.pointer("software_id"),
            format!("software_id \"{}\" is not the software statement's \"{}\"", short(id), short(expected)),
            if minor(cx) == 1 { SPEC_SOFTWARE_ID_31 } else { SPEC_SOFTWARE_ID },
        );
    }
}

/// Redirect URIs: required, each https/not-local/no fragment, each one of the SSA's.
pub(super) fn redirect_uris(cx: &mut Ctx<'_>, req: &ClaimSet<'_>, ssa: Option<&ClaimSet<'_>>) {
    cx.f.set_stage(Stage::RedirectUris);
    let Some(uris) = req.string_array(cx.f, "redirect_uris", Presence::Required, SPEC_REDIRECT) else { return };
    let ssa_uris: Option<Vec<&str>> = ssa
        .and_then(|s| s.raw("software_redirect_uris"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect());
    rules::check_redirect_uris(cx, req.pointer("redirect_uris"), &uris, ssa_uris.as_deref(), 256, SPEC_REDIRECT);
}

/// `aud` identifies this ASPSP: its OB organisation ID (configured audiences). The issuer URL or
/// another configured non-ID value is a documented deviation; an array is one too, accepted only
/// when it holds an accepted value.
fn aud(cx: &mut Ctx<'_>, req: &ClaimSet<'_>) {
    let config = cx.config;
    let accepted = |v: &str| config.audiences.iter().any(|a| a == v) || config.issuer == v;
    let values: Vec<&str> = match req.raw("aud") {
        None => {
            cx.f.error(codes::CLAIM_MISSING, req.pointer("aud"), "\"aud\" is required".into(), SPEC_AUD);
            return;
        }
        Some(Value::String(s)) if s.is_empty() => {
            cx.f.error(codes::CLAIM_EMPTY, req.pointer("aud"), "\"aud\" is empty".into(), SPEC_AUD);
            return;
        }
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) if !items.is_empty() && items.iter().all(Value::is_string) => {
            let list: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            let shown: Vec<String> = list.iter().map(|v| format!("\"{}\"", short(v))).collect();
            if !cx.f.deviation(
                &policy::REQUEST_AUD_ARRAY,
                req.pointer("aud"),
                format!("aud is the array [{}]; the data dictionary defines one string", short(&shown.join(", "))),
                SPEC_AUD,
            ) {
                return;
            }
            list
        }
        Some(other) => {
            cx.f.error(
                codes::CLAIM_TYPE,
                req.pointer("aud"),
                format!("aud is {}; it must be a string", super::json_type(Some(other))),
                SPEC_AUD,
            );
            return;
        }
    };
    let Some(hit) = values.iter().find(|v| accepted(v)) else {
        cx.f.error(
            codes::AUD_MISMATCH,
            req.pointer("aud"),
            format!(
                "aud \"{}\" does not identify this bank (accepted: its organisation ID or its issuer)",
                short(values.first().copied().unwrap_or_default())
            ),
            SPEC_AUD,
        );
        return;
    };
    if !is_base62(hit, 18) {
        cx.f.deviation(
            &policy::REQUEST_AUD_NOT_ORG_ID,
            req.pointer("aud"),
            format!("aud \"{}\" is not the bank's 18-character OB organisation ID", short(hit)),
            SPEC_AUD,
        );
    }
}

/// `jti`: the data dictionary's upper-case UUIDv4. Lower-case UUIDs (conformance-dcr) and
/// other identifiers (WSO2's millisecond timestamps) are documented deviations.
fn jti(cx: &mut Ctx<'_>, req: &ClaimSet<'_>) {
    let Some(jti) = req.string(cx.f, "jti", Presence::Required, SPEC_JTI) else { return };
    if is_uuid_v4(jti, true) {
        return;
    }
    let (rule, why) = if is_uuid_v4(jti, false) {
        (&policy::REQUEST_JTI_UUID_CASE, "is a lower- or mixed-case UUIDv4")
    } else {
        (&policy::REQUEST_JTI_NOT_UUID, "is not a UUIDv4")
    };
    cx.f.deviation(
        rule,
        req.pointer("jti"),
        format!("jti \"{}\" {why}; the data dictionary requires an upper-case UUIDv4", short(jti)),
        SPEC_JTI,
    );
}

/// `token_endpoint_auth_method`: in the version's enum, within the FAPI floor, advertised.
fn auth_method(cx: &mut Ctx<'_>, req: &ClaimSet<'_>, minor: u8) -> Option<&'static str> {
    let (allowed, spec): (&[&'static str], _) = if minor == 1 {
        (&["private_key_jwt", "client_secret_basic", "client_secret_post", "tls_client_auth"], SPEC_AUTH_31)
    } else {
        (
            &["private_key_jwt", "client_secret_jwt", "client_secret_basic", "client_secret_post", "tls_client_auth"],
            SPEC_AUTH,
        )
    };
    let v = req.string(cx.f, "token_endpoint_auth_method", Presence::Required, spec)?;
    let method = one_of(cx.f, req.pointer("token_endpoint_auth_method"), v, allowed, spec)?;
    if method.starts_with("client_secret") {
        cx.f.error(
            codes::AUTH_METHOD_NOT_FAPI,
            req.pointer("token_endpoint_auth_method"),
            format!("\"{method}\" is not FAPI-compliant; use private_key_jwt or tls_client_auth"),
            SPEC_AUTH_FAPI,
        );
    }
    supported(cx, "token_endpoint_auth_methods_supported", method, req.pointer("token_endpoint_auth_method"));
    Some(method)
}

/// `token_endpoint_auth_signing_alg`: always required in v3.1; from v3.2 required with the
/// `*_jwt` methods and optional otherwise.
fn auth_signing_alg(cx: &mut Ctx<'_>, req: &ClaimSet<'_>, minor: u8, method: Option<&str>) {
    let name = "token_endpoint_auth_signing_alg";
    let member = "token_endpoint_auth_signing_alg_values_supported";
    if minor == 1 {
        signing_alg(cx, req, name, Presence::Required, member, SPEC_AUTH_ALG_31);
        return;
    }
    if let Some(m @ ("private_key_jwt" | "client_secret_jwt")) = method
        && !req.has(name)
    {
        cx.f.error(
            codes::CLAIM_CONDITIONAL,
            req.pointer(name),
            format!("\"{name}\" is required with token_endpoint_auth_method \"{m}\""),
            SPEC_AUTH_ALG,
        );
        return;
    }
    signing_alg(cx, req, name, Presence::Optional, member, SPEC_AUTH_ALG);
}

/// A signing-algorithm claim: PS256/ES256, then advertised by discovery.
fn signing_alg(
    cx: &mut Ctx<'_>,
    req: &ClaimSet<'_>,
    name: &str,
    presence: Presence,
    member: &'static str,
    spec: &'static str,
) {
    if let Some(alg) = req.string(cx.f, name, presence, spec)
        && fapi_signing_alg(cx.f, req.pointer(name), alg, SPEC_ALGS)
    {
        supported(cx, member, alg, req.pointer(name));
    }
}

/// `grant_types`: required; the version's enum (CIBA from v3.3, jwt-bearer in v3.4); advertised.
fn grant_types(cx: &mut Ctx<'_>, req: &ClaimSet<'_>, minor: u8) -> Vec<&'static str> {
    let spec = match minor {
        1 | 2 => SPEC_GRANTS_31,
        3 => SPEC_GRANTS_33,
        _ => SPEC_GRANTS_34,
    };
    let Some(grants) = req.string_array(cx.f, "grant_types", Presence::Required, spec) else { return Vec::new() };
    let mut allowed = vec!["client_credentials", "authorization_code", "refresh_token"];
    if minor >= 3 {
        allowed.push(CIBA_GRANT);
    }
    if minor >= 4 {
        allowed.push(JWT_BEARER_GRANT);
    }
    rules::check_each_allowed(cx, req.pointer("grant_types"), &grants, &allowed, Some("grant_types_supported"), spec)
}

/// `response_types`: optional (default `code id_token`), each `code` or `code id_token` in any
/// token order (a case-only difference is a deviation), advertised by discovery. Returns the
/// effective values.
fn response_types(cx: &mut Ctx<'_>, req: &ClaimSet<'_>) -> Vec<&'static str> {
    let Some(values) = req.string_array(cx.f, "response_types", Presence::Optional, SPEC_RESPONSE) else {
        return if req.has("response_types") { Vec::new() } else { vec!["code id_token"] };
    };
    let mut effective = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let p = req.pointer("response_types").at(i);
        let canonical = if let Some(c) = RESPONSE_TYPES.into_iter().find(|c| same_tokens(v, c)) {
            Some(c)
        } else if let Some(c) = RESPONSE_TYPES.into_iter().find(|c| same_tokens(&v.to_ascii_lowercase(), c)) {
            let msg = format!("\"{}\" differs in case from \"{c}\"", short(v));
            cx.f.deviation(&policy::REQUEST_VALUE_CASE, p, msg, SPEC_RESPONSE).then_some(c)
        } else {
            cx.f.error(
                codes::CLAIM_VALUE,
                p,
                format!("\"{}\" is not one of \"code\", \"code id_token\"", short(v)),
                SPEC_RESPONSE,
            );
            None
        };
        if let Some(c) = canonical {
            supported(cx, "response_types_supported", c, p);
            effective.push(c);
        }
    }
    effective
}

const RESPONSE_TYPES: [&str; 2] = ["code", "code id_token"];

/// Which software roles grant each OB scope (the Crown Dependencies' `CD_*` roles, Directory
/// API 2.2.0, grant the same scopes as their PSD2 counterparts).
const SCOPE_ROLES: &[(&str, &[&str])] =
    &[("accounts", &["AISP", "CD_AISP"]), ("payments", &["PISP"]), ("fundsconfirmations", &["CBPII", "CD_CBPII"])];

/// `scope`: v3.1 an optional array of strings (each ≤ 32), v3.2+ a required space-separated
/// string (≤ 256). Each scope needs its software role; unknown scopes are flagged.
fn scope(cx: &mut Ctx<'_>, req: &ClaimSet<'_>, ssa: Option<&ClaimSet<'_>>, minor: u8, response_types: &[&str]) {
    let tokens: Vec<&str> = if minor == 1 {
        let Some(list) = req.string_array(cx.f, "scope", Presence::Optional, SPEC_SCOPE_31) else { return };
        for (i, s) in list.iter().enumerate() {
            max_len(cx.f, req.pointer("scope").at(i), s, 32, SPEC_SCOPE_31);
        }
        list.iter().flat_map(|s| s.split(' ')).filter(|t| !t.is_empty()).collect()
    } else {
        let Some(s) = req.string(cx.f, "scope", Presence::Required, SPEC_SCOPE) else { return };
        max_len(cx.f, req.pointer("scope"), s, 256, SPEC_SCOPE);
        s.split(' ').filter(|t| !t.is_empty()).collect()
    };
    // Without a usable role list (absent or empty: the SSA's own finding says so) the role check
    // is skipped rather than repeated for every scope.
    let roles: Option<Vec<&str>> = ssa
        .and_then(|s| s.raw("software_roles"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect::<Vec<_>>())
        .filter(|r| !r.is_empty());
    let advertised = cx.config.discovery.as_ref().and_then(|d| d.supported("scopes_supported"));
    for t in &tokens {
        if let Some((_, granting)) = SCOPE_ROLES.iter().find(|(s, _)| s == t)
            && let Some(roles) = &roles
            && !granting.iter().any(|g| roles.contains(g))
        {
            cx.f.error(
                codes::SCOPE_ROLE_MISSING,
                req.pointer("scope"),
                format!(
                    "scope \"{t}\" needs the {} role; the software statement grants {}",
                    granting.join(" or "),
                    roles.join(", ")
                ),
                SPEC_SCOPE_ROLES,
            );
        }
        match &advertised {
            Some(list) if !list.contains(t) => cx.f.error(
                codes::DISCOVERY_UNSUPPORTED,
                req.pointer("scope"),
                format!("scope \"{}\" is not in the bank's scopes_supported", short(t)),
                SPEC_DISCOVERY,
            ),
            None if *t != "openid" && !SCOPE_ROLES.iter().any(|(s, _)| s == t) => cx.f.warning(
                codes::SCOPE_UNKNOWN,
                req.pointer("scope"),
                format!("scope \"{}\" is not an OB scope (openid, accounts, payments, fundsconfirmations)", short(t)),
                SPEC_SCOPE_ROLES,
            ),
            _ => {}
        }
    }
    if response_types.contains(&"code id_token") && !tokens.contains(&"openid") {
        cx.f.warning(
            codes::SCOPE_OPENID_MISSING,
            req.pointer("scope"),
            format!(
                "the hybrid response type \"code id_token\" issues an ID token, but scope \"{}\" lacks openid",
                short(&tokens.join(" "))
            ),
            SPEC_SCOPE_OPENID,
        );
    }
}

/// `tls_client_auth_subject_dn` (`tls_client_auth_dn` in v3.1): required iff the method is
/// tls_client_auth; compared with the presented certificate as a parsed DN.
fn subject_dn(cx: &mut Ctx<'_>, req: &ClaimSet<'_>, minor: u8, method: Option<&str>) {
    let (name, other, spec) = match minor {
        1 => ("tls_client_auth_dn", "tls_client_auth_subject_dn", SPEC_DN_31),
        2 | 3 => ("tls_client_auth_subject_dn", "tls_client_auth_dn", SPEC_DN),
        _ => ("tls_client_auth_subject_dn", "tls_client_auth_dn", SPEC_DN_34),
    };
    let mut used = name;
    if req.has(other) {
        cx.f.warning(
            codes::CLAIM_RENAMED,
            req.pointer(other),
            format!("\"{other}\" is this claim's name in another OB version; v3.{minor} calls it \"{name}\""),
            spec,
        );
        if !req.has(name) {
            used = other;
        }
    }
    // Without a usable method (absent or not in the enum: its own finding explains) the
    // presence rules are skipped.
    let Some(method) = method else { return };
    let tls = method == "tls_client_auth";
    if !req.has(used) {
        if tls {
            cx.f.error(
                codes::CLAIM_CONDITIONAL,
                req.pointer(name),
                format!("\"{name}\" is required with token_endpoint_auth_method \"tls_client_auth\""),
                spec,
            );
        }
        return;
    }
    if !tls {
        cx.f.deviation(
            &policy::REQUEST_DN_WITHOUT_TLS_CLIENT_AUTH,
            req.pointer(used),
            format!("\"{used}\" is only defined for tls_client_auth; token_endpoint_auth_method is \"{method}\""),
            spec,
        );
        return;
    }
    let Some(dn) = req.string(cx.f, used, Presence::Optional, spec) else { return };
    let max = if minor >= 4 { 512 } else { 128 };
    if max_len(cx.f, req.pointer(used), dn, max, spec) && minor >= 4 && !cn_first(dn) {
        cx.f.error(
            codes::CLAIM_FORMAT,
            req.pointer(used),
            format!("\"{}\" must start with CN= and use no spaces after commas (v3.4 pattern)", short(dn)),
            spec,
        );
    }
    let Some(claimed) = Dn::parse(dn) else {
        cx.f.error(
            codes::MTLS_SUBJECT_DN_INVALID,
            req.pointer(used),
            format!("\"{}\" is not a distinguished name (RFC 4514)", short(dn)),
            SPEC_DN_MATCH,
        );
        return;
    };
    let Some(cert) = &cx.facts.client_cert else { return };
    match Dn::parse(&cert.subject_dn) {
        None => cx.f.error(
            codes::MTLS_SUBJECT_DN_INVALID,
            req.pointer(used),
            format!("the client certificate's subject \"{}\" is not a parsable DN", short(&cert.subject_dn)),
            SPEC_DN_MATCH,
        ),
        Some(actual) => {
            if let Some(why) = claimed.difference(&actual) {
                cx.f.error(
                    codes::MTLS_SUBJECT_DN_MISMATCH,
                    req.pointer(used),
                    format!(
                        "\"{}\" is not the client certificate's subject \"{}\": {why}",
                        short(dn),
                        short(&cert.subject_dn)
                    ),
                    SPEC_DN_MATCH,
                );
            }
        }
    }
}

/// v3.4 swagger: `^(?=.{1,512}$)[Cc][Nn]=[^,]+(?:,[^,\s]+=[^,]+)*$`.
fn cn_first(dn: &str) -> bool {
    let mut parts = dn.split(',');
    let first_ok =
        parts.next().is_some_and(|p| p.len() > 3 && p.get(..3).is_some_and(|h| h.eq_ignore_ascii_case("cn=")));
    first_ok
        && parts.all(|p| match p.split_once('=') {
            Some((ty, val)) => !ty.is_empty() && !ty.contains(char::is_whitespace) && !val.is_empty(),
            None => false,
        })
}

/// With a client certificate: it belongs to the SSA's software (legacy OB shape `CN =
/// software_id, OU = org_id`) or organisation (eIDAS/OBWAC `organizationIdentifier` ending in
/// the org ID). Reported with the SSA (invalid_software_statement), as ForgeRock does.
fn certificate_bound_to_ssa(cx: &mut Ctx<'_>, ssa: Option<&ClaimSet<'_>>) {
    let (Some(cert), Some(ssa)) = (&cx.facts.client_cert, ssa) else { return };
    let Some(dn) = Dn::parse(&cert.subject_dn) else { return };
    let org = ssa.raw("org_id").and_then(Value::as_str).map(str::to_ascii_lowercase);
    let software = ssa.raw("software_id").and_then(Value::as_str).map(str::to_ascii_lowercase);
    let legacy = dn.get(oid::OU).is_some_and(|ou| Some(ou) == org.as_deref())
        && dn.get(oid::CN).is_some_and(|cn| Some(cn) == software.as_deref());
    let eidas = dn.get(oid::ORGANIZATION_IDENTIFIER).zip(org.as_deref()).is_some_and(|(id, org)| id.ends_with(org));
    // organizationIdentifier (OBWAC/eIDAS) is the main path; the legacy OB shape is usable only
    // in the sandbox and the Crown Dependencies domain, not for PSD2 traffic (OB FAQ).
    let sandbox =
        ssa.raw("software_environment").and_then(Value::as_str).is_some_and(|e| e.eq_ignore_ascii_case("sandbox"));
    if legacy && !eidas && !sandbox {
        let stage = cx.f.stage();
        cx.f.set_stage(Stage::SsaClaims);
        cx.f.deviation(
            &policy::CERT_LEGACY_DN_OUTSIDE_SANDBOX,
            Ptr::root("/ssa/claims/software_environment"),
            format!(
                "the client certificate \"{}\" has the legacy OB shape (CN = software_id, OU = org_id), but the statement is not a sandbox one; PSD2 traffic needs an OBWAC/eIDAS certificate with organizationIdentifier",
                short(&cert.subject_dn)
            ),
            SPEC_LEGACY_CERT,
        );
        cx.f.set_stage(stage);
    }
    if !(legacy || eidas) {
        let stage = cx.f.stage();
        cx.f.set_stage(Stage::SsaClaims);
        cx.f.error(
            codes::MTLS_CLIENT_NOT_IN_SSA,
            Ptr::root("/ssa/claims/org_id"),
            format!(
                "the client certificate \"{}\" does not belong to the software statement's software or organisation",
                short(&cert.subject_dn)
            ),
            SPEC_MTLS,
        );
        cx.f.set_stage(stage);
    }
}

/// CIBA (v3.3+): with the CIBA grant, the delivery mode (poll/ping; push is forbidden by
/// FAPI-CIBA), the notification endpoint (https; required unless poll), the request signing
/// algorithm, and a `false` user-code flag. Without the grant, backchannel claims are ignored.
fn ciba(cx: &mut Ctx<'_>, req: &ClaimSet<'_>, minor: u8, grant: bool) {
    let names = [
        "backchannel_token_delivery_mode",
        "backchannel_client_notification_endpoint",
        "backchannel_authentication_request_signing_alg",
        "backchannel_user_code_parameter_supported",
    ];
    if !grant || minor < 3 {
        let why = if minor < 3 { "CIBA arrived in v3.3" } else { "grant_types lacks the CIBA grant" };
        for n in names {
            if req.has(n) {
                cx.f.warning(
                    codes::CLAIM_IGNORED,
                    req.pointer(n),
                    format!("\"{n}\" only applies with the CIBA grant and is ignored ({why})"),
                    SPEC_CIBA,
                );
            }
        }
        return;
    }
    let mode_name = "backchannel_token_delivery_mode";
    let mode = match req.string(cx.f, mode_name, Presence::Optional, SPEC_CIBA) {
        None if !req.has(mode_name) => {
            cx.f.error(
                codes::CLAIM_CONDITIONAL,
                req.pointer(mode_name),
                format!("\"{mode_name}\" is required with the CIBA grant"),
                SPEC_CIBA,
            );
            None
        }
        None => None,
        Some(m) if m.eq_ignore_ascii_case("push") => {
            cx.f.error(
                codes::CLAIM_VALUE,
                req.pointer(mode_name),
                format!("\"{}\" is forbidden by FAPI-CIBA; use poll or ping", short(m)),
                SPEC_CIBA,
            );
            None
        }
        Some(m) => {
            let m = one_of(cx.f, req.pointer(mode_name), m, &["poll", "ping"], SPEC_CIBA);
            if let Some(m) = m {
                supported(cx, "backchannel_token_delivery_modes_supported", m, req.pointer(mode_name));
            }
            m
        }
    };
    let endpoint = "backchannel_client_notification_endpoint";
    if let Some(u) = req.string(cx.f, endpoint, Presence::Optional, SPEC_CIBA) {
        if max_len(cx.f, req.pointer(endpoint), u, 256, SPEC_CIBA) {
            uri_claim(cx, req.pointer(endpoint), u, true, SPEC_CIBA);
        }
    } else if mode == Some("ping") && !req.has(endpoint) {
        cx.f.error(
            codes::CLAIM_CONDITIONAL,
            req.pointer(endpoint),
            format!("\"{endpoint}\" is required with the ping delivery mode"),
            SPEC_CIBA,
        );
    }
    let alg = "backchannel_authentication_request_signing_alg";
    if req.has(alg) {
        let member = "backchannel_authentication_request_signing_alg_values_supported";
        signing_alg(cx, req, alg, Presence::Optional, member, SPEC_CIBA);
    } else {
        cx.f.error(
            codes::CLAIM_CONDITIONAL,
            req.pointer(alg),
            format!("\"{alg}\" is required with the CIBA grant"),
            SPEC_CIBA,
        );
    }
    let user_code = "backchannel_user_code_parameter_supported";
    if req.boolean(cx.f, user_code, Presence::Optional, SPEC_CIBA) == Some(true) {
        cx.f.error(
            codes::CLAIM_VALUE,
            req.pointer(user_code),
            format!("\"{user_code}\" is true; OB CIBA clients must not use user codes (false)"),
            SPEC_CIBA,
        );
    }
}

/// ID token encryption: never RSA1_5; `_enc` needs `_alg`; advertised by discovery when the bank
/// lists algorithms.
fn encryption(cx: &mut Ctx<'_>, req: &ClaimSet<'_>) {
    let alg_name = "id_token_encrypted_response_alg";
    let enc_name = "id_token_encrypted_response_enc";
    let alg = req.string(cx.f, alg_name, Presence::Optional, SPEC_ENC);
    if let Some(alg) = alg {
        if alg == "RSA1_5" {
            cx.f.error(
                codes::ALG_NOT_FAPI,
                req.pointer(alg_name),
                format!("{alg_name} \"RSA1_5\" is not allowed (FAPI); use RSA-OAEP or RSA-OAEP-256"),
                SPEC_ENC,
            );
        } else {
            supported(cx, "id_token_encryption_alg_values_supported", alg, req.pointer(alg_name));
        }
    }
    if let Some(enc) = req.string(cx.f, enc_name, Presence::Optional, SPEC_ENC) {
        if alg.is_none() && !req.has(alg_name) {
            cx.f.error(
                codes::CLAIM_CONDITIONAL,
                req.pointer(alg_name),
                format!("{enc_name} \"{}\" is sent without {alg_name}", short(enc)),
                SPEC_ENC,
            );
        }
        supported(cx, "id_token_encryption_enc_values_supported", enc, req.pointer(enc_name));
    }
}
