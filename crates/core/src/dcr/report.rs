//! The outcome model: a verdict, the RFC 7591 error a bank would return, and every finding.
//!
//! Findings carry a stable `code`, a `severity`, a JSON `pointer` that resolves in the report's
//! own JSON (`/request/claims/aud`, `/ssa/header/kid`) or in an input document
//! (`/software_jwks/keys/0/x5t`, `/discovery/grant_types_supported`), a message, a spec
//! reference and a [`Stage`]. The reported `error` comes from the first error finding in stage
//! order.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use serde::Serialize;
use serde_json::Value;

use crate::jose::json::{write_str, write_value};

/// Whether a finding rejects the registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Severity {
    /// The registration must be rejected.
    Error,
    /// Accepted, but worth knowing: a tolerated deviation or a recommendation.
    Warning,
    /// Accepted by the policy (a deviation whose decision is `accept`): for the record.
    Info,
}

impl Severity {
    /// Every severity, in report order.
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    /// The name in a report (`error`, `warning`, `info`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The four RFC 7591 §3.2.2 error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RegistrationError {
    /// A redirect URI is not allowed.
    InvalidRedirectUri,
    /// A metadata value is invalid (also used for request-JWS problems).
    InvalidClientMetadata,
    /// The software statement is invalid (unparsable, bad signature, bad claims).
    InvalidSoftwareStatement,
    /// The software statement is valid but not approved (untrusted issuer, inactive org).
    UnapprovedSoftwareStatement,
}

impl RegistrationError {
    /// Every RFC 7591 error.
    pub const ALL: [RegistrationError; 4] = [
        RegistrationError::InvalidRedirectUri,
        RegistrationError::InvalidClientMetadata,
        RegistrationError::InvalidSoftwareStatement,
        RegistrationError::UnapprovedSoftwareStatement,
    ];

    /// The RFC 7591 string.
    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationError::InvalidRedirectUri => "invalid_redirect_uri",
            RegistrationError::InvalidClientMetadata => "invalid_client_metadata",
            RegistrationError::InvalidSoftwareStatement => "invalid_software_statement",
            RegistrationError::UnapprovedSoftwareStatement => "unapproved_software_statement",
        }
    }
}

impl fmt::Display for RegistrationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One observation about the registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable code (docs/error-codes.md).
    pub code: &'static str,
    /// Error, warning or info.
    pub severity: Severity,
    /// The policy rule that decided the severity, for a documented deviation (override it with
    /// this id; see docs/rules.md). Absent for findings that are not policy decisions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'static str>,
    /// JSON pointer, rooted at the JWS or document it concerns.
    pub pointer: String,
    /// What is wrong, for a developer.
    pub message: String,
    /// Where the rule comes from.
    pub spec: &'static str,
    /// What to change to fix it (docs/error-codes.md has the same text per code).
    #[serde(skip_serializing_if = "str::is_empty")]
    pub fix: &'static str,
    /// The validation stage (decides the ranking and the RFC 7591 error).
    pub stage: Stage,
}

impl Finding {
    /// The RFC 7591 error this finding maps to.
    pub fn error(&self) -> RegistrationError {
        self.stage.error()
    }

    /// Appends the finding as serde's derive writes it (members in declaration order).
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"code\":");
        write_str(out, self.code);
        out.push_str(",\"severity\":\"");
        out.push_str(self.severity.as_str());
        out.push('"');
        if let Some(rule) = self.rule {
            out.push_str(",\"rule\":");
            write_str(out, rule);
        }
        out.push_str(",\"pointer\":");
        write_str(out, &self.pointer);
        out.push_str(",\"message\":");
        write_str(out, &self.message);
        out.push_str(",\"spec\":");
        write_str(out, self.spec);
        if !self.fix.is_empty() {
            out.push_str(",\"fix\":");
            write_str(out, self.fix);
        }
        out.push_str(",\"stage\":\"");
        out.push_str(self.stage.as_str());
        out.push_str("\"}");
    }
}

