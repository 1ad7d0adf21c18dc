#!/usr/bin/env bash
# The main job: dcr-guard's edge Worker in front of a demo bank, locally in the real workerd
# runtime (wrangler dev), with a demo directory; prints sample requests to try with curl.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"

PORT="${PORT:-8787}"
printf '\n== building the Worker (Rust → wasm) and the npm package\n'
node crates/worker/build.mjs
(cd js && npm run build --silent)
printf '\n== minting demo keys and sample requests (test keys, valid for one hour)\n'
node crates/worker/demo/gen-demo.mjs

S=crates/worker/demo/.run/samples
cat <<INFO

dcr-guard demo — http://127.0.0.1:$PORT/register  (profile uk-obie-v3.3, strict)
  The Worker validates every registration; only valid ones reach the demo bank, which checks
  the DCR-Guard-Verified header and answers 201. Decisions are logged as JSON below.

Try:
  curl -i -H 'content-type: application/jwt' --data-binary @$S/valid.jwt http://127.0.0.1:$PORT/register
      → 201 from the bank; send it again → 400 replay.jti_reused
$(for f in "$S"/*.jwt; do n=$(basename "$f" .jwt); [ "$n" = valid ] && continue; p=/register; case "$n" in au-*) p=/au/register;; esac; printf "  curl -s -H 'content-type: application/jwt' --data-binary @%s http://127.0.0.1:%s%s   # %s\n" "$f" "$PORT" "$p" "$n"; done)
  curl -i -H 'content-type: text/plain' --data-binary @$S/valid.jwt http://127.0.0.1:$PORT/register   # 415
  curl -i -H "authorization: Bearer \$(cat $S/management-valid.token)" http://127.0.0.1:$PORT/register/c-1     # management GET → the bank
  curl -s -H "authorization: Bearer \$(cat $S/management-expired.token)" http://127.0.0.1:$PORT/register/c-1   # 401 token.expired
  (revoked-key, bad-sector and au-inactive are refused by checks with I/O: the revoked key set, the
   sector_identifier_uri document and the CDR Register status feed the demo directory serves;
   /au/register is a second guard, au-cdr, that polls the demo Register's status)
  ./target/release/dcr-guard decode @$S/bad-redirect.jwt     # look inside a sample (cargo build --release -p dcr-guard-cli)

Debugger page: http://127.0.0.1:$PORT/debugger/  (runs entirely in your browser)
Stop with Ctrl-C.
INFO
# State (replay store, caches) lives with this run's keys and goes away with them.
exec wrangler dev -c crates/worker/demo/router.toml -c crates/worker/demo/guard.toml -c crates/worker/demo/guard-au.toml \
  -c crates/worker/demo/bank.toml -c crates/worker/demo/directory.toml \
  --ip 127.0.0.1 --port "$PORT" --persist-to crates/worker/demo/.run/state
