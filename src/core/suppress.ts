/**
 * In-file suppression comments:
 *   # meshtls-disable-next-line rule-a, rule-b   (no ids: every rule)
 *   # meshtls-disable rule-a                     (the whole file; no ids: every rule)
 */
export interface Suppressions {
  file: Set<string> | 'all' | undefined;
  /** Line number (0-based) → suppressed ids or 'all'. */
  lines: Map<number, Set<string> | 'all'>;
  /** Offsets of the text's newlines, built on the first line lookup (only files with line directives need it). */
  newlines?: number[];
}

const DIRECTIVE = /#\s*meshtls-disable(-next-line)?(?=\s|$)([^\n]*)/g;

export function parseSuppressions(text: string): Suppressions {
  const result: Suppressions = { file: undefined, lines: new Map() };
  if (!text.includes('meshtls-disable')) return result;
  // Matches come in text order, so the line count carries on from the previous match instead of restarting.
  let line = 0;
  let counted = 0;
  for (const m of text.matchAll(DIRECTIVE)) {
    const ids = m[2].split(/[\s,]+/).filter((s) => /^[a-z0-9-]+$/.test(s));
    const set: Set<string> | 'all' = ids.length ? new Set(ids) : 'all';
    if (m[1]) {
      for (let i = text.indexOf('\n', counted); i >= 0 && i < m.index; i = text.indexOf('\n', i + 1)) {
        line++;
        counted = i + 1;
      }
      result.lines.set(line + 1, merge(result.lines.get(line + 1), set));
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

/** The 0-based line of an offset: the number of newlines before it, by binary search. */
function lineOf(s: Suppressions, text: string, offset: number): number {
  let nl = s.newlines;
  if (!nl) {
    nl = s.newlines = [];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) nl.push(i);
  }
  let lo = 0;
  let hi = nl.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (nl[mid] < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function isSuppressed(s: Suppressions, ruleId: string, text: string, offset: number): boolean {
  const hit = (v: Set<string> | 'all' | undefined) => v === 'all' || (v !== undefined && v.has(ruleId));
  if (hit(s.file)) return true;
  return s.lines.size > 0 && hit(s.lines.get(lineOf(s, text, offset)));
}
