//! Wycheproof RSASSA-PSS and ECDSA-P1363 vectors through the core's one verification path
//! (`verify_signature`: shape checks, then the backend), table-driven over committed files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use dcr_guard_core::Limits;
use dcr_guard_core::jose::{
    Algorithm, Jwks, KeyMaterial, PublicKey, RustCryptoVerifier, SignatureCheck, verify_signature,
};
use serde_json::{Value, json};

/// How a file's stated results are applied.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// valid must verify, invalid must not, acceptable may go either way.
    Honour,
    /// A salt-length-0 file: PS256 (salt exactly 32) must reject every case except the one
    /// whose signature was re-made with salt length 32, which it must accept.
    OnlySalt32,
}

const FILES: &[(&str, Algorithm, Expect)] = &[
    ("rsa_pss_2048_sha256_mgf1_32_test.json", Algorithm::Ps256, Expect::Honour),
    ("rsa_pss_3072_sha256_mgf1_32_test.json", Algorithm::Ps256, Expect::Honour),
    ("rsa_pss_4096_sha256_mgf1_32_test.json", Algorithm::Ps256, Expect::Honour),
    ("ecdsa_secp256r1_sha256_p1363_test.json", Algorithm::Es256, Expect::Honour),
    ("rsa_pss_2048_sha256_mgf1_0_test.json", Algorithm::Ps256, Expect::OnlySalt32),
];

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex");
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// The group's key: through our JWK parser when the file has a JWK, else from the raw numbers.
fn group_key(group: &Value, alg: Algorithm) -> PublicKey {
    if let Some(jwk) = group.get("publicKeyJwk") {
        let jwks = Jwks::from_value(&json!({ "keys": [jwk] }), &Limits::DEFAULT).unwrap();
        return jwks.select(None, alg).unwrap().clone();
    }
    let pk = &group["publicKey"];
    let material =
        KeyMaterial::Rsa { n: hex(pk["modulus"].as_str().unwrap()), e: hex(pk["publicExponent"].as_str().unwrap()) };
    PublicKey::from_material(None, material).unwrap()
}

#[test]
fn wycheproof_vectors() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/wycheproof/");
    for (file, alg, expect) in FILES {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(format!("{dir}{file}")).unwrap()).unwrap();
        let (mut ran, mut accepted, mut acceptable) = (0usize, 0usize, 0usize);
        for group in doc["testGroups"].as_array().unwrap() {
            let key = group_key(group, *alg);
            for t in group["tests"].as_array().unwrap() {
                let msg = hex(t["msg"].as_str().unwrap());
                let sig = hex(t["sig"].as_str().unwrap());
                let check = SignatureCheck { alg: *alg, key: &key, signing_input: &msg, signature: &sig };
                let ok = verify_signature(&RustCryptoVerifier::new(), &check).is_ok();
                let result = t["result"].as_str().unwrap();
                let id = t["tcId"].as_u64().unwrap();
                match (expect, result) {
                    (Expect::Honour, "valid") => assert!(ok, "{file} tc {id} must verify"),
                    (Expect::Honour, "invalid") => assert!(!ok, "{file} tc {id} must be rejected"),
                    (Expect::Honour, "acceptable") => acceptable += 1,
                    (Expect::OnlySalt32, _) => {
                        let salt32 = t["comment"] == "s_len changed to 32";
                        assert_eq!(ok, salt32, "{file} tc {id}: only salt length 32 may verify");
                    }
                    (_, other) => panic!("{file} tc {id}: unknown result {other}"),
                }
                ran += 1;
                accepted += usize::from(ok);
            }
        }
        assert_eq!(ran as u64, doc["numberOfTests"].as_u64().unwrap(), "{file}: every case ran");
        println!("{file}: {ran} cases, {accepted} accepted, {acceptable} acceptable");
    }
}
