// The checks with I/O (issue 14) in real workerd (Miniflare 4), deployed build: the transport
// certificate against the software key set (the WSO2 sample's real transport and signing
// certificates, fingerprints computed by openssl into tests/vectors/edge/certs.json), revoked
// key sets (UK), Register status polled by the Cron Trigger into KV (AU), sector_identifier_uri
// documents, management-token validation (JWT with the bank's key set, RFC 7662 introspection)
// and trust-anchor presets. For each: the behaviour (valid requests forwarded byte for byte
// exactly once; refusals with the documented status and code) and the faults of its source
// (down, slow, garbage, oversized, redirecting → 503 with Retry-After and the check's code,
// nothing forwarded). Each answer is printed; SECURITY.md's fault table lists them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Guard, ROOT, baseVars } from './harness.mjs';
import { DIRECTORY_URL, ORG, REVOKED_URL, SOFTWARE, SOFTWARE_JWKS_URL, keys, registration, serving, set, ssa, ukVars } from './mint.mjs';
import { newKey, jwks, sign, uuid } from '../vectors/gen/dcr-lib.mjs';

const CERTS = JSON.parse(readFileSync(join(ROOT, 'tests', 'vectors', 'edge', 'certs.json'), 'utf8'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => Math.floor(Date.now() / 1000);
const b64u = (b) => Buffer.from(b).toString('base64url');
const DN = `CN=${SOFTWARE},OU=${ORG},O=OpenBanking,C=GB`; // the WSO2 certificates' subject
const ORG_REVOKED_URL = `https://keystore.openbankingtest.org.uk/${ORG}/revoked/${ORG}.jwks`;
const FAULT_VARS = { DCR_FETCH_TIMEOUT_MS: '400', DCR_JWKS_TTL: '0', DCR_JWKS_STALE_MAX: '0' };

/** The fault rows every document source meets (a trickling or huge body, slow headers, ...). */
const trickle = (chunk, count, everyMs) => () => {
  let sent = 0;
  const body = new ReadableStream({
    async pull(c) {
      if (sent++ >= count) return c.close();
      if (everyMs) await sleep(everyMs);
      c.enqueue(new TextEncoder().encode(chunk));
    },
  });
  return new Response(body, { headers: { 'content-type': 'application/json' } });
};
const FAULTS = [
  ['down (500)', () => new Response('error', { status: 500 })],
  ['slow (headers after 1.5 s)', async () => { await sleep(1500); return Response.json([]); }],
  ['trickling (body not read in time)', trickle(' ', 40, 50)],
  ['oversized (300 KB, no length)', trickle('x'.repeat(16_384), 19, 0)],
  ['redirecting (302)', () => new Response(null, { status: 302, headers: { location: 'https://attacker.example/x' } })],
];

/** A use=tls key of a certificate in certs.json. */
function tlsKey(name, { x5c = true, x5t = null } = {}) {
  const c = CERTS[name];
  return { ...c.jwk, kid: `tls-${name}`, use: 'tls', ...(x5c ? { x5c: [c.x5c] } : {}), ...(x5t ? { 'x5t#S256': c[x5t] } : {}) };
}
const cert = (name) => ({ dn: DN, sha256: CERTS[name].sha256, sha1: CERTS[name].sha1 });

let k;
const guard = new Guard({ cache: false });
before(async () => {
  k = await keys();
});
after(() => guard.dispose());

async function answer(res) {
  const text = await res.text();
  let body;
  try { body = JSON.parse(text); } catch { body = { text }; }
  return { status: res.status, code: res.headers.get('dcr-guard-findings'), error: body.error, description: body.error_description, retry: res.headers.get('retry-after'), body };
}

/** Sends, asserts status (and code, error), asserts how many reached the origin; prints the answer. */
async function expect(name, res, status, { code, error, forwarded = 0, before = 0 } = {}) {
  const a = await answer(res);
  assert.equal(a.status, status, `${name}: ${JSON.stringify(a.body)}`);
  if (code !== undefined) assert.equal(a.code, code, name);
  if (error) assert.equal(a.error, error, name);
  if (status === 503) {
    assert.equal(a.retry, '30', name);
    assert.equal(a.error, 'temporarily_unavailable', name);
  }
  assert.equal(guard.received.length - before, forwarded, `${name}: forwarded ${guard.received.length - before}`);
  console.log(`check: ${name} → ${a.status}${a.code ? ` ${a.code}` : ''}${a.error ? ` ${a.error}` : ''}`);
  return a;
}

// ---------------------------------------------------------------------------------------------
// 1. Transport certificate ∈ software key set (UK)
// ---------------------------------------------------------------------------------------------

test('transport certificate: the WSO2 transport certificate is a use=tls key of the software key set', async () => {
  const serve = (...extra) => serving({ [DIRECTORY_URL]: set(k.directory), [SOFTWARE_JWKS_URL]: { keys: [k.software.publicJwk, ...extra] } });
  guard.directory = serve(tlsKey('wso2-transport'));
  await guard.start(baseVars(ukVars({ DCR_REQUIRE_MTLS: 'true' })));
  const token = await registration(k);
  await expect('transport cert = x5c[0] of a use=tls key', await guard.fetch('/register', { body: token, cert: cert('wso2-transport') }), 201, { forwarded: 1 });
  assert.ok(guard.received[0].body.equals(Buffer.from(token)), 'byte for byte');
  await expect('the signing certificate presented for TLS', await guard.fetch('/register', { body: await registration(k), cert: cert('wso2-signing') }), 400, { code: 'mtls.cert_not_in_jwks', error: 'invalid_software_statement', before: 1 });
  // By x5t#S256 alone; the OB keystore's padded form is the rule software_jwks.x5t_padded
  // (spec preset: refused; the default interop and lenient: accepted with a warning).
  guard.directory = serve(tlsKey('wso2-transport', { x5c: false, x5t: 'x5t#S256' }));
  await guard.start(baseVars(ukVars({ DCR_REQUIRE_MTLS: 'true' })));
  await expect('transport cert = x5t#S256', await guard.fetch('/register', { body: await registration(k), cert: cert('wso2-transport') }), 201, { forwarded: 1 });
  guard.directory = serve(tlsKey('wso2-transport', { x5c: false, x5t: 'x5t#S256 padded' }));
  await guard.start(baseVars(ukVars({ DCR_REQUIRE_MTLS: 'true', DCR_POLICY: 'spec' })));
  await expect('padded x5t#S256, spec', await guard.fetch('/register', { body: await registration(k), cert: cert('wso2-transport') }), 400, { code: 'jwk.x5t_padded' });
  await guard.start(baseVars(ukVars({ DCR_REQUIRE_MTLS: 'true' })));
  await expect('padded x5t#S256, default (interop)', await guard.fetch('/register', { body: await registration(k), cert: cert('wso2-transport') }), 201, { forwarded: 1 });
  await guard.start(baseVars(ukVars({ DCR_REQUIRE_MTLS: 'true', DCR_MODE: 'lenient' })));
  await expect('padded x5t#S256, lenient', await guard.fetch('/register', { body: await registration(k), cert: cert('wso2-transport') }), 201, { forwarded: 1 });
  // No use=tls key at all: UK requires one.
  guard.directory = serve();
  await guard.start(baseVars(ukVars({ DCR_REQUIRE_MTLS: 'true' })));
  await expect('no use=tls key in the software key set', await guard.fetch('/register', { body: await registration(k), cert: cert('wso2-transport') }), 400, { code: 'mtls.cert_not_in_jwks' });
  await guard.start(baseVars(ukVars({ DCR_REQUIRE_MTLS: 'true', DCR_TRANSPORT_CERT: 'off' })));
  await expect('the same with DCR_TRANSPORT_CERT=off', await guard.fetch('/register', { body: await registration(k), cert: cert('wso2-transport') }), 201, { forwarded: 1 });
});

// ---------------------------------------------------------------------------------------------
// 2. Revoked keys (UK)
// ---------------------------------------------------------------------------------------------

test('revocation: a request key or transport certificate on the revoked set is refused; the set\'s faults are 503', async () => {
  const routes = (revoked, org) => ({ [DIRECTORY_URL]: set(k.directory), [SOFTWARE_JWKS_URL]: { keys: [k.software.publicJwk, tlsKey('wso2-transport')] }, [REVOKED_URL]: revoked, ...(org ? { [ORG_REVOKED_URL]: org } : {}) });
  const withOrg = (s) => { s.org_jwks_revoked_endpoint = ORG_REVOKED_URL; };
  guard.directory = serving(routes({ keys: [k.rotated.publicJwk] }, { keys: [] }));
  await guard.start(baseVars(ukVars(FAULT_VARS)));
  await expect('revoked set without the request key', await guard.fetch('/register', { body: await registration(k, { ssaChange: withOrg }), cert: cert('wso2-transport') }), 201, { forwarded: 1 });
  assert.ok(guard.fetched.includes(REVOKED_URL) && guard.fetched.includes(ORG_REVOKED_URL), guard.fetched.join());
  guard.directory = serving(routes(set(k.software)));
  await expect('request signed with a revoked key', await guard.fetch('/register', { body: await registration(k) }), 400, { code: 'revocation.key_revoked', error: 'unapproved_software_statement', before: 1 });
  guard.directory = serving(routes({ keys: [] }, { keys: [tlsKey('wso2-transport', { x5c: false, x5t: 'x5t#S256' })] }));
  await expect('transport certificate on the organisation\'s revoked set', await guard.fetch('/register', { body: await registration(k, { ssaChange: withOrg }), cert: cert('wso2-transport') }), 400, { code: 'revocation.cert_revoked', error: 'unapproved_software_statement', before: 1 });
  // No revoked endpoint in the statement: a warning, not a failure.
  await expect('statement without software_jwks_revoked_endpoint', await guard.fetch('/register', { body: await registration(k, { ssaChange: (s) => { delete s.software_jwks_revoked_endpoint; } }) }), 201, { forwarded: 1, before: 1 });
  // A revoked endpoint outside the allow-list: refused, not fetched.
  await expect('revoked endpoint on another host', await guard.fetch('/register', { body: await registration(k, { ssaChange: (s) => { s.software_jwks_revoked_endpoint = 'https://attacker.example/revoked.jwks'; } }) }), 400, { code: 'jwks.url_refused', before: 2 });
  for (const [name, fault] of [...FAULTS, ['garbage (not a key set)', () => new Response('<html>')]]) {
    guard.directory = serving(routes(fault));
    const before = guard.received.length;
    await expect(`revoked set ${name}`, await guard.fetch('/register', { body: await registration(k) }), 503, { code: 'revocation.unavailable', before });
  }
  await guard.start(baseVars(ukVars({ ...FAULT_VARS, DCR_REVOCATION: 'off' })));
  await expect('revoked set down, DCR_REVOCATION=off', await guard.fetch('/register', { body: await registration(k) }), 201, { forwarded: 1 });
});

// ---------------------------------------------------------------------------------------------
// AU: the Register (directory), the ADR, the status feeds and sector documents
// ---------------------------------------------------------------------------------------------

const AU = {
  issuer: 'https://dh.example.com.au',
  register: 'https://register.test',
  jwks: 'https://register.test/cdr-register/v1/jwks',
  adrJwks: 'https://adr.example.com.au/jwks',
  sector: 'https://adr.example.com.au/sector.json',
  software: 'c6327f87-687a-4369-99a4-eaacd3bb8210',
  entity: '18b75a76-5821-4c9e-b465-4709291cf0f4',
  redirects: ['https://adr.example.com.au/consent/callback'],
};
const PRODUCTS = `${AU.register}/cdr-register/v1/all/data-recipients/brands/software-products/status`;
const RECIPIENTS = `${AU.register}/cdr-register/v1/all/data-recipients/status`;
const feed = (product = 'ACTIVE', recipient = 'ACTIVE') => ({
  [PRODUCTS]: { data: [{ softwareProductId: AU.software, status: product }, { softwareProductId: 'other', status: 'ACTIVE' }], links: { self: PRODUCTS }, meta: {} },
  [RECIPIENTS]: { data: [{ legalEntityId: AU.entity, status: recipient }], links: { self: RECIPIENTS }, meta: {} },
});

let au;
async function auKeys() {
  au ??= { register: await newKey('PS256', 'register-1', { alg: 'PS256' }), adr: await newKey('PS256', 'adr-1', { alg: 'PS256' }) };
  return au;
}

async function auRegistration({ ssaChange = () => {}, change = () => {} } = {}) {
  const { register, adr } = await auKeys();
  const s = {
    legal_entity_id: AU.entity, legal_entity_name: 'Demo Data Recipient', iss: 'cdr-register', iat: now() - 60, exp: now() + 540, jti: uuid().replaceAll('-', ''),
    org_id: 'ffb1c8ba-279e-44d8-96f0-1bc34a6b436f', org_name: 'Demo ADR', client_name: 'Demo Budget App', client_description: 'A demo software product',
    client_uri: 'https://adr.example.com.au', redirect_uris: AU.redirects, sector_identifier_uri: AU.sector, logo_uri: 'https://adr.example.com.au/logo.png',
    jwks_uri: AU.adrJwks, revocation_uri: 'https://adr.example.com.au/revocation', recipient_base_uri: 'https://adr.example.com.au', software_id: AU.software,
    software_roles: 'data-recipient-software-product', scope: 'openid profile cdr:registration bank:accounts.basic:read',
  };
  ssaChange(s);
  const r = {
    iss: AU.software, iat: now() - 5, exp: now() + 300, jti: uuid(), aud: AU.issuer, redirect_uris: AU.redirects, token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'PS256', grant_types: ['client_credentials', 'authorization_code', 'refresh_token'], response_types: ['code'], application_type: 'web',
    id_token_signed_response_alg: 'PS256', request_object_signing_alg: 'PS256', authorization_signed_response_alg: 'PS256', software_statement: await sign(register, s),
  };
  change(r);
  return sign(adr, r);
}

async function auStart(routes = {}, extra = {}) {
  const { register, adr } = await auKeys();
  guard.directory = serving({ [AU.jwks]: set(register), [AU.adrJwks]: set(adr), [AU.sector]: AU.redirects, ...feed(), ...routes });
  await guard.start(baseVars({
    DCR_PROFILE: 'au-cdr', DCR_ISSUER: AU.issuer, DCR_DIRECTORY_JWKS_URL: AU.jwks, DCR_REGISTER_URL: AU.register,
    DCR_HOST_BINDINGS: 'register.test=DIRECTORY,adr.example.com.au=DIRECTORY', ...FAULT_VARS, ...extra,
  }));
}

// ---------------------------------------------------------------------------------------------
// 3. Register status (AU)
// ---------------------------------------------------------------------------------------------

test('Register status: polled by the Cron Trigger into KV; not ACTIVE is refused; missing or stale data is 503 (or a warning)', async () => {
  await auStart();
  await expect('no snapshot yet: the registration polls the Register itself', await guard.fetch('/register', { body: await auRegistration() }), 201, { forwarded: 1 });
  assert.deepEqual(guard.fetched.filter((u) => u === PRODUCTS || u === RECIPIENTS), [PRODUCTS, RECIPIENTS]);
  await auStart();
  await guard.scheduled();
  const polled = guard.fetched.filter((u) => u === PRODUCTS || u === RECIPIENTS);
  assert.deepEqual(polled, [PRODUCTS, RECIPIENTS], 'the Cron Trigger polled both feeds');
  const token = await auRegistration();
  await expect('product and recipient ACTIVE', await guard.fetch('/register', { body: token }), 201, { forwarded: 1 });
  assert.ok(guard.received[0].body.equals(Buffer.from(token)));
  for (const [product, recipient, code] of [['INACTIVE', 'ACTIVE', 'register.software_inactive'], ['REMOVED', 'ACTIVE', 'register.software_inactive'], ['ACTIVE', 'SUSPENDED', 'register.recipient_inactive']]) {
    await auStart(feed(product, recipient));
    await guard.scheduled();
    await expect(`product ${product}, recipient ${recipient}`, await guard.fetch('/register', { body: await auRegistration() }), 400, { code, error: 'unapproved_software_statement' });
  }
  await auStart();
  await guard.scheduled();
  await expect('software product not in the feed', await guard.fetch('/register', { body: await auRegistration({ ssaChange: (s) => { s.software_id = 'a7bc2f0e-0000-4000-8000-000000000001'; }, change: (r) => { r.iss = 'a7bc2f0e-0000-4000-8000-000000000001'; } }) }), 400, { code: 'register.status_unknown' });
  // A later poll that misses the product keeps its last known status.
  guard.directory = serving({ [AU.jwks]: set(au.register), [AU.adrJwks]: set(au.adr), [AU.sector]: AU.redirects, [PRODUCTS]: { data: [] }, [RECIPIENTS]: { data: [] } });
  await guard.scheduled();
  await expect('after a poll without the product (last known value kept)', await guard.fetch('/register', { body: await auRegistration() }), 201, { forwarded: 1 });
  // Stale: older than DCR_REGISTER_STATUS_MAX_AGE. The registration polls once itself; while the
  // Register is down → 503, or a warning with DCR_REGISTER_STATUS_STALE=warn; once it is back → fresh.
  const down = () => { guard.directory = serving({ [AU.jwks]: set(au.register), [AU.adrJwks]: set(au.adr), [AU.sector]: AU.redirects, [PRODUCTS]: new Response('down', { status: 503 }) }); };
  await auStart({}, { DCR_REGISTER_STATUS_MAX_AGE: '1' });
  await guard.scheduled();
  await sleep(2100);
  down();
  await expect('status data older than the maximum age, Register down', await guard.fetch('/register', { body: await auRegistration() }), 503, { code: 'register.status_unavailable' });
  await auStart({}, { DCR_REGISTER_STATUS_MAX_AGE: '1' });
  await guard.scheduled();
  await sleep(2100);
  await expect('status data older than the maximum age, Register up (refreshed inline)', await guard.fetch('/register', { body: await auRegistration() }), 201, { forwarded: 1 });
  await auStart({}, { DCR_REGISTER_STATUS_MAX_AGE: '1', DCR_REGISTER_STATUS_STALE: 'warn' });
  await guard.scheduled();
  await sleep(2100);
  down();
  await expect('stale status data, Register down, DCR_REGISTER_STATUS_STALE=warn', await guard.fetch('/register', { body: await auRegistration() }), 201, { forwarded: 1 });
  // The feeds' faults: the poll fails and stores nothing. With a fresh earlier snapshot the
  // registration goes on (last known values); without one, its own poll fails too: 503.
  await auStart({ [PRODUCTS]: new Response('error', { status: 500 }) });
  await expect('Register feed down, earlier snapshot fresh', await guard.fetch('/register', { body: await auRegistration() }), 201, { forwarded: 1 });
  // (The feeds may be up to 4 MiB: "oversized" is 5 MB here.)
  const feedFaults = FAULTS.map(([n, f]) => (n.startsWith('oversized') ? ['oversized (5 MB, no length)', trickle('x'.repeat(65_536), 80, 0)] : [n, f]));
  for (const [name, fault] of [...feedFaults, ['garbage (HTML)', () => new Response('<html>maintenance</html>')]]) {
    await auStart({ [PRODUCTS]: fault });
    await (await guard.mf.getKVNamespace('DCR_STATUS')).delete('register-status');
    await guard.scheduled();
    await expect(`Register status feed ${name}`, await guard.fetch('/register', { body: await auRegistration() }), 503, { code: 'register.status_unavailable' });
  }
  // Configured off: no status asked.
  await auStart({}, { DCR_REGISTER_STATUS: 'off' });
  await expect('DCR_REGISTER_STATUS=off, never polled', await guard.fetch('/register', { body: await auRegistration() }), 201, { forwarded: 1 });
});

// ---------------------------------------------------------------------------------------------
// 4. sector_identifier_uri
// ---------------------------------------------------------------------------------------------

test('sector_identifier_uri: every redirect URI must be in the document; a broken document is 400, an unreachable one 503', async () => {
  const start = async (doc, extra = {}) => { await auStart({ [AU.sector]: doc }, { DCR_REGISTER_STATUS: 'off', ...extra }); };
  await start([...AU.redirects, 'https://adr.example.com.au/other']);
  await expect('document holds every redirect URI', await guard.fetch('/register', { body: await auRegistration() }), 201, { forwarded: 1 });
  assert.ok(guard.fetched.includes(AU.sector));
  await start(['https://adr.example.com.au/other']);
  await expect('document lacks the redirect URI', await guard.fetch('/register', { body: await auRegistration() }), 400, { code: 'sector_identifier.mismatch', error: 'invalid_client_metadata' });
  for (const [name, doc] of [['an object, not an array', { redirect_uris: AU.redirects }], ['not JSON', '<html>'], ['an array with a number', [AU.redirects[0], 7]]]) {
    await start(doc);
    await expect(`document ${name}`, await guard.fetch('/register', { body: await auRegistration() }), 400, { code: 'sector_identifier.invalid', error: 'invalid_client_metadata' });
  }
  await start(AU.redirects, { DCR_SECTOR_ALLOWED_HOSTS: 'sector.example.com.au' });
  await expect('sector host not allowed', await guard.fetch('/register', { body: await auRegistration() }), 400, { code: 'sector_identifier.url_refused', error: 'invalid_client_metadata' });
  for (const [name, fault] of [...FAULTS, ['oversized (70 KB with a length)', () => new Response('x'.repeat(70_000))]]) {
    await start(fault);
    await expect(`sector document ${name}`, await guard.fetch('/register', { body: await auRegistration() }), 503, { code: 'sector_identifier.unavailable' });
  }
  await start(new Response('down', { status: 500 }), { DCR_SECTOR_IDENTIFIER: 'off' });
  await expect('sector document down, DCR_SECTOR_IDENTIFIER=off', await guard.fetch('/register', { body: await auRegistration() }), 201, { forwarded: 1 });
});

// ---------------------------------------------------------------------------------------------
// 5. Management calls
// ---------------------------------------------------------------------------------------------

test('management tokens: JWTs verified with the bank key set, claims and cnf checked; opaque ones introspected', async () => {
  const bank = await newKey('PS256', 'bank-1');
  const BANK_JWKS = 'https://auth.bank.test/jwks';
  const INTROSPECT = 'https://auth.bank.test/introspect';
  const tlsCert = cert('wso2-transport');
  const x5t = b64u(Buffer.from(tlsCert.sha256, 'hex'));
  const claims = (change = () => {}) => {
    const c = { iss: 'https://auth.bank.example', aud: 'https://bank.example', client_id: 'c-1', scope: 'openid', exp: now() + 300, iat: now() - 5, cnf: { 'x5t#S256': x5t } };
    change(c);
    return c;
  };
  const introspections = [];
  let introspected = { active: true, ...claims() };
  const start = async (extra = {}, routes = {}) => {
    guard.directory = async (request) => {
      if (request.url === INTROSPECT) {
        introspections.push({ auth: request.headers.get('authorization'), body: await request.text() });
        return Response.json(introspected);
      }
      return serving({ [BANK_JWKS]: set(bank), [DIRECTORY_URL]: set(k.directory), [SOFTWARE_JWKS_URL]: set(k.software), ...routes })(request);
    };
    await guard.start(baseVars(ukVars({
      DCR_REQUIRE_MTLS: 'true', DCR_TRANSPORT_CERT: 'off', DCR_TOKEN_JWKS_URL: BANK_JWKS, DCR_TOKEN_ISSUER: 'https://auth.bank.example', DCR_TOKEN_AUDIENCES: 'https://bank.example',
      DCR_INTROSPECTION_URL: INTROSPECT, DCR_INTROSPECTION_CLIENT_ID: 'dcr-guard', DCR_INTROSPECTION_CLIENT_SECRET: 's3cret:&=', ...FAULT_VARS,
      DCR_HOST_BINDINGS: 'auth.bank.test=DIRECTORY,directory.test=DIRECTORY,keystore.openbankingtest.org.uk=DIRECTORY', ...extra,
    })));
  };
  const call = async (token, { method = 'GET', path = '/register/c-1', c = tlsCert } = {}) =>
    guard.fetch(path, { method, cert: c, headers: token ? { authorization: `Bearer ${token}` } : {} });
  await start();
  await expect('a valid bound JWT (GET)', await call(await sign(bank, claims())), 201, { forwarded: 1 });
  await expect('a valid bound JWT (DELETE)', await call(await sign(bank, claims()), { method: 'DELETE' }), 201, { forwarded: 1, before: 1 });
  const rows = [
    ['no bearer token', null, 'token.missing'],
    ['expired', await sign(bank, claims((c) => { c.exp = now() - 3600; })), 'token.expired'],
    ['another client_id', await sign(bank, claims((c) => { c.client_id = 'c-2'; })), 'token.client_mismatch'],
    ['another issuer', await sign(bank, claims((c) => { c.iss = 'https://evil.example'; })), 'token.issuer'],
    ['another audience', await sign(bank, claims((c) => { c.aud = 'https://evil.example'; })), 'token.audience'],
    ['bound to another certificate', await sign(bank, claims((c) => { c.cnf['x5t#S256'] = b64u(Buffer.from(CERTS['wso2-signing'].sha256, 'hex')); })), 'token.cnf_mismatch'],
    ['not bound (mTLS required)', await sign(bank, claims((c) => { delete c.cnf; })), 'token.cnf_missing'],
    ['the mock SHA-1 cnf outside the cdr-mock preset', await sign(bank, claims((c) => { c.cnf['x5t#S256'] = tlsCert.sha1.toUpperCase(); })), 'token.cnf_mismatch'],
    ['signed by an unknown key', await sign(k.stranger, claims()), 'token.invalid'],
    ['signed RS256', await sign(await newKey('RS256', 'bank-1'), claims()), 'token.invalid'],
  ];
  for (const [name, token, code] of rows) {
    await expect(`management token ${name}`, await call(token), 401, { code, error: 'invalid_token', before: 2 });
  }
  // PUT: the token, then the full validation of the body.
  const put = await guard.fetch('/register/c-1', { method: 'PUT', cert: tlsCert, body: await registration(k, { change: (c) => { c.client_id = 'c-1'; } }), headers: { authorization: `Bearer ${await sign(bank, claims())}` } });
  await expect('PUT with a valid token and a valid body', put, 201, { forwarded: 1, before: 2 });
  // Opaque tokens: RFC 7662 introspection with the Worker's client credentials.
  await expect('opaque token, active', await call('opaque-token-1'), 201, { forwarded: 1, before: 3 });
  assert.equal(introspections.at(-1).auth, `Basic ${Buffer.from('dcr-guard:s3cret%3A%26%3D').toString('base64')}`);
  assert.equal(introspections.at(-1).body, 'token=opaque-token-1&token_type_hint=access_token');
  introspected = { active: false };
  await expect('opaque token, inactive', await call('opaque-token-2'), 401, { code: 'token.inactive', before: 4 });
  introspected = { active: true, ...claims((c) => { c.client_id = 'c-9'; }) };
  await expect('opaque token of another client', await call('opaque-token-3'), 401, { code: 'token.client_mismatch', before: 4 });
  // Sources down: 503, nothing forwarded.
  for (const [name, fault] of FAULTS) {
    await start({}, { [BANK_JWKS]: fault });
    await expect(`bank key set ${name}`, await call(await sign(bank, claims())), 503, { code: 'token.unavailable' });
    guard.directory = async (request) => (request.url === INTROSPECT ? fault(request) : new Response('nf', { status: 404 }));
    await expect(`introspection endpoint ${name}`, await call('opaque-token-4'), 503, { code: 'token.unavailable' });
  }
  // Only a key set: opaque tokens cannot be verified. Nothing configured: 500 on management routes.
  await start({ DCR_INTROSPECTION_URL: '' });
  await expect('opaque token without introspection', await call('opaque-token-5'), 401, { code: 'token.unverifiable' });
  await start({ DCR_INTROSPECTION_URL: '', DCR_TOKEN_JWKS_URL: '' });
  await expect('no token validation configured', await call(await sign(bank, claims())), 500);
  await expect('a registration still works', await guard.fetch('/register', { body: await registration(k), cert: tlsCert }), 201, { forwarded: 1 });
  // AU requires the cdr:registration scope; the cdr-mock preset accepts the mock's SHA-1 cnf (a warning).
  await auStart({ [BANK_JWKS]: set(bank) }, { DCR_REGISTER_STATUS: 'off', DCR_TOKEN_JWKS_URL: BANK_JWKS, DCR_HOST_BINDINGS: 'register.test=DIRECTORY,adr.example.com.au=DIRECTORY,auth.bank.test=DIRECTORY', DCR_TOKEN_REQUIRE_CNF: 'on' });
  await expect('AU token without cdr:registration', await call(await sign(bank, claims())), 401, { code: 'token.scope' });
  await expect('AU token with cdr:registration', await call(await sign(bank, claims((c) => { c.scope = 'cdr:registration'; }))), 201, { forwarded: 1 });
  await expect('AU token with the mock SHA-1 cnf', await call(await sign(bank, claims((c) => { c.scope = 'cdr:registration'; c.cnf['x5t#S256'] = tlsCert.sha1.toUpperCase(); }))), 401, { code: 'token.cnf_mismatch', before: 1 });
  await auStart({ [BANK_JWKS]: set(bank) }, { DCR_DIRECTORY: 'cdr-mock', DCR_DIRECTORY_JWKS_URL: AU.jwks, DCR_JWKS_ALLOWED_HOSTS: 'adr.example.com.au', DCR_REGISTER_STATUS: 'off', DCR_TOKEN_JWKS_URL: BANK_JWKS, DCR_HOST_BINDINGS: 'register.test=DIRECTORY,adr.example.com.au=DIRECTORY,auth.bank.test=DIRECTORY', DCR_TOKEN_REQUIRE_CNF: 'on' });
  await expect('cdr-mock preset: the mock SHA-1 cnf (warning)', await call(await sign(bank, claims((c) => { c.scope = 'cdr:registration'; c.cnf['x5t#S256'] = tlsCert.sha1.toUpperCase(); }))), 201, { forwarded: 1 });
});

// ---------------------------------------------------------------------------------------------
// 6. Trust-anchor presets
// ---------------------------------------------------------------------------------------------

test('trust-anchor presets: DCR_DIRECTORY sets the directory key set, issuer and hosts; explicit variables override', async () => {
  const OB_SANDBOX = 'https://keystore.openbankingtest.org.uk/keystore/openbanking.jwks';
  guard.directory = serving({ [OB_SANDBOX]: set(k.directory), [SOFTWARE_JWKS_URL]: set(k.software) });
  const vars = baseVars(ukVars({ DCR_DIRECTORY: 'ob-sandbox' }));
  delete vars.DCR_DIRECTORY_JWKS_URL;
  delete vars.DCR_JWKS_ALLOWED_HOSTS;
  await guard.start(vars);
  await expect('ob-sandbox preset', await guard.fetch('/register', { body: await registration(k) }), 201, { forwarded: 1 });
  assert.equal(guard.fetched[0], OB_SANDBOX);
  // The production keystore is not on the sandbox preset's allow-list.
  await expect('ob-sandbox preset, software key set on the production keystore', await guard.fetch('/register', { body: await registration(k, { ssaChange: (s) => { s.software_jwks_endpoint = `https://keystore.openbanking.org.uk/${ORG}/${SOFTWARE}.jwks`; } }) }), 400, { code: 'jwks.url_refused', before: 1 });
  // Explicit variables override the preset.
  await guard.start({ ...vars, DCR_DIRECTORY_JWKS_URL: DIRECTORY_URL });
  guard.directory = serving({ [DIRECTORY_URL]: set(k.directory), [SOFTWARE_JWKS_URL]: set(k.software) });
  await expect('ob-sandbox preset with DCR_DIRECTORY_JWKS_URL', await guard.fetch('/register', { body: await registration(k) }), 201, { forwarded: 1 });
  assert.equal(guard.fetched[0], DIRECTORY_URL);
  for (const broken of [{ DCR_DIRECTORY: 'cdr-production' }, { DCR_DIRECTORY: 'ob-elsewhere' }]) {
    await guard.start({ ...vars, ...broken });
    await expect(`misconfigured ${JSON.stringify(broken)}`, await guard.fetch('/register', { body: await registration(k) }), 500);
  }
  // AU: cdr-production turns the Register status on, which needs the KV binding and polls its Register.
  const { register, adr } = await auKeys();
  guard.directory = serving({ 'https://api.cdr.gov.au/cdr-register/v1/jwks': set(register), [AU.adrJwks]: set(adr), [AU.sector]: AU.redirects,
    'https://api.cdr.gov.au/cdr-register/v1/all/data-recipients/brands/software-products/status': feed()[PRODUCTS],
    'https://api.cdr.gov.au/cdr-register/v1/all/data-recipients/status': feed()[RECIPIENTS] });
  await guard.start(baseVars({ DCR_PROFILE: 'au-cdr', DCR_ISSUER: AU.issuer, DCR_DIRECTORY: 'cdr-production', DCR_HOST_BINDINGS: 'api.cdr.gov.au=DIRECTORY,adr.example.com.au=DIRECTORY', DCR_JWKS_ALLOWED_HOSTS: '' }));
  await guard.scheduled();
  await expect('cdr-production preset (status polled from the Register)', await guard.fetch('/register', { body: await auRegistration() }), 201, { forwarded: 1 });
});
