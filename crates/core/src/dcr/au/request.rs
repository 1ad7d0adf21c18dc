//! The CDR registration request claims (AU digest §2 and §4.1).

use alloc::format;
use alloc::vec;
use alloc::vec::Vec;
use serde_json::Value;

use super::super::claims::{ClaimSet, Presence, fapi_signing_alg, one_of};
use super::super::codes;
use super::super::discovery::check_supported;
use super::super::policy;
use super::super::profile::{ClaimSpec, CrossRule, Shape, Versions, claim, rule};
use super::super::report::Stage;
use super::super::rules::{self, Ctx};
use super::super::time::{self, TimeRules};
use crate::jose::json::short;

const ALL: Versions = Versions::ALL;

const SPEC_REQ: &str = "CDS v1.36 DCR: registration request claims";
const SPEC_ISS: &str = "CDS v1.36 DCR: iss = SSA software_id";
const SPEC_AUD: &str = "CDS v1.36 DCR: aud = the Data Holder's issuer";
const SPEC_TIME: &str = "CDS v1.36 DCR: iat, exp; RFC 7519 §4.1";
const SPEC_REDIRECT: &str = "CDS v1.36 DCR: redirect_uris (subset of the SSA's)";
const SPEC_AUTH: &str = "CDS v1.36 DCR: token_endpoint_auth_method (private_key_jwt)";
const SPEC_ALGS: &str = "CDS v1.36 DCR: signing algorithms (PS256, ES256; FAPI 1.0 Advanced §8.6)";
const SPEC_GRANTS: &str = "CDS v1.36 DCR: grant_types";
const SPEC_RESPONSE: &str = "CDS v1.36 DCR: response_types (code; Hybrid retired 12 May 2025)";
const SPEC_APP: &str = "CDS v1.36 DCR: application_type (web)";
const SPEC_IDTOKEN_ENC: &str = "CDS v1.33+ DCR: id_token encryption shall not be used with the authorization code flow";
const SPEC_JARM: &str = "CDS v1.36 DCR: authorization_* (JARM) claims";

/// The registration request's claims (CDS v1.36).
pub(super) const CLAIMS: &[ClaimSpec] = &[
    claim("iss", ALL, Presence::Required, Shape::Text { max: None }, None, SPEC_ISS),
    claim("iat", ALL, Presence::Required, Shape::Rule("times"), None, SPEC_TIME),
    claim("exp", ALL, Presence::Required, Shape::Rule("times"), None, SPEC_TIME),
    claim("jti", ALL, Presence::Required, Shape::Text { max: None }, None, SPEC_REQ),
    claim("aud", ALL, Presence::Required, Shape::Rule("aud"), None, SPEC_AUD),
    claim("redirect_uris", ALL, Presence::Optional, Shape::Rule("redirect_uris"), None, SPEC_REDIRECT),
    claim(
        "token_endpoint_auth_method",
        ALL,
        Presence::Required,
        Shape::Rule("auth_method"),
        Some("token_endpoint_auth_methods_supported"),
        SPEC_AUTH,
    ),
    claim(
        "token_endpoint_auth_signing_alg",
        ALL,
        Presence::Required,
        Shape::SigningAlg,
        Some("token_endpoint_auth_signing_alg_values_supported"),
        SPEC_ALGS,
    ),
    claim(
        "grant_types",
        ALL,
        Presence::Required,
        Shape::Rule("grant_types"),
        Some("grant_types_supported"),
        SPEC_GRANTS,
    ),
    claim(
        "response_types",
        ALL,
        Presence::Required,
        Shape::Rule("response_and_jarm"),
        Some("response_types_supported"),
        SPEC_RESPONSE,
    ),
    claim("application_type", ALL, Presence::Optional, Shape::Enum(&["web"]), None, SPEC_APP),
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
        Presence::Optional,
        Shape::SigningAlg,
        Some("request_object_signing_alg_values_supported"),
        SPEC_ALGS,
    ),
    claim(
        "id_token_encrypted_response_alg",
        ALL,
        Presence::Optional,
        Shape::Rule("response_and_jarm"),
        None,
        SPEC_IDTOKEN_ENC,
    ),
    claim(
        "id_token_encrypted_response_enc",
        ALL,
        Presence::Optional,
        Shape::Rule("response_and_jarm"),
        None,
        SPEC_IDTOKEN_ENC,
    ),
    claim(
        "authorization_signed_response_alg",
        ALL,
        Presence::Optional,
        Shape::Rule("response_and_jarm"),
        Some("authorization_signing_alg_values_supported"),
        SPEC_JARM,
    ),
    claim(
        "authorization_encrypted_response_alg",
        ALL,
        Presence::Optional,
        Shape::Rule("response_and_jarm"),
        Some("authorization_encryption_alg_values_supported"),
        SPEC_JARM,
    ),
    claim(
        "authorization_encrypted_response_enc",
        ALL,
        Presence::Optional,
        Shape::Rule("response_and_jarm"),
        Some("authorization_encryption_enc_values_supported"),
        SPEC_JARM,
    ),
];

