// workerd benchmark (not a test), in real workerd through Miniflare 4:
// 1. CPU time per full validation inside the Worker (the deployed WebCrypto build, and the
//    pure-Rust build for comparison) vs two raw WebCrypto verifies of the same two tokens in a
//    plain JS Worker (keys imported once, signing inputs and signatures decoded once: the floor).
//    Inside workerd the clock only moves on I/O, so each figure is timed from outside: a request
//    running the work N+1 times minus one running it once, divided by N; interleaved, medians.
// 2. Cold start: a new workerd with the Worker until its first full validation answers, vs the
//    same for a jose-only Worker (the jose pipeline of jose-pipeline.mjs, bundled by esbuild) and
//    for an empty Worker (workerd's own start-up, subtracted for the "net" figures).
// Needs `node crates/worker/build.mjs --bench`. Usage: node js/bench/workerd.mjs [--rounds 9]
// [--n 200] [--cold 7] [--json FILE]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Miniflare } from 'miniflare';
import { ROOT, load, median, registration } from './fixtures.mjs';

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '9' }, n: { type: 'string', default: '200' }, cold: { type: 'string', default: '7' }, json: { type: 'string' } },
});
const ROUNDS = Number(args.rounds);
const N = Number(args.n);
const COLD = Number(args.cold);

const BENCH = join(ROOT, 'target', 'worker-bench');
for (const v of ['webcrypto', 'rustcrypto']) {
  if (!existsSync(join(BENCH, v, 'worker.mjs'))) throw new Error(`missing ${BENCH}/${v}: run node crates/worker/build.mjs --bench`);
}
const work = join(BENCH, 'js');
mkdirSync(work, { recursive: true });

// The raw WebCrypto floor: two verifies per iteration, nothing else.
writeFileSync(join(work, 'raw.mjs'), `
const IMPORT = { PS256: { name: 'RSA-PSS', hash: 'SHA-256' }, ES256: { name: 'ECDSA', namedCurve: 'P-256' } };
const VERIFY = { PS256: { name: 'RSA-PSS', saltLength: 32 }, ES256: { name: 'ECDSA', hash: 'SHA-256' } };
const bytes = (b64u) => Uint8Array.from(atob(b64u.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
let keys;
export default {
  async fetch(request) {
    const n = Number(new URL(request.url).searchParams.get('n'));
    const { checks } = await request.json();
    keys ??= await Promise.all(checks.map((c) => crypto.subtle.importKey('jwk', c.jwk, IMPORT[c.alg], false, ['verify'])));
    const enc = new TextEncoder();
    const inputs = checks.map((c) => { const [h, p, s] = c.token.split('.'); return { alg: c.alg, data: enc.encode(h + '.' + p), sig: bytes(s) }; });
    let ok = true;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < inputs.length; j++) ok = (await crypto.subtle.verify(VERIFY[inputs[j].alg], keys[j], inputs[j].sig, inputs[j].data)) && ok;
    }
    return Response.json({ ok, n });
  },
};`);
writeFileSync(join(work, 'empty.mjs'), `export default { fetch: () => Response.json({ valid: true }) };`);
// The jose-only Worker: the same pipeline as the Node benchmark's jose case.
writeFileSync(join(work, 'jose-entry.mjs'), `
import { josePipeline } from ${JSON.stringify(join(ROOT, 'js', 'bench', 'jose-pipeline.mjs'))};
let validate;
export default {
  async fetch(request) {
    const { token, options } = await request.json();
    validate ??= josePipeline(options);
    return Response.json(await validate(token));
  },
};`);
execFileSync(join(ROOT, 'node_modules', '.bin', 'esbuild'), [join(work, 'jose-entry.mjs'), '--bundle', '--format=esm', '--platform=neutral', '--conditions=workerd,worker,browser', '--main-fields=module,main', '--minify', `--outfile=${join(work, 'jose.mjs')}`, '--log-level=warning'], { cwd: ROOT });

const { token, options, coreOptions } = registration;
const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url'));
const keyFor = (jws, jwks) => {
  const { kid, alg } = JSON.parse(Buffer.from(jws.split('.')[0], 'base64url'));
  const { kty, n, e, crv, x, y } = jwks.keys.find((k) => k.kid === kid);
  return { alg, jwk: kty === 'RSA' ? { kty, n, e } : { kty, crv, x, y } };
};
const bodies = {
  guard: JSON.stringify({ token, options: coreOptions, ssaJwks: options.ssaJwks, softwareJwks: options.softwareJwks, now: options.now }),
  raw: JSON.stringify({
    checks: [
      { ...keyFor(claims.software_statement, options.ssaJwks), token: claims.software_statement },
      { ...keyFor(token, options.softwareJwks), token },
    ],
  }),
  jose: JSON.stringify({ token, options }),
};

