// Where the Worker's cold start goes (not a test, not part of bench.sh): workerd's CPU from its
// start to the first answer (all its threads, /proc schedstat), net of an empty Worker, for a
// ladder of Workers that each do one step more: the Worker's .wasm imported but never
// instantiated (compile), the wasm-bindgen glue imported (instantiation), a first request that
// goes through workers-rs and the Worker's routing but validates nothing (trivial: it answers
// "not configured"), a first validation with every check answered `true` (crypto=none), and a
// first full validation. Interleaved and rotated, medians. Needs `node crates/worker/build.mjs --bench`.
// Usage: node js/bench/workerd-coldsplit.mjs [ROUNDS]
import { Miniflare } from 'miniflare';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, median, registration, workerdOptions } from './fixtures.mjs';
const w = join(ROOT, 'target', 'worker-bench', 'coldsplit3');
cpSync(join(ROOT, 'target', 'worker-bench', 'webcrypto'), w, { recursive: true });
writeFileSync(join(w, 'compile.mjs'), `import m from './pkg/dcr_guard_worker_bg.wasm'; export default { fetch: () => Response.json({ valid: !!m }) };`);
writeFileSync(join(w, 'inst.mjs'), `import * as g from './pkg/dcr_guard_worker.js'; export default { fetch: () => Response.json({ valid: !!g }) };`);
writeFileSync(join(w, 'empty.mjs'), `export default { fetch: () => Response.json({ valid: true }) };`);
const cpu = () => { let ns = 0; const pids = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' }).split('\n').map((l) => l.trim().split(/\s+/)).filter(([, c]) => c === 'workerd').map(([p]) => p); for (const p of pids) for (const t of readdirSync(`/proc/${p}/task`)) ns += Number(readFileSync(`/proc/${p}/task/${t}/schedstat`, 'utf8').split(' ')[0]); return ns / 1e6; };
const mk = (f) => ({ ...workerdOptions(w, f), cf: false });
const { token, options, coreOptions } = registration;
const body = JSON.stringify({ token, options: coreOptions, ssaJwks: options.ssaJwks, softwareJwks: options.softwareJwks, now: options.now });
const cases = { empty: [mk('empty.mjs'), '/'], compile: [mk('compile.mjs'), '/'], instantiate: [mk('inst.mjs'), '/'], trivial: [mk('worker.mjs'), '/'], none: [mk('worker.mjs'), '/__bench/validate?crypto=none&n=1', body], full: [mk('worker.mjs'), '/__bench/validate?n=1', body] };
const res = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
const R = Number(process.argv[2] ?? 15); const names = Object.keys(cases);
for (let r = 0; r < R; r++) for (let i = 0; i < names.length; i++) { const k = names[(i + r) % names.length]; const [c, p, b] = cases[k];
  const m = new Miniflare(c); await m.ready; await (await m.dispatchFetch('http://x' + p, b ? { method: 'POST', body: b } : {})).text(); res[k].push(cpu()); await m.dispose(); }
console.log(`\nworkerd CPU until the first answer, median of ${R}\n`);
console.log('| Worker | CPU ms | net of empty | step |');
console.log('|---|---:|---:|---:|');
let prev = 0;
for (const [k, v] of Object.entries(res)) {
  const net = median(v) - median(res.empty);
  console.log(`| ${k} | ${median(v).toFixed(1)} | ${net.toFixed(1)} | ${(net - prev).toFixed(1)} |`);
  prev = net;
}
