// workerd / Cloudflare Workers entry (`dcr-guard`): the bundler (wrangler) hands over the .wasm
// as a compiled module, so there is nothing to load. The module has no pure-Rust crypto:
// WebCrypto verifies, asynchronously (checkRegistration, verifyJwsAsync); the synchronous
// verifying functions point to `dcr-guard/sync` (workerd-sync.js), as in browsers.
import wasmModule from '../dist/dcr_guard_wasm_host_bg.wasm';
import { createApi } from './api.js';
import { entryExports, moduleLoader } from './loader.js';
import { webVerify } from './webcrypto.js';
import * as glue from '../dist/dcr_guard_wasm_host.js';

const loader = moduleLoader(glue, { module: wasmModule });
const api = createApi(loader.get, glue, { async: webVerify }, { wasmCrypto: false });

export { DcrGuardError } from './api.js';
export const { init, verifyJws, verifyJwsAsync, decodeJws, validateRegistration, inspectRegistration, checkRegistration } = entryExports(api, loader);
