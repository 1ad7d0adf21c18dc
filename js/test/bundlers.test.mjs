// The installed tarball through each bundler a web app may use, with no bundler configuration
// beyond naming the entry: esbuild (its default IIFE, and --format=esm), Vite, webpack and
// Rollup (with @rollup/plugin-node-resolve, without which it bundles no package at all), and a
// plain <script type="module"> page with an import map. Each app is built in its own folder next
// to the fresh install, served on 127.0.0.1 and run in one headless Chromium: a real
// checkRegistration and verifyJwsAsync on a corpus case. esbuild and Rollup do not copy the
// .wasm (they leave `new URL(…, import.meta.url)` alone): their apps use the documented
// `init({ wasm })` path, as the README shows. One more Vite app uses `dcr-guard/sync` (init,
// then the synchronous validateRegistration and verifyJws). Then the failure path: with every
// .wasm answered 404, the first call rejects with ERR_DCR_GUARD_WASM_LOAD and nothing is left
// uncaught. Prints each bundler's output size (JS and wasm, raw and gzip) for
// docs/performance.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { build as viteBuild } from 'vite';
import webpack from 'webpack';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { dcrCases, installed, launch, serve } from './helpers.mjs';
import { loadedFiles } from '../scripts/loaded.mjs';

const { dir, pkg } = installed();
/** The module of the default entry in browsers (without the pure-Rust crypto, built for size). */
const HOST_WASM = 'dcr_guard_wasm_web_bg.wasm';
/** The module of `dcr-guard/sync` (with the pure-Rust crypto). */
const SYNC_WASM = 'dcr_guard_wasm_bg.wasm';

/** The app: one function the page calls, doing what a user's code would. `wasm` is how it calls init (or not). */
const appSource = ({ head = '', wasm = null } = {}) => `${head}
import { init, checkRegistration, verifyJwsAsync, DcrGuardError } from 'dcr-guard';
window.unhandled = [];
window.addEventListener('unhandledrejection', (e) => window.unhandled.push(String(e.reason)));
window.run = async ({ token, options, jws, jwks }) => {
  try {
    ${wasm ? `await init({ wasm: ${wasm} });` : ''}
    const { softwareJwks, ...rest } = options;
    const report = await checkRegistration(token, { ...rest, fetchJwks: async () => softwareJwks });
    const verdict = await verifyJwsAsync(jws, jwks);
    return { valid: report.valid, error: report.error ?? null, verified: verdict.valid };
  } catch (e) {
    return { threw: e instanceof DcrGuardError ? 'DcrGuardError' : String(e), code: e.code, cause: e.cause ? 'attached' : 'none' };
  }
};
document.title = 'ready';
`;
/** The same through `dcr-guard/sync`: init, then the synchronous functions verify in wasm. */
const syncAppSource = () => `
import { init, validateRegistration, verifyJws, DcrGuardError } from 'dcr-guard/sync';
window.unhandled = [];
window.addEventListener('unhandledrejection', (e) => window.unhandled.push(String(e.reason)));
window.run = async ({ token, options, jws, jwks }) => {
  try {
    await init();
    const report = validateRegistration(token, options);
    return { valid: report.valid, error: report.error ?? null, verified: verifyJws(jws, jwks).valid };
  } catch (e) {
    return { threw: e instanceof DcrGuardError ? 'DcrGuardError' : String(e), code: e.code, cause: e.cause ? 'attached' : 'none' };
  }
};
document.title = 'ready';
`;
const page = (script, type = 'module') => `<!doctype html><meta charset="utf-8"><title>loading</title><script ${type === 'module' ? 'type="module" ' : ''}src="${script}"></script>`;

/** Copies the module next to a bundle, as a user does for a bundler that does not. */
const copyWasm = (out) => copyFileSync(join(pkg, 'dist', HOST_WASM), join(out, HOST_WASM));

