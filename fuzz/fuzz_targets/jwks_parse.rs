//! Fuzz target `jwks_parse`: see `dcr_guard_fuzz::checks::jwks_parse` for what it asserts.
//! Inputs are JWKS documents; the mutator changes one member of one key (see
//! `dcr_guard_fuzz::mutate::jwks`).
#![no_main]
use libfuzzer_sys::{fuzz_mutator, fuzz_target};

fuzz_target!(|data: &[u8]| {
    let _accepted = dcr_guard_fuzz::checks::jwks_parse(data);
});

fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    dcr_guard_fuzz::mutate::jwks(data, size, max_size, seed)
});
