// The debugger page: dcr-guard (WebAssembly) in the browser. One paste decodes the token and
// checks it; one click fetches the key sets the statement names. Everything shown comes from
// untrusted input, so the DOM is built with textContent only — never innerHTML. Nothing leaves
// the page but the key-set fetches the user asks for (and the state a copied link carries in
// its fragment, which browsers never send to a server).
// dcr-guard/sync: the page verifies pasted key sets synchronously as inputs change, which the
// async-only default browser entry (WebCrypto) cannot; its module is loaded once by init().
import * as dcr from '../src/browser-sync.js';
import samples from './samples.js';

const $ = (id) => document.getElementById(id);

/** Builds an element; strings become text nodes. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return node;
}

/**
 * A code or pointer with line-break opportunities between its words only: before each `/`, after
 * each `.` and `_` (snake_case claim names are words joined by `_`), never inside a word.
 */
function breakable(text) {
  const frag = document.createDocumentFragment();
  String(text).split(/(?=\/)|(?<=[._])/).forEach((piece, i) => {
    if (i > 0) frag.append(el('wbr'));
    frag.append(piece);
  });
  return frag;
}

/** Items that never break inside, joined by ' · ' where the line may break. */
const joined = (items) => items.flatMap((m, i) => [...(i ? [' · '] : []), el('span', { class: 'nobr', text: m })]);

const escapeToken = (t) => String(t).replace(/~/g, '~0').replace(/\//g, '~1');
const hostOf = (url) => { try { return new URL(url).host; } catch { return url; } };
const store = {
  get: (k) => { try { return localStorage.getItem(`dcr-guard-debugger:${k}`); } catch { return null; } },
  set: (k, v) => { try { localStorage.setItem(`dcr-guard-debugger:${k}`, v); } catch { /* private mode */ } },
};

// ---------------------------------------------------------------------------------------------
// Policy. dcr-guard decides each documented deviation by `policy: { preset, rules }` (presets
// `interop`, the default, `spec` and `mock`); a finding a policy rule decided names it in
// `rule`, and its severity is the decision (`info` for an accepted one); every finding carries
// `fix`. The page asks the package once whether it takes `policy` (an options error that names
// `policy` means a 0.1 package with `mode: 'strict' | 'lenient'`) and offers what it supports.
// ---------------------------------------------------------------------------------------------
const PRESETS = {
  interop: 'What conformant participants and the trust anchors actually send is accepted (the default); deviations are warnings',
  spec: 'The letter of the data dictionaries and the CDS, for conformance testing',
  mock: 'What the ACCC mock Data Holder and the WSO2/ForgeRock samples accept, as warnings (rules that protect the bank stay errors)',
};
/** The old API's modes for the presets it can express. */
const MODE_OF = { spec: 'strict', interop: 'lenient' };
let policyApi = false;
const DEFAULT_PRESET = () => (policyApi ? 'interop' : 'spec');

async function detectPolicy() {
  try {
    await dcr.checkRegistration('probe', {
      profile: 'uk-obie-v3.3', issuer: 'https://probe.invalid', ssaJwks: { keys: [] },
      policy: { preset: 'interop' }, fetchJwks: async () => ({ keys: [] }),
    });
    return true;
  } catch (e) {
    return !(e?.code === 'ERR_DCR_GUARD_CONFIG_INVALID_OPTION' && /policy/.test(String(e.message)));
  }
}

function setupPolicy() {
  const select = $('policy');
  const offered = policyApi ? ['interop', 'spec', 'mock'] : ['spec', 'interop'];
  select.replaceChildren(...offered.map((p) => el('option', { value: p, text: `${p}${policyApi ? '' : ` (mode ${MODE_OF[p]})`}${p === DEFAULT_PRESET() ? ' — default' : ''}` })));
  select.value = DEFAULT_PRESET(); // each API's own default
  $('rules-box').hidden = !policyApi;
  policyHint();
}

function policyHint() {
  const p = $('policy').value;
  $('policy-hint').textContent = `${PRESETS[p] ?? ''}.${policyApi ? '' : ' This dcr-guard takes mode strict/lenient; the mock preset needs a newer one.'}`;
}

/** The options that choose the policy: `policy` when the package takes it, else `mode`. */
function policyOptions() {
  const preset = $('policy').value;
  if (!policyApi) return { mode: MODE_OF[preset] ?? 'strict' };
  const rules = $('rules').value.trim();
  return { policy: rules ? { preset, rules: JSON.parse(rules) } : { preset } };
}

const presetOfMode = (mode) => (mode === 'lenient' ? 'interop' : 'spec');

// ---------------------------------------------------------------------------------------------
// Time: Unix seconds or an ISO date (UTC unless it says otherwise), shown with their age.
// ---------------------------------------------------------------------------------------------
/** `null` for empty (now), seconds, or `NaN` when not understood. */
function parseTime(text) {
  const t = text.trim();
  if (!t) return null;
  if (/^\d{1,12}$/.test(t)) return Number(t);
  if (/^\d{13}$/.test(t)) return Math.floor(Number(t) / 1000); // milliseconds, as some banks send
  const iso = /^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?)?$/.test(t) ? (t.includes('T') ? `${t}Z` : `${t}T00:00:00Z`) : t;
  if (!/^\d{4}-\d\d-\d\d/.test(iso)) return NaN;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : NaN;
}

/** A Unix time as an ISO date; a number no Date can hold (hostile claims) says so. */
function isoOf(secs) {
  const d = new Date(secs * 1000);
  return Number.isNaN(d.getTime()) ? 'not a representable date' : d.toISOString().replace('.000Z', 'Z');
}

function relative(secs, now) {
  const d = secs - now;
  const a = Math.abs(d);
  const [n, unit] = a < 90 ? [a, 's'] : a < 5400 ? [Math.round(a / 60), 'min'] : a < 172800 ? [Math.round(a / 3600), 'h'] : [Math.round(a / 86400), 'days'];
  if (a === 0) return 'at the validation time';
  return d > 0 ? `in ${n} ${unit}` : `${n} ${unit} ago`;
}

const TIME_CLAIMS = new Set(['iat', 'exp', 'nbf', 'client_id_issued_at', 'client_secret_expires_at']);

// ---------------------------------------------------------------------------------------------
// Decoding for display, and what the token says about how to check it. The verdict never
// comes from here: malformed input gets the report the API returns for it.
// ---------------------------------------------------------------------------------------------
const asClaims = (payload) => (payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? payload : null);

