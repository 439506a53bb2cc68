import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { WorkspaceIndex } from '../../src/core/index/workspace-index';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { Linter } from '../../src/core/lint';
import { credentialAt, inspectCredential, inspectMaterial, secretValueAt } from '../../src/core/inspect/views';
import { credentialMarkdown, escapeMarkdown, materialMarkdown } from '../../src/core/inspect/markdown';
import { TEST_NOW } from '../support/golden';
import { certsDir, readTree } from '../support/certs';

function foocorp(): WorkspaceIndex {
  const index = new WorkspaceIndex();
  for (const [rel, bytes] of readTree('examples/foocorp')) {
    const id = `foocorp/${rel}`;
    if (rel.endsWith('.yaml')) index.setYamlFile(id, bytes.toString('utf8'));
    else index.setOtherFile(id, new Uint8Array(bytes));
  }
  return index;
}

test('hover data for a credentialName: where it resolved, the chain, the key, checks', () => {
  const index = foocorp();
  const text = index.yamlFiles.get('foocorp/gateway.yaml')!.text;
  const use = credentialAt(index, DEFAULT_CONFIG, 'foocorp/gateway.yaml', text.indexOf('frontend-credential') + 3);
  assert.ok(use);
  const v = inspectCredential(use, { index, config: DEFAULT_CONFIG, now: TEST_NOW });
  assert.equal(v.status, 'resolved');
  assert.equal(v.source?.description, 'kubectl line in foocorp/create-secrets.sh');
  assert.deepEqual(v.files.map((f) => f.key), ['key', 'cert', 'cacert']);
  assert.deepEqual(v.chain.map((c) => [c.role, c.commonName, c.selfSigned]), [
    ['server certificate', 'frontend.foocorp.com', false],
    ['intermediate CA, not served', 'frontend.foocorp.com', false],
    ['root CA, not served', 'frontend.foocorp.com', true],
  ]);
  const leaf = v.chain[0];
  assert.deepEqual(leaf.sans, ['DNS:frontend.foocorp.com']);
  assert.equal(leaf.notAfter, '2045-12-27T00:00:00.000Z');
  assert.equal(leaf.daysLeft, 6974);
  assert.equal(leaf.keyAlgorithm, 'RSA');
  assert.equal(leaf.keyBits, 2048);
  assert.equal(leaf.signatureAlgorithm, 'RSA PKCS#1 v1.5 with SHA-256');
  assert.match(leaf.sha256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  assert.deepEqual(leaf.checks.map((c) => [c.name, c.status]), [['validity', 'ok'], ['host frontend.foocorp.com', 'ok']]);
  assert.deepEqual(v.key && { status: v.key.status, alg: v.key.keyAlgorithm, bits: v.key.keyBits, match: v.key.matchesCertificate }, { status: 'ok', alg: 'RSA', bits: 2048, match: true });
  assert.equal(v.clients.length, 1);
  assert.ok(v.checks.every((c) => c.status === 'ok'));
  const md = credentialMarkdown(v, { link: (l) => `file:///${l.fileId}` });
  assert.match(md, /^✅ \*\*frontend-credential\*\* · MUTUAL · 3 certs · expires in 6974 days\n/);
  assert.match(md, /1\. ✅ \*\*frontend\.foocorp\.com\*\* — server certificate · RSA 2048 · 6974 days left \(\[foocorp\/frontend\.foocorp\.com\/3\\_application/);
  assert.match(md, /Private key.*RSA 2048 · matches the certificate/);
  assert.match(md, /Checks\*\*: ✅ 24 of 24 passed/);
  // Never any key material.
  assert.doesNotMatch(md + JSON.stringify(v), /PRIVATE KEY|MII[A-Za-z0-9+/]{20}/);
});

test('hover on a planted fault names it: the other host\'s key', () => {
  const index = foocorp();
  const script = new TextDecoder().decode(index.otherFiles.get('foocorp/create-secrets.sh')!.bytes);
  index.setOtherFile('foocorp/create-secrets.sh', new TextEncoder().encode(script.replace('key=frontend.foocorp.com/3_application/private/frontend', 'key=inventory.foocorp.com/3_application/private/inventory')));
  const findings = [...new Linter({ config: DEFAULT_CONFIG, now: TEST_NOW }).lint(index, TEST_NOW).values()].flat();
  assert.deepEqual(findings.map((f) => [f.ruleId, f.fileId, f.message]), [
    ['key-cert-mismatch', 'foocorp/gateway.yaml', 'The private key in foocorp/inventory.foocorp.com/3_application/private/inventory.foocorp.com.key.pem does not match the server certificate "frontend.foocorp.com" in foocorp/frontend.foocorp.com/3_application/certs/frontend.foocorp.com.cert.pem.'],
  ]);
  const text = index.yamlFiles.get('foocorp/gateway.yaml')!.text;
  const use = credentialAt(index, DEFAULT_CONFIG, 'foocorp/gateway.yaml', text.indexOf('frontend-credential'))!;
  const md = credentialMarkdown(inspectCredential(use, { index, config: DEFAULT_CONFIG, now: TEST_NOW }));
  assert.match(md, /\*\*does not match\*\* the certificate/);
  // The verdict is the hover's first line, and the failing check follows right under it.
  assert.match(md, /^❌ \*\*frontend-credential\*\* · MUTUAL · key does not match the certificate\n\n- ❌ The private key in .* `key-cert-mismatch`\n/);
});

test('Secret manifests: data (base64) and stringData resolve, hover on a value shows its certificate', () => {
  const dir = certsDir();
  const b64 = (p: string) => readFileSync(`${dir}/${p}`).toString('base64');
  const secrets = `apiVersion: v1
kind: Secret
metadata: { name: web, namespace: istio-system }
type: kubernetes.io/tls
data:
  tls.crt: ${b64('good/fullchain.pem')}
  tls.key: ${b64('good/leaf.key')}
---
apiVersion: v1
kind: Secret
metadata: { name: web-cacert, namespace: istio-system }
stringData:
  ca.crt: |
${readFileSync(`${dir}/chain.pem`, 'utf8').trimEnd().split('\n').map((l) => `    ${l}`).join('\n')}
`;
  const gw = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: gw, namespace: web }
spec:
  selector: { istio: ingressgateway }
  servers:
    - port: { number: 443, name: https, protocol: HTTPS }
      tls: { mode: MUTUAL, credentialName: web }
      hosts: [good.example.com]
`;
  const index = new WorkspaceIndex();
  index.setYamlFile('secrets.yaml', secrets);
  index.setYamlFile('gw.yaml', gw);
  const findings = [...new Linter({ config: DEFAULT_CONFIG, now: TEST_NOW }).lint(index, TEST_NOW).values()].flat();
  assert.deepEqual(findings, []);
  const use = credentialAt(index, DEFAULT_CONFIG, 'gw.yaml', gw.indexOf('credentialName: web') + 16)!;
  const v = inspectCredential(use, { index, config: DEFAULT_CONFIG, now: TEST_NOW });
  assert.deepEqual(v.files.map((f) => f.key), ['tls.crt', 'tls.key', 'web-cacert: ca.crt']);
  assert.deepEqual(v.ca.map((c) => c.commonName), ['meshtls test intermediate', 'meshtls test root']);
  const ref = secretValueAt(index, DEFAULT_CONFIG, 'secrets.yaml', secrets.indexOf('tls.crt: ') + 12)!;
  assert.equal(ref.key, 'tls.crt');
  const m = inspectMaterial(ref.bytes!, { label: ref.label, fileId: 'secrets.yaml', inline: ref.mention, now: TEST_NOW, expiryWarningDays: 30 });
  assert.deepEqual(m.certificates.map((c) => [c.role, c.commonName]), [['certificate', 'good.example.com'], ['intermediate CA', 'meshtls test intermediate']]);
  assert.match(materialMarkdown(m), /\*\*Secret istio-system\/web key "tls\.crt"\*\* · 2 PEM blocks/);
});

test('inspecting bad input never throws: random bytes, truncated PEM, DER, encrypted keys, 10 MB of junk', () => {
  const dir = certsDir();
  const opts = { label: 'x', fileId: 'x', now: TEST_NOW, expiryWarningDays: 30 };
  const read = (p: string) => new Uint8Array(readFileSync(`${dir}/${p}`));
  assert.deepEqual(inspectMaterial(read('broken/random.pem'), opts).problems, ['no PEM block found']);
  assert.deepEqual(inspectMaterial(read('broken/truncated.pem'), opts).problems, ['"-----BEGIN CERTIFICATE-----" has no matching END line']);
  assert.equal(inspectMaterial(read('broken/leaf.der'), opts).certificates[0].commonName, 'good.example.com');
  assert.deepEqual(inspectMaterial(read('broken/encrypted.key'), opts).keys.map((k) => k.status), ['encrypted']);
  assert.deepEqual(inspectMaterial(read('broken/encrypted-legacy.key'), opts).keys.map((k) => k.status), ['encrypted']);
  const big = new Uint8Array(10 * 1024 * 1024).fill(0x41);
  big.set(new TextEncoder().encode('-----BEGIN CERTIFICATE-----\n'), 1000);
  const v = inspectMaterial(big, opts);
  assert.deepEqual(v.problems, ['text before "-----BEGIN CERTIFICATE-----" on the same line', '"-----BEGIN CERTIFICATE-----" has no matching END line']);
});

test('escapeMarkdown escapes what Markdown would format and leaves the rest as typed', () => {
  // Parentheses, plus signs and dots mid-line render as typed: no backslash may show in the raw text.
  assert.equal(escapeMarkdown('"cert" file not found locally (+2 more)'), '"cert" file not found locally (+2 more)');
  assert.equal(escapeMarkdown('RSA PKCS#1 v1.5 with SHA-256'), 'RSA PKCS#1 v1.5 with SHA-256');
  // Emphasis, code, links, HTML, tables, strikethrough and entities are escaped.
  assert.equal(escapeMarkdown('a_b*c`d[e](f)<g>|h~~i &amp;'), 'a\\_b\\*c\\`d\\[e\\](f)\\<g\\>\\|h\\~\\~i \\&amp;');
  // Block syntax only at the start: a heading, a list item, a numbered item.
  assert.equal(escapeMarkdown('# not a heading'), '\\# not a heading');
  assert.equal(escapeMarkdown('- not a list'), '\\- not a list');
  assert.equal(escapeMarkdown('1. not a list'), '1\\. not a list');
  assert.equal(escapeMarkdown('x - y # z'), 'x - y # z');
});
