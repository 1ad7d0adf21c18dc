//! One call: both key sets at hand (a CLI, a test, a batch job). Validates the committed WSO2
//! sample registration (tests/vectors/fixtures/uk/wso2-sample) as a UK v3.3 bank would, with
//! the default policy, and prints the verdict and every finding.
//!
//! `cargo run -p dcr-guard-core --example one_call`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dcr_guard_core::Limits;
use dcr_guard_core::dcr::{Config, Profile, Request, Validator};
use dcr_guard_core::jose::{Jwks, RustCryptoVerifier};

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/fixtures/uk/wso2-sample");
    let read = |name: &str| std::fs::read(format!("{dir}/{name}")).expect("the committed fixture");
    let token = String::from_utf8(read("register-post.jws")).unwrap();
    // The sample's statement is signed by the TPP's own key (a mock), so that key set is the
    // "directory" here too.
    let keys = Jwks::parse(&read("signing.jwks.json"), &Limits::DEFAULT).unwrap();

    // Once per deployment: the profile, the bank's issuer (and audiences), the policy.
    let validator = Validator::new(Config::new(Profile::UkObieV33, "https://localbank.com"));
    // Once per process or thread: the verifier keeps the keys it imported.
    let verifier = RustCryptoVerifier::new();

    // Per request: the token and the time (the core never reads a clock).
    let report = validator.validate(Request::register(token.trim(), 1_751_017_100), &keys, &keys, &verifier);
    println!("valid: {} error: {:?}", report.valid, report.error.map(|e| e.as_str()));
    for f in &report.findings {
        println!(
            "  {} {} at {} (rule {:?}): {} — fix: {}",
            f.severity.as_str(),
            f.code,
            f.pointer,
            f.rule,
            f.message,
            f.fix
        );
    }
    assert!(report.valid);
}
