// A CPU profile of the Worker's validation inside workerd (not a test, not part of bench.sh):
// V8's sampling profiler through workerd's inspector, over `POST /__bench/validate` run many
// times in one isolate, with the function names of the wasm kept. Prints the functions by self
// time (and by total time), wasm and JS alike.
// Needs `node crates/worker/build.mjs --names`. Usage:
//   node js/bench/workerd-profile.mjs [--query 'statements=new'] [--n 2000] [--requests 10] [--top 40]
//   node js/bench/workerd-profile.mjs --cold --n 1    # the first request of a new isolate
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Miniflare } from 'miniflare';
import { ROOT, registration, workerdOptions } from './fixtures.mjs';

const { values: args } = parseArgs({
  options: {
    query: { type: 'string', default: 'statements=new' },
    n: { type: 'string', default: '2000' },
    requests: { type: 'string', default: '10' },
    top: { type: 'string', default: '40' },
    out: { type: 'string' },
    // Profile the first request of a new isolate instead (no warm-up): the cold path.
    cold: { type: 'boolean', default: false },
  },
});
const dir = join(ROOT, 'target', 'worker-bench', 'webcrypto-names');
if (!existsSync(join(dir, 'worker.mjs'))) throw new Error(`missing ${dir}: run node crates/worker/build.mjs --names`);

const { token, options, coreOptions } = registration;
const body = JSON.stringify({ token, options: coreOptions, ssaJwks: options.ssaJwks, softwareJwks: options.softwareJwks, now: options.now });
const port = 9300 + Math.floor(Math.random() * 500);
const mf = new Miniflare({
  name: 'guard',
  ...workerdOptions(dir),
  inspectorPort: port,
  cf: false,
});
await mf.ready;
const url = `http://bench/__bench/validate?${args.query}&n=${args.n}`;
const once = async () => {
  const res = await mf.dispatchFetch(url, { method: 'POST', body });
  const out = await res.json();
  if (!out.valid) throw new Error(JSON.stringify(out));
};
if (!args.cold) await once(); // warm: compiled, keys imported

const targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
const target = targets.find((t) => t.webSocketDebuggerUrl?.includes('core:user:guard')) ?? targets[0];
const ws = new WebSocket(target.webSocketDebuggerUrl);
await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = fail; });
let id = 0;
const waiting = new Map();
ws.onmessage = (m) => {
  const msg = JSON.parse(m.data);
  if (msg.id && waiting.has(msg.id)) {
    waiting.get(msg.id)(msg);
    waiting.delete(msg.id);
  }
};
const send = (method, params = {}) => new Promise((ok) => { const i = ++id; waiting.set(i, ok); ws.send(JSON.stringify({ id: i, method, params })); });
await send('Profiler.enable');
await send('Profiler.setSamplingInterval', { interval: args.cold ? 20 : 50 });
await send('Profiler.start');
const requests = args.cold ? 1 : Number(args.requests);
for (let i = 0; i < requests; i++) await once();
const { result } = await send('Profiler.stop');
ws.close();
await mf.dispose();

const { nodes, samples, timeDeltas } = result.profile;
const byId = new Map(nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
const total = new Map();
const name = (n) => `${n.callFrame.functionName || '(anonymous)'}${n.callFrame.url && !n.callFrame.url.includes('wasm') ? ` ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}` : ''}`;
let sum = 0;
for (let i = 0; i < samples.length; i++) {
  const dt = timeDeltas[i] ?? 0;
  let n = byId.get(samples[i]);
  const k = name(n);
  if (['(idle)', '(program)', '(garbage collector)'].includes(k) && k === '(idle)') continue;
  sum += dt;
  self.set(k, (self.get(k) ?? 0) + dt);
  const seen = new Set();
  while (n) {
    const kk = name(n);
    if (!seen.has(kk)) total.set(kk, (total.get(kk) ?? 0) + dt);
    seen.add(kk);
    n = byId.get(parent.get(n.id));
  }
}
const iterations = Number(args.n) * requests;
const us = (t) => (t / iterations).toFixed(2);
const top = Number(args.top);
console.log(`\nworkerd CPU profile, ${args.query}: ${iterations} validations, ${(sum / 1000).toFixed(0)} ms sampled (not idle), ${us(sum)} µs per validation\n`);
console.log('| function (self time) | µs per validation | share |');
console.log('|---|---:|---:|');
for (const [k, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`| ${k.replace(/\|/g, '\\|')} | ${us(t)} | ${((100 * t) / sum).toFixed(1)}% |`);
console.log('\n| function (total time, callees included) | µs per validation | share |');
console.log('|---|---:|---:|');
for (const [k, t] of [...total].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`| ${k.replace(/\|/g, '\\|')} | ${us(t)} | ${((100 * t) / sum).toFixed(1)}% |`);
if (args.out) writeFileSync(args.out, JSON.stringify(result.profile));
