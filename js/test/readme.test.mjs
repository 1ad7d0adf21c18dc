// Every example in README.md runs against the installed package and prints what its
// `// → …` comments say (docs cannot rot).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, JS, installed } from './helpers.mjs';

const { dir } = installed();
const readme = readFileSync(join(JS, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

const PRELUDE = `
import { readFileSync as __read } from 'node:fs';
const __fx = (p) => __read(${JSON.stringify(FIXTURES)} + '/' + p, 'utf8').trim();
const requestJws = __fx('uk/wso2-sample/register-post.jws');
const ssaJws = JSON.parse(Buffer.from(requestJws.split('.')[1], 'base64url')).software_statement;
const directoryJwks = JSON.parse(__fx('uk/wso2-sample/signing.jwks.json'));
const tppJwks = directoryJwks;
const now = 1751017100;
`;

test('README examples', () => {
  assert.ok(blocks.length >= 6, `${blocks.length} examples`);
  const names = ['verifyJws', 'decodeJws', 'validateRegistration', 'inspectRegistration', 'checkRegistration'];
  for (const n of names) assert.ok(blocks.some((b) => b.includes(`${n}(`)), `no example calls ${n}`);
  blocks.forEach((block, i) => {
    const expected = [...block.matchAll(/\/\/ → (.*)$/gm)].map((m) => m[1].trim());
    const file = join(dir, `readme-example-${i}.mjs`);
    writeFileSync(file, PRELUDE + block);
    const out = execFileSync(process.execPath, [file], { cwd: dir, encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual(out, expected, `example ${i + 1}:\n${block}`);
  });
  console.log(`${blocks.length} README examples ran`);
});
