// Load test of the deployed Worker build in real workerd (Miniflare 4), loopback only: a bounded
// number of requests (LOAD_REQUESTS, default 20000: about a minute on two cores) sent
// LOAD_CONCURRENCY (default 64) at a time, mixing valid registrations, invalid ones of six
// kinds, concurrent duplicates of valid ones and later replays. Asserted:
// every valid request reached the recording origin exactly once, byte for byte, with a
// verification header that checks; no invalid or replayed one did; every answer is the one
// expected for its kind (201 from the origin, or the 400 with the probe's finding code) — no
// other error. Throughput and p50/p99 latency are printed, never asserted. The run stops by
// itself: the load must finish within LOAD_MAX_SECONDS (default 600) or the test fails.
// The checks with I/O a UK deployment runs by default are on: every request presents the WSO2
// sample transport certificate, which must be a use=tls key of the software key set, and the
// statement's revoked key set is fetched (and cached) and checked.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { Guard, SECRET, baseVars } from './harness.mjs';
import { DIRECTORY_URL, SOFTWARE_JWKS_URL, keys, registration, serving, set, ssa, ukVars } from './mint.mjs';
import { sign, uuid } from '../vectors/gen/dcr-lib.mjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';
import { ORG, SOFTWARE } from './mint.mjs';

const TRANSPORT = JSON.parse(readFileSync(join(ROOT, 'tests', 'vectors', 'edge', 'certs.json'), 'utf8'))['wso2-transport'];
const CERT = { dn: `CN=${SOFTWARE},OU=${ORG},O=OpenBanking,C=GB`, sha256: TRANSPORT.sha256 };
const TLS_KEY = { ...TRANSPORT.jwk, kid: 'tls-1', use: 'tls', x5c: [TRANSPORT.x5c] };

const TOTAL = Number(process.env.LOAD_REQUESTS ?? 20000);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 64);
const MAX_SECONDS = Number(process.env.LOAD_MAX_SECONDS ?? 600);
const b64u = (b) => Buffer.from(b).toString('base64url');
const claimsOf = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url'));

/**
 * The shared harness with the Worker's decision log (one JSON line per request on workerd's
 * stdout) counted instead of printed: thousands of lines would bury the report.
 */
class CountingGuard extends Guard {
  decisions = {};
  options(vars) {
    return {
      ...super.options(vars),
      handleRuntimeStdio: (stdout, stderr) => {
        let rest = '';
        stdout.on('data', (chunk) => {
          const lines = (rest + chunk).split('\n');
          rest = lines.pop();
          for (const line of lines) {
            const decision = line.match(/"decision":"(\w+)"/)?.[1] ?? 'other';
            this.decisions[decision] = (this.decisions[decision] ?? 0) + 1;
          }
        });
        stderr.pipe(process.stderr);
      },
    };
  }
}

const guard = new CountingGuard();
after(() => guard.dispose());

/** The i-th kind of a deterministic sequence (no Math.random: the same mix every run). */
const PATTERN = ['valid', 'valid', 'invalid', 'valid', 'duplicate', 'valid', 'invalid', 'valid', 'valid', 'invalid'];
const kindAt = (i) => PATTERN[(i * 7 + (i >> 4)) % PATTERN.length];

/** Runs `jobs` with at most `limit` in flight; each job's latency is measured around it. */
async function pool(jobs, limit, deadline) {
  let next = 0;
  const lane = async () => {
    while (next < jobs.length && Date.now() < deadline) {
      const job = jobs[next++];
      const t0 = performance.now();
      const res = await guard.fetch('/register', { body: job.token, cert: CERT });
      job.status = res.status;
      job.findings = res.headers.get('dcr-guard-findings');
      job.retryAfter = res.headers.get('retry-after');
      await res.arrayBuffer();
      job.ms = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: limit }, lane));
  return next;
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

