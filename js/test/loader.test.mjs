// How an entry obtains its module (src/loader.js), with the built modules and real HTTP on
// 127.0.0.1: every form init({ wasm }) takes, the MIME-type fallback, each failure as a
// DcrGuardError with its cause, and retries. Each test imports its own copy of a glue (a query
// string makes a fresh ES module instance), so a test's instance is its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { JS } from './helpers.mjs';
import { createApi } from '../src/api.js';
import { entryExports, moduleLoader } from '../src/loader.js';
import { webVerify } from '../src/webcrypto.js';

const WEB = join(JS, 'dist', 'dcr_guard_wasm_web_bg.wasm');
/** A minimal valid module importing a function `x` from `env`. */
const FOREIGN = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 2, 9, 1, 3, 0x65, 0x6e, 0x76, 1, 0x78, 0, 0]);
const bytes = readFileSync(WEB);
let copies = 0;
/** A fresh instance of the browsers' glue, and the browser entry's arrangement over it. */
async function browserEntry(defaultSource) {
  const glue = await import(`${pathToFileURL(join(JS, 'dist', 'dcr_guard_wasm_web.js')).href}?copy=${copies++}`);
  const loader = moduleLoader(glue, { defaultSource });
  return entryExports(createApi(loader.get, glue, { async: webVerify }, { wasmCrypto: false }), loader);
}

/** Serves `routes` (path → [status, content type, body]) on 127.0.0.1; counts requests per path. */
async function server(routes) {
  const hits = {};
  const s = createServer((req, res) => {
    hits[req.url] = (hits[req.url] ?? 0) + 1;
    const [status, type, body] = routes[req.url] ?? [404, 'text/plain', 'not found'];
    res.writeHead(status, { 'content-type': type }).end(body);
  });
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  return { url: (p) => `http://127.0.0.1:${s.address().port}${p}`, hits, close: () => s.close() };
}

const token = 'eyJhbGciOiJQUzI1NiJ9.e30.AAAA';
const LOAD = { name: 'DcrGuardError', code: 'ERR_DCR_GUARD_WASM_LOAD' };

test('init({ wasm }) takes bytes, a WebAssembly.Module, a Response and a URL (served right or with a wrong MIME type)', async () => {
  const http = await server({
    '/right.wasm': [200, 'application/wasm', bytes],
    '/wrong.wasm': [200, 'application/octet-stream', bytes],
  });
  try {
    const sources = {
      bytes: () => new Uint8Array(bytes),
      'ArrayBuffer': () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
      module: () => new WebAssembly.Module(bytes),
      'Response (application/wasm, streamed)': () => fetch(http.url('/right.wasm')),
      'URL string, wrong MIME type (read whole)': () => http.url('/wrong.wasm'),
      'URL object': () => new URL(http.url('/right.wasm')),
    };
    for (const [name, source] of Object.entries(sources)) {
      const dg = await browserEntry();
      assert.throws(() => dg.decodeJws(token), { code: 'ERR_DCR_GUARD_NOT_INITIALISED' }, name);
      await dg.init({ wasm: source() });
      assert.equal(dg.decodeJws(token).header.alg, 'PS256', name);
      await dg.init({ wasm: 'http://127.0.0.1:1/never-fetched.wasm' }); // loaded: later options are ignored
    }
    assert.deepEqual(http.hits, { '/right.wasm': 2, '/wrong.wasm': 1 });
  } finally {
    http.close();
  }
});

test('a failed load rejects with ERR_DCR_GUARD_WASM_LOAD and its cause, at the call; the next call tries again', async () => {
  const http = await server({ '/garbage.wasm': [200, 'application/wasm', Buffer.from('not a module')] });
  try {
    // 404 from the default source: the asynchronous call rejects, a synchronous one then names the failure.
    const dg = await browserEntry(() => http.url('/missing.wasm'));
    await assert.rejects(dg.verifyJwsAsync(token, { keys: [] }), (e) => LOAD.code === e.code && /HTTP 404/.test(e.cause.message));
    assert.throws(() => dg.decodeJws(token), LOAD);
    // A later explicit init({ wasm }) succeeds where the default failed.
    await dg.init({ wasm: bytes });
    assert.equal(dg.decodeJws(token).verified, false);
    assert.equal((await dg.verifyJwsAsync(token, { keys: [] })).code, 'jwk.no_suitable_key');

    const failures = {
      'bytes that are no module': [Buffer.from('\0asm junk'), WebAssembly.CompileError],
      'a module served that is none': [http.url('/garbage.wasm'), WebAssembly.CompileError],
      // A valid module, not ours: it imports env.x, which the glue does not give (instantiated at load).
      'a module that is not dcr-guard\'s': [new WebAssembly.Module(FOREIGN), TypeError],
      'a URL nobody answers': ['http://127.0.0.1:1/x.wasm', TypeError],
      'something else': [{ wasm: 'no' }, TypeError],
    };
    for (const [name, [source, cause]] of Object.entries(failures)) {
      const fresh = await browserEntry();
      await assert.rejects(fresh.init({ wasm: source }), (e) => e.code === LOAD.code && e.cause instanceof cause, name);
      assert.throws(() => fresh.decodeJws(token), LOAD, name);
      await fresh.init({ wasm: bytes }); // retried after a failure
      assert.equal(fresh.decodeJws(token).verified, false, name);
    }
    // An IIFE bundle's default source: new URL(…, undefined) throws when evaluated, i.e. at the call.
    const iife = await browserEntry(() => new URL('../dist/x.wasm', undefined));
    await assert.rejects(iife.init(), (e) => e.code === LOAD.code && e.cause instanceof TypeError);
  } finally {
    http.close();
  }
});

test('init checks its options; loads once for concurrent calls', async () => {
  const http = await server({ '/m.wasm': [200, 'application/wasm', bytes] });
  try {
    const dg = await browserEntry(() => http.url('/m.wasm'));
    await assert.rejects(dg.init({ url: 'x' }), { code: 'ERR_DCR_GUARD_INVALID_ARGUMENT' });
    await assert.rejects(dg.init('x'), { code: 'ERR_DCR_GUARD_INVALID_ARGUMENT' });
    const results = await Promise.all([dg.init(), dg.verifyJwsAsync(token, { keys: [] }), dg.init(), dg.verifyJwsAsync(token, '{}')]);
    assert.deepEqual(results.map((r) => r?.code), [undefined, 'jwk.no_suitable_key', undefined, 'jwks.invalid']);
    assert.deepEqual(http.hits, { '/m.wasm': 1 });
  } finally {
    http.close();
  }
});
