import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceIndex } from '../../src/core/index/workspace-index';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { Linter } from '../../src/core/lint';
import type { Finding, Fix } from '../../src/core/types';
import { TEST_NOW } from '../support/golden';
import { certsDir } from '../support/certs';

// Gateway API quick fixes, judged by linting the workspace they produce: a fix is only offered as preferred when the
// result is clean, and titles say what a fix leaves to the user.

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw
  namespace: apps
spec:
  gatewayClassName: istio
  listeners:
    - name: shop
      hostname: shop.example.com
      port: 443
      protocol: HTTPS
      tls:
        certificateRefs:
          - name: wild-credential
    - name: plain
      hostname: good.example.com
      port: 443
      protocol: HTTPS
      tls:
        certificateRefs:
          - name: good-credential
`;

function route(host: string, extra = ''): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: r
  namespace: apps
spec:
  parentRefs:
    - name: gw${extra}
      sectionName: shop
  hostnames:
    - ${host}
  rules:
    - backendRefs:
        - name: app
          port: 8080
`;
}

function workspace(files: Record<string, string>): WorkspaceIndex {
  const index = new WorkspaceIndex();
  for (const [id, text] of Object.entries(files)) index.setYamlFile(id, text);
  index.setOtherFile('create.sh', new TextEncoder().encode(['good', 'wildcard'].map((d) => `kubectl create -n apps secret tls ${d === 'good' ? 'good' : 'wild'}-credential --cert=pki/${d}/fullchain.pem --key=pki/${d}/leaf.key\n`).join('')));
  for (const d of ['good', 'wildcard']) for (const f of ['fullchain.pem', 'leaf.key']) index.setOtherFile(`pki/${d}/${f}`, new Uint8Array(readFileSync(join(certsDir(), d, f))));
  return index;
}

function lint(index: WorkspaceIndex): Finding[] {
  return [...new Linter({ config: DEFAULT_CONFIG, now: TEST_NOW }).lint(index, TEST_NOW).values()].flat();
}

/** Applies a fix's edits (any files) and returns the new texts. */
function apply(files: Record<string, string>, fix: Fix): Record<string, string> {
  const out = { ...files };
  const edits = [...fix.edits].sort((a, b) => b.start - a.start);
  for (const e of edits) out[e.fileId] = out[e.fileId].slice(0, e.start) + e.newText + out[e.fileId].slice(e.end);
  return out;
}

function onlyFinding(files: Record<string, string>, ruleId: string): Finding {
  const found = lint(workspace(files));
  assert.deepEqual(found.map((f) => f.ruleId), [ruleId], JSON.stringify(found.map((f) => f.message)));
  return found[0];
}

test('add-the-hostname fix: a copy of the named listener for the route hostname, preferred when its certificate covers it; the result is clean', () => {
  const files = { 'gw.yaml': GATEWAY, 'route.yaml': route('cart.example.com') };
  const f = onlyFinding(files, 'gateway-api-route-hostname-mismatch');
  const fix = f.fixes!.find((x) => x.title.startsWith('Add a listener'))!;
  assert.equal(fix.title, 'Add a listener for `cart.example.com` to Gateway apps/gw (a copy of listener "shop")');
  assert.equal(fix.preferred, true);
  assert.equal(f.fixes!.filter((x) => x.preferred).length, 1);
  const fixed = apply(files, fix);
  assert.match(fixed['gw.yaml'], /    - name: cart-example-com\n      hostname: cart\.example\.com\n      port: 443\n      protocol: HTTPS\n      tls:\n        certificateRefs:\n          - name: wild-credential\n    - name: plain\n/);
  assert.match(fixed['route.yaml'], /sectionName: cart-example-com/);
  assert.deepEqual(lint(workspace(fixed)).map((x) => x.ruleId), []);
});

test('add-the-hostname fix: when the certificate does not cover the hostname the title says so and it is not preferred', () => {
  const files = { 'gw.yaml': GATEWAY, 'route.yaml': route('cart.other.org') };
  const f = onlyFinding(files, 'gateway-api-route-hostname-mismatch');
  const fix = f.fixes!.find((x) => x.title.startsWith('Add a listener'))!;
  assert.equal(fix.title, 'Add a listener for `cart.other.org` to Gateway apps/gw (a copy of listener "shop"); its certificate does not cover cart.other.org and must be re-issued');
  assert.equal(fix.preferred, false);
  // Applied anyway, the route attaches and what is left is the certificate: cert-host-mismatch, nothing else.
  assert.deepEqual(lint(workspace(apply(files, fix))).map((x) => x.ruleId), ['cert-host-mismatch']);
});

test('fix-a-parentRef-namespace: the namespace left out is added, and the result is clean', () => {
  const files = { 'gw.yaml': GATEWAY.replace('namespace: apps', 'namespace: ingress').replace(/- name: (wild|good)-credential/g, '- name: $1-credential\n            namespace: apps'), 'route.yaml': route('shop.example.com'), 'grant.yaml': GRANT };
  const f = onlyFinding(files, 'gateway-api-parent-not-found');
  assert.equal(f.fixes![0].title, 'Add `namespace: ingress`');
  assert.equal(f.fixes![0].preferred, true);
  const fixed = apply(files, f.fixes![0]);
  assert.deepEqual(lint(workspace(fixed)).map((x) => `${x.ruleId} ${x.message}`), ['gateway-api-route-not-allowed Gateway ingress/gw does not admit routes from namespace "apps" (Accepted=False NotAllowedByListeners: hostnames matched parent hostname "shop.example.com", but namespace "apps" is not allowed by the parent).']);
});

const GRANT = `apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: certs
  namespace: apps
spec:
  from:
    - group: gateway.networking.k8s.io
      kind: Gateway
      namespace: ingress
  to:
    - group: ""
      kind: Secret
`;

test('add-the-missing-ReferenceGrant fix: the grant it appends makes the certificateRef permitted, and the result is clean', () => {
  const gw = GATEWAY.replace('namespace: apps', 'namespace: ingress').replace('- name: wild-credential', '- name: wild-credential\n            namespace: apps').replace('- name: good-credential', '- name: good-credential\n            namespace: apps');
  const files = { 'gw.yaml': gw };
  const found = lint(workspace(files));
  assert.deepEqual(found.map((f) => f.ruleId), ['gateway-api-ref-not-permitted', 'gateway-api-ref-not-permitted']);
  let fixed: Record<string, string> = files;
  const fix = found[0].fixes![0];
  assert.equal(fix.title, 'Add a ReferenceGrant in namespace "apps" for Gateway ingress/gw');
  assert.equal(fix.preferred, true);
  fixed = apply(fixed, fix);
  // One grant names one Secret; the second ref needs its own (the fix for it appends a second grant).
  const again = lint(workspace(fixed));
  assert.deepEqual(again.map((f) => f.ruleId), ['gateway-api-ref-not-permitted']);
  fixed = apply(fixed, again[0].fixes![0]);
  assert.deepEqual(lint(workspace(fixed)).map((f) => f.ruleId), []);
});
