//! Fuzz target `driver`: see `dcr_guard_fuzz::checks::driver` for what it asserts. Inputs pick a
//! corpus registration and a sequence of host calls on a `Session` (any order, any answers).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _accepted = dcr_guard_fuzz::checks::driver(data);
});
