//! The real WSO2 Open Banking sample registration (../shared/fixtures/uk/wso2-sample): a
//! v3.3-style request whose SSA is a mock signed by the TPP's own key. Expectations are the
//! ones the fixtures README documents.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use dcr_guard_core::Limits;
use dcr_guard_core::dcr::{Config, Discovery, Mode, Operation, Profile, Report, Severity, Validator};
use dcr_guard_core::jose::{Jwks, RustCryptoVerifier};

const NOW: i64 = 1_751_017_100; // inside the requests' validity window

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/../../../shared/fixtures/uk/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn jwks(path: &str) -> Jwks {
    Jwks::parse(read(path).as_bytes(), &Limits::DEFAULT).unwrap()
}

fn check(mode: Mode, request: &str, edit: impl FnOnce(&mut Config), directory: &Jwks) -> Report {
    let mut config = Config::new(Profile::UkObieV33, "https://localbank.com");
    config.mode = mode;
    edit(&mut config);
    let software = jwks("wso2-sample/signing.jwks.json");
    Validator::new(config).validate(read(request).trim(), directory, &software, NOW, &RustCryptoVerifier)
}

fn codes(r: &Report, severity: Severity) -> Vec<(&'static str, &str)> {
    r.findings.iter().filter(|f| f.severity == severity).map(|f| (f.code, f.pointer.as_str())).collect()
}

#[test]
fn lenient_accepts_the_sample_with_warnings() {
    let r = check(Mode::Lenient, "wso2-sample/register-post.jws", |_| {}, &jwks("wso2-sample/signing.jwks.json"));
    assert!(r.valid, "{:?}", r.findings);
    assert_eq!(
        codes(&r, Severity::Warning),
        vec![
            ("aud.format", "/request/claims/aud"),
            ("jti.format", "/request/claims/jti"),
            ("scope.openid_missing", "/request/claims/scope"),
        ]
    );
}

#[test]
fn strict_flags_aud_and_jti() {
    let r = check(Mode::Strict, "wso2-sample/register-post.jws", |_| {}, &jwks("wso2-sample/signing.jwks.json"));
    assert_eq!(r.error.map(|e| e.as_str()), Some("invalid_client_metadata"));
    assert_eq!(
        codes(&r, Severity::Error),
        vec![("aud.format", "/request/claims/aud"), ("jti.format", "/request/claims/jti")]
    );
}

#[test]
fn put_is_checked_as_an_update() {
    let update = |c: &mut Config| c.operation = Operation::Update { client_id: "any-client".into() };
    let r = check(Mode::Lenient, "wso2-sample/register-put.jws", update, &jwks("wso2-sample/signing.jwks.json"));
    assert!(r.valid, "{:?}", r.findings);
}

#[test]
fn ozone_discovery_lacks_refresh_token() {
    let ozone = Discovery::parse(read("ozone-discovery.json").as_bytes(), &Limits::DEFAULT).unwrap();
    let with_ozone = |c: &mut Config| c.discovery = Some(ozone);
    let r = check(Mode::Lenient, "wso2-sample/register-post.jws", with_ozone, &jwks("wso2-sample/signing.jwks.json"));
    assert_eq!(codes(&r, Severity::Error), vec![("discovery.unsupported", "/request/claims/grant_types/2")]);
}

#[test]
fn against_another_directory_the_ssa_is_invalid() {
    let other = Jwks::parse(
        std::fs::read(format!("{}/../../../shared/fixtures/au/cds-example-jwks.json", env!("CARGO_MANIFEST_DIR")))
            .unwrap()
            .as_slice(),
        &Limits::DEFAULT,
    )
    .unwrap();
    let r = check(Mode::Lenient, "wso2-sample/register-post.jws", |_| {}, &other);
    assert_eq!(r.error.map(|e| e.as_str()), Some("invalid_software_statement"));
    assert_eq!(codes(&r, Severity::Error), vec![("jwk.kid_not_found", "/ssa")]);
}

#[test]
fn transport_certificate_binds_to_the_ssa() {
    // The transport certificate's subject is the legacy OB shape CN=software_id, OU=org_id.
    let dn = "CN=oQ4KoaavpOuoE7rvQsZEOV, OU=0015800001HQQrZAAX, O=OpenBanking, C=GB";
    let bound = |c: &mut Config| c.client_cert = Some(dcr_guard_core::dcr::ClientCert { subject_dn: dn.into() });
    let r = check(Mode::Lenient, "wso2-sample/register-post.jws", bound, &jwks("wso2-sample/signing.jwks.json"));
    assert!(r.valid, "{:?}", r.findings);
    let stranger = |c: &mut Config| {
        c.client_cert = Some(dcr_guard_core::dcr::ClientCert {
            subject_dn: "CN=x, OU=0015800001041RbAAI, O=OpenBanking, C=GB".into(),
        })
    };
    let r = check(Mode::Lenient, "wso2-sample/register-post.jws", stranger, &jwks("wso2-sample/signing.jwks.json"));
    assert_eq!(codes(&r, Severity::Error), vec![("mtls.client_not_in_ssa", "/ssa/claims/org_id")]);
}