function decodeQuietly(token) {
  try {
    const d = dcr.decodeJws(token);
    return { header: d.header, claims: asClaims(d.payload) };
  } catch {
    return null;
  }
}

/** Whether parsed JSON nests no deeper than the core allows (16), so rendering it is bounded. */
function shallow(v, depth = 0) {
  if (v === null || typeof v !== 'object') return true;
  return depth < 16 && Object.values(v).every((x) => shallow(x, depth + 1));
}

/**
 * For display only, when decodeJws refuses a token (a bad signature segment, padding, …): the
 * header and payload as far as they decode, so the user still sees what the token says. The
 * verdict is the API's report either way.
 */
function decodeLeniently(token) {
  const [h, p] = token.split('.');
  if (p === undefined) return null;
  const part = (s) => {
    const b64 = s.replace(/[\s=]/g, '').replace(/-/g, '+').replace(/_/g, '/');
    const v = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))));
    if (!shallow(v)) throw new Error('too deep');
    return v;
  };
  try {
    const header = part(h);
    if (header === null || typeof header !== 'object' || Array.isArray(header)) return null;
    let claims = null;
    try { claims = asClaims(part(p)); } catch { /* the header alone */ }
    return { header, claims, lenient: true };
  } catch {
    return null;
  }
}

const DIRECTORY_ISSUERS = { 'OpenBanking Ltd': 'uk', 'cdr-register': 'au' };

/** `{ kind, request, ssa }`: kind is `request`, `ssa` (a statement alone) or `undecodable`. */
function decodeView(token) {
  const outer = decodeQuietly(token);
  if (!outer) return { kind: 'undecodable', request: decodeLeniently(token), ssa: null };
  const c = outer.claims ?? {};
  if (typeof c.software_statement === 'string') return { kind: 'request', request: outer, ssa: decodeQuietly(c.software_statement) };
  const statementLike = c.iss in DIRECTORY_ISSUERS || 'software_jwks_endpoint' in c || ('jwks_uri' in c && 'software_roles' in c);
  return statementLike ? { kind: 'ssa', request: null, ssa: outer } : { kind: 'request', request: outer, ssa: null };
}

/**
 * The profile the token asks for: the statement's issuer says UK or AU; for UK the version is
 * guessed from claims that only some versions have (v3.3 otherwise, the current text).
 */
function inferProfile(view) {
  const ssa = view.ssa?.claims;
  const family = DIRECTORY_ISSUERS[ssa?.iss];
  if (family === 'au') return { profile: 'au-cdr', why: 'statement issuer "cdr-register"' };
  const r = view.request?.claims ?? {};
  const grants = Array.isArray(r.grant_types) ? r.grant_types : [];
  let version = '3.3';
  let because = 'no version-specific claims, v3.3 assumed';
  if (r.application_type === 'native' || grants.includes('urn:ietf:params:oauth:grant-type:jwt-bearer')) {
    [version, because] = ['3.4', r.application_type === 'native' ? 'application_type "native" is v3.4' : 'the jwt-bearer grant is v3.4'];
  } else if (grants.includes('urn:openid:params:grant-type:ciba') || Object.keys(r).some((k) => k.startsWith('backchannel_'))) {
    because = 'CIBA claims are v3.3 and later';
  } else if ('tls_client_auth_dn' in r || Array.isArray(r.scope)) {
    [version, because] = ['3.1', 'tls_client_auth_dn' in r ? 'tls_client_auth_dn is the v3.1 name' : 'scope as an array is v3.1'];
  }
  const source = family === 'uk' ? 'statement issuer "OpenBanking Ltd"' : ssa ? `statement issuer ${JSON.stringify(String(ssa.iss))} not recognised, UK assumed` : 'no software statement, UK assumed';
  return { profile: `uk-obie-v${version}`, why: `${source}; version: ${because}` };
}

const PROFILE_NAMES = { 'uk-obie-v3.1': 'UK OBIE v3.1', 'uk-obie-v3.2': 'UK OBIE v3.2', 'uk-obie-v3.3': 'UK OBIE v3.3', 'uk-obie-v3.4': 'UK OBIE v3.4', 'au-cdr': 'AU CDR' };

/** The key-set URL the statement names (UK `software_jwks_endpoint`, AU `jwks_uri`). */
const softwareUrlOf = (view) => {
  const c = view.ssa?.claims;
  const url = c?.software_jwks_endpoint ?? c?.jwks_uri;
  return typeof url === 'string' ? url : '';
};

// ---------------------------------------------------------------------------------------------
// The directory's key set: presets, or a custom URL remembered in this browser.
// ---------------------------------------------------------------------------------------------
const DIRECTORIES = {
  ob: 'https://keystore.openbanking.org.uk/keystore/openbanking.jwks',
  'ob-sandbox': 'https://keystore.openbankingtest.org.uk/keystore/openbanking.jwks',
  cdr: 'https://api.cdr.gov.au/cdr-register/v1/jwks',
};

/** Automatic: the CDR Register for AU; for UK the sandbox directory when the statement is a sandbox one. */
function autoDirectory(view, profile) {
  if (!view.ssa) return '';
  if (profile === 'au-cdr') return 'cdr';
  const c = view.ssa?.claims ?? {};
  const sandbox = /openbankingtest\.org\.uk$/.test(hostOf(softwareUrlOf(view))) || /sandbox|test/i.test(String(c.software_environment ?? ''));
  return sandbox ? 'ob-sandbox' : 'ob';
}

function directoryUrl(view, profile) {
  const preset = $('dir-preset').value;
  if (preset === 'custom') return $('ssa-jwks-url').value.trim();
  const chosen = preset === 'auto' ? autoDirectory(view, profile) : preset;
  return DIRECTORIES[chosen] ?? '';
}

function rememberDirectory() {
  store.set('directory', JSON.stringify({ preset: $('dir-preset').value, url: $('dir-preset').value === 'custom' ? $('ssa-jwks-url').value.trim() : '' }));
}

function restoreDirectory() {
  try {
    const d = JSON.parse(store.get('directory') ?? 'null');
    if (d && (d.preset in DIRECTORIES || d.preset === 'auto' || d.preset === 'custom')) {
      $('dir-preset').value = d.preset;
      if (d.preset === 'custom') $('ssa-jwks-url').value = String(d.url ?? '');
    }
  } catch { /* ignore a damaged setting */ }
}

