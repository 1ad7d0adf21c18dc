// The debugger page from the installed tarball, in real headless Chromium. Every sample gives
// its expected verdict with the findings next to their claims; a request that is not a sample
// (minted here with npm jose, its key sets served by a local HTTPS key store) reaches its
// verdict in one paste and one click; the profile is inferred; times take Unix seconds or ISO
// dates; Ctrl+Enter, the skip link and the tab order; the report copied as JSON and Markdown, a
// link that restores the state (tokens only when asked), a download; the policy selector and
// each finding's decision and fix; dark mode; a 375 px screen; malformed input gets the API's
// verdict; nothing leaves the page but the fetches asked for; it works offline once loaded.
// Screenshots (light and dark, 375 and 1280 px) go to target/site-screenshots/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { JS, ROOT, installed, serve } from './helpers.mjs';
import { keystore, launchBrowser, mintAu, mintUk } from './site-helpers.mjs';

/**
 * The fresh install, re-packed when its site/ differs from js/site/ (helpers.installed() caches
 * the install by the package's code only, so a page change alone would test the old page).
 */
function freshInstall() {
  let inst = installed();
  const differs = (f) => !existsSync(join(inst.pkg, 'site', f)) || !readFileSync(join(inst.pkg, 'site', f)).equals(readFileSync(join(JS, 'site', f)));
  if (readdirSync(join(JS, 'site')).some(differs)) {
    rmSync(inst.dir, { recursive: true, force: true });
    inst = installed();
  }
  return inst;
}

const { dir, pkg } = freshInstall();
const api = await import(pathToFileURL(join(pkg, 'src', 'node.js')).href);

/** Whether the package takes `policy` (the API replacing `mode`): asked as the page asks it. */
const policyApi = await api.checkRegistration('x', { profile: 'uk-obie-v3.3', issuer: 'https://x.invalid', ssaJwks: { keys: [] }, policy: { preset: 'interop' }, fetchJwks: async () => ({ keys: [] }) })
  .then(() => true, (e) => !(e.code === 'ERR_DCR_GUARD_CONFIG_INVALID_OPTION' && /policy/.test(e.message)));
/** Options in the form the package takes: `mode` (strict/lenient) becomes a preset with the policy API. */
const apiOptions = ({ mode, discovery, ...o }) => ({
  ...o, ...(discovery ? { discovery } : {}),
  ...(policyApi ? { policy: { preset: mode === 'lenient' ? 'interop' : 'spec' } } : { mode: mode ?? 'strict' }),
});
const SHOTS = join(ROOT, 'target', 'site-screenshots');
let server, origin, browser, keys;
const requests = [];
const pageErrors = [];

before(async () => {
  server = await serve(dir);
  origin = `http://127.0.0.1:${server.address().port}`;
  keys = await keystore();
  browser = await launchBrowser(origin);
  browser.on('request', (r) => requests.push(r.url()));
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.close();
  await keys?.close();
});

