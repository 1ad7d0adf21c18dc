//! Stable finding codes of the DCR layer. Codes are API: never rename one. Together with the
//! JOSE codes (`jws.*`, `jwk.*`, `jwks.*`, reused for findings about the two JWS and the JWKS)
//! they are documented in docs/error-codes.md; a test keeps that table complete.
//!
//! A finding's RFC 7591 error comes from its [`super::Stage`], not from its code: the same
//! `claim.missing` is `invalid_software_statement` under `/ssa` and `invalid_client_metadata`
//! under `/request`.

/// The request or SSA payload is not a JSON object (strict JSON: no duplicate members, depth limit).
pub const PAYLOAD_INVALID: &str = "payload.invalid";
/// The request has no `software_statement`.
pub const SSA_MISSING: &str = "ssa.missing";
/// The SSA `iss` is not a trusted directory.
pub const SSA_ISSUER_UNTRUSTED: &str = "ssa.issuer_untrusted";
/// The SSA says the organisation (or its competent-authority record) is not active.
pub const SSA_ORG_INACTIVE: &str = "ssa.org_inactive";
/// The SSA `software_environment` is not the one this deployment serves.
pub const SSA_ENVIRONMENT: &str = "ssa.environment";
/// The verified statement names a key-set URL the fetch guard refuses.
pub const JWKS_URL_REFUSED: &str = "jwks.url_refused";

/// A signature was not verified: the host stopped before its key set, or a check was skipped
/// while nothing else rejected the registration. A registration is valid only with proof.
pub const SIGNATURE_UNVERIFIED: &str = "signature.unverified";

/// The JWS header `typ` is present and not `JWT`.
pub const JWS_TYP: &str = "jws.typ";
/// The JWS header has no `kid`.
pub const JWS_KID_MISSING: &str = "jws.kid_missing";
/// The JWS header carries `jwk`, `jku`, `x5u` or `x5c`; they are never used to find a key.
pub const JWS_KEY_HEADER_IGNORED: &str = "jws.key_header_ignored";

/// A required claim is absent.
pub const CLAIM_MISSING: &str = "claim.missing";
/// A recommended claim is absent (warning).
pub const CLAIM_RECOMMENDED: &str = "claim.recommended";
/// A claim has the wrong JSON type.
pub const CLAIM_TYPE: &str = "claim.type";
/// A claim is an empty string or empty array.
pub const CLAIM_EMPTY: &str = "claim.empty";
/// A claim breaks its pattern or length limit.
pub const CLAIM_FORMAT: &str = "claim.format";
/// A claim's value is not one of those allowed.
pub const CLAIM_VALUE: &str = "claim.value";
/// A claim must equal another value (e.g. request `iss` and SSA `software_id`).
pub const CLAIM_MISMATCH: &str = "claim.mismatch";
/// A claim must not be present here.
pub const CLAIM_NOT_ALLOWED: &str = "claim.not_allowed";
/// A claim is required because of another claim's value.
pub const CLAIM_CONDITIONAL: &str = "claim.conditional";
/// A claim is not an absolute URI of the required kind.
pub const CLAIM_URI: &str = "claim.uri";
/// A claim is present but ignored (warning).
pub const CLAIM_IGNORED: &str = "claim.ignored";
/// A claim is sent under another version's name.
pub const CLAIM_RENAMED: &str = "claim.renamed";

/// A signing algorithm outside the FAPI floor (PS256, ES256): `RS256`, `none`, `HS256`, ...
pub const ALG_NOT_FAPI: &str = "alg.not_fapi";
/// A token endpoint auth method outside the FAPI floor (`client_secret_*`).
pub const AUTH_METHOD_NOT_FAPI: &str = "auth_method.not_fapi";
/// `aud` does not identify this bank.
pub const AUD_MISMATCH: &str = "aud.mismatch";
/// `aud` identifies this bank, but not in the form the spec requires (e.g. issuer URL instead
/// of the 18-character OB organisation ID).
pub const AUD_FORMAT: &str = "aud.format";
/// `jti` is not in the required form (UK: upper-case UUIDv4).
pub const JTI_FORMAT: &str = "jti.format";

/// `exp` has passed.
pub const TIME_EXPIRED: &str = "time.expired";
/// `nbf` is in the future.
pub const TIME_NOT_YET_VALID: &str = "time.not_yet_valid";
/// `iat` is in the future.
pub const TIME_ISSUED_IN_FUTURE: &str = "time.issued_in_future";
/// `exp - iat` exceeds the maximum lifetime, or `exp` precedes `iat`.
pub const TIME_LIFETIME: &str = "time.lifetime";
/// The token was issued longer ago than the configured maximum age.
pub const TIME_TOO_OLD: &str = "time.too_old";

