// Fault injection for the deployed Worker build in real workerd (Miniflare 4), one table per
// dependency, complementing behaviour.test.mjs (which already covers: directory JWKS answering
// 500; software JWKS answering 404, redirecting, 300 KB with a length, slow, not a key set;
// origin refusing connections or slow, with the jti given back; misconfiguration). Added here:
// the directory JWKS down, slow, trickling, garbage, huge and redirecting; the software JWKS down,
// failing, trickling, huge without a length, not UTF-8, empty or wrongly shaped; the replay
// Durable Object throwing, failing, never answering or not bound. Each row asserts the defined
// answer — 503 with Retry-After: 30 (a dependency is at fault) or 400 (the registrant's key set
// is) — and that nothing reached the origin. The fault table in SECURITY.md lists every row.
//
// "Down" is a real refused connection: a service binding to an external server on a closed
// loopback port. The broken replay stores stand in for a Durable Object the runtime cannot
// reach (overloaded, reset, storage timing out): a class in a second Worker script, bound as
// REPLAY in place of ReplayGuard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Guard, baseVars } from './harness.mjs';
import { DIRECTORY_URL, SOFTWARE_JWKS_URL, keys, registration, serving, set, ukVars } from './mint.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const REPLAY_TIMEOUT_MS = 3000; // crates/worker/src/replay.rs TIMEOUT_MS

/** Stand-ins for an unreachable replay store; MODE picks how it fails. */
const BROKEN_REPLAY = `
export class BrokenReplay {
  constructor(state, env) { this.mode = env.MODE; }
  async fetch() {
    if (this.mode === 'throw') throw new Error('Durable Object storage operation exceeded timeout');
    if (this.mode === 'status') return new Response('overloaded', { status: 500 });
    await new Promise((r) => setTimeout(r, 20000)); // 'hang': no answer for 20 s
    return new Response('reserved');
  }
}
export default { fetch: () => new Response('') };
`;

/**
 * The shared harness plus a DOWN binding (a refused loopback connection) and, when `replay` is
 * set, the broken replay store in place of ReplayGuard ('missing': no REPLAY binding at all).
 */
class FaultGuard extends Guard {
  constructor(replay = null) {
    super({ cache: false });
    this.replay = replay;
  }

  options(vars) {
    const { cf, ...worker } = super.options(vars);
    worker.serviceBindings = { ...worker.serviceBindings, DOWN: { external: { address: '127.0.0.1:1', http: {} } } };
    if (this.replay === 'missing') delete worker.durableObjects;
    if (!this.replay || this.replay === 'missing') return { cf, ...worker };
    worker.durableObjects = { REPLAY: { className: 'BrokenReplay', scriptName: 'broken-replay' } };
    const broken = { name: 'broken-replay', modules: true, script: BROKEN_REPLAY, compatibilityDate: worker.compatibilityDate, bindings: { MODE: this.replay } };
    return { cf, workers: [{ name: 'guard', ...worker }, broken] };
  }
}

let k;
before(async () => {
  k = await keys();
});

/** A body that arrives `chunk` by `chunk` every `everyMs`, `count` times, with no length. */
const trickle = (chunk, count, everyMs) => () => {
  let sent = 0;
  const body = new ReadableStream({
    async pull(controller) {
      if (sent++ >= count) return controller.close();
      if (everyMs) await sleep(everyMs);
      controller.enqueue(new TextEncoder().encode(chunk));
    },
  });
  return new Response(body, { headers: { 'content-type': 'application/json' } });
};

/** Hosts served by the DIRECTORY binding, except those routed to DOWN. */
function hostBindings(down = []) {
  const hosts = ['directory.test', 'keystore.openbankingtest.org.uk', 'keystore.openbanking.org.uk'];
  return hosts.map((h) => `${h}=${down.includes(h) ? 'DOWN' : 'DIRECTORY'}`).join(',');
}

/** Starts `guard` with the key sets served, `routes` overriding them, and no key-set caching. */
async function start(guard, routes = {}, extra = {}) {
  guard.directory = serving({ [DIRECTORY_URL]: set(k.directory), [SOFTWARE_JWKS_URL]: set(k.software), ...routes });
  const vars = baseVars(ukVars({ DCR_FETCH_TIMEOUT_MS: '400', DCR_JWKS_TTL: '0', DCR_JWKS_STALE_MAX: '0', ...extra }));
  await guard.start(vars);
}