/// Appends a decoded JWS (or `null`) as serde's derive writes it.
fn write_decoded(out: &mut String, jws: Option<&DecodedJws>) {
    let Some(jws) = jws else {
        out.push_str("null");
        return;
    };
    out.push_str("{\"header\":");
    write_value(out, &jws.header);
    out.push_str(",\"claims\":");
    write_value(out, &jws.claims);
    out.push_str(",\"signature\":\"");
    out.push_str(jws.signature.as_str());
    out.push('"');
    if let Some(t) = &jws.key_thumbprint {
        out.push_str(",\"key_thumbprint\":");
        write_str(out, t);
    }
    out.push('}');
}

/// Signature status of one JWS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SignatureStatus {
    /// Verified with a trusted key.
    Valid,
    /// Checked and refused (or no key could be found).
    Invalid,
    /// Not checked (an earlier step failed, or no JWKS was available yet).
    Unchecked,
}

impl SignatureStatus {
    /// The name in a report (`valid`, `invalid`, `unchecked`).
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureStatus::Valid => "valid",
            SignatureStatus::Invalid => "invalid",
            SignatureStatus::Unchecked => "unchecked",
        }
    }
}

/// A decoded JWS as shown in the report (header and claims are shown even when unverified).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecodedJws {
    /// The protected header.
    pub header: Value,
    /// The payload claims (`null` if the payload is not a JSON object).
    pub claims: Value,
    /// Signature status.
    pub signature: SignatureStatus,
    /// RFC 7638 thumbprint of the key that verified, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_thumbprint: Option<String>,
}

/// The result of validating a registration request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Accepted: no error findings, and both the software statement's and the request's
    /// signatures verified with trusted keys.
    pub valid: bool,
    /// The RFC 7591 error a bank should return (absent when valid).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<RegistrationError>,
    /// Human-readable description, ASCII, at most 500 characters (absent when valid).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
    /// Every finding, errors first in rank order, then warnings, then information.
    pub findings: Vec<Finding>,
    /// The registration request JWS, if it could be decoded.
    pub request: Option<DecodedJws>,
    /// The software statement JWS, if it could be decoded.
    pub ssa: Option<DecodedJws>,
    /// For an accepted registration: what a replay store keys it by (not serialised; the same
    /// values are in `request.claims`).
    #[serde(skip)]
    pub replay_key: Option<ReplayKey>,
}

/// What a replay store needs of an accepted request, typed: the registrant (`iss`), the
/// request's `jti`, and until when to hold it (`exp`, Unix seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayKey {
    /// The request's `iss` (the software's ID).
    pub iss: String,
    /// The request's `jti`.
    pub jti: String,
    /// The request's `exp`.
    pub exp: i64,
}

impl ReplayKey {
    /// The key of a decoded request, if it has a string `iss` and `jti` and an integer `exp`.
    fn of(request: &DecodedJws) -> Option<ReplayKey> {
        let claims = request.claims.as_object()?;
        Some(ReplayKey {
            iss: claims.get("iss")?.as_str()?.into(),
            jti: claims.get("jti")?.as_str()?.into(),
            exp: claims.get("exp")?.as_i64()?,
        })
    }
}

