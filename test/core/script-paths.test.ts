import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scriptPathResolver } from '../../src/core/index/placement';
import { dirname, join } from '../../src/core/paths';
import { rng } from '../support/rng';

// The walk up the script's ancestors that paths on kubectl lines were resolved with, before it cost the script's
// depth per path: the judge.
function walked(ids: string[], scriptDir: string, p: string): string[] {
  const folders = new Map<string, string[]>();
  for (const f of ids) folders.set(dirname(f), [...(folders.get(dirname(f)) ?? []), f]);
  for (let dir = scriptDir; ; dir = dirname(dir)) {
    const id = join(dir, p);
    if (ids.includes(id)) return [id];
    const inDir = folders.get(id);
    if (inDir) return inDir;
    if (dir === '.' || dir === '/' || dirname(dir) === dir) return [];
  }
}

test('paths on kubectl lines resolve as the walk up the script folders did, on 2,000 random workspaces', () => {
  const r = rng(23);
  const seg = () => ['a', 'b', 'gw.yaml', 'x.yaml', '..', '.', ''][Math.floor(r() * (r() < 0.8 ? 4 : 7))];
  const path = (n: number) => Array.from({ length: 1 + Math.floor(r() * n) }, seg).join('/');
  for (let k = 0; k < 2_000; k++) {
    const abs = r() < 0.2 ? '/' : '';
    const ids = [...new Set(Array.from({ length: Math.floor(r() * 10) }, () => abs + path(4).replace(/\/?(\.\.?|)(\/|$)/g, '$2').replace(/^\/+|\/+$/g, '') + '.yaml'))].filter((id) => id !== '.yaml' && !id.includes('//'));
    const resolve = scriptPathResolver(ids);
    for (let q = 0; q < 5; q++) {
      const scriptDir = r() < 0.3 ? (abs ? '/' : '.') : abs + ['a', 'a/b', 'b/a/a', 'a/a/a/a'][Math.floor(r() * 4)];
      const p = r() < 0.1 ? abs + path(3) : path(3);
      assert.deepEqual(resolve(scriptDir, p), walked(ids, scriptDir, p), JSON.stringify({ ids, scriptDir, p }));
    }
  }
});
