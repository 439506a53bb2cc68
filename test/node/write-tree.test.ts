import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeTreeAtomically, TreeConflictError } from '../../src/node/write-tree';
import { tempDir } from '../pki/support';

test('a failed write removes the output folders it created, and its temp folder', () => {
  const dir = tempDir('write-tree');
  // 'a/x' is a file, so 'a/x/y' cannot be written: the failure comes before anything is renamed into place.
  const files = [
    { path: 'a/x', contents: 'x', mode: 0o644 },
    { path: 'a/x/y', contents: 'y', mode: 0o644 },
  ];
  assert.throws(() => writeTreeAtomically({ outDir: join(dir, 'new/deeper'), files, force: false }), /ENOTDIR|EEXIST/);
  assert.deepEqual(readdirSync(dir), []);
});

test('merging into an existing folder keeps foreign files, refuses conflicts, and --force replaces with exact modes', () => {
  const dir = tempDir('write-merge');
  mkdirSync(join(dir, 't'));
  writeTreeAtomically({ outDir: dir, files: [{ path: 't/k.pem', contents: 'one', mode: 0o600 }], force: false });
  assert.equal(statSync(join(dir, 't/k.pem')).mode & 0o777, 0o600);
  assert.throws(
    () => writeTreeAtomically({ outDir: dir, files: [{ path: 't/k.pem', contents: 'two', mode: 0o600 }], force: false }),
    (e: unknown) => e instanceof TreeConflictError && e.existing[0] === 't/k.pem',
  );
  writeTreeAtomically({ outDir: dir, files: [{ path: 't/k.pem', contents: 'two', mode: 0o600 }, { path: 't/c/c.pem', contents: 'c', mode: 0o644 }], force: true });
  assert.equal(readFileSync(join(dir, 't/k.pem'), 'utf8'), 'two');
  assert.equal(statSync(join(dir, 't/c/c.pem')).mode & 0o777, 0o644);
  assert.deepEqual(readdirSync(dir).sort(), ['t']);
  assert.ok(!existsSync(join(dir, 't/.meshtls-tmp')));
});
