//! Strict JSON parsing: `serde_json` does the lexing and unescaping, a seeded visitor adds what
//! it lacks — a nesting-depth limit and rejection of duplicate member names (RFC 7515 §4 and
//! RFC 8259 §4 leave duplicates to the parser; JOSE says reject them, because two parsers that
//! keep different duplicates disagree on what was signed).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::Cell;
use core::fmt;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Why a JSON document was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonError {
    /// Not valid JSON (or not UTF-8), with serde_json's description.
    Syntax(String),
    /// An object holds the same member name twice.
    DuplicateMember(String),
    /// Nesting deeper than the limit.
    TooDeep(usize),
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonError::Syntax(s) => write!(f, "not valid JSON ({s})"),
            JsonError::DuplicateMember(m) => write!(f, "duplicate member name \"{}\"", short(m)),
            JsonError::TooDeep(limit) => write!(f, "JSON nested deeper than {limit} levels"),
        }
    }
}

/// Parses `bytes` as one JSON value, refusing duplicate member names and nesting deeper than
/// `max_depth` (the outermost array or object is depth 1).
pub fn parse_strict(bytes: &[u8], max_depth: usize) -> Result<Value, JsonError> {
    let fault = Cell::new(None);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let seed = ValueSeed { depth: 0, max_depth, fault: &fault };
    let parsed = seed.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    match parsed {
        Ok(v) => Ok(v),
        Err(e) => Err(fault.take().unwrap_or_else(|| JsonError::Syntax(format!("{e}")))),
    }
}

/// Truncates a string taken from input before it goes into a message.
pub(crate) fn short(s: &str) -> String {
    const MAX: usize = 64;
    if s.chars().count() <= MAX {
        return s.into();
    }
    let mut out: String = s.chars().take(MAX).collect();
    out.push('…');
    out
}

#[derive(Clone, Copy)]
struct ValueSeed<'a> {
    depth: usize,
    max_depth: usize,
    fault: &'a Cell<Option<JsonError>>,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl ValueSeed<'_> {
    fn nested<E: de::Error>(&self) -> Result<ValueSeed<'_>, E> {
        let depth = self.depth + 1;
        if depth > self.max_depth {
            self.fault.set(Some(JsonError::TooDeep(self.max_depth)));
            return Err(E::custom("too deep"));
        }
        Ok(ValueSeed { depth, max_depth: self.max_depth, fault: self.fault })
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.into()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = self.nested()?;
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(inner)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = self.nested()?;
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                self.fault.set(Some(JsonError::DuplicateMember(key)));
                return Err(de::Error::custom("duplicate member"));
            }
            let v = map.next_value_seed(inner)?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_nested_within_limit() {
        let v = parse_strict(br#" {"a":[1,{"b":null}],"c":"\u0041"} "#, 3);
        assert_eq!(v, Ok(serde_json::json!({"a":[1,{"b":null}],"c":"A"})));
    }

    #[test]
    fn rejects_too_deep() {
        assert_eq!(parse_strict(br#"{"a":[{"b":1}]}"#, 2), Err(JsonError::TooDeep(2)));
        assert_eq!(parse_strict(b"[[[]]]", 2), Err(JsonError::TooDeep(2)));
        assert!(parse_strict(b"[[]]", 2).is_ok());
    }

    #[test]
    fn rejects_duplicates_even_when_escaped() {
        assert_eq!(
            parse_strict(br#"{"alg":"PS256","\u0061lg":"none"}"#, 4),
            Err(JsonError::DuplicateMember("alg".into()))
        );
        assert_eq!(parse_strict(br#"{"x":{"k":1,"k":2}}"#, 4), Err(JsonError::DuplicateMember("k".into())));
    }

    #[test]
    fn rejects_syntax_and_trailing_data() {
        assert!(matches!(parse_strict(b"{\"a\":1}x", 4), Err(JsonError::Syntax(_))));
        assert!(matches!(parse_strict(b"\xEF\xBB\xBF{}", 4), Err(JsonError::Syntax(_))));
        assert!(matches!(parse_strict(b"{\"a\":\"\\ud800\"}", 4), Err(JsonError::Syntax(_))));
        assert!(matches!(parse_strict(b"", 4), Err(JsonError::Syntax(_))));
    }

    #[test]
    fn deep_input_never_overflows_the_stack() {
        let mut deep = alloc::vec![b'['; 100_000];
        deep.extend(core::iter::repeat_n(b']', 100_000));
        assert_eq!(parse_strict(&deep, 16), Err(JsonError::TooDeep(16)));
    }

    #[test]
    fn short_truncates_long_input() {
        let long = "x".repeat(100);
        assert_eq!(short(&long).chars().count(), 65);
        assert_eq!(short("abc"), "abc");
    }
}
