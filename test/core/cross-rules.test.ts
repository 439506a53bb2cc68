import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintTexts } from '../support/golden';
import { WorkspaceIndex } from '../../src/core/index/workspace-index';
import { DEFAULT_CONFIG, parseConfig } from '../../src/core/config';
import { appendToSequence, crossModel, editDistance, gatewayRefs, hostsOverlap } from '../../src/core/rules/cross/model';
import type { Finding, TextEdit } from '../../src/core/types';
import { pairExact, overlapReported, type HostUse as Use } from '../../src/core/rules/cross/gateway-host-overlap';
import { rng } from '../support/rng';

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
  const model = crossModel({ index, config: DEFAULT_CONFIG });
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
  const m1 = crossModel({ index, config: DEFAULT_CONFIG });
  assert.equal(crossModel({ index, config: DEFAULT_CONFIG }), m1);
  index.setYamlFile('b.yaml', GW('[b.example.com]', 'gw2'));
  const m2 = crossModel({ index, config: DEFAULT_CONFIG });
  assert.notEqual(m2, m1);
  assert.deepEqual([...m2.gatewaysByKey.keys()], ['shop/gw', 'shop/gw2']);
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

test('malformed specs never make a cross rule throw', () => {
  const docs = [
    'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g1}\nspec: {selector: null, servers: [null, 1, {port: "x", hosts: "a"}, {port: {number: "443"}, hosts: [1, null], tls: []}]}',
    'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g2}\nspec: {selector: [a], servers: {a: 1}}',
    'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: v1}\nspec: {hosts: "a", gateways: [1, null, "", "/", "a/", "mesh"], http: [null, {route: [null, {destination: null}]}, {mirror: 3}]}',
    'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: v2}\nspec: {hosts: [null], gateways: null, exportTo: "."}',
    'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: d1}\nspec: {host: 3, subsets: [null, {name: 1}]}',
    'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: d2}\nspec: {host: a, trafficPolicy: {tls: null, portLevelSettings: [null, {port: null, tls: {mode: DISABLE}}, {port: {number: 80}, tls: {mode: DISABLE}}]}, subsets: [{name: s, trafficPolicy: 1}]}',
    'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: p1}\nspec: {selector: {matchLabels: null}, mtls: null, portLevelMtls: [1]}',
    'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: p2, namespace: istio-system}\nspec: {selector: {matchLabels: {a: null}}, mtls: {mode: 7}}',
    'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {selector: 1, ports: [null, {port: 80, targetPort: http}]}',
  ];
  const result = lintTexts({ 'odd.yaml': docs.join('\n---\n') + '\n' });
  const ids = (result.get('odd.yaml') ?? []).map((f) => f.ruleId);
  assert.ok(!ids.includes('internal-error'), ids.join(', '));
  // Empty, `/` and `ns/` entries are the webhook's to reject; there is no Gateway name to look up.
  assert.equal(ids.filter((id) => id === 'virtual-service-gateway-not-found').length, 0);
});

test('"first" among competing resources does not depend on the order files were loaded in', () => {
  const pa = (name: string) => `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: ${name}, namespace: payments}\nspec: {mtls: {mode: STRICT}}\n`;
  const forward = lintTexts({ 'a.yaml': pa('alpha'), 'b.yaml': pa('beta') });
  const backward = lintTexts({ 'b.yaml': pa('beta'), 'a.yaml': pa('alpha') });
  for (const result of [forward, backward]) {
    const found = [...result.values()].flat().filter((f) => f.ruleId === 'peer-authentication-duplicate-scope');
    // Creation time decides which one wins, so both are reported, each naming the other.
    assert.deepEqual(found.map((f) => [f.fileId, f.message]).sort(), [
      ['a.yaml', 'PeerAuthentications "alpha" and "beta" are both namespace-wide policies in namespace "payments"; only the oldest one takes effect.'],
      ['b.yaml', 'PeerAuthentications "beta" and "alpha" are both namespace-wide policies in namespace "payments"; only the oldest one takes effect.'],
    ]);
  }
});

test('large clash groups keep messages and related locations bounded', () => {
  const docs = Array.from({ length: 50 }, (_, i) => GW('[shared.example.com]', `gw${i}`).replace(`c-gw${i}`, 'wildcard-credential'));
  const result = lintTexts({ 'many.yaml': docs.join('---\n') });
  const certs = (result.get('many.yaml') ?? []).filter((f) => f.ruleId === 'gateway-duplicate-certificate');
  assert.equal(certs.length, 50);
  assert.equal(certs[0].message, 'Certificate "wildcard-credential" is also used by Gateways "shop/gw1", "shop/gw2", "shop/gw3" and 46 more, so clients that reuse HTTP/2 connections may get 404s.');
  assert.equal(certs[0].related?.length, 10);
  const conflicts = (result.get('many.yaml') ?? []).filter((f) => f.ruleId === 'gateway-conflict');
  assert.equal(conflicts.length, 50);
  assert.equal(conflicts[49].message, 'Host "shared.example.com" on port 443 conflicts with Gateways "shop/gw0", "shop/gw1", "shop/gw2" and 46 more, which have the same selector.');
  // istiod keeps the first TLS server for the host and skips the 49 later ones.
  assert.equal((result.get('many.yaml') ?? []).filter((f) => f.ruleId === 'gateway-duplicate-server-host').length, 49);
});

