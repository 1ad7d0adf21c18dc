//! The real-world corpus (tests/vectors/realworld/manifest.json) through `dcr-guard check
//! --json`, under every policy preset: the manifest's verdict (exit code), RFC 7591 error and
//! exact multiset of error findings (the core's runner is crates/core/tests/realworld.rs). The
//! default preset runs with no `--policy` at all. Then the conformance-dcr happy path with no
//! policy options, and overrides on real-world cases.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_dcr-guard");
const PRESETS: [&str; 3] = ["interop", "spec", "mock"];
const HAPPY_PATH: &str = "conformance-dcr/happy-path-private-key-jwt";

fn realworld() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors/realworld")
}

fn manifest() -> Value {
    serde_json::from_slice(&std::fs::read(realworld().join("manifest.json")).unwrap()).unwrap()
}

/// A temporary folder for the key sets (the CLI reads them from files), removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("dcr-guard-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One case as the CLI takes it: its token and the `check` arguments for its config (without a
/// policy), with both key sets written to `dir`.
struct Case {
    id: String,
    token: String,
    args: Vec<String>,
    case: Value,
}

fn cases(dir: &Path) -> Vec<Case> {
    let m = manifest();
    let mut written = std::collections::BTreeMap::new();
    let mut key_set = |name: &str| -> String {
        written
            .entry(name.to_owned())
            .or_insert_with(|| {
                let set = &m["jwks"][name];
                assert!(set.is_object(), "unknown key set {name}");
                let p = dir.join(format!("{name}.jwks.json"));
                std::fs::write(&p, serde_json::to_vec(set).unwrap()).unwrap();
                p.display().to_string()
            })
            .clone()
    };
    let mut out = Vec::new();
    for case in m["cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap().to_owned();
        let c = case["config"].as_object().unwrap();
        let s = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_owned);
        let mut args: Vec<String> = vec!["check".into(), "--json".into()];
        let mut flag = |f: &str, v: String| {
            args.push(f.into());
            args.push(v);
        };
        for key in c.keys() {
            // A new option in the manifest must reach the CLI, never be dropped here.
            assert!(
                [
                    "profile",
                    "issuer",
                    "audiences",
                    "trusted_ssa_issuers",
                    "operation",
                    "client_cert_subject_dn",
                    "now",
                    "ssa_jwks",
                    "software_jwks",
                    "discovery",
                    // A fetch allow-list: the CLI reads key sets from files and fetches nothing.
                    "jwks_hosts"
                ]
                .contains(&key.as_str()),
                "{id}: config {key} has no flag here"
            );
        }
        flag("--profile", s("profile").unwrap());
        flag("--issuer", s("issuer").unwrap());
        flag("--now", c["now"].as_i64().unwrap().to_string());
        flag("--ssa-jwks", key_set(&s("ssa_jwks").unwrap()));
        flag("--software-jwks", key_set(&s("software_jwks").unwrap()));
        for a in c.get("audiences").and_then(Value::as_array).into_iter().flatten() {
            flag("--audience", a.as_str().unwrap().into());
        }
        for t in c.get("trusted_ssa_issuers").and_then(Value::as_array).into_iter().flatten() {
            flag("--trusted-ssa-issuer", t.as_str().unwrap().into());
        }
        if let Some(d) = s("discovery") {
            let file = m["discovery"][d.as_str()].as_str().unwrap_or_else(|| panic!("{id}: unknown discovery {d}"));
            flag("--discovery", realworld().join(file).display().to_string());
        }
        if let Some(op) = c.get("operation").filter(|o| o["kind"] == "update") {
            flag("--update", op["client_id"].as_str().unwrap().into());
        }
        if let Some(dn) = s("client_cert_subject_dn") {
            flag("--client-cert-dn", dn);
        }
        let token = match (case["token"].as_str(), case["file"].as_str()) {
            (Some(t), None) => t.to_owned(),
            (None, Some(f)) => std::fs::read_to_string(realworld().join(f)).unwrap().trim().to_owned(),
            _ => panic!("{id}: needs exactly one of token and file"),
        };
        out.push(Case { id, token, args, case: case.clone() });
    }
    out
}

/// `dcr-guard check` on one case with extra flags, the token on stdin.
fn check(c: &Case, extra: &[&str]) -> Output {
    let mut child = Command::new(BIN)
        .args(&c.args)
        .args(extra)
        .arg("-")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A usage error exits before reading stdin: a closed pipe there is not a failure; the
    // exit code and output asserted by the caller are.
    match child.stdin.take().unwrap().write_all(c.token.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        r => r.unwrap(),
    }
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    })
}

/// The sorted (code, pointer) of every error finding.
fn errors(findings: &Value) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| (f["code"].as_str().unwrap().to_owned(), f["pointer"].as_str().unwrap().to_owned()))
        .collect();
    v.sort();
    v
}

