// The benchmark inputs: a valid UK OBIE v3.3 registration from the committed corpus (request and
// software statement both PS256) and, for single ES256 verifies, the corpus's ES256 request.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const corpus = JSON.parse(readFileSync(join(ROOT, 'tests', 'vectors', 'dcr', 'uk-obie-v3.3.json'), 'utf8'));
const byId = (id) => corpus.cases.find((c) => c.id === id);
const d = corpus.defaults;

const claims = (jws) => JSON.parse(Buffer.from(jws.split('.')[1], 'base64url'));

export const registration = {
  token: byId('uk-obie-v3.3/baseline').token,
  /** npm options (the bench adds `crypto`). */
  options: {
    profile: d.profile,
    issuer: d.issuer,
    audiences: d.audiences,
    mode: d.mode,
    now: d.now,
    ssaJwks: corpus.jwks[d.ssa_jwks],
    softwareJwks: corpus.jwks[d.software_jwks],
  },
  /** The core's option object, as the Worker reads it. */
  coreOptions: { profile: d.profile, issuer: d.issuer, audiences: d.audiences, mode: d.mode },
};

const es256 = byId('uk-obie-v3.3/es256-request').token;
/** One JWS per algorithm with the key set that verifies it. */
export const single = {
  PS256: { token: claims(registration.token).software_statement, jwks: corpus.jwks[d.ssa_jwks] },
  ES256: { token: es256, jwks: corpus.jwks[d.software_jwks] },
};

/** The compatibility date every benchmark Worker runs with. */
export const COMPATIBILITY_DATE = '2026-08-01';

/**
 * Miniflare options for a built Worker directory (`script`, its glue and its `.wasm`, as
 * crates/worker/build.mjs writes them): what the workerd benchmarks run.
 */
export const workerdOptions = (dir, script = 'worker.mjs') => ({
  modules: true,
  scriptPath: join(dir, script),
  modulesRoot: dir,
  modulesRules: [
    { type: 'ESModule', include: ['**/*.js', '**/*.mjs'] },
    { type: 'CompiledWasm', include: ['**/*.wasm'] },
  ],
  compatibilityDate: COMPATIBILITY_DATE,
});

/** Median of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The machine's load, for the record. */
export async function load() {
  const os = await import('node:os');
  return `load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'})`;
}
