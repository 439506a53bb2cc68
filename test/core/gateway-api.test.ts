import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintTexts } from '../support/golden';
import { sharedPath } from '../support/shared';
import { WorkspaceIndex } from '../../src/core/index/workspace-index';
import { describe as describeResource } from '../../src/core/istio/resource';
import { DEFAULT_CONFIG, parseConfig } from '../../src/core/config';
import { queryAt } from '../../src/core/index/query';
import { gatewayApiDefinition, sectionNameCompletions } from '../../src/core/index/gateway-api-navigation';
import { credentialAt } from '../../src/core/inspect/views';
import { RULES } from '../../src/core/rules/registry';

test('Istio analyzer case virtual_service_kubernetes_gateways: only IST0132 on my-vs-host-mismatch', (t) => {
  const data = sharedPath('reference', 'istio-testdata');
  if ('skip' in data) return t.skip(data.skip);
  const rel = 'pkg/config/analysis/analyzers/testdata/virtualservice_kubernetes_gateways.yaml';
  const expected = readFileSync(join(data.path, 'EXPECTED.tsv'), 'utf8')
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((c) => c[0] === 'virtualServiceKubernetesGateways')
    .map((c) => `${c[3]} ${c[6]}`);
  assert.deepEqual(expected, ['IST0132 VirtualService default/my-vs-host-mismatch']);
  const text = readFileSync(join(data.path, rel), 'utf8');
  const index = new WorkspaceIndex();
  index.setYamlFile(rel, text);
  const byStart = index.yamlFiles.get(rel)!.resources;
  const findings = lintTexts({ [rel]: text }, DEFAULT_CONFIG).get(rel) ?? [];
  const withCode = findings.filter((f) => f.istioCode && f.istioCode !== 'IST0106' && f.istioCode !== 'IST0133');
  const seen = withCode.map((f) => {
    const r = byStart.filter((x) => x.doc.base <= f.start).pop()!;
    return `${f.istioCode} ${describeResource(r)}`;
  });
  assert.deepEqual(seen, expected);
  // Nothing else either: the Gateway API Gateway is not mistaken for a missing or broken Istio Gateway.
  assert.deepEqual(findings.map((f) => f.ruleId), ['virtual-service-host-not-in-gateway']);
});

test('the Gateway API Gateway and the Istio Gateway share a kind name but not a kind', () => {
  const index = new WorkspaceIndex();
  index.setYamlFile('a.yaml', 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: g, namespace: n}\nspec: {gatewayClassName: istio, listeners: []}\n---\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g, namespace: n}\nspec: {servers: []}\n');
  assert.equal(index.ofKind('K8sGateway').length, 1);
  assert.equal(index.ofKind('Gateway').length, 1);
  assert.equal(describeResource(index.ofKind('K8sGateway')[0]), 'Gateway n/g');
  assert.equal(index.find('K8sGateway', 'n', 'g')?.group, 'gateway.networking.k8s.io');
});

test('targetIstioVersion gates the findings whose truth depends on the release', () => {
  const gw = readFileSync('test/fixtures/rules/gateway-api-certificate-ref-count/valid-rsa-and-ecdsa.yaml', 'utf8');
  const at = (v: string) => {
    const { config, problems } = parseConfig(`targetIstioVersion: "${v}"\n`);
    assert.deepEqual(problems, []);
    return (lintTexts({ 'gw.yaml': gw }, config).get('gw.yaml') ?? []).map((f) => f.ruleId);
  };
  assert.deepEqual(at('1.31'), []);
  assert.deepEqual(at('1.27.5'), []);
  assert.deepEqual(at('1.26'), ['gateway-api-certificate-ref-count']);
  assert.match(parseConfig('targetIstioVersion: latest\n').problems[0].message, /must be an Istio release/);
  assert.equal(DEFAULT_CONFIG.targetIstioVersion, '1.31');
});

