//! The UK registration request claims (UK digest §1.2, §1.4, §1.5, §3.4–§3.7, §4.4).

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use serde_json::Value;

use super::super::claims::{ClaimSet, Presence, fapi_signing_alg, is_base62, is_uuid_v4, max_len, one_of};
use super::super::codes;
use super::super::discovery::{check_supported, same_tokens};
use super::super::findings::ptr;
use super::super::report::Stage;
use super::super::rules::{self, Ctx};
use super::super::time::{self, TimeRules};
use super::dn::{Dn, oid};
use super::uri_claim;
use crate::jose::json::short;

const SPEC_DD: &str = "OBIE DCR data dictionary (OBClientRegistrationRequest1)";
const SPEC_ISS: &str = "OBIE DCR data dictionary: iss = SSA software_id";
const SPEC_AUD: &str = "OBIE DCR data dictionary: aud (ASPSP OB organisation ID, ^[0-9a-zA-Z]{1,18}$)";
const SPEC_JTI: &str = "OBIE DCR data dictionary: jti (UUIDv4, upper-case regex)";
const SPEC_TIME: &str = "OBIE DCR data dictionary: iat, exp; RFC 7519 §4.1";
const SPEC_REDIRECT: &str = "OBIE DCR data dictionary: redirect_uris (https, subset of SSA software_redirect_uris)";
const SPEC_AUTH: &str = "OBIE DCR data dictionary: token_endpoint_auth_method; FAPI 1.0 Advanced §5.2.2";
const SPEC_ALGS: &str = "OBIE DCR data dictionary (signing algs); FAPI 1.0 Advanced §8.6";
const SPEC_GRANTS: &str = "OBIE DCR data dictionary: grant_types";
const SPEC_RESPONSE: &str = "OBIE DCR data dictionary: response_types";
const SPEC_SCOPE: &str = "OBIE DCR data dictionary: scope; data mapping (scope vs software_roles)";
const SPEC_APP: &str = "OBIE DCR data dictionary: application_type";
const SPEC_DN: &str = "OBIE DCR data dictionary: tls_client_auth_subject_dn; UK digest §4.4";
const SPEC_MTLS: &str = "OB Directory \"Request Validation\": the TLS client is the TPP named in the SSA";
const SPEC_CIBA: &str = "OBIE DCR v3.3+ data dictionary: backchannel_*; FAPI-CIBA";
const SPEC_ENC: &str = "OpenID Connect Registration §2; FAPI 1.0 Advanced (no RSA1_5)";
const SPEC_IGNORED: &str = "OBIE DCR: keys come from the SSA's software_jwks_endpoint";

const CIBA_GRANT: &str = "urn:openid:params:grant-type:ciba";
const JWT_BEARER_GRANT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

