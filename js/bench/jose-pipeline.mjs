// The equivalent jose pipeline: what a JS developer would write with npm jose — verify the request
// with the software key set, read its software statement, verify that with the directory key set
// (two compactVerify calls, key sets imported once by createLocalJWKSet), then check the claims.
// The claim checks are a representative subset of dcr-guard's UK rules (the ones a careful
// hand-written validator has); dcr-guard checks more, so the comparison favours jose.
import { compactVerify, createLocalJWKSet } from 'jose';

const decoder = new TextDecoder();
const ALGS = ['PS256', 'ES256'];
const isStr = (v) => typeof v === 'string' && v.length > 0;
const https = (u) => {
  try {
    return new URL(u).protocol === 'https:';
  } catch {
    return false;
  }
};

export function josePipeline({ issuer, audiences = [], ssaJwks, softwareJwks, now, clockSkew = 60 }) {
  const directory = createLocalJWKSet(ssaJwks);
  const software = createLocalJWKSet(softwareJwks);
  const accepted = new Set([issuer, ...audiences]);
  return async function validate(token) {
    const errors = [];
    const request = await compactVerify(token, software, { algorithms: ALGS });
    const claims = JSON.parse(decoder.decode(request.payload));
    if (!isStr(claims.software_statement)) return { valid: false, errors: ['ssa.missing'] };
    const ssaResult = await compactVerify(claims.software_statement, directory, { algorithms: ALGS });
    const ssa = JSON.parse(decoder.decode(ssaResult.payload));
    // SSA claims.
    if (ssa.iss !== 'OpenBanking Ltd') errors.push('ssa.iss');
    if (typeof ssa.iat !== 'number' || ssa.iat > now + clockSkew) errors.push('ssa.iat');
    if (!isStr(ssa.software_id)) errors.push('ssa.software_id');
    if (!Array.isArray(ssa.software_redirect_uris) || !ssa.software_redirect_uris.every(https)) errors.push('ssa.redirect_uris');
    if (!Array.isArray(ssa.software_roles) || ssa.software_roles.length === 0) errors.push('ssa.roles');
    if (!https(ssa.software_jwks_endpoint)) errors.push('ssa.jwks_endpoint');
    if (ssa.org_status !== undefined && ssa.org_status !== 'Active') errors.push('ssa.org_status');
    // Request claims.
    if (claims.iss !== ssa.software_id) errors.push('iss');
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.some((a) => accepted.has(a))) errors.push('aud');
    if (typeof claims.exp !== 'number' || claims.exp < now - clockSkew) errors.push('exp');
    if (typeof claims.iat !== 'number' || claims.iat > now + clockSkew) errors.push('iat');
    if (typeof claims.exp === 'number' && typeof claims.iat === 'number' && claims.exp - claims.iat > 3600) errors.push('lifetime');
    if (!isStr(claims.jti)) errors.push('jti');
    if (!Array.isArray(claims.redirect_uris) || !claims.redirect_uris.every((u) => ssa.software_redirect_uris?.includes(u))) errors.push('redirect_uris');
    if (!['private_key_jwt', 'tls_client_auth', 'client_secret_jwt'].includes(claims.token_endpoint_auth_method)) errors.push('auth_method');
    if (claims.token_endpoint_auth_method === 'private_key_jwt' && !ALGS.includes(claims.token_endpoint_auth_signing_alg)) errors.push('auth_alg');
    if (!Array.isArray(claims.grant_types) || !claims.grant_types.every((g) => ['authorization_code', 'client_credentials', 'refresh_token'].includes(g))) errors.push('grant_types');
    if (!Array.isArray(claims.response_types) || !claims.response_types.every((r) => ['code', 'code id_token'].includes(r))) errors.push('response_types');
    if (claims.software_id !== undefined && claims.software_id !== ssa.software_id) errors.push('software_id');
    if (!ALGS.includes(claims.id_token_signed_response_alg)) errors.push('id_token_alg');
    if (!ALGS.includes(claims.request_object_signing_alg)) errors.push('request_object_alg');
    if (claims.application_type !== undefined && claims.application_type !== 'web') errors.push('application_type');
    if (typeof claims.scope === 'string' && !claims.scope.split(' ').includes('openid')) errors.push('scope');
    return { valid: errors.length === 0, errors };
  };
}
