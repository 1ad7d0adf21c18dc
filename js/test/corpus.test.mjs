// One corpus, several runners: the DCR corpus and the JWS vectors through the npm API of the
// freshly installed tarball, with the verdicts and codes the Rust runners assert.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { dcrCases, joseVectors, installed, mismatch } from './helpers.mjs';

const { pkg } = installed();
const dg = await import(pathToFileURL(join(pkg, 'src', 'node.js')).href);

test('DCR corpus through validateRegistration and checkRegistration', async () => {
  const cases = dcrCases();
  assert.ok(cases.length >= 500, `only ${cases.length} cases`);
  const failures = [];
  for (const c of cases) {
    const report = dg.validateRegistration(c.token, c.options);
    const m = mismatch(report, c.expect);
    if (m) failures.push(`${c.id} (validateRegistration): ${m}`);
    const { softwareJwks, ...rest } = c.options;
    const async = await dg.checkRegistration(c.token, { ...rest, fetchJwks: async () => softwareJwks });
    // checkRegistration skips the fetch when phase 1 already rejects, so only verdict and
    // RFC 7591 error must agree; findings agree too unless the fetch was skipped.
    if (async.valid !== report.valid || async.error !== report.error) failures.push(`${c.id} (checkRegistration): ${async.error} vs ${report.error}`);
  }
  console.log(`node (installed tarball): ${cases.length} DCR cases, ${failures.length} failures`);
  assert.deepEqual(failures, []);
});

test('JWS vectors through verifyJws', () => {
  const vectors = joseVectors();
  const failures = [];
  for (const v of vectors) {
    const r = dg.verifyJws(v.token, v.jwks, { algorithms: v.algorithms });
    const got = r.valid ? 'valid' : r.code;
    if (got !== v.expect) failures.push(`${v.id}: expected ${v.expect}, got ${got}`);
  }
  console.log(`node (installed tarball): ${vectors.length} JWS vectors, ${failures.length} failures`);
  assert.deepEqual(failures, []);
});
