//! DCR validation: UK OBIE v3.1–v3.4 and AU CDR registration requests and their software
//! statements, checked completely, with RFC 7591 errors and a full list of findings.
//!
//! ```text
//! let validator = Validator::new(Config::new(Profile::UkObieV33, "https://bank.example"));
//! let report = validator.validate(token, &directory_jwks, &software_jwks, now, &RustCryptoVerifier);
//! ```
//! Hosts that fetch use the two phases: [`Validator::inspect`] (or `begin`/`resolve`), then
//! [`Inspection::software_jwks`] names the JWKS to fetch, then [`Validator::finish`].

mod au;
mod check;
mod claims;
pub mod codes;
mod config;
mod discovery;
mod findings;
mod options;
mod report;
mod rules;
mod time;
mod uk;
pub mod uri;

pub use check::{Inspection, JwksFetch, Opened, Validator};
pub use config::{ClientCert, Config, ConfigError, Mode, Operation, Profile};
pub use discovery::Discovery;
pub use options::{OperationOption, Options};
pub use report::{DecodedJws, Finding, MAX_DESCRIPTION, RegistrationError, Report, Severity, SignatureStatus, Stage};
