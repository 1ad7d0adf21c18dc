// The WebCrypto backend (browsers, workerd, Deno): answers the core's signature checks with
// `crypto.subtle`. WebCrypto is asynchronous, so only the asynchronous API (checkRegistration,
// verifyJwsAsync) uses it; the synchronous functions stay on the in-wasm backend. The core has
// already checked everything but the arithmetic (see nodecrypto.js); any failure here is a
// signature that does not verify, never an exception.

/** Imported keys by RFC 7638 thumbprint, as promises: each key is imported once and reused. */
const keys = new Map();
const MAX_KEYS = 64;

const IMPORT = {
  PS256: { name: 'RSA-PSS', hash: 'SHA-256' },
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
};
/** PS256's salt is exactly 32 bytes (RFC 7518 §3.5); ES256 signatures are r || s. */
const VERIFY = {
  PS256: { name: 'RSA-PSS', saltLength: 32 },
  ES256: { name: 'ECDSA', hash: 'SHA-256' },
};

function cryptoKey(subtle, alg, keyId, jwk) {
  const id = `${alg} ${keyId}`;
  let key = keys.get(id);
  if (key === undefined) {
    key = subtle.importKey('jwk', JSON.parse(jwk()), IMPORT[alg], false, ['verify']);
    if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value);
    keys.set(id, key);
    key.catch(() => keys.delete(id));
  }
  return key;
}

export async function webVerify(alg, keyId, jwk, data, signature) {
  try {
    const subtle = globalThis.crypto?.subtle;
    if (!subtle || !IMPORT[alg]) return false;
    const key = await cryptoKey(subtle, alg, keyId, jwk);
    return (await subtle.verify(VERIFY[alg], key, signature, data)) === true;
  } catch {
    return false;
  }
}
