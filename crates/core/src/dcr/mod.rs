//! DCR validation: UK OBIE v3.1–v3.4 and AU CDR registration requests and their software
//! statements, checked completely, with RFC 7591 errors and a full list of findings.
//!
//! One call, with both key sets at hand:
//!
//! ```
//! use dcr_guard_core::dcr::{Config, Profile, Request, Validator};
//! use dcr_guard_core::jose::{Jwks, RustCryptoVerifier};
//! # let directory_jwks = Jwks::parse(br#"{"keys":[]}"#, &Default::default()).unwrap();
//! # let software_jwks = directory_jwks.clone();
//! # let (token, now) = ("not.a.jws", 1_700_000_000);
//! let validator = Validator::new(Config::new(Profile::UkObieV33, "https://bank.example"));
//! let report = validator.validate(Request::register(token, now), &directory_jwks, &software_jwks, &RustCryptoVerifier::new());
//! assert!(!report.valid);
//! ```
//!
//! Hosts that fetch key sets or verify asynchronously drive a [`Validation`] step by step
//! ([`Validator::start`], [`Validation::next`], [`Step`]); see the [`validation`] module.

mod au;
#[cfg(all(test, feature = "io-checks"))]
mod checks_tests;
mod claims;
pub mod codes;
mod config;
mod discovery;
mod findings;
mod options;
pub mod policy;
pub mod profile;
mod report;
mod revocation;
mod rules;
mod sector;
pub mod session;
mod status;
mod time;
mod transport;
mod uk;
pub mod uri;
pub mod validation;

pub use config::{ClientCert, Config, ConfigError, Operation, Profile, TransportCert};
pub use discovery::Discovery;
pub use options::{OPTION_NAMES, OperationOption, Options, PolicyOption, REQUEST_OPTION_NAMES, RequestOptions};
pub use policy::{Decision, Policy, Preset};
pub use report::{
    DecodedJws, Finding, MAX_DESCRIPTION, RegistrationError, ReplayKey, Report, Severity, SignatureStatus, Stage,
};
pub use revocation::RevokedSet;
pub use session::{Awaiting, Session, SessionError};
pub use status::RegisterStatus;
pub use validation::{
    NeedDirectoryJwks, NeedRevokedJwks, NeedSectorIdentifier, NeedSoftwareJwks, NeedSoftwareStatus, Request, Signed,
    Step, Validation, Validator, Verify,
};
