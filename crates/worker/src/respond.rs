//! The Worker's own answers. Every decision that is not a forward is one of these: JSON,
//! `Cache-Control: no-store`, never echoing the token.

use dcr_guard_core::dcr::{Report, Severity};
use serde_json::json;
use worker::{Headers, Response, Result};

fn json_response(status: u16, body: &serde_json::Value, extra: &[(&str, &str)]) -> Result<Response> {
    let headers = Headers::new();
    headers.set("content-type", "application/json")?;
    headers.set("cache-control", "no-store")?;
    for (k, v) in extra {
        headers.set(k, v)?;
    }
    Ok(Response::ok(body.to_string())?.with_status(status).with_headers(headers))
}

/// An error the caller made at the HTTP level, or a refusal before validation.
pub fn error(status: u16, error: &str, description: &str) -> Result<Response> {
    let mut extra: Vec<(&str, &str)> = Vec::new();
    if status == 401 {
        extra.push(("www-authenticate", "Bearer"));
    }
    json_response(status, &json!({ "error": error, "error_description": description }), &extra)
}

/// 405 with the methods the route allows.
pub fn method_not_allowed(allow: &str) -> Result<Response> {
    json_response(
        405,
        &json!({ "error": "invalid_request", "error_description": "method not allowed" }),
        &[("allow", allow)],
    )
}

/// 503: a dependency (key set, origin, replay store) is unreachable; nothing was forwarded.
pub fn unavailable(description: &str) -> Result<Response> {
    json_response(
        503,
        &json!({ "error": "temporarily_unavailable", "error_description": description }),
        &[("retry-after", "30")],
    )
}

/// 503 for a check's source, with its code in the description and the findings header.
pub fn unavailable_code(code: &str, description: &str) -> Result<Response> {
    json_response(
        503,
        &json!({ "error": "temporarily_unavailable", "error_description": format!("{description} [{code}]") }),
        &[("retry-after", "30"), ("dcr-guard-findings", code)],
    )
}

/// 401 `invalid_token` for a management token, with its code.
/// Without a token at all, the challenge carries no error code (RFC 6750 §3.1).
pub fn invalid_token(code: &str, description: &str) -> Result<Response> {
    let challenge = if code == crate::codes::TOKEN_MISSING { "Bearer" } else { "Bearer error=\"invalid_token\"" };
    json_response(
        401,
        &json!({ "error": "invalid_token", "error_description": format!("{description} [{code}]") }),
        &[("www-authenticate", challenge), ("dcr-guard-findings", code)],
    )
}

/// 400 with the RFC 7591 error of a rejected registration, and the error finding codes in a
/// header (for logs and dashboards; the codes reveal nothing the description does not).
pub fn rejected(report: &Report) -> Result<Response> {
    let mut codes: Vec<&str> =
        report.findings.iter().filter(|f| f.severity == Severity::Error).map(|f| f.code).collect();
    codes.dedup();
    codes.truncate(20);
    let header = codes.join(", ");
    let error = report.error.map_or("invalid_client_metadata", |e| e.as_str());
    let body = json!({ "error": error, "error_description": report.error_description });
    json_response(400, &body, &[("dcr-guard-findings", &header)])
}

/// 400 for a refusal the Worker adds on top of the core (replay, SSRF policy).
pub fn refused(error: &str, code: &str, description: &str) -> Result<Response> {
    json_response(
        400,
        &json!({ "error": error, "error_description": format!("{description} [{code}]") }),
        &[("dcr-guard-findings", code)],
    )
}
