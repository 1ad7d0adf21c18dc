//! The UK Open Banking DCR profiles v3.1–v3.4 (the UK rules digest): one statement table and
//! one request table whose rows carry version ranges (v3.1 = 1 … v3.4 = 4), the cross-claim
//! rules they name, and one [`ProfileSpec`] per version.
//!
//! The version deltas (UK digest §7.2) are rows: `iss`/`software_id` length 18 → 22, `scope`
//! array → string, `tls_client_auth_dn` → `tls_client_auth_subject_dn`, CIBA claims (3.3+),
//! `mobile` → `native` and the DN pattern (3.4), the jwt-bearer grant (3.4).

mod dn;
mod request;
mod ssa;

use super::config::TransportCert;
use super::findings::ptr::Ptr;
use super::profile::{Family, ProfileSpec};
use super::rules::Ctx;
use crate::jose::Algorithm;
use serde_json::Value;

const fn spec(name: &'static str, title: &'static str, version: u8) -> ProfileSpec {
    ProfileSpec {
        name,
        title,
        family: Family::UkObie,
        version,
        trusted_ssa_issuers: &["OpenBanking Ltd"],
        software_jwks_claim: "software_jwks_endpoint",
        // Every OB software key set is on the directory's keystore.
        key_set_hosts: Some(&["keystore.openbanking.org.uk", "keystore.openbankingtest.org.uk"]),
        // The OB directory signs with PS256 or ES256 (directory spec).
        ssa_redirect_uris_claim: "software_redirect_uris",
        transport_cert: TransportCert::Required,
        revoked_key_sets: true,
        register_status: false,
        ssa_algorithms: &[Algorithm::Ps256, Algorithm::Es256],
        // The OB conformance tool sends exactly 3600.
        max_request_lifetime: Some(3600),
        ssa_claims: ssa::CLAIMS,
        request_claims: request::CLAIMS,
        ssa_rules: ssa::RULES,
        request_rules: request::RULES,
    }
}

/// UK OBIE DCR v3.1.
pub(crate) static V31: ProfileSpec = spec("uk-obie-v3.1", "UK Open Banking DCR v3.1", 1);
/// UK OBIE DCR v3.2.
pub(crate) static V32: ProfileSpec = spec("uk-obie-v3.2", "UK Open Banking DCR v3.2", 2);
/// UK OBIE DCR v3.3.
pub(crate) static V33: ProfileSpec = spec("uk-obie-v3.3", "UK Open Banking DCR v3.3", 3);
/// UK OBIE DCR v3.4.
pub(crate) static V34: ProfileSpec = spec("uk-obie-v3.4", "UK Open Banking DCR v3.4", 4);

/// An absolute-URI claim (`https` when `https_only`) → `claim.uri`.
fn uri_claim(cx: &mut Ctx<'_>, pointer: Ptr<'_>, value: &str, https_only: bool, spec: &'static str) -> bool {
    super::profile::uri_value(cx, pointer, value, https_only, spec)
}

/// The JSON type of a value, for messages (`a number`, `an object`, ...).
fn json_type(v: Option<&Value>) -> &'static str {
    match v {
        None | Some(Value::Null) => "null",
        Some(Value::Bool(_)) => "a boolean",
        Some(Value::Number(_)) => "a number",
        Some(Value::String(_)) => "a string",
        Some(Value::Array(a)) if a.is_empty() => "an empty array",
        Some(Value::Array(_)) => "an array",
        Some(Value::Object(_)) => "an object",
    }
}
