// JWS differential test: seeded random tokens — valid ones and one mutation each from a table of
// attacks and malformations — verified by three independent implementations under one policy
// (PS256 and ES256 only; the key chosen from the JWKS by the library itself):
//   npm jose (in this process), Python jwcrypto (tests/diff/jwcrypto_verify.py, .tools/py) and
//   dcr-guard (the `dcr-guard verify` binary: the pure-Rust core).
// Verdicts are compared as accept/refuse. dcr-guard may refuse what another library accepts
// only where one of its strict rules explains it, listed in tests/diff/disagreements.json; it
// must never accept what either library refuses. Every listed explanation must be observed.
//
// Reproducible: DIFF_SEED (default 20260801) fixes every case's kind, header and payload bytes;
// keys are generated per run (no private keys in the repository) and PSS/ECDSA signatures are
// randomised, so only signature bytes differ between runs, and no case's verdict depends on
// them. DIFF_CASES (default 1500) sets the count.
//   node --test tests/diff/          (after cargo build -p dcr-guard-cli and setup.sh --jwcrypto)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createHmac, generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compactVerify, createLocalJWKSet } from 'jose';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(dirname(HERE));
const SEED = Number(process.env.DIFF_SEED ?? 20260801);
const DEFAULT_COUNT = 1500;
const COUNT = Number(process.env.DIFF_CASES ?? DEFAULT_COUNT);
const PYTHON = join(ROOT, '.tools', 'py', 'bin', 'python');
const CLI = join(ROOT, 'target', 'debug', 'dcr-guard');
const ALGS = ['PS256', 'ES256'];
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** mulberry32: a small seeded generator; every choice below comes from it. */
function generator(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return { int, pick: (list) => list[int(list.length)], coin: () => next() < 0.5 };
}

const b64u = (b) => Buffer.from(b).toString('base64url');
const enc = (x) => b64u(typeof x === 'string' || Buffer.isBuffer(x) ? x : JSON.stringify(x));
const fromB64u = (s) => Buffer.from(s, 'base64url');

// Test keys, fresh each run. `p384` and the attackers claim the kids of real keys.
const rsa = (bits) => generateKeyPairSync('rsa', { modulusLength: bits });
const ec = (namedCurve) => generateKeyPairSync('ec', { namedCurve });
const K = {
  a: { kid: 'rsa-a', alg: 'PS256', ...rsa(2048) },
  b: { kid: 'rsa-b', alg: 'PS256', ...rsa(3072) },
  e: { kid: 'ec-e', alg: 'ES256', ...ec('P-256') },
  weak: { kid: 'rsa-weak', alg: 'PS256', ...rsa(1024) },
  p384: { kid: 'ec-e', alg: 'ES256', ...ec('P-384') },
  attacker: { kid: 'rsa-a', alg: 'PS256', ...rsa(2048) },
};
const jwk = (k, extra = {}) => ({ ...k.publicKey.export({ format: 'jwk' }), kid: k.kid, ...extra });
const SETS = {
  main: { keys: [jwk(K.a), jwk(K.b), jwk(K.e)] },
  single: { keys: [jwk(K.a)] },
  'same-kid': { keys: [jwk(K.a), { ...jwk(K.b), kid: K.a.kid }] },
  weak: { keys: [jwk(K.weak)] },
  'use-enc': { keys: [jwk(K.a, { use: 'enc' })] },
  'alg-rs256': { keys: [jwk(K.a, { alg: 'RS256' })] },
  'ops-encrypt': { keys: [jwk(K.a, { key_ops: ['encrypt'] })] },
  p384: { keys: [jwk(K.p384)] },
};

/** Signs `input` with `k`: PSS salt 32 / P1363 ECDSA unless `how` says otherwise. */
function signature(k, input, how = {}) {
  const data = Buffer.from(input);
  if (how.hmac) return createHmac('sha256', how.hmac).update(data).digest();
  if (k.alg === 'ES256') return cryptoSign('sha256', data, { key: k.privateKey, dsaEncoding: how.der ? 'der' : 'ieee-p1363' });
  if (how.pkcs1) return cryptoSign(how.hash ?? 'sha256', data, { key: k.privateKey, padding: constants.RSA_PKCS1_PADDING });
  const saltLength = how.salt ?? 32;
  return cryptoSign(how.hash ?? 'sha256', data, { key: k.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });
}

