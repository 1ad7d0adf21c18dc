// Prints the native criterion results of the core (`cargo bench -p dcr-guard-core`) as a table,
// from criterion's own files under target/criterion. Usage: node js/bench/criterion.mjs [--json FILE]
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './fixtures.mjs';

const dir = join(ROOT, 'target', 'criterion');
const rows = [];
for (const name of existsSync(dir) ? readdirSync(dir) : []) {
  const files = [join(dir, name, 'new', 'benchmark.json'), join(dir, name, 'new', 'estimates.json')];
  if (!files.every(existsSync)) continue;
  const [bench, est] = files.map((f) => JSON.parse(readFileSync(f, 'utf8')));
  rows.push({ name: bench.title, medianUs: est.median.point_estimate / 1000, lowUs: est.median.confidence_interval.lower_bound / 1000, highUs: est.median.confidence_interval.upper_bound / 1000 });
}
rows.sort((a, b) => a.name.localeCompare(b.name));
const f = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
console.log('\n| native (criterion) | median µs | 95% CI µs |');
console.log('|---|---:|---:|');
for (const r of rows) console.log(`| ${r.name} | ${f(r.medianUs)} | ${f(r.lowUs)}–${f(r.highUs)} |`);
const arg = process.argv.indexOf('--json');
if (arg > 0) writeFileSync(process.argv[arg + 1], JSON.stringify(rows, null, 2));
