// Shared helpers for the DCR corpus generators (gen-dcr-uk.mjs, gen-dcr-au.mjs): keys, signing (jose, and node:crypto for headers jose refuses), expectations.
// Keys are generated fresh on every run and never written out; only public JWKS and the
// signed tokens go into the committed manifests under tests/vectors/dcr/.
//
// Manifest format (read by crates/core/tests/dcr_corpus.rs, the npm and Worker runners):
// {
//   "generator": "tests/vectors/gen/gen-dcr-uk.mjs",
//   "jwks":      { "<name>": { "keys": [...] } },            // public key sets
//   "discovery": { "<name>": { ...openid-configuration... } },
//   "defaults":  { <config> },                                 // see CONFIG KEYS below
//   "cases": [ { "id", "rule", "token", "config"?: { <overrides> },
//                "expect": { "valid": bool, "error": string|null,
//                            "errors":   [ { "code", "pointer" } ],   // EXACT multiset of error findings
//                            "warnings": [ { "code", "pointer" } ] } } ]  // subset of warning findings
// }
// CONFIG KEYS: profile, mode ("strict"|"lenient"), issuer, audiences[], trusted_ssa_issuers[],
// clock_skew, max_lifetime (null = none), max_ssa_age, now, ssa_jwks (name), software_jwks (name),
// discovery (name|null), operation ({"kind":"register"} | {"kind":"update","client_id":"..."}),
// client_cert_subject_dn (string|null), software_environment (string|null).
import { generateKeyPair, exportJWK, CompactSign } from 'jose';
import { writeFileSync } from 'node:fs';
import { KeyObject, constants, randomUUID, sign as cryptoSign } from 'node:crypto';

/** The time every corpus case is validated at: 2025-11-24T16:00:00Z. */
export const NOW = 1764000000;
/** Where the manifests go (generators run from the repository root). */
export const OUT = 'tests/vectors/dcr';
export const b64u = (s) => Buffer.from(s).toString('base64url');

/** A compact JWS with any header and payload text, signed with node:crypto (jose refuses some
 *  of the headers the negative cases need, e.g. an unknown `crit`). */
export function signRaw(key, header, payloadText) {
  const input = `${b64u(JSON.stringify(header))}.${b64u(payloadText)}`;
  const k = KeyObject.from(key.privateKey);
  const sig = key.alg === 'ES256'
    ? cryptoSign('sha256', Buffer.from(input), { key: k, dsaEncoding: 'ieee-p1363' })
    : cryptoSign('sha256', Buffer.from(input), { key: k, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  return `${input}.${sig.toString('base64url')}`;
}

/** A fresh signing key: { alg, kid, privateKey, publicJwk }. */
export async function newKey(alg, kid, extra = {}) {
  const options = { extractable: true, ...(alg === 'PS256' ? { modulusLength: 2048 } : {}) };
  const { publicKey, privateKey } = await generateKeyPair(alg, options);
  const publicJwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', ...extra };
  return { alg, kid, privateKey, publicJwk };
}

/** A JWKS of public keys. */
export function jwks(...keys) {
  return { keys: keys.map((k) => k.publicJwk ?? k) };
}

/** Signs a JSON payload (object, or a raw string for malformed payloads) as a compact JWS. */
export async function sign(key, payload, header = {}) {
  const bytes = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const protectedHeader = { alg: key.alg, kid: key.kid, typ: 'JWT', ...header };
  for (const [k, v] of Object.entries(protectedHeader)) if (v === undefined) delete protectedHeader[k];
  return new CompactSign(new TextEncoder().encode(bytes)).setProtectedHeader(protectedHeader).sign(key.privateKey);
}

/** An upper-case UUIDv4, as the OB data dictionary's jti regex requires. */
export const uuid = () => randomUUID().toUpperCase();

/** Deep clone + apply a mutation function (returns the mutated copy). */
export function mutate(obj, fn) {
  const copy = structuredClone(obj);
  fn(copy);
  return copy;
}

/** Writes a manifest with stable formatting. */
export function writeManifest(path, manifest) {
  writeFileSync(path, JSON.stringify(manifest, null, 2) + '\n');
}

/** Expectation helpers. */
export const ok = (warnings = []) => ({ valid: true, error: null, errors: [], warnings });
export const fail = (error, errors, warnings = []) => ({ valid: false, error, errors, warnings });
export const at = (code, pointer) => ({ code, pointer });
