// The whole DCR corpus over HTTP through the Worker in workerd (test build: the clock comes
// from DCR_TEST_NOW, because the corpus is signed for a fixed time). Same verdict and RFC 7591
// error as the core; valid requests reach the recording origin byte for byte, rejected ones
// never do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Guard, ROOT, baseVars } from './harness.mjs';

function groups() {
  const dir = join(ROOT, 'tests', 'vectors', 'dcr');
  const byConfig = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const m = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    for (const c of m.cases) {
      const cfg = { ...m.defaults, ...(c.config ?? {}) };
      const { operation, client_cert_subject_dn: dn, ...shared } = cfg;
      const key = `${file} ${JSON.stringify(shared)}`;
      if (!byConfig.has(key)) byConfig.set(key, { manifest: m, cfg: shared, cases: [] });
      byConfig.get(key).cases.push({ ...c, operation, dn });
    }
  }
  return [...byConfig.values()];
}

function vars(m, cfg) {
  const v = baseVars({
    DCR_PROFILE: cfg.profile,
    DCR_ISSUER: cfg.issuer,
    DCR_MODE: cfg.mode ?? 'strict',
    DCR_TEST_NOW: String(cfg.now),
    DCR_DIRECTORY_JWKS: JSON.stringify(m.jwks[cfg.ssa_jwks]),
    // The corpus checks the core's offline verdicts; the checks with I/O are tested in
    // checks.test.mjs (here every URL serves the software key set, revoked ones included).
    DCR_REVOCATION: 'off',
    DCR_SECTOR_IDENTIFIER: 'off',
    DCR_MANAGEMENT_TOKENS: 'pass',
  });
  if (cfg.audiences) v.DCR_AUDIENCES = cfg.audiences.join(',');
  if (cfg.trusted_ssa_issuers) v.DCR_TRUSTED_SSA_ISSUERS = cfg.trusted_ssa_issuers.join(',');
  if ('max_lifetime' in cfg) v.DCR_MAX_LIFETIME = cfg.max_lifetime === null ? 'none' : String(cfg.max_lifetime);
  if (cfg.max_ssa_age !== undefined) v.DCR_MAX_SSA_AGE = String(cfg.max_ssa_age);
  if (cfg.discovery) v.DCR_DISCOVERY = JSON.stringify(m.discovery[cfg.discovery]);
  if (cfg.software_environment) v.DCR_SOFTWARE_ENVIRONMENT = cfg.software_environment;
  return v;
}

test('DCR corpus over HTTP in workerd', { timeout: 600_000 }, async () => {
  // No Cache API: every group serves different key sets under the same URLs.
  const guard = new Guard({ build: 'test', cache: false });
  const failures = [];
  let total = 0;
  let forwarded = 0;
  try {
    for (const { manifest, cfg, cases } of groups()) {
      const software = JSON.stringify(manifest.jwks[cfg.software_jwks]);
      guard.directory = () => new Response(software, { headers: { 'content-type': 'application/json' } });
      await guard.start(vars(manifest, cfg));
      for (const c of cases) {
        const update = c.operation?.kind === 'update';
        const before = guard.received.length;
        const res = await guard.fetch(update ? `/register/${c.operation.client_id}` : '/register', {
          method: update ? 'PUT' : 'POST',
          body: c.token,
          headers: update ? { authorization: 'Bearer opaque-management-token' } : {},
          cert: c.dn ? { dn: c.dn } : undefined,
        });
        const text = await res.text();
        const got = guard.received.slice(before);
        total += 1;
        if (c.expect.valid) {
          const ok = res.status === 201 && got.length === 1 && got[0].body.equals(Buffer.from(c.token));
          if (!ok) failures.push(`${c.id}: expected a forward, got ${res.status} ${text.slice(0, 200)}`);
          else forwarded += 1;
        } else {
          const body = JSON.parse(text);
          if (res.status !== 400 || body.error !== c.expect.error || got.length !== 0) {
            failures.push(`${c.id}: expected 400 ${c.expect.error}, got ${res.status} ${body.error} (${got.length} forwarded)`);
          }
          const header = res.headers.get('dcr-guard-findings') ?? '';
          const expected = new Set(c.expect.errors.map((e) => e.code));
          for (const code of header.split(', ').filter(Boolean)) {
            if (!expected.has(code)) failures.push(`${c.id}: unexpected finding ${code} in the header`);
          }
        }
      }
    }
  } finally {
    await guard.dispose();
  }
  console.log(`workerd: ${total} corpus cases over HTTP, ${forwarded} forwarded byte for byte, ${failures.length} failures`);
  assert.deepEqual(failures, []);
  assert.ok(total >= 500);
});
