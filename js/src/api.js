// The public API, bound to one WebAssembly engine. Each entry (node.js, browser.js,
// workerd.js) only says how to obtain the compiled module; everything else lives here.
import * as shippedGlue from '../dist/dcr_guard_wasm.js';

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

const OPTION_KEYS = new Set([
  'profile', 'issuer', 'audiences', 'ssaJwks', 'softwareJwks', 'discovery', 'now', 'clockSkew',
  'maxRequestLifetime', 'maxSsaAge', 'mode', 'trustedSsaIssuers', 'algorithms', 'operation', 'clientCertSubjectDn',
  'softwareEnvironment', 'fetchJwks',
]);
/** Options that belong to the call, not to the validator configuration. */
const CALL_KEYS = ['ssaJwks', 'softwareJwks', 'now', 'fetchJwks'];

function argumentError(message) {
  return new DcrGuardError('ERR_DCR_GUARD_INVALID_ARGUMENT', message);
}

/**
 * Inputs are cut to their documented limit + 1 (docs/limits.md) before they are copied into wasm
 * memory: a longer input costs no wasm memory (which never shrinks), and the core still reports
 * its own size error (`jws.too_large`, `jwks.too_large`). Cutting to limit + 1 UTF-16 units keeps
 * more than `limit` UTF-8 bytes, so the verdict is unchanged. test/hostile.test.mjs checks both.
 */
const MAX_TOKEN_BYTES = 65536;
const MAX_DOCUMENT_BYTES = 262144;
/** Options are configuration, but they are copied into wasm memory too (a discovery document inside). */
const MAX_OPTIONS_BYTES = 4 * MAX_DOCUMENT_BYTES;
/** Deepest nesting checked in JS before the core's own 16-level limit applies. */
const MAX_DEPTH = 32;

const clip = (s, limit) => (s.length > limit ? s.slice(0, limit + 1) : s);

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
  check(value, name, 0);
  return JSON.stringify(value);
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
  return { config: json, now };
}

/**
 * Builds the API over a lazily instantiated module. `getModule()` returns a compiled
 * `WebAssembly.Module`; it is instantiated on first use and again after a trap (a Rust panic
 * must be impossible, but if one happens the next call still works). `glue` is the
 * wasm-bindgen glue of that module (tests pass the test build's).
 */
export function createApi(getModule, glue = shippedGlue) {
  let ready = false;
  let epoch = 0;

  function engine() {
    if (!ready) {
      glue.initSync({ module: getModule() });
      ready = true;
    }
    return glue;
  }

  /**
   * Runs one call into wasm. The module never throws on purpose (every reply is data), so any
   * exception — a trap, or a JS stack overflow in the middle of a call — may have left the
   * instance inconsistent: it is replaced, and the call fails with ERR_DCR_GUARD_INTERNAL.
   */
  function call(fn) {
    const e = engine(); // arguments are checked before this point, so only wasm can throw below
    let reply;
    try {
      reply = fn(e);
    } catch (err) {
      glue.__dcrGuardReinit(getModule());
      epoch += 1;
      throw new DcrGuardError('ERR_DCR_GUARD_INTERNAL', 'internal error in the WebAssembly module; it was reset', { cause: err });
    }
    const parsed = JSON.parse(reply);
    if (parsed.error) throw new DcrGuardError(errorCode(parsed.error.code), parsed.error.message);
    return parsed.ok;
  }

  function verifyJws(jws, jwks, opts = {}) {
    if (opts === null || typeof opts !== 'object') throw argumentError('options must be an object');
    for (const key of Object.keys(opts)) {
      // A typo such as `algorithm` must not silently fall back to accepting both algorithms.
      if (key !== 'algorithms') throw new DcrGuardError('ERR_DCR_GUARD_CONFIG_INVALID_OPTION', `unknown option "${key}" (verifyJws takes algorithms)`);
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
    return call((e) => e.verifyJws(t, keys, algs));
  }

  function decodeJws(jws) {
    const t = token(jws);
    return call((e) => e.decodeJws(t));
  }

  function validateRegistration(jws, opts) {
    const { config, now } = options(opts, ['ssaJwks', 'softwareJwks']);
    const ssa = text(opts.ssaJwks, 'ssaJwks');
    const software = text(opts.softwareJwks, 'softwareJwks');
    const t = token(jws);
    return call((e) => e.validateRegistration(t, config, ssa, software, now));
  }

  /** Starts phase 1; the session must be freed by the caller. */
  function start(jws, opts) {
    const { config, now } = options(opts, ['ssaJwks']);
    const ssa = text(opts.ssaJwks, 'ssaJwks');
    const t = token(jws);
    let session;
    call((e) => {
      session = new e.Session(t, config, ssa, now);
      return '{"ok":null}';
    });
    return { session, at: epoch };
  }

  function inspectRegistration(jws, opts) {
    const { session } = start(jws, opts);
    try {
      return call(() => session.phase1());
    } finally {
      session.free();
    }
  }

  async function checkRegistration(jws, opts) {
    if (typeof opts?.fetchJwks !== 'function') throw argumentError('fetchJwks must be a function');
    const { session, at } = start(jws, opts);
    try {
      const phase1 = call(() => session.phase1());
      let softwareJwks;
      if (phase1.softwareJwksUrl) {
        let fetched;
        try {
          fetched = await opts.fetchJwks(phase1.softwareJwksUrl, { kid: phase1.kid });
        } catch (err) {
          throw new DcrGuardError('ERR_DCR_GUARD_FETCH_FAILED', `fetching ${phase1.softwareJwksUrl} failed`, { cause: err });
        }
        softwareJwks = text(fetched, 'the fetched JWKS');
      }
      if (at !== epoch) {
        throw new DcrGuardError('ERR_DCR_GUARD_INTERNAL', 'the WebAssembly module was reset during this check; retry');
      }
      return call(() => session.finish(softwareJwks));
    } finally {
      // A session of a reset module belongs to the old instance: detach it without freeing.
      if (at !== epoch) session.__destroy_into_raw?.();
      else session.free();
    }
  }

  /** Test builds only (the shipped module has no such export). */
  function __trap() {
    return call((e) => {
      e.__trap();
      return '{"ok":null}';
    });
  }

  return { verifyJws, decodeJws, validateRegistration, inspectRegistration, checkRegistration, __trap };
}
