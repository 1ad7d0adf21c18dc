// The backends must agree: node:crypto, WebCrypto (Node's) and the in-wasm RustCrypto backend
// give identical results — whole reports, not just verdicts — on the DCR corpus, the JWS vectors
// and every Wycheproof case. Any disagreement fails. Real node:crypto and WebCrypto, the built
// modules; nothing is mocked. The host paths run the module without the pure-Rust crypto (the
// default entries), the wasm path `dcr-guard/sync`'s module with it, so the two modules are
// compared too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { JS, dcrCases, joseVectors } from './helpers.mjs';
import { wycheproofCases } from './wycheproof.mjs';
import { createApi } from '../src/api.js';
import { entryExports, moduleLoader } from '../src/loader.js';
import { byCalls, nodeVerify } from '../src/nodecrypto.js';
import { webVerify } from '../src/webcrypto.js';
import * as testGlue from '../dist-test/dcr_guard_wasm.js';
import * as fullGlue from '../dist/dcr_guard_wasm.js';
import * as hostGlue from '../dist/dcr_guard_wasm_host.js';
import * as webGlue from '../dist/dcr_guard_wasm_web.js';
import * as node from '../src/node.js';
import * as sync from '../src/node-sync.js';

const module = new WebAssembly.Module(readFileSync(join(JS, 'dist-test', 'dcr_guard_wasm_bg.wasm')));
const raw = createApi(() => module, testGlue);
const hostModule = new WebAssembly.Module(readFileSync(join(JS, 'dist', 'dcr_guard_wasm_host_bg.wasm')));
const webModule = new WebAssembly.Module(readFileSync(join(JS, 'dist', 'dcr_guard_wasm_web_bg.wasm')));
/** The browsers' default arrangement (the module without the pure-Rust crypto built for size, WebCrypto), here on Node's WebCrypto. */
const web = createApi(() => webModule, webGlue, { async: webVerify }, { wasmCrypto: false });

test('DCR corpus: node:crypto, WebCrypto and wasm give identical reports', async () => {
  const cases = dcrCases();
  const diffs = [];
  const reference = [];
  for (const c of cases) {
    const wasm = sync.validateRegistration(c.token, { ...c.options, crypto: 'wasm' });
    const host = node.validateRegistration(c.token, { ...c.options, crypto: 'host' });
    const software = c.options.softwareJwks;
    const opts = { ...c.options, softwareJwks: undefined, fetchJwks: async () => software };
    // The two-phase path fetches the software JWKS only after a verified SSA, so it is compared
    // with itself on the wasm backend.
    const wasmAsync = await sync.checkRegistration(c.token, { ...opts, crypto: 'wasm' });
    const nodeAsync = await node.checkRegistration(c.token, opts);
    const webAsync = await web.checkRegistration(c.token, opts);
    const compared = [
      ['validateRegistration node:crypto', host, wasm],
      ['checkRegistration node:crypto', nodeAsync, wasmAsync],
      ['checkRegistration WebCrypto', webAsync, wasmAsync],
    ];
    reference.push(wasmAsync);
    for (const [name, r, reference] of compared) {
      try {
        assert.deepStrictEqual(r, reference);
      } catch {
        diffs.push(`${c.id}: ${name} differs from wasm`);
      }
    }
  }
  // The Node entry's asynchronous functions with 16 calls in flight, where they verify with
  // WebCrypto on the thread pool instead of node:crypto on the main thread.
  for (let i = 0; i < cases.length; i += 16) {
    const batch = cases.slice(i, i + 16);
    const reports = await Promise.all(batch.map((c) => node.checkRegistration(c.token, { ...c.options, softwareJwks: undefined, fetchJwks: async () => c.options.softwareJwks })));
    batch.forEach((c, j) => {
      if (!isDeepStrictEqual(reports[j], reference[i + j])) diffs.push(`${c.id}: checkRegistration with 16 in flight differs from wasm`);
    });
  }
  console.log(`${cases.length} DCR cases, 4 host paths (module without the pure-Rust crypto) each compared with wasm (dcr-guard/sync): ${diffs.length} disagreements`);
  assert.deepEqual(diffs, []);
});