/** A new tab on the page; `clean` forgets what earlier tests left in localStorage. */
async function open({ hash = '', width = 1280, height = 900, scheme = 'light', clean = true } = {}) {
  const page = await browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.setViewportSize({ width, height });
  await page.emulateMedia({ colorScheme: scheme });
  const url = `${origin}/node_modules/dcr-guard/site/index.html`;
  if (clean) {
    await page.goto(url);
    await page.evaluate(() => localStorage.clear());
  }
  await page.goto(`${url}${hash}`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  return page;
}

const verdict = (page) => page.evaluate(() => {
  const v = document.getElementById('verdict');
  return { state: v.className, text: v.innerText.replace(/\s+/g, ' ').trim() };
});
const waitVerdict = (page, state) => page.waitForFunction((s) => document.getElementById('verdict').className === s, state);

/** A real paste: the text on the clipboard, then Ctrl+V in the field. */
async function paste(page, selector, text) {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.focus(selector);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
}

const clipboard = (page) => page.evaluate(() => navigator.clipboard.readText());
const samples = JSON.parse(readFileSync(join(JS, 'site', 'samples.js'), 'utf8').match(/^export default (.*);\s*$/m)[1]);
const sample = (id) => samples.find((s) => s.id === id);

test('samples: each gives its expected verdict, with the findings next to their claims', { timeout: 60_000 }, async () => {
  assert.ok(samples.length >= 10);
  const page = await open();
  const outcomes = [];
  for (const s of samples) {
    await page.selectOption('#sample', s.id);
    await page.click('#validate');
    await page.waitForSelector('#result:not([hidden])');
    const seen = await page.evaluate((expected) => {
      const v = document.getElementById('verdict');
      const unhighlighted = [];
      for (const e of expected.errors) {
        let p = e.pointer;
        let node = null;
        while (p && !(node = document.querySelector(`#result [data-pointer="${CSS.escape(p)}"]`))) p = p.slice(0, p.lastIndexOf('/'));
        node ??= document.getElementById(e.pointer.startsWith('/ssa') ? 'ssa-title' : 'request-title');
        if (!node.classList.contains('has-error')) unhighlighted.push(e.pointer);
      }
      const listed = [...document.querySelectorAll('#findings li.error .code')].map((c) => c.textContent.trim());
      return { ok: v.classList.contains('ok'), text: v.textContent, unhighlighted, listed };
    }, s.expect);
    outcomes.push(`${s.id}: ${seen.ok ? 'accepted' : seen.text.replace(/\s+/g, ' ').slice(0, 80)}`);
    assert.equal(seen.ok, s.expect.valid, `${s.id}: ${seen.text}`);
    if (!s.expect.valid) {
      assert.ok(seen.text.includes(s.expect.error), `${s.id}: verdict names ${s.expect.error}`);
      assert.deepEqual(seen.unhighlighted, [], `${s.id}: findings next to their claims`);
      assert.deepEqual([...seen.listed].sort(), s.expect.errors.map((e) => e.code).sort(), `${s.id}: every error finding listed`);
    }
  }
  console.log(`chromium: ${samples.length} debugger samples\n  ${outcomes.join('\n  ')}`);
  // Time claims as dates with their age; the nested statement linked.
  assert.match(await page.textContent('#result [data-pointer="/request/claims/exp"] .time'), /^\d{4}-\d\d-\d\dT[\d:]+Z · (in \d+|\d+ .* ago)/);
  assert.equal(await page.getAttribute('#result [data-pointer="/request/claims/software_statement"] a.jump', 'href'), '#ssa-panel');
  await page.close();
});

test('one paste decodes at once: header, claims, nested statement, inferred profile, times', { timeout: 60_000 }, async () => {
  const page = await open();
  const uk = await mintUk(keys);
  await paste(page, '#token', uk.token);
  // No wait: a paste checks at once (typing waits for a pause).
  const shown = await page.evaluate(() => ({
    verdict: document.getElementById('verdict').className,
    requestIss: document.querySelector('#result [data-pointer="/request/claims/iss"]')?.textContent,
    requestAlg: document.querySelector('#result [data-pointer="/request/header/alg"]')?.textContent,
    ssaOrg: document.querySelector('#result [data-pointer="/ssa/claims/org_name"]')?.textContent,
    iat: document.querySelector('#result [data-pointer="/request/claims/iat"] .time')?.textContent,
    auto: document.querySelector('#profile option[value=""]').textContent,
    hint: document.getElementById('profile-hint').textContent,
    softwareUrl: document.getElementById('software-jwks-url').value,
    directoryUrl: document.getElementById('ssa-jwks-url').value,
    sigs: [document.getElementById('request-sig').textContent, document.getElementById('ssa-sig').textContent],
  }));
  assert.equal(shown.verdict, 'pending', 'decoded, waiting for the key sets');
  assert.equal(shown.requestIss, `"iss": "${uk.claims.iss}"`);
  assert.equal(shown.requestAlg, '"alg": "ES256"');
  assert.equal(shown.ssaOrg, '"org_name": "Hidden Fintech Ltd"');
  assert.match(shown.iat, /^\d{4}-\d\d-\d\dT[\d:]+Z · \d+ s ago$/);
  assert.equal(shown.auto, 'Automatic — UK OBIE v3.3');
  assert.match(shown.hint, /statement issuer "OpenBanking Ltd"; version: no version-specific claims, v3\.3 assumed/);
  assert.equal(shown.softwareUrl, uk.softwareUrl, 'the software key set the statement names');
  assert.equal(shown.directoryUrl, 'https://keystore.openbankingtest.org.uk/keystore/openbanking.jwks', 'a sandbox statement: the OB sandbox directory');
  assert.deepEqual(shown.sigs, ['signature not checked', 'signature not checked']);

  // The version is guessed from the claims only some versions have.
  for (const [change, profile, why] of [
    [{ application_type: 'native' }, 'UK OBIE v3.4', /application_type "native" is v3\.4/],
    [{ scope: ['openid', 'accounts'] }, 'UK OBIE v3.1', /scope as an array is v3\.1/],
  ]) {
    const t = await mintUk(keys, { change });
    await paste(page, '#token', t.token);
    assert.equal(await page.textContent('#profile option[value=""]'), `Automatic — ${profile}`);
    assert.match(await page.textContent('#profile-hint'), why);
  }
  // AU: the Register's statement, the Register's key set, the statement's jwks_uri.
  const au = await mintAu(keys);
  await paste(page, '#token', au.token);
  assert.equal(await page.textContent('#profile option[value=""]'), 'Automatic — AU CDR');
  assert.match(await page.textContent('#profile-hint'), /statement issuer "cdr-register"/);
  assert.equal(await page.inputValue('#ssa-jwks-url'), 'https://api.cdr.gov.au/cdr-register/v1/jwks');
  assert.equal(await page.inputValue('#software-jwks-url'), au.softwareUrl);
  // The inferred profile is editable: a choice wins over the inference.
  await page.selectOption('#profile', 'uk-obie-v3.2');
  assert.match(await page.textContent('#profile-hint'), /^Chosen\. The token suggests AU CDR/);
  assert.match((await verdict(page)).text, /UK OBIE v3\.2 · policy/);

  // A software statement alone: decoded in its panel, no request panel.
  await page.selectOption('#profile', '');
  await paste(page, '#token', uk.ssa);
  assert.equal((await verdict(page)).state, 'pending');
  assert.match((await verdict(page)).text, /^Directory key set needed/);
  assert.equal(await page.isHidden('#request-panel'), true);
  assert.equal(await page.textContent('#result [data-pointer="/ssa/claims/software_id"]'), `"software_id": "${uk.ssaClaims.software_id}"`);
  await page.close();
});

test('a fresh request, not a sample, reaches its verdict in one paste and one click', { timeout: 60_000 }, async () => {
  // Once, as a portal developer would: the directory's key-set URL (remembered by the browser).
  const setup = await open();
  await openAllDetails(setup);
  await setup.fill('#ssa-jwks-url', `${keys.origin}/keystore/directory.jwks`);
  assert.equal(await setup.inputValue('#dir-preset'), 'custom');
  await setup.close();

  for (const [name, change, expected] of [
    ['valid', {}, { state: 'ok', text: /^Accepted/ }],
    ['bad redirect', { redirect_uris: ['https://evil.hidden.example/cb'] }, { state: 'bad', text: /^Refused invalid_redirect_uri/ }],
  ]) {
    const uk = await mintUk(keys, { change });
    const page = await open({ clean: false });
    assert.equal(await page.inputValue('#ssa-jwks-url'), uk.directoryUrl, 'the directory URL is remembered');
    const fetchedBefore = keys.requests.length;
    const steps = [];
    steps.push('paste');
    await paste(page, '#token', uk.token);
    steps.push('click Fetch key sets');
    await page.click('#fetch-keys');
    await page.waitForFunction(() => !['pending', 'empty'].includes(document.getElementById('verdict').className));
    const v = await verdict(page);
    console.log(`steps to a verdict (${name}): ${steps.length} (${steps.join(', ')}) → ${v.text.slice(0, 70)}`);
    assert.equal(steps.length, 2);
    assert.equal(v.state, expected.state, v.text);
    assert.match(v.text, expected.text);
    // The key store saw exactly the two key sets, and the API in Node agrees.
    assert.deepEqual(keys.requests.slice(fetchedBefore).sort(), [new URL(uk.directoryUrl).pathname, new URL(uk.softwareUrl).pathname].sort());
    const report = api.validateRegistration(uk.token, apiOptions({ profile: 'uk-obie-v3.3', issuer: 'https://bank.invalid', audiences: [uk.claims.aud], ssaJwks: uk.directoryJwks, softwareJwks: uk.softwareJwks, mode: policyApi ? 'lenient' : 'strict' }));
    assert.equal(report.valid, expected.state === 'ok');
    assert.deepEqual(await page.$$eval('#findings li.error .code', (l) => l.map((c) => c.textContent)), report.findings.filter((f) => f.severity === 'error').map((f) => f.code));
    assert.match(await page.textContent('#ssa-jwks-state'), /^1 key · fetched from 127\.0\.0\.1:\d+/);
    await page.close();
  }
});

async function openAllDetails(page) {
  await page.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = true; });
}

