// The packed tarball, installed into a fresh folder, used from a plain ESM script as a new user
// would; what ships; and how big it is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, installed } from './helpers.mjs';
import { loadedFiles, sizes } from '../scripts/loaded.mjs';

const { dir, pkg } = installed();

test('a fresh ESM project can import and use the package', () => {
  const script = `
import { readFileSync } from 'node:fs';
import { verifyJws, decodeJws, validateRegistration, DcrGuardError } from 'dcr-guard';
const fx = (p) => readFileSync(${JSON.stringify(FIXTURES)} + '/' + p, 'utf8').trim();
const v = verifyJws(fx('au/cds-example-ssa.jws'), fx('au/cds-example-jwks.json'));
const w = fx('uk/wso2-sample/signing.jwks.json');
const r = validateRegistration(fx('uk/wso2-sample/register-post.jws'), {
  profile: 'uk-obie-v3.3', issuer: 'https://localbank.com', mode: 'lenient', ssaJwks: w, softwareJwks: w, now: 1751017100 });
let code; try { decodeJws('x'); } catch (e) { code = e instanceof DcrGuardError && e.code; }
console.log(JSON.stringify({ verified: v.valid, accepted: r.valid, warnings: r.findings.length, code }));
`;
  writeFileSync(join(dir, 'use.mjs'), script);
  const out = JSON.parse(execFileSync(process.execPath, ['use.mjs'], { cwd: dir, encoding: 'utf8' }));
  assert.deepEqual(out, { verified: true, accepted: true, warnings: 3, code: 'ERR_DCR_GUARD_JWS_MALFORMED' });
});

test('the Node entry reads nothing at import, then only the module without the pure-Rust crypto; dcr-guard/sync reads the one with it', () => {
  // Records every .wasm file the process reads (the entry reads modules with fs.readFileSync).
  writeFileSync(join(dir, 'record-reads.mjs'), `
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
const original = fs.readFileSync;
globalThis.wasmReads = [];
fs.readFileSync = function (path, ...rest) {
  const p = String(path instanceof URL ? path.pathname : path);
  if (p.endsWith('.wasm')) globalThis.wasmReads.push(p.split('/').pop());
  return original.call(this, path, ...rest);
};
syncBuiltinESMExports();
`);
  writeFileSync(join(dir, 'reads.mjs'), `
import { readFileSync } from 'node:fs';
import { verifyJws, verifyJwsAsync } from 'dcr-guard';
import * as sync from 'dcr-guard/sync';
const fx = (p) => readFileSync(${JSON.stringify(FIXTURES)} + '/' + p, 'utf8').trim();
const [jws, jwks] = [fx('au/cds-example-ssa.jws'), fx('au/cds-example-jwks.json')];
const atImport = [...globalThis.wasmReads];
const host = [verifyJws(jws, jwks).valid, (await verifyJwsAsync(jws, jwks)).valid];
let refused;
try { verifyJws(jws, jwks, { crypto: 'wasm' }); } catch (e) { refused = e.code; }
const before = [...globalThis.wasmReads];
const wasm = sync.verifyJws(jws, jwks, { crypto: 'wasm' }).valid;
console.log(JSON.stringify({ atImport, host, refused, wasm, before, after: globalThis.wasmReads }));
`);
  const out = JSON.parse(execFileSync(process.execPath, ['--import', './record-reads.mjs', 'reads.mjs'], { cwd: dir, encoding: 'utf8' }));
  assert.deepEqual(out, {
    atImport: [],
    host: [true, true],
    refused: 'ERR_DCR_GUARD_WASM_CRYPTO_UNAVAILABLE',
    wasm: true,
    before: ['dcr_guard_wasm_host_bg.wasm'],
    after: ['dcr_guard_wasm_host_bg.wasm', 'dcr_guard_wasm_bg.wasm'],
  });
});

test('CommonJS: require() works (Node >= 20.19: no top-level await anywhere), and so does import()', () => {
  writeFileSync(join(dir, 'use.cjs'), `
const { readFileSync } = require('node:fs');
const fx = (p) => readFileSync(${JSON.stringify(FIXTURES)} + '/' + p, 'utf8').trim();
const [jws, jwks] = [fx('au/cds-example-ssa.jws'), fx('au/cds-example-jwks.json')];
const required = require('dcr-guard');
const requiredSync = require('dcr-guard/sync');
import('dcr-guard').then(async (imported) => {
  console.log(JSON.stringify({
    required: required.verifyJws(jws, jwks).valid,
    requiredSync: requiredSync.verifyJws(jws, jwks, { crypto: 'wasm' }).valid,
    imported: (await imported.verifyJwsAsync(jws, jwks)).valid,
    same: imported.verifyJws === required.verifyJws,
  }));
});
`);
  const out = JSON.parse(execFileSync(process.execPath, ['use.cjs'], { cwd: dir, encoding: 'utf8' }));
  assert.deepEqual(out, { required: true, requiredSync: true, imported: true, same: true });
});