impl Report {
    pub(crate) fn new(findings: Vec<Finding>, request: Option<DecodedJws>, ssa: Option<DecodedJws>) -> Report {
        // Errors by stage, then warnings by stage, each group in the order found. (Bucketing
        // instead of a sort keeps the WebAssembly builds smaller; the findings move, never copied.)
        let mut slots: Vec<Option<Finding>> = findings.into_iter().map(Some).collect();
        let mut ordered = Vec::with_capacity(slots.len());
        for severity in Severity::ALL {
            for stage in Stage::ALL {
                for slot in slots.iter_mut() {
                    if slot.as_ref().is_some_and(|f| f.severity == severity && f.stage == stage) {
                        ordered.extend(slot.take());
                    }
                }
            }
        }
        let findings = ordered;
        let first_error = findings.iter().find(|f| f.severity == Severity::Error);
        let error = first_error.map(Finding::error);
        let error_description = first_error.map(|f| {
            let more = findings.iter().filter(|f| f.severity == Severity::Error).count() - 1;
            describe(f, more)
        });
        // Valid only with proof: no error, and both signatures verified. (The driver adds a
        // `signature.unverified` error for any signature that is not, so the second half only
        // guards against a report assembled any other way.)
        let verified = |jws: &Option<DecodedJws>| jws.as_ref().is_some_and(|j| j.signature == SignatureStatus::Valid);
        let valid = error.is_none() && verified(&request) && verified(&ssa);
        let replay_key = if valid { request.as_ref().and_then(ReplayKey::of) } else { None };
        Report { valid, error, error_description, findings, request, ssa, replay_key }
    }

    /// The report as compact JSON text: exactly what `serde_json::to_string(&report)` gives
    /// (tested over the whole corpus), written directly, which is several times faster than
    /// serde's serializer for the kilobytes of claims a report carries.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(4096);
        out.push_str("{\"valid\":");
        out.push_str(if self.valid { "true" } else { "false" });
        if let Some(e) = self.error {
            out.push_str(",\"error\":\"");
            out.push_str(e.as_str());
            out.push('"');
        }
        if let Some(d) = &self.error_description {
            out.push_str(",\"error_description\":");
            write_str(&mut out, d);
        }
        out.push_str(",\"findings\":[");
        for (i, f) in self.findings.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            f.write_json(&mut out);
        }
        out.push_str("],\"request\":");
        write_decoded(&mut out, self.request.as_ref());
        out.push_str(",\"ssa\":");
        write_decoded(&mut out, self.ssa.as_ref());
        out.push('}');
        out
    }

    /// Codes of the error findings, in rank order.
    pub fn error_codes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.findings.iter().filter(|f| f.severity == Severity::Error).map(|f| f.code)
    }
}

/// Maximum `error_description` length (OB swagger `RegistrationError`: 1..500).
pub const MAX_DESCRIPTION: usize = 500;

/// `error_description`: the top finding's message, code and pointer, and how many more errors
/// there are; restricted to the characters RFC 6749 §5.2 allows and cut to 500 characters.
fn describe(top: &Finding, more: usize) -> String {
    let mut text = format!("{} [{} at {}]", top.message, top.code, top.pointer);
    if more > 0 {
        text.push_str(&format!(" (+{more} more error{})", if more == 1 { "" } else { "s" }));
    }
    let mut out: String = text
        .chars()
        .map(|c| match c {
            '"' => '\'',
            '\\' => '/',
            c if (' '..='~').contains(&c) => c,
            _ => '?',
        })
        .collect();
    if out.len() > MAX_DESCRIPTION {
        out.truncate(MAX_DESCRIPTION - 3);
        out.push_str("...");
    }
    out
}

/// The stage of validation a finding belongs to. Lower stages rank first: the reported error
/// is that of the first error finding in stage order.
///
/// | stage | what | RFC 7591 error |
/// |---|---|---|
/// | `request_envelope` | the request is not a usable JWS or its payload is not a JSON object | invalid_client_metadata |
/// | `ssa_signature` | the software statement is missing, cannot be decoded or does not verify | invalid_software_statement |
/// | `ssa_approval` | the verified statement is not approved (issuer, org status, environment) | unapproved_software_statement |
/// | `ssa_claims` | software statement claims | invalid_software_statement |
/// | `request_signature` | the request signature and the software JWKS | invalid_client_metadata |
/// | `redirect_uris` | redirect URIs | invalid_redirect_uri |
/// | `request_claims` | request claims and discovery cross-checks | invalid_client_metadata |
/// | `key_set_fetch` | the fetch guard refuses the URL of the key set the statement names | unapproved_software_statement |
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Stage {
    /// The request JWS itself.
    RequestEnvelope,
    /// Decoding and verifying the software statement.
    SsaSignature,
    /// Whether the verified statement is approved.
    SsaApproval,
    /// The software statement's claims.
    SsaClaims,
    /// The request's signature and the software JWKS.
    RequestSignature,
    /// Redirect URIs.
    RedirectUris,
    /// The request's claims, including discovery cross-checks.
    RequestClaims,
    /// A fetching host's guard refused the software key set's URL. Ranked last, so a host that
    /// fetches reports the same top error as one given both key sets whenever anything else
    /// rejects the registration too.
    KeySetFetch,
}

