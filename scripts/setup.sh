#!/usr/bin/env bash
# Installs everything the build and the tests need, idempotently, on a fresh machine:
#   rust wasm targets, wasm-bindgen-cli (= the crate version), Node 22 from the npm registry,
#   the npm dependencies, and on request:
#     --browser    Chromium from Debian's packages (the browser tests)
#     --fuzz       cargo-fuzz $CARGO_FUZZ_VERSION from crates.io (scripts/fuzz.sh)
#     --jwcrypto   a Python venv in .tools/py with tests/diff/requirements.txt (the differential test)
# Every step checks first and does nothing when the right version is already there.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

CARGO_FUZZ_VERSION=0.13.2
browser=0 fuzz=0 jwcrypto=0
for arg in "$@"; do
  case "$arg" in
    --browser) browser=1 ;;
    --fuzz) fuzz=1 ;;
    --jwcrypto) jwcrypto=1 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

step() { printf '\n== %s\n' "$*"; }

# Tools are built for a quick install, not for speed: they process a few files per run, and
# their output does not depend on how they were optimised (wasm-bindgen's output was compared
# byte for byte). On 2 cores this takes wasm-bindgen-cli from about 6.5 to 2.3 minutes.
quick_install() {
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_DEBUG=0 cargo install "$@"
}

step "rust targets"
installed=$(rustup target list --installed)
for t in wasm32-unknown-unknown wasm32v1-none; do
  grep -qx "$t" <<<"$installed" || rustup target add "$t"
done

step "wasm-bindgen-cli $WASM_BINDGEN_VERSION"
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
  # Not --locked: the locked webpki-roots version is missing from the registry index here.
  quick_install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
wasm-bindgen --version

step "node $NODE_VERSION (from the npm registry)"
if [ "$(node --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
  mkdir -p .tools/node22
  (cd .tools/node22 && echo '{"private":true}' > package.json \
    && npm install --no-save --no-package-lock "node@$NODE_VERSION")
fi
node --version

step "npm dependencies"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

if [ "$browser" = 1 ]; then
  step "chromium (and openssl: the debugger page test's HTTPS key store makes its certificate)"
  if ! command -v chromium >/dev/null || ! command -v openssl >/dev/null; then
    sudo_=""; [ "$(id -u)" = 0 ] || sudo_="sudo"
    $sudo_ apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq chromium openssl >/dev/null
  fi
  chromium --version
  openssl version
fi

if [ "$fuzz" = 1 ]; then
  step "cargo-fuzz $CARGO_FUZZ_VERSION"
  if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
    quick_install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
  fi
  cargo fuzz --version
fi

if [ "$jwcrypto" = 1 ]; then
  step "python venv with jwcrypto (.tools/py)"
  req=tests/diff/requirements.txt
  if [ ! -x .tools/py/bin/python ] || ! cmp -s "$req" .tools/py/requirements.installed; then
    python3 -m venv .tools/py
    .tools/py/bin/pip install --quiet --disable-pip-version-check -r "$req"
    cp "$req" .tools/py/requirements.installed
  fi
  .tools/py/bin/pip list --disable-pip-version-check 2>/dev/null | grep -Ei '^(jwcrypto|cryptography) '
fi