test('a missing .wasm is a DcrGuardError (ERR_DCR_GUARD_WASM_LOAD, cause attached) from the call, never an error at import', () => {
  // A copy of the installed package without its .wasm files.
  const broken = join(dir, 'broken');
  rmSync(broken, { recursive: true, force: true });
  cpSync(pkg, join(broken, 'node_modules', 'dcr-guard'), { recursive: true });
  for (const f of ['dcr_guard_wasm_bg.wasm', 'dcr_guard_wasm_host_bg.wasm', 'dcr_guard_wasm_web_bg.wasm']) rmSync(join(broken, 'node_modules', 'dcr-guard', 'dist', f));
  writeFileSync(join(broken, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(join(broken, 'use.mjs'), `
import { decodeJws, verifyJwsAsync, init } from 'dcr-guard';
import * as sync from 'dcr-guard/sync';
const seen = [];
process.on('unhandledRejection', (e) => seen.push('unhandled ' + e));
const code = (e) => [e.name, e.code, e.cause?.code];
try { decodeJws('a.b.c'); } catch (e) { seen.push(code(e)); }
await verifyJwsAsync('a.b.c', { keys: [] }).catch((e) => seen.push(code(e)));
await init().catch((e) => seen.push(code(e)));
try { sync.decodeJws('a.b.c'); } catch (e) { seen.push(code(e)); }
await new Promise((r) => setTimeout(r, 10));
console.log(JSON.stringify(seen));
`);
  const out = JSON.parse(execFileSync(process.execPath, ['use.mjs'], { cwd: broken, encoding: 'utf8' }));
  const load = ['DcrGuardError', 'ERR_DCR_GUARD_WASM_LOAD', 'ENOENT'];
  assert.deepEqual(out, [load, load, load, load]);
});

test('the tarball ships only the package files', () => {
  const files = [];
  const walk = (d, rel = '') => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p, `${rel}${name}/`);
      else files.push(`${rel}${name}`);
    }
  };
  walk(pkg);
  const allowed = /^(package\.json|README\.md|LICENSE|(index|sync)\.d\.ts|(src|lib)\/[a-z-]+\.js|dist\/dcr_guard_wasm(_host|_web)?(\.js|_bg\.wasm)|site\/.+)$/;
  assert.deepEqual(files.filter((f) => !allowed.test(f)), []);
  assert.ok(files.includes('dist/dcr_guard_wasm_bg.wasm'));
  assert.ok(files.includes('dist/dcr_guard_wasm_host_bg.wasm'));
  assert.ok(!files.some((f) => f.startsWith('test/') || f.startsWith('dist-test/') || f.startsWith('scripts/')));
  // Resolvers without `exports` support (Parcel by default) read the legacy fields: the same entries.
  const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
  assert.deepEqual([manifest.main, manifest.module, manifest.browser], [manifest.exports['.'].node, manifest.exports['.'].browser, manifest.exports['.'].browser]);
});

// What each entry loads (its static imports and the .wasm it fetches or reads, followed from
// the installed sources: scripts/loaded.mjs), gzipped file by file, against its budget. The
// default entries run the module without the pure-Rust crypto; `dcr-guard/sync` the one with
// it. The budgets keep a regression visible (figures and targets: docs/performance.md).
const ENTRIES = [
  // entry, the .wasm it must load, budget (KiB gzip)
  // Budgets: the figures measured after the size work of issue 15 (2026-12-03: own base64url and
  // JSON parser, sha2's compact SHA-256, minified JS in lib/, computed powers of ten, the
  // browsers' small allocator), plus about 2 KiB (docs/performance.md). The browsers' budget is
  // the target itself: 97 KiB is under 100 KB.
  ['lib/node.js', 'dist/dcr_guard_wasm_host_bg.wasm', 111],
  ['lib/browser.js', 'dist/dcr_guard_wasm_web_bg.wasm', 97],
  ['lib/workerd.js', 'dist/dcr_guard_wasm_host_bg.wasm', 110],
  ['lib/node-sync.js', 'dist/dcr_guard_wasm_bg.wasm', 142],
  ['lib/browser-sync.js', 'dist/dcr_guard_wasm_bg.wasm', 141],
  ['lib/workerd-sync.js', 'dist/dcr_guard_wasm_bg.wasm', 141],
];
test('size: what each entry loads, gzipped, within its budget', () => {
  const exported = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).exports;
  const listed = Object.values(exported).flatMap((e) => (typeof e === 'object' ? Object.values(e) : [])).filter((f) => f.endsWith('.js'));
  assert.deepEqual([...new Set(listed.map((f) => f.slice(2)))].sort(), ENTRIES.map(([e]) => e).sort(), 'every exported entry is measured');
  const over = [];
  for (const [entry, wasm, budget] of ENTRIES) {
    const files = loadedFiles(pkg, entry);
    // The entry really loads its module, and only that one (a stale entry would pass the sum).
    assert.deepEqual(files.filter((f) => f.endsWith('.wasm')), [wasm], entry);
    const s = sizes(pkg, files);
    console.log(`${entry.padEnd(20)} loads ${s.raw} B raw, ${s.gzip} B gzip (${(s.gzip / 1024).toFixed(1)} KiB of ${budget}; JS ${s.jsGzip} B)`);
    if (s.gzip > budget * 1024) over.push(`${entry}: ${s.gzip} B gzip exceeds ${budget} KiB`);
  }
  assert.ok(sizes(pkg, ['dist/dcr_guard_wasm_host_bg.wasm']).gzip < sizes(pkg, ['dist/dcr_guard_wasm_bg.wasm']).gzip - 20000, 'the module without the pure-Rust crypto is not smaller');
  assert.deepEqual(over, []);
});
