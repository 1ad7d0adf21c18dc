//! The narrow interface between the core and whoever does the signature arithmetic.
//!
//! The core decides *what* must be verified (algorithm, key, bytes) and checks every shape
//! rule itself; a [`Verifier`] only answers "does this signature verify". Hosts can answer
//! synchronously (RustCrypto, `node:crypto`) or take a [`SignatureCheck`] out, await their own
//! crypto (WebCrypto), and hand the boolean back (see [`super::PendingJws`]).

use super::alg::Algorithm;
use super::error::JoseError;
use super::jwk::{KeyMaterial, PublicKey};

/// One signature to verify: everything a backend needs, already validated for shape.
#[derive(Debug, Clone, Copy)]
pub struct SignatureCheck<'a> {
    /// The algorithm, taken from the caller's policy (the header only had to match it).
    pub alg: Algorithm,
    /// The selected key.
    pub key: &'a PublicKey,
    /// `BASE64URL(header) || '.' || BASE64URL(payload)`.
    pub signing_input: &'a [u8],
    /// The raw signature: `r || s` (64 bytes) for ES256, modulus-length bytes for PS256.
    pub signature: &'a [u8],
}

/// Answers signature checks. Implementations must not panic and must treat every failure,
/// whatever its cause, as `false`.
pub trait Verifier {
    /// Whether the signature verifies.
    fn verify(&self, check: &SignatureCheck<'_>) -> bool;
}

impl<F: Fn(&SignatureCheck<'_>) -> bool> Verifier for F {
    fn verify(&self, check: &SignatureCheck<'_>) -> bool {
        self(check)
    }
}

/// The exact signature length `alg` needs with `key`, or `None` if they do not go together.
pub fn expected_signature_len(alg: Algorithm, key: &PublicKey) -> Option<usize> {
    match (alg, key.material()) {
        (Algorithm::Ps256, KeyMaterial::Rsa { n, .. }) => Some(n.len()),
        (Algorithm::Es256, KeyMaterial::P256 { .. }) => Some(64),
        _ => None,
    }
}

/// Checks the signature's shape, then asks `verifier`. The one path every verification takes.
pub fn verify_signature(verifier: &dyn Verifier, check: &SignatureCheck<'_>) -> Result<(), JoseError> {
    check_shape(check)?;
    if verifier.verify(check) { Ok(()) } else { Err(JoseError::SignatureInvalid) }
}

/// The shape rules alone: the algorithm fits the key type and the signature has exactly the
/// length the algorithm and key need (a DER-encoded ES256 signature fails here).
pub fn check_shape(check: &SignatureCheck<'_>) -> Result<(), JoseError> {
    let expected = expected_signature_len(check.alg, check.key).ok_or(JoseError::SignatureInvalid)?;
    if check.signature.len() != expected {
        return Err(JoseError::SignatureMalformed { expected, actual: check.signature.len() });
    }
    Ok(())
}