/// The request's cross-claim rules, in the order they run.
pub(super) const RULES: &[CrossRule] = &[
    rule(
        "redirect_uris",
        ALL,
        "optional (the statement's list applies); each https, not localhost/loopback, no fragment, exactly one of the statement's `redirect_uris` (ranked before other metadata problems, as in the ACCC mock)",
        redirect_uris,
    ),
    rule(
        "times",
        ALL,
        "`iat`/`exp` required; not in the future, not expired, `nbf`; no lifetime cap by default",
        |cx, req, _| times(cx, req),
    ),
    rule("software_id_binding", ALL, "`iss` equals the statement's `software_id`", |cx, req, ssa| {
        let iss = req.raw("iss").and_then(Value::as_str).filter(|s| !s.is_empty());
        rules::check_iss_is_software_id(cx, req, iss, ssa, SPEC_ISS);
    }),
    rule(
        "aud",
        ALL,
        "the Data Holder's issuer (a case or trailing-slash difference: rule `request.aud_near_issuer`; an array: rule `request.aud_array`)",
        |cx, req, _| aud(cx, req),
    ),
    rule(
        "auth_method",
        ALL,
        "`private_key_jwt` only (`client_secret_*`: `auth_method.not_fapi`), advertised",
        |cx, req, _| auth_method(cx, req),
    ),
    rule(
        "grant_types",
        ALL,
        "each of client_credentials, authorization_code, refresh_token and advertised; must contain authorization_code; without client_credentials a warning",
        |cx, req, _| grant_types(cx, req),
    ),
    rule(
        "response_and_jarm",
        ALL,
        "`response_types` exactly `code` (Hybrid retired 12 May 2025), advertised; with the code flow no id_token encryption (rule `request.id_token_encryption_with_code`) and `authorization_signed_response_alg` required; the JARM encryption pair (alg with enc; ignored with a warning when the Data Holder offers none)",
        |cx, req, _| response_and_jarm(cx, req),
    ),
];

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

/// `token_endpoint_auth_method`: `private_key_jwt`; `client_secret_*` is below the FAPI floor.
fn auth_method(cx: &mut Ctx<'_>, req: &ClaimSet<'_>) {
    if let Some(m) = req.string(cx.f, "token_endpoint_auth_method", Presence::Required, SPEC_AUTH) {
        let p = req.pointer("token_endpoint_auth_method");
        if m.starts_with("client_secret") {
            cx.f.error(
                codes::AUTH_METHOD_NOT_FAPI,
                p,
                format!("\"{}\" is not allowed; the CDR requires private_key_jwt", short(m)),
                SPEC_AUTH,
            );
        } else if let Some(m) = one_of(cx.f, p, m, &["private_key_jwt"], SPEC_AUTH) {
            check_supported(
                cx.f,
                cx.config.discovery.as_ref(),
                "token_endpoint_auth_methods_supported",
                m,
                p,
                SPEC_AUTH,
            );
        }
    }
}

