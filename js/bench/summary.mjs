// The closing table of ./scripts/bench.sh (issue 15's five figures), from the JSON the
// sub-benches wrote into target/bench/ in the same run: each row's dcr-guard figure, its anchor,
// the ratio of the two, the target and whether it is met, with the machine's load at the start
// and the end of the run. Prints markdown and writes it to target/bench/summary.md.
// Usage: node js/bench/summary.mjs [--dir target/bench]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './fixtures.mjs';

const { values: args } = parseArgs({ options: { dir: { type: 'string', default: join(ROOT, 'target', 'bench') } } });
const dir = args.dir;
const read = (name) => {
  const f = join(dir, name);
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : null;
};
const text = (name) => {
  const f = join(dir, name);
  return existsSync(f) ? readFileSync(f, 'utf8').trim() : 'not recorded';
};
const node = read('node.json');
const workerd = read('workerd.json');
const sizes = read('sizes.json');

const f1 = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const x2 = (x) => `${x.toFixed(2)}×`;
const verdict = (ok) => (ok ? '**met**' : '**not met**');
const missing = (what, target) => ({ what, ours: 'not measured', anchor: '', ratio: '', target, met: '' });
const rows = [];

// 1. workerd CPU per full validation vs two raw WebCrypto verifies.
if (workerd) {
  const ours = workerd.cpuUs['Worker (WebCrypto, deployed)'];
  const raw = workerd.cpuUs['two raw WebCrypto verifies'];
  const reused = workerd.cpuUs['Worker (WebCrypto), statement seen before'];
  const r = ours / raw;
  rows.push({
    what: 'workerd CPU per full validation',
    ours: `${f1(ours)} µs${reused === undefined ? '' : ` (statement seen before: ${f1(reused)} µs, ${x2(reused / raw)})`}`,
    anchor: `two raw WebCrypto verifies ${f1(raw)} µs`,
    ratio: x2(r),
    target: '≤ 1.30×',
    met: verdict(r <= 1.3),
  });
} else rows.push(missing('workerd CPU per full validation', '≤ 1.30×'));

// 2 and 3. Node: 16 in flight, and one at a time (throughput ratios: jose's µs / ours).
if (node) {
  const us = Object.fromEntries(node.rows.map((r) => [r.name, r]));
  const pair = (what, oursName, joseName, target, min) => {
    const o = us[oursName];
    const j = us[joseName];
    if (!o || !j) return rows.push(missing(what, target));
    const r = j.us / o.us;
    rows.push({
      what,
      ours: `${f1(o.us)} µs/op (CPU ${f1(o.cpuUs)})`,
      anchor: `jose pipeline ${f1(j.us)} µs/op (CPU ${f1(j.cpuUs)})`,
      ratio: `${x2(r)} throughput`,
      target,
      met: verdict(r >= min),
    });
  };
  const inflight = node.rows.map((r) => r.name).find((n) => /^full, \d+ in flight: dcr-guard checkRegistration \(shipped\)$/.test(n));
  const k = inflight ? inflight.match(/\d+/)[0] : '16';
  pair(`Node, ${k} validations in flight`, inflight ?? '', `full, ${k} in flight: jose pipeline`, '≥ 2×', 2);
  pair('Node, one at a time', 'full: dcr-guard checkRegistration (shipped)', 'full: jose pipeline', '≥ 2×', 2);
} else {
  rows.push(missing('Node, 16 validations in flight', '≥ 2×'));
  rows.push(missing('Node, one at a time', '≥ 2×'));
}