/// A redirect URI is not among the SSA's redirect URIs.
pub const REDIRECT_NOT_IN_SSA: &str = "redirect_uri.not_in_ssa";
/// A redirect URI is not `https`.
pub const REDIRECT_NOT_HTTPS: &str = "redirect_uri.not_https";
/// A redirect URI points at localhost or a loopback address.
pub const REDIRECT_LOCALHOST: &str = "redirect_uri.localhost";
/// A redirect URI has a fragment.
pub const REDIRECT_FRAGMENT: &str = "redirect_uri.fragment";
/// A redirect URI is not an absolute URI.
pub const REDIRECT_INVALID: &str = "redirect_uri.invalid";

/// A requested scope needs a software role the SSA does not grant.
pub const SCOPE_ROLE_MISSING: &str = "scope.role_missing";
/// The hybrid flow (`code id_token`) is requested without the `openid` scope (warning).
pub const SCOPE_OPENID_MISSING: &str = "scope.openid_missing";
/// A scope is not one this profile defines (warning; with discovery, `discovery.unsupported`).
pub const SCOPE_UNKNOWN: &str = "scope.unknown";

/// A value is not advertised in the bank's discovery document.
pub const DISCOVERY_UNSUPPORTED: &str = "discovery.unsupported";
/// The configured issuer differs from the discovery document's `issuer` (warning).
pub const DISCOVERY_ISSUER_MISMATCH: &str = "discovery.issuer_mismatch";

/// `tls_client_auth_subject_dn` does not match the presented client certificate's subject.
pub const MTLS_SUBJECT_DN_MISMATCH: &str = "mtls.subject_dn_mismatch";
/// `tls_client_auth_subject_dn` (or the certificate's subject) is not a parsable DN.
pub const MTLS_SUBJECT_DN_INVALID: &str = "mtls.subject_dn_invalid";

/// The TLS client certificate does not belong to the software or organisation of the SSA.
pub const MTLS_CLIENT_NOT_IN_SSA: &str = "mtls.client_not_in_ssa";
/// The TLS client certificate has the legacy OB shape outside a sandbox statement.
pub const MTLS_LEGACY_CERTIFICATE: &str = "mtls.legacy_certificate";
/// A value the directory no longer issues (a role or status removed from its API).
pub const CLAIM_OBSOLETE: &str = "claim.obsolete";

/// The TLS client certificate is not a `use: tls` key (`x5c[0]` or `x5t#S256`) of the software
/// key set the verified statement names.
pub const MTLS_CERT_NOT_IN_JWKS: &str = "mtls.cert_not_in_jwks";
/// The transport certificate could not be matched: the software key set publishes no `use: tls`
/// key with `x5c` or `x5t#S256` (warning; AU key sets often do not).
pub const MTLS_CERT_UNCHECKED: &str = "mtls.cert_unchecked";

/// The request is signed with a key on the statement's revoked key set (by `kid` or thumbprint).
pub const REVOCATION_KEY_REVOKED: &str = "revocation.key_revoked";
/// The TLS client certificate (or its `use: tls` key) is on the statement's revoked key set.
pub const REVOCATION_CERT_REVOKED: &str = "revocation.cert_revoked";
/// The statement names no revoked key set (or one that is not an https URL), so revocation
/// could not be checked (warning).
pub const REVOCATION_ENDPOINT_MISSING: &str = "revocation.endpoint_missing";

/// The software product is not `ACTIVE` on the CDR Register.
pub const REGISTER_SOFTWARE_INACTIVE: &str = "register.software_inactive";
/// The data recipient (legal entity) is not `ACTIVE` on the CDR Register.
pub const REGISTER_RECIPIENT_INACTIVE: &str = "register.recipient_inactive";
/// The software product (or its legal entity) is not in the Register status data.
pub const REGISTER_STATUS_UNKNOWN: &str = "register.status_unknown";
/// The Register status data is older than the configured maximum age; passed by configuration
/// (warning).
pub const REGISTER_STATUS_STALE: &str = "register.status_stale";
/// The statement has no `legal_entity_id`, so the data recipient's status could not be checked
/// (warning).
pub const REGISTER_RECIPIENT_UNCHECKED: &str = "register.recipient_unchecked";

/// The `sector_identifier_uri` document is not a JSON array of strings, or the URI cannot be
/// fetched (not an https URL).
pub const SECTOR_IDENTIFIER_INVALID: &str = "sector_identifier.invalid";
/// A registered redirect URI is not in the `sector_identifier_uri` document.
pub const SECTOR_IDENTIFIER_MISMATCH: &str = "sector_identifier.mismatch";

