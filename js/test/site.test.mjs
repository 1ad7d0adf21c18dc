// The debugger page from the installed tarball, in real headless Chromium: every sample gives
// its expected verdict and RFC 7591 error, the claims the findings concern are highlighted,
// nothing leaves the browser, it works offline once loaded, on a narrow screen, by keyboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, installed, launch, serve } from './helpers.mjs';

const { dir } = installed();
const artifacts = join(ROOT, 'tests', 'artifacts');

test('debugger page: samples, highlights, privacy, offline, narrow screen, keyboard', { timeout: 120_000 }, async () => {
  const server = await serve(dir);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${origin}/node_modules/dcr-guard/site/index.html`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    const samples = await page.evaluate(async () => (await import('./samples.js')).default.map((s) => ({ id: s.id, expect: s.expect })));
    assert.ok(samples.length >= 10);

    const outcomes = [];
    for (const s of samples) {
      await page.selectOption('#sample', s.id);
      await page.click('#validate');
      await page.waitForSelector('#result:not([hidden])');
      const seen = await page.evaluate((expected) => {
        const verdict = document.getElementById('verdict');
        // Each expected error pointer (or its nearest rendered ancestor) is highlighted.
        const unhighlighted = [];
        for (const e of expected.errors) {
          let p = e.pointer;
          let node = null;
          while (p && !(node = document.querySelector(`#result [data-pointer="${CSS.escape(p)}"]`))) p = p.slice(0, p.lastIndexOf('/'));
          node ??= document.getElementById(e.pointer.startsWith('/ssa') ? 'ssa-title' : 'request-title');
          if (!node.classList.contains('has-error')) unhighlighted.push(e.pointer);
        }
        const listed = [...document.querySelectorAll('#findings li.error .code')].map((c) => c.textContent.trim());
        return { ok: verdict.classList.contains('ok'), text: verdict.textContent, unhighlighted, listed };
      }, s.expect);
      outcomes.push(`${s.id}: ${seen.ok ? 'accepted' : seen.text.replace(/\s+/g, ' ').slice(0, 80)}`);
      assert.equal(seen.ok, s.expect.valid, `${s.id}: ${seen.text}`);
      if (!s.expect.valid) {
        assert.ok(seen.text.includes(s.expect.error), `${s.id}: verdict names ${s.expect.error}`);
        assert.deepEqual(seen.unhighlighted, [], `${s.id}: findings next to their claims`);
        assert.deepEqual([...seen.listed].sort(), s.expect.errors.map((e) => e.code).sort(), `${s.id}: every error finding listed`);
      }
      if (s.id === 'uk-obie-v3.3/redirect-not-in-ssa') {
        mkdirSync(artifacts, { recursive: true });
        await page.screenshot({ path: join(artifacts, 'debugger-redirect-not-in-ssa.png'), fullPage: true });
      }
    }
    console.log(`chromium: ${samples.length} debugger samples\n  ${outcomes.join('\n  ')}`);

    // Time claims are shown as dates with their age; the nested statement is linked.
    const time = await page.textContent('#result [data-pointer="/request/claims/exp"] .time');
    assert.match(time, /^\d{4}-\d\d-\d\dT[\d:]+Z \((in|.* ago)/);
    assert.equal(await page.getAttribute('#result [data-pointer="/request/claims/software_statement"] a.jump', 'href'), '#ssa-panel');

    // Nothing left the browser: only the page's own files were requested.
    assert.deepEqual(requests.filter((u) => !u.startsWith(origin)), []);
    assert.deepEqual(errors, []);

    // Offline once loaded.
    await browser.setOffline(true);
    await page.selectOption('#sample', samples[0].id);
    await page.click('#validate');
    await page.waitForFunction(() => document.getElementById('verdict').classList.contains('ok'));
    await browser.setOffline(false);

    // Narrow screen: no horizontal scrolling of the page.
    await page.setViewportSize({ width: 375, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `page scrolls horizontally by ${overflow}px at 375px`);
    await page.screenshot({ path: join(artifacts, 'debugger-narrow.png'), fullPage: false });

    // Keyboard: every control has a label, and Enter in the form validates.
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea')].filter((c) => !c.labels?.length).map((c) => c.id));
    assert.deepEqual(unlabelled, []);
    await page.selectOption('#sample', 'au-cdr/response-types-hybrid');
    await page.focus('#issuer');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('verdict').textContent.includes('invalid_client_metadata'));
    assert.equal(await page.evaluate(() => document.activeElement.id), 'verdict', 'focus moves to the verdict');
  } finally {
    await browser.close();
    server.close();
  }
});
