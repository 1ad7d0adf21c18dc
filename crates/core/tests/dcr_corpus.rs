//! The DCR corpus (tests/vectors/dcr/*.json): every case through the one-call validator and
//! step by step through the driver, asserting the verdict, the RFC 7591 error, the exact set of
//! error findings and the expected warnings.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use dcr_guard_core::Limits;
use dcr_guard_core::dcr::{Config, Options, Profile, Report, RequestOptions, Severity, Step, Validator};
use dcr_guard_core::jose::{Jwks, RustCryptoVerifier};
use serde_json::{Map, Value};

fn dir() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/dcr/").to_owned()
}

/// The case's config: manifest defaults overlaid with the case's overrides.
fn merged(defaults: &Value, overrides: Option<&Value>) -> Map<String, Value> {
    let mut c = defaults.as_object().cloned().unwrap_or_default();
    if let Some(Value::Object(o)) = overrides {
        for (k, v) in o {
            c.insert(k.clone(), v.clone());
        }
    }
    c
}

/// Builds a `Config` and the per-request options from the manifest's config keys through the
/// shared `Options` (the call parameters `now`, `ssa_jwks` and `software_jwks` are not options;
/// `discovery` names a document of the manifest).
pub fn config(c: &Map<String, Value>, manifest: &Value) -> (Config, RequestOptions) {
    let mut opts = c.clone();
    for call_param in ["now", "ssa_jwks", "software_jwks"] {
        opts.remove(call_param);
    }
    let per_request = RequestOptions::take_from(&mut opts).unwrap();
    if let Some(Value::String(name)) = opts.get("discovery") {
        let doc = manifest["discovery"][name.as_str()].clone();
        assert!(doc.is_object(), "unknown discovery {name}");
        opts.insert("discovery".into(), doc);
    }
    (Options::from_value(Value::Object(opts)).unwrap().into_config(&Limits::DEFAULT).unwrap(), per_request)
}

fn jwks(manifest: &Value, name: &str) -> Jwks {
    let bytes = serde_json::to_vec(&manifest["jwks"][name]).unwrap();
    Jwks::parse(&bytes, &Limits::DEFAULT).unwrap()
}

fn pairs(report: &Report, severity: Severity) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = report
        .findings
        .iter()
        .filter(|f| f.severity == severity)
        .map(|f| (f.code.to_owned(), f.pointer.clone()))
        .collect();
    v.sort();
    v
}

fn expected_pairs(list: &Value) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["code"].as_str().unwrap().to_owned(), e["pointer"].as_str().unwrap().to_owned()))
        .collect();
    v.sort();
    v
}