test('the validation time takes Unix seconds or an ISO date; the verdict follows the inputs', { timeout: 60_000 }, async () => {
  const page = await open();
  await page.selectOption('#sample', 'uk-obie-v3.3/baseline');
  assert.equal((await verdict(page)).state, 'ok');
  const exp = decodeClaims(sample('uk-obie-v3.3/baseline').token).exp;
  for (const [text, state, hint] of [
    ['2025-11-24T16:00:00Z', 'ok', /^2025-11-24T16:00:00Z \(Unix 1764000000\)/],
    ['2025-11-24T16:00', 'ok', /^2025-11-24T16:00:00Z \(Unix 1764000000\)/],
    [String(exp + 3600), 'bad', new RegExp(`\\(Unix ${exp + 3600}\\)`)],
    ['1764000000', 'ok', /^2025-11-24T16:00:00Z \(Unix 1764000000\)/],
  ]) {
    await page.fill('#now', text); // typing: checked again after a pause, no button
    await waitVerdict(page, state);
    assert.match(await page.textContent('#now-hint'), hint, text);
  }
  assert.match((await verdict(page)).text, /^Accepted/);
  await page.fill('#now', String(exp + 3600));
  await waitVerdict(page, 'bad');
  assert.deepEqual(await page.$$eval('#findings li.error .code', (l) => l.map((c) => c.textContent)), ['time.expired']);
  await page.fill('#now', 'next tuesday');
  await waitVerdict(page, 'input');
  assert.equal(await page.getAttribute('#now', 'aria-invalid'), 'true');
  // The request's iat, one click.
  await page.click('#now-iat');
  assert.equal(await page.inputValue('#now'), String(decodeClaims(sample('uk-obie-v3.3/baseline').token).iat));
  assert.equal((await verdict(page)).state, 'ok');
  // A directory key set that is not JSON is the user's input to fix, not the token's verdict.
  await openAllDetails(page);
  const keysBefore = await page.inputValue('#ssa-jwks');
  await page.fill('#ssa-jwks', '{"keys": [');
  await waitVerdict(page, 'input');
  assert.match((await verdict(page)).text, /^Cannot check yet Directory key set: JWKS is invalid: .*\(ERR_DCR_GUARD_JWKS_INVALID\)/);
  assert.equal(await page.getAttribute('#ssa-jwks', 'aria-invalid'), 'true');
  assert.equal(await page.textContent('#ssa-jwks-state'), 'not a JWKS · pasted');
  await page.fill('#ssa-jwks', keysBefore);
  // Another input: an aud the request does not carry refuses it, without pressing anything.
  await page.fill('#audiences', '0015800000OtherBank');
  await waitVerdict(page, 'bad');
  assert.match((await verdict(page)).text, /invalid_client_metadata/);
  await page.close();
});