/// A check the configuration asks for was not answered (the host could not get what it needs):
/// a registration is valid only with every asked check done.
pub const CHECK_UNAVAILABLE: &str = "check.unavailable";

/// Every DCR-layer code, for the documentation check.
pub const ALL: &[&str] = &[
    PAYLOAD_INVALID,
    SSA_MISSING,
    SSA_ISSUER_UNTRUSTED,
    SSA_ORG_INACTIVE,
    SSA_ENVIRONMENT,
    JWKS_URL_REFUSED,
    SIGNATURE_UNVERIFIED,
    JWS_TYP,
    JWS_KID_MISSING,
    JWS_KEY_HEADER_IGNORED,
    CLAIM_MISSING,
    CLAIM_RECOMMENDED,
    CLAIM_TYPE,
    CLAIM_EMPTY,
    CLAIM_FORMAT,
    CLAIM_VALUE,
    CLAIM_MISMATCH,
    CLAIM_NOT_ALLOWED,
    CLAIM_CONDITIONAL,
    CLAIM_URI,
    CLAIM_IGNORED,
    CLAIM_RENAMED,
    ALG_NOT_FAPI,
    AUTH_METHOD_NOT_FAPI,
    AUD_MISMATCH,
    AUD_FORMAT,
    JTI_FORMAT,
    TIME_EXPIRED,
    TIME_NOT_YET_VALID,
    TIME_ISSUED_IN_FUTURE,
    TIME_LIFETIME,
    TIME_TOO_OLD,
    REDIRECT_NOT_IN_SSA,
    REDIRECT_NOT_HTTPS,
    REDIRECT_LOCALHOST,
    REDIRECT_FRAGMENT,
    REDIRECT_INVALID,
    SCOPE_ROLE_MISSING,
    SCOPE_OPENID_MISSING,
    SCOPE_UNKNOWN,
    DISCOVERY_UNSUPPORTED,
    DISCOVERY_ISSUER_MISMATCH,
    MTLS_SUBJECT_DN_MISMATCH,
    MTLS_SUBJECT_DN_INVALID,
    MTLS_CLIENT_NOT_IN_SSA,
    MTLS_LEGACY_CERTIFICATE,
    CLAIM_OBSOLETE,
    MTLS_CERT_NOT_IN_JWKS,
    MTLS_CERT_UNCHECKED,
    REVOCATION_KEY_REVOKED,
    REVOCATION_CERT_REVOKED,
    REVOCATION_ENDPOINT_MISSING,
    REGISTER_SOFTWARE_INACTIVE,
    REGISTER_RECIPIENT_INACTIVE,
    REGISTER_STATUS_UNKNOWN,
    REGISTER_STATUS_STALE,
    REGISTER_RECIPIENT_UNCHECKED,
    SECTOR_IDENTIFIER_INVALID,
    SECTOR_IDENTIFIER_MISMATCH,
    CHECK_UNAVAILABLE,
];

