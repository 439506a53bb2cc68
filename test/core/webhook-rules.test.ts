import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { lintTexts } from '../support/golden';
import { GATEWAY_RULES } from '../../src/core/rules/gateway';
import { VIRTUAL_SERVICE_RULES } from '../../src/core/rules/virtual-service';
import { DESTINATION_RULE_RULES } from '../../src/core/rules/destination-rule';
import { PEER_AUTHENTICATION_RULES } from '../../src/core/rules/peer-authentication';
import { credentialNameFor, credentialPlaceholder } from '../../src/core/rules/gateway/tls-required';
import type { Finding, Fix } from '../../src/core/types';

const WEBHOOK_IDS = new Set([...GATEWAY_RULES, ...VIRTUAL_SERVICE_RULES, ...DESTINATION_RULE_RULES, ...PEER_AUTHENTICATION_RULES].map((r) => r.id));

function lintOne(text: string, id = 'f.yaml'): Finding[] {
  return lintTexts({ [id]: text }).get(id) ?? [];
}

function applyFix(text: string, fix: Fix): string {
  let out = text;
  for (const e of [...fix.edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

const GW_HEAD = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: gw
  namespace: istio-system
spec:
  selector:
    istio: ingressgateway
  servers:
`;

test('gateway-tls-required: the quick fix inserts a SIMPLE tls block indented like the server', () => {
  const text = `${GW_HEAD}    - port:
        number: 443
        name: https
        protocol: HTTPS
      hosts:
        - "*.shop.example.com"
`;
  const [f] = lintOne(text).filter((x) => x.ruleId === 'gateway-tls-required');
  assert.equal(f.fixes?.length, 1);
  assert.equal(f.fixes?.[0].title, 'Add a tls block (mode SIMPLE, credentialName "wildcard-shop-example-com-credential")');
  assert.equal(f.fixes?.[0].preferred, true);
  const fixed = applyFix(text, f.fixes![0]);
  assert.equal(
    fixed,
    `${GW_HEAD}    - port:
        number: 443
        name: https
        protocol: HTTPS
      tls:
        mode: SIMPLE
        credentialName: wildcard-shop-example-com-credential
      hosts:
        - "*.shop.example.com"
`,
  );
  assert.deepEqual(lintOne(fixed).filter((x) => WEBHOOK_IDS.has(x.ruleId)), []);
});

test('gateway-tls-required: the fix follows a 4-space layout, flow ports and CRLF line ends', () => {
  const text = `${GW_HEAD}    -   port: {number: 443, name: https, protocol: HTTPS}   # public\r\n        hosts: [ns1/a.example.com]\r\n`;
  const [f] = lintOne(text).filter((x) => x.ruleId === 'gateway-tls-required');
  const fixed = applyFix(text, f.fixes![0]);
  assert.ok(fixed.includes('# public\r\n        tls:\r\n          mode: SIMPLE\r\n          credentialName: a-example-com-credential\r\n        hosts:'), fixed);
  assert.deepEqual(lintOne(fixed).filter((x) => WEBHOOK_IDS.has(x.ruleId)), []);
});

test('gateway-tls-required: no fix for a server written as a flow map', () => {
  const text = `${GW_HEAD}    - {port: {number: 443, name: https, protocol: HTTPS}, hosts: [a.example.com]}\n`;
  const [f] = lintOne(text).filter((x) => x.ruleId === 'gateway-tls-required');
  assert.ok(f);
  assert.equal(f.fixes, undefined);
});

test('credentialPlaceholder derives a Secret-safe name from the first host', () => {
  assert.equal(credentialPlaceholder(['frontend.foocorp.com']), 'frontend-foocorp-com-credential');
  assert.equal(credentialPlaceholder(['./API_v2.Example.com']), 'api-v2-example-com-credential');
  assert.equal(credentialPlaceholder(['*']), 'gateway-credential');
  assert.equal(credentialPlaceholder([]), 'gateway-credential');
});

const ISTIO_MUTUAL = `${GW_HEAD}    - port: { number: 443, name: https, protocol: HTTPS }
      tls:
        mode: ISTIO_MUTUAL
        credentialName: frontend-credential
      hosts: [frontend.example.com]
`;

test('gateway-tls-istio-mutual-certificate: both quick fixes yield a Gateway without the finding', () => {
  const [f] = lintOne(ISTIO_MUTUAL).filter((x) => x.ruleId === 'gateway-tls-istio-mutual-certificate');
  assert.equal(ISTIO_MUTUAL.slice(f.start, f.end), 'frontend-credential');
  assert.deepEqual(f.fixes?.map((x) => x.title), ['Change mode to MUTUAL', 'Remove credentialName']);
  const toMutual = applyFix(ISTIO_MUTUAL, f.fixes![0]);
  assert.ok(toMutual.includes('        mode: MUTUAL\n        credentialName: frontend-credential\n'));
  assert.deepEqual(lintOne(toMutual).filter((x) => WEBHOOK_IDS.has(x.ruleId)), []);
  const removed = applyFix(ISTIO_MUTUAL, f.fixes![1]);
  assert.ok(removed.includes('      tls:\n        mode: ISTIO_MUTUAL\n      hosts:'));
  assert.deepEqual(lintOne(removed).filter((x) => WEBHOOK_IDS.has(x.ruleId)), []);
});

test('gateway-tls-istio-mutual-certificate: the fixes also work on a flow-style tls map', () => {
  for (const tls of ['{ mode: ISTIO_MUTUAL, credentialName: x-cred }', '{ credentialName: x-cred, mode: ISTIO_MUTUAL }']) {
    const text = `${GW_HEAD}    - port: { number: 443, name: https, protocol: HTTPS }\n      tls: ${tls}\n      hosts: [a.example.com]\n`;
    const [f] = lintOne(text).filter((x) => x.ruleId === 'gateway-tls-istio-mutual-certificate');
    for (const fix of f.fixes ?? []) {
      const fixed = applyFix(text, fix);
      assert.deepEqual(lintOne(fixed).filter((x) => WEBHOOK_IDS.has(x.ruleId)), [], fixed);
    }
    assert.equal(f.fixes?.length, 2);
  }
});

test('a lone ISTIO_MUTUAL server gets no finding and no fix', () => {
  const text = `${GW_HEAD}    - port: { number: 15443, name: tls, protocol: TLS }\n      tls:\n        mode: ISTIO_MUTUAL\n      hosts: ["*.local"]\n`;
  assert.deepEqual(lintOne(text).filter((x) => WEBHOOK_IDS.has(x.ruleId)), []);
});

function yamlFilesUnder(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(yamlFilesUnder(p));
    else if (/\.ya?ml$/.test(p)) out.push(p);
  }
  return out;
}

