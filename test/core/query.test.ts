import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../src/core/index/workspace-index';
import { queryAt, pathMatches } from '../../src/core/index/query';
import { resolveGatewayRef, virtualServicesForHost } from '../../src/core/index/references';
import { explainValue } from '../../src/core/istio/explain';

const TEXT = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: foocorp}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    tls: {mode: MUTUAL, credentialName: frontend-credential}
    hosts: [frontend.foocorp.com]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: fe, namespace: foocorp}
spec:
  hosts: [frontend.foocorp.com]
  gateways: [gw, other/gw, mesh]
`;

test('queryAt finds the scalar, its path and its resource', () => {
  const idx = new WorkspaceIndex();
  idx.setYamlFile('f.yaml', TEXT);
  const at = TEXT.indexOf('frontend-credential') + 3;
  const q = queryAt(idx, 'f.yaml', at);
  assert.ok(q);
  assert.equal(q.resource?.kind, 'Gateway');
  assert.deepEqual(q.resourcePath, ['spec', 'servers', 0, 'tls', 'credentialName']);
  assert.equal(q.on, 'value');
  assert.equal(TEXT.slice(q.start, q.end), 'frontend-credential');
  assert.ok(pathMatches(q.resourcePath, ['spec', 'servers', '*', 'tls', 'credentialName']));
  const key = queryAt(idx, 'f.yaml', TEXT.indexOf('credentialName'));
  assert.equal(key?.on, 'key');
  const vsRef = queryAt(idx, 'f.yaml', TEXT.indexOf('[gw,') + 1);
  assert.equal(vsRef?.resource?.kind, 'VirtualService');
  assert.deepEqual(vsRef?.resourcePath, ['spec', 'gateways', 0]);
});

test('gateway references resolve like Istio and hosts find their VirtualServices', () => {
  const idx = new WorkspaceIndex();
  idx.setYamlFile('f.yaml', TEXT);
  const [vs] = idx.ofKind('VirtualService');
  const [gw] = idx.ofKind('Gateway');
  assert.equal(resolveGatewayRef(idx, vs, 'gw'), gw);
  assert.equal(resolveGatewayRef(idx, vs, 'other/gw'), undefined);
  assert.equal(resolveGatewayRef(idx, vs, 'mesh'), 'mesh');
  assert.deepEqual(virtualServicesForHost(idx, gw, 'frontend.foocorp.com').map((r) => r.name), ['fe']);
  assert.deepEqual(virtualServicesForHost(idx, gw, 'other.foocorp.com'), []);
});

test('mode values are explained per kind', () => {
  assert.match(explainValue('Gateway', ['spec', 'servers', 0, 'tls', 'mode'], 'MUTUAL') ?? '', /requires/);
  assert.match(explainValue('PeerAuthentication', ['spec', 'mtls', 'mode'], 'STRICT') ?? '', /only\*\* mutual TLS/);
  assert.equal(explainValue('Gateway', ['spec', 'servers', 0, 'tls', 'mode'], 'BOGUS'), undefined);
});
