// Node entry of `dcr-guard/sync`: the module with the pure-Rust crypto, for `crypto: 'wasm'`
// (node:crypto still answers the default `crypto: 'host'`). Read and compiled synchronously on
// first use (or by init()).
import { readFileSync } from 'node:fs';
import { createApi } from './api.js';
import { entryExports, moduleLoader } from './loader.js';
import { byCalls, nodeVerify } from './nodecrypto.js';
import { webVerify } from './webcrypto.js';
import * as glue from '../dist/dcr_guard_wasm.js';

const url = () => new URL('../dist/dcr_guard_wasm_bg.wasm', import.meta.url);
const loader = moduleLoader(glue, { syncLoad: () => new WebAssembly.Module(readFileSync(url())), readFile: readFileSync });
// The asynchronous functions verify with node:crypto on the main thread while one of their
// calls is in progress (the fastest alone), and with WebCrypto on libuv's thread pool while more
// are, so that many validations in flight use more than one core (docs/performance.md).
const backend = byCalls(nodeVerify, webVerify);
const api = createApi(loader.get, glue, { sync: nodeVerify, async: backend.verify });
const entry = entryExports(api, loader);

export { DcrGuardError } from './api.js';
export const { init, verifyJws, decodeJws, validateRegistration, inspectRegistration } = entry;
export const verifyJwsAsync = backend.track(entry.verifyJwsAsync);
export const checkRegistration = backend.track(entry.checkRegistration);
