// Generates the AU part of the DCR corpus: tests/vectors/dcr/{au-cdr,au-cdr-fixtures}.json
// (the UK manifests come from gen-dcr-uk.mjs). Run from the repository root:
//   node tests/vectors/gen/gen-dcr-au.mjs
// Keys are fresh test keys on every run (only public JWKS are written). Each profile gets a valid
// baseline and one mutation per rule, with the exact error findings the rule must produce.
// The manifest format is documented in dcr-lib.mjs.
import { readFileSync } from 'node:fs';
import { newKey, jwks, sign, signRaw, uuid, mutate, writeManifest, ok, fail, at, NOW, OUT } from './dcr-lib.mjs';

// ---------------------------------------------------------------------------------------------
// AU
// ---------------------------------------------------------------------------------------------
const AU_ISSUER = 'https://dh.example.com.au';
const REGISTER_KID = '203A41DC1743F97212BFBF01B77895CD9F445BFB';
const SOFTWARE_ID = 'c6327f87-687a-4369-99a4-eaacd3bb8210';
const ADR = 'https://adr.example.com.au';

function auSsa() {
  return {
    legal_entity_id: '18b75a76-5821-4c9e-b465-4709291cf0f4',
    legal_entity_name: 'Demo Data Recipient',
    iss: 'cdr-register',
    iat: NOW - 60,
    exp: NOW + 540,
    jti: '85c10f179ab34efc811f5110843722ab',
    org_id: 'ffb1c8ba-279e-44d8-96f0-1bc34a6b436f',
    org_name: 'Demo ADR',
    client_name: 'Demo Budget App',
    client_description: 'A demo software product',
    client_uri: ADR,
    redirect_uris: [`${ADR}/consent/callback`, `${ADR}/consent/callback2`],
    logo_uri: `${ADR}/logo.png`,
    tos_uri: `${ADR}/tos`,
    policy_uri: `${ADR}/policy`,
    jwks_uri: `${ADR}/jwks`,
    revocation_uri: `${ADR}/revocation`,
    recipient_base_uri: ADR,
    software_id: SOFTWARE_ID,
    software_roles: 'data-recipient-software-product',
    scope: 'openid profile cdr:registration bank:accounts.basic:read bank:transactions:read common:customer.basic:read',
  };
}

function auRequest(ssaToken) {
  return {
    iss: SOFTWARE_ID,
    iat: NOW - 10,
    exp: NOW + 290,
    jti: uuid(),
    aud: AU_ISSUER,
    redirect_uris: [`${ADR}/consent/callback`],
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'PS256',
    grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
    response_types: ['code'],
    application_type: 'web',
    id_token_signed_response_alg: 'PS256',
    request_object_signing_alg: 'PS256',
    authorization_signed_response_alg: 'PS256',
    software_statement: ssaToken,
  };
}

const AU_DISCOVERY = {
  issuer: AU_ISSUER,
  registration_endpoint: `${AU_ISSUER}/connect/register`,
  token_endpoint_auth_methods_supported: ['private_key_jwt'],
  token_endpoint_auth_signing_alg_values_supported: ['PS256', 'ES256'],
  id_token_signing_alg_values_supported: ['PS256', 'ES256'],
  request_object_signing_alg_values_supported: ['PS256', 'ES256'],
  authorization_signing_alg_values_supported: ['PS256', 'ES256'],
  authorization_encryption_alg_values_supported: ['RSA-OAEP', 'RSA-OAEP-256'],
  authorization_encryption_enc_values_supported: ['A256GCM', 'A128CBC-HS256'],
  response_types_supported: ['code'],
  response_modes_supported: ['jwt'],
  grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
  scopes_supported: ['openid', 'profile', 'cdr:registration', 'bank:accounts.basic:read'],
};
const AU_DISCOVERY_NO_ENC = { ...AU_DISCOVERY };
delete AU_DISCOVERY_NO_ENC.authorization_encryption_alg_values_supported;
delete AU_DISCOVERY_NO_ENC.authorization_encryption_enc_values_supported;
const AU_DISCOVERY_NO_REFRESH = { ...AU_DISCOVERY, grant_types_supported: ['authorization_code', 'client_credentials'] };

