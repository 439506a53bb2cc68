// Debian's kubectl judges the rendered commands and manifest: `--dry-run=client` needs no cluster and prints the
// Secret it would create.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { meshtls, tempDir, requireTool } from './support';
import { renderSecret } from '../../src/core/kubectl';

const skip = requireTool('kubectl');
const HOST = 'frontend.foocorp.com';
// Every character a careless renderer would let the shell eat.
const OUT = `trees with 'quotes' $HOME \`cmd\` "dq"`;
let dir = '';

interface SecretJson {
  kind: string;
  type?: string;
  metadata: { name: string; namespace: string };
  data: Record<string, string>;
}

/** kubectl with no cluster and no user config. */
function kubectl(args: string[]): SecretJson {
  const r = spawnSync('kubectl', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, KUBECONFIG: join(dir, 'no-kubeconfig') } });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as SecretJson;
}

/** Runs a display string in sh, with the dry-run flags appended, exactly as a user pasting it would. */
function shell(display: string): SecretJson {
  const r = spawnSync('sh', ['-c', `${display} --dry-run=client -o json`], { cwd: dir, encoding: 'utf8', env: { ...process.env, KUBECONFIG: join(dir, 'no-kubeconfig') } });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as SecretJson;
}

const file = (rel: string) => readFileSync(join(dir, OUT, HOST, rel)).toString('base64');
const CERT = `3_application/certs/${HOST}.cert.pem`;
const KEY = `3_application/private/${HOST}.key.pem`;
const CHAIN = '2_intermediate/certs/ca-chain.cert.pem';

before(() => {
  if (skip) return;
  dir = tempDir('kubectl');
  const r = meshtls(['pki', HOST, '--profile', 'ecdsa', '--out', OUT], dir);
  assert.equal(r.code, 0, r.err);
});

test('the kubectl lines `meshtls pki` prints create the walkthrough secret with key, cert and cacert', { skip }, () => {
  const r = meshtls(['pki', 'other.foocorp.com', '--profile', 'ecdsa', '--out', OUT, '--json'], dir);
  assert.equal(r.code, 0, r.err);
  const printed = JSON.parse(r.out).hosts[0].secret;
  const secret = shell(printed.command);
  assert.deepEqual(secret.metadata, { name: 'other-credential', namespace: 'istio-system', creationTimestamp: null });
  assert.deepEqual(Object.keys(secret.data).sort(), ['cacert', 'cert', 'key']);
  assert.deepEqual(kubectl([...printed.argv.slice(1), '--dry-run=client', '-o', 'json']), secret);
});

test('meshtls secret --format kubectl: exact keys and file contents, through sh and through argv', { skip }, () => {
  const r = meshtls(['secret', 'frontend-credential', '--from', OUT, '--host', HOST], dir);
  assert.equal(r.code, 0, r.err);
  const secret = shell(r.out.trim());
  assert.equal(secret.kind, 'Secret');
  // kubectl leaves `type` out of a generic secret; the API server defaults it to Opaque.
  assert.equal(secret.type ?? 'Opaque', 'Opaque');
  assert.deepEqual(secret.metadata, { name: 'frontend-credential', namespace: 'istio-system', creationTimestamp: null });
  assert.deepEqual(secret.data, { cacert: file(CHAIN), cert: file(CERT), key: file(KEY) });

  const base = `${OUT}/${HOST}`;
  const { commands } = renderSecret({ name: 'frontend-credential', namespace: 'gw-ns', format: 'kubectl', files: { cert: `${base}/${CERT}`, key: `${base}/${KEY}`, cacert: `${base}/${CHAIN}` } });
  const viaArgv = kubectl([...commands[0].argv.slice(1), '--dry-run=client', '-o', 'json']);
  assert.equal(viaArgv.metadata.namespace, 'gw-ns');
  assert.deepEqual(viaArgv.data, secret.data);
});

test('meshtls secret --format tls: a kubernetes.io/tls secret and NAME-cacert with ca.crt', { skip }, () => {
  const r = meshtls(['secret', 'web', '--from', `${OUT}/${HOST}`, '--format', 'tls', '-n', 'gateways'], dir);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split(/\n(?=kubectl )/);
  assert.equal(lines.length, 2);
  const tls = shell(lines[0]);
  assert.equal(tls.type, 'kubernetes.io/tls');
  assert.deepEqual(tls.metadata, { name: 'web', namespace: 'gateways', creationTimestamp: null });
  assert.deepEqual(tls.data, { 'tls.crt': file(CERT), 'tls.key': file(KEY) });
  const ca = shell(lines[1]);
  assert.deepEqual(ca.metadata, { name: 'web-cacert', namespace: 'gateways', creationTimestamp: null });
  assert.deepEqual(ca.data, { 'ca.crt': file(CHAIN) });
});

