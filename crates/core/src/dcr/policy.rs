//! What a bank decides about each documented real-world deviation: a named preset plus
//! per-rule overrides.
//!
//! Every finding that can be a deviation comes from one **policy rule** ([`RULES`]): a stable
//! id such as `request.jti_uuid_case`, the finding code it reports (`jti.format`), and a
//! [`Decision`] per [`Preset`]:
//!
//! * `interop` (the default) — what conformant participants and the trust anchors actually send
//!   is accepted: lower-case UUIDs, the issuer URL as `aud`, shape deviations inside a
//!   directory-signed statement (only the directory can change them) are warnings at most;
//! * `spec` — the letter of the data dictionaries and the CDS, for conformance testing;
//! * `mock` — what the ACCC mock Data Holder and the WSO2/ForgeRock samples accept, each a
//!   warning.
//!
//! Decisions that protect the bank (redirect URIs match exactly, `aud` is the bank's) are errors
//! in every preset; a bank can still override any rule explicitly. Findings that are not
//! deviations (a signature that does not verify, an expired token, a missing required claim…)
//! are not policy rules and cannot be overridden.
//!
//! `strict` and `lenient` (the modes of 0.1) are aliases of `spec` and `mock` for one release.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::codes;
use super::config::ConfigError;

/// What a policy makes of a deviation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Decision {
    /// The registration is rejected.
    Error,
    /// Accepted; reported as a warning.
    Warning,
    /// Accepted; reported as information (or not at all for rules whose accepted form is simply
    /// normal, such as a lower-case UUID).
    Accept,
}

impl Decision {
    /// Every decision.
    pub const ALL: [Decision; 3] = [Decision::Error, Decision::Warning, Decision::Accept];

    /// `error`, `warning` or `accept`.
    pub fn name(self) -> &'static str {
        match self {
            Decision::Error => "error",
            Decision::Warning => "warning",
            Decision::Accept => "accept",
        }
    }

    /// Looks a decision up by name.
    pub fn from_name(name: &str) -> Option<Decision> {
        Decision::ALL.into_iter().find(|d| d.name() == name)
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A named set of decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Preset {
    /// What conformant participants and the trust anchors send is accepted (the default).
    #[default]
    Interop,
    /// The letter of the specifications.
    Spec,
    /// What the ACCC mock Data Holder and the WSO2/ForgeRock samples accept, as warnings.
    Mock,
}

impl Preset {
    /// Every preset.
    pub const ALL: [Preset; 3] = [Preset::Interop, Preset::Spec, Preset::Mock];

    /// The name on the command line, in the npm API and in the Worker's variables.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Interop => "interop",
            Preset::Spec => "spec",
            Preset::Mock => "mock",
        }
    }

    /// Looks a preset up by name, accepting the 0.1 modes as aliases (`strict` = `spec`,
    /// `lenient` = `mock`).
    pub fn from_name(name: &str) -> Option<Preset> {
        match name {
            "strict" => Some(Preset::Spec),
            "lenient" => Some(Preset::Mock),
            _ => Preset::ALL.into_iter().find(|p| p.name() == name),
        }
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One policy rule: a deviation the bank decides about.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable id (`request.jti_uuid_case`): the key of an override.
    pub id: &'static str,
    /// The finding code the rule reports.
    pub code: &'static str,
    /// What the deviation is, for the documentation (feature `docs`: the text is not needed to
    /// validate, and leaving it out keeps the WebAssembly builds smaller).
    #[cfg(feature = "docs")]
    pub summary: &'static str,
    /// The decision in `interop`, `spec` and `mock`, in that order.
    pub decisions: [Decision; 3],
    /// Accepted, it is not reported at all: its accepted form is simply normal (RFC 9562 says
    /// UUIDs are case-insensitive).
    pub quiet_when_accepted: bool,
}

impl Rule {
    /// The rule's decision in a preset.
    pub fn decision(&self, preset: Preset) -> Decision {
        let [interop, spec, mock] = self.decisions;
        match preset {
            Preset::Interop => interop,
            Preset::Spec => spec,
            Preset::Mock => mock,
        }
    }
}

use Decision::{Error as E, Warning as W};

const fn rule(id: &'static str, code: &'static str, decisions: [Decision; 3], summary: &'static str) -> Rule {
    #[cfg(not(feature = "docs"))]
    let _ = summary;
    Rule {
        id,
        code,
        #[cfg(feature = "docs")]
        summary,
        decisions,
        quiet_when_accepted: false,
    }
}

/// A deviation a spec rejects and real participants send: a warning outside `spec`.
const TOLERATED: [Decision; 3] = [W, E, W];
/// A deviation only the mock tooling gets away with.
const MOCK_ONLY: [Decision; 3] = [E, E, W];
/// A decision that protects the bank: an error in every preset.
const PROTECTS_BANK: [Decision; 3] = [E, E, E];
/// Worth knowing in every preset; an error only by a bank's explicit choice.
const ADVISORY: [Decision; 3] = [W, W, W];

