// Browser and bundler entry: the module is fetched next to this file and compiled once, at
// import time (top-level await), so every function below stays synchronous.
import { createApi } from './api.js';

const url = new URL('../dist/dcr_guard_wasm_bg.wasm', import.meta.url);
const compiled = await WebAssembly.compileStreaming(fetch(url)).catch(async () =>
  WebAssembly.compile(await (await fetch(url)).arrayBuffer()),
);
const api = createApi(() => compiled);

export { DcrGuardError } from './api.js';
export const { verifyJws, decodeJws, validateRegistration, inspectRegistration, checkRegistration } = api;