const APPS = {
  'esbuild (default: iife)': async (app, out) => {
    writeFileSync(join(app, 'main.js'), appSource({ wasm: `'./${HOST_WASM}'` }));
    await esbuild.build({ entryPoints: [join(app, 'main.js')], bundle: true, outfile: join(out, 'main.js'), logLevel: 'error' });
    copyWasm(out);
    writeFileSync(join(out, 'index.html'), page('main.js', 'classic'));
  },
  'esbuild --format=esm': async (app, out) => {
    writeFileSync(join(app, 'main.js'), appSource({ wasm: `'./${HOST_WASM}'` }));
    await esbuild.build({ entryPoints: [join(app, 'main.js')], bundle: true, format: 'esm', outfile: join(out, 'main.js'), logLevel: 'error' });
    copyWasm(out);
    writeFileSync(join(out, 'index.html'), page('main.js'));
  },
  vite: async (app, out) => {
    writeFileSync(join(app, 'main.js'), appSource());
    writeFileSync(join(app, 'index.html'), page('./main.js'));
    await viteBuild({ root: app, logLevel: 'error', build: { outDir: out, emptyOutDir: true } });
  },
  'vite, dcr-guard/sync': async (app, out) => {
    writeFileSync(join(app, 'main.js'), syncAppSource());
    writeFileSync(join(app, 'index.html'), page('./main.js'));
    await viteBuild({ root: app, logLevel: 'error', build: { outDir: out, emptyOutDir: true } });
    return SYNC_WASM;
  },
  webpack: async (app, out) => {
    writeFileSync(join(app, 'main.js'), appSource());
    const stats = await new Promise((resolve, reject) =>
      webpack({ mode: 'production', context: app, entry: './main.js', output: { path: out } }, (err, s) => (err ? reject(err) : resolve(s))),
    );
    assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
    writeFileSync(join(out, 'index.html'), page('main.js', 'classic'));
  },
  'rollup + node-resolve': async (app, out) => {
    writeFileSync(join(app, 'main.js'), appSource({ wasm: `'./${HOST_WASM}'` }));
    const bundle = await rollup({ input: join(app, 'main.js'), plugins: [nodeResolve({ browser: true })], onwarn: () => {} });
    await bundle.write({ file: join(out, 'main.js'), format: 'es' });
    await bundle.close();
    copyWasm(out);
    writeFileSync(join(out, 'index.html'), page('main.js'));
  },
};

function files(root) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(root);
  return out;
}

/** JS and wasm of an app's output, raw and gzip (level 9, file by file). */
function outputSize(paths) {
  const s = { js: 0, jsGzip: 0, wasm: 0, wasmGzip: 0 };
  for (const p of paths) {
    const kind = p.endsWith('.wasm') ? 'wasm' : p.endsWith('.js') ? 'js' : null;
    if (!kind) continue;
    const bytes = readFileSync(p);
    s[kind] += bytes.length;
    s[`${kind}Gzip`] += gzipSync(bytes, { level: 9 }).length;
  }
  return s;
}

