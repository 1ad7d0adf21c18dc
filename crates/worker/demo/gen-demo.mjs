// Mints the demo's keys and sample requests into crates/worker/demo/.run/ (not committed):
// a demo directory key set, a demo TPP key set, and sample UK v3.3 registration requests, one
// valid and several invalid, each valid for an hour. Test keys only; run again to rotate them.
// Also stages the debugger page (js/site with the built package) under .run/public, which the
// demo's dcr-guard Worker serves as static assets at /debugger/, with these samples first.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newKey, jwks, sign, uuid } from '../../../tests/vectors/gen/dcr-lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '.run');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'samples'), { recursive: true });

export const KEYSTORE = 'keystore.demo.dcr-guard.example';
export const REGISTER = 'register.demo.dcr-guard.example';
export const ADR = 'adr.demo.dcr-guard.example';
const ORG = '0015800001HQQrZAAX';
const SOFTWARE = 'DemoTppSoftware0000001';
const now = Math.floor(Date.now() / 1000);

// Key IDs carry the minting time, as real key rotations do, so no cache confuses two runs.
const directory = await newKey('PS256', `demo-directory-${now}`);
const tpp = await newKey('PS256', `demo-tpp-${now}`);
const stranger = await newKey('PS256', `demo-tpp-${now}`);
// A TPP key the directory has revoked: still in the software key set, and on its revoked set.
const revoked = await newKey('PS256', `demo-tpp-revoked-${now}`);
// The demo bank's authorisation server key, for management access tokens.
const bank = await newKey('PS256', `demo-bank-${now}`);

const ssaClaims = {
  iss: 'OpenBanking Ltd', iat: now - 600, jti: 'd3m0d3m0d3m0d3m0', software_environment: 'sandbox', software_mode: 'Test',
  software_id: SOFTWARE, software_client_id: SOFTWARE, software_client_name: 'Demo TPP', software_version: '1.0',
  software_client_uri: 'https://tpp.demo.example', software_redirect_uris: ['https://tpp.demo.example/callback'],
  software_roles: ['AISP', 'PISP'], org_status: 'Active', org_id: ORG, org_name: 'Demo TPP Ltd',
  org_jwks_endpoint: `https://${KEYSTORE}/${ORG}/${ORG}.jwks`, software_jwks_endpoint: `https://${KEYSTORE}/${ORG}/${SOFTWARE}.jwks`,
  software_jwks_revoked_endpoint: `https://${KEYSTORE}/${ORG}/revoked/${SOFTWARE}.jwks`,
};
const ssa = await sign(directory, ssaClaims);
const request = (change = {}, statement = ssa) => ({
  iss: SOFTWARE, iat: now, exp: now + 3600, aud: '0015800000jfwxXAAQ', jti: uuid(),
  redirect_uris: ['https://tpp.demo.example/callback'], token_endpoint_auth_method: 'private_key_jwt',
  token_endpoint_auth_signing_alg: 'PS256', grant_types: ['authorization_code', 'client_credentials', 'refresh_token'],
  response_types: ['code id_token'], software_id: SOFTWARE, scope: 'openid accounts payments', software_statement: statement,
  application_type: 'web', id_token_signed_response_alg: 'PS256', request_object_signing_alg: 'PS256', ...change,
});

