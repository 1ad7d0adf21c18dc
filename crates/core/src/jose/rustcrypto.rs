//! The pure-Rust signature backend: RustCrypto `rsa` (PSS) and `p256` (ECDSA), with default
//! features off so nothing pulls `getrandom` and the crate stays `no_std`.
//!
//! Keys arrive as plain, already validated data ([`super::PublicKey`]); importing one into the
//! RustCrypto types costs about as much as a verification in WebAssembly, so the backend keeps
//! the imported form in a small cache keyed by the key's RFC 7638 thumbprint.

use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;

use rsa::signature::Verifier as _;
use rsa::{BoxedUint, PublicKey as RsaPublicKey};
use sha2::Sha256;

use super::alg::Algorithm;
use super::jwk::KeyMaterial;
use super::verify::{SignatureCheck, Verifier};

/// A key imported into the RustCrypto types.
#[derive(Debug)]
enum Prepared {
    Rsa(rsa::pss::VerifyingKey<Sha256>),
    P256(p256::ecdsa::VerifyingKey),
}

fn prepare(material: &KeyMaterial) -> Option<Prepared> {
    match material {
        KeyMaterial::Rsa { n, e } => {
            let (n, e) = (BoxedUint::from_be_slice_vartime(n), BoxedUint::from_be_slice_vartime(e));
            let key = RsaPublicKey::new_with_size_limits(n, e, 2048..=8192).ok()?;
            // `new` fixes the salt length to the digest length (32), as RFC 7518 §3.5 requires.
            Some(Prepared::Rsa(rsa::pss::VerifyingKey::<Sha256>::new(key)))
        }
        KeyMaterial::P256 { x, y } => super::jwk::p256_point(x, y)
            .and_then(|point| p256::ecdsa::VerifyingKey::from_affine(point).ok())
            .map(Prepared::P256),
    }
}

/// Keys kept imported: a deployment sees a handful (the directory's, each registrant's).
const CACHE_KEYS: usize = 32;

/// Verifies with RustCrypto. Holds the keys it imported, keyed by thumbprint (least recently
/// used dropped first); build one per host or thread and reuse it.
#[derive(Debug, Default)]
pub struct RustCryptoVerifier {
    cache: RefCell<Vec<(String, Prepared)>>,
}

impl RustCryptoVerifier {
    /// A verifier with an empty key cache.
    pub fn new() -> RustCryptoVerifier {
        RustCryptoVerifier::default()
    }

    /// Runs `f` with the imported key for this check, from the cache or imported now; `None`
    /// if the key cannot be imported.
    fn with_key<R>(&self, check: &SignatureCheck<'_>, f: impl FnOnce(&Prepared) -> R) -> Option<R> {
        let thumbprint = check.key.thumbprint();
        let mut cache = self.cache.try_borrow_mut().ok()?;
        match cache.iter().position(|(t, _)| t == thumbprint) {
            Some(i) => {
                let entry = cache.remove(i);
                cache.push(entry);
            }
            None => {
                let prepared = prepare(check.key.material())?;
                if cache.len() >= CACHE_KEYS {
                    cache.remove(0);
                }
                cache.push((thumbprint.into(), prepared));
            }
        }
        cache.last().map(|(_, prepared)| f(prepared))
    }
}

impl Verifier for RustCryptoVerifier {
    fn verify(&self, check: &SignatureCheck<'_>) -> bool {
        self.with_key(check, |prepared| match (check.alg, prepared) {
            (Algorithm::Ps256, Prepared::Rsa(vk)) => rsa::pss::Signature::try_from(check.signature)
                .is_ok_and(|sig| vk.verify(check.signing_input, &sig).is_ok()),
            (Algorithm::Es256, Prepared::P256(vk)) => p256::ecdsa::Signature::from_slice(check.signature)
                .is_ok_and(|sig| vk.verify(check.signing_input, &sig).is_ok()),
            _ => false,
        })
        .unwrap_or(false)
    }
}