impl Stage {
    /// Every stage, in rank order.
    pub const ALL: [Stage; 8] = [
        Stage::RequestEnvelope,
        Stage::SsaSignature,
        Stage::SsaApproval,
        Stage::SsaClaims,
        Stage::RequestSignature,
        Stage::RedirectUris,
        Stage::RequestClaims,
        Stage::KeySetFetch,
    ];

    /// The name in a report (`request_envelope`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::RequestEnvelope => "request_envelope",
            Stage::SsaSignature => "ssa_signature",
            Stage::SsaApproval => "ssa_approval",
            Stage::SsaClaims => "ssa_claims",
            Stage::RequestSignature => "request_signature",
            Stage::RedirectUris => "redirect_uris",
            Stage::RequestClaims => "request_claims",
            Stage::KeySetFetch => "key_set_fetch",
        }
    }

    /// The RFC 7591 error for error findings of this stage.
    pub fn error(self) -> RegistrationError {
        match self {
            Stage::RequestEnvelope | Stage::RequestSignature | Stage::RequestClaims => {
                RegistrationError::InvalidClientMetadata
            }
            Stage::SsaSignature | Stage::SsaClaims => RegistrationError::InvalidSoftwareStatement,
            Stage::SsaApproval | Stage::KeySetFetch => RegistrationError::UnapprovedSoftwareStatement,
            Stage::RedirectUris => RegistrationError::InvalidRedirectUri,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Limits;
    use crate::dcr::{Options, RequestOptions, Validator};
    use crate::jose::{Jwks, SignatureCheck};

    /// `to_json` is `serde_json::to_string` for every report of the DCR corpus, with the
    /// signatures answered both ways.
    #[test]
    fn to_json_is_what_serde_writes() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/dcr/");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let m: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let jwks =
                |name: &Value| Jwks::parse(m["jwks"][name.as_str().unwrap()].to_string().as_bytes(), &Limits::DEFAULT);
            for case in m["cases"].as_array().unwrap() {
                let mut c = m["defaults"].as_object().unwrap().clone();
                if let Some(Value::Object(o)) = case.get("config") {
                    c.extend(o.clone());
                }
                let (ssa, software) = (jwks(&c["ssa_jwks"]).unwrap(), jwks(&c["software_jwks"]).unwrap());
                let now = c["now"].as_i64().unwrap();
                for k in ["now", "ssa_jwks", "software_jwks"] {
                    c.remove(k);
                }
                if let Some(Value::String(name)) = c.get("discovery").cloned() {
                    c.insert("discovery".into(), m["discovery"][name.as_str()].clone());
                }
                let per_request = RequestOptions::take_from(&mut c).unwrap();
                let v = Validator::new(
                    Options::from_value(Value::Object(c)).unwrap().into_config(&Limits::DEFAULT).unwrap(),
                );
                for answer in [true, false] {
                    let request = per_request.request(case["token"].as_str().unwrap(), now).unwrap();
                    let r = v.validate(request, &ssa, &software, &|_: &SignatureCheck<'_>| answer);
                    assert_eq!(r.to_json(), serde_json::to_string(&r).unwrap(), "{}", case["id"]);
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000);
    }
}
