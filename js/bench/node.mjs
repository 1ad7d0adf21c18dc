// Node benchmark (not a test): full registration validation (request + software statement) per
// second for dcr-guard with host crypto (node:crypto), dcr-guard with its pure-Rust wasm backend,
// and the equivalent jose pipeline; and single PS256/ES256 verifies. Everything runs in this one
// process, interleaved round by round; the table shows medians and ratios from this run.
// Besides wall time per operation it gives CPU time per operation (process.cpuUsage: every thread
// of the process, so it counts the work jose's WebCrypto does on libuv's thread pool), and the
// two asynchronous pipelines once more with 16 operations in flight: jose's verifies then run in
// parallel on the pool, while dcr-guard's node:crypto path is synchronous on the main thread.
// Usage: node js/bench/node.mjs [--rounds 15] [--ms 300] [--json FILE]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { compactVerify, createLocalJWKSet } from 'jose';
import { verifyJws, validateRegistration, checkRegistration } from '../src/node.js';
import { josePipeline } from './jose-pipeline.mjs';
import { load, median, registration, single } from './fixtures.mjs';

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

/** name → async-or-sync function doing one operation (each checked once before timing). */
const cases = {
  [`full, ${INFLIGHT} in flight: dcr-guard checkRegistration (node:crypto)`]: inflight(() => checkRegistration(token, fetchOptions)),
  [`full, ${INFLIGHT} in flight: jose pipeline`]: inflight(() => jose(token)),
  'full: dcr-guard host (node:crypto)': () => validateRegistration(token, { ...options, crypto: 'host' }),
  'full: dcr-guard pure wasm': () => validateRegistration(token, { ...options, crypto: 'wasm' }),
  'full: jose pipeline': () => jose(token),
  'PS256: dcr-guard host': () => verifyJws(single.PS256.token, single.PS256.jwks),
  'PS256: dcr-guard pure wasm': () => verifyJws(single.PS256.token, single.PS256.jwks, { crypto: 'wasm' }),
  'PS256: jose compactVerify': () => compactVerify(single.PS256.token, joseSets.PS256),
  'ES256: dcr-guard host': () => verifyJws(single.ES256.token, single.ES256.jwks),
  'ES256: dcr-guard pure wasm': () => verifyJws(single.ES256.token, single.ES256.jwks, { crypto: 'wasm' }),
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
    inflightHostVsJose: ratio(`full, ${INFLIGHT} in flight: dcr-guard checkRegistration (node:crypto)`, `full, ${INFLIGHT} in flight: jose pipeline`),
    fullHostVsJose: ratio('full: dcr-guard host (node:crypto)', 'full: jose pipeline'),
    fullWasmVsJose: ratio('full: dcr-guard pure wasm', 'full: jose pipeline'),
    fullHostVsWasm: ratio('full: dcr-guard host (node:crypto)', 'full: dcr-guard pure wasm'),
  },
  wasm: { PS256: us['PS256: dcr-guard pure wasm'], ES256: us['ES256: dcr-guard pure wasm'] },
};

console.log(`\nNode ${process.version}: ${ROUNDS} interleaved rounds of ~${MS} ms per case, medians (${result.load})\n`);
console.log('| case | µs/op (wall) | ops/s | CPU µs/op (all threads) |');
console.log('|---|---:|---:|---:|');
for (const [name, u, ops, cpu] of rows) console.log(`| ${name} | ${fmt(u)} | ${Math.round(ops)} | ${fmt(cpu)} |`);
console.log('');
console.log(`full validation, dcr-guard host vs jose pipeline: ${result.ratios.fullHostVsJose.toFixed(2)}x the throughput`);
console.log(`full validation, dcr-guard pure wasm vs jose pipeline: ${result.ratios.fullWasmVsJose.toFixed(2)}x`);
console.log(`full validation, ${INFLIGHT} in flight, dcr-guard host vs jose pipeline: ${result.ratios.inflightHostVsJose.toFixed(2)}x the throughput`);
console.log(`full validation, host vs pure wasm: ${result.ratios.fullHostVsWasm.toFixed(2)}x`);
console.log(`pure wasm single verify: PS256 ${fmt(result.wasm.PS256)} µs, ES256 ${fmt(result.wasm.ES256)} µs`);
if (args.json) writeFileSync(args.json, JSON.stringify(result, null, 2));
