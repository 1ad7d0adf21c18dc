//! The checks with I/O (issue 14), driven through the core: the transport certificate against
//! the software key set (real certificates, fingerprints computed by openssl), revoked key sets,
//! Register status and `sector_identifier_uri`. Each asked check must be answered; an unanswered
//! or unavailable one never gives a valid report.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::{Value, json};

use super::policy::{Policy, Preset};
use super::*;
use crate::Limits;
use crate::jose::{Jwks, RustCryptoVerifier};

struct Case {
    config: Config,
    directory: Jwks,
    software: Value,
    now: i64,
    token: String,
}

/// The first valid case of a corpus manifest, with its deployment.
fn corpus_case(text: &str) -> Case {
    let m: Value = serde_json::from_str(text).unwrap();
    let mut opts = m["defaults"].as_object().unwrap().clone();
    let directory = Jwks::from_value(&m["jwks"][opts["ssa_jwks"].as_str().unwrap()], &Limits::DEFAULT).unwrap();
    let software = m["jwks"][opts["software_jwks"].as_str().unwrap()].clone();
    let now = opts["now"].as_i64().unwrap();
    for k in ["now", "ssa_jwks", "software_jwks"] {
        opts.remove(k);
    }
    RequestOptions::take_from(&mut opts).unwrap();
    let config = Options::from_value(Value::Object(opts)).unwrap().into_config(&Limits::DEFAULT).unwrap();
    let case = m["cases"].as_array().unwrap().iter().find(|c| c["expect"]["valid"] == true).unwrap();
    Case { config, directory, software, now, token: case["token"].as_str().unwrap().into() }
}

fn uk() -> Case {
    corpus_case(include_str!("../../../../tests/vectors/dcr/uk-obie-v3.3.json"))
}

fn au() -> Case {
    corpus_case(include_str!("../../../../tests/vectors/dcr/au-cdr.json"))
}

fn au_sector() -> Case {
    let m: Value = serde_json::from_str(include_str!("../../../../tests/vectors/edge/au-sector.json")).unwrap();
    Case {
        config: Config::new(Profile::AuCdr, m["issuer"].as_str().unwrap()),
        directory: Jwks::from_value(&m["register"], &Limits::DEFAULT).unwrap(),
        software: m["adr"].clone(),
        now: m["now"].as_i64().unwrap(),
        token: m["token"].as_str().unwrap().into(),
    }
}

fn certs() -> Value {
    serde_json::from_str(include_str!("../../../../tests/vectors/edge/certs.json")).unwrap()
}

fn hex32(s: &str) -> [u8; 32] {
    let v: Vec<u8> = (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect();
    v.try_into().unwrap()
}

/// A `use: tls` key for a certificate of certs.json, with `x5c`, `x5t#S256` (padded or not) or both.
fn tls_key(name: &str, x5c: bool, x5t: Option<bool>) -> Value {
    let c = &certs()[name];
    let mut k = c["jwk"].clone();
    k["kid"] = json!(format!("tls-{name}"));
    k["use"] = json!("tls");
    if x5c {
        k["x5c"] = json!([c["x5c"]]);
    }
    match x5t {
        Some(false) => k["x5t#S256"] = c["x5t#S256"].clone(),
        Some(true) => k["x5t#S256"] = c["x5t#S256 padded"].clone(),
        None => {}
    }
    k
}

fn with_keys(set: &Value, extra: &[Value]) -> Jwks {
    let mut set = set.clone();
    set["keys"].as_array_mut().unwrap().extend(extra.iter().cloned());
    Jwks::from_value(&set, &Limits::DEFAULT).unwrap()
}

/// The WSO2 sample transport certificate (same software and organisation as the UK corpus).
fn wso2_cert(sha256_of: &str) -> ClientCert {
    ClientCert::new("CN=oQ4KoaavpOuoE7rvQsZEOV,OU=0015800001HQQrZAAX,O=OpenBanking,C=GB")
        .with_sha256_fingerprint(hex32(certs()[sha256_of]["sha256"].as_str().unwrap()))
}

/// What the host answers to each check, and what it saw asked.
#[derive(Default)]
struct Host<'a> {
    revoked: Option<&'a Jwks>,
    status: Option<RegisterStatus<'a>>,
    sector: Option<&'a [u8]>,
    asked: Vec<String>,
}

