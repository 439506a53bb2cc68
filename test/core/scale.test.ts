// Cross-resource and credential rules on inputs large enough that a per-item finding or a pairwise loop shows: the
// shape of the findings (how many, what they say) and counts of the work done, never time (bench/cross-stress.ts
// prints that).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../src/core/index/workspace-index';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { Linter } from '../../src/core/lint';
import { TEST_NOW } from '../support/golden';
import { longChainWorkspace } from '../support/big-chain';
import { gatewayServers, gatewaySelector } from '../../src/core/istio/gateway';
import { gateway, many } from '../../bench/hostile-inputs';
import { selectorStats } from '../../src/core/rules/cross/model';
import { gatewayDuplicateCertificate } from '../../src/core/rules/cross/gateway-duplicate-certificate';
import { gatewayDuplicateServerHost } from '../../src/core/rules/cross/gateway-duplicate-server-host';
import { gatewayConflict } from '../../src/core/rules/cross/gateway-conflict';
import { gatewayHostOverlap } from '../../src/core/rules/cross/gateway-host-overlap';
import { meshHostConflictStats, virtualServiceMeshHostConflict } from '../../src/core/rules/cross/virtual-service-mesh-host-conflict';

function lintFiles(files: [string, string][]) {
  const index = new WorkspaceIndex();
  for (const [id, text] of files) {
    if (id.endsWith('.yaml')) index.setYamlFile(id, text);
    else index.setOtherFile(id, new TextEncoder().encode(text));
  }
  const out = new Linter({ config: structuredClone(DEFAULT_CONFIG), now: TEST_NOW }).lint(index, TEST_NOW);
  return [...out.values()].flat();
}

test('a CA bundle whose certificates mostly fail is one client-ca-no-root finding that counts them and names a few', async () => {
  // 110 certificates as the bundle: intermediates 1–7 are more than OpenSSL's 100 intermediates below the root, so
  // the bundle cannot verify them. That was seven findings with one cause (5,900 for a 6,000-certificate bundle).
  const files = await longChainWorkspace({ n: 110, bundle: 'chain', now: TEST_NOW });
  const found = lintFiles(files).filter((f) => f.ruleId === 'client-ca-no-root');
  assert.equal(found.length, 1, found.map((f) => f.message).join('\n'));
  const [f] = found;
  assert.equal(
    f.message,
    'The client CA bundle of credential "big-credential" trusts no client of 7 of its 110 certificates in ca.pem: ' +
      '"Big Intermediate 1" (certificate chain too long at "Big Intermediate 102"), ' +
      '"Big Intermediate 2" (certificate chain too long at "Big Intermediate 103"), ' +
      '"Big Intermediate 3" (certificate chain too long at "Big Intermediate 104"), … and 4 more.',
  );
  // The three named certificates, each with the line that puts the bundle into the Secret.
  assert.deepEqual(
    f.related?.map((r) => [r.fileId, r.message]),
    [1, 2, 3].flatMap((i) => [['ca.pem', `CA certificate "Big Intermediate ${i}"`], ['secrets.sh', '"ca.crt" comes from here']]),
  );
});

test('a Gateway’s servers and selector are read once per spec, and placed copies share them', () => {
  const index = new WorkspaceIndex();
  index.setYamlFile('gw.yaml', many(2, (i) => gateway(i, { credential: 'shared' })));
  const [a, b] = index.ofKind('Gateway');
  // Some fifteen rules read the servers of every Gateway: each call parsed them again.
  assert.equal(gatewayServers(a), gatewayServers(a));
  assert.equal(gatewaySelector(a), gatewaySelector(a));
  assert.equal(gatewayServers({ ...a, namespace: 'elsewhere' }), gatewayServers(a));
  assert.notEqual(gatewayServers(a), gatewayServers(b));
  assert.deepEqual(gatewayServers(a).map((s) => s.tls?.credentialName), ['shared']);
});

for (const shape of ['sharing a credential', 'on one host'] as const) {
  test(`Gateways ${shape}, each with a selector of its own: selectors are compared a bounded number of times per Gateway`, () => {
    // Each rule compared every pair of selectors of a certificate or host group: 20,000 Gateways took minutes.
    const comparisons = (n: number) => {
      const index = new WorkspaceIndex();
      index.setYamlFile('gw.yaml', many(n, (i) => gateway(i, shape === 'on one host' ? { host: 'same.example.com', credential: 'shared', selector: `gw${i}` } : { credential: 'shared', selector: `gw${i}` })));
      const ctx = { index, config: structuredClone(DEFAULT_CONFIG), now: TEST_NOW };
      const before = selectorStats.comparisons;
      const found = [gatewayDuplicateCertificate, gatewayDuplicateServerHost, gatewayConflict].flatMap((r) => r.check(ctx));
      // No two of these Gateways can run on one proxy, so nothing is reported.
      assert.deepEqual(found, []);
      return selectorStats.comparisons - before;
    };
    assert.ok(comparisons(2_000) <= 4 * 2_000, `${comparisons(2_000)} comparisons for 2,000 Gateways`);
  });
}