test(`load: ${TOTAL} mixed requests, ${CONCURRENCY} concurrent, exactly-once and byte-identical forwarding`, { timeout: (MAX_SECONDS + 300) * 1000 }, async () => {
  const k = await keys();
  guard.directory = serving({ [DIRECTORY_URL]: set(k.directory), [SOFTWARE_JWKS_URL]: { keys: [k.software.publicJwk, TLS_KEY] } });
  guard.origin = async () => new Response('{"client_id":"c-1"}', { status: 201, headers: { 'content-type': 'application/json' } });
  await guard.start(baseVars(ukVars()));

  // Invalid kinds: signed fresh once each (they are never reserved, so resending is allowed),
  // probed once to learn their exact answer, then required to get that answer under load.
  const now = Math.floor(Date.now() / 1000);
  const invalid = {
    'redirect-not-in-ssa': await registration(k, { change: (c) => { c.redirect_uris = ['https://evil.example/cb']; } }),
    'unknown-signing-key': await registration(k, { key: k.stranger }),
    'forged-statement': await registration({ ...k, directory: k.stranger }),
    expired: await registration(k, { change: (c) => { c.iat = now - 7200; c.exp = now - 3600; } }),
    'alg-none': `${b64u('{"alg":"none"}')}.${b64u(JSON.stringify(claimsOf(await registration(k))))}.`,
    garbage: 'this is not a compact JWS',
  };
  const probes = {};
  for (const [kind, token] of Object.entries(invalid)) {
    const res = await guard.fetch('/register', { body: token, cert: CERT });
    await res.arrayBuffer();
    assert.equal(res.status, 400, kind);
    probes[kind] = res.headers.get('dcr-guard-findings');
  }
  assert.equal(guard.received.length, 0);

  // Valid requests: one directory-signed statement, a fresh jti per request (signing the
  // statement once keeps minting cheap; the Worker still verifies both signatures each time).
  const statement = await ssa(k);
  const template = claimsOf(await registration(k));
  const mint = () => sign(k.software, { ...template, jti: uuid(), iat: now - 5, exp: now + 1800, software_statement: statement });
  const invalidKinds = Object.keys(invalid);
  const jobs = [];
  const t0 = performance.now();
  // First-pass jobs until they and the replays planned below make TOTAL requests.
  let validCount = 0;
  for (let i = 0; jobs.length + Math.floor((validCount + 6) / 10) < TOTAL; i++) {
    const kind = kindAt(i);
    if (kind === 'valid') {
      jobs.push({ kind, token: await mint() });
      validCount += 1;
    }
    else if (kind === 'invalid') {
      const which = invalidKinds[i % invalidKinds.length];
      jobs.push({ kind: which, token: invalid[which] });
    } else {
      // The same valid token twice, side by side in the queue: one must win, one is a replay.
      const token = await mint();
      jobs.push({ kind: 'duplicate', token }, { kind: 'duplicate', token });
    }
  }
  // Later replays of accepted requests: one in ten valid tokens is sent again after the first pass.
  const valid = jobs.filter((j) => j.kind === 'valid');
  const replays = valid.filter((_, i) => i % 10 === 3).map((j) => ({ kind: 'replay', token: j.token }));
  const mintMs = performance.now() - t0;
  const all = [...jobs, ...replays];

  const deadline = Date.now() + MAX_SECONDS * 1000;
  const started = performance.now();
  const sent1 = await pool(jobs, CONCURRENCY, deadline);
  const sent2 = await pool(replays, CONCURRENCY, deadline);
  const seconds = (performance.now() - started) / 1000;
  assert.equal(sent1 + sent2, all.length, `the load did not finish within LOAD_MAX_SECONDS=${MAX_SECONDS}`);

  // Answers: exactly what each kind must get, nothing else.
  const unexpected = [];
  for (const j of all) {
    if (j.kind === 'valid') { if (j.status !== 201) unexpected.push(j); }
    else if (j.kind === 'duplicate') { if (!(j.status === 201 || (j.status === 400 && j.findings === 'replay.jti_reused'))) unexpected.push(j); }
    else if (j.kind === 'replay') { if (j.status !== 400 || j.findings !== 'replay.jti_reused') unexpected.push(j); }
    else if (j.status !== 400 || j.findings !== probes[j.kind]) unexpected.push(j);
  }
  assert.deepEqual(unexpected.slice(0, 10).map((j) => `${j.kind}: ${j.status} ${j.findings}`), [], `${unexpected.length} unexpected answers`);

  // The origin: every valid token exactly once, byte for byte, with a verification header that
  // checks; every duplicate pair exactly once; nothing invalid, nothing replayed twice.
  // Keys are the bodies' bytes as latin1 text (one character per byte): equal keys are
  // byte-identical bodies, and the tokens are ASCII, so a token is its own key.
  const counts = new Map();
  for (const r of guard.received) {
    const body = r.body.toString('latin1');
    counts.set(body, (counts.get(body) ?? 0) + 1);
    const [, t, digest, sig] = r.headers['dcr-guard-verified'].match(/^v1; t=(\d+); digest=([\w-]+); sig=([\w-]+)$/);
    assert.equal(digest, b64u(createHash('sha256').update(r.body).digest()));
    assert.equal(sig, b64u(createHmac('sha256', SECRET).update(`v1.${t}.POST./register.${digest}`).digest()));
  }
  const distinctValid = new Set([...valid.map((j) => j.token), ...jobs.filter((j) => j.kind === 'duplicate').map((j) => j.token)]);
  for (const token of distinctValid) {
    assert.equal(counts.get(token), 1, 'a valid request did not reach the origin exactly once, byte for byte');
  }
  assert.equal(guard.received.length, distinctValid.size, 'the origin received something that was not a valid request');
  for (const token of Object.values(invalid)) assert.ok(!counts.has(token), 'an invalid request was forwarded');
  const duplicates = jobs.filter((j) => j.kind === 'duplicate');
  assert.equal(duplicates.filter((j) => j.status === 201).length, duplicates.length / 2, 'each duplicate pair: exactly one accepted');

  // Report (printed, never asserted).
  const ms = all.map((j) => j.ms).sort((a, b) => a - b);
  const byKind = {};
  for (const j of all) byKind[j.kind] = (byKind[j.kind] ?? 0) + 1;
  console.log(`load: ${all.length} requests (${Object.entries(byKind).map(([k, n]) => `${n} ${k}`).join(', ')}), ${CONCURRENCY} concurrent`);
  console.log(`load: ${guard.received.length} forwarded exactly once, ${all.length - guard.received.length} refused; minted in ${(mintMs / 1000).toFixed(1)} s`);
  console.log(`load: Worker decisions logged: ${JSON.stringify(guard.decisions)}`);
  console.log(`load: ${seconds.toFixed(1)} s, ${(all.length / seconds).toFixed(0)} requests/s; latency p50 ${quantile(ms, 0.5).toFixed(1)} ms, p99 ${quantile(ms, 0.99).toFixed(1)} ms, max ${ms.at(-1).toFixed(1)} ms`);
});
