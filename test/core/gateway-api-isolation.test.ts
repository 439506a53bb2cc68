import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintTexts } from '../support/golden';

// Hostname isolation between listeners on one port (Istio's hostnameAllowedByIsolation): a route on a wildcard or
// hostless listener loses the hostnames a listener with a hostname at least as long covers, and Istio says nothing.
// Four HTTP listeners on port 80, as in the Gateway API's listener-isolation conformance layout.

const gateway = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: web}
spec:
  gatewayClassName: istio
  listeners:
  - {name: empty, port: 80, protocol: HTTP}
  - {name: wild, port: 80, protocol: HTTP, hostname: "*.example.com"}
  - {name: wildfoo, port: 80, protocol: HTTP, hostname: "*.foo.example.com"}
  - {name: abc, port: 80, protocol: HTTP, hostname: abc.foo.example.com}
  - {name: other-port, port: 8080, protocol: HTTP, hostname: bar.com}
`;

const route = (name: string, section: string | undefined, hosts: string[], kind = 'HTTPRoute') => `apiVersion: gateway.networking.k8s.io/v1
kind: ${kind}
metadata: {name: ${name}, namespace: web}
spec:
  parentRefs: [{name: gw${section ? `, sectionName: ${section}` : ''}}]
  hostnames: [${hosts.map((h) => `"${h}"`).join(', ')}]
  rules: [{backendRefs: [{name: svc, port: 80}]}]
`;

function isolated(routes: string[]): string[] {
  const found = lintTexts({ 'gw.yaml': gateway, 'routes.yaml': routes.join('---\n') });
  return [...found.values()]
    .flat()
    .filter((f) => f.ruleId === 'gateway-api-route-hostname-isolated')
    .map((f) => f.message.replace(/ never reaches this route through Gateway web\/gw: listener "([^"]+)" on port \d+ serves it.*$/, ' → $1'))
    .sort();
}

test('each hostname a more specific listener on the same port takes is reported, with the listener that takes it', () => {
  assert.deepEqual(isolated([route('r1', 'empty', ['bar.com', 'x.example.com', 'abc.foo.example.com'])]), ['Hostname "abc.foo.example.com" → abc', 'Hostname "x.example.com" → wild']);
  assert.deepEqual(isolated([route('r2', 'wild', ['x.example.com', 'y.foo.example.com', 'abc.foo.example.com'])]), ['Hostname "abc.foo.example.com" → abc', 'Hostname "y.foo.example.com" → wildfoo']);
  assert.deepEqual(isolated([route('r3', 'wildfoo', ['abc.foo.example.com', 'z.foo.example.com'], 'GRPCRoute')]), ['Hostname "abc.foo.example.com" → abc']);
  // A wildcard route hostname inside a longer wildcard listener's is taken by it too.
  assert.deepEqual(isolated([route('r4', 'wild', ['*.example.com', '*.foo.example.com'])]), ['Hostname "*.foo.example.com" → wildfoo']);
});

test('nothing is reported where the hostname stays on some listener of the route', () => {
  // A listener with a plain hostname keeps what matches it; a wildcard hostname is not taken by a listener of one
  // name; a listener on another port (bar.com on 8080) takes nothing from port 80.
  assert.deepEqual(isolated([route('r4', 'abc', ['abc.foo.example.com']), route('r5', 'wild', ['*.example.com']), route('r9', 'empty', ['bar.com'])]), []);
  // Without sectionName the route is attached to every listener, so each hostname is served by the most specific one.
  assert.deepEqual(isolated([route('r6', undefined, ['x.example.com', 'abc.foo.example.com', 'bar.com'])]), []);
  // Attached to both the wildcard and the specific listener through two parentRefs.
  const two = route('r7', 'wild', ['y.foo.example.com']).replace('parentRefs: [{name: gw, sectionName: wild}]', 'parentRefs: [{name: gw, sectionName: wild}, {name: gw, sectionName: wildfoo}]');
  assert.deepEqual(isolated([two]), []);
  // A TLSRoute is narrowed to its listener's hostname instead (constrainTLSRoutesToListenerHost): not this rule.
  assert.deepEqual(isolated([route('r8', 'wild', ['abc.foo.example.com'], 'TLSRoute').replace('gateway.networking.k8s.io/v1\nkind: TLSRoute', 'gateway.networking.k8s.io/v1alpha2\nkind: TLSRoute')]), []);
});