test('meshtls secret --format yaml: kubectl reads the manifest as the same Secret its own command makes', { skip }, () => {
  const r = meshtls(['secret', 'frontend-credential', '--from', OUT, '--host', HOST, '--format', 'yaml'], dir);
  assert.equal(r.code, 0, r.err);
  writeFileSync(join(dir, 'secret.yaml'), r.out);
  // `kubectl create -f` needs the API server for discovery; `label --local` parses the file offline.
  const fromManifest = kubectl(['label', '--local', '-f', 'secret.yaml', 'check=1', '-o', 'json']);
  const fromCommand = shell(meshtls(['secret', 'frontend-credential', '--from', OUT, '--host', HOST], dir).out.trim());
  assert.deepEqual(fromManifest.data, fromCommand.data);
  assert.deepEqual(fromManifest.data, { cacert: file(CHAIN), cert: file(CERT), key: file(KEY) });
  assert.equal(fromManifest.type, 'Opaque');
  assert.equal(fromCommand.type ?? 'Opaque', 'Opaque');
  assert.equal(fromManifest.metadata.name, 'frontend-credential');
  assert.equal(fromManifest.metadata.namespace, 'istio-system');
});

test('meshtls secret --format gateway-api / gateway-api-yaml: a tls Secret in the Gateway\'s namespace and the CA ConfigMap, the same by command and by manifest', { skip }, () => {
  const missingNs = meshtls(['secret', 'web', '--from', `${OUT}/${HOST}`, '--format', 'gateway-api'], dir);
  assert.equal(missingNs.code, 2);
  assert.match(missingNs.err, /needs the Gateway's namespace/);
  const r = meshtls(['secret', 'web', '--from', `${OUT}/${HOST}`, '--format', 'gateway-api', '-n', 'foocorp', '--ca-configmap', 'foocorp-client-ca'], dir);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split(/\n(?=kubectl )/);
  assert.equal(lines.length, 2);
  const tls = shell(lines[0]);
  assert.equal(tls.type, 'kubernetes.io/tls');
  assert.deepEqual(tls.metadata, { name: 'web', namespace: 'foocorp', creationTimestamp: null });
  assert.deepEqual(tls.data, { 'tls.crt': file(CERT), 'tls.key': file(KEY) });
  const ca = shell(lines[1]) as unknown as { kind: string; metadata: object; data: Record<string, string> };
  assert.equal(ca.kind, 'ConfigMap');
  assert.deepEqual(ca.metadata, { name: 'foocorp-client-ca', namespace: 'foocorp', creationTimestamp: null });
  // A ConfigMap holds text: the PEM itself under ca.crt, the key istiod reads for a caCertificateRef.
  assert.deepEqual(ca.data, { 'ca.crt': readFileSync(join(dir, OUT, HOST, CHAIN), 'utf8') });

  const y = meshtls(['secret', 'web', '--from', `${OUT}/${HOST}`, '--format', 'gateway-api-yaml', '-n', 'foocorp', '--ca-configmap', 'foocorp-client-ca'], dir);
  assert.equal(y.code, 0, y.err);
  // `label --local` prints one JSON object per document: read them one file at a time.
  const items = y.out.split(/^---\n/m).map((docText, i) => {
    writeFileSync(join(dir, `gateway-api-${i}.yaml`), docText);
    return kubectl(['label', '--local', '-f', `gateway-api-${i}.yaml`, 'check=1', '-o', 'json']) as unknown as { kind: string; type?: string; metadata: { name: string; namespace: string }; data: Record<string, string> };
  });
  assert.deepEqual(items.map((i) => [i.kind, i.metadata.namespace, i.metadata.name]), [['Secret', 'foocorp', 'web'], ['ConfigMap', 'foocorp', 'foocorp-client-ca']]);
  assert.deepEqual(items[0].data, tls.data);
  assert.equal(items[0].type, 'kubernetes.io/tls');
  assert.deepEqual(items[1].data, ca.data);
});
