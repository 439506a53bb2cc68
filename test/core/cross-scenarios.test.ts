import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintTexts } from '../support/golden';
import { CROSS_RULES } from '../../src/core/rules/cross';
import { DEFAULT_CONFIG, parseConfig } from '../../src/core/config';
import { LineIndex } from '../../src/core/lines';
import type { Finding, Span } from '../../src/core/types';

// The example folders are real walkthrough configurations: the cross-resource rules must accept them as they are,
// and must report exactly one precise finding when one realistic mistake is planted into a copy.

const FOLDERS = ['examples/foocorp', 'examples/iks-alb', 'examples/peer-authentication'];
const CROSS_IDS = new Set(CROSS_RULES.map((r) => r.id));

function loadExamples(folders: string[] = FOLDERS): Record<string, string> {
  const files: Record<string, string> = {};
  for (const dir of folders) {
    for (const name of readdirSync(dir).sort()) if (/\.ya?ml$/.test(name)) files[`${dir}/${name}`] = readFileSync(join(dir, name), 'utf8');
  }
  return files;
}

interface Seen {
  ruleId: string;
  file: string;
  line: number;
  message: string;
}

/** Cross-rule findings as (rule, file, 1-based line, message), in file then offset order. */
function crossFindings(files: Record<string, string>, configText?: string): { seen: Seen[]; raw: Finding[] } {
  const config = configText === undefined ? DEFAULT_CONFIG : parseConfig(configText).config;
  const result = lintTexts(files, config);
  const seen: Seen[] = [];
  const raw: Finding[] = [];
  for (const [file, list] of result) {
    const li = new LineIndex(files[file]);
    for (const f of list) {
      if (!CROSS_IDS.has(f.ruleId)) continue;
      raw.push(f);
      seen.push({ ruleId: f.ruleId, file, line: li.position(f.start).line + 1, message: f.message });
    }
  }
  return { seen, raw };
}

/** Replaces exactly one occurrence, so a planted fault cannot silently miss its target. */
function plant(files: Record<string, string>, file: string, from: string, to: string): Record<string, string> {
  const text = files[file];
  assert.ok(text !== undefined, `${file} is not an example file`);
  const at = text.indexOf(from);
  assert.ok(at >= 0 && text.indexOf(from, at + 1) < 0, `"${from}" must occur exactly once in ${file}`);
  return { ...files, [file]: text.slice(0, at) + to + text.slice(at + from.length) };
}

function lineText(files: Record<string, string>, f: Span): string {
  return files[f.fileId].slice(f.start, f.end);
}

test('the example folders are clean for every cross-resource rule, alone and together', () => {
  for (const dir of FOLDERS) assert.deepEqual(crossFindings(loadExamples([dir])).seen, [], dir);
  assert.deepEqual(crossFindings(loadExamples()).seen, []);
});

test('a typo in a VirtualService gateways entry is reported with a fix to the real Gateway', () => {
  const files = plant(loadExamples(), 'examples/foocorp/virtualservices.yaml', '    - foocorp-gateway\n', '    - foocorp-gatway\n');
  const { seen, raw } = crossFindings(files);
  assert.deepEqual(seen, [
    { ruleId: 'virtual-service-gateway-not-found', file: 'examples/foocorp/virtualservices.yaml', line: 10, message: 'Gateway "foocorp-gatway" not found in namespace "foocorp".' },
  ]);
  assert.equal(lineText(files, raw[0]), 'foocorp-gatway');
  assert.deepEqual(raw[0].fixes?.map((f) => [f.title, f.edits[0].newText]), [['Change to `foocorp-gateway`', 'foocorp-gateway']]);
  assert.equal(raw[0].related?.[0].fileId, 'examples/foocorp/gateway.yaml');
});