test('nested selectors on one host: the earliest clashing server is found whatever the order of the selector groups', () => {
  // Selector groups: {app: a} first, then {app: a, zone: x}; the third Gateway {app: a, zone: x, tier: t} is contained in
  // neither's reverse, so its clash is with the earliest of the groups its selector contains.
  const gw = (name: string, sel: string) =>
    `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: ${name}, namespace: istio-system}\nspec:\n  selector: {${sel}}\n  servers:\n  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: [a.example.com]\n    tls: {mode: SIMPLE, credentialName: c-${name}}\n`;
  const index = new WorkspaceIndex();
  index.setYamlFile('gw.yaml', [gw('z', 'zone: x, tier: t'), gw('a', 'app: a'), gw('b', 'app: a, zone: x'), gw('c', 'app: a, zone: x, tier: t')].join('---\n'));
  const found = gatewayDuplicateServerHost.check({ index, config: structuredClone(DEFAULT_CONFIG), now: TEST_NOW });
  assert.deepEqual(
    found.map((f) => f.message),
    [
      'Host "a.example.com" on port 443 is already used by server "https" of Gateway "istio-system/a", so istiod skips this server.',
      'Host "a.example.com" on port 443 is already used by server "https" of Gateway "istio-system/z", so istiod skips this server.',
    ],
  );
});

test('Gateways on one host with nested selectors beside a Pod: gateway-conflict compares a bounded number of selectors', () => {
  // Half the Gateways select {istio: gwN}, half {istio: gwN, tier: edge}, and a Pod runs one pair: each small selector
  // was compared with every larger one (and each such pair with every Pod), quadratic in the Gateways on the host.
  const n = 2_000;
  const gw = (i: number) => {
    const sel = i % 2 ? `istio: gw${i - 1}, tier: edge` : `istio: gw${i}`;
    return `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: gw${i}, namespace: istio-system}\nspec:\n  selector: {${sel}}\n  servers:\n  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: [same.example.com]\n    tls: {mode: SIMPLE, credentialName: c${i}}\n`;
  };
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: istio-system, labels: {istio: gw0, tier: edge}}\nspec: {containers: [{name: c, image: i}]}\n';
  const index = new WorkspaceIndex();
  index.setYamlFile('gw.yaml', [...Array.from({ length: n }, (_, i) => gw(i)), pod].join('---\n'));
  const before = selectorStats.comparisons;
  const found = gatewayConflict.check({ index, config: structuredClone(DEFAULT_CONFIG), now: TEST_NOW });
  const comparisons = selectorStats.comparisons - before;
  assert.ok(comparisons <= 10 * n, `${comparisons} comparisons for ${n} Gateways`);
  // Only the pair the Pod runs conflicts.
  assert.deepEqual(found.map((f) => f.message), [
    'Host "same.example.com" on port 443 conflicts with Gateway "istio-system/gw1", which has a selector matching the same pods.',
    'Host "same.example.com" on port 443 conflicts with Gateway "istio-system/gw0", which has a selector matching the same pods.',
  ]);
});

test('wildcard and exact hosts on one port: gateway-host-overlap looks up the names under each wildcard instead of testing every name', () => {
  // 1,000 servers with `*.hN.example.com` and 1,000 with `a.hN.example.com`: every wildcard was tested against every
  // name with endsWith (20,000 servers: 7 s). Counting endsWith calls shows that work without timing it.
  const n = 2_000;
  const index = new WorkspaceIndex();
  index.setYamlFile('gw.yaml', many(n, (i) => gateway(i, { host: i % 2 ? `"*.h${i}.example.com"` : `a.h${i + 1}.example.com` })));
  const endsWith = String.prototype.endsWith;
  let calls = 0;
  String.prototype.endsWith = function (this: string, ...args: Parameters<typeof endsWith>) {
    calls++;
    return endsWith.apply(this, args);
  };
  let found;
  try {
    found = gatewayHostOverlap.check({ index, config: structuredClone(DEFAULT_CONFIG), now: TEST_NOW });
  } finally {
    String.prototype.endsWith = endsWith;
  }
  assert.ok(calls <= 10 * n, `${calls} endsWith calls for ${n} servers`);
  // Each wildcard overlaps the one name under it, and each name its wildcard.
  assert.equal(found.length, n);
  assert.equal(found[0].message, 'Host "*.h1.example.com" overlaps host "a.h1.example.com" of Gateway "istio-system/gw0" on port 443.');
});

test('thousands of mesh VirtualServices for one host: each group is filtered once per route kind, not once per member', () => {
  const n = 2_000;
  const vs = (i: number) => `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs${i}, namespace: default}\nspec:\n  hosts: [svc]\n  http:\n  - route:\n    - destination: {host: svc}\n`;
  const index = new WorkspaceIndex();
  index.setYamlFile('vs.yaml', many(n, vs));
  const before = meshHostConflictStats.filtered;
  const found = virtualServiceMeshHostConflict.check({ index, config: structuredClone(DEFAULT_CONFIG), now: TEST_NOW });
  const filtered = meshHostConflictStats.filtered - before;
  // Every member filtered the whole group: n² = 4,000,000.
  assert.ok(filtered <= 3 * n, `${filtered} host uses filtered for ${n} VirtualServices`);
  assert.equal(found.length, n);
  assert.equal(found[0].message, 'Host "svc" (svc.default.svc.cluster.local) is also defined for the mesh by VirtualServices "default/vs1", "default/vs2", "default/vs3" and 1996 more.');
  assert.equal(found[0].related?.length, 10);
});
