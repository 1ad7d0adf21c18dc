// workerd / Cloudflare Workers entry: the bundler hands over the .wasm as a compiled module.
import wasmModule from '../dist/dcr_guard_wasm_bg.wasm';
import { createApi } from './api.js';

const api = createApi(() => wasmModule);

export { DcrGuardError } from './api.js';
export const { verifyJws, decodeJws, validateRegistration, inspectRegistration, checkRegistration } = api;
