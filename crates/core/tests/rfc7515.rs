//! RFC 7515 appendix A: the vectors in tests/vectors/rfc7515.json run in jose_vectors.rs; this
//! file checks what the verdict alone does not show.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use dcr_guard_core::Limits;
use dcr_guard_core::jose::{Jwks, note};
use serde_json::Value;

fn manifest() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/rfc7515.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn private_jwk_members_are_reported() {
    let m = manifest();
    let set = serde_json::to_vec(&m["jwks"]["a3"]).unwrap();
    let jwks = Jwks::parse(&set, &Limits::DEFAULT).unwrap();
    assert_eq!(jwks.notes().len(), 1);
    assert_eq!(jwks.notes()[0].code, note::PRIVATE_MEMBER);
}
