// Node entry (`dcr-guard` in Node). node:crypto answers every signature check, so this entry
// runs the module built without the pure-Rust crypto (dist/dcr_guard_wasm_host: about 30 KB
// gzip less to read, compile and instantiate). `crypto: 'wasm'` lives in `dcr-guard/sync`
// (node-sync.js). The module is read and compiled synchronously on first use (or by init()).
import { readFileSync } from 'node:fs';
import { createApi } from './api.js';
import { entryExports, moduleLoader } from './loader.js';
import { nodeVerify } from './nodecrypto.js';
import * as glue from '../dist/dcr_guard_wasm_host.js';

const url = () => new URL('../dist/dcr_guard_wasm_host_bg.wasm', import.meta.url);
const loader = moduleLoader(glue, { syncLoad: () => new WebAssembly.Module(readFileSync(url())), readFile: readFileSync });
const api = createApi(loader.get, glue, { sync: nodeVerify, async: nodeVerify }, { wasmCrypto: false });

export { DcrGuardError } from './api.js';
export const { init, verifyJws, verifyJwsAsync, decodeJws, validateRegistration, inspectRegistration, checkRegistration } = entryExports(api, loader);