// 4. npm: what the Node entry loads by default, and what a browser loads for checkRegistration.
// The anchor is the jose pipeline as the workerd benchmark bundles it (esbuild, minified), gzipped.
// The entries are the files package.json exports (lib/, the minified build of src/).
const sizeBy = Object.fromEntries((sizes?.entries ?? []).map((e) => [e.entry, e]));
if (sizeBy['lib/node.js'] && sizeBy['lib/browser.js']) {
  const n = sizeBy['lib/node.js'];
  const b = sizeBy['lib/browser.js'];
  const kb = (bytes) => (bytes / 1000).toFixed(1);
  const joseFile = join(ROOT, 'target', 'worker-bench', 'js', 'jose.mjs');
  const jose = existsSync(joseFile) ? gzipSync(readFileSync(joseFile), { level: 9 }).length : null;
  rows.push({
    what: 'npm gzip, what `dcr-guard` loads in Node / in a browser for `checkRegistration` (JS + .wasm, file by file)',
    ours: `${kb(n.gzip)} / ${kb(b.gzip)} KB (.wasm ${kb(n.wasmGzip)} / ${kb(b.wasmGzip)})`,
    anchor: jose ? `jose pipeline bundle (esbuild, minified) ${kb(jose)} KB of JS` : 'jose ≈ 20 KB of JS',
    ratio: jose ? `${x2(n.gzip / jose)} / ${x2(b.gzip / jose)}` : '—',
    target: '≤ 90 / ≤ 100 KB',
    met: `${n.gzip <= 90_000 ? 'Node met' : 'Node not met'}, ${b.gzip <= 100_000 ? 'browsers met' : 'browsers not met'}`.replace(/(\w+ (?:not )?met)/g, '**$1**'),
  });
} else rows.push(missing('npm gzip, Node default / browsers', '≤ 90 / ≤ 100 KB'));

// 5. Worker cold start, net of an empty Worker, vs a jose-only Worker's. The verdict is taken on
// workerd's CPU from its start to the first answer (all its threads): on a shared machine the wall
// clock mostly measures Miniflare's own set-up in Node and the wait for a CPU, and moves by tens of
// ms between runs (the jose-only Worker's net wall figure swings around zero). Wall is shown too.
if (workerd) {
  const net = workerd.coldNetMs;
  const cpu = workerd.coldNetCpuMs ?? {};
  const ours = net['Worker (WebCrypto, deployed)'];
  const jose = net['jose-only Worker'];
  const oursCpu = cpu['Worker (WebCrypto, deployed)'];
  const joseCpu = cpu['jose-only Worker'];
  const haveCpu = oursCpu !== undefined && joseCpu !== undefined;
  // A net figure at or below zero is inside the noise of the empty Worker's start-up: no ratio.
  const rel = (a, b) => (b > 0 ? x2(a / b) : 'n/a (jose-only net ≤ 0)');
  const r = haveCpu ? oursCpu / joseCpu : ours / jose;
  const ok = (haveCpu ? joseCpu : jose) > 0 && r <= 1.3;
  rows.push({
    what: 'Worker cold start until the first validation, net of an empty Worker (workerd CPU; wall)',
    ours: haveCpu ? `CPU ${f1(oursCpu)} ms; wall ${f1(ours)} ms` : `wall ${f1(ours)} ms`,
    anchor: `jose-only Worker: ${haveCpu ? `CPU ${f1(joseCpu)} ms; ` : ''}wall ${f1(jose)} ms (empty Worker: ${haveCpu ? `CPU ${f1(workerd.coldCpuMs['empty Worker'])}, ` : ''}wall ${f1(workerd.coldMs['empty Worker'])} ms)`,
    ratio: haveCpu ? `${rel(oursCpu, joseCpu)} (wall ${rel(ours, jose)})` : rel(ours, jose),
    target: '≤ 1.30×',
    met: verdict(ok),
  });
} else rows.push(missing('Worker cold start, net of an empty Worker', '≤ 1.30×'));

const esc = (s) => String(s).replace(/\|/g, '\\|');
const lines = [
  `Summary (issue 15), ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  '',
  `machine at the start: ${text('uptime-start.txt')}`,
  `machine at the end:   ${text('uptime-end.txt')}`,
  '',
  '| figure | dcr-guard | anchor | ratio | target | |',
  '|---|---:|---:|---:|---:|---|',
  ...rows.map((r) => `| ${[r.what, r.ours, r.anchor, r.ratio, r.target, r.met].map(esc).join(' | ')} |`),
];
const out = lines.join('\n');
console.log(`\n${out}`);
writeFileSync(join(dir, 'summary.md'), `${out}\n`);
