//! The `dcr-guard` binary as a user runs it: exit codes, JSON shapes, inputs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_dcr-guard");

fn fixture(path: &str) -> String {
    format!("{}/../../tests/vectors/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).env("NO_COLOR", "1").output().unwrap()
}

fn run_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The CLI stops reading at its limit, so a write past it may see a closed pipe.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn verify_exit_codes_and_json() {
    let jwks = fixture("au/cds-example-jwks.json");
    let good = format!("@{}", fixture("au/cds-example-ssa.jws"));
    let bad = format!("@{}", fixture("au/cds-example-ssa-v1.36-tampered.jws"));

    let out = run(&["verify", "--jwks", &jwks, &good]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("VALID: PS256"));

    let out = run(&["verify", "--json", "--jwks", &jwks, &good]);
    let v = json(&out);
    assert_eq!(
        (v["valid"].as_bool(), v["code"].is_null(), v["payload"]["iss"].as_str()),
        (Some(true), true, Some("cdr-register"))
    );

    let out = run(&["verify", "--json", "--jwks", &jwks, &bad]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!((v["valid"].as_bool(), v["code"].as_str()), (Some(false), Some("jws.signature_invalid")));
    assert_eq!(v["header"]["kid"], "b8facf2ff39444f781e0be5db4b14f16", "decoded even when invalid");

    // The algorithm comes from the caller: an ES256-only policy refuses this PS256 token.
    let out = run(&["verify", "--json", "--alg", "ES256", "--jwks", &jwks, &good]);
    assert_eq!((out.status.code(), json(&out)["code"].as_str()), (Some(1), Some("jws.alg_not_allowed")));
}

#[test]
fn verify_reads_stdin() {
    let token = std::fs::read(fixture("au/cds-example-ssa.jws")).unwrap();
    let out = run_stdin(&["verify", "--json", "--jwks", &fixture("au/cds-example-jwks.json"), "-"], &token);
    assert_eq!((out.status.code(), json(&out)["valid"].as_bool()), (Some(0), Some(true)));
    let out = run_stdin(&["verify", "--json", "--jwks", &fixture("au/cds-example-jwks.json")], b"not.a.jws\n");
    assert_eq!((out.status.code(), json(&out)["code"].as_str()), (Some(1), Some("jws.base64")));
}

#[test]
fn oversized_stdin_is_refused_without_buffering_it_all() {
    let big = vec![b'a'; 200_000];
    let out = run_stdin(&["verify", "--json", "--jwks", &fixture("au/cds-example-jwks.json")], &big);
    assert_eq!((out.status.code(), json(&out)["code"].as_str()), (Some(1), Some("jws.too_large")));
}

#[test]
fn usage_and_io_errors_exit_2() {
    let jwks = fixture("au/cds-example-jwks.json");
    for args in [
        vec!["verify", "x.y.z"],                                    // --jwks missing
        vec!["verify", "--alg", "RS256", "--jwks", &jwks, "x.y.z"], // algorithm outside the allow-list
        vec!["verify", "--jwks", "/nonexistent/jwks.json", "x.y.z"],
        vec!["frobnicate"],
        vec![
            "check",
            "--profile",
            "uk-obie-v9",
            "--issuer",
            "https://b",
            "--ssa-jwks",
            &jwks,
            "--software-jwks",
            &jwks,
            "x.y.z",
        ],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(!out.stderr.is_empty());
    }
    let out = run(&[
        "check",
        "--profile",
        "uk-obie-v9",
        "--issuer",
        "https://b",
        "--ssa-jwks",
        &jwks,
        "--software-jwks",
        &jwks,
        "x.y.z",
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("config.profile_unknown"));
}

#[test]
fn decode_shows_nested_ssa_unverified() {
    let req = format!("@{}", fixture("uk/wso2-sample/register-post.jws"));
    let out = run(&["decode", "--json", &req]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["verified"], false);
    assert_eq!(v["payload"]["iss"], "oQ4KoaavpOuoE7rvQsZEOV");
    assert_eq!(v["software_statement"]["payload"]["iss"], "OpenBanking Ltd");
    assert_eq!(v["signature_bytes"], 256);
    let out = run(&["decode", &req]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("UNVERIFIED"));
    let out = run(&["decode", "abc"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn help_documents_every_flag() {
    let out = run(&["check", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--profile",
        "--issuer",
        "--audience",
        "--ssa-jwks",
        "--software-jwks",
        "--discovery",
        "--now",
        "--clock-skew",
        "--max-lifetime",
        "--policy",
        "--rule",
        "--trusted-ssa-issuer",
        "--json",
    ] {
        assert!(help.contains(flag), "{flag} missing from check --help");
    }
}

#[test]
fn check_reports_the_rfc7591_error_and_json_pointer() {
    // The WSO2 request checked against a JWKS without its key: the SSA cannot verify.
    let w = fixture("uk/wso2-sample");
    let out = run(&[
        "check",
        "--json",
        "--profile",
        "uk-obie-v3.3",
        "--issuer",
        "https://localbank.com",
        "--ssa-jwks",
        &fixture("au/cds-example-jwks.json"),
        "--software-jwks",
        &format!("{w}/signing.jwks.json"),
        "--now",
        "1751017100",
        &format!("{w}/register-post.jws"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["valid"], false);
    assert_eq!(v["error"], "invalid_software_statement");
    let first = &v["findings"][0];
    assert_eq!((first["code"].as_str(), first["pointer"].as_str()), (Some("jwk.kid_not_found"), Some("/ssa")));
    assert_eq!(v["ssa"]["signature"], "invalid");
    assert!(v["error_description"].as_str().unwrap().len() <= 500);
}

/// Every cross-library and RFC 7515 vector through the binary, as `dcr-guard verify` users run
/// it: the exit code and the JSON `code` match the manifest.
#[test]
fn every_jose_vector_through_verify() {
    let root = format!("{}/../../tests/vectors", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<String> =
        std::fs::read_dir(format!("{root}/jose")).unwrap().map(|e| e.unwrap().path().display().to_string()).collect();
    files.push(format!("{root}/rfc7515.json"));
    let dir = std::env::temp_dir().join(format!("dcr-guard-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut n = 0;
    for file in files.iter().filter(|f| f.ends_with(".json")) {
        let m: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
        for v in m["vectors"].as_array().unwrap() {
            let jwks = match v.get("jwks_raw") {
                Some(raw) => raw.as_str().unwrap().as_bytes().to_vec(),
                None => serde_json::to_vec(&m["jwks"][v["jwks"].as_str().unwrap()]).unwrap(),
            };
            let path = dir.join("jwks.json");
            std::fs::write(&path, jwks).unwrap();
            let algs: Vec<&str> = v["algorithms"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
            let out = run_stdin(
                &["verify", "--json", "--alg", &algs.join(","), "--jwks", path.to_str().unwrap(), "-"],
                v["token"].as_str().unwrap().as_bytes(),
            );
            let expect = v["expect"].as_str().unwrap();
            let doc = json(&out);
            let id = v["id"].as_str().unwrap();
            if expect == "valid" {
                assert_eq!((out.status.code(), doc["valid"].as_bool()), (Some(0), Some(true)), "{id}");
            } else {
                assert_eq!((out.status.code(), doc["code"].as_str()), (Some(1), Some(expect)), "{id}");
            }
            n += 1;
        }
    }
    assert!(n >= 90, "only {n} vectors");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The whole DCR corpus through `dcr-guard check --json`: the same verdict, RFC 7591 error and
/// exact error findings as the manifests (the library runner is crates/core/tests/dcr_corpus.rs).
#[test]
fn dcr_corpus_through_check() {
    let root = format!("{}/../../tests/vectors/dcr", env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("dcr-guard-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, v: &Value| {
        let p = dir.join(name);
        std::fs::write(&p, serde_json::to_vec(v).unwrap()).unwrap();
        p.display().to_string()
    };
    let mut files: Vec<_> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let (mut n, mut failures) = (0, Vec::new());
    for file in files.iter().filter(|f| f.extension().is_some_and(|e| e == "json")) {
        let m: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
        for case in m["cases"].as_array().unwrap() {
            let mut c = m["defaults"].as_object().unwrap().clone();
            if let Some(o) = case.get("config").and_then(Value::as_object) {
                c.extend(o.clone());
            }
            let s = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_owned);
            let mut args: Vec<String> = vec!["check".into(), "--json".into()];
            let mut flag = |f: &str, v: String| {
                args.push(f.into());
                args.push(v);
            };
            flag("--profile", s("profile").unwrap());
            flag("--issuer", s("issuer").unwrap());
            flag("--mode", s("mode").unwrap_or_else(|| "strict".into()));
            flag("--now", c["now"].to_string());
            flag("--ssa-jwks", write("ssa.json", &m["jwks"][s("ssa_jwks").unwrap().as_str()]));
            flag("--software-jwks", write("sw.json", &m["jwks"][s("software_jwks").unwrap().as_str()]));
            for a in c.get("audiences").and_then(Value::as_array).into_iter().flatten() {
                flag("--audience", a.as_str().unwrap().into());
            }
            for t in c.get("trusted_ssa_issuers").and_then(Value::as_array).into_iter().flatten() {
                flag("--trusted-ssa-issuer", t.as_str().unwrap().into());
            }
            if let Some(v) = c.get("max_lifetime") {
                flag("--max-lifetime", v.as_u64().map_or_else(|| "none".into(), |n| n.to_string()));
            }
            if let Some(v) = c.get("max_ssa_age").and_then(Value::as_u64) {
                flag("--max-ssa-age", v.to_string());
            }
            if let Some(d) = s("discovery") {
                flag("--discovery", write("discovery.json", &m["discovery"][d.as_str()]));
            }
            if let Some(op) = c.get("operation").filter(|o| o["kind"] == "update") {
                flag("--update", op["client_id"].as_str().unwrap().into());
            }
            if let Some(dn) = s("client_cert_subject_dn") {
                flag("--client-cert-dn", dn);
            }
            if let Some(env) = s("software_environment") {
                flag("--software-environment", env);
            }
            args.push("-".into());
            let argv: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = run_stdin(&argv, case["token"].as_str().unwrap().as_bytes());
            let report = json(&out);
            let expect = &case["expect"];
            let mut got: Vec<(String, String)> = report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["severity"] == "error")
                .map(|f| (f["code"].as_str().unwrap().to_owned(), f["pointer"].as_str().unwrap().to_owned()))
                .collect();
            got.sort();
            let mut want: Vec<(String, String)> = expect["errors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| (f["code"].as_str().unwrap().to_owned(), f["pointer"].as_str().unwrap().to_owned()))
                .collect();
            want.sort();
            let valid = expect["valid"].as_bool().unwrap();
            let exit = if valid { 0 } else { 1 };
            if out.status.code() != Some(exit) || report["error"].as_str() != expect["error"].as_str() || got != want {
                failures.push(format!(
                    "{}: exit {:?} error {} errors {got:?}",
                    case["id"],
                    out.status.code(),
                    report["error"]
                ));
            }
            n += 1;
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(n >= 500, "only {n} cases");
}

/// The WSO2 sample under each policy preset, with overrides: the default (interop) accepts it
/// with warnings naming their rules; spec refuses it; an override turns one rule back on, by rule
/// id or by finding code; a bad key or decision is a usage error (exit 2).
#[test]
fn check_policy_presets_and_rule_overrides() {
    let w = fixture("uk/wso2-sample");
    let (jwks, request) = (format!("{w}/signing.jwks.json"), format!("{w}/register-post.jws"));
    let check = |extra: &[&str]| {
        let mut args = vec![
            "check",
            "--json",
            "--profile",
            "uk-obie-v3.3",
            "--issuer",
            "https://localbank.com",
            "--ssa-jwks",
            &jwks,
            "--software-jwks",
            &jwks,
            "--now",
            "1751017100",
        ];
        args.extend_from_slice(extra);
        args.push(&request);
        run(&args)
    };
    let errors = |v: &Value| -> Vec<String> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .map(|f| f["code"].as_str().unwrap().to_owned())
            .collect()
    };
    let out = check(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let v = json(&out);
    let rules: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| Some((f["code"].as_str()?, f["rule"].as_str()?)))
        .collect();
    assert_eq!(rules, [("aud.format", "request.aud_not_org_id"), ("jti.format", "request.jti_not_uuid")]);
    assert!(v["findings"].as_array().unwrap().iter().all(|f| f["fix"].as_str().is_some_and(|x| !x.is_empty())));
    for preset in [["--policy", "spec"], ["--mode", "strict"]] {
        let out = check(&preset);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(errors(&json(&out)), ["aud.format", "jti.format"], "{preset:?}");
    }
    for rule in ["request.jti_not_uuid=error", "jti.format=error"] {
        let out = check(&["--rule", rule]);
        assert_eq!(out.status.code(), Some(1), "{rule}");
        assert_eq!(errors(&json(&out)), ["jti.format"], "{rule}");
    }
    let out = check(&["--policy", "spec", "--rule", "aud.format=accept", "--rule", "request.jti_not_uuid=warning"]);
    assert_eq!(out.status.code(), Some(0));
    for bad in
        [["--rule", "jti.formats=error"], ["--rule", "jti.format=fatal"], ["--policy", "loose"], ["--rule", "=error"]]
    {
        let out = check(&bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let readable = run(&[
        "check",
        "--profile",
        "uk-obie-v3.3",
        "--issuer",
        "https://localbank.com",
        "--ssa-jwks",
        &jwks,
        "--software-jwks",
        &jwks,
        "--now",
        "1751017100",
        &request,
    ]);
    let text = String::from_utf8_lossy(&readable.stdout);
    assert!(text.contains("policy rule request.jti_not_uuid") && text.contains("fix: "), "{text}");
}

/// `verify --jwks` reads a file holding a single JWK as a set of one; `check` refuses one.
#[test]
fn a_single_jwk_for_verify_only() {
    let set: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("au/cds-example-jwks.json")).unwrap()).unwrap();
    let dir = std::env::temp_dir().join(format!("dcr-guard-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let single = dir.join("single.jwk");
    std::fs::write(&single, set["keys"][0].to_string()).unwrap();
    let token = format!("@{}", fixture("au/cds-example-ssa.jws"));
    let out = run(&["verify", "--json", "--jwks", single.to_str().unwrap(), &token]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let out = run(&[
        "check",
        "--profile",
        "au-cdr",
        "--issuer",
        "https://dh.example",
        "--ssa-jwks",
        single.to_str().unwrap(),
        "--software-jwks",
        single.to_str().unwrap(),
        &token,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("jwks.invalid"), "{}", String::from_utf8_lossy(&out.stderr));
}
