# Sourced by the other scripts: puts the project's own tools first on PATH.
# (Node 22 from the npm registry under .tools/, cargo's bin directory, npm's .bin.)
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
export PATH="$ROOT/.tools/node22/node_modules/node/bin:$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false
# Versions that must agree with the repository (see docs/toolchain.md).
export WASM_BINDGEN_VERSION=0.2.130
export NODE_VERSION=22.23.3