test('navigation: parentRef → Gateway and listener, certificateRef → its kubectl line, caCertificateRef → the ConfigMap line; sectionName completion', () => {
  const index = new WorkspaceIndex();
  const EX = 'examples/foocorp-gateway-api';
  for (const f of ['gateway.yaml', 'httproutes.yaml', 'reference-grant.yaml', 'namespaces.yaml']) index.setYamlFile(f, readFileSync(join(EX, f), 'utf8'));
  const script = readFileSync(join(EX, 'create-secrets.sh'), 'utf8');
  index.setOtherFile('create-secrets.sh', new TextEncoder().encode(script));
  for (const h of ['frontend', 'inventory']) for (const p of [`${h}.foocorp.com/3_application/certs/${h}.foocorp.com.fullchain.pem`, `${h}.foocorp.com/3_application/private/${h}.foocorp.com.key.pem`]) index.setOtherFile(p, new Uint8Array(readFileSync(join(EX, p))));
  index.setOtherFile('foocorp-client-ca.pem', new Uint8Array(readFileSync(join(EX, 'foocorp-client-ca.pem'))));
  const text = (s: { fileId: string; start: number; end: number }) => (s.fileId.endsWith('.sh') ? script : index.yamlFiles.get(s.fileId)!.text).slice(s.start, s.end);
  const at = (file: string, needle: string, nth = 0) => {
    const t = index.yamlFiles.get(file)!.text;
    let i = -1;
    for (let k = 0; k <= nth; k++) i = t.indexOf(needle, i + 1);
    const q = queryAt(index, file, i + 1)!;
    return gatewayApiDefinition(index, DEFAULT_CONFIG, q.resource!, q.resourcePath, i + 1);
  };
  assert.equal(text(at('httproutes.yaml', 'foocorp-gateway')!.target), 'foocorp-gateway');
  assert.equal(at('httproutes.yaml', 'foocorp-gateway')!.target.fileId, 'gateway.yaml');
  const listener = at('httproutes.yaml', 'inventory', 2)!.target;
  assert.equal(text(listener), 'inventory');
  assert.equal(listener.fileId, 'gateway.yaml');
  assert.match(text(at('gateway.yaml', 'frontend-credential')!.target), /^kubectl create -n foocorp secret tls frontend-credential/);
  assert.match(text(at('gateway.yaml', 'inventory-credential')!.target), /^kubectl create -n foocorp-certs secret tls inventory-credential/);
  assert.match(text(at('gateway.yaml', 'foocorp-client-ca')!.target), /^kubectl create -n foocorp configmap foocorp-client-ca/);
  const route = index.ofKind('HTTPRoute')[0];
  assert.deepEqual(sectionNameCompletions(index, route).map((c) => c.label), ['frontend', 'inventory']);
  // The caCertificateRef hovers as the credential it validates clients for.
  const t = index.yamlFiles.get('gateway.yaml')!.text;
  const use = credentialAt(index, DEFAULT_CONFIG, 'gateway.yaml', t.indexOf('foocorp-client-ca') + 2);
  assert.equal(use?.name, 'frontend-credential');
  assert.equal(use?.resolution.caSource?.object, 'ConfigMap');
});

