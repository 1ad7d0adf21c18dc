// The real-world corpus (tests/vectors/realworld/manifest.json) through the npm API of the
// freshly installed tarball in Node, under every policy preset, with the verdict, RFC 7591 error
// and exact multiset of error findings the manifest states (the core's runner is
// crates/core/tests/realworld.rs); the conformance-dcr happy path with no policy options; and
// per-rule overrides. Chromium and workerd run the default preset in browser.test.mjs and
// workerd.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { HAPPY_PATH, PRESETS, errorPairs, fetchingExpect, installed, policyProbes, probeMismatch, realworldCases, realworldMismatch } from './helpers.mjs';

const { pkg } = installed();
const dg = await import(pathToFileURL(join(pkg, 'src', 'node.js')).href);

test('real-world corpus through validateRegistration and checkRegistration, every preset', async () => {
  const cases = realworldCases();
  assert.ok(cases.length >= 39, `the real-world corpus shrank to ${cases.length} cases`);
  const failures = [];
  const accepted = Object.fromEntries(PRESETS.map((p) => [p, 0]));
  let refusedFetches = 0;
  for (const c of cases) {
    // interop is the default: no policy option at all, then each preset by name, and the 0.1
    // aliases (mode strict = spec, lenient = mock).
    const runs = [
      ['interop', 'no policy option', {}],
      ...PRESETS.map((p) => [p, `policy ${p}`, { policy: p }]),
      ['spec', 'policy { preset: spec }', { policy: { preset: 'spec' } }],
      ['spec', 'mode strict', { mode: 'strict' }],
      ['mock', 'mode lenient', { mode: 'lenient' }],
    ];
    for (const [preset, how, policy] of runs) {
      const report = dg.validateRegistration(c.token, { ...c.options, ...policy });
      const m = realworldMismatch(report, c.expect[preset]);
      if (m) failures.push(`${c.id} (validateRegistration, ${how}): ${m}`);
      if (how === `policy ${preset}` && report.valid) accepted[preset] += 1;
    }
    // The fetching entry: the software key set comes from fetchJwks, asked for with the URL the
    // verified statement names, or never (fetch guard).
    for (const preset of PRESETS) {
      const { softwareJwks, ...rest } = c.options;
      const fetched = [];
      const fetchJwks = async (url) => {
        fetched.push(url);
        return softwareJwks;
      };
      const report = await dg.checkRegistration(c.token, { ...rest, ...(preset === 'interop' ? {} : { policy: preset }), fetchJwks });
      const want = fetchingExpect(c, preset);
      const m = realworldMismatch(report, want);
      if (m) failures.push(`${c.id} (checkRegistration, ${preset}): ${m}`);
      const refused = want !== c.expect[preset];
      if (refused) refusedFetches += 1;
      // Valid: exactly the statement's key set was fetched; refused by the guard: nothing was;
      // otherwise at most that key set.
      const allowed = refused ? [] : [c.keySetUrl];
      const ok = want.valid ? fetched.length === 1 && fetched[0] === c.keySetUrl : fetched.every((u) => allowed.includes(u)) && fetched.length <= 1;
      if (!ok) failures.push(`${c.id} (checkRegistration, ${preset}): fetched ${JSON.stringify(fetched)} (statement names ${c.keySetUrl})`);
    }
  }
  console.log(`node (installed tarball): ${cases.length} real-world cases × ${PRESETS.length} presets (accepted: ${PRESETS.map((p) => `${p} ${accepted[p]}`).join(', ')}; ${refusedFetches} fetch-guard refusals in checkRegistration), ${failures.length} failures`);
  assert.deepEqual(failures, []);
  // Deleting data must not make this pass: each preset accepts some and rejects some.
  for (const p of PRESETS) assert.ok(accepted[p] > 0 && accepted[p] < cases.length, `${p}: ${accepted[p]} accepted`);
});