fn run(c: &Case, config: Config, software: &Jwks, cert: Option<ClientCert>, host: &mut Host<'_>) -> Report {
    let validator = Validator::new(config);
    let verifier = RustCryptoVerifier::new();
    let mut v = validator.start(Request::register(&c.token, c.now).with_client_cert(cert));
    loop {
        v = match v.next() {
            Step::NeedDirectoryJwks(n) => n.provide(&c.directory),
            Step::Verify(check) => check.verify_with(&verifier),
            Step::NeedSoftwareJwks(n) => n.provide(software),
            Step::NeedRevokedJwks(n) => {
                host.asked.push(format!("revoked {:?} {}", n.which(), n.url()));
                match host.revoked {
                    Some(set) => n.provide(set),
                    None => n.unavailable("down"),
                }
            }
            Step::NeedSoftwareStatus(n) => {
                host.asked.push(format!("status {} {:?}", n.software_id(), n.legal_entity_id()));
                match host.status {
                    Some(s) => n.provide(s),
                    None => n.unavailable("no status data"),
                }
            }
            Step::NeedSectorIdentifier(n) => {
                host.asked.push(format!("sector {}", n.url()));
                match host.sector {
                    Some(d) => n.provide_document(d),
                    None => n.unavailable("down"),
                }
            }
            Step::Done(r) => return r,
        };
    }
}

fn errors(r: &Report) -> Vec<&'static str> {
    r.error_codes().collect()
}

fn warnings(r: &Report) -> Vec<&'static str> {
    r.findings.iter().filter(|f| f.severity == Severity::Warning).map(|f| f.code).collect()
}

/// The x5c digest the core computes is the certificate fingerprint openssl computed.
#[test]
fn x5c_digest_is_the_certificate_fingerprint() {
    for name in ["wso2-transport", "wso2-signing", "mock-register-ssa"] {
        let set = Jwks::from_value(&json!({ "keys": [tls_key(name, true, Some(true))] }), &Limits::DEFAULT).unwrap();
        let e = &set.entries()[0];
        let expected = hex32(certs()[name]["sha256"].as_str().unwrap());
        assert_eq!(e.x5c_sha256, Some(expected), "{name}: x5c");
        assert_eq!(e.x5t_s256, Some(expected), "{name}: padded x5t#S256");
        assert!(e.key.is_ok(), "{name}");
    }
    // Not base64, or not an array: no digest (the key is simply not matched by certificate).
    for x5c in [json!(["%%%"]), json!("MIIB"), json!([])] {
        let mut k = tls_key("wso2-transport", false, None);
        k["x5c"] = x5c.clone();
        let set = Jwks::from_value(&json!({ "keys": [k] }), &Limits::DEFAULT).unwrap();
        assert_eq!(set.entries()[0].x5c_sha256, None, "{x5c}");
    }
}