test('the examples produce no findings from the webhook rules', () => {
  const files: Record<string, string> = {};
  for (const p of yamlFilesUnder('examples')) files[p] = readFileSync(p, 'utf8');
  assert.ok(Object.keys(files).length >= 5);
  const found = [...lintTexts(files).values()].flat().filter((f) => WEBHOOK_IDS.has(f.ruleId) || f.ruleId === 'internal-error');
  assert.deepEqual(found.map((f) => `${f.fileId}: ${f.ruleId} ${f.message}`), []);
});

test('values of the wrong type never crash a webhook rule', () => {
  const odd = [
    `${GW_HEAD}    - port: 443\n      hosts: a.example.com\n      tls: SIMPLE\n      bind: 7\n    - port: { number: [1], name: {a: 1}, protocol: 5, targetPort: x }\n      hosts: [1, null, {a: b}]\n      tls: { mode: 3, credentialName: [a], cipherSuites: x, tlsCertificates: [null, 1], caCrl: {}, httpsRedirect: yes }\n    - 7\n    - null\n`,
    'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: [x]}\nspec: {servers: 5}\n',
    'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: x}\nspec: 5\n',
    'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: x}\nspec: {hosts: [1, null, "*"], gateways: [null, 3, "a/"], exportTo: [1, "~"], http: [null, 1, {match: [null, 1, {uri: 5, headers: [1], port: "x"}], route: [null, {destination: 5}], redirect: 5, mirror: [], corsPolicy: 1, fault: 2, headers: 3}], tls: [null, {match: [null, {sniHosts: [1, null]}], route: 1}], tcp: [1, {match: 1, route: [{destination: {host: 1, port: {number: "a"}}, weight: "x"}]}]}\n',
    'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: x}\nspec: {host: 5, exportTo: "x", workloadSelector: [1], trafficPolicy: 3, subsets: [null, 1, {name: 2, labels: 3, trafficPolicy: {tls: 5, portLevelSettings: [null, 1, {port: 5, tls: {mode: 1}}]}}]}\n',
    'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: x}\nspec: {selector: {matchLabels: [1]}, mtls: 3, portLevelMtls: [1, 2]}\n',
    'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: x}\nspec: {selector: 5, portLevelMtls: {abc: 1, "0": null}}\n',
  ];
  for (const text of odd) {
    const crashes = lintOne(text).filter((f) => f.ruleId === 'internal-error');
    assert.deepEqual(crashes.map((f) => f.message), [], text);
  }
});

