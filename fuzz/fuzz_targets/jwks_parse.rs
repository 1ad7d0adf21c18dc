//! JWKS parsing and key selection on arbitrary input.
#![no_main]
use dcr_guard_core::Limits;
use dcr_guard_core::jose::{Algorithm, Jwks};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(jwks) = Jwks::parse(data, &Limits::DEFAULT) {
        for alg in Algorithm::ALL {
            let _ = jwks.select(None, alg);
            for e in jwks.entries() {
                let _ = jwks.select(e.kid.as_deref(), alg);
            }
        }
    }
});
