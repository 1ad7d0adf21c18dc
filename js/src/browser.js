// Browser and bundler entry (`dcr-guard`): the module without the pure-Rust crypto, built for
// size (dist/dcr_guard_wasm_web: opt-level z), verified by WebCrypto, which is asynchronous. So
// checkRegistration and verifyJwsAsync verify here; decodeJws is synchronous once the module is
// loaded; verifyJws, validateRegistration and inspectRegistration, which would need a
// synchronous crypto, refuse with ERR_DCR_GUARD_WASM_CRYPTO_UNAVAILABLE and point to
// `dcr-guard/sync` (browser-sync.js).
//
// Nothing happens at import: the module is fetched by init() or the first asynchronous call.
// `new URL('…wasm', import.meta.url)` with a literal path is the pattern webpack, Vite, Parcel and
// the browser itself resolve (and copy the file for); it is evaluated only when loading, so an
// IIFE bundle (no import.meta) fails at that call, and init({ wasm }) serves bundlers that do
// not copy assets (esbuild, Rollup).
import { createApi } from './api.js';
import { entryExports, moduleLoader } from './loader.js';
import { webVerify } from './webcrypto.js';
import * as glue from '../dist/dcr_guard_wasm_web.js';

const loader = moduleLoader(glue, { defaultSource: () => new URL('../dist/dcr_guard_wasm_web_bg.wasm', import.meta.url) });
const api = createApi(loader.get, glue, { async: webVerify }, { wasmCrypto: false });

export { DcrGuardError } from './api.js';
export const { init, verifyJws, verifyJwsAsync, decodeJws, validateRegistration, inspectRegistration, checkRegistration } = entryExports(api, loader);
