// Writes the committed seed corpora fuzz/corpus/<target>/ from the committed vectors, so every
// target starts from real, structured inputs: valid tokens that verify against the fixtures the
// targets load (fuzz/src/checks.rs) and the vectors' own mutations (malformed, tampered,
// alg-confusion, weak keys, each DCR rule broken). Deterministic: the same vectors give the same
// files. Run from the repository root after regenerating any vectors:
//   node fuzz/seed-corpus.mjs
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const read = (p) => JSON.parse(readFileSync(join(ROOT, p), 'utf8'));
const jose = ['tests/vectors/jose/jose.json', 'tests/vectors/jose/jwcrypto.json'].map(read);
const dcr = readdirSync(join(ROOT, 'tests/vectors/dcr'))
  .filter((f) => /^(uk-obie-v3\.\d|au-cdr)\.json$/.test(f))
  .sort()
  .map((f) => read(`tests/vectors/dcr/${f}`));
const MAX = 32 * 1024; // the -max_len of scripts/fuzz.sh: longer seeds would only be truncated

/** Up to `n` vectors of each class, in file order. */
function perClass(vectors, n) {
  const seen = new Map();
  return vectors.filter((v) => {
    const k = seen.get(v.class) ?? 0;
    seen.set(v.class, k + 1);
    return k < n;
  });
}

const corpus = { jws_parse: new Map(), verify: new Map(), jwks_parse: new Map(), registration: new Map(), driver: new Map() };
const put = (target, name, text) => {
  if (text.length <= MAX) corpus[target].set(name.replace(/[^\w.-]+/g, '_'), text);
};

for (const m of jose) {
  for (const v of perClass(m.vectors, 4)) put('jws_parse', v.id, v.token);
  for (const v of perClass(m.vectors.filter((v) => v.jwks === 'main' || v.class === 'valid' || v.class === 'rotation'), 5)) put('verify', v.id, v.token);
  for (const [name, set] of Object.entries(m.jwks)) put('jwks_parse', `${m.generator.includes('jwcrypto') ? 'jwcrypto' : 'jose'}-${name}`, JSON.stringify(set));
  for (const v of m.vectors.filter((v) => v.jwks_raw)) put('jwks_parse', `raw-${v.id}`, v.jwks_raw);
}
for (const m of dcr) {
  const [directory, software] = [m.defaults.ssa_jwks, m.defaults.software_jwks];
  put('jwks_parse', `${m.profile}-${directory}`, JSON.stringify(m.jwks[directory]));
  if (m.profile === 'au-cdr' || m.profile === 'uk-obie-v3.3') put('jwks_parse', `${m.profile}-${software}`, JSON.stringify(m.jwks[software]));
  // The baseline, then every 25th case: one broken rule each, spread over the rule groups.
  m.cases.filter((c, i) => i === 0 || i % 25 === 1).forEach((c) => put('registration', c.id, c.token));
  // Both JWS layers of the baseline are also tokens for the JWS targets.
  const base = m.cases[0].token;
  put('jws_parse', `${m.profile}-request`, base);
  const claims = JSON.parse(Buffer.from(base.split('.')[1], 'base64url'));
  put('jws_parse', `${m.profile}-ssa`, claims.software_statement);
}

// driver: [case index u16 LE][calls], over the cases in fuzz/src/checks.rs DCR_MANIFESTS order.
// Calls (byte % 8): 0 directory set (byte/8 even = the directory's), 1 honest answer, 2 true,
// 3 false, 4 software set (byte/8 odd = the software's), 5 a document, 6 stop, 7 report.
{
  const order = ['uk-obie-v3.1', 'uk-obie-v3.2', 'uk-obie-v3.3', 'uk-obie-v3.4', 'au-cdr'];
  const cases = order.flatMap((p) => dcr.find((m) => m.profile === p).cases.map((c) => ({ ...c, profile: p })));
  const sequences = {
    honest: [0, 1, 12, 1, 7],
    stop: [0, 1, 6, 7],
    'lie-ssa': [0, 2, 12, 1, 7],
    'lie-both': [0, 2, 12, 2, 7],
    'false-request': [0, 1, 12, 3, 7],
    'swapped-sets': [8, 1, 4, 1, 7],
    'document': [0, 1, 5, 7],
    'report-early': [7],
    'answer-first': [1, 0, 1, 12, 1, 7],
    'directory-twice': [0, 0, 1, 12, 1, 7],
    'answer-twice': [0, 1, 1, 12, 1, 7],
    'software-before-answer': [0, 12, 1, 1, 7],
  };
  const picks = [];
  for (const p of order) {
    picks.push(...cases.flatMap((c, i) => (c.profile === p && c.expect.valid ? [i] : [])).slice(0, 2));
  }
  picks.push(cases.findIndex((c) => !c.expect.valid));
  for (const i of picks) {
    for (const [name, calls] of Object.entries(sequences)) {
      put('driver', `${cases[i].id}-${name}`, Buffer.from([i & 0xff, i >> 8, ...calls]).toString('latin1'));
    }
  }
}

for (const [target, files] of Object.entries(corpus)) {
  const dir = join(ROOT, 'fuzz', 'corpus', target);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of files) writeFileSync(join(dir, name), target === 'driver' ? Buffer.from(text, 'latin1') : text);
  console.log(`fuzz/corpus/${target}: ${files.size} seeds`);
}