const guardWorker = (name, dir) => ({
  name,
  modules: true,
  scriptPath: join(dir, 'worker.mjs'),
  modulesRoot: dir,
  modulesRules: [
    { type: 'ESModule', include: ['**/*.js', '**/*.mjs'] },
    { type: 'CompiledWasm', include: ['**/*.wasm'] },
  ],
  compatibilityDate: '2026-08-01',
});
const jsWorker = (name, file) => ({ name, modules: true, scriptPath: join(work, file), compatibilityDate: '2026-08-01' });
const GUARD = guardWorker('guard', join(BENCH, 'webcrypto'));
const WORKERS = {
  'Worker (WebCrypto, deployed)': [GUARD, '/__bench/validate', 'guard'],
  // The same Worker with the checks with I/O on (issue 14), answered from memory: the core's added CPU.
  'Worker (WebCrypto) + checks with I/O': [GUARD, '/__bench/validate-io', 'guard'],
  'Worker (pure-Rust wasm)': [guardWorker('guardrust', join(BENCH, 'rustcrypto')), '/__bench/validate', 'guard'],
  'two raw WebCrypto verifies': [jsWorker('raw', 'raw.mjs'), '/', 'raw'],
};

async function post(fetcher, path, n, body) {
  const t0 = performance.now();
  const res = await fetcher.fetch(`http://bench${path}?n=${n}`, { method: 'POST', body });
  const out = await res.json();
  const ms = performance.now() - t0;
  if (res.status !== 200 || !(out.valid ?? out.ok)) throw new Error(`${path}: ${res.status} ${JSON.stringify(out)}`);
  return ms;
}

// 1. CPU per validation.
const mf = new Miniflare({ workers: [...new Set(Object.values(WORKERS).map(([w]) => w))], cf: false });
await mf.ready;
const fetchers = {};
for (const [label, [w]] of Object.entries(WORKERS)) fetchers[label] = await mf.getWorker(w.name);
const perOp = Object.fromEntries(Object.keys(WORKERS).map((k) => [k, []]));
for (const [label, [, path, body]] of Object.entries(WORKERS)) await post(fetchers[label], path, 50, bodies[body]); // warm
for (let r = 0; r < ROUNDS; r++) {
  const labels = Object.keys(WORKERS);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[(i + r) % labels.length];
    const [, path, body] = WORKERS[label];
    const one = await post(fetchers[label], path, 1, bodies[body]);
    const many = await post(fetchers[label], path, N + 1, bodies[body]);
    perOp[label].push(((many - one) * 1000) / N);
  }
}
await mf.dispose();

// 2. Cold start.
const COLD_WORKERS = {
  'empty Worker': [jsWorker('empty', 'empty.mjs'), '/', 'jose'],
  'jose-only Worker': [jsWorker('jose', 'jose.mjs'), '/', 'jose'],
  'Worker (WebCrypto, deployed)': WORKERS['Worker (WebCrypto, deployed)'],
  'Worker (pure-Rust wasm)': WORKERS['Worker (pure-Rust wasm)'],
};
const cold = Object.fromEntries(Object.keys(COLD_WORKERS).map((k) => [k, []]));
for (let r = 0; r < COLD; r++) {
  for (const [label, [w, path, body]] of Object.entries(COLD_WORKERS)) {
    const t0 = performance.now();
    const m = new Miniflare({ ...w, cf: false });
    await m.ready;
    const res = await m.dispatchFetch(`http://bench${path}?n=1`, { method: 'POST', body: bodies[body] });
    const out = await res.json();
    cold[label].push(performance.now() - t0);
    if (!(out.valid ?? out.ok)) throw new Error(`${label}: first validation failed: ${JSON.stringify(out)}`);
    await m.dispose();
  }
}

const us = Object.fromEntries(Object.entries(perOp).map(([k, v]) => [k, median(v)]));
const coldMs = Object.fromEntries(Object.entries(cold).map(([k, v]) => [k, median(v)]));
const net = (k) => coldMs[k] - coldMs['empty Worker'];
const result = {
  load: await load(),
  rounds: ROUNDS,
  n: N,
  cpuUs: us,
  coldMs,
  ratios: {
    workerVsRaw: us['Worker (WebCrypto, deployed)'] / us['two raw WebCrypto verifies'],
    rustVsRaw: us['Worker (pure-Rust wasm)'] / us['two raw WebCrypto verifies'],
    coldVsJose: coldMs['Worker (WebCrypto, deployed)'] / coldMs['jose-only Worker'],
    coldNetVsJose: net('Worker (WebCrypto, deployed)') / net('jose-only Worker'),
  },
};
const f1 = (x) => x.toFixed(1);
console.log(`\nworkerd (Miniflare 4): ${ROUNDS} interleaved rounds of ${N} iterations, medians (${result.load})\n`);
console.log('| per full validation (request + SSA) | µs | vs raw WebCrypto |');
console.log('|---|---:|---:|');
for (const [k, v] of Object.entries(us)) console.log(`| ${k} | ${f1(v)} | ${(v / us['two raw WebCrypto verifies']).toFixed(2)}x |`);
console.log(`\nCold start: new workerd until the first validation answers, median of ${COLD}\n`);
console.log('| Worker | ms | net of empty | vs jose-only (net) |');
console.log('|---|---:|---:|---:|');
for (const k of Object.keys(coldMs)) {
  const rel = k === 'empty Worker' ? '' : `${(coldMs[k] / coldMs['jose-only Worker']).toFixed(2)}x (${(net(k) / net('jose-only Worker')).toFixed(2)}x)`;
  console.log(`| ${k} | ${f1(coldMs[k])} | ${f1(net(k))} | ${rel} |`);
}
if (args.json) writeFileSync(args.json, JSON.stringify(result, null, 2));
