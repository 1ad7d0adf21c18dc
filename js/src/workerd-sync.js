// workerd entry of `dcr-guard/sync`: the module with the pure-Rust crypto (the synchronous
// functions verify in wasm; the asynchronous ones with WebCrypto).
import wasmModule from '../dist/dcr_guard_wasm_bg.wasm';
import { createApi } from './api.js';
import { entryExports, moduleLoader } from './loader.js';
import { webVerify } from './webcrypto.js';
import * as glue from '../dist/dcr_guard_wasm.js';

const loader = moduleLoader(glue, { module: wasmModule });
const api = createApi(loader.get, glue, { async: webVerify });

export { DcrGuardError } from './api.js';
export const { init, verifyJws, verifyJwsAsync, decodeJws, validateRegistration, inspectRegistration, checkRegistration } = entryExports(api, loader);
