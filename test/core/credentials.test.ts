import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { WorkspaceIndex } from '../../src/core/index/workspace-index';
import { DEFAULT_CONFIG, parseConfig } from '../../src/core/config';
import { Linter } from '../../src/core/lint';
import { CREDENTIAL_CHECKS } from '../../src/core/rules/credentials';
import { TEST_NOW } from '../support/golden';
import { findKubectlSecrets } from '../../src/core/index/kubectl';
import { credentialUses } from '../../src/core/index/credentials';
import { decodeMaterial } from '../../src/core/certs/pem';
import { sanMatchesHost, sansCoverGatewayHost } from '../../src/core/certs/hostname';
import { certsDir, readTree } from '../support/certs';

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

test('a long SAN list is answered by an index, with the same verdicts as matching each SAN', () => {
  // Every pattern shape next to hosts that do and do not match it; padded past the index threshold.
  const patterns = ['*.example.com', 'Exact.example.com.', 'f*.example.com', '*.com', '*.*.example.com', 'a.*.example.com', '*.deep.example.com', '*', '*.'];
  const hosts = ['a.example.com', 'a.b.example.com', 'example.com', 'exact.example.com', 'EXACT.example.com.', 'foo.example.com', 'x.com', 'a*.example.com', '*.example.com', '*.deep.example.com', 'b.deep.example.com', 'ns/a.example.com', '*', 'a.', '.example.com'];
  const padding = Array.from({ length: 40 }, (_, i) => `pad${i}.other.test`);
  for (const p of patterns) {
    for (const h of hosts) {
      const linear = sansCoverGatewayHost([p], [], h);
      assert.equal(sansCoverGatewayHost([...padding, p], [], h), linear, `SAN ${p}, host ${h}`);
    }
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Resolution order and sources, on the openssl-made certificates.


function gateway(opts: { ns?: string; cred: string; host?: string; mode?: string; extra?: string }): string {
  return `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: gw, namespace: ${opts.ns ?? 'istio-system'} }
spec:
  selector: { istio: ingressgateway }
  servers:
    - port: { number: 443, name: https, protocol: HTTPS }
      tls: { mode: ${opts.mode ?? 'SIMPLE'}, credentialName: ${opts.cred}${opts.extra ?? ''} }
      hosts: [${opts.host ?? 'good.example.com'}]
`;
}

function workspace(files: Record<string, string>, pki = true): WorkspaceIndex {
  const index = new WorkspaceIndex();
  if (pki) for (const [rel, bytes] of readTree(certsDir())) index.setOtherFile(`pki/${rel}`, new Uint8Array(bytes));
  for (const [id, text] of Object.entries(files)) {
    if (id.endsWith('.yaml')) index.setYamlFile(id, text);
    else index.setOtherFile(id, new TextEncoder().encode(text));
  }
  return index;
}

/** Findings of the credential rules only: other areas (gateway conflicts, say) have their own tests. */
function lintAll(index: WorkspaceIndex, config = DEFAULT_CONFIG): string[] {
  const ids = new Set(CREDENTIAL_CHECKS.map((r) => r.id));
  return [...new Linter({ config, now: TEST_NOW }).lint(index, TEST_NOW).values()].flat().filter((f) => ids.has(f.ruleId)).map((f) => `${f.ruleId}: ${f.message}`);
}

test('.meshtls.yaml credentials win over a kubectl line, with paths relative to the config file', () => {
  const index = workspace({
    'gw.yaml': gateway({ cred: 'web' }),
    'create.sh': 'kubectl create -n istio-system secret generic web --from-file=cert=pki/expired/fullchain.pem --from-file=key=pki/expired/leaf.key\n',
  });
  const { config } = parseConfig('credentials:\n  web: { cert: ../pki/good/fullchain.pem, key: ../pki/good/leaf.key }\n');
  config.configDir = 'conf';
  const r = credentialUses(index, config)[0].resolution;
  assert.deepEqual([r.source?.kind, r.cert?.fileId, r.key?.fileId], ['config', 'pki/good/fullchain.pem', 'pki/good/leaf.key']);
  assert.deepEqual(lintAll(index, config), []);
  assert.deepEqual(lintAll(index), ['cert-expired: The server certificate "good.example.com" in pki/expired/fullchain.pem expired on 2026-11-01 (22 days ago).']);
  // With the config file in the workspace, a missing file is reported against its own line of .meshtls.yaml.
  const text = 'credentials:\n  web:\n    cert: ../pki/good/fullchain.pem\n    key: ../pki/missing.key\n';
  const withConfig = parseConfig(text).config;
  withConfig.configDir = 'conf';
  withConfig.configFile = 'conf/.meshtls.yaml';
  index.setYamlFile('conf/.meshtls.yaml', text);
  const key = credentialUses(index, withConfig)[0].resolution.key!;
  assert.equal(text.slice(key.mention.start, key.mention.end), '../pki/missing.key');
  assert.equal(key.mention.fileId, 'conf/.meshtls.yaml');
});

test('a folder named after the credential, and a PKI tree found through the server host', () => {
  const dir = certsDir();
  const read = (p: string) => readFileSync(`${dir}/${p}`, 'utf8');
  const folder = workspace({ 'gw.yaml': gateway({ cred: 'shop-tls' }), 'secrets/shop-tls/tls.crt': read('good/fullchain.pem'), 'secrets/shop-tls/tls.key': read('good/leaf.key') });
  const f = credentialUses(folder, DEFAULT_CONFIG)[0].resolution;
  assert.deepEqual([f.source?.kind, f.layout, f.cert?.fileId], ['folder', 'tls', 'secrets/shop-tls/tls.crt']);
  assert.deepEqual(lintAll(folder), []);
  const tree = workspace({ 'gw.yaml': gateway({ cred: 'walk', host: 'walk.example.com', mode: 'MUTUAL' }) });
  const t = credentialUses(tree, DEFAULT_CONFIG)[0].resolution;
  assert.deepEqual([t.source?.kind, t.cert?.fileId, t.ca?.fileId, t.clients.length], ['pki-tree', 'pki/walk.example.com/3_application/certs/walk.example.com.cert.pem', 'pki/walk.example.com/2_intermediate/certs/ca-chain.cert.pem', 1]);
  assert.deepEqual(lintAll(tree), []);
});

test('Secret manifests: wrong namespace, a -cacert Secret without CA keys, credentialNames and builtin://', () => {
  const dir = certsDir();
  const b64 = (p: string) => readFileSync(`${dir}/${p}`).toString('base64');
  const secret = (name: string, ns: string, data: Record<string, string>) =>
    `apiVersion: v1\nkind: Secret\nmetadata: { name: ${name}, namespace: ${ns} }\ndata:\n${Object.entries(data).map(([k, v]) => `  ${k}: ${v}`).join('\n')}\n---\n`;
  const index = workspace({
    'secrets.yaml':
      secret('web', 'shop', { 'tls.crt': b64('good/fullchain.pem'), 'tls.key': b64('good/leaf.key') }) +
      secret('api', 'istio-system', { cert: b64('good/fullchain.pem'), key: b64('good/leaf.key') }) +
      secret('api-cacert', 'istio-system', { 'ca.pem': b64('chain.pem') }),
    'gw.yaml': gateway({ ns: 'shop', cred: 'web' }) + '---\n' + gateway({ cred: 'api', mode: 'MUTUAL' }) + '---\n' + gateway({ cred: 'builtin://', mode: 'SIMPLE' }),
  }, false);
  assert.deepEqual(lintAll(index), [
    'credential-wrong-namespace: Secret "web" exists only in namespace "shop", but the gateway pods read it from "istio-system".',
    'credential-secret-keys: Secret "api-cacert" has neither "cacert" nor "ca.crt"; it has "ca.pem".',
  ]);
  const multi = workspace({
    'gw.yaml': gateway({ cred: 'a', mode: 'MUTUAL' }).replace('credentialName: a', 'credentialNames: [a, b]'),
    'create.sh': [
      'kubectl create -n istio-system secret generic a --from-file=cert=pki/good/fullchain.pem --from-file=key=pki/good/leaf.key --from-file=cacert=pki/chain.pem',
      'kubectl create -n istio-system secret tls b --cert=pki/rsa2048/fullchain.pem --key=pki/rsa2048/leaf.key',
    ].join('\n'),
  });
  assert.deepEqual(credentialUses(multi, DEFAULT_CONFIG).map((u) => [u.name, u.primary, u.resolution.layout]), [['a', true, 'generic'], ['b', false, 'tls']]);
  assert.deepEqual(lintAll(multi), []);
});

test('a cert-manager Certificate provides the Secret: resolved, nothing to check, no unresolved warning', () => {
  const cert = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: shop, namespace: istio-system }
spec:
  secretName: shop-tls
  dnsNames: [good.example.com]
  issuerRef: { name: letsencrypt, kind: ClusterIssuer }
`;
  const index = workspace({ 'gw.yaml': gateway({ cred: 'shop-tls', mode: 'MUTUAL' }), 'cert.yaml': cert, 'other.pem': 'x' }, false);
  const r = credentialUses(index, DEFAULT_CONFIG)[0].resolution;
  assert.deepEqual([r.status, r.source?.kind, r.source?.description], ['resolved', 'cert-manager', 'cert-manager Certificate "shop" in cert.yaml']);
  assert.deepEqual(lintAll(index), []);
});

test('DER material in a Secret is reported: Envoy reads PEM only', () => {
  const index = workspace({
    'gw.yaml': gateway({ cred: 'web' }),
    'create.sh': 'kubectl create -n istio-system secret generic web --from-file=cert=pki/broken/leaf.der --from-file=key=pki/good/leaf.key\n',
  });
  assert.deepEqual(lintAll(index), ['pem-malformed: pki/broken/leaf.der is DER-encoded; Istio expects PEM.']);
});

test('hostile PEM input stays linear: 10 MB of BEGIN lines without END, one long line, many glued blocks', () => {
  const begins = '-----BEGIN CERTIFICATE-----'.repeat(380_000);
  const r1 = decodeMaterial(begins);
  assert.equal(r1.blocks.length, 0);
  assert.ok(r1.problems.length > 0);
  const cert = readFileSync('examples/foocorp/frontend.foocorp.com/3_application/certs/frontend.foocorp.com.cert.pem', 'utf8').trimEnd();
  const glued = decodeMaterial(cert.repeat(2000));
  assert.equal(glued.blocks.length, 2000);
  assert.equal(glued.problems.filter((p) => p.kind === 'glued').length, 1999);
});