#[test]
fn transport_certificate_must_be_a_tls_key_of_the_software() {
    let c = uk();
    let base = with_keys(&c.software, &[]);
    let x5c = with_keys(&c.software, &[tls_key("wso2-transport", true, None)]);
    let x5t = with_keys(&c.software, &[tls_key("wso2-transport", false, Some(false))]);
    let padded = with_keys(&c.software, &[tls_key("wso2-transport", false, Some(true))]);
    let other = with_keys(&c.software, &[tls_key("wso2-signing", true, None)]);
    let host = &mut Host::default();
    // Matched by x5c[0] or by x5t#S256.
    assert!(run(&c, c.config.clone(), &x5c, Some(wso2_cert("wso2-transport")), host).valid);
    assert!(run(&c, c.config.clone(), &x5t, Some(wso2_cert("wso2-transport")), host).valid);
    // Another certificate, or no tls key at all (UK: required).
    for (set, name) in [(&other, "another tls key"), (&base, "no tls key")] {
        let r = run(&c, c.config.clone(), set, Some(wso2_cert("wso2-transport")), host);
        assert_eq!(errors(&r), ["mtls.cert_not_in_jwks"], "{name}");
        assert_eq!(r.error.map(|e| e.as_str()), Some("invalid_software_statement"));
    }
    // The signing certificate presented as the transport certificate: refused.
    let r = run(&c, c.config.clone(), &x5c, Some(wso2_cert("wso2-signing")), host);
    assert_eq!(errors(&r), ["mtls.cert_not_in_jwks"]);
    // The OB keystore's padded x5t#S256: the rule software_jwks.x5t_padded (an error in the spec
    // preset, a warning in interop) and, when accepted, it matches.
    let mut spec = c.config.clone();
    spec.policy = Policy::preset(Preset::Spec);
    let r = run(&c, spec, &padded, Some(wso2_cert("wso2-transport")), host);
    assert_eq!(errors(&r), ["jwk.x5t_padded"]);
    let mut interop = c.config.clone();
    interop.policy = Policy::preset(Preset::Interop);
    let r = run(&c, interop, &padded, Some(wso2_cert("wso2-transport")), host);
    assert!(r.valid, "{:?}", errors(&r));
    assert_eq!(warnings(&r), ["jwk.x5t_padded"]);
    // Without a fingerprint, or with the check off: the DN binding only.
    let dn_only = ClientCert::new("CN=oQ4KoaavpOuoE7rvQsZEOV,OU=0015800001HQQrZAAX,O=OpenBanking,C=GB");
    assert!(run(&c, c.config.clone(), &base, Some(dn_only), host).valid);
    let mut off = c.config.clone();
    off.transport_cert = TransportCert::Off;
    assert!(run(&c, off, &base, Some(wso2_cert("wso2-transport")), host).valid);
}

#[test]
fn au_transport_certificate_only_when_published() {
    let c = au();
    let host = &mut Host::default();
    let cert = || {
        Some(
            ClientCert::new("CN=adr")
                .with_sha256_fingerprint(hex32(certs()["wso2-transport"]["sha256"].as_str().unwrap())),
        )
    };
    let r = run(&c, c.config.clone(), &with_keys(&c.software, &[]), cert(), host);
    assert!(r.valid, "{:?}", errors(&r));
    assert_eq!(warnings(&r), ["mtls.cert_unchecked"]);
    let r = run(&c, c.config.clone(), &with_keys(&c.software, &[tls_key("wso2-signing", true, None)]), cert(), host);
    assert_eq!(errors(&r), ["mtls.cert_not_in_jwks"]);
    let r = run(&c, c.config.clone(), &with_keys(&c.software, &[tls_key("wso2-transport", true, None)]), cert(), host);
    assert!(r.valid && warnings(&r).is_empty());
}

