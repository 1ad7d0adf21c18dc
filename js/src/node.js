// Node entry: the module is read from the package and compiled synchronously on first use.
import { readFileSync } from 'node:fs';
import { createApi } from './api.js';
import { nodeVerify } from './nodecrypto.js';

let compiled;
const api = createApi(() => (compiled ??= new WebAssembly.Module(readFileSync(new URL('../dist/dcr_guard_wasm_bg.wasm', import.meta.url)))), undefined, { sync: nodeVerify, async: nodeVerify });

export { DcrGuardError } from './api.js';
export const { verifyJws, verifyJwsAsync, decodeJws, validateRegistration, inspectRegistration, checkRegistration } = api;
