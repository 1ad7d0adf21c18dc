// Derives tests/vectors/edge/certs.json from the certificates beside it (issue 14's transport
// certificate and holder-of-key tests). The fingerprints come from the openssl command-line
// tool, independently of dcr-guard and of Node's crypto; the public key JWK from Node's
// X509Certificate. Run: node tests/vectors/gen/gen-edge-certs.mjs
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(dirname(fileURLToPath(import.meta.url))), 'edge');
const fingerprint = (file, alg) =>
  execFileSync('openssl', ['x509', '-in', join(dir, file), '-noout', '-fingerprint', `-${alg}`], { encoding: 'utf8' })
    .trim().split('=').pop().replaceAll(':', '').toLowerCase();
const certs = {};
for (const [name, file] of [['wso2-transport', 'wso2-transport-cert.pem'], ['wso2-signing', 'wso2-signing-cert.pem'], ['mock-register-ssa', 'mock-register-ssa-cert.pem']]) {
  const pem = readFileSync(join(dir, file), 'utf8');
  const x509 = new X509Certificate(pem);
  const sha256 = fingerprint(file, 'sha256');
  const { kty, n, e } = x509.publicKey.export({ format: 'jwk' });
  certs[name] = {
    file,
    subject: x509.subject.split('\n').join(', '),
    sha256,
    sha1: fingerprint(file, 'sha1'),
    x5c: x509.raw.toString('base64'),
    'x5t#S256': Buffer.from(sha256, 'hex').toString('base64url'),
    'x5t#S256 padded': Buffer.from(sha256, 'hex').toString('base64').replaceAll('+', '-').replaceAll('/', '_'),
    jwk: { kty, n, e },
  };
}
writeFileSync(join(dir, 'certs.json'), `${JSON.stringify(certs, null, 2)}\n`);
console.log(Object.entries(certs).map(([k, c]) => `${k}: sha256 ${c.sha256}`).join('\n'));