function decodeClaims(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}

test('Ctrl+Enter checks now; Enter in a field too; focus moves to the verdict', { timeout: 60_000 }, async () => {
  const page = await open();
  await page.selectOption('#sample', 'uk-obie-v3.3/baseline');
  assert.equal((await verdict(page)).state, 'ok');
  // Change a field without an input event, so only the keys can trigger the check.
  await page.$eval('#audiences', (i) => { i.value = 'someone-else'; });
  await page.focus('#token');
  await page.keyboard.press('Control+Enter');
  assert.equal((await verdict(page)).state, 'bad', 'checked at once');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'verdict');
  await page.$eval('#audiences', (i) => { i.value = '0015800000jfwxXAAQ'; });
  await page.focus('#issuer');
  await page.keyboard.press('Enter');
  assert.equal((await verdict(page)).state, 'ok');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'verdict');
  await page.close();
});

test('keyboard: a skip link, every control in a sensible tab order, focus visible, labels', { timeout: 60_000 }, async () => {
  const page = await open();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'token', 'the skip link goes to the input');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'validate', 'Validate is one Tab from the token');

  await page.selectOption('#sample', 'uk-obie-v3.3/redirect-not-in-ssa');
  const describe = () => page.evaluate(() => {
    const a = document.activeElement;
    return a === document.body || !a ? 'body' : a.id || `${a.tagName.toLowerCase()}.${a.className}:${a.textContent.trim().slice(0, 30)}`;
  });
  await page.focus('.skip');
  const reached = [await describe()];
  for (let i = 0; i < 300; i++) {
    await page.keyboard.press('Tab');
    const d = await describe();
    if (d === reached[0] || d === 'body') break;
    reached.push(d);
  }
  const expected = await page.evaluate(() => {
    const describe = (a) => a.id || `${a.tagName.toLowerCase()}.${a.className}:${a.textContent.trim().slice(0, 30)}`;
    return [...document.querySelectorAll('a[href], button, input, select, textarea, summary')]
      .filter((c) => !c.disabled && c.checkVisibility() && !c.closest('[hidden]'))
      .filter((c) => { const d = c.parentElement.closest('details'); return !d || d.open || (c.tagName === 'SUMMARY' && c.parentElement === d); })
      .map(describe);
  });
  const missed = expected.filter((e) => !reached.includes(e));
  assert.deepEqual(missed, [], `every control is reached by Tab (reached ${reached.length})`);
  const at = (id) => reached.indexOf(id);
  for (const [a, b] of [['token', 'validate'], ['validate', 'sample'], ['sample', 'copy-json'], ['copy-json', 'fetch-keys'], ['fetch-keys', 'profile'], ['profile', 'policy'], ['policy', 'issuer'], ['issuer', 'now']]) {
    assert.ok(at(a) >= 0 && at(a) < at(b), `${a} before ${b}`);
  }
  // Focus is visible.
  await page.focus('#fetch-keys');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), 'solid');
  // Every control has a label; the verdict is announced.
  assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')].filter((c) => !c.labels?.length).map((c) => c.id)), []);
  assert.equal(await page.getAttribute('#verdict', 'aria-live'), 'polite');
  await page.close();
});

