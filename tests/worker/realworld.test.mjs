// The real-world corpus (tests/vectors/realworld/manifest.json) over HTTP through the Worker in
// workerd, under every policy preset (test build: the clock comes from DCR_TEST_NOW), and the
// policy variables (DCR_POLICY, DCR_RULES, DCR_MODE) on real-world cases. The default preset
// runs with no DCR_POLICY at all.
//
// Each configuration of the corpus is one Worker (its own variables, directory peer and
// recording origin, routed by DCR_PATH_PREFIX), and all of them run in one workerd per preset.
// The Worker fetches the software key set the statement names (the test's directory peer
// serves the case's set), so its answer is the fetching host's (js/test/helpers.mjs
// fetchingExpect): the manifest's `expect`, except where the fetch guard refuses the named URL.
// Over HTTP a rejection shows its RFC 7591 error and the error finding codes
// (DCR-Guard-Findings), not their pointers.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Miniflare } from 'miniflare';
import { Guard, baseVars } from './harness.mjs';
import { HAPPY_PATH, PRESETS, fetchingExpect, realworldCases } from '../../js/test/helpers.mjs';

const CASES = realworldCases();
const instances = [];
after(() => Promise.all(instances.map((mf) => mf.dispose())));

/** The corpus by configuration: the operation and the client certificate are per request. */
function groups() {
  const byConfig = new Map();
  for (const c of CASES) {
    const { operation, client_cert_subject_dn: dn, ...shared } = c.config;
    const key = JSON.stringify(shared);
    if (!byConfig.has(key)) byConfig.set(key, { cfg: shared, options: c.options, cases: [] });
    byConfig.get(key).cases.push({ ...c, operation, dn });
  }
  return [...byConfig.values()];
}

/** The Worker's variables for a configuration, under `prefix`, with the policy variables in `policy`. */
function vars({ cfg, options }, prefix, policy) {
  const base = baseVars();
  const v = {
    ...base,
    // The corpus names one key-set host beyond the harness's (the ACCC tokenizer test's).
    DCR_HOST_BINDINGS: `${base.DCR_HOST_BINDINGS},fintechx.io=DIRECTORY`,
    DCR_JWKS_ALLOWED_HOSTS: `${base.DCR_JWKS_ALLOWED_HOSTS},fintechx.io`,
    DCR_PROFILE: cfg.profile,
    DCR_ISSUER: cfg.issuer,
    DCR_TEST_NOW: String(cfg.now),
    DCR_DIRECTORY_JWKS: JSON.stringify(options.ssaJwks),
    DCR_PATH_PREFIX: prefix,
    // The corpus's PUT carries an opaque token and no bank key set exists here: management
    // tokens pass through (their checks are tested in checks.test.mjs).
    DCR_MANAGEMENT_TOKENS: 'pass',
    ...policy,
  };
  if (cfg.audiences?.length) v.DCR_AUDIENCES = cfg.audiences.join(',');
  // A deployment in the ACCC mock environment names the mock recipient's host:port; the test's
  // directory binding serves it.
  if (cfg.jwks_hosts) {
    v.DCR_JWKS_ALLOWED_HOSTS = `${v.DCR_JWKS_ALLOWED_HOSTS},${cfg.jwks_hosts.join(',')}`;
    v.DCR_HOST_BINDINGS = `${v.DCR_HOST_BINDINGS},${cfg.jwks_hosts.map((h) => `${h.split(':')[0]}=DIRECTORY`).join(',')}`;
  }
  if (cfg.trusted_ssa_issuers) v.DCR_TRUSTED_SSA_ISSUERS = cfg.trusted_ssa_issuers.join(',');
  if (options.discovery) v.DCR_DISCOVERY = JSON.stringify(options.discovery);
  return v;
}

/**
 * One workerd running one Worker per configuration: `workers` is [{ group, policy }]; returns a
 * Guard per entry (its records, and `fetch` under its prefix) sharing the instance.
 */
