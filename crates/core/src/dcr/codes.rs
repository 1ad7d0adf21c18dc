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

/// Every DCR-layer code, for the documentation check.
pub const ALL: &[&str] = &[
    PAYLOAD_INVALID,
    SSA_MISSING,
    SSA_ISSUER_UNTRUSTED,
    SSA_ORG_INACTIVE,
    SSA_ENVIRONMENT,
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
];
