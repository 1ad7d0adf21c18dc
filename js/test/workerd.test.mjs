// The workerd build of the installed package, bundled by wrangler exactly as a Worker would be
// (`wrangler deploy --dry-run`), running the corpus smoke subset inside Miniflare's workerd.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledWorker, dcrCases, joseVectors, installed, mismatch } from './helpers.mjs';

const { dir } = installed();

test('corpus smoke subset in workerd', async () => {
  const app = join(dir, 'worker-app');
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'worker.mjs'), `
import { validateRegistration, verifyJws } from 'dcr-guard';
export default {
  async fetch(request) {
    const { cases, vectors } = await request.json();
    return Response.json({
      reports: cases.map((c) => validateRegistration(c.token, c.options)),
      verdicts: vectors.map((v) => verifyJws(v.token, v.jwks, { algorithms: v.algorithms })),
    });
  },
};`);
  const { mf, files } = bundledWorker(app, 'dcr-guard-smoke', { NODE_PATH: join(dir, 'node_modules') });
  const modules = files.filter((f) => f.endsWith('.js') || f.endsWith('.wasm'));
  try {
    const cases = dcrCases().filter((c, i) => i % 10 === 0 || c.file === 'au-cdr-fixtures.json');
    const vectors = joseVectors().filter((_, i) => i % 4 === 0);
    const res = await mf.dispatchFetch('http://localhost/', { method: 'POST', body: JSON.stringify({ cases, vectors }) });
    assert.equal(res.status, 200, await res.clone().text());
    const { reports, verdicts } = await res.json();
    const failures = cases.map((c, i) => [c.id, mismatch(reports[i], c.expect)]).filter(([, m]) => m);
    vectors.forEach((v, i) => {
      const got = verdicts[i].valid ? 'valid' : verdicts[i].code;
      if (got !== v.expect) failures.push([v.id, `expected ${v.expect}, got ${got}`]);
    });
    console.log(`workerd (wrangler bundle: ${modules.join(', ')}): ${cases.length} DCR cases, ${vectors.length} JWS vectors, ${failures.length} failures`);
    assert.deepEqual(failures, []);
  } finally {
    await mf.dispose();
  }
});
