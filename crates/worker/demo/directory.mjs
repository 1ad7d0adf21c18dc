// The demo directory: serves the demo's key sets at https://keystore.demo.dcr-guard.example/…
// (reached through a service binding, so the Worker's SSRF guard stays on).
import data from './.run/demo-data.json';

export default {
  fetch(request) {
    const body = data.files[new URL(request.url).pathname];
    if (!body) return new Response('not found', { status: 404 });
    return Response.json(body, { headers: { 'cache-control': 'max-age=300' } });
  },
};