fn response_and_jarm(cx: &mut Ctx<'_>, req: &ClaimSet<'_>) {
    let code_flow = response_types(cx, req);
    for name in ["id_token_encrypted_response_alg", "id_token_encrypted_response_enc"] {
        if code_flow && req.raw(name).and_then(Value::as_str).is_some_and(|v| !v.is_empty()) {
            cx.f.deviation(
                &policy::REQUEST_ID_TOKEN_ENCRYPTION_WITH_CODE,
                req.pointer(name),
                format!("\"{name}\" must not be used with the authorization code flow (the ACCC mock ignores it)"),
                SPEC_IDTOKEN_ENC,
            );
        }
    }
    jarm(cx, req, code_flow);
}

/// Redirect URIs are optional (the SSA's list applies); when sent, each is one of the SSA's.
pub(super) fn redirect_uris(cx: &mut Ctx<'_>, req: &ClaimSet<'_>, ssa: Option<&ClaimSet<'_>>) {
    cx.f.set_stage(Stage::RedirectUris);
    let Some(uris) = req.string_array(cx.f, "redirect_uris", Presence::Optional, SPEC_REDIRECT) else { return };
    let ssa_uris: Option<Vec<&str>> = ssa
        .and_then(|s| s.raw("redirect_uris"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect());
    rules::check_redirect_uris(cx, req.pointer("redirect_uris"), &uris, ssa_uris.as_deref(), 2048, SPEC_REDIRECT);
}

/// `aud` must be the Data Holder's issuer. A case or trailing-slash difference is a deviation
/// (the ACCC mock compares case-insensitively and .NET tolerates the slash); so is an array
/// holding the issuer.
fn aud(cx: &mut Ctx<'_>, req: &ClaimSet<'_>) {
    let config = cx.config;
    let values: Vec<&str> = match req.raw("aud") {
        None => {
            cx.f.error(codes::CLAIM_MISSING, req.pointer("aud"), "\"aud\" is required".into(), SPEC_AUD);
            return;
        }
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) if !items.is_empty() && items.iter().all(Value::is_string) => {
            if !cx.f.deviation(
                &policy::REQUEST_AUD_ARRAY,
                req.pointer("aud"),
                "aud is an array; the CDS defines one string".into(),
                SPEC_AUD,
            ) {
                return;
            }
            items.iter().filter_map(Value::as_str).collect()
        }
        Some(_) => {
            cx.f.error(codes::CLAIM_TYPE, req.pointer("aud"), "aud must be a string".into(), SPEC_AUD);
            return;
        }
    };
    let exact = |v: &str| v == config.issuer || config.audiences.iter().any(|a| a == v);
    if values.iter().any(|v| exact(v)) {
        return;
    }
    let trim = |s: &str| -> alloc::string::String { s.trim_end_matches('/').to_ascii_lowercase() };
    let wanted = trim(&config.issuer);
    if let Some(near) = values.iter().find(|v| trim(v) == wanted) {
        cx.f.deviation(
            &policy::REQUEST_AUD_NEAR_ISSUER,
            req.pointer("aud"),
            format!(
                "aud \"{}\" differs from the issuer \"{}\" in case or a trailing slash",
                short(near),
                short(&config.issuer)
            ),
            SPEC_AUD,
        );
        return;
    }
    cx.f.error(
        codes::AUD_MISMATCH,
        req.pointer("aud"),
        format!(
            "aud \"{}\" is not the Data Holder's issuer \"{}\"",
            short(values.first().copied().unwrap_or_default()),
            short(&config.issuer)
        ),
        SPEC_AUD,
    );
}

/// `grant_types`: each allowed and advertised; must include authorization_code; without
/// client_credentials the client cannot manage its registration (warning).
fn grant_types(cx: &mut Ctx<'_>, req: &ClaimSet<'_>) {
    let Some(grants) = req.string_array(cx.f, "grant_types", Presence::Required, SPEC_GRANTS) else { return };
    let base = req.pointer("grant_types");
    let allowed = ["client_credentials", "authorization_code", "refresh_token"];
    let accepted = rules::check_each_allowed(cx, base, &grants, &allowed, Some("grant_types_supported"), SPEC_GRANTS);
    if !grants.iter().any(|g| g.eq_ignore_ascii_case("authorization_code")) {
        cx.f.error(codes::CLAIM_VALUE, base, "grant_types must contain \"authorization_code\"".into(), SPEC_GRANTS);
    } else if !accepted.contains(&"client_credentials") {
        cx.f.warning(
            codes::CLAIM_VALUE,
            base,
            "without \"client_credentials\" the client cannot obtain a cdr:registration token to manage its registration".into(),
            SPEC_GRANTS,
        );
    }
}

