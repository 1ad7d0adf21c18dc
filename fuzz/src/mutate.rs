//! Structure-aware mutation. Byte-level mutation of a compact JWS almost always breaks its
//! base64url and never reaches the header rules or the claim checks behind it, so the custom
//! mutators here decode a segment, mutate what it encodes (JSON bytes, one claim, the signature
//! bytes, or the nested software statement), and encode it again. One mutation in five stays
//! byte-level so the decoders themselves keep being attacked. libFuzzer's own mutator
//! (`fuzzer_mutate`, which also inserts `-dict` entries) does the low-level changes.

use libfuzzer_sys::fuzzer_mutate;
use serde_json::{Map, Value};

/// A small deterministic generator seeded by libFuzzer (runs stay reproducible with `-seed`).
struct Rng(u64);

impl Rng {
    fn new(seed: u32) -> Rng {
        Rng(u64::from(seed).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// libFuzzer's mutation of `bytes`, allowed to grow to twice the size plus 64 bytes.
fn mutate_bytes(mut bytes: Vec<u8>) -> Vec<u8> {
    let len = bytes.len();
    bytes.resize(len * 2 + 64, 0);
    let cap = bytes.len();
    let n = fuzzer_mutate(&mut bytes, len, cap);
    bytes.truncate(n);
    bytes
}

/// Writes `out` into libFuzzer's buffer if it fits, else falls back to a byte-level mutation.
fn emit(data: &mut [u8], size: usize, max_size: usize, out: Option<Vec<u8>>) -> usize {
    match out {
        Some(out) if !out.is_empty() && out.len() <= max_size && out.len() <= data.len() => {
            data[..out.len()].copy_from_slice(&out);
            out.len()
        }
        _ => fuzzer_mutate(data, size, max_size),
    }
}

/// The custom mutator of the token targets (jws_parse, verify, registration).
pub fn token(data: &mut [u8], size: usize, max_size: usize, seed: u32) -> usize {
    let mut rng = Rng::new(seed);
    if rng.below(5) == 0 {
        return fuzzer_mutate(data, size, max_size);
    }
    let out = std::str::from_utf8(&data[..size]).ok().and_then(|t| mutate_jws(t, &mut rng, 0));
    emit(data, size, max_size, out.map(String::into_bytes))
}

/// The custom mutator of the jwks_parse target: one member of one key, decoded if base64url.
pub fn jwks(data: &mut [u8], size: usize, max_size: usize, seed: u32) -> usize {
    let mut rng = Rng::new(seed);
    if rng.below(4) == 0 {
        return fuzzer_mutate(data, size, max_size);
    }
    let out = serde_json::from_slice::<Value>(&data[..size]).ok().and_then(|mut doc| {
        let keys = doc.get_mut("keys")?.as_array_mut()?;
        if keys.is_empty() {
            return None;
        }
        let i = rng.below(keys.len());
        match rng.below(8) {
            0 => {
                let copy = keys[i].clone();
                keys.push(copy);
            }
            1 => {
                keys.remove(i);
            }
            _ => mutate_member(keys[i].as_object_mut()?, &mut rng),
        }
        serde_json::to_vec(&doc).ok()
    });
    emit(data, size, max_size, out)
}

/// One mutation of a compact JWS; `depth` 0 is the request, 1 its software statement.
fn mutate_jws(token: &str, rng: &mut Rng, depth: u8) -> Option<String> {
    let mut segments: Vec<String> = token.split('.').map(str::to_owned).collect();
    if segments.len() != 3 {
        return None;
    }
    match rng.below(12) {
        // The header: its JSON bytes, or one member.
        0..=1 => segments[0] = mutate_encoded_json(&segments[0], rng)?,
        // The payload: the nested statement (requests only), one claim, or its JSON bytes.
        2..=7 => {
            let bytes = base64url::decode(&segments[1])?;
            let mutated = match serde_json::from_slice::<Value>(&bytes) {
                Ok(Value::Object(mut claims)) if rng.below(3) > 0 => {
                    let nested = claims.get("software_statement").and_then(Value::as_str).map(str::to_owned);
                    match nested {
                        Some(ssa) if depth == 0 && rng.below(2) == 0 => {
                            claims.insert("software_statement".into(), Value::from(mutate_jws(&ssa, rng, 1)?));
                        }
                        _ => mutate_member(&mut claims, rng),
                    }
                    serde_json::to_vec(&claims).ok()?
                }
                _ => mutate_bytes(bytes),
            };
            segments[1] = base64url::encode(&mutated);
        }
        // The signature bytes.
        8..=9 => segments[2] = base64url::encode(&mutate_bytes(base64url::decode(&segments[2])?)),
        // One segment's text as such (padding, alphabet, whitespace, trailing bits).
        10 => {
            let i = rng.below(3);
            segments[i] = String::from_utf8_lossy(&mutate_bytes(segments[i].clone().into_bytes())).into_owned();
        }
        // The structure: a segment dropped, repeated or emptied.
        _ => match rng.below(3) {
            0 => {
                segments.remove(rng.below(3));
            }
            1 => {
                let s = segments[rng.below(3)].clone();
                segments.push(s);
            }
            _ => segments[rng.below(3)].clear(),
        },
    }
    Some(segments.join("."))
}

/// A base64url JSON object segment with one member or its bytes mutated.
fn mutate_encoded_json(segment: &str, rng: &mut Rng) -> Option<String> {
    let bytes = base64url::decode(segment)?;
    let mutated = match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(mut m)) if rng.below(2) == 0 => {
            mutate_member(&mut m, rng);
            serde_json::to_vec(&m).ok()?
        }
        _ => mutate_bytes(bytes),
    };
    Some(base64url::encode(&mutated))
}

/// Names worth adding or replacing: JOSE header members and the DCR claims the rules read.
const NAMES: [&str; 24] = [
    "alg",
    "kid",
    "crit",
    "b64",
    "jwk",
    "typ",
    "iss",
    "aud",
    "exp",
    "iat",
    "nbf",
    "jti",
    "software_statement",
    "redirect_uris",
    "token_endpoint_auth_method",
    "grant_types",
    "response_types",
    "scope",
    "software_id",
    "software_redirect_uris",
    "software_roles",
    "org_status",
    "software_jwks_endpoint",
    "jwks_uri",
];

/// One change to one member of a JSON object: removed, retyped, its string or number nudged,
/// its array edited, or a known name added with another member's value.
fn mutate_member(obj: &mut Map<String, Value>, rng: &mut Rng) {
    let names: Vec<String> = obj.keys().cloned().collect();
    if names.is_empty() || rng.below(8) == 0 {
        let name = NAMES[rng.below(NAMES.len())];
        let value = names.get(rng.below(names.len().max(1))).and_then(|n| obj.get(n)).cloned();
        obj.insert(name.into(), value.unwrap_or(Value::Null));
        return;
    }
    let name = names[rng.below(names.len())].clone();
    let choice = rng.below(10);
    if choice == 0 {
        obj.remove(&name);
        return;
    }
    let Some(value) = obj.get_mut(&name) else { return };
    match choice {
        1 => {
            let replacements = [
                Value::Null,
                Value::Bool(true),
                Value::from(0),
                Value::from(-1),
                Value::from(u64::MAX),
                Value::from(1e300),
                Value::from(""),
                Value::Array(Vec::new()),
                Value::Object(Map::new()),
            ];
            *value = replacements[rng.below(replacements.len())].clone();
        }
        2 => *value = Value::Array(vec![value.clone()]),
        _ => mutate_value(value, rng),
    }
}

/// Mutates a value in place according to its type.
fn mutate_value(value: &mut Value, rng: &mut Rng) {
    match value {
        Value::String(s) => {
            let bytes = mutate_bytes(std::mem::take(s).into_bytes());
            *s = String::from_utf8_lossy(&bytes).into_owned();
        }
        Value::Number(n) => {
            let deltas = [1, -1, 59, 60, 61, -60, 3599, 3600, 3601, 86_400, -86_400, 1 << 31];
            let base = n.as_i64().unwrap_or(0);
            *value = Value::from(base.saturating_add(deltas[rng.below(deltas.len())]));
        }
        Value::Array(items) if !items.is_empty() => {
            let i = rng.below(items.len());
            match rng.below(4) {
                0 => {
                    items.remove(i);
                }
                1 => {
                    let copy = items[i].clone();
                    items.push(copy);
                }
                _ => mutate_value(&mut items[i], rng),
            }
        }
        Value::Object(m) => mutate_member(m, rng),
        Value::Bool(b) => *b = !*b,
        _ => *value = Value::from("x"),
    }
}

/// Strict base64url, as the core decodes it (re-exported so the mutator encodes canonically).
mod base64url {
    pub use dcr_guard_core::jose::base64url::{decode, encode};
}