async function auManifest() {
  const profile = 'au-cdr';
  const register = await newKey('PS256', REGISTER_KID, { alg: 'PS256', key_ops: ['verify'] });
  delete register.publicJwk.use; // the mock register's JWKS shape: alg + key_ops, no use
  const registerEs = await newKey('ES256', REGISTER_KID);
  const rogue = await newKey('PS256', REGISTER_KID);
  const adrKid = 'CDF23A1603589A51F01EA729B180DC9C199DE5E2';
  const adr = await newKey('PS256', adrKid, { alg: 'PS256' });
  const adrEs = await newKey('ES256', 'adr-es256');
  const adrStranger = await newKey('PS256', 'not-in-jwks');
  const adrRs = await newKey('RS256', adrKid);
  const baseSsa = auSsa();
  const ssa = (m = () => {}, key = register, header = {}) => sign(key, mutate(baseSsa, m), header);
  const base = auRequest(await ssa());
  const req = async (m = () => {}, key = adr, header = {}) => sign(key, mutate(base, (r) => { r.jti = uuid(); m(r); }), header);
  const withSsa = async (ssaMutation, reqMutation = () => {}, key = register) => {
    const s = await ssa(ssaMutation, key);
    return req((r) => { r.software_statement = s; reqMutation(r); });
  };
  const P = (n) => `/request/claims/${n}`;
  const S = (n) => `/ssa/claims/${n}`;
  const MISC = 'invalid_client_metadata', SSAE = 'invalid_software_statement', UNAP = 'unapproved_software_statement', REDIR = 'invalid_redirect_uri';
  const lenient = { mode: 'lenient' };
  const cases = [];
  const add = (id, rule, token, expect, config) => cases.push({ id: `${profile}/${id}`, rule, token, ...(config ? { config } : {}), expect });
  const pair = async (id, rule, token, strictError, code, pointer, config = {}) => {
    add(`${id}-strict`, `${rule} (strict)`, token, fail(strictError, [at(code, pointer)]), Object.keys(config).length ? config : undefined);
    add(`${id}-lenient`, `${rule} (lenient, mock-compatible: accepted with a warning)`, token, ok([at(code, pointer)]), { ...lenient, ...config });
  };  // Decisions that protect the bank: an error under every policy preset (spec = the 0.1 strict
  // mode, mock = lenient), so both cases of the pair are refused.
  const protects = async (id, rule, token, error, code, pointer, config = {}) => {
    add(`${id}-strict`, `${rule} (strict)`, token, fail(error, [at(code, pointer)]), Object.keys(config).length ? config : undefined);
    add(`${id}-lenient`, `${rule} (mock: still refused, it protects the bank)`, token, fail(error, [at(code, pointer)]), { ...lenient, ...config });
  };


  // valid
  add('baseline', 'a complete, valid registration', await req(), ok());
  add('es256-request', 'ES256 request signature', await req(() => {}, adrEs), ok());
  add('accc-harness-jwks', 'ADR JWKS with the same kid for sig and enc (ACCC harness)', await req(), ok([at('jwk.duplicate_kid', '/software_jwks/keys/1')]), { software_jwks: 'adr-harness' });
  add('discovery', 'everything advertised by the Data Holder', await req(), ok(), { discovery: 'dh' });
  add('redirect-omitted', 'without redirect_uris the SSA list applies', await req((r) => { delete r.redirect_uris; }), ok());
  add('jarm-encryption', 'authorization response encryption offered and requested', await req((r) => { r.authorization_encrypted_response_alg = 'RSA-OAEP'; r.authorization_encrypted_response_enc = 'A256GCM'; }), ok(), { discovery: 'dh' });
  add('jarm-encryption-not-offered', 'encryption not offered: accepted and ignored', await req((r) => { r.authorization_encrypted_response_alg = 'RSA-OAEP'; }), ok([at('claim.ignored', P('authorization_encrypted_response_alg'))]), { discovery: 'dh-no-enc' });
  add('ssa-long-lifetime', 'a long-lived SSA is a warning', await withSsa((s) => { s.exp = NOW + 86400; }), ok([at('time.lifetime', S('exp'))]));
  add('no-client-credentials', 'without client_credentials registration management is impossible (warning)', await req((r) => { r.grant_types = ['authorization_code', 'refresh_token']; }), ok([at('claim.value', P('grant_types'))]));

  // envelope and SSA signature
  add('request-not-jws', 'the body is not a compact JWS', 'a.b', fail(MISC, [at('jws.malformed', '/request')]));
  add('request-alg-rs256', 'RS256 request', await req(() => {}, adrRs), fail(MISC, [at('jws.alg_not_allowed', '/request/header/alg')]));
  add('ssa-missing', 'no software_statement', await req((r) => { delete r.software_statement; }), fail(SSAE, [at('ssa.missing', P('software_statement'))]));
  add('ssa-wrong-key', 'SSA not signed by the Register', await withSsa(() => {}, () => {}, rogue), fail(SSAE, [at('jws.signature_invalid', '/ssa')]));
  add('ssa-es256', 'the Register signs PS256 only', await withSsa(() => {}, () => {}, registerEs), fail(SSAE, [at('jws.alg_not_allowed', '/ssa/header/alg')]));
  add('ssa-untrusted-issuer', 'SSA not from cdr-register', await withSsa((s) => { s.iss = 'fake-register'; }), fail(UNAP, [at('ssa.issuer_untrusted', S('iss'))]));
  add('ssa-expired', 'SSA past its 10 minutes', await withSsa((s) => { s.iat = NOW - 1200; s.exp = NOW - 600; }), fail(SSAE, [at('time.expired', S('exp'))]));
  add('ssa-exp-missing', 'SSA exp is required', await withSsa((s) => { delete s.exp; }), fail(SSAE, [at('claim.missing', S('exp'))]));
  add('ssa-jwks-uri-missing', 'SSA jwks_uri is required', await withSsa((s) => { delete s.jwks_uri; }), fail(SSAE, [at('claim.missing', S('jwks_uri'))]));
  add('ssa-jwks-uri-relative', 'SSA jwks_uri is an absolute https URL', await withSsa((s) => { s.jwks_uri = '/jwks'; }), fail(SSAE, [at('claim.uri', S('jwks_uri'))]));
  add('ssa-software-id-missing', 'SSA software_id is required', await withSsa((s) => { delete s.software_id; }), fail(SSAE, [at('claim.missing', S('software_id'))]));
  add('ssa-redirect-uris-missing', 'SSA redirect_uris is required', await withSsa((s) => { delete s.redirect_uris; }), fail(SSAE, [at('claim.missing', S('redirect_uris'))]));
  add('ssa-roles-wrong', 'software_roles is data-recipient-software-product', await withSsa((s) => { s.software_roles = 'data-holder'; }), fail(SSAE, [at('claim.value', S('software_roles'))]));
  add('ssa-revocation-http', 'revocation_uri is https', await withSsa((s) => { s.revocation_uri = 'http://adr.example.com.au/revocation'; }), fail(SSAE, [at('claim.uri', S('revocation_uri'))]));
  add('ssa-too-old', 'SSA older than the configured maximum age (plus skew)', await withSsa((s) => { s.iat = NOW - 300; s.exp = NOW + 300; }), fail(SSAE, [at('time.too_old', S('iat'))]), { max_ssa_age: 60 });
  await pair('ssa-recipient-base-uri-missing', 'recipient_base_uri absent (as in the CDS example SSA)', await withSsa((s) => { delete s.recipient_base_uri; }), SSAE, 'claim.missing', S('recipient_base_uri'));
  await pair('ssa-sector-identifier-bare-host', 'sector_identifier_uri as a bare host (sandbox SSAs)', await withSsa((s) => { s.sector_identifier_uri = 'dr.test.cdrsandbox.gov.au'; }), SSAE, 'claim.uri', S('sector_identifier_uri'));

  // request signature
  add('request-unknown-kid', 'request kid not in the ADR JWKS', await req(() => {}, adrStranger), fail(MISC, [at('jwk.kid_not_found', '/request')]));

  // redirect URIs
  add('redirect-not-in-ssa', 'redirect URI not in the SSA', await req((r) => { r.redirect_uris = [`${ADR}/evil`]; }), fail(REDIR, [at('redirect_uri.not_in_ssa', P('redirect_uris/0'))]));
  add('redirect-wins-over-metadata', 'redirect URI problems are reported first (ACCC mock)', await req((r) => { r.redirect_uris = [`${ADR}/evil`]; r.token_endpoint_auth_method = 'tls_client_auth'; }), fail(REDIR, [at('redirect_uri.not_in_ssa', P('redirect_uris/0')), at('claim.value', P('token_endpoint_auth_method'))]));
  await protects('redirect-case-only', 'redirect URI matching only when case is ignored (mock compares case-insensitively)', await req((r) => { r.redirect_uris = [`${ADR}/Consent/Callback`]; }), REDIR, 'redirect_uri.not_in_ssa', P('redirect_uris/0'));
  await pair('redirect-uris-string', 'redirect_uris as a bare string', await req((r) => { r.redirect_uris = `${ADR}/consent/callback`; }), REDIR, 'claim.type', P('redirect_uris'));

  // request claims
  add('iss-mismatch', 'iss must be the SSA software_id', await req((r) => { r.iss = 'someone-else'; }), fail(MISC, [at('claim.mismatch', P('iss'))]));
  add('aud-mismatch', 'aud must be the Data Holder issuer', await req((r) => { r.aud = 'https://dh.example.com.au/connect/register'; }), fail(MISC, [at('aud.mismatch', P('aud'))]));
  await protects('aud-trailing-slash', 'aud with a trailing slash', await req((r) => { r.aud = `${AU_ISSUER}/`; }), MISC, 'aud.format', P('aud'));
  await protects('aud-case', 'aud differing in case', await req((r) => { r.aud = AU_ISSUER.toUpperCase(); }), MISC, 'aud.format', P('aud'));
  await pair('aud-array', 'aud as an array', await req((r) => { r.aud = [AU_ISSUER]; }), MISC, 'claim.type', P('aud'));
  add('jti-missing', 'jti is required', await req((r) => { delete r.jti; }), fail(MISC, [at('claim.missing', P('jti'))]));
  add('jti-any-shape', 'AU jti has no required format', await req((r) => { r.jti = 'abc'; }), ok());
  add('exp-missing', 'exp is required', await req((r) => { delete r.exp; }), fail(MISC, [at('claim.missing', P('exp'))]));
  add('expired', 'expired request', await req((r) => { r.iat = NOW - 600; r.exp = NOW - 300; }), fail(MISC, [at('time.expired', P('exp'))]));
  add('far-future-exp', 'no lifetime cap for AU (the CDS example uses a far-future exp)', await req((r) => { r.exp = 2148483456; }), ok());
  add('auth-method-tls', 'only private_key_jwt', await req((r) => { r.token_endpoint_auth_method = 'tls_client_auth'; }), fail(MISC, [at('claim.value', P('token_endpoint_auth_method'))]));
  add('auth-method-secret', 'client secrets are not FAPI', await req((r) => { r.token_endpoint_auth_method = 'client_secret_basic'; }), fail(MISC, [at('auth_method.not_fapi', P('token_endpoint_auth_method'))]));
  await pair('auth-method-case', 'auth method differing in case', await req((r) => { r.token_endpoint_auth_method = 'Private_Key_JWT'; }), MISC, 'claim.value', P('token_endpoint_auth_method'));
  add('auth-signing-alg-hs256', 'HS256 is not allowed (ACCC test)', await req((r) => { r.token_endpoint_auth_signing_alg = 'HS256'; }), fail(MISC, [at('alg.not_fapi', P('token_endpoint_auth_signing_alg'))]));
  add('auth-signing-alg-missing', 'token_endpoint_auth_signing_alg is required', await req((r) => { delete r.token_endpoint_auth_signing_alg; }), fail(MISC, [at('claim.missing', P('token_endpoint_auth_signing_alg'))]));
  add('grant-no-authorization-code', 'grant_types must contain authorization_code', await req((r) => { r.grant_types = ['client_credentials']; }), fail(MISC, [at('claim.value', P('grant_types'))]));
  add('grant-unknown', 'grant outside the CDR set', await req((r) => { r.grant_types.push('password'); }), fail(MISC, [at('claim.value', P('grant_types/3'))]));
  add('response-types-hybrid', 'code id_token was retired on 12 May 2025', await req((r) => { r.response_types = ['code id_token']; }), fail(MISC, [at('claim.value', P('response_types/0'))]));
  add('response-types-missing', 'response_types is required', await req((r) => { delete r.response_types; }), fail(MISC, [at('claim.missing', P('response_types'))]));
  await pair('response-types-string', 'response_types as a bare string (ACCC test automation)', await req((r) => { r.response_types = 'code'; }), MISC, 'claim.type', P('response_types'));
  add('application-type-native', 'application_type is web', await req((r) => { r.application_type = 'native'; }), fail(MISC, [at('claim.value', P('application_type'))]));
  await pair('application-type-empty', 'application_type as "" (ACCC tooling)', await req((r) => { r.application_type = ''; }), MISC, 'claim.empty', P('application_type'));
  await pair('request-object-alg-empty', 'request_object_signing_alg as ""', await req((r) => { r.request_object_signing_alg = ''; }), MISC, 'claim.empty', P('request_object_signing_alg'));
  add('id-token-alg-rs256', 'RS256 is not FAPI', await req((r) => { r.id_token_signed_response_alg = 'RS256'; }), fail(MISC, [at('alg.not_fapi', P('id_token_signed_response_alg'))]));
  add('id-token-alg-missing', 'id_token_signed_response_alg is required', await req((r) => { delete r.id_token_signed_response_alg; }), fail(MISC, [at('claim.missing', P('id_token_signed_response_alg'))]));
  await pair('id-token-encryption-with-acf', 'id_token encryption with the code flow', await req((r) => { r.id_token_encrypted_response_alg = 'RSA-OAEP'; }), MISC, 'claim.not_allowed', P('id_token_encrypted_response_alg'));
  add('jarm-alg-missing', 'authorization_signed_response_alg is required with code', await req((r) => { delete r.authorization_signed_response_alg; }), fail(MISC, [at('claim.conditional', P('authorization_signed_response_alg'))]));
  add('jarm-alg-empty', '"" counts as missing for a required claim', await req((r) => { r.authorization_signed_response_alg = ''; }), fail(MISC, [at('claim.conditional', P('authorization_signed_response_alg'))]));
  add('jarm-alg-none', 'none is forbidden', await req((r) => { r.authorization_signed_response_alg = 'none'; }), fail(MISC, [at('alg.not_fapi', P('authorization_signed_response_alg'))]));
  add('jarm-enc-without-alg', 'enc needs alg', await req((r) => { r.authorization_encrypted_response_enc = 'A256GCM'; }), fail(MISC, [at('claim.conditional', P('authorization_encrypted_response_alg'))]));
  add('jarm-enc-alg-invalid', 'RSA1_5 is not an allowed encryption algorithm', await req((r) => { r.authorization_encrypted_response_alg = 'RSA1_5'; }), fail(MISC, [at('claim.value', P('authorization_encrypted_response_alg'))]));
  add('discovery-grant-unsupported', 'refresh_token not offered', await req(), fail(MISC, [at('discovery.unsupported', P('grant_types/2'))]), { discovery: 'dh-no-refresh' });
  add('discovery-alg-unsupported', 'an algorithm not offered', await req((r) => { r.request_object_signing_alg = 'ES256'; }), fail(MISC, [at('discovery.unsupported', P('request_object_signing_alg'))]), { discovery: 'dh-ps256-only' });
  add('register-client-secret', 'a client may not choose its secret', await req((r) => { r.client_secret = 'x'; }), fail(MISC, [at('claim.not_allowed', P('client_secret'))]));
  add('update-valid', 'an update (PUT) of the same client', await req(), ok(), { operation: { kind: 'update', client_id: 'abc' } });
  add('update-client-id-mismatch', 'client_id must be the client being updated', await req((r) => { r.client_id = 'xyz'; }), fail(MISC, [at('claim.mismatch', P('client_id'))]), { operation: { kind: 'update', client_id: 'abc' } });

  return {
    generator: 'tests/vectors/gen/gen-dcr-au.mjs',
    profile,
    jwks: {
      register: jwks(register),
      adr: jwks(adr, adrEs),
      'adr-harness': jwks(adr, { ...adr.publicJwk, use: 'enc', alg: 'RSA-OAEP' }),
    },
    discovery: {
      dh: AU_DISCOVERY,
      'dh-no-enc': AU_DISCOVERY_NO_ENC,
      'dh-no-refresh': AU_DISCOVERY_NO_REFRESH,
      'dh-ps256-only': { ...AU_DISCOVERY, request_object_signing_alg_values_supported: ['PS256'] },
    },
    defaults: { profile, mode: 'strict', issuer: AU_ISSUER, now: NOW, ssa_jwks: 'register', software_jwks: 'adr' },
    cases,
  };
}