test('the report, copied as JSON and Markdown, and downloaded', { timeout: 60_000 }, async () => {
  const page = await open();
  const s = sample('uk-obie-v3.3/redirect-not-in-ssa');
  await page.selectOption('#sample', s.id);
  await page.click('#copy-json');
  await page.waitForFunction(() => /copied/.test(document.getElementById('share-status').textContent));
  const doc = JSON.parse(await clipboard(page));
  assert.equal(doc.verdict, 'refused');
  assert.equal(doc.report.error, s.expect.error);
  assert.deepEqual(doc.report.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.pointer}`), s.expect.errors.map((e) => `${e.code} ${e.pointer}`));
  assert.equal(doc.checked_as.profile, 'uk-obie-v3.3');
  assert.equal(doc.checked_as.now, s.options.now);
  // The same report as the API's, for the same inputs.
  const own = api.validateRegistration(s.token, apiOptions(s.options));
  assert.deepEqual(doc.report.findings.map((f) => f.code), own.findings.map((f) => f.code));

  await page.click('#copy-md');
  await page.waitForFunction(() => /Markdown report copied/.test(document.getElementById('share-status').textContent));
  const md = await clipboard(page);
  assert.match(md, /^### dcr-guard: Refused — `invalid_redirect_uri`\n/);
  assert.match(md, /\| error \| `redirect_uri\.not_in_ssa` \| `\/request\/claims\/redirect_uris\/0` \| /);
  assert.match(md, /- Checked as: UK OBIE v3\.3 \(inferred: statement issuer "OpenBanking Ltd"; [^)]*\), (mode strict|policy spec), at 2025-11-24T16:00:00Z \(1764000000\)/);

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  assert.match(download.suggestedFilename(), /^dcr-guard-oQ4KoaavpOuoE7rvQsZEOV-refused\.json$/);
  const file = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.deepEqual({ ...file, checked_at: null }, { ...doc, checked_at: null });
  await page.close();
});

test('copy link: the state round-trips in the fragment, the token only when ticked', { timeout: 60_000 }, async () => {
  const page = await open();
  const s = sample('uk-obie-v3.3/request-aud-issuer-url-lenient');
  await page.selectOption('#sample', s.id);
  await page.fill('#now', '2025-11-24T16:00:00Z');
  await waitVerdict(page, 'ok');
  const settings = await page.evaluate(() => Object.fromEntries(['profile', 'policy', 'issuer', 'audiences', 'now', 'dir-preset'].map((id) => [id, document.getElementById(id).value])));

  await page.click('#copy-link');
  await page.waitForFunction(() => /link \(settings only/.test(document.getElementById('share-status').textContent));
  const bare = await clipboard(page);
  const state = (link) => JSON.parse(Buffer.from(new URL(link).hash.replace(/^#s=/, ''), 'base64url').toString());
  assert.ok(bare.startsWith(`${origin}/node_modules/dcr-guard/site/index.html#s=`), bare);
  const bareState = state(bare);
  assert.deepEqual(Object.keys(bareState).filter((k) => ['token', 'ssaJwks', 'softwareJwks', 'softwareUrl'].includes(k)), []);
  for (const part of s.token.split('.')) assert.ok(!JSON.stringify(bareState).includes(part.slice(0, 24)), 'no part of the token');
  const restored = await open({ hash: new URL(bare).hash });
  assert.deepEqual(await restored.evaluate(() => Object.fromEntries(['profile', 'policy', 'issuer', 'audiences', 'now', 'dir-preset'].map((id) => [id, document.getElementById(id).value]))), settings);
  assert.equal(await restored.inputValue('#token'), '');
  assert.match(await restored.textContent('#status'), /carries no token/);
  await restored.close();

  await page.check('#link-tokens');
  await page.click('#copy-link');
  await page.waitForFunction(() => /with the token/.test(document.getElementById('share-status').textContent));
  const full = await clipboard(page);
  assert.equal(state(full).token, s.token);
  const again = await open({ hash: new URL(full).hash });
  assert.equal(await again.inputValue('#token'), s.token);
  assert.deepEqual(await verdict(again), await verdict(page), 'the same verdict from the link alone');
  await again.close();
  await page.close();
});

