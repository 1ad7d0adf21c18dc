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
  const allowed = /^(package\.json|README\.md|LICENSE|index\.d\.ts|src\/[a-z]+\.js|dist\/dcr_guard_wasm(\.js|_bg\.wasm)|site\/.+)$/;
  assert.deepEqual(files.filter((f) => !allowed.test(f)), []);
  assert.ok(files.includes('dist/dcr_guard_wasm_bg.wasm'));
  assert.ok(!files.some((f) => f.startsWith('test/') || f.startsWith('dist-test/') || f.startsWith('scripts/')));
});

// The budget was 120 KiB before host crypto: the bridge (JwsCheck/Session pending checks, the
// node:crypto and WebCrypto backends) added 2.5 KB of wasm and 1 KB of JS, opt-level "s" (1.6x
// faster parsing and claim checks than "z", which decide the host-crypto speed) 13 KB, and
// rsa 0.10 + p256 0.14 (2x faster pure-wasm verification than rsa 0.9 + p256 0.13) 13 KB; the
// work on the core then took back 13 KB (docs/performance.md has the figures). 140 KiB keeps
// a regression visible.
const BUDGET_KIB = 140;
test(`size: the shipped .wasm and JS a runtime loads, gzipped, within ${BUDGET_KIB} KiB`, () => {
  const gz = (f) => gzipSync(readFileSync(join(pkg, f)), { level: 9 }).length;
  const raw = (f) => statSync(join(pkg, f)).size;
  const common = ['dist/dcr_guard_wasm_bg.wasm', 'dist/dcr_guard_wasm.js', 'src/api.js'];
  const rows = [];
  // Each entry with the signature backend it imports.
  for (const [entry, backend] of [['src/node.js', 'src/nodecrypto.js'], ['src/browser.js', 'src/webcrypto.js'], ['src/workerd.js', 'src/webcrypto.js']]) {
    const files = [...common, entry, backend];
    rows.push([entry, files.reduce((a, f) => a + raw(f), 0), files.reduce((a, f) => a + gz(f), 0)]);
  }
  console.log(`wasm ${raw(common[0])} B raw, ${gz(common[0])} B gzip; glue ${raw(common[1])} / ${gz(common[1])}; api.js ${raw(common[2])} / ${gz(common[2])}`);
  for (const [entry, r, g] of rows) console.log(`${entry.padEnd(16)} loads ${r} B raw, ${g} B gzip (${(g / 1024).toFixed(1)} KiB)`);
  for (const [entry, , g] of rows) assert.ok(g <= BUDGET_KIB * 1024, `${entry}: ${g} B gzip exceeds ${BUDGET_KIB} KiB`);
});
