import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../src/core/index/workspace-index';
import { Linter } from '../../src/core/lint';
import { DEFAULT_CONFIG, type MeshtlsConfig } from '../../src/core/config';
import { spanIn } from '../../src/core/istio/resource';
import { finding, type ResourceRule, type WorkspaceRule, type Rule } from '../../src/core/rules/types';
import { parseSuppressions, isSuppressed } from '../../src/core/suppress';
import { TEST_NOW } from '../support/golden';

// Two stand-in rules whose findings land on the same offsets (ties broken by rule id) and in several files, so the
// cached re-lint has something to merge and sort.
const everyName: ResourceRule = {
  id: 'test-resource-name',
  defaultSeverity: 'warning',
  kinds: ['Gateway', 'VirtualService'],
  summary: 'Reports every resource name.',
  scope: 'resource',
  check(r) {
    return [finding(this, spanIn(r, ['metadata', 'name']), `Resource "${r.name}".`)];
  },
};

const gatewayRefs: WorkspaceRule = {
  id: 'test-a-gateway-ref',
  defaultSeverity: 'error',
  kinds: ['VirtualService'],
  summary: 'Reports VirtualServices whose gateway is missing, and every Gateway name.',
  scope: 'workspace',
  check({ index }) {
    const out = [];
    for (const vs of index.ofKind('VirtualService')) {
      const gws = Array.isArray(vs.spec.gateways) ? vs.spec.gateways : [];
      gws.forEach((g, i) => {
        if (typeof g === 'string' && !index.find('Gateway', vs.namespace, g)) {
          out.push(finding(this, spanIn(vs, ['spec', 'gateways', i]), `Gateway "${g}" not found.`));
        }
      });
    }
    for (const gw of index.ofKind('Gateway')) out.push(finding(this, spanIn(gw, ['metadata', 'name']), `Gateway "${gw.name}".`));
    return out;
  },
};

const RULES: readonly Rule[] = [everyName, gatewayRefs];

const gw = (name: string) => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: ${name}
  namespace: ns
spec:
  selector: {istio: ingressgateway}
`;
const vs = (name: string, gateway: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${name}
  namespace: ns
spec:
  hosts: [a.example.com]
  gateways:
  - ${gateway}
`;

function cold(files: Map<string, string>, config: MeshtlsConfig) {
  const index = new WorkspaceIndex();
  for (const [id, text] of files) index.setYamlFile(id, text);
  return new Linter({ config, now: TEST_NOW, rules: RULES }).lint(index, TEST_NOW);
}

test('a re-lint after each edit gives exactly what a cold lint of the same texts gives', () => {
  const config: MeshtlsConfig = structuredClone(DEFAULT_CONFIG);
  const files = new Map<string, string>([
    ['a.yaml', [gw('gw-a'), vs('vs-a', 'gw-a'), vs('vs-b', 'missing')].join('---\n')],
    ['b.yaml', `# meshtls-disable-next-line test-resource-name\n${vs('vs-c', 'gw-a')}---\n${gw('gw-b')}`],
    ['c.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n'],
  ]);
  const index = new WorkspaceIndex();
  for (const [id, text] of files) index.setYamlFile(id, text);
  const linter = new Linter({ config, now: TEST_NOW, rules: RULES });
  assert.deepEqual(linter.lint(index, TEST_NOW), cold(files, config));

  const edits: [string, (t: string) => string][] = [
    // One line inside one document; the documents after it keep their parse but move.
    ['a.yaml', (t) => t.replace('  name: vs-a\n', '  name: vs-a2\n  # a new line\n')],
    // A reference that starts resolving changes workspace findings in another file only.
    ['a.yaml', (t) => t.replace('- missing', '- gw-b')],
    ['b.yaml', (t) => t.replace('# meshtls-disable-next-line test-resource-name\n', '')],
    ['b.yaml', (t) => `# meshtls-disable test-a-gateway-ref\n${t}`],
    ['c.yaml', () => gw('gw-c')],
    ['a.yaml', (t) => t.replace('kind: Gateway', 'kind: [broken')],
  ];
  for (const [id, edit] of edits) {
    files.set(id, edit(files.get(id)!));
    index.setYamlFile(id, files.get(id)!);
    assert.deepEqual(linter.lint(index, TEST_NOW), cold(files, config), `after editing ${id}`);
  }

  // The config object may change between runs: the cached severities must follow it.
  config.severity['test-resource-name'] = 'off';
  assert.deepEqual(linter.lint(index, TEST_NOW), cold(files, config));
  config.severity['test-resource-name'] = 'hint';
  const hinted = linter.lint(index, TEST_NOW);
  assert.deepEqual(hinted, cold(files, config));
  assert.ok([...hinted.values()].flat().some((f) => f.ruleId === 'test-resource-name' && f.severity === 'hint'));

  index.removeFile('b.yaml');
  files.delete('b.yaml');
  assert.deepEqual(linter.lint(index, TEST_NOW), cold(files, config));
});

