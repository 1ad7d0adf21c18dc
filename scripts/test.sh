#!/usr/bin/env bash
# Runs every test: formatting, lints, Rust tests (native, including the fuzz corpora and kept
# crash inputs), the JWS differential test against jose and jwcrypto, the no_std proof build, the npm package (Node, Chromium, workerd), the Worker in
# workerd, and a bounded libFuzzer run of every fuzz target (FUZZ_SECONDS each, default 45).
# Installs what it needs first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh" --browser --fuzz --jwcrypto

start=$(date +%s)
# Each step prints the seconds elapsed so far: the CI budget is easy to watch.
step() { printf '\n== %s  [%d s]\n' "$*" "$(( $(date +%s) - start ))"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all crates, all targets, -D warnings)"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo test"
cargo test --workspace

step "core examples (they assert their outcome)"
cargo run -q -p dcr-guard-core --example one_call >/dev/null
cargo run -q -p dcr-guard-core --example stepwise >/dev/null

step "JWS differential: seeded tokens through npm jose, Python jwcrypto and dcr-guard (tests/diff)"
# target/debug/dcr-guard is the binary `cargo test` just built for the CLI's tests (a separate
# `cargo build -p dcr-guard-cli` would resolve other features and rebuild the core: 40 s).
node --test tests/diff/jws.test.mjs

step "no_std proof: dcr-guard-core for wasm32v1-none (core + alloc only)"
cargo build -p dcr-guard-core --release --target wasm32v1-none
cargo build -p dcr-guard-core --release --target wasm32v1-none --no-default-features

step "npm package: build (wasm, pinned wasm-bindgen, npm binaryen) and test (Node, Chromium, bundlers, workerd)"
(cd js && npm run build && npm test)

if [ -x crates/worker/test.sh ]; then step "edge Worker in workerd"; "$ROOT/crates/worker/test.sh"; fi

step "fuzzing: every target for ${FUZZ_SECONDS:-45} s (cargo-fuzz, libFuzzer + ASan)"
"$ROOT/scripts/fuzz.sh" all "${FUZZ_SECONDS:-45}"

step "all tests passed in $(( $(date +%s) - start )) s"