/// Exit code, RFC 7591 error and error multiset against one preset's `expect`; a message or None.
fn mismatch(out: &Output, expect: &Value) -> Option<String> {
    let report = json(out);
    let want_exit = if expect["valid"].as_bool().unwrap() { 0 } else { 1 };
    let mut want: Vec<(String, String)> = expect["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["code"].as_str().unwrap().to_owned(), e["pointer"].as_str().unwrap().to_owned()))
        .collect();
    want.sort();
    let got = errors(&report["findings"]);
    let ok = out.status.code() == Some(want_exit)
        && report["valid"] == expect["valid"]
        && report["error"].as_str() == expect["error"].as_str()
        && got == want;
    (!ok).then(|| {
        format!(
            "expected exit {want_exit} {} {want:?}; got exit {:?} {} {got:?}",
            expect["error"],
            out.status.code(),
            report["error"]
        )
    })
}

#[test]
fn realworld_corpus_through_check_every_preset() {
    let dir = TempDir::new("realworld");
    let cases = cases(&dir.0);
    assert!(cases.len() >= 39, "the real-world corpus shrank to {} cases", cases.len());
    let (mut failures, mut accepted) = (Vec::new(), [0usize; 3]);
    for c in &cases {
        for (i, preset) in PRESETS.iter().enumerate() {
            // interop is the default: no --policy flag at all.
            let flags: Vec<&str> = if *preset == "interop" { vec![] } else { vec!["--policy", preset] };
            let out = check(c, &flags);
            let expect = &c.case["expect"][*preset];
            assert!(expect.is_object(), "{}: no expect.{preset}", c.id);
            if let Some(m) = mismatch(&out, expect) {
                failures.push(format!("{} ({preset}): {m}", c.id));
            }
            if out.status.code() == Some(0) {
                accepted[i] += 1;
            }
        }
    }
    println!(
        "dcr-guard check: {} real-world cases × 3 presets; accepted interop {}, spec {}, mock {}; {} failures",
        cases.len(),
        accepted[0],
        accepted[1],
        accepted[2],
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
    // Deleting data must not make this pass: each preset accepts some and rejects some.
    assert!(accepted.iter().all(|&n| n > 0 && n < cases.len()), "{accepted:?}");
}

/// The conformance-dcr happy-path shape (lower-case UUID jti, aud = the bank's organisation ID,
/// PS256), accepted with no policy options: exit 0, no error finding, no jti finding. Overrides
/// on it and on a UK `aud` that is the issuer URL: by rule id and by finding code an accepted
/// deviation becomes an error; an override accepts what `spec` refuses; an unknown key is a
/// usage error with its stable code.
#[test]
fn happy_path_and_overrides_through_check() {
    let dir = TempDir::new("realworld-policy");
    let cases = cases(&dir.0);
    let find = |id: &str| cases.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("no case {id}"));
    let happy = find(HAPPY_PATH);

    let out = check(happy, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let report = json(&out);
    assert_eq!((report["valid"].as_bool(), report["error"].as_str()), (Some(true), None));
    // The shape, as the report decodes it.
    let claims = &report["request"]["claims"];
    let jti = claims["jti"].as_str().unwrap();
    assert!(jti.len() == 36 && jti == jti.to_ascii_lowercase() && jti.as_bytes()[14] == b'4', "{jti}");
    assert_eq!(claims["aud"], happy.case["config"]["audiences"][0]);
    assert_eq!(claims["aud"].as_str().map(str::len), Some(18));
    assert_eq!(report["request"]["header"]["alg"], "PS256");
    assert!(errors(&report["findings"]).is_empty());
    let jti_findings: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "jti.format" || f["pointer"] == "/request/claims/jti")
        .collect();
    assert!(jti_findings.is_empty(), "{jti_findings:?}");

    let jti_error = vec![("jti.format".to_owned(), "/request/claims/jti".to_owned())];
    for (flags, want) in [
        (vec!["--rule", "request.jti_uuid_case=error"], Some(&jti_error)),
        (vec!["--rule", "jti.format=error"], Some(&jti_error)),
        (vec!["--policy", "spec"], Some(&jti_error)),
        (vec!["--policy", "spec", "--rule", "request.jti_uuid_case=accept"], None),
    ] {
        let out = check(happy, &flags);
        let report = json(&out);
        match want {
            Some(errs) => {
                assert_eq!(out.status.code(), Some(1), "{flags:?}");
                assert_eq!(report["error"], "invalid_client_metadata", "{flags:?}");
                assert_eq!(&errors(&report["findings"]), errs, "{flags:?}");
                assert_eq!(report["findings"][0]["rule"], "request.jti_uuid_case", "{flags:?}");
            }
            None => {
                assert_eq!((out.status.code(), &report["findings"]), (Some(0), &serde_json::json!([])), "{flags:?}")
            }
        }
    }

    // aud = the issuer URL (HSBC's): a warning by default, an error by finding code, info when accepted.
    let hsbc = find("open-banking-connector/hsbc-aud-issuer-url");
    let severities = |out: &Output| -> Vec<(String, String)> {
        json(out)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["severity"].as_str().unwrap().to_owned(), f["code"].as_str().unwrap().to_owned()))
            .collect()
    };
    let pair = |s: &str, c: &str| (s.to_owned(), c.to_owned());
    let out = check(hsbc, &[]);
    assert_eq!((out.status.code(), severities(&out)), (Some(0), vec![pair("warning", "aud.format")]));
    let out = check(hsbc, &["--rule", "aud.format=error"]);
    assert_eq!((out.status.code(), severities(&out)), (Some(1), vec![pair("error", "aud.format")]));
    let out =
        check(hsbc, &["--policy", "spec", "--rule", "aud.format=accept", "--rule", "request.jti_uuid_case=accept"]);
    assert_eq!((out.status.code(), severities(&out)), (Some(0), vec![pair("info", "aud.format")]));

    // A typo never silently keeps a decision: usage error (exit 2), the stable code named.
    for bad in ["request.jti_uuid_cases=error", "jti.formats=accept"] {
        let out = check(happy, &["--rule", bad]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert!(stderr.contains("config.rule_unknown"), "{bad}: {stderr}");
        assert!(out.stdout.is_empty(), "{bad}: a report was printed");
    }
}