test('findings are ordered by offset, then by rule id, and the returned lists are the caller’s to keep', () => {
  const text = gw('gw-a');
  const index = new WorkspaceIndex();
  index.setYamlFile('g.yaml', text);
  const linter = new Linter({ config: DEFAULT_CONFIG, now: TEST_NOW, rules: RULES });
  const first = linter.lint(index, TEST_NOW).get('g.yaml')!;
  assert.deepEqual(
    first.map((f) => [text.slice(f.start, f.end), f.ruleId]),
    [
      ['gw-a', 'test-a-gateway-ref'],
      ['gw-a', 'test-resource-name'],
    ],
  );
  first.length = 0;
  assert.equal(linter.lint(index, TEST_NOW).get('g.yaml')!.length, 2);
});

test('next-line suppressions find the line of any offset', () => {
  const text = 'a: 1\n# meshtls-disable-next-line r1\nb: 2\nc: 3\n# meshtls-disable-next-line\nd: 4\n';
  const s = parseSuppressions(text);
  assert.deepEqual([...s.lines.keys()], [2, 5]);
  const at = (needle: string) => text.indexOf(needle);
  assert.equal(isSuppressed(s, 'r1', text, at('b: 2')), true);
  assert.equal(isSuppressed(s, 'r2', text, at('b: 2')), false);
  assert.equal(isSuppressed(s, 'r1', text, at('c: 3')), false);
  assert.equal(isSuppressed(s, 'r2', text, at('d: 4') + 3), true);
  assert.equal(isSuppressed(s, 'r2', text, at('a: 1')), false);
});

test('find() matches kind, namespace and name exactly and returns the first in file order', () => {
  const index = new WorkspaceIndex();
  const named = (name: string, ns: string) => `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: "${name}", namespace: "${ns}"}\n`;
  index.setYamlFile('1.yaml', named('c', 'a/b'));
  index.setYamlFile('2.yaml', named('b/c', 'a') + '---\n' + named('b/c', 'a'));
  assert.equal(index.find('Gateway', 'a/b', 'c')?.doc.fileId, '1.yaml');
  const second = index.find('Gateway', 'a', 'b/c');
  assert.equal(second?.doc.fileId, '2.yaml');
  assert.equal(second?.doc.index, 0);
  assert.equal(index.find('VirtualService', 'a', 'b/c'), undefined);
  index.removeFile('1.yaml');
  assert.equal(index.find('Gateway', 'a/b', 'c'), undefined);
});