test('a templated Gateway still resolves references, but its placeholder hosts are not compared', () => {
  const gw = GW('["{{ .Values.host }}"]');
  assert.deepEqual(only({ 'g.yaml': gw, 'v.yaml': VS('[a.example.com]', '[gw]') }, 'virtual-service-gateway-not-found'), []);
  assert.deepEqual(only({ 'g.yaml': gw, 'v.yaml': VS('[a.example.com]', '[gw]') }, 'virtual-service-host-not-in-gateway'), []);
});

test('registry rules judge a destination host only where the applying unit declares Services for it', () => {
  const vs = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r, namespace: shop}\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviewz}\n';
  const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: shop}\nspec: {ports: [{port: 80}]}\n';
  const ids = (files: Record<string, string>) => [...lintTexts(files).values()].flat().filter((f) => f.ruleId === 'virtual-service-destination-host-not-found').map((f) => `${f.fileId}: ${f.message}`);
  // Istio YAML alone: the Services live elsewhere.
  assert.deepEqual(ids({ 'istio/vs.yaml': vs }), []);
  // A Service in another folder is another deployment unit: still not judged.
  assert.deepEqual(ids({ 'istio/vs.yaml': vs, 'apps/svc.yaml': svc }), []);
  // The same folder applies both: the host is judged, and missing.
  assert.deepEqual(ids({ 'app/vs.yaml': vs, 'app/svc.yaml': svc }), ['app/vs.yaml: Host "reviewz" matches no Service or ServiceEntry visible from namespace "shop".']);
  // Services of another namespace say nothing about this one.
  assert.deepEqual(ids({ 'app/vs.yaml': vs, 'app/svc.yaml': svc.replace('namespace: shop', 'namespace: other') }), []);
});

test('gateway-host-overlap pairs each use of one exact host with the first use a pairwise comparison finds', () => {
  const r = rng(14);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  for (let round = 0; round < 300; round++) {
    // A few Gateways (some sharing an identity, some in another unit), each with servers on spellings of one host.
    const gws = Array.from({ length: 1 + Math.floor(r() * 5) }, () => {
      const unit = { id: pick(['u1', 'u1', 'u2']) };
      return { name: pick(['g1', 'g2', 'g3']), namespace: pick(['a', 'b']), unit, doc: { fileId: unit.id } };
    });
    const uses: Use[] = [];
    for (const gw of gws) {
      for (let server = 0, n = Math.floor(r() * 4); server < n; server++) {
        const tls = r() < 0.6;
        for (let hostIndex = 0, m = 1 + Math.floor(r() * 2); hostIndex < m; hostIndex++) {
          const raw = pick(['a.example.com', 'A.example.com', 'a/a.example.com', 'b/a.example.com', './a.example.com', '*/A.example.com']);
          const slash = raw.indexOf('/');
          let ns = slash >= 0 ? raw.slice(0, slash) : '*';
          if (ns === '.') ns = gw.namespace;
          uses.push({ gw: gw as unknown as Use['gw'], server, hostIndex, raw, ns, host: 'a.example.com', port: 443, tls });
        }
      }
    }
    const fast = new Map<Use, Use>();
    pairExact(uses, fast);
    const pairwise = new Map<Use, Use>();
    for (let i = 0; i < uses.length; i++) {
      for (let j = i + 1; j < uses.length; j++) {
        if (!overlapReported(uses[i], uses[j])) continue;
        if (!pairwise.has(uses[i])) pairwise.set(uses[i], uses[j]);
        if (!pairwise.has(uses[j])) pairwise.set(uses[j], uses[i]);
      }
    }
    const index = (m: Map<Use, Use>) => uses.map((u) => (m.has(u) ? uses.indexOf(m.get(u)!) : -1));
    assert.deepEqual(index(fast), index(pairwise), `round ${round}`);
  }
});

test('completeRegistry: a DestinationRule host in a namespace the workspace declares no Service for is judged only when the workspace says it holds every Service', () => {
  const files = {
    'dr.yaml': `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: fake-host, namespace: default}
spec:
  host: fake-svc.default.svc.cluster.local
`,
    'svc.yaml': `apiVersion: v1
kind: Service
metadata: {name: istio-ingressgateway, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  ports: [{port: 443}]
`,
  };
  const ids = (config: typeof DEFAULT_CONFIG) => [...lintTexts(files, config).values()].flat().map((f) => `${f.ruleId} ${f.istioCode ?? ''}`);
  assert.deepEqual(ids(DEFAULT_CONFIG).filter((x) => x.startsWith('destination-rule-host-unknown')), []);
  assert.deepEqual(ids({ ...DEFAULT_CONFIG, completeRegistry: true }).filter((x) => x.startsWith('destination-rule-host-unknown')), ['destination-rule-host-unknown IST0174']);
  const { config, problems } = parseConfig('completeRegistry: true\n');
  assert.deepEqual(problems, []);
  assert.equal(config.completeRegistry, true);
  assert.match(parseConfig('completeRegistry: yes please\n').problems[0]?.message ?? '', /"completeRegistry" must be true or false/);
});
