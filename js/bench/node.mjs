// Node benchmark (not a test): full registration validation (request + software statement) per
// second for dcr-guard with host crypto, dcr-guard with its pure-Rust wasm backend
// (`dcr-guard/sync`, `crypto: 'wasm'`), and the equivalent jose pipeline; and single PS256/ES256
// verifies. Everything runs in this one process, interleaved round by round; the table shows
// medians and ratios from this run. Besides wall time per operation it gives CPU time per
// operation (process.cpuUsage: every thread of the process, so it counts the work done on libuv's
// thread pool by WebCrypto, jose's and ours).
//
// The asynchronous functions are measured one at a time and with 16 operations in flight, with
// each signature backend they could use in Node: node:crypto on the main thread (synchronous),
// WebCrypto (`crypto.subtle.verify`, on the thread pool), node:crypto on the thread pool
// (`crypto.verify` with a callback), and "by calls in flight" (node:crypto on the main thread
// while one call is in progress, WebCrypto when more are: src/nodecrypto.js `byCalls`, what the
// Node entry ships). Usage: node js/bench/node.mjs [--rounds 15] [--ms 300] [--json FILE]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compactVerify, createLocalJWKSet } from 'jose';
import { verifyJws, verifyJwsAsync, validateRegistration, checkRegistration } from '../src/node.js';
import * as sync from '../src/node-sync.js';
import { createApi } from '../src/api.js';
import { byCalls, nodeVerify, nodeVerifyPool } from '../src/nodecrypto.js';
import { webVerify } from '../src/webcrypto.js';
import * as hostGlue from '../dist/dcr_guard_wasm_host.js';
import { josePipeline } from './jose-pipeline.mjs';
import { ROOT, load, median, registration, single } from './fixtures.mjs';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '15' }, ms: { type: 'string', default: '300' }, json: { type: 'string' } } });
const ROUNDS = Number(args.rounds);
const MS = Number(args.ms);

const { token, options } = registration;
const jose = josePipeline(options);
const joseSets = Object.fromEntries(Object.entries(single).map(([alg, s]) => [alg, createLocalJWKSet(s.jwks)]));

const INFLIGHT = 16;
const softwareJwks = options.softwareJwks;
const fetchOptions = { ...options, softwareJwks: undefined, fetchJwks: async () => softwareJwks };
/** `fn` started `INFLIGHT` times at once, awaited together: one operation per call of the result. */
const inflight = (fn) => Object.assign(() => Promise.all(Array.from({ length: INFLIGHT }, fn)).then((rs) => rs[0]), { batch: INFLIGHT });

/** The Node entry's arrangement (module without the pure-Rust crypto) with another backend for the asynchronous functions. */
const hostModule = new WebAssembly.Module(readFileSync(join(ROOT, 'js', 'dist', 'dcr_guard_wasm_host_bg.wasm')));
const variant = (async) => createApi(() => hostModule, hostGlue, { sync: nodeVerify, async }, { wasmCrypto: false });
const adaptive = byCalls(nodeVerify, webVerify);
const BACKENDS = {
  'node:crypto, main thread': variant(nodeVerify).checkRegistration,
  WebCrypto: variant(webVerify).checkRegistration,
  'node:crypto, thread pool': variant(nodeVerifyPool).checkRegistration,
  'by calls in flight': adaptive.track(variant(adaptive.verify).checkRegistration),
};

/** name → async-or-sync function doing one operation (each checked once before timing). */
const cases = {
  'full: dcr-guard validateRegistration (node:crypto)': () => validateRegistration(token, options),
  'full: dcr-guard checkRegistration (shipped)': () => checkRegistration(token, fetchOptions),
  ...Object.fromEntries(Object.entries(BACKENDS).map(([name, check]) => [`full: checkRegistration, ${name}`, () => check(token, fetchOptions)])),
  'full: jose pipeline': () => jose(token),
  [`full, ${INFLIGHT} in flight: dcr-guard checkRegistration (shipped)`]: inflight(() => checkRegistration(token, fetchOptions)),
  ...Object.fromEntries(Object.entries(BACKENDS).map(([name, check]) => [`full, ${INFLIGHT} in flight: checkRegistration, ${name}`, inflight(() => check(token, fetchOptions))])),
  [`full, ${INFLIGHT} in flight: jose pipeline`]: inflight(() => jose(token)),
  'full: dcr-guard pure wasm (dcr-guard/sync)': () => sync.validateRegistration(token, { ...options, crypto: 'wasm' }),
  'PS256: dcr-guard verifyJws (node:crypto)': () => verifyJws(single.PS256.token, single.PS256.jwks),
  'PS256: dcr-guard verifyJwsAsync (shipped)': () => verifyJwsAsync(single.PS256.token, single.PS256.jwks),
  'PS256: dcr-guard pure wasm': () => sync.verifyJws(single.PS256.token, single.PS256.jwks, { crypto: 'wasm' }),
  'PS256: jose compactVerify': () => compactVerify(single.PS256.token, joseSets.PS256),
  [`PS256, ${INFLIGHT} in flight: dcr-guard verifyJwsAsync (shipped)`]: inflight(() => verifyJwsAsync(single.PS256.token, single.PS256.jwks)),
  [`PS256, ${INFLIGHT} in flight: jose compactVerify`]: inflight(() => compactVerify(single.PS256.token, joseSets.PS256)),
  'ES256: dcr-guard verifyJws (node:crypto)': () => verifyJws(single.ES256.token, single.ES256.jwks),
  'ES256: dcr-guard pure wasm': () => sync.verifyJws(single.ES256.token, single.ES256.jwks, { crypto: 'wasm' }),
  'ES256: jose compactVerify': () => compactVerify(single.ES256.token, joseSets.ES256),
};

