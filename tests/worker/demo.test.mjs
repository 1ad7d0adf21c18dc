// The main job as a new user runs it: the demo of ./scripts/run.sh (gen-demo.mjs, then
// `wrangler dev` with the guard, the demo bank and the demo directory in real workerd). Every
// printed sample gets the answer the README promises, and the debugger page it serves works in
// headless Chromium with the demo's own requests. Needs the npm package built (js/dist).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';
import { launch } from '../../js/test/helpers.mjs';

const DEMO = join(ROOT, 'crates', 'worker', 'demo');

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** Starts wrangler dev as scripts/run.sh does, on free ports; resolves once it is ready. */
async function startDemo() {
  execFileSync(process.execPath, [join(DEMO, 'gen-demo.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const state = join(DEMO, '.run', 'state');
  rmSync(state, { recursive: true, force: true });
  const port = await freePort();
  const inspector = await freePort();
  const args = ['dev', '-c', join(DEMO, 'router.toml'), '-c', join(DEMO, 'guard.toml'), '-c', join(DEMO, 'guard-au.toml'), '-c', join(DEMO, 'bank.toml'), '-c', join(DEMO, 'directory.toml'),
    '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspector), '--persist-to', state,
    '--show-interactive-dev-session=false'];
  const child = spawn('wrangler', args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`wrangler dev not ready after 90 s:\n${output}`)), 90_000);
    const seen = (chunk) => {
      output += chunk;
      if (output.includes(`Ready on http://127.0.0.1:${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.once('exit', (code) => reject(new Error(`wrangler dev exited (${code}):\n${output}`)));
  });
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  try {
    await ready;
  } catch (e) {
    stop();
    throw e;
  }
  return { origin: `http://127.0.0.1:${port}`, stop, output: () => output };
}

test('the demo: every sample gets its promised answer, and the debugger page is served', { timeout: 240_000 }, async () => {
  const demo = await startDemo();
  try {
    const data = JSON.parse(readFileSync(join(DEMO, '.run', 'demo-data.json'), 'utf8'));
    const post = (token, type = 'application/jwt', path = '/register') =>
      fetch(`${demo.origin}${path}`, { method: 'POST', headers: { 'content-type': type }, body: token });

    // The valid request reaches the bank (which checks the verification header) once.
    const valid = data.samples.valid.token;
    const first = await post(valid);
    const registered = await first.json();
    assert.equal(first.status, 201, JSON.stringify(registered));
    assert.equal(registered.registered_by, 'demo bank');
    const replay = await post(valid);
    assert.equal(replay.status, 400);
    assert.equal(replay.headers.get('dcr-guard-findings'), 'replay.jti_reused');
    assert.equal((await post(valid, 'text/plain')).status, 415);

    const answers = [];
    for (const [name, s] of Object.entries(data.samples)) {
      if (name === 'valid') continue;
      const res = await post(s.token, 'application/jwt', s.path);
      if (!s.error) {
        // au-valid: the AU guard polls the demo Register's status (no Cron run yet) and forwards.
        const ok = await res.json();
        assert.equal(res.status, 201, `${name}: ${JSON.stringify(ok)}`);
        answers.push(`${name}: ${res.status} from the bank`);
        continue;
      }
      const body = await res.json();
      answers.push(`${name}: ${res.status} ${body.error} [${res.headers.get('dcr-guard-findings')}]`);
      assert.equal(res.status, 400, `${name}: ${JSON.stringify(body)}`);
      assert.equal(body.error, s.error, name);
      assert.equal(res.headers.get('dcr-guard-findings'), s.code, name);
    }
    // Management routes: the bank's access tokens are validated before anything is forwarded.
    const manage = (token) => fetch(`${demo.origin}/register/c-1`, { headers: { authorization: `Bearer ${token}` } });
    const managed = await manage(data.tokens['management-valid']);
    assert.equal(managed.status, 200, await managed.clone().text());
    assert.deepEqual(await managed.json(), { ok: true, method: 'GET', path: '/register/c-1' });
    const expired = await manage(data.tokens['management-expired']);
    assert.equal(expired.status, 401);
    assert.equal(expired.headers.get('dcr-guard-findings'), 'token.expired');
    answers.push(`management GET, valid token: 200 from the bank; expired token: 401 [${expired.headers.get('dcr-guard-findings')}]`);
    console.log(`demo (wrangler dev, ${demo.origin}): valid 201, replay 400, text/plain 415\n  ${answers.join('\n  ')}`);

    // The debugger page, from the demo's own origin, checks the demo's requests in the browser.
    const page404 = await fetch(`${demo.origin}/debugger/no-such-file.js`);
    assert.equal(page404.status, 404);
    const browser = await launch();
    try {
      const page = await browser.newPage();
      const outside = [];
      page.on('request', (r) => { if (!r.url().startsWith(demo.origin)) outside.push(r.url()); });
      await page.goto(`${demo.origin}/debugger/`);
      await page.waitForFunction(() => document.body.dataset.ready === 'true');
      for (const [id, ok, error] of [['demo/valid', true, null], ['demo/bad-redirect', false, 'invalid_redirect_uri'], ['demo/forged-ssa', false, 'invalid_software_statement']]) {
        await page.selectOption('#sample', id);
        await page.click('#validate');
        await page.waitForSelector('#result:not([hidden])');
        const verdict = await page.evaluate(() => ({ ok: document.getElementById('verdict').classList.contains('ok'), text: document.getElementById('verdict').textContent }));
        assert.equal(verdict.ok, ok, `${id}: ${verdict.text}`);
        if (error) assert.ok(verdict.text.includes(error), `${id}: ${verdict.text}`);
      }
      assert.deepEqual(outside, []);
    } finally {
      await browser.close();
    }
  } finally {
    demo.stop();
  }
});
