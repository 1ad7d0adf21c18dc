// The API from the source tree, as Node loads it: results, errors, options, caching.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './helpers.mjs';
import * as dg from '../src/node.js';

const fx = (p) => readFileSync(join(FIXTURES, p), 'utf8').trim();
const cdsJwks = JSON.parse(fx('au/cds-example-jwks.json'));
const wso2Jwks = JSON.parse(fx('uk/wso2-sample/signing.jwks.json'));
const request = fx('uk/wso2-sample/register-post.jws');
const uk = { profile: 'uk-obie-v3.3', issuer: 'https://localbank.com', ssaJwks: wso2Jwks, softwareJwks: wso2Jwks, now: 1751017100 };

test('verifyJws: verdicts, codes, decoded parts', () => {
  const ok = dg.verifyJws(fx('au/cds-example-ssa.jws'), cdsJwks);
  assert.equal(ok.valid, true);
  assert.equal(ok.payload.iss, 'cdr-register');
  assert.equal(ok.code, undefined);
  const bad = dg.verifyJws(fx('au/cds-example-ssa-v1.36-tampered.jws'), JSON.stringify(cdsJwks));
  assert.deepEqual([bad.valid, bad.code], [false, 'jws.signature_invalid']);
  assert.equal(bad.header.kid, 'b8facf2ff39444f781e0be5db4b14f16');
  assert.equal(dg.verifyJws(fx('au/cds-example-ssa.jws'), cdsJwks, { algorithms: ['ES256'] }).code, 'jws.alg_not_allowed');
  assert.equal(dg.verifyJws('a.b.c', '{"keys":[]}').code, 'jws.base64');
  assert.equal(dg.verifyJws(fx('au/cds-example-ssa.jws'), '[]').code, 'jwks.invalid');
});

test('decodeJws: unverified parts, errors for non-JWS', () => {
  const d = dg.decodeJws(request);
  assert.equal(d.verified, false);
  assert.equal(d.payload.iss, 'oQ4KoaavpOuoE7rvQsZEOV');
  assert.equal(d.signingInput, request.slice(0, request.lastIndexOf('.')));
  assert.equal(d.signature, request.slice(request.lastIndexOf('.') + 1));
  assert.throws(() => dg.decodeJws('abc'), { name: 'DcrGuardError', code: 'ERR_DCR_GUARD_JWS_MALFORMED' });
  assert.throws(() => dg.decodeJws(42), { code: 'ERR_DCR_GUARD_INVALID_ARGUMENT' });
});

test('validateRegistration: the report shape of dcr-guard check --json', () => {
  // The default policy (interop) and the 0.1 lenient alias (mock) accept the WSO2 sample, each
  // deviation a warning naming its rule.
  for (const opts of [uk, { ...uk, mode: 'lenient' }, { ...uk, policy: 'mock' }]) {
    const r = dg.validateRegistration(request, opts);
    assert.equal(r.valid, true);
    assert.deepEqual(r.findings.map((f) => [f.code, f.rule]), [['aud.format', 'request.aud_not_org_id'], ['jti.format', 'request.jti_not_uuid'], ['scope.openid_missing', undefined]]);
    assert.equal(r.request.signature, 'valid');
  }
  for (const opts of [{ ...uk, policy: 'spec' }, { ...uk, mode: 'strict' }, { ...uk, policy: { preset: 'spec' } }]) {
    const strict = dg.validateRegistration(request, opts);
    assert.equal(strict.error, 'invalid_client_metadata');
    assert.match(strict.error_description, /aud\.format at \/request\/claims\/aud.*\+1 more error/);
    const f = strict.findings[0];
    assert.deepEqual(Object.keys(f).sort(), ['code', 'fix', 'message', 'pointer', 'rule', 'severity', 'spec', 'stage']);
  }
  // Per-rule overrides, by rule id or by finding code.
  const jtiError = dg.validateRegistration(request, { ...uk, policy: { rules: { 'request.jti_not_uuid': 'error' } } });
  assert.deepEqual(jtiError.findings.filter((f) => f.severity === 'error').map((f) => f.code), ['jti.format']);
  const byCode = dg.validateRegistration(request, { ...uk, policy: { preset: 'spec', rules: { 'aud.format': 'accept', 'jti.format': 'warning' } } });
  assert.equal(byCode.valid, true);
  assert.deepEqual(byCode.findings.map((f) => [f.code, f.severity]), [['jti.format', 'warning'], ['scope.openid_missing', 'warning'], ['aud.format', 'info']]);
});

