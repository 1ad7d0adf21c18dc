// The public API, bound to one WebAssembly engine. Each entry (node.js, browser.js, workerd.js
// and their -sync variants) only says which module it runs and how to obtain it (loader.js);
// everything else lives here. No glue is imported here: an entry imports the one glue it needs,
// so a bundle holds one module's glue and a bundler emits one .wasm.

import { CONFIG_OPTIONS, LIMITS, REQUEST_OPTIONS } from './tables.js';

/** Errors the caller must fix carry a stable `code` (`ERR_DCR_GUARD_…`). */
export class DcrGuardError extends Error {
  constructor(code, message, options) {
    super(message, options);
    this.name = 'DcrGuardError';
    this.code = code;
  }
}

/** `config.profile_unknown` → `ERR_DCR_GUARD_CONFIG_PROFILE_UNKNOWN`. */
const errorCode = (code) => `ERR_DCR_GUARD_${String(code).replace(/[^a-z0-9]+/gi, '_').toUpperCase()}`;

/** Options of the call itself, not of the validator configuration. */
const CALL_ONLY = ['ssaJwks', 'softwareJwks', 'now', 'fetchJwks', 'crypto'];
const OPTION_KEYS = new Set([...CONFIG_OPTIONS, ...REQUEST_OPTIONS, ...CALL_ONLY]);
/** Options that belong to the call, not to the validator configuration. */
const CALL_KEYS = [...CALL_ONLY, ...REQUEST_OPTIONS];
/** Call options that describe the request itself (the core's RequestOptions), passed apart from the configuration. */
const REQUEST_KEYS = REQUEST_OPTIONS;

/**
 * Who does the signature arithmetic: 'host' (default) is the runtime's own crypto where the call
 * can use it (in Node node:crypto, or WebCrypto for overlapping asynchronous calls; WebCrypto in
 * browsers and workerd for the asynchronous functions), 'wasm' the pure-Rust backend inside the
 * module (dcr-guard/sync). Parsing, policy, key validation and findings are the same Rust code
 * either way.
 */
function cryptoChoice(value) {
  if (value === undefined || value === 'host') return 'host';
  if (value === 'wasm') return 'wasm';
  throw new DcrGuardError('ERR_DCR_GUARD_CONFIG_INVALID_OPTION', `crypto must be "host" or "wasm", got ${JSON.stringify(String(value))}`);
}

const ALGORITHMS = [undefined, 'PS256', 'ES256'];

/**
 * Asks a host backend about one pending check, unpacked from the module's byte layout (crates/wasm
 * `pending_check`: alg, 43-byte thumbprint, u16 LE signature length, signature, signing input).
 * A throw is a failed verification; only a literal `true` verifies (checked by the caller).
 */
function ask(verify, check, packed) {
  try {
    const sigEnd = 46 + (packed[44] | (packed[45] << 8));
    // `apply` rather than a spread: a spread of 43 arguments costs as much as a signature check's glue.
    const keyId = String.fromCharCode.apply(null, packed.subarray(1, 44));
    return verify(ALGORITHMS[packed[0]], keyId, () => check.pendingJwk(), packed.subarray(sigEnd), packed.subarray(46, sigEnd));
  } catch {
    return false;
  }
}

function argumentError(message) {
  return new DcrGuardError('ERR_DCR_GUARD_INVALID_ARGUMENT', message);
}

/**
 * Inputs are cut to their documented limit + 1 (docs/limits.md) before they are copied into wasm
 * memory: a longer input costs no wasm memory (which never shrinks), and the core still reports
 * its own size error (`jws.too_large`, `jwks.too_large`). Cutting to limit + 1 UTF-16 units keeps
 * more than `limit` UTF-8 bytes, so the verdict is unchanged. test/hostile.test.mjs checks both.
 */
const MAX_TOKEN_BYTES = LIMITS.maxTokenBytes;
const MAX_DOCUMENT_BYTES = LIMITS.maxDocumentBytes;
/** Options are configuration, but they are copied into wasm memory too (a discovery document inside). */
const MAX_OPTIONS_BYTES = 4 * MAX_DOCUMENT_BYTES;
/** Deepest nesting checked in JS before the core's own 16-level limit applies. */
const MAX_DEPTH = 32;

