// The debugger page: runs dcr-guard (WebAssembly) in the browser. Everything shown comes from
// untrusted input, so the DOM is built with textContent only — never innerHTML.
import { init, decodeJws, verifyJws, validateRegistration, inspectRegistration } from '../src/browser-sync.js';
import samples from './samples.js';

const $ = (id) => document.getElementById(id);

/** Builds an element; strings become text nodes. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return node;
}

const escapeToken = (t) => String(t).replace(/~/g, '~0').replace(/\//g, '~1');

// ---------------------------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------------------------
function toLocalInput(secs) {
  const d = new Date(secs * 1000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
const nowInput = () => Math.floor(new Date($('now').value).getTime() / 1000);
function resetNow() {
  $('now').value = toLocalInput(Math.floor(Date.now() / 1000));
}

function relative(secs, now) {
  const d = secs - now;
  const a = Math.abs(d);
  const unit = a < 90 ? [a, 's'] : a < 5400 ? [Math.round(a / 60), 'min'] : a < 172800 ? [Math.round(a / 3600), 'h'] : [Math.round(a / 86400), 'days'];
  return d >= 0 ? `in ${unit[0]} ${unit[1]}` : `${unit[0]} ${unit[1]} ago`;
}

const TIME_CLAIMS = new Set(['iat', 'exp', 'nbf', 'client_id_issued_at']);

// ---------------------------------------------------------------------------------------------
// JSON with pointers
// ---------------------------------------------------------------------------------------------
function scalar(v) {
  if (typeof v === 'string') return el('span', { class: 'str', text: JSON.stringify(v) });
  if (typeof v === 'number') return el('span', { class: 'num', text: String(v) });
  return el('span', { class: 'lit', text: JSON.stringify(v) });
}

/** A member line with its pointer; nested values indent below it. */
function member(label, value, pointer, now, onNested) {
  const line = el('div', { class: 'member', 'data-pointer': pointer });
  if (label !== null) line.append(el('span', { class: 'key', text: JSON.stringify(label) }), ': ');
  if (value !== null && typeof value === 'object') {
    const open = Array.isArray(value) ? '[' : '{';
    const close = Array.isArray(value) ? ']' : '}';
    line.append(open);
    const nested = el('div', { class: 'nested' });
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (const [k, v] of entries) nested.append(member(Array.isArray(value) ? null : k, v, `${pointer}/${escapeToken(k)}`, now, onNested));
    line.append(nested, close);
  } else if (label === 'software_statement' && typeof value === 'string' && onNested) {
    line.append(el('span', { class: 'str', text: `"${value.slice(0, 24)}…"` }));
    const jump = el('a', { class: 'jump', href: '#ssa-panel', text: 'decoded below ↓' });
    jump.addEventListener('click', (e) => { e.preventDefault(); $('ssa-panel').focus(); $('ssa-panel').scrollIntoView({ behavior: 'smooth' }); });
    line.append(jump);
  } else {
    line.append(scalar(value));
    if (TIME_CLAIMS.has(label) && typeof value === 'number') {
      line.append(el('span', { class: 'time', text: `${new Date(value * 1000).toISOString().replace('.000Z', 'Z')} (${relative(value, now)})` }));
    }
  }
  return line;
}

function renderJws(container, root, decoded, now) {
  container.replaceChildren();
  if (!decoded) {
    container.append(el('p', { class: 'muted', text: 'Not decodable.' }));
    return;
  }
  container.append(el('h3', { text: 'Header' }), el('div', { class: 'json' }, member(null, decoded.header, `${root}/header`, now)));
  container.append(el('h3', { text: 'Claims' }), el('div', { class: 'json' }, member(null, decoded.claims, `${root}/claims`, now, root === '/request')));
}

function setSig(node, status) {
  node.className = `sig ${status ?? 'unchecked'}`;
  node.textContent = status === 'valid' ? 'signature valid' : status === 'invalid' ? 'signature invalid' : 'signature not checked';
}

