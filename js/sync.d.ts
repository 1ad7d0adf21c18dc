/**
 * `dcr-guard/sync`: the same API as `dcr-guard`, over the module with the pure-Rust crypto, so
 * that the synchronous functions ({@link verifyJws}, {@link validateRegistration},
 * {@link inspectRegistration}) verify in every runtime, and `crypto: 'wasm'` is available. In
 * browsers, `await init()` (or one asynchronous call) must come before a synchronous call.
 *
 * @packageDocumentation
 */
export * from './index.js';