const clip = (s, limit) => (s.length > limit ? s.slice(0, limit + 1) : s);

const encoder = new TextEncoder();

/**
 * Writes `texts` as UTF-8 into the module's input buffer, one after the other, and returns their
 * byte lengths (what the exports take). `encodeInto` straight into wasm memory: wasm-bindgen's
 * string passing copies in a JS loop, character by character, which cost more than parsing the
 * token. The buffer is sized for ASCII first and grown to the worst case (3 bytes per UTF-16
 * unit) only when a text is not ASCII.
 */
function writeInputs(e, memory, texts) {
  let capacity = 0;
  for (const t of texts) capacity += t.length;
  let at = e.inputBuffer(capacity);
  let bytes = new Uint8Array(memory().buffer);
  let offset = 0;
  const lengths = [];
  for (let i = 0; i < texts.length; i++) {
    let done = encoder.encodeInto(texts[i], bytes.subarray(at + offset, at + capacity));
    if (done.read < texts[i].length) {
      capacity = offset;
      for (let j = i; j < texts.length; j++) capacity += 3 * texts[j].length;
      at = e.inputBuffer(capacity); // may move the buffer (its content kept) and grow memory
      bytes = new Uint8Array(memory().buffer);
      done = encoder.encodeInto(texts[i], bytes.subarray(at + offset, at + capacity));
    }
    lengths.push(done.written);
    offset += done.written;
  }
  return lengths;
}

function isPlainObject(v) {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * JSON text of `value`, refusing what JSON.stringify would silently change: NaN and ±Infinity
 * become null (for `maxRequestLifetime`, null means "no cap"), functions, symbols and undefined
 * vanish, BigInt throws a TypeError, Dates and Maps change shape. Each is a DcrGuardError `code`.
 */
function jsonText(value, name, code) {
  const check = (v, path, depth) => {
    if (depth > MAX_DEPTH) throw new DcrGuardError(code, `${path} is nested too deeply`);
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new DcrGuardError(code, `${path} must be a finite number`);
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        if (x === undefined) throw new DcrGuardError(code, `${path}[${i}] is undefined`);
        check(x, `${path}[${i}]`, depth + 1);
      });
      return;
    }
    if (isPlainObject(v)) {
      for (const [k, x] of Object.entries(v)) if (x !== undefined) check(x, `${path}.${k}`, depth + 1);
      return;
    }
    throw new DcrGuardError(code, `${path} is not JSON data (${typeof v === 'object' ? 'not a plain object' : typeof v})`);
  };
  if (!isJsonData(value, 0)) check(value, name, 0); // the slow walk only to name what is wrong
  return JSON.stringify(value);
}

/** The same rules as jsonText's walk, without building paths: the common, valid case is fast. */
function isJsonData(v, depth) {
  if (depth > MAX_DEPTH) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (v[i] === undefined || !isJsonData(v[i], depth + 1)) return false;
    return true;
  }
  if (!isPlainObject(v)) return false;
  for (const k in v) if (Object.hasOwn(v, k) && v[k] !== undefined && !isJsonData(v[k], depth + 1)) return false;
  return true;
}

/** A JWKS argument as JSON text (objects checked and stringified), cut to the document limit. */
function text(value, name) {
  if (typeof value === 'string') return clip(value, MAX_DOCUMENT_BYTES);
  if (value !== null && typeof value === 'object') return clip(jsonText(value, name, 'ERR_DCR_GUARD_INVALID_ARGUMENT'), MAX_DOCUMENT_BYTES);
  throw argumentError(`${name} must be an object or a JSON string`);
}

function token(value) {
  if (typeof value !== 'string') throw argumentError('the token must be a string');
  return clip(value, MAX_TOKEN_BYTES);
}

