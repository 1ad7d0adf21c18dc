// Shared by the package tests: paths, the corpora, and a fresh install of the packed tarball.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { Miniflare } from 'miniflare';
import { fileURLToPath } from 'node:url';

export const JS = dirname(dirname(fileURLToPath(import.meta.url)));
export const ROOT = dirname(JS);
export const VECTORS = join(ROOT, 'tests', 'vectors');
export const FIXTURES = join(VECTORS, 'fixtures');

/** Every case of the DCR corpus: `{ id, token, options, expect }` with options in npm form. */
export function dcrCases() {
  const dir = join(VECTORS, 'dcr');
  const out = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const m = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    for (const c of m.cases) {
      const cfg = { ...m.defaults, ...(c.config ?? {}) };
      const options = {
        profile: cfg.profile,
        issuer: cfg.issuer,
        mode: cfg.mode,
        now: cfg.now,
        ssaJwks: m.jwks[cfg.ssa_jwks],
        softwareJwks: m.jwks[cfg.software_jwks],
      };
      if (cfg.audiences) options.audiences = cfg.audiences;
      if (cfg.trusted_ssa_issuers) options.trustedSsaIssuers = cfg.trusted_ssa_issuers;
      if (cfg.clock_skew !== undefined) options.clockSkew = cfg.clock_skew;
      if ('max_lifetime' in cfg) options.maxRequestLifetime = cfg.max_lifetime;
      if (cfg.max_ssa_age !== undefined) options.maxSsaAge = cfg.max_ssa_age;
      if (cfg.discovery) options.discovery = m.discovery[cfg.discovery];
      if (cfg.operation) options.operation = cfg.operation.kind === 'update' ? { kind: 'update', clientId: cfg.operation.client_id } : { kind: 'register' };
      if (cfg.client_cert_subject_dn) options.clientCertSubjectDn = cfg.client_cert_subject_dn;
      if (cfg.software_environment) options.softwareEnvironment = cfg.software_environment;
      out.push({ id: c.id, token: c.token, options, expect: c.expect, file });
    }
  }
  return out;
}

/** The policy presets the real-world corpus states an `expect` for; `interop` is the default. */
export const PRESETS = ['interop', 'spec', 'mock'];

/**
 * Every case of the real-world corpus (tests/vectors/realworld/manifest.json) as `{ id, token,
 * options, expect, sourceAccepts, keySetUrl }`: options in npm form without a policy (the caller
 * adds one), `expect` per preset as the manifest states it ({ valid, error, errors }), and the
 * key-set URL the statement names (what a fetching host asks for).
 */
export function realworldCases() {
  const dir = join(VECTORS, 'realworld');
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const known = ['profile', 'issuer', 'audiences', 'trusted_ssa_issuers', 'operation', 'client_cert_subject_dn', 'now', 'ssa_jwks', 'software_jwks', 'discovery', 'jwks_hosts'];
  return m.cases.map((c) => {
    const cfg = c.config;
    // A new option in the manifest must reach every host, never be dropped here.
    const unknown = Object.keys(cfg).filter((k) => !known.includes(k));
    if (unknown.length) throw new Error(`${c.id}: config ${unknown.join(', ')} is not mapped to npm options`);
    const options = {
      profile: cfg.profile,
      issuer: cfg.issuer,
      audiences: cfg.audiences,
      now: cfg.now,
      ssaJwks: m.jwks[cfg.ssa_jwks],
      softwareJwks: m.jwks[cfg.software_jwks],
    };
    if (cfg.trusted_ssa_issuers) options.trustedSsaIssuers = cfg.trusted_ssa_issuers;
    if (cfg.discovery) options.discovery = JSON.parse(readFileSync(join(dir, m.discovery[cfg.discovery]), 'utf8'));
    if (cfg.operation) options.operation = cfg.operation.kind === 'update' ? { kind: 'update', clientId: cfg.operation.client_id } : { kind: 'register' };
    if (cfg.client_cert_subject_dn) options.clientCertSubjectDn = cfg.client_cert_subject_dn;
    if (cfg.jwks_hosts) options.jwksHosts = cfg.jwks_hosts;
    const token = c.token ?? readFileSync(join(dir, c.file), 'utf8').trim();
    let keySetUrl = null;
    try {
      const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url'));
      const ssa = JSON.parse(Buffer.from(claims.software_statement.split('.')[1], 'base64url'));
      keySetUrl = ssa.software_jwks_endpoint ?? ssa.jwks_uri ?? null;
    } catch {
      // Not decodable: no fetching host gets as far as a key-set URL.
    }
    return { id: c.id, token, options, expect: c.expect, sourceAccepts: c.source_expects.verdict === 'accept', keySetUrl, config: cfg };
  });
}