test('gateway-tls-required: the fix lands right after the port block, before comments and at the end of the file', () => {
  const head = 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: gw}\nspec:\n  servers:\n';
  const tls = '    tls:\n      mode: SIMPLE\n      credentialName: a-example-com-credential';
  const cases: [string, string][] = [
    [
      `${head}  - port:\n      number: 443\n      name: https\n      protocol: HTTPS\n\n    # the public host\n    hosts: [a.example.com]\n`,
      `${head}  - port:\n      number: 443\n      name: https\n      protocol: HTTPS\n${tls}\n\n    # the public host\n    hosts: [a.example.com]\n`,
    ],
    [
      `${head}  - hosts: [a.example.com]\n    port:\n      number: 443\n      name: https\n      protocol: HTTPS`,
      `${head}  - hosts: [a.example.com]\n    port:\n      number: 443\n      name: https\n      protocol: HTTPS\n${tls}`,
    ],
  ];
  for (const [text, expected] of cases) {
    const [f] = lintOne(text).filter((x) => x.ruleId === 'gateway-tls-required');
    const fixed = applyFix(text, f.fixes![0]);
    assert.equal(fixed, expected);
    assert.deepEqual(lintOne(fixed).filter((x) => WEBHOOK_IDS.has(x.ruleId)), []);
  }
});

test('credentialNameFor follows the naming of the workspace\'s other credentials', () => {
  // The walkthrough names credentials after the host's first label.
  assert.equal(credentialNameFor(['inventory.foocorp.com'], [{ hosts: ['frontend.foocorp.com'], name: 'frontend-credential' }]), 'inventory-credential');
  // Whole-host names, dashed or dotted, with a prefix or suffix of their own.
  assert.equal(credentialNameFor(['api.shop.example.com'], [{ hosts: ['ns/www.shop.example.com'], name: 'tls-www-shop-example-com' }]), 'tls-api-shop-example-com');
  assert.equal(credentialNameFor(['b.example.com'], [{ hosts: ['a.example.com'], name: 'a.example.com-tls' }]), 'b.example.com-tls');
  // The most common pattern wins.
  const mixed = [{ hosts: ['a.example.com'], name: 'a-cert' }, { hosts: ['b.example.com'], name: 'b-cert' }, { hosts: ['c.example.com'], name: 'c-example-com-credential' }];
  assert.equal(credentialNameFor(['d.example.com'], mixed), 'd-cert');
  // Nothing to learn from (no host in the name, a wildcard host): the placeholder.
  assert.equal(credentialNameFor(['d.example.com'], [{ hosts: ['a.example.com'], name: 'shared-secret' }]), 'd-example-com-credential');
  assert.equal(credentialNameFor(['*.example.com'], [{ hosts: ['a.example.com'], name: 'a-credential' }]), 'wildcard-example-com-credential');
  assert.equal(credentialNameFor(['d.example.com'], []), 'd-example-com-credential');
});

test('gateway-tls-required: in a Gateway whose other server names its credential after its host label, the fix does too', () => {
  const text = `${GW_HEAD}    - port: {number: 443, name: https-a, protocol: HTTPS}
      tls: {mode: SIMPLE, credentialName: frontend-credential}
      hosts: [frontend.foocorp.com]
    - port: {number: 443, name: https-b, protocol: HTTPS}
      hosts: [inventory.foocorp.com]
`;
  const [f] = lintOne(text).filter((x) => x.ruleId === 'gateway-tls-required');
  assert.equal(f.fixes?.[0].title, 'Add a tls block (mode SIMPLE, credentialName "inventory-credential")');
});
