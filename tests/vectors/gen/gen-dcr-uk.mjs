// Generates the UK part of the DCR corpus: tests/vectors/dcr/uk-obie-v3.1.json … uk-obie-v3.4.json.
// Run from the repository root:  node tests/vectors/gen/gen-dcr-uk.mjs
// Keys are fresh test keys on every run (only public JWKS are written). Each profile gets a valid
// baseline (PS256), an ES256 variant and a discovery-backed variant, then one mutation per rule
// with the exact error findings the rule must produce, strict/lenient pairs for every documented
// deviation, and a case for every version delta in each profile it distinguishes (the same case
// id in all four manifests, with the version's expectation). Rules: crates/core/src/dcr/uk/.
// The manifest format is documented in dcr-lib.mjs.
import { readFileSync } from 'node:fs';
import { newKey, jwks, sign, signRaw, b64u, uuid, mutate, writeManifest, ok, fail, at, NOW, OUT } from './dcr-lib.mjs';

const UK_DIR_KID = 'BkHxeIHKyMKF6SgGwqYzLUvTQfk';
const ORG_ID = '0015800001HQQrZAAX';
const BANK_ORG_ID = '0015800000jfwxXAAQ';
const UK_ISSUER = 'https://auth.bank.example.co.uk';
const OZONE = JSON.parse(readFileSync('tests/vectors/fixtures/uk/ozone-discovery.json', 'utf8'));

async function ukKeys() {
  const dir = await newKey('PS256', UK_DIR_KID);
  const dirEs = await newKey('ES256', 'dir-es256-2025');
  const rogue = await newKey('PS256', UK_DIR_KID); // same kid, different key
  const stranger = await newKey('PS256', 'unknown-directory-kid');
  const rs = await newKey('RS256', UK_DIR_KID);
  const sw = await newKey('PS256', 'sw-ps256-2025');
  const swEs = await newKey('ES256', 'sw-es256-2025');
  const swRogue = await newKey('PS256', 'sw-ps256-2025');
  const swStranger = await newKey('PS256', 'sw-not-in-jwks');
  const swRs = await newKey('RS256', 'sw-ps256-2025');
  return { dir, dirEs, rogue, stranger, rs, sw, swEs, swRogue, swStranger, swRs };
}

function ukSsa(softwareId) {
  return {
    iss: 'OpenBanking Ltd',
    iat: NOW - 86400,
    jti: 'ba48a0bbd00b42f4',
    software_environment: 'sandbox',
    software_mode: 'Test',
    software_id: softwareId,
    software_client_id: softwareId,
    software_client_name: 'Demo TPP (Sandbox)',
    software_client_description: 'A demo third party provider',
    software_version: '1.5',
    software_client_uri: 'https://tpp.example.com',
    software_redirect_uris: ['https://tpp.example.com/cb', 'https://tpp.example.com/cb2'],
    software_roles: ['AISP', 'PISP', 'CBPII'],
    organisation_competent_authority_claims: {
      authority_id: 'OBGBR',
      registration_id: `Unknown${ORG_ID}`,
      status: 'Active',
      authorisations: [{ member_state: 'GB', roles: ['AISP', 'PISP', 'CBPII'] }],
    },
    software_logo_uri: 'https://tpp.example.com/logo.png',
    org_status: 'Active',
    org_id: ORG_ID,
    org_name: 'Demo TPP Ltd',
    org_contacts: [{ name: 'Technical', email: 'tech@tpp.example.com', phone: '+441234567890', type: 'Technical' }],
    org_jwks_endpoint: `https://keystore.openbankingtest.org.uk/${ORG_ID}/${ORG_ID}.jwks`,
    org_jwks_revoked_endpoint: `https://keystore.openbankingtest.org.uk/${ORG_ID}/revoked/${ORG_ID}.jwks`,
    software_jwks_endpoint: `https://keystore.openbankingtest.org.uk/${ORG_ID}/${softwareId}.jwks`,
    software_jwks_revoked_endpoint: `https://keystore.openbankingtest.org.uk/${ORG_ID}/revoked/${softwareId}.jwks`,
    software_policy_uri: 'https://tpp.example.com/policy',
    software_tos_uri: 'https://tpp.example.com/tos',
    software_on_behalf_of_org: 'Demo TPP',
  };
}

function ukRequest(minor, softwareId, ssaToken) {
  const r = {
    iss: softwareId,
    iat: NOW - 10,
    exp: NOW + 290,
    aud: BANK_ORG_ID,
    jti: uuid(),
    redirect_uris: ['https://tpp.example.com/cb'],
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'PS256',
    grant_types: ['authorization_code', 'client_credentials', 'refresh_token'],
    response_types: ['code id_token'],
    software_id: softwareId,
    scope: 'openid accounts payments fundsconfirmations',
    software_statement: ssaToken,
    application_type: 'web',
    id_token_signed_response_alg: 'PS256',
    request_object_signing_alg: 'PS256',
  };
  if (minor === 1) r.scope = ['openid', 'accounts', 'payments', 'fundsconfirmations'];
  return r;
}

const UK_DISCOVERY = {
  issuer: UK_ISSUER,
  registration_endpoint: 'https://api.bank.example.co.uk/register',
  token_endpoint_auth_methods_supported: ['private_key_jwt', 'tls_client_auth'],
  token_endpoint_auth_signing_alg_values_supported: ['PS256', 'ES256'],
  id_token_signing_alg_values_supported: ['PS256', 'ES256'],
  request_object_signing_alg_values_supported: ['PS256', 'ES256'],
  response_types_supported: ['code', 'code id_token'],
  grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token', 'urn:openid:params:grant-type:ciba'],
  scopes_supported: ['openid', 'accounts', 'payments', 'fundsconfirmations'],
  subject_types_supported: ['public', 'pairwise'],
  backchannel_token_delivery_modes_supported: ['poll', 'ping'],
  backchannel_authentication_request_signing_alg_values_supported: ['PS256', 'ES256'],
};
// Like OB's Ozone model bank: no refresh_token, no ES256 anywhere.
const UK_DISCOVERY_NARROW = {
  ...UK_DISCOVERY,
  grant_types_supported: ['authorization_code', 'client_credentials'],
  id_token_signing_alg_values_supported: ['none', 'RS256', 'PS256'],
  request_object_signing_alg_values_supported: ['none', 'RS256', 'PS256'],
  token_endpoint_auth_signing_alg_values_supported: ['RS256', 'PS256'],
};

