//! The pure-Rust signature backend: RustCrypto `rsa` (PSS) and `p256` (ECDSA), with default
//! features off so nothing pulls `getrandom` and the crate stays `no_std`.

use rsa::signature::Verifier as _;
use rsa::{BoxedUint, PublicKey as RsaPublicKey};
use sha2::Sha256;

use super::alg::Algorithm;
use super::jwk::KeyMaterial;
use super::verify::{SignatureCheck, Verifier};

/// A key imported into the RustCrypto types once, at JWKS parse time.
#[derive(Debug, Clone)]
pub(crate) enum Prepared {
    Rsa(rsa::pss::VerifyingKey<Sha256>),
    P256(p256::ecdsa::VerifyingKey),
}

pub(crate) fn prepare(material: &KeyMaterial) -> Result<Prepared, &'static str> {
    match material {
        KeyMaterial::Rsa { n, e } => {
            let (n, e) = (BoxedUint::from_be_slice_vartime(n), BoxedUint::from_be_slice_vartime(e));
            let key =
                RsaPublicKey::new_with_size_limits(n, e, 2048..=8192).map_err(|_| "the RSA public key is not valid")?;
            // `new` fixes the salt length to the digest length (32), as RFC 7518 §3.5 requires.
            Ok(Prepared::Rsa(rsa::pss::VerifyingKey::<Sha256>::new(key)))
        }
        KeyMaterial::P256 { x, y } => super::jwk::p256_point(x, y)
            .and_then(|point| p256::ecdsa::VerifyingKey::from_affine(point).ok())
            .map(Prepared::P256)
            .ok_or("the point is not on the P-256 curve"),
    }
}

/// Verifies with RustCrypto. Stateless; keys are prepared inside [`super::PublicKey`].
#[derive(Debug, Clone, Copy, Default)]
pub struct RustCryptoVerifier;

impl Verifier for RustCryptoVerifier {
    fn verify(&self, check: &SignatureCheck<'_>) -> bool {
        match (check.alg, check.key.prepared()) {
            (Algorithm::Ps256, Prepared::Rsa(vk)) => rsa::pss::Signature::try_from(check.signature)
                .is_ok_and(|sig| vk.verify(check.signing_input, &sig).is_ok()),
            (Algorithm::Es256, Prepared::P256(vk)) => p256::ecdsa::Signature::from_slice(check.signature)
                .is_ok_and(|sig| vk.verify(check.signing_input, &sig).is_ok()),
            _ => false,
        }
    }
}
