// Node entry. node:crypto answers every signature check in Node, so the default path runs the
// module built without the pure-Rust crypto (dist/dcr_guard_wasm_host: about 30 KB gzip less to
// read, compile and instantiate). The module with it is read only when a call asks for
// `crypto: 'wasm'`. Each is read from the package and compiled synchronously on first use.
import { readFileSync } from 'node:fs';
import { createApi } from './api.js';
import { nodeVerify } from './nodecrypto.js';
import * as hostGlue from '../dist/dcr_guard_wasm_host.js';

const lazy = (file) => {
  let compiled;
  return () => (compiled ??= new WebAssembly.Module(readFileSync(new URL(`../dist/${file}`, import.meta.url))));
};
const backends = { sync: nodeVerify, async: nodeVerify };
const host = createApi(lazy('dcr_guard_wasm_host_bg.wasm'), hostGlue, backends);
const wasm = createApi(lazy('dcr_guard_wasm_bg.wasm'), undefined, backends);

/** The API a call runs on: the full module only for `crypto: 'wasm'` (any other value is checked by the host API). */
const pick = (opts) => (opts !== null && typeof opts === 'object' && opts.crypto === 'wasm' ? wasm : host);

export { DcrGuardError } from './api.js';
export function verifyJws(jws, jwks, opts) {
  return pick(opts).verifyJws(jws, jwks, opts);
}
export async function verifyJwsAsync(jws, jwks, opts) {
  return pick(opts).verifyJwsAsync(jws, jwks, opts);
}
export function decodeJws(jws) {
  return host.decodeJws(jws);
}
export function validateRegistration(jws, opts) {
  return pick(opts).validateRegistration(jws, opts);
}
export function inspectRegistration(jws, opts) {
  return pick(opts).inspectRegistration(jws, opts);
}
export async function checkRegistration(jws, opts) {
  return pick(opts).checkRegistration(jws, opts);
}
