// The workerd builds of the installed package, bundled by wrangler exactly as a Worker would be
// (`wrangler deploy --dry-run`), running the corpus smoke subset inside Miniflare's workerd:
// `dcr-guard` (the module without the pure-Rust crypto) through checkRegistration and
// verifyJwsAsync with WebCrypto, `dcr-guard/sync` through the synchronous functions.
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
import { checkRegistration, verifyJwsAsync, validateRegistration as unavailable } from 'dcr-guard';
import { validateRegistration, verifyJws } from 'dcr-guard/sync';
export default {
  async fetch(request) {
    const { cases, vectors } = await request.json();
    let refused;
    try { unavailable(cases[0].token, cases[0].options); } catch (e) { refused = e.code; }
    return Response.json({
      refused,
      asyncReports: await Promise.all(cases.map(({ token, options: { softwareJwks, ...o } }) => checkRegistration(token, { ...o, fetchJwks: async () => softwareJwks }))),
      asyncVerdicts: await Promise.all(vectors.map((v) => verifyJwsAsync(v.token, v.jwks, { algorithms: v.algorithms }))),
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
    const { refused, asyncReports, asyncVerdicts, reports, verdicts } = await res.json();
    assert.equal(refused, 'ERR_DCR_GUARD_WASM_CRYPTO_UNAVAILABLE');
    const failures = cases.map((c, i) => [c.id, mismatch(reports[i], c.expect)]).filter(([, m]) => m);
    cases.forEach((c, i) => {
      const r = asyncReports[i];
      if (r.valid !== c.expect.valid || (r.error ?? null) !== c.expect.error) failures.push([c.id, `checkRegistration: ${r.error}, expected ${c.expect.error}`]);
    });
    vectors.forEach((v, i) => {
      for (const [name, r] of [['verifyJwsAsync', asyncVerdicts[i]], ['verifyJws', verdicts[i]]]) {
        const got = r.valid ? 'valid' : r.code;
        if (got !== v.expect) failures.push([v.id, `${name}: expected ${v.expect}, got ${got}`]);
      }
    });
    assert.deepEqual(modules.filter((f) => f.endsWith('.wasm')).length, 2, 'both modules bundled (one per entry)');
    console.log(`workerd (wrangler bundle: ${modules.join(', ')}): ${cases.length} DCR cases, ${vectors.length} JWS vectors, ${failures.length} failures`);
    assert.deepEqual(failures, []);
  } finally {
    await mf.dispose();
  }
});
