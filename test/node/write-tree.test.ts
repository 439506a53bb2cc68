import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { writeTreeAtomically, repairInterruptedWrite, TreeConflictError, TreeLockedError, LOCK_FILE } from '../../src/node/write-tree';
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

/** Writes `files` over `dir` in a child process that SIGKILLs itself right after its `killAfter`-th rename. */
function killedWrite(dir: string, files: { path: string; contents: string; mode: number }[], killAfter: number): number | null {
  const script = `
    const fs = require('node:fs');
    const rename = fs.renameSync;
    let n = 0;
    fs.renameSync = (a, b) => { rename(a, b); if (++n === ${killAfter}) process.kill(process.pid, 'SIGKILL'); };
    require(${JSON.stringify(resolve('out/src/node/write-tree.js'))}).writeTreeAtomically({ outDir: ${JSON.stringify(dir)}, files: ${JSON.stringify(files)}, force: true });
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (r.signal !== 'SIGKILL' && r.status !== 0) throw new Error(r.stderr);
  return r.signal === 'SIGKILL' ? killAfter : null;
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const p = rel ? `${rel}/${name}` : name;
      if (statSync(join(dir, p)).isDirectory()) visit(p);
      else out[p] = readFileSync(join(dir, p), 'utf8');
    }
  };
  visit('');
  return out;
}

test('a --force write killed at any point of its swap is undone by the next write: never a mixed tree', () => {
  const old = [
    { path: 'h/1_root/private/ca.key.pem', contents: 'old-root-key', mode: 0o600 },
    { path: 'h/1_root/certs/ca.cert.pem', contents: 'old-root', mode: 0o644 },
    { path: 'h/2_intermediate/certs/ca.cert.pem', contents: 'old-int', mode: 0o644 },
  ];
  const fresh = [...old.map((f) => ({ ...f, contents: f.contents.replace('old', 'new') })), { path: 'g/3_application/x.pem', contents: 'new-g', mode: 0o644 }];
  let killedOnce = false;
  for (let k = 1; k <= 12; k++) {
    const dir = tempDir(`write-kill-${k}`);
    writeTreeAtomically({ outDir: dir, files: old, force: false });
    const before = snapshot(dir);
    if (killedWrite(dir, fresh, k) === null) break; // the write finished before the k-th rename
    killedOnce = true;
    // Whatever the kill left, the next run sees the old tree or nothing of the new one.
    const restored = repairInterruptedWrite(dir);
    assert.ok(restored >= 0);
    assert.deepEqual(snapshot(dir), before, `killed after rename ${k}`);
    assert.deepEqual(readdirSync(dir).filter((x) => x.startsWith('.meshtls')), [], `leftovers after rename ${k}`);
    writeTreeAtomically({ outDir: dir, files: fresh, force: true });
    assert.equal(readFileSync(join(dir, 'h/1_root/private/ca.key.pem'), 'utf8'), 'new-root-key');
  }
  assert.ok(killedOnce);
});

test('a second writer into the same folder is refused while the first holds the lock; a dead holder\'s lock is taken over', () => {
  const dir = tempDir('write-lock');
  const holder = spawn('sleep', ['30']);
  try {
    writeFileSync(join(dir, LOCK_FILE), `${holder.pid}\n`);
    assert.throws(() => writeTreeAtomically({ outDir: dir, files: [{ path: 't/a', contents: 'a', mode: 0o644 }], force: false }), TreeLockedError);
    assert.ok(!existsSync(join(dir, 't')));
  } finally {
    holder.kill('SIGKILL');
  }
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  writeFileSync(join(dir, LOCK_FILE), `${dead}\n`);
  writeTreeAtomically({ outDir: dir, files: [{ path: 't/a', contents: 'a', mode: 0o644 }], force: false });
  assert.deepEqual(readdirSync(dir).sort(), ['t']);
});