test('the conformance-dcr happy path is accepted with no policy options', async () => {
  const c = realworldCases().find((x) => x.id === HAPPY_PATH);
  // The shape the issue names: a lower-case UUIDv4 jti, aud = the bank's OB organisation ID, PS256.
  const [header, claims] = c.token.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url')));
  assert.match(claims.jti, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(header.alg, 'PS256');
  assert.deepEqual([claims.aud], c.options.audiences);
  assert.match(claims.aud, /^[0-9A-Za-z]{18}$/);
  const { softwareJwks, ...rest } = c.options;
  const reports = [dg.validateRegistration(c.token, c.options), await dg.checkRegistration(c.token, { ...rest, fetchJwks: async () => softwareJwks })];
  for (const r of reports) {
    assert.equal(r.valid, true);
    assert.equal(r.error, undefined);
    assert.deepEqual(errorPairs(r), []);
    assert.deepEqual(r.findings.filter((f) => f.code === 'jti.format' || f.pointer === '/request/claims/jti'), []);
  }
  // The letter of the data dictionary (an upper-case UUID) is still one preset away.
  const spec = dg.validateRegistration(c.token, { ...c.options, policy: 'spec' });
  assert.deepEqual([spec.error, errorPairs(spec), spec.findings[0].rule], ['invalid_client_metadata', ['jti.format /request/claims/jti'], 'request.jti_uuid_case']);
});

test('per-rule overrides: by rule id, by finding code, accepting what a preset refuses, unknown keys', async () => {
  const cases = realworldCases();
  const happy = cases.find((x) => x.id === HAPPY_PATH);
  const hsbc = cases.find((x) => x.id === 'open-banking-connector/hsbc-aud-issuer-url');
  const run = (c, policy) => dg.validateRegistration(c.token, { ...c.options, policy });
  // An accepted deviation made an error: by rule id (a quiet rule: accepted, it is not reported).
  const byId = run(happy, { rules: { 'request.jti_uuid_case': 'error' } });
  assert.deepEqual([byId.valid, byId.error, errorPairs(byId), byId.findings[0].rule], [false, 'invalid_client_metadata', ['jti.format /request/claims/jti'], 'request.jti_uuid_case']);
  // By finding code: every rule reporting it (aud.format: the issuer URL as UK aud, a warning by default).
  assert.deepEqual(run(hsbc, undefined).findings.map((f) => [f.severity, f.code, f.rule]), [['warning', 'aud.format', 'request.aud_not_org_id']]);
  const byCode = run(hsbc, { rules: { 'aud.format': 'error' } });
  assert.deepEqual([byCode.valid, byCode.error, errorPairs(byCode)], [false, 'invalid_client_metadata', ['aud.format /request/claims/aud']]);
  // What spec refuses, accepted: the lower-case UUID (quiet), the issuer URL as aud (info).
  assert.equal(run(happy, 'spec').valid, false);
  const accepted = run(happy, { preset: 'spec', rules: { 'request.jti_uuid_case': 'accept' } });
  assert.deepEqual([accepted.valid, accepted.findings], [true, []]);
  const info = run(hsbc, { preset: 'spec', rules: { 'aud.format': 'accept', 'request.jti_uuid_case': 'accept' } });
  assert.deepEqual([info.valid, info.findings.map((f) => [f.severity, f.code, f.rule])], [true, [['info', 'aud.format', 'request.aud_not_org_id']]]);
  // The fetching entry takes the same policy.
  const { softwareJwks, ...rest } = happy.options;
  const fetched = await dg.checkRegistration(happy.token, { ...rest, policy: { rules: { 'request.jti_uuid_case': 'error' } }, fetchJwks: async () => softwareJwks });
  assert.deepEqual(errorPairs(fetched), ['jti.format /request/claims/jti']);
  // The probes Chromium and workerd run, here too (so they are known to hold in Node).
  for (const p of policyProbes()) {
    let result;
    try {
      result = dg.validateRegistration(p.token, p.options);
    } catch (e) {
      result = { threw: e.code };
    }
    assert.equal(probeMismatch(result, p.want), null, p.name);
  }
  // A typo never silently keeps a decision.
  for (const rules of [{ 'request.jti_uuid_cases': 'error' }, { 'jti.formats': 'accept' }]) {
    assert.throws(() => run(happy, { rules }), { name: 'DcrGuardError', code: 'ERR_DCR_GUARD_CONFIG_RULE_UNKNOWN' });
    await assert.rejects(dg.checkRegistration(happy.token, { ...rest, policy: { rules }, fetchJwks: async () => assert.fail('must not fetch') }), { code: 'ERR_DCR_GUARD_CONFIG_RULE_UNKNOWN' });
  }
});