/** Sends a fresh valid registration and asserts the defined answer; nothing forwarded. */
async function expectAnswer(guard, name, status, code) {
  const res = await guard.fetch('/register', { body: await registration(k) });
  const body = await res.json();
  assert.equal(res.status, status, `${name}: ${JSON.stringify(body)}`);
  assert.equal(res.headers.get('content-type'), 'application/json', name);
  assert.equal(res.headers.get('cache-control'), 'no-store', name);
  if (status === 503) {
    assert.equal(res.headers.get('retry-after'), '30', name);
    assert.equal(body.error, 'temporarily_unavailable', name);
  } else if (status === 500) {
    assert.equal(body.error, 'server_error', name);
  } else {
    assert.equal(res.headers.get('dcr-guard-findings'), code, name);
    assert.equal(body.error, 'invalid_client_metadata', name);
  }
  assert.equal(guard.received.length, 0, `${name}: forwarded`);
  console.log(`fault: ${name} → ${res.status}${code ? ` ${code}` : ''}: ${body.error_description}`);
}

test('directory JWKS faults: down, slow, trickling, garbage, huge, redirecting → 503, nothing forwarded', async () => {
  const guard = new FaultGuard();
  try {
    const rows = [
      ['directory JWKS down (connection refused)', {}, { DCR_HOST_BINDINGS: hostBindings(['directory.test']) }],
      ['directory JWKS slow (no headers within the timeout)', { [DIRECTORY_URL]: async () => { await sleep(1500); return Response.json(set(k.directory)); } }],
      ['directory JWKS trickling (body not read within the timeout)', { [DIRECTORY_URL]: trickle(' ', 40, 50) }],
      ['directory JWKS garbage (not JSON)', { [DIRECTORY_URL]: '<html>maintenance</html>' }],
      ['directory JWKS not a key set (valid JSON)', { [DIRECTORY_URL]: { keys: 'none' } }],
      ['directory JWKS huge (300 KB, no length)', { [DIRECTORY_URL]: trickle('x'.repeat(16_384), 19, 0) }],
      ['directory JWKS redirecting (301)', { [DIRECTORY_URL]: new Response(null, { status: 301, headers: { location: 'https://attacker.example/jwks' } }) }],
      ['directory JWKS answering 503', { [DIRECTORY_URL]: new Response('busy', { status: 503 }) }],
    ];
    for (const [name, routes, extra] of rows) {
      await start(guard, routes, extra);
      await expectAnswer(guard, name, 503);
      assert.ok(!guard.fetched.includes(SOFTWARE_JWKS_URL), `${name}: the software JWKS was fetched without a verified statement`);
    }
  } finally {
    await guard.dispose();
  }
});

test('software JWKS faults: down, failing, trickling, huge → 503; not UTF-8 or not a key set → 400; nothing forwarded', async () => {
  const guard = new FaultGuard();
  try {
    const rows = [
      ['software JWKS down (connection refused)', {}, 503, null, { DCR_HOST_BINDINGS: hostBindings(['keystore.openbankingtest.org.uk']) }],
      ['software JWKS answering 500', { [SOFTWARE_JWKS_URL]: new Response('error', { status: 500 }) }, 503],
      ['software JWKS trickling (body not read within the timeout)', { [SOFTWARE_JWKS_URL]: trickle(' ', 40, 50) }, 503],
      ['software JWKS huge (300 KB, no length)', { [SOFTWARE_JWKS_URL]: trickle('x'.repeat(16_384), 19, 0) }, 503],
      ['software JWKS not UTF-8', { [SOFTWARE_JWKS_URL]: () => new Response(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])) }, 400, 'jwks.invalid'],
      ['software JWKS valid JSON, not a key set', { [SOFTWARE_JWKS_URL]: { keys: 'none' } }, 400, 'jwks.invalid'],
      ['software JWKS empty key set', { [SOFTWARE_JWKS_URL]: { keys: [] } }, 400, 'jwk.kid_not_found'],
    ];
    for (const [name, routes, status, code, extra] of rows) {
      await start(guard, routes, extra);
      await expectAnswer(guard, name, status, code);
    }
  } finally {
    await guard.dispose();
  }
});

test('replay store faults: throwing, failing, never answering → 503; not bound → 500 (misconfigured); nothing forwarded', async () => {
  for (const [mode, name, status] of [
    ['throw', 'replay Durable Object throwing', 503],
    ['status', 'replay Durable Object answering 500', 503],
    ['hang', `replay Durable Object not answering (timeout ${REPLAY_TIMEOUT_MS} ms)`, 503],
    ['missing', 'replay Durable Object binding missing', 500],
  ]) {
    const guard = new FaultGuard(mode);
    try {
      await start(guard);
      const t0 = Date.now();
      await expectAnswer(guard, name, status);
      if (mode === 'hang') assert.ok(Date.now() - t0 < REPLAY_TIMEOUT_MS + 5000, 'the replay timeout did not apply');
    } finally {
      await guard.dispose();
    }
  }
  // The same deployment with the real ReplayGuard accepts (the faults above were the store's).
  const guard = new FaultGuard();
  try {
    await start(guard);
    const res = await guard.fetch('/register', { body: await registration(k) });
    assert.equal(res.status, 201);
    assert.equal(guard.received.length, 1);
  } finally {
    await guard.dispose();
  }
});