test('JWS vectors: verifyJws and verifyJwsAsync agree across backends', async () => {
  const vectors = joseVectors();
  const diffs = [];
  for (const v of vectors) {
    const opts = v.algorithms ? { algorithms: v.algorithms } : {};
    const wasm = sync.verifyJws(v.token, v.jwks, { ...opts, crypto: 'wasm' });
    const results = [
      ['node:crypto', node.verifyJws(v.token, v.jwks, opts)],
      ['node:crypto async', await node.verifyJwsAsync(v.token, v.jwks, opts)],
      ['WebCrypto', await web.verifyJwsAsync(v.token, v.jwks, opts)],
      ['wasm async', await sync.verifyJwsAsync(v.token, v.jwks, { ...opts, crypto: 'wasm' })],
    ];
    for (const [name, r] of results) if (JSON.stringify(r) !== JSON.stringify(wasm)) diffs.push(`${v.id}: ${name}`);
    const got = wasm.valid ? 'valid' : wasm.code;
    if (got !== v.expect) diffs.push(`${v.id}: expected ${v.expect}, got ${got}`);
  }
  console.log(`${vectors.length} JWS vectors x 5 backends/paths, ${diffs.length} disagreements`);
  assert.deepEqual(diffs, []);
});

test('Wycheproof: node:crypto and WebCrypto agree with the wasm backend on every case', async () => {
  const cases = wycheproofCases();
  const diffs = [];
  let accepted = 0;
  for (const c of cases) {
    const msg = Buffer.from(c.msg, 'hex');
    const sig = Buffer.from(c.sig, 'hex');
    const r = raw.__rawCheck(c.jwk, c.alg, msg, sig);
    // The core's key and shape rules come first for every backend; only then is the host asked.
    const asked = !r.keyError && !r.shapeError;
    const viaNode = asked && nodeVerify(c.alg, `wp ${c.jwk}`, () => r.jwk, msg, sig) === true;
    const viaWeb = asked && (await webVerify(c.alg, `wp ${c.jwk}`, () => r.jwk, msg, sig)) === true;
    if (viaNode !== r.wasm) diffs.push(`${c.id}: node:crypto ${viaNode}, wasm ${r.wasm}`);
    if (viaWeb !== r.wasm) diffs.push(`${c.id}: WebCrypto ${viaWeb}, wasm ${r.wasm}`);
    if (c.expect !== null && r.wasm !== c.expect) diffs.push(`${c.id}: expected ${c.expect}, got ${r.wasm}`);
    accepted += r.wasm ? 1 : 0;
  }
  console.log(`${cases.length} Wycheproof cases, ${accepted} accepted by all three backends, ${diffs.length} disagreements`);
  assert.deepEqual(diffs, []);
});

test('an off-curve point and a bad RSA key give the same finding with every backend', async () => {
  const valid = (kty) => joseVectors().find((v) => v.expect === 'valid' && JSON.parse(v.jwks).keys?.length === 1 && JSON.parse(v.jwks).keys[0].kty === kty);
  const [ec, rsa] = [valid('EC'), valid('RSA')];
  const ecKey = JSON.parse(ec.jwks).keys[0];
  const rsaKey = JSON.parse(rsa.jwks).keys[0];
  const broken = [
    [ec, { keys: [{ ...ecKey, y: ecKey.x }] }], // off the curve
    [rsa, { keys: [{ ...rsaKey, n: Buffer.alloc(256, 0xaa).toString('base64url') }] }], // even modulus
  ];
  for (const [good, keys] of broken) {
    const wasm = sync.verifyJws(good.token, keys, { crypto: 'wasm' });
    assert.equal(wasm.valid, false);
    assert.equal(wasm.code, 'jwk.invalid');
    assert.deepStrictEqual(node.verifyJws(good.token, keys), wasm);
    assert.deepStrictEqual(await web.verifyJwsAsync(good.token, keys), wasm);
  }
});

