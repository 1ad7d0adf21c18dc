//! Verification of arbitrary tokens against fixed real-world key sets (RSA and EC).
#![no_main]
use std::sync::LazyLock;

use dcr_guard_core::Limits;
use dcr_guard_core::jose::{AlgorithmPolicy, Jwks, RustCryptoVerifier, verify_compact};
use libfuzzer_sys::fuzz_target;

static KEYS: LazyLock<Vec<Jwks>> = LazyLock::new(|| {
    let sets = [
        include_str!("../../../shared/fixtures/au/cds-example-jwks.json"),
        include_str!("../../../shared/fixtures/uk/wso2-sample/signing.jwks.json"),
        r#"{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}"#,
    ];
    sets.iter().filter_map(|s| Jwks::parse(s.as_bytes(), &Limits::DEFAULT).ok()).collect()
});

fuzz_target!(|data: &[u8]| {
    let Ok(token) = core::str::from_utf8(data) else { return };
    for jwks in KEYS.iter() {
        let _ = verify_compact(token, jwks, AlgorithmPolicy::FAPI, &Limits::DEFAULT, &RustCryptoVerifier);
    }
});
