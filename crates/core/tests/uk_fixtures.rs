//! The real WSO2 Open Banking sample registration (tests/vectors/fixtures/uk/wso2-sample): a
//! v3.3-style request whose SSA is a mock signed by the TPP's own key, so `signing.jwks.json` is
//! configured as both the directory JWKS and the software JWKS. Expectations are the ones the
//! fixtures README documents; every test asserts the exact codes and pointers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use dcr_guard_core::Limits;
use dcr_guard_core::dcr::{
    ClientCert, Config, Discovery, Operation, Policy, Preset, Profile, Report, Request, Severity, Validator,
};
use dcr_guard_core::jose::{Jwks, RustCryptoVerifier};
use serde_json::Value;

const NOW: i64 = 1_751_017_100; // inside both requests' validity window
const POST: &str = "wso2-sample/register-post.jws";
const PUT: &str = "wso2-sample/register-put.jws";
const SIGNING_JWKS: &str = "wso2-sample/signing.jwks.json";

/// A file of the vendored fixtures (tests/vectors/fixtures), by its path there.
fn fixture(path: &str) -> String {
    format!("{}/../../tests/vectors/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(fixture(&format!("uk/{path}"))).unwrap()
}

fn jwks_from(doc: &Value) -> Jwks {
    Jwks::parse(&serde_json::to_vec(doc).unwrap(), &Limits::DEFAULT).unwrap()
}

fn signing_jwks() -> Jwks {
    Jwks::parse(read(SIGNING_JWKS).as_bytes(), &Limits::DEFAULT).unwrap()
}

/// `signing.jwks.json` with its one key edited (x5c and thumbprints dropped so only `n`/`e` count).
fn edited_signing_jwks(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Jwks {
    let mut doc: Value = serde_json::from_str(&read(SIGNING_JWKS)).unwrap();
    let key = doc["keys"][0].as_object_mut().unwrap();
    for member in ["x5c", "x5t", "x5t#S256"] {
        key.remove(member);
    }
    edit(key);
    jwks_from(&doc)
}

/// A deployment's configuration and one request's own facts.
struct Setup {
    config: Config,
    operation: Operation,
    client_cert: Option<ClientCert>,
}

/// The sample under uk-obie-v3.3 with issuer https://localbank.com (the sample's `aud`).
fn check(mode: Preset, request: &str, edit: impl FnOnce(&mut Setup), directory: &Jwks) -> Report {
    let mut config = Config::new(Profile::UkObieV33, "https://localbank.com");
    config.policy = Policy::preset(mode);
    let mut setup = Setup { config, operation: Operation::Register, client_cert: None };
    edit(&mut setup);
    let token = read(request);
    let request =
        Request::register(token.trim(), NOW).with_operation(setup.operation).with_client_cert(setup.client_cert);
    Validator::new(setup.config).validate(request, directory, &signing_jwks(), &RustCryptoVerifier::new())
}

fn codes(r: &Report, severity: Severity) -> Vec<(&'static str, &str)> {
    r.findings.iter().filter(|f| f.severity == severity).map(|f| (f.code, f.pointer.as_str())).collect()
}

/// What lenient mode reports about the sample: the issuer-URL `aud`, the millisecond-timestamp
/// `jti`, and the hybrid response type without the `openid` scope.
const SAMPLE_WARNINGS: [(&str, &str); 3] = [
    ("aud.format", "/request/claims/aud"),
    ("jti.format", "/request/claims/jti"),
    ("scope.openid_missing", "/request/claims/scope"),
];

#[test]
fn lenient_accepts_the_sample_with_warnings() {
    let r = check(Preset::Mock, POST, |_| {}, &signing_jwks());
    assert!(r.valid, "{:?}", r.findings);
    assert_eq!(r.error, None);
    assert_eq!(codes(&r, Severity::Warning), SAMPLE_WARNINGS);
    let (request, ssa) = (r.request.unwrap(), r.ssa.unwrap());
    assert_eq!(request.signature, dcr_guard_core::dcr::SignatureStatus::Valid);
    assert_eq!(ssa.signature, dcr_guard_core::dcr::SignatureStatus::Valid);
    assert_eq!(request.claims["iss"], ssa.claims["software_id"]);
}

/// The default policy (interop) accepts the sample: the issuer URL as `aud` and WSO2's
/// millisecond `jti` are warnings naming the rule that decided them; an override by rule id or
/// by finding code turns one back into an error.
#[test]
fn interop_accepts_the_sample_and_overrides_apply() {
    let r = check(Preset::Interop, POST, |_| {}, &signing_jwks());
    assert!(r.valid, "{:?}", r.findings);
    let rules: Vec<(&str, Option<&str>)> =
        r.findings.iter().filter(|f| f.severity == Severity::Warning).map(|f| (f.code, f.rule)).collect();
    assert_eq!(
        rules,
        [
            ("aud.format", Some("request.aud_not_org_id")),
            ("jti.format", Some("request.jti_not_uuid")),
            ("scope.openid_missing", None)
        ]
    );
    assert!(r.findings.iter().all(|f| !f.fix.is_empty()), "every finding says what to fix");
    for key in ["request.jti_not_uuid", "jti.format"] {
        let strict_jti = |c: &mut Setup| {
            c.config.policy =
                Policy::preset(Preset::Interop).with_rule(key, dcr_guard_core::dcr::Decision::Error).unwrap()
        };
        let r = check(Preset::Interop, POST, strict_jti, &signing_jwks());
        assert_eq!(codes(&r, Severity::Error), vec![("jti.format", "/request/claims/jti")], "{key}");
    }
}

#[test]
fn strict_flags_aud_and_jti() {
    let r = check(Preset::Spec, POST, |_| {}, &signing_jwks());
    assert!(!r.valid);
    assert_eq!(r.error.map(|e| e.as_str()), Some("invalid_client_metadata"));
    assert_eq!(
        codes(&r, Severity::Error),
        vec![("aud.format", "/request/claims/aud"), ("jti.format", "/request/claims/jti")]
    );
    assert_eq!(codes(&r, Severity::Warning), vec![("scope.openid_missing", "/request/claims/scope")]);
    let description = r.error_description.unwrap();
    assert!(description.contains("https://localbank.com") && description.contains("+1 more error"), "{description}");
}

#[test]
fn an_aud_outside_the_configured_set_is_a_mismatch_in_both_modes() {
    for mode in [Preset::Mock, Preset::Spec] {
        let other_bank = |c: &mut Setup| c.config.issuer = "https://otherbank.example".into();
        let r = check(mode, POST, other_bank, &signing_jwks());
        let errors = codes(&r, Severity::Error);
        assert!(errors.contains(&("aud.mismatch", "/request/claims/aud")), "{mode:?}: {errors:?}");
        assert!(!errors.iter().any(|(c, _)| *c == "aud.format"), "{mode:?}: {errors:?}");
    }
}

#[test]
fn put_is_checked_as_an_update() {
    let update = |c: &mut Setup| c.operation = Operation::Update { client_id: "any-client".into() };
    let r = check(Preset::Mock, PUT, update, &signing_jwks());
    assert!(r.valid, "{:?}", r.findings);
    assert_eq!(codes(&r, Severity::Warning), SAMPLE_WARNINGS);
    let r = check(Preset::Spec, PUT, update, &signing_jwks());
    assert_eq!(
        codes(&r, Severity::Error),
        vec![("aud.format", "/request/claims/aud"), ("jti.format", "/request/claims/jti")]
    );
}

#[test]
fn ozone_discovery_lacks_refresh_token() {
    let ozone = Discovery::parse(read("ozone-discovery.json").as_bytes(), &Limits::DEFAULT).unwrap();
    let with_ozone = |c: &mut Setup| c.config.discovery = Some(ozone);
    let r = check(Preset::Mock, POST, with_ozone, &signing_jwks());
    assert_eq!(r.error.map(|e| e.as_str()), Some("invalid_client_metadata"));
    // The auth method, its signing alg, the other algorithms and the scopes are advertised.
    assert_eq!(codes(&r, Severity::Error), vec![("discovery.unsupported", "/request/claims/grant_types/2")]);
    let warnings = codes(&r, Severity::Warning);
    assert!(warnings.contains(&("discovery.issuer_mismatch", "/discovery/issuer")), "{warnings:?}");
}

#[test]
fn against_a_jwks_without_its_key_the_ssa_is_invalid() {
    // The directory JWKS has no key with the SSA's kid.
    let no_kid = edited_signing_jwks(|k| {
        k.insert("kid".into(), "BkHxeIHKyMKF6SgGwqYzLUvTQfk".into());
    });
    let r = check(Preset::Mock, POST, |_| {}, &no_kid);
    assert_eq!(r.error.map(|e| e.as_str()), Some("invalid_software_statement"));
    assert_eq!(codes(&r, Severity::Error), vec![("jwk.kid_not_found", "/ssa")]);

    // Same kid, another modulus: the signature check itself fails.
    let other_key = edited_signing_jwks(|k| {
        let n = k["n"].as_str().unwrap();
        let (head, tail) = n.split_at(100);
        let flipped = if tail.starts_with('A') { 'B' } else { 'A' };
        k.insert("n".into(), format!("{head}{flipped}{}", &tail[1..]).into());
    });
    let r = check(Preset::Mock, POST, |_| {}, &other_key);
    assert_eq!(r.error.map(|e| e.as_str()), Some("invalid_software_statement"));
    assert_eq!(codes(&r, Severity::Error), vec![("jws.signature_invalid", "/ssa")]);

    // The AU example JWKS (another directory altogether).
    let au = std::fs::read(fixture("au/cds-example-jwks.json"));
    let r = check(Preset::Mock, POST, |_| {}, &Jwks::parse(&au.unwrap(), &Limits::DEFAULT).unwrap());
    assert_eq!(codes(&r, Severity::Error), vec![("jwk.kid_not_found", "/ssa")]);
}

#[test]
fn transport_certificate_binds_to_the_ssa() {
    // transport-cert.pem's subject is the legacy OB shape CN=software_id, OU=org_id.
    for dn in [
        "CN=oQ4KoaavpOuoE7rvQsZEOV, OU=0015800001HQQrZAAX, O=OpenBanking, C=GB",
        "/C=GB/O=OpenBanking/OU=0015800001HQQrZAAX/CN=oQ4KoaavpOuoE7rvQsZEOV",
    ] {
        let bound = |c: &mut Setup| c.client_cert = Some(ClientCert::new(dn));
        let r = check(Preset::Mock, POST, bound, &signing_jwks());
        assert!(r.valid, "{dn}: {:?}", r.findings);
    }
    let stranger =
        |c: &mut Setup| c.client_cert = Some(ClientCert::new("CN=x, OU=0015800001041RbAAI, O=OpenBanking, C=GB"));
    let r = check(Preset::Mock, POST, stranger, &signing_jwks());
    assert_eq!(r.error.map(|e| e.as_str()), Some("invalid_software_statement"));
    assert_eq!(codes(&r, Severity::Error), vec![("mtls.client_not_in_ssa", "/ssa/claims/org_id")]);
}
