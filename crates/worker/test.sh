#!/usr/bin/env bash
# Builds the Worker (deployed build + test-clock build) and runs its tests in workerd.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/env.sh"
cd "$ROOT"
node crates/worker/build.mjs --test
node --test --test-concurrency=1 "tests/worker/*.test.mjs"
