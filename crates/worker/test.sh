#!/usr/bin/env bash
# Builds the Worker (deployed build + test-clock build) and runs its tests in workerd.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/env.sh"
cd "$ROOT"
# The demo test serves the debugger page from the npm package's build: build it if missing.
[ -f js/dist/dcr_guard_wasm_bg.wasm ] && [ -f js/site/samples.js ] || (cd js && npm run build)
node crates/worker/build.mjs --test
node --test --test-concurrency=1 "tests/worker/*.test.mjs"