test('a VirtualService host the Gateway does not serve points at the Gateway hosts and offers to add it there', () => {
  const files = plant(loadExamples(), 'examples/iks-alb/gateway.yaml', '  hosts:\n    - bookinfo.', '  hosts:\n    - shop.');
  const { seen, raw } = crossFindings(files);
  assert.deepEqual(seen, [
    {
      ruleId: 'virtual-service-host-not-in-gateway',
      file: 'examples/iks-alb/gateway.yaml',
      line: 32,
      message: 'Host "shop.mycluster-abc123.us-south.containers.appdomain.cloud" is not served by Gateway "bookinfo/bookinfo-gateway".',
    },
  ]);
  assert.deepEqual(raw[0].related?.map((r) => lineText(files, r)), ['bookinfo.mycluster-abc123.us-south.containers.appdomain.cloud']);
  const fix = raw[0].fixes?.[0];
  // The Gateway's certificate names only bookinfo.…: the title says it must be re-issued, and the fix is not preferred.
  assert.equal(fix?.title, 'Add `shop.mycluster-abc123.us-south.containers.appdomain.cloud` to Gateway `bookinfo-gateway`; its certificate does not cover it and must be re-issued');
  assert.notEqual(fix?.preferred, true);
  const edit = fix!.edits[0];
  const text = files[edit.fileId];
  const fixed = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
  assert.match(fixed, /\n {8}- bookinfo\.mycluster-abc123\.us-south\.containers\.appdomain\.cloud\n {8}- shop\.mycluster-abc123\.us-south\.containers\.appdomain\.cloud\n---/);
  assert.deepEqual(crossFindings({ ...files, [edit.fileId]: fixed }).seen, []);
});

test('two mesh VirtualServices for one service are both reported (IST0109)', () => {
  const extra = [
    '---',
    'apiVersion: networking.istio.io/v1',
    'kind: VirtualService',
    'metadata: {name: frontend-internal, namespace: foocorp}',
    'spec:',
    '  hosts: [frontend]',
    '  http: [{route: [{destination: {host: frontend}}]}]',
    '---',
    'apiVersion: networking.istio.io/v1',
    'kind: VirtualService',
    'metadata: {name: frontend-canary, namespace: foocorp}',
    'spec:',
    '  hosts: [frontend.foocorp.svc.cluster.local]',
    '  gateways: [mesh]',
    '  http: [{route: [{destination: {host: frontend}}]}]',
    '',
  ].join('\n');
  const base = loadExamples();
  const file = 'examples/foocorp/virtualservices.yaml';
  const { seen } = crossFindings({ ...base, [file]: base[file] + extra });
  assert.deepEqual(seen, [
    { ruleId: 'virtual-service-mesh-host-conflict', file, line: 42, message: 'Host "frontend" (frontend.foocorp.svc.cluster.local) is also defined for the mesh by VirtualService "foocorp/frontend-canary".' },
    { ruleId: 'virtual-service-mesh-host-conflict', file, line: 49, message: 'Host "frontend.foocorp.svc.cluster.local" is also defined for the mesh by VirtualService "foocorp/frontend-internal".' },
  ]);
});

test('a route to an undefined subset is reported on the subset', () => {
  const files = plant(loadExamples(), 'examples/iks-alb/gateway.yaml', '            host: productpage\n', '            host: productpage\n            subset: v2\n');
  assert.deepEqual(crossFindings(files).seen, [
    { ruleId: 'virtual-service-subset-not-found', file: 'examples/iks-alb/gateway.yaml', line: 42, message: 'Subset "v2" of host "productpage" is not defined in any DestinationRule.' },
  ]);
});

/** The IKS gateway file planted into the FooCorp folder, so both Gateways are in one deployment unit. */
function besideFoocorp(files: Record<string, string>): Record<string, string> {
  const { ['examples/iks-alb/gateway.yaml']: iks, ...rest } = files;
  return { ...rest, 'examples/foocorp/more-gateways.yaml': iks };
}

test('a host declared by two Gateways on one port is a conflict on both, and istiod drops the later server', () => {
  const planted = plant(
    loadExamples(),
    'examples/iks-alb/gateway.yaml',
    '        - bookinfo.mycluster-abc123.us-south.containers.appdomain.cloud\n---',
    '        - bookinfo.mycluster-abc123.us-south.containers.appdomain.cloud\n        - frontend.foocorp.com\n---',
  );
  // In folders of their own the two Gateways are never applied together, so they cannot conflict.
  assert.deepEqual(crossFindings(planted).seen, []);
  assert.deepEqual(crossFindings(besideFoocorp(planted)).seen, [
    { ruleId: 'gateway-conflict', file: 'examples/foocorp/gateway.yaml', line: 19, message: 'Host "frontend.foocorp.com" on port 443 conflicts with Gateway "bookinfo/bookinfo-gateway", which has the same selector.' },
    { ruleId: 'gateway-conflict', file: 'examples/foocorp/more-gateways.yaml', line: 22, message: 'Host "frontend.foocorp.com" on port 443 conflicts with Gateway "foocorp/foocorp-gateway", which has the same selector.' },
    {
      ruleId: 'gateway-duplicate-server-host',
      file: 'examples/foocorp/more-gateways.yaml',
      line: 22,
      message: 'Host "frontend.foocorp.com" on port 443 is already used by server "https-frontend" of Gateway "foocorp/foocorp-gateway", so istiod skips this server.',
    },
  ]);
});