/// Every policy rule, in the order docs/rules.md lists them.
pub const RULES: &[&Rule] = &[
    &REQUEST_TYP,
    &SSA_TYP,
    &SSA_KID_MISSING,
    &SOFTWARE_JWKS_X5T_PADDED,
    &SOFTWARE_JWKS_LEADING_ZERO,
    &REQUEST_EMPTY_OPTIONAL,
    &SSA_EMPTY_OPTIONAL,
    &REQUEST_STRING_FOR_ARRAY,
    &SSA_STRING_FOR_ARRAY,
    &REQUEST_VALUE_CASE,
    &SSA_VALUE_CASE,
    &SSA_DESCRIPTIVE_SHAPE,
    &SSA_OCA_ARRAY,
    &SSA_SOFTWARE_VERSION_NUMBER,
    &REQUEST_AUD_ARRAY,
    &REQUEST_AUD_NOT_ORG_ID,
    &REQUEST_AUD_NEAR_ISSUER,
    &REQUEST_JTI_UUID_CASE,
    &REQUEST_JTI_NOT_UUID,
    &REQUEST_DN_WITHOUT_TLS_CLIENT_AUTH,
    &REQUEST_REDIRECT_URI_CASE,
    &REQUEST_ID_TOKEN_ENCRYPTION_WITH_CODE,
    &SSA_REQUIRED_CLAIM_MISSING,
    &SSA_SECTOR_IDENTIFIER_BARE_HOST,
    &CERT_LEGACY_DN_OUTSIDE_SANDBOX,
];

/// Rule `request.typ`.
pub static REQUEST_TYP: Rule =
    rule("request.typ", codes::JWS_TYP, TOLERATED, "the request header `typ` is present and not `JWT`");

/// Rule `ssa.typ`.
pub static SSA_TYP: Rule =
    rule("ssa.typ", codes::JWS_TYP, TOLERATED, "the statement header `typ` is present and not `JWT`");

/// Rule `ssa.kid_missing`.
pub static SSA_KID_MISSING: Rule = rule(
    "ssa.kid_missing",
    codes::JWS_KID_MISSING,
    TOLERATED,
    "the statement header has no `kid` (the key is found only if the directory set has one suitable key)",
);

/// Rule `software_jwks.x5t_padded`.
pub static SOFTWARE_JWKS_X5T_PADDED: Rule = rule(
    "software_jwks.x5t_padded",
    crate::jose::note::X5T_PADDED,
    TOLERATED,
    "a software key's `x5t`/`x5t#S256` uses `=` padding (the OB keystore does)",
);

/// Rule `software_jwks.leading_zero`.
pub static SOFTWARE_JWKS_LEADING_ZERO: Rule = rule(
    "software_jwks.leading_zero",
    crate::jose::note::LEADING_ZERO,
    TOLERATED,
    "a software RSA key's modulus has leading zero bytes",
);

/// Rule `request.empty_optional`.
pub static REQUEST_EMPTY_OPTIONAL: Rule = rule(
    "request.empty_optional",
    codes::CLAIM_EMPTY,
    TOLERATED,
    "an optional request claim is `\"\"` (ACCC tooling sends it for absent); treated as absent",
);

/// Rule `ssa.empty_optional`.
pub static SSA_EMPTY_OPTIONAL: Rule = rule(
    "ssa.empty_optional",
    codes::CLAIM_EMPTY,
    TOLERATED,
    "an optional statement claim is `\"\"`; treated as absent",
);

/// Rule `request.string_for_array`.
pub static REQUEST_STRING_FOR_ARRAY: Rule = rule(
    "request.string_for_array",
    codes::CLAIM_TYPE,
    TOLERATED,
    "a request claim defined as an array is one string (the ACCC test automation sends `\"response_types\": \"code\"`)",
);

/// Rule `ssa.string_for_array`.
pub static SSA_STRING_FOR_ARRAY: Rule =
    rule("ssa.string_for_array", codes::CLAIM_TYPE, TOLERATED, "a statement claim defined as an array is one string");

/// Rule `request.value_case`.
pub static REQUEST_VALUE_CASE: Rule = rule(
    "request.value_case",
    codes::CLAIM_VALUE,
    MOCK_ONLY,
    "a request value differs only in case from an allowed one (the ACCC mock compares case-insensitively)",
);

/// Rule `ssa.value_case`.
pub static SSA_VALUE_CASE: Rule = rule(
    "ssa.value_case",
    codes::CLAIM_VALUE,
    TOLERATED,
    "a statement value differs only in case from an allowed one (only the directory can change it)",
);