// ---------------------------------------------------------------------------------------------
// Key sets: where each came from, shown beside the fetch button.
// ---------------------------------------------------------------------------------------------
const keySource = { 'ssa-jwks': null, 'software-jwks': null };

function keyState(id) {
  const text = $(id).value.trim();
  const node = $(`${id}-state`);
  if (!text) {
    node.textContent = 'not given';
    node.className = 'missing';
    return;
  }
  let count = null;
  try { count = JSON.parse(text)?.keys?.length ?? null; } catch { /* shown below */ }
  const src = keySource[id];
  const how = src?.how === 'fetched' ? `fetched from ${hostOf(src.url)} at ${src.at}` : src?.how === 'sample' ? 'from the sample' : src?.how === 'link' ? 'from the link' : 'pasted';
  node.textContent = `${count === null ? 'not a JWKS' : `${count} key${count === 1 ? '' : 's'}`} · ${how}`;
  node.className = count === null ? 'bad' : 'given';
}

// ---------------------------------------------------------------------------------------------
// One check: inputs → { verdict, report, findings, panels }. Synchronous, so a verdict is on
// the page when the event that asked for it returns.
// ---------------------------------------------------------------------------------------------
const EMPTY_JWKS = '{"keys":[]}';
/** Findings an empty key set causes: the check is waiting for that key set, not refused by it. */
const KEYLESS = new Set(['jwk.kid_not_found', 'jwk.no_suitable_key']);
let current = null;

