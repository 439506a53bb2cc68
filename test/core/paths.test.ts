import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, basename, join, normalize } from '../../src/core/paths';

test('posix path helpers used by the core', () => {
  assert.equal(dirname('a/b/c.sh'), 'a/b');
  assert.equal(dirname('c.sh'), '.');
  assert.equal(dirname('/c.sh'), '/');
  assert.equal(basename('a/b/c.sh'), 'c.sh');
  assert.equal(join('a/b', '../c/./d.pem'), 'a/c/d.pem');
  assert.equal(join('.', 'x.pem'), 'x.pem');
  assert.equal(join('/w/ex', 'frontend/1_root'), '/w/ex/frontend/1_root');
  assert.equal(join('/w', '/abs/x'), '/abs/x');
  assert.equal(normalize('../../x'), '../../x');
  assert.equal(normalize('/../x'), '/x');
});
