//! What each fuzz target asserts about one input. The same functions run under libFuzzer
//! (fuzz/fuzz_targets/*) and in `cargo test` (crates/core/tests/fuzz_regressions.rs replays the
//! committed corpus and every saved crash through them), so a crash input stays a regression
//! test. Each returns normally for any input and panics only when an invariant breaks:
//!
//! - nothing panics, and rejections carry a stable, non-empty error code;
//! - strict base64url: an accepted token re-encodes to itself byte for byte;
//! - key limits: a selected key is within the documented sizes;
//! - no forgery: a verified token's signing input is one that a key holder actually signed
//!   (the committed vectors are the only signed inputs the fuzzer can know), and an accepted
//!   registration has both signatures verified over such inputs;
//! - reports are consistent: `valid` ⇔ no error, bounded printable `error_description`, and the
//!   two-phase API agrees with the one-call form.
//!
//! Each returns whether the input was accepted (parsed, verified, valid), so the replay test
//! can tell that the seeds still match the fixtures.
//!
//! Fixtures are the committed vectors (tests/vectors), so seeds verify and mutations reach the
//! claim rules. This file is included by path from crates/core/tests: it names no `crate::`.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

use dcr_guard_core::Limits;
use dcr_guard_core::dcr::{
    Awaiting, Options, Preset, Report, Request, RequestOptions, Session, Severity, SignatureStatus, Validator,
};
use dcr_guard_core::jose::{
    Algorithm, AlgorithmPolicy, CompactJws, Jwks, RustCryptoVerifier, SignatureCheck, Verifier, base64url,
    verify_compact,
};
use serde_json::{Map, Value};

/// The JOSE vector manifests (jose and jwcrypto): key sets and signed tokens.
const JOSE_MANIFESTS: [&str; 2] =
    [include_str!("../../tests/vectors/jose/jose.json"), include_str!("../../tests/vectors/jose/jwcrypto.json")];

/// The DCR corpus manifests: one bank deployment each (profile, keys, time).
const DCR_MANIFESTS: [&str; 5] = [
    include_str!("../../tests/vectors/dcr/uk-obie-v3.1.json"),
    include_str!("../../tests/vectors/dcr/uk-obie-v3.2.json"),
    include_str!("../../tests/vectors/dcr/uk-obie-v3.3.json"),
    include_str!("../../tests/vectors/dcr/uk-obie-v3.4.json"),
    include_str!("../../tests/vectors/dcr/au-cdr.json"),
];

fn manifest(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

fn string_field<'a>(v: &'a Value, name: &str) -> Option<&'a str> {
    v.get(name).and_then(Value::as_str)
}

/// The signing input (`header.payload`) of a compact token, as the JWS layer sees it.
fn signing_input(token: &str) -> Option<Vec<u8>> {
    CompactJws::parse(token, &Limits::DEFAULT).ok().map(|j| j.signing_input().to_vec())
}

/// Compact JWS parsing: no panic, canonical encodings, the signing input is the first two
/// segments.
pub fn jws_parse(data: &[u8]) -> bool {
    let Ok(token) = std::str::from_utf8(data) else { return false };
    let limits = Limits::DEFAULT;
    match CompactJws::parse(token, &limits) {
        Ok(jws) => {
            assert!(token.len() <= limits.max_token_bytes);
            let segments: Vec<&str> = token.split('.').collect();
            assert_eq!(segments.len(), 3, "accepted a token without exactly three segments");
            let (h, p, s) = (segments[0], segments[1], segments[2]);
            assert_eq!(jws.signing_input(), format!("{h}.{p}").as_bytes());
            // One accepted encoding per byte string: decoding then encoding is the identity.
            assert_eq!(base64url::encode(jws.payload()), p, "non-canonical payload encoding accepted");
            assert_eq!(base64url::encode(jws.signature()), s, "non-canonical signature encoding accepted");
            if let Ok(params) = jws.params() {
                assert_eq!(jws.header().get("alg").and_then(Value::as_str), Some(params.alg.as_str()));
            }
            let _ = jws.payload_json(&limits);
            true
        }
        Err(e) => {
            assert!(!e.code().is_empty() && !e.to_string().is_empty());
            false
        }
    }
}

