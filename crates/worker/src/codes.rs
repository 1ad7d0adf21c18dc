//! The Worker's own finding codes: refusals that need state the core does not have.
//! They appear like the core's codes in the RFC 7591 body, the `DCR-Guard-Findings` header and
//! the log line, and are documented in docs/error-codes.md (a test below keeps it so).

/// A `jti` seen before and not yet expired (`invalid_client_metadata`).
pub const REPLAY_JTI_REUSED: &str = "replay.jti_reused";
/// The verified statement names a key-set URL the fetch guard refuses (`unapproved_software_statement`):
/// the core's code (documented with the core's), used here for the revoked key sets' URLs.
pub use dcr_guard_core::dcr::codes::JWKS_URL_REFUSED;

/// The statement's `sector_identifier_uri` is refused by the SSRF guard (`invalid_client_metadata`).
pub const SECTOR_URL_REFUSED: &str = "sector_identifier.url_refused";

/// 503 codes: a source a check needs is unreachable, slow, oversized, redirecting or garbled.
/// A revoked key set.
pub const REVOCATION_UNAVAILABLE: &str = "revocation.unavailable";
/// The Register status snapshot is missing, unreadable or older than its maximum age.
pub const REGISTER_STATUS_UNAVAILABLE: &str = "register.status_unavailable";
/// The `sector_identifier_uri` document.
pub const SECTOR_UNAVAILABLE: &str = "sector_identifier.unavailable";
/// The bank's token key set or introspection endpoint.
pub const TOKEN_UNAVAILABLE: &str = "token.unavailable";

/// Management routes (401 `invalid_token`): no bearer token.
pub const TOKEN_MISSING: &str = "token.missing";
/// Not verifiable with the bank's key set (no key, bad algorithm, bad signature, not a JWT payload).
pub const TOKEN_INVALID: &str = "token.invalid";
/// An opaque token while only a key set is configured (no introspection).
pub const TOKEN_UNVERIFIABLE: &str = "token.unverifiable";
/// Introspection says the token is not active.
pub const TOKEN_INACTIVE: &str = "token.inactive";
/// `exp` passed or missing, or `nbf` in the future.
pub const TOKEN_EXPIRED: &str = "token.expired";
/// `iss` is not `DCR_TOKEN_ISSUER`.
pub const TOKEN_ISSUER: &str = "token.issuer";
/// `aud` holds none of `DCR_TOKEN_AUDIENCES`.
pub const TOKEN_AUDIENCE: &str = "token.audience";
/// `client_id` is not the path's.
pub const TOKEN_CLIENT_MISMATCH: &str = "token.client_mismatch";
/// `scope` lacks `DCR_TOKEN_SCOPE`.
pub const TOKEN_SCOPE: &str = "token.scope";
/// No `cnf.x5t#S256` while certificate-bound tokens are required.
pub const TOKEN_CNF_MISSING: &str = "token.cnf_missing";
/// `cnf.x5t#S256` is not the TLS client certificate's SHA-256.
pub const TOKEN_CNF_MISMATCH: &str = "token.cnf_mismatch";
/// Warning (cdr-mock preset): `cnf.x5t#S256` holds the ACCC mock's upper-case hex SHA-1.
pub const TOKEN_CNF_SHA1: &str = "token.cnf_sha1";

/// Every Worker-level code (the documentation test reads it).
#[cfg_attr(not(test), allow(dead_code))]
pub const ALL: &[&str] = &[
    REPLAY_JTI_REUSED,
    SECTOR_URL_REFUSED,
    REVOCATION_UNAVAILABLE,
    REGISTER_STATUS_UNAVAILABLE,
    SECTOR_UNAVAILABLE,
    TOKEN_UNAVAILABLE,
    TOKEN_MISSING,
    TOKEN_INVALID,
    TOKEN_UNVERIFIABLE,
    TOKEN_INACTIVE,
    TOKEN_EXPIRED,
    TOKEN_ISSUER,
    TOKEN_AUDIENCE,
    TOKEN_CLIENT_MISMATCH,
    TOKEN_SCOPE,
    TOKEN_CNF_MISSING,
    TOKEN_CNF_MISMATCH,
    TOKEN_CNF_SHA1,
];

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    /// Each code has exactly one row in docs/error-codes.md, like the core's.
    #[test]
    fn documented_once() {
        let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/error-codes.md")).unwrap();
        for code in super::ALL {
            let rows = doc.lines().filter(|l| l.starts_with(&format!("| `{code}` |"))).count();
            assert_eq!(rows, 1, "{code}: {rows} rows in docs/error-codes.md");
        }
    }
}
