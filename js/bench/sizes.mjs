// Sizes (not a test): the npm package's .wasm and the Worker's .wasm, raw and gzipped (level 9),
// plus the pure-Rust Worker build for comparison. Needs the builds: `cd js && npm run build`,
// `node crates/worker/build.mjs --bench`. Usage: node js/bench/sizes.mjs [--json FILE]
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './fixtures.mjs';

const FILES = {
  'npm .wasm with the pure-Rust crypto (browsers, workerd, `crypto: \'wasm\'`)': 'js/dist/dcr_guard_wasm_bg.wasm',
  'npm .wasm without it (Node\'s default path)': 'js/dist/dcr_guard_wasm_host_bg.wasm',
  'npm glues + api.js + node.js + nodecrypto.js': ['js/dist/dcr_guard_wasm.js', 'js/dist/dcr_guard_wasm_host.js', 'js/src/api.js', 'js/src/node.js', 'js/src/nodecrypto.js'],
  'what the Node entry loads by default (the above but the first)': ['js/dist/dcr_guard_wasm_host_bg.wasm', 'js/dist/dcr_guard_wasm.js', 'js/dist/dcr_guard_wasm_host.js', 'js/src/api.js', 'js/src/node.js', 'js/src/nodecrypto.js'],
  'Worker .wasm, deployed (WebCrypto)': 'crates/worker/build/pkg/dcr_guard_worker_bg.wasm',
  'Worker .wasm, pure-Rust backend (bench build)': 'target/worker-bench/rustcrypto/pkg/dcr_guard_worker_bg.wasm',
};

const rows = [];
for (const [label, files] of Object.entries(FILES)) {
  const list = [files].flat().map((f) => join(ROOT, f));
  if (!list.every(existsSync)) {
    rows.push({ label, missing: true });
    continue;
  }
  const raw = list.reduce((a, f) => a + statSync(f).size, 0);
  const gzip = list.reduce((a, f) => a + gzipSync(readFileSync(f), { level: 9 }).length, 0);
  rows.push({ label, raw, gzip });
}
const kb = (b) => (b / 1000).toFixed(1);
console.log('\n| artefact | raw KB | gzip KB |');
console.log('|---|---:|---:|');
for (const r of rows) console.log(r.missing ? `| ${r.label} | not built | |` : `| ${r.label} | ${kb(r.raw)} | ${kb(r.gzip)} |`);
const arg = process.argv.indexOf('--json');
if (arg > 0) writeFileSync(process.argv[arg + 1], JSON.stringify(rows, null, 2));
