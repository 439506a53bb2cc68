import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { listWorkspaceFiles } from '../../src/node/walk';
import { expandBraces } from '../../src/core/glob';

// The editor lists a workspace folder's files with listWorkspaceFiles, not with its own file search, which follows
// symbolic links: a cloned repository holding `r -> /` would have it list the whole file system.

function workspace() {
  const root = mkdtempSync(join(tmpdir(), 'meshtls-list-'));
  mkdirSync(join(root, 'sub'));
  writeFileSync(join(root, 'sub', 'gw.yaml'), 'kind: Gateway\n');
  writeFileSync(join(root, 'sub', 'ca.pem'), '-----BEGIN CERTIFICATE-----\n');
  writeFileSync(join(root, 'sub', 'old.yml'), 'kind: Gateway\n');
  mkdirSync(join(root, 'skip'));
  writeFileSync(join(root, 'skip', 'gw.yaml'), 'kind: Gateway\n');
  mkdirSync(join(root, 'node_modules'));
  writeFileSync(join(root, 'node_modules', 'x.yaml'), 'kind: Gateway\n');
  return root;
}

test('a workspace listing never leaves the folder through a link, and lists no FIFO', async () => {
  const root = workspace();
  const outside = mkdtempSync(join(tmpdir(), 'meshtls-list-outside-'));
  writeFileSync(join(outside, 'gw.yaml'), 'kind: Gateway\n');
  writeFileSync(join(outside, 'ca.pem'), 'not yours\n');
  symlinkSync('/', join(root, 'r'));
  symlinkSync(outside, join(root, 'escape'));
  symlinkSync(join(outside, 'ca.pem'), join(root, 'stolen.pem'));
  symlinkSync(join(root, 'sub', 'gw.yaml'), join(root, 'inside-link.yaml'));
  const fifo = spawnSync('mkfifo', [join(root, 'pipe.yaml')]).status === 0;
  const ids = (await listWorkspaceFiles({ root, exclude: ['**/skip/**'] })).map((f) => f.id).sort();
  assert.deepEqual(ids, ['inside-link.yaml', 'sub/ca.pem', 'sub/gw.yaml', 'sub/old.yml']);
  if (fifo) assert.ok(!ids.includes('pipe.yaml'));
  // A folder that appears later (the watcher's event) is walked inside the same fence, also when it is the link.
  assert.deepEqual(await listWorkspaceFiles({ root, dir: join(root, 'escape'), exclude: [] }), []);
  assert.deepEqual(await listWorkspaceFiles({ root, dir: join(root, 'r'), exclude: [] }), []);
  assert.deepEqual((await listWorkspaceFiles({ root, dir: join(root, 'sub'), exclude: [] })).map((f) => f.id).sort(), ['sub/ca.pem', 'sub/gw.yaml', 'sub/old.yml']);
});

test('include narrows the YAML files with VS Code glob syntax; certificates and scripts are always listed', async () => {
  const root = workspace();
  const ids = (await listWorkspaceFiles({ root, include: '**/*.{yaml}', exclude: ['**/{skip,other}/**'] })).map((f) => f.id).sort();
  assert.deepEqual(ids, ['sub/ca.pem', 'sub/gw.yaml']);
});

test('brace expansion: alternatives, nested groups, and a cap on patterns that would explode', () => {
  assert.deepEqual(expandBraces('**/*.{yaml,yml}'), ['**/*.yaml', '**/*.yml']);
  assert.deepEqual(expandBraces('{a,b{c,d}}/x').sort(), ['a/x', 'bc/x', 'bd/x']);
  assert.deepEqual(expandBraces('no-braces'), ['no-braces']);
  assert.deepEqual(expandBraces('unclosed{a,b'), ['unclosed{a,b']);
  const bomb = '{a,b}'.repeat(20);
  assert.deepEqual(expandBraces(bomb), [bomb]);
});