async function startAll(workers) {
  const guards = workers.map(({ group, policy }, i) => {
    const guard = new Guard({ build: 'test', cache: false });
    const software = JSON.stringify(group.options.softwareJwks);
    // UK statements name revoked key sets too (the revocation check is on by default): a real
    // one does not list the registrant's live keys, so those URLs serve an empty set.
    guard.directory = (request) =>
      new Response(/revoked/i.test(new URL(request.url).pathname) ? '{"keys":[]}' : software, { headers: { 'content-type': 'application/json' } });
    guard.prefix = `/w${i}`;
    guard.workerOptions = { ...guard.options(vars(group, guard.prefix, policy)), name: `w${i}`, routes: [`bank.example${guard.prefix}/*`] };
    return guard;
  });
  const mf = new Miniflare({ cf: false, workers: guards.map((g) => { const { cf, ...o } = g.workerOptions; return o; }) });
  instances.push(mf);
  await mf.ready;
  // Guard.fetch dispatches through its instance: here the shared one, routed by prefix.
  for (const g of guards) g.mf = mf;
  return guards;
}

/** Sends a case as its source does: POST /register, or PUT /register/{client_id} with a bearer token. */
function send(guard, c) {
  const update = c.operation?.kind === 'update';
  return guard.fetch(`${guard.prefix}${update ? `/register/${c.operation.client_id}` : '/register'}`, {
    method: update ? 'PUT' : 'POST',
    body: c.token,
    headers: update ? { authorization: 'Bearer opaque-management-token' } : {},
    cert: c.dn ? { dn: c.dn } : undefined,
  });
}

/** Checks one answer against `want` (a fetching host's expect); returns a message or null. */
async function outcome(guard, c, res, { before, fetchedBefore }, want) {
  const text = await res.text();
  const forwarded = guard.received.slice(before);
  const fetched = guard.fetched.slice(fetchedBefore);
  if (want.valid) {
    const ok = res.status === 201 && forwarded.length === 1 && forwarded[0].body.equals(Buffer.from(c.token)) && forwarded[0].headers['dcr-guard-verified']?.startsWith('v1; ');
    if (!ok) return `expected a forward, got ${res.status} ${text.slice(0, 300)}`;
    if (!guard.fetched.includes(c.keySetUrl)) return `valid without fetching ${c.keySetUrl} (fetched ${JSON.stringify(guard.fetched)})`;
    return null;
  }
  let body = {};
  try {
    body = JSON.parse(text);
  } catch {
    // Reported below: a rejection is always JSON.
  }
  const header = (res.headers.get('dcr-guard-findings') ?? '').split(', ').filter(Boolean);
  const wantCodes = [...new Set(want.errors.map((e) => e.code))].sort();
  const gotCodes = [...new Set(header)].sort();
  if (res.status !== 400 || body.error !== want.error || forwarded.length !== 0 || JSON.stringify(gotCodes) !== JSON.stringify(wantCodes)) {
    return `expected 400 ${want.error} [${wantCodes}], got ${res.status} ${body.error} [${gotCodes}] (${forwarded.length} forwarded)`;
  }
  if (want.errors.some((e) => e.code === 'jwks.url_refused') && fetched.includes(c.keySetUrl)) return `fetched ${c.keySetUrl} past the fetch guard`;
  return null;
}

test('real-world corpus over HTTP in workerd, every preset', { timeout: 300_000 }, async () => {
  const all = groups();
  const failures = [];
  const tally = {};
  for (const preset of PRESETS) {
    // interop is the default: no DCR_POLICY at all.
    const policy = preset === 'interop' ? {} : { DCR_POLICY: preset };
    const guards = await startAll(all.map((group) => ({ group, policy })));
    tally[preset] = { forwarded: 0, rejected: 0, refusedFetch: 0 };
    // The Workers are independent (each its own replay store): all cases at once.
    await Promise.all(all.map(async (group, i) => {
      const guard = guards[i];
      // One at a time within a Worker: the records are read per request.
      for (const c of group.cases) {
        const marks = { before: guard.received.length, fetchedBefore: guard.fetched.length };
        const want = fetchingExpect(c, preset);
        const m = await outcome(guard, c, await send(guard, c), marks, want);
        if (m) failures.push(`${c.id} (${preset}): ${m}`);
        else if (want.valid) tally[preset].forwarded += 1;
        else tally[preset].rejected += 1;
        if (want !== c.expect[preset]) tally[preset].refusedFetch += 1;
        if (c.id === HAPPY_PATH && preset === 'interop' && !want.valid) failures.push(`${c.id}: the default must accept it`);
      }
    }));
  }
  console.log(`workerd: ${CASES.length} real-world cases over HTTP in ${all.length} Workers per preset: ${PRESETS.map((p) => `${p} ${tally[p].forwarded} forwarded / ${tally[p].rejected} rejected (${tally[p].refusedFetch} by the fetch guard)`).join('; ')}; ${failures.length} failures`);
  assert.deepEqual(failures, []);
  assert.ok(CASES.length >= 39, `the real-world corpus shrank to ${CASES.length} cases`);
  for (const p of PRESETS) assert.ok(tally[p].forwarded > 0 && tally[p].rejected > 0, JSON.stringify(tally));
});

