//! Step by step, as a host that fetches drives the core (the Worker does this with async I/O):
//! the validation says what it needs next, the host does the I/O and answers. The software key
//! set is asked for only after the statement verified, through the core's fetch guard, and each
//! signature is answered by whatever backend the host has (here RustCrypto; in a Worker,
//! WebCrypto).
//!
//! `cargo run -p dcr-guard-core --example stepwise`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dcr_guard_core::Limits;
use dcr_guard_core::dcr::{Config, Profile, Request, Step, Validator};
use dcr_guard_core::jose::{Jwks, RustCryptoVerifier, Verifier};

fn main() -> Result<(), &'static str> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/fixtures/uk/wso2-sample");
    let read = |name: &str| std::fs::read(format!("{dir}/{name}")).expect("the committed fixture");
    let token = String::from_utf8(read("register-post.jws")).unwrap();
    let keys = Jwks::parse(&read("signing.jwks.json"), &Limits::DEFAULT).unwrap();
    // The sample's statement names a URL on the OB test keystore, which the UK profile's default
    // fetch guard allows.
    let validator = Validator::new(Config::new(Profile::UkObieV33, "https://localbank.com"));
    let verifier = RustCryptoVerifier::new();

    let mut validation = validator.start(Request::update(token.trim(), 1_751_017_100, "the-client-id"));
    let report = loop {
        validation = match validation.next() {
            Step::NeedDirectoryJwks(need) => {
                // A host with a cache refreshes it once for an unknown kid.
                println!("directory key set needed (statement kid {:?})", need.kid());
                need.provide(&keys)
            }
            Step::Verify(check) => {
                // Any backend: synchronous here; an async host awaits its crypto, then answers.
                let ok = verifier.verify(&check.check());
                println!("verify the {:?} signature: {ok}", check.signed());
                check.answer(ok)
            }
            Step::NeedSoftwareJwks(need) => match need.fetch_target() {
                Ok(host) => {
                    println!("fetch {} from {host} (request kid {:?})", need.url(), need.kid());
                    need.provide(&keys)
                }
                // The guard refuses: the report says so (jwks.url_refused); nothing is fetched.
                Err(why) => break need.refuse(why),
            },
            Step::Done(report) => break report,
            // A step this host does not know (`Step` is non-exhaustive): no verdict, fail closed.
            _ => return Err("a step this host does not know: no verdict"),
        };
    };
    println!("valid: {} error: {:?}", report.valid, report.error.map(|e| e.as_str()));
    assert!(report.valid, "{:?}", report.findings);
    Ok(())
}
