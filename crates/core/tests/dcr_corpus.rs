//! The DCR corpus (tests/vectors/dcr/*.json): every case through the one-call validator and,
//! where the SSA verifies, through the two-phase API, asserting the verdict, the RFC 7591
//! error, the exact set of error findings and the expected warnings.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use dcr_guard_core::Limits;
use dcr_guard_core::dcr::{Config, Options, Profile, Report, Severity, Validator};
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

/// Builds a `Config` from the manifest's config keys through the shared `Options` (the call
/// parameters `now`, `ssa_jwks` and `software_jwks` are not options; `discovery` names a
/// document of the manifest).
pub fn config(c: &Map<String, Value>, manifest: &Value) -> Config {
    let mut opts = c.clone();
    for call_param in ["now", "ssa_jwks", "software_jwks"] {
        opts.remove(call_param);
    }
    if let Some(Value::String(name)) = opts.get("discovery") {
        let doc = manifest["discovery"][name.as_str()].clone();
        assert!(doc.is_object(), "unknown discovery {name}");
        opts.insert("discovery".into(), doc);
    }
    Options::from_value(Value::Object(opts)).unwrap().into_config(&Limits::DEFAULT).unwrap()
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
            let validator = Validator::new(config(&c, &manifest));
            let ssa_jwks = jwks(&manifest, c["ssa_jwks"].as_str().unwrap());
            let software_jwks = jwks(&manifest, c["software_jwks"].as_str().unwrap());
            let now = c["now"].as_i64().unwrap();
            let token = case["token"].as_str().unwrap();
            let report = validator.validate(token, &ssa_jwks, &software_jwks, now, &RustCryptoVerifier);

            // The two-phase API must agree with the one-call form.
            let insp = validator.inspect(token, &ssa_jwks, now, &RustCryptoVerifier);
            let two_phase = validator.finish(insp, &software_jwks, &RustCryptoVerifier);
            assert_eq!(two_phase, report, "{id}: two-phase and one-call reports differ");

            // A host fetching the directory JWKS learns the statement's kid before any key,
            // from the same decoding the report shows.
            let opened = validator.open(token, now);
            let want_kid = report.ssa.as_ref().and_then(|s| s.header.get("kid")).and_then(Value::as_str);
            assert_eq!(opened.ssa_kid(), want_kid, "{id}: ssa_kid differs from the decoded SSA header");
            let mut insp = validator.attach_directory_jwks(opened, &ssa_jwks);
            while let Some(check) = insp.pending() {
                let ok = dcr_guard_core::jose::verify_signature(&RustCryptoVerifier, &check).is_ok();
                validator.resolve(&mut insp, ok);
            }
            let stepwise = validator.finish(insp, &software_jwks, &RustCryptoVerifier);
            assert_eq!(stepwise, report, "{id}: open + attach_directory_jwks differs from the one-call report");

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