test('a host repeated inside one Gateway is reported on the server istiod skips', () => {
  const files = plant(loadExamples(), 'examples/foocorp/gateway.yaml', '        - inventory.foocorp.com\n', '        - inventory.foocorp.com\n        - frontend.foocorp.com\n');
  assert.deepEqual(crossFindings(files).seen, [
    {
      ruleId: 'gateway-duplicate-server-host',
      file: 'examples/foocorp/gateway.yaml',
      line: 29,
      message: 'Host "frontend.foocorp.com" on port 443 is already used by server "https-frontend" of this Gateway, so istiod skips this server.',
    },
  ]);
});

test('one credential on two Gateways of the same ingress is reported on both (IST0138)', () => {
  const planted = plant(loadExamples(), 'examples/iks-alb/gateway.yaml', 'credentialName: bookinfo-credential', 'credentialName: frontend-credential');
  assert.deepEqual(crossFindings(planted).seen, []);
  const { seen, raw } = crossFindings(besideFoocorp(planted));
  assert.deepEqual(seen, [
    {
      ruleId: 'gateway-duplicate-certificate',
      file: 'examples/foocorp/gateway.yaml',
      line: 17,
      message: 'Certificate "frontend-credential" is also used by Gateway "bookinfo/bookinfo-gateway", so clients that reuse HTTP/2 connections may get 404s.',
    },
    {
      ruleId: 'gateway-duplicate-certificate',
      file: 'examples/foocorp/more-gateways.yaml',
      line: 19,
      message: 'Certificate "frontend-credential" is also used by Gateway "foocorp/foocorp-gateway", so clients that reuse HTTP/2 connections may get 404s.',
    },
  ]);
  assert.equal(raw[1].related?.[0].fileId, 'examples/foocorp/gateway.yaml');
});

test('a second mesh-wide PeerAuthentication is reported, and so is the first', () => {
  const file = 'examples/peer-authentication/mesh-wide.yaml';
  const base = loadExamples();
  const second = '---\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: mesh-permissive\n  namespace: istio-system\nspec:\n  mtls:\n    mode: PERMISSIVE\n';
  const files = { ...base, [file]: base[file] + second };
  const { seen, raw } = crossFindings(files);
  assert.deepEqual(seen, [
    { ruleId: 'peer-authentication-duplicate-scope', file, line: 5, message: 'PeerAuthentications "default" and "mesh-permissive" are both mesh-wide policies in root namespace "istio-system"; only the oldest one takes effect.' },
    { ruleId: 'peer-authentication-duplicate-scope', file, line: 14, message: 'PeerAuthentications "mesh-permissive" and "default" are both mesh-wide policies in root namespace "istio-system"; only the oldest one takes effect.' },
  ]);
  assert.equal(lineText(files, raw[0].related![0]), 'mesh-permissive');
  assert.equal(lineText(files, raw[1].related![0]), 'default');
});

test('a workload selector on a root-namespace PeerAuthentication is reported', () => {
  const files = plant(loadExamples(), 'examples/peer-authentication/mesh-wide.yaml', 'spec:\n', 'spec:\n  selector:\n    matchLabels:\n      istio: ingressgateway\n');
  assert.deepEqual(crossFindings(files).seen, [
    {
      ruleId: 'peer-authentication-root-selector',
      file: 'examples/peer-authentication/mesh-wide.yaml',
      line: 8,
      message: 'PeerAuthentication "default" has a selector in root namespace "istio-system", where istiod ignores workload policies.',
    },
  ]);
});

