/**
 * In-file suppression comments:
 *   # meshtls-disable-next-line rule-a, rule-b   (no ids: every rule)
 *   # meshtls-disable rule-a                     (the whole file; no ids: every rule)
 */
export interface Suppressions {
  file: Set<string> | 'all' | undefined;
  /** Line number (0-based) → suppressed ids or 'all'. */
  lines: Map<number, Set<string> | 'all'>;
}

const DIRECTIVE = /#\s*meshtls-disable(-next-line)?(?=\s|$)([^\n]*)/g;

export function parseSuppressions(text: string): Suppressions {
  const result: Suppressions = { file: undefined, lines: new Map() };
  if (!text.includes('meshtls-disable')) return result;
  for (const m of text.matchAll(DIRECTIVE)) {
    const ids = m[2].split(/[\s,]+/).filter((s) => /^[a-z0-9-]+$/.test(s));
    const set: Set<string> | 'all' = ids.length ? new Set(ids) : 'all';
    if (m[1]) {
      const line = lineOf(text, m.index) + 1;
      result.lines.set(line, merge(result.lines.get(line), set));
    } else {
      result.file = merge(result.file, set);
    }
  }
  return result;
}

function merge(a: Set<string> | 'all' | undefined, b: Set<string> | 'all'): Set<string> | 'all' {
  if (a === 'all' || b === 'all') return 'all';
  return a ? new Set([...a, ...b]) : b;
}

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

export function isSuppressed(s: Suppressions, ruleId: string, text: string, offset: number): boolean {
  const hit = (v: Set<string> | 'all' | undefined) => v === 'all' || (v !== undefined && v.has(ruleId));
  if (hit(s.file)) return true;
  return s.lines.size > 0 && hit(s.lines.get(lineOf(text, offset)));
}
