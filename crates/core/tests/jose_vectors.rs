//! Cross-library JWS vectors (tests/vectors/jose/*.json, minted by npm jose and Python
//! jwcrypto) and RFC 7515 appendix A (tests/vectors/rfc7515.json), one table-driven runner:
//! verdict and exact error code for each.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeMap;

use dcr_guard_core::Limits;
use dcr_guard_core::jose::{Algorithm, AlgorithmPolicy, Jwks, RustCryptoVerifier, verify_compact};
use serde_json::Value;

fn manifests() -> Vec<(String, Value)> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/");
    let mut paths: Vec<_> = std::fs::read_dir(format!("{root}jose")).unwrap().map(|e| e.unwrap().path()).collect();
    paths.push(format!("{root}rfc7515.json").into());
    paths.sort();
    paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap(),
            )
        })
        .collect()
}

/// The JWKS bytes of a vector: a named set of the manifest, or `jwks_raw` as given.
pub fn jwks_bytes(manifest: &Value, v: &Value) -> Vec<u8> {
    match v.get("jwks_raw") {
        Some(raw) => raw.as_str().unwrap().as_bytes().to_vec(),
        None => serde_json::to_vec(&manifest["jwks"][v["jwks"].as_str().unwrap()]).unwrap(),
    }
}

#[test]
fn cross_library_vectors() {
    let mut failures = Vec::new();
    let mut counts: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    for (file, m) in manifests() {
        for v in m["vectors"].as_array().unwrap() {
            let id = v["id"].as_str().unwrap();
            let algs: Vec<Algorithm> = v["algorithms"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| Algorithm::from_name(a.as_str().unwrap()).unwrap())
                .collect();
            let limits = Limits::DEFAULT;
            let got = Jwks::parse(&jwks_bytes(&m, v), &limits).and_then(|jwks| {
                verify_compact(
                    v["token"].as_str().unwrap(),
                    &jwks,
                    AlgorithmPolicy::new(&algs),
                    &limits,
                    &RustCryptoVerifier::new(),
                )
            });
            let got = match &got {
                Ok(verified) => {
                    assert!(!verified.payload().is_empty(), "{id}: empty payload");
                    "valid"
                }
                Err(e) => e.code(),
            };
            let expect = v["expect"].as_str().unwrap();
            if got != expect {
                failures.push(format!("{id}: expected {expect}, got {got}"));
            }
            let entry = counts.entry((file.clone(), v["class"].as_str().unwrap().to_owned())).or_default();
            entry.0 += 1;
            entry.1 += usize::from(expect == "valid");
        }
    }
    for ((file, class), (n, valid)) in &counts {
        println!("{file:16} {class:22} {n:3} vectors ({valid} valid)");
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // Every attack class is present in the jose corpus, so deleting data cannot pass silently.
    for class in [
        "valid",
        "rotation",
        "alg-confusion",
        "header-key-injection",
        "malformed",
        "tampered",
        "signature-length",
        "weak-key",
    ] {
        assert!(counts.contains_key(&("jose.json".to_owned(), class.to_owned())), "jose.json lacks class {class}");
    }
    assert!(counts.keys().any(|(f, _)| f == "jwcrypto.json"), "the jwcrypto vectors are missing");
}