/// Rule `ssa.descriptive_shape`.
pub static SSA_DESCRIPTIVE_SHAPE: Rule = rule(
    "ssa.descriptive_shape",
    codes::CLAIM_FORMAT,
    TOLERATED,
    "a descriptive statement claim (a name, description, mode, contact, logo/policy/terms URL) breaks its type, length or URL shape: the directory signed it, only the directory can change it (the claims that decide anything — identifiers, key-set URL, redirect URIs, roles, status — stay errors)",
);

/// Rule `ssa.oca_array`.
pub static SSA_OCA_ARRAY: Rule = rule(
    "ssa.oca_array",
    codes::CLAIM_TYPE,
    TOLERATED,
    "`organisation_competent_authority_claims` is an array (SSA profile before rc2)",
);

/// Rule `ssa.software_version_number`.
pub static SSA_SOFTWARE_VERSION_NUMBER: Rule = rule(
    "ssa.software_version_number",
    codes::CLAIM_TYPE,
    TOLERATED,
    "`software_version` is a number (real directory statements carry one)",
);

/// Rule `request.aud_array`.
pub static REQUEST_AUD_ARRAY: Rule = rule(
    "request.aud_array",
    codes::CLAIM_TYPE,
    TOLERATED,
    "`aud` is an array holding the bank's value (RFC 7519 allows it; the profiles define one string)",
);

/// Rule `request.aud_not_org_id`.
pub static REQUEST_AUD_NOT_ORG_ID: Rule = rule(
    "request.aud_not_org_id",
    codes::AUD_FORMAT,
    TOLERATED,
    "UK `aud` is the bank's issuer URL or another configured audience, not its 18-character OB organisation ID",
);

/// Rule `request.aud_near_issuer`.
pub static REQUEST_AUD_NEAR_ISSUER: Rule = rule(
    "request.aud_near_issuer",
    codes::AUD_FORMAT,
    PROTECTS_BANK,
    "AU `aud` differs from the Data Holder's issuer in case or a trailing slash",
);

/// Rule `request.jti_uuid_case`.
pub static REQUEST_JTI_UUID_CASE: Rule = Rule {
    id: "request.jti_uuid_case",
    code: codes::JTI_FORMAT,
    #[cfg(feature = "docs")]
    summary: "UK `jti` is a lower- or mixed-case UUIDv4 (the data dictionary's regex is upper-case; RFC 9562 UUIDs are case-insensitive)",
    decisions: [Decision::Accept, E, W],
    quiet_when_accepted: true,
};

/// Rule `request.jti_not_uuid`.
pub static REQUEST_JTI_NOT_UUID: Rule = rule(
    "request.jti_not_uuid",
    codes::JTI_FORMAT,
    TOLERATED,
    "UK `jti` is not a UUIDv4 (WSO2 sends a millisecond timestamp)",
);

/// Rule `request.dn_without_tls_client_auth`.
pub static REQUEST_DN_WITHOUT_TLS_CLIENT_AUTH: Rule = rule(
    "request.dn_without_tls_client_auth",
    codes::CLAIM_NOT_ALLOWED,
    TOLERATED,
    "UK `tls_client_auth_subject_dn` is sent with another auth method (real TPP clients always send it)",
);

/// Rule `request.redirect_uri_case`.
pub static REQUEST_REDIRECT_URI_CASE: Rule = rule(
    "request.redirect_uri_case",
    codes::REDIRECT_NOT_IN_SSA,
    PROTECTS_BANK,
    "a redirect URI matches one of the statement's only when case is ignored",
);

/// Rule `request.id_token_encryption_with_code`.
pub static REQUEST_ID_TOKEN_ENCRYPTION_WITH_CODE: Rule = rule(
    "request.id_token_encryption_with_code",
    codes::CLAIM_NOT_ALLOWED,
    TOLERATED,
    "AU `id_token_encrypted_response_*` with the code flow (the ACCC mock ignores it)",
);

/// Rule `ssa.required_claim_missing`.
pub static SSA_REQUIRED_CLAIM_MISSING: Rule = rule(
    "ssa.required_claim_missing",
    codes::CLAIM_MISSING,
    TOLERATED,
    "an AU statement lacks a claim the CDS requires but the ACCC mock never checks (the CDS example lacks some)",
);

/// Rule `ssa.sector_identifier_bare_host`.
pub static SSA_SECTOR_IDENTIFIER_BARE_HOST: Rule = rule(
    "ssa.sector_identifier_bare_host",
    codes::CLAIM_URI,
    TOLERATED,
    "AU `sector_identifier_uri` is a bare host name, not an https URL (real Register statements carry one)",
);