/// JWKS parsing and key selection: no panic, at most `max_jwks_keys` entries, every selected
/// key within the documented sizes and of the algorithm's key type.
pub fn jwks_parse(data: &[u8]) -> bool {
    let limits = Limits::DEFAULT;
    let jwks = match Jwks::parse(data, &limits) {
        Ok(j) => j,
        Err(e) => {
            assert!(!e.code().is_empty());
            return false;
        }
    };
    assert!(data.len() <= limits.max_document_bytes);
    assert!(jwks.entries().len() <= limits.max_jwks_keys);
    let kids: Vec<Option<&str>> =
        std::iter::once(None).chain(jwks.entries().iter().map(|e| e.kid.as_deref())).collect();
    for alg in Algorithm::ALL {
        for kid in &kids {
            let Ok(key) = jwks.select(*kid, alg) else { continue };
            match alg {
                Algorithm::Ps256 => {
                    assert_eq!(key.kty(), "RSA");
                    assert!((2048..=8192).contains(&key.bits()), "RSA key of {} bits selected", key.bits());
                }
                Algorithm::Es256 => {
                    assert_eq!(key.kty(), "EC");
                    assert_eq!(key.bits(), 256);
                }
            }
            assert!(!key.thumbprint().is_empty());
        }
    }
    true
}

struct VerifyFixture {
    sets: Vec<Jwks>,
    signed: BTreeSet<Vec<u8>>,
}

/// Every key set of the JOSE manifests that parses, and every signing input they hold.
static VERIFY: LazyLock<VerifyFixture> = LazyLock::new(|| {
    let mut sets = Vec::new();
    let mut signed = BTreeSet::new();
    for text in JOSE_MANIFESTS {
        let m = manifest(text);
        if let Some(named) = m.get("jwks").and_then(Value::as_object) {
            for set in named.values() {
                if let Ok(j) = Jwks::from_value(set, &Limits::DEFAULT) {
                    sets.push(j);
                }
            }
        }
        for v in m.get("vectors").and_then(Value::as_array).into_iter().flatten() {
            if let Some(input) = string_field(v, "token").and_then(signing_input) {
                signed.insert(input);
            }
        }
    }
    assert!(
        sets.len() >= 10 && signed.len() >= 20,
        "the JOSE vectors are missing ({} sets, {} signed inputs)",
        sets.len(),
        signed.len()
    );
    VerifyFixture { sets, signed }
});

/// Verification against the vectors' key sets: no panic, and nothing verifies unless its
/// signing input was signed by a key holder.
pub fn verify(data: &[u8]) -> bool {
    let Ok(token) = std::str::from_utf8(data) else { return false };
    let fx = &*VERIFY;
    let mut accepted = false;
    for jwks in &fx.sets {
        match verify_compact(token, jwks, AlgorithmPolicy::FAPI, &Limits::DEFAULT, &RustCryptoVerifier::new()) {
            Ok(v) => {
                assert!(
                    fx.signed.contains(v.jws().signing_input()),
                    "a signature verified over an input no key holder signed"
                );
                assert!(matches!(v.alg(), Algorithm::Ps256 | Algorithm::Es256));
                accepted = true;
            }
            Err(e) => assert!(!e.code().is_empty()),
        }
    }
    accepted
}

/// One bank deployment of the DCR corpus.
struct Deployment {
    validator: Validator,
    ssa_jwks: Jwks,
    software_jwks: Jwks,
    now: i64,
}

struct RegistrationFixture {
    deployments: Vec<Deployment>,
    /// Signing inputs of every request and software statement in the corpus.
    signed: BTreeSet<Vec<u8>>,
}

/// A deployment from a manifest's defaults, under a policy preset.
fn deployment(m: &Value, mode: Preset) -> Option<Deployment> {
    let defaults = m.get("defaults")?.as_object()?;
    let mut opts: Map<String, Value> = defaults.clone();
    for call_param in ["now", "ssa_jwks", "software_jwks"] {
        opts.remove(call_param);
    }
    opts.insert("policy".into(), Value::from(mode.name()));
    opts.remove("mode");
    RequestOptions::take_from(&mut opts).ok()?;
    if let Some(name) = opts.get("discovery").and_then(Value::as_str).map(str::to_owned) {
        opts.insert("discovery".into(), m.get("discovery")?.get(&name)?.clone());
    }
    let config = Options::from_value(Value::Object(opts)).ok()?.into_config(&Limits::DEFAULT).ok()?;
    let jwks = |key: &str| Jwks::from_value(m.get("jwks")?.get(defaults.get(key)?.as_str()?)?, &Limits::DEFAULT).ok();
    Some(Deployment {
        validator: Validator::new(config),
        ssa_jwks: jwks("ssa_jwks")?,
        software_jwks: jwks("software_jwks")?,
        now: defaults.get("now")?.as_i64()?,
    })
}