test('bad options throw stable codes, never traps', () => {
  const cases = [
    [{ ...uk, profile: 'uk-obie-v9' }, 'ERR_DCR_GUARD_CONFIG_PROFILE_UNKNOWN'],
    [{ ...uk, mode: 'loose' }, 'ERR_DCR_GUARD_CONFIG_MODE_UNKNOWN'],
    [{ ...uk, policy: 'loose' }, 'ERR_DCR_GUARD_CONFIG_PRESET_UNKNOWN'],
    [{ ...uk, policy: { rules: { 'jti.formats': 'error' } } }, 'ERR_DCR_GUARD_CONFIG_RULE_UNKNOWN'],
    [{ ...uk, policy: { rules: { 'jti.format': 'fatal' } } }, 'ERR_DCR_GUARD_CONFIG_RULE_UNKNOWN'],
    [{ ...uk, policy: 'spec', mode: 'strict' }, 'ERR_DCR_GUARD_CONFIG_INVALID_OPTION'],
    [{ ...uk, algorithms: ['RS256'] }, 'ERR_DCR_GUARD_CONFIG_ALGORITHM_UNKNOWN'],
    [{ ...uk, clockskew: 5 }, 'ERR_DCR_GUARD_CONFIG_INVALID_OPTION'],
    [{ ...uk, clockSkew: 'soon' }, 'ERR_DCR_GUARD_CONFIG_INVALID_OPTION'],
    [{ ...uk, discovery: '{' }, 'ERR_DCR_GUARD_CONFIG_DISCOVERY_INVALID'],
    [{ ...uk, ssaJwks: '{"keys":' }, 'ERR_DCR_GUARD_JWKS_INVALID'],
    [{ ...uk, ssaJwks: 7 }, 'ERR_DCR_GUARD_INVALID_ARGUMENT'],
    [{ ...uk, now: NaN }, 'ERR_DCR_GUARD_INVALID_ARGUMENT'],
    [{ ...uk, softwareJwks: undefined }, 'ERR_DCR_GUARD_CONFIG_INVALID_OPTION'],
    [null, 'ERR_DCR_GUARD_INVALID_ARGUMENT'],
  ];
  for (const [opts, code] of cases) assert.throws(() => dg.validateRegistration(request, opts), { code }, code);
  // A bad *software* JWKS is the registrant's fault: a finding, not an exception.
  const r = dg.validateRegistration(request, { ...uk, softwareJwks: '{"keys":', mode: 'lenient' });
  assert.deepEqual(r.findings.filter((x) => x.severity === 'error').map((x) => `${x.code} ${x.pointer}`), ['jwks.invalid /software_jwks']);
});

test('now defaults to the current time', () => {
  const { now, ...rest } = uk;
  const r = dg.validateRegistration(request, { ...rest, mode: 'lenient' });
  assert.ok(r.findings.some((f) => f.code === 'time.expired'), 'the 2025 sample has expired by now');
});

test('inspect then check: the fetch happens only for a verified statement', async () => {
  const p1 = dg.inspectRegistration(request, uk);
  assert.equal(p1.softwareJwksUrl, 'https://keystore.openbankingtest.org.uk/0015800001HQQrZAAX/oQ4KoaavpOuoE7rvQsZEOV.jwks');
  assert.equal(p1.kid, 'sCekNgSWIauQ34klRhDGqfwpjc4');
  assert.equal(p1.ssa.signature, 'valid');
  const fetched = [];
  const report = await dg.checkRegistration(request, { ...uk, softwareJwks: undefined, mode: 'lenient', fetchJwks: async (url, hint) => { fetched.push([url, hint.kid]); return wso2Jwks; } });
  assert.equal(report.valid, true);
  assert.deepEqual(fetched, [[p1.softwareJwksUrl, 'sCekNgSWIauQ34klRhDGqfwpjc4']]);
  // Against another directory the statement does not verify: no fetch at all.
  const untrusted = await dg.checkRegistration(request, { ...uk, ssaJwks: cdsJwks, softwareJwks: undefined, fetchJwks: async () => assert.fail('must not fetch') });
  assert.equal(untrusted.error, 'invalid_software_statement');
  assert.equal(dg.inspectRegistration(request, { ...uk, ssaJwks: cdsJwks }).softwareJwksUrl, null);
  await assert.rejects(dg.checkRegistration(request, { ...uk, fetchJwks: async () => { throw new Error('down'); } }), { code: 'ERR_DCR_GUARD_FETCH_FAILED' });
});

test('parsed keys are cached across calls (repeat calls get faster)', () => {
  // Not a timing assertion: the second call must at least give the same answer from the cache.
  const a = dg.verifyJws(fx('au/cds-example-ssa.jws'), cdsJwks);
  const b = dg.verifyJws(fx('au/cds-example-ssa.jws'), cdsJwks);
  assert.deepEqual(a, b);
});
