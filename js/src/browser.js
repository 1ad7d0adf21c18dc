// Browser and bundler entry: the module is fetched next to this file and compiled once, at
// import time (top-level await), so every function below stays synchronous.
import { createApi } from './api.js';
import { webVerify } from './webcrypto.js';

const url = new URL('../dist/dcr_guard_wasm_bg.wasm', import.meta.url);
const compiled = await WebAssembly.compileStreaming(fetch(url)).catch(async () =>
  WebAssembly.compile(await (await fetch(url)).arrayBuffer()),
);
const api = createApi(() => compiled, undefined, { async: webVerify });

export { DcrGuardError } from './api.js';
export const { verifyJws, verifyJwsAsync, decodeJws, validateRegistration, inspectRegistration, checkRegistration } = api;