/** A compact JWS: `header` as an object or raw JSON text, `payload` as text. */
function jws(k, header, payload, how) {
  const input = `${enc(header)}.${enc(payload)}`;
  return `${input}.${b64u(signature(k, input, how))}`;
}

// Random but seeded content: claims with strings (unicode, quotes, escapes), numbers, arrays.
const NAMES = ['iss', 'sub', 'aud', 'iat', 'exp', 'jti', 'scope', 'software_id', 'redirect_uris', 'note', 'x'];
const ALPHABET = [...'abcXYZ019-_ .:/?>~é€😀"\\\n'];
function text(r, max = 24) {
  return Array.from({ length: r.int(max) }, () => r.pick(ALPHABET)).join('');
}
function value(r, depth = 0) {
  switch (r.int(depth > 1 ? 3 : 5)) {
    case 0: return text(r);
    case 1: return r.int(2_000_000_000);
    case 2: return r.coin();
    case 3: return Array.from({ length: r.int(4) }, () => value(r, depth + 1));
    default: return Object.fromEntries(Array.from({ length: r.int(3) }, () => [r.pick(NAMES), value(r, depth + 1)]));
  }
}
function payload(r) {
  return JSON.stringify(Object.fromEntries(Array.from({ length: 1 + r.int(6) }, () => [r.pick(NAMES), value(r)])));
}
function header(r, k, extra = {}) {
  const h = { alg: k.alg, kid: k.kid };
  if (r.int(3) === 0) h.typ = r.pick(['JWT', 'JOSE', 'application/jwt']);
  if (r.int(5) === 0) h['x-note'] = text(r, 8);
  return { ...h, ...extra };
}
const base = (r) => {
  const k = r.pick([K.a, K.a, K.b, K.e, K.e]);
  return { k, h: header(r, k), p: payload(r) };
};
const rsaBase = (r) => {
  const k = r.pick([K.a, K.b]);
  return { k, h: header(r, k), p: payload(r) };
};

/** Replaces segment `i` of a token. */
const withSegment = (token, i, f) => token.split('.').map((s, j) => (j === i ? f(s) : s)).join('.');
/** Flips the lowest bit of the last character's 6-bit value: always a non-zero trailing bit
 * when the segment's length leaves unused bits (length % 4 of 2 or 3). */
const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const flipTrailing = (s) => s.slice(0, -1) + ALPHA[ALPHA.indexOf(s.at(-1)) ^ 1];

/**
 * The case table: kind → generator of { token, set }. `valid` carries most of the weight.
 * Each generator's outcome depends only on the seeded choices, never on signature bytes.
 */