#[test]
fn dcr_corpus() {
    let mut files: Vec<_> = std::fs::read_dir(dir()).unwrap().map(|e| e.unwrap().path()).collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    let mut total = 0;
    let mut failures = Vec::new();
    let mut profiles = std::collections::BTreeSet::new();
    for path in &files {
        let manifest: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let cases = manifest["cases"].as_array().unwrap();
        for case in cases {
            let id = case["id"].as_str().unwrap();
            let c = merged(&manifest["defaults"], case.get("config"));
            profiles.insert(c["profile"].as_str().unwrap().to_owned());
            let (config, per_request) = config(&c, &manifest);
            let validator = Validator::new(config);
            let ssa_jwks = jwks(&manifest, c["ssa_jwks"].as_str().unwrap());
            let software_jwks = jwks(&manifest, c["software_jwks"].as_str().unwrap());
            let now = c["now"].as_i64().unwrap();
            let token = case["token"].as_str().unwrap();
            let request = || per_request.request(token, now).unwrap();
            let verifier = RustCryptoVerifier::new();
            let report = validator.validate(request(), &ssa_jwks, &software_jwks, &verifier);

            // Step by step, as a fetching host drives it: the statement's kid is known before
            // any key (from the same decoding the report shows), the software key set is asked
            // for only after the statement verified, and the report is the one-call report.
            let want_kid = report.ssa.as_ref().and_then(|s| s.header.get("kid")).and_then(Value::as_str);
            let mut validation = validator.start(request());
            let mut asked_software = false;
            let stepwise = loop {
                validation = match validation.next() {
                    Step::NeedDirectoryJwks(need) => {
                        assert_eq!(need.kid(), want_kid, "{id}: the directory step's kid differs from the SSA header");
                        need.provide(&ssa_jwks)
                    }
                    Step::Verify(check) => check.verify_with(&verifier),
                    Step::NeedSoftwareJwks(need) => {
                        asked_software = true;
                        assert!(
                            need.validation().verified_ssa_claims().is_some(),
                            "{id}: fetch before the SSA verified"
                        );
                        need.provide(&software_jwks)
                    }
                    Step::Done(r) => break r,
                    _ => unreachable!(),
                };
            };
            assert_eq!(stepwise, report, "{id}: the stepwise report differs from the one-call report");
            if report.valid {
                assert!(asked_software, "{id}: valid without the software key set");
            }

            let expect = &case["expect"];
            let got_errors = pairs(&report, Severity::Error);
            let got_warnings = pairs(&report, Severity::Warning);
            let want_errors = expected_pairs(&expect["errors"]);
            let want_warnings = expected_pairs(&expect["warnings"]);
            let error = report.error.map(|e| e.as_str());
            let ok = report.valid == expect["valid"].as_bool().unwrap()
                && error == expect["error"].as_str()
                && got_errors == want_errors
                && want_warnings.iter().all(|w| got_warnings.contains(w));
            if !ok {
                failures.push(format!(
                    "{id} ({}):\n  expected error {:?} errors {want_errors:?} warnings ⊇ {want_warnings:?}\n  got      error {error:?} errors {got_errors:?} warnings {got_warnings:?}",
                    path.file_name().unwrap().to_string_lossy(),
                    expect["error"].as_str()
                ));
            }
            if let Some(d) = &report.error_description {
                assert!(
                    d.len() <= 500 && d.bytes().all(|b| (0x20..=0x7e).contains(&b) && b != b'"' && b != b'\\'),
                    "{id}"
                );
            }
            total += 1;
        }
        println!("{}: {} cases", path.file_name().unwrap().to_string_lossy(), cases.len());
    }
    println!("{total} cases, {} failed", failures.len());
    // Deleting data must not make this pass: every profile has its corpus.
    let all: std::collections::BTreeSet<String> = Profile::ALL.iter().map(|p| p.name().to_owned()).collect();
    assert_eq!(profiles, all, "every profile needs corpus cases");
    assert!(total >= 500, "the corpus shrank to {total} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The corpus's descriptive-claim cases under each preset: a too-long `software_client_name`
/// or a logo that is not a URI in a directory-signed statement is an error under `spec` and a
/// warning (rule `ssa.descriptive_shape`) under `interop` and `mock`.
#[test]
fn descriptive_statement_claims_follow_the_policy() {
    let mut checked = 0;
    for v in ["v3.1", "v3.2", "v3.3", "v3.4"] {
        let path = format!("{}uk-obie-{v}.json", dir());
        let manifest: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for case in manifest["cases"].as_array().unwrap() {
            let id = case["id"].as_str().unwrap();
            if !(id.ends_with("/ssa-client-name-too-long") || id.ends_with("/ssa-logo-not-uri")) {
                continue;
            }
            let mut c = merged(&manifest["defaults"], case.get("config"));
            for (preset, valid) in [("spec", false), ("interop", true), ("mock", true)] {
                c.remove("mode");
                c.insert("policy".into(), preset.into());
                let (config, per_request) = config(&c, &manifest);
                let validator = Validator::new(config);
                let (ssa, software) = (
                    jwks(&manifest, c["ssa_jwks"].as_str().unwrap()),
                    jwks(&manifest, c["software_jwks"].as_str().unwrap()),
                );
                let request = per_request.request(case["token"].as_str().unwrap(), c["now"].as_i64().unwrap()).unwrap();
                let r = validator.validate(request, &ssa, &software, &RustCryptoVerifier::new());
                assert_eq!(r.valid, valid, "{id} under {preset}: {:?}", r.findings);
                let shape = r.findings.iter().find(|f| f.pointer.starts_with("/ssa/claims/software_")).unwrap();
                assert_eq!(shape.rule, Some("ssa.descriptive_shape"), "{id} under {preset}");
                assert_eq!(
                    shape.severity,
                    if valid { Severity::Warning } else { Severity::Error },
                    "{id} under {preset}"
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 4 * 2 * 3);
}