static REGISTRATION: LazyLock<RegistrationFixture> = LazyLock::new(|| {
    let mut deployments = Vec::new();
    let mut signed = BTreeSet::new();
    for text in DCR_MANIFESTS {
        let m = manifest(text);
        deployments.extend(Preset::ALL.into_iter().filter_map(|mode| deployment(&m, mode)));
        for case in m.get("cases").and_then(Value::as_array).into_iter().flatten() {
            let Some(token) = string_field(case, "token") else { continue };
            let Ok(jws) = CompactJws::parse(token, &Limits::DEFAULT) else { continue };
            signed.insert(jws.signing_input().to_vec());
            let ssa = jws.payload_json(&Limits::DEFAULT).ok();
            if let Some(input) =
                ssa.as_ref().and_then(|c| string_field(c, "software_statement")).and_then(signing_input)
            {
                signed.insert(input);
            }
        }
    }
    assert_eq!(
        deployments.len(),
        Preset::ALL.len() * DCR_MANIFESTS.len(),
        "a DCR manifest's defaults no longer build a config"
    );
    RegistrationFixture { deployments, signed }
});

/// A signature check as a memo key: algorithm, key thumbprint, signing input, signature.
type CheckKey = (&'static str, String, Vec<u8>, Vec<u8>);

thread_local! {
    /// The pure-Rust backend, with its key cache.
    static RUST_CRYPTO: RustCryptoVerifier = RustCryptoVerifier::new();
    /// Answers of the real verifier, bounded to 1024 entries (cleared when full).
    static MEMO: RefCell<HashMap<CheckKey, bool>> = RefCell::new(HashMap::new());
}

/// The pure-Rust verifier with a memo. A mutated request usually keeps its software statement,
/// whose signature would otherwise be re-verified in every deployment and run (RSA under ASan
/// costs about a millisecond); the answer for an identical check is the verifier's own.
fn memo_verify(check: &SignatureCheck<'_>) -> bool {
    let key =
        (check.alg.name(), check.key.thumbprint().to_owned(), check.signing_input.to_vec(), check.signature.to_vec());
    if let Some(answer) = MEMO.with(|m| m.borrow().get(&key).copied()) {
        return answer;
    }
    let answer = RUST_CRYPTO.with(|v| v.verify(check));
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= 1024 {
            m.clear();
        }
        m.insert(key, answer);
    });
    answer
}

/// The report invariants every host relies on.
fn check_report(report: &Report, token: &str, signed: &BTreeSet<Vec<u8>>) {
    let errors = report.findings.iter().filter(|f| f.severity == Severity::Error).count();
    // Valid only with proof: no error and both signatures verified; an error always rejects.
    assert_eq!(report.valid, report.error.is_none());
    assert_eq!(report.valid, errors == 0);
    assert_eq!(report.valid, report.error_description.is_none());
    if let Some(d) = &report.error_description {
        assert!(d.len() <= 500 && d.bytes().all(|b| (0x20..=0x7e).contains(&b) && b != b'"' && b != b'\\'), "{d:?}");
    }
    for f in &report.findings {
        assert!(!f.code.is_empty() && f.pointer.starts_with('/'), "{f:?}");
    }
    if report.valid {
        let request = report.request.as_ref().map(|r| (r.signature, &r.claims));
        let Some((SignatureStatus::Valid, claims)) = request else { panic!("accepted without a verified request") };
        assert_eq!(
            report.ssa.as_ref().map(|s| s.signature),
            Some(SignatureStatus::Valid),
            "accepted an unverified SSA"
        );
        let known = |t: Option<&str>| t.and_then(signing_input).is_some_and(|i| signed.contains(&i));
        assert!(known(Some(token)), "accepted a request no key holder signed");
        assert!(known(string_field(claims, "software_statement")), "accepted an SSA the directory never signed");
    }
}

/// Full registration validation in every corpus deployment (every preset): no panic, consistent
/// reports, no acceptance without real signatures, the one-call form and the driver agree.
pub fn registration(data: &[u8]) -> bool {
    let Ok(token) = std::str::from_utf8(data) else { return false };
    let fx = &*REGISTRATION;
    let mut accepted = false;
    for d in &fx.deployments {
        let request = || Request::register(token, d.now);
        let report = d.validator.validate(request(), &d.ssa_jwks, &d.software_jwks, &memo_verify);
        check_report(&report, token, &fx.signed);
        let mut session = Session::new(&d.validator, request());
        let stepwise = loop {
            let step = match session.awaiting() {
                Awaiting::DirectoryJwks => session.directory_jwks(&d.ssa_jwks),
                Awaiting::Signature => {
                    session.verify_with(&memo_verify);
                    Ok(())
                }
                Awaiting::SoftwareJwks => session.software_jwks(&d.software_jwks),
                _ => break session.report(),
            };
            assert!(step.is_ok(), "the session refused the call it waited for");
        };
        assert_eq!(stepwise.ok().as_ref(), Some(&report), "the session and the one-call reports differ");
        accepted |= report.valid;
    }
    accepted
}

