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