test('with a custom root namespace, the istio-system policy is only namespace-wide and can be moved', () => {
  const files = loadExamples();
  const { seen, raw } = crossFindings(files, 'rootNamespace: istio-config\n');
  assert.deepEqual(seen, [
    {
      ruleId: 'peer-authentication-not-mesh-wide',
      file: 'examples/peer-authentication/mesh-wide.yaml',
      line: 6,
      message: 'PeerAuthentication "default" in namespace "istio-system" is only namespace-wide, because the root namespace is "istio-config".',
    },
  ]);
  const fix = raw[0].fixes![0];
  assert.equal(fix.title, 'Move to namespace istio-config');
  const text = files[fix.edits[0].fileId];
  const moved = text.slice(0, fix.edits[0].start) + fix.edits[0].newText + text.slice(fix.edits[0].end);
  assert.match(moved, /\n {2}namespace: istio-config\n/);
  assert.deepEqual(crossFindings({ ...files, [fix.edits[0].fileId]: moved }, 'rootNamespace: istio-config\n').seen, []);
});

test('plaintext towards a workload under a STRICT policy is reported, naming the deciding policy', () => {
  const files = plant(loadExamples(), 'examples/peer-authentication/workload-strict.yaml', 'mode: ISTIO_MUTUAL', 'mode: DISABLE');
  // Without the Service manifest the workload policy cannot be matched, and a mesh-wide STRICT alone does not make
  // DISABLE wrong (it is how clients reach services without a sidecar): nothing is reported.
  assert.deepEqual(crossFindings(files).seen, []);
  // With the Service, the workload policy (STRICT, metrics port PERMISSIVE) selects the pods and decides.
  const service = '---\napiVersion: v1\nkind: Service\nmetadata: {name: orders-api, namespace: orders}\nspec:\n  selector: {app: orders-api}\n  ports: [{name: http, port: 80, targetPort: 8080}]\n';
  const withSvc = { ...files, 'examples/peer-authentication/service.yaml': service };
  const { seen, raw } = crossFindings(withSvc);
  assert.deepEqual(seen, [
    {
      ruleId: 'destination-rule-mtls-mismatch',
      file: 'examples/peer-authentication/workload-strict.yaml',
      line: 27,
      message: 'tls.mode DISABLE sends plaintext to "orders-api.orders.svc.cluster.local", but PeerAuthentication "orders/orders-api" requires mutual TLS (STRICT) there.',
    },
  ]);
  assert.equal(lineText(withSvc, raw[0].related![0]), 'STRICT');
  assert.equal(raw[0].related?.[0].fileId, 'examples/peer-authentication/workload-strict.yaml');
});

test('Istio mutual TLS towards a namespace that disables mTLS is reported', () => {
  const files = plant(loadExamples(), 'examples/peer-authentication/namespace-strict.yaml', 'mode: STRICT', 'mode: DISABLE');
  const dr = '---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: ledger, namespace: shop}\nspec:\n  host: ledger.payments.svc.cluster.local\n  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}\n';
  const file = 'examples/peer-authentication/namespace-strict.yaml';
  assert.deepEqual(crossFindings({ ...files, [file]: files[file] + dr }).seen, [
    { ruleId: 'destination-rule-mtls-mismatch', file, line: 16, message: 'tls.mode ISTIO_MUTUAL sends mutual TLS to "ledger.payments.svc.cluster.local", but PeerAuthentication "payments/default" disables mTLS there.' },
  ]);
});

test('a canary split for the service is bypassed by the ingress route without a subset (IST0140)', () => {
  const file = 'examples/iks-alb/gateway.yaml';
  const base = loadExamples();
  const canary = [
    '---',
    'apiVersion: networking.istio.io/v1',
    'kind: VirtualService',
    'metadata: {name: productpage, namespace: bookinfo}',
    'spec:',
    '  hosts: [productpage]',
    '  http: [{route: [{destination: {host: productpage, subset: v1}, weight: 90}, {destination: {host: productpage, subset: v2}, weight: 10}]}]',
    '---',
    'apiVersion: networking.istio.io/v1',
    'kind: DestinationRule',
    'metadata: {name: productpage, namespace: bookinfo}',
    'spec:',
    '  host: productpage',
    '  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]',
    '',
  ].join('\n');
  assert.deepEqual(crossFindings({ ...base, [file]: base[file] + canary }).seen, [
    {
      ruleId: 'virtual-service-ingress-subsets-ignored',
      file,
      line: 41,
      message: 'Destination "productpage" has no subset, so the subset routes of VirtualService "bookinfo/productpage" do not apply to gateway traffic.',
    },
  ]);
});
