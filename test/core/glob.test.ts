import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGlob } from '../../src/core/glob';

/** The RegExp form `ignore` globs used to compile to: the oracle for what each pattern means on short paths. */
function oracle(glob: string): RegExp {
  let g = glob.trim();
  const anchored = g.startsWith('/') || g.slice(0, -1).includes('/');
  g = g.replace(/^\//, '').replace(/\/$/, '/**');
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*') {
      if (g[i + 1] === '*') {
        re += g[i + 2] === '/' ? '(?:.*/)?' : '.*';
        i += g[i + 2] === '/' ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${anchored ? '^' : '(^|/)'}${re}(/.*)?$`);
}

test('glob matcher agrees with the gitignore-style RegExp on the usual patterns', () => {
  const patterns = ['*.yaml', 'charts/', '/charts', 'a/**/b.yaml', '**/secret*.yaml', 'vendor/**', '?.pem', 'x/*/y', '**', 'a**b', 'tmp', '/a/b/'];
  const paths = ['a.yaml', 'x/a.yaml', 'charts', 'charts/t.yaml', 'sub/charts/t.yaml', 'a/b.yaml', 'a/x/y/b.yaml', 'ab.yaml', 'q/secret-1.yaml', 'secret.yaml',
    'vendor/a/b', 'vendor', 'k.pem', 'kk.pem', 'x/z/y', 'x/z/w/y', 'a/b', 'aXb', 'a/c/b', 'tmp/x', 'y/tmp', 'a/b/c'];
  for (const p of patterns) for (const s of paths) assert.equal(compileGlob(p)(s), oracle(p).test(s), `${p} on ${s}`);
});

test('glob matcher agrees with the RegExp on random patterns and paths', () => {
  let seed = 7;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  const alphabet = ['a', 'b', '/', '*', '**', '?', '**/', '.'];
  for (let k = 0; k < 3000; k++) {
    const p = Array.from({ length: 1 + rnd(6) }, () => alphabet[rnd(alphabet.length)]).join('');
    const s = Array.from({ length: 1 + rnd(8) }, () => ['a', 'b', '/', '.'][rnd(4)]).join('').replace(/^\/+/, '') || 'a';
    assert.equal(compileGlob(p)(s), oracle(p).test(s), `${JSON.stringify(p)} on ${JSON.stringify(s)}`);
  }
});

test('a pattern that makes a RegExp backtrack is matched in one pass (**a**a…**c against a long name)', () => {
  const match = compileGlob(`${'**a'.repeat(12)}**c`);
  assert.equal(match('a'.repeat(100_000)), false);
  assert.equal(match(`${'a'.repeat(100_000)}c`), true);
});