test('policy selector, and each finding\'s decision and fix', { timeout: 60_000 }, async () => {
  const page = await open();
  const offered = await page.$$eval('#policy option', (o) => o.map((x) => x.value));
  assert.deepEqual(offered, policyApi ? ['interop', 'spec', 'mock'] : ['spec', 'interop']);
  const s = sample('uk-obie-v3.3/request-aud-issuer-url-strict');
  await page.selectOption('#sample', s.id);
  assert.equal((await verdict(page)).state, 'bad');
  await page.selectOption('#policy', 'interop');
  assert.equal((await verdict(page)).state, 'ok', 'interop accepts the documented deviation');
  // Each finding shows its decision; the fix whenever the package gives one.
  const report = api.validateRegistration(s.token, apiOptions({ ...s.options, mode: 'lenient' }));
  assert.ok(report.findings.length > 0);
  const shown = await page.$$eval('#findings li.finding', (items) => items.map((li) => ({
    code: li.querySelector('.code').textContent, badge: li.querySelector('.badge').textContent, fix: li.querySelector('.fix')?.textContent ?? null,
  })));
  assert.deepEqual(shown, report.findings.map((f) => ({
    code: f.code, badge: { error: 'error', warning: 'warning', accept: 'accepted' }[f.decision ?? f.severity], fix: f.fix ? `Fix: ${f.fix}` : null,
  })));
  if (policyApi) assert.ok(shown.every((f) => f.fix), 'with the policy API, every finding says how to fix it');
  console.log(`policy: ${policyApi ? 'policy presets' : 'old API (mode strict/lenient)'}; ${shown.filter((f) => f.fix).length}/${shown.length} findings with a fix`);
  await page.close();
});

