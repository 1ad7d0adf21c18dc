//! Native benchmarks of the core: parse, verify (PS256, ES256) and full validation.
//! `cargo bench -p dcr-guard-core` prints the figures; nothing here asserts a time.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use core::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use dcr_guard_core::Limits;
use dcr_guard_core::dcr::{Config, Mode, Profile, Validator};
use dcr_guard_core::jose::{AlgorithmPolicy, CompactJws, Jwks, RustCryptoVerifier, verify_compact};

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!("{}/../../../shared/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

const ES256_TOKEN: &str = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
const ES256_JWKS: &str = r#"{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}"#;

fn benches(c: &mut Criterion) {
    let limits = Limits::DEFAULT;
    let ps_token = fixture("au/cds-example-ssa.jws");
    let ps_jwks_text = fixture("au/cds-example-jwks.json");
    let ps_jwks = Jwks::parse(ps_jwks_text.as_bytes(), &limits).unwrap();
    let es_jwks = Jwks::parse(ES256_JWKS.as_bytes(), &limits).unwrap();

    c.bench_function("parse compact JWS (CDS SSA, 1.9 KB)", |b| {
        b.iter(|| CompactJws::parse(black_box(ps_token.trim()), &limits).unwrap())
    });
    c.bench_function("parse JWKS (one RSA-2048 key)", |b| {
        b.iter(|| Jwks::parse(black_box(ps_jwks_text.as_bytes()), &limits).unwrap())
    });
    c.bench_function("verify PS256 (RSA-2048)", |b| {
        b.iter(|| {
            verify_compact(black_box(ps_token.trim()), &ps_jwks, AlgorithmPolicy::FAPI, &limits, &RustCryptoVerifier)
                .unwrap()
        })
    });
    c.bench_function("verify ES256 (P-256)", |b| {
        b.iter(|| {
            verify_compact(black_box(ES256_TOKEN), &es_jwks, AlgorithmPolicy::FAPI, &limits, &RustCryptoVerifier)
                .unwrap()
        })
    });

    let w = "uk/wso2-sample";
    let request = fixture(&format!("{w}/register-post.jws"));
    let wso2_jwks = Jwks::parse(fixture(&format!("{w}/signing.jwks.json")).as_bytes(), &limits).unwrap();
    let mut config = Config::new(Profile::UkObieV33, "https://localbank.com");
    config.mode = Mode::Lenient;
    let validator = Validator::new(config);
    c.bench_function("validate registration (UK v3.3, two PS256 signatures)", |b| {
        b.iter(|| {
            validator.validate(black_box(request.trim()), &wso2_jwks, &wso2_jwks, 1_751_017_100, &RustCryptoVerifier)
        })
    });
}

criterion_group!(name = core; config = Criterion::default().sample_size(30); targets = benches);
criterion_main!(core);
