// What an entry of the package loads: the files reached from it by static relative imports and
// by `new URL('….wasm', import.meta.url)` (the .wasm an entry fetches or reads), read from the
// sources themselves, so a size figure cannot go stale when an entry changes its imports. Used
// by test/install.test.mjs (budgets) and bench/sizes.mjs (the table).
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const IMPORT = /(?:^|[\s;])(?:import|export)\s*(?:[\w*{}\s,$]+?\s*from\s*)?['"](\.{1,2}\/[^'"]+)['"]/g;
const WASM_URL = /new URL\(\s*['"](\.{1,2}\/[^'"]+\.wasm)['"]\s*,\s*import\.meta\.url\s*\)/g;

/** The package-relative paths `entry` (package-relative) loads, itself first. */
export function loadedFiles(pkg, entry) {
  const seen = new Set();
  const visit = (rel) => {
    if (seen.has(rel)) return;
    seen.add(rel);
    if (!rel.endsWith('.js')) return;
    const text = readFileSync(join(pkg, rel), 'utf8');
    for (const re of [IMPORT, WASM_URL]) {
      for (const m of text.matchAll(re)) visit(relative(pkg, join(pkg, dirname(rel), m[1])));
    }
  };
  visit(entry);
  return [...seen];
}

/** Raw and gzip (level 9, each file on its own, as a server sends them) bytes of `files`. */
export function sizes(pkg, files) {
  let raw = 0;
  let gzip = 0;
  let wasmGzip = 0;
  for (const f of files) {
    const bytes = readFileSync(join(pkg, f));
    const g = gzipSync(bytes, { level: 9 }).length;
    raw += statSync(join(pkg, f)).size;
    gzip += g;
    if (f.endsWith('.wasm')) wasmGzip += g;
  }
  return { raw, gzip, jsGzip: gzip - wasmGzip, wasmGzip };
}
