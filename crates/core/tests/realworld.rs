//! The real-world corpus (tests/vectors/realworld/manifest.json): registrations that real tools
//! and projects produced or build, through the validator in both modes, asserting today's verdict,
//! RFC 7591 error and exact multiset of error findings per mode (`expect`). It also prints how
//! each policy preset fares and which registrations their own source accepts but the default
//! `interop` refuses (each must say why, in `interop_refusal`): that
//! list documents a known gap and never fails the test; an unmet `expect` always does.
//!
//! `REALWORLD_RECORD=1` writes the observed verdicts to `$CARGO_TARGET_TMPDIR/realworld-observed.json`
//! instead of asserting (merge them with `node tests/vectors/gen/gen-realworld.mjs --expect FILE`
//! after reviewing them).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use dcr_guard_core::Limits;
use dcr_guard_core::dcr::{Options, RequestOptions, Severity, Validator};
use dcr_guard_core::jose::{Jwks, RustCryptoVerifier};
use serde_json::{Map, Value, json};

/// The policy presets, each asserted; `interop` is the default.
const MODES: [&str; 3] = ["interop", "spec", "mock"];

fn dir() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/realworld/").to_owned()
}

fn read(relative: &str) -> String {
    let path = format!("{}{relative}", dir());
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// One mode's outcome in the manifest's `expect` form.
#[derive(Debug, PartialEq)]
struct Outcome {
    valid: bool,
    error: Option<String>,
    /// (code, pointer) of every error finding, sorted: compared as a multiset.
    errors: Vec<(String, String)>,
}

impl Outcome {
    fn from_expect(v: &Value) -> Outcome {
        let mut errors: Vec<(String, String)> = v["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["code"].as_str().unwrap().to_owned(), e["pointer"].as_str().unwrap().to_owned()))
            .collect();
        errors.sort();
        Outcome { valid: v["valid"].as_bool().unwrap(), error: v["error"].as_str().map(str::to_owned), errors }
    }

    fn to_expect(&self) -> Value {
        let errors: Vec<Value> = self.errors.iter().map(|(c, p)| json!({"code": c, "pointer": p})).collect();
        json!({"valid": self.valid, "error": self.error, "errors": errors})
    }

    /// The README table's cell for this outcome.
    fn cell(&self) -> String {
        match (&self.valid, &self.error) {
            (true, _) => "accept".to_owned(),
            (false, e) => format!("reject `{}`", e.as_deref().unwrap_or("-")),
        }
    }

    fn codes(&self) -> String {
        let codes: Vec<String> = self.errors.iter().map(|(c, p)| format!("{c} {p}")).collect();
        codes.join(", ")
    }
}

/// The one call into the core: options as data, both key sets as bytes, the injected time.
/// Kept to this small surface (Options, Validator::new, Jwks::parse, validate) so it is easy to
/// port when the validation API changes.
fn validate(options: Value, token: &str, ssa_jwks: &[u8], software_jwks: &[u8], now: i64) -> Outcome {
    let Value::Object(mut options) = options else { panic!("options must be an object") };
    let per_request = RequestOptions::take_from(&mut options).unwrap();
    let config = Options::from_value(Value::Object(options)).unwrap().into_config(&Limits::DEFAULT).unwrap();
    let validator = Validator::new(config);
    let ssa_jwks = Jwks::parse(ssa_jwks, &Limits::DEFAULT).unwrap();
    let software_jwks = Jwks::parse(software_jwks, &Limits::DEFAULT).unwrap();
    let request = per_request.request(token, now).unwrap();
    let report = validator.validate(request, &ssa_jwks, &software_jwks, &RustCryptoVerifier::new());
    let mut errors: Vec<(String, String)> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| (f.code.to_owned(), f.pointer.clone()))
        .collect();
    errors.sort();
    Outcome { valid: report.valid, error: report.error.map(|e| e.as_str().to_owned()), errors }
}

/// The case's options for one mode: its config without the call parameters, the discovery
/// document read from its file, and the mode.
fn options(case: &Value, manifest: &Value, mode: &str) -> Value {
    let mut o: Map<String, Value> = case["config"].as_object().unwrap().clone();
    for call_param in ["now", "ssa_jwks", "software_jwks"] {
        o.remove(call_param);
    }
    match o.remove("discovery") {
        Some(Value::String(name)) => {
            let file =
                manifest["discovery"][name.as_str()].as_str().unwrap_or_else(|| panic!("unknown discovery {name}"));
            o.insert("discovery".into(), serde_json::from_str(&read(file)).unwrap());
        }
        Some(Value::Null) | None => {}
        Some(other) => panic!("discovery must name a document: {other}"),
    }
    o.insert("policy".into(), mode.into());
    Value::Object(o)
}

fn key_set(manifest: &Value, case: &Value, which: &str) -> Vec<u8> {
    let name = case["config"][which].as_str().unwrap();
    let set = &manifest["jwks"][name];
    assert!(set.is_object(), "{}: unknown key set {name}", case["id"]);
    serde_json::to_vec(set).unwrap()
}

#[test]
fn realworld_corpus() {
    let manifest: Value = serde_json::from_str(&read("manifest.json")).unwrap();
    let cases = manifest["cases"].as_array().unwrap();
    let record = std::env::var_os("REALWORLD_RECORD").is_some();
    let mut observed = Map::new();
    let mut failures = Vec::new();
    let mut verdicts: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    let mut refused_accepts = Vec::new();
    let mut by_source: std::collections::BTreeMap<String, usize> = Default::default();
    let readme = read("README.md");
    for case in cases {
        let id = case["id"].as_str().unwrap();
        *by_source.entry(id.split('/').next().unwrap().to_owned()).or_default() += 1;
        let token = match (case["token"].as_str(), case["file"].as_str()) {
            (Some(t), None) => t.to_owned(),
            (None, Some(f)) => read(f).trim().to_owned(),
            _ => panic!("{id}: needs exactly one of token and file"),
        };
        let now = case["config"]["now"].as_i64().unwrap();
        let ssa_jwks = key_set(&manifest, case, "ssa_jwks");
        let software_jwks = key_set(&manifest, case, "software_jwks");
        let source_accepts = case["source_expects"]["verdict"].as_str() == Some("accept");
        assert!(source_accepts || case["source_expects"]["verdict"] == "reject", "{id}: source_expects.verdict");
        let mut per_mode = Map::new();
        for mode in MODES {
            let got = validate(options(case, &manifest, mode), &token, &ssa_jwks, &software_jwks, now);
            let tally = verdicts.entry(mode).or_default();
            if got.valid {
                tally.0 += 1
            } else {
                tally.1 += 1
            }
            if mode == "interop" && source_accepts && !got.valid {
                refused_accepts.push(format!("  {id}: {} [{}]", got.error.as_deref().unwrap_or("-"), got.codes()));
                // The default refuses what its own source accepts only for a stated reason: a
                // rule that protects the bank, or an artefact that breaks a MUST of its profile.
                let why = case["interop_refusal"].as_str().unwrap_or_default();
                if why.is_empty() && !record {
                    failures.push(format!("{id}: accepted by its source, refused by interop, without interop_refusal"));
                }
            }
            if !record {
                let want =
                    case["expect"].get(mode).unwrap_or_else(|| panic!("{id}: no expect.{mode} (record it first)"));
                let want = Outcome::from_expect(want);
                if got != want {
                    failures.push(format!("{id} ({mode}):\n  expected {want:?}\n  got      {got:?}"));
                }
            }
            per_mode.insert(mode.into(), got.to_expect());
        }
        if !record {
            // The README's table states each mode's verdict: it must stay true.
            let row = readme
                .lines()
                .find(|l| l.starts_with(&format!("| `{id}` |")))
                .unwrap_or_else(|| panic!("{id}: no README row"));
            let cells: Vec<&str> = row.trim_end_matches('|').rsplitn(4, '|').map(str::trim).collect();
            let want = |mode: &str| Outcome::from_expect(&case["expect"][mode]).cell();
            assert_eq!(
                (cells[2], cells[1], cells[0]),
                (want("interop").as_str(), want("spec").as_str(), want("mock").as_str()),
                "{id}: README row"
            );
        }
        observed.insert(id.into(), Value::Object(per_mode));
    }

    println!("{} real-world cases by source: {by_source:?}", cases.len());
    for (mode, (accepted, rejected)) in &verdicts {
        println!("{mode}: {accepted} accepted, {rejected} rejected");
    }
    println!("accepted by their source but refused by the default interop ({}):", refused_accepts.len());
    for line in &refused_accepts {
        println!("{line}");
    }
    if record {
        let out = format!("{}/realworld-observed.json", env!("CARGO_TARGET_TMPDIR"));
        std::fs::write(&out, serde_json::to_string_pretty(&Value::Object(observed)).unwrap() + "\n").unwrap();
        println!("recorded the observed verdicts to {out}");
        return;
    }
    // Deleting data must not make this pass.
    assert!(cases.len() >= 20, "the real-world corpus shrank to {} cases", cases.len());
    for source in
        ["wso2", "conformance-dcr", "openbanking-toolkit", "open-banking-connector", "secure-api-gateway", "accc"]
    {
        assert!(by_source.contains_key(source), "no case from {source}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} mode checks failed:\n{}",
        failures.len(),
        2 * cases.len(),
        failures.join("\n")
    );
}

/// The certificates' SHA-256 fingerprints, recomputed here (sha2 over the PEM's DER) and
/// compared with the manifest's (the generator took them from `openssl x509 -fingerprint
/// -sha256` and checked them against node:crypto); and every `x5c[0]` / `x5t#S256` of a key set
/// that names a listed certificate agrees with it. The next issue binds the TLS client
/// certificate to a `use: tls` key through exactly these two members.
#[test]
fn realworld_certificates() {
    use base64::Engine;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    use sha2::{Digest, Sha256};

    let manifest: Value = serde_json::from_str(&read("manifest.json")).unwrap();
    let certs = manifest["certificates"].as_array().unwrap();
    let mut by_thumbprint = std::collections::BTreeMap::new();
    for cert in certs {
        let file = cert["file"].as_str().unwrap();
        let pem = read(file);
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let der = STANDARD.decode(body.trim()).unwrap_or_else(|e| panic!("{file}: {e}"));
        let digest = Sha256::digest(&der);
        let colons: Vec<String> = digest.iter().map(|b| format!("{b:02X}")).collect();
        assert_eq!(cert["sha256_fingerprint"].as_str(), Some(colons.join(":").as_str()), "{file}");
        let x5t = URL_SAFE_NO_PAD.encode(digest);
        assert_eq!(cert["x5t#S256"].as_str(), Some(x5t.as_str()), "{file}");
        by_thumbprint.insert(x5t, STANDARD.encode(&der));
    }
    assert!(certs.len() >= 10, "the certificate list shrank to {}", certs.len());
    let mut bound = 0;
    for (name, set) in manifest["jwks"].as_object().unwrap() {
        for key in set["keys"].as_array().unwrap() {
            let Some(x5t) = key["x5t#S256"].as_str() else { continue };
            let Some(der) = by_thumbprint.get(x5t) else { continue };
            assert_eq!(
                key["x5c"][0].as_str(),
                Some(der.as_str()),
                "{name}: x5c[0] is not the certificate x5t#S256 names"
            );
            bound += 1;
        }
    }
    // The WSO2 sample's signing key and its `use: tls` transport key.
    assert!(bound >= 2, "only {bound} JWKS keys bind to a listed certificate");
}
