import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { WorkspaceIndex } from '../../src/core/index/workspace-index';
import { Linter } from '../../src/core/lint';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { TEST_NOW } from '../support/golden';

// A planted-fault Gateway API workspace: the clean twin is examples/foocorp-gateway-api as committed; each fault is
// one realistic edit of it (certificate, grant, attachment, listener, option). Every fault must be found by the rules
// listed for it and by nothing else, and all of them together must all be found.

const EX = 'examples/foocorp-gateway-api';

function loadExample(): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const visit = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) visit(p);
      else out.set(relative(EX, p).split(sep).join('/'), readFileSync(p));
    }
  };
  visit(EX);
  return out;
}

function lint(files: Map<string, Buffer>): { ruleId: string; file: string; message: string }[] {
  const index = new WorkspaceIndex();
  for (const [id, bytes] of files) {
    if (/\.ya?ml$/.test(id)) index.setYamlFile(id, bytes.toString('utf8'));
    else index.setOtherFile(id, new Uint8Array(bytes));
  }
  const byFile = new Linter({ config: DEFAULT_CONFIG, now: TEST_NOW }).lint(index, TEST_NOW);
  return [...byFile.values()].flat().map((f) => ({ ruleId: f.ruleId, file: f.fileId, message: f.message }));
}

interface Fault {
  what: string;
  file: string;
  from: string;
  to: string;
  expect: string[];
  /** Planted in the all-together workspace too (faults chosen so none hides another). */
  together?: boolean;
}