test('sectionName completion is scoped to the Gateway or ListenerSet named by the parentRef under the cursor', () => {
  const index = new WorkspaceIndex();
  index.setYamlFile('gw.yaml', `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: public, namespace: infra}
spec:
  gatewayClassName: istio
  allowedListeners: {namespaces: {from: Same}}
  listeners:
    - {name: web, port: 80, protocol: HTTP}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: partner, namespace: infra}
spec:
  gatewayClassName: istio
  listeners:
    - {name: partner-https, port: 443, protocol: HTTPS, hostname: partner.example.com, tls: {certificateRefs: [{name: partner}]}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata: {name: team, namespace: infra}
spec:
  parentRef: {name: public}
  listeners:
    - {name: team-http, port: 8080, protocol: HTTP}
`);
  const routeText = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: infra}
spec:
  parentRefs:
    - name: public
      sectionName: web
    - name: partner
      sectionName: x
    - kind: ListenerSet
      name: team
      sectionName: y
`;
  index.setYamlFile('route.yaml', routeText);
  const route = index.ofKind('HTTPRoute')[0];
  const labels = (needle: string) => sectionNameCompletions(index, route, routeText.indexOf(needle)).map((c) => c.label);
  assert.deepEqual(labels('sectionName: web'), ['web']);
  assert.deepEqual(labels('sectionName: x'), ['partner-https']);
  assert.deepEqual(labels('sectionName: y'), ['team-http']);
  assert.deepEqual(sectionNameCompletions(index, route).map((c) => c.label), ['web', 'partner-https', 'team-http']);
});

test('every gateway-api rule page names the Istio status reason (or says Istio is silent), the Gateway API version and the Istio versions', () => {
  const ids = RULES.map((r) => r.id).filter((id) => id.startsWith('gateway-api-'));
  assert.ok(ids.length >= 19, `${ids.length} gateway-api rules`);
  for (const id of ids) {
    const head = readFileSync(`docs/rules/${id}.md`, 'utf8').split('\n').slice(0, 6).join('\n');
    const istio = /\*\*Istio:\*\*([^\n]*)/.exec(head)?.[1] ?? '';
    assert.match(istio, /Istio is silent|reason `[A-Za-z]+`|`[A-Za-z]+=(False|True)`/, `${id}: the Istio line names no status reason and does not say Istio is silent`);
    assert.match(head, /\*\*Gateway API:\*\* [^·\n]*v\d/, `${id}: no Gateway API version`);
    assert.match(head, /\*\*Istio versions:\*\* \S/, `${id}: no Istio versions`);
  }
});

/** A snippet body with every placeholder at its default (first choice), as accepting it unchanged gives. */
function expandSnippet(body: string[]): string {
  let text = body.join('\n');
  for (let i = 0; i < 5; i++) text = text.replace(/\$\{\d+:((?:[^{}]|\{[^{}]*\})*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^}]*\|\}/g, '$1');
  return text.replace(/\$\d+/g, '');
}

test('the Gateway API snippets, accepted as they are, give a Gateway, HTTPRoute and ReferenceGrant with nothing to report', () => {
  const snippets = JSON.parse(readFileSync('snippets/istio.json', 'utf8')) as Record<string, { prefix: string[]; body: string[] }>;
  const byPrefix = (p: string) => Object.values(snippets).find((s) => s.prefix.includes(p))!;
  const gw = expandSnippet(byPrefix('gateway-api-gateway-mutual').body);
  const route = expandSnippet(byPrefix('gateway-api-httproute').body);
  const grant = expandSnippet(byPrefix('gateway-api-referencegrant').body);
  assert.doesNotMatch(gw + route + grant, /\$/);
  const found = lintTexts({ 'gw.yaml': gw, 'route.yaml': route, 'grant.yaml': grant });
  assert.deepEqual([...found.values()].flat().map((f) => `${f.ruleId}: ${f.message}`), []);
  const index = new WorkspaceIndex();
  index.setYamlFile('all.yaml', [gw, route, grant].join('---\n'));
  assert.deepEqual(index.yamlFiles.get('all.yaml')!.resources.map((r) => r.kind), ['K8sGateway', 'HTTPRoute', 'ReferenceGrant']);
});

test('an ungranted cross-namespace certificateRef to a Secret that is not in that namespace gets one finding, with the reason Istio sets', () => {
  const gateway = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: foo}
spec:
  gatewayClassName: istio
  listeners:
  - name: https
    port: 443
    protocol: HTTPS
    hostname: a.example.com
    tls:
      mode: Terminate
      certificateRefs: [{name: shop-cert, namespace: certs}]
`;
  const secret = (name: string, ns: string) => `---
apiVersion: v1
kind: Secret
metadata: {name: ${name}, namespace: ${ns}}
type: kubernetes.io/tls
stringData: {tls.crt: x, tls.key: y}
`;
  const rules = (text: string) => [...new Set((lintTexts({ 'gw.yaml': text }, DEFAULT_CONFIG).get('gw.yaml') ?? []).map((f) => f.ruleId))].filter((id) => id.startsWith('credential-') || id.startsWith('gateway-api-')).sort();
  // The Secret exists, but only in the Gateway's own namespace. Istio up to 1.31 looks the Secret up before it checks
  // the grant: "secret certs/shop-cert not found", ResolvedRefs=False InvalidCertificateRef.
  assert.deepEqual(rules(gateway + secret('shop-cert', 'foo')).filter((id) => id !== 'credential-pem-malformed'), ['credential-wrong-namespace']);
  // Nothing in the workspace creates it at all: whether it exists in the cluster is unknown, the missing grant is not.
  assert.deepEqual(rules(gateway + secret('other', 'foo')), ['gateway-api-ref-not-permitted']);
  // Created in the namespace the ref names: the grant is the one problem.
  assert.deepEqual(rules(gateway + secret('shop-cert', 'certs')).filter((id) => id !== 'credential-pem-malformed'), ['gateway-api-ref-not-permitted']);
});

test('the experimental XListenerSet (gateway.networking.x-k8s.io) gets one note saying it is not checked, not silence', () => {
  const xls = (name: string) => `apiVersion: gateway.networking.x-k8s.io/v1alpha1
kind: XListenerSet
metadata: {name: ${name}, namespace: foo}
spec:
  parentRef: {name: gw, kind: Gateway, group: gateway.networking.k8s.io}
  listeners:
  - name: https
    port: 443
    protocol: HTTPS
    hostname: a.example.com
    tls: {certificateRefs: [{name: shop-cert}]}
`;
  const findings = lintTexts({ 'x.yaml': `${xls('one')}---\n${xls('two')}` }, DEFAULT_CONFIG).get('x.yaml') ?? [];
  assert.deepEqual(findings.map((f) => [f.ruleId, f.severity]), [
    ['gateway-api-x-listener-set-unchecked', 'info'],
    ['gateway-api-x-listener-set-unchecked', 'info'],
  ]);
  assert.match(findings[0].message, /^XListenerSet foo\/one \(gateway\.networking\.x-k8s\.io\/v1alpha1\) .*ListenerSet gateway\.networking\.k8s\.io\/v1.*Istio 1\.30/);
  // An older target: the message says what that release does instead.
  const old = lintTexts({ 'x.yaml': xls('one') }, { ...DEFAULT_CONFIG, targetIstioVersion: '1.29' }).get('x.yaml') ?? [];
  assert.equal(old.length, 1);
  assert.doesNotMatch(old[0].message, /Istio 1\.30 and later/);
});
