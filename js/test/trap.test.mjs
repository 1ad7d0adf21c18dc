// A Rust panic must be impossible; if one ever happens (a trap), the module must stay usable.
// Proven with the test-only build (js/dist-test, feature `test-trap`) through the same wrapper.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, JS } from './helpers.mjs';
import { createApi } from '../src/api.js';
import * as testGlue from '../dist-test/dcr_guard_wasm.js';

const module = new WebAssembly.Module(readFileSync(join(JS, 'dist-test', 'dcr_guard_wasm_bg.wasm')));
const api = createApi(() => module, testGlue);
const fx = (p) => readFileSync(join(FIXTURES, p), 'utf8').trim();

test('after a trap the next call works', async () => {
  const token = fx('au/cds-example-ssa.jws');
  const jwks = fx('au/cds-example-jwks.json');
  assert.equal(api.verifyJws(token, jwks).valid, true);
  assert.throws(() => api.__trap(), { name: 'DcrGuardError', code: 'ERR_DCR_GUARD_INTERNAL' });
  assert.equal(api.verifyJws(token, jwks).valid, true, 'usable after the trap');
  assert.throws(() => api.__trap(), { code: 'ERR_DCR_GUARD_INTERNAL' });
  assert.equal(api.decodeJws(token).payload.iss, 'cdr-register');
});

test('a check in flight across a trap fails cleanly instead of touching the new instance', async () => {
  const w = JSON.parse(fx('uk/wso2-sample/signing.jwks.json'));
  const request = fx('uk/wso2-sample/register-post.jws');
  const options = { profile: 'uk-obie-v3.3', issuer: 'https://localbank.com', mode: 'lenient', ssaJwks: w, now: 1751017100 };
  const pending = api.checkRegistration(request, {
    ...options,
    fetchJwks: async () => {
      assert.throws(() => api.__trap(), { code: 'ERR_DCR_GUARD_INTERNAL' }); // another call traps meanwhile
      return w;
    },
  });
  await assert.rejects(pending, { code: 'ERR_DCR_GUARD_INTERNAL', message: /reset during this check/ });
  const again = await api.checkRegistration(request, { ...options, fetchJwks: async () => w });
  assert.equal(again.valid, true);
});

test('a trap through one API fails the in-flight checks of another API over the same glue', async () => {
  // The package's entries share one glue module (one wasm instance per process).
  const other = createApi(() => module, testGlue);
  const w = JSON.parse(fx('uk/wso2-sample/signing.jwks.json'));
  const request = fx('uk/wso2-sample/register-post.jws');
  const options = { profile: 'uk-obie-v3.3', issuer: 'https://localbank.com', mode: 'lenient', ssaJwks: w, now: 1751017100 };
  const pending = other.checkRegistration(request, {
    ...options,
    fetchJwks: async () => {
      assert.throws(() => api.__trap(), { code: 'ERR_DCR_GUARD_INTERNAL' });
      return w;
    },
  });
  // Refused before the old session is used with the new instance (not by a second trap there).
  await assert.rejects(pending, { code: 'ERR_DCR_GUARD_INTERNAL', message: /reset during this check/ });
  assert.equal((await other.checkRegistration(request, { ...options, fetchJwks: async () => w })).valid, true);
});

test('the shipped build has no trap export', () => {
  assert.doesNotMatch(readFileSync(join(JS, 'dist', 'dcr_guard_wasm.js'), 'utf8'), /__trap/);
});
