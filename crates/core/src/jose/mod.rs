//! The JOSE layer: strict base64url and JSON, compact JWS, JWK/JWKS, PS256/ES256.

mod alg;
pub mod base64url;
mod error;
pub mod json;
mod jwk;
mod jwks;
mod jws;
#[cfg(feature = "rustcrypto")]
mod rustcrypto;
mod verify;

pub use alg::{Algorithm, AlgorithmPolicy, UnknownAlgorithm};
pub use error::{CODES, JoseError, Segment};
pub use jwk::{JwkEntry, JwkNote, KeyMaterial, PublicKey, note};
pub use jwks::Jwks;
pub use jws::{CompactJws, HeaderParams, PendingJws, VerifiedJws, verify_compact};
#[cfg(feature = "rustcrypto")]
pub use rustcrypto::RustCryptoVerifier;
pub use verify::{SignatureCheck, Verifier, check_shape, expected_signature_len, verify_signature};