const KINDS = {
  valid: (r) => { const { k, h, p } = base(r); return { token: jws(k, h, p), set: 'main' }; },
  'valid-binary-payload': (r) => { const { k, h } = base(r); return { token: jws(k, h, Buffer.from(Array.from({ length: r.int(64) }, () => r.int(256)))), set: 'main' }; },
  'valid-no-kid-one-key': (r) => { const p = payload(r); return { token: jws(K.a, { alg: 'PS256' }, p), set: 'single' }; },
  'valid-unicode-escaped-alg': (r) => { const { k, p } = base(r); const a = k.alg.replace('256', '\\u0032\\u00356'); return { token: jws(k, `{"alg":"${a}","kid":"${k.kid}"}`, p), set: 'main' }; },
  'valid-empty-payload': (r) => { const { k, h } = base(r); return { token: jws(k, h, ''), set: 'main' }; },
  'valid-es256-high-s': (r) => {
    const { p } = base(r);
    const t = jws(K.e, header(r, K.e), p);
    return { token: withSegment(t, 2, (s) => { const sig = fromB64u(s); const high = P256_N - BigInt(`0x${sig.subarray(32).toString('hex')}`); return b64u(Buffer.concat([sig.subarray(0, 32), Buffer.from(high.toString(16).padStart(64, '0'), 'hex')])); }), set: 'main' };
  },
  'no-kid-several-keys': (r) => { const { k, p } = base(r); return { token: jws(k, { alg: k.alg }, p), set: 'main' }; },
  'same-kid-two-keys': (r) => { const p = payload(r); return { token: jws(K.a, header(r, K.a), p), set: 'same-kid' }; },
  'unknown-kid': (r) => { const { k, h, p } = base(r); return { token: jws(k, { ...h, kid: `${k.kid}-old` }, p), set: 'main' }; },
  'kid-not-string': (r) => { const p = payload(r); return { token: jws(K.a, { alg: 'PS256', kid: r.pick([7, null, ['rsa-a'], true]) }, p), set: 'single' }; },
  'tampered-payload': (r) => { const { k, h, p } = base(r); return { token: withSegment(jws(k, h, p), 1, () => enc(`${p.slice(0, -1)},"extra":1}`)), set: 'main' }; },
  'tampered-header': (r) => { const { k, h, p } = base(r); return { token: withSegment(jws(k, h, p), 0, () => enc({ ...h, typ: 'JWT', cty: 'x' })), set: 'main' }; },
  'signature-bit-flip': (r) => { const { k, h, p } = base(r); return { token: withSegment(jws(k, h, p), 2, (s) => { const b = fromB64u(s); b[b.length >> 1] ^= 1 << r.int(8); return b64u(b); }), set: 'main' }; },
  'signature-truncated': (r) => { const { k, h, p } = base(r); return { token: withSegment(jws(k, h, p), 2, (s) => b64u(fromB64u(s).subarray(0, -1))), set: 'main' }; },
  'signature-extended': (r) => { const { k, h, p } = base(r); return { token: withSegment(jws(k, h, p), 2, (s) => b64u(Buffer.concat([fromB64u(s), Buffer.alloc(1)]))), set: 'main' }; },
  'signature-zero': (r) => { const { k, h, p } = base(r); return { token: withSegment(jws(k, h, p), 2, (s) => b64u(Buffer.alloc(fromB64u(s).length))), set: 'main' }; },
  'signature-all-ones': (r) => { const { k, h, p } = rsaBase(r); return { token: withSegment(jws(k, h, p), 2, (s) => b64u(Buffer.alloc(fromB64u(s).length, 0xff))), set: 'main' }; },
  'signature-empty': (r) => { const { k, h, p } = base(r); return { token: withSegment(jws(k, h, p), 2, () => ''), set: 'main' }; },
  'alg-none': (r) => { const { k, p } = base(r); return { token: `${enc({ alg: 'none', kid: k.kid })}.${enc(p)}.`, set: 'main' }; },
  'alg-hs256-public-key': (r) => { const p = payload(r); const secret = r.coin() ? JSON.stringify(jwk(K.a)) : K.a.publicKey.export({ format: 'pem', type: 'spki' }); return { token: jws(K.a, { alg: 'HS256', kid: K.a.kid }, p, { hmac: secret }), set: 'main' }; },
  'alg-rs256': (r) => { const { k, h, p } = rsaBase(r); return { token: jws(k, { ...h, alg: 'RS256' }, p, { pkcs1: true }), set: 'main' }; },
  'alg-ps384': (r) => { const { k, h, p } = rsaBase(r); return { token: jws(k, { ...h, alg: 'PS384' }, p, { hash: 'sha384', salt: 48 }), set: 'main' }; },
  'alg-lower-case': (r) => { const { k, h, p } = base(r); return { token: jws(k, { ...h, alg: h.alg.toLowerCase() }, p), set: 'main' }; },
  'alg-key-type-mismatch': (r) => { const p = payload(r); return { token: jws(K.e, { alg: 'ES256', kid: K.a.kid }, p), set: 'main' }; },
  'pkcs1-under-ps256': (r) => { const { k, h, p } = rsaBase(r); return { token: jws(k, h, p, { pkcs1: true }), set: 'main' }; },
  'pss-salt-not-32': (r) => { const { k, h, p } = rsaBase(r); return { token: jws(k, h, p, { salt: r.pick([0, 20, 64, constants.RSA_PSS_SALTLEN_MAX_SIGN]) }), set: 'main' }; },
  'es256-der': (r) => { const p = payload(r); return { token: jws(K.e, header(r, K.e), p, { der: true }), set: 'main' }; },
  'injected-jwk': (r) => { const p = payload(r); return { token: jws(K.attacker, { alg: 'PS256', kid: K.a.kid, jwk: jwk(K.attacker) }, p), set: 'main' }; },
  'padding': (r) => {
    const { k, h, p } = base(r);
    const t = jws(k, h, p);
    const i = r.pick([0, 1, 2].filter((j) => t.split('.')[j].length % 4 !== 0));
    return { token: withSegment(t, i, (s) => s + '='.repeat(4 - (s.length % 4))), set: 'main' };
  },
  'standard-alphabet': (r) => { const { k, h } = base(r); const p = JSON.stringify({ x: '???>>>~~~', n: text(r) }); return { token: withSegment(jws(k, h, p), 1, (s) => s.replace(/-/g, '+').replace(/_/g, '/')), set: 'main' }; },
  'whitespace-in-segment': (r) => { const { k, h, p } = base(r); return { token: withSegment(jws(k, h, p), 1, (s) => `${s.slice(0, 4)}${r.pick(['\n', ' ', '\t', '\r\n'])}${s.slice(4)}`), set: 'main' }; },
  'non-canonical-trailing-bits': (r) => {
    const { k, h, p } = base(r);
    const t = jws(k, h, p);
    const i = r.pick([0, 1, 2].filter((j) => t.split('.')[j].length % 4 > 1));
    return { token: withSegment(t, i, flipTrailing), set: 'main' };
  },
  'duplicate-header-member': (r) => { const { k, p } = base(r); const first = r.coin() ? k.alg : 'none'; return { token: jws(k, `{"alg":"${first}","kid":"${k.kid}","alg":"${k.alg}"}`, p), set: 'main' }; },
  'deep-header': (r) => { const { k, p } = base(r); const d = 17 + r.int(8); return { token: jws(k, `{"alg":"${k.alg}","kid":"${k.kid}","x":${'['.repeat(d)}${']'.repeat(d)}}`, p), set: 'main' }; },
  'crit-unknown': (r) => { const { k, h, p } = base(r); return { token: jws(k, { ...h, crit: ['exp'], exp: 1 }, p), set: 'main' }; },
  'crit-empty': (r) => { const { k, h, p } = base(r); return { token: jws(k, { ...h, crit: [] }, p), set: 'main' }; },
  'b64-false': (r) => { const { k, h, p } = base(r); return { token: jws(k, { ...h, b64: false, crit: ['b64'] }, p), set: 'main' }; },
  'header-not-object': (r) => { const { k, p } = base(r); return { token: jws(k, r.pick(['["PS256"]', '"PS256"', 'null', '{alg:PS256}']), p), set: 'main' }; },
  'segment-count': (r) => { const { k, h, p } = base(r); const t = jws(k, h, p); return { token: r.coin() ? t.split('.').slice(0, 2).join('.') : `${t}.${enc('x')}`, set: 'main' }; },
  'weak-rsa-1024': (r) => { const p = payload(r); return { token: jws(K.weak, header(r, K.weak), p), set: 'weak' }; },
  'key-use-enc': (r) => { const p = payload(r); return { token: jws(K.a, header(r, K.a), p), set: 'use-enc' }; },
  'key-alg-rs256': (r) => { const p = payload(r); return { token: jws(K.a, header(r, K.a), p), set: 'alg-rs256' }; },
  'key-ops-encrypt': (r) => { const p = payload(r); return { token: jws(K.a, header(r, K.a), p), set: 'ops-encrypt' }; },
  'p384-key-es256-header': (r) => { const p = payload(r); return { token: jws(K.p384, { alg: 'ES256', kid: K.p384.kid }, p), set: 'p384' }; },
  'too-large': (r) => { const { k, h } = base(r); return { token: jws(k, h, JSON.stringify({ pad: 'x'.repeat(66_000 + r.int(2000)) })), set: 'main' }; },
};
const WEIGHTS = { valid: 30 };

