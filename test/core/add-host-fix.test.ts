import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceIndex } from '../../src/core/index/workspace-index';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { Linter } from '../../src/core/lint';
import { TEST_NOW } from '../support/golden';
import { certsDir } from '../support/certs';

/**
 * "Add host to Gateway" must not trade one finding for cert-host-mismatch: it is offered for the TLS servers whose
 * certificate covers the host; when none does, every title says the certificate must be re-issued; never preferred.
 */
function fixesFor(vsHost: string): { title: string; preferred?: boolean }[] {
  const dir = certsDir();
  const index = new WorkspaceIndex();
  index.setYamlFile('gw.yaml', `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: gw, namespace: istio-system }
spec:
  selector: { istio: ingressgateway }
  servers:
    - port: { number: 443, name: https-good, protocol: HTTPS }
      tls: { mode: SIMPLE, credentialName: good-credential }
      hosts: [good.example.com]
    - port: { number: 8443, name: https-wild, protocol: HTTPS }
      tls: { mode: SIMPLE, credentialName: wild-credential }
      hosts: [wildcard.example.com]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: vs, namespace: istio-system }
spec:
  hosts: [${vsHost}]
  gateways: [gw]
  http: [{ route: [{ destination: { host: app } }] }]
`);
  index.setOtherFile('create.sh', new TextEncoder().encode(['good', 'wildcard'].map((d, i) => `kubectl create -n istio-system secret generic ${i ? 'wild' : 'good'}-credential --from-file=cert=pki/${d}/fullchain.pem --from-file=key=pki/${d}/leaf.key\n`).join('')));
  for (const d of ['good', 'wildcard']) for (const f of ['fullchain.pem', 'leaf.key']) index.setOtherFile(`pki/${d}/${f}`, new Uint8Array(readFileSync(join(dir, d, f))));
  const findings = [...new Linter({ config: DEFAULT_CONFIG, now: TEST_NOW }).lint(index, TEST_NOW).values()].flat();
  const f = findings.find((x) => x.ruleId === 'virtual-service-host-not-in-gateway');
  assert.ok(f, findings.map((x) => x.ruleId).join(', '));
  return (f.fixes ?? []).map((x) => ({ title: x.title, preferred: x.preferred }));
}

test('add-host fix: only the server whose certificate covers the host is offered, not preferred', () => {
  assert.deepEqual(fixesFor('shop.example.com'), [{ title: 'Add `shop.example.com` to Gateway `gw` (server https-wild)', preferred: false }]);
});

test('add-host fix: when no certificate covers the host, each title says it must be re-issued', () => {
  assert.deepEqual(
    fixesFor('shop.other.org').map((x) => x.title),
    ['Add `shop.other.org` to Gateway `gw` (server https-good); its certificate does not cover it and must be re-issued', 'Add `shop.other.org` to Gateway `gw` (server https-wild); its certificate does not cover it and must be re-issued'],
  );
});