function options(value, required) {
  if (value === null || typeof value !== 'object') throw argumentError('options must be an object');
  for (const key of Object.keys(value)) {
    if (!OPTION_KEYS.has(key)) throw new DcrGuardError('ERR_DCR_GUARD_CONFIG_INVALID_OPTION', `unknown option "${key}"`);
  }
  for (const key of required) {
    if (value[key] === undefined) throw new DcrGuardError('ERR_DCR_GUARD_CONFIG_INVALID_OPTION', `${key} is required`);
  }
  const config = {};
  for (const [k, v] of Object.entries(value)) if (!CALL_KEYS.includes(k) && v !== undefined) config[k] = v;
  if (isPlainObject(config.discovery)) {
    config.discovery = jsonText(config.discovery, 'discovery', 'ERR_DCR_GUARD_CONFIG_DISCOVERY_INVALID');
  }
  const json = jsonText(config, 'options', 'ERR_DCR_GUARD_CONFIG_INVALID_OPTION');
  if (json.length > MAX_OPTIONS_BYTES) {
    throw new DcrGuardError('ERR_DCR_GUARD_CONFIG_INVALID_OPTION', `the options are larger than ${MAX_OPTIONS_BYTES} bytes`);
  }
  const now = value.now ?? Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(now)) throw argumentError('now must be an integer number of Unix seconds');
  const perRequest = {};
  for (const k of REQUEST_KEYS) if (value[k] !== undefined) perRequest[k] = value[k];
  const request = Object.keys(perRequest).length ? jsonText(perRequest, 'options', 'ERR_DCR_GUARD_CONFIG_INVALID_OPTION') : '';
  return { config: json, request, now };
}

/**
 * Resets per glue module. The entries share the shipped glue (one wasm instance per process), so
 * a reset by one API must also fail the in-flight asynchronous checks of every other API over it.
 */
const RESETS = new WeakMap();

/**
 * Builds the API over a lazily instantiated module. `getModule()` returns a compiled
 * `WebAssembly.Module` (or throws a DcrGuardError: not loaded yet, failed to load); it is
 * instantiated on first use and again after a trap (a Rust panic must be impossible, but if one
 * happens the next call still works). `glue` is the wasm-bindgen glue of that module (tests
 * pass the test build's).
 *
 * `host` gives the runtime's signature backends: `sync(alg, keyId, jwk, data, signature) →
 * boolean` for every function, and/or `async(...) → Promise<boolean>` for the asynchronous ones
 * (nodecrypto.js, webcrypto.js). Without one, the in-wasm backend answers — which a module built
 * without it (`wasmCrypto: false`, dist/dcr_guard_wasm_host) cannot: such a call is refused with
 * ERR_DCR_GUARD_WASM_CRYPTO_UNAVAILABLE before anything is allocated, naming `dcr-guard/sync`.
 */
