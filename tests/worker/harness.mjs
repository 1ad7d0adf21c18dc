// Runs the Worker in real workerd (Miniflare 4) with peers written in Node: a directory that
// serves key sets and a recording origin. Both are test peers, not parts of dcr-guard.
import { Miniflare } from 'miniflare';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const BUILD = { prod: join(ROOT, 'crates', 'worker', 'build'), test: join(ROOT, 'crates', 'worker', 'build-test') };

export const SECRET = 'test-secret-0123456789abcdefghijklmnop';

/** Base variables: the directory and the software hosts are served by the DIRECTORY binding. */
export function baseVars(extra = {}) {
  return {
    DCR_ORIGIN_BINDING: 'ORIGIN',
    DCR_VERIFICATION_SECRET: SECRET,
    DCR_HOST_BINDINGS: [
      'keystore.openbankingtest.org.uk=DIRECTORY',
      'keystore.openbanking.org.uk=DIRECTORY',
      'adr.example.com.au=DIRECTORY',
      'www.mockcompany.com.au=DIRECTORY',
      'dr.dev.cdrsandbox.gov.au=DIRECTORY',
      'directory.test=DIRECTORY',
    ].join(','),
    DCR_JWKS_ALLOWED_HOSTS: 'keystore.openbankingtest.org.uk,keystore.openbanking.org.uk,adr.example.com.au,www.mockcompany.com.au,dr.dev.cdrsandbox.gov.au',
    ...extra,
  };
}

/**
 * A Worker under test. `directory(request)` and `origin(request)` are Node functions answering
 * the DIRECTORY and ORIGIN service bindings; every origin request is recorded with its bytes.
 */
export class Guard {
  constructor({ build = 'prod', cache = true } = {}) {
    this.build = BUILD[build];
    this.cache = cache;
    this.received = [];
    this.fetched = [];
    this.directory = () => new Response('not found', { status: 404 });
    this.origin = async (request) => new Response(JSON.stringify({ client_id: 'c-1' }), { status: 201, headers: { 'content-type': 'application/json' } });
    this.mf = null;
  }

  options(vars) {
    return {
      modules: true,
      scriptPath: join(this.build, 'worker.mjs'),
      modulesRoot: this.build,
      modulesRules: [
        { type: 'ESModule', include: ['**/*.js', '**/*.mjs'] },
        { type: 'CompiledWasm', include: ['**/*.wasm'] },
      ],
      compatibilityDate: '2026-08-01',
      cf: false,
      cache: this.cache,
      bindings: vars,
      durableObjects: { REPLAY: 'ReplayGuard' },
      kvNamespaces: ['DCR_STATUS'],
      serviceBindings: {
        DIRECTORY: async (request) => {
          this.fetched.push(request.url);
          return this.directory(request);
        },
        ORIGIN: async (request) => {
          const body = Buffer.from(await request.arrayBuffer());
          this.received.push({ method: request.method, url: request.url, headers: Object.fromEntries(request.headers), body });
          return this.origin(request);
        },
      },
    };
  }

  /** (Re)starts the Worker with these variables (a fresh isolate and replay store). */
  async start(vars) {
    if (this.mf) await this.mf.setOptions(this.options(vars));
    else this.mf = new Miniflare(this.options(vars));
    await this.mf.ready;
    this.received = [];
    this.fetched = [];
    return this;
  }

  /** Sends a request; `cert` fills `request.cf.tlsClientAuth`. */
  fetch(path, { method = 'POST', body, contentType = 'application/jwt', headers = {}, cert } = {}) {
    const h = { ...headers };
    if (body !== undefined && contentType) h['content-type'] = contentType;
    const cf = cert
      ? { tlsClientAuth: { certPresented: '1', certVerified: cert.verified ?? 'SUCCESS', certSubjectDNRFC2253: cert.dn ?? '', certFingerprintSHA256: cert.sha256 ?? '', certSubjectDN: cert.dn ?? '', certIssuerDN: '', certIssuerDNRFC2253: '', certIssuerDNLegacy: '', certSubjectDNLegacy: '', certFingerprintSHA1: cert.sha1 ?? '', certNotBefore: '', certNotAfter: '', certSerial: '' } }
      : undefined;
    return this.mf.dispatchFetch(`https://bank.example${path}`, { method, body, headers: h, ...(cf ? { cf } : {}) });
  }

  /** Runs the Cron Trigger once (the Register status poll). */
  async scheduled() {
    const worker = await this.mf.getWorker();
    return worker.scheduled({ cron: '*/5 * * * *' });
  }

  async dispose() {
    await this.mf?.dispose();
  }
}
