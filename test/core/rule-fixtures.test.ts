import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../src/core/rules/registry';
import { ENGINE_RULES } from '../../src/core/rules/engine-rules';
import { lintTexts, renderFindings, golden } from '../support/golden';
import { DEFAULT_CONFIG, parseConfig } from '../../src/core/config';

const FIXTURES = 'test/fixtures/rules';

// Each rule's folder holds valid-*.yaml (the rule must stay silent) and invalid-*.yaml with a golden
// invalid-*.expected.txt listing every finding of the whole registry on that file. A `.meshtls.yaml` in the folder
// configures the run, for rules that depend on settings (the root namespace, say).
for (const rule of RULES) {
  const dir = join(FIXTURES, rule.id);
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => /^(valid|invalid)-.*\.ya?ml$/.test(f)) : [];
  test(`rule ${rule.id}: fixtures`, () => {
    const configFile = join(dir, '.meshtls.yaml');
    const config = existsSync(configFile) ? parseConfig(readFileSync(configFile, 'utf8')).config : DEFAULT_CONFIG;
    assert.ok(files.some((f) => f.startsWith('valid-')), `${dir} needs a valid-*.yaml fixture`);
    assert.ok(files.some((f) => f.startsWith('invalid-')), `${dir} needs an invalid-*.yaml fixture`);
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      const findings = lintTexts({ [f]: text }, config).get(f) ?? [];
      if (f.startsWith('valid-')) {
        assert.deepEqual(findings.filter((x) => x.ruleId === rule.id).map((x) => x.message), [], `${f} must not trigger ${rule.id}`);
      } else {
        assert.ok(findings.some((x) => x.ruleId === rule.id), `${f} must trigger ${rule.id}`);
        const actual = renderFindings(text, findings);
        assert.equal(actual, golden(join(dir, f.replace(/\.ya?ml$/, '.expected.txt')), actual), `${f}: findings differ from the golden file`);
      }
    }
  });
}

test('every rule has a unique kebab-case id, a summary and a docs page', () => {
  const all = [...RULES, ...Object.values(ENGINE_RULES)];
  const ids = all.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length, `duplicate rule ids: ${ids.filter((id, i) => ids.indexOf(id) !== i).join(', ')}`);
  for (const r of all) {
    assert.match(r.id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, r.id);
    assert.ok(r.summary.length > 10, `${r.id} needs a summary`);
    assert.ok(existsSync(join('docs/rules', `${r.id}.md`)), `docs/rules/${r.id}.md is missing`);
  }
});
