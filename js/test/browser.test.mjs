// The browser entries of the installed package in real headless Chromium (Debian's, driven by
// playwright-core), on a plain module page, running a smoke subset of the corpus: `dcr-guard`
// (the module without the pure-Rust crypto, WebCrypto) through checkRegistration and
// verifyJwsAsync, and `dcr-guard/sync` (the module with it) through the synchronous functions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dcrCases, joseVectors, installed, launch, mismatch, serve } from './helpers.mjs';

const { dir } = installed();
writeFileSync(join(dir, 'smoke.html'), `<!doctype html><meta charset="utf-8"><title>dcr-guard smoke</title>
<script type="importmap">{ "imports": { "dcr-guard": "/node_modules/dcr-guard/src/browser.js", "dcr-guard/sync": "/node_modules/dcr-guard/src/browser-sync.js" } }</script>
<script type="module">import * as dg from 'dcr-guard'; import * as sync from 'dcr-guard/sync'; window.dg = dg; window.sync = sync; document.title = 'ready';</script>`);

test('corpus smoke subset in headless Chromium: dcr-guard (async, WebCrypto) and dcr-guard/sync', async () => {
  const server = await serve(dir);
  const browser = await launch();
  try {
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
  } finally {
    await browser.close();
    server.close();
  }
});
