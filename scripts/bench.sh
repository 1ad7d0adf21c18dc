#!/usr/bin/env bash
# Runs every benchmark and prints their tables (benchmarks print figures; no test asserts a
# time): Node (dcr-guard host crypto, dcr-guard pure wasm, the jose pipeline), workerd (the
# Worker vs raw WebCrypto, cold starts), native criterion benches of the core, and sizes.
# Builds what it needs first, and ends with one summary table (js/bench/summary.mjs: each
# target's figure, anchor and ratio from this run, with the machine's load at the start and the
# end). docs/performance.md explains the figures.
#   ./scripts/bench.sh            # everything (about 5 minutes on 2 cores, builds included)
#   BENCH_QUICK=1 ./scripts/bench.sh   # fewer rounds, for a smoke run
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"

out="$ROOT/target/bench"
mkdir -p "$out"
rm -f "$out"/*.json "$out"/uptime-*.txt "$out"/summary.md
if [ -n "${BENCH_QUICK:-}" ]; then
  node_args=(--rounds 3 --ms 150); workerd_args=(--rounds 3 --n 50 --cold 5); criterion_args=(--warm-up-time 1 --measurement-time 1)
else
  node_args=(--rounds 15 --ms 300); workerd_args=(--rounds 9 --n 200 --cold 11); criterion_args=()
fi

step() { printf '\n== %s\n' "$*"; }

step "build: npm package and Worker (deployed + benchmark builds)"
(cd js && node scripts/build.mjs) > "$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
node crates/worker/build.mjs --bench >> "$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }

uptime > "$out/uptime-start.txt"
step "machine: $(cat "$out/uptime-start.txt")"

step "Node: full registration validation and single verifies"
node js/bench/node.mjs "${node_args[@]}" --json "$out/node.json"

step "workerd: CPU per validation and cold start"
node js/bench/workerd.mjs "${workerd_args[@]}" --json "$out/workerd.json"

step "native: criterion benches of the core (parse, verify, validate; PS256 and ES256)"
cargo bench -p dcr-guard-core --bench core -- "${criterion_args[@]}" > "$out/criterion.txt" 2>&1 || { cat "$out/criterion.txt"; exit 1; }
node js/bench/criterion.mjs --json "$out/criterion.json"

step "sizes"
node js/bench/sizes.mjs --json "$out/sizes.json"

uptime > "$out/uptime-end.txt"
step "machine: $(cat "$out/uptime-end.txt")"

# The closing table: issue 15's five figures from the JSON above (also in target/bench/summary.md).
node js/bench/summary.mjs --dir "$out"