/**
 * Key-set hosts the fetch guard (`dcr::uri::fetch_target`) refuses, named by real-world
 * statements: the ACCC mock's docker-compose name and localhost on port 9001, ForgeRock's
 * directory on port 8074 (not https on the default port, or not a public host name).
 */
export const REFUSED_KEY_SET_HOSTS = ['mock-data-recipient:9001', 'localhost:9001', 'service.directory.dev-ob.forgerock.financial:8074'];

/**
 * What a *fetching* host (checkRegistration, the Worker) answers for a real-world case under a
 * preset. The manifest's `expect` is the core's answer with both key sets given; a fetching host
 * asks for the software key set only once the statement is sound (no error at `/ssa` or inside
 * it), and for a URL the fetch guard refuses it fetches nothing and adds `jwks.url_refused`
 * (stage ssa_approval: `unapproved_software_statement`).
 */
export function fetchingExpect(c, preset) {
  const e = c.expect[preset];
  const reached = !e.errors.some((x) => x.pointer === '/ssa' || x.pointer.startsWith('/ssa/'));
  const host = c.keySetUrl ? new URL(c.keySetUrl).host : null;
  // A host:port the case's deployment names explicitly is allowed, localhost never.
  const allowed = host && (c.config.jwks_hosts ?? []).includes(host) && !host.startsWith('localhost');
  if (!reached || !host || allowed || !REFUSED_KEY_SET_HOSTS.includes(host)) return e;
  const pointer = c.options.profile === 'au-cdr' ? '/ssa/claims/jwks_uri' : '/ssa/claims/software_jwks_endpoint';
  // The refusal ranks last (stage key_set_fetch): the top error is the one-call report's, or
  // unapproved_software_statement when nothing else rejects.
  return { valid: false, error: e.valid ? 'unapproved_software_statement' : e.error, errors: [...e.errors, { code: 'jwks.url_refused', pointer }] };
}

/** Compares a report with a real-world `expect` (verdict, RFC 7591 error, error multiset); returns a message or null. */
export function realworldMismatch(report, expect) {
  const want = expect.errors.map((e) => `${e.code} ${e.pointer}`).sort();
  const got = errorPairs(report);
  if (report.valid !== expect.valid || (report.error ?? null) !== expect.error || JSON.stringify(got) !== JSON.stringify(want)) {
    return `expected ${expect.error} ${JSON.stringify(want)}; got ${report.error} ${JSON.stringify(got)}`;
  }
  return null;
}

/** The conformance-dcr happy-path shape: a lower-case UUID jti, aud = the bank's OB organisation ID, PS256. */
export const HAPPY_PATH = 'conformance-dcr/happy-path-private-key-jwt';

/**
 * Policy probes on real-world cases, for the hosts that run them once each: an accepted
 * deviation made an error by rule id and by finding code, what `spec` refuses and an override
 * accepts, and an unknown rule key (refused with a stable code). `want` is a real-world
 * `expect`, or `{ threw: code }`.
 */
export function policyProbes() {
  const cases = realworldCases();
  const happy = cases.find((c) => c.id === HAPPY_PATH);
  const hsbc = cases.find((c) => c.id === 'open-banking-connector/hsbc-aud-issuer-url');
  const jti = { valid: false, error: 'invalid_client_metadata', errors: [{ code: 'jti.format', pointer: '/request/claims/jti' }] };
  const aud = { valid: false, error: 'invalid_client_metadata', errors: [{ code: 'aud.format', pointer: '/request/claims/aud' }] };
  const valid = { valid: true, error: null, errors: [] };
  const probe = (name, c, policy, want) => ({ name, token: c.token, options: { ...c.options, policy }, want });
  return [
    probe('rule id request.jti_uuid_case=error', happy, { rules: { 'request.jti_uuid_case': 'error' } }, jti),
    probe('finding code aud.format=error', hsbc, { rules: { 'aud.format': 'error' } }, aud),
    probe('spec', happy, 'spec', jti),
    probe('spec + request.jti_uuid_case=accept', happy, { preset: 'spec', rules: { 'request.jti_uuid_case': 'accept' } }, valid),
    probe('unknown rule key', happy, { rules: { 'request.jti_uuid_cases': 'error' } }, { threw: 'ERR_DCR_GUARD_CONFIG_RULE_UNKNOWN' }),
  ];
}

/** Compares a probe's result (a report, or `{ threw: code }`) with its `want`; returns a message or null. */
export function probeMismatch(result, want) {
  if (want.threw || result.threw) return result.threw === want.threw ? null : `expected ${want.threw ?? 'a report'}, got ${result.threw ?? 'a report'}`;
  return realworldMismatch(result, want);
}

