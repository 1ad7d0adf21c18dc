// Cross-library JWS vectors minted with npm `jose` (and node:crypto where jose refuses to sign
// an attack). Writes tests/vectors/jose/jose.json. Run from the repository root:
//   node tests/vectors/gen/gen-jose.mjs
// Manifest: { generator, library, jwks: {name: JWKS}, vectors: [{ id, class, token, jwks | jwks_raw,
// algorithms, expect: "valid" | <JoseError code>, note }] }. Keys are fresh test keys each run.
import { generateKeyPair, exportJWK, CompactSign } from 'jose';
import { KeyObject, createHmac, generateKeyPairSync, sign as cryptoSign, constants } from 'node:crypto';
import { writeFileSync, mkdirSync } from 'node:fs';

const b64u = (b) => Buffer.from(b).toString('base64url');
const enc = (o) => b64u(typeof o === 'string' ? o : JSON.stringify(o));
const PAYLOAD = { iss: 'oQ4KoaavpOuoE7rvQsZEOV', aud: '0015800000jfwxXAAQ', iat: 1764000000, jti: 'A2E5E4C3-1F00-4ABC-9DEF-0123456789AB' };
const PRETTY = `\n  {\n    "iss": "oQ4KoaavpOuoE7rvQsZEOV",\n    "scope": "openid accounts"\n  }`;

async function key(alg, kid, options = {}) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, ...options });
  return { alg, kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid } };
}

async function jws(k, payload = PAYLOAD, header = {}) {
  const h = { alg: k.alg, kid: k.kid, ...header };
  for (const [n, v] of Object.entries(h)) if (v === undefined) delete h[n];
  const bytes = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return new CompactSign(new TextEncoder().encode(bytes)).setProtectedHeader(h).sign(k.privateKey);
}

/** Signs any header/payload with node:crypto: PS256 with a chosen salt, RS256, ES256 P1363 or DER. */
function raw(privateKey, header, payload, how) {
  const input = `${enc(header)}.${enc(payload)}`;
  const k = privateKey instanceof KeyObject ? privateKey : KeyObject.from(privateKey);
  let sig;
  if (how.kind === 'pss') sig = cryptoSign('sha256', Buffer.from(input), { key: k, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: how.salt });
  else if (how.kind === 'pkcs1') sig = cryptoSign('sha256', Buffer.from(input), { key: k, padding: constants.RSA_PKCS1_PADDING });
  else if (how.kind === 'ecdsa') sig = cryptoSign('sha256', Buffer.from(input), { key: k, dsaEncoding: how.der ? 'der' : 'ieee-p1363' });
  return `${input}.${b64u(sig)}`;
}

const rsa2048 = await key('PS256', 'rsa-2048');
const rsa3072 = await key('PS256', 'rsa-3072', { modulusLength: 3072 });
const rsa4096 = await key('PS256', 'rsa-4096', { modulusLength: 4096 });
const ec = await key('ES256', 'ec-p256');
const oldKey = await key('PS256', 'rotated-2024');
const newKey = await key('PS256', 'current-2025');
const attacker = await key('PS256', 'attacker');
const attackerEc = await key('ES256', 'attacker-ec');
const p384 = await key('ES384', 'ec-p384');
const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
const weakJwk = { ...weak.publicKey.export({ format: 'jwk' }), kid: 'rsa-1024' };
const rsaPrivate2048 = KeyObject.from(rsa2048.privateKey);

