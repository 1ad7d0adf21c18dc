// The Wycheproof RSASSA-PSS and ECDSA-P1363 vectors (tests/vectors/wycheproof), flattened for
// the backend differential tests: each case with its key as public JWK text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VECTORS } from './helpers.mjs';

/** [file, alg, how its results apply] as in crates/core/tests/wycheproof.rs. */
export const FILES = [
  ['rsa_pss_2048_sha256_mgf1_32_test.json', 'PS256', 'honour'],
  ['rsa_pss_3072_sha256_mgf1_32_test.json', 'PS256', 'honour'],
  ['rsa_pss_4096_sha256_mgf1_32_test.json', 'PS256', 'honour'],
  ['ecdsa_secp256r1_sha256_p1363_test.json', 'ES256', 'honour'],
  // Salt length 0: PS256 (salt exactly 32) must reject all but the case re-signed with salt 32.
  ['rsa_pss_2048_sha256_mgf1_0_test.json', 'PS256', 'only-salt-32'],
];

const b64url = (hex) => Buffer.from(hex.replace(/^(00)+/, ''), 'hex').toString('base64url');

function jwkText(group) {
  if (group.publicKeyJwk) {
    const { kty, n, e, crv, x, y } = group.publicKeyJwk;
    return JSON.stringify(kty === 'RSA' ? { kty, n, e } : { kty, crv, x, y });
  }
  return JSON.stringify({ kty: 'RSA', n: b64url(group.publicKey.modulus), e: b64url(group.publicKey.publicExponent) });
}

/** Every case: `{ id, alg, jwk, msg, sig, expect }`; expect is true, false or null (either). */
export function wycheproofCases() {
  const out = [];
  for (const [file, alg, how] of FILES) {
    const doc = JSON.parse(readFileSync(join(VECTORS, 'wycheproof', file), 'utf8'));
    for (const group of doc.testGroups) {
      const jwk = jwkText(group);
      for (const t of group.tests) {
        const expect =
          how === 'only-salt-32' ? t.comment === 's_len changed to 32' : t.result === 'valid' ? true : t.result === 'invalid' ? false : null;
        out.push({ id: `${file}#${t.tcId}`, alg, jwk, msg: t.msg, sig: t.sig, expect });
      }
    }
  }
  return out;
}
