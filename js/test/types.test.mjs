// The TypeScript declarations as a user sees them: resolved through the installed package's
// `exports`, type-checked strictly against typical usage (and a misuse that must fail).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, installed } from './helpers.mjs';

const { dir } = installed();
const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
const project = join(dir, 'types-check');
mkdirSync(project, { recursive: true });
writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
  compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], types: [], typeRoots: [join(dir, 'node_modules')] },
  include: ['*.ts'],
}));
writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module' }));

function check(source) {
  writeFileSync(join(project, 'usage.ts'), source);
  try {
    execFileSync(tsc, ['-p', project], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_PATH: join(dir, 'node_modules') } });
    return '';
  } catch (e) {
    return e.stdout || String(e);
  }
}

test('typical usage type-checks', () => {
  const errors = check(`
import { init, verifyJws, verifyJwsAsync, decodeJws, validateRegistration, inspectRegistration, checkRegistration, DcrGuardError, type Report, type Finding, type Profile } from 'dcr-guard';
import * as sync from 'dcr-guard/sync';
declare const token: string;
declare const bytes: Uint8Array;
const loaded: Promise<void> = init({ wasm: new URL('https://cdn.example/x.wasm') });
const fromBytes: Promise<void> = sync.init({ wasm: bytes });
const fromResponse: Promise<void> = init({ wasm: fetch('/x.wasm') });
const fromModule: Promise<void> = init({ wasm: new WebAssembly.Module(new ArrayBuffer(8)) });
const v: boolean = verifyJws(token, { keys: [] }, { algorithms: ['PS256'] }).valid;
const w: boolean = sync.verifyJws(token, '{}', { algorithms: 'PS256,ES256', crypto: 'wasm' }).valid;
const alg: unknown = decodeJws(token).header.alg;
const profiles: Profile[] = ['uk-obie-v3.1', 'uk-obie-v3.2', 'uk-obie-v3.3', 'uk-obie-v3.4', 'au-cdr'];
const r: Report = validateRegistration(token, { profile: 'au-cdr', issuer: 'https://dh', ssaJwks: '{}', softwareJwks: {}, mode: 'lenient', operation: { kind: 'update', clientId: 'c' }, algorithms: 'ES256', crypto: 'host' });
const codes: string[] = r.findings.map((f: Finding) => f.code + f.pointer + f.severity);
// Finding is discriminated by severity.
const warnings = r.findings.filter((f): f is Extract<Finding, { severity: 'warning' }> => f.severity === 'warning');
const rfc7591: 'invalid_redirect_uri' | 'invalid_client_metadata' | 'invalid_software_statement' | 'unapproved_software_statement' | undefined = r.error;
const url: string | null = inspectRegistration(token, { profile: 'uk-obie-v3.4', issuer: 'x', ssaJwks: {} }).softwareJwksUrl;
async function later(): Promise<string | undefined> {
  const rep = await checkRegistration(token, { profile: 'au-cdr', issuer: 'x', ssaJwks: {}, fetchJwks: async () => ({ keys: [] }) });
  await verifyJwsAsync(token, { keys: [] });
  return rep.error;
}
function code(e: unknown): string | undefined { return e instanceof DcrGuardError ? e.code : undefined; }
export { loaded, fromBytes, fromResponse, fromModule, v, w, alg, profiles, codes, warnings, rfc7591, url, later, code };
`);
  assert.equal(errors, '');
});

