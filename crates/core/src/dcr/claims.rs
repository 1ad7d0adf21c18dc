//! Typed, finding-reporting access to a JWS's claims. Every reader reports what is wrong with
//! the claim (missing, wrong type, empty) and returns the usable value, so rules stay short.

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use serde_json::{Map, Value};

use super::codes;
use super::findings::Findings;
use super::findings::ptr::Ptr;
use super::policy;
use crate::jose::json::short;

/// Whether a claim must be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Presence {
    /// Absent → `claim.missing` error.
    Required,
    /// Absent → `claim.recommended` warning.
    Recommended,
    /// Absent is fine.
    Optional,
    /// Required by the specification, but its absence is a documented deviation decided by
    /// this policy rule (`claim.missing` as an error, warning or information).
    DeviationIfMissing(&'static policy::Rule),
}

impl Presence {
    /// The name in the documentation tables.
    pub fn describe(self) -> alloc::string::String {
        match self {
            Presence::Required => "required".into(),
            Presence::Recommended => "recommended".into(),
            Presence::Optional => "optional".into(),
            Presence::DeviationIfMissing(r) => format!("required (absent: rule `{}`)", r.id),
        }
    }
}

/// The claims of one JWS and the pointer prefix findings about them get.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClaimSet<'a> {
    map: &'a Map<String, Value>,
    base: &'static str,
}

impl<'a> ClaimSet<'a> {
    pub fn new(map: &'a Map<String, Value>, base: &'static str) -> Self {
        ClaimSet { map, base }
    }

