// The packed tarball, installed into a fresh folder, used from a plain ESM script as a new user
// would; what ships; and how big it is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { FIXTURES, JS, installed } from './helpers.mjs';

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

test('the Node entry reads the module without the pure-Rust crypto, and the full one only for crypto: "wasm"', () => {
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
const fx = (p) => readFileSync(${JSON.stringify(FIXTURES)} + '/' + p, 'utf8').trim();
const [jws, jwks] = [fx('au/cds-example-ssa.jws'), fx('au/cds-example-jwks.json')];
const host = [verifyJws(jws, jwks).valid, (await verifyJwsAsync(jws, jwks)).valid];
const before = [...globalThis.wasmReads];
const wasm = verifyJws(jws, jwks, { crypto: 'wasm' }).valid;
console.log(JSON.stringify({ host, wasm, before, after: globalThis.wasmReads }));
`);
  const out = JSON.parse(execFileSync(process.execPath, ['--import', './record-reads.mjs', 'reads.mjs'], { cwd: dir, encoding: 'utf8' }));
  assert.deepEqual(out, {
    host: [true, true],
    wasm: true,
    before: ['dcr_guard_wasm_host_bg.wasm'],
    after: ['dcr_guard_wasm_host_bg.wasm', 'dcr_guard_wasm_bg.wasm'],
  });
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
  const allowed = /^(package\.json|README\.md|LICENSE|index\.d\.ts|src\/[a-z]+\.js|dist\/dcr_guard_wasm(_host)?(\.js|_bg\.wasm)|site\/.+)$/;
  assert.deepEqual(files.filter((f) => !allowed.test(f)), []);
  assert.ok(files.includes('dist/dcr_guard_wasm_bg.wasm'));
  assert.ok(files.includes('dist/dcr_guard_wasm_host_bg.wasm'));
  assert.ok(!files.some((f) => f.startsWith('test/') || f.startsWith('dist-test/') || f.startsWith('scripts/')));
});

// What each entry loads by default, gzipped. The budget was 120 KiB before host crypto; the
// module with the pure-Rust backend then grew to 128 KB gzip for speed (opt-level "s", rsa 0.10
// + p256 0.14: docs/performance.md). Browsers and workerd need that module (their synchronous
// functions verify in wasm) and get 140 KiB; the Node entry loads the module built without it
// (node:crypto answers every check) and keeps the original 120 KiB. Either keeps a regression
// visible.
const ENTRIES = [
  // entry, its signature backend, the .wasm it loads, the glues it imports, budget (KiB)
  ['src/node.js', 'src/nodecrypto.js', 'dist/dcr_guard_wasm_host_bg.wasm', ['dist/dcr_guard_wasm_host.js', 'dist/dcr_guard_wasm.js'], 120],
  // 144: the driver (validation steps, the checked session) added ~3.3 KB gzip; the async-only
  // browser/workerd entry of issue 15 (no pure-Rust crypto) brings this under 100.
  ['src/browser.js', 'src/webcrypto.js', 'dist/dcr_guard_wasm_bg.wasm', ['dist/dcr_guard_wasm.js'], 144],
  ['src/workerd.js', 'src/webcrypto.js', 'dist/dcr_guard_wasm_bg.wasm', ['dist/dcr_guard_wasm.js'], 144],
];
test('size: the shipped .wasm and JS each runtime loads, gzipped, within its budget', () => {
  const gz = (f) => gzipSync(readFileSync(join(pkg, f)), { level: 9 }).length;
  const raw = (f) => statSync(join(pkg, f)).size;
  for (const f of ['dist/dcr_guard_wasm_bg.wasm', 'dist/dcr_guard_wasm_host_bg.wasm', 'dist/dcr_guard_wasm.js', 'src/api.js']) {
    console.log(`${f.padEnd(34)} ${raw(f)} B raw, ${gz(f)} B gzip`);
  }
  // The Node entry really imports the module without the crypto (a stale entry would pass the sum).
  assert.match(readFileSync(join(pkg, 'src/node.js'), 'utf8'), /dcr_guard_wasm_host_bg\.wasm/);
  assert.ok(gz('dist/dcr_guard_wasm_host_bg.wasm') < gz('dist/dcr_guard_wasm_bg.wasm') - 20000, 'the module without the pure-Rust crypto is not smaller');
  const over = [];
  for (const [entry, backend, wasm, glues, budget] of ENTRIES) {
    const files = [wasm, ...glues, 'src/api.js', entry, backend];
    const [r, g] = [files.reduce((a, f) => a + raw(f), 0), files.reduce((a, f) => a + gz(f), 0)];
    console.log(`${entry.padEnd(16)} loads ${r} B raw, ${g} B gzip (${(g / 1024).toFixed(1)} KiB of ${budget})`);
    if (g > budget * 1024) over.push(`${entry}: ${g} B gzip exceeds ${budget} KiB`);
  }
  assert.deepEqual(over, []);
});
