// Hostile and careless input at the JS boundary: values JSON.stringify would silently change,
// option typos, and inputs far beyond the documented limits. None may weaken validation, escape
// as a TypeError, or be copied into wasm memory in full.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dcrCases } from './helpers.mjs';
import * as dg from '../src/node.js';

const cases = dcrCases();
const byId = (id) => {
  const c = cases.find((x) => x.id === id);
  assert.ok(c, `corpus case ${id}`);
  return c;
};
// A request whose exp - iat exceeds the UK cap of 3600 s.
const overlong = byId('uk-obie-v3.3/request-lifetime');
const baseline = byId('uk-obie-v3.3/baseline');
const ssa = JSON.parse(Buffer.from(baseline.token.split('.')[1], 'base64url')).software_statement;

test('non-JSON option values are refused instead of silently changed', () => {
  assert.deepEqual(dg.validateRegistration(overlong.token, overlong.options).findings.filter((f) => f.severity === 'error').map((f) => f.code), ['time.lifetime']);
  // JSON.stringify would turn these into null, and null means "no lifetime cap".
  for (const maxRequestLifetime of [NaN, Infinity, -Infinity]) {
    assert.throws(() => dg.validateRegistration(overlong.token, { ...overlong.options, maxRequestLifetime }), { code: 'ERR_DCR_GUARD_CONFIG_INVALID_OPTION' }, String(maxRequestLifetime));
  }
  const o = baseline.options;
  for (const change of [{ clockSkew: NaN }, { mode: () => 'strict' }, { audiences: [undefined] }, { audiences: new Set(['a']) }, { maxSsaAge: 10n }, { trustedSsaIssuers: [Symbol('x')] }, { softwareEnvironment: new Date(0) }]) {
    assert.throws(() => dg.validateRegistration(baseline.token, { ...o, ...change }), { name: 'DcrGuardError', code: 'ERR_DCR_GUARD_CONFIG_INVALID_OPTION' }, Object.keys(change)[0]);
  }
  assert.throws(() => dg.validateRegistration(baseline.token, { ...o, discovery: { issuer: () => 'x' } }), { code: 'ERR_DCR_GUARD_CONFIG_DISCOVERY_INVALID' });
  assert.throws(() => dg.validateRegistration(baseline.token, { ...o, now: o.now + 0.5 }), { code: 'ERR_DCR_GUARD_INVALID_ARGUMENT' });
});

test('JWKS objects that are not JSON data throw a DcrGuardError, never a TypeError', () => {
  for (const jwks of [{ keys: [{ kty: 'RSA', n: 1n }] }, { keys: [{ kty: 'EC', x: () => 1 }] }, { keys: [new Map()] }]) {
    assert.throws(() => dg.verifyJws(ssa, jwks), { name: 'DcrGuardError', code: 'ERR_DCR_GUARD_INVALID_ARGUMENT' });
    assert.throws(() => dg.validateRegistration(baseline.token, { ...baseline.options, ssaJwks: jwks }), { name: 'DcrGuardError', code: 'ERR_DCR_GUARD_INVALID_ARGUMENT' });
  }
});

test('verifyJws: an option typo cannot widen the algorithm policy', () => {
  assert.equal(dg.verifyJws(ssa, baseline.options.ssaJwks).valid, true, 'the PS256 statement verifies under the default policy');
  assert.equal(dg.verifyJws(ssa, baseline.options.ssaJwks, { algorithms: ['ES256'] }).code, 'jws.alg_not_allowed');
  assert.throws(() => dg.verifyJws(ssa, baseline.options.ssaJwks, { algorithm: ['ES256'] }), { code: 'ERR_DCR_GUARD_CONFIG_INVALID_OPTION' });
  assert.throws(() => dg.verifyJws(ssa, baseline.options.ssaJwks, { algorithms: ['ES256,PS256'] }), { code: 'ERR_DCR_GUARD_CONFIG_ALGORITHM_UNKNOWN' });
  assert.throws(() => dg.verifyJws(ssa, baseline.options.ssaJwks, 'ES256'), { code: 'ERR_DCR_GUARD_INVALID_ARGUMENT' });
});

test('inputs beyond the limits keep their size verdicts and are cut before entering wasm', () => {
  const exactly = 'A'.repeat(65536);
  assert.notEqual(dg.verifyJws(exactly, baseline.options.ssaJwks).code, 'jws.too_large', 'a token of exactly 64 KiB is not too large');
  assert.equal(dg.verifyJws(`${exactly}A`, baseline.options.ssaJwks).code, 'jws.too_large');
  // 65 536 two-byte characters: within the limit in UTF-16 units, beyond it in UTF-8 bytes.
  assert.equal(dg.verifyJws('é'.repeat(65536), baseline.options.ssaJwks).code, 'jws.too_large');
  assert.throws(() => dg.decodeJws('é'.repeat(65536)), { code: 'ERR_DCR_GUARD_JWS_TOO_LARGE' });
  const bigJwks = `{"keys":[],"pad":"${'x'.repeat(300_000)}"}`;
  assert.equal(dg.verifyJws(ssa, bigJwks).code, 'jwks.too_large');
  // Tens of megabytes of non-ASCII text would need 3 bytes per character of wasm memory if copied.
  const huge = 'é'.repeat(30_000_000);
  const t = performance.now();
  for (let i = 0; i < 5; i++) {
    assert.equal(dg.verifyJws(huge, baseline.options.ssaJwks).code, 'jws.too_large');
    assert.equal(dg.validateRegistration(huge, baseline.options).findings[0].code, 'jws.too_large');
  }
  const ms = performance.now() - t;
  console.log(`10 calls with a 30-million-character token: ${ms.toFixed(0)} ms`);
  assert.ok(ms < 1000, `${ms.toFixed(0)} ms: the token was copied into wasm memory`);
  const options = { ...baseline.options, discovery: { issuer: 'x', pad: 'x'.repeat(2_000_000) } };
  assert.throws(() => dg.validateRegistration(baseline.token, options), { code: 'ERR_DCR_GUARD_CONFIG_INVALID_OPTION' });
});

test('a claim named __proto__ stays an own member of the result', () => {
  const payload = '{"__proto__":{"redirect_uris":["https://evil.example"]},"iss":"x"}';
  const forged = `${Buffer.from('{"alg":"PS256","kid":"k"}').toString('base64url')}.${Buffer.from(payload).toString('base64url')}.AAAA`;
  const claims = dg.validateRegistration(forged, baseline.options).request.claims;
  assert.equal(Object.getPrototypeOf(claims), Object.prototype);
  assert.ok(Object.hasOwn(claims, '__proto__'));
  assert.equal(claims.redirect_uris, undefined);
});

test('the asynchronous functions reject, never throw synchronously, whatever the options do', async () => {
  const throwing = (o = {}) => Object.defineProperty(o, 'crypto', { enumerable: true, get() { throw new Error('a getter that throws'); } });
  for (const [name, call] of [
    ['checkRegistration null', () => dg.checkRegistration(baseline.token, null)],
    ['checkRegistration getter', () => dg.checkRegistration(baseline.token, throwing({ ...baseline.options, fetchJwks: async () => ({}) }))],
    ['verifyJwsAsync getter', () => dg.verifyJwsAsync(ssa, baseline.options.ssaJwks, throwing())],
    ['verifyJwsAsync bad crypto', () => dg.verifyJwsAsync(ssa, baseline.options.ssaJwks, { crypto: 'openssl' })],
  ]) {
    let promise;
    assert.doesNotThrow(() => { promise = call(); }, name);
    assert.ok(promise instanceof Promise, name);
    await assert.rejects(promise, name);
  }
});
