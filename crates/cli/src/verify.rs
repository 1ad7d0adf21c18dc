//! `dcr-guard verify`: one compact JWS against one JWKS under an algorithm policy.

use std::path::PathBuf;

use dcr_guard_core::Limits;
use dcr_guard_core::jose::{AlgorithmPolicy, CompactJws, JoseError, Jwks, RustCryptoVerifier, VerifiedJws};
use serde_json::{Value, json};

use crate::decode::payload_value;
use crate::input::{UsageError, read_document, read_token};
use crate::{EXIT_INVALID, EXIT_VALID};

/// Verify a compact JWS (PS256/ES256) against a JWKS.
#[derive(clap::Args)]
pub struct Args {
    /// JWKS file holding the verification key(s). For convenience this command also accepts a
    /// file holding a single JWK object (read as a set of one); `check` and the other hosts
    /// require a JWK Set with a `keys` array.
    #[arg(long, value_name = "FILE")]
    jwks: PathBuf,
    /// Comma-separated algorithms to accept; only PS256 and ES256 exist. The token's `alg` is
    /// compared with this list, never trusted on its own.
    #[arg(long = "alg", value_name = "ALGS", default_value = "PS256,ES256", value_parser = parse_policy)]
    algorithms: AlgorithmPolicy,
    /// Print one JSON object: {"valid", "code", "message", "header", "payload"}.
    #[arg(long)]
    json: bool,
    /// The token, `@FILE` to read it from a file, or `-` (default) for stdin.
    #[arg(value_name = "TOKEN|-")]
    token: Option<String>,
}

fn parse_policy(s: &str) -> Result<AlgorithmPolicy, String> {
    AlgorithmPolicy::parse(s).map_err(|e| e.to_string())
}

pub fn run(args: &Args) -> Result<u8, UsageError> {
    let limits = Limits::DEFAULT;
    let token = read_token(args.token.as_deref(), limits.max_token_bytes)?;
    let jwks_bytes = read_document(&args.jwks, limits.max_document_bytes)?;
    let outcome = key_set_or_single_key(&jwks_bytes, &limits).and_then(|jwks| {
        CompactJws::parse(&token, &limits)?.prepare(&jwks, args.algorithms)?.verify(&RustCryptoVerifier::new())
    });
    // Decoded even when invalid, so the caller can see what was refused (marked unverified).
    let decoded = CompactJws::parse(&token, &limits).ok();
    let header = decoded.as_ref().map(|d| Value::Object(d.header().clone()));
    let payload = decoded.as_ref().map(|d| payload_value(d, &limits));
    if args.json {
        let (code, message) = match &outcome {
            Ok(_) => (None, None),
            Err(e) => (Some(e.code()), Some(e.to_string())),
        };
        let doc =
            json!({ "valid": outcome.is_ok(), "code": code, "message": message, "header": header, "payload": payload });
        say!("{doc:#}");
    } else {
        print_human(&outcome, header.as_ref(), payload.as_ref());
    }
    Ok(if outcome.is_ok() { EXIT_VALID } else { EXIT_INVALID })
}

/// A JWK Set, or (for this command only) a single JWK read as a set of one.
fn key_set_or_single_key(bytes: &[u8], limits: &Limits) -> Result<Jwks, JoseError> {
    if let Ok(Value::Object(obj)) = dcr_guard_core::jose::json::parse_strict(bytes, limits.max_json_depth)
        && obj.contains_key("kty")
        && !obj.contains_key("keys")
    {
        return Jwks::from_value(&json!({ "keys": [Value::Object(obj)] }), limits);
    }
    Jwks::parse(bytes, limits)
}

fn print_human(outcome: &Result<VerifiedJws, JoseError>, header: Option<&Value>, payload: Option<&Value>) {
    match outcome {
        Ok(v) => {
            let key = v.key();
            say!(
                "VALID: {} signature by {} ({} {} bits, thumbprint {})",
                v.alg(),
                key.kid().map_or_else(|| "the only suitable key".to_owned(), |k| format!("kid \"{k}\"")),
                key.kty(),
                key.bits(),
                key.thumbprint()
            );
        }
        Err(e) => say!("INVALID [{}]: {e}", e.code()),
    }
    let label = if outcome.is_ok() { "" } else { " (unverified)" };
    if let Some(h) = header {
        say!("header{label}: {h:#}");
    }
    if let Some(p) = payload {
        say!("payload{label}: {p:#}");
    }
}