function readContext(view) {
  const inferred = inferProfile(view);
  const chosen = $('profile').value;
  const profile = chosen || inferred.profile;
  const parsed = parseTime($('now').value);
  const now = parsed === null || Number.isNaN(parsed) ? Math.floor(Date.now() / 1000) : parsed;
  // The bank: what the user gave, else the discovery issuer, else whatever the request's aud
  // names (so one paste checks everything else; the hint says aud then checks nothing).
  const aud = view.request?.claims?.aud;
  const auds = (Array.isArray(aud) ? aud : [aud]).filter((a) => typeof a === 'string' && a);
  let discoveryIssuer = null;
  try { discoveryIssuer = JSON.parse($('discovery').value || 'null')?.issuer ?? null; } catch { /* reported by the API */ }
  const givenIssuer = $('issuer').value.trim();
  const givenAud = $('audiences').value.split(',').map((s) => s.trim()).filter(Boolean);
  const issuer = givenIssuer || discoveryIssuer || auds.find((a) => /^https:\/\//.test(a)) || 'https://bank.invalid';
  const fromAud = !givenIssuer && !givenAud.length;
  const audiences = givenAud.length ? givenAud : fromAud ? auds.filter((a) => a !== issuer) : [];
  return { inferred, profile, profileChosen: Boolean(chosen), now, nowValid: !Number.isNaN(parsed), live: parsed === null, issuer, audiences, fromAud, auds };
}

function check({ explicit = false } = {}) {
  clearTimeout(pendingTimer);
  const token = $('token').value.trim();
  if (!token) {
    current = null;
    renderEmpty();
    updatePlan(decodeView(''), null);
    return;
  }
  const view = decodeView(token);
  const ctx = readContext(view);
  showContext(view, ctx);
  updatePlan(view, ctx.profile);
  const ssaKeys = $('ssa-jwks').value.trim();
  const softwareKeys = $('software-jwks').value.trim();
  let outcome;
  if (!ctx.nowValid) {
    outcome = inputProblem('The validation time is neither Unix seconds nor an ISO date (e.g. 1764000000 or 2025-11-24T16:00:00Z).', 'now');
  } else if (view.kind === 'ssa') {
    outcome = checkStatement(token, view, ssaKeys);
  } else {
    outcome = checkRequest(token, view, ctx, ssaKeys, softwareKeys);
  }
  current = { panels: { request: view.request, ssa: view.ssa }, ...outcome, view, ctx, checkedAt: new Date().toISOString() };
  render(current);
  if (explicit) $('verdict').focus();
}

function inputProblem(message, field) {
  if (field) $(field).setAttribute('aria-invalid', 'true');
  return { state: 'input', title: 'Cannot check yet', desc: message, report: null, findings: [], notes: [] };
}

/** Errors the API throws for an input of the page (the software key set's are findings). */
const INPUT_ERRORS = {
  ERR_DCR_GUARD_JWKS_INVALID: ['ssa-jwks', 'Directory key set'],
  ERR_DCR_GUARD_CONFIG_DISCOVERY_INVALID: ['discovery', 'Discovery document'],
};

/** A registration request (or anything undecodable: the API's report says what is wrong). */
function checkRequest(token, view, ctx, ssaKeys, softwareKeys) {
  const options = { profile: ctx.profile, issuer: ctx.issuer, now: ctx.now, ssaJwks: ssaKeys || EMPTY_JWKS, softwareJwks: softwareKeys || EMPTY_JWKS };
  if (ctx.audiences.length) options.audiences = ctx.audiences;
  if ($('discovery').value.trim()) options.discovery = $('discovery').value.trim();
  let report;
  try {
    Object.assign(options, policyOptions());
    report = dcr.validateRegistration(token, options);
  } catch (e) {
    // A caller mistake, not a verdict: say which input it is about.
    if (e instanceof SyntaxError) return inputProblem(`Rule overrides: not JSON (${e.message}).`, 'rules');
    const [field, name] = INPUT_ERRORS[e.code] ?? [null, 'Settings'];
    return inputProblem(`${name}: ${e.message}${e.code ? ` (${e.code})` : ''}`, field);
  }
  // Findings that only say a key set was not given are not the verdict: the check waits.
  const waiting = (f) => KEYLESS.has(f.code) && (
    (!ssaKeys && (f.pointer === '/ssa' || f.pointer.startsWith('/ssa/header'))) ||
    (!softwareKeys && (f.pointer === '/request' || f.pointer.startsWith('/request/header'))));
  const missing = report.findings.filter(waiting);
  const findings = report.findings.filter((f) => !waiting(f));
  const unchecked = [missing.some((f) => f.pointer.startsWith('/ssa')) && 'the statement\'s (directory key set)', missing.some((f) => f.pointer.startsWith('/request')) && 'the request\'s (software key set)'].filter(Boolean);
  const notes = unchecked.length ? [`Signature not checked yet: ${unchecked.join(' and ')}.`] : [];
  const sig = (part, given) => (part ? { ...part, signature: given ? part.signature : 'unchecked' } : null);
  const panels = { request: sig(report.request, softwareKeys) ?? view.request, ssa: sig(report.ssa, ssaKeys) ?? view.ssa };
  if (!missing.length) {
    return report.valid
      ? { state: 'ok', title: 'Accepted', desc: 'A bank would register this client.', report, findings, notes, panels }
      : { state: 'bad', title: 'Refused', rfc: report.error, desc: report.error_description, report, findings, notes, panels };
  }
  const errors = findings.filter((f) => (f.decision ?? f.severity) === 'error');
  if (errors.length) {
    // Refused whatever the key sets say; the RFC 7591 error is known when the first-ranked
    // finding is not one of the waiting ones.
    const known = report.findings[0] && !waiting(report.findings[0]);
    return { state: 'bad', title: 'Refused', rfc: known ? report.error : undefined,
      desc: `${known ? report.error_description : errors[0].message} — whatever the missing key sets say.`, report, findings, notes, panels };
  }
  return { state: 'pending', title: 'Key sets needed', desc: 'Decoded. Fetch the key sets (one click) or paste them: then both signatures and every claim are checked.', report, findings, notes, panels };
}

/** A software statement on its own: decoded; its signature checked against the directory's key set. */
function checkStatement(token, view, ssaKeys) {
  const panels = { request: null, ssa: { ...view.ssa, signature: 'unchecked' } };
  const desc = 'A software statement alone. Paste the registration request that carries it for the full check.';
  if (!ssaKeys) return { state: 'pending', title: 'Directory key set needed', desc: `${desc} Fetch or paste the directory key set to check its signature.`, report: null, findings: [], notes: [], panels };
  let v;
  try {
    v = dcr.verifyJws(token, ssaKeys, { algorithms: ['PS256', 'ES256'] });
  } catch (e) {
    return inputProblem(`Directory key set: ${e.message}`, 'ssa-jwks');
  }
  panels.ssa.signature = v.valid ? 'valid' : 'invalid';
  const findings = v.valid ? [] : [{ code: v.code, severity: 'error', pointer: '/ssa', message: v.message, spec: 'RFC 7515', stage: 'ssa_signature' }];
  const report = { valid: v.valid, findings, request: null, ssa: panels.ssa };
  return v.valid
    ? { state: 'ok', title: 'Signature valid', desc, report, findings, notes: [], panels }
    : { state: 'bad', title: 'Signature does not verify', rfc: v.code, desc: v.message, report, findings, notes: [], panels };
}

// ---------------------------------------------------------------------------------------------
// What the page shows beside the inputs: the inferred profile, the bank, the time, the fetches.
// ---------------------------------------------------------------------------------------------
function showContext(view, ctx) {
  policyHint();
  $('profile').options[0].textContent = `Automatic — ${PROFILE_NAMES[ctx.inferred.profile]}`;
  $('profile-hint').textContent = ctx.profileChosen ? `Chosen. The token suggests ${PROFILE_NAMES[ctx.inferred.profile]} (${ctx.inferred.why}).` : `Inferred from the token: ${ctx.inferred.why}.`;
  $('aud-hint').textContent = view.kind === 'ssa' ? 'A statement alone: the bank\'s settings are used once the request is pasted.'
    : ctx.fromAud && ctx.auds.length
    ? `Empty: the request's aud (${ctx.auds.join(', ')}) is taken as the bank's, so aud is not checked. Give your bank's issuer or aud values to check it.`
    : `Checked against issuer ${ctx.issuer}${ctx.audiences.length ? ` and aud ${ctx.audiences.join(', ')}` : ''}.`;
  $('now').toggleAttribute('aria-invalid', !ctx.nowValid);
  $('now-hint').textContent = !ctx.nowValid ? 'Not understood.' : `${ctx.live ? 'Now: ' : ''}${isoOf(ctx.now)} (Unix ${ctx.now})${ctx.live ? '' : `, ${relative(ctx.now, Math.floor(Date.now() / 1000))}`}.`;
  $('now-iat').disabled = typeof view.request?.claims?.iat !== 'number';
  $('context-summary').replaceChildren(...joined([`${PROFILE_NAMES[ctx.profile]}${ctx.profileChosen ? '' : ' (inferred)'}`, $('policy').value, ctx.live ? 'now' : isoOf(ctx.now)]));
}

/**
 * Key sets follow the token: a sample's go when the token is no longer the sample's, fetched
 * ones when the statement now names another URL. Pasted ones stay (the same TPP's next token).
 */
function dropStaleKeys() {
  for (const id of ['ssa-jwks', 'software-jwks']) {
    const src = keySource[id];
    const stale = (src?.how === 'sample' && !$('sample').value) || (src?.how === 'fetched' && src.url !== $(`${id}-url`).value.trim());
    if (stale) {
      $(id).value = '';
      keySource[id] = null;
    }
  }
}

/** Fills the URLs the fetch button uses and says what it will fetch. */
function updatePlan(view, profile) {
  if ($('dir-preset').value !== 'custom') $('ssa-jwks-url').value = directoryUrl(view, profile);
  const sw = $('software-jwks-url');
  if (sw.dataset.auto !== 'false') sw.value = softwareUrlOf(view);
  const dir = $('ssa-jwks-url').value.trim();
  const soft = view.kind === 'ssa' ? '' : sw.value.trim();
  const parts = dir && soft && hostOf(dir) === hostOf(soft) ? [`both from ${hostOf(dir)}`]
    : [dir && `the directory's from ${hostOf(dir)}`, soft && `the software's from ${hostOf(soft)}`].filter(Boolean);
  $('fetch-keys').disabled = !parts.length;
  $('fetch-plan').textContent = parts.length ? `Fetches ${parts.join(' and ')}.` : view.kind === 'undecodable' ? 'Nothing to fetch: the token does not decode.' : 'Paste a token first.';
  dropStaleKeys();
  keyState('ssa-jwks');
  keyState('software-jwks');
  if (view.kind === 'ssa' && !$('software-jwks').value.trim()) $('software-jwks-state').textContent = 'not needed for a statement alone';
}

// ---------------------------------------------------------------------------------------------
// Rendering the result.
// ---------------------------------------------------------------------------------------------
function scalar(v) {
  if (typeof v === 'string') return el('span', { class: 'str', text: JSON.stringify(v) });
  if (typeof v === 'number') return el('span', { class: 'num', text: String(v) });
  return el('span', { class: 'lit', text: JSON.stringify(v) });
}

/** Whether a value is shown on one line: a short array or object of scalars (e.g. a header). */
function inline(value) {
  if (value === null || typeof value !== 'object') return false;
  const items = Object.values(value);
  return items.every((v) => v === null || typeof v !== 'object') && JSON.stringify(value).length <= 72;
}

/** A member line with its pointer; nested values indent below it. */
function member(label, value, pointer, now, linkSsa) {
  const line = el('div', { class: 'member', 'data-pointer': pointer });
  if (label !== null) line.append(el('span', { class: 'key', text: JSON.stringify(label) }), ': ');
  if (inline(value)) {
    // A short list or object of scalars on one line; each item still carries its pointer.
    const array = Array.isArray(value);
    const entries = array ? value.map((v, i) => [i, v]) : Object.entries(value);
    line.append(array ? '[' : '{');
    entries.forEach(([k, v], i) => {
      if (i > 0) line.append(', ');
      const item = el('span', { class: 'item', 'data-pointer': `${pointer}/${escapeToken(k)}` });
      if (!array) item.append(el('span', { class: 'key', text: JSON.stringify(k) }), ': ');
      item.append(scalar(v));
      line.append(item);
    });
    line.append(array ? ']' : '}');
  } else if (value !== null && typeof value === 'object') {
    const array = Array.isArray(value);
    line.append(array ? '[' : '{');
    const nested = el('div', { class: 'nested' });
    const entries = array ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (const [k, v] of entries) nested.append(member(array ? null : k, v, `${pointer}/${escapeToken(k)}`, now, linkSsa));
    line.append(nested, array ? ']' : '}');
  } else if (label === 'software_statement' && typeof value === 'string' && linkSsa) {
    line.append(el('span', { class: 'str', text: `"${value.slice(0, 20)}…"` }));
    const jump = el('a', { class: 'jump', href: '#ssa-panel', text: 'decoded below' });
    jump.addEventListener('click', (e) => { e.preventDefault(); $('ssa-panel').focus(); $('ssa-panel').scrollIntoView({ block: 'start' }); });
    line.append(' ', jump);
  } else {
    line.append(scalar(value));
    if (TIME_CLAIMS.has(label) && typeof value === 'number') {
      const ms = value > 1e11 ? ' — milliseconds? JWT times are seconds' : '';
      line.append(' ', el('span', { class: 'time', text: `${isoOf(ms ? value / 1000 : value)} · ${relative(ms ? Math.floor(value / 1000) : value, now)}${ms}` }));
    }
  }
  return line;
}

function renderJws(container, root, decoded, now, absent) {
  container.replaceChildren();
  if (!decoded) {
    container.append(el('p', { class: 'muted', text: absent }));
    return;
  }
  if (decoded.lenient) container.append(el('p', { class: 'lenient', text: 'Not a valid compact JWS (see the findings): shown as far as it decodes.' }));
  container.append(el('h3', { text: 'Header' }), el('div', { class: 'json' }, member(null, decoded.header, `${root}/header`, now)));
  container.append(el('h3', { text: 'Claims' }), el('div', { class: 'json' }, decoded.claims ? member(null, decoded.claims, `${root}/claims`, now, root === '/request') : el('span', { class: 'muted', text: 'not a JSON object' })));
}

function setSig(node, status) {
  node.className = `sig ${status ?? 'unchecked'}`;
  node.textContent = status === 'valid' ? 'signature valid' : status === 'invalid' ? 'signature invalid' : 'signature not checked';
}

/** A finding's decision: its severity, `info` being a deviation the policy accepts. */
const decisionOf = (f) => f.decision ?? (f.severity === 'info' ? 'accept' : f.severity);
const DECISION_TEXT = { error: 'error', warning: 'warning', accept: 'accepted' };

/** The element a pointer names, or its nearest rendered ancestor, or the panel title. */
function targetOf(pointer) {
  let p = pointer;
  let target = null;
  while (p && !(target = document.querySelector(`#result [data-pointer="${CSS.escape(p)}"]`))) p = p.slice(0, p.lastIndexOf('/'));
  return target ?? (pointer.startsWith('/ssa') ? $('ssa-title') : $('request-title'));
}

/** Marks each claim a finding concerns, with its code beside it. */
function attach(findings) {
  for (const f of findings) {
    const target = targetOf(f.pointer);
    const decision = decisionOf(f);
    target.classList.add(decision === 'error' ? 'has-error' : decision === 'warning' ? 'has-warning' : 'has-accept');
    let notes = target.querySelector(':scope > .notes');
    if (!notes) {
      notes = el('span', { class: 'notes' });
      const nested = target.querySelector(':scope > .nested');
      if (nested) target.insertBefore(notes, nested);
      else target.append(notes);
    }
    notes.append(el('span', { class: `note ${decision}`, title: f.message }, breakable(f.code)));
  }
}

function findingItem(f) {
  const decision = decisionOf(f);
  const jump = el('button', { type: 'button', class: 'pointer', title: 'Show the claim' }, breakable(f.pointer));
  jump.addEventListener('click', () => {
    const target = targetOf(f.pointer);
    target.setAttribute('tabindex', '-1');
    target.classList.remove('flash');
    void target.offsetWidth; // restart the animation
    target.classList.add('flash');
    target.scrollIntoView({ block: 'center' });
    target.focus({ preventScroll: true });
  });
  return el('li', { class: `finding ${decision}` },
    el('div', { class: 'f-head' },
      el('span', { class: `badge ${decision}`, text: DECISION_TEXT[decision] ?? decision }), ' ',
      el('code', { class: 'code' }, breakable(f.code)), ' ', jump),
    el('p', { class: 'f-msg', text: f.message }),
    f.fix ? el('p', { class: 'fix' }, el('strong', { text: 'Fix: ' }), f.fix) : null,
    f.rule ? el('p', { class: 'rule' }, 'Policy rule ', el('code', {}, breakable(f.rule)), ` — ${DECISION_TEXT[decision] ?? decision} under ${$('policy').value}; override it in Rule overrides.`) : null,
    f.spec ? el('p', { class: 'spec', text: f.spec }) : null);
}

function renderEmpty() {
  $('result').hidden = true;
  $('share').hidden = true;
  $('share-out').hidden = true;
  $('verdict').className = 'empty';
  delete $('verdict').dataset.text;
  $('verdict').replaceChildren(el('p', { class: 'v-title' }, el('strong', { text: 'Paste a token' })),
    el('p', { class: 'desc', text: 'A registration request or a software statement: it is decoded at once, and checked as soon as the key sets are there.' }));
}

function render(c) {
  $('result').hidden = false;
  $('share').hidden = false;
  const verdict = $('verdict');
  const meta = c.view.kind !== 'request' ? null
    : [`${PROFILE_NAMES[c.ctx.profile]}${c.ctx.profileChosen ? '' : ' (inferred)'}`, `policy ${$('policy').value}`, c.ctx.live ? 'at the current time' : `at ${isoOf(c.ctx.now)}`];
  const parts = [
    el('p', { class: 'v-title' }, el('strong', { text: c.title }), c.rfc ? ' ' : null, c.rfc ? el('code', { class: 'rfc', text: c.rfc }) : null),
    el('p', { class: 'desc', text: c.desc }),
    ...c.notes.map((n) => el('p', { class: 'v-note', text: n })),
    ...(meta ? [el('p', { class: 'v-meta' }, ...joined(meta))] : [])];
  // The verdict is a live region: replaced only when it says something new, so a check after
  // each pause in typing does not announce the same verdict again.
  const text = parts.map((p) => p.textContent).join('\n');
  if (verdict.className !== c.state || verdict.dataset.text !== text) {
    verdict.className = c.state;
    verdict.dataset.text = text;
    verdict.replaceChildren(...parts);
  }
  const now = c.ctx.now;
  const noSsa = c.view.request && typeof c.view.request.claims?.software_statement !== 'string';
  renderJws($('request-view'), '/request', c.panels.request, now, 'Not decodable: the findings say why.');
  renderJws($('ssa-view'), '/ssa', c.panels.ssa, now, noSsa ? 'The request carries no software_statement.' : 'Not decodable: the findings say why.');
  setSig($('request-sig'), c.panels.request?.signature);
  setSig($('ssa-sig'), c.panels.ssa?.signature);
  $('request-panel').hidden = c.view.kind === 'ssa';
  $('ssa-panel').hidden = c.view.kind === 'undecodable' && !c.panels.ssa;
  attach(c.findings);
  const count = (d) => c.findings.filter((f) => decisionOf(f) === d).length;
  const [errors, warnings, accepted] = [count('error'), count('warning'), count('accept')];
  $('findings-count').textContent = c.findings.length
    ? [errors && `${errors} error${errors === 1 ? '' : 's'}`, warnings && `${warnings} warning${warnings === 1 ? '' : 's'}`, accepted && `${accepted} accepted`].filter(Boolean).join(' · ')
    : '';
  $('findings').replaceChildren(...(c.findings.length ? c.findings.map(findingItem)
    : [el('li', { class: 'finding none', text: c.state === 'ok' ? 'No findings: nothing to fix.' : c.state === 'pending' ? 'None so far.' : 'None.' })]));
  for (const b of ['copy-json', 'copy-md', 'download']) $(b).disabled = !c.report;
}

// ---------------------------------------------------------------------------------------------
// Taking the result away: report as JSON or Markdown, a link with the state in its fragment,
// a download.
// ---------------------------------------------------------------------------------------------
function reportDocument(c = current) {
  const { ctx } = c;
  return {
    generator: 'dcr-guard debugger',
    checked_at: c.checkedAt,
    verdict: { ok: 'accepted', bad: 'refused', pending: 'incomplete', input: 'not checked' }[c.state],
    checked_as: {
      kind: c.view.kind,
      profile: ctx.profile,
      profile_source: ctx.profileChosen ? 'chosen' : `inferred: ${ctx.inferred.why}`,
      ...policyOptions(),
      issuer: ctx.issuer,
      audiences: ctx.audiences,
      aud_from_request: ctx.fromAud,
      now: ctx.now,
      directory_jwks: { url: $('ssa-jwks-url').value.trim() || null, source: keySource['ssa-jwks']?.how ?? ($('ssa-jwks').value.trim() ? 'pasted' : null) },
      software_jwks: { url: $('software-jwks-url').value.trim() || null, source: keySource['software-jwks']?.how ?? ($('software-jwks').value.trim() ? 'pasted' : null) },
    },
    notes: c.notes,
    report: c.report,
  };
}

const cell = (s) => String(s ?? '').replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function reportMarkdown(c = current) {
  const doc = reportDocument(c);
  const lines = [`### dcr-guard: ${c.title}${c.rfc ? ` — \`${c.rfc}\`` : ''}`, '', `> ${cell(c.desc)}`, ''];
  for (const n of c.notes) lines.push(`> ${cell(n)}`, '');
  lines.push(`- Checked as: ${PROFILE_NAMES[doc.checked_as.profile]} (${doc.checked_as.profile_source}), ${doc.checked_as.policy ? `policy ${doc.checked_as.policy.preset}` : `mode ${doc.checked_as.mode}`}, at ${isoOf(doc.checked_as.now)} (${doc.checked_as.now})`);
  lines.push(`- Bank: issuer ${doc.checked_as.issuer}${doc.checked_as.audiences.length ? `, aud ${doc.checked_as.audiences.join(', ')}` : ''}${doc.checked_as.aud_from_request ? ' (taken from the request)' : ''}`);
  if (c.panels?.request) lines.push(`- Request signature: ${c.panels.request.signature ?? 'unchecked'}`);
  if (c.panels?.ssa) lines.push(`- Software statement signature: ${c.panels.ssa.signature ?? 'unchecked'}`);
  lines.push('');
  if (c.findings.length) {
    lines.push('| Decision | Code | Pointer | Message | Fix |', '|---|---|---|---|---|');
    for (const f of c.findings) lines.push(`| ${decisionOf(f)} | \`${cell(f.code)}\` | \`${cell(f.pointer)}\` | ${cell(f.message)} | ${cell(f.fix ?? '')} |`);
  } else {
    lines.push('No findings.');
  }
  return `${lines.join('\n')}\n`;
}

