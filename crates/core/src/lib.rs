//! # dcr-guard-core
//!
//! A sans-IO, `no_std` + `alloc` validator for Open Banking Dynamic Client Registration (DCR)
//! requests: the UK OBIE profiles (v3.1–v3.4) and the AU Consumer Data Right profile.
//!
//! ## Design choices
//!
//! * **Sans-IO.** The core never fetches, never reads a clock and never touches a filesystem.
//!   Hosts (the CLI, the wasm package, the Worker) fetch JWKS, pass `now` and drive it.
//! * **Strict by default.** Compact JWS only, canonical unpadded base64url, headers without
//!   duplicate members, unknown `crit` rejected, `b64:false` rejected, explicit size and JSON depth
//!   limits ([`Limits`]). Keys are never taken from `jwk`/`jku`/`x5u`/`x5c` headers.
//! * **The algorithm comes from the caller's policy.** [`jose::AlgorithmPolicy`] can only name
//!   PS256 and ES256; the header `alg` is compared with it before any key lookup, so `none`,
//!   `HS*` and `RS256` cannot be represented, let alone accepted.
//! * **Crypto-agnostic.** Parsing and policy produce a [`jose::SignatureCheck`]; a
//!   [`jose::Verifier`] answers it. The `rustcrypto` feature (default) provides
//!   [`jose::RustCryptoVerifier`] (RustCrypto `rsa` + `p256`, no `getrandom`; it keeps the keys
//!   it imported); hosts with WebCrypto or `node:crypto` answer the same checks themselves.
//! * **One error enum per layer** with stable string codes: [`jose::JoseError`] for JOSE
//!   (see `docs/error-codes.md`).
//! * **One driver.** A registration is checked by [`dcr::Validation`]: it says what it needs
//!   next (a key set, a signature answer) and is valid only with both signatures verified.
//!   [`dcr::Validator::validate`] is the one-call form. `examples/one_call.rs` and
//!   `examples/stepwise.rs` show both.
//! * **Profiles as data, decisions as policy.** Each profile is a [`dcr::profile::ProfileSpec`]
//!   (claim tables and named cross-claim rules); each documented real-world deviation is a
//!   [`dcr::policy`] rule decided by a preset (`interop`, the default) and overrides.
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![warn(clippy::std_instead_of_core, clippy::alloc_instead_of_core)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]

extern crate alloc;

pub mod dcr;
pub mod jose;
mod limits;

pub use limits::Limits;
