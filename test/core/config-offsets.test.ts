import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/core/config';
import { rng } from '../support/rng';

// Each .meshtls.yaml problem points at the first `key:` of the text. The offsets are found together now (a search per
// problem was quadratic); indexOf per problem is the judge.
test('config problems point at the first occurrence of their key, on 300 random configurations', () => {
  const r = rng(77);
  for (let k = 0; k < 300; k++) {
    const word = () => Array.from({ length: 1 + Math.floor(r() * 4) }, () => 'ab1:'[Math.floor(r() * 3)]).join('');
    const creds = [...new Set(['a', ...Array.from({ length: Math.floor(r() * 30) }, word)])];
    const ids = [...new Set(['b', ...Array.from({ length: Math.floor(r() * 30) }, word)])];
    const text = `${r() < 0.5 ? 'bogus: 1\n' : ''}credentials:\n${creds.map((c) => `  ${c}: 1\n`).join('')}severity:\n${ids.map((id) => `  ${id}: nope\n`).join('')}`;
    const { problems } = parseConfig(text);
    assert.equal(problems.length, creds.length + ids.length + (text.startsWith('bogus') ? 1 : 0), text);
    for (const p of problems) {
      const key = /^(?:Credential|Severity "nope" for|Unknown setting) "(.*?)"/.exec(p.message)?.[1];
      assert.ok(key !== undefined, p.message);
      assert.equal(p.offset, Math.max(0, text.indexOf(`${key}:`)), `${p.message} in ${JSON.stringify(text)}`);
    }
  }
});