const unb64url = (s) => new TextDecoder().decode(Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0)));

/** The page's state for a link: settings always; the token and key sets only when asked. */
function linkState(withTokens) {
  const s = {
    v: 1, profile: $('profile').value, policy: $('policy').value, issuer: $('issuer').value.trim(),
    audiences: $('audiences').value.trim(), now: $('now').value.trim(), dirPreset: $('dir-preset').value,
    dirUrl: $('dir-preset').value === 'custom' ? $('ssa-jwks-url').value.trim() : '', discovery: $('discovery').value.trim(),
  };
  if (policyApi && $('rules').value.trim()) s.rules = $('rules').value.trim();
  if (withTokens) {
    s.token = $('token').value.trim();
    s.ssaJwks = $('ssa-jwks').value.trim();
    s.softwareJwks = $('software-jwks').value.trim();
    if ($('software-jwks-url').dataset.auto === 'false') s.softwareUrl = $('software-jwks-url').value.trim();
  }
  for (const [k, v] of Object.entries(s)) if (v === '') delete s[k];
  return s;
}

function linkOf(withTokens) {
  const json = JSON.stringify(linkState(withTokens));
  // Chunks keep String.fromCharCode's argument list short for large key sets.
  let binary = '';
  const bytes = new TextEncoder().encode(json);
  for (let i = 0; i < bytes.length; i += 8192) binary += String.fromCharCode(...bytes.subarray(i, i + 8192));
  const encoded = btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${location.origin}${location.pathname}#s=${encoded}`;
}