const SECTOR = `https://${KEYSTORE}/${ORG}/sector.json`;
// name → [description, token, the RFC 7591 error and finding code the Worker answers (null: 201)].
const samples = {
  valid: ['a valid registration (send it twice: the second is refused as a replay)', await sign(tpp, request()), null],
  'bad-redirect': ['a redirect URI the software statement does not list', await sign(tpp, request({ redirect_uris: ['https://evil.example/callback'] })), ['invalid_redirect_uri', 'redirect_uri.not_in_ssa']],
  'bad-signature': ['signed by a key that is not the TPP\'s', await sign(stranger, request()), ['invalid_client_metadata', 'jws.signature_invalid']],
  'forged-ssa': ['a software statement not signed by the directory', await sign(tpp, request({}, await sign(stranger, ssaClaims))), ['invalid_software_statement', 'jwk.kid_not_found']],
  'alg-rs256': ['signed with RS256, below the FAPI floor', await sign(await newKey('RS256', `demo-tpp-${now}`), request()), ['invalid_client_metadata', 'jws.alg_not_allowed']],
  expired: ['an expired request', await sign(tpp, request({ iat: now - 7200, exp: now - 3600 })), ['invalid_client_metadata', 'time.expired']],
  'client-secret': ['client_secret_basic authentication, not FAPI', await sign(tpp, request({ token_endpoint_auth_method: 'client_secret_basic' })), ['invalid_client_metadata', 'auth_method.not_fapi']],
  // The checks with I/O (the Worker fetches; the debugger page, offline, cannot show them).
  'revoked-key': ['signed with a key on the directory\'s revoked key set', await sign(revoked, request()), ['unapproved_software_statement', 'revocation.key_revoked']],
  'bad-sector': ['a sector_identifier_uri document that lacks the redirect URI', await sign(tpp, request({ sector_identifier_uri: SECTOR, redirect_uris: ['https://tpp.demo.example/callback2'] }, await sign(directory, { ...ssaClaims, software_redirect_uris: [...ssaClaims.software_redirect_uris, 'https://tpp.demo.example/callback2'] }))), ['invalid_client_metadata', 'sector_identifier.mismatch']],
};
const ioChecks = new Set(['revoked-key', 'bad-sector']);

// AU (the demo's second guard, at /au/register): a CDR Register (key set and status feeds) and
// an ADR with two software products, one ACTIVE and one the Register lists as INACTIVE.
const register = await newKey('PS256', `demo-register-${now}`, { alg: 'PS256' });
const adr = await newKey('PS256', `demo-adr-${now}`, { alg: 'PS256' });
const AU_ACTIVE = '6f1e2c3a-0b4d-4e5f-8a9b-0c1d2e3f4a5b';
const AU_INACTIVE = '7a2f3d4b-1c5e-4f60-9bac-1d2e3f4a5b6c';
const AU_ENTITY = '18b75a76-5821-4c9e-b465-4709291cf0f4';
const auSsa = (softwareId) => sign(register, {
  legal_entity_id: AU_ENTITY, legal_entity_name: 'Demo Data Recipient', iss: 'cdr-register', iat: now - 60, exp: now + 3540,
  jti: uuid().replaceAll('-', ''), org_id: 'ffb1c8ba-279e-44d8-96f0-1bc34a6b436f', org_name: 'Demo ADR', client_name: 'Demo Budget App',
  client_description: 'A demo software product', client_uri: `https://${ADR}`, redirect_uris: [`https://${ADR}/callback`],
  logo_uri: `https://${ADR}/logo.png`, jwks_uri: `https://${ADR}/adr/jwks`, revocation_uri: `https://${ADR}/revocation`,
  recipient_base_uri: `https://${ADR}`, software_id: softwareId, software_roles: 'data-recipient-software-product',
  scope: 'openid profile cdr:registration bank:accounts.basic:read',
});
const auRequest = async (softwareId) => sign(adr, {
  iss: softwareId, iat: now, exp: now + 3600, jti: uuid(), aud: 'https://dh.demo-bank.example', redirect_uris: [`https://${ADR}/callback`],
  token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'PS256',
  grant_types: ['client_credentials', 'authorization_code', 'refresh_token'], response_types: ['code'], application_type: 'web',
  id_token_signed_response_alg: 'PS256', request_object_signing_alg: 'PS256', authorization_signed_response_alg: 'PS256',
  software_statement: await auSsa(softwareId),
});
samples['au-valid'] = ['AU: a valid registration of an ACTIVE software product', await auRequest(AU_ACTIVE), null];
samples['au-inactive'] = ['AU: a software product the CDR Register lists as INACTIVE', await auRequest(AU_INACTIVE), ['unapproved_software_statement', 'register.software_inactive']];
for (const name of ['au-valid', 'au-inactive']) ioChecks.add(name);
const pathOf = (name) => (name.startsWith('au-') ? '/au/register' : '/register');
for (const [name, [, token]] of Object.entries(samples)) writeFileSync(join(out, 'samples', `${name}.jwt`), token);
// Management access tokens for GET/DELETE /register/c-1: valid, and expired (token.expired).
const access = (exp) => sign(bank, { iss: 'https://auth.demo-bank.example', client_id: 'c-1', scope: 'openid', iat: now, exp });
const tokens = { 'management-valid': await access(now + 3600), 'management-expired': await access(now - 60) };
for (const [name, token] of Object.entries(tokens)) writeFileSync(join(out, 'samples', `${name}.token`), token);

