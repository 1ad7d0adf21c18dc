// The JavaScript the package's entries load, minified (issue 15: what an entry loads counts,
// JS included). Run by scripts/build.mjs after the glues are written; `node scripts/minify.mjs`
// redoes it alone after an edit of src/.
// - lib/<name>.js: each src/<name>.js minified on its own (esbuild's transform, no bundling), so
//   the files, their relative imports ('./api.js', '../dist/…') and the literal
//   `new URL('../dist/….wasm', import.meta.url)` stay as they are: one api.js (one DcrGuardError)
//   however many entries a program imports, and bundlers see the same graph. package.json's
//   exports point here; src/ stays the readable source (the tests that import it directly, the
//   debugger page in site/).
// - dist/dcr_guard_wasm*.js: the wasm-bindgen glues, minified in place.
// Names are minified (nothing in the package reads a function's or class's `name`; DcrGuardError
// sets its own), comments dropped, syntax left as written (no target lowering).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

const js = dirname(dirname(fileURLToPath(import.meta.url)));

const minify = (file) => transformSync(readFileSync(file, 'utf8'), { minify: true, format: 'esm', legalComments: 'none', sourcefile: file }).code;

export function minifyPackage() {
  const lib = join(js, 'lib');
  rmSync(lib, { recursive: true, force: true });
  mkdirSync(lib);
  for (const name of readdirSync(join(js, 'src')).filter((f) => f.endsWith('.js'))) {
    writeFileSync(join(lib, name), minify(join(js, 'src', name)));
  }
  for (const name of readdirSync(join(js, 'dist')).filter((f) => /^dcr_guard_wasm(_\w+)?\.js$/.test(f))) {
    const file = join(js, 'dist', name);
    writeFileSync(file, minify(file));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) minifyPackage();
