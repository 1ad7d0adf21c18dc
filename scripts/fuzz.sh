#!/usr/bin/env bash
# Runs cargo-fuzz (libFuzzer) targets of fuzz/ for a bounded time each.
#
#   scripts/fuzz.sh [TARGET|all] [SECONDS]     default: all 45
#   scripts/fuzz.sh registration 3600          a long run of one target (hours: 28800 …)
#
# The committed seeds (fuzz/corpus/<target>) are read, never written: new inputs go to the
# scratch corpus fuzz/work/<target> (kept between runs, ignored by git), crashes to
# fuzz/artifacts/<target>/. A crash fails the run; to keep it as a regression test, copy the
# input to fuzz/regressions/<target>/ (crates/core/tests/fuzz_regressions.rs replays it) and fix
# the bug. Each run prints libFuzzer's final stats (executions, exec/s, coverage) and a summary
# line. Needs cargo-fuzz (scripts/setup.sh --fuzz installs the pinned version); the stable
# toolchain builds it with RUSTC_BOOTSTRAP=1 (sanitizer flags need nightly features).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT/fuzz"

TARGETS=(jws_parse jwks_parse verify registration driver)
target=${1:-all}
seconds=${2:-45}
case "$target" in
  all) selected=("${TARGETS[@]}") ;;
  jws_parse | jwks_parse | verify | registration | driver) selected=("$target") ;;
  *) echo "fuzz.sh: unknown target $target (one of: all ${TARGETS[*]})" >&2; exit 2 ;;
esac
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz.sh: SECONDS must be a whole number" >&2; exit 2; }

export RUSTC_BOOTSTRAP=1
# cargo-fuzz's default build: optimised, with debug assertions, overflow checks and ASan.
if [ "${#selected[@]}" = 1 ]; then cargo fuzz build "${selected[0]}"; else cargo fuzz build; fi
summary=()
for t in "${selected[@]}"; do
  mkdir -p "work/$t" "artifacts/$t"
  # A log of its own per run (the checkout may be shared), kept only when the run fails.
  log=$(mktemp "work/$t.XXXXXX.log")
  # -max_len: real requests are 2–6 KB, key sets up to ~30 KB (docs/limits.md); -rss_limit_mb
  # and -malloc_limit_mb turn an unbounded allocation into a crash; -timeout flags one slow input.
  echo "== fuzz $t for ${seconds}s"
  set +e
  cargo fuzz run "$t" "work/$t" "corpus/$t" -- \
    -max_total_time="$seconds" -max_len=32768 -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=10 \
    -dict=jose.dict -print_final_stats=1 -close_fd_mask=1 >"$log" 2>&1
  rc=$?
  set -e
  # -a: libFuzzer's log can hold raw input bytes (recommended dictionary entries).
  grep -a -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb|new_units_added)|^Done|ERROR|SUMMARY|Test unit written' "$log" || true
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  cov=$(grep -a -oE 'cov: [0-9]+' "$log" | tail -n 1)
  if [ "$rc" != 0 ]; then
    tail -n 40 "$log" | cut -c1-300
    echo "fuzz.sh: $t FAILED (exit $rc); the input is in fuzz/artifacts/$t/ and the log in fuzz/$log" >&2
    exit 1
  fi
  rm -f "$log"
  summary+=("$t: ${execs:-?} executions in ${seconds}s (${rate:-?} exec/s, ${cov:-cov: ?}), no crash")
done
printf '%s\n' "${summary[@]}"
