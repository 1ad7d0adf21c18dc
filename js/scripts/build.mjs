// Builds the package's WebAssembly: cargo (wasm32-unknown-unknown, profile wasm-release: opt-level s) → wasm-bindgen
// --target web (pinned to the crate's version) → glue patch (its own loader cut, re-instantiation
// after a trap added) → wasm-opt -Oz from npm binaryen (never Debian's). Output, in js/dist/ (shipped):
// - dcr_guard_wasm: the module with the pure-Rust signature backend (`dcr-guard/sync`: the
//   synchronous functions in browsers and workerd, and `crypto: 'wasm'` everywhere);
// - dcr_guard_wasm_host: the same module without it (default features off), which the default
//   entry (`dcr-guard`) runs in Node and workerd: node:crypto or WebCrypto answers every signature
//   check there, so the pure-Rust crypto (about 30 KB gzip) is not read, compiled or instantiated;
// - dcr_guard_wasm_web: dcr_guard_wasm_host at opt-level z (profile wasm-web) with lol_alloc's
//   small allocator (feature small-alloc), the default entry's module in browsers and bundlers,
//   where the download counts more than 20 µs per validation.
// Then scripts/minify.mjs: the glues minified in place, and lib/ (the entries package.json
// exports: src/ minified file by file).
// With --test, also js/dist-test/ (a build with the test-only `test-trap` export, never shipped).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, statSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minifyPackage } from './minify.mjs';

const js = dirname(dirname(fileURLToPath(import.meta.url)));
const root = dirname(js);
const WASM_BINDGEN = '0.2.130';
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });

const version = execFileSync('wasm-bindgen', ['--version'], { encoding: 'utf8' }).trim();
if (version !== `wasm-bindgen ${WASM_BINDGEN}`) {
  throw new Error(`wasm-bindgen ${WASM_BINDGEN} is required (found "${version}"); run ./scripts/setup.sh`);
}
const wasmOpt = join(root, 'node_modules', '.bin', 'wasm-opt');

/** The glue keeps its instance in module state; this export lets the wrapper start over. */
const REINIT = `
/** dcr-guard: drop a trapped instance and instantiate the module again (see src/api.js). */
export function __dcrGuardReinit(module) {
    wasm = undefined;
    return initSync({ module });
}
`;

/**
 * Cuts the glue's own asynchronous loader (`__wbg_load`, `__wbg_init`): src/loader.js
 * compiles the module and the glue only instantiates it (`initSync`). That loader holds a
 * `new URL('…_bg.wasm', import.meta.url)`, which bundlers follow: each glue in a bundle would
 * emit its .wasm (both modules, where an entry needs one). Throws if the glue's shape changed.
 */
function trimGlue(text) {
  const cut = (from, to, keep = '') => {
    const a = text.indexOf(from);
    const b = text.indexOf(to, a);
    if (a < 0 || b < 0) throw new Error(`build: the wasm-bindgen glue no longer has ${JSON.stringify(from)} … ${JSON.stringify(to)}`);
    text = text.slice(0, a) + keep + text.slice(b + to.length);
  };
  cut('async function __wbg_load(', '\n}\n', '');
  cut('let __wbg_init_promise;', 'export { initSync, __wbg_init as default };', 'export { initSync };');
  if (text.includes('import.meta')) throw new Error('build: the trimmed glue still refers to import.meta');
  return text;
}

/** `cargoArgs`: feature flags; `name`: the output's base name in `outDir`; `profile`: the cargo profile. */
function build(cargoArgs, outDir, name = 'dcr_guard_wasm', profile = 'wasm-release') {
  const target = join(root, 'target', 'wasm-npm');
  run('cargo', ['build', '--profile', profile, '--target', 'wasm32-unknown-unknown', '-p', 'dcr-guard-wasm', ...cargoArgs], {
    // SHA-256 (key thumbprints, the statement's hash) in its compact form: one loop over the
    // 64 rounds instead of sha2's unrolled ones, 2.2 KB gzip less for a few blocks per key set
    // (docs/performance.md).
    env: { ...process.env, CARGO_TARGET_DIR: target, RUSTFLAGS: [process.env.RUSTFLAGS, '--cfg sha2_backend_soft="compact"'].filter(Boolean).join(' ') },
  });
  mkdirSync(outDir, { recursive: true });
  run('wasm-bindgen', ['--target', 'web', '--out-dir', outDir, '--out-name', name, '--no-typescript',
    join(target, 'wasm32-unknown-unknown', profile, 'dcr_guard_wasm.wasm')]);
  const glue = join(outDir, `${name}.js`);
  writeFileSync(glue, trimGlue(readFileSync(glue, 'utf8')) + REINIT);
  const wasm = join(outDir, `${name}_bg.wasm`);
  run(wasmOpt, ['-Oz', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
    '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue', wasm, '-o', wasm]);
  return { glue, wasm };
}

const withTests = process.argv.includes('--test');
for (const dir of withTests ? ['dist', 'dist-test'] : ['dist']) rmSync(join(js, dir), { recursive: true, force: true });
const shipped = build([], join(js, 'dist'));
const hostOnly = build(['--no-default-features'], join(js, 'dist'), 'dcr_guard_wasm_host');
const web = build(['--no-default-features', '--features', 'small-alloc'], join(js, 'dist'), 'dcr_guard_wasm_web', 'wasm-web');
minifyPackage();
run(process.execPath, [join(js, 'scripts', 'samples.mjs')]);
if (withTests) build(['--features', 'test-trap'], join(js, 'dist-test'));

const size = (f) => { const b = readFileSync(f); return { raw: statSync(f).size, gzip: gzipSync(b, { level: 9 }).length }; };
for (const [name, f] of [['wasm', shipped.wasm], ['glue', shipped.glue], ['wasm', hostOnly.wasm], ['glue', hostOnly.glue], ['wasm', web.wasm], ['glue', web.glue]]) {
  const s = size(f);
  console.log(`${name.padEnd(5)} ${String(s.raw).padStart(8)} B raw ${String(s.gzip).padStart(8)} B gzip  ${f}`);
}
