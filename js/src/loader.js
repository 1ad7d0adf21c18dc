// How an entry obtains its compiled module, and the functions every entry exports over it.
//
// No entry does any work at import time: no top-level await, no fetch, not even the URL of the
// .wasm (an IIFE bundle has no `import.meta.url`, and `new URL(…, undefined)` would throw at
// import). The module is loaded by `init()` or by the first asynchronous call, and any failure
// is that call's rejection (`ERR_DCR_GUARD_WASM_LOAD`, the cause attached), never an uncaught
// error. Synchronous calls need the module compiled already: in Node they read and compile it
// themselves (`syncLoad`), in browsers `await init()` (or one asynchronous call) must come first.
import { DcrGuardError } from './api.js';

const loadError = (err) =>
  err instanceof DcrGuardError
    ? err
    : new DcrGuardError('ERR_DCR_GUARD_WASM_LOAD', `the WebAssembly module could not be loaded: ${err?.message ?? String(err)}`, { cause: err });

const isResponse = (v) => typeof Response === 'function' && v instanceof Response;

/**
 * Compiles what `init({ wasm })` was given: a WebAssembly.Module, bytes, a Response (or a
 * promise of one), or a URL (string or URL) to fetch. A Response served as `application/wasm`
 * is compiled while it streams; any other MIME type (a server that does not know .wasm) is read
 * whole first, since compileStreaming refuses it.
 */
async function compile(source, readFile) {
  source = await source;
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(source);
  if (typeof source === 'string' || source instanceof URL) {
    const url = new URL(source, globalThis.location?.href);
    source = url.protocol === 'file:' && readFile ? readFile(url) : await fetch(url);
    if (!isResponse(source)) return WebAssembly.compile(source);
  }
  if (isResponse(source)) {
    if (!source.ok) throw new Error(`HTTP ${source.status} ${source.statusText} fetching ${source.url}`);
    const type = source.headers.get('content-type')?.split(';')[0].trim().toLowerCase();
    if (type === 'application/wasm' && typeof WebAssembly.compileStreaming === 'function') return WebAssembly.compileStreaming(source);
    return WebAssembly.compile(await source.arrayBuffer());
  }
  throw new TypeError('init({ wasm }) takes a URL, a Response, bytes or a WebAssembly.Module');
}

/**
 * One module, loaded once. `glue` is its wasm-bindgen glue (instantiated right after compiling,
 * so a module that does not fit the glue fails the load, not a later call); `defaultSource()`
 * gives what to load when `init()` is given no `wasm` — a function, so that the entry's
 * `new URL('…wasm', import.meta.url)` is evaluated only then; `syncLoad()` (Node) compiles it
 * synchronously for a synchronous first call; `module` is a module compiled already (workerd);
 * `readFile(url)` reads a file: URL (Node, whose fetch has no file: URLs).
 */
export function moduleLoader(glue, { defaultSource, syncLoad, module, readFile } = {}) {
  let compiled;
  let pending;
  let explicit = false;
  /** The last failed load, which a synchronous call reports instead of "not initialised". */
  let failure;

  const instantiate = (m) => {
    glue.initSync({ module: m });
    compiled ??= m;
    failure = undefined;
  };
  // A module compiled already (workerd) is instantiated on first use, like Node's, not at import.
  if (module !== undefined) syncLoad ??= () => module;

  function start(source) {
    const p = compile(source, readFile).then(instantiate).then(undefined, (err) => {
      if (compiled) return undefined;
      // A newer load (an explicit init({ wasm }) after a lazy default one) decides instead.
      if (pending !== p) return pending;
      pending = undefined;
      explicit = false;
      failure = loadError(err);
      throw failure;
    });
    pending = p;
    return p;
  }

  /** `init(options?)`: loads and instantiates the module once; later calls resolve at once. */
  async function init(options = {}) {
    if (options === null || typeof options !== 'object') throw new DcrGuardError('ERR_DCR_GUARD_INVALID_ARGUMENT', 'init takes an options object');
    for (const key of Object.keys(options)) {
      if (key !== 'wasm') throw new DcrGuardError('ERR_DCR_GUARD_INVALID_ARGUMENT', `unknown init option "${key}" (init takes wasm)`);
    }
    if (compiled) return;
    const { wasm } = options;
    if (wasm !== undefined) {
      if (!explicit) {
        explicit = true;
        start(wasm);
      }
    } else if (pending === undefined) {
      if (syncLoad) {
        get();
        return;
      }
      if (!defaultSource) throw new DcrGuardError('ERR_DCR_GUARD_WASM_LOAD', 'no WebAssembly module to load: pass init({ wasm })');
      start(Promise.resolve().then(defaultSource));
    }
    await pending;
  }

  /** The compiled module, for a synchronous call (instantiated already). */
  function get() {
    if (compiled) return compiled;
    if (syncLoad) {
      try {
        instantiate(syncLoad());
      } catch (err) {
        throw loadError(err);
      }
      return compiled;
    }
    if (failure) throw failure;
    throw new DcrGuardError(
      'ERR_DCR_GUARD_NOT_INITIALISED',
      'the WebAssembly module is not loaded yet: `await init()` (or one asynchronous call such as checkRegistration) before a synchronous call',
    );
  }

  return { init, get, ready: () => (compiled ? undefined : init()) };
}

/**
 * The exports of an entry: `api` from createApi over `loader.get`. The asynchronous functions
 * load the module first; the synchronous ones use it as it is.
 */
export function entryExports(api, loader) {
  const { ready } = loader;
  return {
    init: loader.init,
    verifyJws: api.verifyJws,
    decodeJws: api.decodeJws,
    validateRegistration: api.validateRegistration,
    inspectRegistration: api.inspectRegistration,
    async verifyJwsAsync(jws, jwks, opts) {
      await ready();
      return api.verifyJwsAsync(jws, jwks, opts);
    },
    async checkRegistration(jws, opts) {
      await ready();
      return api.checkRegistration(jws, opts);
    },
  };
}
