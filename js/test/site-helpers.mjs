// Shared by the debugger page tests: registration requests that are not among the page's
// samples, minted fresh with npm `jose` (independent of dcr-guard) from keys made for the run,
// and a local HTTPS key store that serves their key sets, as a directory and a TPP would.
// The software statement must name an https key-set URL (the core refuses anything else), so
// the store speaks TLS with a self-signed certificate made by openssl for this run; the browser
// context that fetches from it is told to accept that certificate.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompactSign, exportJWK, generateKeyPair } from 'jose';

/** A self-signed certificate for 127.0.0.1, valid for a day. */
function certificate() {
  const dir = mkdtempSync(join(tmpdir(), 'dcr-guard-keystore-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'pipe' });
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * An HTTPS key store on 127.0.0.1: `put(path, json)` publishes a document; every request is
 * recorded in `requests` (path). Answers with CORS headers, as the OB and CDR key stores must
 * for a browser to read them.
 */
export async function keystore() {
  const files = new Map();
  const requests = [];
  const server = createServer(certificate(), (req, res) => {
    const path = new URL(req.url, 'https://x').pathname;
    requests.push(path);
    const body = files.get(path);
    const headers = { 'access-control-allow-origin': '*', 'cache-control': 'no-store' };
    if (body === undefined) res.writeHead(404, headers).end();
    else res.writeHead(200, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${server.address().port}`;
  return {
    origin,
    requests,
    put: (path, json) => { files.set(path, json); return `${origin}${path}`; },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** A fresh key: `{ alg, kid, privateKey, jwk }` (public JWK with kid and use). */
async function key(alg, kid) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'PS256' ? { modulusLength: 2048 } : {}) });
  return { alg, kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, use: 'sig' } };
}

async function sign(k, claims) {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: k.alg, kid: k.kid, typ: 'JWT' })
    .sign(k.privateKey);
}

/**
 * A UK registration request unlike the samples: an ES256 request key, a PS256 directory key,
 * the bank's OB organisation ID as `aud`, issued now. The key sets are published on `store`
 * (the directory's at `/keystore/directory.jwks`). `change` edits the request claims.
 */
export async function mintUk(store, { change = {}, ssaChange = {} } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const org = '0015800001ZEZ3HAAX';
  const software = 'Hx7Qp2LmVw9KsT4aYb6Rc1';
  const directory = await key('PS256', `dir-${randomUUID().slice(0, 8)}`);
  const tpp = await key('ES256', `tpp-${randomUUID().slice(0, 8)}`);
  const directoryUrl = store.put('/keystore/directory.jwks', { keys: [directory.jwk] });
  const softwareUrl = store.put(`/${org}/${software}.jwks`, { keys: [tpp.jwk] });
  const ssaClaims = {
    iss: 'OpenBanking Ltd', iat: now - 3600, jti: randomUUID().replace(/-/g, '').slice(0, 16), software_environment: 'sandbox',
    software_mode: 'Test', software_id: software, software_client_id: software, software_client_name: 'Hidden Budget App',
    software_version: '2.1', software_client_uri: 'https://budget.hidden.example',
    software_redirect_uris: ['https://budget.hidden.example/oauth/callback'], software_roles: ['AISP'],
    org_status: 'Active', org_id: org, org_name: 'Hidden Fintech Ltd',
    org_jwks_endpoint: `${store.origin}/${org}/${org}.jwks`, software_jwks_endpoint: softwareUrl,
    software_jwks_revoked_endpoint: `${store.origin}/${org}/revoked/${software}.jwks`, ...ssaChange,
  };
  const ssa = await sign(directory, ssaClaims);
  const claims = {
    iss: software, iat: now - 5, exp: now + 600, aud: '0015800000jfQ9aAAE', jti: randomUUID().toUpperCase(),
    redirect_uris: ['https://budget.hidden.example/oauth/callback'], token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'ES256', grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code id_token'], software_id: software, scope: 'openid accounts', application_type: 'web',
    id_token_signed_response_alg: 'ES256', request_object_signing_alg: 'ES256', software_statement: ssa, ...change,
  };
  return { token: await sign(tpp, claims), ssa, claims, ssaClaims, directoryUrl, softwareUrl, directoryJwks: { keys: [directory.jwk] }, softwareJwks: { keys: [tpp.jwk] } };
}

/** An AU CDR registration request (Register-signed statement, `aud` = the holder's issuer URL). */
export async function mintAu(store) {
  const now = Math.floor(Date.now() / 1000);
  const adr = 'https://adr.hidden.example.com.au';
  const register = await key('PS256', randomUUID().replace(/-/g, '').toUpperCase().slice(0, 40));
  const recipient = await key('PS256', `adr-${randomUUID().slice(0, 8)}`);
  const directoryUrl = store.put('/cdr-register/v1/jwks', { keys: [register.jwk] });
  const softwareUrl = store.put('/adr/jwks', { keys: [recipient.jwk] });
  const softwareId = randomUUID();
  const ssaClaims = {
    legal_entity_id: randomUUID(), legal_entity_name: 'Hidden Recipient Pty Ltd', iss: 'cdr-register', iat: now - 30, exp: now + 570,
    jti: randomUUID().replace(/-/g, ''), org_id: randomUUID(), org_name: 'Hidden Recipient', client_name: 'Hidden Saver',
    client_description: 'Saves for you', client_uri: adr, redirect_uris: [`${adr}/cb`], logo_uri: `${adr}/logo.png`,
    tos_uri: `${adr}/tos`, policy_uri: `${adr}/policy`, jwks_uri: softwareUrl, revocation_uri: `${adr}/revoke`, recipient_base_uri: adr,
    software_id: softwareId, software_roles: 'data-recipient-software-product',
    scope: 'openid profile cdr:registration bank:accounts.basic:read',
  };
  const ssa = await sign(register, ssaClaims);
  const claims = {
    iss: softwareId, iat: now - 5, exp: now + 295, jti: randomUUID(), aud: 'https://dh.hidden.example.com.au',
    redirect_uris: [`${adr}/cb`], token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'PS256',
    grant_types: ['client_credentials', 'authorization_code', 'refresh_token'], response_types: ['code'], application_type: 'web',
    id_token_signed_response_alg: 'PS256', request_object_signing_alg: 'PS256', authorization_signed_response_alg: 'PS256',
    software_statement: ssa,
  };
  return { token: await sign(recipient, claims), ssa, claims, ssaClaims, directoryUrl, softwareUrl, directoryJwks: { keys: [register.jwk] }, softwareJwks: { keys: [recipient.jwk] } };
}

/**
 * Debian's Chromium, headless, with the flags of helpers.launch(); it also accepts the key
 * store's self-signed certificate and lets the page use the clipboard (the copy buttons).
 */
export async function launchBrowser(origin) {
  const { chromium } = await import('playwright-core');
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'dcr-guard-chromium-')), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    ignoreHTTPSErrors: true,
    acceptDownloads: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  return context;
}
