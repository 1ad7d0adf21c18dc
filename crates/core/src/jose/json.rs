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
    // A fault the visitor recorded is the answer whatever serde_json made of the rest.
    match (fault.take(), parsed) {
        (Some(fault), _) => Err(fault),
        (None, Ok(v)) => Ok(v),
        (None, Err(e)) => Err(JsonError::Syntax(format!("{e}"))),
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

/// Appends `s` as a JSON string literal, escaped exactly as `serde_json` escapes it: `"`, `\\`
/// and the control characters below U+0020 (as `\b \f \n \r \t` or `\u00xx`), nothing else.
/// Runs without escapes, nearly all of a report, are found eight bytes at a time and copied whole.
pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let end = start + clean_prefix(bytes.get(start..).unwrap_or_default());
        // `end` is at the end or at an ASCII byte, so both are character boundaries.
        out.push_str(s.get(start..end).unwrap_or_default());
        let Some(&c) = bytes.get(end) else { break };
        match c {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            c => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX.get(usize::from(c >> 4)).copied().unwrap_or(b'0')));
                out.push(char::from(HEX.get(usize::from(c & 0x0f)).copied().unwrap_or(b'0')));
            }
        }
        start = end + 1;
    }
    out.push('"');
}

/// The length of the longest prefix of `b` that needs no escape.
fn clean_prefix(b: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let needs_escape = |c: u8| c < 0x20 || c == b'"' || c == b'\\';
    let mut clean = 0;
    for chunk in b.chunks_exact(8) {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else { break };
        let x = u64::from_le_bytes(word);
        // The classic "has a byte below n" tests: a flagged high bit means a byte below 0x20,
        // or equal to '"' or '\\', somewhere in the word (then the bytes are checked one by one).
        let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x;
        let control = below(x, 0x20);
        let quote = below(x ^ (ONES * u64::from(b'"')), 1);
        let backslash = below(x ^ (ONES * u64::from(b'\\')), 1);
        if (control | quote | backslash) & HIGH != 0 {
            break;
        }
        clean += 8;
    }
    clean + b.get(clean..).unwrap_or_default().iter().take_while(|&&c| !needs_escape(c)).count()
}

/// Appends `v` as compact JSON text, exactly as `serde_json::to_string` writes it (object members
/// in the map's order, numbers as `serde_json::Number` displays them).
pub fn write_value(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => {
            let _ = fmt::Write::write_fmt(out, format_args!("{n}"));
        }
        Value::String(s) => write_str(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (k, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(out, k);
                out.push(':');
                write_value(out, item);
            }
            out.push('}');
        }
    }
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

/// How the visitor refuses (too deep, a repeated name): it records the first fault and returns a
/// placeholder without reading the rest of the container. serde_json then fails on the unread
/// input (or, for an empty container, finishes) and [`parse_strict`] answers with the fault.
/// Not `de::Error::custom`: that brings serde_json's message post-processing into the
/// WebAssembly builds (about 6 KB) for messages nobody reads.
impl ValueSeed<'_> {
    fn refuse(&self, fault: JsonError) -> Value {
        let first = self.fault.take();
        self.fault.set(Some(first.unwrap_or(fault)));
        Value::Null
    }

    fn nested(&self) -> Result<ValueSeed<'_>, Value> {
        let depth = self.depth + 1;
        if depth > self.max_depth {
            return Err(self.refuse(JsonError::TooDeep(self.max_depth)));
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
        let inner = match self.nested() {
            Ok(inner) => inner,
            Err(placeholder) => return Ok(placeholder),
        };
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(inner)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = match self.nested() {
            Ok(inner) => inner,
            Err(placeholder) => return Ok(placeholder),
        };
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Ok(self.refuse(JsonError::DuplicateMember(key)));
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
    fn writes_what_serde_json_writes() {
        let mut text = String::new();
        for c in 0u32..0x90 {
            text.push(char::from_u32(c).unwrap());
        }
        text.push_str("é€😀 \"quoted\" back\\slash");
        let docs = [
            serde_json::json!(null),
            serde_json::json!({"a": [1, -2, 1.5, 1e300, -0.0, 12345678901234567890u64, i64::MIN, true, false, null],
                "": {"nested": [[], {}]}, "é": text.clone(), "k\"ey": "v"}),
            serde_json::json!(text),
            serde_json::json!([0.1, 100.0, 1e-7, 2.5e21, f64::MAX, f64::MIN_POSITIVE]),
        ];
        for doc in docs {
            let mut out = String::new();
            write_value(&mut out, &doc);
            assert_eq!(out, serde_json::to_string(&doc).unwrap());
        }
        for len in 0..40 {
            for at in 0..len {
                for c in ["\"", "\\", "\n", "\u{1}", "\u{1f}", "é"] {
                    let s: String = (0..len).map(|i| if i == at { c.to_owned() } else { "x".to_owned() }).collect();
                    let mut out = String::new();
                    write_str(&mut out, &s);
                    assert_eq!(out, serde_json::to_string(&s).unwrap(), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn short_truncates_long_input() {
        let long = "x".repeat(100);
        assert_eq!(short(&long).chars().count(), 65);
        assert_eq!(short("abc"), "abc");
    }
}