/// One call of a host driving a [`Session`] in any order (decoded from fuzz input bytes).
#[derive(Debug, Clone, Copy)]
enum Call {
    Directory(u8),
    AnswerHonestly,
    AnswerTrue,
    AnswerFalse,
    Software(u8),
    Document,
    Stop,
    Report,
}

impl Call {
    fn from_byte(b: u8) -> Call {
        match b % 8 {
            0 => Call::Directory(b / 8),
            1 => Call::AnswerHonestly,
            2 => Call::AnswerTrue,
            3 => Call::AnswerFalse,
            4 => Call::Software(b / 8),
            5 => Call::Document,
            6 => Call::Stop,
            _ => Call::Report,
        }
    }
}

/// The driver under any call sequence: the first two input bytes pick a corpus case (little
/// endian, modulo the number of cases), the rest are calls in order (at most 16). Whatever the
/// order, a call the session does not wait for is refused and ends it; a report is valid only
/// if both signatures were answered `true`, and, when every answer was honest, only if both
/// really verified over inputs a key holder signed.
pub fn driver(data: &[u8]) -> bool {
    let fx = &*DRIVER;
    let [lo, hi, calls @ ..] = data else { return false };
    let pick = usize::from(u16::from_le_bytes([*lo, *hi]));
    let Some(case) = fx.cases.get(pick % fx.cases.len().max(1)) else { return false };
    let d = &REGISTRATION.deployments[case.deployment];
    let key_set = |i: u8| if i.is_multiple_of(2) { &d.ssa_jwks } else { &d.software_jwks };
    let mut session = Session::new(&d.validator, Request::register(&case.token, d.now));
    let mut answered_true = 0;
    let mut report = None;
    for call in calls.iter().map(|b| Call::from_byte(*b)).take(16) {
        let before = session.awaiting();
        let result = match call {
            Call::Directory(i) => session.directory_jwks(key_set(i)),
            Call::AnswerHonestly | Call::AnswerTrue | Call::AnswerFalse => {
                let truth = session.check().map(|c| memo_verify(&c));
                let answer = match call {
                    Call::AnswerTrue => true,
                    Call::AnswerFalse => false,
                    _ => truth.unwrap_or(false),
                };
                answered_true += usize::from(answer && truth.is_some());
                session.answer(answer)
            }
            Call::Software(i) => session.software_jwks(key_set(i)),
            Call::Document => session.software_jwks_document(case.token.as_bytes()),
            Call::Stop => session.stop(),
            Call::Report => session.report().map(|r| report = Some(r)),
        };
        let expected = match call {
            Call::Directory(_) => Awaiting::DirectoryJwks,
            Call::AnswerHonestly | Call::AnswerTrue | Call::AnswerFalse => Awaiting::Signature,
            Call::Software(_) | Call::Document | Call::Stop => Awaiting::SoftwareJwks,
            Call::Report => Awaiting::Report,
        };
        assert_eq!(result.is_ok(), before == expected, "{call:?} while awaiting {before:?}");
        if result.is_err() {
            // A refusal ends the session; a report taken before it stands (a call after the
            // report is a call the session no longer waits for).
            assert_eq!(session.awaiting(), Awaiting::Nothing, "a refused call left the session usable");
            assert!(session.report().is_err(), "a poisoned session reported");
            break;
        }
    }
    let Some(report) = report else { return false };
    // Corpus tokens only, so their signing inputs are known either way; what a lie can change
    // is the verdict, never the need for two `true` answers.
    check_report(&report, &case.token, &REGISTRATION.signed);
    if report.valid {
        assert!(answered_true >= 2, "valid with {answered_true} signature checks answered true");
        let signatures = [report.ssa.as_ref(), report.request.as_ref()].map(|j| j.map(|j| j.signature));
        assert_eq!(signatures, [Some(SignatureStatus::Valid); 2]);
    }

    report.valid
}

struct DriverFixture {
    cases: Vec<DriverCase>,
}

struct DriverCase {
    deployment: usize,
    token: String,
}

static DRIVER: LazyLock<DriverFixture> = LazyLock::new(|| {
    let mut cases = Vec::new();
    for (i, text) in DCR_MANIFESTS.iter().enumerate() {
        let m = manifest(text);
        for case in m.get("cases").and_then(Value::as_array).into_iter().flatten() {
            let Some(token) = string_field(case, "token") else { continue };
            // Each manifest's deployments in Preset::ALL order: interop first (see REGISTRATION).
            cases.push(DriverCase { deployment: Preset::ALL.len() * i, token: token.to_owned() });
        }
    }
    DriverFixture { cases }
});
