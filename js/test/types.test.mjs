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
import { verifyJws, decodeJws, validateRegistration, inspectRegistration, checkRegistration, DcrGuardError, type Report, type Finding } from 'dcr-guard';
declare const token: string;
const v: boolean = verifyJws(token, { keys: [] }, { algorithms: ['PS256'] }).valid;
const alg: unknown = decodeJws(token).header.alg;
const r: Report = validateRegistration(token, { profile: 'au-cdr', issuer: 'https://dh', ssaJwks: '{}', softwareJwks: {}, mode: 'lenient', operation: { kind: 'update', clientId: 'c' } });
const codes: string[] = r.findings.map((f: Finding) => f.code + f.pointer + f.severity);
const url: string | null = inspectRegistration(token, { profile: 'uk-obie-v3.4', issuer: 'x', ssaJwks: {} }).softwareJwksUrl;
async function later(): Promise<string | undefined> {
  const rep = await checkRegistration(token, { profile: 'au-cdr', issuer: 'x', ssaJwks: {}, fetchJwks: async () => ({ keys: [] }) });
  return rep.error;
}
function code(e: unknown): string | undefined { return e instanceof DcrGuardError ? e.code : undefined; }
export { v, alg, codes, url, later, code };
`);
  assert.equal(errors, '');
});

test('misuse is a type error', () => {
  const errors = check(`
import { validateRegistration } from 'dcr-guard';
validateRegistration('t', { profile: 'uk-obie-v9', issuer: 'x', ssaJwks: {}, softwareJwks: {} });
`);
  assert.match(errors, /uk-obie-v9/);
});
