// Cross-check with `jose` in both directions: what jose signs, dcr-guard verifies; what
// dcr-guard rejects, jose rejects too — or a strict rule of ours explains the difference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompactSign, compactVerify, generateKeyPair, exportJWK, createLocalJWKSet } from 'jose';
import { joseVectors } from './helpers.mjs';
import * as dg from '../src/node.js';

test('tokens signed by jose verify in dcr-guard', async () => {
  let n = 0;
  for (const [alg, opts] of [['PS256', { modulusLength: 2048 }], ['PS256', { modulusLength: 3072 }], ['PS256', { modulusLength: 4096 }], ['ES256', {}]]) {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, ...opts });
    const jwk = { ...(await exportJWK(publicKey)), kid: `k-${alg}-${n}` };
    for (const payload of ['{"iss":"x"}', '\n  {"a": [1, 2]}\n', JSON.stringify({ big: 'y'.repeat(5000) })]) {
      const token = await new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader({ alg, kid: jwk.kid, typ: 'JWT' }).sign(privateKey);
      const r = dg.verifyJws(token, { keys: [jwk] });
      assert.equal(r.valid, true, `${alg} ${opts.modulusLength ?? ''}: ${r.code}`);
      n += 1;
    }
  }
  assert.equal(n, 12);
});

/**
 * Rejections jose (configured permissively here) does not share, each explained by one of our
 * strict rules. Anything else jose accepts but we reject fails the test.
 */
const EXPLAINED = new Map([
  ['jws.alg_not_allowed', 'the caller\'s policy, within PS256/ES256, decides the algorithm'],
  ['jws.b64_unsupported', 'RFC 7797 unencoded payloads are never accepted for DCR'],
  ['jws.too_large', 'tokens are capped at 64 KiB before decoding'],
  ['jwks.invalid', 'strict JSON: a duplicate member is refused (JSON.parse keeps the last one)'],
  ['jws.base64', 'strict base64url: no padding (jose tolerates "=")'],
  ['jwk.ambiguous_key', 'no guessing between several candidate keys'],
  ['jwk.key_too_small', 'RSA keys below 2048 bits'],
]);

test('what dcr-guard rejects, jose rejects too (or a strict rule explains it)', async () => {
  const rows = [];
  for (const v of joseVectors()) {
    const ours = dg.verifyJws(v.token, v.jwks, { algorithms: v.algorithms });
    if (ours.valid) continue;
    let joseOk;
    try {
      const set = createLocalJWKSet(JSON.parse(v.jwks));
      await compactVerify(v.token, set, { algorithms: ['PS256', 'ES256', 'RS256', 'PS384', 'ES384', 'HS256'] });
      joseOk = true;
    } catch {
      joseOk = false;
    }
    if (joseOk && !EXPLAINED.has(ours.code)) rows.push(`${v.id}: jose accepts, dcr-guard says ${ours.code}`);
    if (joseOk) console.log(`explained divergence ${v.id}: jose accepts; dcr-guard ${ours.code}: ${EXPLAINED.get(ours.code)}`);
  }
  assert.deepEqual(rows, []);
});
