//! What every export returns: one JSON text, either `{"ok":true,"value":…}` or
//! `{"ok":false,"code":…,"message":…}`.
//!
//! Why an envelope instead of throwing: nothing is ever thrown across the boundary on purpose,
//! so the JS layer can treat *any* exception out of the module as a trap (or a JS stack overflow
//! in the middle of a call) and replace the instance, which may be left inconsistent. Caller
//! mistakes travel as data and become an `Error` with a stable `code` in JS.
//!
//! Why JSON text instead of JS objects built from Rust: `JSON.parse` of this text gives exactly
//! what `JSON.parse` of `dcr-guard check --json` gives (both come from `serde_json::to_value`),
//! it makes a claim named `__proto__` an own property (an object built by assignment would get
//! a new prototype instead — attacker-chosen "claims" the validator never saw), and it reads
//! integers beyond 2^53 as the nearest double instead of failing.

use dcr_guard_core::dcr::ConfigError;
use dcr_guard_core::jose::JoseError;
use serde_json::{Value, json};

/// The code of a caller mistake that is not a configuration or JWKS error (a token that is not a
/// string, a `now` that is not a safe integer). JS: `ERR_DCR_GUARD_INVALID_ARGUMENT`.
pub const INVALID_ARGUMENT: &str = "invalid_argument";

/// The code of a state that correct use of the JS wrapper cannot reach (a session finished
/// twice). JS: `ERR_DCR_GUARD_INTERNAL`, the same code a trap gets.
pub const INTERNAL: &str = "internal";

/// A refusal: the caller's input cannot be used. Never a verdict about a token (those are
/// results).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Stable code: a `config.*` or `jwks.*` code of the core, or one of this module's.
    pub code: &'static str,
    /// What is wrong, for a developer.
    pub message: String,
}

impl Failure {
    /// A failure with an explicit code.
    pub fn new(code: &'static str, message: impl Into<String>) -> Failure {
        Failure { code, message: message.into() }
    }

    /// A configuration error, keeping the core's code.
    pub fn config(e: &ConfigError) -> Failure {
        Failure::new(e.code(), e.to_string())
    }

    /// A JWKS document that cannot be used, naming the argument it came from.
    pub fn jwks(what: &str, e: &JoseError) -> Failure {
        Failure::new(e.code(), format!("{what}: {e}"))
    }
}

/// Serialises an outcome as the envelope text.
pub fn envelope(outcome: Result<Value, Failure>) -> String {
    let doc = match outcome {
        Ok(value) => json!({ "ok": true, "value": value }),
        Err(f) => json!({ "ok": false, "code": f.code, "message": f.message }),
    };
    // `Value`'s Display is infallible JSON text (map keys are always strings).
    doc.to_string()
}