pub(crate) fn check(cx: &mut Ctx<'_>, req: &ClaimSet<'_>, ssa: Option<&ClaimSet<'_>>) {
    let minor = cx.config.profile.uk_minor().unwrap_or(3);
    redirect_uris(cx, req, ssa);
    cx.f.set_stage(Stage::RequestClaims);
    let rules = TimeRules {
        iat: Presence::Required,
        exp: Presence::Required,
        max_lifetime: cx.config.max_request_lifetime,
        max_age: None,
        spec: SPEC_TIME,
    };
    time::check(cx.f, req, cx.now, cx.config.clock_skew, &rules);
    let id_len = if minor == 1 { 18 } else { 22 };
    let iss = req.string(cx.f, "iss", Presence::Required, SPEC_ISS);
    if let Some(iss) = iss
        && !is_base62(iss, id_len)
    {
        cx.f.error(
            codes::CLAIM_FORMAT,
            req.pointer("iss"),
            format!("iss \"{}\" must match ^[0-9a-zA-Z]{{1,{id_len}}}$", short(iss)),
            SPEC_ISS,
        );
    }
    rules::check_iss_is_software_id(cx, req, iss, ssa, SPEC_ISS);
    if let Some(id) = req.string(cx.f, "software_id", Presence::Optional, SPEC_DD) {
        if !is_base62(id, id_len) {
            cx.f.error(
                codes::CLAIM_FORMAT,
                req.pointer("software_id"),
                format!("software_id \"{}\" must match ^[0-9a-zA-Z]{{1,{id_len}}}$", short(id)),
                SPEC_DD,
            );
        }
        if let Some(expected) = ssa.and_then(|s| s.raw("software_id")).and_then(Value::as_str)
            && id != expected
        {
            cx.f.error(
                codes::CLAIM_MISMATCH,
                req.pointer("software_id"),
                format!("software_id \"{}\" is not the software statement's \"{}\"", short(id), short(expected)),
                SPEC_DD,
            );
        }
    }
    aud(cx, req);
    jti(cx, req);
    let method = auth_method(cx, req, minor);
    let grants = req.string_array(cx.f, "grant_types", Presence::Required, SPEC_GRANTS).unwrap_or_default();
    let mut allowed_grants = vec!["client_credentials", "authorization_code", "refresh_token"];
    if minor >= 3 {
        allowed_grants.push(CIBA_GRANT);
    }
    if minor >= 4 {
        allowed_grants.push(JWT_BEARER_GRANT);
    }
    let grants = rules::check_each_allowed(
        cx,
        &req.pointer("grant_types"),
        &grants,
        &allowed_grants,
        Some("grant_types_supported"),
        SPEC_GRANTS,
    );
    let response_types = response_types(cx, req);
    scope(cx, req, ssa, minor, &response_types);
    let apps: &[&'static str] = if minor >= 4 { &["web", "native"] } else { &["web", "mobile"] };
    if let Some(app) = req.string(cx.f, "application_type", Presence::Required, SPEC_APP) {
        one_of(cx.f, req.pointer("application_type"), app, apps, SPEC_APP);
    }
    for (name, member) in [
        ("id_token_signed_response_alg", "id_token_signing_alg_values_supported"),
        ("request_object_signing_alg", "request_object_signing_alg_values_supported"),
    ] {
        signing_alg(cx, req, name, Presence::Required, member);
    }
    let needs_auth_alg = minor == 1 || matches!(method, Some("private_key_jwt" | "client_secret_jwt"));
    if needs_auth_alg && !req.has("token_endpoint_auth_signing_alg") && minor > 1 {
        cx.f.error(
            codes::CLAIM_CONDITIONAL,
            req.pointer("token_endpoint_auth_signing_alg"),
            format!("token_endpoint_auth_signing_alg is required with {}", method.unwrap_or("this method")),
            SPEC_ALGS,
        );
    } else {
        let presence = if minor == 1 { Presence::Required } else { Presence::Optional };
        signing_alg(
            cx,
            req,
            "token_endpoint_auth_signing_alg",
            presence,
            "token_endpoint_auth_signing_alg_values_supported",
        );
    }
    subject_dn(cx, req, ssa, minor, method);
    ciba(cx, req, minor, grants.contains(&CIBA_GRANT));
    encryption(cx, req);
    if let Some(st) = req.string(cx.f, "subject_type", Presence::Optional, SPEC_DD)
        && one_of(cx.f, req.pointer("subject_type"), st, &["public", "pairwise"], SPEC_DD).is_some()
    {
        check_supported(
            cx.f,
            cx.config.discovery.as_ref(),
            "subject_types_supported",
            st,
            req.pointer("subject_type"),
            SPEC_DD,
        );
    }
    for name in ["jwks", "jwks_uri"] {
        if req.has(name) {
            cx.f.warning(
                codes::CLAIM_IGNORED,
                req.pointer(name),
                format!("\"{name}\" is ignored: the SSA names the software JWKS"),
                SPEC_IGNORED,
            );
        }
    }
    rules::check_operation(cx, req);
}

/// Redirect URIs: required, each https/not-local/no fragment, each one of the SSA's.
fn redirect_uris(cx: &mut Ctx<'_>, req: &ClaimSet<'_>, ssa: Option<&ClaimSet<'_>>) {
    cx.f.set_stage(Stage::RedirectUris);
    let Some(uris) = req.string_array(cx.f, "redirect_uris", Presence::Required, SPEC_REDIRECT) else { return };
    let ssa_uris: Option<Vec<&str>> = ssa
        .and_then(|s| s.raw("software_redirect_uris"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect());
    rules::check_redirect_uris(cx, &req.pointer("redirect_uris"), &uris, ssa_uris.as_deref(), 256, SPEC_REDIRECT);
}

/// `aud` identifies this ASPSP: its OB organisation ID (configured audiences). The issuer URL or
/// another configured non-ID value is a documented deviation; an array is one too.
fn aud(cx: &mut Ctx<'_>, req: &ClaimSet<'_>) {
    let config = cx.config;
    let accepted = |v: &str| config.audiences.iter().any(|a| a == v) || config.issuer == v;
    let values: Vec<&str> = match req.raw("aud") {
        None => {
            cx.f.error(codes::CLAIM_MISSING, req.pointer("aud"), "\"aud\" is required".into(), SPEC_AUD);
            return;
        }
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) if items.iter().all(Value::is_string) && !items.is_empty() => {
            let list: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            if !cx.f.deviation(
                codes::CLAIM_TYPE,
                req.pointer("aud"),
                "aud is an array; the data dictionary defines one string".into(),
                SPEC_AUD,
            ) {
                return;
            }
            list
        }
        Some(_) => {
            cx.f.error(codes::CLAIM_TYPE, req.pointer("aud"), "aud must be a string".into(), SPEC_AUD);
            return;
        }
    };
    let Some(hit) = values.iter().find(|v| accepted(v)) else {
        cx.f.error(
            codes::AUD_MISMATCH,
            req.pointer("aud"),
            format!(
                "aud \"{}\" does not identify this bank (accepted: its organisation ID or issuer)",
                short(values.first().copied().unwrap_or_default())
            ),
            SPEC_AUD,
        );
        return;
    };
    if !is_base62(hit, 18) {
        cx.f.deviation(
            codes::AUD_FORMAT,
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
    let why = if is_uuid_v4(jti, false) { "is a lower-case UUIDv4" } else { "is not a UUIDv4" };
    cx.f.deviation(
        codes::JTI_FORMAT,
        req.pointer("jti"),
        format!("jti \"{}\" {why}; the data dictionary requires an upper-case UUIDv4", short(jti)),
        SPEC_JTI,
    );
}

/// `token_endpoint_auth_method`: in the version's enum, within the FAPI floor, advertised.
fn auth_method<'a>(cx: &mut Ctx<'_>, req: &ClaimSet<'a>, minor: u8) -> Option<&'static str> {
    let v = req.string(cx.f, "token_endpoint_auth_method", Presence::Required, SPEC_AUTH)?;
    let allowed: &[&'static str] = if minor == 1 {
        &["private_key_jwt", "client_secret_basic", "client_secret_post", "tls_client_auth"]
    } else {
        &["private_key_jwt", "client_secret_jwt", "client_secret_basic", "client_secret_post", "tls_client_auth"]
    };
    let method = one_of(cx.f, req.pointer("token_endpoint_auth_method"), v, allowed, SPEC_AUTH)?;
    if method.starts_with("client_secret") {
        cx.f.error(
            codes::AUTH_METHOD_NOT_FAPI,
            req.pointer("token_endpoint_auth_method"),
            format!("\"{method}\" is not FAPI-compliant; use private_key_jwt or tls_client_auth"),
            SPEC_AUTH,
        );
    }
    check_supported(
        cx.f,
        cx.config.discovery.as_ref(),
        "token_endpoint_auth_methods_supported",
        method,
        req.pointer("token_endpoint_auth_method"),
        SPEC_AUTH,
    );
    Some(method)
}

/// A signing-algorithm claim: PS256/ES256, then advertised by discovery.
fn signing_alg(cx: &mut Ctx<'_>, req: &ClaimSet<'_>, name: &str, presence: Presence, member: &'static str) {
    if let Some(alg) = req.string(cx.f, name, presence, SPEC_ALGS)
        && fapi_signing_alg(cx.f, req.pointer(name), alg, SPEC_ALGS)
    {
        check_supported(cx.f, cx.config.discovery.as_ref(), member, alg, req.pointer(name), SPEC_ALGS);
    }
}

/// `response_types`: optional (default `code id_token`), each `code` or `code id_token` in any
/// token order, advertised by discovery. Returns the effective values.
fn response_types(cx: &mut Ctx<'_>, req: &ClaimSet<'_>) -> Vec<String> {
    let Some(values) = req.string_array(cx.f, "response_types", Presence::Optional, SPEC_RESPONSE) else {
        return if req.has("response_types") { Vec::new() } else { vec!["code id_token".into()] };
    };
    let mut effective = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let p = ptr::index(&req.pointer("response_types"), i);
        if let Some(canonical) = ["code", "code id_token"].into_iter().find(|c| same_tokens(v, c)) {
            check_supported(cx.f, cx.config.discovery.as_ref(), "response_types_supported", v, p, SPEC_RESPONSE);
            effective.push(canonical.into());
        } else {
            cx.f.error(
                codes::CLAIM_VALUE,
                p,
                format!("\"{}\" is not one of \"code\", \"code id_token\"", short(v)),
                SPEC_RESPONSE,
            );
        }
    }
    effective
}

/// Which software role each OB scope needs.
const SCOPE_ROLES: &[(&str, &str)] = &[("accounts", "AISP"), ("payments", "PISP"), ("fundsconfirmations", "CBPII")];

/// `scope`: v3.1 an optional array of strings (each ≤ 32), v3.2+ a required space-separated
/// string (≤ 256). Each scope needs its software role; unknown scopes are flagged.
fn scope(cx: &mut Ctx<'_>, req: &ClaimSet<'_>, ssa: Option<&ClaimSet<'_>>, minor: u8, response_types: &[String]) {
    let tokens: Vec<&str> = if minor == 1 {
        let Some(list) = req.string_array(cx.f, "scope", Presence::Optional, SPEC_SCOPE) else { return };
        for (i, s) in list.iter().enumerate() {
            max_len(cx.f, ptr::index(&req.pointer("scope"), i), s, 32, SPEC_SCOPE);
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
        if let Some((_, role)) = SCOPE_ROLES.iter().find(|(s, _)| s == t)
            && let Some(roles) = &roles
            && !roles.contains(role)
        {
            cx.f.error(
                codes::SCOPE_ROLE_MISSING,
                req.pointer("scope"),
                format!("scope \"{t}\" needs the {role} role, which the software statement does not grant"),
                SPEC_SCOPE,
            );
        }
        match &advertised {
            Some(list) if !list.contains(t) => cx.f.error(
                codes::DISCOVERY_UNSUPPORTED,
                req.pointer("scope"),
                format!("scope \"{}\" is not in the bank's scopes_supported", short(t)),
                SPEC_SCOPE,
            ),
            None if *t != "openid" && !SCOPE_ROLES.iter().any(|(s, _)| s == t) => cx.f.warning(
                codes::SCOPE_UNKNOWN,
                req.pointer("scope"),
                format!("scope \"{}\" is not an OB scope (openid, accounts, payments, fundsconfirmations)", short(t)),
                SPEC_SCOPE,
            ),
            _ => {}
        }
    }
    if response_types.iter().any(|r| r == "code id_token") && !tokens.contains(&"openid") {
        cx.f.warning(
            codes::SCOPE_OPENID_MISSING,
            req.pointer("scope"),
            "the hybrid response type \"code id_token\" issues an ID token, which needs the openid scope".into(),
            SPEC_SCOPE,
        );
    }
}

/// `tls_client_auth_subject_dn` (`tls_client_auth_dn` in v3.1): required iff the method is
/// tls_client_auth; compared with the presented certificate as a parsed DN. With a certificate,
/// the TLS client must also be the software named in the SSA.
fn subject_dn(cx: &mut Ctx<'_>, req: &ClaimSet<'_>, ssa: Option<&ClaimSet<'_>>, minor: u8, method: Option<&str>) {
    let (name, other) = if minor == 1 {
        ("tls_client_auth_dn", "tls_client_auth_subject_dn")
    } else {
        ("tls_client_auth_subject_dn", "tls_client_auth_dn")
    };
    let mut used = name;
    if req.has(other) {
        cx.f.warning(
            codes::CLAIM_RENAMED,
            req.pointer(other),
            format!("\"{other}\" is this claim's name in another OB version; v3.{minor} calls it \"{name}\""),
            SPEC_DN,
        );
        if !req.has(name) {
            used = other;
        }
    }
    let tls = method == Some("tls_client_auth");
    if !req.has(used) {
        if tls {
            cx.f.error(
                codes::CLAIM_CONDITIONAL,
                req.pointer(name),
                format!("\"{name}\" is required with tls_client_auth"),
                SPEC_DN,
            );
        }
    } else if !tls {
        cx.f.deviation(
            codes::CLAIM_NOT_ALLOWED,
            req.pointer(used),
            format!("\"{used}\" is only defined for tls_client_auth; the method is \"{}\"", method.unwrap_or("absent")),
            SPEC_DN,
        );
    } else if let Some(dn) = req.string(cx.f, used, Presence::Optional, SPEC_DN) {
        let max = if minor >= 4 { 512 } else { 128 };
        if max_len(cx.f, req.pointer(used), dn, max, SPEC_DN) && minor >= 4 && !cn_first(dn) {
            cx.f.error(
                codes::CLAIM_FORMAT,
                req.pointer(used),
                format!("\"{}\" must start with CN= (v3.4 pattern)", short(dn)),
                SPEC_DN,
            );
        }
        match (Dn::parse(dn), &cx.config.client_cert) {
            (None, _) => cx.f.error(
                codes::MTLS_SUBJECT_DN_INVALID,
                req.pointer(used),
                format!("\"{}\" is not a distinguished name", short(dn)),
                SPEC_DN,
            ),
            (Some(claimed), Some(cert)) => match Dn::parse(&cert.subject_dn) {
                None => cx.f.error(
                    codes::MTLS_SUBJECT_DN_INVALID,
                    req.pointer(used),
                    "the client certificate's subject is not a parsable DN".into(),
                    SPEC_DN,
                ),
                Some(actual) if actual != claimed => cx.f.error(
                    codes::MTLS_SUBJECT_DN_MISMATCH,
                    req.pointer(used),
                    format!(
                        "\"{}\" is not the client certificate's subject \"{}\"",
                        short(dn),
                        short(&cert.subject_dn)
                    ),
                    SPEC_DN,
                ),
                Some(_) => {}
            },
            (Some(_), None) => {}
        }
    }
    certificate_bound_to_ssa(cx, ssa);
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
    let (Some(cert), Some(ssa)) = (&cx.config.client_cert, ssa) else { return };
    let Some(dn) = Dn::parse(&cert.subject_dn) else { return };
    let org = ssa.raw("org_id").and_then(Value::as_str).map(str::to_ascii_lowercase);
    let software = ssa.raw("software_id").and_then(Value::as_str).map(str::to_ascii_lowercase);
    let legacy = dn.get(oid::OU).is_some_and(|ou| Some(ou) == org.as_deref())
        && dn.get(oid::CN).is_some_and(|cn| Some(cn) == software.as_deref());
    let eidas = dn.get(oid::ORGANIZATION_IDENTIFIER).zip(org.as_deref()).is_some_and(|(id, org)| id.ends_with(org));
    if !(legacy || eidas) {
        let stage = cx.f.stage();
        cx.f.set_stage(Stage::SsaClaims);
        cx.f.error(
            codes::MTLS_CLIENT_NOT_IN_SSA,
            "/ssa/claims/org_id".into(),
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
/// FAPI-CIBA), the notification endpoint (unless poll), the request signing algorithm, and a
/// `false` user-code flag. Without it, backchannel claims are ignored.
fn ciba(cx: &mut Ctx<'_>, req: &ClaimSet<'_>, minor: u8, grant: bool) {
    let names = [
        "backchannel_token_delivery_mode",
        "backchannel_client_notification_endpoint",
        "backchannel_authentication_request_signing_alg",
        "backchannel_user_code_parameter_supported",
    ];
    if !grant || minor < 3 {
        for n in names {
            if req.has(n) {
                cx.f.warning(
                    codes::CLAIM_IGNORED,
                    req.pointer(n),
                    format!("\"{n}\" only applies with the CIBA grant (v3.3+)"),
                    SPEC_CIBA,
                );
            }
        }
        return;
    }
    let mode = match req.string(cx.f, "backchannel_token_delivery_mode", Presence::Optional, SPEC_CIBA) {
        None if !req.has("backchannel_token_delivery_mode") => {
            cx.f.error(
                codes::CLAIM_CONDITIONAL,
                req.pointer("backchannel_token_delivery_mode"),
                "required with the CIBA grant".into(),
                SPEC_CIBA,
            );
            None
        }
        None => None,
        Some("push") => {
            cx.f.error(
                codes::CLAIM_VALUE,
                req.pointer("backchannel_token_delivery_mode"),
                "\"push\" is forbidden by FAPI-CIBA; use poll or ping".into(),
                SPEC_CIBA,
            );
            None
        }
        Some(m) => {
            let m = one_of(cx.f, req.pointer("backchannel_token_delivery_mode"), m, &["poll", "ping"], SPEC_CIBA);
            if let Some(m) = m {
                check_supported(
                    cx.f,
                    cx.config.discovery.as_ref(),
                    "backchannel_token_delivery_modes_supported",
                    m,
                    req.pointer("backchannel_token_delivery_mode"),
                    SPEC_CIBA,
                );
            }
            m
        }
    };
    let endpoint = "backchannel_client_notification_endpoint";
    let sent = req.string(cx.f, endpoint, Presence::Optional, SPEC_CIBA);
    if let Some(u) = sent
        && max_len(cx.f, req.pointer(endpoint), u, 256, SPEC_CIBA)
    {
        uri_claim(cx, req.pointer(endpoint), u, true, SPEC_CIBA);
    } else if sent.is_none() && mode == Some("ping") && !req.has(endpoint) {
        cx.f.error(
            codes::CLAIM_CONDITIONAL,
            req.pointer(endpoint),
            "required with the ping delivery mode".into(),
            SPEC_CIBA,
        );
    }
    let alg = "backchannel_authentication_request_signing_alg";
    if req.has(alg) {
        signing_alg(
            cx,
            req,
            alg,
            Presence::Optional,
            "backchannel_authentication_request_signing_alg_values_supported",
        );
    } else {
        cx.f.error(codes::CLAIM_CONDITIONAL, req.pointer(alg), "required with the CIBA grant".into(), SPEC_CIBA);
    }
    if req.boolean(cx.f, "backchannel_user_code_parameter_supported", Presence::Optional, SPEC_CIBA) == Some(true) {
        cx.f.error(
            codes::CLAIM_VALUE,
            req.pointer("backchannel_user_code_parameter_supported"),
            "must be false (FAPI-CIBA)".into(),
            SPEC_CIBA,
        );
    }
}

/// ID token encryption: never RSA1_5; advertised by discovery when the bank lists algorithms.
fn encryption(cx: &mut Ctx<'_>, req: &ClaimSet<'_>) {
    if let Some(alg) = req.string(cx.f, "id_token_encrypted_response_alg", Presence::Optional, SPEC_ENC) {
        if alg == "RSA1_5" {
            cx.f.error(
                codes::ALG_NOT_FAPI,
                req.pointer("id_token_encrypted_response_alg"),
                "RSA1_5 is not allowed (FAPI)".into(),
                SPEC_ENC,
            );
        } else {
            check_supported(
                cx.f,
                cx.config.discovery.as_ref(),
                "id_token_encryption_alg_values_supported",
                alg,
                req.pointer("id_token_encrypted_response_alg"),
                SPEC_ENC,
            );
        }
    }
    if let Some(enc) = req.string(cx.f, "id_token_encrypted_response_enc", Presence::Optional, SPEC_ENC) {
        check_supported(
            cx.f,
            cx.config.discovery.as_ref(),
            "id_token_encryption_enc_values_supported",
            enc,
            req.pointer("id_token_encrypted_response_enc"),
            SPEC_ENC,
        );
    }
}
