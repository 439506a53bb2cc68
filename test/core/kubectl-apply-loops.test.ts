import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loopHeads } from '../../src/core/index/kubectl-apply';
import { rng } from '../support/rng';

// The regex the loop heads were found with, before its backtracking took 33 s on `for x in a` and 200,000 spaces: the
// judge of what loopHeads must find, on scripts short enough for it.
const JUDGE = /\bfor\s+([A-Za-z_]\w*)\s+in\s+([^;\n]*?)\s*(?:;|\n)\s*do\b/g;

function judged(text: string) {
  const out: { index: number; variable: string; list: string; end: number }[] = [];
  JUDGE.lastIndex = 0;
  for (let m = JUDGE.exec(text); m; m = JUDGE.exec(text)) out.push({ index: m.index, variable: m[1], list: m[2], end: m.index + m[0].length });
  return out;
}

const PIECES = ['for', 'for x in', ' in ', 'in', ' ', ' ', '  ', '\t', '\n', '\n', ';', '; ', 'do', 'done', 'doX', 'x', 'a', 'b-1', '"c"', "'d'", '\r', '\u00a0', '$ns', '#', 'kubectl apply -n $x -f a.yaml'];

test('loop heads are the matches of the regex they replace, on 30,000 random scripts', () => {
  const r = rng(14);
  for (let i = 0; i < 30_000; i++) {
    let text = '';
    const n = 1 + Math.floor(r() * 24);
    for (let k = 0; k < n; k++) text += PIECES[Math.floor(r() * PIECES.length)];
    assert.deepEqual([...loopHeads(text)], judged(text), JSON.stringify(text));
  }
});

test('loop heads of common shapes', () => {
  const text = 'for ns in a b; do\n  kubectl apply -n $ns -f x.yaml\ndone\nfor ns in c\ndo echo; done\nfor ns in \n do x; done\nfor x in y z\n\n  ;  do\n';
  assert.deepEqual([...loopHeads(text)], judged(text));
  assert.deepEqual([...loopHeads(text)].map((m) => m.list), ['a b', 'c', '', 'y z']);
});
