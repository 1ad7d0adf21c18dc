// Sizes (not a test): the npm package's modules, what each entry of the package loads (its
// static imports and the .wasm it fetches or reads, followed from the sources: scripts/loaded.mjs),
// and the Worker's .wasm, raw and gzipped (level 9, file by file, as a server sends them). Needs
// the builds: `cd js && npm run build`, `node crates/worker/build.mjs --bench`.
// Usage: node js/bench/sizes.mjs [--json FILE]
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './fixtures.mjs';
import { loadedFiles, sizes } from '../scripts/loaded.mjs';

const JS = join(ROOT, 'js');
const FILES = {
  "npm .wasm with the pure-Rust crypto (`dcr-guard/sync`)": 'js/dist/dcr_guard_wasm_bg.wasm',
  'npm .wasm without it, opt-level s (`dcr-guard` in Node and workerd)': 'js/dist/dcr_guard_wasm_host_bg.wasm',
  'npm .wasm without it, opt-level z (`dcr-guard` in browsers)': 'js/dist/dcr_guard_wasm_web_bg.wasm',
  'Worker .wasm, deployed (WebCrypto)': 'crates/worker/build/pkg/dcr_guard_worker_bg.wasm',
  'Worker .wasm, pure-Rust backend (bench build)': 'target/worker-bench/rustcrypto/pkg/dcr_guard_worker_bg.wasm',
};
/** package entry → what it is. */
const ENTRIES = {
  'lib/node.js': '`dcr-guard` in Node',
  'lib/browser.js': '`dcr-guard` in browsers (what `checkRegistration` needs)',
  'lib/workerd.js': '`dcr-guard` in workerd',
  'lib/node-sync.js': '`dcr-guard/sync` in Node',
  'lib/browser-sync.js': '`dcr-guard/sync` in browsers',
  'lib/workerd-sync.js': '`dcr-guard/sync` in workerd',
};

const rows = [];
for (const [label, file] of Object.entries(FILES)) {
  if (!existsSync(join(ROOT, file))) {
    rows.push({ label, missing: true });
    continue;
  }
  rows.push({ label, ...sizes(ROOT, [file]) });
}
const entries = [];
if (existsSync(join(JS, 'dist', 'dcr_guard_wasm_bg.wasm'))) {
  for (const [entry, label] of Object.entries(ENTRIES)) {
    const files = loadedFiles(JS, entry);
    entries.push({ entry, label, files, ...sizes(JS, files) });
  }
}
const kb = (b) => (b / 1000).toFixed(1);
console.log('\n| artefact | raw KB | gzip KB |');
console.log('|---|---:|---:|');
for (const r of rows) console.log(r.missing ? `| ${r.label} | not built | |` : `| ${r.label} | ${kb(r.raw)} | ${kb(r.gzip)} |`);
console.log('\n| npm entry | loads | raw KB | gzip KB (JS + wasm) |');
console.log('|---|---|---:|---:|');
for (const e of entries) {
  console.log(`| ${e.label} | ${e.files.map((f) => f.split('/').pop()).join(', ')} | ${kb(e.raw)} | ${kb(e.gzip)} (${kb(e.jsGzip)} + ${kb(e.wasmGzip)}) |`);
}
const arg = process.argv.indexOf('--json');
if (arg > 0) writeFileSync(process.argv[arg + 1], JSON.stringify({ rows, entries }, null, 2));
