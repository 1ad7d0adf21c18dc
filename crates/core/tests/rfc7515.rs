//! RFC 7515 appendix A examples (tests/vectors/rfc7515.json), table-driven.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use dcr_guard_core::Limits;
use dcr_guard_core::jose::{Algorithm, AlgorithmPolicy, Jwks, RustCryptoVerifier, note, verify_compact};
use serde_json::Value;

fn manifest() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/rfc7515.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn rfc7515_appendix_a() {
    let m = manifest();
    let vectors = m["vectors"].as_array().unwrap();
    assert!(vectors.len() >= 6);
    for v in vectors {
        let id = v["id"].as_str().unwrap();
        let set = serde_json::to_vec(&m["jwks"][v["jwks"].as_str().unwrap()]).unwrap();
        let jwks = Jwks::parse(&set, &Limits::DEFAULT).unwrap();
        let algs: Vec<Algorithm> = v["algorithms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| Algorithm::from_name(a.as_str().unwrap()).unwrap())
            .collect();
        let got = verify_compact(
            v["token"].as_str().unwrap(),
            &jwks,
            AlgorithmPolicy::new(&algs),
            &Limits::DEFAULT,
            &RustCryptoVerifier,
        );
        let got = match got {
            Ok(_) => "valid",
            Err(e) => e.code(),
        };
        assert_eq!(got, v["expect"].as_str().unwrap(), "{id}");
    }
}

#[test]
fn private_jwk_members_are_reported() {
    let m = manifest();
    let set = serde_json::to_vec(&m["jwks"]["a3"]).unwrap();
    let jwks = Jwks::parse(&set, &Limits::DEFAULT).unwrap();
    assert_eq!(jwks.notes().len(), 1);
    assert_eq!(jwks.notes()[0].code, note::PRIVATE_MEMBER);
}