const sets = {
  main: { keys: [rsa2048.jwk, rsa3072.jwk, rsa4096.jwk, ec.jwk] },
  rotation: { keys: [oldKey.jwk, newKey.jwk] },
  'after-rotation': { keys: [newKey.jwk] },
  single: { keys: [rsa2048.jwk] },
  'cds-shape': { keys: [{ kty: 'RSA', kid: rsa2048.kid, n: rsa2048.jwk.n, e: rsa2048.jwk.e, key_ops: ['sign', 'verify'] }] },
  'sig-and-enc': { keys: [{ ...rsa2048.jwk, use: 'enc', alg: 'RSA-OAEP' }, { ...rsa2048.jwk, use: 'sig', alg: 'PS256' }] },
  'padded-x5t': { keys: [{ ...rsa2048.jwk, use: 'sig', x5t: 'XRpUI7DLiKM34JyQetPZ5-VC4E4=', 'x5t#S256': 'dS3HEzsyVJOLzQVHIUkOJE2Iqkm3yHb4BY_PbBETWjY=' }] },
  weak: { keys: [weakJwk] },
  'even-modulus': { keys: [{ ...rsa2048.jwk, n: b64u(Buffer.concat([Buffer.from(rsa2048.jwk.n, 'base64url').subarray(0, 255), Buffer.from([0x02])])) }] },
  'exponent-one': { keys: [{ ...rsa2048.jwk, e: 'AQ' }] },
  'off-curve': { keys: [{ ...ec.jwk, y: b64u(Buffer.from(ec.jwk.y, 'base64url').map((b, i) => (i === 31 ? b ^ 1 : b))) }] },
  'short-x': { keys: [{ ...ec.jwk, x: b64u(Buffer.from(ec.jwk.x, 'base64url').subarray(1)) }] },
  p384: { keys: [{ ...p384.jwk, kid: ec.kid }] },
  oct: { keys: [{ kty: 'oct', kid: rsa2048.kid, k: b64u('secret') }] },
  'enc-only': { keys: [{ ...rsa2048.jwk, use: 'enc' }] },
  'encrypt-ops': { keys: [{ ...rsa2048.jwk, key_ops: ['encrypt'] }] },
  'rs256-alg': { keys: [{ ...rsa2048.jwk, alg: 'RS256' }] },
  'two-kids-same': { keys: [rsa2048.jwk, { ...rsa3072.jwk, kid: rsa2048.kid }] },
  'too-many': { keys: Array.from({ length: 65 }, (_, i) => ({ ...rsa2048.jwk, kid: `k${i}` })) },
};

const V = [];
const add = (id, cls, token, set, expect, note, algorithms = ['PS256', 'ES256']) =>
  V.push({ id: `jose/${id}`, class: cls, token, ...(typeof set === 'string' ? { jwks: set } : { jwks_raw: set.raw }), algorithms, expect, note });