/// `response_types`: required, every value `code` (Hybrid `code id_token` retired 12 May 2025).
/// Returns whether the authorization code flow is registered.
fn response_types(cx: &mut Ctx<'_>, req: &ClaimSet<'_>) -> bool {
    let Some(values) = req.string_array(cx.f, "response_types", Presence::Required, SPEC_RESPONSE) else {
        return req.raw("response_types").and_then(Value::as_str).is_some_and(|s| s.eq_ignore_ascii_case("code"));
    };
    let mut code = false;
    for (i, v) in values.iter().enumerate() {
        let p = req.pointer("response_types").at(i);
        if let Some(c) = one_of(cx.f, p, v, &["code"], SPEC_RESPONSE) {
            code = true;
            check_supported(cx.f, cx.config.discovery.as_ref(), "response_types_supported", c, p, SPEC_RESPONSE);
        }
    }
    code
}

fn signing_alg(cx: &mut Ctx<'_>, req: &ClaimSet<'_>, name: &str, presence: Presence, member: &'static str) {
    if let Some(alg) = req.string(cx.f, name, presence, SPEC_ALGS)
        && fapi_signing_alg(cx.f, req.pointer(name), alg, SPEC_ALGS)
    {
        check_supported(cx.f, cx.config.discovery.as_ref(), member, alg, req.pointer(name), SPEC_ALGS);
    }
}

/// JARM: `authorization_signed_response_alg` is required with the code flow (never `none`);
/// the encryption pair is optional (alg required when enc is sent) and, when the Data Holder's
/// discovery document advertises no authorization encryption, accepted but ignored.
fn jarm(cx: &mut Ctx<'_>, req: &ClaimSet<'_>, code_flow: bool) {
    let signed = "authorization_signed_response_alg";
    let sent = req.raw(signed);
    let missing = sent.is_none() || sent.and_then(Value::as_str) == Some("");
    if code_flow && missing {
        cx.f.error(
            codes::CLAIM_CONDITIONAL,
            req.pointer(signed),
            format!("\"{signed}\" is required with the code response type"),
            SPEC_JARM,
        );
    } else {
        signing_alg(cx, req, signed, Presence::Optional, "authorization_signing_alg_values_supported");
    }
    let (alg_name, enc_name) = ("authorization_encrypted_response_alg", "authorization_encrypted_response_enc");
    let alg = req.string(cx.f, alg_name, Presence::Optional, SPEC_JARM);
    let enc = req.string(cx.f, enc_name, Presence::Optional, SPEC_JARM);
    if enc.is_some() && alg.is_none() && !req.has(alg_name) {
        cx.f.error(
            codes::CLAIM_CONDITIONAL,
            req.pointer(alg_name),
            format!("\"{alg_name}\" is required when \"{enc_name}\" is sent"),
            SPEC_JARM,
        );
    }
    let advertises =
        cx.config.discovery.as_ref().map(|d| d.supported("authorization_encryption_alg_values_supported").is_some());
    for (name, value, allowed, member) in [
        (alg_name, alg, &["RSA-OAEP", "RSA-OAEP-256"][..], "authorization_encryption_alg_values_supported"),
        (enc_name, enc, &["A256GCM", "A128CBC-HS256"][..], "authorization_encryption_enc_values_supported"),
    ] {
        let Some(v) = value else { continue };
        let Some(v) = one_of(cx.f, req.pointer(name), v, allowed, SPEC_JARM) else { continue };
        if advertises == Some(false) {
            cx.f.warning(
                codes::CLAIM_IGNORED,
                req.pointer(name),
                format!("the Data Holder does not offer authorization response encryption; \"{name}\" is ignored"),
                SPEC_JARM,
            );
        } else {
            check_supported(cx.f, cx.config.discovery.as_ref(), member, v, req.pointer(name), SPEC_JARM);
        }
    }
}
