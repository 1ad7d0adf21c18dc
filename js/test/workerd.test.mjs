// The workerd builds of the installed package, bundled by wrangler exactly as a Worker would be
// (`wrangler deploy --dry-run`), running the corpus smoke subset inside Miniflare's workerd:
// `dcr-guard` (the module without the pure-Rust crypto) through checkRegistration and
// verifyJwsAsync with WebCrypto, `dcr-guard/sync` through the synchronous functions; then the
// real-world corpus under the default policy, and the policy probes, through both.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HAPPY_PATH, bundledWorker, dcrCases, errorPairs, fetchingExpect, joseVectors, installed, mismatch, policyProbes, probeMismatch, realworldCases, realworldMismatch } from './helpers.mjs';

const { dir } = installed();

// One bundle and one workerd for both tests: POST / runs the smoke subset, POST /realworld the
// real-world corpus and the policy probes (each call's result, or the code it threw).
const app = join(dir, 'worker-app');
mkdirSync(app, { recursive: true });
writeFileSync(join(app, 'worker.mjs'), `
import { checkRegistration, verifyJwsAsync, validateRegistration as unavailable } from 'dcr-guard';
import { validateRegistration, verifyJws } from 'dcr-guard/sync';
const attempt = async (f) => {
  try {
    return await f();
  } catch (e) {
    return { threw: e.code ?? String(e) };
  }
};
async function realworld({ cases }) {
  return Promise.all(cases.map(async ({ token, options }) => {
    const { softwareJwks, ...rest } = options;
    const fetched = [];
    const sync = await attempt(() => validateRegistration(token, options));
    const fetching = await attempt(() => checkRegistration(token, { ...rest, fetchJwks: async (url) => (fetched.push(url), softwareJwks) }));
    return { sync, fetching, fetched };
  }));
}
export default {
  async fetch(request) {
    if (new URL(request.url).pathname === '/realworld') return Response.json(await realworld(await request.json()));
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
after(() => mf.dispose());

test('corpus smoke subset in workerd', async () => {
  const modules = files.filter((f) => f.endsWith('.js') || f.endsWith('.wasm'));
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
});

// The real-world corpus with no policy options (the default, interop): dcr-guard/sync's
// validateRegistration gives the manifest's answer exactly; dcr-guard's checkRegistration (the
// fetching entry, WebCrypto) the fetching host's (helpers.mjs fetchingExpect). Then the policy
// probes: overrides by rule id and by finding code, and an unknown rule key.
test('real-world corpus (default policy) and policy overrides in workerd', async () => {
  const cases = realworldCases();
  const probes = policyProbes();
  const res = await mf.dispatchFetch('http://localhost/realworld', { method: 'POST', body: JSON.stringify({ cases: [...cases, ...probes] }) });
  assert.equal(res.status, 200, await res.clone().text());
  const results = await res.json();
  assert.equal(results.length, cases.length + probes.length);
  const failures = [];
  cases.forEach((c, i) => {
    const { sync, fetching, fetched } = results[i];
    const m = realworldMismatch(sync, c.expect.interop);
    if (m) failures.push([c.id, `validateRegistration: ${m}`]);
    const want = fetchingExpect(c, 'interop');
    const mFetch = realworldMismatch(fetching, want);
    if (mFetch) failures.push([c.id, `checkRegistration: ${mFetch}`]);
    if (want.valid && JSON.stringify(fetched) !== JSON.stringify([c.keySetUrl])) failures.push([c.id, `checkRegistration fetched ${JSON.stringify(fetched)}`]);
    if (c.id === HAPPY_PATH) {
      for (const r of [sync, fetching]) {
        if (!r.valid || errorPairs(r).length || r.findings.some((f) => f.code === 'jti.format')) failures.push([c.id, `the happy path: ${JSON.stringify(r.findings)}`]);
      }
    }
  });
  probes.forEach((p, i) => {
    const { sync, fetching } = results[cases.length + i];
    for (const [entry, r] of [['validateRegistration', sync], ['checkRegistration', fetching]]) {
      const m = probeMismatch(r, p.want);
      if (m) failures.push([p.name, `${entry}: ${m}`]);
    }
  });
  assert.ok(cases.some((c) => c.id === HAPPY_PATH));
  console.log(`workerd: ${cases.length} real-world cases (default policy, ${cases.filter((c) => c.expect.interop.valid).length} valid) through each entry and ${probes.length} policy probes, ${failures.length} failures`);
  assert.deepEqual(failures, []);
});
