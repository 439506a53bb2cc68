import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findKubectlApplies } from '../../src/core/index/kubectl-apply';

// `kubectl apply|create -n NS -f FILE` lines in scripts. Commands that cannot name a file are not tokenized at all, and
// line numbers, variables and loops are looked up incrementally: these tests hold the result to what the shell does.

test('every spelling of the file flag the shell reads as -f or --filename is found', () => {
  const spellings = ['-f gw.yaml', '"-f" gw.yaml', "'-'f gw.yaml", '\\-f gw.yaml', '-"-"filename gw.yaml', '--file"name"=gw.yaml', '-fgw.yaml', '--filename gw.yaml', '--filename=gw.yaml', "-''f gw.yaml"];
  for (const s of spellings) {
    const found = findKubectlApplies('a.sh', `kubectl apply -n team ${s}\n`);
    assert.deepEqual(
      found.map((a) => [a.namespace, a.paths.map((p) => p.path)]),
      [['team', ['gw.yaml']]],
      s,
    );
  }
  // Not file flags: --from-file belongs to `create secret`, -fx after an operator is another command's.
  assert.deepEqual(findKubectlApplies('a.sh', 'kubectl create secret generic s --from-file=gw.yaml\nkubectl apply -n a | grep -f x\n'), []);
});

test('line numbers, assignments and loops are right for commands far down a script', () => {
  const lines: string[] = [];
  for (let i = 0; i < 3_000; i++) lines.push(`kubectl create -n istio-system secret generic c${i} --from-file=d/f${i}.pem`);
  lines.push('NS=first', 'kubectl apply -n $NS -f a.yaml', 'NS="second"', 'kubectl apply -n "$NS" -f b.yaml');
  lines.push('for ns in x y; do', '  kubectl apply -n $ns -f c.yaml', 'done', 'for ns in z; do kubectl apply -n $ns -f d.yaml; done', 'kubectl apply -n $ns -f e.yaml');
  const found = findKubectlApplies('a.sh', `${lines.join('\n')}\n`);
  assert.deepEqual(
    found.map((a) => `${a.line} ${a.namespace} ${a.paths.map((p) => p.path).join(',')}`),
    ['3002 first a.yaml', '3004 second b.yaml', '3006 x c.yaml', '3006 y c.yaml', '3008 z d.yaml'],
  );
  // After its loop, `$ns` stands for nothing meshtls can know: e.yaml is not placed by that line.
});
