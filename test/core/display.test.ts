import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { redactKeyMaterial, sanitizeMessage } from '../../src/core/display';

const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const body = pem.split('\n').slice(1, -2).join('');

test('PEM blocks and base64 key bodies are redacted wherever they appear in a message', () => {
  assert.doesNotMatch(redactKeyMaterial(`Credential "${pem}" not found.`), /MIG|PRIVATE KEY-----\n[A-Za-z0-9+/]/);
  const out = redactKeyMaterial(`Credential "${body}" not found.`);
  assert.ok(!out.includes(body.slice(0, 40)), out);
  assert.match(out, /\[key material redacted\]/);
  // base64 of a whole PEM file (a Secret's data value pasted into a field) too.
  const b64 = Buffer.from(pem).toString('base64');
  assert.match(redactKeyMaterial(`Value "${b64}".`), /\[key material redacted\]/);
});

test('paths, DNS names, Kubernetes names and fingerprints are not mistaken for key material', () => {
  const plain = [
    'The server certificate "good.example.com" in invalid-brainpool/pki/curve-brainpoolP256r1/fullchain.pem has an EC key.',
    'File inventory.foocorp.com/3_application/certs/inventory.foocorp.com.cert.pem is missing.',
    'SHA-256 5E:8B:14:3C:AA:19:0F:77:2D:11:64:90:AB:CD:EF:01:23:45:67:89:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55',
    'Secret "my-very-long-application-tls-credential-for-the-frontend-service" in "istio-system".',
    'samples/bookinfo/networking/virtual-service-reviews-v2-v3-with-a-long-name/Example2Config.yaml',
  ];
  for (const m of plain) assert.equal(redactKeyMaterial(m), m);
});

test('echoed values are cut, and the message says how long they were', () => {
  const m = sanitizeMessage(`Gateway "${'a'.repeat(5000)}" not found.`);
  assert.ok(m.length < 200, m);
  assert.match(m, /5000 characters/);
});

test('a long file path in a message is kept whole, so the editor can show where the file is', () => {
  const p = `/root/.cache/meshtls-editor-test/runs/mx1zm1ms/foocorp/${'inventory.foocorp.com/'.repeat(4)}3_application/certs/inventory.foocorp.com.cert.pem`;
  const m = sanitizeMessage(`Credential "inventory-credential" takes "cert" from "${p}", which is not in the workspace.`);
  assert.ok(m.includes(p), m);
});
