// openssl, not our own parser, judges the trees `meshtls pki` writes.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { meshtls, tempDir, tool, requireTool } from './support';

const skip = requireTool('openssl');
const HOSTS = ['frontend.foocorp.com', 'inventory.foocorp.com'];
let dir = '';

function openssl(args: string[], cwd = dir) {
  return tool('openssl', args, { cwd });
}

function text(cert: string, cwd = dir): string {
  const r = openssl(['x509', '-in', cert, '-noout', '-text'], cwd);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** The value lines that follow an extension's heading in `openssl x509 -text`. */
function ext(certText: string, heading: string): string {
  const m = new RegExp(`${heading}:( critical)? *\\n\\s+(.*)\\n`).exec(certText);
  assert.ok(m, `no ${heading} in\n${certText}`);
  return `${m[1] ? 'critical: ' : ''}${m[2].trim()}`;
}

before(() => {
  if (skip) return;
  dir = tempDir('openssl');
  writeFileSync(join(dir, 'pass.txt'), 'correct horse battery\n');
  const r = meshtls(['pki', ...HOSTS, '--profile', 'ecdsa', '--san', '*.foocorp.com', '--san', '10.1.2.3', '--days-leaf', '30', '--ca-passphrase-file', 'pass.txt'], dir);
  assert.equal(r.code, 0, r.err);
});

test('openssl verify accepts server and client certs through the intermediate, for each host', { skip }, () => {
  for (const h of HOSTS) {
    const base = ['verify', '-CAfile', `${h}/1_root/certs/ca.cert.pem`, '-untrusted', `${h}/2_intermediate/certs/intermediate.cert.pem`];
    const server = openssl([...base, '-purpose', 'sslserver', `${h}/3_application/certs/${h}.cert.pem`]);
    assert.equal(server.stdout, `${h}/3_application/certs/${h}.cert.pem: OK\n`, server.stderr);
    const client = openssl([...base, '-purpose', 'sslclient', `${h}/4_client/certs/${h}.cert.pem`]);
    assert.equal(client.stdout, `${h}/4_client/certs/${h}.cert.pem: OK\n`, client.stderr);
    // The walkthrough's own check: the chain file alone verifies the server certificate.
    const chain = openssl(['verify', '-CAfile', `${h}/2_intermediate/certs/ca-chain.cert.pem`, `${h}/3_application/certs/${h}.cert.pem`]);
    assert.equal(chain.status, 0, chain.stderr);
    // Usages are not interchangeable: a client certificate is no server certificate.
    assert.notEqual(openssl([...base, '-purpose', 'sslserver', `${h}/4_client/certs/${h}.cert.pem`]).status, 0);
  }
  // Per-host trees do not trust each other.
  const cross = openssl(['verify', '-CAfile', `${HOSTS[0]}/2_intermediate/certs/ca-chain.cert.pem`, `${HOSTS[1]}/4_client/certs/${HOSTS[1]}.cert.pem`]);
  assert.notEqual(cross.status, 0);
});

test('openssl x509 -text shows the SANs, EKUs, CA constraints and key usages we meant', { skip }, () => {
  const h = HOSTS[0];
  const server = text(`${h}/3_application/certs/${h}.cert.pem`);
  assert.equal(ext(server, 'X509v3 Subject Alternative Name'), 'DNS:frontend.foocorp.com, DNS:*.foocorp.com, IP Address:10.1.2.3');
  assert.equal(ext(server, 'X509v3 Extended Key Usage'), 'TLS Web Server Authentication');
  assert.equal(ext(server, 'X509v3 Basic Constraints'), 'CA:FALSE');
  assert.equal(ext(server, 'X509v3 Key Usage'), 'critical: Digital Signature');
  const client = text(`${h}/4_client/certs/${h}.cert.pem`);
  assert.equal(ext(client, 'X509v3 Subject Alternative Name'), 'DNS:frontend.foocorp.com');
  assert.equal(ext(client, 'X509v3 Extended Key Usage'), 'TLS Web Client Authentication');
  const root = text(`${h}/1_root/certs/ca.cert.pem`);
  assert.equal(ext(root, 'X509v3 Basic Constraints'), 'critical: CA:TRUE');
  assert.equal(ext(root, 'X509v3 Key Usage'), 'critical: Digital Signature, Certificate Sign, CRL Sign');
  const intermediate = text(`${h}/2_intermediate/certs/intermediate.cert.pem`);
  assert.equal(ext(intermediate, 'X509v3 Basic Constraints'), 'critical: CA:TRUE, pathlen:0');
  assert.equal(ext(intermediate, 'X509v3 Key Usage'), 'critical: Digital Signature, Certificate Sign, CRL Sign');
  assert.match(server, /Signature Algorithm: ecdsa-with-SHA256/);
  assert.match(server, /NIST CURVE: P-256/);

  // Chains are built from key identifiers: each AKI is its issuer's SKI.
  const ski = (t: string) => ext(t, 'X509v3 Subject Key Identifier');
  const aki = (t: string) => ext(t, 'X509v3 Authority Key Identifier').replace(/^keyid:/, '');
  assert.equal(aki(intermediate), ski(root));
  assert.equal(aki(server), ski(intermediate));
  assert.equal(aki(client), ski(intermediate));
  assert.notEqual(ski(server), ski(client));

  // Every role has its own subject (the original script gave root, server and client the same DN).
  const subjects = [root, intermediate, server, client].map((t) => /Subject: (.*)/.exec(t)![1]);
  assert.deepEqual(subjects, [
    'O = meshtls, CN = frontend.foocorp.com Root CA',
    'O = meshtls, CN = frontend.foocorp.com Intermediate CA',
    'O = meshtls, CN = frontend.foocorp.com',
    'O = meshtls, CN = frontend.foocorp.com client',
  ]);
});

test('validity per role: --days-leaf 30, default 3650 / 7300 for the CAs', { skip }, () => {
  const h = HOSTS[1];
  const span = (cert: string) => {
    const r = openssl(['x509', '-in', cert, '-noout', '-startdate', '-enddate']);
    const [start, end] = r.stdout.trim().split('\n').map((l) => Date.parse(l.split('=')[1]));
    return (end - start) / 86_400_000;
  };
  assert.equal(span(`${h}/1_root/certs/ca.cert.pem`), 7300);
  assert.equal(span(`${h}/2_intermediate/certs/intermediate.cert.pem`), 3650);
  assert.equal(span(`${h}/3_application/certs/${h}.cert.pem`), 30);
  assert.equal(span(`${h}/4_client/certs/${h}.cert.pem`), 30);
});

test('files: chain = intermediate + root, keys 0600 and matching their certs, CA keys encrypted PKCS#8, CSRs signed', { skip }, () => {
  const h = HOSTS[0];
  const read = (p: string) => readFileSync(join(dir, h, p), 'utf8');
  assert.equal(read('2_intermediate/certs/ca-chain.cert.pem'), read('2_intermediate/certs/intermediate.cert.pem') + read('1_root/certs/ca.cert.pem'));
  for (const key of ['1_root/private/ca.key.pem', '2_intermediate/private/intermediate.key.pem', `3_application/private/${h}.key.pem`, `4_client/private/${h}.key.pem`]) {
    assert.equal(statSync(join(dir, h, key)).mode & 0o777, 0o600, key);
  }
  assert.equal(statSync(join(dir, h, `3_application/certs/${h}.cert.pem`)).mode & 0o777, 0o644);

  for (const ca of ['1_root/private/ca.key.pem', '2_intermediate/private/intermediate.key.pem']) {
    assert.match(read(ca), /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    assert.notEqual(openssl(['pkey', '-in', `${h}/${ca}`, '-noout', '-passin', 'pass:wrong']).status, 0);
  }
  // Leaf keys stay plain: the gateway must load them without a passphrase.
  assert.match(read(`3_application/private/${h}.key.pem`), /^-----BEGIN PRIVATE KEY-----\n/);

  const pairs: [string, string, string[]][] = [
    ['1_root/private/ca.key.pem', '1_root/certs/ca.cert.pem', ['-passin', 'file:pass.txt']],
    ['2_intermediate/private/intermediate.key.pem', '2_intermediate/certs/intermediate.cert.pem', ['-passin', 'file:pass.txt']],
    [`3_application/private/${h}.key.pem`, `3_application/certs/${h}.cert.pem`, []],
    [`4_client/private/${h}.key.pem`, `4_client/certs/${h}.cert.pem`, []],
  ];
  for (const [key, cert, pass] of pairs) {
    const fromKey = openssl(['pkey', '-in', `${h}/${key}`, '-pubout', ...pass]);
    assert.equal(fromKey.status, 0, fromKey.stderr);
    assert.equal(fromKey.stdout, openssl(['x509', '-in', `${h}/${cert}`, '-noout', '-pubkey']).stdout, key);
  }
  for (const csr of ['2_intermediate/csr/intermediate.csr.pem', `3_application/csr/${h}.csr.pem`, `4_client/csr/${h}.csr.pem`]) {
    const r = openssl(['req', '-in', `${h}/${csr}`, '-noout', '-verify']);
    assert.equal(r.status, 0, `${csr}: ${r.stderr}`);
  }
});

test('rsa profile: 4096-bit CAs, 2048-bit leaves, sha256WithRSA, verified by openssl', { skip }, () => {
  const rsaDir = tempDir('rsa');
  const r = meshtls(['pki', 'httpbin.example.com'], rsaDir);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /generating 4 RSA keys/);
  const h = 'httpbin.example.com';
  const bits = (cert: string) => /Public-Key: \((\d+) bit\)/.exec(text(`${h}/${cert}`, rsaDir))![1];
  assert.equal(bits('1_root/certs/ca.cert.pem'), '4096');
  assert.equal(bits('2_intermediate/certs/intermediate.cert.pem'), '4096');
  assert.equal(bits(`3_application/certs/${h}.cert.pem`), '2048');
  assert.equal(bits(`4_client/certs/${h}.cert.pem`), '2048');
  const server = text(`${h}/3_application/certs/${h}.cert.pem`, rsaDir);
  assert.match(server, /Signature Algorithm: sha256WithRSAEncryption/);
  assert.equal(ext(server, 'X509v3 Key Usage'), 'critical: Digital Signature, Key Encipherment');
  for (const leaf of [`3_application/certs/${h}.cert.pem`, `4_client/certs/${h}.cert.pem`]) {
    const v = openssl(['verify', '-CAfile', `${h}/1_root/certs/ca.cert.pem`, '-untrusted', `${h}/2_intermediate/certs/intermediate.cert.pem`, `${h}/${leaf}`], rsaDir);
    assert.equal(v.stdout, `${h}/${leaf}: OK\n`, v.stderr);
  }
  const key = openssl(['rsa', '-in', `${h}/3_application/private/${h}.key.pem`, '-noout', '-text'], rsaDir);
  assert.match(key.stdout, /Private-Key: \(2048 bit, 2 primes\)/);
});
