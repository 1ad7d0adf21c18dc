//! The fuzz targets' invariants (fuzz/src/checks.rs, shared by path) over the committed seed
//! corpora (fuzz/corpus/<target>/) and every kept crash input (fuzz/regressions/<target>/), so
//! `cargo test` replays what libFuzzer found without needing cargo-fuzz or a nightly feature.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "../../../fuzz/src/checks.rs"]
mod checks;

use std::path::PathBuf;

/// A target's check: whether the input was accepted; panics when an invariant breaks.
type Check = fn(&[u8]) -> bool;

const TARGETS: [(&str, Check); 5] = [
    ("jws_parse", checks::jws_parse),
    ("jwks_parse", checks::jwks_parse),
    ("verify", checks::verify),
    ("registration", checks::registration),
    ("driver", checks::driver),
];

fn files(dir: &str, target: &str) -> Vec<PathBuf> {
    let path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz")).join(dir).join(target);
    let Ok(entries) = std::fs::read_dir(&path) else { return Vec::new() };
    let mut v: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
    v.sort();
    v
}

/// Runs one target's check over one input, naming the file if it panics.
fn replay(target: &str, check: Check, path: &PathBuf) -> bool {
    let data = std::fs::read(path).unwrap();
    let outcome = std::panic::catch_unwind(|| check(&data));
    outcome.unwrap_or_else(|_| panic!("{target}: {} breaks an invariant", path.display()))
}

#[test]
fn seed_corpora_hold_the_invariants() {
    for (target, check) in TARGETS {
        let seeds = files("corpus", target);
        // A target without seeds would fuzz blind and this test would check nothing.
        assert!(seeds.len() >= 20, "fuzz/corpus/{target} has {} seeds (node fuzz/seed-corpus.mjs)", seeds.len());
        let accepted = seeds.iter().filter(|path| replay(target, check, path)).count();
        // Seeds that no longer verify (regenerated vectors) would leave the fuzzer outside the
        // signature checks: the baselines of every DCR manifest, and many JOSE tokens, must pass.
        let floor = match target {
            "registration" => 5,
            // Each picked valid case's honest and lying-true sequences are accepted.
            "driver" => 20,
            _ => 10,
        };
        assert!(accepted >= floor, "{target}: only {accepted} seeds accepted; run node fuzz/seed-corpus.mjs");
        println!("{target:13} {} seeds, {accepted} accepted", seeds.len());
    }
}

#[test]
fn kept_crash_inputs_stay_fixed() {
    let mut total = 0;
    for (target, check) in TARGETS {
        for path in files("regressions", target) {
            let _accepted = replay(target, check, &path);
            total += 1;
        }
    }
    println!("{total} regression inputs");
}