test('every bundler, no configuration: checkRegistration and verifyJwsAsync in Chromium, and a missing .wasm rejected', { timeout: 300_000 }, async () => {
  const c = dcrCases().find((x) => x.id === 'uk-obie-v3.3/baseline');
  const ssa = JSON.parse(Buffer.from(c.token.split('.')[1], 'base64url')).software_statement;
  const input = { token: c.token, options: c.options, jws: ssa, jwks: c.options.ssaJwks };

  const root = join(dir, 'bundler-apps');
  rmSync(root, { recursive: true, force: true });
  const targets = [];
  for (const [name, buildApp] of Object.entries(APPS)) {
    const app = join(root, name.replace(/[^a-z]+/g, '-'));
    const out = join(app, 'out');
    mkdirSync(out, { recursive: true });
    const t = performance.now();
    const expected = (await buildApp(app, out)) ?? HOST_WASM;
    const emitted = files(out);
    const wasm = emitted.filter((p) => p.endsWith('.wasm'));
    // One module, the entry's own: the glues no longer point bundlers at theirs.
    assert.equal(wasm.length, 1, `${name}: emitted ${wasm.map((p) => relative(out, p))}`);
    assert.equal(statSync(wasm[0]).size, statSync(join(pkg, 'dist', expected)).size, `${name}: the emitted .wasm is ${expected}`);
    targets.push({ name, root: out, path: '/index.html', wasm: wasm[0].split('/').pop(), size: outputSize(emitted), ms: performance.now() - t });
  }
  // The plain page: the installed package as it is, through an import map.
  writeFileSync(join(root, 'plain.mjs'), appSource());
  writeFileSync(join(root, 'plain.html'), `<!doctype html><meta charset="utf-8"><title>loading</title>
<script type="importmap">{ "imports": { "dcr-guard": "/node_modules/dcr-guard/lib/browser.js" } }</script>
<script type="module" src="/bundler-apps/plain.mjs"></script>`);
  const plainFiles = loadedFiles(pkg, 'lib/browser.js').map((f) => join(pkg, f));
  targets.push({ name: 'plain <script type="module">', root: dir, path: '/bundler-apps/plain.html', wasm: HOST_WASM, size: outputSize(plainFiles), ms: 0 });

  const browser = await launch();
  const results = [];
  try {
    for (const target of targets) {
      const server = await serve(target.root);
      try {
        const url = `http://127.0.0.1:${server.address().port}${target.path}`;
        for (const missing of [false, true]) {
          const tab = await browser.newPage();
          const errors = [];
          const wasmRequests = [];
          tab.on('pageerror', (e) => errors.push(e.message));
          tab.on('request', (r) => r.url().endsWith('.wasm') && wasmRequests.push(r.url().split('/').pop()));
          if (missing) await tab.route('**/*.wasm', (route) => route.fulfill({ status: 404, body: 'not found' }));
          await tab.goto(url);
          await tab.waitForFunction(() => document.title === 'ready');
          const outcome = await tab.evaluate((i) => window.run(i), input);
          await tab.waitForTimeout(50); // an unhandled rejection would be reported by now
          const unhandled = await tab.evaluate(() => window.unhandled);
          await tab.close();
          results.push({ name: target.name, wasm: target.wasm, missing, outcome, errors, unhandled, wasmRequests });
        }
      } finally {
        server.close();
      }
    }
  } finally {
    await browser.close();
  }

  const kb = (b) => (b / 1000).toFixed(1);
  console.log('| bundler | JS raw KB | JS gzip KB | wasm raw KB | wasm gzip KB | total gzip KB | build ms |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const t of targets) {
    const s = t.size;
    console.log(`| ${t.name} | ${kb(s.js)} | ${kb(s.jsGzip)} | ${kb(s.wasm)} | ${kb(s.wasmGzip)} | ${kb(s.jsGzip + s.wasmGzip)} | ${t.ms.toFixed(0)} |`);
  }
  const failures = [];
  for (const r of results) {
    const want = r.missing
      ? { threw: 'DcrGuardError', code: 'ERR_DCR_GUARD_WASM_LOAD', cause: 'attached' }
      : { valid: true, error: null, verified: true };
    try {
      assert.deepEqual(r.outcome, want);
      assert.deepEqual(r.errors, [], 'no uncaught error');
      assert.deepEqual(r.unhandled, [], 'no unhandled rejection');
      assert.deepEqual(r.wasmRequests, [r.wasm], 'the emitted module, fetched once');
    } catch (e) {
      failures.push(`${r.name}${r.missing ? ' (missing .wasm)' : ''}: ${e.message.split('\n')[0]} ${JSON.stringify(r)}`);
    }
  }
  console.log(`${targets.length} apps x 2 (served, .wasm missing) in one Chromium: ${failures.length} failures`);
  assert.deepEqual(failures, []);
});
