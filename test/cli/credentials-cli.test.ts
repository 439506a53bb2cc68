import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, cpSync, readFileSync, writeFileSync, symlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { certsDir } from '../support/certs';
import { runCli } from '../support/cli';

const NOW = '2026-11-23T00:00:00Z';

const run = runCli;

function foocorpCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshtls-foocorp-'));
  cpSync(resolve('examples/foocorp'), dir, { recursive: true });
  return dir;
}

test('lint finds a planted fault in FooCorp (the other host\'s key) with a located message and related lines', () => {
  const dir = foocorpCopy();
  const script = readFileSync(join(dir, 'create-secrets.sh'), 'utf8');
  writeFileSync(join(dir, 'create-secrets.sh'), script.replace('key=frontend.foocorp.com/3_application/private/frontend', 'key=inventory.foocorp.com/3_application/private/inventory'));
  const r = run(['lint', '--now', NOW], dir);
  assert.equal(r.code, 1);
  const lines = r.out.trim().split('\n');
  assert.match(lines[0], /^gateway\.yaml:17:25\s+error\s+key-cert-mismatch\s+The private key in inventory\.foocorp\.com\/3_application\/private\/inventory\.foocorp\.com\.key\.pem does not match the server certificate "frontend\.foocorp\.com"/);
  assert.match(r.out, /↳ create-secrets\.sh:7:19\s+"key" comes from here/);
  assert.match(lines[lines.length - 1], /1 problem \(1 error, 0 warnings, 0 notes\)/);
});

test('lint survives bad material in the workspace: random .pem, 10 MB file, dangling symlink, directory loop', () => {
  const dir = foocorpCopy();
  const certs = certsDir();
  cpSync(join(certs, 'broken/random.pem'), join(dir, 'random.pem'));
  writeFileSync(join(dir, 'huge.pem'), Buffer.alloc(10 * 1024 * 1024, 0x41));
  symlinkSync(join(dir, 'does-not-exist.pem'), join(dir, 'dangling.pem'));
  mkdirSync(join(dir, 'loop'));
  symlinkSync(dir, join(dir, 'loop', 'back'));
  const r = run(['lint', '--now', NOW, '--format', 'json'], dir);
  const json = JSON.parse(r.out);
  assert.deepEqual(
    json.diagnostics.map((d: { file: string; rule: string }) => [d.file, d.rule]).sort(),
    [['dangling.pem', 'file-skipped'], ['huge.pem', 'file-unreadable']],
  );
  // A file too large to check fails the gate: a pull request must not hide a certificate behind 5 MB of padding.
  assert.equal(json.summary.errors, 1);
});

test('inspect: a PEM file, a Gateway YAML (resolved credentials) and json output; bad files exit 2', () => {
  const certs = certsDir();
  const pem = run(['inspect', '--now', NOW, join(certs, 'good/fullchain.pem')], certs);
  assert.equal(pem.code, 0);
  assert.match(pem.out, /^good\/fullchain\.pem: 2 PEM blocks\n  certificate: good\.example\.com/);
  assert.match(pem.out, /SANs {8}DNS:good\.example\.com/);
  assert.match(pem.out, /valid {7}2026-01-01 → 2036-01-01 \(3326 days left\)/);
  const gw = run(['inspect', '--now', NOW, 'gateway.yaml'], resolve('examples/foocorp'));
  assert.equal(gw.code, 0);
  assert.match(gw.out, /credential "frontend-credential" \(MUTUAL\), read from namespace "istio-system"\n  from kubectl line in create-secrets\.sh/);
  assert.match(gw.out, /private key: RSA 2048, matches the certificate/);
  assert.match(gw.out, /24 of 24 checks passed/);
  assert.doesNotMatch(gw.out, /BEGIN|PRIVATE KEY-----/);
  const json = JSON.parse(run(['inspect', '--format', 'json', '--now', NOW, 'secrets.yaml'], resolve('examples/iks-alb')).out);
  assert.deepEqual(json.files.map((f: { material: { label: string } }) => f.material.label), [
    'Secret istio-system/bookinfo-credential key "tls.crt"',
    'Secret istio-system/bookinfo-credential key "tls.key"',
    'Secret istio-system/bookinfo-credential-cacert key "ca.crt"',
  ]);
  const bad = run(['inspect', 'nope.pem', join(certs, 'broken/random.pem')], certs);
  assert.equal(bad.code, 2);
  assert.match(bad.out, /nope\.pem: no such file or directory/);
  assert.match(bad.out, /broken\/random\.pem: 0 PEM blocks\n  ✖ no PEM block found/);
});