/// Rule `cert.legacy_dn_outside_sandbox`.
pub static CERT_LEGACY_DN_OUTSIDE_SANDBOX: Rule = rule(
    "cert.legacy_dn_outside_sandbox",
    codes::MTLS_LEGACY_CERTIFICATE,
    ADVISORY,
    "UK: the client certificate has the legacy OB shape (CN = software_id, OU = org_id) outside a sandbox statement; legacy certificates are not usable in the PSD2 domain",
);

/// The rule with this id.
pub fn rule_by_id(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.id == id)
}

/// A preset plus per-rule overrides. The default is `interop` with none.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Policy {
    preset: Preset,
    /// (rule id, decision), applied in order (a later override of the same rule wins).
    overrides: Vec<(&'static str, Decision)>,
}

impl Policy {
    /// A preset without overrides.
    pub fn preset(preset: Preset) -> Policy {
        Policy { preset, overrides: Vec::new() }
    }

    /// The preset.
    pub fn base(&self) -> Preset {
        self.preset
    }

    /// The overrides, as (rule id, decision).
    pub fn overrides(&self) -> &[(&'static str, Decision)] {
        &self.overrides
    }

    /// Overrides `key` — a rule id, or a finding code (then every rule reporting that code) —
    /// with `decision`. An unknown key is refused: a typo never silently keeps a decision.
    pub fn with_rule(mut self, key: &str, decision: Decision) -> Result<Policy, ConfigError> {
        let matched: Vec<&'static str> = match rule_by_id(key) {
            Some(r) => alloc::vec![r.id],
            None => RULES.iter().filter(|r| r.code == key).map(|r| r.id).collect(),
        };
        if matched.is_empty() {
            return Err(ConfigError::Rule(format!(
                "\"{}\" is neither a policy rule nor a finding code that policy rules report",
                crate::jose::json::short(key)
            )));
        }
        self.overrides.extend(matched.into_iter().map(|id| (id, decision)));
        Ok(self)
    }

    /// The decision for `rule`.
    pub fn decide(&self, rule: &Rule) -> Decision {
        self.overrides.iter().rev().find(|(id, _)| *id == rule.id).map_or(rule.decision(self.preset), |(_, d)| *d)
    }

    /// `interop`, or `interop + request.jti_not_uuid=error` for messages.
    pub fn describe(&self) -> String {
        let mut s = String::from(self.preset.name());
        for (id, d) in &self.overrides {
            s.push_str(&format!(" + {id}={d}"));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_and_never_finding_codes() {
        for (i, r) in RULES.iter().enumerate() {
            assert!(RULES.iter().skip(i + 1).all(|o| o.id != r.id), "{} twice", r.id);
            assert!(!codes::ALL.contains(&r.id) && !crate::jose::CODES.contains(&r.id), "{} is a finding code", r.id);
            assert!(
                codes::ALL.contains(&r.code) || crate::jose::note::ALL.contains(&r.code),
                "{}: unknown code {}",
                r.id,
                r.code
            );
        }
    }

    #[test]
    fn bank_protecting_rules_are_errors_in_every_preset() {
        for r in [&REQUEST_REDIRECT_URI_CASE, &REQUEST_AUD_NEAR_ISSUER] {
            for p in Preset::ALL {
                assert_eq!(Policy::preset(p).decide(r), Decision::Error, "{} in {p}", r.id);
            }
        }
    }

    /// What `spec` accepts, `interop` accepts; what `interop` accepts, `mock` accepts.
    #[test]
    fn presets_are_ordered() {
        for r in RULES {
            let error = |p| Policy::preset(p).decide(r) == Decision::Error;
            assert!(!error(Preset::Interop) || error(Preset::Spec), "{}: interop refuses what spec accepts", r.id);
            assert!(!error(Preset::Mock) || error(Preset::Interop), "{}: mock refuses what interop accepts", r.id);
        }
    }

    #[test]
    fn overrides_by_rule_or_code() {
        let p = Policy::preset(Preset::Interop).with_rule("jti.format", Decision::Error).unwrap();
        assert_eq!(p.decide(&REQUEST_JTI_UUID_CASE), Decision::Error);
        assert_eq!(p.decide(&REQUEST_JTI_NOT_UUID), Decision::Error);
        let p = p.with_rule("request.jti_uuid_case", Decision::Accept).unwrap();
        assert_eq!(p.decide(&REQUEST_JTI_UUID_CASE), Decision::Accept);
        assert_eq!(p.decide(&REQUEST_JTI_NOT_UUID), Decision::Error);
        // Not a rule, and a code no rule reports: refused.
        for key in ["jti.formats", "jws.signature_invalid", "time.expired", ""] {
            assert_eq!(Policy::default().with_rule(key, Decision::Accept).unwrap_err().code(), "config.rule_unknown");
        }
        assert_eq!(Preset::from_name("strict"), Some(Preset::Spec));
        assert_eq!(Preset::from_name("lenient"), Some(Preset::Mock));
        assert_eq!(Preset::from_name("loose"), None);
    }
}