test('the crypto option is checked', async () => {
  const v = joseVectors()[0];
  assert.throws(() => node.verifyJws(v.token, v.jwks, { crypto: 'native' }), { code: 'ERR_DCR_GUARD_CONFIG_INVALID_OPTION' });
  const c = dcrCases()[0];
  assert.throws(() => node.validateRegistration(c.token, { ...c.options, crypto: true }), { code: 'ERR_DCR_GUARD_CONFIG_INVALID_OPTION' });
  // The default entry's module has no pure-Rust crypto: crypto: 'wasm' points to dcr-guard/sync
  // instead of reporting every signature unverified.
  const unavailable = { code: 'ERR_DCR_GUARD_WASM_CRYPTO_UNAVAILABLE', message: /dcr-guard\/sync/ };
  assert.throws(() => node.verifyJws(v.token, v.jwks, { crypto: 'wasm' }), unavailable);
  assert.throws(() => node.validateRegistration(c.token, { ...c.options, crypto: 'wasm' }), unavailable);
  assert.throws(() => node.inspectRegistration(c.token, { ...c.options, crypto: 'wasm' }), unavailable);
  await assert.rejects(node.verifyJwsAsync(v.token, v.jwks, { crypto: 'wasm' }), unavailable);
  await assert.rejects(node.checkRegistration(c.token, { ...c.options, crypto: 'wasm', fetchJwks: async () => ({}) }), unavailable);
  // The browser default arrangement: the synchronous verifying functions point there too.
  assert.throws(() => web.verifyJws(v.token, v.jwks), { code: 'ERR_DCR_GUARD_WASM_CRYPTO_UNAVAILABLE', message: /verifyJwsAsync.*dcr-guard\/sync/ });
  assert.throws(() => web.validateRegistration(c.token, c.options), { code: 'ERR_DCR_GUARD_WASM_CRYPTO_UNAVAILABLE', message: /checkRegistration.*dcr-guard\/sync/ });
  assert.equal(web.decodeJws(v.token).verified, false, 'decodeJws needs no crypto');
});

test('the host backend really answers: its verdict is the one reported, and only `true` verifies', () => {
  const c = dcrCases().find((x) => x.expect.valid && x.options.profile.startsWith('uk'));
  const modulePath = join(JS, 'dist', 'dcr_guard_wasm_bg.wasm');
  const mod = new WebAssembly.Module(readFileSync(modulePath));
  const seen = [];
  const counting = createApi(() => mod, fullGlue, { sync: (alg, ...rest) => (seen.push(alg), nodeVerify(alg, ...rest)) });
  assert.equal(counting.validateRegistration(c.token, c.options).valid, true);
  assert.equal(seen.length, 2, 'the SSA and the request were both verified by node:crypto');
  assert.equal(counting.validateRegistration(c.token, { ...c.options, crypto: 'wasm' }).valid, true);
  assert.equal(seen.length, 2, "crypto: 'wasm' does not ask the host");
  for (const answer of [false, 1, 'true', undefined]) {
    const api = createApi(() => mod, fullGlue, { sync: () => answer });
    const r = api.validateRegistration(c.token, c.options);
    assert.equal(r.valid, false, `a host answering ${JSON.stringify(answer)} verifies nothing`);
    assert.equal(r.ssa.signature, 'invalid');
  }
  const throwing = createApi(() => mod, fullGlue, { sync: () => { throw new Error('host failure'); } });
  assert.equal(throwing.validateRegistration(c.token, c.options).error, 'invalid_software_statement');
});

test('the shipped build has no raw-check export (test builds only)', () => {
  assert.doesNotMatch(readFileSync(join(JS, 'dist', 'dcr_guard_wasm.js'), 'utf8'), /__rawCheck/);
  assert.match(readFileSync(join(JS, 'dist-test', 'dcr_guard_wasm.js'), 'utf8'), /__rawCheck/);
});

test('the asynchronous backend of the Node entry: node:crypto while one call is in progress, WebCrypto while more are', async () => {
  const seen = [];
  const backend = byCalls((...a) => (seen.push('alone'), nodeVerify(...a)), (...a) => (seen.push('crowded'), webVerify(...a)));
  // Built as src/node.js builds it (the entry's functions await the module before they verify).
  const loader = moduleLoader(hostGlue, { module: hostModule });
  const api = entryExports(createApi(loader.get, hostGlue, { sync: nodeVerify, async: backend.verify }, { wasmCrypto: false }), loader);
  const check = backend.track(api.checkRegistration);
  const c = dcrCases().find((x) => x.expect.valid && x.options.profile.startsWith('uk'));
  const opts = { ...c.options, softwareJwks: undefined, fetchJwks: async () => c.options.softwareJwks };
  assert.equal((await check(c.token, opts)).valid, true);
  assert.equal((await check(c.token, opts)).valid, true);
  assert.deepEqual(seen, ['alone', 'alone', 'alone', 'alone'], 'one call at a time: node:crypto');
  seen.length = 0;
  const reports = await Promise.all([check(c.token, opts), check(c.token, opts), check(c.token, opts)]);
  assert.deepEqual(reports.map((r) => r.valid), [true, true, true]);
  assert.deepEqual(seen, Array(6).fill('crowded'), 'three in flight: WebCrypto');
});