/** Every cross-library / RFC 7515 JWS vector: `{ id, token, jwks (text), algorithms, expect }`. */
export function joseVectors() {
  const files = readdirSync(join(VECTORS, 'jose')).map((f) => join(VECTORS, 'jose', f));
  files.push(join(VECTORS, 'rfc7515.json'));
  const out = [];
  for (const file of files.filter((f) => f.endsWith('.json'))) {
    const m = JSON.parse(readFileSync(file, 'utf8'));
    for (const v of m.vectors) {
      const jwks = v.jwks_raw ?? JSON.stringify(m.jwks[v.jwks]);
      out.push({ id: v.id, token: v.token, jwks, algorithms: v.algorithms, expect: v.expect, class: v.class });
    }
  }
  return out;
}

/** The sorted (code, pointer) pairs of a report's error findings. */
export const errorPairs = (report) =>
  report.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.pointer}`).sort();

/** Compares a report with a corpus expectation; returns a message or null. */
export function mismatch(report, expect) {
  const want = expect.errors.map((e) => `${e.code} ${e.pointer}`).sort();
  const got = errorPairs(report);
  const warnings = report.findings.filter((f) => f.severity === 'warning').map((f) => `${f.code} ${f.pointer}`);
  const missingWarning = expect.warnings.map((w) => `${w.code} ${w.pointer}`).find((w) => !warnings.includes(w));
  if (report.valid !== expect.valid || (report.error ?? null) !== expect.error || JSON.stringify(got) !== JSON.stringify(want) || missingWarning) {
    return `expected ${expect.error} ${JSON.stringify(want)}; got ${report.error} ${JSON.stringify(got)}${missingWarning ? `; missing warning ${missingWarning}` : ''}`;
  }
  return null;
}

/**
 * Bundles `app/worker.mjs` with wrangler exactly as a Worker would be (`wrangler deploy
 * --dry-run`) and runs the bundle in Miniflare's workerd. Returns the Miniflare instance (the
 * caller disposes of it) and the bundle's files.
 */
export function bundledWorker(app, name, env = {}) {
  writeFileSync(join(app, 'wrangler.toml'), `name = "${name}"\nmain = "worker.mjs"\ncompatibility_date = "2026-08-01"\n`);
  const out = join(app, 'out');
  mkdirSync(out, { recursive: true });
  execFileSync(join(ROOT, 'node_modules', '.bin', 'wrangler'), ['deploy', '--dry-run', '--outdir', out], {
    cwd: app,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', ...env },
    stdio: 'pipe',
  });
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(out, 'worker.js'),
    modulesRoot: out,
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2026-08-01',
    cf: false,
  });
  return { mf, files: readdirSync(out) };
}

/**
 * Packs the package and installs the tarball into a fresh folder, as a new user would. Cached
 * per content of the packed files, so several test files share one install.
 */
export function installed() {
  const hash = createHash('sha256');
  // Every packed file counts (package.json "files"), site/ included: two checkouts whose
  // packages differ only in the debugger page must not share an install folder.
  const dirs = ['src', 'site'].flatMap((d) => readdirSync(join(JS, d)).sort().map((s) => `${d}/${s}`));
  const dist = ['', '_host', '_web'].flatMap((v) => [`dist/dcr_guard_wasm${v}.js`, `dist/dcr_guard_wasm${v}_bg.wasm`]);
  for (const f of ['package.json', 'index.d.ts', 'sync.d.ts', 'README.md', 'LICENSE', ...dist, ...dirs]) {
    if (existsSync(join(JS, f))) hash.update(readFileSync(join(JS, f)));
  }
  const dir = join(tmpdir(), `dcr-guard-install-${hash.digest('hex').slice(0, 16)}`);
  const marker = join(dir, 'node_modules', 'dcr-guard', 'package.json');
  if (!existsSync(marker)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const packed = execFileSync('npm', ['pack', '--pack-destination', dir, '--json'], { cwd: JS, encoding: 'utf8' });
    const tarball = join(dir, JSON.parse(packed)[0].filename);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fresh-user', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', tarball], { cwd: dir, stdio: 'ignore' });
  }
  return { dir, pkg: join(dir, 'node_modules', 'dcr-guard') };
}

const TYPES = { '.html': 'text/html', '.css': 'text/css', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

/** Serves the fresh install folder on 127.0.0.1 (.wasm as application/wasm). */
export function serve(root) {
  const server = createServer((req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    if (!path.startsWith(root) || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(path));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export async function launch() {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'dcr-guard-chromium-')), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync', '--disable-background-networking', '--disable-component-update'],
  });
}

