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
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Miniflare } from 'miniflare';
import { COMPATIBILITY_DATE, ROOT, load, median, registration, workerdOptions } from './fixtures.mjs';

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

const guardWorker = (name, dir) => ({ name, ...workerdOptions(dir) });
const jsWorker = (name, file) => ({ name, modules: true, scriptPath: join(work, file), compatibilityDate: COMPATIBILITY_DATE });
const GUARD = guardWorker('guard', join(BENCH, 'webcrypto'));
const WORKERS = {
  // Every validation verifies both signatures (the isolate's memory of verified statements is
  // cleared each time), as the raw floor does: a statement never seen before.
  'Worker (WebCrypto, deployed)': [GUARD, '/__bench/validate?statements=new', 'guard'],
  // A registrant's next request: its statement was verified before and is answered from memory.
  'Worker (WebCrypto), statement seen before': [GUARD, '/__bench/validate', 'guard'],
  // The same Worker with the checks with I/O on (issue 14), answered from memory: the core's added CPU.
  'Worker (WebCrypto) + checks with I/O': [GUARD, '/__bench/validate-io?statements=new', 'guard'],
  // The split of the deployed Worker's figure: every check answered `true` at once (the pipeline
  // alone), and awaiting an already resolved promise per check instead of WebCrypto.
  'Worker, checks answered true (crypto=none)': [GUARD, '/__bench/validate?crypto=none&statements=new', 'guard'],
  'Worker, checks awaited, answered true (crypto=await)': [GUARD, '/__bench/validate?crypto=await&statements=new', 'guard'],
  'Worker (pure-Rust wasm)': [guardWorker('guardrust', join(BENCH, 'rustcrypto')), '/__bench/validate?statements=new', 'guard'],
  'two raw WebCrypto verifies': [jsWorker('raw', 'raw.mjs'), '/', 'raw'],
};

