// The demo bank's registration endpoint, behind the Worker. It shows how an origin checks the
// Worker's DCR-Guard-Verified header (docs/worker.md) before trusting a forwarded request.
const enc = new TextEncoder();
const b64u = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

async function verified(request, body, secret) {
  const header = request.headers.get('dcr-guard-verified') ?? '';
  const m = header.match(/^v1; t=(\d+); digest=([\w-]+); sig=([\w-]+)$/);
  if (!m) return false;
  const [, t, digest, sig] = m;
  if (Math.abs(Date.now() / 1000 - Number(t)) > 60) return false;
  if (b64u(await crypto.subtle.digest('SHA-256', body)) !== digest) return false;
  const url = new URL(request.url);
  const key = await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, enc.encode(`v1.${t}.${request.method}.${url.pathname}${url.search}.${digest}`));
  return b64u(mac) === sig;
}

export default {
  async fetch(request, env) {
    const body = await request.arrayBuffer();
    if (!(await verified(request, body, env.DCR_VERIFICATION_SECRET))) {
      return Response.json({ error: 'invalid_request', error_description: 'not verified by dcr-guard' }, { status: 403 });
    }
    if (request.method === 'POST') {
      const payload = JSON.parse(atob(new TextDecoder().decode(body).split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      const clientId = crypto.randomUUID();
      return Response.json({ client_id: clientId, client_id_issued_at: Math.floor(Date.now() / 1000), software_id: payload.software_id, redirect_uris: payload.redirect_uris, registered_by: 'demo bank' }, { status: 201 });
    }
    return Response.json({ ok: true, method: request.method, path: new URL(request.url).pathname });
  },
};
