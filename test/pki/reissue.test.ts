// Re-issuing a leaf from the existing CA: openssl judges the result, the root stays byte for byte, the finding clears.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { reissueLeaf, ReissueError } from '../../src/core/pki/reissue';
import { writeTreeAtomically } from '../../src/node/write-tree';
import { WorkspaceIndex } from '../../src/core/index/workspace-index';
import { Linter } from '../../src/core/lint';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { readTree } from '../support/certs';
import { tempDir, tool, requireTool } from './support';

const skip = requireTool('openssl');
const H = 'frontend.foocorp.com';
const NOW = new Date('2026-11-23T00:00:00Z');

function lint(dir: string, gateway: string) {
  const index = new WorkspaceIndex();
  for (const [rel, bytes] of readTree(dir)) {
    if (rel.endsWith('.yaml')) index.setYamlFile(rel, rel === 'gateway.yaml' ? gateway : bytes.toString('utf8'));
    else index.setOtherFile(rel, new Uint8Array(bytes));
  }
  return [...new Linter({ config: DEFAULT_CONFIG, now: NOW }).lint(index, NOW).values()].flat();
}

test('re-issuing the server certificate with a missing host: openssl verifies it, the CA is untouched, cert-host-mismatch clears', { skip }, async () => {
  const dir = tempDir('reissue');
  cpSync('examples/foocorp', dir, { recursive: true });
  const gateway = readFileSync(join(dir, 'gateway.yaml'), 'utf8').replace(`- ${H}`, `- ${H}\n        - admin.foocorp.com`);
  assert.notEqual(gateway, readFileSync(join(dir, 'gateway.yaml'), 'utf8'), 'the fixture gained a host');
  const before = lint(dir, gateway).map((f) => f.ruleId);
  assert.ok(before.includes('cert-host-mismatch'), before.join(', '));
  const rootBefore = readFileSync(join(dir, `${H}/1_root/certs/ca.cert.pem`));
  const intBefore = readFileSync(join(dir, `${H}/2_intermediate/certs/intermediate.cert.pem`));

  const p = (rel: string) => `${H}/${rel}`;
  await assert.rejects(
    reissueLeaf({ role: 'server', issuerCert: intBefore.toString(), issuerKey: readFileSync(join(dir, p('2_intermediate/private/intermediate.key.pem')), 'utf8'), commonName: H, names: [H], days: 30, now: NOW, paths: { cert: 'c', key: 'k' } }),
    (e: Error) => e instanceof ReissueError && /passphrase/.test(e.message),
  );
  const { files } = await reissueLeaf({
    role: 'server',
    issuerCert: intBefore.toString(),
    issuerKey: readFileSync(join(dir, p('2_intermediate/private/intermediate.key.pem')), 'utf8'),
    issuerKeyPassphrase: 'secretpass',
    previous: readFileSync(join(dir, p(`3_application/certs/${H}.cert.pem`)), 'utf8'),
    commonName: H,
    names: [H, 'admin.foocorp.com'],
    days: 375,
    now: NOW,
    paths: { cert: p(`3_application/certs/${H}.cert.pem`), key: p(`3_application/private/${H}.key.pem`), csr: p(`3_application/csr/${H}.csr.pem`) },
  });
  writeTreeAtomically({ outDir: dir, files, force: true, holdSignals: false });

  const verify = tool('openssl', ['verify', '-attime', String(NOW.getTime() / 1000 + 3600), '-purpose', 'sslserver', '-CAfile', `${H}/2_intermediate/certs/ca-chain.cert.pem`, `${H}/3_application/certs/${H}.cert.pem`], { cwd: dir });
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  const text = tool('openssl', ['x509', '-in', `${H}/3_application/certs/${H}.cert.pem`, '-noout', '-text'], { cwd: dir }).stdout;
  assert.match(text, /DNS:frontend\.foocorp\.com, DNS:admin\.foocorp\.com/);
  assert.match(text, /Subject: C = US, ST = Denial, L = Springfield, O = Dis, CN = frontend\.foocorp\.com/);
  assert.match(text, /TLS Web Server Authentication/);
  const match = tool('openssl', ['x509', '-in', `${H}/3_application/certs/${H}.cert.pem`, '-noout', '-pubkey'], { cwd: dir }).stdout;
  const keyPub = tool('openssl', ['pkey', '-in', `${H}/3_application/private/${H}.key.pem`, '-pubout'], { cwd: dir }).stdout;
  assert.equal(match, keyPub, 'the new key belongs to the new certificate');
  assert.deepEqual(readFileSync(join(dir, `${H}/1_root/certs/ca.cert.pem`)), rootBefore, 're-issuing a leaf leaves the root alone');
  assert.deepEqual(readFileSync(join(dir, `${H}/2_intermediate/certs/intermediate.cert.pem`)), intBefore);
  const after = lint(dir, gateway).map((f) => `${f.ruleId}: ${f.message}`);
  assert.deepEqual(after.filter((f) => f.startsWith('cert-') || f.startsWith('key-') || f.startsWith('client-')), []);
});