/// What to change to fix a finding, per code: shown with each finding (report `fix`, the CLI,
/// the debugger page). Generic by design — the finding's message says what was found; this says
/// what the registrant (or, for key sets and configuration, the bank) should do about it.
const FIXES: &[(&str, &str)] = &[
    ("jws.too_large", "Send a compact JWS under the size limit (64 KiB by default)."),
    ("jws.malformed", "Send a compact JWS: three base64url segments joined by '.', nothing else."),
    ("jws.base64", "Encode each segment as unpadded base64url (RFC 7515 §2): no '=', '+', '/' or whitespace."),
    ("jws.header_invalid", "Make the protected header a JSON object with a string \"alg\" and no repeated members."),
    ("jws.alg_not_allowed", "Sign with PS256 or ES256 (FAPI); none, HS* and RS* are never accepted."),
    ("jws.crit_unsupported", "Remove the \"crit\" header parameter (no extension is supported)."),
    ("jws.b64_unsupported", "Remove \"b64\": false; sign the base64url-encoded payload."),
    (
        "jws.signature_malformed",
        "Send the raw signature: 64 bytes (r, then s) for ES256, not DER, modulus-length bytes for PS256.",
    ),
    (
        "jws.signature_invalid",
        "Sign with the private key of the JWKS entry named by the header's kid (PS256: RSASSA-PSS, SHA-256, MGF1-SHA-256, salt length 32).",
    ),
    ("jwks.too_large", "Serve a smaller key set (256 KiB by default): drop unused keys and long x5c chains."),
    ("jwks.invalid", "Serve a JWK Set: a JSON object with a \"keys\" array (RFC 7517 §5)."),
    ("jwks.too_many_keys", "Serve at most 64 keys in the set."),
    (
        "jwk.invalid",
        "Publish a well-formed public key: base64url n/e (odd modulus, exponent > 1) or x/y of a P-256 point.",
    ),
    ("jwk.unsupported_kty", "Use an RSA or EC (P-256) key."),
    ("jwk.unsupported_curve", "Use an EC key on P-256 (ES256)."),
    ("jwk.key_too_small", "Use an RSA key of at least 2048 bits."),
    ("jwk.key_too_large", "Use an RSA key of at most 8192 bits."),
    (
        "jwk.kid_not_found",
        "Set the header kid to the kid of the signing key in the key set (or publish the key under that kid).",
    ),
    (
        "jwk.no_suitable_key",
        "Publish the signing key with use \"sig\" (or no use), a matching alg (or none) and key_ops including \"verify\" (or none).",
    ),
    ("jwk.ambiguous_key", "Set a kid in the header that names exactly one key in the set."),
    ("jwk.empty_member", "Omit optional JWK members instead of sending them empty."),
    ("jwk.x5t_padded", "Encode x5t / x5t#S256 as unpadded base64url."),
    (
        "jwk.member_invalid",
        "Send x5t as the base64url SHA-1 (20 bytes) and x5t#S256 as the base64url SHA-256 (32 bytes) of the certificate.",
    ),
    (
        "jwk.private_member",
        "Remove private key members (d, p, q, dp, dq, qi) from the public key set, and replace the exposed key.",
    ),
    ("jwk.leading_zero", "Encode the RSA modulus without leading zero bytes (RFC 7518 §6.3.1.1)."),
    ("jwk.duplicate_kid", "Give each key its own kid (or tell same-kid keys apart by use)."),
    (PAYLOAD_INVALID, "Make the payload a JSON object (no duplicate members)."),
    (SSA_MISSING, "Include the directory-issued software statement as the software_statement claim."),
    (SSA_ISSUER_UNTRUSTED, "Use a software statement issued by a directory this bank trusts."),
    (
        SSA_ORG_INACTIVE,
        "Register only while the organisation (and its competent-authority record) is Active in the directory.",
    ),
    (SSA_ENVIRONMENT, "Use a software statement of the environment this bank serves (sandbox or production)."),
    (
        JWKS_URL_REFUSED,
        "Publish the software key set at an https URL on the directory's keystore (UK) or a public host name the bank allows, on the default port.",
    ),
    (
        SIGNATURE_UNVERIFIED,
        "Provide the key set for this signature (the directory's for the statement, the software's for the request) so it can be verified.",
    ),
    (JWS_TYP, "Set typ to \"JWT\" or omit it."),
    (JWS_KID_MISSING, "Set kid in the header to the signing key's kid."),
    (JWS_KEY_HEADER_IGNORED, "Remove jwk/jku/x5u/x5c from the header: keys come from the key set the statement names."),
    (CLAIM_MISSING, "Add the claim."),
    (CLAIM_RECOMMENDED, "Add the claim (recommended)."),
    (CLAIM_TYPE, "Send the claim with the JSON type the profile defines."),
    (CLAIM_EMPTY, "Send a value, or omit the claim if it is optional."),
    (CLAIM_FORMAT, "Send a value that matches the claim's pattern and length limit."),
    (CLAIM_VALUE, "Send one of the allowed values, spelt exactly."),
    (CLAIM_MISMATCH, "Send the value it must equal (see the message)."),
    (CLAIM_NOT_ALLOWED, "Remove the claim from this request."),
    (CLAIM_CONDITIONAL, "Add the claim: another claim's value requires it."),
    (CLAIM_URI, "Send an absolute URI (https where required)."),
    (CLAIM_IGNORED, "Remove the claim: it has no effect here."),
    (CLAIM_RENAMED, "Use this version's name for the claim."),
    (CLAIM_OBSOLETE, "Ask the directory for a current statement; the value is no longer issued."),
    (ALG_NOT_FAPI, "Use PS256 or ES256."),
    (AUTH_METHOD_NOT_FAPI, "Use private_key_jwt or tls_client_auth."),
    (
        AUD_MISMATCH,
        "Set aud to this bank's issuer URL or to a value it publishes as its audience (UK: its OB organisation ID).",
    ),
    (
        AUD_FORMAT,
        "Set aud to exactly the form the profile requires (UK: the bank's 18-character OB organisation ID; AU: the issuer).",
    ),
    (JTI_FORMAT, "Send a fresh UUIDv4 as jti (upper-case for the OB data dictionary's letter)."),
    (TIME_EXPIRED, "Sign a new request (exp in the future)."),
    (TIME_NOT_YET_VALID, "Set nbf to now or earlier, or check the signer's clock."),
    (TIME_ISSUED_IN_FUTURE, "Set iat to the signing time; check the signer's clock."),
    (TIME_LIFETIME, "Set exp after iat and within the maximum lifetime (UK default: 3600 s)."),
    (TIME_TOO_OLD, "Use a more recent token (re-issue the software statement, or sign a new request)."),
    (REDIRECT_NOT_IN_SSA, "Register only redirect URIs listed in the software statement, spelt exactly."),
    (REDIRECT_NOT_HTTPS, "Use an https redirect URI."),
    (REDIRECT_LOCALHOST, "Use a redirect URI on a public host name, not localhost or a loopback address."),
    (REDIRECT_FRAGMENT, "Remove the fragment (#...) from the redirect URI."),
    (REDIRECT_INVALID, "Send an absolute https URI."),
    (SCOPE_ROLE_MISSING, "Request only scopes the software statement's roles allow, or get the role in the directory."),
    (SCOPE_OPENID_MISSING, "Add openid to scope when registering code id_token."),
    (SCOPE_UNKNOWN, "Request only scopes the profile defines (and the bank advertises)."),
    (DISCOVERY_UNSUPPORTED, "Request only values the bank's discovery document advertises."),
    (DISCOVERY_ISSUER_MISMATCH, "Configure the issuer the discovery document publishes (bank configuration)."),
    (MTLS_SUBJECT_DN_MISMATCH, "Send the subject DN of the certificate presented on this TLS connection."),
    (MTLS_SUBJECT_DN_INVALID, "Send the DN as an RFC 4514 string, e.g. CN=...,OU=...,O=...,C=GB."),
    (
        MTLS_CLIENT_NOT_IN_SSA,
        "Connect with a transport certificate issued to the software or organisation of the statement.",
    ),
    (
        MTLS_CERT_NOT_IN_JWKS,
        "Connect with the transport certificate published (x5c or x5t#S256) as a use \"tls\" key in the software key set the statement names.",
    ),
    (
        MTLS_CERT_UNCHECKED,
        "Publish the transport certificate as a use \"tls\" key with x5c (or x5t#S256) in the software key set.",
    ),
    (
        REVOCATION_KEY_REVOKED,
        "Sign with a key that is not revoked: publish a new signing key in the directory and use its kid.",
    ),
    (REVOCATION_CERT_REVOKED, "Connect with a transport certificate that is not revoked."),
    (
        REVOCATION_ENDPOINT_MISSING,
        "Use a software statement that names software_jwks_revoked_endpoint (https) so revocation can be checked.",
    ),
    (REGISTER_SOFTWARE_INACTIVE, "Register only while the software product is ACTIVE on the CDR Register."),
    (REGISTER_RECIPIENT_INACTIVE, "Register only while the data recipient is ACTIVE on the CDR Register."),
    (
        REGISTER_STATUS_UNKNOWN,
        "Use a software product the CDR Register lists (or wait for the Data Holder's next status poll).",
    ),
    (
        REGISTER_STATUS_STALE,
        "Data Holder: refresh the Register status data (its poll has not succeeded within the maximum age).",
    ),
    (
        REGISTER_RECIPIENT_UNCHECKED,
        "Use a software statement that carries legal_entity_id (Register statements from x-v 2).",
    ),
    (
        SECTOR_IDENTIFIER_INVALID,
        "Serve the sector_identifier_uri document at an https URL as a JSON array of redirect URI strings.",
    ),
    (
        SECTOR_IDENTIFIER_MISMATCH,
        "List every registered redirect URI in the sector_identifier_uri document, or register only those it lists.",
    ),
    (CHECK_UNAVAILABLE, "Retry later: a check the bank requires could not be done (its source was unavailable)."),
    (MTLS_LEGACY_CERTIFICATE, "Use an OBWAC/eIDAS certificate (organizationIdentifier) outside the sandbox."),
];

/// The fix hint for a code (empty if none is known).
pub fn fix(code: &str) -> &'static str {
    FIXES.iter().find(|(c, _)| *c == code).map_or("", |(_, f)| f)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_finding_code_has_a_fix() {
        let all = super::ALL.iter().chain(crate::jose::CODES).chain(crate::jose::note::ALL);
        let missing: alloc::vec::Vec<_> = all.filter(|c| super::fix(c).is_empty()).collect();
        assert!(missing.is_empty(), "no fix hint: {missing:?}");
    }
}