// CPU time of the workerd processes this process started (Linux: the first field of each
// thread's /proc/PID/task/TID/schedstat, nanoseconds on a CPU). Unlike the wall clock it does not
// count the time workerd waits for a CPU the rest of the machine holds, so it is much steadier on
// a shared machine; where /proc is missing the wall clock is used alone.
let workerdPids = [];
const findWorkerd = () => {
  try {
    workerdPids = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' })
      .split('\n').map((l) => l.trim().split(/\s+/)).filter(([, c]) => c === 'workerd').map(([p]) => p);
  } catch { workerdPids = []; }
};
const cpuNs = () => {
  let ns = 0;
  for (const pid of workerdPids) {
    for (const tid of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
  }
  return ns;
};

async function post(fetcher, path, n, body) {
  const c0 = workerdPids.length ? cpuNs() : 0;
  const t0 = performance.now();
  const res = await fetcher.fetch(`http://bench${path}${path.includes('?') ? '&' : '?'}n=${n}`, { method: 'POST', body });
  const out = await res.json();
  const ms = performance.now() - t0;
  const cpuMs = workerdPids.length ? (cpuNs() - c0) / 1e6 : ms;
  if (res.status !== 200 || !(out.valid ?? out.ok)) throw new Error(`${path}: ${res.status} ${JSON.stringify(out)}`);
  return { ms, cpuMs };
}

// 1. CPU per validation.
const mf = new Miniflare({ workers: [...new Set(Object.values(WORKERS).map(([w]) => w))], cf: false });
await mf.ready;
findWorkerd();
const fetchers = {};
for (const [label, [w]] of Object.entries(WORKERS)) fetchers[label] = await mf.getWorker(w.name);
const perOp = Object.fromEntries(Object.keys(WORKERS).map((k) => [k, []]));
const perOpWall = Object.fromEntries(Object.keys(WORKERS).map((k) => [k, []]));
for (const [label, [, path, body]] of Object.entries(WORKERS)) await post(fetchers[label], path, 50, bodies[body]); // warm
for (let r = 0; r < ROUNDS; r++) {
  const labels = Object.keys(WORKERS);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[(i + r) % labels.length];
    const [, path, body] = WORKERS[label];
    const one = await post(fetchers[label], path, 1, bodies[body]);
    const many = await post(fetchers[label], path, N + 1, bodies[body]);
    perOp[label].push(((many.cpuMs - one.cpuMs) * 1000) / N);
    perOpWall[label].push(((many.ms - one.ms) * 1000) / N);
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
const coldCpu = Object.fromEntries(Object.keys(COLD_WORKERS).map((k) => [k, []]));
const coldLabels = Object.keys(COLD_WORKERS);
for (let r = 0; r < COLD; r++) {
  // Rotated each round, so that no Worker always starts first (or right after another one).
  for (let i = 0; i < coldLabels.length; i++) {
    const label = coldLabels[(i + r) % coldLabels.length];
    const [w, path, body] = COLD_WORKERS[label];
    const t0 = performance.now();
    const m = new Miniflare({ ...w, cf: false });
    await m.ready;
    const res = await m.dispatchFetch(`http://bench${path}${path.includes('?') ? '&' : '?'}n=1`, { method: 'POST', body: bodies[body] });
    const out = await res.json();
    cold[label].push(performance.now() - t0);
    // workerd's CPU from its start to the first answer (all its threads, the compiler's too).
    findWorkerd();
    if (workerdPids.length) coldCpu[label].push(cpuNs() / 1e6);
    if (!(out.valid ?? out.ok)) throw new Error(`${label}: first validation failed: ${JSON.stringify(out)}`);
    await m.dispose();
  }
}

const us = Object.fromEntries(Object.entries(perOp).map(([k, v]) => [k, median(v)]));
const coldMs = Object.fromEntries(Object.entries(cold).map(([k, v]) => [k, median(v)]));
const net = (k) => coldMs[k] - coldMs['empty Worker'];
const coldCpuMs = Object.fromEntries(Object.entries(coldCpu).filter(([, v]) => v.length).map(([k, v]) => [k, median(v)]));
const netCpu = (k) => coldCpuMs[k] - coldCpuMs['empty Worker'];
const wallUs = Object.fromEntries(Object.entries(perOpWall).map(([k, v]) => [k, median(v)]));
const result = {
  load: await load(),
  rounds: ROUNDS,
  n: N,
  cpuUs: us,
  wallUs,
  coldMs,
  coldNetMs: Object.fromEntries(Object.keys(coldMs).map((k) => [k, net(k)])),
  coldCpuMs,
  coldNetCpuMs: Object.fromEntries(Object.keys(coldCpuMs).map((k) => [k, netCpu(k)])),
  ratios: {
    workerVsRaw: us['Worker (WebCrypto, deployed)'] / us['two raw WebCrypto verifies'],
    rustVsRaw: us['Worker (pure-Rust wasm)'] / us['two raw WebCrypto verifies'],
    coldVsJose: coldMs['Worker (WebCrypto, deployed)'] / coldMs['jose-only Worker'],
    coldNetVsJose: net('Worker (WebCrypto, deployed)') / net('jose-only Worker'),
    coldNetCpuVsJose: netCpu('Worker (WebCrypto, deployed)') / netCpu('jose-only Worker'),
  },
};
const f1 = (x) => x.toFixed(1);
console.log(`\nworkerd (Miniflare 4): ${ROUNDS} interleaved rounds of ${N} iterations, medians (${result.load})\n`);
console.log('| per full validation (request + SSA) | workerd CPU µs | vs raw WebCrypto | wall µs |');
console.log('|---|---:|---:|---:|');
for (const [k, v] of Object.entries(us)) console.log(`| ${k} | ${f1(v)} | ${(v / us['two raw WebCrypto verifies']).toFixed(2)}x | ${f1(wallUs[k])} |`);
console.log(`\nCold start: new workerd until the first validation answers, median of ${COLD}\n`);
console.log('| Worker | wall ms | net of empty | vs jose-only (net) | workerd CPU ms | net of empty | vs jose-only (net) |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const k of Object.keys(coldMs)) {
  const rel = k === 'empty Worker' ? '' : `${(coldMs[k] / coldMs['jose-only Worker']).toFixed(2)}x (${(net(k) / net('jose-only Worker')).toFixed(2)}x)`;
  const relCpu = k === 'empty Worker' || !(k in coldCpuMs) ? '' : `${(coldCpuMs[k] / coldCpuMs['jose-only Worker']).toFixed(2)}x (${(netCpu(k) / netCpu('jose-only Worker')).toFixed(2)}x)`;
  console.log(`| ${k} | ${f1(coldMs[k])} | ${f1(net(k))} | ${rel} | ${f1(coldCpuMs[k] ?? NaN)} | ${f1(netCpu(k))} | ${relCpu} |`);
}
if (args.json) writeFileSync(args.json, JSON.stringify(result, null, 2));
