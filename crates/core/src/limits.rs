//! Resource limits: every input that reaches the core is bounded by one of these.

/// Size and depth limits applied to untrusted input. The defaults are documented in
/// `docs/limits.md` and are the same in every host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Maximum length of a compact JWS in bytes (default 64 KiB). Applied before any decoding,
    /// so it bounds every allocation made for a token.
    pub max_token_bytes: usize,
    /// Maximum nesting depth of any JSON document (header, payload, JWKS, discovery); the
    /// outermost object counts as depth 1 (default 16). DCR documents are at most 4 deep.
    pub max_json_depth: usize,
    /// Maximum size of a JWKS or discovery document in bytes (default 256 KiB). Real OB
    /// keystore sets with `x5c` chains are 10–30 KiB.
    pub max_document_bytes: usize,
    /// Maximum number of keys in a JWKS (default 64).
    pub max_jwks_keys: usize,
}

impl Limits {
    /// The documented defaults.
    pub const DEFAULT: Limits =
        Limits { max_token_bytes: 64 * 1024, max_json_depth: 16, max_document_bytes: 256 * 1024, max_jwks_keys: 64 };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}
