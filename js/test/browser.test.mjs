// The browser entries of the installed package in real headless Chromium (Debian's, driven by
// playwright-core), on a plain module page, running a smoke subset of the corpus: `dcr-guard`
// (the module without the pure-Rust crypto, WebCrypto) through checkRegistration and
// verifyJwsAsync, and `dcr-guard/sync` (the module with it) through the synchronous functions;
// then the real-world corpus under the default policy, and the policy probes, through both.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HAPPY_PATH, dcrCases, errorPairs, fetchingExpect, joseVectors, installed, launch, mismatch, policyProbes, probeMismatch, realworldCases, realworldMismatch, serve } from './helpers.mjs';

const { dir } = installed();
writeFileSync(join(dir, 'smoke.html'), `<!doctype html><meta charset="utf-8"><title>dcr-guard smoke</title>
<script type="importmap">{ "imports": { "dcr-guard": "/node_modules/dcr-guard/lib/browser.js", "dcr-guard/sync": "/node_modules/dcr-guard/lib/browser-sync.js" } }</script>
<script type="module">import * as dg from 'dcr-guard'; import * as sync from 'dcr-guard/sync'; window.dg = dg; window.sync = sync; document.title = 'ready';</script>`);

// One server and one browser for both tests.
const server = await serve(dir);
const browser = await launch();
after(async () => {
  await browser.close();
  server.close();
});

/** A fresh page with both entries imported (window.dg, window.sync). */
async function smokePage() {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/smoke.html`);
  await page.waitForFunction(() => document.title === 'ready');
  return page;
}

test('corpus smoke subset in headless Chromium: dcr-guard (async, WebCrypto) and dcr-guard/sync', async () => {
  const page = await browser.newPage();
  const wasmRequests = [];
  page.on('request', (r) => r.url().endsWith('.wasm') && wasmRequests.push(r.url().split('/').pop()));
  await page.goto(`http://127.0.0.1:${server.address().port}/smoke.html`);
  await page.waitForFunction(() => document.title === 'ready');
  assert.deepEqual(wasmRequests, [], 'nothing is fetched at import');
  // Before any load, a synchronous call says what to do; the default entry's synchronous
  // verifying functions point to dcr-guard/sync.
  const early = await page.evaluate(() => {
    const code = (f) => { try { f(); return 'no error'; } catch (e) { return `${e.name} ${e.code}`; } };
    return { decode: code(() => window.sync.decodeJws('a.b.c')), validate: code(() => window.dg.validateRegistration('a.b.c', { profile: 'au-cdr', issuer: 'x', ssaJwks: {}, softwareJwks: {} })) };
  });
  assert.deepEqual(early, { decode: 'DcrGuardError ERR_DCR_GUARD_NOT_INITIALISED', validate: 'DcrGuardError ERR_DCR_GUARD_WASM_CRYPTO_UNAVAILABLE' });

  const cases = dcrCases().filter((c, i) => i % 10 === 0 || c.file === 'au-cdr-fixtures.json');
  const vectors = joseVectors().filter((_, i) => i % 4 === 0);
  const failures = [];
  // dcr-guard: both phases with WebCrypto; the fetch is skipped when phase 1 rejects, so the
  // verdict and the RFC 7591 error are compared.
  const asyncReports = await page.evaluate((cs) => Promise.all(cs.map(({ options: { softwareJwks, ...o }, token }) =>
    window.dg.checkRegistration(token, { ...o, fetchJwks: async () => softwareJwks }))), cases);
  cases.forEach((c, i) => {
    const r = asyncReports[i];
    if (r.valid !== c.expect.valid || (r.error ?? null) !== c.expect.error) failures.push([c.id, `checkRegistration: ${r.error}, expected ${c.expect.error}`]);
  });
  const asyncVerdicts = await page.evaluate((vs) => Promise.all(vs.map((v) => window.dg.verifyJwsAsync(v.token, v.jwks, { algorithms: v.algorithms }))), vectors);
  // dcr-guard/sync: init, then the synchronous functions verify in wasm.
  await page.evaluate(() => window.sync.init());
  const reports = await page.evaluate((cs) => cs.map((c) => window.sync.validateRegistration(c.token, c.options)), cases);
  cases.forEach((c, i) => {
    const m = mismatch(reports[i], c.expect);
    if (m) failures.push([c.id, `validateRegistration: ${m}`]);
  });
  const verdicts = await page.evaluate((vs) => vs.map((v) => window.sync.verifyJws(v.token, v.jwks, { algorithms: v.algorithms })), vectors);
  vectors.forEach((v, i) => {
    for (const [name, r] of [['verifyJwsAsync', asyncVerdicts[i]], ['verifyJws', verdicts[i]]]) {
      const got = r.valid ? 'valid' : r.code;
      if (got !== v.expect) failures.push([v.id, `${name}: expected ${v.expect}, got ${got}`]);
    }
  });
  assert.deepEqual(wasmRequests, ['dcr_guard_wasm_web_bg.wasm', 'dcr_guard_wasm_bg.wasm'], 'each entry fetched its own module, once');
  const userAgent = await page.evaluate(() => navigator.userAgent);
  console.log(`chromium (${userAgent.match(/Chrome\/[\d.]+/)?.[0]}): ${cases.length} DCR cases and ${vectors.length} JWS vectors through each entry, ${failures.length} failures`);
  assert.deepEqual(failures, []);
  await page.close();
});

// The real-world corpus with no policy options (the default, interop): dcr-guard/sync's
// validateRegistration gives the manifest's answer exactly; dcr-guard's checkRegistration (the
// fetching entry, WebCrypto) the fetching host's (helpers.mjs fetchingExpect). Then the policy
// probes: overrides by rule id and by finding code, and an unknown rule key.
test('real-world corpus (default policy) and policy overrides in headless Chromium', async () => {
  const page = await smokePage();
  const cases = realworldCases();
  const probes = policyProbes();
  await page.evaluate(() => window.sync.init());
  const results = await page.evaluate(async ({ cases, probes }) => {
    const attempt = async (f) => {
      try {
        return await f();
      } catch (e) {
        return { threw: e.code ?? String(e) };
      }
    };
    return {
      reports: await Promise.all(cases.map(async ({ token, options }) => {
        const { softwareJwks, ...rest } = options;
        const fetched = [];
        const sync = await attempt(() => window.sync.validateRegistration(token, options));
        const fetching = await attempt(() => window.dg.checkRegistration(token, { ...rest, fetchJwks: async (url) => (fetched.push(url), softwareJwks) }));
        return { sync, fetching, fetched };
      })),
      probes: await Promise.all(probes.map(async ({ token, options }) => {
        const { softwareJwks, ...rest } = options;
        return { sync: await attempt(() => window.sync.validateRegistration(token, options)), fetching: await attempt(() => window.dg.checkRegistration(token, { ...rest, fetchJwks: async () => softwareJwks })) };
      })),
    };
  }, { cases, probes });
  const failures = [];
  cases.forEach((c, i) => {
    const { sync, fetching, fetched } = results.reports[i];
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
    for (const [entry, r] of Object.entries(results.probes[i])) {
      const m = probeMismatch(r, p.want);
      if (m) failures.push([p.name, `${entry}: ${m}`]);
    }
  });
  assert.ok(cases.some((c) => c.id === HAPPY_PATH));
  console.log(`chromium: ${cases.length} real-world cases (default policy, ${cases.filter((c) => c.expect.interop.valid).length} valid) through each entry and ${probes.length} policy probes, ${failures.length} failures`);
  assert.deepEqual(failures, []);
  await page.close();
});
