import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { readInside } from '../../src/node/walk';

// The extension reads the files its file search and watchers report through readInside (the CLI's walker has the
// same rules): the editor's search follows symbolic links, so these are what a cloned pull request can contain.

function workspace() {
  const root = mkdtempSync(join(tmpdir(), 'meshtls-inside-'));
  mkdirSync(join(root, 'sub'));
  writeFileSync(join(root, 'sub', 'gw.yaml'), 'kind: Gateway\n');
  return root;
}

test('a file inside the folder is read, also through a symbolic link that stays inside', async () => {
  const root = workspace();
  symlinkSync(join(root, 'sub', 'gw.yaml'), join(root, 'link.yaml'));
  for (const p of ['sub/gw.yaml', 'link.yaml']) {
    const r = await readInside(join(root, p), root);
    assert.ok('bytes' in r, p);
    assert.equal(r.bytes.toString(), 'kind: Gateway\n');
  }
});

test('a symbolic link out of the folder is not followed (a file, a folder above, /proc)', async () => {
  const root = workspace();
  const outside = mkdtempSync(join(tmpdir(), 'meshtls-outside-'));
  writeFileSync(join(outside, 'secret.pem'), 'not yours\n');
  symlinkSync(join(outside, 'secret.pem'), join(root, 'ca.pem'));
  symlinkSync('/', join(root, 'r'));
  const links = ['ca.pem', 'r/etc/hostname'];
  if (existsSync('/proc/self/pagemap')) {
    symlinkSync('/proc/self/pagemap', join(root, 'pagemap.pem'));
    links.push('pagemap.pem');
  }
  for (const p of links) {
    const r = await readInside(join(root, p), root);
    assert.ok('skipped' in r, p);
    assert.match(r.skipped, /outside the workspace folder/, p);
  }
});

test('inside the folder: a FIFO is refused without blocking, a file past the cap is refused whatever its size says', async () => {
  const root = workspace();
  if (spawnSync('mkfifo', [join(root, 'pipe.yaml')]).status === 0) {
    const r = await readInside(join(root, 'pipe.yaml'), root);
    assert.ok('skipped' in r);
    assert.match(r.skipped, /not a regular file/);
  }
  writeFileSync(join(root, 'big.pem'), Buffer.alloc(2048, 'a'));
  const big = await readInside(join(root, 'big.pem'), root, 1024);
  assert.ok('skipped' in big && big.unreadable);
  const missing = await readInside(join(root, 'gone.yaml'), root);
  assert.ok('skipped' in missing && !missing.unreadable);
});