/** Relative luminance and contrast ratio (WCAG 2). */
function luminance(rgb) {
  const [r, g, b] = rgb.match(/[\d.]+/g).slice(0, 3).map((v) => Number(v) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };

test('dark mode: the system\'s scheme, and a toggle remembered', { timeout: 60_000 }, async () => {
  const colours = (page) => page.evaluate(() => {
    const css = (sel, prop) => { const e = document.querySelector(sel); return e && getComputedStyle(e)[prop]; };
    return { bg: css('body', 'backgroundColor'), fg: css('body', 'color'), verdictBg: css('#verdict', 'backgroundColor'), verdictTitle: css('#verdict .v-title', 'color'), code: css('#findings .code', 'color'), field: css('#token', 'backgroundColor'), pressed: document.getElementById('theme').getAttribute('aria-pressed') };
  });
  const page = await open({ scheme: 'dark' });
  await page.selectOption('#sample', 'uk-obie-v3.3/redirect-not-in-ssa');
  const dark = await colours(page);
  assert.ok(luminance(dark.bg) < 0.02 && luminance(dark.fg) > 0.7, JSON.stringify(dark));
  assert.ok(luminance(dark.field) < 0.02, 'fields are dark too');
  assert.equal(dark.pressed, 'true');
  for (const [a, b, min] of [[dark.fg, dark.bg, 7], [dark.verdictTitle, dark.verdictBg, 4.5], [dark.code, dark.bg, 4.5]]) assert.ok(contrast(a, b) >= min, `${a} on ${b}`);
  await page.click('#theme');
  const light = await colours(page);
  assert.ok(luminance(light.bg) > 0.85 && luminance(light.fg) < 0.05, JSON.stringify(light));
  assert.equal(light.pressed, 'false');
  for (const [a, b, min] of [[light.fg, light.bg, 7], [light.verdictTitle, light.verdictBg, 4.5], [light.code, light.bg, 4.5]]) assert.ok(contrast(a, b) >= min, `${a} on ${b}`);
  // Remembered across a reload, whatever the system prefers.
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  assert.ok(luminance((await colours(page)).bg) > 0.85, 'still light after a reload');
  await page.click('#theme');
  await page.emulateMedia({ colorScheme: 'light' });
  assert.ok(luminance((await colours(page)).bg) < 0.02, 'the choice wins over the system');
  await page.close();
});

test('a 375 px screen: no horizontal scroll, nothing overflows, no break inside a code, pointer or badge', { timeout: 60_000 }, async () => {
  const heights = [];
  // Besides samples, a request whose findings have long pointers, which must break between segments.
  const ciba = await mintUk(keys, { change: { grant_types: ['urn:openid:params:grant-type:ciba'], backchannel_authentication_request_signing_alg: 'RS256' } });
  for (const id of ['uk-obie-v3.3/redirect-not-in-ssa', 'au-cdr-fixtures/cds-example-ssa-strict', 'uk-obie-v3.3/request-aud-issuer-url-lenient', 'ciba']) {
    const page = await open({ width: 375, height: 812 });
    if (id === 'ciba') {
      await openAllDetails(page);
      await page.fill('#ssa-jwks', JSON.stringify(ciba.directoryJwks));
      await page.fill('#software-jwks', JSON.stringify(ciba.softwareJwks));
      await page.fill('#audiences', ciba.claims.aud);
      await paste(page, '#token', ciba.token);
      assert.deepEqual(await page.$$eval('#findings .pointer', (l) => l.map((p) => p.textContent)), ['/request/claims/backchannel_token_delivery_mode', '/request/claims/backchannel_authentication_request_signing_alg']);
      assert.match(await page.textContent('#profile-hint'), /CIBA claims are v3\.3 and later/);
    } else {
      await page.selectOption('#sample', id);
    }
    const layout = await page.evaluate(() => {
      const doc = document.documentElement;
      const out = [];
      for (const e of document.querySelectorAll('body *')) {
        const r = e.getBoundingClientRect();
        if (!r.width || !r.height || !e.checkVisibility()) continue;
        if (r.left < -0.5 || r.right > doc.clientWidth + 0.5) out.push(`${e.tagName}.${e.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
        const box = e.parentElement?.closest('.finding, article, #verdict, .box');
        if (box) {
          const b = box.getBoundingClientRect();
          if (r.right > b.right + 0.5) out.push(`${e.tagName}.${e.className} leaves its box by ${Math.round(r.right - b.right)}px`);
        }
      }
      // Each text piece of a code, pointer or badge sits on one line (breaks only at <wbr>).
      const broken = [];
      for (const e of document.querySelectorAll('.code, .pointer, .badge, .note, .sig, .rfc, .nobr, .kname')) {
        if (!e.checkVisibility()) continue;
        const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          if (!n.textContent.trim()) continue;
          const range = document.createRange();
          range.selectNodeContents(n);
          const tops = new Set([...range.getClientRects()].filter((q) => q.width > 0).map((q) => Math.round(q.top)));
          if (tops.size > 1) broken.push(n.textContent);
        }
      }
      return { scroll: doc.scrollWidth - doc.clientWidth, overflowing: out, broken, height: doc.scrollHeight };
    });
    assert.equal(layout.scroll, 0, `${id}: scrolls horizontally`);
    assert.deepEqual(layout.overflowing, [], id);
    assert.deepEqual(layout.broken, [], `${id}: broken inside a word`);
    heights.push(`${id}: ${layout.height}px`);
    if (id === 'uk-obie-v3.3/redirect-not-in-ssa') {
      await page.setViewportSize({ width: 390, height: 844 });
      const h = await page.evaluate(() => document.documentElement.scrollHeight);
      heights.push(`the same at 390 px: ${h}px (the previous page: 4,595px)`);
      assert.ok(h < 3500, `page height at 390 px: ${h}`);
      assert.ok(await page.evaluate(() => document.getElementById('verdict').getBoundingClientRect().top < 844), 'the verdict is on the first screen');
    }
    await page.close();
  }
  console.log(`375 px heights:\n  ${heights.join('\n  ')}`);
});

test('malformed input gets the verdict the API gives, not an exception code', { timeout: 60_000 }, async () => {
  const page = await open();
  for (const [token, code] of [['eyJhbGciOiJQUzI1NiJ9.e30.@@', 'jws.base64'], ['not a token', 'jws.malformed'], ['eyJhbGciOiJub25lIn0.e30.', null]]) {
    await paste(page, '#token', token);
    const report = api.validateRegistration(token, apiOptions({ profile: 'uk-obie-v3.3', issuer: 'https://bank.invalid', ssaJwks: { keys: [] }, softwareJwks: { keys: [] } }));
    assert.equal(report.valid, false);
    if (code) assert.equal(report.findings[0].code, code);
    const v = await verdict(page);
    assert.equal(v.state, 'bad', `${token}: ${v.text}`);
    assert.ok(v.text.startsWith(`Refused ${report.error} ${report.error_description}`), v.text);
    assert.deepEqual(await page.$$eval('#findings li .code', (l) => l.map((c) => c.textContent)), report.findings.map((f) => f.code));
    if (code === 'jws.base64') {
      // Shown as far as it decodes (display only): the header and the empty claims.
      assert.equal(await page.textContent('#result [data-pointer="/request/header/alg"]'), '"alg": "PS256"');
      assert.equal(await page.textContent('#result [data-pointer="/request/claims"]'), '{}');
    }
    const body = await page.textContent('body');
    assert.ok(!/ERR_DCR_GUARD|No findings/.test(body), `${token}: no exception code, no "No findings"`);
  }
  await page.close();
});

test('nothing leaves the page but the fetches asked for; it works offline once loaded; no errors', { timeout: 60_000 }, async () => {
  const page = await open();
  await page.selectOption('#sample', samples[0].id);
  await browser.setOffline(true);
  try {
    await page.selectOption('#sample', 'au-cdr/baseline');
    assert.equal((await verdict(page)).state, 'ok');
    const uk = await mintUk(keys);
    await paste(page, '#token', uk.token);
    // The sample's settings and key sets went with its token.
    assert.deepEqual(await page.evaluate(() => ['profile', 'issuer', 'now', 'ssa-jwks'].map((id) => document.getElementById(id).value)), ['', '', '', '']);
    assert.equal((await verdict(page)).state, 'pending');
    assert.equal(await page.textContent('#result [data-pointer="/ssa/claims/org_id"]'), `"org_id": "${uk.ssaClaims.org_id}"`);
  } finally {
    await browser.setOffline(false);
  }
  await page.close();
  // Over every test: the page's own files, and the key store only when Fetch was clicked.
  const outside = requests.filter((u) => !u.startsWith(origin) && !u.startsWith(keys.origin));
  assert.deepEqual(outside, []);
  assert.equal(requests.filter((u) => u.startsWith(keys.origin)).length, 4, 'two fetch clicks, two key sets each');
  assert.deepEqual(pageErrors, []);
});

test('screenshots: light and dark, 375 and 1280 px', { timeout: 60_000 }, async () => {
  const written = [];
  for (const scheme of ['light', 'dark']) {
    for (const width of [375, 1280]) {
      const page = await open({ width, height: width < 500 ? 812 : 900, scheme });
      await page.selectOption('#sample', 'uk-obie-v3.3/redirect-not-in-ssa');
      const file = join(SHOTS, `debugger-${scheme}-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      written.push(file);
      if (width < 500) {
        const first = join(SHOTS, `debugger-${scheme}-${width}-first-screen.png`);
        await page.screenshot({ path: first });
        written.push(first);
      }
      await page.close();
    }
  }
  const pending = await open({ width: 375, height: 812 });
  await paste(pending, '#token', (await mintUk(keys)).token);
  const file = join(SHOTS, 'debugger-light-375-pasted.png');
  await pending.screenshot({ path: file, fullPage: true });
  written.push(file);
  await pending.close();
  for (const f of written) assert.ok(statSync(f).size > 10_000, f);
  console.log(`screenshots:\n  ${written.join('\n  ')}`);
});