/** Restores a link's state; returns whether the fragment held one. */
function applyLink() {
  const m = /^#s=([A-Za-z0-9_-]+)$/.exec(location.hash);
  if (!m) return false;
  let s;
  try {
    s = JSON.parse(unb64url(m[1]));
  } catch {
    $('status').textContent = 'The link\'s state could not be read; nothing restored.';
    return false;
  }
  if (s?.v !== 1) return false;
  const str = (v) => (typeof v === 'string' ? v : '');
  $('profile').value = Object.hasOwn(PROFILE_NAMES, str(s.profile)) ? s.profile : '';
  if ([...$('policy').options].some((o) => o.value === s.policy)) $('policy').value = s.policy;
  $('issuer').value = str(s.issuer);
  $('audiences').value = str(s.audiences);
  $('now').value = str(s.now);
  if (['auto', 'custom', ...Object.keys(DIRECTORIES)].includes(s.dirPreset)) $('dir-preset').value = s.dirPreset;
  if (s.dirPreset === 'custom') $('ssa-jwks-url').value = str(s.dirUrl);
  $('discovery').value = str(s.discovery);
  if (policyApi) $('rules').value = str(s.rules);
  $('token').value = str(s.token);
  for (const [id, v] of [['ssa-jwks', s.ssaJwks], ['software-jwks', s.softwareJwks]]) {
    $(id).value = str(v);
    keySource[id] = str(v) ? { how: 'link' } : null;
  }
  const sw = $('software-jwks-url');
  sw.value = str(s.softwareUrl);
  sw.dataset.auto = s.softwareUrl ? 'false' : 'true';
  $('status').textContent = s.token ? 'Restored from the link, with its token.' : 'Settings restored from the link (it carries no token).';
  return true;
}

