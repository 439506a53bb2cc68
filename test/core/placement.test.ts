import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../src/core/index/workspace-index';
import { DEFAULT_CONFIG, parseConfig } from '../../src/core/config';
import { placementOf, describePlacement, placementMarkdown } from '../../src/core/index/placement';
import { findKubectlApplies } from '../../src/core/index/kubectl-apply';

const PA = (name: string) => `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: ${name}\nspec:\n  mtls: {mode: STRICT}\n`;
const enc = (s: string) => new TextEncoder().encode(s);

test('kubectl apply lines give namespaces: -n, --namespace=, a for loop, a variable assigned earlier', () => {
  const script = [
    'NS=payments',
    'for ns in foo bar baz; do',
    '  kubectl apply -n $ns -f policy.yaml',
    'done',
    'kubectl --namespace=shop apply -f ./gw.yaml',
    'kubectl -n "$NS" create -f policies/',
    'kubectl apply -f https://example.com/x.yaml -n web',
    'kubectl apply -n $UNKNOWN -f other.yaml',
  ].join('\n');
  const found = findKubectlApplies('setup.sh', script).map((a) => [a.namespace, a.paths.map((p) => p.path).join(','), a.line]);
  assert.deepEqual(found, [
    ['foo', 'policy.yaml', 3],
    ['bar', 'policy.yaml', 3],
    ['baz', 'policy.yaml', 3],
    ['shop', './gw.yaml', 5],
    ['payments', 'policies/', 6],
  ]);
});

test('one file applied in a loop is one instance per namespace, and says where its namespace comes from', () => {
  const index = new WorkspaceIndex();
  index.setYamlFile('rollout/policy.yaml', PA('default'));
  index.setOtherFile('rollout/rollout.sh', enc('for ns in a b; do\n  kubectl apply -n $ns -f policy.yaml\ndone\n'));
  const placed = placementOf(index, DEFAULT_CONFIG).instances;
  assert.deepEqual(placed.map((p) => `${p.namespace}/${p.name} ${p.nsKnown}`), ['a/default true', 'b/default true']);
  assert.equal(describePlacement(placed[0]), 'applied in namespace "a" by rollout/rollout.sh line 2, unit folder rollout/');
});

test('a plain folder is one unit unless it holds alternatives; .meshtls.yaml units are the strongest source', () => {
  const index = new WorkspaceIndex();
  index.setYamlFile('app/a.yaml', PA('one'));
  index.setYamlFile('app/b.yaml', PA('two'));
  index.setYamlFile('steps/v1.yaml', PA('same'));
  index.setYamlFile('steps/v2.yaml', PA('same'));
  const units = (config = DEFAULT_CONFIG) =>
    placementOf(index, config)
      .instances.map((p) => `${p.doc.fileId} ${p.unit.id}`)
      .sort();
  assert.deepEqual(units(), ['app/a.yaml folder:app', 'app/b.yaml folder:app', 'steps/v1.yaml file:steps/v1.yaml', 'steps/v2.yaml file:steps/v2.yaml']);
  const { config, problems } = parseConfig('units:\n  - name: all\n    include: ["**/*.yaml"]\n    exclude: [steps/v2.yaml]\n');
  assert.deepEqual(problems, []);
  assert.deepEqual(units(config), ['app/a.yaml config:all', 'app/b.yaml config:all', 'steps/v1.yaml config:all', 'steps/v2.yaml folder:steps']);
});

test('the hover on a resource name lists each place it is applied', () => {
  const index = new WorkspaceIndex();
  index.setYamlFile('rollout/policy.yaml', PA('default'));
  index.setOtherFile('rollout/rollout.sh', enc('for ns in a b; do\n  kubectl apply -n $ns -f policy.yaml\ndone\n'));
  const md = placementMarkdown(index, DEFAULT_CONFIG, index.yamlFiles.get('rollout/policy.yaml')!.resources[0]);
  assert.equal(
    md,
    '**Applied 2 times**\n\n' +
      '- `PeerAuthentication a/default`: applied in namespace "a" by rollout/rollout.sh line 2, unit folder rollout/\n' +
      '- `PeerAuthentication b/default`: applied in namespace "b" by rollout/rollout.sh line 2, unit folder rollout/',
  );
});
