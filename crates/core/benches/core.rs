//! Native benchmarks of the core (criterion): parse, verify and full validation for PS256 and
//! ES256, plus full validation with the signature arithmetic taken out (a verifier that answers
//! `true`), which is the share of parsing, policy and claim checks. Inputs come from the committed
//! DCR corpus (tests/vectors/dcr/uk-obie-v3.3.json). `cargo bench -p dcr-guard-core` (or
//! scripts/bench.sh) prints the figures; nothing here asserts a time.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use core::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use dcr_guard_core::Limits;
use dcr_guard_core::dcr::{ClientCert, Config, Report, Request, Step, Validator};
use dcr_guard_core::jose::{AlgorithmPolicy, CompactJws, Jwks, RustCryptoVerifier, SignatureCheck, verify_compact};
use serde_json::Value;

struct Corpus {
    doc: Value,
}

impl Corpus {
    fn load() -> Corpus {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/dcr/uk-obie-v3.3.json");
        Corpus { doc: serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap() }
    }

    fn token(&self, id: &str) -> String {
        let case = self.doc["cases"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap();
        case["token"].as_str().unwrap().to_owned()
    }

    fn jwks(&self, name: &str) -> Jwks {
        Jwks::parse(self.doc["jwks"][name].to_string().as_bytes(), &Limits::DEFAULT).unwrap()
    }

    fn validator(&self) -> Validator {
        let d = &self.doc["defaults"];
        let options = serde_json::json!({
            "profile": d["profile"], "issuer": d["issuer"], "audiences": d["audiences"], "mode": d["mode"],
        });
        let config: Config =
            dcr_guard_core::dcr::Options::from_value(options).and_then(|o| o.into_config(&Limits::DEFAULT)).unwrap();
        Validator::new(config)
    }

    fn now(&self) -> i64 {
        self.doc["defaults"]["now"].as_i64().unwrap()
    }
}

/// The software statement a request carries.
fn ssa_of(request: &str) -> String {
    let jws = CompactJws::parse(request, &Limits::DEFAULT).unwrap();
    let claims = jws.payload_json(&Limits::DEFAULT).unwrap();
    claims["software_statement"].as_str().unwrap().to_owned()
}

fn benches(c: &mut Criterion) {
    let limits = Limits::DEFAULT;
    let corpus = Corpus::load();
    let (directory, software) = (corpus.jwks("directory"), corpus.jwks("software"));
    let validator = corpus.validator();
    let now = corpus.now();
    // PS256: the baseline request and its SSA (both PS256). ES256: the ES256 request (its SSA is PS256).
    let ps_request = corpus.token("uk-obie-v3.3/baseline");
    let es_request = corpus.token("uk-obie-v3.3/es256-request");
    let ps_ssa = ssa_of(&ps_request);
    let answer_true = |_: &SignatureCheck<'_>| true;
    // One verifier for the whole run, as a host keeps it: its key cache holds the imported keys.
    let verifier = RustCryptoVerifier::new();

    for (alg, request, single, jwks) in
        [("PS256", &ps_request, &ps_ssa, &directory), ("ES256", &es_request, &es_request, &software)]
    {
        c.bench_function(&format!("{alg}: parse compact JWS ({} B)", single.len()), |b| {
            b.iter(|| CompactJws::parse(black_box(single), &limits).unwrap())
        });
        c.bench_function(&format!("{alg}: verify (parse, key selection, signature)"), |b| {
            b.iter(|| verify_compact(black_box(single), jwks, AlgorithmPolicy::FAPI, &limits, &verifier).unwrap())
        });
        c.bench_function(&format!("{alg}: validate registration (request {alg} + SSA PS256)"), |b| {
            b.iter(|| {
                let r =
                    validator.validate(Request::register(black_box(request), now), &directory, &software, &verifier);
                assert!(r.valid);
                r
            })
        });
        c.bench_function(&format!("{alg}: validate registration, signatures answered true (parsing + rules)"), |b| {
            b.iter(|| {
                validator.validate(Request::register(black_box(request), now), &directory, &software, &answer_true)
            })
        });
    }
    // The checks with I/O (issue 14) answered from memory: the transport certificate (the WSO2
    // sample's) against a use=tls key, both revoked sets (empty). Signatures answered true, so the
    // difference to "signatures answered true" above is the checks' own CPU.
    let certs: Value = serde_json::from_str(include_str!("../../../tests/vectors/edge/certs.json")).unwrap();
    let t = &certs["wso2-transport"];
    let mut with_tls = corpus.doc["jwks"]["software"].clone();
    let mut tls = t["jwk"].clone();
    tls["use"] = "tls".into();
    tls["kid"] = "tls-1".into();
    tls["x5c"] = serde_json::json!([t["x5c"]]);
    with_tls["keys"].as_array_mut().unwrap().push(tls);
    let with_tls = Jwks::from_value(&with_tls, &limits).unwrap();
    let sha256: Vec<u8> =
        (0..64).step_by(2).map(|i| u8::from_str_radix(&t["sha256"].as_str().unwrap()[i..i + 2], 16).unwrap()).collect();
    let cert = ClientCert::new("CN=oQ4KoaavpOuoE7rvQsZEOV,OU=0015800001HQQrZAAX,O=OpenBanking,C=GB")
        .with_sha256_fingerprint(sha256.try_into().unwrap());
    let mut config = validator.config().clone();
    config.revocation = true;
    let io_validator = Validator::new(config);
    let revoked = Jwks::parse(br#"{"keys":[]}"#, &limits).unwrap();
    let drive = |v: &Validator, software: &Jwks, cert: Option<ClientCert>| -> Report {
        let mut validation = v.start(Request::register(black_box(&ps_request), now).with_client_cert(cert));
        loop {
            validation = match validation.next() {
                Step::NeedDirectoryJwks(n) => n.provide(&directory),
                Step::Verify(check) => check.answer(true),
                Step::NeedSoftwareJwks(n) => n.provide(software),
                Step::NeedRevokedJwks(n) => n.provide(&revoked),
                Step::Done(r) => return r,
                _ => panic!("not configured"),
            };
        }
    };
    c.bench_function("PS256: driven, signatures answered true, no checks with I/O", |b| {
        b.iter(|| {
            let r = drive(&validator, &with_tls, None);
            assert!(r.valid);
            r
        })
    });
    c.bench_function("PS256: driven, signatures answered true, transport certificate + both revoked sets", |b| {
        b.iter(|| {
            let r = drive(&io_validator, &with_tls, Some(cert.clone()));
            assert!(r.valid);
            r
        })
    });
    c.bench_function("parse JWKS (two keys)", |b| {
        let text = corpus.doc["jwks"]["software"].to_string();
        b.iter(|| Jwks::parse(black_box(text.as_bytes()), &limits).unwrap())
    });
}

criterion_group!(name = core; config = Criterion::default().sample_size(20).measurement_time(core::time::Duration::from_secs(2)); targets = benches);
criterion_main!(core);