const FAULTS: Fault[] = [
  // certificates
  { what: 'the frontend Secret gets the inventory key', file: 'create-secrets.sh', from: '--key=frontend.foocorp.com/3_application/private/frontend.foocorp.com.key.pem', to: '--key=inventory.foocorp.com/3_application/private/inventory.foocorp.com.key.pem', expect: ['key-cert-mismatch'], together: true },
  { what: 'the client CA bundle holds only the frontend chain', file: 'create-secrets.sh', from: '--from-file=ca.crt=foocorp-client-ca.pem', to: '--from-file=ca.crt=frontend.foocorp.com/2_intermediate/certs/ca-chain.cert.pem', expect: ['client-ca-mismatch'], together: true },
  { what: 'the CA ConfigMap key is named after the file', file: 'create-secrets.sh', from: '--from-file=ca.crt=foocorp-client-ca.pem', to: '--from-file=foocorp-client-ca.pem', expect: ['credential-secret-keys', 'credential-secret-keys'] },
  { what: 'the frontend Secret is created in istio-system, as for an Istio Gateway', file: 'create-secrets.sh', from: 'kubectl create -n foocorp secret tls frontend-credential', to: 'kubectl create -n istio-system secret tls frontend-credential', expect: ['credential-wrong-namespace'] },
  { what: 'three certificateRefs on one listener', file: 'gateway.yaml', from: '          - name: frontend-credential\n', to: '          - name: frontend-credential\n          - name: frontend-rsa\n          - name: frontend-ecdsa\n', expect: ['gateway-api-certificate-ref-count'] },
  { what: 'a certificateRef of group core', file: 'gateway.yaml', from: '          - name: frontend-credential\n', to: '          - group: core\n            name: frontend-credential\n', expect: ['gateway-api-certificate-ref-kind'] },
  { what: 'two caCertificateRefs', file: 'gateway.yaml', from: '              name: foocorp-client-ca\n', to: '              name: foocorp-client-ca\n            - group: ""\n              kind: ConfigMap\n              name: partner-client-ca\n', expect: ['gateway-api-ca-certificate-ref-invalid'] },
  { what: 'the CA ConfigMap is not created', file: 'create-secrets.sh', from: 'configmap foocorp-client-ca', to: 'configmap foocorp-client-cas', expect: ['mutual-without-ca'] },
  // grants
  { what: 'the ReferenceGrant names the wrong referrer namespace', file: 'reference-grant.yaml', from: '      namespace: foocorp\n', to: '      namespace: istio-ingress\n', expect: ['gateway-api-ref-not-permitted'], together: true },
  { what: 'the ReferenceGrant lives in the Gateway\'s namespace', file: 'reference-grant.yaml', from: '  namespace: foocorp-certs\n', to: '  namespace: foocorp\n', expect: ['gateway-api-ref-not-permitted'] },
  // attachment
  { what: 'an HTTPRoute parentRef leaves the namespace out', file: 'httproutes.yaml', from: '      namespace: foocorp\n      sectionName: frontend\n', to: '      sectionName: frontend\n', expect: ['gateway-api-parent-not-found'], together: true },
  { what: 'a sectionName typo', file: 'httproutes.yaml', from: 'sectionName: inventory', to: 'sectionName: inventroy', expect: ['gateway-api-parent-section-not-found'], together: true },
  { what: 'a route hostname the listener does not serve', file: 'httproutes.yaml', from: '    - inventory.foocorp.com\n', to: '    - stock.foocorp.com\n', expect: ['gateway-api-route-hostname-mismatch'] },
  { what: 'the route namespace lacks the label the listener selects', file: 'namespaces.yaml', from: '  name: inventory\n  labels:\n    foocorp.com/ingress: "true"\n', to: '  name: inventory\n  labels:\n    foocorp.com/ingress: "false"\n', expect: ['gateway-api-route-not-allowed'] },
  // listeners
  { what: 'a lower-case protocol', file: 'gateway.yaml', from: '      hostname: inventory.foocorp.com\n      port: 443\n      protocol: HTTPS\n', to: '      hostname: inventory.foocorp.com\n      port: 443\n      protocol: https\n', expect: ['gateway-api-listener-protocol-unsupported', 'gateway-api-parent-section-not-found'] },
  { what: 'HTTPS with Passthrough', file: 'gateway.yaml', from: '        mode: Terminate\n        certificateRefs:\n          - name: frontend-credential', to: '        mode: Passthrough\n        certificateRefs:\n          - name: frontend-credential', expect: ['schema-cel-violation'] },
  { what: 'two listeners for one hostname', file: 'gateway.yaml', from: '      hostname: inventory.foocorp.com\n', to: '      hostname: frontend.foocorp.com\n', expect: ['schema-cel-violation', 'gateway-api-parent-section-not-found', 'cert-host-mismatch'] },
  { what: 'an HTTPS and a passthrough TLS listener for one host on 443', file: 'gateway.yaml', from: '      hostname: inventory.foocorp.com\n      port: 443\n      protocol: HTTPS\n      tls:\n        mode: Terminate\n', to: '      hostname: frontend.foocorp.com\n      port: 443\n      protocol: TLS\n      tls:\n        mode: Passthrough\n', expect: ['gateway-api-listener-conflict', 'gateway-api-listener-tls-mode', 'gateway-api-client-validation-ignored', 'gateway-api-parent-section-not-found'] },
  { what: 'a misspelt gateway class', file: 'gateway.yaml', from: 'gatewayClassName: istio', to: 'gatewayClassName: isito', expect: ['gateway-api-gateway-class-unknown'] },
  // options
  { what: 'tls-terminate-mode in lower case', file: 'gateway.yaml', from: '          - name: frontend-credential\n', to: '          - name: frontend-credential\n        options:\n          gateway.istio.io/tls-terminate-mode: mutual\n', expect: ['gateway-api-tls-option-invalid'], together: true },
  { what: 'an ISTIO_SIMPLE listener under client validation', file: 'gateway.yaml', from: '          - name: frontend-credential\n', to: '          - name: frontend-credential\n        options:\n          gateway.istio.io/tls-terminate-mode: ISTIO_SIMPLE\n', expect: ['gateway-api-client-validation-ignored'] },
  { what: 'an unknown cipher suite name', file: 'gateway.yaml', from: '          - name: frontend-credential\n', to: '          - name: frontend-credential\n        options:\n          gateway.istio.io/tls-cipher-suites: TLS_AES_256_GCM_SHA384\n', expect: ['gateway-api-tls-option-invalid'] },
];

function plant(files: Map<string, Buffer>, f: Fault): Map<string, Buffer> {
  const text = files.get(f.file)!.toString('utf8');
  const at = text.indexOf(f.from);
  assert.ok(at >= 0 && text.indexOf(f.from, at + 1) < 0, `${f.what}: "${f.from}" must occur exactly once in ${f.file}`);
  return new Map(files).set(f.file, Buffer.from(text.slice(0, at) + f.to + text.slice(at + f.from.length)));
}

test('the clean twin (the example as committed) has no finding at all', () => {
  assert.deepEqual(lint(loadExample()), []);
});

for (const f of FAULTS) {
  test(`planted: ${f.what}`, () => {
    const found = lint(plant(loadExample(), f));
    assert.deepEqual(found.map((x) => x.ruleId).sort(), [...f.expect].sort(), JSON.stringify(found, null, 1));
  });
}

test('all faults that touch different lines, planted together, are all found', () => {
  let files = loadExample();
  const planted = FAULTS.filter((f) => f.together);
  for (const f of planted) files = plant(files, f);
  const found = lint(files).map((x) => x.ruleId).sort();
  assert.deepEqual(found, planted.flatMap((f) => f.expect).sort());
  assert.equal(planted.length, 6);
});