/** Puts each finding next to the claim it concerns (or the nearest enclosing element). */
function attach(findings) {
  for (const f of findings) {
    let pointer = f.pointer;
    let target = null;
    while (pointer && !(target = document.querySelector(`#result [data-pointer="${CSS.escape(pointer)}"]`))) {
      pointer = pointer.slice(0, pointer.lastIndexOf('/'));
    }
    if (!target) target = f.pointer.startsWith('/ssa') ? $('ssa-title') : $('request-title');
    target.classList.add(f.severity === 'error' ? 'has-error' : 'has-warning');
    let notes = target.querySelector(':scope > ul.notes');
    if (!notes) {
      notes = el('ul', { class: 'notes' });
      const nested = target.querySelector(':scope > .nested');
      if (nested) target.insertBefore(notes, nested);
      else target.append(notes);
    }
    notes.append(finding(f));
  }
}

function finding(f) {
  return el('li', { class: f.severity },
    el('span', { class: 'code', text: `${f.code} ` }),
    f.message,
    el('span', { class: 'pointer', text: ` ${f.pointer}` }),
    el('span', { class: 'spec', text: f.spec }));
}

// ---------------------------------------------------------------------------------------------
// Running a check
// ---------------------------------------------------------------------------------------------
function options() {
  const opts = { profile: $('profile').value, issuer: $('issuer').value.trim(), mode: $('mode').value, now: nowInput() };
  const aud = $('audiences').value.split(',').map((s) => s.trim()).filter(Boolean);
  if (aud.length) opts.audiences = aud;
  if ($('discovery').value.trim()) opts.discovery = $('discovery').value.trim();
  opts.ssaJwks = $('ssa-jwks').value.trim();
  return opts;
}

function show({ verdictClass, verdictParts, report, requestDecoded, ssaDecoded }) {
  const now = nowInput();
  $('result').hidden = false;
  const verdict = $('verdict');
  verdict.className = verdictClass;
  verdict.replaceChildren(...verdictParts);
  renderJws($('request-view'), '/request', requestDecoded, now);
  renderJws($('ssa-view'), '/ssa', ssaDecoded, now);
  setSig($('request-sig'), requestDecoded?.signature);
  setSig($('ssa-sig'), ssaDecoded?.signature);
  $('request-panel').hidden = !requestDecoded;
  const findings = report?.findings ?? [];
  attach(findings);
  $('findings').replaceChildren(...(findings.length ? findings.map((f) => finding(f)) : [el('li', { text: 'No findings.' })]));
  verdict.focus();
}

function validate() {
  $('status').textContent = '';
  const token = $('token').value.trim();
  if (!token) {
    $('status').textContent = 'Paste a compact JWS first.';
    return;
  }
  let decoded;
  try {
    decoded = decodeJws(token);
  } catch (e) {
    show({ verdictClass: 'bad', verdictParts: [el('span', { class: 'rfc', text: e.code ?? 'error' }), el('span', { class: 'desc', text: e.message })] });
    return;
  }
  try {
    const payload = decoded.payload ?? {};
    if (typeof payload === 'object' && typeof payload.software_statement === 'string') {
      checkRegistration(token);
    } else {
      checkSsaAlone(token, decoded);
    }
  } catch (e) {
    $('status').textContent = `${e.code ?? 'Error'}: ${e.message}`;
  }
}

function checkRegistration(token) {
  const opts = options();
  const software = $('software-jwks').value.trim();
  if (!software) {
    // Phase 1 only: show the statement and name the key set the bank would fetch.
    const p1 = inspectRegistration(token, opts);
    if (p1.softwareJwksUrl) $('software-jwks-url').value = p1.softwareJwksUrl;
    $('status').textContent = p1.softwareJwksUrl
      ? 'The software statement verified. Paste or fetch the software JWKS it names to check the request itself.'
      : 'The request is refused before the software JWKS would be fetched.';
    show({
      verdictClass: p1.rejected ? 'bad' : 'ok',
      verdictParts: [el('strong', { text: p1.rejected ? 'Refused already in phase 1' : 'Phase 1 passed' })],
      report: { findings: p1.findings },
      requestDecoded: p1.request,
      ssaDecoded: p1.ssa,
    });
    return;
  }
  const report = validateRegistration(token, { ...opts, softwareJwks: software });
  const ssaUrl = report.ssa?.claims?.software_jwks_endpoint ?? report.ssa?.claims?.jwks_uri;
  if (ssaUrl && !$('software-jwks-url').value) $('software-jwks-url').value = ssaUrl;
  const parts = report.valid
    ? [el('strong', { text: 'Accepted' }), el('span', { class: 'desc', text: `${report.findings.length} warning(s). A bank would register this client.` })]
    : [el('strong', { text: 'Refused: ' }), el('span', { class: 'rfc', text: report.error }), el('span', { class: 'desc', text: report.error_description })];
  show({ verdictClass: report.valid ? 'ok' : 'bad', verdictParts: parts, report, requestDecoded: report.request, ssaDecoded: report.ssa });
}