const data = {
  keystore: KEYSTORE,
  generated: new Date(now * 1000).toISOString(),
  files: {
    '/directory.jwks': jwks(directory),
    [`/${ORG}/${SOFTWARE}.jwks`]: jwks(tpp, revoked),
    [`/${ORG}/revoked/${SOFTWARE}.jwks`]: jwks(revoked),
    [`/${ORG}/sector.json`]: ['https://tpp.demo.example/callback'],
    '/bank.jwks': jwks(bank),
    '/cdr-register/v1/jwks': jwks(register),
    '/cdr-register/v1/all/data-recipients/brands/software-products/status': {
      data: [{ softwareProductId: AU_ACTIVE, status: 'ACTIVE' }, { softwareProductId: AU_INACTIVE, status: 'INACTIVE' }], links: {}, meta: {},
    },
    '/cdr-register/v1/all/data-recipients/status': { data: [{ legalEntityId: AU_ENTITY, status: 'ACTIVE' }], links: {}, meta: {} },
    '/adr/jwks': jwks(adr),
  },
  tokens,
  samples: Object.fromEntries(Object.entries(samples).map(([n, [d, t, e]]) => [n, { description: d, token: t, path: pathOf(n), error: e?.[0] ?? null, code: e?.[1] ?? null }])),
};
writeFileSync(join(out, 'demo-data.json'), JSON.stringify(data, null, 2));
console.log(`demo keys and ${Object.keys(samples).length} samples written to ${out} (valid until ${new Date((now + 3600) * 1000).toISOString()})`);

// The debugger page, served by the demo Worker as static assets (guard.toml [assets]): the page
// imports ../src/browser-sync.js, which fetches ../dist/dcr_guard_wasm_bg.wasm, so the package's
// folders sit beside it.
const js = join(here, '..', '..', '..', 'js');
const pub = join(out, 'public');
if (!existsSync(join(js, 'dist', 'dcr_guard_wasm_bg.wasm')) || !existsSync(join(js, 'site', 'samples.js'))) {
  throw new Error('build the npm package first (cd js && npm run build)');
}
for (const f of ['index.html', 'app.js', 'style.css']) cpSync(join(js, 'site', f), join(pub, 'debugger', f));
cpSync(join(js, 'src'), join(pub, 'src'), { recursive: true });
for (const f of ['dcr_guard_wasm.js', 'dcr_guard_wasm_bg.wasm']) cpSync(join(js, 'dist', f), join(pub, 'dist', f));
// The demo's own requests come first (validated at the current time, against the demo's keys),
// then the package's samples from the test corpus.
const corpusSamples = readFileSync(join(js, 'site', 'samples.js'), 'utf8').match(/^export default (.*);\s*$/m)?.[1];
if (!corpusSamples) throw new Error('js/site/samples.js has an unexpected shape');
const demoSamples = Object.entries(samples).filter(([name]) => !ioChecks.has(name)).map(([name, [description, token, error]]) => ({
  id: `demo/${name}`,
  title: `Demo — ${description}`,
  description: `This demo's ${name}.jwt, the request the curl commands send. Expected: ${error ? error[0] : 'accepted'}.`,
  token,
  options: {
    profile: 'uk-obie-v3.3', mode: 'strict', issuer: 'https://auth.demo-bank.example', audiences: ['0015800000jfwxXAAQ'],
    now: null, ssaJwks: data.files['/directory.jwks'], softwareJwks: data.files[`/${ORG}/${SOFTWARE}.jwks`], discovery: null,
  },
  expect: error ? { valid: false, error: error[0], codes: [error[1]] } : { valid: true },
}));
writeFileSync(join(pub, 'debugger', 'samples.js'),
  `// Generated by crates/worker/demo/gen-demo.mjs: this run's demo requests, then the package's samples.\nexport default [...${JSON.stringify(demoSamples)}, ...${corpusSamples}];\n`);
console.log(`debugger page staged in ${pub} (served at /debugger/)`);