test('kindVersion() changes only for the kinds an edit touched', () => {
  const index = new WorkspaceIndex();
  const text = [gw('gw-a'), vs('vs-a', 'gw-a')].join('---\n');
  index.setYamlFile('a.yaml', text);
  const v = (k: string) => index.kindVersion(k);
  const start = { gw: v('Gateway'), vs: v('VirtualService'), pa: v('PeerAuthentication'), other: index.otherFilesVersion };
  assert.ok(start.gw > 0 && start.vs > 0);
  assert.equal(start.pa, 0);

  index.setYamlFile('a.yaml', text.replace('hosts: [a.example.com]', 'hosts: [b.example.com]'));
  assert.deepEqual([v('Gateway'), v('VirtualService')], [start.gw, start.vs + 2]);

  // A line added to the Gateway moves the VirtualService: both kinds change.
  index.setYamlFile('a.yaml', index.yamlFiles.get('a.yaml')!.text.replace('spec:\n  selector', 'spec:\n  # moved\n  selector'));
  assert.ok(v('Gateway') > start.gw && v('VirtualService') > start.vs + 2);

  const gwNow = v('Gateway');
  index.setOtherFile('ca.crt', new Uint8Array([1]));
  assert.equal(index.otherFilesVersion, start.other + 1);
  assert.equal(v('Gateway'), gwNow);
  index.removeFile('a.yaml');
  assert.ok(v('Gateway') > gwNow);
  assert.equal(v('PeerAuthentication'), 0);
});

test('credential findings follow edits to Secrets, kubectl scripts and unrelated kinds exactly like a cold lint', () => {
  const gw = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: shop}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    tls: {mode: SIMPLE, credentialName: shop-credential}
    hosts: [shop.example.com]
`;
  const secret = (ns: string) => `apiVersion: v1\nkind: Secret\nmetadata: {name: shop-credential, namespace: ${ns}}\nstringData: {tls.crt: "not a certificate", tls.key: "not a key"}\n`;
  const vs = (host: string) => `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs, namespace: shop}\nspec:\n  hosts: [${host}]\n  gateways: [gw]\n  http:\n  - route:\n    - destination: {host: shop}\n`;
  const render = (m: Map<string, { start: number; end: number; ruleId: string; message: string }[]>) =>
    Object.fromEntries([...m].filter(([, v]) => v.length).map(([k, v]) => [k, v.map((f) => `${f.start}-${f.end} ${f.ruleId} ${f.message}`)]).sort());
  const seen = new Set<string>();
  const cold = (files: Record<string, string>, other: Record<string, string>) => {
    const idx = new WorkspaceIndex();
    for (const [id, t] of Object.entries(files)) idx.setYamlFile(id, t);
    for (const [id, t] of Object.entries(other)) idx.setOtherFile(id, new TextEncoder().encode(t));
    return render(new Linter({ config: DEFAULT_CONFIG, now: TEST_NOW }).lint(idx, TEST_NOW));
  };
  const warm = new WorkspaceIndex();
  const linter = new Linter({ config: DEFAULT_CONFIG, now: TEST_NOW });
  const files: Record<string, string> = { 'gw.yaml': gw, 'secret.yaml': secret('istio-system'), 'vs.yaml': vs('shop.example.com') };
  const other: Record<string, string> = {};
  for (const [id, t] of Object.entries(files)) warm.setYamlFile(id, t);
  linter.lint(warm, TEST_NOW);
  const steps: [string, string, 'yaml' | 'other'][] = [
    ['vs.yaml', vs('other.example.com'), 'yaml'],
    ['secret.yaml', secret('shop'), 'yaml'],
    ['make.sh', 'kubectl create -n istio-system secret tls shop-credential --cert=missing.crt --key=missing.key\n', 'other'],
    ['secret.yaml', secret('istio-system'), 'yaml'],
  ];
  for (const [id, text, kind] of steps) {
    if (kind === 'yaml') {
      files[id] = text;
      warm.setYamlFile(id, text);
    } else {
      other[id] = text;
      warm.setOtherFile(id, new TextEncoder().encode(text));
    }
    const now = render(linter.lint(warm, TEST_NOW));
    for (const list of Object.values(now) as string[][]) for (const line of list) seen.add(line.split(' ')[1]);
    assert.deepEqual(now, cold(files, other), `after editing ${id}`);
  }
  // The steps must have exercised the credential rules, or the comparison proves nothing about their caches.
  for (const id of ['credential-wrong-namespace', 'pem-malformed']) assert.ok(seen.has(id), `expected ${id} among ${[...seen].join(', ')}`);
});
