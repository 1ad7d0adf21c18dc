//! Full registration validation (every profile, both modes) of arbitrary request tokens.
#![no_main]
use std::sync::LazyLock;

use dcr_guard_core::Limits;
use dcr_guard_core::dcr::{Config, Mode, Profile, Validator};
use dcr_guard_core::jose::{Jwks, RustCryptoVerifier};
use libfuzzer_sys::fuzz_target;

static JWKS: LazyLock<Jwks> = LazyLock::new(|| {
    let s = include_str!("../../../shared/fixtures/uk/wso2-sample/signing.jwks.json");
    Jwks::parse(s.as_bytes(), &Limits::DEFAULT).expect("fixture JWKS parses")
});

static VALIDATORS: LazyLock<Vec<Validator>> = LazyLock::new(|| {
    let mut v = Vec::new();
    for profile in Profile::ALL {
        for mode in [Mode::Strict, Mode::Lenient] {
            let mut c = Config::new(profile, "https://localbank.com");
            c.mode = mode;
            c.audiences = vec!["0015800001041RbAAI".into()];
            v.push(Validator::new(c));
        }
    }
    v
});

fuzz_target!(|data: &[u8]| {
    let Ok(token) = core::str::from_utf8(data) else { return };
    for validator in VALIDATORS.iter() {
        let report = validator.validate(token, &JWKS, &JWKS, 1_751_017_100, &RustCryptoVerifier);
        if let Some(d) = &report.error_description {
            assert!(d.len() <= 500);
        }
        assert_eq!(report.valid, report.error.is_none());
    }
});
