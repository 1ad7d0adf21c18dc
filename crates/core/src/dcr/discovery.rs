//! The bank's OpenID Provider metadata (discovery document), parsed once and used for
//! cross-checks: a registration may only ask for what the bank advertises.

use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use serde_json::{Map, Value};

use super::codes;
use super::config::ConfigError;
use super::findings::Findings;
use super::findings::ptr::Ptr;
use crate::Limits;
use crate::jose::json::{parse_strict, short};

/// A parsed discovery document. Cloning it shares the document: a host that derives a
/// per-request configuration from its base one (the Worker sets the operation and the client
/// certificate per request) does not copy the whole map each time.
#[derive(Debug, Clone, PartialEq)]
pub struct Discovery {
    doc: Arc<Map<String, Value>>,
}

impl Discovery {
    /// Parses a discovery document (strict JSON object, size and depth limits).
    pub fn parse(bytes: &[u8], limits: &Limits) -> Result<Discovery, ConfigError> {
        if bytes.len() > limits.max_document_bytes {
            return Err(ConfigError::Discovery(format!("larger than {} bytes", limits.max_document_bytes)));
        }
        let value = parse_strict(bytes, limits.max_json_depth).map_err(|e| ConfigError::Discovery(format!("{e}")))?;
        Self::from_value(value)
    }

    /// Wraps an already-parsed document.
    pub fn from_value(value: Value) -> Result<Discovery, ConfigError> {
        match value {
            Value::Object(doc) => Ok(Discovery { doc: Arc::new(doc) }),
            _ => Err(ConfigError::Discovery("not a JSON object".into())),
        }
    }

    /// The advertised `issuer`.
    pub fn issuer(&self) -> Option<&str> {
        self.doc.get("issuer").and_then(Value::as_str)
    }

    /// The whole document.
    pub fn document(&self) -> &Map<String, Value> {
        &self.doc
    }

    /// The values of an array member such as `grant_types_supported`; `None` when the bank
    /// does not advertise it (absent, or not an array of strings).
    pub fn supported(&self, member: &str) -> Option<Vec<&str>> {
        self.doc.get(member)?.as_array()?.iter().map(Value::as_str).collect()
    }

    /// A boolean member such as `backchannel_user_code_parameter_supported`.
    pub fn flag(&self, member: &str) -> Option<bool> {
        self.doc.get(member).and_then(Value::as_bool)
    }
}

/// `discovery.unsupported` when the bank advertises `member` and `value` is not in it.
/// Space-separated values (`response_types`) compare as sets. Returns whether it passed.
pub(crate) fn check_supported(
    f: &mut Findings,
    discovery: Option<&Discovery>,
    member: &'static str,
    value: &str,
    pointer: Ptr<'_>,
    spec: &'static str,
) -> bool {
    let Some(advertised) = discovery.and_then(|d| d.supported(member)) else {
        return true;
    };
    if advertised.iter().any(|a| same_tokens(a, value)) {
        return true;
    }
    f.error(codes::DISCOVERY_UNSUPPORTED, pointer, format!("\"{}\" is not in the bank's {member}", short(value)), spec);
    false
}

/// Whether two space-separated values hold the same tokens in any order (`"id_token code"`
/// equals `"code id_token"`), as OpenID compares response types.
pub(crate) fn same_tokens(a: &str, b: &str) -> bool {
    let (a, b) = (tokens(a), tokens(b));
    let count = |list: &[&str], t: &str| list.iter().filter(|x| **x == t).count();
    a.len() == b.len() && a.iter().all(|t| count(&a, t) == count(&b, t))
}

fn tokens(s: &str) -> Vec<&str> {
    s.split(' ').filter(|t| !t.is_empty()).collect()
}
