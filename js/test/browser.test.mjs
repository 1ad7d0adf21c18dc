// The browser build of the installed package in real headless Chromium (Debian's, driven by
// playwright-core), running a smoke subset of the corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dcrCases, joseVectors, installed, launch, mismatch, serve } from './helpers.mjs';

const { dir } = installed();
writeFileSync(join(dir, 'smoke.html'), `<!doctype html><meta charset="utf-8"><title>dcr-guard smoke</title>
<script type="module">import * as dg from '/node_modules/dcr-guard/src/browser.js'; window.dg = dg; document.title = 'ready';</script>`);

test('corpus smoke subset in headless Chromium', async () => {
  const server = await serve(dir);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/smoke.html`);
    await page.waitForFunction(() => document.title === 'ready');
    const cases = dcrCases().filter((c, i) => i % 10 === 0 || c.file === 'au-cdr-fixtures.json');
    const reports = await page.evaluate((cs) => cs.map((c) => window.dg.validateRegistration(c.token, c.options)), cases);
    const failures = cases.map((c, i) => [c.id, mismatch(reports[i], c.expect)]).filter(([, m]) => m);
    const vectors = joseVectors().filter((_, i) => i % 4 === 0);
    const verdicts = await page.evaluate((vs) => vs.map((v) => window.dg.verifyJws(v.token, v.jwks, { algorithms: v.algorithms })), vectors);
    vectors.forEach((v, i) => {
      const got = verdicts[i].valid ? 'valid' : verdicts[i].code;
      if (got !== v.expect) failures.push([v.id, `expected ${v.expect}, got ${got}`]);
    });
    const userAgent = await page.evaluate(() => navigator.userAgent);
    console.log(`chromium (${userAgent.match(/Chrome\/[\d.]+/)?.[0]}): ${cases.length} DCR cases, ${vectors.length} JWS vectors, ${failures.length} failures`);
    assert.deepEqual(failures, []);
  } finally {
    await browser.close();
    server.close();
  }
});