test('the declarations need no DOM types: a consumer with lib es2022 and no @types type-checks', () => {
  const bare = join(dir, 'types-check-bare');
  mkdirSync(bare, { recursive: true });
  writeFileSync(join(bare, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(join(bare, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022'], types: [] },
    include: ['*.ts'],
  }));
  writeFileSync(join(bare, 'usage.ts'), `
import { init, checkRegistration } from 'dcr-guard';
declare const token: string;
export async function run(): Promise<boolean> {
  await init({ wasm: new Uint8Array(8) });
  return (await checkRegistration(token, { profile: 'au-cdr', issuer: 'x', ssaJwks: {}, fetchJwks: () => ({ keys: [] }) })).valid;
}
`);
  let errors = '';
  try {
    execFileSync(tsc, ['-p', bare], { cwd: dir, encoding: 'utf8' });
  } catch (e) {
    errors = e.stdout || String(e);
  }
  assert.equal(errors, '');
});

/** Compiles a consumer that must be rejected; returns tsc's diagnostics (TS codes and text). */
function rejected(body) {
  const errors = check(`import { validateRegistration, verifyJws, init } from 'dcr-guard';\n${body}\n`);
  assert.notEqual(errors, '', `tsc --strict accepted:\n${body}`);
  return errors;
}

test('tsc --strict rejects a wrong profile, algorithm, crypto backend or init option', () => {
  // Each misuse alone, with the specific error: the value is not assignable to the union.
  const profile = rejected(`validateRegistration('t', { profile: 'uk-obie-v9', issuer: 'x', ssaJwks: {}, softwareJwks: {} });`);
  assert.match(profile, /error TS(2322|2820): Type '"uk-obie-v9"' is not assignable to type 'Profile'/);
  const algorithms = rejected(`validateRegistration('t', { profile: 'au-cdr', issuer: 'x', ssaJwks: {}, softwareJwks: {}, algorithms: 'banana' });`);
  assert.match(algorithms, /error TS(2322|2820): Type '"banana"' is not assignable to type 'AlgorithmList( \| undefined)?'/);
  const listed = rejected(`verifyJws('t', {}, { algorithms: ['PS256', 'RS256'] });`);
  assert.match(listed, /error TS(2322|2820): Type '"RS256"' is not assignable to type 'Algorithm'/);
  const backend = rejected(`verifyJws('t', {}, { crypto: 'openssl' });`);
  assert.match(backend, /error TS(2322|2820): Type '"openssl"' is not assignable to type 'CryptoBackend( \| undefined)?'/);
  const initOption = rejected(`init({ url: 'x' });`);
  assert.match(initOption, /error TS2353: Object literal may only specify known properties, and 'url' does not exist in type 'InitOptions'/);
  const missing = rejected(`validateRegistration('t', { profile: 'au-cdr', issuer: 'x', ssaJwks: {} });`);
  assert.match(missing, /error TS2345: .*Property 'softwareJwks' is missing/s);
});

test('tsc --strict rejects a misspelt finding code, rule id, preset or decision (unions generated from the core)', () => {
  // The unions come from the core's tables (crates/core/tests/docs_generated.rs keeps them equal).
  const ok = check(`
import { validateRegistration, type FindingCode, type PolicyRuleId } from 'dcr-guard';
const c: FindingCode = 'jti.format';
const r: PolicyRuleId = 'request.jti_not_uuid';
const report = validateRegistration('t', { profile: 'au-cdr', issuer: 'x', ssaJwks: {}, softwareJwks: {}, policy: { preset: 'spec', rules: { 'request.jti_not_uuid': 'error', 'aud.format': 'accept' } } });
const jti = report.findings.filter((f) => f.code === 'jti.format');
export { c, r, jti };
`);
  assert.equal(ok, '');
  const code = rejected(`import type { FindingCode } from 'dcr-guard';\nconst c: FindingCode = 'jti.formatt';\nexport { c };`);
  assert.match(code, /error TS(2322|2820): Type '"jti.formatt"' is not assignable to type 'FindingCode'/);
  const compare = rejected(`declare const r: import('dcr-guard').Report;\nexport const x = r.findings.some((f) => f.code === 'jti.formatt');`);
  assert.match(compare, /error TS2367: This comparison appears to be unintentional/);
  const preset = rejected(`validateRegistration('t', { profile: 'au-cdr', issuer: 'x', ssaJwks: {}, softwareJwks: {}, policy: 'lenient' });`);
  assert.match(preset, /error TS2322: Type '"lenient"' is not assignable to type/);
  const rule = rejected(`validateRegistration('t', { profile: 'au-cdr', issuer: 'x', ssaJwks: {}, softwareJwks: {}, policy: { rules: { 'request.jti_not_uuidd': 'error' } } });`);
  assert.match(rule, /error TS(2353|2322|2561)/);
  const decision = rejected(`validateRegistration('t', { profile: 'au-cdr', issuer: 'x', ssaJwks: {}, softwareJwks: {}, policy: { rules: { 'jti.format': 'fatal' } } });`);
  assert.match(decision, /error TS2322: Type '"fatal"' is not assignable to type 'PolicyDecision( \| undefined)?'/);
});
