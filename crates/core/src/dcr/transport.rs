//! The transport certificate belongs to the software: the TLS client certificate's SHA-256
//! fingerprint must be the `x5c[0]` digest (or `x5t#S256`) of a `use: tls` key in the software
//! key set the verified statement names (OB Directory: "the ASPSP should confirm the TLS client
//! is the TPP named in the SSA"; SecureAPI Gateway's `tlsClientCertExistsInJwkSet`). The core
//! never parses certificates: the host gives the fingerprint, the key set gives the digests.

#[cfg(feature = "io-checks")]
use alloc::format;
use alloc::string::String;

use super::codes;
use super::config::{ClientCert, TransportCert};
use super::findings::Findings;
use super::findings::ptr::Ptr;
#[cfg(feature = "io-checks")]
use super::report::Stage;
use crate::jose::{JwkEntry, Jwks};

const SPEC: &str = "OB Directory: transport certificate in the software JWKS (use=tls, x5c); RFC 7517 §4.7, §4.9";

/// The `use: tls` key the certificate matched, for the revocation check.
#[derive(Debug, Clone, Default)]
pub(crate) struct TlsKey {
    pub kid: Option<String>,
    pub thumbprint: Option<String>,
}

#[cfg(feature = "io-checks")]
fn is_tls(e: &JwkEntry) -> bool {
    e.key_use.as_deref() == Some("tls")
}

/// Whether an entry publishes this certificate (by `x5c[0]` or `x5t#S256`).
pub(crate) fn publishes(e: &JwkEntry, sha256: &[u8; 32]) -> bool {
    e.x5c_sha256.as_ref() == Some(sha256) || e.x5t_s256.as_ref() == Some(sha256)
}

/// Without the `io-checks` feature: a check that was asked for cannot be done, so it is an error.
#[cfg(not(feature = "io-checks"))]
pub(crate) fn check(f: &mut Findings, mode: TransportCert, cert: Option<&ClientCert>, _jwks: &Jwks) -> Option<TlsKey> {
    cert?.sha256.as_ref()?;
    if mode != TransportCert::Off {
        f.error(
            codes::CHECK_UNAVAILABLE,
            Ptr::root("/software_jwks"),
            "the transport certificate check is asked for, but this build has no checks with I/O".into(),
            SPEC,
        );
    }
    None
}

/// Checks the certificate against the software key set; returns the matched key.
#[cfg(feature = "io-checks")]
pub(crate) fn check(f: &mut Findings, mode: TransportCert, cert: Option<&ClientCert>, jwks: &Jwks) -> Option<TlsKey> {
    let sha256 = cert?.sha256.as_ref()?;
    if mode == TransportCert::Off {
        return None;
    }
    let published = || jwks.entries().iter().filter(|e| is_tls(e) && (e.x5c_sha256.is_some() || e.x5t_s256.is_some()));
    if let Some(e) = published().find(|e| publishes(e, sha256)) {
        return Some(TlsKey {
            kid: e.kid.clone(),
            thumbprint: e.key.as_ref().ok().map(|k| String::from(k.thumbprint())),
        });
    }
    let stage = f.stage();
    f.set_stage(Stage::SsaClaims);
    let count = published().count();
    if mode == TransportCert::Required || count > 0 {
        f.error(
            codes::MTLS_CERT_NOT_IN_JWKS,
            Ptr::root("/software_jwks"),
            format!(
                "the TLS client certificate (SHA-256 {}) is not among the {count} use=tls key(s) of the software key set",
                hex_prefix(sha256)
            ),
            SPEC,
        );
    } else {
        f.warning(
            codes::MTLS_CERT_UNCHECKED,
            Ptr::root("/software_jwks"),
            "the software key set publishes no use=tls key with x5c or x5t#S256: the transport certificate was not matched".into(),
            SPEC,
        );
    }
    f.set_stage(stage);
    None
}

/// The first eight bytes of a digest in hex, for messages.
#[cfg(feature = "io-checks")]
pub(crate) fn hex_prefix(d: &[u8; 32]) -> String {
    use core::fmt::Write as _;
    let mut s = String::with_capacity(19);
    for b in d.iter().take(8) {
        let _ = write!(s, "{b:02x}");
    }
    s.push('…');
    s
}