async function copy(text, what) {
  const out = $('share-out');
  try {
    await navigator.clipboard.writeText(text);
    out.hidden = true;
    $('share-status').textContent = `${what} copied to the clipboard.`;
  } catch {
    out.hidden = false;
    out.value = text;
    out.focus();
    out.select();
    $('share-status').textContent = `The browser did not allow the clipboard. ${what} is selected below: copy it from there.`;
  }
}

function download() {
  const doc = reportDocument();
  const id = String(current.view.ssa?.claims?.software_id ?? current.view.request?.claims?.software_id ?? 'token').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40) || 'token';
  const blob = new Blob([`${JSON.stringify(doc, null, 2)}\n`], { type: 'application/json' });
  const a = el('a', { href: URL.createObjectURL(blob), download: `dcr-guard-${id}-${doc.verdict.replace(/\s+/g, '-')}.json` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  $('share-status').textContent = `Downloaded ${a.download}.`;
}

// ---------------------------------------------------------------------------------------------
// Fetching the key sets: one click, both URLs, nothing else ever fetched.
// ---------------------------------------------------------------------------------------------
const MAX_JWKS_CHARS = 262144;

async function fetchOne(id, url) {
  const res = await fetch(url, { headers: { accept: 'application/json, application/jwk-set+json' }, credentials: 'omit', cache: 'no-store', signal: AbortSignal.timeout(15_000) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const text = await res.text();
  if (text.length > MAX_JWKS_CHARS) throw new Error(`larger than ${MAX_JWKS_CHARS} characters`);
  $(id).value = text;
  keySource[id] = { how: 'fetched', url, at: new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) };
}

async function fetchKeys() {
  check(); // the URLs of the token as it is now (a check may be waiting for a pause in typing)
  const view = current?.view ?? decodeView('');
  const jobs = [['ssa-jwks', $('ssa-jwks-url').value.trim()], ['software-jwks', view.kind === 'ssa' ? '' : $('software-jwks-url').value.trim()]].filter(([, url]) => url);
  if (!jobs.length) return;
  const button = $('fetch-keys');
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  $('status').textContent = `Fetching ${jobs.map(([, u]) => hostOf(u)).join(' and ')} …`;
  const results = await Promise.allSettled(jobs.map(([id, url]) => fetchOne(id, url)));
  const failed = results.map((r, i) => (r.status === 'rejected' ? `${jobs[i][0] === 'ssa-jwks' ? 'directory' : 'software'} key set from ${jobs[i][1]}: ${r.reason?.message ?? r.reason}` : null)).filter(Boolean);
  $('status').textContent = failed.length
    ? `Could not fetch the ${failed.join('; the ')}. The key store must allow cross-origin requests; otherwise paste the key set.`
    : `Fetched ${jobs.length === 2 ? 'both key sets' : 'the key set'}.`;
  button.removeAttribute('aria-busy');
  button.disabled = false;
  check();
}

// ---------------------------------------------------------------------------------------------
// Wiring.
// ---------------------------------------------------------------------------------------------
let pendingTimer = 0;
/** Typing re-checks after a pause; a paste, a choice or a click checks at once. */
function schedule() {
  clearTimeout(pendingTimer);
  pendingTimer = setTimeout(() => check(), 300);
}

/** Settings a sample sets; they go back to their defaults when the token is no longer the sample's. */
const SAMPLE_FIELDS = ['profile', 'policy', 'issuer', 'audiences', 'now', 'discovery'];

function leaveSample() {
  if (!$('sample').value) return;
  $('sample').value = '';
  for (const id of SAMPLE_FIELDS) {
    if ($(id).dataset.sample !== 'true') continue; // edited since: the user's value now
    $(id).value = id === 'policy' ? DEFAULT_PRESET() : '';
    delete $(id).dataset.sample;
  }
}

function loadSample(s) {
  $('token').value = s.token;
  // Automatic when the token says the same (the usual case), so the page shows its inference.
  $('profile').value = inferProfile(decodeView(s.token)).profile === s.options.profile ? '' : s.options.profile;
  $('policy').value = s.options.policy?.preset ?? presetOfMode(s.options.mode);
  $('issuer').value = s.options.issuer;
  $('audiences').value = (s.options.audiences ?? []).join(', ');
  // A sample without a fixed time (the demo's fresh requests) is checked at the current time.
  $('now').value = s.options.now ? String(s.options.now) : '';
  $('ssa-jwks').value = JSON.stringify(s.options.ssaJwks);
  $('software-jwks').value = JSON.stringify(s.options.softwareJwks);
  keySource['ssa-jwks'] = keySource['software-jwks'] = { how: 'sample' };
  $('discovery').value = s.options.discovery ? JSON.stringify(s.options.discovery, null, 1) : '';
  $('software-jwks-url').dataset.auto = 'true';
  for (const id of SAMPLE_FIELDS) $(id).dataset.sample = 'true';
  $('status').textContent = s.description;
}

function clearAll() {
  for (const id of ['token', 'ssa-jwks', 'software-jwks', 'software-jwks-url']) $(id).value = '';
  keySource['ssa-jwks'] = keySource['software-jwks'] = null;
  $('software-jwks-url').dataset.auto = 'true';
  leaveSample();
  $('status').textContent = '';
  $('share-out').hidden = true;
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  check();
  $('token').focus();
}

const isDark = () => {
  const chosen = document.documentElement.dataset.theme;
  return chosen ? chosen === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
};
const themeButton = () => $('theme').setAttribute('aria-pressed', String(isDark()));

function wire() {
  for (const s of samples) $('sample').append(el('option', { value: s.id, text: s.title }));
  $('sample').addEventListener('change', () => {
    const s = samples.find((x) => x.id === $('sample').value);
    if (s) loadSample(s);
    check();
  });
  const forms = [$('inputs'), $('settings')];
  const on = (type, handler) => { for (const f of forms) f.addEventListener(type, handler); };
  on('submit', (e) => {
    e.preventDefault();
    check({ explicit: true });
  });
  on('input', (e) => {
    const t = e.target;
    t.removeAttribute('aria-invalid');
    if (t.id === 'ssa-jwks' || t.id === 'software-jwks') keySource[t.id] = null;
    if (t.id === 'software-jwks-url') t.dataset.auto = t.value.trim() ? 'false' : 'true';
    if (t.id === 'ssa-jwks-url') {
      $('dir-preset').value = 'custom';
      rememberDirectory();
    }
    delete t.dataset.sample;
    if (t.id === 'token') leaveSample();
    if (t.tagName === 'SELECT') return; // their change event checks at once
    if (e.inputType === 'insertFromPaste' || e.inputType === 'insertFromDrop') check();
    else schedule();
  });
  on('change', (e) => {
    if (e.target.id === 'sample') return;
    if (e.target.id === 'dir-preset') rememberDirectory();
    delete e.target.dataset.sample;
    if (e.target.tagName === 'SELECT') check();
  });
  $('now-reset').addEventListener('click', () => { $('now').value = ''; check(); });
  $('now-iat').addEventListener('click', () => {
    const iat = current?.view.request?.claims?.iat;
    if (typeof iat === 'number') $('now').value = String(iat);
    check();
  });
  $('clear').addEventListener('click', clearAll);
  // The skip link focuses the input itself: the fragment belongs to copied links.
  document.querySelector('.skip').addEventListener('click', (e) => { e.preventDefault(); $('token').focus(); });
  $('fetch-keys').addEventListener('click', fetchKeys);
  $('copy-json').addEventListener('click', () => current?.report && copy(`${JSON.stringify(reportDocument(), null, 2)}\n`, 'The JSON report'));
  $('copy-md').addEventListener('click', () => current?.report && copy(reportMarkdown(), 'The Markdown report'));
  $('download').addEventListener('click', () => current?.report && download());
  $('copy-link').addEventListener('click', () => {
    const withTokens = $('link-tokens').checked;
    copy(linkOf(withTokens), withTokens ? 'The link (with the token and key sets)' : 'The link (settings only, no token)');
  });
  // Ctrl+Enter / Cmd+Enter checks now, from anywhere on the page; Enter in a one-line field
  // too (the settings form has no submit button of its own).
  document.addEventListener('keydown', (e) => {
    const field = e.target instanceof HTMLInputElement && ['text', 'url'].includes(e.target.type);
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey || (field && !e.shiftKey && !e.altKey))) {
      e.preventDefault();
      check({ explicit: true });
    }
  });
  $('theme').addEventListener('click', () => {
    const next = isDark() ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    store.set('theme', next);
    themeButton();
  });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', themeButton);
  window.addEventListener('hashchange', () => { if (applyLink()) check(); });
  // Wide screens show the settings open; narrow ones keep them folded under their summaries.
  if (matchMedia('(min-width: 1000px)').matches) for (const d of document.querySelectorAll('details[data-open-wide]')) d.open = true;
}

async function start() {
  // A lazily initialised entry may export init(); an asynchronous call initialises it too.
  if (typeof dcr.init === 'function') await dcr.init();
  policyApi = await detectPolicy();
  setupPolicy();
  wire();
  themeButton();
  restoreDirectory();
  applyLink();
  check();
  document.body.dataset.ready = 'true';
}

start().catch((e) => {
  $('status').textContent = `The validator did not load: ${e.message}`;
  document.body.dataset.ready = 'error';
});
