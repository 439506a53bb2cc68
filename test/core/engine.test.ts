import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintTexts } from '../support/golden';
import { parseConfig, DEFAULT_CONFIG } from '../../src/core/config';
import { Linter } from '../../src/core/lint';
import { WorkspaceIndex } from '../../src/core/index/workspace-index';

const GW = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [a.example.com]
`;

test('a finding carries the rule id, severity and the smallest span', () => {
  const [f] = (lintTexts({ 'g.yaml': GW }).get('g.yaml') ?? []).filter((x) => x.ruleId === 'gateway-tls-required');
  assert.ok(f);
  assert.equal(f.severity, 'error');
  assert.equal(GW.slice(f.start, f.end), 'HTTPS');
});

test('meshtls-disable-next-line and meshtls-disable suppress findings', () => {
  const nextLine = GW.replace('  - port:', '  # meshtls-disable-next-line gateway-tls-required\n  - port:');
  assert.equal((lintTexts({ 'g.yaml': nextLine }).get('g.yaml') ?? []).filter((x) => x.ruleId === 'gateway-tls-required').length, 0);
  const file = `# meshtls-disable gateway-tls-required\n${GW}`;
  assert.equal((lintTexts({ 'g.yaml': file }).get('g.yaml') ?? []).filter((x) => x.ruleId === 'gateway-tls-required').length, 0);
  const other = `# meshtls-disable some-other-rule\n${GW}`;
  assert.equal((lintTexts({ 'g.yaml': other }).get('g.yaml') ?? []).filter((x) => x.ruleId === 'gateway-tls-required').length, 1);
});

test('.meshtls.yaml severities override defaults and can turn a rule off', () => {
  const { config, problems } = parseConfig('severity:\n  gateway-tls-required: warning\n');
  assert.deepEqual(problems, []);
  const [f] = (lintTexts({ 'g.yaml': GW }, config).get('g.yaml') ?? []).filter((x) => x.ruleId === 'gateway-tls-required');
  assert.equal(f.severity, 'warning');
  const off = parseConfig('severity: {gateway-tls-required: off}\n').config;
  assert.equal((lintTexts({ 'g.yaml': GW }, off).get('g.yaml') ?? []).filter((x) => x.ruleId === 'gateway-tls-required').length, 0);
});

test('.meshtls.yaml problems name the key', () => {
  const { problems } = parseConfig('rootNamespce: x\nseverity: {a: loud}\n');
  assert.equal(problems.length, 2);
  assert.match(problems[0].message, /rootNamespce/);
  assert.match(problems[1].message, /loud/);
});

test('syntax errors and template documents become findings, never exceptions', () => {
  const res = lintTexts({ 'bad.yaml': 'a: [1,\n', 'helm.yaml': 'apiVersion: v1\nkind: {{ .Values.kind }}\nmetadata:\n  name: {{ .Release.Name }}\n' });
  assert.deepEqual(res.get('bad.yaml')?.map((f) => f.ruleId), ['yaml-syntax']);
  assert.deepEqual(res.get('helm.yaml')?.map((f) => f.ruleId), ['template-skipped']);
});

test('template syntax only inside block scalars (rendered manifests carrying a template) is linted, not skipped', () => {
  // Shaped like the istio-sidecar-injector ConfigMap of rendered Istio manifests, next to a Gateway in the same file.
  const injector = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio-sidecar-injector, namespace: istio-system}\ndata:\n  config: |-\n    template: "{{ Template_Version }}"\n    sidecar: |\n      {{- if .Values.x }}\n      a: b\n      {{- end }}\n';
  const res = lintTexts({ 'rendered.yaml': `${injector}---\n${GW}` });
  assert.deepEqual(res.get('rendered.yaml')?.map((f) => f.ruleId), ['gateway-tls-required']);
  // A Gateway whose description carries template text in a block scalar still gets its own findings.
  const described = GW.replace('metadata: {name: gw, namespace: istio-system}', 'metadata:\n  name: gw\n  namespace: istio-system\n  annotations:\n    note: |\n      rendered by {{ .Chart.Name }}');
  assert.deepEqual(lintTexts({ 'g.yaml': described }).get('g.yaml')?.map((f) => f.ruleId), ['gateway-tls-required']);
  // Template syntax outside block scalars still makes the document a template.
  const quoted = GW.replace('name: gw,', 'name: "{{ .Release.Name }}",');
  assert.deepEqual(lintTexts({ 'q.yaml': quoted }).get('q.yaml')?.map((f) => f.ruleId), ['template-skipped']);
});

test('a Helm chart gets one template note, counting its skipped documents, instead of one per document', () => {
  const tpl = (name: string) => `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: {{ .Release.Name }}-${name}\nspec:\n  servers: {{ toYaml .Values.servers | nindent 4 }}\n`;
  const res = lintTexts({
    'chart/Chart.yaml': 'apiVersion: v2\nname: gw\nversion: 1.0.0\n',
    'chart/templates/a.yaml': `${tpl('a')}---\n${tpl('b')}`,
    'chart/templates/b.yaml': tpl('c'),
    'plain/helm.yaml': tpl('d'),
  });
  const notes = [...res.entries()].flatMap(([file, list]) => list.filter((f) => f.ruleId === 'template-skipped').map((f) => ({ file, message: f.message })));
  assert.deepEqual(notes, [
    { file: 'chart/templates/a.yaml', message: 'Helm chart chart/: 3 documents in 2 files contain template syntax ({{ }}); meshtls skipped them. Lint the rendered chart: helm template chart | meshtls lint -' },
    { file: 'plain/helm.yaml', message: 'Document contains template syntax ({{ }}); meshtls skipped it.' },
  ]);
});

test('non-Istio documents are ignored', () => {
  const res = lintTexts({ 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\n' });
  assert.deepEqual(res.get('cm.yaml'), []);
});

test('a rule that crashes is an error naming the rule and the resource, so the run fails', () => {
  const index = new WorkspaceIndex();
  index.setYamlFile('g.yaml', GW);
  const boom = { id: 'boom', scope: 'resource', kinds: ['Gateway'], defaultSeverity: 'warning', summary: 'Crashes on purpose.', check: () => { throw new RangeError('Maximum call stack size exceeded'); } } as const;
  const boomAll = { id: 'boom-all', scope: 'workspace', defaultSeverity: 'warning', summary: 'Crashes on purpose.', check: () => { throw new RangeError('Invalid string length'); } } as const;
  const now = new Date('2026-01-01');
  const out = [...new Linter({ config: structuredClone(DEFAULT_CONFIG), now, rules: [boom, boomAll] as never }).lint(index, now).values()].flat();
  assert.deepEqual(out.map((f) => [f.ruleId, f.severity, f.message]).sort(), [
    ['internal-error', 'error', 'Rule "boom" failed on Gateway "gw": Maximum call stack size exceeded'],
    ['internal-error', 'error', 'Rule "boom-all" failed: Invalid string length'],
  ]);
});