export function createApi(getModule, glue, host = {}, { wasmCrypto = true } = {}) {
  let ready = false;
  /** How many times this glue's instance was replaced, by this API or another over the same glue. */
  const epoch = () => RESETS.get(glue) ?? 0;

  function engine() {
    if (!ready) {
      glue.initSync({ module: getModule() });
      ready = true;
    }
    return glue;
  }

  /** The instance's memory (initSync returns the live exports; it only instantiates once). */
  const memory = () => glue.initSync({ module: getModule() }).memory;

  /** `writeInputs` for this module. */
  const put = (e, texts) => writeInputs(e, memory, texts);

  /**
   * Runs one call into wasm. The module never throws on purpose (every reply is data), so any
   * exception — a trap, or a JS stack overflow in the middle of a call — may have left the
   * instance inconsistent: it is replaced, and the call fails with ERR_DCR_GUARD_INTERNAL.
   */
  function guard(fn) {
    const e = engine(); // arguments are checked before this point, so only wasm can throw below
    try {
      return fn(e);
    } catch (err) {
      glue.__dcrGuardReinit(getModule());
      RESETS.set(glue, epoch() + 1);
      throw new DcrGuardError('ERR_DCR_GUARD_INTERNAL', 'internal error in the WebAssembly module; it was reset', { cause: err });
    }
  }

  function call(fn) {
    const parsed = JSON.parse(guard(fn));
    if (parsed.error) throw new DcrGuardError(errorCode(parsed.error.code), parsed.error.message);
    return parsed.ok;
  }

  /**
   * Answers every pending signature check of `check` (a Session or JwsCheck) synchronously,
   * starting from `packed` (the pending check, or undefined); each answer returns the next one.
   */
  function answer(check, verify, packed) {
    guard(() => {
      if (!verify) return check.settle();
      while (packed !== undefined) packed = check.resolve(ask(verify, check, packed) === true);
    });
  }

  /** The same with an asynchronous backend; the module must not have been reset meanwhile. */
  async function answerAsync(check, verify, at, packed) {
    if (!verify) return answer(check, null);
    while (packed !== undefined) {
      const ok = await ask(verify, check, packed);
      if (at !== epoch()) {
        throw new DcrGuardError('ERR_DCR_GUARD_INTERNAL', 'the WebAssembly module was reset during this check; retry');
      }
      packed = guard(() => check.resolve(ok === true));
    }
  }

  /** The first pending check of a new Session or JwsCheck, when a host backend answers it. */
  const first = (check, verify) => (verify ? guard(() => check.pendingCheck()) : undefined);

  /** The backend a call uses: `async` allows an asynchronous one. */
  const backend = (choice, async) => (choice === 'wasm' ? null : async ? host.async ?? host.sync ?? null : host.sync ?? null);

  /** The `crypto` option of call `name`, refused when it would need an in-wasm backend that is not there. */
  function choose(value, async, name) {
    const choice = cryptoChoice(value);
    if (!wasmCrypto && backend(choice, async) === null) {
      const instead = name === 'verifyJws' ? 'verifyJwsAsync' : 'checkRegistration';
      throw new DcrGuardError(
        'ERR_DCR_GUARD_WASM_CRYPTO_UNAVAILABLE',
        choice === 'wasm'
          ? `crypto: 'wasm' needs the module with the pure-Rust crypto: import { ${name} } from 'dcr-guard/sync'`
          : `${name} verifies synchronously, and this runtime's crypto (WebCrypto) is asynchronous: use ${instead}, or import { ${name} } from 'dcr-guard/sync' (the module with the pure-Rust crypto)`,
      );
    }
    return choice;
  }

  /** Frees a wasm object, or detaches it when it belongs to an instance replaced by a reset. */
  function release(obj, at) {
    if (at !== epoch()) obj.__destroy_into_raw?.();
    else obj.free();
  }

  function verifyArgs(jws, jwks, opts, async) {
    if (opts === null || typeof opts !== 'object') throw argumentError('options must be an object');
    for (const key of Object.keys(opts)) {
      // A typo such as `algorithm` must not silently fall back to accepting both algorithms.
      if (key !== 'algorithms' && key !== 'crypto') throw new DcrGuardError('ERR_DCR_GUARD_CONFIG_INVALID_OPTION', `unknown option "${key}" (verifyJws takes algorithms and crypto)`);
    }
    const { algorithms } = opts;
    if (Array.isArray(algorithms)) {
      for (const a of algorithms) {
        if (typeof a !== 'string' || a.includes(',')) {
          throw new DcrGuardError('ERR_DCR_GUARD_CONFIG_ALGORITHM_UNKNOWN', `algorithms must be names such as "PS256", got ${JSON.stringify(String(a))}`);
        }
      }
    }
    const algs = algorithms === undefined ? undefined : Array.isArray(algorithms) ? algorithms.join(',') : String(algorithms);
    const [t, keys] = [token(jws), text(jwks, 'jwks')];
    return { t, keys, algs, choice: choose(opts.crypto, async, 'verifyJws') };
  }

  const newJwsCheck = (t, keys, algs) =>
    guard((e) => {
      const [tokenLen, keysLen] = put(e, [t, keys]);
      return new e.JwsCheck(tokenLen, keysLen, algs);
    });

  function verifyJws(jws, jwks, opts = {}) {
    const { t, keys, algs, choice } = verifyArgs(jws, jwks, opts, false);
    const at = epoch();
    const check = newJwsCheck(t, keys, algs);
    try {
      const verify = backend(choice, false);
      answer(check, verify, first(check, verify));
      return call(() => check.result());
    } finally {
      release(check, at);
    }
  }

  async function verifyJwsAsync(jws, jwks, opts = {}) {
    const { t, keys, algs, choice } = verifyArgs(jws, jwks, opts, true);
    const at = epoch();
    const check = newJwsCheck(t, keys, algs);
    try {
      const verify = backend(choice, true);
      await answerAsync(check, verify, at, first(check, verify));
      return call(() => check.result());
    } finally {
      release(check, at);
    }
  }

  function decodeJws(jws) {
    const t = token(jws);
    return call((e) => e.decodeJws(put(e, [t])[0]));
  }

  function validateRegistration(jws, opts) {
    const { config, request, now } = options(opts, ['ssaJwks', 'softwareJwks']);
    const ssa = text(opts.ssaJwks, 'ssaJwks');
    const software = text(opts.softwareJwks, 'softwareJwks');
    const t = token(jws);
    const verify = backend(choose(opts.crypto, false, 'validateRegistration'), false);
    const at = epoch();
    const session = newSession(t, config, request, ssa, now);
    try {
      answer(session, verify, first(session, verify));
      answer(session, verify, guard((e) => session.attach(put(e, [software])[0])));
      return call(() => session.report());
    } finally {
      release(session, at);
    }
  }

  /** Starts phase 1 (up to the SSA signature); the session must be released by the caller. */
  function start(jws, opts, async, name) {
    const { config, request, now } = options(opts, ['ssaJwks']);
    const ssa = text(opts.ssaJwks, 'ssaJwks');
    const t = token(jws);
    const choice = choose(opts.crypto, async, name);
    const at = epoch();
    const session = newSession(t, config, request, ssa, now);
    return { session, at, choice };
  }

  function newSession(t, config, request, ssa, now) {
    return guard((e) => {
      const [tokenLen, configLen, requestLen, ssaLen] = put(e, [t, config, request, ssa]);
      return new e.Session(tokenLen, configLen, requestLen, ssaLen, now);
    });
  }

  function inspectRegistration(jws, opts) {
    const { session, at, choice } = start(jws, opts, false, 'inspectRegistration');
    try {
      const verify = backend(choice, false);
      answer(session, verify, first(session, verify));
      return call(() => session.phase1());
    } finally {
      release(session, at);
    }
  }

  async function checkRegistration(jws, opts) {
    if (typeof opts?.fetchJwks !== 'function') throw argumentError('fetchJwks must be a function');
    const { session, at, choice } = start(jws, opts, true, 'checkRegistration');
    const verify = backend(choice, true);
    try {
      await answerAsync(session, verify, at, first(session, verify));
      const plan = call(() => session.fetchPlan()); // the URL and kid only, not phase1()'s copy of both tokens
      let softwareJwks;
      if (plan.softwareJwksUrl) {
        let fetched;
        try {
          fetched = await opts.fetchJwks(plan.softwareJwksUrl, { kid: plan.kid });
        } catch (err) {
          throw new DcrGuardError('ERR_DCR_GUARD_FETCH_FAILED', `fetching ${plan.softwareJwksUrl} failed`, { cause: err });
        }
        softwareJwks = text(fetched, 'the fetched JWKS');
      }
      if (at !== epoch()) {
        throw new DcrGuardError('ERR_DCR_GUARD_INTERNAL', 'the WebAssembly module was reset during this check; retry');
      }
      const packed = guard((e) => session.attach(softwareJwks === undefined ? undefined : put(e, [softwareJwks])[0]));
      await answerAsync(session, verify, at, packed);
      return call(() => session.report());
    } finally {
      // A session of a reset module belongs to the old instance: detach it without freeing.
      release(session, at);
    }
  }

  /** Test builds only (the shipped module has no such export). */
  function __trap() {
    return call((e) => {
      e.__trap();
      return '{"ok":null}';
    });
  }

  /** Test builds only: one raw check through the core's key and shape rules (see crates/wasm). */
  function __rawCheck(jwk, alg, message, signature) {
    return call((e) => e.__rawCheck(jwk, alg, message, signature));
  }

  return { verifyJws, verifyJwsAsync, decodeJws, validateRegistration, inspectRegistration, checkRegistration, __trap, __rawCheck };
}
