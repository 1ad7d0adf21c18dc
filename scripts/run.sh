#!/usr/bin/env bash
# The main job. Until the edge Worker demo lands, this checks the real public fixtures with the CLI.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
cargo build --release -p dcr-guard-cli
bin="$ROOT/target/release/dcr-guard"
fx="$ROOT/../shared/fixtures"
w="$fx/uk/wso2-sample"
set -x
"$bin" check --profile uk-obie-v3.3 --issuer https://localbank.com --mode lenient \
  --ssa-jwks "$w/signing.jwks.json" --software-jwks "$w/signing.jwks.json" --now 1751017100 "$w/register-post.jws" || true
"$bin" check --profile uk-obie-v3.3 --issuer https://localbank.com --mode strict \
  --ssa-jwks "$w/signing.jwks.json" --software-jwks "$w/signing.jwks.json" --now 1751017100 "$w/register-post.jws" || true
"$bin" verify --jwks "$fx/au/cds-example-jwks.json" "@$fx/au/cds-example-ssa.jws" || true
