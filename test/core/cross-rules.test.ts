import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintTexts } from '../support/golden';
import { WorkspaceIndex } from '../../src/core/index/workspace-index';
import { appendToSequence, crossModel, editDistance, gatewayRefs, hostsOverlap } from '../../src/core/rules/cross/model';
import type { Finding, TextEdit } from '../../src/core/types';

function apply(text: string, e: TextEdit): string {
  return text.slice(0, e.start) + e.newText + text.slice(e.end);
}

function only(files: Record<string, string>, ruleId: string): Finding[] {
  return [...lintTexts(files).values()].flat().filter((f) => f.ruleId === ruleId);
}

const GW = (hosts: string, name = 'gw', ns = 'shop') => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {istio: ingressgateway}
  servers:
    - port: {number: 443, name: https, protocol: HTTPS}
      tls: {mode: SIMPLE, credentialName: c-${name}}
      hosts: ${hosts}
`;

const VS = (hosts: string, gateways: string, ns = 'shop') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: ${ns}}
spec:
  hosts: ${hosts}
  gateways: ${gateways}
  http: [{route: [{destination: {host: app}}]}]
`;

test('hostsOverlap follows Istio host.Name.Matches in both directions', () => {
  assert.equal(hostsOverlap('a.example.com', 'a.example.com'), true);
  assert.equal(hostsOverlap('*.example.com', 'a.example.com'), true);
  assert.equal(hostsOverlap('a.example.com', '*.example.com'), true);
  assert.equal(hostsOverlap('*.a.example.com', '*.example.com'), true);
  assert.equal(hostsOverlap('*', 'anything.org'), true);
  assert.equal(hostsOverlap('example.com', '*.example.com'), false);
  assert.equal(hostsOverlap('A.example.com', 'a.example.com'), false);
});

test('editDistance is Levenshtein with an early cut-off', () => {
  assert.equal(editDistance('gateway', 'gatway', 3), 1);
  assert.equal(editDistance('kitten', 'sitting', 3), 3);
  assert.equal(editDistance('a', 'abcdefgh', 2), 3);
});

test('gateway references resolve short, qualified and legacy forms; mesh is skipped', () => {
  const index = new WorkspaceIndex();
  index.setYamlFile('a.yaml', `${GW('[a.example.com]')}---\n${VS('[a.example.com]', '[gw, shop/gw, gw.shop, mesh, other/gw]')}`);
  const model = crossModel(index);
  const refs = gatewayRefs(model.virtualServices[0], model);
  assert.deepEqual(
    refs.map((r) => [r.text, r.namespace, r.name, r.gateway?.name ?? null]),
    [
      ['gw', 'shop', 'gw', 'gw'],
      ['shop/gw', 'shop', 'gw', 'gw'],
      ['gw.shop', 'shop', 'gw', 'gw'],
      ['other/gw', 'other', 'gw', null],
    ],
  );
});

test('the shared model is built once per index version', () => {
  const index = new WorkspaceIndex();
  index.setYamlFile('a.yaml', GW('[a.example.com]'));
  const m1 = crossModel(index);
  assert.equal(crossModel(index), m1);
  index.setYamlFile('b.yaml', GW('[b.example.com]', 'gw2'));
  const m2 = crossModel(index);
  assert.notEqual(m2, m1);
  assert.deepEqual([...m2.gatewayByKey.keys()], ['shop/gw', 'shop/gw2']);
});

