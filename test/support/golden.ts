import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { WorkspaceIndex } from '../../src/core/index/workspace-index';
import { Linter } from '../../src/core/lint';
import { DEFAULT_CONFIG, type MeshtlsConfig } from '../../src/core/config';
import { LineIndex } from '../../src/core/lines';
import type { Finding } from '../../src/core/types';

/** The instant every test evaluates certificates at, so expiry findings never drift. */
export const TEST_NOW = new Date('2026-11-23T00:00:00Z');

/** Lints texts keyed by file id with the full registry. */
export function lintTexts(files: Record<string, string>, config: MeshtlsConfig = DEFAULT_CONFIG, now = TEST_NOW): Map<string, Finding[]> {
  const index = new WorkspaceIndex();
  for (const [id, text] of Object.entries(files)) index.setYamlFile(id, text);
  return new Linter({ config, now }).lint(index, now);
}

/** One line per finding: `line:col severity rule-id message` (1-based), the golden format. */
export function renderFindings(text: string, findings: Finding[]): string {
  const li = new LineIndex(text);
  return findings
    .map((f) => {
      const p = li.position(f.start);
      return `${p.line + 1}:${p.column + 1} ${f.severity} ${f.ruleId} ${f.message}`;
    })
    .join('\n');
}

/** Compares with a golden file; UPDATE_GOLDEN=1 rewrites it instead. Returns the expected text. */
export function golden(path: string, actual: string): string {
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
    if (process.env.UPDATE_GOLDEN !== '1' && process.env.CI === 'true') throw new Error(`Golden file ${path} is missing.`);
    writeFileSync(path, actual + '\n');
    return actual;
  }
  return readFileSync(path, 'utf8').replace(/\n$/, '');
}