/** Requests (signed with a throwaway ADR test key) that embed the REAL public SSAs byte for byte. */
async function auFixturesManifest() {
  const fx = (p) => readFileSync(`tests/vectors/fixtures/au/${p}`, 'utf8').trim();
  const adr = await newKey('PS256', 'adr-fixture-key');
  const cases = [];
  const P = (n) => `/request/claims/${n}`;
  const S = (n) => `/ssa/claims/${n}`;
  const requestFor = async (ssaToken, softwareId, redirect, now, aud) =>
    sign(adr, { ...auRequest(ssaToken), iss: softwareId, redirect_uris: [redirect], aud, iat: now - 10, exp: now + 290 });
  const claimsOf = (jws) => JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString());
  const cdsSsa = fx('cds-example-ssa.jws');
  const cdsId = claimsOf(cdsSsa).software_id;
  const cdsRedirect = claimsOf(cdsSsa).redirect_uris[0];
  const cds = await requestFor(cdsSsa, cdsId, cdsRedirect, NOW, AU_ISSUER);
  cases.push({ id: 'au-cdr-fixtures/cds-example-ssa-strict', rule: 'the CDS example SSA lacks recipient_base_uri (strict)', token: cds, config: { ssa_jwks: 'cds-example' },
    expect: fail('invalid_software_statement', [at('claim.missing', S('recipient_base_uri'))], [at('time.lifetime', S('exp'))]) });
  cases.push({ id: 'au-cdr-fixtures/cds-example-ssa-lenient', rule: 'the CDS example SSA is accepted in lenient mode', token: cds, config: { ssa_jwks: 'cds-example', mode: 'lenient' },
    expect: ok([at('claim.missing', S('recipient_base_uri')), at('time.lifetime', S('exp'))]) });
  const tamperedSsa = fx('cds-example-ssa-v1.36-tampered.jws');
  const tampered = await requestFor(tamperedSsa, claimsOf(tamperedSsa).software_id, claimsOf(tamperedSsa).redirect_uris[0], NOW, AU_ISSUER);
  cases.push({ id: 'au-cdr-fixtures/cds-v1.36-tampered', rule: 'the SSA edited after signing (CDS v1.36)', token: tampered, config: { ssa_jwks: 'cds-example', mode: 'lenient' },
    expect: fail('invalid_software_statement', [at('jws.signature_invalid', '/ssa')]) });
  const reg = fx('register-ssa-2022-expired.jws');
  const regId = 'c6327f87-687a-4369-99a4-eaacd3bb8210';
  const regRedirect = 'https://dr.dev.cdrsandbox.gov.au/consent/callback';
  const inWindow = 1666065600;
  cases.push({ id: 'au-cdr-fixtures/register-2022-expired', rule: 'a real Register SSA, authentic but expired', token: await requestFor(reg, regId, regRedirect, NOW, AU_ISSUER), config: { ssa_jwks: 'register-2022' },
    expect: fail('invalid_software_statement', [at('time.expired', S('exp'))]) });
  cases.push({ id: 'au-cdr-fixtures/register-2022-in-window', rule: 'the same SSA inside its 10-minute window is accepted', token: await requestFor(reg, regId, regRedirect, inWindow, AU_ISSUER), config: { ssa_jwks: 'register-2022', now: inWindow },
    expect: ok() });
  cases.push({ id: 'au-cdr-fixtures/register-2022-current-jwks', rule: 'the 2022 SSA against the current Register JWKS', token: await requestFor(reg, regId, regRedirect, inWindow, AU_ISSUER), config: { ssa_jwks: 'register-current', now: inWindow },
    expect: fail('invalid_software_statement', [at('jwk.kid_not_found', '/ssa')]) });
  return {
    generator: 'tests/vectors/gen/gen-dcr-au.mjs',
    profile: 'au-cdr',
    note: 'requests signed with a throwaway test key that embed the real public SSAs from tests/vectors/fixtures/au byte for byte',
    jwks: {
      'cds-example': JSON.parse(fx('cds-example-jwks.json')),
      'register-2022': JSON.parse(fx('mock-register-ssa-jwks-2022.json')),
      'register-current': JSON.parse(fx('mock-register-ssa-jwks.json')),
      adr: jwks(adr),
    },
    discovery: {},
    defaults: { profile: 'au-cdr', mode: 'strict', issuer: AU_ISSUER, now: NOW, ssa_jwks: 'cds-example', software_jwks: 'adr' },
    cases,
  };
}

const au = await auManifest();
writeManifest(`${OUT}/au-cdr.json`, au);
console.log(`${OUT}/au-cdr.json: ${au.cases.length} cases`);
const auf = await auFixturesManifest();
writeManifest(`${OUT}/au-cdr-fixtures.json`, auf);
console.log(`${OUT}/au-cdr-fixtures.json: ${auf.cases.length} cases`);
