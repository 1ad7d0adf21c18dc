//! Revoked keys (UK): the OB Directory publishes, per software and per organisation, a key set
//! of "all revoked signing and network certs" (`software_jwks_revoked_endpoint`,
//! `org_jwks_revoked_endpoint`). A request signed with a key on it (same `kid`, or same RFC 7638
//! thumbprint), or a transport certificate on it (its `x5c[0]` / `x5t#S256`, or the `use: tls`
//! key it matched), is refused: the statement is no longer approved for that key.

use alloc::format;

use super::codes;
use super::findings::Findings;
use super::findings::ptr::Ptr;
use super::report::Stage;
use super::transport::{self, TlsKey};
use crate::jose::json::short;
use crate::jose::{JwkEntry, Jwks};

const SPEC: &str = "OB Directory: software_jwks_revoked_endpoint / org_jwks_revoked_endpoint (revoked signing and network certificates)";

/// Which revoked key set a [`super::Step::NeedRevokedJwks`] asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RevokedSet {
    /// The software's (`software_jwks_revoked_endpoint`).
    Software,
    /// The organisation's (`org_jwks_revoked_endpoint`).
    Organisation,
}

impl RevokedSet {
    /// The statement claim naming the set.
    pub fn claim(self) -> &'static str {
        match self {
            RevokedSet::Software => "software_jwks_revoked_endpoint",
            RevokedSet::Organisation => "org_jwks_revoked_endpoint",
        }
    }
}

/// What is checked against a revoked set: the request's signing key and the transport certificate.
pub(crate) struct Presented<'a> {
    pub kid: Option<&'a str>,
    pub thumbprint: Option<&'a str>,
    pub cert_sha256: Option<&'a [u8; 32]>,
    pub tls_key: Option<&'a TlsKey>,
}

fn same_key(e: &JwkEntry, kid: Option<&str>, thumbprint: Option<&str>) -> bool {
    let by_kid = kid.is_some() && e.kid.as_deref() == kid;
    let by_thumbprint = thumbprint.is_some() && e.key.as_ref().ok().map(|k| k.thumbprint()) == thumbprint;
    by_kid || by_thumbprint
}

/// Refuses a request whose key or certificate is on `revoked`.
pub(crate) fn check(f: &mut Findings, which: RevokedSet, revoked: &Jwks, p: &Presented<'_>) {
    let stage = f.stage();
    f.set_stage(Stage::SsaApproval);
    let pointer = Ptr::root("/ssa/claims").key(which.claim());
    if let Some(i) = revoked.entries().iter().position(|e| same_key(e, p.kid, p.thumbprint)) {
        f.error(
            codes::REVOCATION_KEY_REVOKED,
            pointer,
            format!(
                "the request's signing key (kid \"{}\") is key {i} of the revoked key set",
                short(p.kid.unwrap_or_default())
            ),
            SPEC,
        );
    }
    let cert = p.cert_sha256.and_then(|d| revoked.entries().iter().position(|e| transport::publishes(e, d)));
    let tls = p
        .tls_key
        .and_then(|t| revoked.entries().iter().position(|e| same_key(e, t.kid.as_deref(), t.thumbprint.as_deref())));
    if let Some(i) = cert.or(tls) {
        f.error(
            codes::REVOCATION_CERT_REVOKED,
            pointer,
            format!("the TLS client certificate (or its use=tls key) is key {i} of the revoked key set"),
            SPEC,
        );
    }
    f.set_stage(stage);
}
