// The node:crypto backend: answers the core's signature checks with OpenSSL, synchronously, so
// the synchronous API (verifyJws, validateRegistration) can use it. The core has already
// checked everything but the arithmetic: the algorithm is allowed and fits the key, the key is
// valid (an RSA key of 2048–8192 bits, a P-256 point on the curve), the signature has the exact
// length. Any failure here — an import error, an OpenSSL error — is a signature that does not
// verify, never an exception.
import { constants, createPublicKey, verify } from 'node:crypto';

/** Imported keys by RFC 7638 thumbprint: each key is turned into a KeyObject once. */
const keys = new Map();
const MAX_KEYS = 64;

function keyObject(keyId, jwk) {
  let key = keys.get(keyId);
  if (key === undefined) {
    key = createPublicKey({ key: JSON.parse(jwk()), format: 'jwk' });
    if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value);
    keys.set(keyId, key);
  }
  return key;
}

/**
 * PS256: RSASSA-PSS, SHA-256, MGF1-SHA-256, salt length exactly 32 (OpenSSL refuses any other
 * salt when it is given one). ES256: ECDSA P-256 SHA-256 with the 64-byte r || s encoding.
 */
export function nodeVerify(alg, keyId, jwk, data, signature) {
  try {
    const key = keyObject(keyId, jwk);
    if (alg === 'PS256') {
      return verify('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature);
    }
    if (alg === 'ES256') return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    return false;
  } catch {
    return false;
  }
}

/**
 * The same check on libuv's thread pool (`crypto.verify` with a callback), for comparison in
 * the benchmark: the main thread hands the arithmetic over and goes on.
 */
export function nodeVerifyPool(alg, keyId, jwk, data, signature) {
  return new Promise((resolve) => {
    try {
      const key = keyObject(keyId, jwk);
      const options = alg === 'PS256' ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : null;
      if (!options) return resolve(false);
      verify('sha256', data, options, signature, (err, ok) => resolve(!err && ok === true));
    } catch {
      resolve(false);
    }
  });
}

/**
 * A backend for the asynchronous functions that depends on how many of their calls are in
 * progress: `alone` while one call is (node:crypto on the main thread is then the fastest: no
 * hop to a pool thread and back), `crowded` when more are (their arithmetic then runs on the
 * thread pool, in parallel with the main thread's parsing and rules). `track(fn)` wraps an
 * asynchronous function so that its calls are counted.
 */
export function byCalls(alone, crowded) {
  let calls = 0;
  return {
    verify: (...args) => (calls > 1 ? crowded(...args) : alone(...args)),
    track:
      (fn) =>
      async (...args) => {
        calls++;
        try {
          return await fn(...args);
        } finally {
          calls--;
        }
      },
  };
}