// valid
const good = await jws(rsa2048);
add('ps256-2048', 'valid', good, 'main', 'valid', 'PS256, RSA-2048');
add('ps256-3072', 'valid', await jws(rsa3072), 'main', 'valid', 'PS256, RSA-3072');
add('ps256-4096', 'valid', await jws(rsa4096), 'main', 'valid', 'PS256, RSA-4096');
add('es256', 'valid', await jws(ec), 'main', 'valid', 'ES256, P-256');
add('pretty-payload', 'valid', await jws(rsa2048, PRETTY), 'main', 'valid', 'pretty-printed payload with leading whitespace (WSO2 style)');
add('typ-jwt', 'valid', await jws(ec, PAYLOAD, { typ: 'JWT' }), 'main', 'valid', 'typ JWT');
add('no-kid-single-key', 'valid', await jws(rsa2048, PAYLOAD, { kid: undefined }), 'single', 'valid', 'no kid, exactly one suitable key');
add('cds-jwks-shape', 'valid', good, 'cds-shape', 'valid', 'key_ops [sign, verify], no alg/use (CDS example JWKS)');
add('sig-and-enc-same-kid', 'valid', good, 'sig-and-enc', 'valid', 'same kid twice, use sig and use enc (ACCC harness): the sig key is chosen');
add('padded-x5t', 'valid', good, 'padded-x5t', 'valid', 'x5t members with = padding (OB keystore) are tolerated');
// rotation
add('rotation-old-kid', 'rotation', await jws(oldKey), 'rotation', 'valid', 'old key still published');
add('rotation-new-kid', 'rotation', await jws(newKey), 'rotation', 'valid', 'new key');
add('rotation-rotated-out', 'rotation', await jws(oldKey), 'after-rotation', 'jwk.kid_not_found', 'the old key was removed');
add('rotation-no-kid-two-keys', 'rotation', await jws(newKey, PAYLOAD, { kid: undefined }), 'rotation', 'jwk.ambiguous_key', 'no kid, two suitable keys');
add('duplicate-kid-two-sig-keys', 'rotation', good, 'two-kids-same', 'jwk.ambiguous_key', 'the same kid on two signing keys');
// alg confusion
add('alg-none', 'alg-confusion', `${enc({ alg: 'none' })}.${enc(PAYLOAD)}.`, 'main', 'jws.alg_not_allowed', 'unsecured JWS');
const hmacInput = `${enc({ alg: 'HS256', kid: rsa2048.kid })}.${enc(PAYLOAD)}`;
const hmacKey = Buffer.from(JSON.stringify(rsa2048.jwk));
add('hs256-with-public-key', 'alg-confusion', `${hmacInput}.${b64u(createHmac('sha256', hmacKey).update(hmacInput).digest())}`, 'main', 'jws.alg_not_allowed', 'HMAC keyed with the RSA public key');
add('rs256', 'alg-confusion', raw(rsaPrivate2048, { alg: 'RS256', kid: rsa2048.kid }, PAYLOAD, { kind: 'pkcs1' }), 'main', 'jws.alg_not_allowed', 'RSASSA-PKCS1-v1_5');
add('ps384', 'alg-confusion', raw(rsaPrivate2048, { alg: 'PS384', kid: rsa2048.kid }, PAYLOAD, { kind: 'pss', salt: 48 }), 'main', 'jws.alg_not_allowed', 'PS384 is not in the allow-list');
add('es384', 'alg-confusion', await jws(p384), 'p384', 'jws.alg_not_allowed', 'ES384');
add('lower-case-alg', 'alg-confusion', raw(rsaPrivate2048, { alg: 'ps256', kid: rsa2048.kid }, PAYLOAD, { kind: 'pss', salt: 32 }), 'main', 'jws.alg_not_allowed', 'algorithm names are case-sensitive');
add('es256-under-ps256-policy', 'alg-confusion', await jws(ec), 'main', 'jws.alg_not_allowed', 'the caller allows PS256 only', ['PS256']);
add('ps256-header-ec-kid', 'alg-confusion', raw(rsaPrivate2048, { alg: 'PS256', kid: ec.kid }, PAYLOAD, { kind: 'pss', salt: 32 }), 'main', 'jwk.no_suitable_key', 'PS256 header naming an EC key');
add('es256-header-rsa-kid', 'alg-confusion', await jws({ ...ec, kid: rsa2048.kid }), 'main', 'jwk.no_suitable_key', 'ES256 header naming an RSA key');
add('pkcs1-signature-ps256-header', 'alg-confusion', raw(rsaPrivate2048, { alg: 'PS256', kid: rsa2048.kid }, PAYLOAD, { kind: 'pkcs1' }), 'main', 'jws.signature_invalid', 'a PKCS#1 v1.5 signature under a PS256 header');
for (const salt of [0, 20, 222]) {
  add(`pss-salt-${salt}`, 'alg-confusion', raw(rsaPrivate2048, { alg: 'PS256', kid: rsa2048.kid }, PAYLOAD, { kind: 'pss', salt }), 'main', 'jws.signature_invalid', `PSS with salt length ${salt}; PS256 means exactly 32`);
}
add('pss-salt-32-node', 'valid', raw(rsaPrivate2048, { alg: 'PS256', kid: rsa2048.kid }, PAYLOAD, { kind: 'pss', salt: 32 }), 'main', 'valid', 'node:crypto PSS with salt 32');
// header-key injection
for (const [member, value] of [['jwk', attacker.jwk], ['jku', 'https://attacker.example/jwks'], ['x5u', 'https://attacker.example/cert.pem'], ['x5c', ['MIIB']]]) {
  add(`injected-${member}`, 'header-key-injection', await jws({ ...attacker, kid: rsa2048.kid }, PAYLOAD, { [member]: value }), 'main', 'jws.signature_invalid', `attacker key with the victim's kid and a ${member} header`);
}
add('injected-jwk-own-kid', 'header-key-injection', await jws(attacker, PAYLOAD, { jwk: attacker.jwk }), 'main', 'jwk.kid_not_found', 'attacker kid with an embedded jwk');
add('injected-jwk-ec', 'header-key-injection', await jws({ ...attackerEc, kid: ec.kid }, PAYLOAD, { jwk: attackerEc.jwk }), 'main', 'jws.signature_invalid', 'EC attacker key embedded');
// malformed encodings
const [h, p, s] = good.split('.');
add('padded-segment', 'malformed', `${h}.${p}=.${s}`, 'main', 'jws.base64', 'base64 padding in the payload');
add('standard-alphabet', 'malformed', `${h}.${p}.${s.replace(/-/g, '+').replace(/_/g, '/')}${s.includes('-') || s.includes('_') ? '' : '+'}`, 'main', 'jws.base64', '+ and / instead of - and _');
add('whitespace', 'malformed', `${h}.${p.slice(0, 10)}\n${p.slice(10)}.${s}`, 'main', 'jws.base64', 'a newline inside a segment');
const trailing = `${h.slice(0, -1)}${String.fromCharCode(h.charCodeAt(h.length - 1) + 1)}`;
add('non-canonical-trailing-bits', 'malformed', `${trailing}.${p}.${s}`, 'main', h.length % 4 === 0 ? 'jws.header_invalid' : 'jws.base64', 'last character changed so the unused bits are not zero');
add('two-segments', 'malformed', `${h}.${p}`, 'main', 'jws.malformed', 'two segments');
add('four-segments', 'malformed', `${h}.${p}.${s}.x`, 'main', 'jws.malformed', 'four segments');
add('jwe-shape', 'malformed', `${enc({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.a.b.c.d`, 'main', 'jws.malformed', 'a JWE (five segments)');
add('header-not-json', 'malformed', `${enc('{alg:PS256}')}.${p}.${s}`, 'main', 'jws.header_invalid', 'header is not JSON');
add('header-array', 'malformed', `${enc('["PS256"]')}.${p}.${s}`, 'main', 'jws.header_invalid', 'header is a JSON array');
add('header-duplicate-alg', 'malformed', `${enc('{"alg":"PS256","kid":"rsa-2048","alg":"none"}')}.${p}.${s}`, 'main', 'jws.header_invalid', 'duplicate alg member');
add('alg-number', 'malformed', `${enc('{"alg":256,"kid":"rsa-2048"}')}.${p}.${s}`, 'main', 'jws.header_invalid', 'alg is a number');
add('kid-number', 'malformed', `${enc('{"alg":"PS256","kid":7}')}.${p}.${s}`, 'main', 'jws.header_invalid', 'kid is a number');
add('deep-header', 'malformed', `${enc(`{"alg":"PS256","x":${'['.repeat(20)}${']'.repeat(20)}}`)}.${p}.${s}`, 'main', 'jws.header_invalid', 'header nested 21 levels');
add('crit-unknown', 'malformed', raw(rsaPrivate2048, { alg: 'PS256', kid: rsa2048.kid, crit: ['exp'], exp: 1 }, PAYLOAD, { kind: 'pss', salt: 32 }), 'main', 'jws.crit_unsupported', 'crit names an unknown extension');
add('b64-false', 'malformed', raw(rsaPrivate2048, { alg: 'PS256', kid: rsa2048.kid, b64: false, crit: ['b64'] }, PAYLOAD, { kind: 'pss', salt: 32 }), 'main', 'jws.b64_unsupported', 'RFC 7797 unencoded payload');
add('too-large', 'malformed', await jws(rsa2048, { pad: 'x'.repeat(70000) }), 'main', 'jws.too_large', 'over 64 KiB');
add('tampered-payload', 'tampered', `${h}.${enc({ ...PAYLOAD, aud: 'someone-else' })}.${s}`, 'main', 'jws.signature_invalid', 'payload changed after signing');
add('tampered-header', 'tampered', `${enc({ alg: 'PS256', kid: rsa2048.kid, typ: 'JWT' })}.${p}.${s}`, 'main', 'jws.signature_invalid', 'header changed after signing');
// wrong-length signatures
const ecTok = await jws(ec);
const [eh, ep, es] = ecTok.split('.');
add('es256-der', 'signature-length', raw(KeyObject.from(ec.privateKey), { alg: 'ES256', kid: ec.kid }, PAYLOAD, { kind: 'ecdsa', der: true }), 'main', 'jws.signature_malformed', 'DER-encoded ECDSA signature');
add('es256-63-bytes', 'signature-length', `${eh}.${ep}.${b64u(Buffer.from(es, 'base64url').subarray(0, 63))}`, 'main', 'jws.signature_malformed', 'truncated to 63 bytes');
add('es256-zero', 'signature-length', `${eh}.${ep}.${b64u(Buffer.alloc(64))}`, 'main', 'jws.signature_invalid', 'r = s = 0');
add('ps256-leading-zero-byte', 'signature-length', `${h}.${p}.${b64u(Buffer.concat([Buffer.from([0]), Buffer.from(s, 'base64url')]))}`, 'main', 'jws.signature_malformed', 'one byte longer than the modulus');
add('ps256-truncated', 'signature-length', `${h}.${p}.${b64u(Buffer.from(s, 'base64url').subarray(1))}`, 'main', 'jws.signature_malformed', 'one byte shorter than the modulus');
add('ps256-empty', 'signature-length', `${h}.${p}.`, 'main', 'jws.signature_malformed', 'empty signature');
// weak or invalid keys
add('rsa-1024', 'weak-key', raw(weak.privateKey, { alg: 'PS256', kid: 'rsa-1024' }, PAYLOAD, { kind: 'pss', salt: 32 }), 'weak', 'jwk.key_too_small', 'RSA-1024');
add('even-modulus', 'weak-key', good, 'even-modulus', 'jwk.invalid', 'even RSA modulus');
add('exponent-one', 'weak-key', good, 'exponent-one', 'jwk.invalid', 'e = 1');
add('off-curve', 'weak-key', ecTok, 'off-curve', 'jwk.invalid', 'point not on P-256');
add('short-x', 'weak-key', ecTok, 'short-x', 'jwk.invalid', 'x of 31 bytes');
add('p384-key-es256-header', 'weak-key', ecTok, 'p384', 'jwk.unsupported_curve', 'P-384 key for ES256');
add('oct-key', 'weak-key', good, 'oct', 'jwk.no_suitable_key', 'a symmetric key with the kid');
add('enc-only', 'weak-key', good, 'enc-only', 'jwk.no_suitable_key', 'use enc only');
add('encrypt-ops', 'weak-key', good, 'encrypt-ops', 'jwk.no_suitable_key', 'key_ops [encrypt]');
add('jwk-alg-rs256', 'weak-key', good, 'rs256-alg', 'jwk.no_suitable_key', 'JWK alg RS256');
add('jwks-array', 'weak-key', good, { raw: '[]' }, 'jwks.invalid', 'JWKS is a JSON array');
add('jwks-keys-object', 'weak-key', good, { raw: '{"keys":{}}' }, 'jwks.invalid', 'keys is not an array');
add('jwks-duplicate-member', 'weak-key', good, { raw: `{"keys":[],"keys":${JSON.stringify([rsa2048.jwk])}}` }, 'jwks.invalid', 'duplicate keys member');
add('jwks-65-keys', 'weak-key', good, 'too-many', 'jwks.too_many_keys', '65 keys');

mkdirSync('tests/vectors/jose', { recursive: true });
writeFileSync('tests/vectors/jose/jose.json', JSON.stringify({ generator: 'tests/vectors/gen/gen-jose.mjs', library: 'jose 6.2.17 + node:crypto', jwks: sets, vectors: V }, null, 1) + '\n');
console.log(`tests/vectors/jose/jose.json: ${V.length} vectors`);