test('DCR_POLICY, DCR_RULES and DCR_MODE on real-world cases in workerd', async () => {
  const all = groups();
  const groupOf = (id) => all.find((g) => g.cases.some((c) => c.id === id));
  const caseOf = (id) => groupOf(id).cases.find((c) => c.id === id);
  const HSBC = 'open-banking-connector/hsbc-aud-issuer-url';
  const jti = { valid: false, error: 'invalid_client_metadata', errors: [{ code: 'jti.format' }] };
  const aud = { valid: false, error: 'invalid_client_metadata', errors: [{ code: 'aud.format' }] };
  const valid = { valid: true, error: null, errors: [] };
  const runs = [
    // An accepted deviation made an error, by rule id (a lower-case UUID jti) and by finding code
    // (the issuer URL as UK aud: a warning by default).
    [HAPPY_PATH, { DCR_RULES: 'request.jti_uuid_case=error' }, jti],
    [HSBC, { DCR_RULES: 'aud.format=error' }, aud],
    [HSBC, {}, valid],
    // What spec refuses, accepted by an override; spec itself, and by its 0.1 alias.
    [HAPPY_PATH, { DCR_POLICY: 'spec', DCR_RULES: 'request.jti_uuid_case=accept' }, valid],
    [HAPPY_PATH, { DCR_POLICY: 'spec' }, jti],
    [HAPPY_PATH, { DCR_MODE: 'strict' }, jti],
    [HAPPY_PATH, { DCR_POLICY: 'mock', DCR_RULES: 'jti.format=error, aud.format=error' }, jti],
    // Misconfigured: an unknown rule key, a bad decision, rules with the 0.1 alias. 500, nothing
    // forwarded, nothing fetched.
    [HAPPY_PATH, { DCR_RULES: 'request.jti_uuid_cases=error' }, 'misconfigured'],
    [HAPPY_PATH, { DCR_RULES: 'request.jti_uuid_case=fatal' }, 'misconfigured'],
    [HAPPY_PATH, { DCR_MODE: 'strict', DCR_RULES: 'request.jti_uuid_case=accept' }, 'misconfigured'],
  ];
  const guards = await startAll(runs.map(([id, policy]) => ({ group: groupOf(id), policy })));
  const failures = [];
  await Promise.all(runs.map(async ([id, policy, want], i) => {
    const guard = guards[i];
    const c = caseOf(id);
    const marks = { before: guard.received.length, fetchedBefore: guard.fetched.length };
    const res = await send(guard, c);
    const label = `${id} with ${JSON.stringify(policy)}`;
    if (want === 'misconfigured') {
      const body = await res.json().catch(() => ({}));
      if (res.status !== 500 || body.error !== 'server_error' || guard.received.length || guard.fetched.length) {
        failures.push(`${label}: expected 500 server_error, nothing forwarded or fetched; got ${res.status} ${body.error} (${guard.received.length} forwarded, ${guard.fetched.length} fetched)`);
      }
      return;
    }
    const m = await outcome(guard, c, res, marks, want);
    if (m) failures.push(`${label}: ${m}`);
  }));
  console.log(`workerd: ${runs.length} policy configurations over HTTP, ${failures.length} failures`);
  assert.deepEqual(failures, []);
});