test('appendToSequence keeps the style of block and flow sequences', () => {
  const block = 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g}\nspec:\n  servers:\n    - hosts:\n        - a.example.com   # first\n        - "b.example.com"\n      port: {number: 80}\n';
  const flow = 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g}\nspec:\n  servers:\n    - hosts: [a.example.com]\n';
  const empty = 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g}\nspec:\n  servers:\n    - hosts: []\n';
  const compact = 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g}\nspec:\n  servers:\n  - hosts:\n    - a.example.com # only\n';
  const index = new WorkspaceIndex();
  for (const [id, text] of Object.entries({ block, flow, empty, compact })) index.setYamlFile(id, text);
  const edit = (id: string, value: string) => {
    const r = index.yamlFiles.get(id)!.resources[0];
    return apply(index.yamlFiles.get(id)!.text, appendToSequence(r, ['spec', 'servers', 0, 'hosts'], value)!);
  };
  assert.equal(edit('block', 'c.example.com'), block.replace('"b.example.com"\n', '"b.example.com"\n        - c.example.com\n'));
  assert.equal(edit('flow', '*.example.org'), flow.replace('[a.example.com]', '[a.example.com, "*.example.org"]'));
  assert.equal(edit('empty', 'c.example.com'), empty.replace('[]', '[c.example.com]'));
  assert.equal(edit('compact', 'ns/c.example.com'), compact.replace('# only\n', '# only\n    - ns/c.example.com\n'));
});

test('the add-host fix edits the Gateway in its own file, one fix per server', () => {
  const gw = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: shop}
spec:
  selector: {istio: ingressgateway}
  servers:
    - port: {number: 443, name: https, protocol: HTTPS}
      tls: {mode: SIMPLE, credentialName: c}
      hosts: [a.example.com]
    - port: {number: 80, name: http, protocol: HTTP}
      hosts:
        - a.example.com
`;
  const files = { 'gw.yaml': gw, 'vs.yaml': VS('[b.example.com, b]', '[gw]') };
  const [f] = only(files, 'virtual-service-host-not-in-gateway');
  assert.equal(f.fileId, 'vs.yaml');
  assert.equal(files['vs.yaml'].slice(f.start, f.end), 'gw');
  assert.deepEqual(f.related?.map((r) => [r.fileId, gw.slice(r.start, r.end)]), [
    ['gw.yaml', 'a.example.com'],
    ['gw.yaml', 'a.example.com'],
  ]);
  assert.deepEqual(f.fixes?.map((x) => x.title), ['Add `b.example.com` to Gateway `gw` (server https)', 'Add `b.example.com` to Gateway `gw` (server http)']);
  for (const fix of f.fixes ?? []) {
    assert.equal(fix.edits[0].fileId, 'gw.yaml');
    const fixed = apply(gw, fix.edits[0]);
    assert.deepEqual(only({ ...files, 'gw.yaml': fixed }, 'virtual-service-host-not-in-gateway'), []);
  }
});

test('no add-host fix for a short VirtualService host, which a Gateway would reject', () => {
  const [f] = only({ 'a.yaml': `${GW('[a.example.com]')}---\n${VS('[reviews]', '[gw]')}` }, 'virtual-service-host-not-in-gateway');
  assert.equal(f.message, 'Host "reviews" is not served by Gateway "shop/gw".');
  assert.equal(f.fixes, undefined);
});

test('gateway-not-found offers no fix when several Gateways are equally plausible', () => {
  const files = { 'g.yaml': `${GW('[a.example.com]', 'gw-a')}---\n${GW('[b.example.com]', 'gw-b')}`, 'v.yaml': VS('[a.example.com]', '[gw-c]') };
  const [f] = only(files, 'virtual-service-gateway-not-found');
  assert.equal(f.message, 'Gateway "gw-c" not found in namespace "shop".');
  assert.equal(f.fixes, undefined);
  assert.equal(f.related?.length, 1);
  // Same name in another namespace: the fix qualifies the reference.
  const moved = { 'g.yaml': GW('[a.example.com]', 'edge', 'istio-system'), 'v.yaml': VS('[a.example.com]', '[edge]') };
  const [g] = only(moved, 'virtual-service-gateway-not-found');
  assert.deepEqual(g.fixes?.map((x) => [x.title, x.edits[0].newText]), [['Change to `istio-system/edge`', 'istio-system/edge']]);
});

test('templated documents are never reported but do not crash the cross rules', () => {
  const templated = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: shop}
spec:
  hosts: ["{{ .Values.host }}"]
  gateways: [missing]
  http: [{route: [{destination: {host: app}}]}]
`;
  assert.deepEqual(only({ 't.yaml': templated }, 'virtual-service-gateway-not-found'), []);
});
