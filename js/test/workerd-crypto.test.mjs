// The backends must agree inside workerd too, where WebCrypto is BoringSSL (Node's is OpenSSL):
// the whole DCR corpus through checkRegistration with WebCrypto vs the wasm backend (whole
// reports), the JWS vectors through verifyJwsAsync, and every Wycheproof case through workerd's
// WebCrypto vs the wasm backend. The package's API module, WebCrypto backend and test build of
// the module are bundled by wrangler and run in Miniflare's workerd. Any disagreement fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JS, bundledWorker, dcrCases, joseVectors } from './helpers.mjs';
import { wycheproofCases } from './wycheproof.mjs';

test('workerd: WebCrypto (BoringSSL) and the wasm backend agree on the corpus, the JWS vectors and Wycheproof', async () => {
  const app = mkdtempSync(join(tmpdir(), 'dcr-guard-workerd-crypto-'));
  writeFileSync(join(app, 'worker.mjs'), `
import { createApi } from ${JSON.stringify(join(JS, 'src', 'api.js'))};
import { webVerify } from ${JSON.stringify(join(JS, 'src', 'webcrypto.js'))};
import * as glue from ${JSON.stringify(join(JS, 'dist-test', 'dcr_guard_wasm.js'))};
import wasm from ${JSON.stringify(join(JS, 'dist-test', 'dcr_guard_wasm_bg.wasm'))};
const api = createApi(() => wasm, glue, { async: webVerify });
const hex = (s) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));
export default {
  async fetch(request) {
    const { cases = [], vectors = [], wycheproof = [] } = await request.json();
    const diffs = [];
    for (const c of cases) {
      const software = c.options.softwareJwks;
      const opts = { ...c.options, softwareJwks: undefined, fetchJwks: async () => software };
      const wasmReport = await api.checkRegistration(c.token, { ...opts, crypto: 'wasm' });
      const hostReport = await api.checkRegistration(c.token, opts);
      if (JSON.stringify(wasmReport) !== JSON.stringify(hostReport)) diffs.push(c.id + ': checkRegistration');
    }
    for (const v of vectors) {
      const opts = v.algorithms ? { algorithms: v.algorithms } : {};
      const a = await api.verifyJwsAsync(v.token, v.jwks, { ...opts, crypto: 'wasm' });
      const b = await api.verifyJwsAsync(v.token, v.jwks, opts);
      if (JSON.stringify(a) !== JSON.stringify(b)) diffs.push(v.id + ': verifyJwsAsync');
    }
    let accepted = 0;
    for (const w of wycheproof) {
      const msg = hex(w.msg), sig = hex(w.sig);
      const r = api.__rawCheck(w.jwk, w.alg, msg, sig);
      const host = !r.keyError && !r.shapeError && (await webVerify(w.alg, 'wp ' + w.jwk, () => r.jwk, msg, sig)) === true;
      if (host !== r.wasm) diffs.push(w.id + ': WebCrypto ' + host + ', wasm ' + r.wasm);
      if (w.expect !== null && r.wasm !== w.expect) diffs.push(w.id + ': expected ' + w.expect);
      accepted += r.wasm ? 1 : 0;
    }
    return Response.json({ diffs, accepted });
  },
};`);
  const { mf, files } = bundledWorker(app, 'dcr-guard-crypto');
  try {
    assert.ok(files.some((f) => f.endsWith('.wasm')), 'the test module is bundled');
    const cases = dcrCases();
    const batches = [];
    for (let i = 0; i < cases.length; i += 200) batches.push({ cases: cases.slice(i, i + 200) });
    batches.push({ vectors: joseVectors(), wycheproof: wycheproofCases() });
    const diffs = [];
    let accepted = 0;
    for (const batch of batches) {
      const res = await mf.dispatchFetch('http://localhost/', { method: 'POST', body: JSON.stringify(batch) });
      assert.equal(res.status, 200, await res.clone().text());
      const r = await res.json();
      diffs.push(...r.diffs);
      accepted += r.accepted;
    }
    console.log(`workerd: ${cases.length} DCR cases, ${joseVectors().length} JWS vectors, ${wycheproofCases().length} Wycheproof cases (${accepted} accepted): ${diffs.length} disagreements`);
    assert.deepEqual(diffs, []);
  } finally {
    await mf.dispose();
    rmSync(app, { recursive: true, force: true });
  }
});
