import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../src/core/rules/registry';
import { ENGINE_RULES } from '../../src/core/rules/engine-rules';
import { WorkspaceIndex } from '../../src/core/index/workspace-index';
import { Linter } from '../../src/core/lint';
import { DEFAULT_CONFIG, parseConfig, type MeshtlsConfig } from '../../src/core/config';
import { LineIndex } from '../../src/core/lines';
import type { Finding } from '../../src/core/types';
import { lintTexts, renderFindings, golden, TEST_NOW } from '../support/golden';
import { certsDir, readTree } from '../support/certs';

const FIXTURES = 'test/fixtures/rules';

/**
 * A folder fixture (`valid-x/`, `invalid-x/`) is a small workspace: YAML files are parsed as YAML, everything else
 * is handed over as bytes, and the openssl-made certificates of make-certs.sh appear under `<fixture>/pki/`.
 * A `.meshtls.yaml` in the folder is its configuration. The golden file lists every finding in every file as
 * `file:line:col severity rule message`.
 */
function lintFolder(dir: string, name: string, ruleConfig: MeshtlsConfig): { findings: Finding[]; texts: Map<string, string> } {
  const index = new WorkspaceIndex();
  const texts = new Map<string, string>();
  let configText: string | undefined;
  for (const [rel, bytes] of readTree(join(dir, name))) {
    const id = `${name}/${rel}`;
    if (rel === '.meshtls.yaml') configText = bytes.toString('utf8');
    else if (/\.ya?ml$/.test(rel)) index.setYamlFile(id, bytes.toString('utf8'));
    else index.setOtherFile(id, new Uint8Array(bytes));
    texts.set(id, bytes.toString('utf8'));
  }
  for (const [rel, bytes] of readTree(certsDir())) {
    const id = `${name}/pki/${rel}`;
    index.setOtherFile(id, new Uint8Array(bytes));
    texts.set(id, bytes.toString('utf8'));
  }
  const config = configText !== undefined ? parseConfig(configText).config : structuredClone(ruleConfig);
  config.configDir = name;
  config.configFile = `${name}/.meshtls.yaml`;
  const byFile = new Linter({ config, now: TEST_NOW }).lint(index, TEST_NOW);
  return { findings: [...byFile.values()].flat(), texts };
}

function renderFolder(findings: Finding[], texts: Map<string, string>): string {
  const lines = new Map<string, LineIndex>();
  return findings
    .map((f) => {
      let li = lines.get(f.fileId);
      if (!li) lines.set(f.fileId, (li = new LineIndex(texts.get(f.fileId) ?? '')));
      const p = li.position(f.start);
      return { key: [f.fileId, p.line, p.column] as const, text: `${f.fileId}:${p.line + 1}:${p.column + 1} ${f.severity} ${f.ruleId} ${f.message}` };
    })
    .sort((a, b) => a.key[0].localeCompare(b.key[0]) || a.key[1] - b.key[1] || a.key[2] - b.key[2] || a.text.localeCompare(b.text))
    .map((x) => x.text)
    .join('\n');
}

// Each rule's folder holds valid-* fixtures (the rule must stay silent) and invalid-* fixtures with a golden
// invalid-*.expected.txt listing every finding of the whole registry. A fixture is one YAML file or a folder. A
// `.meshtls.yaml` in the rule's folder configures the run, for rules that depend on settings (the root namespace,
// say); a folder fixture may carry its own.
for (const rule of RULES) {
  const dir = join(FIXTURES, rule.id);
  const entries = existsSync(dir) ? readdirSync(dir).filter((f) => /^(valid|invalid)-/.test(f) && (/\.ya?ml$/.test(f) || statSync(join(dir, f)).isDirectory())) : [];
  test(`rule ${rule.id}: fixtures`, () => {
    const configFile = join(dir, '.meshtls.yaml');
    const config = existsSync(configFile) ? parseConfig(readFileSync(configFile, 'utf8')).config : DEFAULT_CONFIG;
    assert.ok(entries.some((f) => f.startsWith('valid-')), `${dir} needs a valid-* fixture`);
    assert.ok(entries.some((f) => f.startsWith('invalid-')), `${dir} needs an invalid-* fixture`);
    for (const f of entries) {
      const folder = !/\.ya?ml$/.test(f);
      let findings: Finding[];
      let actual: string;
      if (folder) {
        const r = lintFolder(dir, f, config);
        findings = r.findings;
        actual = renderFolder(findings, r.texts);
      } else {
        const text = readFileSync(join(dir, f), 'utf8');
        findings = lintTexts({ [f]: text }, config).get(f) ?? [];
        actual = renderFindings(text, findings);
      }
      if (f.startsWith('valid-')) {
        assert.deepEqual(findings.filter((x) => x.ruleId === rule.id).map((x) => x.message), [], `${f} must not trigger ${rule.id}`);
        // A clean workspace (folder fixture) must be clean for every rule, not only the one under test.
        if (folder) assert.equal(actual, '', `${f} must produce no findings at all`);
      } else {
        assert.ok(findings.some((x) => x.ruleId === rule.id), `${f} must trigger ${rule.id}`);
        assert.equal(actual, golden(join(dir, f.replace(/\.ya?ml$/, '') + '.expected.txt'), actual), `${f}: findings differ from the golden file`);
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
