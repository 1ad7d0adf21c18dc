//! Fuzz target `verify`: see `dcr_guard_fuzz::checks::verify` for what it asserts. Inputs are
//! compact tokens; the mutator changes what a segment encodes (see `dcr_guard_fuzz::mutate`).
#![no_main]
use libfuzzer_sys::{fuzz_mutator, fuzz_target};

fuzz_target!(|data: &[u8]| {
    let _accepted = dcr_guard_fuzz::checks::verify(data);
});

fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    dcr_guard_fuzz::mutate::token(data, size, max_size, seed)
});
