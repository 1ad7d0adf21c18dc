// workerd / Cloudflare Workers entry: the bundler hands over the .wasm as a compiled module.
import wasmModule from '../dist/dcr_guard_wasm_bg.wasm';
import { createApi } from './api.js';
import { webVerify } from './webcrypto.js';

const api = createApi(() => wasmModule, undefined, { async: webVerify });

export { DcrGuardError } from './api.js';
export const { verifyJws, verifyJwsAsync, decodeJws, validateRegistration, inspectRegistration, checkRegistration } = api;