/** A software statement on its own: decoded, its signature checked against the directory JWKS. */
function checkSsaAlone(token, decoded) {
  const keys = $('ssa-jwks').value.trim();
  const verified = keys ? verifyJws(token, keys) : null;
  const status = verified ? (verified.valid ? 'valid' : 'invalid') : 'unchecked';
  const ssa = { header: decoded.header, claims: typeof decoded.payload === 'object' ? decoded.payload : null, signature: status };
  const finds = verified && !verified.valid ? [{ code: verified.code, severity: 'error', pointer: '/ssa', message: verified.message, spec: 'RFC 7515' }] : [];
  show({
    verdictClass: status === 'valid' ? 'ok' : 'bad',
    verdictParts: [el('strong', { text: 'Software statement alone: ' }), el('span', { class: 'desc', text: status === 'valid' ? 'the directory signature verifies. Paste a registration request that carries it for the full check.' : status === 'invalid' ? `signature does not verify (${verified.code}).` : 'give the directory JWKS to check its signature.' })],
    report: { findings: finds },
    requestDecoded: null,
    ssaDecoded: ssa,
  });
}

// ---------------------------------------------------------------------------------------------
// Wiring
// ---------------------------------------------------------------------------------------------
for (const s of samples) $('sample').append(el('option', { value: s.id, text: s.title }));
$('sample').addEventListener('change', () => {
  const s = samples.find((x) => x.id === $('sample').value);
  if (!s) return;
  $('token').value = s.token;
  $('profile').value = s.options.profile;
  $('mode').value = s.options.mode ?? 'strict';
  $('issuer').value = s.options.issuer;
  $('audiences').value = (s.options.audiences ?? []).join(',');
  // A sample without a fixed time (the demo's fresh requests) is checked at the current time.
  $('now').value = toLocalInput(s.options.now ?? Math.floor(Date.now() / 1000));
  $('ssa-jwks').value = JSON.stringify(s.options.ssaJwks, null, 1);
  $('software-jwks').value = JSON.stringify(s.options.softwareJwks, null, 1);
  $('discovery').value = s.options.discovery ? JSON.stringify(s.options.discovery, null, 1) : '';
  $('ssa-jwks-url').value = '';
  $('software-jwks-url').value = '';
  $('status').textContent = s.description;
});
$('inputs').addEventListener('submit', (e) => {
  e.preventDefault();
  validate();
});
$('now-reset').addEventListener('click', resetNow);
for (const button of document.querySelectorAll('[data-fetch]')) {
  button.addEventListener('click', async () => {
    const target = button.dataset.fetch;
    const url = $(`${target}-url`).value.trim();
    if (!url) return;
    $('status').textContent = `Fetching ${url} …`;
    try {
      const res = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'omit' });
      $(target).value = await res.text();
      $('status').textContent = `Fetched ${url} (HTTP ${res.status}).`;
    } catch (e) {
      $('status').textContent = `Could not fetch ${url}: ${e.message} (the key store must allow cross-origin requests).`;
    }
  });
}
resetNow();
// The synchronous functions need the module loaded (dcr-guard/sync: the pure-Rust crypto
// verifies the pasted key sets synchronously, as the form is submitted).
try {
  await init();
  document.body.dataset.ready = 'true';
} catch (e) {
  $('status').textContent = `The validator could not be loaded: ${e.message}`;
}
