//! `dcr-guard decode`: show a compact JWS without verifying it, including a nested
//! `software_statement`, clearly marked as unverified.

use dcr_guard_core::Limits;
use dcr_guard_core::jose::CompactJws;
use serde_json::{Value, json};

use crate::input::{UsageError, read_token};
use crate::{EXIT_INVALID, EXIT_VALID};

/// Decode a compact JWS (header, payload, nested SSA) WITHOUT verifying its signature.
#[derive(clap::Args)]
pub struct Args {
    /// Print one JSON object: {"verified": false, "header", "payload", "signature_bytes", "software_statement"}.
    #[arg(long)]
    json: bool,
    /// The token, `@FILE` to read it from a file, or `-` (default) for stdin.
    #[arg(value_name = "TOKEN|-")]
    token: Option<String>,
}

/// The payload as JSON when it parses strictly, otherwise as text (or null if not UTF-8).
pub fn payload_value(jws: &CompactJws, limits: &Limits) -> Value {
    jws.payload_json(limits)
        .unwrap_or_else(|_| core::str::from_utf8(jws.payload()).map_or(Value::Null, |s| Value::String(s.into())))
}

/// What `decode` shows of one JWS.
struct Decoded {
    header: Value,
    payload: Value,
    signature_bytes: usize,
}

impl Decoded {
    fn new(jws: &CompactJws, limits: &Limits) -> Self {
        Decoded {
            header: Value::Object(jws.header().clone()),
            payload: payload_value(jws, limits),
            signature_bytes: jws.signature().len(),
        }
    }

    fn to_json(&self) -> Value {
        json!({ "header": self.header, "payload": self.payload, "signature_bytes": self.signature_bytes })
    }

    fn print(&self, indent: &str) {
        for (label, value) in [("header", &self.header), ("payload", &self.payload)] {
            let text = format!("{value:#}").replace('\n', &format!("\n{indent}"));
            say!("{indent}{label}: {text}");
        }
        say!("{indent}signature: {} bytes", self.signature_bytes);
    }
}

pub fn run(args: &Args) -> Result<u8, UsageError> {
    let limits = Limits::DEFAULT;
    let token = read_token(args.token.as_deref(), limits.max_token_bytes)?;
    let jws = match CompactJws::parse(&token, &limits) {
        Ok(j) => j,
        Err(e) => {
            if args.json {
                say!("{:#}", json!({ "verified": false, "code": e.code(), "message": e.to_string() }));
            } else {
                say!("INVALID [{}]: {e}", e.code());
            }
            return Ok(EXIT_INVALID);
        }
    };
    let outer = Decoded::new(&jws, &limits);
    let nested = outer
        .payload
        .get("software_statement")
        .and_then(Value::as_str)
        .and_then(|ssa| CompactJws::parse(ssa, &limits).ok())
        .map(|ssa| Decoded::new(&ssa, &limits));
    if args.json {
        let mut doc = outer.to_json();
        if let Some(obj) = doc.as_object_mut() {
            obj.insert("verified".into(), Value::Bool(false));
            obj.insert("software_statement".into(), nested.as_ref().map_or(Value::Null, Decoded::to_json));
        }
        say!("{doc:#}");
        return Ok(EXIT_VALID);
    }
    say!("UNVERIFIED: decoded only; no signature was checked.");
    outer.print("");
    if let Some(ssa) = nested {
        say!("\nNested software_statement (UNVERIFIED):");
        ssa.print("  ");
    }
    Ok(EXIT_VALID)
}
