// Fresh UK v3.3 registrations signed now, for the Worker's behaviour tests (the production
// build reads the real clock). Test keys only, generated per run.
import { newKey, jwks, sign, uuid } from '../vectors/gen/dcr-lib.mjs';

export const ORG = '0015800001HQQrZAAX';
export const SOFTWARE = 'oQ4KoaavpOuoE7rvQsZEOV';
export const BANK_ORG = '0015800000jfwxXAAQ';
export const ISSUER = 'https://auth.bank.example';
export const DIRECTORY_URL = 'https://directory.test/directory.jwks';
export const SOFTWARE_JWKS_URL = `https://keystore.openbankingtest.org.uk/${ORG}/${SOFTWARE}.jwks`;
export const REVOKED_URL = `https://keystore.openbankingtest.org.uk/${ORG}/revoked/${SOFTWARE}.jwks`;

export async function keys() {
  return {
    directory: await newKey('PS256', 'directory-2026'),
    software: await newKey('PS256', 'software-2026'),
    rotated: await newKey('PS256', 'software-2027'),
    stranger: await newKey('PS256', 'software-unknown'),
  };
}

export const set = jwks;
const now = () => Math.floor(Date.now() / 1000);

/** An SSA (as the directory signs it) with optional claim changes. */
export function ssa(k, change = () => {}) {
  const claims = {
    iss: 'OpenBanking Ltd', iat: now() - 3600, jti: 'a1b2c3d4e5f60718', software_environment: 'sandbox', software_mode: 'Test',
    software_id: SOFTWARE, software_client_id: SOFTWARE, software_client_name: 'Demo TPP', software_version: '1.0',
    software_redirect_uris: ['https://tpp.example.com/cb'], software_roles: ['AISP', 'PISP', 'CBPII'], org_status: 'Active',
    org_id: ORG, org_name: 'Demo TPP Ltd', org_jwks_endpoint: `https://keystore.openbankingtest.org.uk/${ORG}/${ORG}.jwks`,
    software_jwks_endpoint: SOFTWARE_JWKS_URL, software_jwks_revoked_endpoint: REVOKED_URL,
  };
  change(claims);
  return sign(k.directory, claims);
}

/** A registration request signed by `key` (default: the software key), valid now. */
export async function registration(k, { change = () => {}, ssaChange = () => {}, key = k.software } = {}) {
  const claims = {
    iss: SOFTWARE, iat: now() - 5, exp: now() + 300, aud: BANK_ORG, jti: uuid(),
    redirect_uris: ['https://tpp.example.com/cb'], token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'PS256',
    grant_types: ['authorization_code', 'client_credentials', 'refresh_token'], response_types: ['code id_token'], software_id: SOFTWARE,
    scope: 'openid accounts payments', software_statement: await ssa(k, ssaChange), application_type: 'web',
    id_token_signed_response_alg: 'PS256', request_object_signing_alg: 'PS256',
  };
  change(claims);
  return sign(key, claims);
}

/** Variables of a UK v3.3 deployment whose directory is served by the DIRECTORY binding. */
export function ukVars(extra = {}) {
  return { DCR_PROFILE: 'uk-obie-v3.3', DCR_ISSUER: ISSUER, DCR_AUDIENCES: BANK_ORG, DCR_DIRECTORY_JWKS_URL: DIRECTORY_URL, ...extra };
}

/**
 * A directory handler serving the directory and software key sets by URL. The software's
 * revoked key set is served empty unless `routes` says otherwise (the Worker checks it by
 * default for the UK).
 */
export function serving(routes) {
  return (request) => {
    const body = request.url in routes ? routes[request.url] : request.url === REVOKED_URL ? { keys: [] } : undefined;
    if (body === undefined) return new Response('not found', { status: 404 });
    if (body instanceof Response) return body;
    if (typeof body === 'function') return body(request);
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
  };
}