async function ukManifest(minor) {
  const profile = `uk-obie-v3.${minor}`;
  const k = await ukKeys();
  const softwareId = minor === 1 ? 'oQ4KoaavpOuoE7rvQs' : 'oQ4KoaavpOuoE7rvQsZEOV';
  const dnName = minor === 1 ? 'tls_client_auth_dn' : 'tls_client_auth_subject_dn';
  const otherDnName = minor === 1 ? 'tls_client_auth_subject_dn' : 'tls_client_auth_dn';
  const baseSsa = ukSsa(softwareId);
  const ssa = (m = () => {}, key = k.dir, header = {}) => sign(key, mutate(baseSsa, m), header);
  const ssaToken = await ssa();
  const base = ukRequest(minor, softwareId, ssaToken);
  // Every request gets its own jti (as real clients do), so replay protection (the Worker corpus
  // test sends every case of a configuration through one Worker) never links cases.
  const req = async (m = () => {}, key = k.sw, header = {}) => sign(key, mutate(base, (r) => { r.jti = uuid(); m(r); }), header);
  const withSsa = async (ssaMutation, reqMutation = () => {}) => {
    const s = await ssa(ssaMutation);
    return req((r) => { r.software_statement = s; reqMutation(r); });
  };
  const P = (name) => `/request/claims/${name}`;
  const S = (name) => `/ssa/claims/${name}`;
  const legacyCertDn = `CN=${softwareId},OU=${ORG_ID},O=OpenBanking,C=GB`;
  const orgIdentifier = `PSDGB-OB-Unknown${ORG_ID}`;
  const eidasDnHex = `CN=${ORG_ID},2.5.4.97=#13${Buffer.from(orgIdentifier).length.toString(16).padStart(2, '0')}${Buffer.from(orgIdentifier).toString('hex')},O=Demo TPP Ltd,C=GB`;
  const eidasDn = `CN=${ORG_ID},organizationIdentifier=${orgIdentifier},O=Demo TPP Ltd,C=GB`;
  const eidasDnHexUtf8 = `CN=${ORG_ID},2.5.4.97=#0c${Buffer.from(orgIdentifier).length.toString(16).padStart(2, '0')}${Buffer.from(orgIdentifier).toString('hex')},O=Demo TPP Ltd,C=GB`;
  const lenient = { mode: 'lenient' };
  const MISC = 'invalid_client_metadata';
  const SSAE = 'invalid_software_statement';
  const UNAP = 'unapproved_software_statement';
  const REDIR = 'invalid_redirect_uri';
  const cases = [];
  const add = (id, rule, token, expect, config) => cases.push({ id: `${profile}/${id}`, rule, token, ...(config ? { config } : {}), expect });
  /** The expectation of this version: `byVersion({ 1: x, 2: y })` falls back to the closest lower key. */
  const byVersion = (table) => table[[4, 3, 2, 1].find((v) => v <= minor && v in table)];
  const pair = async (id, rule, token, strictError, code, pointer, config = {}) => {
    add(`${id}-strict`, `${rule} (strict)`, token, fail(strictError, [at(code, pointer)]), Object.keys(config).length ? config : undefined);
    add(`${id}-lenient`, `${rule} (lenient: accepted with a warning)`, token, ok([at(code, pointer)]), { ...lenient, ...config });
  };  // Decisions that protect the bank: an error under every policy preset (spec = the 0.1 strict
  // mode, mock = lenient), so both cases of the pair are refused.
  const protects = async (id, rule, token, error, code, pointer, config = {}) => {
    add(`${id}-strict`, `${rule} (strict)`, token, fail(error, [at(code, pointer)]), Object.keys(config).length ? config : undefined);
    add(`${id}-lenient`, `${rule} (mock: still refused, it protects the bank)`, token, fail(error, [at(code, pointer)]), { ...lenient, ...config });
  };


  // --- valid variants ---
  add('baseline', 'a complete, valid registration', await req(), ok());
  add('es256-request', 'ES256 request signature', await req(() => {}, k.swEs), ok());
  const viaSsa = async (ssaToken) => req((r) => { r.software_statement = ssaToken; });
  add('es256-ssa', 'ES256 software statement', await viaSsa(await ssa(() => {}, k.dirEs)), ok());
  add('discovery', 'every value advertised by the bank', await req(), ok(), { discovery: 'bank' });
  add('response-types-token-order', 'response type tokens compare as a set', await req((r) => { r.response_types = ['id_token code']; }), ok());
  add('response-types-absent', 'response_types defaults to code id_token', await req((r) => { delete r.response_types; }), ok());
  add('scope-unknown-token', 'an unknown scope is a warning', await req((r) => { r.scope = minor === 1 ? ['openid', 'accounts', 'extra'] : 'openid accounts extra'; }), ok([at('scope.unknown', P('scope'))]));
  add('scope-hybrid-without-openid', 'hybrid flow without openid is a warning', await req((r) => { r.scope = minor === 1 ? ['accounts'] : 'accounts'; }), ok([at('scope.openid_missing', P('scope'))]));
  add('request-jwk-header-ignored', 'a jwk header member is never used', await req(() => {}, k.sw, { jwk: k.swStranger.publicJwk }), ok([at('jws.key_header_ignored', '/request/header/jwk')]));
  add('request-kid-missing-single-key', 'no kid but one suitable key', await req(() => {}, k.sw, { kid: undefined }), ok([at('jws.kid_missing', '/request/header')]), { software_jwks: 'software-single' });
  add('jwks-in-request-ignored', 'jwks_uri in the request is ignored', await req((r) => { r.jwks_uri = 'https://evil.example/jwks'; }), ok([at('claim.ignored', P('jwks_uri'))]));
  add('jwks-duplicate-kid', 'same kid for a sig and an enc key', await req(), ok([at('jwk.duplicate_kid', '/software_jwks/keys/1')]), { software_jwks: 'software-dup-kid' });
  add('client-cert-legacy-bound', 'a legacy OB transport certificate of this software', await req(), ok(), { client_cert_subject_dn: legacyCertDn });
  add('client-cert-eidas-bound', 'an eIDAS certificate of this organisation', await req(), ok(), { client_cert_subject_dn: eidasDn });

  // --- request envelope ---
  add('request-not-jws', 'the body is not a compact JWS', 'not-a-jws', fail(MISC, [at('jws.malformed', '/request')]));
  add('request-payload-not-json', 'the payload is not JSON', signRaw(k.sw, { alg: 'PS256', kid: k.sw.kid }, 'not json'), fail(MISC, [at('payload.invalid', '/request/claims')]));
  add('request-alg-rs256', 'RS256 is below the FAPI floor', await req(() => {}, k.swRs), fail(MISC, [at('jws.alg_not_allowed', '/request/header/alg')]));
  add('request-alg-none', 'unsigned requests are refused', `${b64u(JSON.stringify({ alg: 'none' }))}.${b64u(JSON.stringify(base))}.`, fail(MISC, [at('jws.alg_not_allowed', '/request/header/alg')]));
  add('request-crit', 'unknown crit extensions are refused', signRaw(k.sw, { alg: 'PS256', kid: k.sw.kid, crit: ['exp'], exp: NOW }, JSON.stringify(base)), fail(MISC, [at('jws.crit_unsupported', '/request/header')]));
  await pair('request-typ', 'typ other than JWT', await req(() => {}, k.sw, { typ: 'JOSE+JSON' }), MISC, 'jws.typ', '/request/header/typ');

  // --- software statement signature ---
  add('ssa-missing', 'no software_statement', await req((r) => { delete r.software_statement; }), fail(SSAE, [at('ssa.missing', P('software_statement'))]));
  add('ssa-not-jws', 'software_statement is not a JWS', await req((r) => { r.software_statement = 'garbage'; }), fail(SSAE, [at('jws.malformed', '/ssa')]));
  add('ssa-payload-not-json', 'SSA payload is not a JSON object', await viaSsa(signRaw(k.dir, { alg: 'PS256', kid: UK_DIR_KID }, '[1,2]')), fail(SSAE, [at('payload.invalid', '/ssa/claims')]));
  add('ssa-wrong-key', 'SSA signed by a key that is not the directory\'s', await viaSsa(await ssa(() => {}, k.rogue)), fail(SSAE, [at('jws.signature_invalid', '/ssa')]));
  add('ssa-unknown-kid', 'SSA kid not in the directory JWKS', await viaSsa(await ssa(() => {}, k.stranger)), fail(SSAE, [at('jwk.kid_not_found', '/ssa')]));
  add('ssa-alg-rs256', 'SSA signed with RS256', await viaSsa(await ssa(() => {}, k.rs)), fail(SSAE, [at('jws.alg_not_allowed', '/ssa/header/alg')]));
  await pair('ssa-kid-missing', 'SSA header without kid', await viaSsa(await ssa(() => {}, k.dir, { kid: undefined })), SSAE, 'jws.kid_missing', '/ssa/header');

  // --- software statement approval ---
  add('ssa-untrusted-issuer', 'SSA from an untrusted directory', await withSsa((s) => { s.iss = 'Evil Directory'; }), fail(UNAP, [at('ssa.issuer_untrusted', S('iss'))]));
  add('ssa-org-revoked', 'organisation revoked', await withSsa((s) => { s.org_status = 'Revoked'; }), fail(UNAP, [at('ssa.org_inactive', S('org_status'))]));
  add('ssa-competent-authority-inactive', 'competent authority record not active', await withSsa((s) => { s.organisation_competent_authority_claims.status = 'Withdrawn'; }), fail(UNAP, [at('ssa.org_inactive', S('organisation_competent_authority_claims/status'))]));
  add('ssa-environment', 'SSA for another environment', await req(), fail(UNAP, [at('ssa.environment', S('software_environment'))]), { software_environment: 'production' });
  add('ssa-environment-match', 'SSA environment matches (case-insensitive)', await req(), ok(), { software_environment: 'Sandbox' });
  add('trusted-issuer-configured', 'a configured trusted issuer', await withSsa((s) => { s.iss = 'ForgeRock Directory'; }), ok(), { trusted_ssa_issuers: ['ForgeRock Directory'] });

  // --- software statement claims ---
  add('ssa-org-status-unknown', 'org_status outside its enum', await withSsa((s) => { s.org_status = 'Sleeping'; }), fail(SSAE, [at('claim.value', S('org_status'))]));
  add('ssa-jwks-endpoint-missing', 'no software_jwks_endpoint', await withSsa((s) => { delete s.software_jwks_endpoint; }), fail(SSAE, [at('claim.missing', S('software_jwks_endpoint'))]));
  add('ssa-jwks-endpoint-http', 'software_jwks_endpoint must be https', await withSsa((s) => { s.software_jwks_endpoint = 'http://keystore.openbankingtest.org.uk/x.jwks'; }), fail(SSAE, [at('claim.uri', S('software_jwks_endpoint'))]));
  add('ssa-roles-empty', 'software_roles must not be empty', await withSsa((s) => { s.software_roles = []; }), fail(SSAE, [at('claim.empty', S('software_roles'))]));
  add('ssa-role-unknown', 'an unknown role is a warning', await withSsa((s) => { s.software_roles = ['AISP', 'PISP', 'CBPII', 'WIZARD']; }), ok([at('claim.value', S('software_roles/3'))]));
  add('ssa-client-id-format', 'software_client_id must be base62', await withSsa((s) => { s.software_client_id = 'not/base62'; }), fail(SSAE, [at('claim.format', S('software_client_id'))]));
  add('ssa-org-id-missing', 'org_id is required', await withSsa((s) => { delete s.org_id; }), fail(SSAE, [at('claim.missing', S('org_id'))]));
  add('ssa-client-name-too-long', 'software_client_name at most 40 characters', await withSsa((s) => { s.software_client_name = 'x'.repeat(41); }), fail(SSAE, [at('claim.format', S('software_client_name'))]));
  add('ssa-redirect-not-uri', 'software_redirect_uris are absolute URIs', await withSsa((s) => { s.software_redirect_uris.push('/relative'); }), fail(SSAE, [at('claim.uri', S('software_redirect_uris/2'))]));
  add('ssa-logo-not-uri', 'software_logo_uri is an absolute URI', await withSsa((s) => { s.software_logo_uri = 'logo.png'; }), fail(SSAE, [at('claim.uri', S('software_logo_uri'))]));
  add('ssa-org-contacts-shape', 'org_contacts is an array of objects', await withSsa((s) => { s.org_contacts = 'tech@tpp'; }), fail(SSAE, [at('claim.type', S('org_contacts'))]));
  add('ssa-recommended-missing', 'a recommended claim absent is a warning', await withSsa((s) => { delete s.software_mode; }), ok([at('claim.recommended', S('software_mode'))]));
  add('ssa-iat-future', 'SSA issued in the future', await withSsa((s) => { s.iat = NOW + 3600; }), fail(SSAE, [at('time.issued_in_future', S('iat'))]));
  add('ssa-expired', 'an SSA exp, when present, is enforced', await withSsa((s) => { s.exp = NOW - 3600; }), fail(SSAE, [at('time.expired', S('exp'))]));
  add('ssa-too-old', 'SSA older than the configured maximum age', await req(), fail(SSAE, [at('time.too_old', S('iat'))]), { max_ssa_age: 3600 });
  await pair('ssa-software-version-number', 'numeric software_version (real 2019-2022 SSAs)', await withSsa((s) => { s.software_version = 1.5; }), SSAE, 'claim.type', S('software_version'));
  await pair('ssa-competent-authority-array', 'competent authority claims as an array (profile rc1)', await withSsa((s) => { s.organisation_competent_authority_claims = [s.organisation_competent_authority_claims]; }), SSAE, 'claim.type', S('organisation_competent_authority_claims'));

  // --- request signature ---
  add('request-wrong-key', 'request signed by a key that is not in the software JWKS', await req(() => {}, k.swRogue), fail(MISC, [at('jws.signature_invalid', '/request')]));
  add('request-unknown-kid', 'request kid not in the software JWKS', await req(() => {}, k.swStranger), fail(MISC, [at('jwk.kid_not_found', '/request')]));
  add('request-kid-missing-ambiguous', 'no kid and several suitable keys', await req(() => {}, k.sw, { kid: undefined }), fail(MISC, [at('jwk.ambiguous_key', '/request')], [at('jws.kid_missing', '/request/header')]), { software_jwks: 'software-two-rsa' });
  await pair('software-jwks-padded-x5t', 'software JWKS with padded x5t (OB keystore)', await req(), MISC, 'jwk.x5t_padded', '/software_jwks/keys/0', { software_jwks: 'software-padded-x5t' });

  // --- redirect URIs ---
  add('redirect-not-in-ssa', 'redirect URI not in the SSA', await req((r) => { r.redirect_uris = ['https://evil.example.com/cb']; }), fail(REDIR, [at('redirect_uri.not_in_ssa', P('redirect_uris/0'))]));
  add('redirect-second-not-in-ssa', 'every redirect URI is checked, not only the first', await req((r) => { r.redirect_uris = ['https://tpp.example.com/cb', 'https://evil.example.com/cb']; }), fail(REDIR, [at('redirect_uri.not_in_ssa', P('redirect_uris/1'))]));
  add('redirect-http', 'redirect URIs must be https', await withSsa((s) => { s.software_redirect_uris.push('http://tpp.example.com/cb'); }, (r) => { r.redirect_uris = ['http://tpp.example.com/cb']; }), fail(REDIR, [at('redirect_uri.not_https', P('redirect_uris/0'))]));
  add('redirect-localhost', 'redirect URIs must not be localhost', await withSsa((s) => { s.software_redirect_uris.push('https://localhost/cb'); }, (r) => { r.redirect_uris = ['https://localhost/cb']; }), fail(REDIR, [at('redirect_uri.localhost', P('redirect_uris/0'))]));
  add('redirect-loopback-ip', 'redirect URIs must not be loopback addresses', await withSsa((s) => { s.software_redirect_uris.push('https://127.0.0.1/cb'); }, (r) => { r.redirect_uris = ['https://127.0.0.1/cb']; }), fail(REDIR, [at('redirect_uri.localhost', P('redirect_uris/0'))]));
  add('redirect-fragment', 'redirect URIs have no fragment', await withSsa((s) => { s.software_redirect_uris.push('https://tpp.example.com/cb#x'); }, (r) => { r.redirect_uris = ['https://tpp.example.com/cb#x']; }), fail(REDIR, [at('redirect_uri.fragment', P('redirect_uris/0'))]));
  add('redirect-missing', 'redirect_uris is required', await req((r) => { delete r.redirect_uris; }), fail(REDIR, [at('claim.missing', P('redirect_uris'))]));
  await protects('redirect-case-only', 'redirect URI matching the SSA only when case is ignored', await req((r) => { r.redirect_uris = ['https://TPP.example.com/cb']; }), REDIR, 'redirect_uri.not_in_ssa', P('redirect_uris/0'));
  add('redirect-over-ssa-error', 'redirect URI problems rank above metadata problems', await req((r) => { r.redirect_uris = ['https://evil.example.com/cb']; r.application_type = 'desktop'; }), fail(REDIR, [at('redirect_uri.not_in_ssa', P('redirect_uris/0')), at('claim.value', P('application_type'))]));

  // --- time ---
  add('request-expired', 'expired request', await req((r) => { r.iat = NOW - 600; r.exp = NOW - 300; }), fail(MISC, [at('time.expired', P('exp'))]));
  add('request-iat-future', 'request issued in the future', await req((r) => { r.iat = NOW + 600; r.exp = NOW + 900; }), fail(MISC, [at('time.issued_in_future', P('iat'))]));
  add('request-nbf-future', 'request not yet valid', await req((r) => { r.nbf = NOW + 600; }), fail(MISC, [at('time.not_yet_valid', P('nbf'))]));
  add('request-within-skew', 'iat 30 s ahead is within the 60 s skew', await req((r) => { r.iat = NOW + 30; r.exp = NOW + 330; }), ok());
  add('request-lifetime', 'exp - iat above 3600 s', await req((r) => { r.exp = r.iat + 7200; }), fail(MISC, [at('time.lifetime', P('exp'))]));
  add('request-lifetime-uncapped', 'the lifetime cap can be lifted', await req((r) => { r.exp = r.iat + 7200; }), ok(), { max_lifetime: null });
  add('request-exp-before-iat', 'exp before iat', await req((r) => { r.iat = NOW + 50; r.exp = NOW + 40; }), fail(MISC, [at('time.lifetime', P('exp'))]));
  add('request-exp-missing', 'exp is required', await req((r) => { delete r.exp; }), fail(MISC, [at('claim.missing', P('exp'))]));
  add('request-iat-string', 'iat must be an integer', await req((r) => { r.iat = String(r.iat); }), fail(MISC, [at('claim.type', P('iat'))]));

  // --- iss / software_id / aud / jti ---
  add('request-iss-mismatch', 'iss must be the SSA software_id', await req((r) => { r.iss = 'AnotherSoftwareId12345'.slice(0, minor === 1 ? 18 : 22); }), fail(MISC, [at('claim.mismatch', P('iss'))]));
  add('request-iss-format', 'iss is base62', await req((r) => { r.iss = 'foo.is/invalid'; }), fail(MISC, [at('claim.format', P('iss')), at('claim.mismatch', P('iss'))]));
  add('request-software-id-mismatch', 'software_id must be the SSA software_id', await req((r) => { r.software_id = 'Different1234567'; }), fail(MISC, [at('claim.mismatch', P('software_id'))]));
  add('request-aud-mismatch', 'aud must identify this bank', await req((r) => { r.aud = '0015800000OtherBnk'; }), fail(MISC, [at('aud.mismatch', P('aud'))]));
  add('request-aud-missing', 'aud is required', await req((r) => { delete r.aud; }), fail(MISC, [at('claim.missing', P('aud'))]));
  await pair('request-aud-issuer-url', 'aud as the issuer URL (NatWest, HSBC)', await req((r) => { r.aud = UK_ISSUER; }), MISC, 'aud.format', P('aud'));
  await pair('request-aud-array', 'aud as an array holding the org ID', await req((r) => { r.aud = [BANK_ORG_ID, 'other']; }), MISC, 'claim.type', P('aud'));
  await pair('request-jti-lowercase', 'lower-case UUIDv4 jti (conformance-dcr)', await req((r) => { r.jti = uuid().toLowerCase(); }), MISC, 'jti.format', P('jti'));
  await pair('request-jti-not-uuid', 'non-UUID jti (WSO2 sample)', await req((r) => { r.jti = '1751017082113'; }), MISC, 'jti.format', P('jti'));
  add('request-jti-missing', 'jti is required', await req((r) => { delete r.jti; }), fail(MISC, [at('claim.missing', P('jti'))]));

  // --- auth method and algorithms ---
  add('auth-method-client-secret', 'client_secret_basic is not FAPI', await req((r) => { r.token_endpoint_auth_method = 'client_secret_basic'; }), fail(MISC, [at('auth_method.not_fapi', P('token_endpoint_auth_method'))]));
  add('auth-method-unknown', 'auth method outside the enum', await req((r) => { r.token_endpoint_auth_method = 'none'; }), fail(MISC, [at('claim.value', P('token_endpoint_auth_method'))]));
  add('auth-method-client-secret-jwt', 'client_secret_jwt: not in the v3.1 enum; in the v3.2+ enum but not FAPI', await req((r) => { r.token_endpoint_auth_method = 'client_secret_jwt'; }),
    byVersion({ 1: fail(MISC, [at('claim.value', P('token_endpoint_auth_method'))]), 2: fail(MISC, [at('auth_method.not_fapi', P('token_endpoint_auth_method'))]) }));
  add('auth-signing-alg-missing', 'token_endpoint_auth_signing_alg: always required in v3.1, with *_jwt methods from v3.2', await req((r) => { delete r.token_endpoint_auth_signing_alg; }),
    byVersion({ 1: fail(MISC, [at('claim.missing', P('token_endpoint_auth_signing_alg'))]), 2: fail(MISC, [at('claim.conditional', P('token_endpoint_auth_signing_alg'))]) }));
  add('client-secret-jwt-without-alg', 'client_secret_jwt without a signing alg', await req((r) => { r.token_endpoint_auth_method = 'client_secret_jwt'; delete r.token_endpoint_auth_signing_alg; }),
    byVersion({ 1: fail(MISC, [at('claim.value', P('token_endpoint_auth_method')), at('claim.missing', P('token_endpoint_auth_signing_alg'))]),
      2: fail(MISC, [at('auth_method.not_fapi', P('token_endpoint_auth_method')), at('claim.conditional', P('token_endpoint_auth_signing_alg'))]) }));
  await pair('auth-method-case', 'auth method differing only in case', await req((r) => { r.token_endpoint_auth_method = 'Private_Key_JWT'; }), MISC, 'claim.value', P('token_endpoint_auth_method'));
  add('auth-signing-alg-rs256', 'RS256 is not FAPI', await req((r) => { r.token_endpoint_auth_signing_alg = 'RS256'; }), fail(MISC, [at('alg.not_fapi', P('token_endpoint_auth_signing_alg'))]));
  add('id-token-alg-none', 'none is never allowed', await req((r) => { r.id_token_signed_response_alg = 'none'; }), fail(MISC, [at('alg.not_fapi', P('id_token_signed_response_alg'))]));
  add('id-token-alg-unknown', 'an unknown algorithm name', await req((r) => { r.id_token_signed_response_alg = 'XS256'; }), fail(MISC, [at('claim.value', P('id_token_signed_response_alg'))]));
  add('request-object-alg-hs256', 'HS256 is not FAPI', await req((r) => { r.request_object_signing_alg = 'HS256'; }), fail(MISC, [at('alg.not_fapi', P('request_object_signing_alg'))]));
  add('request-object-alg-missing', 'request_object_signing_alg is required', await req((r) => { delete r.request_object_signing_alg; }), fail(MISC, [at('claim.missing', P('request_object_signing_alg'))]));
  add('id-token-enc-rsa1-5', 'RSA1_5 is not allowed', await req((r) => { r.id_token_encrypted_response_alg = 'RSA1_5'; r.id_token_encrypted_response_enc = 'A256GCM'; }), fail(MISC, [at('alg.not_fapi', P('id_token_encrypted_response_alg'))]));

  // --- grants, response types, scope, application type ---
  add('grant-unknown', 'grant outside the enum', await req((r) => { r.grant_types = ['authorization_code', 'password']; }), fail(MISC, [at('claim.value', P('grant_types/1'))]));
  add('grant-types-missing', 'grant_types is required', await req((r) => { delete r.grant_types; }), fail(MISC, [at('claim.missing', P('grant_types'))]));
  add('response-types-token', 'implicit response types are refused', await req((r) => { r.response_types = ['id_token token']; }), fail(MISC, [at('claim.value', P('response_types/0'))]));
  await pair('response-types-string', 'response_types as a bare string', await req((r) => { r.response_types = 'code id_token'; }), MISC, 'claim.type', P('response_types'));
  add('scope-role-missing', 'payments needs the PISP role', await withSsa((s) => { s.software_roles = ['AISP', 'CBPII']; }), fail(MISC, [at('scope.role_missing', P('scope'))]));
  add('application-type-invalid', 'application_type outside the enum', await req((r) => { r.application_type = 'desktop'; }), fail(MISC, [at('claim.value', P('application_type'))]));
  add('application-type-mobile', 'mobile is a v3.1-v3.3 value (v3.4: native)', await req((r) => { r.application_type = 'mobile'; }),
    byVersion({ 1: ok(), 4: fail(MISC, [at('claim.value', P('application_type'))]) }));
  add('application-type-native', 'native is a v3.4 value (v3.1-v3.3: mobile)', await req((r) => { r.application_type = 'native'; }),
    byVersion({ 1: fail(MISC, [at('claim.value', P('application_type'))]), 4: ok() }));
  add('grant-jwt-bearer', 'the jwt-bearer grant is in the v3.4 swagger only', await req((r) => { r.grant_types.push('urn:ietf:params:oauth:grant-type:jwt-bearer'); }),
    byVersion({ 1: fail(MISC, [at('claim.value', P('grant_types/3'))]), 4: ok() }));
  if (minor === 1) {
    add('scope-item-too-long', 'v3.1 scope items are at most 32 characters', await req((r) => { r.scope = ['openid', 'x'.repeat(33)]; }), fail(MISC, [at('claim.format', P('scope/1'))], [at('scope.unknown', P('scope'))]));
  }
  add('scope-missing', 'scope is optional in v3.1, required from v3.2', await req((r) => { delete r.scope; }),
    byVersion({ 1: ok(), 2: fail(MISC, [at('claim.missing', P('scope'))]) }));
  add('scope-array', 'scope is an array of strings in v3.1, a string from v3.2', await req((r) => { r.scope = ['openid', 'accounts', 'payments', 'fundsconfirmations']; }),
    byVersion({ 1: ok(), 2: fail(MISC, [at('claim.type', P('scope'))]) }));
  const scopeString = await req((r) => { r.scope = 'openid accounts payments'; });
  add('scope-string', 'scope is a space-separated string from v3.2 (an array in v3.1)', scopeString,
    byVersion({ 1: fail(MISC, [at('claim.type', P('scope'))]), 2: ok() }));
  if (minor === 1) add('scope-string-lenient', 'v3.1: a string scope is accepted in lenient mode (string-or-array)', scopeString, ok([at('claim.type', P('scope'))]), lenient);
  add('scope-too-long', 'v3.2+ scope is at most 256 characters', await req((r) => { r.scope = minor === 1 ? ['openid', 'x'.repeat(20)] : `openid ${'x'.repeat(250)}`; }),
    byVersion({ 1: ok([at('scope.unknown', P('scope'))]), 2: fail(MISC, [at('claim.format', P('scope'))], [at('scope.unknown', P('scope'))]) }));
  add('subject-type-invalid', 'subject_type is public or pairwise', await req((r) => { r.subject_type = 'secret'; }), fail(MISC, [at('claim.value', P('subject_type'))]));

  // --- tls_client_auth and certificates ---
  // v3.1 requires token_endpoint_auth_signing_alg with every method; later versions only with *_jwt.
  const tls = (r) => { r.token_endpoint_auth_method = 'tls_client_auth'; if (minor > 1) delete r.token_endpoint_auth_signing_alg; };
  add('tls-dn-missing', 'tls_client_auth needs the subject DN', await req(tls), fail(MISC, [at('claim.conditional', P(dnName))]));
  add('tls-dn-matches-cert', 'DN matches the certificate (string vs hex-BER rendering)', await req((r) => { tls(r); r[dnName] = eidasDn; }), ok(), { client_cert_subject_dn: eidasDnHex });
  add('tls-dn-matches-reordered', 'DN matches the certificate in another order', await req((r) => { tls(r); r[dnName] = legacyCertDn; }), ok(), { client_cert_subject_dn: `/C=GB/O=OpenBanking/OU=${ORG_ID}/CN=${softwareId}` });
  add('tls-dn-mismatch', 'DN is not the certificate subject', await req((r) => { tls(r); r[dnName] = `CN=${softwareId},OU=${ORG_ID},O=OpenBanking,C=IE`; }), fail(MISC, [at('mtls.subject_dn_mismatch', P(dnName))]), { client_cert_subject_dn: legacyCertDn });
  add('tls-dn-invalid', 'DN must parse', await req((r) => { tls(r); r[dnName] = 'not a dn'; }),
    fail(MISC, [...(minor === 4 ? [at('claim.format', P(dnName))] : []), at('mtls.subject_dn_invalid', P(dnName))]));
  add('tls-dn-renamed', 'the other version\'s claim name is a warning', await req((r) => { tls(r); r[otherDnName] = legacyCertDn; }), ok([at('claim.renamed', P(otherDnName))]));
  await pair('dn-without-tls-client-auth', 'subject DN sent with private_key_jwt', await req((r) => { r[dnName] = legacyCertDn; }), MISC, 'claim.not_allowed', P(dnName));
  add('tls-dn-not-cn-first', 'the v3.4 DN pattern starts with CN (no pattern before v3.4)', await req((r) => { tls(r); r[dnName] = `OU=${ORG_ID},CN=${softwareId},O=OpenBanking,C=GB`; }),
    byVersion({ 1: ok(), 4: fail(MISC, [at('claim.format', P(dnName))]) }));
  add('tls-dn-spaces-after-commas', 'the v3.4 DN pattern has no spaces after commas', await req((r) => { tls(r); r[dnName] = `CN=${softwareId}, OU=${ORG_ID}, O=OpenBanking, C=GB`; }),
    byVersion({ 1: ok(), 4: fail(MISC, [at('claim.format', P(dnName))]) }));
  add('tls-dn-200-chars', 'the DN is at most 128 characters (v3.1-v3.3), 512 in v3.4', await req((r) => { tls(r); r[dnName] = `CN=${softwareId},OU=${ORG_ID},O=${'Demo TPP '.repeat(18)}Ltd,C=GB`; }),
    byVersion({ 1: fail(MISC, [at('claim.format', P(dnName))]), 4: ok() }));
  add('tls-client-auth-without-signing-alg', 'tls_client_auth without token_endpoint_auth_signing_alg (required in v3.1 only)', await req((r) => { r.token_endpoint_auth_method = 'tls_client_auth'; delete r.token_endpoint_auth_signing_alg; r[dnName] = legacyCertDn; }),
    byVersion({ 1: fail(MISC, [at('claim.missing', P('token_endpoint_auth_signing_alg'))]), 2: ok() }));
  add('tls-dn-utf8-hex', 'DN matches a certificate whose organizationIdentifier is a UTF8String (#0c...)', await req((r) => { tls(r); r[dnName] = eidasDn; }), ok(), { client_cert_subject_dn: eidasDnHexUtf8 });
  add('tls-dn-oid-prefix', 'OID.2.5.4.97 (.NET rendering) matches organizationIdentifier', await req((r) => { tls(r); r[dnName] = `CN=${ORG_ID},OID.2.5.4.97=${orgIdentifier},O=Demo TPP Ltd,C=GB`; }), ok(), { client_cert_subject_dn: eidasDn });
  add('tls-dn-extra-attribute', 'an extra attribute is a different DN', await req((r) => { tls(r); r[dnName] = `CN=${ORG_ID},organizationIdentifier=${orgIdentifier},O=Demo TPP Ltd,L=London,C=GB`; }), fail(MISC, [at('mtls.subject_dn_mismatch', P(dnName))]), { client_cert_subject_dn: eidasDnHex });
  add('tls-dn-cert-unparsable', 'the certificate subject given by the host does not parse', await req((r) => { tls(r); r[dnName] = legacyCertDn; }), fail(MISC, [at('mtls.subject_dn_invalid', P(dnName))]), { client_cert_subject_dn: 'not a dn' });
  add('client-cert-not-bound', 'the TLS client is not the SSA\'s software', await req(), fail(SSAE, [at('mtls.client_not_in_ssa', S('org_id'))]), { client_cert_subject_dn: 'CN=someone,OU=0015800000SomeOneX,O=OpenBanking,C=GB' });

  // --- CIBA ---
  const CIBA = 'urn:openid:params:grant-type:ciba';
  const ciba = (r) => { r.grant_types.push(CIBA); r.backchannel_token_delivery_mode = 'poll'; r.backchannel_authentication_request_signing_alg = 'PS256'; };
  add('ciba-poll', 'CIBA with poll (the CIBA grant arrived in v3.3)', await req(ciba),
    byVersion({ 1: fail(MISC, [at('claim.value', P('grant_types/3'))], [at('claim.ignored', P('backchannel_token_delivery_mode'))]), 3: ok() }), { discovery: 'bank' });
  if (minor >= 3) {
    add('ciba-ping', 'CIBA ping with a notification endpoint', await req((r) => { ciba(r); r.backchannel_token_delivery_mode = 'ping'; r.backchannel_client_notification_endpoint = 'https://tpp.example.com/ciba'; }), ok());
    add('ciba-push', 'push is forbidden by FAPI-CIBA', await req((r) => { ciba(r); r.backchannel_token_delivery_mode = 'push'; }), fail(MISC, [at('claim.value', P('backchannel_token_delivery_mode'))]));
    add('ciba-ping-no-endpoint', 'ping needs a notification endpoint', await req((r) => { ciba(r); r.backchannel_token_delivery_mode = 'ping'; }), fail(MISC, [at('claim.conditional', P('backchannel_client_notification_endpoint'))]));
    add('ciba-endpoint-http', 'the notification endpoint is https', await req((r) => { ciba(r); r.backchannel_token_delivery_mode = 'ping'; r.backchannel_client_notification_endpoint = 'http://tpp.example.com/ciba'; }), fail(MISC, [at('claim.uri', P('backchannel_client_notification_endpoint'))]));
    add('ciba-mode-missing', 'CIBA needs a delivery mode', await req((r) => { ciba(r); delete r.backchannel_token_delivery_mode; }), fail(MISC, [at('claim.conditional', P('backchannel_token_delivery_mode'))]));
    add('ciba-alg-missing', 'CIBA needs a request signing alg', await req((r) => { ciba(r); delete r.backchannel_authentication_request_signing_alg; }), fail(MISC, [at('claim.conditional', P('backchannel_authentication_request_signing_alg'))]));
    add('ciba-user-code', 'user codes are not supported', await req((r) => { ciba(r); r.backchannel_user_code_parameter_supported = true; }), fail(MISC, [at('claim.value', P('backchannel_user_code_parameter_supported'))]));
    add('ciba-mode-not-advertised', 'a delivery mode the bank does not offer', await req((r) => { ciba(r); r.backchannel_token_delivery_mode = 'ping'; r.backchannel_client_notification_endpoint = 'https://tpp.example.com/ciba'; }), fail(MISC, [at('discovery.unsupported', P('backchannel_token_delivery_mode'))]), { discovery: 'poll-only' });
    add('ciba-alg-rs256', 'the CIBA request signing alg is PS256 or ES256', await req((r) => { ciba(r); r.backchannel_authentication_request_signing_alg = 'RS256'; }), fail(MISC, [at('alg.not_fapi', P('backchannel_authentication_request_signing_alg'))]));
    add('ciba-push-advertised-by-ozone', 'push stays forbidden although Ozone advertises it', await req((r) => { ciba(r); r.grant_types = ['authorization_code', 'client_credentials', CIBA]; r.backchannel_token_delivery_mode = 'push'; }), fail(MISC, [at('claim.value', P('backchannel_token_delivery_mode'))]), { discovery: 'ozone', issuer: OZONE.issuer });
    add('ciba-user-code-false', 'an explicit false user-code flag is fine', await req((r) => { ciba(r); r.backchannel_user_code_parameter_supported = false; }), ok());
  }
  add('backchannel-without-ciba', 'backchannel claims without the CIBA grant are ignored', await req((r) => { r.backchannel_token_delivery_mode = 'poll'; }), ok([at('claim.ignored', P('backchannel_token_delivery_mode'))]));

  // --- discovery ---
  add('discovery-grant-unsupported', 'refresh_token not offered by the bank (Ozone)', await req(), fail(MISC, [at('discovery.unsupported', P('grant_types/2'))]), { discovery: 'narrow' });
  add('discovery-alg-unsupported', 'ES256 not offered by the bank (Ozone)', await req((r) => { r.id_token_signed_response_alg = 'ES256'; r.grant_types = ['authorization_code', 'client_credentials']; }), fail(MISC, [at('discovery.unsupported', P('id_token_signed_response_alg'))]), { discovery: 'narrow', software_jwks: 'software' });
  add('discovery-none-still-refused', 'an advertised none is still below the FAPI floor', await req((r) => { r.request_object_signing_alg = 'none'; r.grant_types = ['authorization_code', 'client_credentials']; }), fail(MISC, [at('alg.not_fapi', P('request_object_signing_alg'))]), { discovery: 'narrow' });
  add('discovery-scope-unsupported', 'a scope the bank does not offer', await req((r) => { r.scope = minor === 1 ? ['openid', 'accounts', 'extra'] : 'openid accounts extra'; }), fail(MISC, [at('discovery.unsupported', P('scope'))]), { discovery: 'bank' });
  add('discovery-issuer-mismatch', 'the configured issuer differs from discovery', await req(), ok([at('discovery.issuer_mismatch', '/discovery/issuer')]), { discovery: 'bank', issuer: 'https://other.bank.example' });

  // --- operations ---
  add('register-client-secret', 'a client may not choose its secret', await req((r) => { r.client_secret = 'hunter2'; }), fail(MISC, [at('claim.not_allowed', P('client_secret'))]));
  add('update-valid', 'an update of the same client', await req((r) => { r.client_id = 'client-123'; }), ok(), { operation: { kind: 'update', client_id: 'client-123' } });
  add('update-client-id-mismatch', 'client_id must be the client being updated', await req((r) => { r.client_id = 'client-999'; }), fail(MISC, [at('claim.mismatch', P('client_id'))]), { operation: { kind: 'update', client_id: 'client-123' } });
  add('update-server-fields', 'RFC 7592 server fields must not be sent', await req((r) => { r.registration_access_token = 'abc'; }), fail(MISC, [at('claim.not_allowed', P('registration_access_token'))]), { operation: { kind: 'update', client_id: 'client-123' } });

  // --- version deltas of iss/software_id (18 characters in v3.1, 22 from v3.2) ---
  const id22 = 'oQ4KoaavpOuoE7rvQsZEOV';
  const id18 = 'oQ4KoaavpOuoE7rvQs';
  const withId = (id) => withSsa((s) => { s.software_id = id; s.software_client_id = id; s.software_jwks_endpoint = `https://keystore.openbankingtest.org.uk/${ORG_ID}/${id}.jwks`; }, (r) => { r.iss = id; r.software_id = id; });
  add('iss-22-chars', 'a 22-character software_id as iss: too long in v3.1', await withId(id22),
    byVersion({ 1: fail(MISC, [at('claim.format', P('iss')), at('claim.format', P('software_id'))]), 2: ok() }));
  add('iss-18-chars', 'an 18-character software_id as iss is valid in every version', await withId(id18), ok());
  add('request-software-id-format', 'request software_id is base62', await req((r) => { r.software_id = 'not/base62'; }), fail(MISC, [at('claim.format', P('software_id')), at('claim.mismatch', P('software_id'))]));

  // --- more aud, time, response type and encryption rules ---
  add('aud-array-without-accepted', 'an aud array is accepted only when it holds an accepted value', await req((r) => { r.aud = ['0015800000OtherBnk']; }), fail(MISC, [at('aud.mismatch', P('aud'))], [at('claim.type', P('aud'))]), lenient);
  add('aud-number', 'aud must be a string', await req((r) => { r.aud = 15800000; }), fail(MISC, [at('claim.type', P('aud'))]));
  await pair('aud-configured-url', 'aud as another configured non-ID audience (registration endpoint URL)', await req((r) => { r.aud = 'https://api.bank.example.co.uk/register'; }), MISC, 'aud.format', P('aud'), { audiences: [BANK_ORG_ID, 'https://api.bank.example.co.uk/register'] });
  add('request-lifetime-3600', 'exp - iat = 3600 s (the OB conformance tool) is accepted', await req((r) => { r.iat = NOW - 10; r.exp = NOW + 3590; }), ok());
  add('request-expired-within-skew', 'expired 30 s ago, within the 60 s skew', await req((r) => { r.iat = NOW - 330; r.exp = NOW - 30; }), ok());
  await pair('response-types-case', 'response type differing only in case', await req((r) => { r.response_types = ['Code id_token']; }), MISC, 'claim.value', P('response_types/0'));
  await pair('grant-case', 'grant type differing only in case', await req((r) => { r.grant_types = ['Authorization_Code', 'client_credentials']; }), MISC, 'claim.value', P('grant_types/0'));
  add('id-token-enc-without-alg', 'id_token_encrypted_response_enc needs the alg', await req((r) => { r.id_token_encrypted_response_enc = 'A256GCM'; }), fail(MISC, [at('claim.conditional', P('id_token_encrypted_response_alg'))]));
  add('id-token-encryption', 'RSA-OAEP / A256GCM ID token encryption (WSO2 sample)', await req((r) => { r.id_token_encrypted_response_alg = 'RSA-OAEP'; r.id_token_encrypted_response_enc = 'A256GCM'; }), ok());
  add('wso2-shaped-strict', 'issuer-URL aud, timestamp jti, no openid (the WSO2 sample shape): strict', await req((r) => { r.aud = UK_ISSUER; r.jti = '1751017085201'; r.scope = minor === 1 ? ['accounts', 'payments'] : 'accounts payments'; }),
    fail(MISC, [at('aud.format', P('aud')), at('jti.format', P('jti'))], [at('scope.openid_missing', P('scope'))]));
  add('wso2-shaped-lenient', 'the same in lenient mode: three warnings', await req((r) => { r.aud = UK_ISSUER; r.jti = '1751017085201'; r.scope = minor === 1 ? ['accounts', 'payments'] : 'accounts payments'; }),
    ok([at('aud.format', P('aud')), at('jti.format', P('jti')), at('scope.openid_missing', P('scope'))]), lenient);

  // --- peer bugs (UK digest §5.8) as negative fixtures ---
  add('redirect-second-http', 'every redirect URI must be https, not just one (WSO2 any-match)', await withSsa((s) => { s.software_redirect_uris.push('http://tpp.example.com/cb'); }, (r) => { r.redirect_uris = ['https://tpp.example.com/cb', 'http://tpp.example.com/cb']; }), fail(REDIR, [at('redirect_uri.not_https', P('redirect_uris/1'))]));
  add('redirect-subdomain-localhost', '*.localhost is local', await withSsa((s) => { s.software_redirect_uris.push('https://app.localhost/cb'); }, (r) => { r.redirect_uris = ['https://app.localhost/cb']; }), fail(REDIR, [at('redirect_uri.localhost', P('redirect_uris/0'))]));
  add('redirect-notlocalhost-host', 'a host merely containing "localhost" is fine (ForgeRock substring test)', await withSsa((s) => { s.software_redirect_uris.push('https://notlocalhost.com/cb'); }, (r) => { r.redirect_uris = ['https://notlocalhost.com/cb']; }), ok());
  add('ssa-localhost-redirect-allowed', 'sandbox SSAs may list localhost; only the requested URIs are checked', await withSsa((s) => { s.software_redirect_uris.push('https://localhost:8443/cb'); }), ok());
  add('scope-fundsconfirmations-without-cbpii', 'fundsconfirmations needs CBPII (ForgeRock misspelling never enforced it)', await withSsa((s) => { s.software_roles = ['AISP', 'PISP']; }), fail(MISC, [at('scope.role_missing', P('scope'))]));

  // --- more SSA rules ---
  add('ssa-iss-missing', 'SSA iss is required', await withSsa((s) => { delete s.iss; }), fail(SSAE, [at('claim.missing', S('iss'))]));
  add('ssa-iat-missing', 'SSA iat is required', await withSsa((s) => { delete s.iat; }), fail(SSAE, [at('claim.missing', S('iat'))]));
  add('ssa-jti-missing', 'SSA jti is required', await withSsa((s) => { delete s.jti; }), fail(SSAE, [at('claim.missing', S('jti'))]));
  add('ssa-roles-missing', 'software_roles is required (the scope check is then skipped)', await withSsa((s) => { delete s.software_roles; }), fail(SSAE, [at('claim.missing', S('software_roles'))]));
  add('ssa-redirect-uris-missing', 'software_redirect_uris is required (the subset check is then skipped)', await withSsa((s) => { delete s.software_redirect_uris; }), fail(SSAE, [at('claim.missing', S('software_redirect_uris'))]));
  add('ssa-org-id-too-long', 'org_id is at most 35 characters', await withSsa((s) => { s.org_id = 'x'.repeat(36); }), fail(SSAE, [at('claim.format', S('org_id'))]));
  add('ssa-software-version-too-long', 'software_version is at most 42 characters', await withSsa((s) => { s.software_version = '1.'.repeat(22); }), fail(SSAE, [at('claim.format', S('software_version'))]));
  add('ssa-org-contacts-entry', 'each org_contacts entry is an object', await withSsa((s) => { s.org_contacts.push('tech@tpp.example.com'); }), fail(SSAE, [at('claim.type', S('org_contacts/1'))]));
  add('ssa-exp-future', 'an SSA exp in the future is fine', await withSsa((s) => { s.exp = NOW + 600; }), ok());
  add('ssa-environment-missing', 'an expected environment needs software_environment', await withSsa((s) => { delete s.software_environment; }), fail(UNAP, [at('ssa.environment', S('software_environment'))], [at('claim.recommended', S('software_environment'))]), { software_environment: 'sandbox' });
  await pair('ssa-org-status-case', 'org_status differing only in case', await withSsa((s) => { s.org_status = 'active'; }), SSAE, 'claim.value', S('org_status'));
  add('ssa-org-status-withdrawn-lowercase', 'a case-only variant of an inactive status is still inactive', await withSsa((s) => { s.org_status = 'withdrawn'; }), fail(UNAP, [at('ssa.org_inactive', S('org_status'))], [at('claim.value', S('org_status'))]), lenient);
  await pair('ssa-competent-authority-status-case', 'competent authority status differing only in case', await withSsa((s) => { s.organisation_competent_authority_claims.status = 'active'; }), SSAE, 'claim.value', S('organisation_competent_authority_claims/status'));

  // --- more discovery cross-checks ---
  add('discovery-ozone', "the real Ozone discovery document has no refresh_token grant", await req(), fail(MISC, [at('discovery.unsupported', P('grant_types/2'))]), { discovery: 'ozone', issuer: OZONE.issuer });
  add('discovery-ozone-without-refresh', 'Ozone accepts the rest of the baseline', await req((r) => { r.grant_types = ['authorization_code', 'client_credentials']; }), ok(), { discovery: 'ozone', issuer: OZONE.issuer });
  add('discovery-auth-method-unsupported', 'an auth method the bank does not offer', await req((r) => { r.token_endpoint_auth_method = 'tls_client_auth'; r[dnName] = legacyCertDn; }), fail(MISC, [at('discovery.unsupported', P('token_endpoint_auth_method'))]), { discovery: 'pkj-only' });
  add('discovery-response-type-unsupported', 'a response type the bank does not offer', await req(), fail(MISC, [at('discovery.unsupported', P('response_types/0'))]), { discovery: 'code-only' });
  add('discovery-subject-type-unsupported', 'a subject type the bank does not offer', await req((r) => { r.subject_type = 'pairwise'; r.grant_types = ['authorization_code', 'client_credentials']; }), fail(MISC, [at('discovery.unsupported', P('subject_type'))]), { discovery: 'ozone', issuer: OZONE.issuer });
  add('discovery-enc-unsupported', 'an ID token encryption alg the bank does not offer', await req((r) => { r.id_token_encrypted_response_alg = 'RSA-OAEP'; r.id_token_encrypted_response_enc = 'A256GCM'; }), fail(MISC, [at('discovery.unsupported', P('id_token_encrypted_response_alg'))]), { discovery: 'oaep256' });

  // --- operations ---
  add('update-without-client-id', 'an update need not repeat client_id', await req(), ok(), { operation: { kind: 'update', client_id: 'client-123' } });
  add('register-client-id-ignored', 'client_id on register is ignored', await req((r) => { r.client_id = 'chosen-by-tpp'; }), ok([at('claim.ignored', P('client_id'))]));

  const swPadded = { ...k.sw.publicJwk, x5t: 'XRpUI7DLiKM34JyQetPZ5-VC4E4=' };
  return {
    generator: 'tests/vectors/gen/gen-dcr-uk.mjs',
    profile,
    jwks: {
      directory: jwks(k.dir, k.dirEs),
      software: jwks(k.sw, k.swEs),
      'software-single': jwks(k.sw),
      'software-two-rsa': jwks(k.sw, { ...k.swStranger.publicJwk }),
      'software-dup-kid': jwks(k.sw, { ...k.sw.publicJwk, use: 'enc', alg: 'RSA-OAEP' }, k.swEs),
      'software-padded-x5t': { keys: [swPadded, k.swEs.publicJwk] },
    },
    discovery: {
      bank: UK_DISCOVERY,
      narrow: UK_DISCOVERY_NARROW,
      ozone: OZONE,
      'pkj-only': { ...UK_DISCOVERY, token_endpoint_auth_methods_supported: ['private_key_jwt'] },
      'code-only': { ...UK_DISCOVERY, response_types_supported: ['code'] },
      'poll-only': { ...UK_DISCOVERY, backchannel_token_delivery_modes_supported: ['poll'] },
      oaep256: { ...UK_DISCOVERY, id_token_encryption_alg_values_supported: ['RSA-OAEP-256'], id_token_encryption_enc_values_supported: ['A256GCM'] },
    },
    defaults: {
      profile,
      mode: 'strict',
      issuer: UK_ISSUER,
      audiences: [BANK_ORG_ID],
      now: NOW,
      ssa_jwks: 'directory',
      software_jwks: 'software',
    },
    cases,
  };
}

for (const minor of [1, 2, 3, 4]) {
  const m = await ukManifest(minor);
  // Unique ids; and accepted cases that share a configuration (as the Worker corpus test groups
  // them, ignoring operation and client certificate) never share a jti.
  const ids = new Set();
  const jtis = new Map();
  for (const c of m.cases) {
    if (ids.has(c.id)) throw new Error(`duplicate case id ${c.id}`);
    ids.add(c.id);
    if (!c.expect.valid) continue;
    const { operation, client_cert_subject_dn, ...shared } = { ...m.defaults, ...(c.config ?? {}) };
    const jti = JSON.parse(Buffer.from(c.token.split('.')[1], 'base64url').toString()).jti;
    const key = `${JSON.stringify(shared)} ${jti}`;
    if (jtis.has(key)) throw new Error(`${c.id} and ${jtis.get(key)} share jti ${jti}`);
    jtis.set(key, c.id);
  }
  writeManifest(`${OUT}/uk-obie-v3.${minor}.json`, m);
  console.log(`${OUT}/uk-obie-v3.${minor}.json: ${m.cases.length} cases`);
}