function cases() {
  const r = generator(SEED);
  const table = Object.entries(KINDS).flatMap(([kind, f]) => Array(WEIGHTS[kind] ?? 1).fill([kind, f]));
  return Array.from({ length: COUNT }, (_, id) => {
    const [kind, f] = r.pick(table);
    return { id, kind, ...f(r) };
  });
}

async function joseVerdict(token, set) {
  try {
    await compactVerify(token, createLocalJWKSet(SETS[set]), { algorithms: ALGS });
    return 'valid';
  } catch (e) {
    return e.code ?? e.name;
  }
}

function dcrGuardVerdict(token, jwksPath) {
  const run = spawnSync(CLI, ['verify', '--jwks', jwksPath, '--alg', ALGS.join(','), '--json', '-'], { input: token, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0 && run.status !== 1) throw new Error(`dcr-guard verify exited ${run.status}: ${run.stderr}`);
  const out = JSON.parse(run.stdout);
  return out.valid ? 'valid' : out.code;
}

const ok = (v) => (v === 'valid' ? 'valid' : 'invalid');

test(`JWS differential: ${COUNT} seeded tokens (seed ${SEED}) through jose, jwcrypto and dcr-guard`, async () => {
  assert.ok(readFileSync(CLI).length > 0, `${CLI} is missing: cargo build -p dcr-guard-cli`);
  const all = cases();
  const dir = mkdtempSync(join(tmpdir(), 'dcr-diff-'));
  try {
    const paths = {};
    for (const [name, set] of Object.entries(SETS)) writeFileSync((paths[name] = join(dir, `${name}.jwks`)), JSON.stringify(set));
    const casesPath = join(dir, 'cases.json');
    writeFileSync(casesPath, JSON.stringify({ sets: SETS, cases: all.map(({ token, set }) => ({ token, set })) }));
    const py = spawnSync(PYTHON, [join(HERE, 'jwcrypto_verify.py'), casesPath], { encoding: 'utf8', maxBuffer: 1 << 26 });
    assert.equal(py.status, 0, `jwcrypto failed (./scripts/setup.sh --jwcrypto): ${py.stderr}`);
    const jwcrypto = JSON.parse(py.stdout);
    assert.equal(jwcrypto.length, all.length);

    const { explained } = JSON.parse(readFileSync(join(HERE, 'disagreements.json'), 'utf8'));
    const explanation = (c) => explained.find((e) => e.kinds.includes(c.kind) && e['dcr-guard'] === c.dcr && e.jose === ok(c.jose) && e.jwcrypto === ok(c.jwcrypto));
    const observed = new Map(explained.map((e) => [e, 0]));
    const perKind = new Map();
    const unexplained = [];
    const accepts = [];
    let agreed = 0;
    for (const [i, c] of all.entries()) {
      c.jose = await joseVerdict(c.token, c.set);
      c.jwcrypto = jwcrypto[i];
      c.dcr = dcrGuardVerdict(c.token, paths[c.set]);
      const row = perKind.get(c.kind) ?? { n: 0, valid: 0, disagree: 0 };
      row.n += 1;
      row.valid += c.dcr === 'valid' ? 1 : 0;
      perKind.set(c.kind, row);
      if (ok(c.jose) === ok(c.dcr) && ok(c.jwcrypto) === ok(c.dcr)) {
        agreed += 1;
        continue;
      }
      row.disagree += 1;
      if (c.dcr === 'valid') accepts.push(c);
      const e = explanation(c);
      if (e) observed.set(e, observed.get(e) + 1);
      else unexplained.push(c);
    }
    const show = (c) => `#${c.id} ${c.kind} (set ${c.set}): jose ${c.jose}, jwcrypto ${c.jwcrypto}, dcr-guard ${c.dcr}`;
    console.log(`${all.length} cases, seed ${SEED}: ${agreed} agreed, ${all.length - agreed} explained disagreements`);
    for (const [kind, row] of [...perKind].sort()) console.log(`  ${kind.padEnd(28)} ${String(row.n).padStart(4)} cases  ${String(row.valid).padStart(4)} accepted by dcr-guard  ${String(row.disagree).padStart(4)} disagreements`);
    for (const [e, n] of observed) console.log(`  explained ×${n}: ${e.kinds.join('/')} → dcr-guard ${e['dcr-guard']} (jose ${e.jose}, jwcrypto ${e.jwcrypto})`);
    if (unexplained.length || accepts.length) {
      const dump = join(tmpdir(), `dcr-diff-${SEED}-failures.json`);
      writeFileSync(dump, JSON.stringify([...accepts, ...unexplained], null, 1));
      console.log(`failing cases written to ${dump}`);
    }
    assert.deepEqual(accepts.map(show), [], 'dcr-guard accepted tokens another library refuses');
    assert.deepEqual(unexplained.slice(0, 20).map(show), [], 'disagreements not explained in tests/diff/disagreements.json');
    // The valid kinds really are valid everywhere, so the harness itself is checked.
    for (const c of all.filter((c) => c.kind === 'valid')) assert.equal(c.dcr, 'valid', show(c));
    assert.ok((perKind.get('valid')?.n ?? 0) >= COUNT / 10, 'too few valid tokens');
    if (COUNT >= DEFAULT_COUNT) {
      const stale = [...observed].filter(([, n]) => n === 0).map(([e]) => `${e.kinds.join('/')} → ${e['dcr-guard']}`);
      assert.deepEqual(stale, [], 'explanations never observed: remove them or fix the generator');
      assert.equal(perKind.size, Object.keys(KINDS).length, 'a case kind was never drawn');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
