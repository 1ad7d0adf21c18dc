// Browser and bundler entry of `dcr-guard/sync`: the module with the pure-Rust crypto, so the
// synchronous functions verify in wasm once the module is loaded (`await init()` first, or one
// asynchronous call); the asynchronous ones still verify with WebCrypto. About 30 KB gzip more
// than `dcr-guard`. Loaded as browser.js loads its module (see there).
import { createApi } from './api.js';
import { entryExports, moduleLoader } from './loader.js';
import { webVerify } from './webcrypto.js';
import * as glue from '../dist/dcr_guard_wasm.js';

const loader = moduleLoader(glue, { defaultSource: () => new URL('../dist/dcr_guard_wasm_bg.wasm', import.meta.url) });
const api = createApi(loader.get, glue, { async: webVerify });

export { DcrGuardError } from './api.js';
export const { init, verifyJws, verifyJwsAsync, decodeJws, validateRegistration, inspectRegistration, checkRegistration } = entryExports(api, loader);
