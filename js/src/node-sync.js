// Node entry of `dcr-guard/sync`: the module with the pure-Rust crypto, for `crypto: 'wasm'`
// (node:crypto still answers the default `crypto: 'host'`). Read and compiled synchronously on
// first use (or by init()).
import { readFileSync } from 'node:fs';
import { createApi } from './api.js';
import { entryExports, moduleLoader } from './loader.js';
import { nodeVerify } from './nodecrypto.js';
import * as glue from '../dist/dcr_guard_wasm.js';

const url = () => new URL('../dist/dcr_guard_wasm_bg.wasm', import.meta.url);
const loader = moduleLoader(glue, { syncLoad: () => new WebAssembly.Module(readFileSync(url())), readFile: readFileSync });
const api = createApi(loader.get, glue, { sync: nodeVerify, async: nodeVerify });

export { DcrGuardError } from './api.js';
export const { init, verifyJws, verifyJwsAsync, decodeJws, validateRegistration, inspectRegistration, checkRegistration } = entryExports(api, loader);
