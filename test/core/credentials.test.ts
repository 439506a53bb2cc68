import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { WorkspaceIndex } from '../../src/core/index/workspace-index';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { findKubectlSecrets } from '../../src/core/index/kubectl';
import { credentialUses } from '../../src/core/index/credentials';
import { decodeMaterial } from '../../src/core/certs/pem';
import { sanMatchesHost, sansCoverGatewayHost } from '../../src/core/certs/hostname';
import { readTree } from '../support/certs';

test('kubectl lines: continuations, -n anywhere, keyed and unkeyed --from-file, secret tls, spans', () => {
  const text = [
    'kubectl create -n istio-system secret generic frontend-credential \\',
    '  --from-file=key=a/key.pem \\',
    '  --from-file=cert=a/cert.pem',
    'kubectl create secret tls web --cert "certs/web.crt" --key=certs/web.key --namespace=edge | tee log',
    'kubectl create secret generic ca --from-file=ca/ca.crt --dry-run=client -o yaml',
    'kubectl get secret foo',
    'kubectl create secret generic dyn --from-file=cert=$DIR/cert.pem',
  ].join('\n');
  const found = findKubectlSecrets('s/create.sh', text);
  assert.deepEqual(
    found.map((k) => [k.type, k.name, k.namespace, k.files.map((f) => [f.key, f.path, f.dynamic])]),
    [
      ['generic', 'frontend-credential', 'istio-system', [['key', 'a/key.pem', false], ['cert', 'a/cert.pem', false]]],
      ['tls', 'web', 'edge', [['tls.crt', 'certs/web.crt', false], ['tls.key', 'certs/web.key', false]]],
      ['generic', 'ca', undefined, [[undefined, 'ca/ca.crt', false]]],
      ['generic', 'dyn', undefined, [['cert', '$DIR/cert.pem', true]]],
    ],
  );
  const f = found[0].files[1];
  assert.equal(text.slice(f.span.start, f.span.end), 'a/cert.pem');
  assert.equal(text.slice(found[0].nameSpan.start, found[0].nameSpan.end), 'frontend-credential');
});

test('kubectl lines in Markdown count only inside fenced code blocks', () => {
  const md = 'Run `kubectl create secret generic prose --from-file=x`.\n\n```sh\nkubectl create secret generic fenced --from-file=cert=c.pem\n```\n';
  assert.deepEqual(findKubectlSecrets('README.md', md).map((k) => k.name), ['fenced']);
});

test('the FooCorp example resolves both credentials through the walkthrough kubectl lines', () => {
  const index = new WorkspaceIndex();
  for (const [rel, bytes] of readTree('examples/foocorp')) {
    const id = `examples/foocorp/${rel}`;
    if (rel.endsWith('.yaml')) index.setYamlFile(id, bytes.toString('utf8'));
    else index.setOtherFile(id, new Uint8Array(bytes));
  }
  const uses = credentialUses(index, DEFAULT_CONFIG);
  assert.deepEqual(
    uses.map((u) => [u.name, u.workloadNamespace, u.resolution.status, u.resolution.source?.kind, u.resolution.cert?.fileId, u.resolution.key?.fileId, u.resolution.ca?.fileId, u.resolution.clients.map((c) => c.cert.fileId)]),
    ['frontend', 'inventory'].map((h) => [
      `${h}-credential`,
      'istio-system',
      'resolved',
      'kubectl',
      `examples/foocorp/${h}.foocorp.com/3_application/certs/${h}.foocorp.com.cert.pem`,
      `examples/foocorp/${h}.foocorp.com/3_application/private/${h}.foocorp.com.key.pem`,
      `examples/foocorp/${h}.foocorp.com/2_intermediate/certs/ca-chain.cert.pem`,
      [`examples/foocorp/${h}.foocorp.com/4_client/certs/${h}.foocorp.com.cert.pem`],
    ]),
  );
});

test('PEM framing: glued blocks, garbage, truncation, bad base64, random bytes, headers', () => {
  const cert = readFileSync('examples/foocorp/frontend.foocorp.com/3_application/certs/frontend.foocorp.com.cert.pem', 'utf8');
  const kinds = (t: string | Uint8Array) => decodeMaterial(t).problems.map((p) => p.kind);
  assert.deepEqual(kinds(cert + cert), []);
  assert.equal(decodeMaterial(cert + cert).blocks.length, 2);
  assert.deepEqual(kinds(cert.trimEnd() + cert), ['glued']);
  assert.deepEqual(kinds(cert + 'junk\n' + cert), ['garbage']);
  assert.deepEqual(kinds(cert.slice(0, 200)), ['truncated']);
  assert.deepEqual(kinds('-----BEGIN CERTIFICATE-----\n@@@\n-----END CERTIFICATE-----\n'), ['bad-base64']);
  assert.deepEqual(kinds('hello'), ['no-pem']);
  const legacy = '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n';
  assert.deepEqual(decodeMaterial(legacy).blocks[0].headers, { 'Proc-Type': '4,ENCRYPTED', 'DEK-Info': 'AES-256-CBC,00' });
  const random = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 256);
  assert.doesNotThrow(() => decodeMaterial(random));
});

test('SAN matching follows RFC 6125: one-label left-most wildcards only', () => {
  assert.equal(sanMatchesHost('*.example.com', 'a.example.com'), true);
  assert.equal(sanMatchesHost('*.example.com', 'a.b.example.com'), false);
  assert.equal(sanMatchesHost('*.example.com', 'example.com'), false);
  assert.equal(sanMatchesHost('f*.example.com', 'foo.example.com'), false);
  assert.equal(sanMatchesHost('*.com', 'example.com'), false);
  assert.equal(sanMatchesHost('Example.COM.', 'example.com'), true);
  assert.equal(sansCoverGatewayHost(['a.example.com'], [], '*.example.com'), false);
  assert.equal(sansCoverGatewayHost(['*.example.com'], [], '*.example.com'), true);
  assert.equal(sansCoverGatewayHost(['a.example.com'], [], 'ns/a.example.com'), true);
  assert.equal(sansCoverGatewayHost([], [], '*'), undefined);
  assert.equal(sansCoverGatewayHost([], ['10.0.0.1'], '10.0.0.1'), true);
});