#[test]
fn revoked_keys_are_refused() {
    let c = uk();
    let mut config = c.config.clone();
    config.revocation = true;
    let software = with_keys(&c.software, &[tls_key("wso2-transport", true, None)]);
    let empty = Jwks::parse(br#"{"keys":[]}"#, &Limits::DEFAULT).unwrap();
    let cert = || Some(wso2_cert("wso2-transport"));
    let mut host = Host { revoked: Some(&empty), ..Host::default() };
    let r = run(&c, config.clone(), &software, cert(), &mut host);
    assert!(r.valid, "{:?}", errors(&r));
    let org = "https://keystore.openbankingtest.org.uk/0015800001HQQrZAAX/revoked/0015800001HQQrZAAX.jwks";
    let sw = "https://keystore.openbankingtest.org.uk/0015800001HQQrZAAX/revoked/oQ4KoaavpOuoE7rvQsZEOV.jwks";
    assert_eq!(host.asked, [format!("revoked Software {sw}"), format!("revoked Organisation {org}")]);
    // The software key set itself as the revoked set: the request's signing key is on it.
    let signing = with_keys(&c.software, &[]);
    let r = run(&c, config.clone(), &software, cert(), &mut Host { revoked: Some(&signing), ..Host::default() });
    assert_eq!(errors(&r), ["revocation.key_revoked", "revocation.key_revoked"]);
    assert_eq!(r.error.map(|e| e.as_str()), Some("unapproved_software_statement"));
    // The transport certificate's key on it.
    let tls = Jwks::from_value(&json!({ "keys": [tls_key("wso2-transport", false, Some(false))] }), &Limits::DEFAULT)
        .unwrap();
    let r = run(&c, config.clone(), &software, cert(), &mut Host { revoked: Some(&tls), ..Host::default() });
    assert_eq!(errors(&r), ["revocation.cert_revoked", "revocation.cert_revoked"]);
    // Unavailable: never valid.
    let r = run(&c, config.clone(), &software, cert(), &mut Host::default());
    assert!(!r.valid);
    assert_eq!(errors(&r), ["check.unavailable", "check.unavailable"]);
    // Off: not asked.
    let mut host = Host::default();
    assert!(run(&c, c.config.clone(), &software, cert(), &mut host).valid);
    assert!(host.asked.is_empty());
}

#[test]
fn register_status_must_be_active() {
    let c = au();
    let mut config = c.config.clone();
    config.register_status = true;
    let software = with_keys(&c.software, &[]);
    let cases: [(RegisterStatus<'_>, &[&str], &[&str]); 6] = [
        (RegisterStatus::new(Some("ACTIVE"), Some("ACTIVE")), &[], &[]),
        (RegisterStatus::new(Some("INACTIVE"), Some("ACTIVE")), &["register.software_inactive"], &[]),
        (
            RegisterStatus::new(Some("REMOVED"), Some("REVOKED")),
            &["register.software_inactive", "register.recipient_inactive"],
            &[],
        ),
        (RegisterStatus::new(Some("ACTIVE"), Some("SUSPENDED")), &["register.recipient_inactive"], &[]),
        (RegisterStatus::new(None, None), &["register.status_unknown", "register.status_unknown"], &[]),
        (RegisterStatus::new(Some("ACTIVE"), Some("ACTIVE")).stale(true), &[], &["register.status_stale"]),
    ];
    for (status, errs, warns) in cases {
        let mut host = Host { status: Some(status), ..Host::default() };
        let r = run(&c, config.clone(), &software, None, &mut host);
        assert_eq!(errors(&r), errs, "{status:?}");
        assert_eq!(warnings(&r), warns, "{status:?}");
        assert_eq!(r.valid, errs.is_empty());
        if !errs.is_empty() {
            assert_eq!(r.error.map(|e| e.as_str()), Some("unapproved_software_statement"));
        }
        assert_eq!(
            host.asked,
            [String::from(
                "status c6327f87-687a-4369-99a4-eaacd3bb8210 Some(\"18b75a76-5821-4c9e-b465-4709291cf0f4\")"
            )]
        );
    }
    let r = run(&c, config, &software, None, &mut Host::default());
    assert_eq!(errors(&r), ["check.unavailable"]);
}

#[test]
fn sector_identifier_document_must_hold_every_redirect_uri() {
    let c = au_sector();
    let mut config = c.config.clone();
    config.sector_identifier = true;
    let software = with_keys(&c.software, &[]);
    let both = br#"["https://adr.example.com.au/consent/callback","https://adr.example.com.au/consent/callback2","https://x.example/cb"]"#;
    let one = br#"["https://adr.example.com.au/consent/callback"]"#;
    let rows: [(&[u8], &[&str]); 6] = [
        (both, &[]),
        (one, &["sector_identifier.mismatch"]),
        (b"[]", &["sector_identifier.mismatch", "sector_identifier.mismatch"]),
        (br#"{"redirect_uris":[]}"#, &["sector_identifier.invalid"]),
        (br#"["https://adr.example.com.au/consent/callback", 7]"#, &["sector_identifier.invalid"]),
        (b"<html>", &["sector_identifier.invalid"]),
    ];
    for (doc, errs) in rows {
        let mut host = Host { sector: Some(doc), ..Host::default() };
        let r = run(&c, config.clone(), &software, None, &mut host);
        assert_eq!(errors(&r), errs, "{}", String::from_utf8_lossy(doc));
        assert_eq!(host.asked, ["sector https://adr.example.com.au/sector.json"]);
        if !errs.is_empty() {
            assert_eq!(r.error.map(|e| e.as_str()), Some("invalid_client_metadata"));
        }
    }
    let r = run(&c, config.clone(), &software, None, &mut Host::default());
    assert_eq!(errors(&r), ["check.unavailable"]);
    // Without the option, the same registration is valid and nothing is asked.
    let mut host = Host::default();
    assert!(run(&c, c.config.clone(), &software, None, &mut host).valid);
    assert!(host.asked.is_empty());
    // Every check on at once: asked in a fixed order, each once.
    config.register_status = true;
    config.revocation = true; // UK only: not asked for AU
    let mut host = Host {
        sector: Some(both),
        status: Some(RegisterStatus::new(Some("ACTIVE"), Some("ACTIVE"))),
        ..Host::default()
    };
    assert!(run(&c, config, &software, None, &mut host).valid);
    assert_eq!(host.asked.len(), 2);
    assert!(host.asked[0].starts_with("status ") && host.asked[1].starts_with("sector "));
}

/// A registration that other findings reject is not fetched for.
#[test]
fn checks_are_asked_only_for_otherwise_valid_registrations() {
    let c = au_sector();
    let mut config = c.config.clone();
    config.sector_identifier = true;
    config.register_status = true;
    config.issuer = "https://another-bank.example".into(); // aud no longer matches
    let mut host = Host::default();
    let r = run(&c, config, &with_keys(&c.software, &[]), None, &mut host);
    assert_eq!(errors(&r), ["aud.mismatch"]);
    assert!(host.asked.is_empty(), "{:?}", host.asked);
}

/// The one-call form cannot answer the checks: never valid with them on.
#[test]
fn one_call_form_with_checks_is_not_valid() {
    let c = au_sector();
    let mut config = c.config.clone();
    config.sector_identifier = true;
    let software = with_keys(&c.software, &[]);
    let r = Validator::new(config).validate(
        Request::register(&c.token, c.now),
        &c.directory,
        &software,
        &RustCryptoVerifier::new(),
    );
    assert!(!r.valid);
    assert_eq!(errors(&r), ["check.unavailable"]);
}

/// The session asks the same checks and refuses answers out of order.
#[test]
fn session_checks_in_order() {
    let c = au_sector();
    let mut config = c.config.clone();
    config.sector_identifier = true;
    config.register_status = true;
    let validator = Validator::new(config);
    let software = with_keys(&c.software, &[]);
    let v = RustCryptoVerifier::new();
    let drive_to_checks = || {
        let mut s = Session::new(&validator, Request::register(&c.token, c.now));
        s.directory_jwks(&c.directory).unwrap();
        s.verify_with(&v);
        s.software_jwks(&software).unwrap();
        s.verify_with(&v);
        s
    };
    let mut s = drive_to_checks();
    assert_eq!(s.awaiting(), Awaiting::SoftwareStatus);
    assert_eq!(
        s.software_status_request(),
        Some(("c6327f87-687a-4369-99a4-eaacd3bb8210", Some("18b75a76-5821-4c9e-b465-4709291cf0f4")))
    );
    s.software_status(RegisterStatus::new(Some("ACTIVE"), Some("ACTIVE"))).unwrap();
    assert_eq!(s.sector_identifier_url(), Some("https://adr.example.com.au/sector.json"));
    s.sector_identifier(
        br#"["https://adr.example.com.au/consent/callback","https://adr.example.com.au/consent/callback2"]"#,
    )
    .unwrap();
    assert!(s.report().unwrap().valid);
    // Out of order: the sector document while the status is awaited; a report before the checks.
    let mut s = drive_to_checks();
    assert!(s.sector_identifier(b"[]").is_err());
    assert!(s.report().is_err());
    let mut s = drive_to_checks();
    assert!(s.report().is_err(), "a report while a check is awaited");
    assert_eq!(s.awaiting(), Awaiting::Nothing);
    let mut s = drive_to_checks();
    let empty = Jwks::parse(br#"{"keys":[]}"#, &Limits::DEFAULT).unwrap();
    assert!(s.revoked_jwks(&empty).is_err(), "a revoked set nobody asked for");
    assert!(s.report().is_err());
    // `unavailable` answers the awaited check and the report is not valid.
    let mut s = drive_to_checks();
    s.unavailable("no status data").unwrap();
    s.sector_identifier(
        br#"["https://adr.example.com.au/consent/callback","https://adr.example.com.au/consent/callback2"]"#,
    )
    .unwrap();
    let r = s.report().unwrap();
    assert!(!r.valid);
    assert_eq!(errors(&r), ["check.unavailable"]);
    // `unavailable` while a key set is awaited is out of order.
    let mut s = Session::new(&validator, Request::register(&c.token, c.now));
    assert!(s.unavailable("x").is_err());
    assert!(s.report().is_err());
}