for (const [name, fn] of Object.entries(cases)) {
  const r = await fn();
  const ok = r.valid ?? Boolean(r.payload);
  if (!ok) throw new Error(`${name}: the fixture does not validate (${JSON.stringify(r.errors ?? r.code ?? r.error)})`);
}

/** Runs `fn` for about `ms` milliseconds; returns wall and CPU microseconds per operation. */
async function time(fn, ms) {
  let n = 0;
  const per = fn.batch ?? 1;
  const first = fn();
  const isAsync = first instanceof Promise;
  if (isAsync) await first; // not timed; nothing left in flight when the clock starts
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 8; i++) {
      if (isAsync) await fn();
      else fn();
    }
    n += 8 * per;
    elapsed = performance.now() - start;
  }
  const cpu = process.cpuUsage(cpu0);
  return { wall: (elapsed * 1000) / n, cpu: (cpu.user + cpu.system) / n };
}

// Warm up (JIT, key caches), then interleave.
for (const fn of Object.values(cases)) await time(fn, 100);
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
const cpuSamples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r++) {
  const names = Object.keys(cases);
  // Rotate the order each round so no case always runs first.
  for (let i = 0; i < names.length; i++) {
    const name = names[(i + r) % names.length];
    const t = await time(cases[name], MS);
    samples[name].push(t.wall);
    cpuSamples[name].push(t.cpu);
  }
}

const us = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
const cpuUs = Object.fromEntries(Object.entries(cpuSamples).map(([k, v]) => [k, median(v)]));
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const rows = Object.keys(cases).map((k) => [k, us[k], 1e6 / us[k], cpuUs[k]]);
const ratio = (a, b) => us[b] / us[a];
const result = {
  load: await load(),
  node: process.version,
  rounds: ROUNDS,
  rows: rows.map(([name, u, ops, cpu]) => ({ name, us: u, opsPerSec: ops, cpuUs: cpu })),
  ratios: {
    fullShippedVsJose: ratio('full: dcr-guard checkRegistration (shipped)', 'full: jose pipeline'),
    fullSyncVsJose: ratio('full: dcr-guard validateRegistration (node:crypto)', 'full: jose pipeline'),
    inflightShippedVsJose: ratio(`full, ${INFLIGHT} in flight: dcr-guard checkRegistration (shipped)`, `full, ${INFLIGHT} in flight: jose pipeline`),
    ...Object.fromEntries(Object.keys(BACKENDS).flatMap((name) => [
      [`full, ${name} vs jose`, ratio(`full: checkRegistration, ${name}`, 'full: jose pipeline')],
      [`full, ${INFLIGHT} in flight, ${name} vs jose`, ratio(`full, ${INFLIGHT} in flight: checkRegistration, ${name}`, `full, ${INFLIGHT} in flight: jose pipeline`)],
    ])),
    verifyAsyncVsJose: ratio('PS256: dcr-guard verifyJwsAsync (shipped)', 'PS256: jose compactVerify'),
    verifyAsyncInflightVsJose: ratio(`PS256, ${INFLIGHT} in flight: dcr-guard verifyJwsAsync (shipped)`, `PS256, ${INFLIGHT} in flight: jose compactVerify`),
    fullHostVsWasm: ratio('full: dcr-guard validateRegistration (node:crypto)', 'full: dcr-guard pure wasm (dcr-guard/sync)'),
  },
  wasm: { PS256: us['PS256: dcr-guard pure wasm'], ES256: us['ES256: dcr-guard pure wasm'] },
};

console.log(`\nNode ${process.version}: ${ROUNDS} interleaved rounds of ~${MS} ms per case, medians (${result.load})\n`);
console.log('| case | µs/op (wall) | ops/s | CPU µs/op (all threads) |');
console.log('|---|---:|---:|---:|');
for (const [name, u, ops, cpu] of rows) console.log(`| ${name} | ${fmt(u)} | ${Math.round(ops)} | ${fmt(cpu)} |`);
console.log('');
console.log('throughput against jose (x):');
for (const [name, x] of Object.entries(result.ratios)) console.log(`  ${name}: ${x.toFixed(2)}`);
console.log(`pure wasm single verify: PS256 ${fmt(result.wasm.PS256)} µs, ES256 ${fmt(result.wasm.ES256)} µs`);
if (args.json) writeFileSync(args.json, JSON.stringify(result, null, 2));
