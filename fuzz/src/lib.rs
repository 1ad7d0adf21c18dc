//! Shared parts of dcr-guard's fuzz targets: the invariants each target checks on one input
//! ([`checks`], also replayed by `cargo test` in crates/core/tests/fuzz_regressions.rs) and the
//! structure-aware mutators ([`mutate`]).

pub mod checks;
pub mod mutate;