    /// The pointer of a claim, e.g. `/request/claims/aud`.
    pub fn pointer<'n>(&self, name: &'n str) -> Ptr<'n> {
        Ptr::root(self.base).key(name)
    }

    /// The raw value; `None` when absent or `null`.
    pub fn raw(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    /// Whether the claim is present and not `null`.
    pub fn has(&self, name: &str) -> bool {
        self.raw(name).is_some()
    }

    /// Handles absence; `Some(value)` when present.
    fn present(&self, f: &mut Findings, name: &str, presence: Presence, spec: &'static str) -> Option<&'a Value> {
        let v = self.raw(name);
        if v.is_none() {
            match presence {
                Presence::Required => {
                    f.error(codes::CLAIM_MISSING, self.pointer(name), format!("\"{name}\" is required"), spec)
                }
                Presence::Recommended => {
                    f.warning(codes::CLAIM_RECOMMENDED, self.pointer(name), format!("\"{name}\" is recommended"), spec)
                }
                Presence::Optional => {}
                Presence::DeviationIfMissing(rule) => {
                    f.deviation(rule, self.pointer(name), format!("\"{name}\" is required"), spec);
                }
            }
        }
        v
    }

    fn wrong_type(&self, f: &mut Findings, name: &str, expected: &str, spec: &'static str) {
        f.error(codes::CLAIM_TYPE, self.pointer(name), format!("\"{name}\" must be {expected}"), spec);
    }

    /// An empty value: required → error; optional → a deviation ("" for an absent optional
    /// claim, as ACCC tooling sends), treated as absent when accepted.
    fn empty(&self, f: &mut Findings, name: &str, presence: Presence, spec: &'static str) {
        let msg = format!("\"{name}\" is empty");
        match presence {
            Presence::Required => f.error(codes::CLAIM_EMPTY, self.pointer(name), msg, spec),
            _ => {
                f.deviation_in(
                    (&policy::SSA_EMPTY_OPTIONAL, &policy::REQUEST_EMPTY_OPTIONAL),
                    self.pointer(name),
                    format!("{msg}; treated as absent"),
                    spec,
                );
            }
        }
    }

    /// A non-empty string.
    pub fn string(&self, f: &mut Findings, name: &str, presence: Presence, spec: &'static str) -> Option<&'a str> {
        match self.present(f, name, presence, spec)? {
            Value::String(s) if s.is_empty() => {
                self.empty(f, name, presence, spec);
                None
            }
            Value::String(s) => Some(s),
            _ => {
                self.wrong_type(f, name, "a string", spec);
                None
            }
        }
    }

    /// An integer (NumericDate and friends).
    pub fn integer(&self, f: &mut Findings, name: &str, presence: Presence, spec: &'static str) -> Option<i64> {
        let v = self.present(f, name, presence, spec)?;
        let n = v.as_i64();
        if n.is_none() {
            self.wrong_type(f, name, "an integer", spec);
        }
        n
    }

    /// A boolean.
    pub fn boolean(&self, f: &mut Findings, name: &str, presence: Presence, spec: &'static str) -> Option<bool> {
        let v = self.present(f, name, presence, spec)?;
        let b = v.as_bool();
        if b.is_none() {
            self.wrong_type(f, name, "a boolean", spec);
        }
        b
    }

    /// A non-empty array of strings. A bare string is a deviation (ACCC tooling sends
    /// `"response_types": "code"`): accepted as a one-element array in lenient mode.
    pub fn string_array(
        &self,
        f: &mut Findings,
        name: &str,
        presence: Presence,
        spec: &'static str,
    ) -> Option<Vec<&'a str>> {
        match self.present(f, name, presence, spec)? {
            Value::Array(items) if items.is_empty() => {
                self.empty(f, name, presence, spec);
                None
            }
            Value::Array(items) => {
                let strings: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
                if strings.is_none() {
                    self.wrong_type(f, name, "an array of strings", spec);
                }
                strings
            }
            Value::String(s) if !s.is_empty() => {
                let accepted = f.deviation_in(
                    (&policy::SSA_STRING_FOR_ARRAY, &policy::REQUEST_STRING_FOR_ARRAY),
                    self.pointer(name),
                    format!("\"{name}\" is the string \"{}\"; it must be an array of strings", short(s)),
                    spec,
                );
                accepted.then(|| vec![s.as_str()])
            }
            _ => {
                self.wrong_type(f, name, "an array of strings", spec);
                None
            }
        }
    }
}

/// Checks a value against an allowed set. An exact match passes; a match ignoring ASCII case is
/// a deviation (the ACCC mock compares case-insensitively); anything else is `claim.value`.
/// Returns the canonical allowed value when accepted.
pub(crate) fn one_of(
    f: &mut Findings,
    pointer: Ptr<'_>,
    value: &str,
    allowed: &[&'static str],
    spec: &'static str,
) -> Option<&'static str> {
    if let Some(a) = allowed.iter().find(|a| **a == value) {
        return Some(a);
    }
    if let Some(a) = allowed.iter().find(|a| a.eq_ignore_ascii_case(value)) {
        return f
            .deviation_in(
                (&policy::SSA_VALUE_CASE, &policy::REQUEST_VALUE_CASE),
                pointer,
                format!("\"{}\" differs in case from \"{a}\"", short(value)),
                spec,
            )
            .then_some(*a);
    }
    f.error(codes::CLAIM_VALUE, pointer, format!("\"{}\" is not one of {}", short(value), list(allowed)), spec);
    None
}

/// Length limit in characters → `claim.format`.
pub(crate) fn max_len(f: &mut Findings, pointer: Ptr<'_>, value: &str, max: usize, spec: &'static str) -> bool {
    let n = value.chars().count();
    if n > max {
        f.error(codes::CLAIM_FORMAT, pointer, format!("is {n} characters long; at most {max} are allowed"), spec);
        return false;
    }
    true
}

/// `^[0-9a-zA-Z]{1,max}$`, the OB base62 identifier pattern.
pub(crate) fn is_base62(value: &str, max: usize) -> bool {
    !value.is_empty() && value.len() <= max && value.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A UUIDv4 (`8-4-4-4-12` hex, version 4, variant 8/9/a/b). With `upper_only`, as the OB data
/// dictionary's regex requires.
pub(crate) fn is_uuid_v4(value: &str, upper_only: bool) -> bool {
    let b = value.as_bytes();
    let hex = |c: u8| c.is_ascii_digit() || (b'A'..=b'F').contains(&c) || (!upper_only && (b'a'..=b'f').contains(&c));
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| if matches!(i, 8 | 13 | 18 | 23) { c == b'-' } else { hex(c) })
        && b.get(14) == Some(&b'4')
        && b.get(19).is_some_and(|c| b"89abAB".contains(c))
}

/// JWS algorithm names that exist but are below the FAPI floor.
const NON_FAPI_ALGS: &[&str] = &[
    "none", "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS384", "PS512", "ES384", "ES512", "ES256K",
    "EdDSA", "Ed25519",
];

/// A signing algorithm claim: PS256/ES256 pass; known weaker algorithms are `alg.not_fapi`;
/// anything else is `claim.value`.
pub(crate) fn fapi_signing_alg(f: &mut Findings, pointer: Ptr<'_>, value: &str, spec: &'static str) -> bool {
    match value {
        "PS256" | "ES256" => true,
        v if NON_FAPI_ALGS.contains(&v) => {
            f.error(
                codes::ALG_NOT_FAPI,
                pointer,
                format!("\"{v}\" is not allowed; FAPI requires PS256 or ES256"),
                spec,
            );
            false
        }
        v => {
            f.error(
                codes::CLAIM_VALUE,
                pointer,
                format!("\"{}\" is not a signing algorithm; use PS256 or ES256", short(v)),
                spec,
            );
            false
        }
    }
}

/// `"a", "b" and "c"` for messages.
pub(crate) fn list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
    quoted.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_v4_shapes() {
        assert!(is_uuid_v4("3B1E1AB4-5D6C-4A2E-9F00-0123456789AB", true));
        assert!(!is_uuid_v4("3b1e1ab4-5d6c-4a2e-9f00-0123456789ab", true));
        assert!(is_uuid_v4("3b1e1ab4-5d6c-4a2e-9f00-0123456789ab", false));
        assert!(!is_uuid_v4("3B1E1AB4-5D6C-1A2E-9F00-0123456789AB", false)); // version 1
        assert!(!is_uuid_v4("3B1E1AB4-5D6C-4A2E-7F00-0123456789AB", false)); // variant
        assert!(!is_uuid_v4("1751017082113", false));
        assert!(!is_uuid_v4("3B1E1AB45D6C4A2E9F000123456789AB", false));
    }

    #[test]
    fn base62() {
        assert!(is_base62("oQ4KoaavpOuoE7rvQsZEOV", 22));
        assert!(!is_base62("oQ4KoaavpOuoE7rvQsZEOVx", 22));
        assert!(!is_base62("foo.is/invalid", 22));
        assert!(!is_base62("", 22));
    }
}
